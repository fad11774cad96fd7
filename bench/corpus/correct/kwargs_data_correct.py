"""pandas, SQLAlchemy 2 and pydantic 2 keyword arguments that are accepted, including kwargs
that are stored, forwarded to a user function, or taken as dialect/extra options."""

import io
import os
import tempfile
import warnings
from typing import Optional

import pandas as pd
import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator, model_validator
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, sessionmaker

CSV = "date;region;amount\n2024-01-01;north;10\n2024-01-02;south;;\n2024-01-02;north;5\n"


# --- pandas -------------------------------------------------------------------------------------
def scale(frame: pd.DataFrame, factor: float = 1.0, column: str = "amount") -> pd.DataFrame:
    return frame.assign(**{column: frame[column] * factor})


def row_total(row: pd.Series, bonus: float = 0.0) -> float:
    return float(row["amount"]) + bonus


def pandas_calls() -> None:
    df = pd.read_csv(io.StringIO(CSV), sep=";", dtype=str, on_bad_lines="skip", keep_default_na=True)
    df["amount"] = pd.to_numeric(df["amount"], errors="coerce")
    df = df.dropna(subset=["amount"], how="any").reset_index(drop=True)
    totals = df.groupby("region", as_index=False, sort=True).agg(total=("amount", "sum"), n=("amount", "size"))
    df = df.assign(double=lambda d: d["amount"] * 2, label="x")
    df = df.pipe(scale, factor=1.5, column="double")
    df["with_bonus"] = df.apply(row_total, axis=1, bonus=2.0)
    df["region_len"] = df["region"].apply(len)
    df = df.sort_values(by=["amount"], ascending=False, kind="stable", na_position="last")
    print(df.head(n=2).to_dict(orient="records"))
    print(totals.to_string(index=False))
    print(df.rename(columns=str.upper).columns.tolist(), df.query("amount > @limit", local_dict={"limit": 6}).shape)
    print(df.pivot_table(index="region", values="amount", aggfunc="sum", fill_value=0).shape)
    print(df["region"].str.contains("nor", case=False, regex=False, na=False).sum())
    merged = df.merge(totals, on="region", how="left", suffixes=("", "_total"), validate="many_to_one")
    print(pd.concat([df, df], ignore_index=True, axis=0, sort=False).shape, merged.shape)
    print(df.sample(n=1, random_state=42).shape, df["amount"].rolling(window=2, min_periods=1).mean().iloc[-1])
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "out.csv")
        df.to_csv(path, index=False, lineterminator="\n", sep=";", encoding="utf-8")
        print(pd.read_csv(path, sep=";", usecols=["region", "amount"], parse_dates=False).shape)
        df.to_json(os.path.join(tmp, "out.json"), orient="records", lines=True, indent=None)


# --- SQLAlchemy ---------------------------------------------------------------------------------
class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    __table_args__ = {"sqlite_autoincrement": True}
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50), nullable=False, index=True, comment="display name")
    email: Mapped[Optional[str]] = mapped_column(sa.String(120), unique=True, default=None)
    addresses: Mapped[list["Address"]] = relationship(back_populates="user", cascade="all, delete-orphan", lazy="selectin")


class Address(Base):
    __tablename__ = "addresses"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    city: Mapped[str] = mapped_column(sa.String(80), server_default="unknown")
    user: Mapped[User] = relationship(back_populates="addresses")


def sqlalchemy_calls() -> None:
    engine = sa.create_engine("sqlite://", echo=False, pool_pre_ping=True, future=True,
                              connect_args={"check_same_thread": False}, execution_options={"x": 1})
    Base.metadata.create_all(bind=engine, checkfirst=True)
    metadata = sa.MetaData(naming_convention={"ix": "ix_%(column_0_label)s"})
    audit = sa.Table(
        "audit",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event", sa.String(40), nullable=False, server_default="created", comment="kind"),
        sqlite_autoincrement=True,
    )
    metadata.create_all(engine)
    SessionLocal = sessionmaker(bind=engine, autocommit=False, autoflush=False, expire_on_commit=False)
    with SessionLocal() as session:
        session.add(User(name="ann", email="ann@example.com", addresses=[Address(city="Oslo")]))
        session.commit()
        user = session.get(User, 1, populate_existing=True)
        rows = session.execute(sa.text("SELECT name FROM users WHERE id = :id"), params={"id": 1}).all()
        stmt = sa.select(User).where(User.name == "ann").limit(10).order_by(User.id.desc())
        print(user.name, rows, session.scalars(stmt).first().addresses[0].city)
    with Session(engine, autoflush=True, expire_on_commit=True) as session:
        print(session.scalar(sa.select(sa.func.count()).select_from(User)))
    with engine.connect() as conn:
        conn.execute(audit.insert(), parameters=[{"event": "login"}, {"event": "logout"}])
        res = conn.execute(sa.text("SELECT count(*) FROM audit WHERE event != :e"), parameters={"e": "x"})
        print(res.scalar_one())
    with engine.execution_options(isolation_level="SERIALIZABLE", logging_token="audit").connect() as conn:
        print(conn.scalar(sa.text("SELECT 1")))


# --- pydantic -----------------------------------------------------------------------------------
class Flexible(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, str_strip_whitespace=True)

    name: str = Field(default="", alias="displayName", description="shown in the UI", max_length=80)
    age: int = Field(default=0, ge=0, json_schema_extra={"example": 30})

    @field_validator("name", mode="before", check_fields=True)
    @classmethod
    def upper_first(cls, value: str) -> str:
        return value[:1].upper() + value[1:] if value else value

    @model_validator(mode="after")
    def check(self) -> "Flexible":
        return self


def pydantic_calls() -> None:
    item = Flexible(displayName="ann", age=3, team="core", level=2)
    print(item.name, item.model_extra, item.model_dump(exclude_none=True, by_alias=True, mode="json"))
    print(item.model_dump_json(indent=2, exclude={"age"}), Flexible.model_validate({"name": "bob"}, strict=False).name)
    print(item.model_copy(update={"age": 4}, deep=True).age, TypeAdapter(list[int]).validate_python(["1"], strict=False))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # pydantic 2 still accepts unknown Field(**extra) keywords (deprecated, kept as schema extras)
        legacy = Field(default=1, desc="legacy description")
    print(type(legacy).__name__)


def main() -> None:
    pandas_calls()
    sqlalchemy_calls()
    pydantic_calls()


if __name__ == "__main__":
    main()
