"""CSV: a header and one line per row, optionally gzip-compressed, or to stdout."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import polars as pl

from tempdata.export._stream import Encoded, pipeline, write_chunk

__all__ = ["write_csv"]


def write_csv(
    chunks: Iterator[pl.DataFrame | Encoded],
    schema: pl.Schema,
    dest: Path | BinaryIO,
    *,
    compressed: bool = False,
) -> None:
    """Stream ``chunks`` as CSV into a file or a binary stream.

    ``compressed`` writes each chunk as a gzip member of its own (a file of several
    members is one valid gzip file, as gzip, zcat, Python and Polars read it).
    """
    encoding = "csv.gz" if compressed else "csv"
    header = True

    def write(out: BinaryIO) -> None:
        def consume(chunk: pl.DataFrame | Encoded) -> None:
            nonlocal header
            write_chunk(chunk, encoding, out, first=header)
            header = False

        if not pipeline(chunks, consume):  # no rows at all: still a header
            consume(pl.DataFrame(schema=schema))

    if isinstance(dest, Path):
        with open(dest, "wb") as out:
            write(out)
        return
    write(dest)
    dest.flush()
