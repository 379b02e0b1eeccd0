"""tempdata.validate and `tempdata validate`: files and frames checked against a
dataset's types and invariants."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

import tempdata
from tempdata.errors import ExportFormatError, InvalidParameterError, UnknownDatasetError
from tests.cli.conftest import assert_one_line_error, invoke


@pytest.fixture(scope="module")
def sales() -> pl.DataFrame:
    return tempdata.generate("sales", rows=3_000, seed=5)


@pytest.mark.parametrize(
    "name", ["sales.parquet", "sales.csv", "sales.csv.gz", "sales.ndjson", "sales.json"]
)
def test_generated_files_pass(tmp_path: Path, name: str) -> None:
    path = tempdata.create_dataset(tmp_path / name, rows=2_000, seed=5, dataset="sales")
    report = tempdata.validate(path, "sales")
    assert report.ok, report.failures()
    assert report.score == 100.0
    assert report.rows == 2_000
    statuses = {r.rule: r.status for r in report.results}
    assert statuses["amount_positive"] == "pass"
    assert statuses["type:date"] == "pass"


def test_customers_with_addresses_pass_as_csv(tmp_path: Path) -> None:
    path = tempdata.create_dataset(tmp_path / "c.csv", rows=2_000, seed=5, dataset="customers")
    report = tempdata.validate(path, "customers")
    assert report.ok, report.failures()


def test_broken_rows_are_counted(tmp_path: Path, sales: pl.DataFrame) -> None:
    broken = sales.with_columns(
        pl.when(pl.int_range(pl.len()) < 3).then(-1.0).otherwise(pl.col("amount")).alias("amount")
    )
    text = broken.cast({"payment_method": pl.String}).with_columns(
        pl.when(pl.int_range(pl.len()) == 10)
        .then(pl.lit("bitcoin"))
        .otherwise(pl.col("payment_method"))
        .alias("payment_method")
    )
    path = tmp_path / "bad.csv"
    text.write_csv(path)
    report = tempdata.validate(path, "sales")
    assert not report.ok
    assert report.failures() == {
        "type:payment_method": 1,
        "amount_positive": 3,
        "amount_is_gross_minus_discount": 3,
    }
    assert 99 < report.score < 100


def test_missing_columns_fail_and_their_checks_are_skipped(sales: pl.DataFrame) -> None:
    report = tempdata.validate(sales.drop("quantity"), "sales")
    results = {r.rule: r for r in report.results}
    assert results["columns_present"].status == "fail"
    assert "missing: quantity" in results["columns_present"].description
    assert results["quantity_positive"].status == "skipped"
    assert not report.ok


def test_dataset_comes_from_parquet_metadata(tmp_path: Path) -> None:
    path = tempdata.create_dataset(tmp_path / "p.parquet", rows=500, seed=1, dataset="products")
    assert tempdata.validate(path).dataset == "products"


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (("x.xlsx", "sales"), ExportFormatError, "cannot validate"),
        (("missing.csv", "sales"), InvalidParameterError, "no such file"),
        (("missing.csv", None), InvalidParameterError, "no such file"),
        ((pl.DataFrame({"a": [1]}), None), InvalidParameterError, "name the dataset"),
        ((pl.DataFrame({"a": [1]}), "salse"), UnknownDatasetError, "did you mean 'sales'"),
        ((42, "sales"), InvalidParameterError, "must be a polars DataFrame or a file path"),
    ],
)
def test_bad_input(tmp_path: Path, args: tuple, error: type[Exception], message: str) -> None:
    data, dataset = args
    if isinstance(data, str):
        data = tmp_path / data
        if data.suffix == ".xlsx":
            data.write_bytes(b"")
    with pytest.raises(error, match=message):
        tempdata.validate(data, dataset)


def test_cli_exit_codes(tmp_path: Path, sales: pl.DataFrame) -> None:
    good = tmp_path / "good.parquet"
    tempdata.create_dataset(good, rows=1_000, seed=2, dataset="sales")
    ok = invoke("validate", good, "--json")
    assert ok.exit_code == 0, ok.stderr
    assert json.loads(ok.stdout)["ok"] is True
    bad = tmp_path / "bad.parquet"
    sales.with_columns(pl.lit(0).cast(pl.Int64).alias("quantity")).write_parquet(bad)
    failed = invoke("validate", bad, "--dataset", "sales")
    assert failed.exit_code == 1
    assert "quantity_positive" in failed.stdout
    assert "fail" in failed.stdout
    assert_one_line_error(invoke("validate", tmp_path / "none.csv", "-d", "sales"), 2)
    assert_one_line_error(invoke("validate", good, "-d", "nope"), 2)


def test_cli_as_a_subprocess(tmp_path: Path) -> None:
    path = tempdata.create_dataset(tmp_path / "s.csv", rows=500, seed=3, dataset="sales")
    done = subprocess.run(
        [sys.executable, "-m", "tempdata", "validate", str(path), "-d", "sales", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["score"] == 100.0
