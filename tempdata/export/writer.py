"""The multi-sink writer: each chunk generated once, written to every requested format.

With one target the chunks flow straight into its sink. With several, a producer
thread generates each chunk once and hands it to one bounded queue per sink; each
sink runs in its own thread, so a slow writer (Excel) holds the producer back instead
of letting chunks pile up in memory.

Writes are atomic: every sink writes to a temporary file beside its target, and the
targets are renamed into place only when all of them succeeded. A failed or
interrupted run leaves no partial file and never damages a file that was there.
"""

from __future__ import annotations

import contextlib
import errno
import os
import queue
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import polars as pl

from tempdata.core.tempfiles import reclaim, temp_path
from tempdata.errors import ExportError, FileSystemError, InvalidParameterError, TempDataError
from tempdata.export._stream import Encoded
from tempdata.export.files import TargetExistsError, publish
from tempdata.export.formats import STDOUT_FORMATS, Target

__all__ = ["IF_EXISTS", "Written", "write"]

IF_EXISTS = ("replace", "error", "skip")
_QUEUE_DEPTH = 2
_DONE = object()


@dataclass(frozen=True)
class Written:
    """A target and whether it was written (False: skipped because it existed)."""

    target: Target
    written: bool


def _sink(
    target: Target, schema: pl.Schema, dest: Path | BinaryIO, options: Mapping[str, object]
) -> Callable[[Iterator[pl.DataFrame]], None]:
    fmt = target.format
    metadata = options.get("metadata") or {}
    if fmt == "parquet":
        from tempdata.export.parquet import write_parquet

        assert isinstance(dest, Path)
        return lambda chunks: write_parquet(chunks, schema, dest, metadata)  # type: ignore[arg-type]
    if fmt == "csv":
        from tempdata.export.csv import write_csv

        return lambda chunks: write_csv(chunks, schema, dest, compressed=target.compressed)
    if fmt == "ndjson":
        from tempdata.export.json import write_ndjson

        return lambda chunks: write_ndjson(chunks, schema, dest)
    if fmt == "json":
        from tempdata.export.json import write_json

        assert isinstance(dest, Path)
        return lambda chunks: write_json(chunks, schema, dest)
    if fmt == "excel":
        from tempdata.export.excel import EXCEL_MAX_DATA_ROWS, write_excel

        assert isinstance(dest, Path)
        limit = int(options.get("max_rows_per_sheet") or EXCEL_MAX_DATA_ROWS)  # type: ignore[call-overload]
        sheet = str(options.get("sheet") or "data")
        return lambda chunks: write_excel(
            chunks, schema, dest, sheet=sheet, max_rows_per_sheet=limit
        )
    if fmt == "geojson":
        from tempdata.export.geojson import write_geojson

        assert isinstance(dest, Path)
        return lambda chunks: write_geojson(chunks, schema, dest)
    msg = f"no writer for format {fmt!r}"
    raise AssertionError(msg)


def _prepare_dir(path: Path) -> None:
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"cannot create output directory {str(parent)!r}: {exc.strerror or exc}"
        raise FileSystemError(msg) from exc
    if not parent.is_dir():
        msg = f"output directory {str(parent)!r} is not a directory"
        raise FileSystemError(msg)
    if path.is_dir():
        msg = f"output path {str(path)!r} is a directory; give a file name"
        raise FileSystemError(msg)


def _publish_all(temps: dict[Target, Path], if_exists: str, result: list[Written]) -> None:
    """Publish every written temporary, all or nothing: if one fails (or the run is
    interrupted between two), the ones this call published go again and the files
    they replaced come back (kept as hard links until all are in place). Under
    ``error`` none may replace a file another run published meanwhile; under ``skip``
    such a file is left and counted as skipped."""
    published: list[tuple[Path, Path | None]] = []  # (target, the replaced file's link)
    try:
        for t, tmp in temps.items():
            assert t.path is not None
            backup = None
            if if_exists == "replace" and len(temps) > 1 and t.path.exists():
                backup = temp_path(t.path)
                try:
                    os.link(t.path, backup)
                except OSError:  # no hard links here: this one cannot be undone
                    backup = None
            try:
                publish(tmp, t.path, replace=if_exists == "replace")
            except TargetExistsError:
                if backup is not None:
                    backup.unlink(missing_ok=True)
                if if_exists != "skip":
                    raise
                tmp.unlink(missing_ok=True)
                at = next(i for i, w in enumerate(result) if w.target == t)
                result[at] = Written(t, False)
                continue
            except BaseException:  # interrupted while publishing this one
                if backup is not None:
                    backup.unlink(missing_ok=True)
                raise
            published.append((t.path, backup))
    except BaseException:
        for path, backup in reversed(published):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, path)
                else:
                    path.unlink()
        raise
    for _, backup in published:
        if backup is not None:
            backup.unlink(missing_ok=True)


class _Cancelled(Exception):
    pass


