import re

from ..constants import SEPARATOR


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", SEPARATOR, text.lower()).strip(SEPARATOR)
