"""Shop rules, retail events and the months of retail sales, by country.

``shop_rules.parquet``: the country's law on Sunday and holiday trading and on opening
hours (countries without a row have no legal limit). ``retail_events.parquet``: the
days of each country's own retail events (Black Friday only where it is observed,
Singles' Day in China, Diwali in India, ...) with their uplift on an ordinary day,
resolved for every year at build time. ``retail_months.parquet``: each month's share of
a year's retail sales from a published not seasonally adjusted national series (a
country without its own series takes a neighbour's; see its ``source`` column).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import numpy as np
import polars as pl

from tempdata.core.seeding import name_hash
from tempdata.geo.reference import load

__all__ = [
    "DAY_PHI",
    "DAY_SIGMA",
    "ShopRules",
    "day_variation",
    "event_countries",
    "event_factors",
    "month_shares",
    "shop_rules",
]

Array = np.ndarray[Any, Any]
_NO_DAYS = np.array([], dtype="datetime64[D]")
#: The first day of a regime in force since before the tables begin.
_ALWAYS = np.datetime64("1900-01-01", "D")


@dataclass(frozen=True)
class ShopRules:
    """A country's (or a state's) shop-trading law.

    ``closed`` days: Sundays under a ban (but for the Sundays it lets shops trade),
    the public holidays the law closes shops on and the days the large retailers close
    by published custom (``custom_days``); ``windows`` are the legal trading hours
    ``(opens, closes)`` of a working day, a Saturday and a Sunday (``None``: no limit);
    ``eves`` the hour shops close on 24 and 31 December where a law says;
    ``short_days`` the days on which, by custom, they trade only within ``short``.
    """

    sunday: str = "open"
    holidays: str = "open"
    windows: tuple[tuple[int, int] | None, ...] = (None, None, None)
    eves: tuple[int | None, int | None] = (None, None)
    trading_sundays: Array = field(default_factory=lambda: _NO_DAYS)
    closed_days: Array = field(default_factory=lambda: _NO_DAYS)
    open_days: Array = field(default_factory=lambda: _NO_DAYS)
    sunday_rule: str | None = None
    custom_days: Array = field(default_factory=lambda: _NO_DAYS)
    short_days: Array = field(default_factory=lambda: _NO_DAYS)
    short: tuple[int, int] | None = None

    @property
    def unrestricted(self) -> bool:
        """Whether the law leaves shops open every day at any hour."""
        return (
            self.sunday == "open"
            and self.holidays == "open"
            and self.windows == (None, None, None)
            and self.eves == (None, None)
            and not len(self.closed_days)
            and not len(self.custom_days)
            and not len(self.short_days)
        )

    def closed(self, days: Array, holiday: Array) -> Array:
        """Whether shops must stay shut on each of ``days`` (``holiday``: public holidays)."""
        sunday = (days.astype(np.int64) + 3) % 7 == 6
        shut = np.zeros(len(days), dtype=bool)
        if self.sunday == "closed" or (self.sunday == "restricted" and self.sunday_rule == "count"):
            shut |= sunday & ~_member(days, self.trading_sundays)
        if self.holidays == "closed":
            shut |= holiday & ~_member(days, self.open_days)
        shut |= _member(days, self.closed_days) | _member(days, self.custom_days)
        return shut

    def short_hours(self, days: Array) -> Array:
        """Mask of the days on which shops trade only within :attr:`short` by custom."""
        short: Array = _member(days, self.short_days)
        return short

    def eve_hours(self, days: Array) -> tuple[Array, Array]:
        """Masks of 24 and 31 December where a law closes shops early."""
        month_day = (days.astype("datetime64[M]").astype(np.int64) % 12 + 1) * 100
        month_day = month_day + (days - days.astype("datetime64[M]")).astype(np.int64) + 1
        return (
            (month_day == 1224) & (self.eves[0] is not None),
            (month_day == 1231) & (self.eves[1] is not None),
        )


def _member(days: Array, listed: Array) -> Array:
    """Whether each of ``days`` is one of ``listed``."""
    if not len(listed):
        return np.zeros(len(days), dtype=bool)
    ordered = np.sort(listed)
    at = np.minimum(np.searchsorted(ordered, days), len(ordered) - 1)
    found: Array = ordered[at] == days
    return found


def _hours(row: dict[str, Any], day: str) -> tuple[int, int] | None:
    opens, closes = row[f"{day}_open"], row[f"{day}_close"]
    if opens is None and closes is None:
        return None
    return (0 if opens is None else int(opens), 24 if closes is None else int(closes))


#: The date-list columns of ``shop_rules``, read as arrays in bulk (a row's list is a
#: slice), not as Python dates one by one.
_DAY_LISTS = ("trading_sundays", "closed_days", "open_days", "custom_days", "short_days")


def _day_lists(table: pl.DataFrame, column: str) -> list[Array]:
    """Each row's list of days in ``column`` (empty for null) as ``datetime64[D]``."""
    lists = table.get_column(column)
    counts = lists.list.len().fill_null(0).to_numpy()
    flat = lists.explode().drop_nulls().to_numpy().astype("datetime64[D]")
    ends = np.cumsum(counts)
    return [flat[end - n : end] for n, end in zip(counts, ends, strict=True)]


