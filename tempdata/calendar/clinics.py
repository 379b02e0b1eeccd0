"""When a clinic is open and how full its days are.

A clinic keeps its country's weekend and public holidays, and its state's where the state
keeps its own (``holidays`` subdivisions: a Bavarian clinic closes on Corpus Christi, a
Berlin one does not). How full an open day is follows general practice in England
(``appointment_fill.parquet``, from NHS England's *Appointments in General Practice*):
by weekday — Monday the busiest, Friday the quietest — and by month — winter and
October above summer, August the quietest, December below November and January. No
other country's profile is published here, so every country takes England's, turned to
its own week (the first working day after the weekend takes Monday's weight, the last
one before it Friday's: Sunday and Thursday in Saudi Arabia) and by calendar month.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

import numpy as np

from tempdata.calendar.holidays import holiday_calendar
from tempdata.geo.reference import load

__all__ = ["clinic_days", "fill_factors", "weekday_factors"]

Array = np.ndarray[Any, Any]


@cache
def fill_factors() -> tuple[Array, Array]:
    """England's GP fill factors: by weekday (Monday … Friday) and by month (January …
    December), each with a mean of 1.

    >>> weekday, month = fill_factors()
    >>> bool(weekday.argmax() == 0 and weekday.argmin() == 4), int(month.argmin()) + 1
    (True, 8)
    """
    table = load("appointment_fill")
    weekday = table.filter(table["kind"] == "weekday").sort("key")["factor"].to_numpy()
    month = table.filter(table["kind"] == "month").sort("key")["factor"].to_numpy()
    return weekday.astype(np.float64), month.astype(np.float64)


@cache
def weekday_factors(weekend: tuple[int, ...]) -> Array:
    """Fill factor of each weekday (0 = Monday … 6 = Sunday) in a week with ``weekend``
    off (0 on those days): a working day after a day off takes Monday's factor, one
    before a day off Friday's, the others Tuesday's, Wednesday's or Thursday's by how many
    working days precede them (Thursday's from the third on).

    >>> weekday_factors((4, 5)).round(3).tolist()  # Saudi Arabia: Sunday to Thursday
    [1.044, 0.979, 0.963, 0.908, 0.0, 0.0, 1.106]
    """
    by_position, _ = fill_factors()
    out = np.zeros(7, dtype=np.float64)
    for day in range(7):
        if day in weekend:
            continue
        if (day - 1) % 7 in weekend:
            out[day] = by_position[0]
        elif (day + 1) % 7 in weekend:
            out[day] = by_position[4]
        else:
            before = 0
            while before < 6 and (day - before - 1) % 7 not in weekend:
                before += 1
            out[day] = by_position[min(before, 3)]
    return out


def clinic_days(country: str, subdivision: str | None, first: dt.date, last: dt.date) -> Array:
    """Fill factor of each day ``first``..``last`` at a clinic of ``country`` (resolved
    ISO code) keeping ``subdivision``'s holidays besides the national ones: the weekday's
    factor in the country's week × the month's, 0 on the weekend and on holidays."""
    cal = holiday_calendar(country)
    cal.check_span(first, last)
    days = np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + 1)
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    month = days.astype("datetime64[M]").astype(np.int64) % 12
    fill = weekday_factors(cal.weekend)[weekday] * fill_factors()[1][month]
    closed = np.isin(days, cal.holidays(subdivision))
    return np.where(closed, 0.0, fill)
