"""Questions to jedi's helper process -> answers remembered, where they cannot go stale.

jedi asks a subprocess of the target interpreter where modules are and what literals are; each
question is a round trip. Where a module is found and what a literal is are asked once per
process, not once per checked file; a module not found is looked for again, and one found is
read from its file as it is now. A literal's value is made once per file, and its value is
known without asking. The rows that install these are in
:mod:`~halluc_check.jedi_compat.patches`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from jedi.file_io import FileIO, KnownContentFileIO
from jedi.inference.compiled.subprocess import AccessHandle

from .originals import Original

STATE_GETATTR = Original()
"""jedi's ``InferenceStateSubprocess.__getattr__``."""
SIMPLE_OBJECT = Original()
"""jedi's ``jedi.inference.compiled.create_simple_object``."""
SIMPLE_OBJECTS = "_halluc_simple_objects"
"""The key, in an inference state's ``__dict__``, of the literal values made for it."""

#: questions to jedi's helper process whose answer depends only on their arguments
_SETTLED_QUESTIONS = frozenset({"safe_literal_eval", "get_module_info"})
_NOT_ASKED = object()


def helper_question(self: Any, name: str) -> Any:
    """jedi's round trip to its helper process, answered from memory when asked before.

    Every checked file gets a fresh inference state, and each asked the helper again where
    every import is (``get_module_info``) and what every literal is (``safe_literal_eval``):
    thousands of round trips, a tenth of a run. A literal's value never changes; a module that
    was found is asked for again only when its file is gone, and "not found" is never
    remembered (a package installed meanwhile is found). Answered from memory, the question
    does not count as a use of the helper by this inference state."""
    ask = STATE_GETATTR.function(self, name)
    if name not in _SETTLED_QUESTIONS:
        return ask
    answers: dict[Any, Any] = self._compiled_subprocess.__dict__.setdefault("_halluc_answers", {})

    def remembered(*args: Any, **kwargs: Any) -> Any:
        key = (name, args, _frozen(kwargs))
        try:
            answer = answers.get(key, _NOT_ASKED)
        except TypeError:  # an argument that cannot be a key
            return ask(*args, **kwargs)
        if answer is not _NOT_ASKED:
            if name == "safe_literal_eval" or _still_there(answer):
                return answer
            del answers[key]
        answer = ask(*args, **kwargs)
        if name == "safe_literal_eval":
            answers[key] = answer
        elif answer[1] is not None and _still_there(answer):
            found = answer[0]
            if isinstance(found, KnownContentFileIO):
                # the module's text as it was then: remembered, it would hide later edits
                found = FileIO(found.path)
            answers[key] = (found, answer[1])
        return answer

    return remembered


def _frozen(kwargs: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()))


def _still_there(module_info: Any) -> bool:
    """Whether a module found before is still where it was found."""
    path = getattr(module_info[0], "path", None)
    return path is None or os.path.exists(path)


def simple_object_once(inference_state: Any, obj: Any) -> Any:
    """jedi's value of a literal (``'utf-8'``, ``0``), made once per inference state: each was
    a round trip to the helper process, then another to read it back."""
    objects: dict[Any, Any] = inference_state.__dict__.setdefault(SIMPLE_OBJECTS, {})
    key = (type(obj), obj)
    try:
        return objects[key]
    except KeyError:
        value = objects[key] = SIMPLE_OBJECT.function(inference_state, obj)
        _answer_safe_value(value, obj)
        return value
    except TypeError:  # a slice: not hashable
        return SIMPLE_OBJECT.function(inference_state, obj)


#: Types whose value jedi's helper process gives back as it is (``get_safe_value``).
_SAFE_VALUE_TYPES = (bool, bytes, float, int, str)
_CACHED_RESULTS = AccessHandle._cached_results.__wrapped__


def _answer_safe_value(value: Any, obj: Any) -> None:
    """A literal's value is the object it was made from: put it where jedi looks for the helper
    process's answers, instead of asking the helper for it (about one round trip in six)."""
    if type(obj) not in _SAFE_VALUE_TYPES:
        return
    handle = getattr(getattr(value, "_compiled_value", None), "access_handle", None)
    if not isinstance(handle, AccessHandle):
        return
    answers = handle.__dict__.setdefault("_memoize_method_dct", {}).setdefault(_CACHED_RESULTS, {})
    answers.setdefault((("get_safe_value",), frozenset()), obj)
