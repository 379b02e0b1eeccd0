"""Database sinks: real SQLite (ADBC) and DuckDB files, read back; one transaction per
table, so a failure leaves no table and an existing one untouched; keys declared."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import tempdata
from tempdata.cli import app
from tempdata.errors import FileSystemError, InvalidParameterError
from tempdata.export.database import (
    create_table_sql,
    parse_database,
    read_table,
    tables,
    write_table,
)
from tests.conftest import prices_dataset

pytest.importorskip("duckdb")
pytest.importorskip("adbc_driver_sqlite")

ENGINES = ["sqlite", "duckdb"]


def uri(tmp_path: Path, engine: str) -> str:
    return f"{engine}:///{tmp_path / ('fixtures.db' if engine == 'sqlite' else 'fixtures.duckdb')}"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_table_loads_and_reads_back(tmp_path: Path, engine: str) -> None:
    target = uri(tmp_path, engine)
    assert tempdata.create_dataset(target, rows=60_000, seed=3, dataset="sales") == target
    db = parse_database(target)
    assert tables(db) == ["sales"]
    back = read_table(db, "sales")
    expected = tempdata.generate("sales", rows=60_000, seed=3)
    assert back.height == 60_000
    assert back["transaction_id"].equals(expected["transaction_id"])
    assert back["amount"].equals(expected["amount"])
    if engine == "duckdb":  # types survive: timestamps stay timestamps
        assert back.schema["date"] == pl.Datetime("us")
        assert back["date"].equals(expected["date"])
    else:  # SQLite keeps ISO text
        assert back["date"][0].startswith(str(expected["date"][0].date()))


@pytest.mark.parametrize("engine", ENGINES)
def test_if_exists_and_the_primary_key(tmp_path: Path, engine: str) -> None:
    target = uri(tmp_path, engine)
    kw = {"seed": 1, "dataset": "products"}
    tempdata.create_dataset(target, rows=100, if_exists="error", **kw)
    with pytest.raises(FileSystemError, match="already exists"):
        tempdata.create_dataset(target, rows=100, if_exists="error", **kw)
    tempdata.create_dataset(target, rows=50, if_exists="replace", **kw)
    assert read_table(parse_database(target), "products").height == 50
    # Appending the same keys again breaks the declared primary key: nothing is added.
    with pytest.raises(Exception, match=r"(?i)constraint|unique|primary"):
        tempdata.create_dataset(target, rows=50, if_exists="append", **kw)
    assert read_table(parse_database(target), "products").height == 50


@pytest.mark.parametrize("engine", ENGINES)
def test_a_failure_mid_load_leaves_no_table(tmp_path: Path, engine: str) -> None:
    db = parse_database(uri(tmp_path, engine))
    schema = pl.Schema({"id": pl.Int64()})

    def chunks() -> Iterator[pl.DataFrame]:
        yield pl.DataFrame({"id": [1, 2]})
        msg = "generator broke"
        raise RuntimeError(msg)

    with pytest.raises(RuntimeError, match="generator broke"):
        write_table(chunks(), schema, db, "broken")
    assert "broken" not in tables(db)


def test_create_table_declares_keys() -> None:
    sql = create_table_sql(
        "sales",
        {"transaction_id": pl.String(), "customer_id": pl.String(), "amount": pl.Float64()},
        "duckdb",
        key="transaction_id",
        foreign_keys={"customer_id": ("customers", "customer_id")},
    )
    assert 'PRIMARY KEY ("transaction_id")' in sql
    assert 'FOREIGN KEY ("customer_id") REFERENCES "customers" ("customer_id")' in sql


def test_bad_uris() -> None:
    for bad, words in [
        ("postgresql://", "names no server"),
        ("mysql:///x.db", "sqlite:///"),
        ("sqlite://x.db", "sqlite:///"),
    ]:
        with pytest.raises(InvalidParameterError, match=words):
            parse_database(bad)


def test_cli_to_a_database(tmp_path: Path) -> None:
    target = uri(tmp_path, "duckdb")
    result = CliRunner().invoke(
        app, ["generate", "customers", "-n", "500", "--seed", "4", "--to", target]
    )
    assert result.exit_code == 0, result.output
    assert f"loaded 500 rows of customers into table customers of {target}" in result.output
    assert read_table(parse_database(target), "customers").height == 500


@pytest.mark.parametrize("engine", ["duckdb"])
def test_decimals_load_as_numerics(tmp_path: Path, engine: str) -> None:
    prices = prices_dataset()
    target = uri(tmp_path, engine)
    tempdata.create_dataset(target, rows=1_000, seed=1, dataset=prices)
    back = read_table(parse_database(target), "prices")
    assert back.schema["price"] == pl.Decimal(10, 2)
    assert back["price"].equals(tempdata.generate(prices, rows=1_000, seed=1)["price"])
