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


def run_plan(dataset: Dataset, rows: int = 100, seed: int = 1, **kwargs: object) -> pl.DataFrame:
    """Generate a whole custom dataset with fixed parameters."""
    planner = Planner(dataset, make_params(rows), Seeder(seed), **kwargs)  # type: ignore[arg-type]
    return pl.concat(list(planner.chunks()))


@pytest.fixture
def params() -> Params:
    return make_params()
