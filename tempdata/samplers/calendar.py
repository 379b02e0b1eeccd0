"""Local times that keep the country's calendar, with the channel and the calendar group
of each row (:mod:`tempdata.calendar.activity`).

``calendar_times`` draws a row's local time from the mixture of its country's (or, in
a ``global`` dataset, every country's) calendars, then the channel and the group of
places given that hour; :func:`tempdata.samplers.places` with ``calendar=`` then puts
the row in a city of that group. A table can so be sorted by time while a German store
never trades on a Sunday and a Bavarian one never on Corpus Christi.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import polars as pl

from tempdata.calendar.activity import (
    US_PER_HOUR,
    Channel,
    Model,
    Rhythm,
    build_model,
    draw_times,
)
from tempdata.calendar.carriers import deliver
from tempdata.calendar.groups import place_groups
from tempdata.calendar.holidays import holiday_calendar, years_known
from tempdata.core.caching import shared_cache
from tempdata.core.plan import ChunkContext, GroupSampler, Params, SampleOutput, Sampler
from tempdata.errors import InvalidParameterError
from tempdata.geo.countries import GLOBAL, resolve_country
from tempdata.samplers._base import Array, CallRepr
from tempdata.samplers.temporal import PROFILES, Profile

__all__ = ["RHYTHMS", "calendar_times", "delivery_times"]

#: Shops keep the retail profile's hours and weekdays and the country's shop law; web
#: and app orders the online-shopping profile's (evenings, Sundays) on any day.
RHYTHMS: dict[str, Rhythm] = {
    "shop": Rhythm("shop", PROFILES["retail"].hours, PROFILES["retail"].weekdays, shop=True),
    "online": Rhythm("online", PROFILES["online"].hours, PROFILES["online"].weekdays, shop=False),
}
_EPOCH = dt.datetime(1970, 1, 1)


def _micros(value: dt.datetime) -> int:
    return (value - _EPOCH) // dt.timedelta(microseconds=1)


@shared_cache(maxsize=16)  # chunks are built on threads: one builds the model, the others wait
def _model(
    country: str,
    channels: tuple[Channel, ...],
    start: dt.datetime,
    end: dt.datetime,
    growth: float,
    seed: int | None = None,
) -> Model:
    groups, _ = place_groups(country)
    return build_model(groups, channels, start, end, growth=growth, seed=seed)


@lru_cache(maxsize=64)
def _by_rhythm(channels: tuple[Channel, ...]) -> tuple[tuple[Channel, ...], Array, Array]:
    """The channels merged by rhythm (in order of first appearance, shares summed); the
    index of each rhythm's first channel; and per rhythm the cumulative shares of its
    channels (the channels of a rhythm are consecutive in ``channels``)."""
    order: dict[Rhythm, list[int]] = {}
    for i, c in enumerate(channels):
        order.setdefault(c.rhythm, []).append(i)
    merged, first = [], []
    width = max(len(v) for v in order.values())
    within = np.ones((len(order), width))
    for k, (rhythm, members) in enumerate(order.items()):
        if members != list(range(members[0], members[0] + len(members))):
            msg = "calendar_times: channels of one rhythm must be listed together"
            raise InvalidParameterError(msg)
        shares = np.array([channels[i].share for i in members])
        merged.append(Channel(rhythm.name, rhythm, float(shares.sum())))
        first.append(members[0])
        within[k, : len(members)] = np.cumsum(shares) / shares.sum()
    return tuple(merged), np.array(first), within


@lru_cache(maxsize=64)
def _check_span(country: str, start: dt.datetime, end: dt.datetime) -> None:
    if country != GLOBAL:
        holiday_calendar(country).check_span(start.date(), end.date())
        return
    # A global dataset needs the table's whole span; a country whose rules begin later
    # (Kosovo's in 2009) has no holidays before them.
    first, last = years_known(g.country for g in place_groups(GLOBAL)[0])
    if start.year < first or end.year > last:
        msg = (
            f"public holidays are known for {first}–{last}, not for {start.date()}.."
            f"{end.date()}: choose a date range within those years"
        )
        raise InvalidParameterError(msg)


@dataclass(frozen=True, repr=False)
class _CalendarTimes(CallRepr, GroupSampler):
    _factory = "calendar_times"
    channels: tuple[Channel, ...]
    sorted: bool = False
    growth: float = 0.0

    def __repr__(self) -> str:
        shares = {c.name: (c.rhythm.name, c.share) for c in self.channels}
        extra = (", sorted=True" if self.sorted else "") + (
            f", growth={self.growth!r}" if self.growth else ""
        )
        return f"calendar_times({shares!r}{extra})"

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        return {
            "time": pl.Datetime("us"),
            "channel": pl.Enum([c.name for c in self.channels]),
            "calendar": pl.Int32(),
        }

    def prepare(self, params: Params, seeder: Any) -> None:
        """Build the run's model ahead (the first chunk then finds it cached)."""
        country = resolve_country(params.country)
        _check_span(country, params.date_start, params.date_end)
        rhythms, _, _ = _by_rhythm(self.channels)
        seed = seeder.context_seed("calendar.days")
        _model(country, rhythms, params.date_start, params.date_end, self.growth, seed)

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        params = ctx.params
        country = resolve_country(params.country)
        _check_span(country, params.date_start, params.date_end)
        # Channels of one rhythm (web and app) share their hours: the model mixes the
        # rhythms, and a row of a rhythm then takes one of its channels by their shares.
        rhythms, of_rhythm, within = _by_rhythm(self.channels)
        # the days' variation is the run's (its seed's), the same for every chunk
        seed = ctx.seeder.context_seed("calendar.days")
        model = _model(country, rhythms, params.date_start, params.date_end, self.growth, seed)
        start, end = _micros(params.date_start), _micros(params.date_end)
        # contiguous copies of the draw's columns: strided ones slow every step after
        u_time, u_group, u_channel, u_sub = np.ascontiguousarray(rng.random((ctx.n, 4)).T)
        if self.sorted:
            u_time = (ctx.row_index() + u_time) / params.rows
        micros, _ = draw_times(model, u_time, start, end, ascending=self.sorted)
        if self.sorted:  # guard the order against float rounding at bin edges
            micros = np.maximum.accumulate(micros)
        bins = (micros - model.first_us) // US_PER_HOUR
        part = model.components(bins, u_group, u_channel)
        out: dict[str, SampleOutput] = {}
        if "time" in fields:
            out["time"] = pl.Series(micros).cast(pl.Datetime("us"))
        if "channel" in fields:
            names = [c.name for c in self.channels]
            rhythm = part % model.channels
            channel = of_rhythm[rhythm]  # the rhythm's first channel
            for offset in range(1, within.shape[1]):
                channel = channel + (u_sub >= within[rhythm, offset - 1])
            out["channel"] = pl.Series(names, dtype=pl.Enum(names)).gather(channel)
        if "calendar" in fields:
            out["calendar"] = pl.Series(part // model.channels, dtype=pl.Int32)
        return {f: out[f] for f in fields}


def _from_profile(profile: Profile) -> Rhythm:
    """A rhythm that goes on any day with a profile's hours, weekdays and months; the
    country's retail events and month series shape it if the profile has retail events."""
    retail = profile.events == "retail"
    return Rhythm(
        profile.name,
        profile.hours,
        profile.weekdays,
        shop=False,
        retail=retail,
        months=None if retail else profile.months,
    )


def calendar_times(
    channels: Mapping[str, tuple[str | Profile, float]],
    *,
    sorted: bool = False,
    growth: float = 0.0,
) -> GroupSampler:
    """Local times that keep the dataset's country's calendar, by channel.

    ``channels`` maps a channel's name to its rhythm (``"shop"``: the shop law's closed
    days and hours; ``"online"``: any day, evenings; or a :class:`Profile`, whose hours
    and weekdays hold on any day, holidays weighing as the last weekend day) and its
    share of the rows, e.g.
    ``{"store": ("shop", 0.55), "web": ("online", 0.45)}``. Fields: ``time`` (local
    wall-clock), ``channel`` and ``calendar`` (the row's calendar group, for
    ``places(calendar=...)``). ``sorted`` spreads rows over the quantiles so the table is
    sorted by time; ``growth`` is the yearly growth of activity.
    """
    if not isinstance(channels, Mapping) or not channels:
        msg = f"calendar_times: channels must map names to (rhythm, share), got {channels!r}"
        raise InvalidParameterError(msg)
    made = []
    for name, spec in channels.items():
        rhythm, share = spec
        if isinstance(rhythm, Profile):
            made_rhythm = _from_profile(rhythm)
        elif rhythm in RHYTHMS:
            made_rhythm = RHYTHMS[rhythm]
        else:
            msg = (
                f"calendar_times: unknown rhythm {rhythm!r} — valid: {', '.join(RHYTHMS)}, "
                "or a Profile"
            )
            raise InvalidParameterError(msg)
        if isinstance(share, bool) or not isinstance(share, (int, float)) or share <= 0:
            msg = f"calendar_times: share of {name!r} must be a positive number, got {share!r}"
            raise InvalidParameterError(msg)
        made.append(Channel(str(name), made_rhythm, float(share)))
    total = sum(c.share for c in made)
    made = [Channel(c.name, c.rhythm, c.share / total) for c in made]
    return _CalendarTimes(tuple(made), bool(sorted), float(growth))


@dataclass(frozen=True, repr=False)
class _DeliveryTimes(CallRepr, Sampler):
    _factory = "delivery_times"
    column: str
    country: str

    def __repr__(self) -> str:
        return f"delivery_times({self.column!r}, {self.country!r})"

    @property
    def given(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.column, self.country)

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Datetime("us")

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> pl.Series:
        u = rng.random(ctx.n)
        times = ctx.frame.get_column(self.column)
        known = times.is_not_null().to_numpy()
        micros = times.cast(pl.Int64).fill_null(0).to_numpy()
        # countries as integer codes into their names (cheaper than strings to group)
        column = ctx.frame.get_column(self.country).cast(pl.Categorical).fill_null("")
        _, first, codes = np.unique(
            column.to_physical().to_numpy(), return_index=True, return_inverse=True
        )
        names = column.gather(first).cast(pl.String).to_list()
        out = micros.copy()
        if known.any():
            out[known] = deliver(micros[known], codes[known], u[known], names)
        series = pl.Series(out).cast(pl.Datetime("us"))
        return series.set(pl.Series(~known), None) if not known.all() else series


def delivery_times(column: str, country: str) -> Sampler:
    """Parcel delivery times: the local times in ``column`` moved into the delivery
    window of the next delivery day of the carrier of each row's country (ISO code in
    ``country``), unless already inside one (:mod:`tempdata.calendar.carriers`)."""
    for name in (column, country):
        if not isinstance(name, str) or not name.isidentifier():
            msg = f"delivery_times: columns must be named, got {name!r}"
            raise InvalidParameterError(msg)
    return _DeliveryTimes(column, country)
