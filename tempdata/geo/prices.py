"""Retail price points: the endings shops give their prices, by currency and category.

A converted price such as 23.47 EUR is set to a price a shop would write: 22.99,
24.95 or 25.00 in the euro area, 23.90 or 23.95 in Switzerland (0.05 steps), ¥3,980
or ¥3,480 in Japan, ₩29,900 in Korea, ₹2,499 in India. Each currency follows a scheme
of ``reference_data/price_points.parquet`` (endings and their shares per price band,
with a department's own rows where its custom differs, e.g. groceries' x.x9 cents);
``price_schemes.parquet`` names the scheme and unit of currencies whose custom is not
the just-below-nines default. Sources: see ``SOURCES.md`` and
``scripts/sources/products/README.md``.

>>> import numpy as np
>>> from tempdata.geo.money import Currency
>>> u = np.array([0.1, 0.1])
>>> price_points(np.array([23.47, 312.0]), Currency("EUR", 0.9, 2), u).tolist()
[22.99, 309.99]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import polars as pl

from tempdata.geo.money import Currency
from tempdata.geo.reference import load

__all__ = ["price_points", "scheme_of"]

Array = npt.NDArray[np.float64]

DEFAULT_SCHEME = "nines"
#: Largest draw used, so that ``g + u`` stays inside group ``g`` after rounding.
_BELOW_ONE = 1.0 - 1e-12


@dataclass(frozen=True)
class _Scheme:
    """One scheme laid out for vectorised picks.

    Group ``g = category_index * bands + band`` owns rows ``keys`` in ``(g, g + 1]``
    (``g`` plus the cumulative share of each ending), so ``searchsorted(keys, g + u)``
    picks an ending of the group for a uniform ``u``.
    """

    name: str
    unit: float
    edges: Array  # band lower edges, ascending, edges[0] == 0
    keys: Array
    step: Array
    ending: Array


@cache
def scheme_of(currency: str) -> tuple[str, float | None]:
    """The scheme of ``currency`` and its unit (``None``: the currency's magnitude).

    >>> scheme_of("JPY"), scheme_of("GBP")
    (('yen', 1.0), ('nines', None))
    """
    table = load("price_schemes")
    row = table.filter(pl.col("currency") == currency)
    if row.height == 0:
        return DEFAULT_SCHEME, None
    return str(row["scheme"][0]), float(row["unit"][0])


def _unit(currency: Currency) -> float:
    """Scheme units per currency unit: given, or 10**round(log10(units per dollar)),
    so that a just-below 19.99 reads ₹1,999, 199,90 kr or Rp 199.900."""
    unit = scheme_of(currency.code)[1]
    if unit is not None:
        return unit
    return float(10 ** round(math.log10(currency.per_usd))) if currency.per_usd > 0 else 1.0


@cache
def _layout(currency: Currency, categories: tuple[str, ...]) -> _Scheme:
    name = scheme_of(currency.code)[0]
    rows = load("price_points").filter(pl.col("scheme") == name)
    generic = rows.filter(pl.col("category") == "*")
    edges = np.unique(generic["low"].to_numpy())
    keys: list[np.ndarray] = []
    steps: list[np.ndarray] = []
    endings: list[np.ndarray] = []
    # An empty category list (amounts without a department) uses the generic rows.
    for c, category in enumerate(categories or ("*",)):
        own = rows.filter(pl.col("category") == category)
        for b, low in enumerate(edges):
            band = own.filter(pl.col("low") == low)
            if band.height == 0:
                band = generic.filter(pl.col("low") == low)
            w = band["weight"].to_numpy().astype(np.float64)
            cdf = np.cumsum(w) / w.sum()
            cdf[-1] = 1.0
            keys.append((c * len(edges) + b) + cdf)
            steps.append(band["step"].to_numpy().astype(np.float64))
            endings.append(band["ending"].to_numpy().astype(np.float64))
    return _Scheme(
        name,
        _unit(currency),
        edges.astype(np.float64),
        np.concatenate(keys),
        np.concatenate(steps),
        np.concatenate(endings),
    )


def price_points(
    amount: Array,
    currency: Currency,
    u: Array,
    *,
    category: npt.NDArray[np.integer] | None = None,
    categories: Sequence[str] = (),
) -> Array:
    """``amount`` (in ``currency``) set to the currency's retail price points.

    Parameters
    ----------
    amount
        Prices in the currency, before rounding.
    currency
        The currency (:func:`tempdata.geo.money.currency_for`).
    u
        One uniform draw per price: which ending of the band it takes.
    category
        Per price, an index into ``categories`` (a department with its own endings,
        such as ``"Grocery"``); ``None`` uses every department's generic endings.
    categories
        Department names the indices refer to.

    Returns
    -------
    numpy.ndarray
        Prices on the nearest point ``ending + k × step`` of the ending drawn, in the
        currency's minor units (never zero: a price below its first point takes it).
    """
    cats = tuple(categories) if category is not None else ()
    scheme = _layout(currency, cats)
    base = np.asarray(amount, dtype=np.float64) / scheme.unit
    band = np.clip(np.searchsorted(scheme.edges, base, side="right") - 1, 0, len(scheme.edges) - 1)
    group = band if category is None else np.asarray(category) * len(scheme.edges) + band
    keys = group + np.minimum(u, _BELOW_ONE)
    pick = np.minimum(np.searchsorted(scheme.keys, keys, side="right"), len(scheme.keys) - 1)
    step, ending = scheme.step[pick], scheme.ending[pick]
    point = np.round((base - ending) / step) * step + ending
    first = np.where(ending > 0, ending, step)
    point = np.where(point < first - 1e-9, first, point)
    return np.round(point * scheme.unit, currency.decimals)
