"""Parquet: zstd, one row group per 50,000-row chunk, run metadata in the footer."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import polars as pl

from tempdata.core.seeding import CHUNK_SIZE
from tempdata.export._stream import lazy_frames

__all__ = ["write_parquet"]


def write_parquet(
    chunks: Iterator[pl.DataFrame], schema: pl.Schema, dest: Path, metadata: Mapping[str, str]
) -> None:
    """Stream ``chunks`` into a Parquet file with ``metadata`` as key-value metadata."""
    lazy_frames(chunks, schema).sink_parquet(
        dest,
        compression="zstd",
        row_group_size=CHUNK_SIZE,
        metadata=dict(metadata),
    )
