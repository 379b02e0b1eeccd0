"""The currency a dataset prices in: its country's, or US dollars.

Datasets with money (products, sales, customers) generate amounts on a US-dollar
scale and convert them with ``reference_data/currencies.parquet`` (ECB reference rates,
plus a few approximate ones), rounding to the currency's minor units: a product at
19.99 USD lists at about 3,143 JPY in Japan. ``global`` datasets, and countries whose
currency has no rate, price in US dollars.

>>> currency_for("JP").code, currency_for("global").code
('JPY', 'USD')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import polars as pl

from tempdata.geo.countries import GLOBAL
from tempdata.geo.reference import load

__all__ = ["USD", "Currency", "currency_for", "round_money"]


@dataclass(frozen=True)
class Currency:
    """ISO 4217 code, units per US dollar, and minor units (decimals)."""

    code: str
    per_usd: float
    decimals: int


USD = Currency("USD", 1.0, 2)


@cache
def _table() -> tuple[dict[str, str], dict[str, Currency]]:
    countries = load("countries").select("iso2", "currency")
    by_country = dict(countries.iter_rows())
    rates = {
        code: Currency(code, float(rate), int(decimals))
        for code, rate, decimals in load("currencies")
        .select("currency", "per_usd", "decimals")
        .iter_rows()
    }
    return by_country, rates


def currency_for(country: str) -> Currency:
    """The currency of ``country`` (ISO alpha-2) with its rate, else US dollars."""
    if country == GLOBAL:
        return USD
    by_country, rates = _table()
    return rates.get(by_country.get(country, ""), USD)


def round_money(amount: pl.Expr, decimals: pl.Expr) -> pl.Expr:
    """``amount`` rounded to ``decimals`` (0, 2 or 3 minor units, per row)."""
    return (
        pl.when(decimals == 0)
        .then(amount.round(0))
        .when(decimals == 3)
        .then(amount.round(3))
        .otherwise(amount.round(2))
    )
