"""Trading sessions on the time-series grid (DESIGN §2, "Time series").

Stock bars live on tempdata's regular grid of ``interval`` seconds from the 1900 epoch
(:mod:`tempdata.core.timeseries`), read as the exchange's **local wall-clock time**.
:class:`SessionClock` says which grid steps are bars of an exchange (its trading days,
and for intraday intervals its regular hours) and places every bar on a *session
clock* that only runs while it matters, so prices need not diffuse through nights and
weekends:

* **daily** bars (``1day``): one session step per weekday. The step of a day is its
  weekday ordinal since 1900-01-01 (a Monday): ``5 * (days // 7) + days % 7``. Holidays
  keep their step (the price moves through them; the row is left out).
* **intraday** bars: every weekday has ``bars`` steps, one per bar of the session, then
  ``overnight`` steps without bars (about a third of ``bars``, so the close-to-open gap
  carries about :data:`OVERNIGHT_SHARE` of a day's variance). A bar's step is
  ``weekday_ordinal * (bars + overnight) + bar``.

Both depend on the date and time only (not on the requested range), so processes
driven by the session clock stay time-anchored. Intraday bars are aligned to the
clock (multiples of the interval from midnight); a bar that straddles the open (the
``1hour`` bar of 09:00 on a 09:30 open) covers the session's part and starts at the
open. Lunch breaks (Tokyo) have no bars.

>>> clock = session_clock("XNYS", 1800)
>>> clock.bars, clock.overnight
(13, 4)
>>> k = clock.grid_steps(dt.datetime(2024, 7, 3), dt.datetime(2024, 7, 5, 23, 59))
>>> len(k), str(clock.locate(k).start[0]), str(clock.locate(k).start[-1])
(26, '2024-07-03T09:30:00.000000', '2024-07-05T15:30:00.000000')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

import numpy as np

from tempdata.errors import InvalidParameterError
from tempdata.finance.markets import ExchangeInfo, _calendar, exchange_info

__all__ = [
    "OVERNIGHT_SHARE",
    "MarketCalendar",
    "SessionClock",
    "Sessions",
    "calendar_exchange",
    "market_calendar",
    "session_clock",
    "weekday_days",
    "weekday_ordinal",
]

Array = np.ndarray[Any, Any]

#: Share of a day's price variance that falls between the close and the next open.
OVERNIGHT_SHARE = 0.25
_EPOCH_D = np.datetime64("1900-01-01", "D")
_DAY_S = 86_400


def weekday_ordinal(days: object) -> Array:
    """The weekday count of days since 1900-01-01 (a weekend day maps to the next Monday).

    >>> weekday_ordinal(np.array([0, 4, 5, 6, 7])).tolist()
    [0, 4, 5, 5, 5]
    """
    d = np.asarray(days, dtype=np.int64)
    return np.asarray(5 * (d // 7) + np.minimum(d % 7, 5))


def weekday_days(ordinal: object) -> Array:
    """Days since 1900-01-01 of weekday ordinals (the inverse of :func:`weekday_ordinal`).

    >>> weekday_days(np.array([0, 4, 5])).tolist()
    [0, 4, 7]
    """
    o = np.asarray(ordinal, dtype=np.int64)
    return np.asarray(7 * (o // 5) + o % 5)


def _same_calendar(a: str, b: str) -> bool:
    (ia, ca), (ib, cb) = _calendar(a), _calendar(b)
    return (
        (ia.timezone, ia.open, ia.close, ia.break_start, ia.break_end)
        == (ib.timezone, ib.open, ib.close, ib.break_start, ib.break_end)
        and np.array_equal(ca.holidays, cb.holidays)
        and np.array_equal(ca.weekmask, cb.weekmask)
    )


def calendar_exchange(mics: Iterable[str]) -> str:
    """The exchange whose calendar serves every MIC of ``mics`` (the first, sorted).

    Exchanges share a calendar when their time zone, hours and holidays agree (NYSE
    and Nasdaq do); otherwise there is no common one and the error says so.

    >>> calendar_exchange(["XNYS", "XNAS"])
    'XNAS'
    """
    found = sorted({m.upper() for m in mics})
    if not found:
        msg = "no exchange given"
        raise InvalidParameterError(msg)
    first = found[0]
    other = [m for m in found[1:] if not _same_calendar(first, m)]
    if other:
        msg = (
            f"the symbols trade on exchanges with different calendars ({', '.join(found)}); "
            "pick one exchange"
        )
        raise InvalidParameterError(msg)
    return exchange_info(first).exchange


def _seconds(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


class Sessions(NamedTuple):
    """Where grid steps sit in their exchange's sessions, one value per step."""

    #: Days since 1900-01-01 (the session's date).
    day: Array
    #: Bar of the session (0 for daily bars).
    bar: Array
    #: Step on the session clock.
    ordinal: Array
    #: Start of the bar, ``datetime64[us]`` local wall-clock (the open for daily bars).
    start: Array


