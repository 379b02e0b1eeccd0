"""Hypothesis properties of employees over seeds, sizes (chunk edges included),
countries and date ranges: the org chart is always a tree and every invariant holds."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

import tempdata
from tempdata.datasets import registry
from tempdata.quality.checks import evaluate

COUNTRIES = st.sampled_from(["global", "united_states", "germany", "japan", "india", "brazil"])


@settings(max_examples=8, deadline=None)
@given(
    rows=st.integers(min_value=1, max_value=120_000),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    country=COUNTRIES,
    years=st.integers(min_value=0, max_value=40),
)
@example(rows=1, seed=0, country="global", years=0)
@example(rows=50_001, seed=1, country="japan", years=1)
def test_employees_invariants(rows: int, seed: int, country: str, years: int) -> None:
    end = dt.date(2025, 6, 30)
    start = end - dt.timedelta(days=365 * years)
    dataset = registry.get("employees")
    frame = tempdata.generate(
        "employees",
        rows=rows,
        seed=seed,
        country=country,
        date_range=(start, end),
        columns=[*dataset.column_names, "_tenure_days"],
    )
    assert frame.height == rows
    report = evaluate(frame, dataset)
    assert report.skipped == ()
    assert report.ok, report.failures()
    assert frame["hire_date"].min() == start
    assert frame["hire_date"].max() <= end  # type: ignore[operator]
    # Managers precede their reports: row order is a topological order of the tree.
    ids = frame["employee_id"].str.slice(4).cast(pl.Int64).to_numpy()
    assert np.array_equal(ids, np.arange(1, rows + 1))
    assert frame["manager_id"][0] is None
    assert (frame["manager_id"].slice(1).str.slice(4).cast(pl.Int64) < ids[1:]).all()


@settings(max_examples=4, deadline=None)
@given(
    rows=st.integers(min_value=2, max_value=110_000),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    split=st.integers(min_value=1, max_value=2),
)
def test_any_chunk_range_equals_the_slice_of_the_whole(rows: int, seed: int, split: int) -> None:
    whole = tempdata.generate("employees", rows=rows, seed=seed)
    chunks = range(min(split, -(-rows // 50_000) - 1), -(-rows // 50_000))
    tail = pl.concat(list(tempdata.stream("employees", rows=rows, seed=seed, chunks=chunks)))
    assert tail.equals(whole.slice(chunks.start * 50_000))
