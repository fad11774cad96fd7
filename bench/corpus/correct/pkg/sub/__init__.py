from .helpers import slugify as slugify

__all__ = ["slugify"]
