"""Why a callee's signature cannot be decided: the exceptions its analysis raises."""

from __future__ import annotations


class OpenPath(Exception):
    """Some path of the signature cannot be decided."""


class UnknownSignature(OpenPath):
    """The signature itself is not trustworthy (a ``**kwargs`` in a stub or in a callee
    without source): neither the keywords nor the positional count can be decided."""