@cache
def _all_rules() -> dict[tuple[str, str | None], tuple[tuple[Any, ShopRules], ...]]:
    """(country, region or None) → its regimes, oldest first, read once."""
    table = load("shop_rules").sort("country", "region", "in_force", nulls_last=False)
    days = {column: _day_lists(table, column) for column in _DAY_LISTS}
    scalars = table.drop(*_DAY_LISTS)
    out: dict[tuple[str, str | None], list[tuple[Any, ShopRules]]] = {}
    for i, row in enumerate(scalars.iter_rows(named=True)):
        first = _ALWAYS if row["in_force"] is None else np.datetime64(row["in_force"], "D")
        rules = ShopRules(
            row["sunday"],
            row["holidays"],
            tuple(_hours(row, d) for d in ("weekday", "saturday", "sunday")),
            (row["dec24_close"], row["dec31_close"]),
            days["trading_sundays"][i],
            days["closed_days"][i],
            days["open_days"][i],
            row["sunday_rule"],
            days["custom_days"][i],
            days["short_days"][i],
            None if row["short_open"] is None else (row["short_open"], row["short_close"]),
        )
        out.setdefault((row["country"], row["region"]), []).append((first, rules))
    done = {}
    for key, regimes in out.items():
        if regimes[0][0] != _ALWAYS:  # before the first law the extract knows: no limits
            regimes.insert(0, (_ALWAYS, ShopRules()))
        done[key] = tuple(regimes)
    return done


def shop_rules(country: str, subdivision: str | None = None) -> tuple[tuple[Any, ShopRules], ...]:
    """The shop law of a state (``subdivision``, a ``holidays`` code) where it has its
    own, else of ``country`` (ISO code): its regimes as ``(first day, rules)``, oldest
    first (a country without a row is open every day, any hour)."""
    rules = _all_rules()
    found = rules.get((country, subdivision)) if subdivision else None
    return found or rules.get((country, None)) or ((_ALWAYS, ShopRules()),)


@cache
def month_shares(country: str) -> Array | None:
    """Each month's share of a year's retail sales (sums to 1), or None."""
    table = _partitions("retail_months").get(country, load("retail_months").clear())
    if not table.height:
        return None
    shares = np.asarray(table.row(0, named=True)["shares"], dtype=np.float64)
    normalised: Array = shares / shares.sum()
    return normalised


@cache
def _partitions(name: str) -> dict[str, pl.DataFrame]:
    """A reference table split by country once (a filter per country costs more)."""
    parts = load(name).partition_by("country", as_dict=True)
    return {str(key[0]): frame for key, frame in parts.items()}


@cache
def _all_events() -> dict[tuple[str, str], tuple[Array, Array, Array]]:
    """(country, channel side) → first days, lengths and uplifts of its retail events."""
    table = load("retail_events", ("country", "channel", "date", "days", "uplift"))
    # one stable sort and a split: a frame per country and side costs more
    key = table.select(pl.concat_str("country", pl.lit("\0"), "channel")).to_series()
    order = np.argsort(key.to_numpy(), kind="stable")
    keys = key.to_numpy()[order]
    first = table.get_column("date").to_numpy().astype("datetime64[D]")[order]
    length = table.get_column("days").to_numpy().astype(np.int64)[order]
    uplift = table.get_column("uplift").to_numpy().astype(np.float64)[order]
    cuts = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    out = {}
    for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, len(keys)], strict=True):
        if hi > lo:
            country, side = str(keys[lo]).split("\0")
            out[(country, side)] = (first[lo:hi], length[lo:hi], uplift[lo:hi])
    return out


