"""JSON (one array of records) and NDJSON (one record per line)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import polars as pl

from tempdata.export._stream import Encoded, pipeline, write_chunk

__all__ = ["ISO_DATETIME", "iso_datetimes", "write_json", "write_ndjson"]

#: How JSON formats write datetimes: ISO 8601 with microseconds, as CSV does.
ISO_DATETIME = "%Y-%m-%dT%H:%M:%S%.6f"


def iso_datetimes(schema: pl.Schema) -> list[pl.Expr]:
    """Expressions turning every datetime column into ISO 8601 text (JSON has no
    datetime type; Polars' default uses a space instead of the ``T``)."""
    return [
        pl.col(name).dt.to_string(ISO_DATETIME + ("%:z" if dtype.time_zone else ""))
        for name, dtype in schema.items()
        if isinstance(dtype, pl.Datetime)
    ]


def write_ndjson(
    chunks: Iterator[pl.DataFrame | Encoded], schema: pl.Schema, dest: Path | BinaryIO
) -> None:
    """Stream ``chunks`` as newline-delimited JSON into a file or a binary stream."""

    def write(out: BinaryIO) -> None:
        def consume(chunk: pl.DataFrame | Encoded) -> None:
            write_chunk(chunk, "ndjson", out, first=False)

        pipeline(chunks, consume)

    if isinstance(dest, Path):
        with open(dest, "wb") as out:
            write(out)
        return
    write(dest)
    dest.flush()


def write_json(chunks: Iterator[pl.DataFrame], schema: pl.Schema, dest: Path) -> None:
    """Write ``chunks`` as one JSON array of records, a chunk at a time.

    Each chunk is encoded by Polars as NDJSON; records are then joined with commas
    (JSON encoding escapes every newline inside a value, so lines are records).
    """
    iso = iso_datetimes(schema)
    buffer = io.BytesIO()
    with dest.open("wb") as out:
        out.write(b"[")
        first = True
        for chunk in chunks:
            if chunk.is_empty():
                continue
            buffer.seek(0)
            buffer.truncate()
            chunk.with_columns(iso).write_ndjson(buffer)
            lines = buffer.getvalue().rstrip(b"\n")
            out.write(b"\n" if first else b",\n")
            out.write(lines.replace(b"\n", b",\n"))
            first = False
        out.write(b"\n]\n")
