"""backend="dask" on a real LocalCluster of processes: the parts, read together, equal
the sequential output; a worker killed mid-run is retried and the result is the same."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import polars as pl
import pytest

import tempdata
from tempdata import col
from tempdata import samplers as s
from tempdata.core.plan import ChunkContext, Dataset, Params, Sampler
from tempdata.export.parts import PART_CHUNKS

distributed = pytest.importorskip("distributed")

ROWS = PART_CHUNKS * 50_000 + 30_000  # two parts


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as local:
        yield local.scheduler_address


def test_sales_parts_equal_the_sequential_file(tmp_path: Path, cluster: str) -> None:
    folder = tempdata.create_dataset(
        tmp_path / "sales.parquet",
        rows=ROWS,
        seed=12,
        dataset="sales",
        backend="dask",
        address=cluster,
    )
    assert (folder / "_SUCCESS").exists()
    parts = sorted(p.name for p in folder.glob("part-*"))
    assert parts == ["part-00000.parquet", "part-00001.parquet"]
    assert pl.read_parquet(folder / "*.parquet").equals(
        tempdata.generate("sales", rows=ROWS, seed=12)
    )


def test_a_time_series_dataset_through_the_scheduler_address_variable(
    tmp_path: Path, cluster: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", cluster)
    kw = {"seed": 3, "interval": "1hour", "date_range": ("2016-01-01", "2024-12-31")}  # > 1M rows
    folder = tempdata.create_dataset(
        tmp_path / "crypto.csv", dataset="crypto", backend="dask", **kw
    )
    back = pl.read_csv(folder / "*.csv", try_parse_dates=True)
    expected = tempdata.generate("crypto", **kw)
    assert back.height == expected.height > PART_CHUNKS * 50_000
    assert back["close"].equals(expected["close"])


class _DieOnceOnChunkOne(Sampler):
    """Kills its worker the first time chunk 1 is made (a marker file remembers)."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Int64()

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> pl.Series:
        if ctx.chunk == 1 and not os.path.exists(self.marker):
            Path(self.marker).write_text("died once")
            os.kill(os.getpid(), signal.SIGKILL)
        return pl.Series(rng.integers(0, 1_000, ctx.n))


def test_a_killed_worker_is_retried_and_the_result_is_identical(tmp_path: Path) -> None:
    marker = tmp_path / "died"
    dataset = Dataset(
        "fragile",
        description="kills a worker once",
        columns=[col("id", s.sequence("F{}")), col("x", _DieOnceOnChunkOne(str(marker)))],
    )
    # A cluster of its own: a killed worker must not disturb the other tests'.
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as local:
        folder = tempdata.create_dataset(
            tmp_path / "fragile.parquet",
            rows=ROWS,
            seed=5,
            dataset=dataset,
            backend="dask",
            address=local.scheduler_address,
        )
    assert marker.exists()  # a worker did die
    expected = tempdata.generate(dataset, rows=ROWS, seed=5)
    assert pl.read_parquet(folder / "*.parquet").equals(expected)


def test_without_an_address_a_local_cluster_is_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    folder = tempdata.create_dataset(
        tmp_path / "products.parquet",
        rows=1_000,
        seed=1,
        dataset="products",
        backend="dask",
        workers=1,
    )
    assert pl.read_parquet(folder / "*.parquet").equals(
        tempdata.generate("products", rows=1_000, seed=1)
    )
