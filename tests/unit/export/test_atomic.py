"""Writes are atomic: a failed run leaves no partial file and keeps what was there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

import tempdata
from tempdata.errors import FileSystemError, InvalidParameterError
from tempdata.export.formats import Target
from tempdata.export.writer import write

SCHEMA = pl.Schema({"a": pl.Int64})


def failing(after: int, exc: BaseException) -> Iterator[pl.DataFrame]:
    for i in range(after):
        yield pl.DataFrame({"a": [i] * 1000})
    raise exc


FORMATS = [
    ("parquet", "x.parquet"),
    ("csv", "x.csv"),
    ("json", "x.json"),
    ("ndjson", "x.ndjson"),
    ("excel", "x.xlsx"),
]


@pytest.mark.parametrize(
    "targets",
    [FORMATS[:1], FORMATS[1:2], FORMATS[2:3], FORMATS[4:], FORMATS],
    ids=["parquet", "csv", "json", "excel", "all"],
)
@pytest.mark.parametrize(
    "exc", [RuntimeError("boom"), KeyboardInterrupt()], ids=["error", "interrupt"]
)
def test_failure_mid_run_leaves_nothing_and_keeps_old_files(
    tmp_path: Path, targets: list[tuple[str, str]], exc: BaseException
) -> None:
    old = tmp_path / targets[0][1]
    old.write_bytes(b"precious")
    ts = [Target(tmp_path / name, fmt) for fmt, name in targets]
    with pytest.raises(type(exc)):
        write(failing(2, exc), SCHEMA, ts)
    assert sorted(p.name for p in tmp_path.iterdir()) == [old.name]
    assert old.read_bytes() == b"precious"


def test_generation_error_through_create_dataset(tmp_path: Path) -> None:
    from tempdata import samplers as s
    from tempdata.core.plan import Dataset, col

    class Exploding(type(s.integers(0, 1))):  # type: ignore[misc]
        def sample(self, rng, ctx):  # type: ignore[no-untyped-def]
            if ctx.chunk == 1:
                raise RuntimeError("chunk 1 failed")
            return super().sample(rng, ctx)

    ds = Dataset("boom", description="", columns=[col("a", Exploding(0, 9))])
    with pytest.raises(RuntimeError, match="chunk 1 failed"):
        tempdata.create_dataset(
            tmp_path / "boom.csv", rows=120_000, dataset=ds, formats=["csv", "parquet"]
        )
    assert list(tmp_path.iterdir()) == []


def test_if_exists_modes(tmp_path: Path) -> None:
    path = tmp_path / "products.csv"
    path.write_text("old")
    with pytest.raises(FileSystemError, match="already exists"):
        tempdata.create_dataset(path, rows=5, seed=1, if_exists="error")
    assert path.read_text() == "old"
    tempdata.create_dataset(path, rows=5, seed=1, if_exists="skip")
    assert path.read_text() == "old"
    tempdata.create_dataset(path, rows=5, seed=1, if_exists="replace")
    assert pl.read_csv(path).height == 5
    with pytest.raises(InvalidParameterError, match="if_exists must be one of"):
        tempdata.create_dataset(path, rows=5, seed=1, if_exists="overwrite")


def test_skip_writes_only_missing_targets(tmp_path: Path) -> None:
    (tmp_path / "products.csv").write_text("old")
    paths = tempdata.create_dataset(
        tmp_path / "products", rows=5, seed=1, formats=["csv", "parquet"], if_exists="skip"
    )
    assert (tmp_path / "products.csv").read_text() == "old"
    assert pl.read_parquet(paths[1]).height == 5


def test_unwritable_directory_is_a_file_system_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(FileSystemError, match="cannot create output directory"):
        tempdata.create_dataset(blocker / "sub" / "products.parquet", rows=5, seed=1)
    (tmp_path / "products.csv").mkdir()
    with pytest.raises(FileSystemError, match="is a directory"):
        tempdata.create_dataset(tmp_path / "products.csv", rows=5, seed=1)


def test_missing_directories_are_created(tmp_path: Path) -> None:
    path = tempdata.create_dataset(tmp_path / "a" / "b" / "products.parquet", rows=5, seed=1)
    assert pl.read_parquet(path).height == 5
