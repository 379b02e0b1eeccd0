"""Chunks generated in worker processes, handed back in order (``workers=N``).

A chunk is a pure function of the run's settings and its index (DESIGN §2), so
workers need only the settings: each builds its own planner once per run (cached by
the settings' fingerprint) and returns chunk ``i`` as Arrow IPC bytes. The parent
keeps at most ``2 × workers`` chunks in flight and yields them in index order, so the
writers see exactly the sequential stream and the output is byte-identical.

Workers are spawned, never forked: a forked Polars thread pool can deadlock. The pool
is kept for the process's later runs (starting one costs about a second: each worker
imports Polars and NumPy). Each
worker's Polars uses ``cpu_count // workers`` threads, so N workers do not ask for N
times the machine.
"""

from __future__ import annotations

import atexit
import hashlib
import io
import multiprocessing
import os
import pickle
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.reduction import ForkingPickler
from types import MappingProxyType
from typing import Any

from tempdata.core.watchdog import watch_parent
from tempdata.errors import GenerationError, InvalidParameterError

__all__ = ["MAX_WORKERS", "check_workers", "parallel_chunks"]

MAX_WORKERS = 256


# Datasets keep read-only mappings (parameters, parents); send them as plain dicts,
# rebuilt as read-only on arrival. Registered with multiprocessing's pickler only, so
# pickling elsewhere in the user's process is unchanged.
def read_only(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(mapping)


ForkingPickler.register(MappingProxyType, lambda m: (read_only, (dict(m),)))
_pools: dict[int, ProcessPoolExecutor] = {}
_lock = threading.Lock()


def check_workers(workers: object) -> int:
    """``workers`` as an int from 1 to :data:`MAX_WORKERS`, or a one-line error."""
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= MAX_WORKERS:
        msg = f"workers must be a whole number from 1 to {MAX_WORKERS}, got {workers!r}"
        raise InvalidParameterError(msg)
    return workers


def _context() -> Any:
    # spawn, not forkserver: a forkserver outlives a terminated parent and prints
    # tracebacks about it; spawned workers stop with the pool.
    return multiprocessing.get_context("spawn")


def _init_worker(threads: int) -> None:
    import signal

    # Ctrl-C reaches the whole process group: the parent handles it (it stops the run
    # and removes its temporary files); a running worker only finishes its chunk. (A
    # Ctrl-C while the workers are still starting, before this, can print their
    # KeyboardInterrupt tracebacks.)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A parent killed outright cannot stop its workers: they stop themselves.
    watch_parent()
    # Before Polars is imported in this process: its thread pool reads this once.
    os.environ.setdefault("POLARS_MAX_THREADS", str(threads))
    # The workers are the parallelism: each builds one chunk at a time.
    os.environ.setdefault("TEMPDATA_THREADS", "1")


def _ready() -> int:
    return os.getpid()


#: Why a script's workers could not start: it runs its call again in each worker.
UNGUARDED = (
    "workers= starts processes that import your script again, and its top level asked "
    "for workers once more: put the script's work under "
    '`if __name__ == "__main__":` (see the README, Scale)'
)


def _importing_main() -> bool:
    """Whether this is a spawned worker still importing the parent's main script (the
    call that asked for workers runs again there, at the script's top level)."""
    return bool(getattr(multiprocessing.current_process(), "_inheriting", False))


def _unguarded_main() -> bool:
    """Whether the parent runs a script whose top level is not guarded by
    ``if __name__ == "__main__":`` (so its workers re-run it and die)."""
    import re
    import sys

    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or path is None or getattr(main, "__spec__", None) is not None:
        return False
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            source = fh.read()
    except OSError:
        return False
    return re.search(r"""if\s+__name__\s*==\s*['"]__main__['"]""", source) is None


def _pool(workers: int) -> ProcessPoolExecutor:
    if _importing_main():
        # Quietly: the parent says what to do, in one line (a traceback here would
        # print once per worker).
        raise SystemExit(3)
    with _lock:
        pool = _pools.get(workers)
        if pool is None:
            pool = _start(workers)
            _pools[workers] = pool
        return pool


def _start(workers: int) -> ProcessPoolExecutor:
    """A pool with its workers running (each has imported what a chunk needs)."""
    threads = max(1, (os.cpu_count() or 1) // workers)
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_context(),
        initializer=_init_worker,
        initargs=(threads,),
    )
    try:
        for future in [pool.submit(_ready) for _ in range(workers)]:
            future.result()
    except BrokenProcessPool:
        pool.shutdown(wait=True, cancel_futures=True)
        if _unguarded_main():
            raise InvalidParameterError(UNGUARDED) from None
        msg = "the worker processes could not start (one exited at once); try workers=1"
        raise GenerationError(msg) from None
    return pool


def _discard(workers: int, *, wait: bool = False) -> None:
    with _lock:
        pool = _pools.pop(workers, None)
    if pool is not None:
        pool.shutdown(wait=wait, cancel_futures=True)


@atexit.register
def _shutdown() -> None:
    # Wait for the workers to stop, so none outlives this process.
    for workers in list(_pools):
        _discard(workers, wait=True)


# ------------------------------------------------------------------- in a worker

_planners: dict[str, Any] = {}


def _planner(spec: bytes, key: str) -> Any:
    planner = _planners.get(key)
    if planner is None:
        from tempdata.api import _prepare

        name, kwargs, tables = pickle.loads(spec)
        catalogue = None
        if tables:
            from tempdata.datasets import registry

            def catalogue(n: str) -> Any:
                return tables[n] if n in tables else registry.get(n)

        planner, _ = _prepare(name, catalogue=catalogue, **kwargs)
        _planners.clear()  # one run at a time per worker
        _planners[key] = planner
    return planner


def _chunk(spec: bytes, key: str, index: int) -> bytes:
    frame = _planner(spec, key).chunk(index)
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="uncompressed")
    return buffer.getvalue()


