"""Samplers of time-series datasets: the processes of :mod:`tempdata.core.timeseries`.

They fill columns of a dataset declared with a time-series layout
(``Dataset(..., time_series=time_series(...))``), whose rows are entity × grid step.
Each draws from ``time_streams(seed, dataset, column, interval=...)`` keyed by the
row's entity id and step, never from the row chunk's generator, so a value depends
on (seed, dataset, column, entity, timestamp) only: not on the chunk, the requested
range or the other entities.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from tempdata.core import timeseries as ts
from tempdata.core.plan import ChunkContext, GroupSampler, Params, SampleOutput, Sampler
from tempdata.errors import InvalidParameterError
from tempdata.samplers._base import Array, CallRepr, number

__all__ = [
    "ar1",
    "gbm",
    "ohlcv",
    "random_walk",
    "seasonality",
    "series_entities",
    "series_timestamps",
    "stochastic_volatility",
    "trend",
    "white_noise",
]

_YEAR_S = 365.25 * 86_400


def _streams(ctx: ChunkContext, name: str = "") -> ts.TimeStreams:
    return ts.time_streams(ctx.seeder, ctx.dataset, name or ctx.column, interval=ctx.interval)


_DEFAULT_SERIES = ts.TimeSeriesConfig()


def _series(params: Params) -> ts.TimeSeriesConfig:
    """The run's :class:`~tempdata.core.timeseries.TimeSeriesConfig` (the defaults when none)."""
    return _DEFAULT_SERIES if params.series is None else params.series


def _slopes(seed: Any, dataset: str, column: str, ids: Array, direction: str, rate: float) -> Array:
    """Per-entity trend slopes (log units per year) of ``column#trend``, keyed on a
    daily grid whatever the interval, so an entity's slope depends only on the seed,
    the dataset, the column and the entity."""
    streams = ts.time_streams(seed, dataset, column, interval=86_400)
    return ts.trend_slopes(streams, ids, direction=direction, rate=rate)


def _per_entity(values: tuple[float, ...], ctx: ChunkContext, what: str) -> Array:
    """A per-entity parameter (one value, or one per entity) at each row."""
    arr = np.asarray(values, dtype=np.float64)
    if arr.size == 1:
        return np.full(ctx.n, arr[0])
    if arr.size != ctx.grid.n_entities:
        msg = (
            f"dataset {ctx.dataset!r}, column {ctx.column!r}: {what} has {arr.size} values "
            f"but the dataset has {ctx.grid.n_entities} entities"
        )
        raise InvalidParameterError(msg)
    return np.asarray(arr[ctx.entity])


def _values(
    value: float | Sequence[float], name: str, *, low: float | None = None, low_open: bool = False
) -> tuple[float, ...]:
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return (number(value, name, low=low, low_open=low_open),)
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or not value:
        msg = f"{name} must be a number or a non-empty list of numbers, got {value!r}"
        raise InvalidParameterError(msg)
    return tuple(number(v, name, low=low, low_open=low_open) for v in value)


class _Series(CallRepr, Sampler):  # a mixin: subclasses sample
    def dtype(self, params: Params) -> pl.DataType:
        return pl.Float64()


@dataclass(frozen=True, repr=False)
class _Timestamps(CallRepr, Sampler):
    _factory = "series_timestamps"

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Datetime("us", "UTC")

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> SampleOutput:
        return pl.Series(ctx.timestamp).dt.replace_time_zone("UTC")


def series_timestamps() -> Sampler:
    """The instant of each row's grid step (UTC, microseconds).

    >>> series_timestamps()
    series_timestamps()
    """
    return _Timestamps()


@dataclass(frozen=True, repr=False)
class _Entities(CallRepr, Sampler):
    _factory = "series_entities"

    def dtype(self, params: Params) -> pl.DataType:
        if params.grid is not None and params.grid.labels:
            return pl.Enum(list(params.grid.labels))
        return pl.Int64()

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> SampleOutput:
        if ctx.grid.labels:
            labels = list(ctx.grid.labels)
            return pl.Series(labels, dtype=pl.Enum(labels)).gather(ctx.entity)
        return ctx.entity


def series_entities() -> Sampler:
    """Each row's entity: its label as an Enum (``BTC``), or its number when counted.

    >>> series_entities()
    series_entities()
    """
    return _Entities()


