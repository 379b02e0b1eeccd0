"""The peers benchmark compares like with like: every generator writes the columns of
tempdata's sales table."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import tempdata
from bench import peers


def test_mimesis_writes_the_sales_columns(tmp_path: Path) -> None:
    peers.mimesis_sales(500, 1, tmp_path / "m.parquet")
    frame = pl.read_parquet(tmp_path / "m.parquet")
    assert sorted(frame.columns) == sorted(tempdata.generate("sales", rows=5, seed=1).columns)
    assert frame.height == 500
    assert frame["date"].is_sorted()


def test_faker_writes_the_sales_columns(tmp_path: Path) -> None:
    pytest.importorskip("faker")
    peers.faker_sales(200, 1, tmp_path / "f.parquet")
    frame = pl.read_parquet(tmp_path / "f.parquet")
    assert sorted(frame.columns) == sorted(tempdata.generate("sales", rows=5, seed=1).columns)
    assert frame.filter((pl.col("payment_method") == "cash") & (pl.col("amount") > 500)).is_empty()


@pytest.mark.parametrize("workers", [1, 2])
def test_the_worker_cases_write_the_sequential_file(tmp_path: Path, workers: int) -> None:
    # One worker process or two, the file is the one a single process writes.
    peers.tempdata_sales(120_000, 1, tmp_path / "one.parquet", workers=1)
    peers.tempdata_sales(120_000, 1, tmp_path / "pool.parquet", workers=workers, pool=True)
    assert (tmp_path / "pool.parquet").read_bytes() == (tmp_path / "one.parquet").read_bytes()
