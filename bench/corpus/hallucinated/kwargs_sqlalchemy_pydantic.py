"""User service: SQLAlchemy 2 models and pydantic 2 schemas written with 1.x / Django habits."""

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from pydantic import BaseModel, Field, TypeAdapter, field_validator, model_validator
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    declarative_base,
    mapped_column,
    relationship,
    scoped_session,
    sessionmaker,
)

DATABASE_URL = "sqlite:///users.db"


# --- engine and session -------------------------------------------------------------------------
def make_engine() -> sa.Engine:
    return sa.create_engine(DATABASE_URL, encoding="utf8", echo=False)  # expect: HAL201[encoding]


def make_legacy_engine() -> sa.Engine:
    return sa.create_engine(DATABASE_URL, convert_unicode=True)  # expect: HAL201[convert_unicode]


def make_slow_engine() -> sa.Engine:
    return sa.create_engine(DATABASE_URL, timeout=30, pool_pre_ping=True)  # expect: HAL201[timeout]


def make_session(engine: sa.Engine) -> Session:
    return Session(engine=engine)  # expect: HAL201[engine]


def make_registry(engine: sa.Engine):
    return scoped_session(sessionmaker(bind=engine), autocommit=False)  # expect: HAL201[autocommit]


def legacy_base(engine: sa.Engine):
    return declarative_base(bind=engine)  # expect: HAL201[bind]


def reflect_users(engine: sa.Engine) -> sa.Table:
    metadata = sa.MetaData(bind=engine)  # expect: HAL201[bind]
    return sa.Table("users", metadata, autoload=True)  # expect: HAL201[autoload]


# --- models -------------------------------------------------------------------------------------
class Base(DeclarativeBase):
    pass


def user_columns() -> list:
    return [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(255), null=False, unique=True),  # expect: HAL201[null]
        sa.Column("name", sa.String(max_length=120)),  # expect: HAL201[max_length]
        sa.Column("bio", sa.Text, required=False),  # expect: HAL201[required]
        sa.Column("created", sa.DateTime(tz=True)),  # expect: HAL201[tz]
    ]


def address_columns() -> dict:
    return {
        "user_id": mapped_column(sa.ForeignKey("users.id"), null=False),  # expect: HAL201[null]
        "user": relationship("User", back_populate="addresses"),  # expect: HAL201[back_populate]
        "tags": relationship("Tag", related_name="addresses"),  # expect: HAL201[related_name]
    }


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(255), unique=True)
    name: Mapped[Optional[str]] = mapped_column(sa.String(120))


def create_schema(engine: sa.Engine) -> None:
    Base.metadata.create_all(engine=engine)  # expect: HAL201[engine]


def find_user(session: Session, user_id: int) -> Optional[User]:
    return session.get(User, id=user_id)  # expect: HAL201[id]


def count_domain(engine: sa.Engine, domain: str) -> int:
    with engine.connect() as conn:
        stmt = sa.text("SELECT count(*) FROM users WHERE email LIKE :pattern")
        return conn.execute(stmt, params={"pattern": f"%@{domain}"}).scalar_one()  # expect: HAL201[params]


def rename_users(session: Session, old: str, new: str) -> None:
    stmt = sa.text("UPDATE users SET name = :new WHERE name = :old")
    session.execute(stmt, parameters={"new": new, "old": old})  # expect: HAL201[parameters]
    session.commit()


# --- schemas ------------------------------------------------------------------------------------
class UserIn(BaseModel):
    email: str
    name: str = Field(min_length=1, max_length=120)
    age: Optional[int] = None

    @field_validator("name", pre=True)  # expect: HAL201[pre]
    @classmethod
    def strip_name(cls, value: str) -> str:
        return value.strip()

    @field_validator("age", always=True)  # expect: HAL201[always]
    @classmethod
    def check_age(cls, value: Optional[int]) -> Optional[int]:
        return value

    @model_validator(pre=True)  # expect: HAL201[pre]
    @classmethod
    def fill_defaults(cls, data: dict) -> dict:
        return data


class UserOut(BaseModel):
    id: int
    email: str
    name: Optional[str] = None
    created: Optional[datetime] = None


def to_payload(user: UserOut) -> dict:
    return user.model_dump(exclude_nulls=True)  # expect: HAL201[exclude_nulls]


def to_json_payload(user: UserOut) -> dict:
    return user.model_dump("json")  # expect: HAL202["json"]


def to_pretty_json(user: UserOut) -> str:
    return user.model_dump_json(pretty=True)  # expect: HAL201[pretty]


def parse_user(data: dict) -> UserOut:
    return UserOut.model_validate(data, allow_extra=True)  # expect: HAL201[allow_extra]


def rename(user: UserOut, name: str) -> UserOut:
    return user.model_copy(updates={"name": name})  # expect: HAL201[updates]


def parse_ids(raw: list) -> list:
    return TypeAdapter(list[int], strict=True).validate_python(raw)  # expect: HAL201[strict]