@dataclass(frozen=True, repr=False)
class _WhiteNoise(_Series):
    _factory = "white_noise"
    scale: float = 1.0
    loc: float = 0.0

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> SampleOutput:
        return self.loc + self.scale * ts.white_noise(_streams(ctx), ctx.entity_id, ctx.step)


def white_noise(*, scale: float = 1.0, loc: float = 0.0) -> Sampler:
    """Independent normal values ``loc + scale * N(0, 1)`` per (entity, step).

    >>> white_noise(scale=2.0)
    white_noise(scale=2.0)
    """
    return _WhiteNoise(number(scale, "scale", low=0), number(loc, "loc"))


@dataclass(frozen=True, repr=False)
class _RandomWalk(_Series):
    _factory = "random_walk"
    scale: float = 1.0
    start: float = 0.0

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> SampleOutput:
        return self.start + self.scale * ts.random_walk(_streams(ctx), ctx.entity_id, ctx.step)


def random_walk(*, scale: float = 1.0, start: float = 0.0) -> Sampler:
    """A Gaussian random walk with steps of sd ``scale``, ``start`` at the 1900 epoch.

    >>> random_walk(scale=0.5)
    random_walk(scale=0.5)
    """
    return _RandomWalk(number(scale, "scale", low=0), number(start, "start"))


@dataclass(frozen=True, repr=False)
class _AR1(_Series):
    _factory = "ar1"
    phi: float
    sigma: float = 1.0
    loc: float = 0.0

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> SampleOutput:
        x = ts.ar1(_streams(ctx), ctx.entity_id, ctx.step, phi=self.phi, sigma=self.sigma)
        return self.loc + x


def ar1(phi: float, *, sigma: float = 1.0, loc: float = 0.0) -> Sampler:
    """A stationary AR(1) around ``loc``: ``X_k = phi X_{k-1} + sigma ε_k``.

    >>> ar1(0.95, loc=20.0)
    ar1(phi=0.95, loc=20.0)
    """
    if not -1 < number(phi, "phi") < 1:
        msg = f"phi must lie in (-1, 1), got {phi!r}"
        raise InvalidParameterError(msg)
    return _AR1(float(phi), number(sigma, "sigma", low=0, low_open=True), number(loc, "loc"))


@dataclass(frozen=True, repr=False)
class _GBM(_Series):
    _factory = "gbm"
    mu: float = 0.0
    sigma: float = 0.2
    start_price: tuple[float, ...] = (100.0,)

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> SampleOutput:
        p0 = _per_entity(self.start_price, ctx, "start_price")
        sigma = self.sigma * _series(ctx.params).volatility
        return ts.gbm(
            _streams(ctx), ctx.entity_id, ctx.step, mu=self.mu, sigma=sigma, start_price=p0
        )


def gbm(
    *, mu: float = 0.0, sigma: float = 0.2, start_price: float | Sequence[float] = 100.0
) -> Sampler:
    """Geometric Brownian motion prices (annual ``mu``, ``sigma``), ``start_price`` on
    2000-01-01 (one, or one per entity). The run's ``TimeSeriesConfig.volatility_level``
    multiplies ``sigma``.

    >>> gbm(mu=0.05, start_price=[10.0, 20.0])
    gbm(mu=0.05, start_price=(10.0, 20.0))
    """
    return _GBM(
        number(mu, "mu"),
        number(sigma, "sigma", low=0),
        _values(start_price, "start_price", low=0, low_open=True),
    )


@dataclass(frozen=True, repr=False)
class _SV(_Series):
    _factory = "stochastic_volatility"
    vol: float
    vol_of_vol: float = 0.05
    persistence: float = 0.98
    output: str = "returns"

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> SampleOutput:
        path = ts.stochastic_volatility(
            _streams(ctx),
            ctx.entity_id,
            ctx.step,
            vol=self.vol * _series(ctx.params).volatility,
            vol_of_vol=self.vol_of_vol,
            persistence=self.persistence,
        )
        return np.asarray(getattr(path, self.output))


