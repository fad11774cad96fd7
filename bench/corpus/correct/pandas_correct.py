"""pandas 2.x/3.x code, including column access through DataFrame.__getattr__.

`df.price`, `df.region`, `sales.qty` are columns, not methods: attribute access on a
DataFrame resolves to a column when one exists, so it must never be reported.
"""

import io

import numpy as np
import pandas as pd

CSV = """region,product,price,qty,day
north,apple,1.5,10,2024-01-01
south,pear,2.0,5,2024-01-02
north,pear,2.5,7,2024-01-02
"""


def load() -> pd.DataFrame:
    df = pd.read_csv(io.StringIO(CSV), parse_dates=["day"])
    df["revenue"] = df["price"] * df["qty"]
    return df


def summarize(df: pd.DataFrame) -> pd.DataFrame:
    return df.groupby("region").agg(total=("revenue", "sum"), items=("qty", "count")).reset_index()


def columns_via_attributes(df: pd.DataFrame) -> float:
    print(df.price.max(), df.region.unique().tolist(), df.qty.sum())
    return float((df.price * df.qty).sum())


def iterate(df: pd.DataFrame) -> None:
    for name, column in df.items():
        print(name, column.dtype)
    for idx, row in df.iterrows():
        print(idx, row["product"])
    for row in df.itertuples(index=False):
        print(row.product, row.price)


def transform(df: pd.DataFrame) -> pd.DataFrame:
    out = df.assign(product=df["product"].str.upper(), weekday=df["day"].dt.day_name())
    out = out.sort_values("price", ascending=False).drop_duplicates("product")
    out = out.rename(columns={"qty": "quantity"}).fillna(0)
    out.loc[:, "flag"] = np.where(out["price"] > 2, "high", "low")
    return out


def combine(df: pd.DataFrame) -> pd.DataFrame:
    extra = pd.DataFrame([{"region": "east", "product": "fig", "price": 3.0, "qty": 1}])
    both = pd.concat([df, extra], ignore_index=True)
    merged = both.merge(pd.DataFrame({"region": ["north"], "manager": ["kim"]}), on="region", how="left")
    print(merged.shape, merged.columns.tolist(), merged.index.to_list()[:2], merged.dtypes.to_dict()["price"])
    return merged


def series_ops() -> None:
    s = pd.Series([3, 1, 2], name="n")
    print(s.to_list(), s.tolist(), s.sort_values().iloc[0], s.value_counts().to_dict(), s.map(lambda v: v * 2).sum())
    print(s.str if s.dtype == object else None, s.rolling(2).mean().dropna().to_numpy(), s.describe()["mean"])
    ts = pd.Timestamp("2024-01-01")
    print(ts.isoformat(), ts.day_name(), (ts + pd.Timedelta(days=1)).date(), pd.NA, pd.NaT)
    print(pd.to_datetime(["2024-01-01"]).year.tolist(), pd.date_range("2024-01-01", periods=2).strftime("%d").tolist())


def main() -> None:
    df = load()
    print(summarize(df))
    print(columns_via_attributes(df))
    iterate(df)
    print(transform(df).head())
    combine(df)
    series_ops()
    print(pd.pivot_table(df, values="qty", index="region", aggfunc="sum").to_dict())


if __name__ == "__main__":
    main()
