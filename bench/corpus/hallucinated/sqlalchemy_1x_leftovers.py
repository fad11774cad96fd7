"""User store written with SQLAlchemy 1.x habits (and some Flask-SQLAlchemy/Django
mix-ins), linted against SQLAlchemy 2.x.

Removed in 2.0: implicit execution (`engine.execute`, `select(...).execute()`),
`engine.table_names()/has_table()/run_callable()`, `Select.apply_labels`,
`Table.exists`, `MetaData.bind`, `orm.relation`/`eagerload`, `sqlalchemy.Binary`,
`sqlalchemy.databases`.  `Model.query`/`paginate` are Flask-SQLAlchemy, `objects` is
Django, `instance.save()` is an ActiveRecord habit.
"""

import sqlalchemy as sa
from sqlalchemy import Binary, Column, Integer, String, create_engine, select  # expect: HAL002[Binary]
from sqlalchemy import orm
from sqlalchemy.databases import postgres  # expect: HAL001[sqlalchemy.databases]
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.orm import relation, eagerload  # expect: HAL002[relation], HAL002[eagerload]


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    avatar = Column(Binary)


engine = create_engine("sqlite:///users.db", echo=False)
metadata = sa.MetaData()
legacy = sa.Table("legacy_users", metadata, Column("id", Integer, primary_key=True))


def setup() -> None:
    if not engine.has_table("users"):  # expect: HAL101[has_table]
        Base.metadata.create_all(engine)
    print(engine.table_names())  # expect: HAL101[table_names]
    if not legacy.exists(engine):  # expect: HAL101[exists]
        metadata.create_all(engine)
    print(metadata.bind)  # expect: HAL101[bind]


def count_users() -> int:
    result = engine.execute("SELECT count(*) FROM users")  # expect: HAL101[execute]
    return result.scalar()


def names() -> list:
    stmt = select(User.name).apply_labels()  # expect: HAL101[apply_labels]
    return [row[0] for row in stmt.execute()]


def names_implicit() -> list:
    stmt = select(User.name).where(User.id > 0)
    return stmt.execute().fetchall()  # expect: HAL101[execute]


def version() -> str:
    return engine.run_callable(lambda conn: conn.dialect.server_version_info)  # expect: HAL101[run_callable]


def add_user(name: str) -> None:
    with Session(engine) as session:
        session.save(User(name=name))  # expect: HAL101[save]
        session.commit()


def upsert_user(name: str) -> None:
    session = Session(engine)
    session.save_or_update(User(name=name))  # expect: HAL101[save_or_update]
    session.commit()


def find(name: str):
    return User.query.filter_by(name=name).first()  # expect: HAL101[query]


def find_django(name: str):
    return User.objects.filter(name=name)  # expect: HAL101[objects]


def by_id(user_id: int):
    return User.get(user_id)  # expect: HAL101[get]


def page(number: int):
    with Session(engine) as session:
        return session.query(User).paginate(page=number, per_page=20)  # expect: HAL101[paginate]


def persist(user: User) -> None:
    user.save()  # expect: HAL101[save]


def preload():
    with Session(engine) as session:
        return session.query(User).options(orm.eagerload("avatar")).all()  # expect: HAL101[eagerload]


def main() -> None:
    setup()
    add_user("ann")
    print(count_users(), names(), postgres, relation, eagerload)


if __name__ == "__main__":
    main()
