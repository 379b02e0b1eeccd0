"""tempdata.strategies: realistic frames, rows and addresses for Hypothesis, that
shrink toward fewer rows and seed 0."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import find, given, settings

import tempdata
from tempdata import strategies as tds


@settings(max_examples=10, deadline=None)
@given(tds.frames("sales", min_rows=0, max_rows=80, country="japan"))
def test_frames_are_the_dataset(frame: pl.DataFrame) -> None:
    assert frame.height <= 80
    assert frame.columns == [c.name for c in tempdata.describe("sales").columns]


@settings(max_examples=10, deadline=None)
@given(tds.rows("customers"))
def test_rows_are_dicts_of_the_columns(row: dict[str, object]) -> None:
    assert set(row) == set(tempdata.generate("customers", rows=1, seed=0).columns)
    assert "@" in str(row["email"])


@settings(max_examples=10, deadline=None)
@given(tds.addresses("germany"))
def test_addresses_are_of_the_country(address: dict[str, object]) -> None:
    assert address["country_code"] == "DE"
    assert len(str(address["postal_code"])) == 5


def test_failures_shrink_to_few_rows_and_seed_zero() -> None:
    # The smallest frame with an amount above 100: one row, and the first seed that has it.
    smallest = find(
        tds.frames("sales", max_rows=300),
        lambda f: f.height > 0 and f["amount"].max() > 100,  # type: ignore[operator]
        settings=settings(max_examples=200, deadline=None),
    )
    assert smallest.height == 1


def test_bad_bounds() -> None:
    with pytest.raises(ValueError, match="min_rows <= max_rows"):
        tds.frames("sales", min_rows=5, max_rows=2)


def test_zero_rows_keep_the_schema() -> None:
    frame = find(tds.frames("sales", max_rows=0), lambda f: True)
    assert frame.height == 0
    assert frame.schema == tempdata.generate("sales", rows=1, seed=1).schema