def event_countries(*, shop: bool) -> frozenset[str]:
    """The countries with retail events for shops (``shop``) or for web and app orders."""
    side = "store" if shop else "online"
    return frozenset(country for country, s in _all_events() if s == side)


def event_factors(country: str, days: Array, *, shop: bool) -> Array:
    """Uplift per day of ``days`` (consecutive) from the country's retail events, for
    shops (``shop``) or for web and app orders. Overlapping events do not multiply: a
    day takes its largest uplift times its deepest dip."""
    if not len(days):
        return np.ones(0)
    factors: Array = _event_factors(country, int(days[0].astype(np.int64)), len(days), shop).copy()
    return factors


@lru_cache(maxsize=8)
def _event_factors(country: str, first_day: int, n: int, shop: bool) -> Array:
    """:func:`event_factors` of ``n`` days from ``first_day`` (days since 1970), cached:
    every state of a country shares them."""
    days = np.arange(first_day, first_day + n).astype("datetime64[D]")
    found = _all_events().get((country, "store" if shop else "online"))
    up, down = np.ones(len(days)), np.ones(len(days))
    if found is None or not len(days):
        return up
    first, length, uplift = found
    start = (first - days[0]).astype(np.int64)
    keep = (start + length > 0) & (start < len(days))
    start, length, uplift = start[keep], length[keep], uplift[keep]
    # every day of every event at once: its day index and its event's uplift
    each = np.repeat(np.arange(len(start)), length)
    at = start[each] + (np.arange(len(each)) - np.repeat(np.cumsum(length) - length, length))
    inside = (at >= 0) & (at < len(days))
    np.maximum.at(up, at[inside], uplift[each[inside]])
    np.minimum.at(down, at[inside], uplift[each[inside]])
    return up * down


#: A day's variation around its weekday, event and month shape: the log standard
#: deviation and the lag-one autocorrelation of the residual of Corporación Favorita's
#: daily store transactions (42 stores, 2013–2017) after each year's month and weekday
#: means, holidays and the Christmas weeks left out (scripts/sources/calendars/
#: DAY_VARIATION.md): 0.045 and 0.43.
DAY_SIGMA = 0.045
DAY_PHI = 0.43


def day_variation(countries: tuple[str, ...], rhythm: str, days: Array, seed: int) -> Array:
    """A multiplier per country (rows) and day of ``days`` (columns) around 1: a
    log-normal AR(1) walk with :data:`DAY_SIGMA` and :data:`DAY_PHI` (mean 1), the
    day-to-day variation a weekday, events and months leave (weather, news, paydays).
    Each calendar year is drawn from its own stream keyed by ``seed``, the country, the
    rhythm and the year, so a date's value is the same whatever range or chunk asks
    for it."""
    out = np.ones((len(countries), len(days)))
    if not len(days) or not len(countries):
        return out
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    keep = np.sqrt(1.0 - DAY_PHI**2)
    for year in np.unique(years):
        first = np.datetime64(f"{year:04d}-01-01", "D")
        shocks = np.array(
            [
                np.random.default_rng(
                    np.random.SeedSequence(
                        seed, spawn_key=(name_hash(cc), name_hash(rhythm), int(year))
                    )
                ).standard_normal(366)
                for cc in countries
            ]
        )
        walk = np.empty_like(shocks)
        walk[:, 0] = shocks[:, 0]
        for t in range(1, 366):  # a year's days, each step vectorised over the countries
            walk[:, t] = DAY_PHI * walk[:, t - 1] + keep * shocks[:, t]
        inside = years == year
        at = (days[inside] - first).astype(np.int64)
        out[:, inside] = np.exp(DAY_SIGMA * walk[:, at] - DAY_SIGMA**2 / 2)
    return out
