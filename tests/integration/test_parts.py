"""layout="parts": folders of part files whose rows, read together, are the single
file's; atomic like files; with workers each worker writes its parts."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import tempdata
from tempdata.cli import app
from tempdata.errors import FileSystemError, GenerationError, InvalidParameterError
from tempdata.export.parts import PART_CHUNKS
from tests.integration.test_workers import _DieOnSecondChunk

ROWS = PART_CHUNKS * 50_000 + 70_000  # two parts, the second short


@pytest.mark.parametrize("workers", [1, 2])
def test_parts_read_together_equal_the_single_file(tmp_path: Path, workers: int) -> None:
    folders = tempdata.create_dataset(
        tmp_path / "sales",
        rows=ROWS,
        seed=4,
        dataset="sales",
        formats=["parquet", "csv"],
        layout="parts",
        workers=workers,
    )
    assert folders == [tmp_path / "sales", tmp_path / "sales"]
    names = sorted(p.name for p in (tmp_path / "sales").iterdir())
    assert names == [
        "_SUCCESS",
        "part-00000.csv",
        "part-00000.parquet",
        "part-00001.csv",
        "part-00001.parquet",
    ]
    whole = tempdata.generate("sales", rows=ROWS, seed=4)
    assert pl.read_parquet(tmp_path / "sales" / "*.parquet").equals(whole)
    first = pl.read_parquet(tmp_path / "sales" / "part-00000.parquet")
    assert first.height == PART_CHUNKS * 50_000
    csv = pl.read_csv(tmp_path / "sales" / "part-00001.csv")
    assert csv.height == 70_000
    assert csv["transaction_id"][0] == whole["transaction_id"][PART_CHUNKS * 50_000]


def test_existing_folders_follow_if_exists(tmp_path: Path) -> None:
    kw = {"rows": 1_000, "seed": 1, "dataset": "products", "layout": "parts"}
    folder = tempdata.create_dataset(tmp_path / "products.parquet", **kw)
    (folder / "stale.txt").write_text("old")
    with pytest.raises(FileSystemError, match="already exists"):
        tempdata.create_dataset(tmp_path / "products.parquet", if_exists="error", **kw)
    tempdata.create_dataset(tmp_path / "products.parquet", if_exists="skip", **kw)
    assert (folder / "stale.txt").exists()
    tempdata.create_dataset(tmp_path / "products.parquet", **kw)  # replace
    assert not (folder / "stale.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["products"]


def test_a_failed_run_leaves_the_old_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from tempdata import col
    from tempdata import samplers as s
    from tempdata.core.plan import Dataset

    kw = {"rows": 1_000, "seed": 1, "dataset": "products", "layout": "parts"}
    folder = tempdata.create_dataset(tmp_path / "products.parquet", **kw)
    before = sorted(p.name for p in folder.iterdir())
    monkeypatch.setenv("TEMPDATA_TEST_PARENT", str(os.getpid()))
    dying = Dataset(
        "products",
        description="a worker dies on chunk 1",
        columns=[col("id", s.sequence("D{}")), col("x", _DieOnSecondChunk())],
    )
    with pytest.raises(GenerationError):
        tempdata.create_dataset(
            tmp_path / "products.parquet",
            rows=ROWS,
            seed=1,
            dataset=dying,
            layout="parts",
            workers=2,
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["products"]
    assert sorted(p.name for p in folder.iterdir()) == before


def test_formats_that_cannot_be_parts(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameterError, match="layout='parts' writes parquet, csv, ndjson"):
        tempdata.create_dataset(tmp_path / "s.xlsx", rows=10, dataset="sales", layout="parts")
    with pytest.raises(InvalidParameterError, match="layout must be one of single, parts"):
        tempdata.create_dataset(tmp_path / "s.parquet", rows=10, dataset="sales", layout="x")


def test_cli_layout_parts(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "generate",
            "sales",
            "-n",
            "60000",
            "--seed",
            "2",
            "--layout",
            "parts",
            "-o",
            f"{tmp_path}/",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "(1 part," in result.output
    assert (tmp_path / "sales" / "_SUCCESS").exists()
