"""The PostgreSQL sink against a real server, a fresh database per test (dropped after;
the server and the databases come from ``tests/integration/conftest.py``).

The server is the one ``TEMPDATA_TEST_POSTGRESQL`` names (a URI such as
``postgresql://postgres@127.0.0.1:5432/postgres``, of a database the tests may connect
to in order to create and drop their own), as ``.ci/run`` starts and exports it; without
the variable, a throwaway cluster (initdb, pg_ctl) on loopback for the session. The
tests touch no database but the ones they create.

Locally the tests skip, with the reason, when no server can be started; under CI
(``CI=true``, as ``.ci/run`` sets it) that is a failure instead. A server named by
``TEMPDATA_TEST_POSTGRESQL`` that cannot be reached is always a failure."""

from __future__ import annotations

import polars as pl
import pytest

import tempdata
from tempdata.errors import FileSystemError
from tempdata.export.database import parse_database, read_table, tables
from tests.conftest import prices_dataset


def test_a_table_loads_with_its_types(postgres: str) -> None:
    tempdata.create_dataset(postgres, rows=60_000, seed=3, dataset="sales")
    db = parse_database(postgres)
    assert tables(db) == ["sales"]
    back = read_table(db, "sales")
    expected = tempdata.generate("sales", rows=60_000, seed=3)
    assert back.height == 60_000
    assert back.schema["date"] == pl.Datetime("us")  # timestamps stay timestamps
    assert back["date"].equals(expected["date"])
    assert back["amount"].equals(expected["amount"])
    assert back["channel"].equals(expected["channel"].cast(pl.String))


def test_one_transaction_and_the_primary_key(postgres: str) -> None:
    kw = {"seed": 1, "dataset": "products"}
    tempdata.create_dataset(postgres, rows=100, if_exists="error", **kw)
    with pytest.raises(FileSystemError, match="already exists"):
        tempdata.create_dataset(postgres, rows=100, if_exists="error", **kw)
    with pytest.raises(Exception, match=r"(?i)duplicate|unique|primary"):
        tempdata.create_dataset(postgres, rows=100, if_exists="append", **kw)
    assert read_table(parse_database(postgres), "products").height == 100  # rolled back
    tempdata.create_dataset(postgres, rows=40, if_exists="replace", **kw)
    assert read_table(parse_database(postgres), "products").height == 40


def test_an_unreachable_server_is_one_line(postgres_server: str) -> None:
    with pytest.raises(FileSystemError, match="cannot connect to"):
        tempdata.create_dataset(
            "postgresql://postgres@127.0.0.1:1/none", rows=5, seed=1, dataset="products"
        )


def test_decimals_and_dates_keep_their_types(postgres: str) -> None:
    prices = prices_dataset()
    tempdata.create_dataset(postgres, rows=500, seed=2, dataset=prices)
    import adbc_driver_postgresql.dbapi as pg

    with pg.connect(postgres) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'prices' ORDER BY ordinal_position"
        )
        types = dict(cursor.fetchall())
        cursor.execute("SELECT price::float8 AS price, day FROM prices")
        back = pl.from_arrow(cursor.fetch_arrow_table())
    assert types == {"id": "text", "price": "numeric", "day": "date"}
    expected = tempdata.generate(prices, rows=500, seed=2)
    assert back["price"].equals(expected["price"].cast(pl.Float64))  # type: ignore[index]
    assert back["day"].equals(expected["day"])  # type: ignore[index]
