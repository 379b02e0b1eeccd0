"""``layout="parts"``: a folder of part files instead of one file per format.

``out/sales.parquet`` becomes the folder ``out/sales/`` holding ``part-00000.parquet``,
``part-00001.parquet``, ... (1,000,000 rows each: 20 chunks) and an empty
``_SUCCESS`` marker. Read them together with ``pl.scan_parquet("out/sales/*.parquet")``:
the rows, in part order, are those of the single file. With ``workers=N`` each worker
writes whole parts itself, so encoding runs in parallel too.

The folder is written under a temporary name beside the target and renamed into place
when every part is written (``if_exists`` as for files: an existing folder is
replaced only then), so a failed or interrupted run leaves no folder that looks
complete, and the marker is there only in a finished one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from tempdata.core.faults import fault_point
from tempdata.core.tempfiles import reclaim, temp_path
from tempdata.errors import FileSystemError, InvalidParameterError
from tempdata.export.files import publish
from tempdata.export.formats import FORMATS, Target, split_path

__all__ = ["LAYOUTS", "PART_CHUNKS", "PART_FORMATS", "write_parts"]

LAYOUTS = ("single", "parts")
PART_CHUNKS = 20  # 1,000,000 rows per part
PART_FORMATS = ("parquet", "csv", "ndjson")
SUCCESS = "_SUCCESS"


def part_ranges(chunks: Sequence[int]) -> list[tuple[int, ...]]:
    """The chunks of each part, in order."""
    return [tuple(chunks[i : i + PART_CHUNKS]) for i in range(0, len(chunks), PART_CHUNKS)]


def part_folder(target: Target) -> Path:
    assert target.path is not None
    stem, _, _ = split_path(target.path)
    return target.path.with_name(stem)


def _part_targets(folder: Path, targets: Sequence[Target], index: int) -> list[Target]:
    out = []
    for t in targets:
        ext = ".csv.gz" if t.compressed else FORMATS[t.format][0]
        out.append(Target(folder / f"part-{index:05d}{ext}", t.format, t.compressed))
    return out


def write_part(
    chunks: Any,
    schema: Any,
    targets: Sequence[Target],
    metadata: Mapping[str, str],
    on_chunk: Callable[[Any], None] | None = None,
) -> None:
    from tempdata.export.writer import write

    write(chunks, schema, targets, metadata=metadata, on_chunk=on_chunk)


def write_parts(
    stream: Any,
    targets: Sequence[Target],
    *,
    if_exists: str,
    metadata: Mapping[str, str],
    on_chunk: Callable[[Any], None] | None = None,
    backend: str = "local",
    address: str | None = None,
) -> list[Path]:
    """Write ``stream`` (a :class:`tempdata.ChunkStream`) as part folders, one per
    target's format; returns the folders. ``backend="dask"`` writes the parts as tasks
    of a Dask cluster (:mod:`tempdata.core.distributed`)."""
    bad = [t.format for t in targets if t.format not in PART_FORMATS or t.path is None]
    if bad:
        msg = f"layout='parts' writes {', '.join(PART_FORMATS)} files, not {bad[0]}"
        raise InvalidParameterError(msg)
    folders = list(dict.fromkeys(part_folder(t) for t in targets))
    if len(folders) != 1:
        msg = "layout='parts' writes the formats of one dataset into one folder"
        raise InvalidParameterError(msg)
    folder = folders[0]
    if folder.exists() and not folder.is_dir():
        msg = f"{str(folder)!r} exists and is not a folder of parts"
        raise FileSystemError(msg)
    if folder.exists() and if_exists == "error":
        msg = f"output already exists: {str(folder)!r} (if_exists is 'error')"
        raise FileSystemError(msg)
    if folder.exists() and if_exists == "skip":
        return [folder]
    reclaim(folder.parent)  # what killed runs left here
    temp = temp_path(folder)
    try:
        temp.mkdir(parents=True)
    except OSError as exc:
        msg = f"cannot create {str(temp.parent)!r}: {exc.strerror or exc}"
        raise FileSystemError(msg) from exc
    try:
        ranges = part_ranges(list(stream.info.chunks))
        if backend == "dask":
            from tempdata.core.distributed import dask_parts

            name, kwargs, tables = stream.spec
            jobs = [(r, _part_targets(temp, targets, i)) for i, r in enumerate(ranges)]
            workers = stream.workers if stream.workers > 1 else None
            dask_parts(name, kwargs, tables, jobs, dict(metadata), address=address, workers=workers)
        elif stream.workers > 1 and stream.spec is not None:
            from tempdata.core.parallel import parallel_parts

            name, kwargs, tables = stream.spec
            jobs = [(r, _part_targets(temp, targets, i)) for i, r in enumerate(ranges)]
            parallel_parts(name, kwargs, tables, jobs, dict(metadata), stream.workers)
        else:
            planner = stream.planner
            for i, r in enumerate(ranges):
                write_part(
                    planner.chunks(r),
                    planner.schema,
                    _part_targets(temp, targets, i),
                    metadata,
                    on_chunk,
                )
        (temp / SUCCESS).write_bytes(b"")
        if if_exists == "error":
            publish(temp, folder, replace=False)  # fails if another run's came first
        else:
            _swap(temp, folder)
    except BaseException:
        with contextlib.suppress(OSError):
            shutil.rmtree(temp)
        raise
    return [folder]


def _swap(temp: Path, folder: Path) -> None:
    """Put ``temp`` where ``folder`` is; an existing folder goes only once it is."""
    fault_point("publish")
    old = None
    if folder.exists():
        old = temp_path(folder)
        os.replace(folder, old)
    os.replace(temp, folder)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
