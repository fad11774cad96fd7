"""The language server (``halluc-check server``): open documents -> LSP diagnostics and fixes.

Its modules load only for that command; pygls and lsprotocol come with the ``server`` extra
(``pip install 'halluc-check[server]'``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def run(argv: Sequence[str]) -> int:
    """``halluc-check server [--stdio]``: serve one client over stdin and stdout."""
    try:
        from .app import main
    except ImportError as exc:
        if (exc.name or "").split(".")[0] not in ("pygls", "lsprotocol", "cattrs"):
            raise
        print(
            "error: `halluc-check server` needs pygls and lsprotocol: "
            "pip install 'halluc-check[server]'",
            file=sys.stderr,
        )
        return 2
    return main(argv)
