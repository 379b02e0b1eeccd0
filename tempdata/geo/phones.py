"""Phone numbers that validate: per country, kind (mobile or landline) and city.

The templates come from ``phone_plans.parquet`` (built from phonenumbers' metadata, see
``scripts/refdata/phones.py``): numbers in international format with ``#`` for each
random digit, e.g. ``+49 30 #######``. Landlines use the area codes of the row's city
where the reference data has them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import polars as pl

from tempdata.errors import InvalidParameterError, TempDataError
from tempdata.geo.reference import load

__all__ = ["MOBILE_SHARE", "PHONE_DRAWS", "phone_numbers", "prepare"]

Array = np.ndarray[Any, Any]

#: Uniform draws per number (columns of ``u``): mobile or landline, the template, and
#: eight draws of three random digits each (a float64 draw holds 53 random bits).
PHONE_DRAWS = 10
#: Share of mobile numbers when the caller does not say.
MOBILE_SHARE = 0.7
_DIGITS_PER_DRAW = 3
_MAX_DIGITS = (PHONE_DRAWS - 2) * _DIGITS_PER_DRAW
_HASH = ord("#")
# Keeps ``group + u`` below ``group + 1`` in float64 for every group number in use.
_BELOW_ONE = 1.0 - 1e-9


@dataclass(frozen=True)
class _Plans:
    """Every template as bytes, grouped per (country, kind) and per city."""

    text: Array  # (templates, width) uint8, the template's bytes, 0-padded
    keys: Array  # group + cumulative weight, for one search over all groups
    row: Array  # template of each key
    bucket_start: Array  # group → its first bucket in ``guide``
    buckets: Array  # group → number of its buckets (a power of two)
    guide: Array  # first key above each bucket's lower edge
    mobile: Array  # country row → group of its mobile templates
    landline: Array  # country row → group of its landline templates (mobile if none)
    city: Array  # city row → group of its own landline templates, -1 if none
    local_mobile: Array  # country row → mobiles share the landlines' area codes (NANP)


def _text_array(templates: pl.Series) -> Array:
    lengths = templates.str.len_bytes().to_numpy()
    width = int(lengths.max()) if len(lengths) else 0
    if width > _MAX_DIGITS:
        # Character j of a template takes random digit j, so no template may be longer.
        msg = f"phone_plans.parquet has a template longer than {_MAX_DIGITS} characters"
        raise TempDataError(msg)
    # Templates are ASCII ("+49 30 #######"): NumPy's fixed-width bytes pad with zeros.
    fixed = np.array(templates.to_list(), dtype=f"S{max(width, 1)}")
    raw: Array = fixed.view(np.uint8).reshape(len(templates), max(width, 1))[:, :width]
    return np.ascontiguousarray(raw)


#: A city without area codes of its own uses those of the nearest city of its state
#: that has some, up to this far away.
BORROW_KM = 150.0


def _borrow_area_codes(by_city: Array) -> Array:
    """``by_city`` with each city lacking templates given its nearest state neighbour's
    (the first in row order of those equally near)."""
    cities = load("cities").select(
        pl.concat_str("country_code", "state_code", separator="|").alias("state"), "lat", "lon"
    )
    state = cities.get_column("state").cast(pl.Categorical).to_physical().to_numpy()
    state = state.astype(np.int64)
    lat = np.radians(cities.get_column("lat").to_numpy())
    lon = np.radians(cities.get_column("lon").to_numpy())
    out = by_city.copy()
    has = by_city >= 0
    # Donors grouped by state, in row order; every taker against every donor of its
    # state, all pairs at once.
    donors = np.flatnonzero(has)
    donors = donors[np.argsort(state[donors], kind="stable")]
    count = np.bincount(state[donors], minlength=int(state.max(initial=0)) + 1)
    first = np.r_[0, np.cumsum(count)[:-1]]
    takers = np.flatnonzero(~has)
    takers = takers[count[state[takers]] > 0]
    if not len(takers):
        return out
    per = count[state[takers]]
    taker = np.repeat(takers, per)
    offset = np.arange(int(per.sum())) - np.repeat(np.cumsum(per) - per, per)
    donor = donors[np.repeat(first[state[takers]], per) + offset]
    # Equirectangular distances: accurate enough within a state.
    dx = (lon[taker] - lon[donor]) * np.cos(lat[taker])
    dy = lat[taker] - lat[donor]
    km = 6371.0 * np.hypot(dx, dy)
    begin = np.cumsum(per) - per
    nearest_km = np.minimum.reduceat(km, begin)
    hit = np.flatnonzero(km == np.repeat(nearest_km, per))
    _, first_hit = np.unique(np.searchsorted(begin, hit, side="right") - 1, return_index=True)
    nearest = donor[hit[first_hit]]
    close = nearest_km <= BORROW_KM
    out[takers[close]] = by_city[nearest[close]]
    return out


#: Groups longer than this get a cumsum of their own in :func:`_group_cumsum`.
_STEPPED = 32


def _group_cumsum(w: Array, starts: Array, sizes: Array) -> Array:
    """The running sums of ``w`` within each group (``starts``, ``sizes``: contiguous),
    each the same float as ``np.cumsum`` of the group gives."""
    out = w.copy()
    for k in range(1, min(int(sizes.max(initial=0)), _STEPPED)):
        at = starts[sizes > k] + k
        out[at] += out[at - 1]
    for a, k in zip(starts[sizes > _STEPPED], sizes[sizes > _STEPPED], strict=True):
        out[a : a + k] = np.cumsum(w[a : a + k])
    return out


@cache
def _plans() -> _Plans:
    plans = load("phone_plans")
    countries = load("countries").get_column("iso2").to_list()
    # North American plan: mobiles take geographic area codes, like landlines.
    local_mobile = (load("countries").get_column("calling_code") == "1").to_numpy()
    n_cities = load("cities").height
    text = _text_array(plans.get_column("template"))
    weight = plans.get_column("weight").to_numpy().astype(np.float64)
    # Groups: one per (country, kind), and one per city with landlines of its own.
    # They are numbered in order of first appearance, reading each template's
    # (country, kind) group and then its city group, as a loop over the rows would.
    label = pl.concat_str("country_code", pl.lit(":"), "kind")
    # Each row's (country, kind) label, numbered in sorted order (ASCII: as np.unique)
    kinds = plans.select(g=label, code=label.rank("dense") - 1)
    kind_code = kinds.get_column("code").to_numpy().astype(np.int64)
    kind_names = kinds.get_column("g").unique().sort().to_list()
    town = plans.get_column("city").fill_null(-1).to_numpy().astype(np.int64)
    tied = (plans.get_column("kind") == "landline").to_numpy() & (town >= 0)
    n_rows = len(weight)
    n_kinds = len(kind_names)
    # Event 2i: row i's kind group; event 2i+1: its city group (offset past the kinds).
    event_key = np.stack([kind_code, np.where(tied, n_kinds + town, -1)], axis=1).ravel()
    event_row = np.repeat(np.arange(n_rows), 2)
    real = event_key >= 0
    event_key, event_row = event_key[real], event_row[real]
    uniq, first = np.unique(event_key, return_index=True)
    number_of = np.empty(len(uniq), dtype=np.int64)
    number_of[np.argsort(first, kind="stable")] = np.arange(len(uniq))
    event_group = number_of[np.searchsorted(uniq, event_key)]
    order = np.argsort(event_group, kind="stable")  # members in row order within groups
    member_group, member_row = event_group[order], event_row[order]
    sizes = np.bincount(member_group, minlength=len(uniq))
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    w = weight[member_row]
    totals = np.add.reduceat(w, starts)
    # Per group, the cumulative share of its weights, summed left to right within the
    # group as np.cumsum does (so the keys are the same floats as one cumsum per group):
    # step k adds the k-th weight of every group that long; the few long groups get
    # a cumsum each.
    cdf = _group_cumsum(w, starts, sizes)
    cdf /= np.repeat(totals, sizes)
    cdf[starts + sizes - 1] = 1.0
    keys = [np.arange(len(uniq), dtype=np.float64).repeat(sizes) + cdf]
    rows = [member_row]
    number: dict[tuple[str, int], int] = {}
    for key, g in zip(uniq.tolist(), number_of.tolist(), strict=True):
        number[(kind_names[key], -1) if key < n_kinds else ("", key - n_kinds)] = g
    all_keys = np.concatenate(keys)
    # A guide table: each group's [0, 1) cut into about twice as many buckets as it has
    # templates, each bucket holding the first key above its lower edge.
    buckets = 1 << np.ceil(np.log2(2 * sizes.astype(np.float64))).astype(np.int64)
    bucket_start = np.r_[0, np.cumsum(buckets)[:-1]].astype(np.int64)
    edges = np.repeat(np.arange(len(sizes), dtype=np.float64), buckets) + (
        np.arange(int(buckets.sum())) - np.repeat(bucket_start, buckets)
    ) / np.repeat(buckets, buckets)
    guide = np.searchsorted(all_keys, edges, side="right")

    def group(name: str) -> int:
        return number.get((name, -1), -1)

    mobile = np.array([group(f"{c}:mobile") for c in countries], dtype=np.int64)
    landline = np.array([group(f"{c}:landline") for c in countries], dtype=np.int64)
    landline = np.where(landline < 0, mobile, landline)
    mobile = np.where(mobile < 0, landline, mobile)
    if (mobile < 0).any():
        missing = [c for c, g in zip(countries, mobile, strict=True) if g < 0]
        msg = f"phone_plans.parquet has no templates for {', '.join(missing)}"
        raise TempDataError(msg)
    by_city = np.full(n_cities, -1, dtype=np.int64)
    for (name, row), g in number.items():
        if not name:
            by_city[row] = g
    by_city = _borrow_area_codes(by_city)
    return _Plans(
        text,
        all_keys,
        np.concatenate(rows),
        bucket_start,
        buckets,
        guide,
        mobile,
        landline,
        by_city,
        local_mobile,
    )


def _pick(plans: _Plans, group: Array, u: Array) -> Array:
    """Template of each row: a weighted draw from ``group`` by the uniform ``u``."""
    x = group + u * _BELOW_ONE
    size = plans.buckets[group]
    # One bucket back, so float rounding of ``x`` can never skip the answer.
    bucket = plans.bucket_start[group] + np.maximum((u * size).astype(np.int64) - 1, 0)
    idx = plans.guide[bucket]
    todo = np.flatnonzero(plans.keys[idx] <= x)
    while len(todo):
        idx[todo] += 1
        todo = todo[plans.keys[idx[todo]] <= x[todo]]
    picked: Array = plans.row[idx]
    return picked


def prepare() -> None:
    """Build the phone plans now (they are built on first use otherwise): a caller
    that needs other tables too can build them at once on threads."""
    _plans()


def phone_numbers(
    country: Array, city: Array, u: Array, *, mobile_share: float = MOBILE_SHARE
) -> pl.Series:
    """Valid phone numbers in international format, one per row.

    Parameters
    ----------
    country
        Row numbers of the countries in ``countries.parquet``, one per number.
    city
        Row numbers of the cities in ``cities.parquet``, or -1 where the city is
        unknown. Landlines use the city's own area codes where the reference data has
        them, else any of the country's; so do mobiles in the North American plan,
        where mobiles and landlines share area codes.
    u
        Uniform draws in [0, 1), shape ``(n, PHONE_DRAWS)``: the same draws give the
        same numbers.
    mobile_share
        Expected share of mobile numbers; the rest are landlines (mobiles where a
        country's plan has no landlines).

    Returns
    -------
    pl.Series
        Strings such as ``+49 30 12345678`` or ``+1 212-555-0123`` that phonenumbers
        parses as valid numbers of the country (and, for landlines, of the city).

    Examples
    --------
    >>> import numpy as np
    >>> from tempdata.geo.reference import load
    >>> de = load("countries").get_column("iso2").index_of("DE")
    >>> u = np.random.default_rng(1).random((3, PHONE_DRAWS))
    >>> numbers = phone_numbers(np.full(3, de), np.full(3, -1), u)
    >>> numbers.str.starts_with("+49 ").all()
    True
    """
    if not 0.0 <= mobile_share <= 1.0:
        msg = f"phone_numbers: mobile_share must be between 0 and 1, got {mobile_share!r}"
        raise InvalidParameterError(msg)
    n = len(country)
    if u.shape != (n, PHONE_DRAWS) or len(city) != n:
        msg = (
            f"phone_numbers: u must have shape ({n}, {PHONE_DRAWS}) and city {n} rows, "
            f"got {u.shape} and {len(city)}"
        )
        raise InvalidParameterError(msg)
    plans = _plans()
    country = np.asarray(country, dtype=np.int64)
    city = np.asarray(city, dtype=np.int64)
    mobile = u[:, 0] < mobile_share
    own = plans.city[np.maximum(city, 0)]
    local = (city >= 0) & (own >= 0)
    landline = np.where(local, own, plans.landline[country])
    mobile_group = np.where(local & plans.local_mobile[country], own, plans.mobile[country])
    group = np.where(mobile, mobile_group, landline)
    template = _pick(plans, group, u[:, 1])

    # Three digits from each remaining draw: 0.123456 → 1, 2, 3.
    triples = (u[:, 2:] * 1000).astype(np.uint16)
    parts = np.empty((n, PHONE_DRAWS - 2, _DIGITS_PER_DRAW), dtype=np.uint8)
    parts[:, :, 0] = triples // 100
    parts[:, :, 1] = triples // 10 % 10
    parts[:, :, 2] = triples % 10
    digits = parts.reshape(n, _MAX_DIGITS) + np.uint8(ord("0"))  # ASCII digits
    text = np.take(plans.text, template, axis=0)  # rows: faster than fancy indexing
    width = text.shape[1]
    # Character j of the template takes digit j where it is a '#'.
    text = np.where(text == _HASH, digits[:, :width], text)
    return pl.Series("phone", np.ascontiguousarray(text).view(f"S{width}").ravel()).cast(pl.String)
