"""The employees dataset: a valid org chart at every size, chunk-independent, realistic."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from functools import cache

import numpy as np
import polars as pl
import pytest

import tempdata
from tempdata.datasets import registry
from tempdata.datasets.workforce import DEPARTMENTS, LEVELS
from tempdata.quality.checks import evaluate

SIZES = [1, 2, 10, 1_000, 100_000]
STRUCTURE = ["employee_id", "manager_id", "job_level", "department", "hire_date", "status"]


@cache
def employees(rows: int, seed: int = 7, country: str = "global") -> pl.DataFrame:
    return tempdata.generate(
        "employees", rows=rows, seed=seed, country=country, columns=[*_ALL, "_tenure_days"]
    )


_ALL = list(registry.get("employees").column_names)


def parent_rows(frame: pl.DataFrame) -> np.ndarray:
    """Each row's manager as a row position (-1 for none), by joining on the key."""
    position = frame.select("employee_id").with_row_index("pos")
    joined = frame.select("manager_id").join(
        position, left_on="manager_id", right_on="employee_id", how="left", maintain_order="left"
    )
    return joined["pos"].cast(pl.Int64).fill_null(-1).to_numpy()


def walk_to_roots(parent: np.ndarray) -> tuple[np.ndarray, int]:
    """Pointer jumping: every row's ultimate ancestor, and the rounds it took.

    A root points to itself; after round k each row points 2**k levels up. A cycle
    never reaches a root, so it shows up as a row whose ancestor is not a root.
    """
    up = np.where(parent < 0, np.arange(len(parent)), parent)
    rounds = 0
    while True:
        nxt = up[up]
        rounds += 1
        if np.array_equal(nxt, up) or rounds > 64:
            return up, rounds
        up = nxt


@pytest.mark.parametrize("rows", SIZES)
def test_the_org_chart_is_a_tree_with_one_root(rows: int) -> None:
    frame = employees(rows)
    assert frame.height == rows
    parent = parent_rows(frame)
    assert (parent[frame["manager_id"].is_not_null().to_numpy()] >= 0).all(), "every manager exists"
    roots = np.flatnonzero(parent < 0)
    assert roots.tolist() == [0], "exactly one root, row 0"
    assert frame["job_level"][0] == "CEO"
    ancestor, rounds = walk_to_roots(parent)
    assert (ancestor == 0).all(), "no cycles: every chain ends at the CEO"
    assert rounds <= 6  # depth <= 2**5: nine tiers at most
    # Stronger than acyclic: managers come earlier, rank higher, were hired first.
    rows_ = np.arange(rows)
    has = parent >= 0
    assert (parent[has] < rows_[has]).all()
    level = frame["job_level"].to_physical().to_numpy()
    assert (level[parent[has]] > level[has]).all()
    hired = frame["hire_date"].to_numpy()
    assert (hired[parent[has]] <= hired[has]).all()
    dept = frame["department"].to_physical().to_numpy()
    ceo = parent[has] == 0
    assert ((dept[parent[has]] == dept[has]) | ceo).all()
    status = frame["status"].cast(pl.String).to_numpy()
    assert (status[parent[has]] == "active").all()


@pytest.mark.parametrize("rows", SIZES)
def test_every_invariant_holds(rows: int) -> None:
    report = evaluate(employees(rows), registry.get("employees"))
    assert report.skipped == ()
    assert report.ok, report.failures()


@pytest.mark.parametrize("country", ["japan", "germany", "brazil", "united_states", "global"])
def test_invariants_and_money_by_country(country: str) -> None:
    from tempdata.geo.countries import resolve_country
    from tempdata.geo.money import currency_for

    frame = employees(5_000, seed=3, country=country)
    report = evaluate(frame, registry.get("employees"))
    assert report.ok, report.failures()
    money = currency_for(resolve_country(country))
    assert set(frame["currency"]) == {money.code}
    assert (frame["salary"] % 100 == 0).all()
    if country != "global":
        assert frame["country"].n_unique() == 1
    # An IC3's median pay in US dollars: tens of thousands, below the CEO's.
    usd = frame.with_columns(usd=pl.col("salary") / money.per_usd)
    ic3 = usd.filter(pl.col("job_level") == "IC3")["usd"].median()
    assert ic3 is not None
    assert 5_000 < ic3 < 150_000  # type: ignore[operator]
    assert usd["usd"][0] > ic3  # type: ignore[operator]


