"""A cache that threads share: the first call for a key computes it once.

``functools.cache`` lets two threads that miss at the same moment both compute the
value, and chunks are built on several threads (:mod:`tempdata.core.threads`): a
table of the world's cities or a country's calendar model built twice at once costs
the time and, at the peak, the memory of two. ``shared_cache`` holds one lock per
function while it looks up or computes, so the others wait for the first.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar, cast

__all__ = ["shared_cache"]

F = TypeVar("F", bound=Callable[..., Any])


def shared_cache(maxsize: int | None = None) -> Callable[[F], F]:
    """``functools.lru_cache(maxsize)`` for the decorated function, computed once per
    key whatever the threads (``None``: every key is kept)."""

    def decorate(fn: F) -> F:
        cached = functools.lru_cache(maxsize=maxsize)(fn)
        lock = threading.RLock()  # re-entrant: a value may need another key's

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with lock:
                return cached(*args, **kwargs)

        wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return cast(F, wrapper)

    return decorate