def _tee(
    chunks: Iterator[pl.DataFrame],
    sinks: Sequence[Callable[[Iterator[pl.DataFrame]], None]],
    on_chunk: Callable[[pl.DataFrame], None] | None,
) -> None:
    """Run every sink in its own thread, feeding each chunk once through bounded queues."""
    queues: list[queue.Queue[object]] = [queue.Queue(_QUEUE_DEPTH) for _ in sinks]
    errors: list[BaseException] = []
    stop = threading.Event()

    def feed(q: queue.Queue[object]) -> Iterator[pl.DataFrame]:
        while True:
            item = q.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise _Cancelled from item
            assert isinstance(item, (pl.DataFrame, Encoded))
            yield item  # type: ignore[misc]

    def consume(sink: Callable[[Iterator[pl.DataFrame]], None], q: queue.Queue[object]) -> None:
        try:
            sink(feed(q))
        except BaseException as exc:
            errors.append(exc)
            stop.set()
            with contextlib.suppress(queue.Empty):  # unblock the producer
                while True:
                    q.get_nowait()

    def put(q: queue.Queue[object], item: object) -> None:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    threads = [
        threading.Thread(target=consume, args=(s, q), name=f"tempdata-sink-{i}", daemon=True)
        for i, (s, q) in enumerate(zip(sinks, queues, strict=True))
    ]
    for t in threads:
        t.start()
    failure: BaseException | None = None
    try:
        for chunk in chunks:
            if stop.is_set():
                break
            for q in queues:
                put(q, chunk)
            if on_chunk is not None:
                on_chunk(chunk)
    except BaseException as exc:
        failure = exc
        stop.set()
    finally:
        end: object = _DONE if failure is None else _Cancelled()
        for q in queues:
            # A failed sink drains its own queue; a healthy one gets the end marker.
            with contextlib.suppress(queue.Full):
                q.put(end, timeout=5)
        for t in threads:
            t.join()
    if failure is not None:
        raise failure
    real = [e for e in errors if not isinstance(e, _Cancelled)]
    if real:
        raise real[0]


def write(
    chunks: Iterable[pl.DataFrame],
    schema: pl.Schema,
    targets: Sequence[Target],
    *,
    if_exists: str = "replace",
    metadata: Mapping[str, str] | None = None,
    on_chunk: Callable[[pl.DataFrame], None] | None = None,
    options: Mapping[str, object] | None = None,
    stdout: BinaryIO | None = None,
) -> list[Written]:
    """Write ``chunks`` to every target, atomically.

    Parameters
    ----------
    chunks
        A one-shot iterable of frames with ``schema``; each is consumed once.
    targets
        Files to write; a target with ``path=None`` goes to standard output.
    if_exists
        ``replace`` (default) overwrites existing files once everything succeeded,
        ``error`` refuses to start if any target exists, ``skip`` leaves existing
        targets alone and writes the others.
    metadata
        Key-value pairs for formats that carry them (Parquet).
    on_chunk
        Called after each chunk has been handed to every sink (progress).
    options
        Writer options: ``max_rows_per_sheet`` and ``sheet`` (Excel).
    """
    if if_exists not in IF_EXISTS:
        msg = f"if_exists must be one of {', '.join(IF_EXISTS)}, got {if_exists!r}"
        raise InvalidParameterError(msg)
    opts = {**(options or {}), "metadata": dict(metadata or {})}
    for t in targets:
        if t.path is None and t.format not in STDOUT_FORMATS:
            msg = f"only {' and '.join(STDOUT_FORMATS)} can go to standard output, not {t.format}"
            raise InvalidParameterError(msg)
    existing = [t for t in targets if t.path is not None and t.path.exists()]
    if existing and if_exists == "error":
        names = ", ".join(repr(str(t)) for t in existing)
        msg = f"output already exists: {names} (if_exists is 'error'; choose 'replace' or 'skip')"
        raise FileSystemError(msg)
    todo = [t for t in targets if not (if_exists == "skip" and t in existing)]
    result = [Written(t, t in todo) for t in targets]
    if not todo:
        return result
    for t in todo:
        if t.path is not None:
            _prepare_dir(t.path)
    for parent in {t.path.parent for t in todo if t.path is not None}:
        reclaim(parent)  # what killed runs left here
    temps: dict[Target, Path] = {t: temp_path(t.path) for t in todo if t.path is not None}
    sinks = []
    for t in todo:
        dest: Path | BinaryIO = temps[t] if t.path is not None else (stdout or sys.stdout.buffer)
        sinks.append(_sink(t, schema, dest, opts))
    try:
        if len(sinks) == 1:
            _single(iter(chunks), sinks[0], on_chunk)
        else:
            _tee(iter(chunks), sinks, on_chunk)
        _publish_all(temps, if_exists, result)
    except BaseException as first:
        exc = first
        # Ctrl-C often arrives twice (Polars raises one, Python's handler another):
        # nothing may stand between here and the protected cleanup that could run
        # the interrupt check, and the cleanup retries until every file is gone.
        while True:
            try:
                _remove_all(temps.values())
            except KeyboardInterrupt as again:
                exc = again
                continue
            break
        if isinstance(exc, OSError) and not isinstance(exc, TempDataError):
            msg = f"writing {', '.join(str(t) for t in todo)} failed: {exc.strerror or exc}"
            error = FileSystemError(msg)
            if exc.errno == errno.EPIPE or "broken pipe" in str(exc).lower():
                error.errno = errno.EPIPE  # the reader of stdout went away
            raise error from exc
        if isinstance(exc, pl.exceptions.PolarsError) and _is_io(exc):
            msg = f"writing {', '.join(str(t) for t in todo)} failed: {exc}"
            raise ExportError(msg) from exc
        raise
    return result


def _remove_all(paths: Iterable[Path]) -> None:
    """Delete temporary files (idempotent, so an interrupted call can be repeated)."""
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


def _is_io(exc: BaseException) -> bool:
    return isinstance(exc, (pl.exceptions.ComputeError,)) and "os error" in str(exc).lower()


def _single(
    chunks: Iterator[pl.DataFrame],
    sink: Callable[[Iterator[pl.DataFrame]], None],
    on_chunk: Callable[[pl.DataFrame], None] | None,
) -> None:
    if on_chunk is None:
        sink(chunks)
        return

    def counted() -> Iterator[pl.DataFrame]:
        for chunk in chunks:
            yield chunk
            on_chunk(chunk)

    sink(counted())