def stochastic_volatility(
    vol: float,
    *,
    vol_of_vol: float = 0.05,
    persistence: float = 0.98,
    output: str = "returns",
) -> Sampler:
    """Returns with volatility clustering (per-step ``vol``); ``output`` picks
    ``"returns"``, ``"level"`` (their time-anchored sum) or ``"volatility"``. The run's
    ``TimeSeriesConfig.volatility_level`` multiplies ``vol``.

    >>> stochastic_volatility(0.01, output="level")
    stochastic_volatility(vol=0.01, output='level')
    """
    if output not in ts.VolatilityPath._fields:
        msg = f"output must be one of {', '.join(ts.VolatilityPath._fields)}, got {output!r}"
        raise InvalidParameterError(msg)
    if not 0 <= number(persistence, "persistence") < 1:
        msg = f"persistence must lie in [0, 1), got {persistence!r}"
        raise InvalidParameterError(msg)
    return _SV(
        number(vol, "vol", low=0, low_open=True),
        number(vol_of_vol, "vol_of_vol", low=0, low_open=True),
        float(persistence),
        output,
    )


@dataclass(frozen=True, repr=False)
class _Seasonality(_Series):
    _factory = "seasonality"
    daily: float = 0.0
    weekly: float = 0.0
    yearly: float = 0.0

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> SampleOutput:
        cfg = _series(ctx.params)
        return ts.seasonality(
            _streams(ctx),
            ctx.entity_id,
            ctx.timestamp,
            daily=self.daily if cfg.seasonal("daily") else 0.0,
            weekly=self.weekly if cfg.seasonal("weekly") else 0.0,
            yearly=self.yearly if cfg.seasonal("yearly") else 0.0,
        )


def seasonality(*, daily: float = 0.0, weekly: float = 0.0, yearly: float = 0.0) -> Sampler:
    """Daily, weekly and yearly cycles of the given amplitudes, per-entity phases. A
    cycle left out of the run's ``TimeSeriesConfig.seasonal_patterns`` is switched off.

    >>> seasonality(daily=2.0)
    seasonality(daily=2.0)
    """
    return _Seasonality(number(daily, "daily"), number(weekly, "weekly"), number(yearly, "yearly"))


@dataclass(frozen=True, repr=False)
class _Trend(_Series):
    _factory = "trend"
    direction: str = "random"
    rate: float = 1.0

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> SampleOutput:
        return ts.trend(
            _streams(ctx), ctx.entity_id, ctx.timestamp, direction=self.direction, rate=self.rate
        )


def trend(direction: str = "random", *, rate: float = 1.0) -> Sampler:
    """A linear trend of ``rate`` per year (``"up"``, ``"down"``, or ``"random"`` per
    entity), zero on 2000-01-01.

    >>> trend("up", rate=0.5)
    trend(direction='up', rate=0.5)
    """
    if direction not in ts.TREND_DIRECTIONS:
        msg = f"unknown trend direction {direction!r} — valid: {', '.join(ts.TREND_DIRECTIONS)}"
        raise InvalidParameterError(msg)
    return _Trend(direction, number(rate, "rate", low=0))


# --------------------------------------------------------------------------- ohlcv

_OHLCV_FIELDS = ("open", "high", "low", "close", "volume", "volume_quote", "returns")


