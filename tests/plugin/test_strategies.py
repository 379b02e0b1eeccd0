"""tempdata.strategies: realistic frames, rows and addresses for Hypothesis, that
shrink toward seed 0, fewer rows and the simplest rows of a pool, and stay valid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import polars as pl
import pytest
from hypothesis import Phase, find, given, settings

import tempdata
from tempdata import strategies as tds
from tempdata.errors import GeographicalError, UnknownDatasetError
from tempdata.geo.address import addresses_frame

# find() the same minimal example every time, without the example database, and
# without the explain phase (it traces every line: slow, and says nothing here).
ONCE = settings(
    database=None,
    derandomize=True,
    max_examples=100,
    deadline=None,
    phases=[Phase.generate, Phase.shrink],
)


def ranked(pool: pl.DataFrame) -> pl.DataFrame:
    """The pool's rows from the simplest to the most complex."""
    return pool[tds._simplest_first(pool)]


def text_length(row: dict[str, Any]) -> int:
    return sum(len(v) for v in row.values() if isinstance(v, str))


@settings(max_examples=10, deadline=None)
@given(tds.frames("sales", min_rows=0, max_rows=80, country="japan"))
def test_frames_are_the_dataset(frame: pl.DataFrame) -> None:
    assert frame.height <= 80
    assert frame.columns == [c.name for c in tempdata.describe("sales").columns]
    assert tempdata.validate(frame, "sales", country="japan").ok


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


# sales and customers keep the chosen rows; weather is a time series; banking (each
# balance follows the account's previous one) falls back to a run of consecutive
# rows, employees (the whole chain of command) to the pool's first rows.
@pytest.mark.parametrize("dataset", ["sales", "customers", "weather", "banking", "employees"])
def test_drawn_frames_validate(dataset: str) -> None:
    @settings(max_examples=6, deadline=None, database=None)
    @given(tds.frames(dataset, min_rows=1, max_rows=40))
    def check(frame: pl.DataFrame) -> None:
        assert 1 <= frame.height <= 40
        report = tempdata.validate(frame, dataset)
        assert report.ok, report.failures()

    check()


def test_the_minimal_row_is_the_simplest_of_seed_zero() -> None:
    row = find(tds.rows("customers"), lambda r: True, settings=ONCE)
    pool = tempdata.generate("customers", rows=tds.POOL_ROWS, seed=0)
    assert row == ranked(pool).row(0, named=True)
    assert row != pool.row(0, named=True)  # not merely the first row generated
    # The simplest rows (by the rank-sum over every column) carry less text than most.
    typical = sorted(text_length(r) for r in pool.iter_rows(named=True))
    simplest = [text_length(r) for r in ranked(pool).head(8).iter_rows(named=True)]
    assert sum(simplest) / len(simplest) < typical[len(typical) // 2]


def test_a_row_shrinks_to_the_simplest_of_its_pool_that_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seeds: list[int] = []
    pool_of = tds._Pool.__call__

    def spied(pool: tds._Pool, seed: int) -> tds._Candidates:
        seeds.append(seed)
        return pool_of(pool, seed)

    monkeypatch.setattr(tds._Pool, "__call__", spied)

    def old(row: dict[str, Any]) -> bool:
        return int(row["age"]) >= 60

    row = find(tds.rows("customers"), old, settings=ONCE)
    # find's last run replays the minimal example: its seed is the last one drawn.
    pool = ranked(tempdata.generate("customers", rows=tds.POOL_ROWS, seed=seeds[-1]))
    assert row == next(r for r in pool.iter_rows(named=True) if old(r))


def test_frames_shrink_to_fewer_and_simpler_rows_in_pool_order() -> None:
    frame = find(tds.frames("sales", max_rows=30), lambda f: f.height >= 3, settings=ONCE)
    pool = tempdata.generate("sales", rows=tds.POOL_ROWS, seed=0)  # max(64, 2 * 30) rows
    simplest = sorted(tds._simplest_first(pool)[:3].tolist())
    assert frame.equals(pool[simplest])
    assert tempdata.validate(frame, "sales").ok


def test_failures_shrink_to_one_row() -> None:
    smallest = find(
        tds.frames("sales", max_rows=300),
        lambda f: f.height > 0 and f["amount"].max() > 100,  # type: ignore[operator]
        settings=ONCE,
    )
    assert smallest.height == 1
    assert smallest["amount"][0] > 100


def test_the_minimal_address_is_the_simplest_of_seed_zero() -> None:
    address = find(tds.addresses("germany"), lambda a: True, settings=ONCE)
    pool = addresses_frame("germany", tds.POOL_ROWS, seed=0)
    assert address == ranked(pool).row(0, named=True)


def test_the_same_choices_give_the_same_example() -> None:
    def big(frame: pl.DataFrame) -> bool:
        return frame.height >= 2 and float(frame["amount"].sum()) > 500  # type: ignore[arg-type]

    # Two strategies (no pool shared) replaying the same choices.
    first = find(tds.frames("sales", max_rows=40), big, settings=ONCE)
    again = find(tds.frames("sales", max_rows=40), big, settings=ONCE)
    assert first.equals(again)
    assert tempdata.validate(first, "sales").ok


def test_simplicity_is_the_rank_sum_of_cell_sizes() -> None:
    frame = pl.DataFrame(
        {
            "text": ["a much longer text", "short", None, "mid length"],  # ranks 4 2 1 3
            "number": [1.0, -2.0, 0.0, float("nan")],  # |x|, NaN largest: 2 3 1 4
            "flag": [True, False, False, True],  # 3.5 1.5 1.5 3.5
            "kind": pl.Series(["b", "b", "b", "b"], dtype=pl.Categorical),  # all 2.5
            "day": [dt.date(2025, 1, d) for d in (1, 2, 3, 4)],  # dates have no size
        }
    )
    assert tds._simplest_first(frame).tolist() == [2, 1, 0, 3]  # 3.5 6.5 9.5 10.5
    same = pl.DataFrame({"text": ["x", "x", "x"], "items": [[1], [2], [3]]})
    assert tds._simplest_first(same).tolist() == [0, 1, 2]  # ties keep the pool's order


def test_zero_rows_keep_the_schema() -> None:
    frame = find(tds.frames("sales", max_rows=0), lambda f: True, settings=ONCE)
    assert frame.height == 0
    assert frame.schema == tempdata.generate("sales", rows=1, seed=1).schema


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: tds.frames("sales", min_rows=5, max_rows=2), ValueError, "min_rows <= max_rows"),
        (lambda: tds.frames("sales", min_rows=-1), ValueError, "min_rows <= max_rows"),
        (lambda: tds.frames("no_such_dataset"), UnknownDatasetError, "no_such_dataset"),
        (lambda: tds.rows("no_such_dataset"), UnknownDatasetError, "no_such_dataset"),
        (lambda: tds.addresses("atlantis"), GeographicalError, "atlantis"),
    ],
)
def test_bad_arguments_fail_when_the_strategy_is_made(
    make: Callable[[], object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        make()
