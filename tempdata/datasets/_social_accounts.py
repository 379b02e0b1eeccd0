"""The accounts of ``user_profiles`` as ``social_posts`` sees them (split from
``social.py``): their languages, time zones and UTC offsets, and the lookup tables that
say who may post when and who gets mentioned; posting activity by local hour."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from functools import cache, lru_cache
from typing import cast

import numpy as np
import polars as pl

from tempdata import samplers as s
from tempdata.core.plan import ChunkContext, Params
from tempdata.datasets._social_text import TEXT_LANGUAGES
from tempdata.errors import InvalidParameterError
from tempdata.geo.reference import load
from tempdata.samplers._base import Array, SortedLookup
from tempdata.samplers.geo import locales

__all__ = [
    "HOUR_WEIGHTS",
    "LOCAL_HOURS",
    "LOCAL_WEEKDAYS",
    "PROFILES",
    "SIGNUP_SPAN_DAYS",
    "US",
    "US_PER_DAY",
    "WEEKDAY_WEIGHTS",
    "default_users",
    "gather_or_null",
    "language_of_country",
    "micros",
    "posting_accounts",
    "profile_languages",
    "text_languages",
]

#: Accounts join over this many days before the reference date.
SIGNUP_SPAN_DAYS = 10 * 365

PROFILES = "user_profiles"

#: Posting activity by local hour (0–23) and local weekday (Mon–Sun): asleep at
#: night, a lunchtime bump and an evening peak around 20:00; weekends a little busier.
LOCAL_HOURS: tuple[float, ...] = (
    0.55,
    0.32,
    0.2,
    0.13,
    0.1,
    0.12,
    0.25,
    0.5,
    0.8,
    0.95,
    1.0,
    1.05,
    1.2,
    1.15,
    1.05,
    1.0,
    1.05,
    1.15,
    1.3,
    1.45,
    1.55,
    1.5,
    1.25,
    0.85,
)
LOCAL_WEEKDAYS: tuple[float, ...] = (1.0, 0.98, 0.98, 1.0, 1.03, 1.08, 1.06)
HOUR_WEIGHTS = np.asarray(LOCAL_HOURS)
WEEKDAY_WEIGHTS = np.asarray(LOCAL_WEEKDAYS)

_EPOCH = dt.datetime(1970, 1, 1)
US = 1_000_000
US_PER_DAY = 86_400 * US


def micros(value: dt.datetime) -> int:
    return (value - _EPOCH) // dt.timedelta(microseconds=1)


def default_users(params: Params) -> int:
    """Accounts the posts come from: ``custom_params["users"]`` or rows / 20 (at least
    100, at most 1,000,000)."""
    return int(params.get("users", max(100, min(params.rows // 20, 1_000_000))))


# -- languages ----------------------------------------------------------------------


@cache
def profile_languages() -> tuple[str, ...]:
    """Every language an account can have: those of the name locales (ISO 639-1)."""
    return tuple(sorted({loc.split("_")[0] for loc in locales()}))


@cache
def language_of_country() -> dict[str, str]:
    countries = load("countries")
    return {
        name: locale.split("_")[0]
        for name, locale in zip(countries["name"], countries["locale"], strict=True)
    }


@cache
def _text_language_codes() -> Array:
    """Account language (position in ``profile_languages``) → text language position."""
    index = {lang: k for k, lang in enumerate(TEXT_LANGUAGES)}
    return np.array([index.get(lang, 0) for lang in profile_languages()], dtype=np.int64)


def text_languages(language: pl.Series) -> Array:
    """Text language position of each account language (English without a vocabulary)."""
    codes = language.cast(pl.Enum(profile_languages())).to_physical().to_numpy()
    return cast("Array", _text_language_codes()[codes])


def gather_or_null(values: pl.Series, index: Array, keep: Array | None = None) -> pl.Series:
    """``values[index]``, null where ``keep`` is false."""
    idx = pl.Series(index, dtype=pl.Int64)
    if keep is not None and not keep.all():
        idx = idx.scatter(np.flatnonzero(~keep), None)
    return values.gather(idx)


# -- the accounts, as the posts see them ---------------------------------------------


def _offsets_at(zone: str, seconds: Array) -> Array:
    """UTC offset of ``zone`` (seconds) at each instant (seconds since the epoch)."""
    utc = pl.Series(seconds * US, dtype=pl.Int64).cast(pl.Datetime("us"))
    try:
        local = utc.dt.replace_time_zone("UTC").dt.convert_time_zone(zone)
    except pl.exceptions.PolarsError:  # a zone Polars does not know: treat it as UTC
        return np.zeros(len(seconds), dtype=np.int64)
    shift = local.dt.replace_time_zone(None) - utc
    return cast("Array", shift.dt.total_seconds().to_numpy().astype(np.int64))


class _Zones:
    """UTC offsets of some time zones over a date range, exact to 15 minutes.

    A table holds each zone's offset at every UTC midnight of the range; on a day whose
    offset changes (daylight saving time) the change is located to 15 minutes. A zone's
    offset at an instant is then two gathers and a comparison.
    """

    def __init__(self, zones: tuple[str, ...], start_s: int, end_s: int) -> None:
        self.base = (start_s // 86_400 - 1) * 86_400
        self.days = (end_s - self.base) // 86_400 + 2
        midnights = self.base + 86_400 * np.arange(self.days + 1, dtype=np.int64)
        quarters = np.arange(0, 86_400 + 1, 900, dtype=np.int64)
        #: Offset at each midnight, and the second of the day from which the next
        #: midnight's offset holds (86,400: the offset does not change that day).
        self.at_midnight = np.empty((len(zones), self.days + 1), dtype=np.int32)
        self.switch = np.full((len(zones), self.days), 86_400, dtype=np.int32)
        for z, zone in enumerate(zones):
            daily = _offsets_at(zone, midnights)
            self.at_midnight[z] = daily
            for d in np.flatnonzero(daily[1:] != daily[:-1]):
                fine = _offsets_at(zone, midnights[d] + quarters)
                self.switch[z, d] = quarters[np.flatnonzero(fine != daily[d])[0]]

    def offset(self, zone: Array, seconds: Array) -> Array:
        """UTC offset in seconds of ``zone[i]`` (positions in ``zones``) at ``seconds[i]``."""
        day, second = np.divmod(seconds - self.base, 86_400)
        row = zone.astype(np.int64) * (self.days + 1) + day
        flat = self.at_midnight.ravel()
        changed = second >= self.switch.ravel()[row - zone]
        return cast("Array", np.where(changed, flat[row + 1], flat[row]).astype(np.int64))


@lru_cache(maxsize=8)
def _zones(zones: tuple[str, ...], start_s: int, end_s: int) -> _Zones:
    return _Zones(zones, start_s, end_s)


class _Users:
    """The columns of ``user_profiles`` the posts need, as arrays, and the tables built
    from them: who may post when (sorted join times, cumulative activity), who gets
    mentioned (cumulative popularity), and each account's zone and text language."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame
        self.joined = frame.get_column("joined_at").cast(pl.Int64).to_numpy()
        bits = max(16, min(20, frame.height.bit_length() + 1))
        activity = frame.get_column("_activity").to_numpy().astype(np.float64)
        self.activity = np.cumsum(activity)
        self.by_activity = SortedLookup(self.activity, bits=bits)
        self.followers = frame.get_column("followers").to_numpy().astype(np.int64)
        self.fame = np.cumsum((self.followers + 10.0) ** 0.6)
        self.by_fame = SortedLookup(self.fame, bits=bits)
        self.verified = frame.get_column("verified").to_numpy()
        timezone = frame.get_column("timezone")
        assert isinstance(timezone.dtype, pl.Enum)
        used, zone = np.unique(timezone.to_physical().to_numpy(), return_inverse=True)
        self.zone_names = tuple(timezone.dtype.categories.gather(used).to_list())
        self.zone = zone.astype(np.int64)
        self.text_language = text_languages(frame.get_column("language"))
        codes = frame.get_column("_country_code").cast(pl.String).fill_null("")
        countries, country = np.unique(codes.to_numpy().astype(str), return_inverse=True)
        self.countries = tuple(str(c) for c in countries)
        self.country = country.astype(np.int64)
        self._profiles: dict[tuple[int, int], s.Profile] = {}
        self._lock = threading.Lock()

    def joined_by(self, micros: Array) -> Array:
        """How many accounts had joined at each instant (a prefix: rows sort by join)."""
        return np.searchsorted(self.joined, micros, side="right")

    def pick(self, cumulative: Array, lookup: SortedLookup, u: Array, joined: Array) -> Array:
        """Accounts drawn by weight among the first ``joined`` ones (per row of ``u``)."""
        x = u * cumulative[joined - 1].reshape((-1,) + (1,) * (u.ndim - 1))
        index: Array = lookup(x.ravel()).reshape(u.shape)
        # u < 1, but rounding could reach the prefix's last total: stay inside it.
        np.minimum(index, (joined - 1).reshape((-1,) + (1,) * (u.ndim - 1)), out=index)
        return index

    def zones(self, start_us: int, end_us: int) -> _Zones:
        return _zones(self.zone_names, start_us // US, end_us // US + 1)

    def check_range(self, dataset: str, start_us: int) -> None:
        if self.joined[0] > start_us:
            first = self.joined[0].astype("datetime64[us]")
            start = np.datetime64(start_us, "us")
            msg = (
                f"dataset {dataset!r}: the date range starts at {start}, before the first of "
                f"its {len(self.joined):,} users joined ({first}); posts come after their "
                f"authors join — start the range later (users join over the "
                f"{SIGNUP_SPAN_DAYS} days before the reference date)"
            )
            raise InvalidParameterError(msg)

    def utc_profile(self, start_us: int, end_us: int) -> s.Profile:
        """Activity by UTC hour: each zone's local profile shifted by its offset in
        mid-range, weighted by its accounts' activity; growing as accounts join."""
        with self._lock:
            if (start_us, end_us) in self._profiles:
                return self._profiles[(start_us, end_us)]
        zones = self.zones(start_us, end_us)
        mid = np.full(len(self.zone_names), (start_us + end_us) // 2 // US, dtype=np.int64)
        shift = zones.offset(np.arange(len(self.zone_names)), mid) / 3600.0
        share = np.bincount(self.zone, weights=np.diff(self.activity, prepend=0.0))
        local = (np.arange(24)[:, None] + shift[None, :]) % 24.0
        below = np.floor(local).astype(np.int64)
        frac = local - below
        weight = (1 - frac) * HOUR_WEIGHTS[below % 24] + frac * HOUR_WEIGHTS[(below + 1) % 24]
        hours = weight @ share
        joined = self.joined_by(np.array([start_us, end_us]))
        before, after = self.activity[joined - 1]
        years = (end_us - start_us) / (365.25 * US_PER_DAY)
        growth = (after / before) ** (1.0 / years) - 1.0 if years > 1 / 365 else 0.0
        profile = s.Profile(
            "social_posts_utc",
            hours=tuple(float(h) for h in hours / hours.mean()),
            weekdays=LOCAL_WEEKDAYS,
            growth=float(np.clip(growth, 0.0, 50.0)),
        )
        with self._lock:
            self._profiles[(start_us, end_us)] = profile
        return profile


_users_lock = threading.Lock()
_users_cache: OrderedDict[int, tuple[pl.DataFrame, _Users]] = OrderedDict()
_PARENT_COLUMNS = (
    "username",
    "followers",
    "verified",
    "joined_at",
    "timezone",
    "language",
    "_country_code",
)


def posting_accounts(ctx: ChunkContext) -> _Users:
    """The accounts of the posts: ``user_profiles`` under the same seed, generated
    whole by the planner (and cached there), with their lookup tables (cached here)."""
    frame = ctx.parent(PROFILES, default_users(ctx.params), columns=[*_PARENT_COLUMNS, "_activity"])
    with _users_lock:
        hit = _users_cache.get(id(frame))
        if hit is not None and hit[0] is frame:
            _users_cache.move_to_end(id(frame))
            return hit[1]
    users = _Users(frame)
    with _users_lock:
        _users_cache[id(frame)] = (frame, users)
        while len(_users_cache) > 4:
            _users_cache.popitem(last=False)
    return users