@dataclass(frozen=True, repr=False)
class _OHLCV(CallRepr, GroupSampler):
    _factory = "ohlcv"
    start_prices: tuple[float, ...]
    prices: tuple[float, ...]
    vols: tuple[float, ...]
    betas: tuple[float, ...] = (1.0,)
    turnover: tuple[float, ...] = (0.05,)
    supplies: tuple[float, ...] = (1.0,)
    market_vol: float = 0.5
    vol_memory_days: float = 3.0
    vol_of_vol: float = 0.5
    anchor: str = "2000-01-01"
    price_date: tuple[str, ...] = ("2025-07-01",)
    level_spread: tuple[float, ...] = (0.3,)
    trend_rate: float = 0.5

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        return dict.fromkeys(_OHLCV_FIELDS, pl.Float64())

    def _levels(
        self, ctx: ChunkContext, entity: Array, ids: Array, steps: Array
    ) -> tuple[Array, Array, Array]:
        """Log price (without the bridge), its step volatility and the market's part."""
        phi = math.exp(-ctx.interval / (self.vol_memory_days * 86_400))
        eta = self.vol_of_vol * math.sqrt(1.0 - phi * phi)
        per_step = math.sqrt(ctx.interval / _YEAR_S)
        scale = _series(ctx.params).volatility
        market = ts.stochastic_volatility(
            _streams(ctx, ctx.column + "#market"),
            0,
            steps,
            vol=self.market_vol * scale * per_step,
            vol_of_vol=eta,
            persistence=phi,
        )
        idio = ts.stochastic_volatility(
            _streams(ctx, ctx.column + "#idio"),
            ids,
            steps,
            vol=per_step,
            vol_of_vol=eta,
            persistence=phi,
        )
        beta = np.asarray(self._table(self.betas, ctx))[entity]
        vol = np.asarray(self._table(self.vols, ctx))[entity] * scale
        level = beta * market.level + vol * idio.level
        sigma = np.hypot(beta * market.volatility, vol * idio.volatility)
        return level, sigma, beta * market.level

    def _table(self, values: tuple[float, ...], ctx: ChunkContext) -> Array:
        n = ctx.grid.n_entities
        if len(values) == 1:
            return np.full(n, values[0])
        if len(values) != n:
            msg = (
                f"dataset {ctx.dataset!r}, group {ctx.column!r}: ohlcv got {len(values)} "
                f"values per entity but the dataset has {n} entities"
            )
            raise InvalidParameterError(msg)
        return np.asarray(values, dtype=np.float64)

    def _ends(self, ctx: ChunkContext, k_a: int, k_b: Array) -> Array:
        """The path at both ends of every entity's bridge, ``(E, 2)``: the same for every
        chunk of a run, so it is kept (each distinct step computed once)."""
        grid = ctx.grid
        key = (
            self,
            ctx.seeder,
            ctx.dataset,
            ctx.column,
            ctx.interval,
            _series(ctx.params).volatility,
            grid.entity_ids.tobytes(),
        )
        found = _ENDS.get(key)
        if found is not None:
            return found
        all_e = np.arange(grid.n_entities)
        at, where = np.unique(np.concatenate([[k_a], k_b]), return_inverse=True)
        path, _, _ = self._levels(ctx, all_e[:, None], grid.entity_ids[:, None], at[None, :])
        ends = np.stack([path[:, where[0]], path[all_e, where[1:]]], axis=1)
        if len(_ENDS) >= 16:
            _ENDS.clear()
        _ENDS[key] = ends
        return ends

    def _log_price(self, ctx: ChunkContext, entity: Array, steps: Array) -> tuple[Array, Array]:
        """Log price at ``steps`` (a bridge from the anchor level to the dated one)."""
        grid = ctx.grid
        ids = grid.entity_ids[entity]
        k_a = int(ts.step_index(np.datetime64(self.anchor, "us"), interval=ctx.interval))
        k_b = self._table(tuple(_step_indices(self.price_date, ctx.interval)), ctx)
        k_b = k_b.astype(np.int64)  # exact: grid steps stay far below 2**53
        level, sigma, _ = self._levels(ctx, entity, ids, steps)
        ends = self._ends(ctx, k_a, k_b)
        pin = np.array(
            [
                _streams(ctx, ctx.column + "#pin").coarse(int(e)).standard_normal()
                for e in grid.entity_ids.tolist()
            ]
        )
        log_p0 = np.log(self._table(self.start_prices, ctx))
        log_p1 = np.log(self._table(self.prices, ctx)) + self._table(self.level_spread, ctx) * pin
        k_b = k_b[entity]
        frac = np.clip((steps - k_a) / (k_b - k_a), 0.0, 1.0)
        walk = level - ends[entity, 0] - frac * (ends[entity, 1] - ends[entity, 0])
        log_p = log_p0[entity] + frac * (log_p1 - log_p0)[entity] + walk
        direction = _series(ctx.params).trend_direction
        if direction is not None:
            slope = _slopes(
                ctx.seeder,
                ctx.dataset,
                ctx.column + "#trend",
                grid.entity_ids,
                direction,
                self.trend_rate,
            )
            log_p = log_p + slope[entity] * ((steps - k_b) * (ctx.interval / _YEAR_S))
        return log_p, sigma

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        n = ctx.n
        entity, step = ctx.entity, ctx.step
        # Open at the step's instant, close at the next step's: the same function of
        # (entity, step), so each bar opens exactly at the previous bar's close.
        log_p, sigma = self._log_price(
            ctx, np.concatenate([entity, entity]), np.concatenate([step, step + 1])
        )
        log_o, log_c, sig = log_p[:n], log_p[n:], sigma[:n]
        x = log_c - log_o
        ids = ctx.entity_id
        z = [
            ts.white_noise(_streams(ctx, f"{ctx.column}#{name}"), ids, step)
            for name in ("hi1", "hi2", "lo1", "lo2", "volume")
        ]
        # Extremes of a Brownian bridge from 0 to x with variance sig² (exact law:
        # P(max > m) = exp(-2 m (m - x) / sig²)); -2 log U drawn as z1² + z2².
        up = 0.5 * (x + np.sqrt(x * x + sig * sig * (z[0] ** 2 + z[1] ** 2)))
        down = 0.5 * (x - np.sqrt(x * x + sig * sig * (z[2] ** 2 + z[3] ** 2)))
        o, c = np.exp(log_o), np.exp(log_c)
        high = np.maximum(np.exp(log_o + up), np.maximum(o, c))
        low = np.minimum(np.exp(log_o + down), np.minimum(o, c))
        typical = (high + low + c) / 3.0
        # Quote volume: daily turnover of the market cap, busier in volatile regimes,
        # on big moves, on weekdays and in the European/US afternoon.
        phi = math.exp(-ctx.interval / (self.vol_memory_days * 86_400))
        activity = ts.ar1(
            _streams(ctx, ctx.column + "#activity"),
            ids,
            step,
            phi=phi,
            sigma=math.sqrt(1 - phi * phi),
        )
        cfg = _series(ctx.params)
        season = ts.seasonality(
            _streams(ctx, ctx.column + "#season"),
            ids,
            ctx.timestamp,
            daily=0.3 if cfg.seasonal("daily") else 0.0,
            weekly=0.12 if cfg.seasonal("weekly") else 0.0,
            peaks=(0.625, 0.35, 0.55),
        )
        scale = cfg.volatility
        mean_sig = np.hypot(
            np.asarray(self._table(self.betas, ctx))[entity] * (self.market_vol * scale),
            np.asarray(self._table(self.vols, ctx))[entity] * scale,
        ) * math.sqrt(ctx.interval / _YEAR_S)
        move = 0.3 + 0.7 * np.abs(x) / sig * math.sqrt(math.pi / 2)
        regime = np.sqrt(sig / mean_sig)
        cap = typical * np.asarray(self._table(self.supplies, ctx))[entity]
        turnover = np.asarray(self._table(self.turnover, ctx))[entity]
        quote = (
            cap
            * turnover
            * (ctx.interval / 86_400)
            * move
            * regime
            * np.exp(0.4 * activity + season + 0.25 * z[4] - 0.11)
        )
        volume = quote / typical
        out: dict[str, Array] = {
            "open": o,
            "high": high,
            "low": low,
            "close": c,
            "volume": volume,
            "volume_quote": volume * typical,
            "returns": x,
        }
        return {f: out[f] for f in fields}


