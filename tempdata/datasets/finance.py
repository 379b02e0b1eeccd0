"""Financial datasets: ``crypto`` (24/7 OHLCV bars of about twenty real coins).

Price levels are synthetic. Each coin's path is a bridge from a made-up level on
2000-01-01 (before most of these coins existed) to a level near its mid-2025 market
price on 2025-07-01, scattered by a factor ``exp(0.3 N(0, 1))`` per seed, so late-2025
prices are plausible and the long-run growth of crypto shows; after mid-2025 the path
runs on without drift. Nothing here is market data.
"""

from __future__ import annotations

from typing import NamedTuple

import polars as pl

from tempdata import samplers as s
from tempdata.core.plan import Dataset, check, col, group, time_series
from tempdata.datasets.registry import register

__all__ = ["COINS", "Coin", "crypto"]


class Coin(NamedTuple):
    """A coin of the ``crypto`` dataset.

    ``supply`` is the circulating supply (order of magnitude of mid-2025), ``price``
    its approximate US-dollar price in mid-2025 (the level the synthetic path is
    pinned near), ``start`` the synthetic level on 2000-01-01, ``vol`` the annual
    volatility of its own part, ``beta`` its loading on the market factor (BTC's is 1)
    and ``turnover`` its typical daily volume as a share of market cap.
    """

    symbol: str
    name: str
    supply: float
    price: float
    start: float
    vol: float
    beta: float
    turnover: float


#: Hand-curated: large, long-listed coins, no stablecoins (their pegs need another
#: model). Supplies and prices are rounded mid-2025 magnitudes.
COINS: tuple[Coin, ...] = (
    Coin("BTC", "Bitcoin", 19.9e6, 107_000.0, 0.05, 0.20, 1.00, 0.02),
    Coin("ETH", "Ethereum", 120.7e6, 2_500.0, 1.5, 0.35, 1.20, 0.05),
    Coin("XRP", "XRP", 59e9, 2.2, 1.5e-3, 0.60, 1.15, 0.03),
    Coin("BNB", "BNB", 141e6, 660.0, 0.5, 0.35, 0.85, 0.01),
    Coin("SOL", "Solana", 535e6, 150.0, 0.1, 0.60, 1.30, 0.06),
    Coin("DOGE", "Dogecoin", 150e9, 0.165, 1e-4, 0.90, 1.30, 0.05),
    Coin("ADA", "Cardano", 36e9, 0.57, 4e-4, 0.55, 1.20, 0.03),
    Coin("TRX", "TRON", 94.8e9, 0.28, 3e-4, 0.40, 0.60, 0.02),
    Coin("AVAX", "Avalanche", 422e6, 18.0, 0.015, 0.60, 1.30, 0.05),
    Coin("LINK", "Chainlink", 678e6, 13.5, 0.01, 0.55, 1.25, 0.05),
    Coin("DOT", "Polkadot", 1.6e9, 3.4, 3e-3, 0.55, 1.25, 0.05),
    Coin("LTC", "Litecoin", 76e6, 87.0, 0.08, 0.45, 1.05, 0.05),
    Coin("BCH", "Bitcoin Cash", 19.9e6, 500.0, 0.4, 0.50, 1.05, 0.03),
    Coin("XLM", "Stellar", 31e9, 0.24, 2e-4, 0.55, 1.10, 0.03),
    Coin("SHIB", "Shiba Inu", 5.89e14, 1.15e-5, 1e-8, 0.90, 1.30, 0.03),
    Coin("TON", "Toncoin", 2.5e9, 2.9, 3e-3, 0.60, 0.70, 0.03),
    Coin("UNI", "Uniswap", 630e6, 7.5, 7e-3, 0.60, 1.25, 0.05),
    Coin("NEAR", "NEAR Protocol", 1.25e9, 2.2, 2e-3, 0.65, 1.30, 0.06),
    Coin("ATOM", "Cosmos", 470e6, 4.1, 4e-3, 0.55, 1.20, 0.05),
    Coin("XMR", "Monero", 18.4e6, 320.0, 0.3, 0.50, 0.70, 0.02),
)

_SYMBOLS = [c.symbol for c in COINS]
_SUPPLY = {c.symbol: c.supply for c in COINS}
#: Relative tolerance of float identities (volume_quote, market_cap).
_RTOL = 1e-9


