"""Timestamps with seasonality, and elapsed time (ages, tenures).

A :class:`Profile` weighs every hour of the date range by hour of day, day of week,
month, special days (Black Friday, Christmas) and a growth trend. Timestamps are drawn
from that piecewise-constant density by inverse CDF over hourly bins — a few thousand
bins, so a whole chunk costs one ``searchsorted``.

With ``sorted=True`` row ``i`` of ``rows`` takes the quantile ``(i + U) / rows``:
the table comes out sorted by time (as transaction logs are), and row ``i`` still
depends only on the seed, ``i`` and the row count (DESIGN §2).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import polars as pl

from tempdata.calendar.activity import hourly_inverse_cdf
from tempdata.core.plan import ChunkContext, Params, Sampler
from tempdata.errors import InvalidParameterError
from tempdata.samplers._base import Array, CallRepr

__all__ = ["PROFILES", "Profile", "elapsed", "timestamps"]

_US_PER_HOUR = 3_600_000_000
_US_PER_DAY = 24 * _US_PER_HOUR
_EPOCH = dt.datetime(1970, 1, 1)


@dataclass(frozen=True)
class Profile:
    """Relative activity by hour (0–23), weekday (Mon–Sun), month (Jan–Dec), plus events.

    ``events`` names a calendar of special days (``"retail"``: Black Friday, Cyber
    Monday, the Christmas run-up, closed on Christmas and New Year's Day);
    ``growth`` is the yearly growth rate of activity (0.3 → 30 % more each year).
    """

    name: str
    hours: tuple[float, ...] = (1.0,) * 24
    weekdays: tuple[float, ...] = (1.0,) * 7
    months: tuple[float, ...] = (1.0,) * 12
    events: str | None = None
    growth: float = 0.0

    def __post_init__(self) -> None:
        for label, values, size in (
            ("hours", self.hours, 24),
            ("weekdays", self.weekdays, 7),
            ("months", self.months, 12),
        ):
            if len(values) != size or min(values) < 0 or sum(values) <= 0:
                msg = f"profile {self.name!r}: {label} needs {size} non-negative weights"
                raise InvalidParameterError(msg)


#: The share (%) of people buying in each hour of the day: BLS American Time Use Survey
#: 2024, "Consumer purchases" (reference_data/shop_hours.parquet, from
#: scripts/sources/calendars/shop_hours.csv; a test keeps the two equal). Written out
#: here because the profiles are built at import, before any table is read.
_SHOP_HOURS = (
    *(0.0167, 0.0191, 0.0079, 0.0031, 0.0070, 0.0462, 0.1754, 0.3805, 0.8608, 1.4212),
    *(2.5700, 3.4903, 3.4741, 3.2282, 3.0426, 2.9209, 2.4237, 2.5967, 2.0568, 1.3936),
    *(0.8757, 0.4749, 0.1373, 0.0264),
)


PROFILES: dict[str, Profile] = {
    "uniform": Profile("uniform"),
    # Shops: the hours people buy (BLS American Time Use Survey 2024, "Consumer
    # purchases" by hour: reference_data/shop_hours.parquet, see
    # scripts/sources/calendars/SHOP_HOURS.md), busiest 11:00-13:00, 1.4 % of it between
    # 22:00 and 07:00. Weekdays (Saturday busiest) and months (low Jan–Feb, peak
    # Nov–Dec, US/EU retail) are the library's defaults, not sourced.
    "retail": Profile(
        "retail",
        hours=_SHOP_HOURS,
        weekdays=(0.85, 0.85, 0.9, 0.95, 1.15, 1.4, 0.9),
        months=(0.82, 0.8, 0.93, 0.95, 1.0, 0.98, 0.99, 1.02, 0.95, 1.0, 1.12, 1.4),
        events="retail",
    ),
    # Online shopping: evenings and Sundays busiest, December peaks.
    "online": Profile(
        "online",
        hours=(
            *(0.35, 0.2, 0.12, 0.08, 0.07, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0, 1.05),
            *(1.15, 1.1, 1.0, 1.0, 1.05, 1.15, 1.3, 1.5, 1.65, 1.6, 1.25, 0.7),
        ),
        weekdays=(1.08, 1.02, 1.0, 0.98, 0.92, 0.86, 1.14),
        months=(0.9, 0.82, 0.93, 0.93, 0.96, 0.94, 0.97, 0.98, 0.95, 1.0, 1.2, 1.3),
        events="retail",
    ),
    # Office hours, Monday to Friday.
    "office": Profile(
        "office",
        hours=(0.01,) * 7 + (0.3, 1.0, 1.2, 1.2, 1.1, 0.7, 1.0, 1.2, 1.1, 0.9, 0.4) + (0.05,) * 6,
        weekdays=(1.0, 1.0, 1.0, 1.0, 0.9, 0.05, 0.02),
    ),
    # Account sign-ups: evenings and weekends a little busier; growing 25 % a year.
    "signup": Profile(
        "signup",
        hours=(
            0.2,
            0.1,
            0.06,
            0.05,
            0.05,
            0.08,
            0.2,
            0.5,
            0.8,
            1.0,
            1.0,
            1.1,
            1.2,
            1.1,
            1.0,
            1.0,
            1.1,
            1.2,
            1.4,
            1.5,
            1.5,
            1.3,
            0.9,
            0.5,
        ),
        weekdays=(0.95, 0.95, 0.95, 0.95, 1.0, 1.1, 1.1),
        months=(1.15, 1.0, 1.0, 0.95, 0.95, 0.9, 0.9, 0.95, 1.05, 1.0, 1.05, 1.1),
        growth=0.25,
    ),
}


def _thanksgiving(years: Array) -> Array:
    """Day of November of the 4th Thursday, per year (vectorised)."""
    first = np.array([dt.date(int(y), 11, 1).weekday() for y in np.unique(years)])
    lookup = dict(zip(np.unique(years).tolist(), (1 + (3 - first) % 7 + 21).tolist(), strict=True))
    return np.array([lookup[int(y)] for y in years])


def _event_factors(days: Array, events: str | None) -> Array:
    """Multipliers per day (``days``: datetime64[D])."""
    factors = np.ones(len(days))
    if events != "retail" or not len(days):
        return factors
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    dec = month == 12
    # Christmas shopping ramps up through December, then shops close.
    factors[dec & (day <= 23)] *= 1.1 + 0.6 * day[dec & (day <= 23)] / 23
    factors[dec & (day == 24)] *= 0.9
    factors[dec & (day == 25)] *= 0.05
    factors[dec & (day == 26)] *= 1.5
    factors[(month == 1) & (day == 1)] *= 0.1
    nov = month == 11
    if nov.any():
        thanks = _thanksgiving(years[nov])
        nd = day[nov]
        f = factors[nov]
        f[nd == thanks] *= 0.4  # Thanksgiving
        f[nd == thanks + 1] *= 3.0  # Black Friday
        f[(nd > thanks + 1) & (nd <= thanks + 3)] *= 1.6  # the weekend after
        factors[nov] = f
        # Cyber Monday: the Monday after Thanksgiving (may fall on 1 December).
        cyber = np.array(
            [
                dt.date(int(y), 11, int(t)) + dt.timedelta(days=4)
                for y, t in zip(years[nov], thanks, strict=True)
            ],
            dtype="datetime64[D]",
        )
        factors[np.isin(days, np.unique(cyber))] *= 2.0
    return factors


@lru_cache(maxsize=64)
def _bins(profile: Profile, start_us: int, end_us: int) -> tuple[Array, Array]:
    """Hour-bin starts (µs since epoch) and the CDF of activity over them."""
    first = start_us - start_us % _US_PER_HOUR
    starts = np.arange(first, end_us + 1, _US_PER_HOUR, dtype=np.int64)
    stamps = starts.astype("datetime64[us]")
    days = stamps.astype("datetime64[D]")
    hour = (starts // _US_PER_HOUR) % 24
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    month = days.astype("datetime64[M]").astype(np.int64) % 12
    w = (
        np.asarray(profile.hours)[hour]
        * np.asarray(profile.weekdays)[weekday]
        * np.asarray(profile.months)[month]
    )
    unique_days, inverse = np.unique(days, return_inverse=True)
    w = w * _event_factors(unique_days, profile.events)[inverse]
    if profile.growth:
        years = (starts - first) / (365.2425 * _US_PER_DAY)
        w = w * (1.0 + profile.growth) ** years
    # The first and last bins are only partly inside the range.
    span = np.minimum(starts + _US_PER_HOUR, end_us + 1) - np.maximum(starts, start_us)
    w = w * np.clip(span, 0, None) / _US_PER_HOUR
    if w.sum() <= 0:
        w = np.clip(span, 0, None).astype(np.float64)
    cdf = np.cumsum(w)
    return starts, cdf / cdf[-1]


def _micros(value: dt.datetime) -> int:
    return (value - _EPOCH) // dt.timedelta(microseconds=1)


@dataclass(frozen=True, repr=False)
class _Timestamps(CallRepr, Sampler):
    _factory = "timestamps"
    profile: Profile = field(default=PROFILES["uniform"])
    sorted: bool = False
    as_date: bool = False

    def __repr__(self) -> str:
        args = [f"profile={self.profile.name!r}"]
        if self.sorted:
            args.append("sorted=True")
        if self.as_date:
            args.append("as_date=True")
        return f"timestamps({', '.join(args)})"

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Date() if self.as_date else pl.Datetime("us")

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> pl.Series:
        start, end = _micros(ctx.params.date_start), _micros(ctx.params.date_end)
        starts, cdf = _bins(self.profile, start, end)
        if self.sorted:
            u = (ctx.row_index() + rng.random(ctx.n)) / ctx.params.rows
        else:
            u = rng.random(ctx.n)
        micros, _ = hourly_inverse_cdf(starts, cdf, u, start, end, ascending=self.sorted)
        if self.sorted:  # guard the order against float rounding at bin edges
            micros = np.maximum.accumulate(micros)
        series = pl.Series(micros).cast(pl.Datetime("us"))
        return series.dt.date() if self.as_date else series


def timestamps(
    *, profile: str | Profile = "uniform", sorted: bool = False, as_date: bool = False
) -> Sampler:
    """Timestamps inside the dataset's date range, following a seasonality profile.

    Parameters
    ----------
    profile
        A :class:`Profile` or the name of a built-in one: ``uniform``, ``retail``
        (shop hours, Saturday peak, Black Friday and Christmas), ``office``,
        ``signup`` (growing over time).
    sorted
        Spread rows over the quantiles so the whole table is sorted by time.
    as_date
        Return dates instead of microsecond datetimes.
    """
    if isinstance(profile, str):
        if profile not in PROFILES:
            msg = f"timestamps: unknown profile {profile!r} — valid: {', '.join(PROFILES)}"
            raise InvalidParameterError(msg)
        profile = PROFILES[profile]
    if not isinstance(profile, Profile):
        msg = f"timestamps: profile must be a name or a Profile, got {profile!r}"
        raise InvalidParameterError(msg)
    return _Timestamps(profile, bool(sorted), bool(as_date))


@dataclass(frozen=True, repr=False)
class _Elapsed(CallRepr, Sampler):
    _factory = "elapsed"
    since: str
    unit: str = "years"

    def __repr__(self) -> str:
        return f"elapsed({self.since!r}, unit={self.unit!r})"

    @property
    def given(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.since,)

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Int64()

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> pl.Series:
        ref = ctx.params.as_of
        when = ctx.frame.get_column(self.since).cast(pl.Date)
        if self.unit == "days":
            return pl.select(
                (pl.lit(ref, dtype=pl.Date) - pl.lit(when)).dt.total_days()
            ).to_series()
        month_day = when.dt.month().cast(pl.Int32) * 100 + when.dt.day().cast(pl.Int32)
        before_birthday = month_day > ref.month * 100 + ref.day
        return (ref.year - when.dt.year().cast(pl.Int64)) - before_birthday.cast(pl.Int64)


def elapsed(since: str, *, unit: str = "years") -> Sampler:
    """Whole years (an age) or days from a date column to the reference date (or to the
    end of the date range, if later)."""
    if unit not in ("years", "days"):
        msg = f"elapsed: unit must be 'years' or 'days', got {unit!r}"
        raise InvalidParameterError(msg)
    return _Elapsed(since, unit)