def ohlcv(
    *,
    start_prices: float | Sequence[float],
    prices: float | Sequence[float],
    vols: float | Sequence[float],
    betas: float | Sequence[float] = 1.0,
    turnover: float | Sequence[float] = 0.05,
    supplies: float | Sequence[float] = 1.0,
    market_vol: float = 0.5,
    vol_memory_days: float = 3.0,
    vol_of_vol: float = 0.5,
    anchor: str = "2000-01-01",
    price_date: str | Sequence[str] = "2025-07-01",
    level_spread: float | Sequence[float] = 0.3,
    trend_rate: float = 0.5,
) -> GroupSampler:
    """Bars of traded assets: open, high, low, close, volume, volume_quote, returns.

    Each entity's log price is ``beta · M + vol · E``: ``M`` a market factor and ``E``
    the entity's own part, both :func:`~tempdata.core.timeseries.stochastic_volatility`
    paths (volatility clustering, fat tails) whose log-volatility forgets over
    ``vol_memory_days`` with stationary sd ``vol_of_vol``; ``market_vol`` and ``vols``
    are annual. The market factor has its own stream (``<group>#market``, entity 0),
    so every entity with a positive ``beta`` co-moves with it. The path is a bridge
    from ``start_prices`` on ``anchor`` to ``prices`` (times ``exp(level_spread ·
    N(0, 1))``, one draw per seed and entity; ``level_spread`` 0 pins the price exactly)
    at the instant ``price_date``, and runs on without drift outside those dates. A
    bar at step ``k`` opens at the price at ``k`` and closes at the price at ``k + 1``
    (so it opens at the previous close); ``high`` and ``low`` are the extremes of a
    Brownian bridge between them with the step's volatility. ``volume_quote`` is
    ``turnover`` (daily share of ``supplies`` × price) scaled by the volatility regime,
    the size of the move, a persistent activity level, weekday and hour; ``volume =
    volume_quote / typical price`` with the typical price ``(high + low + close) / 3``.
    ``returns`` is ``log(close / open)``.

    The run's :class:`~tempdata.core.timeseries.TimeSeriesConfig` (``Params.series``)
    acts as follows; its defaults change nothing.

    * ``volatility_level`` multiplies ``market_vol`` and ``vols`` by ``v`` (0.5, 1, 2
      or the number): the step volatility, hence the std of log returns, scales by
      ``v``. Volume is normalised by the scaled typical volatility, so its level
      does not change. The bridge still pins the ``price_date`` level.
    * ``trend_direction`` adds ``g_e · (t − price_date)`` (``t`` in years of 365.25
      days) to the log price: ``g_e = +trend_rate`` (``"up"``), ``−trend_rate``
      (``"down"``) or ``trend_rate · (2 u_e − 1)`` (``"random"``, ``u_e`` uniform from
      the coarse stream of ``<group>#trend`` keyed by the entity on a daily grid).
      Zero at ``price_date``, a function of the timestamp: time-anchored.
    * ``seasonal_patterns``: the volume's daily (0.3) and weekly (0.12) log-amplitude
      cycles are kept only when named; there is no yearly cycle.

    Per-entity parameters (``price_date`` and ``level_spread`` too) are one value or
    one per entity, in layout order.

    >>> ohlcv(start_prices=[0.1], prices=[100.0], vols=[0.3])
    ohlcv(start_prices=(0.1,), prices=(100.0,), vols=(0.3,))
    """
    dates = (price_date,) if isinstance(price_date, str) else tuple(price_date)
    if not dates or not all(isinstance(d, str) for d in dates):
        msg = f"price_date must be an ISO date or a non-empty list of them, got {price_date!r}"
        raise InvalidParameterError(msg)
    for name, d in (("anchor", anchor), *(("price_date", d) for d in dates)):
        try:
            np.datetime64(d, "us")
        except (TypeError, ValueError):
            msg = f"{name} must be an ISO date like '2000-01-01', got {d!r}"
            raise InvalidParameterError(msg) from None
    for d in dates:
        if np.datetime64(d, "us") <= np.datetime64(anchor, "us"):
            msg = f"price_date ({d}) must come after anchor ({anchor})"
            raise InvalidParameterError(msg)
    return _OHLCV(
        _values(start_prices, "start_prices", low=0, low_open=True),
        _values(prices, "prices", low=0, low_open=True),
        _values(vols, "vols", low=0),
        _values(betas, "betas"),
        _values(turnover, "turnover", low=0, low_open=True),
        _values(supplies, "supplies", low=0, low_open=True),
        number(market_vol, "market_vol", low=0, low_open=True),
        number(vol_memory_days, "vol_memory_days", low=0, low_open=True),
        number(vol_of_vol, "vol_of_vol", low=0, low_open=True),
        str(anchor),
        dates,
        _values(level_spread, "level_spread", low=0),
        number(trend_rate, "trend_rate", low=0),
    )


#: Bridge ends of :meth:`_OHLCV._ends`, by run (a few at a time).
_ENDS: dict[tuple[Any, ...], Array] = {}


@functools.lru_cache(maxsize=64)
def _step_indices(dates: tuple[str, ...], interval: int) -> Array:
    """The grid steps of instants ``dates`` (ISO strings) on a grid of ``interval`` s."""
    return np.array(
        [int(ts.step_index(np.datetime64(d, "us"), interval=interval)) for d in dates],
        dtype=np.int64,
    )
