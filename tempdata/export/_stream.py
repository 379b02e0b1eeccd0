"""Feeding a one-shot iterator of chunk frames to Polars' streaming sinks."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl
from polars.io.plugins import register_io_source

__all__ = ["lazy_frames"]


def lazy_frames(chunks: Iterator[pl.DataFrame], schema: pl.Schema) -> pl.LazyFrame:
    """A LazyFrame that yields ``chunks`` once, in order, without buffering them.

    Sinks (``sink_parquet``, ``sink_csv``, ...) pull one chunk at a time, so memory
    stays flat whatever the row count.
    """
    used = False

    def source(
        with_columns: list[str] | None,
        predicate: pl.Expr | None,
        n_rows: int | None,
        batch_size: int | None,
    ) -> Iterator[pl.DataFrame]:
        nonlocal used
        if used:  # a second pass would silently regenerate or lose data
            msg = "the chunk stream was read twice"
            raise RuntimeError(msg)
        used = True
        for chunk in chunks:
            yield chunk.select(with_columns) if with_columns is not None else chunk

    return register_io_source(source, schema=schema, explain_name="tempdata chunks")
