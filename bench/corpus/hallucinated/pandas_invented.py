"""Customer analytics with invented pandas functions and methods."""

import pandas as pd


def load(path: str) -> pd.DataFrame:
    return pd.read_xlsx(path, sheet_name="customers")  # expect: HAL101[read_xlsx]


def load_events(path: str) -> pd.DataFrame:
    return pd.read_jsonl(path)  # expect: HAL101[read_jsonl]


def from_api(payload: str) -> pd.DataFrame:
    return pd.DataFrame.from_json(payload)  # expect: HAL101[from_json]


def clean(df: pd.DataFrame) -> pd.DataFrame:
    df.drop_column("internal_id")  # expect: HAL101[drop_column]
    return df.rename_columns({"cust": "customer"})  # expect: HAL101[rename_columns]


def countries(df: pd.DataFrame) -> list:
    return df.unique()  # expect: HAL101[unique]


def ids(df: pd.DataFrame) -> list:
    return df.to_list()  # expect: HAL101[to_list]


def active(df: pd.DataFrame) -> pd.DataFrame:
    return df.filter_rows(lambda r: r["active"])  # expect: HAL101[filter_rows]


def combine(frames: list) -> pd.DataFrame:
    return pd.merge_all(frames, on="customer")  # expect: HAL101[merge_all]


def save(df: pd.DataFrame, path: str) -> None:
    pd.to_csv(df, path, index=False)  # expect: HAL101[to_csv]


def top_values(series: pd.Series):
    return series.most_common(10)  # expect: HAL101[most_common]


def build_series(values: list) -> pd.Series:
    return pd.Series.from_array(values)  # expect: HAL101[from_array]


def summary(values: list) -> dict:
    series = pd.Series(values)
    return {
        "nonzero": series.nonzero(),  # expect: HAL101[nonzero]
        "valid": series.valid(),  # expect: HAL101[valid]
        "as_list": series.to_list(),
    }


def columns_array(labels: list):
    return pd.Index(labels).to_array()  # expect: HAL101[to_array]


def main() -> None:
    df = clean(load("customers.xlsx"))
    print(countries(df), ids(df), summary([1, 0, 2]))


if __name__ == "__main__":
    main()
