"""CSV: a header and one line per row, optionally gzip-compressed, or to stdout."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import polars as pl

from tempdata.export._stream import lazy_frames

__all__ = ["write_csv"]


def write_csv(
    chunks: Iterator[pl.DataFrame],
    schema: pl.Schema,
    dest: Path | BinaryIO,
    *,
    compressed: bool = False,
) -> None:
    """Stream ``chunks`` as CSV into a file (gzip when ``compressed``) or a binary stream."""
    if isinstance(dest, Path):
        lazy_frames(chunks, schema).sink_csv(
            dest, compression="gzip" if compressed else "uncompressed", check_extension=False
        )
        return
    header = True
    for chunk in chunks:
        chunk.write_csv(dest, include_header=header)
        header = False
    if header:  # no rows at all: still a header
        pl.DataFrame(schema=schema).write_csv(dest)
    dest.flush()
