"""The yardstick: ``sales`` built by hand with NumPy and Polars, in one frame.

This script builds the same columns, with the same names and dtypes, as
``tempdata.generate("sales", ...)`` and does comparable work for each of them —
nothing is trimmed:

* ``transaction_id``: ``TXN-`` + zero-padded row number, by Polars string ops;
* ``date``: sorted timestamps, by a weighted inverse CDF over the hourly bins of the
  365 days ending at 2025-12-31, weighted by hour of day, weekday, month and the
  retail events (Christmas run-up, Black Friday, Cyber Monday, closed days);
* ``customer_id`` / ``product_id``: power-law skewed integer keys spread by an affine
  permutation, formatted as strings (``CUST-`` / ``PRD-`` + zero padding);
* ``quantity``: ``1 + Poisson(0.45)`` capped at 24;
* ``unit_price``: gathered from a 1,000-row price array (lognormal list prices);
* ``discount`` / ``amount``: a gathered discount rate, rounded money;
* ``currency``: "USD" (global sales price in US dollars);
* ``region`` / ``timezone``: a city drawn by population from the reference city table,
  its continent and time zone gathered as Enums;
* ``payment_method``: a weighted choice conditional on ``channel``, then the cash
  limit rule (cash above 500 becomes card) as a ``when/then``;
* ``channel``: a weighted choice (Enum).

What it does *not* do is tempdata's bookkeeping: one NumPy generator for the whole
frame instead of one per column per 50,000-row chunk, no plan, no chunking, and the
whole frame in memory before ``write_parquet`` (zstd, 50,000-row groups). That is the
point: it is what a competent hand-written script costs, and tempdata should match it
while streaming.

Run ``python -m bench.baseline --rows 1000000 --out /tmp/sales.parquet``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from tempdata.samplers.geo import CONTINENTS

__all__ = ["REFERENCE_DIR", "build", "city_table", "write"]

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "reference_data"
REFERENCE_DATE = dt.date(2025, 12, 31)  # tempdata's default for seeded runs
SPAN_DAYS = 365
ROW_GROUP = 50_000

_US_PER_HOUR = 3_600_000_000
_EPOCH = dt.datetime(1970, 1, 1)

# The retail profile: relative activity by hour, weekday (Mon-Sun) and month.
_HOURS = np.array([0.05, 0.03, 0.02, 0.02, 0.02, 0.04, 0.1, 0.3, 0.7, 1.0, 1.2, 1.4,
                   1.6, 1.5, 1.4, 1.4, 1.5, 1.7, 1.8, 1.6, 1.2, 0.8, 0.4, 0.15])  # fmt: skip
_WEEKDAYS = np.array([0.85, 0.85, 0.9, 0.95, 1.15, 1.4, 0.9])
_MONTHS = np.array([0.82, 0.8, 0.93, 0.95, 1.0, 0.98, 0.99, 1.02, 0.95, 1.0, 1.12, 1.4])

# Continent names as tempdata spells them (the baseline must produce the same Enum).
_CONTINENTS = CONTINENTS
_REGIONS = sorted({*_CONTINENTS.values(), "Other"})

_CHANNELS = ["store", "web", "app"]
_CHANNEL_P = [0.55, 0.35, 0.1]
_PAYMENTS = ["card", "cash", "mobile_wallet", "paypal", "bank_transfer"]
# Per channel, the weight of each payment method (columns in _PAYMENTS order).
_PAYMENT_P = np.array(
    [
        [0.55, 0.3, 0.15, 0.0, 0.0],  # store
        [0.6, 0.0, 0.08, 0.25, 0.07],  # web
        [0.45, 0.0, 0.4, 0.15, 0.0],  # app
    ]
)
_CASH_LIMIT = 500
_RATES = np.array([0.0, 0.05, 0.1, 0.2, 0.3])
_RATE_P = [0.72, 0.1, 0.09, 0.06, 0.03]
_PRODUCTS = 1_000
# Price medians and sigmas of a few product families (lognormal list prices).
_PRICE_MEDIANS = np.array([850.0, 480.0, 75.0, 42.0, 240.0, 19.0, 55.0, 29.0, 14.0, 6.0])
_PRICE_SIGMAS = np.array([0.45, 0.55, 0.8, 0.55, 0.7, 0.45, 0.45, 0.45, 0.35, 0.6])


def _cdf(p: Any) -> np.ndarray:
    c = np.cumsum(np.asarray(p, dtype=np.float64))
    c /= c[-1]
    c[-1] = 1.0
    return c


def _pick(cdf: np.ndarray, u: np.ndarray) -> np.ndarray:
    return np.minimum(np.searchsorted(cdf, u, side="right"), len(cdf) - 1)


def _event_factors(days: np.ndarray) -> np.ndarray:
    """Retail special days, per day (``days``: datetime64[D])."""
    factors = np.ones(len(days))
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    dec = month == 12
    early = dec & (day <= 23)
    factors[early] *= 1.1 + 0.6 * day[early] / 23
    factors[dec & (day == 24)] *= 0.9
    factors[dec & (day == 25)] *= 0.05
    factors[dec & (day == 26)] *= 1.5
    factors[(month == 1) & (day == 1)] *= 0.1
    # Thanksgiving: the 4th Thursday of November (1970-01-01 was a Thursday).
    nov1 = days.astype("datetime64[Y]").astype("datetime64[M]") + np.timedelta64(10, "M")
    nov1 = nov1.astype("datetime64[D]")
    thanks = nov1 + (3 - (nov1.astype(np.int64) + 3) % 7) % 7 + 21
    offset = (days - thanks).astype(np.int64)
    factors[offset == 0] *= 0.4
    factors[offset == 1] *= 3.0  # Black Friday
    factors[(offset == 2) | (offset == 3)] *= 1.6
    factors[offset == 4] *= 2.0  # Cyber Monday
    return factors


def _hour_bins(start_us: int, end_us: int) -> tuple[np.ndarray, np.ndarray]:
    """Hour-bin starts (µs since the epoch) and the activity CDF over them."""
    starts = np.arange(start_us - start_us % _US_PER_HOUR, end_us + 1, _US_PER_HOUR)
    days = starts.astype("datetime64[us]").astype("datetime64[D]")
    hour = (starts // _US_PER_HOUR) % 24
    weekday = (days.astype(np.int64) + 3) % 7
    month = days.astype("datetime64[M]").astype(np.int64) % 12
    w = _HOURS[hour] * _WEEKDAYS[weekday] * _MONTHS[month] * _event_factors(days)
    return starts, _cdf(w)


def _sorted_timestamps(rng: np.random.Generator, n: int) -> np.ndarray:
    start = dt.datetime.combine(REFERENCE_DATE - dt.timedelta(days=SPAN_DAYS - 1), dt.time())
    end = dt.datetime.combine(REFERENCE_DATE, dt.time(23, 59, 59, 999_999))
    start_us = (start - _EPOCH) // dt.timedelta(microseconds=1)
    end_us = (end - _EPOCH) // dt.timedelta(microseconds=1)
    starts, cdf = _hour_bins(start_us, end_us)
    u = (np.arange(n) + rng.random(n)) / n  # row i takes quantile (i + U) / n: sorted
    k = _pick(cdf, u)
    below = np.where(k > 0, cdf[k - 1], 0.0)
    frac = (u - below) / np.maximum(cdf[k] - below, 1e-300)
    micros = starts[k] + np.floor(np.clip(frac, 0.0, 1.0) * (_US_PER_HOUR - 1)).astype(np.int64)
    return np.maximum.accumulate(np.clip(micros, start_us, end_us))


def _skewed_keys(rng: np.random.Generator, n: int, size: int, a: float) -> np.ndarray:
    """Keys 0..size-1, the k-th most popular with weight k**-a, spread over the range."""
    e = 1.0 - a
    u = rng.random(n)
    if abs(e) < 1e-9:
        x = np.exp(u * math.log(size + 1.0))
    else:
        x = (1.0 + u * ((size + 1.0) ** e - 1.0)) ** (1.0 / e)
    ranks = np.minimum(np.floor(x).astype(np.int64) - 1, size - 1)
    mult = int(rng.integers(1, size + 1))
    while math.gcd(mult, size) != 1:
        mult += 1
    return (ranks * mult + int(rng.integers(0, size))) % size


def city_table(reference_dir: Path = REFERENCE_DIR) -> tuple[np.ndarray, pl.Series, pl.Series]:
    """Population CDF of the reference cities, and each city's region and time zone (Enums)."""
    countries = pl.read_parquet(reference_dir / "countries.parquet", columns=["iso2", "continent"])
    cities = pl.read_parquet(
        reference_dir / "cities.parquet", columns=["country_code", "timezone", "population"]
    ).join(
        countries.rename({"iso2": "country_code"}),
        on="country_code",
        how="inner",
        maintain_order="left",
    )
    timezones = pl.Enum(sorted(cities.get_column("timezone").unique().to_list()))
    region = cities.get_column("continent").replace_strict(_CONTINENTS, default="Other")
    return (
        _cdf(cities.get_column("population").to_numpy()),
        region.cast(pl.Enum(_REGIONS)),
        cities.get_column("timezone").cast(timezones),
    )