def test_first_rows_are_the_smaller_company() -> None:
    """The org chart grows in row order: row i's manager, level and department do not
    depend on the row count (hire dates do: they spread over the date range)."""
    small, large = employees(1_000), employees(100_000).head(1_000)
    dataset = registry.get("employees")
    for column in small.columns:
        if column in dataset.depends_on_rows or column.startswith("_"):
            continue
        assert small[column].equals(large[column]), column


def _chunk(args: tuple[int, int]) -> bytes:
    index, rows = args
    frames = list(tempdata.stream("employees", rows=rows, seed=21, chunks=range(index, index + 1)))
    buffer = io.BytesIO()
    frames[0].write_ipc(buffer)
    return buffer.getvalue()


def test_chunks_from_four_processes_equal_the_sequential_run() -> None:
    rows = 170_000  # four chunks, the last one partial
    sequential = tempdata.generate("employees", rows=rows, seed=21)
    context = multiprocessing.get_context("spawn")
    order = [3, 1, 0, 2]
    with ProcessPoolExecutor(max_workers=4, mp_context=context) as pool:
        parts = dict(zip(order, pool.map(_chunk, [(i, rows) for i in order]), strict=True))
    frames = [pl.read_ipc(io.BytesIO(parts[i])) for i in range(4)]
    assert pl.concat(frames).equals(sequential)
    # And the tree crosses chunk edges: rows of chunk 3 report to rows of earlier chunks.
    parent = parent_rows(sequential)
    assert (parent[150_000:] < 150_000).any()


GOLDEN = "95217843835ddb1d407ab30481f611e7b5ebf12945c09d1a67b0e793e345b7fb"


def test_golden_hash() -> None:
    frame = tempdata.generate("employees", rows=300, seed=20240601, country="global")
    buffer = io.BytesIO()
    frame.write_csv(buffer)
    assert hashlib.sha256(buffer.getvalue()).hexdigest() == GOLDEN


def test_same_seed_same_frame_different_seed_different_frame() -> None:
    a = tempdata.generate("employees", rows=2_000, seed=11)
    assert a.equals(tempdata.generate("employees", rows=2_000, seed=11))
    b = tempdata.generate("employees", rows=2_000, seed=12)
    assert not a["manager_id"].equals(b["manager_id"])
    assert not a["department"].equals(b["department"])


# -- realism ---------------------------------------------------------------------


def test_pyramid_and_spans_of_control() -> None:
    frame = employees(100_000)
    counts = frame["job_level"].value_counts().sort("job_level")
    by_level = dict(zip(counts["job_level"].to_list(), counts["count"].to_list(), strict=True))
    assert list(by_level) == list(LEVELS)
    ics = sum(by_level[f"IC{k}"] for k in range(1, 7))
    managers = sum(by_level[f"M{k}"] for k in range(1, 5))
    assert 0.85 < ics / frame.height < 0.9
    assert by_level["M1"] + by_level["M2"] > 3 * (by_level["M3"] + by_level["M4"])
    assert managers > 5 * by_level["Director"] > 10 * by_level["VP"]
    assert by_level["VP"] > by_level["SVP"] > by_level["EVP"] >= 1
    assert by_level["C-level"] == len(DEPARTMENTS)
    assert by_level["CEO"] == 1
    reports = frame.group_by("manager_id").len().drop_nulls()
    first_line = frame.filter(pl.col("job_level").is_in(["M1", "M2"])).join(
        reports, left_on="employee_id", right_on="manager_id", how="left"
    )
    spans = first_line["len"].fill_null(0)
    assert 6 < spans.mean() < 12  # type: ignore[operator]
    assert spans.quantile(0.99) <= 20  # type: ignore[operator]
    assert spans.max() <= 40  # type: ignore[operator]  # early managers of a young company
    assert (spans == 0).mean() < 0.02  # type: ignore[operator]
    assert reports["len"].max() <= 60  # type: ignore[operator]


