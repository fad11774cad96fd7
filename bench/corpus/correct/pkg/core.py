from . import constants
from .sub.helpers import slugify


class Engine:
    def __init__(self, name: str = constants.DEFAULT_NAME) -> None:
        self.name = name
        self.slug = slugify(name)

    def describe(self) -> str:
        return f"{self.name} ({self.slug})"


def make_engine(name: str) -> Engine:
    return Engine(name)
