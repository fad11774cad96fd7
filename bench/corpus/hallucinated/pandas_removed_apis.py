"""Sales report built with pandas idioms removed in pandas 1.0 / 2.0.

DataFrame and Series resolve unknown attributes to columns (NDFrame.__getattr__), so
only CALLED removed methods are labelled (a method call on a column would fail as well
since a Series is not callable).  Class-level lookups (`pd.DataFrame.from_csv`) and
module-level names (`pd.datetime`, `pd.Panel`, ...) are certain.
"""

import numpy as np
import pandas as pd
from pandas import Int64Index  # expect: HAL002[Int64Index]
from pandas.io.json import json_normalize  # expect: HAL002[json_normalize]
from pandas.util.testing import assert_frame_equal  # expect: HAL001[pandas.util.testing]


def load(path: str) -> pd.DataFrame:
    return pd.DataFrame.from_csv(path, index_col=0)  # expect: HAL101[from_csv]


def coerce(df: pd.DataFrame) -> pd.DataFrame:
    return df.convert_objects(convert_numeric=True)  # expect: HAL101[convert_objects]


def add_row(df: pd.DataFrame, row: dict) -> pd.DataFrame:
    return df.append(row, ignore_index=True)  # expect: HAL101[append]


def totals(df: pd.DataFrame) -> dict:
    result = {}
    for name, column in df.iteritems():  # expect: HAL101[iteritems]
        result[name] = column.sum()
    return result


def deviation(values: list) -> float:
    series = pd.Series(values, dtype="float64")
    for label, value in series.iteritems():  # expect: HAL101[iteritems]
        print(label, value)
    return series.mad()  # expect: HAL101[mad]


def as_array(df: pd.DataFrame) -> np.ndarray:
    return df.as_matrix()  # expect: HAL101[as_matrix]


def cell(df: pd.DataFrame, row, col):
    df.set_value(row, col, 0)  # expect: HAL101[set_value]
    return df.get_value(row, col)  # expect: HAL101[get_value]


def ordered(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort("revenue", ascending=False)  # expect: HAL101[sort]


def pick(df: pd.DataFrame, rows: list, cols: list):
    return df.lookup(rows, cols)  # expect: HAL101[lookup]


def shifted(df: pd.DataFrame) -> pd.DataFrame:
    return df.tshift(1, freq="D")  # expect: HAL101[tshift]


def raw_values(values: list):
    return pd.Series(values).get_values()  # expect: HAL101[get_values]


def smooth(series: pd.Series) -> pd.Series:
    return pd.rolling_mean(series, window=7)  # expect: HAL101[rolling_mean]


def decay(series: pd.Series) -> pd.Series:
    return pd.ewma(series, span=7)  # expect: HAL101[ewma]


def report_date():
    return pd.datetime.now()  # expect: HAL101[datetime]


def to_float(values: list):
    return pd.np.array(values, dtype=float)  # expect: HAL101[np]


def cube(data: dict):
    return pd.Panel(data)  # expect: HAL101[Panel]


def by_week(df: pd.DataFrame):
    return df.groupby(pd.TimeGrouper("W")).sum()  # expect: HAL101[TimeGrouper]


def monotonic(values: list) -> bool:
    index = pd.Index(values)
    return index.is_monotonic  # expect: HAL101[is_monotonic]


def stamp_as_datetime():
    return pd.Timestamp.now().to_datetime()  # expect: HAL101[to_datetime]


def read_cache(path: str) -> pd.DataFrame:
    return pd.read_msgpack(path)  # expect: HAL101[read_msgpack]


def main() -> None:
    df = coerce(load("sales.csv"))
    df = add_row(df, {"revenue": 10})
    print(totals(df), ordered(df).head())
    assert_frame_equal(df, df)
    print(json_normalize([{"a": {"b": 1}}]), Int64Index([1, 2]))


if __name__ == "__main__":
    main()
