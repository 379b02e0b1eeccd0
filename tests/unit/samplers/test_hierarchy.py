"""org_chart and hire_dates: argument checks, the closed formula, chunk independence."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import polars as pl
import pytest

from tempdata import samplers as s
from tempdata.core.plan import Dataset, col, group
from tempdata.errors import InvalidParameterError
from tests.conftest import run_plan

GROUPS = {"a": 0.5, "b": 0.3, "c": 0.2}

BAD_CALLS: list[tuple[Callable[[], object], str]] = [
    (lambda: s.org_chart(spans=[], groups=GROUPS), "spans needs at least one tier"),
    (lambda: s.org_chart(spans=[8, 1], groups=GROUPS), "span must be >= 2, got 1"),
    (lambda: s.org_chart(spans=[8], groups={}), "needs at least one value"),
    (lambda: s.org_chart(spans=[8], groups=GROUPS, heads={"z": 3}), "unknown group 'z'"),
    (lambda: s.org_chart(spans=[8], groups=GROUPS, heads={"a": 16}), "not be a multiple of 8"),
    (lambda: s.org_chart(spans=[8], groups=GROUPS, heads={"a": 0}), "must be >= 1, got 0"),
    (lambda: s.org_chart(spans=[8], groups=GROUPS, heads={"a": 3, "b": 3}), "distinct rows"),
    (lambda: s.org_chart(spans=[8], groups=GROUPS, root_group="a"), "root_group 'a'"),
    (lambda: s.org_chart(spans=[8], groups=GROUPS, key=s.integers(0, 1)), "key must be"),
    (lambda: s.org_chart(spans=[8], groups=GROUPS, window=0), "window must be >= 1"),
    (lambda: s.hire_dates(profile="weekly"), "unknown profile 'weekly'"),
]


@pytest.mark.parametrize(("call", "message"), BAD_CALLS)
def test_invalid_arguments(call: Callable[[], object], message: str) -> None:
    with pytest.raises(InvalidParameterError, match=message):
        call()


def _plan(spans: list[int], window: int = 3) -> Dataset:
    chart = s.org_chart(spans=spans, groups=GROUPS, heads={"a": 1, "b": 5, "c": 97}, window=window)
    return Dataset(
        "org",
        description="",
        columns=[group("org", chart, columns=["tier", "group", "parent"])],
    )


@pytest.mark.parametrize(("spans", "window"), [([8, 5, 4], 3), ([2], 1), ([3, 2, 2, 2, 2], 5)])
def test_every_parent_is_earlier_higher_and_of_the_same_group(
    spans: list[int], window: int
) -> None:
    frame = run_plan(_plan(spans, window), rows=120_000)
    parent = frame["parent"].fill_null(-1).to_numpy()
    tier = frame["tier"].to_numpy()
    grp = frame["group"].to_physical().to_numpy()
    assert parent[0] == -1
    assert (parent[1:] >= 0).all()
    rows = np.arange(1, len(parent))
    assert (parent[1:] < rows).all()
    assert (tier[parent[1:]] > tier[1:]).all()
    assert ((grp[parent[1:]] == grp[1:]) | (parent[1:] == 0)).all()
    # The pyramid: tier >= t on one row in r1 * ... * rt.
    radix = np.cumprod(spans)
    for t, r in enumerate(radix, start=1):
        assert ((tier[1:] >= t) & (tier[1:] <= len(spans))).sum() == pytest.approx(
            len(tier) / r, abs=5
        )


def test_leaves_hired_before_any_head_join_the_root() -> None:
    chart = s.org_chart(spans=[4, 2], groups={"x": 1, "y": 1}, heads={"x": 21, "y": 23})
    dataset = Dataset(
        "org", description="", columns=[group("org", chart, columns=["tier", "group", "parent"])]
    )
    frame = run_plan(dataset, rows=200)
    early = frame.head(21).filter(pl.col("tier") == 0)
    assert (early["group"] == "Executive").all()
    assert (early["parent"] == 0).all()
    later = frame.slice(24).filter(pl.col("tier") == 0)
    assert (later["group"] != "Executive").all()


def test_the_chart_does_not_depend_on_chunks_or_row_count() -> None:
    dataset = _plan([8, 5, 4])
    whole = run_plan(dataset, rows=110_000)
    head = run_plan(dataset, rows=1_234)
    assert whole.head(1_234).equals(head)


def test_group_shares_follow_the_weights() -> None:
    frame = run_plan(_plan([8, 5, 4]), rows=100_000)
    share = frame["group"].cast(pl.String).value_counts(normalize=True)
    got = dict(zip(share["group"], share["proportion"], strict=True))
    for name, weight in GROUPS.items():
        assert got[name] == pytest.approx(weight, abs=0.01)


def test_parent_key_formats_the_parent_row() -> None:
    key = s.sequence("E-{:04d}")
    chart = s.org_chart(spans=[4], groups={"x": 1}, key=key)
    dataset = Dataset(
        "org",
        description="",
        columns=[col("id", key), group("org", chart, columns=["parent", "parent_key"])],
    )
    frame = run_plan(dataset, rows=50)
    assert frame["parent_key"][0] is None
    assert (
        frame["parent_key"].slice(1)
        == ("E-" + (frame["parent"].slice(1) + 1).cast(pl.String).str.zfill(4))
    ).all()


def test_hire_dates_start_on_the_first_day_and_are_sorted() -> None:
    dataset = Dataset("h", description="", columns=[col("hired", s.hire_dates())])
    frame = run_plan(dataset, rows=3)
    assert frame["hired"][0].isoformat() == "2025-01-01"
    assert frame["hired"].is_sorted()
