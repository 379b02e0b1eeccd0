"""Helper processes that end with the process that started them.

A worker process (``workers=N``), and a Dask nanny and worker of the local cluster a
run starts, run :func:`watch_parent` when they start: a daemon thread that checks
every half second whether the process's parent is still the one it started under. A
parent killed with ``kill -9`` cannot stop its helpers; they notice that they were
handed to another parent (``init`` or a subreaper) and exit at once, so none outlives
it by more than a second. (The multiprocessing resource tracker then sees its pipe
close and exits too.)

As a Dask preload module (``preload=["tempdata.core.watchdog"]``) its
:func:`dask_setup` starts the same watch in the nanny or worker that loads it.
"""

from __future__ import annotations

import os
import threading
from typing import Any

__all__ = ["dask_setup", "watch_parent"]

_INTERVAL = 0.5
_started: set[int] = set()


def _watch(parent: int) -> None:
    stop = threading.Event()
    while not stop.wait(_INTERVAL):
        if os.getppid() != parent:
            os._exit(1)  # no cleanup to wait for: the run that needed this is gone


def watch_parent() -> None:
    """Exit this process within a second of its parent's death (once per process)."""
    pid = os.getpid()
    if pid in _started:
        return
    _started.add(pid)
    thread = threading.Thread(
        target=_watch, args=(os.getppid(),), name="tempdata-watchdog", daemon=True
    )
    thread.start()


def dask_setup(service: Any = None) -> None:
    """Dask's preload hook: watch the parent of the nanny or worker loading this."""
    watch_parent()
