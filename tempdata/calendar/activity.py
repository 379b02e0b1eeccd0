"""How activity that keeps a country's calendar spreads over the hours of a date range.

A *component* is one group of places (the states of a country that keep the same
holidays, or one country of a ``global`` dataset) × one channel (a shop, a website).
Each has a density over the range's hours::

    f(hour) = day weight × hour weight[day type](hour) / Z

The day weight is the weekday's weight (turned so the country's weekend takes the
weekend's weights) × the country's retail events × a month calibration that gives each
month its published share of the year. The day type picks the hours: a working day,
the first or second weekend day, a public holiday, a closed day (no activity) or an eve
on which shops close early; shop channels keep the country's legal opening hours. ``Z``
normalises each component so that its share of the rows is its group's population share
× the channel's share.

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
from tempdata.calendar.rules import ShopRules, event_factors, month_shares, shop_rules

__all__ = ["Channel", "Group", "Model", "Rhythm", "build_model", "draw_times", "hourly_inverse_cdf"]

Array = np.ndarray[Any, Any]

US_PER_HOUR = 3_600_000_000
US_PER_DAY = 24 * US_PER_HOUR

#: Day types: the rows of a component's hour weights (24 and 31 December where a law
#: closes shops early on them), once per regime of the shop law (type + 7 × regime).
WORKDAY, WEEKEND_1, WEEKEND_2, HOLIDAY, CLOSED, EVE_24, EVE_31 = range(7)
_TYPES = 7
#: The legal window each day type keeps: 0 a working day's, 1 Saturday's, 2 Sunday's.
_WINDOW_OF_TYPE = (0, 1, 2, 2, 2, 0, 0)


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
    day_type: Array  # (days, components) int16
    hour_weight: Array  # (components, day types, 24), flattened
    offsets: Array  # (days, components): where each day's hour weights begin in it
    channels: int
    base: Array  # (channels, 24): each channel's hours
    plain: Array  # the groups without a mask
    plain_mass: Array  # (days, channels): their summed day weights
    plain_cdf: Array  # lifted CDF over the plain groups, row day × channels + channel
    windowed: Array  # the other groups

    @cached_property
    def _tables(self) -> tuple[Array, Array] | None:
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
        return _lifted(by_group).ravel(), p

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
            group = _search(lifted, bins, u_group, groups)
            part = p.reshape(-1, channels)[bins * groups + group]
            return group * channels + _pick_column(part, u_channel)
        unique, inverse = np.unique(bins, return_inverse=True)
        rel = self.starts[unique] - self.first_us
        day, hour = rel // US_PER_DAY, (rel // US_PER_HOUR) % 24
        # per bin and channel: the plain groups' mass, and each windowed group's
        plain = self.plain_mass[day] * self.base[:, hour].T  # (bins, channels)
        comp = (self.windowed[:, None] * channels + np.arange(channels)).ravel()
        if len(comp):
            at = self.offsets[day][:, comp] + hour[:, None]
            windowed = (self.day_weight[day][:, comp] * np.take(self.hour_weight, at)).reshape(
                len(unique), len(self.windowed), channels
            )
            total = plain + windowed.sum(axis=1)
        else:
            windowed = np.zeros((len(unique), 0, channels))
            total = plain
        t = total[inverse]
        channel = _pick_column(t, u_channel)
        # the group: among the plain ones by the day's CDF, else among the windowed
        x = u_group * t[np.arange(len(bins)), channel]
        mass = plain[inverse, channel]
        group = np.empty(len(bins), dtype=np.int64)
        in_plain = x < mass
        if in_plain.any() and len(self.plain):
            rows = np.flatnonzero(in_plain)
            key = day[inverse[rows]] * channels + channel[rows]
            k = _search(self.plain_cdf, key, x[rows] / mass[rows], len(self.plain))
            group[rows] = self.plain[k]
        rest = np.flatnonzero(~in_plain | (len(self.plain) == 0))
        if len(rest):
            if len(self.windowed):
                w = windowed[inverse[rest], :, channel[rest]]  # (rows, windowed groups)
                left = x[rest] - np.where(len(self.plain) > 0, mass[rest], 0.0)
                running = np.cumsum(w, axis=1)
                k = (running[:, :-1] <= left[:, None]).sum(axis=1)
                group[rest] = self.windowed[np.minimum(k, len(self.windowed) - 1)]
            else:  # nothing has weight at this hour: the day's plain groups
                key = day[inverse[rest]] * channels + channel[rest]
                k = _search(self.plain_cdf, key, u_group[rest], len(self.plain))
                group[rest] = self.plain[k]
        return group * channels + channel


#: Bins × components above which a model draws from its day CDFs instead of per-bin tables.
_TABLE_LIMIT = 2_000_000


def _pick_column(weights: Array, u: Array) -> Array:
    """For each row of ``weights`` (rows × a few columns), the column its draw ``u``
    picks: the running sums, column by column."""
    target = u * weights.sum(axis=1)
    column = np.zeros(len(weights), dtype=np.int64)
    running = weights[:, 0].copy()
    for c in range(1, weights.shape[1]):
        column += running <= target
        running += weights[:, c]
    picked: Array = np.minimum(column, weights.shape[1] - 1)
    return picked


def _lifted(weights: Array) -> Array:
    """Each row's CDF over its columns, lifted by the row number (rows with no weight
    spread evenly): one search over all rows then finds every draw's column."""
    width = weights.shape[1]
    cum = np.cumsum(weights, axis=1)
    empty = cum[:, -1] <= 0
    if empty.any():
        cum[empty] = np.arange(1, width + 1)
    cum /= cum[:, -1:]
    cum += np.arange(len(cum))[:, None]
    return cum


