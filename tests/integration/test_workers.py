"""workers=N: chunks made in worker processes give byte-identical files in every format,
the same frames for time series and plan tables, and a dead worker leaves no file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest

import tempdata
from tempdata import col
from tempdata import samplers as s
from tempdata.core.plan import ChunkContext, Dataset, Params, Sampler
from tempdata.errors import GenerationError, InvalidParameterError

FORMATS = [
    ("sales", "parquet", 120_000),
    ("sales", "csv", 120_000),
    ("sales", "csv.gz", 60_000),
    ("sales", "json", 60_000),
    ("sales", "ndjson", 120_000),
    ("sales", "excel", 51_000),
    ("customers", "geojson", 51_000),
]


@pytest.mark.parametrize(("dataset", "fmt", "rows"), FORMATS, ids=[f for _, f, _ in FORMATS])
def test_every_format_is_byte_identical(tmp_path: Path, dataset: str, fmt: str, rows: int) -> None:
    ext = {"excel": "xlsx"}.get(fmt, fmt)
    one = tempdata.create_dataset(tmp_path / f"a.{ext}", rows=rows, seed=8, dataset=dataset)
    two = tempdata.create_dataset(
        tmp_path / f"b.{ext}", rows=rows, seed=8, dataset=dataset, workers=2
    )
    assert Path(one).read_bytes() == Path(two).read_bytes()


def test_time_series_and_unseeded_runs_match() -> None:
    kw = {"interval": "1hour", "date_range": ("2024-01-01", "2024-06-30")}
    a = tempdata.generate("crypto", seed=3, **kw)
    b = tempdata.generate("crypto", seed=3, workers=2, **kw)
    assert a.height > 50_000
    assert a.equals(b)
    # Without a seed the clock picks one once; the workers use it, not their own.
    c, info = tempdata.generate("sales", rows=110_000, workers=2, with_info=True)
    assert c.equals(tempdata.generate("sales", **info.replay_kwargs()))


def test_plan_tables_travel_to_the_workers(tmp_path: Path) -> None:
    plan = {
        "seed": 6,
        "workers": 2,
        "datasets": {
            "customers": {"rows": 2_000},
            "sales": {
                "rows": 120_000,
                "columns": {
                    "customer_id": {"references": "customers.customer_id", "a": 1.2},
                    "city": {"lookup": "customers.city", "via": "customer_id"},
                },
                "dirty": {"nulls": 0.01},
            },
        },
    }
    parallel = tempdata.create_batch(plan, output_dir=tmp_path / "two")
    sequential = tempdata.create_batch({**plan, "workers": 1}, output_dir=tmp_path / "one")
    assert [f.sha256 for f in parallel.files] == [f.sha256 for f in sequential.files]


def count_chunks_made_here(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Chunks of sales this (the parent) process makes; workers are not patched."""
    from tempdata.core.planner import Planner

    made: list[int] = []
    chunk = Planner.chunk

    def counted(self: Planner, index: int) -> pl.DataFrame:
        if self.dataset.name == "sales":  # not its products, looked up
            made.append(index)
        return chunk(self, index)

    monkeypatch.setattr(Planner, "chunk", counted)
    return made


def test_workers_encode_and_the_parent_only_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Parquet, CSV and NDJSON at once: every chunk is made and encoded in a worker,
    # and the files are still the sequential run's, byte for byte.
    names = ["s.parquet", "s.csv", "s.ndjson"]
    for name in names:
        tempdata.create_dataset(tmp_path / "one" / name, rows=130_000, seed=4, dataset="sales")
    made = count_chunks_made_here(monkeypatch)
    tempdata.create_dataset(
        tmp_path / "two" / "s",
        rows=130_000,
        seed=4,
        dataset="sales",
        workers=2,
        formats=["parquet", "csv", "ndjson"],
    )
    assert made == []
    for name in names:
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()


@pytest.mark.parametrize(("check", "made_here"), [("first", [0]), ("all", [0, 1, 2]), ("none", [])])
def test_a_plan_checks_the_chunks_workers_encoded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, check: str, made_here: list[int]
) -> None:
    # The invariant check needs rows: the chunks it reads are made again here.
    made = count_chunks_made_here(monkeypatch)
    plan = {"seed": 2, "workers": 2, "datasets": {"sales": {"rows": 120_000}}}
    tempdata.create_batch(plan, output_dir=tmp_path, check=check)
    assert made == made_here


def test_workers_share_one_store_of_a_large_parent(tmp_path: Path) -> None:
    # 300,000 products are looked up from disk: the two workers map one store, in
    # the run's folder beside the output, and the file is the sequential run's.
    seen: list[list[str]] = []

    def look(chunk: object) -> None:
        seen.append(sorted(p.name for p in tmp_path.glob("two/.td-*.tmp/*.arrow")))

    kw = {"rows": 150_000, "seed": 5, "dataset": "sales", "custom_params": {"products": 300_000}}
    one = tempdata.create_dataset(tmp_path / "one" / "s.parquet", **kw)
    two = tempdata.create_dataset(tmp_path / "two" / "s.parquet", workers=2, on_chunk=look, **kw)
    assert Path(two).read_bytes() == Path(one).read_bytes()
    assert len(seen[0]) == 1  # one store, the same name in both workers
    assert all(names == seen[0] for names in seen)
    assert seen[0][0].startswith("products-generated-")
    assert sorted(p.name for p in (tmp_path / "two").iterdir()) == ["s.parquet"]


class _DieOnSecondChunk(Sampler):
    """Kills its own worker process when asked for chunk 1."""

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Int64()

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> pl.Series:
        if ctx.chunk == 1 and os.environ.get("TEMPDATA_TEST_PARENT") != str(os.getpid()):
            os.kill(os.getpid(), signal.SIGKILL)
        return pl.Series(rng.integers(0, 9, ctx.n))


def test_a_killed_worker_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEMPDATA_TEST_PARENT", str(os.getpid()))
    dying = Dataset(
        "dying",
        description="a worker dies on chunk 1",
        columns=[col("id", s.sequence("D{}")), col("x", _DieOnSecondChunk())],
    )
    target = tmp_path / "dying.parquet"
    target.write_bytes(b"the previous file")
    with pytest.raises(GenerationError, match="worker process died"):
        tempdata.create_dataset(target, rows=200_000, seed=1, dataset=dying, workers=2)
    assert target.read_bytes() == b"the previous file"  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dying.parquet"]
    # The pool is replaced: the next run works.
    assert tempdata.generate("sales", rows=60_000, seed=1, workers=2).height == 60_000


def test_bad_worker_counts() -> None:
    for bad in (0, -1, 1.5, True, 10_000):
        with pytest.raises(InvalidParameterError, match="workers must be a whole number"):
            tempdata.generate("sales", rows=10, seed=1, workers=bad)  # type: ignore[arg-type]
    done = subprocess.run(
        [sys.executable, "-m", "tempdata", "generate", "sales", "-n", "10", "--workers", "0"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("tempdata: error: workers must be a whole number")
