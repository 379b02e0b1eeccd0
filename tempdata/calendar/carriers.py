"""When parcel carriers deliver, by country (``carriers.parquet``, from
``scripts/sources/calendars/carriers.csv``: the national operator's delivery days, its
home-delivery window and whether it delivers on public holidays).

A delivery whose transit ends outside the window, or on a day the carrier does not
deliver, is made at the next delivery round: the next delivery day, at a time spread
over its window. A country without a row takes its working days (no weekend, no public
holidays) and the median window of the countries that have one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from tempdata.calendar.holidays import holiday_calendar
from tempdata.geo.reference import load

__all__ = ["Carrier", "carrier", "deliver"]

Array = np.ndarray[Any, Any]

_US_PER_HOUR = 3_600_000_000
_US_PER_DAY = 24 * _US_PER_HOUR


@dataclass(frozen=True)
class Carrier:
    """A country's parcel carrier: ``weekmask`` (Monday..Sunday, ``"1111110"``: not on
    Sundays), whether it delivers on public ``holidays``, and its window in minutes
    after midnight ``[opens, closes)``."""

    country: str
    name: str
    weekmask: str
    holidays: bool
    opens: int
    closes: int

    @property
    def calendar(self) -> np.busdaycalendar:
        return _calendar(self)


@cache
def _calendar(c: Carrier) -> np.busdaycalendar:
    off = (
        np.array([], dtype="datetime64[D]")
        if c.holidays
        else holiday_calendar(c.country).holidays()
    )
    return np.busdaycalendar(weekmask=c.weekmask, holidays=off)


@cache
def _table() -> dict[str, Carrier]:
    out = {}
    for row in load("carriers").iter_rows(named=True):
        out[row["country"]] = Carrier(
            row["country"],
            row["carrier"],
            row["delivery_days"],
            bool(row["holidays"]),
            int(row["window_start"]),
            int(row["window_end"]),
        )
    return out


@cache
def carrier(country: str) -> Carrier:
    """The parcel carrier of ``country`` (ISO code), or the default described above."""
    found = _table().get(country)
    if found is not None:
        return found
    windows = np.array([(c.opens, c.closes) for c in _table().values()])
    opens, closes = (int(x) for x in np.median(windows, axis=0))
    weekmask = holiday_calendar(country).weekmask()
    return Carrier(country, "", weekmask, False, opens, closes)


def deliver(micros: Array, countries: Array, u: Array) -> Array:
    """Local delivery times: ``micros`` (µs since the epoch, local wall-clock) where it
    falls in its country's carrier's window on a delivery day, else the next delivery
    round at ``u`` (0–1) of the way through its window."""
    out = np.asarray(micros, dtype=np.int64).copy()
    for country in np.unique(countries):
        rows = np.flatnonzero(countries == country)
        c = carrier(str(country))
        t = out[rows]
        day = t // _US_PER_DAY
        minute = (t % _US_PER_DAY) // 60_000_000
        days = day.astype("datetime64[D]")
        inside = (
            np.is_busday(days, busdaycal=c.calendar) & (minute >= c.opens) & (minute < c.closes)
        )
        start = np.where(minute < c.opens, day, day + 1).astype("datetime64[D]")
        next_day = np.busday_offset(start, 0, roll="forward", busdaycal=c.calendar)
        spread = (c.opens + u[rows] * (c.closes - c.opens)) * 60_000_000
        moved = next_day.astype(np.int64) * _US_PER_DAY + spread.astype(np.int64)
        out[rows] = np.where(inside, t, moved)
    return out
