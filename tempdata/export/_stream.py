"""Writing a one-shot stream of chunk frames: one chunk encoded while the next is made.

Every file sink encodes chunk by chunk with Polars' in-memory writers and appends the
bytes itself. Polars' streaming sinks (``sink_parquet``, ``sink_csv``) were measured
to grow with the row count (sales to CSV: 80 MiB of peak growth at 1M rows, 108 MiB
at 10M), this does not: at most two chunks are alive, the one being written and the
one being generated.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, BinaryIO

import polars as pl

__all__ = [
    "ENCODINGS",
    "Encoded",
    "encode",
    "encode_into",
    "encoding_of",
    "frame_of",
    "pipeline",
    "write_chunk",
]

_END = object()

#: Formats a chunk can be encoded for on its own, so a worker process can do it:
#: the file is the chunks' encodings one after the other (Parquet: stitched).
ENCODINGS = ("parquet", "csv", "csv.gz", "ndjson")


def encoding_of(fmt: str, compressed: bool = False) -> str | None:
    """The encoding a target's format takes (``csv.gz``), or None if it has none."""
    key = f"{fmt}.gz" if compressed else fmt
    return key if key in ENCODINGS else None


def encode_into(chunk: pl.DataFrame, encoding: str, out: BinaryIO, *, first: bool) -> None:
    """Write ``chunk`` to ``out`` as its file holds it (``first``: the file's first
    chunk, which carries the CSV header). Workers and sinks both encode with this, so a
    chunk encoded in a worker is byte for byte the one the sink would have written."""
    if encoding == "parquet":
        chunk.write_parquet(out, compression="zstd", statistics=True)
    elif encoding in ("csv", "csv.gz"):
        compression: Any = "gzip" if encoding == "csv.gz" else "uncompressed"
        chunk.write_csv(out, include_header=first, compression=compression)
    elif encoding == "ndjson":
        from tempdata.export.json import iso_datetimes

        chunk.with_columns(iso_datetimes(chunk.schema)).write_ndjson(out)
    else:
        msg = f"no chunk encoding {encoding!r}"
        raise AssertionError(msg)


def encode(chunk: pl.DataFrame, encoding: str, *, first: bool) -> bytes:
    """``chunk`` encoded (:func:`encode_into`) as bytes."""
    buffer = io.BytesIO()
    encode_into(chunk, encoding, buffer, first=first)
    return buffer.getvalue()


@dataclass(frozen=True, eq=False)
class Encoded:
    """A chunk a worker process encoded: its rows and, per encoding, its bytes.

    Sinks write the bytes as they are. Whoever needs the rows themselves (a check of
    the dataset's invariants) reads :attr:`frame`, which makes the chunk again here.
    """

    height: int
    data: Mapping[str, bytes]
    make: Callable[[], pl.DataFrame] = field(repr=False)

    def __len__(self) -> int:
        return self.height

    @cached_property
    def frame(self) -> pl.DataFrame:
        return self.make()


def frame_of(chunk: pl.DataFrame | Encoded) -> pl.DataFrame:
    """The rows of a chunk, encoded elsewhere or not."""
    return chunk.frame if isinstance(chunk, Encoded) else chunk


def write_chunk(
    chunk: pl.DataFrame | Encoded, encoding: str, out: BinaryIO, *, first: bool
) -> None:
    """Write a chunk to ``out``: the worker's bytes, or encoded straight into it (no
    copy through memory: CSV of a chunk is megabytes)."""
    if isinstance(chunk, Encoded):
        out.write(chunk.data[encoding])
    else:
        encode_into(chunk, encoding, out, first=first)


def pipeline(chunks: Iterator[Any], consume: Callable[[Any], None]) -> int:
    """Call ``consume`` on each chunk in a second thread, in order, while the caller's
    thread makes the next chunk; returns the number of chunks.

    The caller hands a chunk over only when the previous one is consumed, so memory
    holds two chunks at most. An error on either side stops both and is raised here.
    """
    handoff: queue.Queue[object] = queue.Queue(maxsize=1)
    errors: list[BaseException] = []

    def work() -> None:
        while True:
            item = handoff.get()
            try:
                if item is _END:
                    return
                if not errors:  # after a failure, only drain
                    consume(item)
            except BaseException as exc:
                errors.append(exc)
            finally:
                del item
                handoff.task_done()

    worker = threading.Thread(target=work, name="tempdata-writer", daemon=True)
    worker.start()
    count = 0
    try:
        for chunk in chunks:
            handoff.join()  # the previous chunk is written
            if errors:
                break
            handoff.put(chunk)
            count += 1
    finally:
        handoff.put(_END)
        worker.join()
    if errors:
        raise errors[0]
    return count