def _search(lifted: Array, row: Array, u: Array, width: int) -> Array:
    """The column of each draw ``u`` in row ``row`` of a flat :func:`_lifted` table."""
    k: Array = np.searchsorted(lifted, row + u, side="right") - row * width
    return np.clip(k, 0, width - 1)


def _member(days: Array, sorted_days: Array) -> Array:
    """Whether each of ``days`` is in ``sorted_days`` (sorted, unique)."""
    if not len(sorted_days):
        return np.zeros(len(days), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_days, days), len(sorted_days) - 1)
    found: Array = sorted_days[at] == days
    return found


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


def _component_days(
    group: Group, channel: Channel, days: Array, regimes: tuple[tuple[Any, ShopRules], ...]
) -> tuple[Array, Array, Array]:
    """Day weights, day types and hour weights (types × 24) of one component, over
    ``days`` (whole years), before month calibration and normalisation."""
    cal = holiday_calendar(group.country)
    rhythm = channel.rhythm
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    role = _weekday_roles(cal.weekend)[weekday]
    holiday = _member(days, cal.holidays(group.subdivision))
    kind: Array = np.full(len(days), WORKDAY, dtype=np.int8)
    kind[role == 5] = WEEKEND_1
    kind[role == 6] = WEEKEND_2
    kind[holiday] = HOLIDAY
    weights = np.asarray(rhythm.weekdays, dtype=np.float64)[role]
    # A public holiday is a rest day: it takes the weight of the second weekend day.
    weights[holiday] = rhythm.weekdays[6]
    base = np.asarray(rhythm.hours, dtype=np.float64)
    if not rhythm.shop:
        hours = np.tile(base, (_TYPES, 1))
        hours[CLOSED] = 0.0
    else:
        # Each regime of the shop law (the law in force from its first day) has its own
        # closed days and hours: day type + 7 × regime.
        hours = np.zeros((_TYPES * len(regimes), 24))
        firsts = np.array([first for first, _ in regimes], dtype="datetime64[D]")
        regime = np.searchsorted(firsts, days, side="right") - 1
        shifted = kind.astype(np.int16)
        for r, (_, rules) in enumerate(regimes):
            inside = regime == r
            windows = _hour_windows(rules)
            # Weekend days keep the Saturday and Sunday windows, holidays the Sunday's
            # (every country whose law sets hours has a Saturday–Sunday weekend).
            block = base * windows[list(_WINDOW_OF_TYPE)]
            block[CLOSED] = 0.0
            own = kind.copy()
            closed = rules.closed(days, holiday)
            own[closed] = CLOSED
            for eve, mask, close in zip(
                (EVE_24, EVE_31), rules.eve_hours(days), rules.eves, strict=True
            ):
                own[mask & ~closed] = eve
                if close is not None:
                    block[eve] = block[WORKDAY] * (np.arange(24) < close)
            hours[_TYPES * r : _TYPES * (r + 1)] = block
            shifted[inside] = own[inside] + _TYPES * r
        kind = shifted
    if rhythm.retail:
        weights *= event_factors(group.country, days, shop=rhythm.shop)
    return weights, kind, hours


def _rhythm_days(
    group: Group, channel: Channel, days: Array, regimes: tuple[tuple[Any, ShopRules], ...]
) -> tuple[Array, Array, Array]:
    """A component's days, calibrated to its country's month series or weighed by its
    rhythm's months."""
    weights, kind, hours = _component_days(group, channel, days, regimes)
    shares = month_shares(group.country) if channel.rhythm.retail else None
    if shares is not None:
        daily = weights * hours[kind].sum(axis=1)
        weights = weights * _calibrate_months(days, daily, shares)
    elif channel.rhythm.months is not None:  # a day's weight by its month
        month = days.astype("datetime64[M]").astype(np.int64) % 12
        weights = weights * np.asarray(channel.rhythm.months, dtype=np.float64)[month]
    return weights, kind, hours


def _calibrate_months(days: Array, daily: Array, shares: Array) -> Array:
    """Factors per day that give each month of each year its share of the year."""
    months = days.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    first = months[0]
    per_month = np.bincount(months - first, weights=daily)
    target = shares[(np.arange(len(per_month)) + first) % 12]
    scale = np.where(per_month > 0, target / np.where(per_month > 0, per_month, 1.0), 0.0)
    factors: Array = scale[months - first]
    return factors


