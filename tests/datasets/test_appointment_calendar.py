"""appointments keep each clinic's calendar: its country's week, its state's holidays, and
days as full as general practice's (NHS England, Appointments in General Practice)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

import tempdata
from tempdata.calendar import holiday_calendar
from tempdata.calendar.clinics import weekday_factors
from tempdata.datasets import registry
from tempdata.datasets._cities import top_cities
from tempdata.geo.reference import load
from tempdata.quality.checks import evaluate

YEAR = ("2024-01-01", "2024-12-31")
# NHS England, Appointments in General Practice, April 2026 (GPAD daily CSV), England:
# mean appointments a day over the ordinary weeks of March–April 2026, Monday … Friday
# (scripts/sources/healthcare/GP_APPOINTMENTS.md).
GPAD_WEEKDAYS = (1_698_020, 1_602_759, 1_501_857, 1_477_968, 1_392_980)
# Full Fact (13 October 2021) from NHS Digital's July 2021 figures: 1.29 million on an
# average Monday, 1.09 million on a Friday.
FULL_FACT_FRIDAY_TO_MONDAY = 1.09 / 1.29
# NHS Digital, Appointments in General Practice (daily CSV totals), England: appointments
# in January and August and their working days (weekdays less bank holidays).
JANUARY = {2018: (25_331_515, 22), 2019: (25_457_205, 22)}
AUGUST = {2018: (21_518_463, 22), 2019: (22_819_373, 21)}


def _per_day(frame: pl.DataFrame) -> pl.DataFrame:
    """Appointments per day with every clinic open, its weekday (1 = Monday) and month
    (days when only the clinics of another nation or state open, such as Scotland's on
    an English bank holiday, hold a few rows and are left out)."""
    day = pl.col("scheduled_at").dt.date()
    return (
        frame.group_by(day.alias("day"))
        .len()
        .filter(pl.col("len") > 0.5 * pl.col("len").median())
        .with_columns(weekday=pl.col("day").dt.weekday(), month=pl.col("day").dt.month())
    )


@pytest.fixture(scope="module")
def england() -> pl.DataFrame:
    return tempdata.generate(
        "appointments", rows=80_000, seed=21, country="united_kingdom", date_range=YEAR
    )


def test_weekdays_fill_as_in_general_practice(england: pl.DataFrame) -> None:
    per_day = _per_day(england)
    means = per_day.group_by("weekday").agg(pl.col("len").mean()).sort("weekday")
    assert means["weekday"].to_list() == [1, 2, 3, 4, 5]  # closed at weekends
    share = means["len"].to_numpy() / means["len"].sum()
    published = np.array(GPAD_WEEKDAYS) / sum(GPAD_WEEKDAYS)
    assert np.abs(share - published).max() < 0.015, (share, published)
    assert share.argmax() == 0  # Monday the busiest
    assert share.argmin() == 4  # Friday the quietest
    assert share[4] / share[0] == pytest.approx(FULL_FACT_FRIDAY_TO_MONDAY, abs=0.04)


def test_winter_fuller_than_august(england: pl.DataFrame) -> None:
    per_day = _per_day(england)
    by_month = dict(per_day.group_by("month").agg(pl.col("len").mean()).iter_rows())
    # a working day of January against one of August, as published for 2018 and 2019
    published = [JANUARY[y][0] / JANUARY[y][1] / (AUGUST[y][0] / AUGUST[y][1]) for y in JANUARY]
    ratio = by_month[1] / by_month[8]
    assert min(published) - 0.03 < ratio < max(published) + 0.03, (ratio, published)
    assert min(by_month, key=by_month.__getitem__) == 8  # August the quietest
    assert by_month[12] < by_month[11]  # Christmas weeks
    winter = np.mean([by_month[m] for m in (12, 1, 2)])
    assert winter > 1.05 * by_month[8]


def test_days_vary_as_independent_bookings_would(england: pl.DataFrame) -> None:
    # Same weekday, same month: the days differ (no two Mondays of a month alike), about
    # as much as Poisson counts of their mean: sd / mean ~ 1 / sqrt(mean).
    per_day = _per_day(england).with_columns(
        mean=pl.col("len").mean().over("weekday", "month"),
        group=pl.len().over("weekday", "month"),
    )
    relative = per_day.filter(pl.col("group") >= 4).select(
        ((pl.col("len") - pl.col("mean")) / pl.col("mean").sqrt()).std()
    )
    assert 0.6 < relative.item() < 1.5


def _state_days(country: str, mine: str, other: str) -> list[dt.date]:
    """Working days ``mine``'s clinics close for a state holiday ``other``'s keep open."""
    cal = holiday_calendar(country)
    days = np.setdiff1d(cal.holidays(mine), cal.holidays(other))
    days = days[(days >= np.datetime64(YEAR[0])) & (days <= np.datetime64(YEAR[1]))]
    weekend = set(cal.weekend)
    return [d for d in days.astype(dt.date).tolist() if d.weekday() not in weekend]


def _clinic_subdivisions(country: str) -> dict[str, str | None]:
    """Clinic city → the holidays subdivision its state keeps (its most populous namesake)."""
    top = top_cities(country, 20)
    states = load("cities", columns=("state_code",))["state_code"].to_numpy()[top.key]
    regions = holiday_calendar(country).regions
    return {city: regions.get(s) for city, s in zip(top.city, states, strict=True)}


def test_clinics_keep_their_states_holidays() -> None:
    frame = tempdata.generate(
        "appointments",
        rows=60_000,
        seed=5,
        country="germany",
        date_range=YEAR,
        custom_params={"doctors": 120},
    )
    subdivision = _clinic_subdivisions("DE")
    state = frame["clinic_city"].replace_strict(subdivision, default=None)
    day = frame["scheduled_at"].dt.date()
    bavaria, berlin = frame.filter(state == "BY"), frame.filter(state == "BE")
    assert bavaria.height > 1_000
    assert berlin.height > 1_000
    bavarian_days = set(bavaria["scheduled_at"].dt.date().to_list())
    berlin_days = set(berlin["scheduled_at"].dt.date().to_list())
    # Corpus Christi (30 May 2024) and Assumption Day: Bavarian holidays, Berlin open
    closed_in_bavaria = _state_days("DE", "BY", "BE")
    assert dt.date(2024, 5, 30) in closed_in_bavaria
    for d in closed_in_bavaria:
        assert d not in bavarian_days, d
        assert d in berlin_days, d
    # International Women's Day (8 March 2024): Berlin's own holiday, Bavaria open
    closed_in_berlin = _state_days("DE", "BE", "BY")
    assert dt.date(2024, 3, 8) in closed_in_berlin
    for d in closed_in_berlin:
        assert d not in berlin_days, d
        assert d in bavarian_days, d
    # A day some clinics are closed takes fewer rows, not a full day's crammed into the rest
    per_day = day.value_counts()
    counts = dict(zip(per_day["scheduled_at"], per_day["count"], strict=True))
    thursdays = [counts[d] for d in counts if d.weekday() == 3 and d.month == 5]
    assert counts[dt.date(2024, 5, 30)] < min(
        c for c in thursdays if c != counts[dt.date(2024, 5, 30)]
    )
    # ... and each state's clinics stay closed on the national holidays
    assert dt.date(2024, 10, 3) not in set(day.to_list())


def test_friday_saturday_weekend() -> None:
    frame = tempdata.generate(
        "appointments", rows=20_000, seed=3, country="saudi_arabia", date_range=YEAR
    )
    assert holiday_calendar("SA").weekend == (4, 5)
    means = dict(_per_day(frame).group_by("weekday").agg(pl.col("len").mean()).iter_rows())
    assert set(means) == {7, 1, 2, 3, 4}  # Sunday to Thursday
    # the first working day of the week is the busiest, the last the quietest
    assert max(means, key=means.__getitem__) == 7
    assert min(means, key=means.__getitem__) == 4


def test_global_clinics_keep_their_countries_weeks() -> None:
    frame = tempdata.generate(
        "appointments", rows=30_000, seed=8, date_range=YEAR, custom_params={"doctors": 80}
    )
    top = top_cities("global", 20)
    country = dict(zip(top.city, top.country, strict=True))
    weekdays = frame.group_by("clinic_city").agg(
        (pl.col("scheduled_at").dt.weekday() - 1).unique().alias("days")
    )
    weekends = set()
    for city, days in weekdays.iter_rows():
        weekend = holiday_calendar(country[city]).weekend
        assert not set(days) & set(weekend), (city, days, weekend)
        assert set(days) == {d for d in range(7) if d not in weekend}, city
        weekends.add(weekend)
    # Dhaka's clinics close on Friday and Saturday, Kinshasa's only on Sunday
    assert {(4, 5), (5, 6), (6,)} <= weekends


def test_weekday_factors_follow_the_week() -> None:
    monday_first = weekday_factors((5, 6))
    assert monday_first.argmax() == 0
    assert monday_first[5:].tolist() == [0.0, 0.0]
    six_days = weekday_factors((6,))  # Monday to Saturday
    assert six_days.argmax() == 0
    assert np.where(six_days > 0, six_days, np.inf).argmin() == 5  # Saturday
    assert six_days[5] == monday_first[4]  # Saturday is the week's last day
    assert np.count_nonzero(six_days) == 6


def test_weekly_days_off_check_catches_a_clinic_open_every_day(england: pl.DataFrame) -> None:
    appointments = registry.get("appointments")
    assert "weekly_days_off" not in evaluate(england, appointments).failures()
    city = england["clinic_city"][0]
    week = pl.datetime_range(
        dt.datetime(2024, 3, 4, 9), dt.datetime(2024, 3, 10, 9), "1d", eager=True
    )
    rows = england.filter(pl.col("clinic_city") == city).head(7).with_columns(scheduled_at=week)
    assert "weekly_days_off" in evaluate(pl.concat([england, rows]), appointments).failures()


@pytest.mark.parametrize("seed", [1, 8, 23])
def test_days_with_some_clinics_closed_and_full_days_mix(seed: int) -> None:
    # A US year has state holidays (some clinics closed: a short list of open slots)
    # beside ordinary days (every slot open): rows of both kinds in one chunk must each
    # find their slot; no doctor is booked twice.
    frame = tempdata.generate("appointments", rows=4_000, seed=seed, country="united_states")
    assert frame.height == 4_000
    assert frame.select("doctor_id", "scheduled_at").is_unique().all()