def _key(prefix: str, width: int, name: str) -> pl.Expr:
    return pl.concat_str(pl.lit(prefix), (pl.col(name) + 1).cast(pl.String).str.zfill(width))


def build(rows: int, seed: int = 42, reference_dir: Path = REFERENCE_DIR) -> pl.DataFrame:
    """The ``sales`` columns for ``rows`` rows, in one frame."""
    n = int(rows)
    rng = np.random.default_rng(seed)
    city_cdf, city_region, city_tz = city_table(reference_dir)

    # The products table: 1,000 lognormal list prices from a few families.
    family = rng.integers(0, len(_PRICE_MEDIANS), _PRODUCTS)
    prices = np.round(
        np.maximum(rng.lognormal(np.log(_PRICE_MEDIANS[family]), _PRICE_SIGMAS[family]), 0.99), 2
    )

    micros = _sorted_timestamps(rng, n)
    customer = _skewed_keys(rng, n, max(100, min(n // 10, 1_000_000)), 0.8)
    product = _skewed_keys(rng, n, _PRODUCTS, 1.05)
    quantity = np.minimum(1 + rng.poisson(0.45, n), 24)
    rate = _RATES[_pick(_cdf(_RATE_P), rng.random(n))]
    city = _pick(city_cdf, rng.random(n))
    channel = _pick(_cdf(_CHANNEL_P), rng.random(n))
    u = rng.random(n)
    payment = np.empty(n, dtype=np.int64)
    for c in range(len(_CHANNELS)):
        rows_c = channel == c
        payment[rows_c] = _pick(_cdf(_PAYMENT_P[c]), u[rows_c])

    channels = pl.Series(_CHANNELS, dtype=pl.Enum(_CHANNELS))
    payments = pl.Series(_PAYMENTS, dtype=pl.Enum(_PAYMENTS))
    raw = pl.DataFrame(
        {
            "_micros": micros,
            "_customer": customer,
            "_product": product,
            "quantity": quantity.astype(np.int64),
            "unit_price": prices[product],
            "_rate": rate,
            "region": city_region.gather(city),
            "timezone": city_tz.gather(city),
            "payment_method": payments.gather(payment),
            "channel": channels.gather(channel),
        }
    )
    gross = pl.col("quantity") * pl.col("unit_price")
    frame = raw.with_columns(
        transaction_id=pl.concat_str(
            pl.lit("TXN-"), pl.int_range(1, n + 1, dtype=pl.Int64).cast(pl.String).str.zfill(10)
        ),
        date=pl.col("_micros").cast(pl.Datetime("us")),
        customer_id=_key("CUST-", 8, "_customer"),
        product_id=_key("PRD-", 6, "_product"),
        discount=(gross * pl.col("_rate")).round(2),
    ).with_columns(amount=(gross - pl.col("discount")).round(2))
    cash_over = (pl.col("payment_method") == "cash") & (pl.col("amount") > _CASH_LIMIT)
    return frame.select(
        "transaction_id",
        "date",
        "customer_id",
        "product_id",
        "quantity",
        "unit_price",
        "discount",
        "amount",
        pl.lit("USD").alias("currency"),  # global sales price in US dollars
        "region",
        "timezone",
        pl.when(cash_over)
        .then(pl.lit("card"))
        .otherwise(pl.col("payment_method"))
        .cast(pl.Enum(_PAYMENTS))
        .alias("payment_method"),
        "channel",
    )


def write(path: str | Path, rows: int, seed: int = 42, reference_dir: Path = REFERENCE_DIR) -> Path:
    """Build the frame and write it as zstd Parquet with 50,000-row groups."""
    out = Path(path)
    build(rows, seed, reference_dir).write_parquet(
        out, compression="zstd", row_group_size=ROW_GROUP
    )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.baseline", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", default="baseline_sales.parquet")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    path = write(args.out, args.rows, args.seed)
    wall = time.perf_counter() - t0
    print(f"{args.rows:,} rows in {wall:.3f} s ({args.rows / wall:,.0f} rows/s) → {path}")


if __name__ == "__main__":
    main()