def _close_to(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    return (a - b).abs() <= _RTOL * b.abs()


crypto = register(
    Dataset(
        "crypto",
        domain="financial",
        description="Hourly (1min to 1day) OHLCV bars of twenty real crypto coins against "
        "the US dollar, traded 24/7: one row per coin per step, sorted by time, then coin.",
        time_series=time_series(
            entities=_SYMBOLS,
            interval="1hour",
            intervals=["1min", "5min", "15min", "30min", "1hour", "1day"],
            unit="symbol",
        ),
        notes="Rows are every coin at every step of the date range (24/7, UTC; no market "
        "closes). A coin's values at a timestamp depend only on the seed, the interval and "
        "the timestamp: extending the range leaves earlier rows unchanged. Each grid "
        "interval is its own series (hourly bars are not aggregates of 1-minute ones). "
        "Price levels are synthetic: a bridge from a made-up 2000-01-01 level to about the "
        "coin's mid-2025 price (scattered per seed), with stochastic volatility (clustered, "
        "fat-tailed returns, more volatile than stocks) and a market factor that moves every "
        "coin with BTC. Volume is larger in volatile hours and on big moves, lower on "
        "weekends and at night in Europe and America. Circulating supply is constant (a "
        "mid-2025 magnitude). Stablecoins are not included.",
        columns=[
            col("timestamp", s.series_timestamps(), description="Start of the bar (UTC)."),
            col("symbol", s.series_entities(), description="Ticker symbol of the coin."),
            group(
                "bars",
                s.ohlcv(
                    start_prices=[c.start for c in COINS],
                    prices=[c.price for c in COINS],
                    vols=[c.vol for c in COINS],
                    betas=[c.beta for c in COINS],
                    turnover=[c.turnover for c in COINS],
                    supplies=[c.supply for c in COINS],
                    market_vol=0.5,
                ),
                columns=["open", "high", "low", "close", "volume", "volume_quote"],
                descriptions={
                    "open": "Price in US dollars at the start of the bar (the previous close).",
                    "high": "Highest price within the bar.",
                    "low": "Lowest price within the bar.",
                    "close": "Price at the end of the bar.",
                    "volume": "Traded amount in the coin (base currency).",
                    "volume_quote": "Traded amount in US dollars: volume × the bar's typical "
                    "price (high + low + close) / 3.",
                },
            ),
            col(
                "circulating_supply",
                pl.col("symbol").cast(pl.String).replace_strict(_SUPPLY, return_dtype=pl.Float64),
                description="Coins in circulation (constant, a mid-2025 magnitude).",
            ),
            col(
                "market_cap",
                pl.col("close") * pl.col("circulating_supply"),
                description="close × circulating_supply, in US dollars.",
            ),
        ],
        checks=[
            check(
                "low_below_open_close",
                (pl.col("low") <= pl.col("open")) & (pl.col("low") <= pl.col("close")),
                "low ≤ open and low ≤ close.",
            ),
            check(
                "high_above_open_close",
                (pl.col("high") >= pl.col("open")) & (pl.col("high") >= pl.col("close")),
                "high ≥ open and high ≥ close.",
            ),
            check("prices_positive", pl.col("low") > 0, "Every price is positive."),
            check("volume_positive", (pl.col("volume") > 0) & (pl.col("volume_quote") > 0)),
            check(
                "volume_quote_is_volume_times_typical_price",
                _close_to(
                    pl.col("volume_quote"),
                    pl.col("volume") * (pl.col("high") + pl.col("low") + pl.col("close")) / 3,
                ),
            ),
            check(
                "market_cap_is_close_times_supply",
                _close_to(pl.col("market_cap"), pl.col("close") * pl.col("circulating_supply")),
            ),
            check(
                "sorted_by_time",
                pl.col("timestamp") >= pl.col("timestamp").shift(1).fill_null(pl.col("timestamp")),
            ),
            check(
                "one_row_per_symbol_and_time",
                pl.struct("timestamp", "symbol").is_unique(),
            ),
            check(
                "open_is_previous_close",
                (pl.col("open") == pl.col("close").shift(1).over("symbol"))
                | pl.col("close").shift(1).over("symbol").is_null(),
                "Each bar opens at its symbol's previous close (24/7: no gaps).",
            ),
        ],
    )
)
