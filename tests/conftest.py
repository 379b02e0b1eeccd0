"""Shared fixtures."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tempdata.core.plan import Dataset, Params
from tempdata.core.planner import Planner
from tempdata.core.seeding import Seeder

pytest_plugins = ["pytester"]  # tests of tempdata's own pytest plugin


def make_params(rows: int = 100, **custom: object) -> Params:
    return Params(
        rows=rows,
        reference_date=dt.date(2025, 12, 31),
        date_start=dt.datetime(2025, 1, 1),
        date_end=dt.datetime(2025, 12, 31, 23, 59, 59, 999_999),
        custom=custom,
    )


def prices_dataset() -> Dataset:
    """Money as decimals and a day as a date: types a database load must keep."""
    from tempdata import col
    from tempdata import samplers as s

    return Dataset(
        "prices",
        description="money as decimals",
        key="id",
        columns=[
            col("id", s.sequence("P{:04d}")),
            col("_x", s.floats(0, 1000, decimals=2), hidden=True),
            col("price", pl.col("_x").cast(pl.Decimal(10, 2))),
            col("day", s.timestamps(as_date=True)),
        ],
    )


def run_plan(dataset: Dataset, rows: int = 100, seed: int = 1, **kwargs: object) -> pl.DataFrame:
    """Generate a whole custom dataset with fixed parameters."""
    planner = Planner(dataset, make_params(rows), Seeder(seed), **kwargs)  # type: ignore[arg-type]
    return pl.concat(list(planner.chunks()))


@pytest.fixture
def params() -> Params:
    return make_params()
