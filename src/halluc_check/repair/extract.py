"""A chat model's answer -> the Python code in it (fenced or plain), and code -> its key for loops."""

from __future__ import annotations

import re

import libcst as cst

_FENCE = re.compile(
    r"^(?P<indent>[ \t]{0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)\n"
    r"(?P<body>.*?)"
    r"^(?P=indent)(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
_THINKING = re.compile(r"<think(?:ing)?>.*?</think(?:ing)?>", re.DOTALL | re.IGNORECASE)
_PYTHON_TAGS = frozenset({"", "python", "py", "python3", "py3", "pycon"})


def extract_code(answer: str) -> str | None:
    """The Python code in a model's answer, or None when it holds none.

    A fenced block tagged ``python``/``py`` (or untagged) wins; of several, the longest. An answer
    without fences counts as code when it parses as Python and is more than a bare word or
    literal (``Done``). Reasoning sections (``<think>...</think>``) are left out first.
    """
    text = _THINKING.sub("", answer).replace("\r\n", "\n")
    blocks = [
        m.group("body")
        for m in _FENCE.finditer(text)
        if m.group("info").strip().split(" ", 1)[0].lower() in _PYTHON_TAGS
    ]
    blocks = [b for b in blocks if b.strip()]
    if blocks:
        return _final_newline(max(blocks, key=len))
    if "```" in text:
        # an opened fence that never closes: the answer was cut off; take what follows it
        opening = re.search(r"^[ \t]{0,3}```[ \t]*(?:python|py|python3)?[ \t]*\n", text, re.M)
        if opening:
            body = text[opening.end() :]
            return _final_newline(body) if body.strip() else None
        return None
    stripped = text.strip()
    if not stripped or not _looks_like_code(stripped):
        return None
    return _final_newline(stripped)


def _looks_like_code(text: str) -> bool:
    try:
        module = cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return False
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            return True
        for small in statement.body:
            if not isinstance(small, cst.Expr):
                return True
            if not isinstance(small.value, (cst.Name, cst.BaseString, cst.Integer, cst.Float)):
                return True
    return False


def _final_newline(code: str) -> str:
    return code.rstrip() + "\n"


def normalized(code: str) -> str:
    """Code compared for loops: trailing spaces and blank lines at either end do not count."""
    return "\n".join(line.rstrip() for line in code.strip("\n").splitlines())
