"""Temporary files and folders named for their owner, and the reclaiming of those
whose owner died.

A run writes every file under a temporary name beside its target (and keeps its
lookup stores in a temporary folder), named ``.td-<pid>-<host>-<8 hex>.tmp``
(``host``: four hex digits of a hash of the host name): short, so a target name of
the longest legal length still has room beside it, and telling which process on
which host owns it. A run that is killed cannot remove its own; the next run that
writes to the same folder does (:func:`reclaim`), once their owner on this host is
gone: its pid no longer runs, or runs a process that started after the temporary was
last written (the pid was reused). Those of live runs and of other hosts stay.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import socket
import tempfile
import uuid
from functools import cache
from pathlib import Path

__all__ = ["TEMP_PREFIX", "reclaim", "temp_folder", "temp_path"]

TEMP_PREFIX = ".td-"
_SUFFIX = ".tmp"


@cache
def _host() -> str:
    return hashlib.sha1(socket.gethostname().encode(), usedforsecurity=False).hexdigest()[:4]


def temp_path(target: Path) -> Path:
    """A fresh temporary name beside ``target``, owned by this process."""
    return target.with_name(f"{TEMP_PREFIX}{os.getpid()}-{_host()}-{uuid.uuid4().hex[:8]}{_SUFFIX}")


def temp_folder() -> Path:
    """A fresh temporary folder in the system's temporary directory, owned by this
    process (what earlier runs killed there left is reclaimed first)."""
    base = Path(tempfile.gettempdir())
    reclaim(base)
    folder = temp_path(base / "x")
    folder.mkdir(mode=0o700)
    return folder


def _owner(name: str) -> int | None:
    """The pid of a temporary of this host named ``name``, else ``None``."""
    if not (name.startswith(TEMP_PREFIX) and name.endswith(_SUFFIX)):
        return None
    parts = name[len(TEMP_PREFIX) : -len(_SUFFIX)].split("-")
    if len(parts) != 3 or parts[1] != _host() or not parts[0].isdigit():
        return None
    return int(parts[0])


def _started(pid: int) -> float | None:
    """When process ``pid`` started (seconds since the epoch), if ``/proc`` says."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        boot = next(
            float(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime ")
        )
        return boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def _gone(pid: int, written: float) -> bool:
    """Whether the process that last wrote a temporary at ``written`` has ended."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # another user's process runs with that pid
        pass
    started = _started(pid)
    # alive: the owner only if it started before it last wrote (2 s of clock slack)
    return started is not None and started > written + 2.0


def reclaim(folder: Path) -> list[Path]:
    """Remove the temporaries in ``folder`` whose owner on this host is gone; returns
    them. Those of live runs, of other hosts and anything else are left alone."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        pid = _owner(entry.name)
        if pid is None:
            continue
        try:
            written = entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if not _gone(pid, written):
            continue
        path = Path(entry.path)
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    return removed
