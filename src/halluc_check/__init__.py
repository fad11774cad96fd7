"""halluc-check: find the imports, attributes and methods that generated code made up."""

from __future__ import annotations

from .api import check_paths, check_source
from .config import Config
from .model import Confidence, Finding, Result, Severity, Span, Suggestion
from .version import __version__

__all__ = [
    "Confidence",
    "Config",
    "Finding",
    "Result",
    "Severity",
    "Span",
    "Suggestion",
    "__version__",
    "check_paths",
    "check_source",
]
