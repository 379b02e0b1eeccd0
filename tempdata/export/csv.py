"""CSV: a header and one line per row, optionally gzip-compressed, or to stdout."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Literal

import polars as pl

from tempdata.export._stream import pipeline

__all__ = ["write_csv"]


def write_csv(
    chunks: Iterator[pl.DataFrame],
    schema: pl.Schema,
    dest: Path | BinaryIO,
    *,
    compressed: bool = False,
) -> None:
    """Stream ``chunks`` as CSV into a file or a binary stream.

    ``compressed`` writes each chunk as a gzip member of its own (a file of several
    members is one valid gzip file, as gzip, zcat, Python and Polars read it).
    """
    compression: Literal["gzip", "uncompressed"] = "gzip" if compressed else "uncompressed"
    header = True

    def write(out: BinaryIO) -> None:
        def consume(chunk: pl.DataFrame) -> None:
            nonlocal header
            chunk.write_csv(out, include_header=header, compression=compression)
            header = False

        if not pipeline(chunks, consume):  # no rows at all: still a header
            pl.DataFrame(schema=schema).write_csv(out, compression=compression)

    if isinstance(dest, Path):
        with open(dest, "wb") as out:
            write(out)
        return
    write(dest)
    dest.flush()
