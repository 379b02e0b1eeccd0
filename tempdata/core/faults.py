"""Fault injection for tests: a process that kills itself at a named point.

``TEMPDATA_FAULT=<point>:<n>[:<signal>[:main]]`` makes the process send itself
``signal`` (``KILL`` by default; ``TERM``, ``INT`` ...) the ``n``-th time (from 1) it
passes ``point``, after writing one line to standard error saying so. The processes a
run starts (workers, a Dask cluster's) inherit the variable; ``main`` limits the fault
to the first process, the one the variable was given to. The points:

- ``chunk``: a chunk was built (in the process that builds it: a worker, with
  ``workers=``);
- ``publish``: a complete temporary file or folder is about to be published;
- ``manifest``: a plan's files are all written and its manifest is about to be.

Tests kill runs this way at seeded, logged places, never after a sleep. Without the
variable a point costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from functools import cache

from tempdata.errors import InvalidParameterError

__all__ = ["POINTS", "fault_point"]

POINTS = ("chunk", "publish", "manifest")
_VARIABLE = "TEMPDATA_FAULT"
_MAIN = "TEMPDATA_FAULT_MAIN"
_seen: dict[str, int] = {}
_lock = threading.Lock()
if os.environ.get(_VARIABLE) and not os.environ.get(_MAIN):
    # The first process to import this is the main one; the processes it starts
    # inherit the mark (set before any of them can be started).
    os.environ[_MAIN] = str(os.getpid())


@cache
def _plan(spec: str) -> tuple[str, int, signal.Signals, bool] | None:
    if not spec:
        return None
    parts = spec.split(":")
    # <point>:<n>, then the signal (KILL) and the scope (any) where left out
    padded = [*parts, "KILL", "any"][:4] if len(parts) == 2 else [*parts, "any", "", ""]
    point, count, name, scope = padded[:4]
    if (
        len(parts) not in (2, 3, 4)
        or point not in POINTS
        or not count.isdigit()
        or int(count) < 1
        or scope not in ("any", "main")
    ):
        msg = (
            f"{_VARIABLE}={spec!r} must be <point>:<n>[:<signal>[:main]] with a point among "
            f"{', '.join(POINTS)} and n >= 1, e.g. chunk:3:KILL"
        )
        raise InvalidParameterError(msg)
    try:
        sig = signal.Signals[f"SIG{name.upper()}"]
    except KeyError:
        msg = f"{_VARIABLE}={spec!r}: unknown signal {name!r} (e.g. KILL, TERM, INT)"
        raise InvalidParameterError(msg) from None
    return point, int(count), sig, scope == "main"


def fault_point(point: str) -> None:
    """Pass ``point``; the process kills itself here if ``TEMPDATA_FAULT`` says so."""
    plan = _plan(os.environ.get(_VARIABLE, ""))
    if plan is None or plan[0] != point:
        return
    if plan[3] and os.environ.get(_MAIN) != str(os.getpid()):
        return  # a process the run started, not the main one
    with _lock:
        _seen[point] = _seen.get(point, 0) + 1
        hit = _seen[point] == plan[1]
    if hit:
        sys.stderr.write(
            f"tempdata: fault injected: {plan[2].name} at {point} {plan[1]} (pid {os.getpid()})\n"
        )
        sys.stderr.flush()
        os.kill(os.getpid(), plan[2])