@dataclass(frozen=True)
class SessionClock:
    """An exchange's bars on a grid of ``seconds``; build it with :func:`session_clock`."""

    exchange: str
    seconds: int
    info: ExchangeInfo = field(repr=False, compare=False)
    calendar: np.busdaycalendar = field(repr=False, compare=False)
    #: Bars per session.
    bars: int = 1
    #: Session-clock steps after the last bar of a day (0 for daily bars).
    overnight: int = 0
    #: Per step of the day: its bar (-1 when the exchange is closed) and start second.
    bar_of: Array = field(default_factory=lambda: np.zeros(1, np.int64), repr=False, compare=False)
    start_of: Array = field(
        default_factory=lambda: np.zeros(1, np.int64), repr=False, compare=False
    )

    @property
    def daily(self) -> bool:
        return self.seconds == _DAY_S

    @property
    def steps_per_day(self) -> int:
        """Session-clock steps per weekday: ``bars + overnight``."""
        return self.bars + self.overnight

    def _check_span(self, first: np.datetime64, last: np.datetime64) -> None:
        lo = np.datetime64(self.info.first_day, "D")
        hi = np.datetime64(self.info.last_day, "D")
        if first < lo or last > hi:
            msg = (
                f"{self.exchange}'s trading calendar covers {self.info.first_day} to "
                f"{self.info.last_day}; the request reaches {first} to {last} — ask for "
                "dates inside it (or fewer rows)"
            )
            raise InvalidParameterError(msg)

    def grid_steps(self, start: dt.datetime, end: dt.datetime) -> Array:
        """The grid steps of bars whose grid instant lies in ``[start, end]`` (naive local).

        A calendar hook (:func:`tempdata.core.plan.time_series`): weekends, holidays
        and (intraday) closed hours are absent.
        """
        first = np.datetime64(start.date(), "D")
        last = np.datetime64(end.date(), "D")
        self._check_span(first, last)
        count = int(np.busday_count(first, last + 1, busdaycal=self.calendar))
        head = np.busday_offset(first, 0, roll="forward", busdaycal=self.calendar)
        days = np.busday_offset(head, np.arange(count), roll="forward", busdaycal=self.calendar)
        days_i = (days - _EPOCH_D).astype(np.int64)
        per_day = _DAY_S // self.seconds
        tods = np.flatnonzero(self.bar_of >= 0)
        steps = (days_i[:, None] * per_day + tods[None, :]).ravel()
        s_us = int(
            (np.datetime64(start, "us") - _EPOCH_D.astype("datetime64[us]")).astype(np.int64)
        )
        e_us = int((np.datetime64(end, "us") - _EPOCH_D.astype("datetime64[us]")).astype(np.int64))
        iv = self.seconds * 1_000_000
        return steps[(steps * iv >= s_us) & (steps * iv <= e_us)]

    def locate(self, steps: object) -> Sessions:
        """Session day, bar, session-clock step and bar start of grid steps."""
        k = np.asarray(steps, dtype=np.int64)
        per_day = _DAY_S // self.seconds
        day, tod = np.divmod(k, per_day)
        bar = self.bar_of[tod]
        ordinal = weekday_ordinal(day) * self.steps_per_day + bar
        start_us = day * (_DAY_S * 1_000_000) + self.start_of[tod] * 1_000_000
        start = _EPOCH_D.astype("datetime64[us]") + start_us.astype("timedelta64[us]")
        return Sessions(day, bar, ordinal, start)


@cache
def session_clock(exchange: str, seconds: int) -> SessionClock:
    """The session clock of ``exchange`` (a MIC) for bars of ``seconds`` (60 … 86,400).

    >>> session_clock("XNYS", 86_400).bars, session_clock("XNYS", 60).bars
    (1, 390)
    >>> session_clock("XTKS", 3600).bars  # 09:00-11:30 and 12:30-15:30
    7
    """
    info, calendar = _calendar(exchange)
    if seconds <= 0 or _DAY_S % seconds:
        msg = f"stock bars need an interval that divides a day, got {seconds} s"
        raise InvalidParameterError(msg)
    opening = _seconds(info.open)
    if seconds == _DAY_S:
        return SessionClock(
            info.exchange,
            seconds,
            info,
            calendar,
            1,
            0,
            np.zeros(1, dtype=np.int64),
            np.full(1, opening, dtype=np.int64),
        )
    if info.break_start < info.break_end:
        segments = [
            (opening, _seconds(info.break_start)),
            (_seconds(info.break_end), _seconds(info.close)),
        ]
    else:
        segments = [(opening, _seconds(info.close))]
    lo = np.arange(0, _DAY_S, seconds, dtype=np.int64)
    hi = lo + seconds
    start = np.full(lo.shape, -1, dtype=np.int64)
    for a, b in reversed(segments):  # the earliest overlapping segment wins
        hit = (lo < b) & (hi > a)
        start[hit] = np.maximum(lo[hit], a)
    is_bar = start >= 0
    bars = int(is_bar.sum())
    bar_of = np.where(is_bar, np.cumsum(is_bar) - 1, -1)
    overnight = max(1, round(bars * OVERNIGHT_SHARE / (1.0 - OVERNIGHT_SHARE)))
    return SessionClock(
        info.exchange, seconds, info, calendar, bars, overnight, bar_of, np.maximum(start, 0)
    )


@dataclass(frozen=True)
class MarketCalendar:
    """A calendar hook: the grid steps of ``exchange``'s bars (see :func:`market_calendar`)."""

    exchange: str

    def __call__(self, start: dt.datetime, end: dt.datetime, seconds: int) -> Array:
        return session_clock(self.exchange, seconds).grid_steps(start, end)

    def __repr__(self) -> str:
        return f"market_calendar({self.exchange!r})"


def market_calendar(exchange: str) -> MarketCalendar:
    """The calendar hook of ``exchange``'s trading sessions, for :func:`time_series`.

    >>> cal = market_calendar("xnys")
    >>> cal
    market_calendar('XNYS')
    >>> len(cal(dt.datetime(2024, 7, 1), dt.datetime(2024, 7, 7, 23, 59), 86_400))
    4
    """
    return MarketCalendar(exchange_info(exchange).exchange)