def _encoded(
    spec: bytes, key: str, index: int, encodings: tuple[str, ...], first: bool
) -> tuple[int, dict[str, bytes]]:
    from tempdata.export._stream import encode

    frame = _planner(spec, key).chunk(index)
    return frame.height, {e: encode(frame, e, first=first) for e in encodings}


def _write_part(
    spec: bytes, key: str, chunks: tuple[int, ...], targets: Any, metadata: dict[str, str]
) -> int:
    from tempdata.core.threads import serial
    from tempdata.export.parts import write_part

    planner = _planner(spec, key)
    with serial():  # a worker process or a Dask task: the workers are the parallelism
        write_part(planner.chunks(chunks), planner.schema, targets, metadata)
    return len(chunks)


# ------------------------------------------------------------------ in the parent


def parallel_parts(
    name: Any,
    kwargs: Mapping[str, Any],
    tables: Mapping[str, Any] | None,
    jobs: list[tuple[tuple[int, ...], Any]],
    metadata: dict[str, str],
    workers: int,
) -> None:
    """Each job (chunks, part files) written by a worker process; all of them or an
    error (:class:`~tempdata.errors.GenerationError` if a worker dies)."""
    spec = bytes(ForkingPickler.dumps((name, dict(kwargs), dict(tables or {}))))
    key = hashlib.sha256(spec).hexdigest()
    pool = _pool(workers)
    futures = [pool.submit(_write_part, spec, key, chunks, t, metadata) for chunks, t in jobs]
    try:
        for future in futures:
            future.result()
    except BrokenProcessPool as exc:
        _discard(workers)
        msg = f"a worker process died while writing parts ({exc}); nothing was kept"
        raise GenerationError(msg) from None
    finally:
        for future in futures:
            future.cancel()


def parallel_chunks(
    name: Any,
    kwargs: Mapping[str, Any],
    chunks: Iterable[int],
    workers: int,
    tables: Mapping[str, Any] | None = None,
    *,
    encodings: tuple[str, ...] = (),
    make: Callable[[int], Any] | None = None,
) -> Iterator[Any]:
    """Chunk frames of ``_prepare(name, **kwargs)`` from ``workers`` processes, in order.

    ``tables`` are the datasets a plan defines (its parents are looked up there first).
    With ``encodings`` (:data:`~tempdata.export._stream.ENCODINGS`) the workers encode
    each chunk for its files and send only the bytes, yielded as
    :class:`~tempdata.export._stream.Encoded` (``make(i)`` builds chunk ``i``'s frame
    here, for whoever asks for it); the parent then only writes. A worker that dies
    raises :class:`~tempdata.errors.GenerationError`.
    """
    import polars as pl

    from tempdata.export._stream import Encoded

    spec = bytes(ForkingPickler.dumps((name, dict(kwargs), dict(tables or {}))))
    key = hashlib.sha256(spec).hexdigest()
    pool = _pool(workers)
    todo = iter(enumerate(chunks))
    pending: deque[tuple[int, Future[Any]]] = deque()

    def submit(position: int, index: int) -> tuple[int, Future[Any]]:
        if encodings:
            return index, pool.submit(_encoded, spec, key, index, encodings, position == 0)
        return index, pool.submit(_chunk, spec, key, index)

    def result(index: int, data: Any) -> Any:
        if not encodings:
            return pl.read_ipc(io.BytesIO(data))
        height, encoded = data
        assert make is not None, "encoded chunks need make() for their frames"
        return Encoded(height, encoded, lambda: make(index))

    try:
        for position, index in todo:
            pending.append(submit(position, index))
            if len(pending) >= 2 * workers:
                break
        while pending:
            index, future = pending.popleft()
            data = future.result()
            for position, later in todo:  # keep the window full
                pending.append(submit(position, later))
                break
            yield result(index, data)
    except BrokenProcessPool as exc:
        _discard(workers)
        msg = f"a worker process died while generating chunks ({exc}); nothing was kept"
        raise GenerationError(msg) from None
    finally:
        for _, future in pending:
            future.cancel()
