"""Uses the local package `pkg` through every import style."""

import pkg
import pkg.sub.helpers
from pkg import Engine, make_engine
from pkg.core import Engine as CoreEngine
from pkg.sub import slugify


def main() -> None:
    engine = make_engine("Main Engine")
    print(engine.describe(), engine.slug, Engine is CoreEngine, pkg.__version__)
    print(pkg.core.make_engine("x").name, pkg.sub.helpers.slugify("A B"), slugify("C D"))
    print(pkg.constants.SEPARATOR, pkg.sub.slugify("E"), pkg.Engine().name, pkg.__all__)


if __name__ == "__main__":
    main()
