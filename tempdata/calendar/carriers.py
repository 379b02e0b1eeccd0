"""When parcel carriers deliver, by country (``carriers.parquet``, from
``scripts/sources/calendars/carriers.csv``: the national operator's delivery days, its
home-delivery window and whether it delivers on public holidays).

A delivery whose transit ends outside the window, or on a day the carrier does not
deliver, is made at the next delivery round: the next delivery day, at a time spread
over its window. A country without a row takes its working days (no weekend, no public
holidays) and the median window of the countries that have one.
"""

from __future__ import annotations

from collections.abc import Sequence
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


@cache
def _year(country: str, year: int) -> tuple[Array, Array]:
    """For the days of ``year`` and the 40 after it: whether the carrier of
    ``country`` delivers, and the number of days to its next delivery day (0 on one)."""
    c = carrier(country)
    first = np.datetime64(f"{year:04d}-01-01", "D")
    days = np.arange(first, first + 366 + 40)
    delivers = np.is_busday(days, busdaycal=c.calendar)
    after = np.busday_offset(days, 0, roll="forward", busdaycal=c.calendar)
    return delivers, (after - days).astype(np.int64)


def deliver(micros: Array, countries: Array, u: Array, names: Sequence[str] | None = None) -> Array:
    """Local delivery times: ``micros`` (µs since the epoch, local wall-clock) where it
    falls in its country's carrier's window on a delivery day, else the next delivery
    round at ``u`` (0–1) of the way through its window. ``countries`` holds ISO codes,
    or integer codes into ``names``."""
    t = np.asarray(micros, dtype=np.int64)
    day = t // _US_PER_DAY
    minute = (t % _US_PER_DAY) // 60_000_000
    year = day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    codes, inverse = np.unique(countries, return_inverse=True)
    if names is not None:
        codes = np.asarray(names, dtype=object)[codes]
    opens = np.array([carrier(str(c)).opens for c in codes])[inverse]
    closes = np.array([carrier(str(c)).closes for c in codes])[inverse]
    # one table per (country, year) present: delivery days and the wait to the next
    pair = inverse * 10_000 + year
    pairs, which = np.unique(pair, return_inverse=True)
    tables = [_year(str(codes[p // 10_000]), int(p % 10_000)) for p in pairs]
    delivers = np.stack([d for d, _ in tables])
    wait = np.stack([w for _, w in tables])
    jan1 = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    at = day - jan1
    inside = delivers[which, at] & (minute >= opens) & (minute < closes)
    start = np.where(minute < opens, at, at + 1)
    next_day = day - at + start + wait[which, start]
    spread = (opens + u * (closes - opens)) * 60_000_000
    moved = next_day * _US_PER_DAY + spread.astype(np.int64)
    out: Array = np.where(inside, t, moved)
    return out
