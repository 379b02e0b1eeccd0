"""Bars of listed stocks on their exchange's sessions: :func:`stock_bars`, the sampler of
the ``stocks`` dataset (split from :mod:`tempdata.samplers.timeseries`, whose helpers it
shares).

Prices, volumes and dividends are functions of (seed, dataset, column, symbol, bar) on
the exchange's session clock (:mod:`tempdata.finance.sessions`): time-anchored, and a
symbol's values do not depend on the other symbols.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

import numpy as np
import polars as pl

from tempdata.core import timeseries as ts
from tempdata.core.plan import ChunkContext, GroupSampler, Params, SampleOutput
from tempdata.errors import InvalidParameterError
from tempdata.finance.markets import ANCHOR_DATE as _ANCHOR_DATE
from tempdata.samplers._base import Array, CallRepr, number
from tempdata.samplers.timeseries import _DEFAULT_SERIES, _series, _slopes

__all__ = ["STOCK_FIELDS", "stock_bars"]


#: The fields of :func:`stock_bars`, in the order the ``stocks`` dataset shows them.
STOCK_FIELDS = (
    "date",
    "timestamp",
    "name",
    "sector",
    "exchange",
    "currency",
    "open",
    "high",
    "low",
    "close",
    "adj_close",
    "volume",
    "dividend",
    "price_source",
    "dividend_source",
)
#: Values of ``price_source`` and ``dividend_source``: sourced at the anchor date, or not.
SOURCES = ("anchor", "synthetic")
_SOURCE_ENUM = pl.Enum(list(SOURCES))
#: Typical beta of a GICS sector (a stock's own beta scatters around it).
_SECTOR_BETA = {
    "Information Technology": 1.2,
    "Consumer Discretionary": 1.15,
    "Financials": 1.1,
    "Communication Services": 1.05,
    "Industrials": 1.05,
    "Materials": 1.0,
    "Energy": 1.0,
    "Real Estate": 0.9,
    "Health Care": 0.85,
    "Consumer Staples": 0.65,
    "Utilities": 0.55,
}
#: Median daily traded value (US dollars) of a company of an index size tier.
_TIER_TURNOVER = {"mega": 2.5e9, "large": 3e8, "mid": 6e7, "small": 1.2e7}
#: Seeded dividends a year by currency (US 4, UK and Tokyo 2, else 1: dataset notes).
_SEEDED_PAYMENTS = {"USD": 4, "GBP": 2, "JPY": 2}
#: Rough units of a currency per US dollar, so price levels look local.
_FX = {"USD": 1.0, "EUR": 0.9, "GBP": 0.8, "CHF": 0.9, "SEK": 10.0, "JPY": 150.0}
#: Minor-unit decimals of currencies other than the usual 2 (the price tick).
_DECIMALS = {"JPY": 0}
#: Volume of an intraday bar: floor of the move factor, sd of the log noise, power of the
#: volatility regime and the shift that keeps the mean at the typical volume.
_INTRADAY_VOLUME = (0.3, 0.35, 0.75, 0.06)
#: Weekdays per year: the session clock's year.
_WEEKDAYS = 261.0


class _Universe(NamedTuple):
    """Reference data and seeded traits of a list of symbols, in layout order."""

    symbols: tuple[str, ...]
    names: tuple[str, ...]
    sectors: tuple[str, ...]
    exchanges: tuple[str, ...]
    currencies: tuple[str, ...]
    calendar: str  # the MIC whose calendar serves them all
    timezone: str
    price_sources: tuple[str, ...]  # "anchor" where stock_anchors has the symbol
    dividend_sources: tuple[str, ...]  # "anchor" where it has a dividend policy


@functools.lru_cache(maxsize=8)
def _universe(symbols: tuple[str, ...]) -> _Universe:
    from tempdata.finance.markets import exchange_info, tickers
    from tempdata.finance.sessions import calendar_exchange

    table = tickers().select("symbol", "name", "sector", "exchange", "currency")
    found = pl.DataFrame({"symbol": list(symbols)}).join(table, on="symbol", how="left")
    missing = found.filter(pl.col("name").is_null())["symbol"].to_list()
    if missing:
        msg = f"stock_bars: unknown ticker symbols {missing[:5]} (see tempdata.finance.tickers())"
        raise InvalidParameterError(msg)
    mic = calendar_exchange(found["exchange"].unique().to_list())
    anchors = _anchors(symbols)
    return _Universe(
        symbols,
        tuple(found["name"].to_list()),
        tuple(found["sector"].to_list()),
        tuple(found["exchange"].to_list()),
        tuple(found["currency"].to_list()),
        mic,
        exchange_info(mic).timezone,
        tuple(SOURCES[0] if a else SOURCES[1] for a in anchors.has_price.tolist()),
        tuple(SOURCES[0] if a else SOURCES[1] for a in anchors.has_dividends.tolist()),
    )


class _Anchors(NamedTuple):
    """Sourced values at the anchor date (``stock_anchors``), per symbol in layout order."""

    has_price: Array  # bool: close and volume sourced
    close: Array  # close on the anchor date (NaN where not sourced)
    volume: Array  # mean daily shares, three months before the anchor
    volatility: Array  # realized annual volatility of 2023 (NaN where not sourced)
    has_dividends: Array  # bool: dividend policy sourced
    per_payment: Array  # cash dividend per payment at the anchor (0: none)
    months: Array  # (E, 12) bool: an ex-date falls in this month
    days: Array  # (E, 12) nominal ex-date day of each month (1-28)


@functools.lru_cache(maxsize=8)
def _anchors(symbols: tuple[str, ...]) -> _Anchors:
    from tempdata.finance.markets import stock_anchors

    found = pl.DataFrame({"symbol": list(symbols)}).join(
        stock_anchors(), on="symbol", how="left", maintain_order="left"
    )
    n = len(symbols)
    months = np.zeros((n, 12), dtype=bool)
    days = np.ones((n, 12), dtype=np.int64)
    for i, (ms, ds) in enumerate(zip(found["ex_months"], found["ex_days"], strict=True)):
        if ms is not None and len(ms):
            m = ms.to_numpy().astype(np.int64) - 1
            months[i, m] = True
            days[i, m] = np.clip(ds.to_numpy(), 1, 28)  # the ex-date stays in its month
    return _Anchors(
        found["close"].is_not_null().to_numpy(),
        found["close"].fill_null(np.nan).to_numpy(),
        found["avg_volume"].fill_null(np.nan).to_numpy(),
        found["volatility"].fill_null(np.nan).to_numpy(),
        found["dividend_policy"].is_not_null().to_numpy(),
        found["dividend_per_payment"].fill_null(0.0).to_numpy(),
        months,
        days,
    )


def _enum(values: Sequence[str]) -> pl.Enum:
    return pl.Enum(sorted(set(values)))


class _Traits(NamedTuple):
    """Per-symbol parameters, each an array in layout order."""

    ids: Array  # stream ids (symbol hashes)
    sector_ids: Array  # distinct sector stream ids
    sector_pos: Array  # each symbol's index into sector_ids
    beta: Array
    gamma: Array  # loading on its sector factor
    idio: Array  # annual idiosyncratic volatility
    log_p0: Array  # log price at the anchor
    log_p1: Array  # log price at price_date's close
    payout: Array  # dividend per payment as a share of the price (0: no dividends)
    months: Array  # (E, 12) bool: an ex-date in this month of every year
    before: Array  # (E, 13) ex-dates in a year before each month (cumulative ``months``)
    dom: Array  # (E, 12) nominal ex-dividend day of each month (1-28)
    shares: Array  # typical daily volume in shares
    scale: Array  # 10 ** price decimals
    slope: Array  # added trend of the log price per year (0: none)


@functools.lru_cache(maxsize=8)
def _stock_traits(
    seed: int, dataset: str, column: str, symbols: tuple[str, ...], bars: _StockBars
) -> _Traits:
    from tempdata.core.seeding import name_hash

    uni = _universe(symbols)
    ids = np.array([name_hash(s) >> 1 for s in symbols], dtype=np.int64)
    sector_names = sorted(set(uni.sectors))
    sector_ids = np.array([name_hash(s) >> 1 for s in sector_names], dtype=np.int64)
    pos = {s: i for i, s in enumerate(sector_names)}
    sector_pos = np.array([pos[s] for s in uni.sectors], dtype=np.int64)
    # One coarse stream per symbol (keyed by its hash, on a fixed daily key), so a
    # symbol's traits depend on the seed and the symbol only.
    streams = ts.time_streams(seed, dataset, column + "#traits", interval=86_400)
    draws = np.empty((len(symbols), 12))
    for i, e in enumerate(ids.tolist()):
        rng = streams.coarse(e)
        draws[i, :6] = rng.random(6)
        draws[i, 6:] = rng.standard_normal(6)
    u, z = draws[:, :6], draws[:, 6:]
    beta = np.array([_SECTOR_BETA.get(s, 1.0) for s in uni.sectors]) * np.exp(0.2 * z[:, 0])
    gamma = 0.7 + 0.6 * u[:, 0]
    tiers = _tiers(symbols)
    mega = np.array([1.0 if t == "mega" else 0.0 for t in tiers])
    idio = np.clip(bars.idio_vol * np.exp(0.3 * z[:, 1]) * (1.0 - 0.2 * mega), 0.08, 0.8)
    fx = np.array([_FX.get(c, 1.0) for c in uni.currencies])
    p1 = np.clip(60.0 * np.exp(0.8 * z[:, 2] + 0.5 * mega), 3.0, 3000.0) * fx
    turnover = np.array([_TIER_TURNOVER.get(t, 1.2e7) for t in tiers]) * np.exp(0.5 * z[:, 4])
    shares = turnover * fx / p1
    # Synthetic dividends: 0.5-4.5 % a year in the currency's number of payments.
    pays = u[:, 1] < bars.dividend_share
    n = np.array([_SEEDED_PAYMENTS.get(c, 1) for c in uni.currencies])
    payout = np.where(pays, (0.005 + 0.04 * u[:, 2]) / n, 0.0)
    month = np.arange(12)[None, :]
    start = np.floor(u[:, 3] * np.where(n == 1, 3, 12 // n)).astype(np.int64)[:, None]
    months = np.where(n[:, None] == 1, month == 3 + start, (month % (12 // n[:, None])) == start)
    tokyo = np.array([c == "JPY" for c in uni.currencies])  # ex two sessions before month end
    months = np.where(tokyo[:, None], (month == 2) | (month == 8), months) & pays[:, None]
    day = np.where(tokyo, 27, 1 + np.floor(28 * u[:, 4]).astype(np.int64))
    dom = np.repeat(day[:, None], 12, axis=1)
    if bars.price_date == _ANCHOR_DATE:
        # Sourced levels, volumes and dividend schedules where stock_anchors has them.
        an = _anchors(symbols)
        p1 = np.where(an.has_price, an.close, p1)
        shares = np.where(an.has_price & np.isfinite(an.volume), an.volume, shares)
        d = an.has_dividends
        payout = np.where(d, np.where(an.has_price, an.per_payment / an.close, 0.0), payout)
        months = np.where(d[:, None], an.months, months)
        dom = np.where(d[:, None], an.days, dom)
        beta, gamma, idio = _sourced_volatility(an.volatility, beta, gamma, idio, bars)
    idio = idio * bars.series.volatility
    years = (np.datetime64(bars.price_date, "D") - np.datetime64(bars.anchor, "D")).astype(
        np.int64
    ) / 365.25
    growth = np.clip(0.045 + 0.035 * z[:, 3], -0.03, 0.12)
    decimals = np.array([_DECIMALS.get(c, 2) for c in uni.currencies])
    direction = bars.series.trend_direction
    slope = (
        np.zeros(len(symbols))
        if direction is None
        else _slopes(seed, dataset, column + "#trend", ids, direction, bars.trend_rate)
    )
    return _Traits(
        ids,
        sector_ids,
        sector_pos,
        beta,
        gamma,
        idio,
        np.log(p1) - growth * years,
        np.log(p1),
        payout,
        months,
        np.concatenate([np.zeros((len(symbols), 1), np.int64), np.cumsum(months, axis=1)], axis=1),
        dom,
        shares,
        10.0**decimals,
        slope,
    )


def _sourced_volatility(
    target: Array, beta: Array, gamma: Array, idio: Array, bars: _StockBars
) -> tuple[Array, Array, Array]:
    """Loadings and idiosyncratic volatility giving each sourced symbol its total volatility.

    ``target`` is the realized volatility of 2023 (NaN: keep the seeded values). The
    factors' long-run variance is ``(beta·market_vol)² + (gamma·sector_vol)²``; where that
    exceeds 80 % of the target's (a quiet stock in a lively sector) both loadings
    shrink so the factors explain 80 %, and the idiosyncratic part takes the rest.
    """
    has = np.isfinite(target)
    t = np.where(has, target, 1.0)
    common = np.hypot(beta * bars.market_vol, gamma * bars.sector_vol)
    shrink = np.minimum(1.0, math.sqrt(0.8) * t / common)
    rest = np.sqrt(np.maximum(t * t - (shrink * common) ** 2, 0.0))
    return (
        np.where(has, beta * shrink, beta),
        np.where(has, gamma * shrink, gamma),
        np.where(has, rest, idio),
    )


def _tiers(symbols: tuple[str, ...]) -> list[str]:
    from tempdata.finance.markets import tickers

    table = tickers().select("symbol", "tier")
    found = pl.DataFrame({"symbol": list(symbols)}).join(table, on="symbol", how="left")
    return [t or "small" for t in found["tier"].to_list()]


def _ex_dividends(traits: _Traits, days: Array, calendar: np.busdaycalendar) -> Array:
    """Ex-dividend dates on or before each day since 1900-01-01, per symbol: ``(E, D)``.

    A payer's ex-dates are the first trading day on or after day ``dom`` of each of its
    ex-dividend ``months``, every year from 1900 on; the count is a function of the date.
    """
    d = np.asarray(days, dtype=np.int64)
    date = _EPOCH_D + d.astype("timedelta64[D]")
    start = date.astype("datetime64[M]")
    month = (start - _EPOCH_D.astype("datetime64[M]")).astype(np.int64)
    year, moy = np.divmod(month, 12)
    rows = np.arange(len(traits.ids))[:, None]
    nominal = start.astype("datetime64[D]")[None, :] + (traits.dom[rows, moy[None, :]] - 1)
    ex = np.busday_offset(nominal, 0, roll="forward", busdaycal=calendar)
    past = traits.months[rows, moy[None, :]] & (ex <= date[None, :])
    return np.asarray(year[None, :] * traits.before[:, 12:] + traits.before[:, moy] + past)


_EPOCH_D = np.datetime64("1900-01-01", "D")


@functools.lru_cache(maxsize=8)
def _anchor_levels(
    seed: int, dataset: str, column: str, symbols: tuple[str, ...], bars: _StockBars, seconds: int
) -> tuple[Array, Array, int, int]:
    """The random part X of each symbol's log price at the two anchors, and their steps:
    the start of ``anchor``'s session and the close of ``price_date``'s."""
    from tempdata.finance.sessions import session_clock, weekday_ordinal

    uni = _universe(symbols)
    tr = _stock_traits(seed, dataset, column, symbols, bars)
    clock = session_clock(uni.calendar, seconds)
    days = [
        int((np.datetime64(d, "D") - _EPOCH_D).astype(np.int64))
        for d in (bars.anchor, bars.price_date)
    ]
    steps = weekday_ordinal(np.array(days)) * clock.steps_per_day + np.array([0, clock.bars])
    # In batches of symbols: each anchor touches two blocks of every symbol's walk.
    x = np.concatenate(
        [
            bars._factors(
                seed, dataset, column, _take(tr, slice(i, i + _SYMBOL_BATCH)), clock, steps
            )[0]
            for i in range(0, len(symbols), _SYMBOL_BATCH)
        ]
    )
    return x[:, 0], x[:, 1], int(steps[0]), int(steps[1])


_BLOCK_LOCK = threading.Lock()


@dataclass(frozen=True, repr=False)
class _StockBars(CallRepr, GroupSampler):
    _factory = "stock_bars"
    market_vol: float = 0.16
    sector_vol: float = 0.10
    idio_vol: float = 0.24
    vol_memory_days: float = 20.0
    vol_of_vol: float = 0.5
    dividend_share: float = 0.7
    anchor: str = "1990-01-01"
    price_date: str = _ANCHOR_DATE
    trend_rate: float = 0.1
    #: The run's config (from ``Params.series`` at sampling time; part of the caches' keys).
    series: ts.TimeSeriesConfig = field(default=_DEFAULT_SERIES, repr=False)

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        out: dict[str, pl.DataType] = dict.fromkeys(STOCK_FIELDS, pl.Float64())
        out["date"] = pl.Date()
        out["volume"] = pl.Int64()
        out["price_source"] = out["dividend_source"] = _SOURCE_ENUM
        if params.grid is None or not params.grid.labels:
            out["timestamp"] = pl.Datetime("us")
            for f in ("name", "sector", "exchange", "currency"):
                out[f] = pl.String()
            return out
        uni = _universe(params.grid.labels)
        out["timestamp"] = pl.Datetime("us", uni.timezone)
        out["name"] = _enum(uni.names)
        out["sector"] = _enum(uni.sectors)
        out["exchange"] = _enum(uni.exchanges)
        out["currency"] = _enum(uni.currencies)
        return out

    # -- the model ---------------------------------------------------------------

    def _streams(
        self, seed: int, dataset: str, column: str, sub: str, seconds: int
    ) -> ts.TimeStreams:
        return ts.time_streams(seed, dataset, f"{column}#{sub}", interval=seconds)

    def _factors(
        self,
        seed: int,
        dataset: str,
        column: str,
        tr: _Traits,
        clock: Any,
        steps: Array,
    ) -> tuple[Array, Array, Array]:
        """X at ``steps`` and at ``steps + 1`` and the step volatility, each ``(E, S)``.

        ``X = beta · M + gamma · S_sector + idio · W``: ``M`` and ``S`` stochastic-
        volatility paths on the session clock (market: entity 0 of ``#market``;
        sectors: their name hashes on ``#sector``), ``W`` a random walk per symbol.
        """
        seconds = clock.seconds
        per_year = _WEEKDAYS * clock.steps_per_day
        phi = math.exp(-1.0 / (self.vol_memory_days * clock.steps_per_day))
        eta = self.vol_of_vol * math.sqrt(1.0 - phi * phi)
        k = np.asarray(steps, dtype=np.int64)
        scale = self.series.volatility
        market = ts.stochastic_volatility(
            self._streams(seed, dataset, column, "market", seconds),
            0,
            k,
            vol=self.market_vol * scale / math.sqrt(per_year),
            vol_of_vol=eta,
            persistence=phi,
        )
        sector = ts.stochastic_volatility(
            self._streams(seed, dataset, column, "sector", seconds),
            tr.sector_ids[:, None],
            k[None, :],
            vol=self.sector_vol * scale / math.sqrt(per_year),
            vol_of_vol=eta,
            persistence=phi,
        )
        walk = ts.random_walk(
            self._streams(seed, dataset, column, "idio", seconds),
            tr.ids[:, None],
            np.concatenate([k, k[-1:] + 1])[None, :],
        )
        beta, gamma = tr.beta[:, None], tr.gamma[:, None]
        v = (tr.idio / math.sqrt(per_year))[:, None]
        g = tr.sector_pos
        x_open = beta * market.level + gamma * sector.level[g] + v * walk[:, :-1]
        x_close = (
            beta * (market.level + market.returns)
            + gamma * (sector.level + sector.returns)[g]
            + v * walk[:, 1:]
        )
        sig = np.sqrt((beta * market.volatility) ** 2 + (gamma * sector.volatility[g]) ** 2 + v * v)
        return x_open, x_close, sig

    def _block(
        self, seed: int, dataset: str, column: str, symbols: tuple[str, ...], seconds: int, b: int
    ) -> dict[str, Array]:
        """Every bar field of every symbol at the session steps of block ``b``: ``(E, BLOCK)``.

        Prices and dividends are kept as whole ticks (``int32`` while they fit), the
        adjustment as the dividend count since ``price_date``; :func:`_bar_values`
        turns them into the fields. The symbols are computed in batches (a symbol's
        values depend on its own streams and the shared factors only), so the
        intermediates stay small.
        """
        tr = _stock_traits(seed, dataset, column, symbols, self)
        shape = (len(symbols), ts.BLOCK)
        out: dict[str, Array] = {
            name: np.empty(shape, dtype=np.int32)
            for name in ("open", "high", "low", "close", "count", "volume", "dividend")
        }
        for start in range(0, len(symbols), _SYMBOL_BATCH):
            rows = slice(start, start + _SYMBOL_BATCH)
            part = self._batch(seed, dataset, column, symbols, seconds, b, rows)
            for name, v in part.items():
                _store(out, name, rows, v)
        out["scale"] = tr.scale
        out["log_keep"] = np.log1p(-tr.payout)
        return out

    def _batch(
        self,
        seed: int,
        dataset: str,
        column: str,
        symbols: tuple[str, ...],
        seconds: int,
        b: int,
        rows: slice,
    ) -> dict[str, Array]:
        """The bar fields of the symbols ``rows`` at block ``b``, as stored by ``_block``."""
        from tempdata.finance.sessions import OVERNIGHT_SHARE, session_clock, weekday_days

        uni = _universe(symbols)
        tr = _take(_stock_traits(seed, dataset, column, symbols, self), rows)
        clock = session_clock(uni.calendar, seconds)
        xa0, xa1, a0, a1 = _anchor_levels(seed, dataset, column, symbols, self, seconds)
        xa0, xa1 = xa0[rows], xa1[rows]
        per_day = clock.steps_per_day
        s = np.arange(b * ts.BLOCK, (b + 1) * ts.BLOCK, dtype=np.int64)
        x_open, x_close, sig = self._factors(seed, dataset, column, tr, clock, s)
        # Dividends: a step function of the date, zero at price_date.
        wd = s // per_day
        first = int(wd[0]) - 1
        days = weekday_days(np.arange(first, int(wd[-1]) + 1))
        n = _ex_dividends(tr, days, clock.calendar)
        # The anchor's session: the one whose close is step a1.
        n_a1 = _ex_dividends(tr, weekday_days(np.array([(a1 - 1) // per_day])), clock.calendar)[
            :, 0
        ]
        n_a0 = _ex_dividends(tr, weekday_days(np.array([a0 // per_day])), clock.calendar)[:, 0]
        log_keep = np.log1p(-tr.payout)
        pos = wd - first
        count = n[:, pos] - n_a1[:, None]
        drop = count * log_keep[:, None]
        is_ex = (n[:, pos] > n[:, pos - 1]) & ((s % per_day) == 0)[None, :]
        del n
        # Log price: a bridge from the anchor price to the price_date one, plus X.
        log_p0 = tr.log_p0 - (n_a0 - n_a1) * log_keep
        rise = (tr.log_p1 - log_p0 - (xa1 - xa0))[:, None]
        base = (log_p0 - xa0)[:, None]
        lo = base + ((s - a0) / (a1 - a0))[None, :] * rise + x_open + drop
        del x_open
        lc = base + ((s + 1 - a0) / (a1 - a0))[None, :] * rise + x_close + drop
        del x_close, drop
        per_year = _WEEKDAYS * per_day
        if self.series.trend_direction is not None:
            # The added trend: zero at price_date, slope per session-clock year.
            lo = lo + tr.slope[:, None] * ((s - a1) / per_year)[None, :]
            lc = lc + tr.slope[:, None] * ((s + 1 - a1) / per_year)[None, :]
        ids = tr.ids[:, None]

        def noise(name: str) -> Array:
            return ts.white_noise(
                self._streams(seed, dataset, column, name, seconds), ids, s[None, :]
            )

        if clock.daily:
            # The open lies on the day's path from the previous close to this close.
            theta = OVERNIGHT_SHARE
            lo_bar = lo + theta * (lc - lo) + math.sqrt(theta * (1 - theta)) * sig * noise("open")
            var = (1 - theta) * sig * sig
        else:
            lo_bar, var = lo, sig * sig
        x = lc - lo_bar
        scale = tr.scale[:, None]

        def ticks(v: Array) -> Array:
            # ``max(round(e^v · scale) / scale, tick)`` is this count over ``scale``.
            return np.maximum(np.round(np.exp(v) * scale), 1.0)

        o, c = ticks(lo_bar), ticks(lc)
        spread = noise("hi1") ** 2 + noise("hi2") ** 2
        high = np.maximum(
            ticks(lo_bar + 0.5 * (x + np.sqrt(x * x + var * spread))), np.maximum(o, c)
        )
        spread = noise("lo1") ** 2 + noise("lo2") ** 2
        low = np.minimum(
            ticks(lo_bar + 0.5 * (x - np.sqrt(x * x + var * spread))), np.minimum(o, c)
        )
        low = np.maximum(low, 1.0)
        del spread, x, var, lo_bar
        # Volume: busier on big moves, in volatile regimes, at the open and the close.
        vol_scale = self.series.volatility
        mean_sig = np.sqrt(
            (tr.beta * self.market_vol * vol_scale) ** 2
            + (tr.gamma * self.sector_vol * vol_scale) ** 2
            + tr.idio**2
        )[:, None] / math.sqrt(per_year)
        # Daily bars: calibrated on the daily volumes of AAPL, KO and ADBE, 2023-10-02..
        # 2023-12-29 (Nasdaq.com; log sd 0.25-0.39, 5th percentile 0.56-0.70 of the mean),
        # the shift so that the long-run mean is the typical volume; intraday bars keep
        # the noisier mix.
        floor, spread, power, shift = (0.75, 0.28, 0.5, 0.028) if clock.daily else _INTRADAY_VOLUME
        move = floor + (1 - floor) * np.abs(lc - lo) / sig * math.sqrt(math.pi / 2)
        bar = s % per_day
        shape = np.zeros(per_day)
        at = (np.arange(clock.bars) + 0.5) / clock.bars
        if self.series.seasonal("daily"):
            u_shape = 1.0 + 2.0 * np.exp(-at / 0.05) + 1.2 * np.exp(-(1.0 - at) / 0.05)
        else:
            u_shape = np.ones(clock.bars)
        shape[: clock.bars] = u_shape / u_shape.sum()
        volume = (
            tr.shares[:, None]
            * shape[bar][None, :]
            * move
            * (sig / mean_sig) ** power
            * np.exp(spread * noise("volume") - shift)
        )
        del move, sig
        keep = tr.payout[:, None] / (1.0 - tr.payout[:, None])
        # At least one minor unit, so that every step of adj_close shows a dividend.
        amount = np.maximum(np.round(keep * np.exp(lo) * scale), 1.0)
        dividend = np.where(is_ex & (keep > 0), amount, 0.0)
        return {
            "open": o,
            "high": high,
            "low": low,
            "close": c,
            "count": count,
            "volume": np.maximum(np.rint(volume), 1.0).astype(np.int64),
            "dividend": dividend,
        }

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        from tempdata.finance.sessions import session_clock

        grid = ctx.grid
        if not grid.labels:
            msg = f"dataset {ctx.dataset!r}: stock_bars needs ticker symbols as entities"
            raise InvalidParameterError(msg)
        uni = _universe(grid.labels)
        clock = session_clock(uni.calendar, ctx.interval)
        where = clock.locate(ctx.step)
        if (where.bar < 0).any():
            msg = (
                f"dataset {ctx.dataset!r}: stock_bars needs the layout's calendar to be "
                f"market_calendar({uni.calendar!r}) (a step lies outside its sessions)"
            )
            raise InvalidParameterError(msg)
        seed, entity = ctx.seeder.seed, ctx.entity
        cfg = _series(ctx.params)
        bars = self if cfg == self.series else replace(self, series=cfg)
        out: dict[str, SampleOutput] = {}
        numeric = [
            f
            for f in fields
            if f in ("open", "high", "low", "close", "adj_close", "volume", "dividend")
        ]
        if numeric:
            block, offset = np.divmod(where.ordinal, ts.BLOCK)
            values = {
                f: np.empty(ctx.n, dtype=np.int64 if f == "volume" else np.float64) for f in numeric
            }
            for b in np.unique(block).tolist():
                rows = np.flatnonzero(block == b)
                with _BLOCK_LOCK:
                    arrays = _stock_block(
                        bars, seed, ctx.dataset, ctx.column, grid.labels, ctx.interval, b
                    )
                e, k = entity[rows], offset[rows]
                for f, v in _bar_values(arrays, e, k, numeric).items():
                    values[f][rows] = v
                del arrays
            out.update(values)
        for f, labels in (
            ("name", uni.names),
            ("sector", uni.sectors),
            ("exchange", uni.exchanges),
            ("currency", uni.currencies),
        ):
            if f in fields:
                out[f] = pl.Series(labels, dtype=_enum(labels)).gather(entity)
        sourced = self.price_date == _ANCHOR_DATE  # else every value is seeded
        for f, labels in (
            ("price_source", uni.price_sources),
            ("dividend_source", uni.dividend_sources),
        ):
            if f in fields:
                shown = labels if sourced else (SOURCES[1],) * len(labels)
                out[f] = pl.Series(shown, dtype=_SOURCE_ENUM).gather(entity)
        if "date" in fields:
            out["date"] = pl.Series(_EPOCH_D + where.day.astype("timedelta64[D]"))
        if "timestamp" in fields:
            out["timestamp"] = pl.Series(where.start).dt.replace_time_zone(uni.timezone)
        return out


#: Symbols computed together in a block: bounds the intermediates (``(batch, BLOCK)``).
_SYMBOL_BATCH = 48
#: The last block computed: ``(key, arrays)``, the key the arguments of :func:`_stock_block`.
_BLOCK_CACHE: list[tuple[tuple[Any, ...], dict[str, Array]]] = []


def _stock_block(
    bars: _StockBars,
    seed: int,
    dataset: str,
    column: str,
    symbols: tuple[str, ...],
    seconds: int,
    b: int,
) -> dict[str, Array]:
    """Block ``b`` of :meth:`_StockBars._block`, cached until another block is needed.

    Call under ``_BLOCK_LOCK``. Chunks run in time order, so one block serves a run of
    chunks; it is dropped before the next one is computed, so only one is ever held.
    """
    key = (bars, seed, dataset, column, symbols, seconds, b)
    if _BLOCK_CACHE and _BLOCK_CACHE[0][0] == key:
        return _BLOCK_CACHE[0][1]
    _BLOCK_CACHE.clear()
    arrays = bars._block(seed, dataset, column, symbols, seconds, b)
    _BLOCK_CACHE.append((key, arrays))
    return arrays


def _take(tr: _Traits, rows: slice) -> _Traits:
    """The traits of the symbols ``rows`` (the sector table stays whole)."""
    return _Traits(
        *(
            v if name == "sector_ids" else v[rows]
            for name, v in zip(_Traits._fields, tr, strict=True)
        )
    )


def _store(out: dict[str, Array], name: str, rows: slice, values: Array) -> None:
    """``out[name][rows] = values``, widening ``out[name]`` if ``int32`` cannot hold them."""
    arr = out[name]
    if arr.dtype == np.int32 and values.size:
        lo, hi = values.min(), values.max()
        if not (np.iinfo(np.int32).min <= lo and hi <= np.iinfo(np.int32).max):
            # Integral float values that may not fit any integer (or are not finite).
            wide = np.int64 if values.dtype.kind in "iu" else np.float64
            arr = out[name] = arr.astype(wide)
    arr[rows] = values


def _bar_values(
    arrays: dict[str, Array], e: Array, k: Array, fields: Sequence[str]
) -> dict[str, Array]:
    """The bar fields at symbols ``e`` and block offsets ``k`` from a stored block."""
    scale = arrays["scale"][e]
    out: dict[str, Array] = {}
    for f in fields:
        if f == "adj_close":
            adj = np.exp(-(arrays["count"][e, k] * arrays["log_keep"][e]))
            out[f] = arrays["close"][e, k] / scale * adj
        elif f == "volume":
            out[f] = arrays[f][e, k]
        else:
            out[f] = arrays[f][e, k] / scale
    return out


def stock_bars(
    *,
    market_vol: float = 0.16,
    sector_vol: float = 0.10,
    idio_vol: float = 0.24,
    vol_memory_days: float = 20.0,
    vol_of_vol: float = 0.5,
    dividend_share: float = 0.7,
    anchor: str = "1990-01-01",
    price_date: str = _ANCHOR_DATE,
    trend_rate: float = 0.1,
) -> GroupSampler:
    """Daily or intraday bars of listed stocks, for a layout of ticker symbols.

    Fields: :data:`STOCK_FIELDS` (``timestamp``: the bar's start, exchange-local time).
    The entities must be symbols of :func:`tempdata.finance.tickers` on exchanges that
    share one calendar, and the layout's calendar
    :func:`tempdata.finance.sessions.market_calendar` of it. The model is described in
    the ``stocks`` dataset's notes; volatilities are annual.

    Each symbol's log price is a bridge from its price at the start of ``anchor``'s
    session to its price at the close of ``price_date``'s session, plus the factor
    walk, and runs on without drift after ``price_date``. With ``price_date`` the
    anchor date of :func:`tempdata.finance.stock_anchors` (2023-12-29, the default),
    the symbols found there close that session at their sourced close, trade their
    sourced mean volume and pay dividends on their sourced schedule (``price_source``
    and ``dividend_source`` ``"anchor"``); other symbols, or every symbol with another
    ``price_date``, get seeded levels, volumes and dividends (``"synthetic"``):
    ``dividend_share`` of them pay, in their market's usual months (see the dataset).

    The run's :class:`~tempdata.core.timeseries.TimeSeriesConfig` (``Params.series``)
    acts as follows; its defaults change nothing.

    * ``volatility_level`` multiplies ``market_vol``, ``sector_vol`` and each symbol's
      idiosyncratic volatility by ``v`` (0.5, 1, 2 or the number): the std of log
      returns scales by about ``v``. Volume is normalised by the scaled typical
      volatility, so its level does not change. The 1990 and ``price_date`` price
      levels stay pinned.
    * ``trend_direction`` adds ``g_s · (k − k_p) / (261 · bars per day)`` to the log
      price, ``k`` the bar's step on the session clock and ``k_p`` that of
      ``price_date`` (so a year is 261 weekdays): ``g_s = +trend_rate`` (``"up"``),
      ``−trend_rate`` (``"down"``) or ``trend_rate · (2 u_s − 1)`` (``"random"``, ``u_s``
      uniform from the coarse stream of ``<group>#trend`` keyed by the symbol on a
      daily grid). Zero at ``price_date``; a function of the bar: time-anchored.
    * ``seasonal_patterns``: ``"daily"`` keeps the U-shaped intraday volume profile
      (busy open and close); without it, intraday volume is flat across the session.
      Stocks have no weekly or yearly cycle (daily bars are unaffected).

    >>> stock_bars(idio_vol=0.3)
    stock_bars(idio_vol=0.3)
    """
    for name, d in (("anchor", anchor), ("price_date", price_date)):
        try:
            np.datetime64(d, "D")
        except (TypeError, ValueError):
            msg = f"{name} must be an ISO date like '2000-01-01', got {d!r}"
            raise InvalidParameterError(msg) from None
    if np.datetime64(price_date, "D") <= np.datetime64(anchor, "D"):
        msg = f"price_date ({price_date}) must come after anchor ({anchor})"
        raise InvalidParameterError(msg)
    return _StockBars(
        number(market_vol, "market_vol", low=0, low_open=True),
        number(sector_vol, "sector_vol", low=0, low_open=True),
        number(idio_vol, "idio_vol", low=0, low_open=True),
        number(vol_memory_days, "vol_memory_days", low=0, low_open=True),
        number(vol_of_vol, "vol_of_vol", low=0, low_open=True),
        number(dividend_share, "dividend_share", low=0, high=1),
        str(anchor),
        str(price_date),
        number(trend_rate, "trend_rate", low=0),
    )
