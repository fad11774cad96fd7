"""Small package exercising relative imports and package re-exports."""

from . import sub
from .core import Engine, make_engine

__all__ = ["Engine", "make_engine", "sub", "__version__"]
__version__ = "0.1.0"
