"""A resolved callee -> the keyword names and positional count it accepts, through ``**kwargs``.

Accepted names are the union over every overload (and the implementation). A ``**kwargs``
parameter is followed when the body only forwards it (``return request("get", url, **kwargs)``,
``cls(**kw)``, ``super().__init__(**kwargs)``) or reads literal keys from it
(``kwargs.pop("x")``); ``**kw: Unpack[TypedDict]`` contributes the TypedDict's keys. Whenever
a path stays open (an unknown callee, a compiled function, ``kwargs`` used any other way, a
signature-changing decorator, a class with a metaclass or ``dataclass_transform``) the answer
is None: nothing can be proven.
"""

from __future__ import annotations

from .resolver import SignatureResolver

__all__ = ["SignatureResolver"]
