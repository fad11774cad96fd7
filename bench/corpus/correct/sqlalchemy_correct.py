"""SQLAlchemy 2.x ORM/Core code run against in-memory SQLite.

Row objects expose columns as attributes (`row.name`), models expose mapped columns as
class attributes (`User.name`), and the legacy `Session.query` API still exists.
"""

from sqlalchemy import ForeignKey, String, create_engine, func, inspect, select, text
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, selectinload


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    posts: Mapped[list["Post"]] = relationship(back_populates="author")

    def __repr__(self) -> str:
        return f"User({self.name!r})"


class Post(Base):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    author: Mapped[User] = relationship(back_populates="posts")


def main() -> None:
    engine = create_engine("sqlite://", echo=False)
    Base.metadata.create_all(engine)
    print(inspect(engine).get_table_names(), User.__table__.c.name.type, User.__tablename__, engine.dialect.name)

    with Session(engine) as session:
        ann = User(name="ann", posts=[Post(title="hello"), Post(title="again")])
        session.add(ann)
        session.add_all([User(name="bob")])
        session.commit()
        session.refresh(ann)
        print(ann.id, ann.posts[0].author.name)

        users = session.scalars(select(User).where(User.name.like("a%")).options(selectinload(User.posts))).all()
        print(users, users[0].posts[1].title)
        count = session.execute(select(func.count()).select_from(Post)).scalar_one()
        legacy = session.query(User).filter_by(name="bob").first()
        print(count, legacy.name, session.get(User, 1).name)

        for row in session.execute(select(User.id, User.name).order_by(User.id)):
            print(row.id, row.name, row._mapping["name"], row._asdict())

    with engine.connect() as conn:
        result = conn.execute(text("SELECT name FROM users WHERE id = :id"), {"id": 1})
        print(result.scalar_one_or_none(), conn.exec_driver_sql("SELECT 1").fetchall())
        print(conn.execute(select(User.name)).mappings().all())

    with engine.begin() as conn:
        conn.execute(User.__table__.update().where(User.__table__.c.id == 2).values(name="rob"))
    engine.dispose()


if __name__ == "__main__":
    main()
