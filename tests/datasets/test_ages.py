"""The datasets' ages follow their country's population pyramid over the documented range.

patients: all ages 0-100; customers: adults 18-100, every one 18 or older at sign-up;
user_profiles: 13-100, 13 or older at sign-up; employees: working ages 18-67, 18 or
older at hire and 25 for M2 and above. Reference medians (and the step rule) are those
of tests/unit/samplers/test_ages.py: the US Census Bureau's International Database, a
source other than the shipped WPP pyramids.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

import tempdata
from tests.unit.samplers.test_ages import IDB_MEDIANS, RANGES, TOLERANCE, step_failures

AS_OF = dt.date(2025, 12, 31)  # the default reference date of seeded runs
CASES = [
    ("patients", "JP", 0, 100),
    ("patients", "NG", 0, 100),
    ("patients", "IN", 0, 100),
    ("customers", "DE", 18, 100),
    ("customers", "NG", 18, 100),
    ("customers", "BR", 18, 100),
    ("user_profiles", "US", 13, 100),
    ("user_profiles", "IN", 13, 100),
    ("user_profiles", "JP", 13, 100),
    ("employees", "JP", 18, 67),
    ("employees", "NG", 18, 67),
    ("employees", "DE", 18, 67),
]
EVENT = {"customers": ("registration_date", 18), "user_profiles": ("joined_at", 13)}


@pytest.mark.parametrize(("dataset", "country", "low", "high"), CASES)
def test_ages_follow_the_pyramid_over_the_range(
    dataset: str, country: str, low: int, high: int
) -> None:
    frame = tempdata.generate(dataset, rows=60_000, seed=5, country=country)
    ages = frame["age"]
    assert ages.min() == low
    assert ages.max() <= high  # type: ignore[operator]
    assert step_failures(ages.to_numpy(), low, high) == []
    days = frame.select((pl.lit(AS_OF) - pl.col("birth_date")).dt.total_days()).to_series()
    median = float(np.median(days.to_numpy() / 365.2425))
    reference = IDB_MEDIANS[country][RANGES[(low, high)]]
    assert abs(median - reference) <= TOLERANCE, (median, reference)
    if dataset in EVENT:
        column, minimum = EVENT[dataset]
        event = frame[column].dt.date()
        assert (frame["birth_date"].dt.offset_by(f"{minimum}y") <= event).all()
        # No pile-up at the minimum age at the event either: its first year is not
        # crowded beyond the next ones (clamping would double it).
        at_event = frame.select(
            ((event - pl.col("birth_date")).dt.total_days() / 365.2425).floor()
        ).to_series()
        first, later = (at_event == minimum).sum(), (at_event == minimum + 2).sum()
        assert first < 1.35 * later, (first, later)


def test_global_patients_take_their_own_countrys_pyramid() -> None:
    frame = tempdata.generate("patients", rows=200_000, seed=9)
    assert step_failures(frame["age"].to_numpy(), 0, 100) == []
    codes = {"JP": "Japan", "NG": "Nigeria", "IN": "India", "US": "United States"}
    for code, name in codes.items():
        rows = frame.filter(pl.col("country") == name)
        assert rows.height > 2_000, name
        median = float(rows["age"].median()) + 0.5  # type: ignore[arg-type]
        assert abs(median - IDB_MEDIANS[code][0]) <= TOLERANCE + 0.5, (name, median)


SENIOR = ("M2", "M3", "M4", "Director", "VP", "SVP", "EVP", "C-level", "CEO")


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("rows", [10, 100, 1_000, 10_000, 100_000])
def test_employees_ages_fit_level_and_tenure(rows: int, seed: int) -> None:
    frame = tempdata.generate("employees", rows=rows, seed=seed)
    level = frame["job_level"].cast(pl.String)
    born, hired = frame["birth_date"], frame["hire_date"]
    assert (born.dt.offset_by("18y") <= hired).all()  # tenure <= age - 18
    senior = level.is_in(SENIOR)
    assert (born.filter(senior).dt.offset_by("25y") <= hired.filter(senior)).all()
    assert (frame.filter(senior)["age"] >= 25).all()  # no M2+ manager under 25
    assert frame["age"].is_between(18, 67).all()
    tenure = (pl.lit(AS_OF) - hired).dt.total_days()
    age_days = (pl.lit(AS_OF) - born).dt.total_days()
    assert frame.select(tenure <= age_days - 18 * 365).to_series().all()
    if rows >= 1_000:
        ic = frame.filter(level.str.starts_with("IC"))["age"].mean()
        top = frame.filter(level.is_in(["VP", "SVP", "EVP", "C-level", "CEO"]))["age"].mean()
        managers = frame.filter(level.is_in(["M1", "M2", "M3", "M4"]))["age"].mean()
        assert top > managers > ic  # type: ignore[operator]
