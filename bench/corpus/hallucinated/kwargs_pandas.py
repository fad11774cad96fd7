"""Sales report pipeline in pandas with removed and invented keyword arguments."""

import sqlite3

import pandas as pd


def load_sales(path: str) -> pd.DataFrame:
    return pd.read_csv(path, delimeter=";", parse_dates=["date"])  # expect: HAL201[delimeter]


def load_sales_tolerant(path: str) -> pd.DataFrame:
    return pd.read_csv(path, sep=";", error_bad_lines=False, warn_bad_lines=True)  # expect: HAL201[error_bad_lines], HAL201[warn_bad_lines]


def load_ids(path: str) -> pd.Series:
    return pd.read_csv(path, usecols=["id"], squeeze=True)  # expect: HAL201[squeeze]


def load_headerless(path: str) -> pd.DataFrame:
    return pd.read_csv(path, header=None, prefix="col_")  # expect: HAL201[prefix]


def load_semicolon(path: str) -> pd.DataFrame:
    return pd.read_csv(path, ";")  # expect: HAL202[";"]


def load_targets(path: str) -> pd.DataFrame:
    return pd.read_excel(path, sheet="Targets")  # expect: HAL201[sheet]


def load_orders(conn: sqlite3.Connection, since: str) -> pd.DataFrame:
    return pd.read_sql("SELECT * FROM orders WHERE date >= ?", conn, parameters=(since,))  # expect: HAL201[parameters]


def build_frame(rows: list) -> pd.DataFrame:
    return pd.DataFrame(rows, column=["date", "region", "amount"])  # expect: HAL201[column]


def clean(df: pd.DataFrame) -> pd.DataFrame:
    df = df.dropna(columns=["amount"])  # expect: HAL201[columns]
    df = df.drop_duplicates(columns=["order_id"])  # expect: HAL201[columns]
    df = df.drop(cols=["internal_note"])  # expect: HAL201[cols]
    df["date"] = pd.to_datetime(df["date"], fmt="%Y-%m-%d")  # expect: HAL201[fmt]
    return df


def drop_helper_column(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop("tmp", 1)  # expect: HAL202[1]


def top_regions(df: pd.DataFrame) -> pd.DataFrame:
    totals = df.groupby("region", as_index=False)["amount"].sum()
    return totals.sort_values(by="amount", reverse=True).head(10)  # expect: HAL201[reverse]


def rank_regions(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values("amount", False)  # expect: HAL202[False]


def by_column(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values(column="date")  # expect: HAL201[column]


def attach_targets(sales: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    return sales.merge(targets, on="region", how="left", suffix=("", "_target"))  # expect: HAL201[suffix]


def combine(frames: list) -> pd.DataFrame:
    return pd.concat(frames, join_axes=[frames[0].columns])  # expect: HAL201[join_axes]


def combine_side_by_side(frames: list) -> pd.DataFrame:
    return pd.concat(frames, 1)  # expect: HAL202[1]


def smooth(df: pd.DataFrame) -> pd.DataFrame:
    df["rolling"] = df["amount"].rolling(window_size=7).mean()  # expect: HAL201[window_size]
    return df


def sample_rows(df: pd.DataFrame) -> pd.DataFrame:
    return df.sample(n=100, random_seed=42)  # expect: HAL201[random_seed]


def bucket(df: pd.DataFrame) -> pd.Series:
    return pd.cut(df["amount"], bins=3, label=["low", "mid", "high"])  # expect: HAL201[label]


def online_only(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["channel"].str.contains("web", ignore_case=True)]  # expect: HAL201[ignore_case]


def encode_regions(df: pd.DataFrame) -> pd.DataFrame:
    return pd.get_dummies(df, columns=["region"], drop=True)  # expect: HAL201[drop]


def rounded(df: pd.DataFrame) -> pd.DataFrame:
    return df.round(digits=2)  # expect: HAL201[digits]


def records(df: pd.DataFrame) -> list:
    return df.to_dict(orientation="records")  # expect: HAL201[orientation]


def export(df: pd.DataFrame, path: str) -> None:
    df.to_csv(path, index=False, line_terminator="\n")  # expect: HAL201[line_terminator]


def export_excel(df: pd.DataFrame, path: str) -> None:
    df.to_excel(path, index=False, encoding="utf-8")  # expect: HAL201[encoding]


def export_json(df: pd.DataFrame, path: str) -> None:
    df.to_json(path, orient="records", indent_size=2)  # expect: HAL201[indent_size]


def store(df: pd.DataFrame, conn: sqlite3.Connection) -> None:
    df.to_sql("sales", conn, replace=True, index=False)  # expect: HAL201[replace]
