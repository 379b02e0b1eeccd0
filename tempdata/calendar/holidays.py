"""Public holidays and weekends by country and state (``public_holidays.parquet``,
``holiday_calendars.parquet``, built from the ``holidays`` package).

A country's calendar covers the years the table holds for it (1990–2040 for most;
later first years where the country or the package's rules begin later). Asking for
days outside them is an error, never a silent calendar without holidays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Literal

import numpy as np
import polars as pl

from tempdata.errors import InvalidParameterError
from tempdata.geo.countries import GLOBAL, resolve_country
from tempdata.geo.reference import load

__all__ = [
    "HolidayCalendar",
    "business_days",
    "holiday_calendar",
    "public_holidays",
    "roll",
    "years_known",
]

Days = np.ndarray  # datetime64[D]


@dataclass(frozen=True)
class HolidayCalendar:
    """One country's public holidays, weekend and the states that keep their own.

    ``weekend`` holds weekday numbers (0 = Monday); ``regions`` maps a state's GeoNames
    admin1 code (``state_code`` of the cities table) to the ``holidays`` subdivision
    whose holidays it keeps besides the national ones; ``region_weekends`` maps the
    subdivisions whose weekend differs from the country's to their own (Friday and
    Saturday in three Malaysian states).
    """

    country: str
    first_year: int
    last_year: int
    weekend: tuple[int, ...]
    regions: Mapping[str, str]
    region_weekends: Mapping[str, tuple[int, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def weekend_of(self, subdivision: str | None) -> tuple[int, ...]:
        """The weekend days of ``subdivision`` (its own where it has one)."""
        return self.region_weekends.get(subdivision or "", self.weekend)

    def check_span(self, first: dt.date, last: dt.date) -> None:
        """Raise unless ``first``..``last`` lies within the years the table covers."""
        if first.year < self.first_year or last.year > self.last_year:
            msg = (
                f"public holidays of {self.country} are known for {self.first_year}–"
                f"{self.last_year}, not for {first}..{last}: choose a date range within "
                "those years"
            )
            raise InvalidParameterError(msg)

    def holidays(self, subdivision: str | None = None) -> Days:
        """Sorted holiday dates (weekends included): national, plus ``subdivision``'s."""
        return _days(self.country, subdivision)

    def weekmask(self) -> str:
        """NumPy's busday weekmask (``"1111100"`` for a Saturday–Sunday weekend)."""
        return "".join("0" if d in self.weekend else "1" for d in range(7))


@cache
def _lists() -> dict[tuple[str, str | None], Days]:
    """(country, subdivision or None) → its holiday dates, sorted (names not read)."""
    table = load("public_holidays", ("country", "subdivision", "date"))
    flat = table.get_column("date").explode().to_numpy().astype("datetime64[D]")
    counts = table.get_column("date").list.len().to_numpy()
    ends = np.cumsum(counts)
    # a list is sorted when none of its steps goes down: steps counted once, flat
    falls = np.concatenate([[0], np.cumsum(np.diff(flat) <= np.timedelta64(0, "D"))])
    out = {}
    for (country, sub), lo, hi in zip(
        table.select("country", "subdivision").iter_rows(), ends - counts, ends, strict=True
    ):
        days = flat[lo:hi]
        ordered = hi - lo < 2 or falls[hi - 1] == falls[lo]
        out[(country, sub)] = days if ordered else np.unique(days)
    return out


@cache
def _days(country: str, subdivision: str | None) -> Days:
    lists = _lists()
    national = lists.get((country, None), np.array([], dtype="datetime64[D]"))
    if not subdivision or (country, subdivision) not in lists:
        return national
    return np.union1d(national, lists[(country, subdivision)])


@cache
def _calendars() -> dict[str, HolidayCalendar]:
    out = {}
    for row in load("holiday_calendars").iter_rows(named=True):
        regions = {r["state_code"]: r["subdivision"] for r in row["regions"]}
        own = {r["subdivision"]: tuple(r["weekend"]) for r in row["regions"] if r["weekend"]}
        out[row["country"]] = HolidayCalendar(
            row["country"],
            row["first_year"],
            row["last_year"],
            tuple(row["weekend"]),
            MappingProxyType(regions),
            MappingProxyType(own),
        )
    return out


def holiday_calendar(country: str) -> HolidayCalendar:
    """The calendar of ``country`` (a name or ISO code; not ``global``)."""
    known = _calendars().get(country)  # an ISO code, as the calendar's own callers pass
    if known is not None:
        return known
    code = resolve_country(country)
    if code == GLOBAL:
        msg = "holiday_calendar: name one country, not 'global'"
        raise InvalidParameterError(msg)
    found = _calendars().get(code)
    if found is None:  # every country of the reference data is covered; kept as a guard
        msg = f"no public-holiday rules for {code}"
        raise InvalidParameterError(msg)
    return found


def years_known(countries: Iterable[str]) -> tuple[int, int]:
    """The first and last year whose holidays are known for all of ``countries`` (ISO
    codes): the earliest first year and the latest last year among them."""
    calendars = _calendars()
    spans = [(calendars[c].first_year, calendars[c].last_year) for c in set(countries)]
    return min(f for f, _ in spans), max(last for _, last in spans)


def public_holidays(
    country: str, year: int | None = None, *, subdivision: str | None = None
) -> pl.DataFrame:
    """``date`` and ``name`` of a country's public holidays (national, plus those of
    ``subdivision``, a ``holidays`` package code such as ``"BY"``), for one year or all."""
    cal = holiday_calendar(country)
    if subdivision is not None and subdivision not in set(cal.regions.values()):
        valid = ", ".join(sorted(set(cal.regions.values()))) or "none"
        msg = f"{cal.country} has no subdivision {subdivision!r} — valid: {valid}"
        raise InvalidParameterError(msg)
    if year is not None:
        cal.check_span(dt.date(year, 1, 1), dt.date(year, 12, 31))
    wanted = pl.col("subdivision").is_null()
    if subdivision is not None:
        wanted = wanted | (pl.col("subdivision") == subdivision)
    rows = (
        load("public_holidays")
        .filter(pl.col("country") == cal.country, wanted)
        .select("date", "name")
        .explode("date", "name")
    )
    if year is not None:
        rows = rows.filter(pl.col("date").dt.year() == year)
    return rows.sort("date", "name")


@cache
def business_days(country: str) -> np.busdaycalendar:
    """NumPy's calendar of a country's working (and banking) days: its weekend and
    national public holidays off."""
    cal = holiday_calendar(country)
    return np.busdaycalendar(weekmask=cal.weekmask(), holidays=cal.holidays())


def roll(
    days: np.ndarray, countries: np.ndarray, direction: Literal["forward", "backward"]
) -> np.ndarray:
    """``days`` (days since 1970-01-01, one per row) moved to the row's country's
    working day on or ``"backward"`` (before) / ``"forward"`` (after) each."""
    out = np.asarray(days, dtype=np.int64).copy()
    for country in np.unique(countries):
        rows = np.flatnonzero(countries == country)
        moved = np.busday_offset(
            out[rows].astype("datetime64[D]"),
            0,
            roll=direction,
            busdaycal=business_days(str(country)),
        )
        out[rows] = moved.astype(np.int64)
    return out
