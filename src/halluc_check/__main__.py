"""``python -m halluc_check``."""

from __future__ import annotations

from .cli import console_main

if __name__ == "__main__":  # worker processes import this module too
    console_main()
