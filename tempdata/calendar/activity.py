"""How activity that keeps a country's calendar spreads over the hours of a date range.

A *component* is one group of places (the states of a country that keep the same
holidays, or one country of a ``global`` dataset) × one channel (a shop, a website).
Each has a density over the range's hours::

    f(hour) = day weight × hour weight[day type](hour) / Z

The day weight is the weekday's weight (turned so the country's weekend takes the
weekend's weights) × the country's retail events × a month calibration that gives each
month its published share of the year. The day type picks the hours: a working day,
the first or second weekend day, a public holiday, a closed day (no activity), an eve
on which shops close early or a day on which they open only part of the day by custom
(Israel's Friday, Mexico's Christmas Day); shop channels keep the country's legal
opening hours. ``Z`` normalises each component so that its share of the rows is its
group's population share × the channel's share.

The mixture over components is one CDF over hour bins: timestamps are drawn by inverse
CDF (or spread over its quantiles, for a table sorted by time), and the component of a
row is then drawn given its hour, so a German shop is never open on a Sunday and a
Bavarian one never on Corpus Christi, while the table stays sorted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from tempdata.calendar.holidays import holiday_calendar
from tempdata.calendar.rules import (
    ShopRules,
    day_variation,
    event_countries,
    event_factors,
    month_shares,
    shop_rules,
)

__all__ = ["Channel", "Group", "Model", "Rhythm", "build_model", "draw_times", "hourly_inverse_cdf"]

Array = np.ndarray[Any, Any]

US_PER_HOUR = 3_600_000_000
US_PER_DAY = 24 * US_PER_HOUR

#: Day types: the rows of a component's hour weights (24 and 31 December where a law
#: closes shops early on them; SHORT: a day on which, by custom, shops open only part of
#: the day), once per regime of the shop law (type + 8 × regime).
WORKDAY, WEEKEND_1, WEEKEND_2, HOLIDAY, CLOSED, EVE_24, EVE_31, SHORT = range(8)
_TYPES = 8
#: The legal window each day type keeps: 0 a working day's, 1 Saturday's, 2 Sunday's.
_WINDOW_OF_TYPE = (0, 1, 2, 2, 2, 0, 0, 0)


@dataclass(frozen=True)
class Rhythm:
    """How one kind of activity follows the clock: weights by hour (0–23) and by weekday
    (Monday–Sunday, for a Saturday–Sunday weekend); whether it keeps shop rules (closed
    days, legal opening hours) or goes on whenever people are awake; whether the
    country's retail events and retail months shape it (``retail``); and, where no
    month series applies, the relative weight of a day of each month (``months``)."""

    name: str
    hours: tuple[float, ...]
    weekdays: tuple[float, ...]
    shop: bool
    retail: bool = True
    months: tuple[float, ...] | None = None


@dataclass(frozen=True)
class Channel:
    """A named channel (``store``, ``web``) with its rhythm and share of the rows."""

    name: str
    rhythm: Rhythm
    share: float


@dataclass(frozen=True)
class Group:
    """Places that keep one calendar: a country and one of its holiday subdivisions
    (``None``: the national holidays only); ``weight`` is their population share."""

    country: str
    subdivision: str | None
    weight: float


@dataclass(frozen=True)
class Model:
    """The mixture's hour bins and the components' weights, for drawing.

    A component's weight in an hour is its day weight × its channel's base hours ×
    a mask (the legal window, an eve's early closing). Most groups have no mask on any
    day (a closed day is a zero day weight): their share of a channel depends on the
    day only, so they are drawn from one CDF per day and channel. Only the few
    *windowed* groups (states with legal hours) are weighed hour by hour.
    """

    first_us: int  # start of day 0 (local midnight), µs since the epoch
    starts: Array  # hour-bin starts, µs
    cdf: Array  # mixture CDF over the bins
    day_weight: Array  # (days, components): day weight / Z × component share, 0 if closed
    hour_weight: Array  # the distinct hour rows (channel's base hours × mask), flattened
    offsets: Array  # (days, components): where each day's hour row begins in it
    channels: int
    base: Array  # (channels, 24): each channel's hours
    plain: Array  # the groups without a mask
    plain_mass: Array  # (days, channels): their summed day weights
    plain_cdf: _Lifted | None  # CDF over the plain groups, row day × channels + channel
    windowed: Array  # the other groups

    @cached_property
    def _tables(self) -> tuple[_Lifted, Array] | None:
        """Every bin's group CDF (lifted by the bin number, flat) and component weights,
        kept when they are small (one country's states, not the world's)."""
        bins = np.arange(len(self.starts))
        if len(bins) * self.day_weight.shape[1] > _TABLE_LIMIT:
            return None
        rel = self.starts - self.first_us
        day, hour = rel // US_PER_DAY, (rel // US_PER_HOUR) % 24
        p: Array = self.day_weight[day] * np.take(
            self.hour_weight, self.offsets[day] + hour[:, None]
        )
        by_group = p[:, 0 :: self.channels].copy()
        for c in range(1, self.channels):
            by_group += p[:, c :: self.channels]
        return _Lifted(by_group), p

    @cached_property
    def _windowed_days(self) -> tuple[Array, Array]:
        """The windowed components' columns of the day weights and offsets, channel by
        channel (a bin × every component table is tens of MiB for a year of the world's
        countries)."""
        comp = (np.arange(self.channels)[:, None] + self.windowed * self.channels).ravel()
        return (
            np.ascontiguousarray(self.day_weight[:, comp]),
            np.ascontiguousarray(self.offsets[:, comp]),
        )

    def _bin_weights(self, bins: Array) -> tuple[Array, Array, Array, Array]:
        """For hour bins ``bins``: their day, and per channel the plain groups' mass,
        the total and each windowed group's weight (bins × channels × windowed)."""
        channels = self.channels
        rel = self.starts[bins] - self.first_us
        day, hour = rel // US_PER_DAY, (rel // US_PER_HOUR) % 24
        plain = self.plain_mass[day] * self.base[:, hour].T  # (bins, channels)
        if len(self.windowed):
            weight, offsets = self._windowed_days
            at = offsets[day] + hour[:, None]
            windowed = (weight[day] * np.take(self.hour_weight, at)).reshape(
                len(bins), channels, len(self.windowed)
            )
            total = plain + windowed.sum(axis=2)
        else:
            windowed = np.zeros((len(bins), channels, 0))
            total = plain
        return day, plain, total, windowed

    @cached_property
    def _bin_tables(self) -> _BinDraw | None:
        """:class:`_BinDraw` of every bin, kept when small (a year or two of the world's
        countries: a few MiB), so a chunk only gathers."""
        size = len(self.starts) * self.channels * (len(self.windowed) + 4)
        if size > _TABLE_LIMIT:
            return None
        return _BinDraw.of(self, np.arange(len(self.starts)))

    def components(self, bins: Array, u_group: Array, u_channel: Array) -> Array:
        """A component per row, drawn given the row's hour bin (``bins``). A small model
        keeps every bin's table: the group with ``u_group``, then its channel with
        ``u_channel``. A large one (the world's countries) draws the channel first,
        then the group, from the plain groups' day CDF or the windowed groups' hours."""
        channels = self.channels
        tables = self._tables
        if tables is not None:
            lifted, p = tables
            groups = self.day_weight.shape[1] // channels
            group = lifted.search(bins, u_group)
            part = p.reshape(-1, channels)[bins * groups + group]
            return group * channels + _pick_column(part, u_channel)
        draw = self._bin_tables
        if draw is not None:  # every bin's weights, kept: a year or two
            at = bins
        else:  # the bins present and each row's place among them (no sort: bins are few)
            present = np.zeros(len(self.starts), dtype=bool)
            present[bins] = True
            at = (np.cumsum(present) - 1)[bins]
            draw = _BinDraw.of(self, np.flatnonzero(present))
        # the channel: by the running sums of the channels' weights in the row's bin
        target = u_channel * draw.total[at]
        channel = np.zeros(len(bins), dtype=np.int64)
        for running_sum in draw.running:
            channel += running_sum[at] <= target
        np.minimum(channel, channels - 1, out=channel)
        cell = at * channels + channel
        # the group: among the plain ones by the day's CDF, else among the windowed
        x = u_group * draw.by_channel[cell]
        mass = draw.plain_mass[cell]
        group = np.empty(len(bins), dtype=np.int64)
        in_plain = x < mass
        plain_cdf = self.plain_cdf
        if plain_cdf is not None:
            rows = np.flatnonzero(in_plain)
            if len(rows):
                k = plain_cdf.search(draw.key[cell[rows]], x[rows] / mass[rows])
                group[rows] = self.plain[k]
        rest = np.flatnonzero(~in_plain | (plain_cdf is None))
        if len(rest):
            if len(self.windowed):
                running = draw.windowed[cell[rest]]  # (rows, windowed groups), cumulative
                left = x[rest] - np.where(len(self.plain) > 0, mass[rest], 0.0)
                k = (running[:, :-1] <= left[:, None]).sum(axis=1)
                group[rest] = self.windowed[np.minimum(k, len(self.windowed) - 1)]
            elif plain_cdf is not None:  # nothing has weight at this hour: the day's plain groups
                k = plain_cdf.search(draw.key[cell[rest]], u_group[rest])
                group[rest] = self.plain[k]
        out: Array = group * channels + channel
        return out


@dataclass(frozen=True)
class _BinDraw:
    """What drawing a row's component needs of each of some hour bins, flat: per bin
    the channels' running sums and total; per bin × channel (``bin * channels +
    channel``) the channel's weight, its plain groups' mass, the row of the plain
    groups' day CDF and the windowed groups' running sums."""

    running: tuple[Array, ...]  # channels - 1 columns (bins,)
    total: Array  # (bins,)
    by_channel: Array  # (bins × channels,)
    plain_mass: Array  # (bins × channels,)
    key: Array  # (bins × channels,)
    windowed: Array  # (bins × channels, windowed groups)

    @classmethod
    def of(cls, model: Model, bins: Array) -> _BinDraw:
        day, plain, total, windowed = model._bin_weights(bins)
        channels = model.channels
        columns = [np.ascontiguousarray(total[:, c]) for c in range(channels)]
        summed = columns[0].copy()
        for column in columns[1:]:
            summed += column
        running, partial = [], columns[0].copy()
        for column in columns[1:]:
            running.append(partial.copy())
            partial += column
        key = day[:, None] * channels + np.arange(channels)[None, :]
        return cls(
            tuple(running),
            summed,
            total.ravel(),
            plain.ravel(),
            key.ravel(),
            np.cumsum(windowed, axis=2).reshape(len(bins) * channels, -1),
        )


#: Bins × components above which a model draws from its day CDFs instead of per-bin tables.
_TABLE_LIMIT = 2_000_000


def _pick_column(weights: Array, u: Array) -> Array:
    """For each row of ``weights`` (rows × a few columns), the column its draw ``u``
    picks: the running sums, column by column."""
    total = weights[:, 0].copy()
    for c in range(1, weights.shape[1]):  # faster than a sum along a short axis
        total += weights[:, c]
    target = u * total
    column = np.zeros(len(weights), dtype=np.int64)
    running = weights[:, 0].copy()
    for c in range(1, weights.shape[1]):
        column += running <= target
        running += weights[:, c]
    picked: Array = np.minimum(column, weights.shape[1] - 1)
    return picked


class _Lifted:
    """Each row's CDF over its columns, lifted by the row number (rows with no weight
    spread evenly), flat: one search over all rows then finds every draw's column.

    A guide table (Chen's method) says, for each row and each of ``width`` equal slices
    of (0, 1), the first column whose CDF passes the slice's start; a draw starts there
    and steps on while the CDF is at or below it, a step or two on average instead of a
    binary search through the whole table. It finds what the binary search would.
    """

    def __init__(self, weights: Array) -> None:
        rows, width = weights.shape
        cum = np.cumsum(weights, axis=1)
        empty = cum[:, -1] <= 0
        if empty.any():
            cum[empty] = np.arange(1, width + 1)
        cum /= cum[:, -1:]
        cum += np.arange(rows)[:, None]
        self.width = width
        self.flat: Array = cum.ravel()
        # slice starts a hair low, so a draw's rounding never starts it past its column
        starts = np.arange(rows)[:, None] + (np.arange(width) / width - 1e-9)
        self.guide: Array = np.searchsorted(self.flat, starts.ravel(), side="right").astype(
            np.int32 if len(self.flat) < 2**31 else np.int64
        )

    def search(self, row: Array, u: Array) -> Array:
        """The column of each draw ``u`` in row ``row``."""
        width = self.width
        at = self.guide[row * width + np.minimum((u * width).astype(np.int64), width - 1)]
        at = _walk(self.flat, at, row + u)
        column: Array = np.clip(at - row * width, 0, width - 1)
        return column


def _walk(values: Array, at: Array, target: Array) -> Array:
    """``np.searchsorted(values, target, side="right")`` for sorted ``values``, stepping
    on from a start ``at`` that is at or before each answer (``at`` is updated)."""
    last = len(values) - 1
    move = np.flatnonzero(values[np.minimum(at, last)] <= target)
    while len(move):
        at[move] += 1
        move = move[(at[move] <= last) & (values[np.minimum(at[move], last)] <= target[move])]
    return at


def _search_cdf(cdf: Array, u: Array) -> Array:
    """``np.searchsorted(cdf, u, side="right")``: through a guide table (see
    :class:`_Lifted`) when the draws are many, since a binary search of random draws
    through a long CDF misses the cache at every step."""
    n = len(cdf)
    if len(u) < n // 4 or n < 2 or not cdf[-1] > 0:
        found: Array = np.searchsorted(cdf, u, side="right")
        return found
    top = cdf[-1]
    guide = np.searchsorted(cdf, (np.arange(n) / n - 1e-9) * top, side="right")
    bucket = np.clip((u / top * n).astype(np.int64), 0, n - 1)
    return _walk(cdf, guide[bucket], u)


def _weekday_roles(weekend: tuple[int, ...]) -> Array:
    """For each weekday (0 = Monday), the weekday it plays in a Saturday–Sunday week:
    the country's last weekend day plays Sunday, the one before Saturday, and so on."""
    days = set(weekend) or {6}
    last = next(d for d in sorted(days) if (d + 1) % 7 not in days) if len(days) < 7 else 6
    return (np.arange(7) + (6 - last)) % 7


def _hour_windows(rules: ShopRules) -> Array:
    """(3, 24) masks of the hours shops may trade: working day, Saturday, Sunday."""
    masks = np.ones((3, 24))
    for i, window in enumerate(rules.windows):
        if window is not None:
            opens, closes = window
            masks[i] = (np.arange(24) >= opens) & (np.arange(24) < closes)
    return masks


def _group_days(groups: Sequence[Group], days: Array) -> tuple[Array, Array, Array]:
    """Per group (rows) and day (columns): the weekday each day plays in a
    Saturday–Sunday week, whether it is a public holiday, and its day type."""
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    roles = np.array(
        [_weekday_roles(holiday_calendar(g.country).weekend_of(g.subdivision)) for g in groups]
    )
    role = roles[:, weekday]
    holiday = np.zeros(role.shape, dtype=bool)
    for i, group in enumerate(groups):
        at = (holiday_calendar(group.country).holidays(group.subdivision) - days[0]).astype(
            np.int64
        )
        holiday[i, at[(at >= 0) & (at < len(days))]] = True
    kind = np.full(role.shape, WORKDAY, dtype=np.int16)
    kind[role == 5] = WEEKEND_1
    kind[role == 6] = WEEKEND_2
    kind[holiday] = HOLIDAY
    return role, holiday, kind


def _shop_days(
    groups: Sequence[Group], days: Array, holiday: Array, kind: Array, n_types: int
) -> tuple[Array, Array]:
    """Day types under each group's shop law (type + 8 × regime: each regime, the law
    in force from its first day, has its own closed days and hours) and the masks
    (groups × types × 24) of the hours each type may trade."""
    mask = np.ones((len(groups), n_types, 24))
    mask[:, CLOSED::_TYPES] = 0.0
    kind = kind.copy()
    for i, group in enumerate(groups):
        regimes = shop_rules(group.country, group.subdivision)
        if all(rules.unrestricted for _, rules in regimes):
            continue
        firsts = np.array([first for first, _ in regimes], dtype="datetime64[D]")
        regime = np.searchsorted(firsts, days, side="right") - 1
        shifted = kind[i].copy()
        for r, (_, rules) in enumerate(regimes):
            # Weekend days keep the Saturday and Sunday windows, holidays the Sunday's
            # (every country whose law sets hours has a Saturday–Sunday weekend).
            block = _hour_windows(rules)[list(_WINDOW_OF_TYPE)]
            block[CLOSED] = 0.0
            own = kind[i].copy()
            closed = rules.closed(days, holiday[i])
            own[closed] = CLOSED
            for eve, on_eve, close in zip(
                (EVE_24, EVE_31), rules.eve_hours(days), rules.eves, strict=True
            ):
                own[on_eve & ~closed] = eve
                if close is not None:
                    block[eve] = block[WORKDAY] * (np.arange(24) < close)
            if rules.short is not None:  # a custom part day (Israel's Friday)
                own[rules.short_hours(days) & ~closed] = SHORT
                opens, closes = rules.short
                hour = np.arange(24)
                block[SHORT] = block[WORKDAY] * ((hour >= opens) & (hour < closes))
            mask[i, _TYPES * r : _TYPES * (r + 1)] = block
            inside = regime == r
            shifted[inside] = own[inside] + _TYPES * r
        kind[i] = shifted
    return kind, mask


def _day_weights(
    groups: Sequence[Group],
    channel: Channel,
    days: Array,
    role: Array,
    holiday: Array,
    kind: Array,
    hours: Array,
    seed: int | None = None,
) -> Array:
    """A channel's weight of each group's days (groups × days): the weekday's (a public
    holiday weighs as the last weekend day, or online as an ordinary day times its
    kind's figure), × the country's retail events × a day-to-day variation, then
    calibrated to the country's month series or weighed by the rhythm's months along a
    continuous curve that keeps each month's share."""
    rhythm = channel.rhythm
    weekdays = np.asarray(rhythm.weekdays, dtype=np.float64)
    weights = weekdays[role]
    weights[holiday] = weekdays[6]
    shares = [month_shares(g.country) if rhythm.retail else None for g in groups]
    if rhythm.retail:
        with_events = event_countries(shop=rhythm.shop)
        for i, group in enumerate(groups):
            if group.country in with_events:
                factors = event_factors(group.country, days, shop=rhythm.shop)
                if not rhythm.shop:
                    _ordinary_holidays(weights[i], weekdays, holiday[i], factors)
                weights[i] *= factors
    if seed is not None and rhythm.retail:  # measured on shopping, not on site visits
        weights *= _day_variation(groups, days, seed, rhythm)
    daily = weights * hours.sum(axis=2)[np.arange(len(groups))[:, None], kind]
    series = np.flatnonzero([x is not None for x in shares])
    month = days.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    at = month - month[0]
    n = int(at[-1]) + 1
    if len(series):  # each month of each year gets its published share of the year
        target = np.array([shares[i] for i in series])[:, (np.arange(n) + month[0]) % 12]
        weights[series] *= month_curve(daily[series], at, target)
    if rhythm.months is not None:
        others = np.setdiff1d(np.arange(len(groups)), series)
        if len(others):
            base = _month_sums(daily[others], at, n)
            factor = np.asarray(rhythm.months, dtype=np.float64)[(np.arange(n) + month[0]) % 12]
            weights[others] *= month_curve(daily[others], at, base * factor)
    return weights


def _ordinary_holidays(weights: Array, weekdays: Array, holiday: Array, factors: Array) -> None:
    """Online orders on a public holiday that has its own figure (Christmas Day,
    Thanksgiving: an uplift or dip on an *ordinary* day) start from an ordinary day's
    weight, the mean of the week, not the last weekend day's (``weights`` in place)."""
    own = holiday & (factors != 1.0)
    weights[own] = weekdays.mean()


def _day_variation(groups: Sequence[Group], days: Array, seed: int, rhythm: Rhythm) -> Array:
    """Each group's day-to-day variation (groups × days): its country's
    (:func:`day_variation`; the states of a country share it)."""
    countries = tuple(dict.fromkeys(g.country for g in groups))
    walk = day_variation(countries, rhythm.name, days, seed)
    row = {cc: i for i, cc in enumerate(countries)}
    out: Array = walk[[row[g.country] for g in groups]]
    return out


def _month_sums(daily: Array, at: Array, n: int) -> Array:
    """Each row's sum of ``daily`` over each month (``at``: the month of each day)."""
    rows = len(daily)
    cell = (np.arange(rows)[:, None] * n + at).ravel()
    sums: Array = np.bincount(cell, weights=daily.ravel(), minlength=rows * n).reshape(rows, n)
    return sums


def month_curve(daily: Array, at: Array, target: Array) -> Array:
    """A continuous multiplier per day (rows × days) that gives each month (``at``: the
    month of each day, 0 = the first) its ``target`` sum of ``daily`` × multiplier.

    The multiplier is linear between nodes at the months' midpoints (flat before the
    first and after the last): the node values solve the (tridiagonal) system that each
    month's sum is its target, so the curve keeps every month's share but has no step
    at a month's first day. A row whose system has no positive solution (a month with
    nothing open, a target of 0) keeps the step of target / sum instead."""
    rows, n_days = daily.shape
    n = target.shape[1]
    sums = _month_sums(daily, at, n)
    positive = sums > 0
    step = np.where(positive, target / np.where(positive, sums, 1.0), 0.0)
    if n < 2:
        out: Array = step[:, at]
        return out
    first = np.searchsorted(at, np.arange(n))
    length = np.diff(np.r_[first, n_days])
    mid = first + (length - 1) / 2.0
    x = np.arange(n_days, dtype=np.float64)
    right = np.clip(np.searchsorted(mid, x, side="right"), 1, n - 1)
    left = right - 1
    t = np.clip((x - mid[left]) / (mid[right] - mid[left]), 0.0, 1.0)
    # each month's sum as a linear function of its own and its neighbours' node values
    # (a day lies between the midpoints of its month and one neighbour): the three
    # diagonals of a tridiagonal system per row, solved by the Thomas algorithm
    rows_at = np.arange(rows)[:, None] * (3 * n) + 3 * at[None, :]
    cells = np.concatenate([(rows_at + left - at + 1).ravel(), (rows_at + right - at + 1).ravel()])
    weights = np.concatenate([(daily * (1.0 - t)).ravel(), (daily * t).ravel()])
    bands = np.bincount(cells, weights=weights, minlength=rows * n * 3).reshape(rows, n, 3)
    curve = step[:, at]
    ok = positive.all(axis=1) & (target > 0).all(axis=1)
    if ok.any():
        nodes = _tridiagonal(bands[ok], target[ok])
        good = np.isfinite(nodes).all(axis=1) & (nodes > 0).all(axis=1)
        which = np.flatnonzero(ok)[good]
        nodes = nodes[good]
        curve[which] = nodes[:, left] * (1.0 - t) + nodes[:, right] * t
    return curve


def _tridiagonal(bands: Array, rhs: Array) -> Array:
    """Solve, row by row, the systems whose (rows, n, 3) ``bands`` hold each equation's
    coefficients of the unknowns before, at and after it (the Thomas algorithm, a step
    per equation vectorised over the rows; stable for the diagonally dominant systems of
    :func:`month_curve`)."""
    lower, diag, upper = bands[:, :, 0], bands[:, :, 1], bands[:, :, 2]
    n = rhs.shape[1]
    c = np.zeros_like(rhs)
    d = np.zeros_like(rhs)
    with np.errstate(divide="ignore", invalid="ignore"):
        c[:, 0] = upper[:, 0] / diag[:, 0]
        d[:, 0] = rhs[:, 0] / diag[:, 0]
        for k in range(1, n):
            m = diag[:, k] - lower[:, k] * c[:, k - 1]
            c[:, k] = upper[:, k] / m
            d[:, k] = (rhs[:, k] - lower[:, k] * d[:, k - 1]) / m
    out = np.empty_like(rhs)
    out[:, -1] = d[:, -1]
    for k in range(n - 2, -1, -1):
        out[:, k] = d[:, k] - c[:, k] * out[:, k + 1]
    return out


def build_model(
    groups: Sequence[Group],
    channels: Sequence[Channel],
    start: dt.datetime,
    end: dt.datetime,
    *,
    growth: float = 0.0,
    seed: int | None = None,
) -> Model:
    """The mixture over ``groups`` × ``channels`` for the hours from ``start`` to ``end``
    (both local wall-clock times, ``end`` included). A retail channel of a country
    with a month series keeps its shares; other channels keep their rhythm's months, if
    any, else only their events and holidays shape their year; with a ``seed``, each
    country's days of a retail channel vary around that shape
    (:func:`tempdata.calendar.rules.day_variation`).
    Built for all groups at once (arrays of groups × days), a channel at a time."""
    epoch = dt.datetime(1970, 1, 1)
    start_us = (start - epoch) // dt.timedelta(microseconds=1)
    end_us = (end - epoch) // dt.timedelta(microseconds=1)
    year_first = np.datetime64(f"{start.year:04d}-01-01", "D")
    year_last = np.datetime64(f"{end.year:04d}-12-31", "D")
    all_days = np.arange(year_first, year_last + 1, dtype="datetime64[D]")
    first_day = np.datetime64(start.date(), "D")
    last_day = np.datetime64(end.date(), "D")
    keep = (all_days >= first_day) & (all_days <= last_day)
    days = all_days[keep]
    first_us = int(days[0].astype("datetime64[us]").astype(np.int64))
    n_days, n_groups, n_ch = len(days), len(groups), len(channels)
    n_comp = n_groups * n_ch
    n_types = _TYPES * max(len(shop_rules(g.country, g.subdivision)) for g in groups)
    # Hours of the first and last day outside the range weigh nothing (partial bins
    # weigh their share of the hour); every other hour weighs 1.
    hour_starts = (
        first_us + np.arange(n_days * 24, dtype=np.int64).reshape(n_days, 24) * US_PER_HOUR
    )
    span = (
        np.clip(
            np.minimum(hour_starts + US_PER_HOUR, end_us + 1) - np.maximum(hour_starts, start_us),
            0,
            None,
        )
        / US_PER_HOUR
    )
    role, holiday, kind = _group_days(groups, all_days)
    open_mask = np.zeros((n_groups, n_types, 24))
    open_mask[:, :_TYPES] = 1.0
    open_mask[:, CLOSED] = 0.0
    shop = None
    if any(c.rhythm.shop for c in channels):
        shop = _shop_days(groups, all_days, holiday, kind, n_types)
    years = (np.arange(n_days) / 365.2425) if growth else None
    day_weight: Array = np.zeros((n_days, n_groups, n_ch))
    # A component's hours on a day type are its channel's base hours × a 0/1 mask; the
    # masks are few (the open day, the closed day, each legal window), so the model
    # keeps each distinct row once and, per day and component, where its row begins.
    bits = 1 << np.arange(24, dtype=np.int64)
    masks = [(m > 0).astype(np.int64) @ bits for m in (open_mask,) + (shop[1:] if shop else ())]
    codes, row_of = np.unique(np.concatenate([m.ravel() for m in masks]), return_inverse=True)
    row_of = row_of.reshape(len(masks), n_groups, n_types)
    rows_per_channel = len(codes)
    offsets: Array = np.zeros((n_days, n_groups, n_ch), dtype=np.int32)
    density = np.zeros((n_days, 24))
    plain_group = np.ones(n_groups, dtype=bool)
    rows = np.arange(n_groups)
    for c, channel in enumerate(channels):
        own_kind, mask = shop if channel.rhythm.shop and shop is not None else (kind, open_mask)
        hours = mask * np.asarray(channel.rhythm.hours, dtype=np.float64)
        weights = _day_weights(groups, channel, all_days, role, holiday, own_kind, hours, seed)
        w, k = weights[:, keep], own_kind[:, keep]
        if years is not None:
            w = w * (1.0 + growth) ** years
        per_day = hours.sum(axis=2)[rows[:, None], k]
        for d in {0, n_days - 1}:  # the partial first and last days
            per_day[:, d] = (hours[rows, k[:, d]] * span[d]).sum(axis=1)
        total = (w * per_day).sum(axis=1)
        shares = np.array([g.weight for g in groups]) * channel.share
        scale = np.where(total > 0, shares / np.where(total > 0, total, 1.0), 0.0)
        w = w * scale[:, None]
        # Closed days weigh nothing.
        w[k % _TYPES == CLOSED] = 0.0
        day_weight[:, :, c] = w.T
        own = row_of[1 if channel.rhythm.shop and shop is not None else 0]
        offsets[:, :, c] = (c * rows_per_channel + own[rows[:, None], k]).T * 24
        # Summed over groups a few at a time, not by a matrix product: BLAS sums in an
        # order that depends on its threads, and a last-bit difference moves a timestamp.
        for lo in range(0, n_groups, 16):
            part = slice(lo, lo + 16)
            density += (w[part, :, None] * hours[rows[part, None], k[part]]).sum(axis=0)
        # A group is "plain" if its hours on every day type it has are the channel's
        # base hours (no legal window, no early close): drawn from a CDF per day.
        used = np.zeros((n_groups, n_types), dtype=bool)
        used[np.repeat(rows, n_days), k.ravel()] = True
        used[:, CLOSED::_TYPES] = False
        plain_group &= ((mask == 1.0).all(axis=2) | ~used).all(axis=1)
    density = (density * span).ravel()
    if density.sum() <= 0:  # nothing open at all in the range: spread evenly
        density = span.ravel().copy()
    cdf = np.cumsum(density)
    day_weight = day_weight.reshape(n_days, n_comp)
    offsets = offsets.reshape(n_days, n_comp)
    base = np.array([c.rhythm.hours for c in channels], dtype=np.float64)
    unpacked = ((codes[:, None] & bits) > 0).astype(np.float64)  # (rows, 24)
    hour_weight = (base[:, None, :] * unpacked[None, :, :]).ravel()  # channel by channel
    del role, holiday, kind, open_mask, shop, masks, row_of
    plain = np.flatnonzero(plain_group)
    windowed = np.flatnonzero(~plain_group)
    by_group = day_weight.reshape(n_days, n_groups, n_ch)[:, plain, :]  # (days, plain, ch)
    plain_mass = by_group.sum(axis=1)
    plain_cdf = (
        _Lifted(by_group.transpose(0, 2, 1).reshape(n_days * n_ch, len(plain)))
        if len(plain)
        else None
    )
    return Model(
        first_us,
        hour_starts.ravel(),
        cdf / cdf[-1],
        day_weight,
        hour_weight,
        offsets,
        n_ch,
        base,
        plain,
        plain_mass,
        plain_cdf,
        windowed,
    )


def draw_times(
    model: Model, u: Array, start_us: int, end_us: int, *, ascending: bool = False
) -> tuple[Array, Array]:
    """Times (µs) by inverse CDF of ``u`` and their hour bins (``ascending``: ``u`` is
    sorted, as for a table sorted by time)."""
    return hourly_inverse_cdf(model.starts, model.cdf, u, start_us, end_us, ascending=ascending)


def hourly_inverse_cdf(
    starts: Array, cdf: Array, u: Array, start_us: int, end_us: int, *, ascending: bool = False
) -> tuple[Array, Array]:
    """Times (µs) for the quantiles ``u`` of a piecewise-constant density over hour bins
    (``starts``, their ``cdf``), inside ``start_us``..``end_us``, and their bins.
    ``ascending`` says ``u`` is sorted (non-decreasing), which finds the bins faster."""
    found = _search_ascending(cdf, u) if ascending and len(u) else _search_cdf(cdf, u)
    k = np.minimum(found, len(cdf) - 1)
    below = np.where(k > 0, cdf[k - 1], 0.0)
    width = cdf[k] - below
    frac = np.where(width > 0, (u - below) / np.where(width > 0, width, 1.0), 0.0)
    lo = np.maximum(starts[k], start_us)
    hi = np.minimum(starts[k] + US_PER_HOUR - 1, end_us)
    micros = np.clip(lo + np.floor(frac * (hi - lo + 1)).astype(np.int64), lo, hi)
    return micros, k


def _search_ascending(cdf: Array, u: Array) -> Array:
    """``np.searchsorted(cdf, u, side="right")`` for non-decreasing ``u``, counted the
    other way round: each CDF value between the first and last draw is placed among
    the draws, and a draw's answer is the number of values placed at or before it
    (one search per bin the draws span instead of one per draw)."""
    lo = int(np.searchsorted(cdf, u[0], side="right"))
    hi = int(np.searchsorted(cdf, u[-1], side="right"))
    placed = np.searchsorted(u, cdf[lo:hi], side="left")
    counts = np.bincount(placed, minlength=len(u) + 1)[: len(u)]
    found: Array = lo + np.cumsum(counts)
    return found
