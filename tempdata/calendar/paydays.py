"""Pay days by country: how often employees are paid, on which day, and where a pay day
on a weekend or public holiday goes (``reference_data/pay_days.parquet``, built from
``scripts/sources/calendars/pay_days.csv``; sources per row in its ``PAY_DAYS.md``).

A country's rows give pay frequencies (monthly, semimonthly, biweekly, weekly) with the
weight a generator draws them by, a rule (``day:25``, ``last_banking_day``,
``days:15,last``, ``weekday:FRI``, ``business_day:5`` of the following month,
``next_month_by:10``: a fixed day up to the 10th of the following month, drawn per
employer) and ``moves``: ``before`` (the banking day before), ``after`` or ``none``.
Countries without a row are paid as :data:`DEFAULT_SCHEDULE` says: monthly on the last
banking day, as the German public-sector agreements (TVöD/TV-L § 24) and Danish
collective agreements (Murerarbejdsmandsoverenskomsten 2025 § 20) set it.

>>> plan = draw_plans(np.array(["DE"]), np.array([[0.5, 0.5, 0.5]]))
>>> first = np.datetime64("2024-03-01").astype(np.int64)
>>> owner, days = pay_dates(plan, first, first + 30)
>>> str(days.astype("datetime64[D]")[0])  # 31 March 2024 is Easter Sunday, 29th Good Friday
'2024-03-28'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import polars as pl

from tempdata.calendar.holidays import holiday_calendar, roll
from tempdata.geo.reference import load

__all__ = [
    "DEFAULT_SCHEDULE",
    "FREQUENCIES",
    "PER_MONTH",
    "PayPlan",
    "draw_plans",
    "pay_dates",
    "schedule_table",
]

Array = np.ndarray[Any, Any]

#: Pay frequencies, in the order of :attr:`PayPlan.frequency` codes.
FREQUENCIES = ("monthly", "semimonthly", "biweekly", "weekly")
#: Payments per month of each frequency (a month's salary is split by this).
PER_MONTH = np.array([1.0, 2.0, 26.0 / 12.0, 52.0 / 12.0])
#: (frequency, rule, moves) of countries without a row in pay_days.parquet.
DEFAULT_SCHEDULE = ("monthly", "last_banking_day", "before")

# rule kinds
_DAY, _LAST_DAY, _LAST_BANKING, _BUSINESS_DAY, _NEXT_MONTH, _DAYS, _WEEKDAY = range(7)
_MOVES = {"before": 0, "after": 1, "none": 2}
_WEEKDAYS = {"MON": 0, "TUE": 1, "WED": 2, "THU": 3, "FRI": 4, "SAT": 5, "SUN": 6}
_LAST = 99  # "last" in days:A,last


@dataclass(frozen=True, eq=False)
class PayPlan:
    """One employer's pay schedule per account (arrays of equal length).

    ``frequency`` indexes :data:`FREQUENCIES`; ``kind`` is the rule's kind; ``a`` and
    ``b`` its numbers (day of month, weekday 0 = Monday, Nth business day, the two days
    of a semimonthly rule, 99 = last); ``phase`` the week (0/1) of biweekly pay;
    ``moves`` 0 before, 1 after, 2 none.
    """

    country: Array
    frequency: Array
    kind: Array
    a: Array
    b: Array
    phase: Array
    moves: Array

    def take(self, rows: Array) -> PayPlan:
        """The plans of ``rows`` (positions), in that order."""
        return PayPlan(
            country=self.country[rows],
            frequency=self.frequency[rows],
            kind=self.kind[rows],
            a=self.a[rows],
            b=self.b[rows],
            phase=self.phase[rows],
            moves=self.moves[rows],
        )


def _parse(rule: str) -> tuple[int, int, int]:
    name, _, arg = rule.partition(":")
    if name == "day":
        return _DAY, int(arg), 0
    if name == "last_day":
        return _LAST_DAY, 0, 0
    if name == "last_banking_day":
        return _LAST_BANKING, 0, 0
    if name == "business_day":
        return _BUSINESS_DAY, int(arg), 0
    if name == "next_month_by":
        return _NEXT_MONTH, int(arg), 0
    if name == "days":
        first, second = arg.split(",")
        return _DAYS, int(first), _LAST if second == "last" else int(second)
    if name == "weekday":
        return _WEEKDAY, _WEEKDAYS[arg], 0
    msg = f"unknown pay-day rule {rule!r}"  # the build checks the vocabulary
    raise ValueError(msg)


@cache
def _schedules() -> dict[str, tuple[Array, Array]]:
    """Country → (cumulative weights, rows of (frequency, kind, a, b, moves))."""
    table = load("pay_days").select("country", "frequency", "weight", "rule", "moves")
    out: dict[str, tuple[Array, Array]] = {}
    for (country,), part in table.group_by("country", maintain_order=True):
        rows = np.array(
            [
                (FREQUENCIES.index(f), *_parse(r), _MOVES[m])
                for f, r, m in part.select("frequency", "rule", "moves").iter_rows()
            ],
            dtype=np.int64,
        )
        cdf = np.cumsum(part["weight"].to_numpy())
        out[str(country)] = (cdf / cdf[-1], rows)
    freq, rule, moves = DEFAULT_SCHEDULE
    out[""] = (
        np.ones(1),
        np.array([(FREQUENCIES.index(freq), *_parse(rule), _MOVES[moves])], dtype=np.int64),
    )
    return out


def schedule_table() -> pl.DataFrame:
    """The pay-day table (country, frequency, share, weight, rule, moves, sources)."""
    return load("pay_days")


def draw_plans(countries: Array, u: Array) -> PayPlan:
    """A pay schedule per account of ``countries`` (ISO alpha-2) from three uniforms
    each (``u[:, 0]`` the frequency by the country's weights, ``u[:, 1]`` the day of a
    ``next_month_by`` rule, ``u[:, 2]`` the week of biweekly pay)."""
    n = len(countries)
    rows = np.empty((n, 5), dtype=np.int64)
    table = _schedules()
    for country in np.unique(countries):
        mine = np.flatnonzero(countries == country)
        cdf, options = table.get(str(country), table[""])
        pick = np.minimum(np.searchsorted(cdf, u[mine, 0], side="right"), len(cdf) - 1)
        rows[mine] = options[pick]
    kind, a = rows[:, 1], rows[:, 2]
    # a deadline ("by the 10th of the next month"): each employer fixes a day up to it
    by = kind == _NEXT_MONTH
    a = np.where(by, 1 + np.minimum((u[:, 1] * a).astype(np.int64), a - 1), a)
    return PayPlan(
        country=np.asarray(countries, dtype=object),
        frequency=rows[:, 0],
        kind=kind,
        a=a,
        b=rows[:, 3],
        phase=(u[:, 2] < 0.5).astype(np.int64),
        moves=rows[:, 4],
    )


def _month_starts(first: int, last: int) -> Array:
    lo = np.datetime64(int(first), "D").astype("datetime64[M]")
    hi = np.datetime64(int(last), "D").astype("datetime64[M]")
    return np.arange(lo - 1, hi + 2).astype("datetime64[D]").astype(np.int64)


def _month_days(plan: PayPlan, months: Array) -> Array:
    """Nominal pay days (before moves) of monthly and semimonthly rules: (n, months, 2),
    -1 where a slot is unused."""
    start = months[None, :]
    length = (
        (months.astype("datetime64[D]").astype("datetime64[M]") + 1)
        .astype("datetime64[D]")
        .astype(np.int64)
        - months
    )[None, :]
    kind, a, b = plan.kind[:, None], plan.a[:, None], plan.b[:, None]
    next_start = start + length  # the following month
    first = np.select(
        [kind == _DAY, kind == _LAST_DAY, kind == _LAST_BANKING, kind == _NEXT_MONTH],
        [
            start + np.minimum(a, length) - 1,
            start + length - 1,
            start + length - 1,
            next_start + a - 1,  # a <= 28: within the month
        ],
        start + np.minimum(a, length) - 1,  # _DAYS: its first day
    )
    second = np.where(kind == _DAYS, start + np.minimum(b, length) - 1, -1)
    out = np.stack([first, np.broadcast_to(second, first.shape)], axis=2).copy()
    business = np.flatnonzero(plan.kind == _BUSINESS_DAY)
    if len(business):
        # Nth business day of the following month, counting Saturdays (the BR rule:
        # Sundays and holidays do not count); moves then take it off a Saturday.
        for country in np.unique(plan.country[business]):
            rows = business[plan.country[business] == country]
            cal = holiday_calendar(str(country))
            six_days = np.busdaycalendar(weekmask="1111110", holidays=cal.holidays())
            base = np.broadcast_to(next_start, (len(rows), len(months))).astype("datetime64[D]")
            nth = np.busday_offset(base, plan.a[rows, None] - 1, roll="forward", busdaycal=six_days)
            out[rows, :, 0] = nth.astype(np.int64)
    return out


def pay_dates(plan: PayPlan, first_day: int, last_day: int) -> tuple[Array, Array]:
    """Every pay day of each account from ``first_day`` to ``last_day`` (days since
    1970-01-01, both included), moved off non-banking days as the rule says.

    Returns ``(owner, day)``: the account's position in ``plan`` and the day, sorted by
    owner then day.
    """
    n = len(plan.frequency)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    months = _month_starts(first_day, last_day)
    monthly = _month_days(plan, months).reshape(n, -1)
    # weekly and biweekly: every 7 (14) days on the weekday; 1970-01-05 was a Monday
    anchor = first_day - 14 - (first_day - 14 - 4) % 7  # a Monday before the range
    weeks = np.arange((last_day - anchor) // 7 + 3)
    weekly = anchor + plan.a[:, None] + 7 * weeks[None, :]
    week_no = (anchor - 4) // 7 + weeks  # weeks since 1970-01-05: biweekly phase is absolute
    off_week = (plan.frequency[:, None] == 2) & ((week_no[None, :] + plan.phase[:, None]) % 2 == 1)
    weekly = np.where(off_week, -1, weekly)
    by_week = (plan.frequency >= 2)[:, None]
    width = max(monthly.shape[1], weekly.shape[1])
    grid = np.full((n, width), -1, dtype=np.int64)
    grid[:, : monthly.shape[1]] = np.where(by_week, -1, monthly)
    grid[:, : weekly.shape[1]] = np.where(by_week, weekly, grid[:, : weekly.shape[1]])
    owner = np.broadcast_to(np.arange(n)[:, None], grid.shape)
    used = grid >= 0
    owner, nominal = owner[used], grid[used]
    moves = plan.moves[owner]
    country = plan.country[owner]
    day = nominal.copy()
    back, ahead = moves == 0, moves == 1
    if back.any():
        day[back] = roll(nominal[back], country[back], "backward")
    if ahead.any():
        day[ahead] = roll(nominal[ahead], country[ahead], "forward")
    keep = (day >= first_day) & (day <= last_day)
    owner, day = owner[keep], day[keep]
    order = np.lexsort((day, owner))
    return owner[order], day[order]