def test_departments_have_their_shares_and_titles() -> None:
    frame = employees(100_000)
    share = frame["department"].cast(pl.String).value_counts(normalize=True)
    shares = dict(zip(share["department"], share["proportion"], strict=True))
    for name, spec in DEPARTMENTS.items():
        assert shares[name] == pytest.approx(spec[0], abs=0.01), name
    assert shares["Executive"] == pytest.approx(1 / frame.height)
    cto = frame.filter(pl.col("job_title") == "Chief Technology Officer")
    assert cto["department"].to_list() == ["Engineering"]
    assert cto["employee_id"].to_list() == ["EMP-00000002"]
    engineers = frame.filter(pl.col("job_title") == "Senior Software Engineer")
    assert engineers["job_level"].cast(pl.String).unique().to_list() == ["IC3"]
    assert frame.filter(pl.col("job_level") == "VP")["job_title"].str.starts_with("VP, ").all()


def test_people_dates_and_pay_look_like_a_company() -> None:
    frame = employees(100_000)
    # Founded on the first day of the range by the CEO; hires on weekdays, growing.
    reference = dt.date(2025, 12, 31)
    assert frame["hire_date"][0] == frame["hire_date"].min()
    assert frame["hire_date"].is_sorted()
    assert (frame["hire_date"].dt.weekday() <= 5).mean() > 0.99  # type: ignore[operator]
    years = frame["hire_date"].dt.year()
    assert (years == 2024).sum() > 2 * (years == 2016).sum()
    assert (frame["birth_date"].dt.offset_by("18y") <= frame["hire_date"]).all()
    age_at_hire = (frame["hire_date"] - frame["birth_date"]).dt.total_days() / 365.25
    assert 25 < age_at_hire.median() < 40  # type: ignore[operator]
    assert frame["age"].is_between(18, 67).all()  # working ages
    # Attrition: only individual contributors leave, a realistic share overall.
    left = frame.filter(pl.col("status") == "terminated")
    assert left["job_level"].cast(pl.String).str.starts_with("IC").all()
    assert 0.2 < left.height / frame.height < 0.5
    assert (left["termination_date"] <= reference).all()
    # Pay rises with level (medians over the whole world, in US dollars).
    medians = frame.group_by("job_level").agg(pl.col("salary").median()).sort("job_level")
    pay = medians["salary"].to_list()
    assert pay[:6] == sorted(pay[:6])
    assert pay[6:11] == sorted(pay[6:11])  # M1..Director: enough people for stable medians
    assert frame["email"].str.ends_with("@example.com").all()
    assert frame["email"].n_unique() == frame.height


def test_checks_catch_a_broken_org_chart() -> None:
    frame = employees(1_000)
    dataset = registry.get("employees")
    # A second root, and a cycle between rows 5 and 6.
    broken = frame.with_columns(
        manager_id=pl.when(pl.int_range(pl.len()) == 3)
        .then(None)
        .when(pl.int_range(pl.len()) == 5)
        .then(pl.lit("EMP-00000007"))
        .otherwise(pl.col("manager_id"))
    )
    failures = evaluate(broken, dataset).failures()
    assert failures["single_root"] == 1
    assert failures["root_is_ceo"] == 1
    assert failures["manager_hired_first"] >= 1
    parent = parent_rows(broken)
    ancestor, _ = walk_to_roots(parent)
    assert (ancestor != 0).any()
    # A report ranked above the manager.
    flipped = frame.with_columns(
        job_level=pl.when(pl.col("employee_id") == "EMP-00000500")
        .then(pl.lit("EVP"))
        .otherwise(pl.col("job_level").cast(pl.String))
        .cast(pl.Enum(list(LEVELS)))
    )
    assert evaluate(flipped, dataset).failures().get("manager_ranks_higher", 0) >= 1