def build_model(
    groups: Sequence[Group],
    channels: Sequence[Channel],
    start: dt.datetime,
    end: dt.datetime,
    *,
    growth: float = 0.0,
) -> Model:
    """The mixture over ``groups`` × ``channels`` for the hours from ``start`` to ``end``
    (both local wall-clock times, ``end`` included). A retail channel of a country
    with a month series keeps its shares; other channels keep their rhythm's months, if
    any, else only their events and holidays shape their year."""
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
    n_days, n_comp = len(days), len(groups) * len(channels)
    day_weight = np.zeros((n_days, n_comp))
    day_type = np.zeros((n_days, n_comp), dtype=np.int16)
    regimes = {g: shop_rules(g.country, g.subdivision) for g in groups}
    n_types = _TYPES * max(len(r) for r in regimes.values())
    hour_weight = np.zeros((n_comp, n_types, 24))
    # Hours of the first and last day outside the range weigh nothing (partial bins
    # weigh their share of the hour).
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
    years = (np.arange(n_days) / 365.2425) if growth else None
    j = 0
    for group in groups:
        for channel in channels:
            weights, kind, hours = _rhythm_days(group, channel, all_days, regimes[group])
            w, k = weights[keep], kind[keep]
            if years is not None:
                w = w * (1.0 + growth) ** years
            total = float((w[:, None] * hours[k] * span).sum())
            scale = group.weight * channel.share / total if total > 0 else 0.0
            day_weight[:, j] = w * scale
            day_type[:, j] = k
            hour_weight[j, : len(hours)] = hours
            j += 1
    # Component by component, not a matrix product: BLAS sums in an order that depends
    # on its threads, and a last-bit difference moves a timestamp by a microsecond.
    density = np.zeros((n_days, 24))
    for j in range(n_comp):
        density += day_weight[:, j, None] * hour_weight[j, day_type[:, j]]
    density = (density * span).ravel()
    if density.sum() <= 0:  # nothing open at all in the range: spread evenly
        density = span.ravel().copy()
    cdf = np.cumsum(density)
    offsets = (np.arange(n_comp, dtype=np.int32) * n_types)[None, :] + day_type.astype(np.int32)
    # Closed days weigh nothing; groups whose hours are their channels' base hours on
    # every day type they have are "plain" (drawn from a CDF per day and channel).
    n_ch = len(channels)
    base = np.array([c.rhythm.hours for c in channels], dtype=np.float64)
    day_weight = np.where(day_type % _TYPES == CLOSED, 0.0, day_weight)
    channel_of = np.arange(n_comp) % n_ch
    used = np.zeros((n_comp, n_types), dtype=bool)
    used[np.arange(n_comp)[None, :].repeat(n_days, 0), day_type] = True
    used[:, CLOSED::_TYPES] = False
    same = np.isclose(hour_weight, base[channel_of][:, None, :]).all(axis=2) | ~used
    plain_comp = same.all(axis=1)
    plain_group = plain_comp.reshape(len(groups), n_ch).all(axis=1)
    plain = np.flatnonzero(plain_group)
    windowed = np.flatnonzero(~plain_group)
    by_group = day_weight.reshape(n_days, len(groups), n_ch)[:, plain, :]  # (days, plain, ch)
    plain_mass = by_group.sum(axis=1)
    plain_cdf = (
        _lifted(by_group.transpose(0, 2, 1).reshape(n_days * n_ch, len(plain)))
        if len(plain)
        else np.zeros((0, 0))
    )
    return Model(
        first_us,
        hour_starts.ravel(),
        cdf / cdf[-1],
        day_weight,
        day_type,
        hour_weight.ravel(),
        offsets * 24,
        n_ch,
        base,
        plain,
        plain_mass,
        plain_cdf.ravel(),
        windowed,
    )


def draw_times(model: Model, u: Array, start_us: int, end_us: int) -> tuple[Array, Array]:
    """Times (µs) by inverse CDF of ``u`` and their hour bins."""
    return hourly_inverse_cdf(model.starts, model.cdf, u, start_us, end_us)


def hourly_inverse_cdf(
    starts: Array, cdf: Array, u: Array, start_us: int, end_us: int
) -> tuple[Array, Array]:
    """Times (µs) for the quantiles ``u`` of a piecewise-constant density over hour bins
    (``starts``, their ``cdf``), inside ``start_us``..``end_us``, and their bins."""
    k = np.minimum(np.searchsorted(cdf, u, side="right"), len(cdf) - 1)
    below = np.where(k > 0, cdf[k - 1], 0.0)
    width = cdf[k] - below
    frac = np.where(width > 0, (u - below) / np.where(width > 0, width, 1.0), 0.0)
    lo = np.maximum(starts[k], start_us)
    hi = np.minimum(starts[k] + US_PER_HOUR - 1, end_us)
    micros = np.clip(lo + np.floor(frac * (hi - lo + 1)).astype(np.int64), lo, hi)
    return micros, k
