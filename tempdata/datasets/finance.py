"""Financial datasets: ``crypto`` (24/7 OHLCV bars of fifteen real coins) and
``stocks`` (daily or intraday bars of real listed companies on their exchange's sessions).

Both pass through real prices at one anchor date, 2023-12-29 (``crypto_anchors`` and
``stock_anchors`` in reference_data, sources in SOURCES.md); the walk away from it is
synthetic. A coin's path is a bridge from a made-up level on 2000-01-01 (before most of
these coins existed) to its sourced close of 2023-12-29 (UTC), and runs on without drift
after it. Coins without a sourced close are not generated (XLM, SHIB, UNI, ATOM and XMR
were, until their made-up levels were found 2-5x off their real 2023 ones).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
import polars as pl

from tempdata import samplers as s
from tempdata.core.plan import Dataset, Parameter, Universe, check, col, group, time_series
from tempdata.datasets.registry import register
from tempdata.errors import InvalidParameterError
from tempdata.finance.markets import ANCHOR_DATE, crypto_anchors, stock_anchors
from tempdata.samplers.stocks import STOCK_FIELDS, stock_bars

__all__ = ["COINS", "DEFAULT_INDEX", "Coin", "crypto", "stock_universe", "stocks"]


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


#: Hand-curated: large, long-listed coins with a sourced close at the anchor date
#: (crypto_anchors), no stablecoins (their pegs need another model). Supplies and
#: prices are rounded mid-2025 magnitudes.
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
    Coin("TON", "Toncoin", 2.5e9, 2.9, 3e-3, 0.60, 0.70, 0.03),
    Coin("NEAR", "NEAR Protocol", 1.25e9, 2.2, 2e-3, 0.65, 1.30, 0.06),
)

_SYMBOLS = [c.symbol for c in COINS]
_SUPPLY = {c.symbol: c.supply for c in COINS}
#: The close of the UTC day ANCHOR_DATE: the price at midnight after it.
_COIN_CLOSE_AT = str(np.datetime64(ANCHOR_DATE, "D") + 1)
#: Sourced close and 90-day mean USD volume on ANCHOR_DATE (every coin).
_ANCHORS = {
    r["symbol"]: (r["close"], r["avg_volume_usd"]) for r in crypto_anchors().iter_rows(named=True)
}
_PRICE_SOURCE = {c.symbol: "anchor" if c.symbol in _ANCHORS else "synthetic" for c in COINS}


def _coin_bars() -> dict[str, list[Any]]:
    """Per coin: the price the walk is pinned to, when, how scattered, and its turnover."""
    out: dict[str, list[Any]] = {"prices": [], "price_date": [], "level_spread": [], "turn": []}
    for c in COINS:
        close, volume = _ANCHORS.get(c.symbol, (None, None))
        if close is None:
            out["prices"].append(c.price)
            out["price_date"].append("2025-07-01")
            out["level_spread"].append(0.3)
            out["turn"].append(c.turnover)
        else:
            out["prices"].append(close)
            out["price_date"].append(_COIN_CLOSE_AT)
            out["level_spread"].append(0.0)
            out["turn"].append(volume / (close * c.supply))
    return out


_BARS = _coin_bars()
#: Relative tolerance of float identities (volume_quote, market_cap).
_RTOL = 1e-9


def _close_to(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    return (a - b).abs() <= _RTOL * b.abs()


crypto = register(
    Dataset(
        "crypto",
        domain="financial",
        description="Hourly (1min to 1day) OHLCV bars of fifteen real crypto coins against "
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
        f"Price levels are real at {ANCHOR_DATE}: the UTC day's close is the coin's sourced "
        "close (crypto_anchors in reference_data: Yahoo Finance / CoinMarketCap) and its "
        "volume around the anchor averages the coin's real 90-day mean USD volume; the walk "
        "is a bridge from a made-up 2000-01-01 level to that close and runs on without "
        "drift after it (synthetic away from the anchor). Only coins with a sourced close "
        "are generated (XLM, SHIB, UNI, ATOM and XMR have none and were dropped). The walk "
        "has stochastic "
        "volatility (clustered, "
        "fat-tailed returns, more volatile than stocks) and a market factor that moves every "
        "coin with BTC. Volume is larger in volatile hours and on big moves, lower on "
        "weekends and at night in Europe and America. Circulating supply is constant (a "
        "mid-2025 magnitude). Stablecoins are not included. time_series=TimeSeriesConfig(...) "
        "(--seasonality, --trend, --volatility) changes three things, and its defaults "
        "nothing: volatility_level multiplies every volatility (market and own; low 0.5×, "
        "medium 1×, high 2×, or a number), so log returns spread that much more or less "
        "while volume keeps its level; trend_direction adds g × (t - t0) to the log price, "
        "t in years and t0 the anchor, g = +0.5 (up), -0.5 (down) or uniform in "
        "[-0.5, 0.5) per coin "
        "(random, fixed by the seed and the coin), so the pinned levels stay and the value "
        "at a timestamp still does not depend on the range; seasonal_patterns keeps the "
        "volume's daily (log amplitude 0.3, peak 15:00 UTC) and weekly (0.12, quieter "
        "weekends) cycles only when named (crypto has no yearly cycle).",
        columns=[
            col("timestamp", s.series_timestamps(), description="Start of the bar (UTC)."),
            col("symbol", s.series_entities(), description="Ticker symbol of the coin."),
            group(
                "bars",
                s.ohlcv(
                    start_prices=[c.start for c in COINS],
                    prices=_BARS["prices"],
                    vols=[c.vol for c in COINS],
                    betas=[c.beta for c in COINS],
                    turnover=_BARS["turn"],
                    supplies=[c.supply for c in COINS],
                    market_vol=0.5,
                    price_date=_BARS["price_date"],
                    level_spread=_BARS["level_spread"],
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
                pl.col("symbol").replace_strict(_SUPPLY, return_dtype=pl.Float64),
                description="Coins in circulation (constant, a mid-2025 magnitude).",
            ),
            col(
                "market_cap",
                pl.col("close") * pl.col("circulating_supply"),
                description="close × circulating_supply, in US dollars.",
            ),
            col(
                "price_source",
                pl.col("symbol").replace_strict(
                    _PRICE_SOURCE, return_dtype=pl.Enum(["anchor", "synthetic"])
                ),
                description="'anchor': the walk passes through the coin's real close of "
                f"{ANCHOR_DATE} (UTC) and trades its real 90-day volume there; 'synthetic': "
                "no sourced price (the level is made up).",
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


# --------------------------------------------------------------------------- stocks

#: The index whose constituents ``stocks`` generates by default.
DEFAULT_INDEX = "S&P 500"


def stock_universe(custom: Mapping[str, Any]) -> Universe:
    """The symbols and trading calendar of ``stocks`` for its custom parameters.

    ``index`` (default ``"S&P 500"``; ``"all"`` for every listing), ``exchange`` (a MIC
    such as ``"XNYS"``; default every exchange of the index) and ``symbols`` (how many:
    by index size tier, then by mean daily traded value at the anchor date, the sourced
    close × mean share volume of :func:`tempdata.finance.stock_anchors` — a proxy for
    size, not the market cap, which is not sourced —, tickers without one after, then by
    symbol; default all).
    The chosen symbols come sorted and must share one exchange calendar.

    >>> u = stock_universe({"index": "dax", "exchange": "XETR", "symbols": 3})
    >>> len(u.labels), u.calendar
    (3, market_calendar('XETR'))
    """
    from tempdata.finance.markets import tickers
    from tempdata.finance.sessions import calendar_exchange, market_calendar

    index = custom.get("index", DEFAULT_INDEX)
    exchange = custom.get("exchange")
    count = custom.get("symbols")
    try:
        table = tickers(exchange=exchange, index=None if index.lower() == "all" else index)
        if not table.height:
            msg = f"no tickers of index {index!r} on exchange {exchange!r}"
            raise InvalidParameterError(msg)
        mic = calendar_exchange(table["exchange"].unique().to_list())
    except InvalidParameterError as err:
        msg = f"dataset 'stocks': {err}" + (
            " with custom_params={'exchange': ...}" if "pick one exchange" in str(err) else ""
        )
        raise InvalidParameterError(msg) from None
    if count is not None:
        value = (pl.col("close") * pl.col("avg_volume")).alias("value")
        table = (
            table.join(stock_anchors().select("symbol", value), on="symbol", how="left")
            .sort(["weight", "value", "symbol"], descending=[True, True, False], nulls_last=True)
            .head(count)
        )
    labels = tuple(sorted(table["symbol"].to_list()))
    return Universe(labels, market_calendar(mic))


def _prev(expr: pl.Expr) -> pl.Expr:
    return expr.shift(1).over("symbol")


_RATIO = pl.col("adj_close") / pl.col("close")
#: The price tick: the currency's minor unit (whole yen for JPY).
_TICK = pl.when(pl.col("currency").cast(pl.String) == "JPY").then(1.0).otherwise(0.01)

stocks = register(
    Dataset(
        "stocks",
        domain="financial",
        description="Daily (or 1min to 1hour) OHLCV bars of real listed companies on their "
        "exchange's trading sessions, S&P 500 by default: one row per symbol per bar, sorted "
        "by time, then symbol.",
        parameters={
            "index": Parameter(
                "Index whose constituents are generated (S&P 500, DAX, FTSE 100, Nikkei 225, "
                "...; 'all' for every listing).",
                default=DEFAULT_INDEX,
                text=True,
            ),
            "exchange": Parameter(
                "MIC of the listing exchange to keep (XNYS, XNAS, XETR, XLON, XTKS, ...).",
                text=True,
            ),
            "symbols": Parameter(
                "How many symbols: the index's largest size tier first, within a tier by "
                "mean daily traded value at 2023-12-29 (close x volume, sourced; tickers "
                "without it after), then by symbol (default: all).",
                high=2_000,
            ),
        },
        time_series=time_series(
            entities="symbols",
            interval="1day",
            intervals=["1min", "5min", "15min", "30min", "1hour", "1day"],
            unit="symbol",
            universe=stock_universe,
        ),
        notes="Rows are every symbol at every bar of the exchange's regular sessions in the "
        "date range: daily bars on trading days only (weekends and the exchange's holidays, "
        "e.g. 2024-07-04 and Good Friday 2024-03-29 for NYSE, have no rows), intraday bars "
        "only in regular hours. Times are the exchange's local wall-clock time: `timestamp` "
        "is tz-aware in the exchange's zone (America/New_York for NYSE and Nasdaq), `date` "
        "is the session's date. Intraday bars are aligned to the clock; the 1hour bar that "
        "straddles a 09:30 open starts at the open. The exchange calendars cover 1990-2040; "
        "ranges outside are errors. A symbol's values at a bar depend only on the seed, the "
        "interval, the symbol and the bar (not on the range or on the other symbols): "
        "extending a range leaves earlier rows unchanged. Each interval is its own series. "
        "Prices: log price = beta × market factor + loading × sector factor + own random walk, "
        "the factors with stochastic volatility (clustered, fat-tailed returns; stocks of a "
        "sector move together), on a session clock that skips nights and weekends (an "
        "overnight gap carries about a quarter of a day's variance). Each company's long-run "
        "volatility is its sourced realized volatility of 2023 (stock_anchors: daily log "
        "returns of the same closes x sqrt(252); KO 13 %, PG 15 %, NVDA 47 %, TSLA 54 % a "
        "year), split between the factors and its own walk (the factors at most 80 % of "
        "the variance); tickers with price_source synthetic (and WS, listed too late in "
        "2023) keep a seeded volatility from their sector's beta and size tier (about "
        "20-40 % a year). Levels are real at one "
        f"anchor date, {ANCHOR_DATE}: the session's close is the company's sourced close "
        "that day (stock_anchors in reference_data: Nasdaq.com closes for US listings, "
        "Yahoo Finance's for BRK.B; for European ones Bloomberg's dividend-adjusted "
        "closes, 0-6 % below the real close, except SAP, Siemens, Allianz, Deutsche "
        "Telekom, LVMH and TotalEnergies, at their real close), and the walk runs "
        "backwards and forwards from it — a bridge to a seeded "
        "1990-01-01 price (the anchor price discounted by a seeded growth of about 4.5 % a "
        "year) and on without drift after the anchor; away from the anchor the path is "
        "synthetic (it does not follow history). Tickers without a sourced close (all Tokyo "
        "listings, some European mid and small caps) get a seeded anchor price (about $60 "
        "median, higher for mega caps, scaled to the currency); `price_source` says which. "
        "Prices are rounded to the currency's minor unit (0.01; 1 for JPY) with low ≤ "
        "open, close ≤ high. Volume (shares) averages the sourced mean daily volume of the "
        "three months before the anchor (seeded from the size tier where not sourced, as "
        "for BRK.B), is "
        "larger on big moves and in volatile spells, and U-shaped within the day. "
        "Dividends follow the company's schedule at the anchor (US listings and the six "
        "European ones above, `dividend_source` anchor): no dividend for companies that "
        "paid none (AMZN, TSLA, NFLX, BRK.B...), otherwise one payment in each of its "
        "ex-dividend months of a year "
        "(KO: March, June, September, November; O monthly; SAP once, in May; LVMH in April "
        "and December), on its ex-date's day of the "
        "month (up to the 28th, rolled to the next trading day), worth its indicated "
        "dividend at the anchor as a share of the price; one schedule for every year. "
        "Where no policy was sourced (other European and all Tokyo listings, "
        "`dividend_source` synthetic) about 70 % of symbols pay made-up dividends (0.5-4.5 "
        "% a year) as their market usually does, a convention rather than a sourced "
        "schedule: quarterly in USD, an interim and a final dividend 6 months apart in "
        "GBP, at the end of March and September in JPY (the March fiscal year's interim "
        "and year-end record dates), once a year in April-June (after the AGM) in the "
        "other currencies. `dividend` is the cash amount on the ex-date (0 otherwise) and "
        "the price "
        "drops by it. `adj_close` is a total-return index anchored at the anchor date "
        f"(equal to close around {ANCHOR_DATE}): close × (1 - q)^-(dividends between the "
        "anchor and the bar), q the symbol's yield per payment — unlike a vendor's "
        "back-adjustment, it does not depend on the end of the requested range. No "
        "splits, listings or delistings. "
        "time_series=TimeSeriesConfig(...) (--seasonality, --trend, --volatility) changes "
        "three things, and its defaults nothing: volatility_level multiplies the market, "
        "sector and own volatilities (low 0.5×, medium 1×, high 2×, or a number), so log "
        "returns spread that much more or less while volume keeps its level; "
        f"trend_direction adds g × (t - {ANCHOR_DATE}) to the log price, t in years of 261 "
        "weekdays (the session clock), g = +0.1 (up), -0.1 (down) or uniform in "
        "[-0.1, 0.1) per symbol (random, fixed by the seed and the symbol), so the anchor "
        "levels stay and the value at a bar still does not depend on the range (long "
        "trends push 1990 prices toward the tick); seasonal_patterns without daily makes "
        "intraday volume flat across the session instead of U-shaped (stocks have no "
        "weekly or yearly cycle; daily bars are unaffected).",
        columns=[
            col("symbol", s.series_entities(), description="Ticker symbol."),
            group(
                "bars",
                stock_bars(),
                columns=list(STOCK_FIELDS),
                descriptions={
                    "date": "Trading session's date (exchange-local).",
                    "timestamp": "Start of the bar in the exchange's time zone (the open for "
                    "daily bars).",
                    "name": "Company name.",
                    "sector": "GICS sector.",
                    "exchange": "MIC of the primary listing.",
                    "currency": "Trading currency (ISO 4217).",
                    "open": "First price of the bar.",
                    "high": "Highest price within the bar.",
                    "low": "Lowest price within the bar.",
                    "close": "Last price of the bar.",
                    "adj_close": "Close adjusted for dividends: a total-return index equal to "
                    f"close around {ANCHOR_DATE} (see notes).",
                    "volume": "Shares traded in the bar.",
                    "dividend": "Cash dividend per share going ex on this bar (first bar of the "
                    "ex-date), else 0.",
                    "price_source": f"'anchor': the close of {ANCHOR_DATE} and the typical "
                    "volume are the company's sourced ones (the walk passes through them); "
                    "'synthetic': not sourced, seeded.",
                    "dividend_source": "'anchor': dividends follow the company's sourced "
                    "policy and ex-dividend months at the anchor (none for non-payers); "
                    "'synthetic': no policy sourced, seeded dividends in the market's usual months "
                    "(see notes) or none.",
                },
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
            check(
                "prices_on_tick",
                pl.all_horizontal(
                    ((pl.col(c) * 100).round(0) - pl.col(c) * 100).abs() < 1e-6
                    for c in ("open", "high", "low", "close")
                ),
                "Prices are whole cents (or whole yen).",
            ),
            check("volume_positive", pl.col("volume") > 0, "At least one share per bar."),
            check("dividend_not_negative", pl.col("dividend") >= 0),
            check(
                "adj_close_steps_only_at_dividends",
                ((_RATIO / _prev(_RATIO) - 1).abs().fill_null(0) < 1e-9) | (pl.col("dividend") > 0),
                "adj_close / close is constant between ex-dividend dates.",
            ),
            check(
                "adj_close_step_matches_dividend",
                (pl.col("dividend") == 0)
                | _prev(pl.col("close")).is_null()
                | (
                    (1 - _prev(_RATIO) / _RATIO - pl.col("dividend") / _prev(pl.col("close"))).abs()
                    <= 0.003 + _TICK / _prev(pl.col("close"))
                ),
                "On an ex-date, adj_close / close grows by the dividend's share of the "
                "previous close (within the rounding of a cent).",
            ),
            check(
                "sorted_by_time",
                pl.col("timestamp") >= pl.col("timestamp").shift(1).fill_null(pl.col("timestamp")),
            ),
            check("one_row_per_symbol_and_time", pl.struct("timestamp", "symbol").is_unique()),
            check("on_a_weekday", pl.col("date").dt.weekday() <= 5, "No weekend rows."),
        ],
    )
)
