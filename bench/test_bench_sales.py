"""pytest-benchmark suite: ``pytest bench -m bench`` (deselected by default).

These time warm calls in one process (the reference data and the parent ``products``
table are cached after the first round); ``python -m bench`` measures cold runs in
fresh processes, with peak memory.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import tempdata
from bench import baseline

ROWS = 100_000
SEED = 42

pytestmark = pytest.mark.bench


def test_generate_sales_in_memory(benchmark):
    frame = benchmark(tempdata.generate, "sales", rows=ROWS, seed=SEED)
    assert frame.height == ROWS
    benchmark.extra_info["rows_per_s"] = ROWS / benchmark.stats.stats.median


def test_sales_to_parquet(benchmark, tmp_path: Path):
    path = tmp_path / "sales.parquet"
    out = benchmark(tempdata.create_dataset, path, rows=ROWS, seed=SEED)
    assert pl.scan_parquet(out).select(pl.len()).collect().item() == ROWS
    benchmark.extra_info["rows_per_s"] = ROWS / benchmark.stats.stats.median


def test_baseline_to_parquet(benchmark, tmp_path: Path):
    path = tmp_path / "baseline.parquet"
    out = benchmark(baseline.write, path, ROWS, SEED)
    assert pl.scan_parquet(out).select(pl.len()).collect().item() == ROWS
    benchmark.extra_info["rows_per_s"] = ROWS / benchmark.stats.stats.median


def test_baseline_schema_matches_sales():
    """The yardstick builds the same columns with the same dtypes (Enum categories too)."""
    ours = baseline.build(2_000, SEED)
    theirs = tempdata.generate("sales", rows=2_000, seed=SEED)
    assert ours.schema == theirs.schema
    assert ours.height == theirs.height
    assert ours.get_column("date").is_sorted()
    assert ours.get_column("transaction_id").is_unique().all()
