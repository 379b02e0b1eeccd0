"""Card payments of the ``banking`` dataset: merchant categories, merchant names and
travellers' trips abroad.

Merchants
---------
A card payment's merchant category code (ISO 18245) comes from
``merchant_categories.parquet`` (built from ``scripts/sources/banking/mcc.csv``), its
merchant's name from the code's chains in the merchant's country
(``merchant_brands.parquet``: the name-suggestion-index's supermarkets, fast-food chains,
chemists, transit networks, ...) or, for the share of a category that is not a chain, a
local business named by the POI naming patterns of the country's language
(:func:`tempdata.geo.poi_names.poi_names` with ``local=True``: "Löwen-Apotheke",
"Café de la Gare"). Each country has a pool of :data:`POOL` merchants per code, drawn
once per seed from the country's own stream, so a chunk names the same merchants as any
other; a code that no chain and no pattern can name in a country is not drawn there.

Trips
-----
A share of card payments (:func:`cross_border_share`: the ECB's share of card-payment
value acquired abroad) are a traveller's purchases during one of the account's trips:
:data:`TRIPS` per account at most, each several days long in one country drawn by UN
Tourism arrivals (the account's own country left out). Their amounts are set in the
destination's currency at its price points (:func:`tempdata.geo.prices.price_points`)
and converted to the account's currency.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import polars as pl

from tempdata.core.seeding import Seeder
from tempdata.geo.money import currency_for
from tempdata.geo.poi_names import NAME_DRAWS, poi_names
from tempdata.geo.prices import price_points
from tempdata.geo.reference import load

__all__ = [
    "POOL",
    "TRIPS",
    "MerchantTable",
    "cross_border_share",
    "merchant_names",
    "merchant_table",
    "place_index",
    "place_names",
    "places",
    "travel_destinations",
    "travel_prices",
]

Array = np.ndarray[Any, Any]

#: Merchants per country and merchant category code.
POOL = 48
#: Trips per account at most (one per started half year of the date range).
TRIPS = 4
#: Trip length in days: from TRIP_DAYS[0] to TRIP_DAYS[1].
TRIP_DAYS = (3, 14)


@cache
def _places() -> tuple[tuple[str, ...], pl.Series]:
    codes = tuple(sorted(load("countries", ("iso2",))["iso2"].to_list()))
    return codes, pl.Series(codes, dtype=pl.String)


def places() -> tuple[str, ...]:
    """Country codes (ISO alpha-2, sorted) that merchant countries index."""
    return _places()[0]


def place_index(codes: Array) -> Array:
    """Index into :func:`places` of each ISO code of ``codes`` (one per account: looked
    up as an enum's codes, not one dictionary lookup per row)."""
    known = _places()[0]
    series = pl.Series(np.asarray(codes).astype(str), dtype=pl.String)
    try:
        physical = series.cast(pl.Enum(known)).to_physical()
    except pl.exceptions.InvalidOperationError:
        unknown = sorted(set(series.to_list()) - set(known))
        msg = f"unknown merchant country {unknown[0]!r}: expected an ISO alpha-2 code"
        raise KeyError(msg) from None
    index: Array = physical.to_numpy().astype(np.int64)
    return index


def place_names(index: Array) -> pl.Series:
    """The ISO codes of place indices, as a Series."""
    return _places()[1].gather(index)


@dataclass(frozen=True, eq=False)
class MerchantTable:
    """The card MCCs (in ``merchant_categories.parquet``'s order) and their mix."""

    codes: Array  # int16
    descriptions: tuple[str, ...]
    local: tuple[str, ...]  # POI category naming local businesses, "" none
    brand_share: Array
    weight: Array
    log_median: Array
    sigma: Array
    brands: dict[tuple[int, str], tuple[str, ...]]  # (mcc index, country) → chains

    def index(self, code: int) -> int:
        return int(np.flatnonzero(self.codes == code)[0])

    @property
    def countries(self) -> frozenset[str]:
        return frozenset(c for _, c in self.brands)


@cache
def merchant_table() -> MerchantTable:
    cats = load("merchant_categories")
    codes = cats["mcc"].to_numpy().astype(np.int16)
    position = {int(c): i for i, c in enumerate(codes)}
    brands: dict[tuple[int, str], list[str]] = {}
    for code, cc, name in load("merchant_brands").iter_rows():
        brands.setdefault((position[int(code)], str(cc)), []).append(str(name))
    return MerchantTable(
        codes=codes,
        descriptions=tuple(cats["description"].to_list()),
        local=tuple(cats["local"].to_list()),
        brand_share=cats["brand_share"].to_numpy(),
        weight=cats["weight"].to_numpy(),
        log_median=np.log(cats["median_usd"].to_numpy()),
        sigma=cats["sigma"].to_numpy(),
        brands={k: tuple(sorted(v)) for k, v in brands.items()},
    )


@cache
def nameable() -> Array:
    """(place, MCC): whether merchants of the place can be named (a chain or a pattern)."""
    t = merchant_table()
    return np.array(
        [
            [bool(t.local[i]) or (i, country) in t.brands for i in range(len(t.codes))]
            for country in places()
        ],
        dtype=bool,
    )


def mcc_picks(where: Array, u: Array) -> Array:
    """An MCC index per row by the card-payment mix, among the codes the row's merchant
    country can name (``where``: indices into :func:`places`)."""
    t = merchant_table()
    if len(where) == 0:
        return np.zeros(0, dtype=np.int64)
    uniq, inverse = np.unique(where, return_inverse=True)
    weights = t.weight[None, :] * nameable()[uniq]
    cdf = np.cumsum(weights, axis=1)
    cdf /= cdf[:, -1:]
    keys = (np.arange(len(uniq))[:, None] + cdf).ravel()
    m = len(t.codes)
    at = np.searchsorted(keys, inverse + np.minimum(u, 1 - 1e-12), side="right")
    picked: Array = np.minimum(at - inverse * m, m - 1)
    return picked


@cache
def cross_border_share() -> float:
    """Share of card-payment value acquired abroad (ECB, cards issued in SEPA)."""
    return float(load("card_cross_border")["cross_border"][0])


@cache
def travel_destinations() -> tuple[tuple[str, ...], Array]:
    """Destination countries and their weights (UN Tourism arrivals)."""
    t = load("tourist_arrivals")
    w = t["arrivals_millions"].to_numpy()
    return tuple(t["country"].to_list()), w / w.sum()


def trip_destinations(home: Array, u: Array) -> Array:
    """A destination per trip (``home``: the account's place index per trip), by
    arrivals among the destinations other than home; place indices."""
    names, weights = travel_destinations()
    spots = place_index(np.array(names))
    out = np.empty(len(home), dtype=np.int64)
    for country in np.unique(home):
        rows = np.flatnonzero(home == country)
        w = np.where(spots == country, 0.0, weights)
        cdf = np.cumsum(w) / w.sum()
        pick = np.minimum(np.searchsorted(cdf, u[rows], side="right"), len(spots) - 1)
        out[rows] = spots[pick]
    return out


# -- merchant pools ----------------------------------------------------------------------

_cache: dict[tuple[int, str, int], pl.Series] = {}
_lock = threading.Lock()


def _pools(seeder: Seeder, dataset: str, wanted: Array) -> list[pl.Series]:
    """POOL names per MCC (MCC-major) of each place, each from its country's own stream;
    the missing ones named in one call."""
    with _lock:
        found = {int(p): _cache.get((seeder.seed, dataset, int(p))) for p in wanted}
    missing = [p for p, pool in found.items() if pool is None]
    if missing:
        t = merchant_table()
        m = len(t.codes)
        size = m * POOL
        mcc = np.tile(np.repeat(np.arange(m), POOL), len(missing))
        country = np.repeat(np.array(places())[missing], size)
        u = np.concatenate(
            [
                seeder.context_stream(f"{dataset}.merchants.{places()[p]}").random(
                    (size, NAME_DRAWS + 2)
                )
                for p in missing
            ]
        )
        names = np.full(len(mcc), "", dtype=object)
        chain = np.zeros(len(mcc), dtype=bool)
        local_of = np.array(t.local, dtype=object)
        for j, place in enumerate(missing):
            for i in range(m):
                brands = t.brands.get((i, places()[place]), ())
                if not brands:
                    continue
                rows = slice(j * size + i * POOL, j * size + (i + 1) * POOL)
                chain[rows] = (not t.local[i]) | (u[rows, NAME_DRAWS] < t.brand_share[i])
                at = np.minimum(
                    (u[rows, NAME_DRAWS + 1] * len(brands)).astype(np.int64), len(brands) - 1
                )
                names[rows] = np.array(brands, dtype=object)[at]
        local = np.flatnonzero(~chain & (local_of[mcc] != ""))
        if len(local):
            named = poi_names(
                local_of[mcc[local]].astype(str), country[local], u[local, :NAME_DRAWS], local=True
            )
            names[local] = np.asarray(named.to_list(), dtype=object)
        with _lock:
            for j, place in enumerate(missing):
                pool = pl.Series(names[j * size : (j + 1) * size].astype(str), dtype=pl.String)
                found[place] = _cache[(seeder.seed, dataset, place)] = pool
            while len(_cache) > 256:
                _cache.pop(next(iter(_cache)))
    return [found[int(p)] for p in wanted]  # type: ignore[misc]


def merchant_names(
    seeder: Seeder, dataset: str, countries: Array, mcc_index: Array, pick: Array
) -> pl.Series:
    """The merchant of each row: pool entry ``pick`` (0..POOL-1) of its country (place
    index) and MCC."""
    uniq, inverse = np.unique(countries, return_inverse=True)
    pools = _pools(seeder, dataset, uniq)
    size = len(merchant_table().codes) * POOL
    flat = pl.concat(pools) if pools else pl.Series([], dtype=pl.String)
    at = inverse * size + mcc_index * POOL + pick
    return flat.gather(at)


def travel_prices(amount_usd: Array, destination: Array, u: Array) -> Array:
    """Amounts (US dollars) set to price points of each destination's (place index)
    currency, in US dollars again (the account converts them to its own currency)."""
    out = amount_usd.copy()
    for place in np.unique(destination):
        rows = np.flatnonzero(destination == place)
        money = currency_for(places()[place])
        local = price_points(amount_usd[rows] * money.per_usd, money, u[rows])
        out[rows] = local / money.per_usd
    return out
