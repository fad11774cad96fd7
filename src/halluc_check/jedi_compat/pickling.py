"""parso's parse caches -> safe to share between processes, cheaper to write, and kept while
jedi reads them.

Parse trees pickled on disk are written whole or not at all (a temporary file, then a rename),
and a pickle that cannot be read is a cache miss: parallel workers and concurrent runs share the
cache, and a half-written pickle read by another process made a library module unknown. A cache
folder that cannot be written costs the pickles, not the check. A tree is pickled with the
cyclic collector paused. A tree in parso's memory cache stays there (see :func:`keep_cache_item`). The rows that install these are in
:mod:`~halluc_check.jedi_compat.patches`.
"""

from __future__ import annotations

import gc
import logging
import pickle
from collections.abc import Callable
from typing import Any

import parso.cache as parso_cache

from ..cache import replace_atomically
from .originals import Original

LOG = logging.getLogger(__name__)

PICKLE_LOAD = Original()
"""parso's ``parso.cache._load_from_file_system``."""
CACHE_UPKEEP = Original()
"""parso's ``parso.cache._remove_cache_and_update_lock``."""


def load_pickled_tree(hashed_grammar: str, path: Any, p_time: float, cache_path: Any = None) -> Any:
    """parso's load of a pickled tree, where a truncated or unreadable pickle is a miss."""
    try:
        return PICKLE_LOAD.function(hashed_grammar, path, p_time, cache_path=cache_path)
    except Exception:
        LOG.debug("unreadable parse cache entry for %s: parsing again", path, exc_info=True)
        return None


def save_pickled_tree(hashed_grammar: str, path: Any, item: Any, cache_path: Any = None) -> None:
    """parso's save of a pickled tree, made atomic: readers see the old file or the new one."""
    hashed_path: Callable[..., str] = parso_cache._get_hashed_path
    try:
        target = hashed_path(hashed_grammar, path, cache_path=cache_path)
        replace_atomically(target, dumps_without_collections(item))
    except Exception:
        LOG.debug("parse cache entry for %s not written", path, exc_info=True)


def dumps_without_collections(item: Any) -> bytes:
    """``pickle.dumps`` with the cyclic collector paused: pickling a tree makes a short-lived
    tuple per node, and each collection they set off rescans the whole tree, just parsed."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return pickle.dumps(item, pickle.HIGHEST_PROTOCOL)
    finally:
        if paused:
            gc.enable()


def cache_upkeep(cache_path: Any = None) -> Any:
    """parso's clean-up of old pickles after a save; a cache folder that cannot be written or
    read is no reason to stop checking."""
    try:
        return CACHE_UPKEEP.function(cache_path=cache_path)
    except OSError:
        LOG.debug("parse cache clean-up skipped", exc_info=True)
        return False


def keep_cache_item(hashed_grammar: str, path: Any, module_cache_item: Any) -> None:
    """parso's ``_set_cache_item`` without its clean-up.

    Once 600 trees are cached, parso forgets those not used for ten minutes, and a tree read
    from a pickle counts as last used when its file was written. jedi asks the cache for the
    entry of a module it holds each time it lists that module's names, long after the parse:
    a run that had read many modules then failed on the next one with a ``KeyError``, or, once
    the file was parsed again, read the names of the other parse. Which trees were forgotten
    depended on what the process had checked before. The trees are held by the modules of the
    inference states anyway; the cache keeps them for the life of the process."""
    parso_cache.parser_cache.setdefault(hashed_grammar, {})[path] = module_cache_item
