"""Time-anchored, chunk-independent time series (DESIGN §2, "Time series").

A series' value at a timestamp depends only on (seed, dataset, column, interval,
entity, timestamp): never on where the requested range starts or ends, on how it is
split into pieces, or on which other entities are generated with it. Generating
Jan–Mar and then Feb–Apr gives identical February values, and a fixture can be
extended day by day without rewriting its history.

Grid
----
A series lives on a regular clock of ``interval`` seconds: step ``k`` is the instant
``EPOCH + k * interval``, and a timestamp ``t`` falls in step
``(t - EPOCH) // interval``. :data:`EPOCH` is 1900-01-01T00:00 (naive, read as UTC):
a Monday, so daily steps fall on midnights, weekly steps on Monday midnights and
hourly steps on the hour; Seeder's reference dates start in 1900 as well. Steps are
never negative: a series cannot start before the epoch.

Blocks
------
:data:`BLOCK` = 4096 consecutive steps form block ``b = k // BLOCK``, counted from
the epoch, so blocks are anchored in time, not in the requested range. ``BLOCK`` is
part of the reproducibility contract, like the row chunk size: never change it.

Streams
-------
Each (seed, dataset, column, interval, entity) has

* a *block stream* per block, ``SeedSequence(seed, spawn_key=(h(dataset),
  h(column), h("#time"), interval, entity_lo, entity_hi, 0, block))``, from which
  a process draws a fixed shape (``BLOCK`` values, or ``(rows, BLOCK)``) in one call;
* a *coarse stream*, ``spawn_key=(..., entity_lo, entity_hi, 1)``, which draws one
  value per block from the epoch on. NumPy's generators are prefix-stable (the first
  ``m`` of ``n`` draws do not depend on ``n``), so the value of block ``b`` is the
  same however far the request reaches.

(:meth:`tempdata.core.seeding.Seeder.time_sequence` documents why these keys never
meet the row-chunk streams.) A process needing several streams uses sub-columns
named ``column + "#name"`` (:meth:`TimeStreams.sub`), as DESIGN §2 does for nulls.
Two processes given the same column share their draws: give each its own column.

Processes
---------
Stateful processes (random walk, AR(1), stochastic volatility) first compute their
values at every block boundary from the coarse stream, starting at the epoch (cheap:
one value per 4096 steps), then fill each block touched by the request with a bridge
between its two boundary values, built from the block's own stream and exact under
Gaussian conditioning. Everything is vectorised over the (entity, block) pairs a
request touches; the only Python loops are over those pairs (one generator each) and
over fixed-size segments of a block.

Every process takes ``entity`` and ``step`` (or ``timestamps``) arrays that
broadcast together (``entities[:, None]`` and ``steps[None, :]`` give an
(entity × step) grid; two equal-length arrays give one value per row) and returns an
array of the broadcast shape. Entity ids are integers in ``[0, 2**63)``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, NamedTuple, TypeAlias

import numpy as np

from tempdata.config import INTERVALS
from tempdata.core.seeding import Seeder
from tempdata.errors import InvalidParameterError, suggest

__all__ = [
    "BLOCK",
    "DEFAULT_ANCHOR",
    "EPOCH",
    "SEASONAL_PATTERNS",
    "TREND_DIRECTIONS",
    "VOLATILITY_LEVELS",
    "Events",
    "TimeSeriesConfig",
    "TimeStreams",
    "VolatilityPath",
    "ar1",
    "gbm",
    "interval_seconds",
    "random_walk",
    "seasonality",
    "spikes_and_outages",
    "step_index",
    "step_times",
    "steps_between",
    "stochastic_volatility",
    "time_streams",
    "trend",
    "trend_slopes",
    "white_noise",
]

Array: TypeAlias = "np.ndarray[Any, Any]"

#: Step 0 of every grid: 1900-01-01T00:00 (naive, read as UTC; a Monday).
EPOCH = np.datetime64("1900-01-01T00:00:00.000000", "us")
#: Steps per time block, counted from the epoch. Part of the contract: never change it.
BLOCK = 4096
#: Where :func:`gbm` and :func:`trend` pin their level unless told otherwise.
DEFAULT_ANCHOR = np.datetime64("2000-01-01T00:00:00.000000", "us")
#: Seasonal components of :class:`TimeSeriesConfig`, with their periods in seconds.
SEASONAL_PATTERNS: dict[str, int] = {"daily": 86_400, "weekly": 604_800, "yearly": 31_556_952}
#: Trend directions of :class:`TimeSeriesConfig`.
TREND_DIRECTIONS = ("up", "down", "random")
#: Named volatility levels: multipliers of a dataset's typical volatility.
VOLATILITY_LEVELS: dict[str, float] = {"low": 0.5, "medium": 1.0, "high": 2.0}

_US = 1_000_000
#: A mean calendar year (365.25 days), in seconds: the unit of ``mu``, ``sigma``, ``rate``.
_YEAR_S = 365.25 * 86_400
#: Segment length of the blocked linear recurrence in :func:`_ar_filter`.
_SEG = 64


# --------------------------------------------------------------------------- grid


def interval_seconds(interval: str | int) -> int:
    """The length of a grid step in seconds, from a name of ``INTERVALS`` or seconds.

    >>> interval_seconds("1hour"), interval_seconds("1w"), interval_seconds(90)
    (3600, 604800, 90)
    """
    if isinstance(interval, str):
        if interval in INTERVALS:
            return INTERVALS[interval]
        msg = f"unknown interval {interval!r} — valid: {', '.join(INTERVALS)}"
        raise InvalidParameterError(msg)
    if isinstance(interval, bool) or not isinstance(interval, (int, np.integer)):
        msg = f"interval must be a name ({', '.join(INTERVALS)}) or seconds, got {interval!r}"
        raise InvalidParameterError(msg)
    if not 0 < interval < 2**32:
        msg = f"interval must be a positive number of seconds below 2**32, got {interval!r}"
        raise InvalidParameterError(msg)
    return int(interval)


def _instant(value: object, what: str) -> np.datetime64[Any]:
    """A date, datetime, ISO string or datetime64 as a microsecond datetime64."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return np.datetime64(value, "us")
    if isinstance(value, dt.date):
        return np.datetime64(value.isoformat(), "us")
    if isinstance(value, np.datetime64):
        us: np.datetime64[Any] = value.astype("datetime64[us]")
        return us
    if isinstance(value, str):
        try:
            return np.datetime64(value.strip(), "us")
        except ValueError:
            pass
    msg = f"{what} must be a date, datetime or ISO string like '2024-01-31T12:00', got {value!r}"
    raise InvalidParameterError(msg)


def _micros(values: object, what: str) -> Array:
    """Microseconds since the epoch of a datetime64 array (or one instant)."""
    arr = np.asarray(values)
    if arr.dtype.kind != "M":
        arr = np.asarray(_instant(values, what))
    us = np.asarray((arr.astype("datetime64[us]") - EPOCH).astype(np.int64))
    if us.size and us.min() < 0:
        msg = f"{what} lies before the time-series epoch {EPOCH.astype('datetime64[D]')}"
        raise InvalidParameterError(msg)
    return us


def steps_between(start: object, end: object, *, interval: str | int) -> Array:
    """The steps of the grid whose instants lie in ``[start, end]`` (both ends included).

    >>> k = steps_between("2024-01-01T00:30", "2024-01-01T02:30", interval="1hour")
    >>> k.tolist()
    [1086961, 1086962]
    >>> step_times(k, interval="1hour").astype(str).tolist()
    ['2024-01-01T01:00:00.000000', '2024-01-01T02:00:00.000000']
    """
    iv = interval_seconds(interval) * _US
    s = int(_micros(_instant(start, "start"), "start"))
    e = int(_micros(_instant(end, "end"), "end"))
    if e < s:
        msg = f"date range end ({end}) lies before its start ({start})"
        raise InvalidParameterError(msg)
    return np.arange(-(-s // iv), e // iv + 1, dtype=np.int64)


def step_index(timestamps: object, *, interval: str | int) -> Array:
    """The step each timestamp falls in: ``(t - EPOCH) // interval``.

    >>> int(step_index(np.datetime64("1900-01-08T05:00"), interval="1day"))
    7
    """
    return _micros(timestamps, "timestamps") // (interval_seconds(interval) * _US)


def step_times(steps: object, *, interval: str | int) -> Array:
    """The instants of grid steps, as ``datetime64[us]``.

    >>> step_times(np.array([0, 1]), interval="1week")
    array(['1900-01-01T00:00:00.000000', '1900-01-08T00:00:00.000000'],
          dtype='datetime64[us]')
    """
    k = np.asarray(steps, dtype=np.int64)
    return EPOCH + (k * (interval_seconds(interval) * _US)).astype("timedelta64[us]")


# ------------------------------------------------------------------------ streams


@dataclass(frozen=True, repr=False)
class TimeStreams:
    """The random streams of one column of a time-series dataset on one grid.

    Build it with :func:`time_streams`.
    """

    seeder: Seeder
    dataset: str
    column: str
    interval: int

    def __repr__(self) -> str:
        return (
            f"time_streams({self.seeder!r}, {self.dataset!r}, {self.column!r}, "
            f"interval={self.interval})"
        )

    def block(self, entity: int, block: int) -> np.random.Generator:
        """The generator of one entity's time block."""
        ss = self.seeder.time_sequence(
            self.dataset, self.column, interval=self.interval, entity=entity, block=block
        )
        return np.random.default_rng(ss)

    def coarse(self, entity: int) -> np.random.Generator:
        """The entity's coarse generator: one value per block, from the epoch on."""
        ss = self.seeder.time_sequence(
            self.dataset, self.column, interval=self.interval, entity=entity
        )
        return np.random.default_rng(ss)

    def sub(self, name: str) -> TimeStreams:
        """The streams of the sub-column ``column#name``."""
        return replace(self, column=f"{self.column}#{name}")


def time_streams(
    seed: Seeder | int | None, dataset: str, column: str, *, interval: str | int
) -> TimeStreams:
    """The streams of ``dataset.column`` on a grid of ``interval`` (a name or seconds).

    >>> time_streams(7, "stocks", "close", interval="1day")
    time_streams(Seeder(7, reference_date='2025-12-31'), 'stocks', 'close', interval=86400)
    """
    for name, what in ((dataset, "dataset"), (column, "column")):
        if not isinstance(name, str) or not name:
            msg = f"{what} name must be a non-empty string, got {name!r}"
            raise InvalidParameterError(msg)
    return TimeStreams(Seeder.coerce(seed), dataset, column, interval_seconds(interval))


# ------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class _Layout:
    """Which (entity, block) pairs a request touches, and where each value comes from."""

    shape: tuple[int, ...]
    entities: Array  # (U,) distinct entity ids
    pair_entity: Array  # (P,) index into ``entities`` of each touched pair
    pair_block: Array  # (P,) block of each touched pair
    pair: Array  # (N,) pair of each requested value
    offset: Array  # (N,) step offset inside its block

    @property
    def max_block(self) -> int:
        return int(self.pair_block.max()) if self.pair_block.size else 0

    def gather(self, values: Array) -> Array:
        """Requested values from per-pair blocks ``values[p, offset]``."""
        return np.asarray(values[self.pair, self.offset]).reshape(self.shape)

    def at_pairs(self, per_entity: Array, shift: int = 0) -> Array:
        """``per_entity[e, block + shift]`` for each touched pair."""
        return np.asarray(per_entity[self.pair_entity, self.pair_block + shift])


def _int_array(values: object, what: str, high: int) -> Array:
    arr = np.asarray(values)
    if arr.dtype.kind not in "iu":
        msg = f"{what} must be integers, got an array of {arr.dtype}"
        raise InvalidParameterError(msg)
    if arr.size and (int(arr.min()) < 0 or int(arr.max()) >= high):
        msg = f"{what} must lie in [0, {high}), got values in [{arr.min()}, {arr.max()}]"
        raise InvalidParameterError(msg)
    return arr.astype(np.int64, copy=False)


def _layout(entity: object, step: object) -> _Layout:
    e = _int_array(entity, "entity ids", 2**63)
    k = _int_array(step, "steps", BLOCK * 2**32)
    try:
        shape = np.broadcast_shapes(e.shape, k.shape)
    except ValueError:
        msg = f"entity ids of shape {e.shape} and steps of shape {k.shape} do not broadcast"
        raise InvalidParameterError(msg) from None
    # Distinct entities and blocks of the (small) un-broadcast inputs, then the pairs.
    ue, ei = np.unique(e, return_inverse=True)
    ub, bi = np.unique(k // BLOCK, return_inverse=True)
    nb = len(ub)
    if not math.prod(shape):
        empty = np.zeros(0, dtype=np.int64)
        return _Layout(shape, ue, empty, empty, empty, empty)
    code = np.broadcast_to(ei.reshape(e.shape) * nb + bi.reshape(k.shape), shape).ravel()
    space = len(ue) * nb
    if space <= 4 * code.size + 65_536:
        present = np.zeros(space, dtype=bool)
        present[code] = True
        codes = np.flatnonzero(present)
        pair = (np.cumsum(present) - 1)[code]
    else:
        codes, pair = np.unique(code, return_inverse=True)
    offset = np.broadcast_to(k % BLOCK, shape).ravel()
    return _Layout(shape, ue, codes // nb, ub[codes % nb], pair.ravel(), offset)


def _block_draws(
    streams: TimeStreams, lay: _Layout, rows: int = 0, *, uniform: bool = False
) -> Array:
    """Each touched pair's block draws: shape ``(P, BLOCK)`` or ``(P, rows, BLOCK)``."""
    shape = (BLOCK,) if rows == 0 else (rows, BLOCK)
    out = np.empty((len(lay.pair_block), *shape))
    ents = lay.entities[lay.pair_entity].tolist()
    for i, (e, b) in enumerate(zip(ents, lay.pair_block.tolist(), strict=True)):
        rng = streams.block(e, b)
        if uniform:
            rng.random(out=out[i])
        else:
            rng.standard_normal(out=out[i])
    return out


def _coarse_draws(streams: TimeStreams, entities: Array, n: int, *, uniform: bool = False) -> Array:
    """The first ``n`` coarse draws of each entity: shape ``(U, n)``."""
    out = np.empty((len(entities), n))
    for i, e in enumerate(entities.tolist()):
        rng = streams.coarse(e)
        if uniform:
            rng.random(out=out[i])
        else:
            rng.standard_normal(out=out[i])
    return out


def _entity_uniforms(streams: TimeStreams, entity: object, n: int) -> Array:
    """``n`` uniforms per entity from its coarse stream: shape ``entity.shape + (n,)``."""
    e = _int_array(entity, "entity ids", 2**63)
    ue, inv = np.unique(e, return_inverse=True)
    return _coarse_draws(streams, ue, n, uniform=True)[inv.reshape(e.shape)]


def _ar_filter(x: Array, phi: float) -> Array:
    """``y[:, j] = phi * y[:, j - 1] + x[:, j]`` with ``y[:, -1] = 0``, vectorised.

    The rows are cut into segments of 64 steps, each filtered from zero (64 vector
    operations over all segments at once); the carry from one segment to the next
    then runs over the segments, and is added back as ``carry * phi**(j + 1)``.
    """
    rows, n = x.shape
    if phi == 0.0:
        return x.copy()
    n_seg = -(-n // _SEG)
    y3 = np.zeros((rows, n_seg * _SEG))
    y3[:, :n] = x
    y = y3.reshape(rows, n_seg, _SEG)
    for j in range(1, _SEG):
        y[:, :, j] += phi * y[:, :, j - 1]
    if n_seg > 1:
        last = y[:, :, -1].copy()
        carry = np.zeros((rows, n_seg))
        decay = phi**_SEG
        for c in range(1, n_seg):
            carry[:, c] = decay * carry[:, c - 1] + last[:, c - 1]
        y += carry[:, :, None] * phi ** np.arange(1, _SEG + 1)
    return y3[:, :n]


def _exclusive_cumsum(x: Array) -> Array:
    """``out[:, j] = x[:, :j].sum(1)``: the partial sums before each step."""
    out = np.empty_like(x)
    out[:, 0] = 0.0
    np.cumsum(x[:, :-1], axis=1, out=out[:, 1:])
    return out


def _positive(value: object, name: str, *, zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        msg = f"{name} must be a number, got {value!r}"
        raise InvalidParameterError(msg)
    v = float(value)
    if not math.isfinite(v) or v < 0 or (v == 0 and not zero):
        bound = ">= 0" if zero else "> 0"
        msg = f"{name} must be a finite number {bound}, got {value!r}"
        raise InvalidParameterError(msg)
    return v


def _fraction(value: object, name: str) -> float:
    v = _positive(value, name, zero=True)
    if v > 1:
        msg = f"{name} must be a probability in [0, 1], got {value!r}"
        raise InvalidParameterError(msg)
    return v


def _check_phi(phi: object, name: str = "phi") -> float:
    if isinstance(phi, bool) or not isinstance(phi, (int, float, np.integer, np.floating)):
        msg = f"{name} must be a number in (-1, 1), got {phi!r}"
        raise InvalidParameterError(msg)
    if not -1 < float(phi) < 1:
        msg = f"{name} must lie in (-1, 1) for a stationary AR(1), got {phi!r}"
        raise InvalidParameterError(msg)
    return float(phi)


# ---------------------------------------------------------------------- processes


def white_noise(streams: TimeStreams, entity: object, step: object) -> Array:
    """Independent N(0, 1) values, one per (entity, step).

    Each block stream draws ``BLOCK`` normals; step ``k`` takes number ``k % BLOCK``.

    >>> ts = time_streams(1, "demo", "noise", interval="1hour")
    >>> np.round(white_noise(ts, 0, np.arange(3)), 3).tolist()
    [3.122, 1.622, -1.028]
    """
    lay = _layout(entity, step)
    return lay.gather(_block_draws(streams, lay)) if lay.pair.size else np.zeros(lay.shape)


def _walk_boundaries(streams: TimeStreams, lay: _Layout) -> Array:
    """W at the start of blocks 0 … max+1: ``sqrt(BLOCK) * cumsum(coarse)``, W(0) = 0."""
    n = lay.max_block + 1
    w = np.zeros((len(lay.entities), n + 1))
    np.cumsum(_coarse_draws(streams, lay.entities, n), axis=1, out=w[:, 1:])
    w *= math.sqrt(BLOCK)
    return w


def _walk_blocks(streams: TimeStreams, lay: _Layout) -> Array:
    w = _walk_boundaries(streams, lay)
    left, right = lay.at_pairs(w), lay.at_pairs(w, 1)
    z = _block_draws(streams, lay)
    total = z.sum(axis=1)
    x = _exclusive_cumsum(z)
    x += left[:, None] + (np.arange(BLOCK) / BLOCK) * (right - left - total)[:, None]
    return x


def random_walk(streams: TimeStreams, entity: object, step: object) -> Array:
    """A Gaussian random walk with N(0, 1) steps, zero at the epoch.

    At block boundaries ``W(bL) = sqrt(L) * (c_0 + … + c_{b-1})`` with ``c`` the
    coarse stream's normals (``L = BLOCK``). Inside block ``b``, with ``z`` the
    block's ``L`` normals and ``S_j = z_0 + … + z_{j-1}``, the value at offset ``j``
    is the discrete Brownian bridge::

        W(bL + j) = W(bL) + S_j + (j / L) * (W((b+1)L) - W(bL) - S_L)

    ``S_j - (j/L) S_L`` is independent of ``S_L`` and distributed as the walk
    conditioned to return to 0, so the bridge is exact: every increment is
    independent N(0, 1), across block boundaries too.

    >>> ts = time_streams(1, "demo", "walk", interval="1day")
    >>> w = random_walk(ts, 0, np.arange(40_000, 40_004))
    >>> np.round(np.diff(w), 3).tolist()
    [-0.728, 0.478, -0.559]
    """
    lay = _layout(entity, step)
    return lay.gather(_walk_blocks(streams, lay)) if lay.pair.size else np.zeros(lay.shape)


def _ar1_boundaries(streams: TimeStreams, lay: _Layout, phi: float, sigma: float) -> Array:
    """X at the start of blocks 0 … max+1: stationary start, exact block transitions."""
    a = phi**BLOCK
    scale = sigma / math.sqrt(1.0 - phi * phi)
    c = _coarse_draws(streams, lay.entities, lay.max_block + 2)
    c[:, 0] *= scale
    c[:, 1:] *= scale * math.sqrt(1.0 - a * a)
    return _ar_filter(c, a)


def _ar1_blocks(
    streams: TimeStreams, lay: _Layout, phi: float, sigma: float, bounds: Array
) -> Array:
    left, right = lay.at_pairs(bounds), lay.at_pairs(bounds, 1)
    z = _block_draws(streams, lay)
    z *= sigma
    f = _ar_filter(z, phi)  # f[:, j-1]: the free path's noise part at offset j
    j = np.arange(BLOCK)
    x = np.empty_like(f)
    x[:, 0] = 0.0
    x[:, 1:] = f[:, :-1]
    x += left[:, None] * phi**j
    free_end = phi**BLOCK * left + f[:, -1]
    gain = phi ** (BLOCK - j) * (1.0 - phi ** (2 * j)) / (1.0 - phi ** (2 * BLOCK))
    x += gain * (right - free_end)[:, None]
    return x


def ar1(
    streams: TimeStreams, entity: object, step: object, *, phi: float, sigma: float = 1.0
) -> Array:
    """A stationary Gaussian AR(1): ``X_k = phi X_{k-1} + sigma ε_k``.

    Boundary values (``L = BLOCK``, ``s² = sigma² / (1 - phi²)``, ``c`` the coarse
    normals) follow the exact L-step transition from a stationary start::

        X_0 = s c_0,    X_{(b+1)L} = phi^L X_{bL} + s sqrt(1 - phi^{2L}) c_{b+1}

    Inside block ``b`` a free path ``Y`` starts at ``Y_0 = X_{bL}`` with the block's
    normals, and is corrected to end at ``X_{(b+1)L}`` by Gaussian conditioning::

        X_{bL+j} = Y_j + c_j (X_{(b+1)L} - Y_L),
        c_j = phi^{L-j} (1 - phi^{2j}) / (1 - phi^{2L})

    (``c_j = Cov(Y_j, Y_L) / Var(Y_L)`` given ``Y_0``), which is exact: the series is
    the stationary AR(1) at every step, with no seam at block boundaries.

    >>> ts = time_streams(1, "demo", "ar", interval="1min")
    >>> np.round(ar1(ts, 5, np.arange(3), phi=0.9), 3).tolist()
    [-0.968, -0.598, -1.606]
    """
    phi = _check_phi(phi)
    sigma = _positive(sigma, "sigma")
    lay = _layout(entity, step)
    if not lay.pair.size:
        return np.zeros(lay.shape)
    bounds = _ar1_boundaries(streams, lay, phi, sigma)
    return lay.gather(_ar1_blocks(streams, lay, phi, sigma, bounds))


def _per_step(interval: int, dt_years: float | None) -> float:
    if dt_years is None:
        return interval / _YEAR_S
    return _positive(dt_years, "dt")


def gbm(
    streams: TimeStreams,
    entity: object,
    step: object,
    *,
    mu: object = 0.0,
    sigma: object = 0.2,
    start_price: object = 100.0,
    dt: float | None = None,
    anchor: object = DEFAULT_ANCHOR,
) -> Array:
    """Geometric Brownian motion prices, pinned to ``start_price`` at ``anchor``.

    ``mu`` and ``sigma`` are annual drift and volatility; ``dt`` is the length of a
    step in years (default: the interval over a 365.25-day year). With ``W`` the
    :func:`random_walk` of the same streams and ``k_a`` the anchor's step::

        P_k = start_price * exp((mu - sigma²/2) dt (k - k_a) + sigma sqrt(dt) (W_k - W_{k_a}))

    The anchor is a fixed date (not the requested range), so prices are
    time-anchored. ``mu``, ``sigma`` and ``start_price`` may be arrays that
    broadcast with the output (one per entity, say).

    >>> ts = time_streams(1, "demo", "close", interval="1day")
    >>> k = steps_between("2000-01-01", "2000-01-03", interval="1day")
    >>> np.round(gbm(ts, 0, k, mu=0.05, sigma=0.3), 2).tolist()
    [100.0, 101.47, 101.3]
    """
    m = np.asarray(mu, dtype=np.float64)
    s = np.asarray(sigma, dtype=np.float64)
    p0 = np.asarray(start_price, dtype=np.float64)
    if not (np.isfinite(m).all() and np.isfinite(s).all() and (s >= 0).all()):
        msg = f"gbm: mu must be finite and sigma finite and >= 0, got mu={mu!r}, sigma={sigma!r}"
        raise InvalidParameterError(msg)
    if not (np.isfinite(p0).all() and (p0 > 0).all()):
        msg = f"gbm: start_price must be positive, got {start_price!r}"
        raise InvalidParameterError(msg)
    h = _per_step(streams.interval, dt)
    k_anchor = int(step_index(_instant(anchor, "anchor"), interval=streams.interval))
    k = np.asarray(step)
    walk = random_walk(streams, entity, k) - random_walk(streams, entity, k_anchor)
    log_p = (m - 0.5 * s * s) * h * (k - k_anchor) + s * math.sqrt(h) * walk
    return np.asarray(p0 * np.exp(log_p))


def seasonality(
    streams: TimeStreams,
    entity: object,
    timestamps: object,
    *,
    daily: float = 0.0,
    weekly: float = 0.0,
    yearly: float = 0.0,
    peaks: tuple[float, float, float] = (0.625, 0.7, 0.55),
    jitter: float = 0.05,
) -> Array:
    """Deterministic daily, weekly and yearly cycles with per-entity phases.

    Each component is ``amplitude * cos(2π (t / period - peak_e))``: ``t`` the time
    since the epoch, periods of 1 day, 1 week (starting Monday 00:00) and 365.2425
    days, and ``peak_e = peak + jitter * (u_e - 1/2)`` the fraction of the period where
    the entity's cycle peaks (``peaks`` defaults: 15:00, Friday 21:36, late July),
    with ``u_e`` uniforms from the coarse stream of ``column#season``. A function of
    the timestamp only, so it also serves timestamps off the grid.

    >>> ts = time_streams(1, "demo", "temp", interval="1hour")
    >>> t = np.array(["2024-07-01T03:00", "2024-07-01T15:00"], dtype="datetime64[us]")
    >>> np.round(seasonality(ts, 0, t, daily=2.0, jitter=0.0), 3).tolist()
    [-2.0, 2.0]
    """
    t = _micros(timestamps, "timestamps")
    amps = (float(daily), float(weekly), float(yearly))
    jitter = _positive(jitter, "jitter", zero=True)
    e = np.asarray(entity)
    shape = np.broadcast_shapes(e.shape, t.shape)
    out = np.zeros(shape)
    if not any(amps):
        return out
    u = _entity_uniforms(streams.sub("season"), e, 3)
    for c, (amp, period, peak) in enumerate(
        zip(amps, SEASONAL_PATTERNS.values(), peaks, strict=True)
    ):
        if amp:
            frac = (t % (period * _US)) / (period * _US)
            out += amp * np.cos(2 * np.pi * (frac - (peak + jitter * (u[..., c] - 0.5))))
    return out


def trend(
    streams: TimeStreams,
    entity: object,
    timestamps: object,
    *,
    direction: str,
    rate: float = 1.0,
    anchor: object = DEFAULT_ANCHOR,
) -> Array:
    """A linear trend of ``rate`` per year, zero at ``anchor``.

    ``direction`` ``"up"`` and ``"down"`` give slopes ``+rate`` and ``-rate``;
    ``"random"`` gives each entity its own slope ``rate * u_e``, ``u_e`` uniform in
    [-1, 1) from the coarse stream of ``column#trend``.

    >>> ts = time_streams(1, "demo", "load", interval="1day")
    >>> t = np.array(["2000-01-01", "2001-01-01"], dtype="datetime64[us]")
    >>> np.round(trend(ts, 0, t, direction="down", rate=2.0), 3).tolist()
    [-0.0, -2.004]
    """
    slope = trend_slopes(streams, entity, direction=direction, rate=rate)
    t = _micros(timestamps, "timestamps")
    years = (t - int(_micros(_instant(anchor, "anchor"), "anchor"))) / (_YEAR_S * _US)
    return np.asarray(slope * years)


def trend_slopes(streams: TimeStreams, entity: object, *, direction: str, rate: float) -> Array:
    """The slope per year of each entity's :func:`trend`: ``+rate``, ``-rate``, or for
    ``"random"`` ``rate * (2 u_e - 1)`` with ``u_e`` the first uniform of the entity's
    coarse stream of ``column#trend`` (so an entity's slope depends on the seed, the
    column and the entity only).

    >>> ts = time_streams(1, "demo", "load", interval="1day")
    >>> np.round(trend_slopes(ts, np.array([0, 1]), direction="random", rate=0.5), 3).tolist()
    [0.104, 0.042]
    """
    if direction not in TREND_DIRECTIONS:
        msg = f"unknown trend direction {direction!r} — valid: {', '.join(TREND_DIRECTIONS)}"
        raise InvalidParameterError(msg)
    rate = _positive(rate, "rate", zero=True)
    if direction == "random":
        return np.asarray(
            rate * (2.0 * _entity_uniforms(streams.sub("trend"), entity, 1)[..., 0] - 1.0)
        )
    return np.full(np.asarray(entity).shape, rate if direction == "up" else -rate)


class VolatilityPath(NamedTuple):
    """Output of :func:`stochastic_volatility`, each of the request's shape."""

    #: σ_k, the volatility of the return from step k to k + 1.
    volatility: Array
    #: The log return from step k to step k + 1.
    returns: Array
    #: The cumulative log return from the epoch (or the anchor) to step k.
    level: Array


def stochastic_volatility(
    streams: TimeStreams,
    entity: object,
    step: object,
    *,
    vol: float,
    vol_of_vol: float = 0.05,
    persistence: float = 0.98,
    anchor: object = None,
) -> VolatilityPath:
    """Returns with volatility clustering whose cumulative sum stays time-anchored.

    The log-volatility is an :func:`ar1` (on ``column#logvol``) with
    ``phi = persistence`` and innovation sd ``vol_of_vol``, shifted so that
    ``E[σ²] = vol²``: ``σ_k = exp(log(vol) - s² + X_k)``, ``s² = Var X``. The return
    from step ``k`` to ``k + 1`` is ``r_k = σ_k ε_k`` (``ε`` from the block streams of
    ``column#ret``), so large moves cluster where ``σ`` is high.

    The level (log price) is fixed at block boundaries first: block ``b``'s total
    return is ``R_b = sqrt(V_b) c_b`` (``c`` the coarse stream of ``column#ret``),
    summed from the epoch; then the block's returns are conditioned on their total::

        r̃_k = r_k + σ_k² / Σσ² · (R_b − Σr)

    which is the exact Gaussian conditional law of the returns given their sum, if
    the sum is ``N(0, Σσ²)``. The approximation: ``V_b`` estimates the block's
    ``Σσ²`` from its boundary volatilities alone (so the coarse level never needs a
    block's interior), as ``L [κ (σ²_{bL} + σ²_{(b+1)L})/2 + (1 - κ) vol²]`` with
    ``κ = (1 - phi^L) / (L (1 - phi))`` the mean of ``phi^j`` over the block: the ends'
    volatility when the block is short against the volatility's memory, the long-run
    one when it is long. Each step's return keeps variance ``≈ σ_k²``; the
    adjustment moves a step by about ``σ_k sqrt(2/L)`` at most, spread evenly, so no
    seam shows at block boundaries.

    With ``anchor``, ``level`` is measured from the level at ``anchor``.

    >>> ts = time_streams(1, "demo", "px", interval="1day")
    >>> p = stochastic_volatility(ts, 0, np.arange(40_000, 40_003), vol=0.01)
    >>> bool(np.allclose(np.diff(p.level), p.returns[:-1]))
    True
    """
    vol = _positive(vol, "vol")
    eta = _positive(vol_of_vol, "vol_of_vol")
    phi = _check_phi(persistence, "persistence")
    lay = _layout(entity, step)
    if not lay.pair.size:
        empty = np.zeros(lay.shape)
        return VolatilityPath(empty, empty.copy(), empty.copy())
    log_mean = math.log(vol) - eta * eta / (1.0 - phi * phi)
    hs, rs = streams.sub("logvol"), streams.sub("ret")
    h_bounds = _ar1_boundaries(hs, lay, phi, eta)
    sig = np.exp(log_mean + _ar1_blocks(hs, lay, phi, eta, h_bounds))
    # Coarse level: every block's total return from the epoch on.
    var_bounds = np.exp(2.0 * (log_mean + h_bounds))
    kappa = (1.0 - phi**BLOCK) / (BLOCK * (1.0 - phi))
    v = BLOCK * (kappa * 0.5 * (var_bounds[:, :-1] + var_bounds[:, 1:]) + (1.0 - kappa) * vol * vol)
    totals = np.sqrt(v) * _coarse_draws(rs, lay.entities, v.shape[1])
    levels = np.zeros((len(lay.entities), v.shape[1] + 1))
    np.cumsum(totals, axis=1, out=levels[:, 1:])
    # Inside each block: returns conditioned on the block's total.
    r = _block_draws(rs, lay)
    r *= sig
    var = sig * sig
    r += var * ((lay.at_pairs(totals) - r.sum(axis=1)) / var.sum(axis=1))[:, None]
    level = _exclusive_cumsum(r)
    level += lay.at_pairs(levels)[:, None]
    out = VolatilityPath(lay.gather(sig), lay.gather(r), lay.gather(level))
    if anchor is None:
        return out
    k_anchor = int(step_index(_instant(anchor, "anchor"), interval=streams.interval))
    base = stochastic_volatility(
        streams, entity, k_anchor, vol=vol, vol_of_vol=eta, persistence=phi
    ).level
    return out._replace(level=out.level - base)


class Events(NamedTuple):
    """Output of :func:`spikes_and_outages`, each of the request's shape."""

    #: 0, or a spike's signed size: ±(1 + Exponential(1)).
    spike: Array
    #: True where the sensor is out (no reading).
    outage: Array


def spikes_and_outages(
    streams: TimeStreams,
    entity: object,
    step: object,
    *,
    spike_rate: float = 1e-3,
    outage_rate: float = 1e-4,
    outage_steps: float = 10.0,
) -> Events:
    """Rare spikes and outages of a sensor, from the block streams of ``column#events``.

    Each block draws uniforms of shape ``(5, BLOCK)``: a step spikes with probability
    ``spike_rate`` (a random sign, size ``1 + Exponential(1)``), and an outage starts
    with probability ``outage_rate`` and lasts a geometric number of steps with mean
    ``outage_steps`` (capped at ``BLOCK``). An outage may run on from the previous
    block, so each block also reads its predecessor's draws.

    >>> ts = time_streams(1, "demo", "sensor", interval="1min")
    >>> ev = spikes_and_outages(ts, 0, np.arange(50_000), spike_rate=0.01)
    >>> int((ev.spike != 0).sum()), bool((np.abs(ev.spike[ev.spike != 0]) >= 1).all())
    (495, True)
    """
    p_spike = _fraction(spike_rate, "spike_rate")
    p_out = _fraction(outage_rate, "outage_rate")
    mean_len = _positive(outage_steps, "outage_steps")
    if mean_len < 1:
        msg = f"outage_steps must be >= 1, got {outage_steps!r}"
        raise InvalidParameterError(msg)
    lay = _layout(entity, step)
    if not lay.pair.size:
        return Events(np.zeros(lay.shape), np.zeros(lay.shape, dtype=bool))
    es = streams.sub("events")
    u = _block_draws(es, lay, 5, uniform=True)
    spike = np.where(u[:, 0] < p_spike, 1.0 - np.log1p(-u[:, 2]), 0.0)
    spike[u[:, 1] < 0.5] *= -1.0
    # Outage starts in the previous and the current block, then their coverage.
    prev = _Layout(
        lay.shape,
        lay.entities,
        lay.pair_entity,
        np.maximum(lay.pair_block - 1, 0),
        lay.pair,
        lay.offset,
    )
    u_prev = _block_draws(es, prev, 5, uniform=True)
    u_prev[lay.pair_block == 0, 3] = 1.0  # nothing before the epoch
    starts = np.concatenate([u_prev[:, 3], u[:, 3]], axis=1) < p_out
    lengths = np.concatenate([u_prev[:, 4], u[:, 4]], axis=1)
    rows, cols = np.nonzero(starts)
    if mean_len == 1:
        dur = np.ones(rows.size, dtype=np.int64)
    else:
        q = math.log1p(-1.0 / mean_len)
        dur = 1 + np.floor(np.log1p(-lengths[rows, cols]) / q).astype(np.int64)
    ends = np.minimum(cols + np.minimum(dur, BLOCK), 2 * BLOCK)
    cover = np.zeros((len(lay.pair_block), 2 * BLOCK + 1), dtype=np.int64)
    np.add.at(cover, (rows, cols), 1)
    np.add.at(cover, (rows, ends), -1)
    outage = np.cumsum(cover, axis=1)[:, BLOCK : 2 * BLOCK] > 0
    return Events(lay.gather(spike), lay.gather(outage))


# ------------------------------------------------------------------------- config


def _volatility(value: object) -> float:
    if isinstance(value, str):
        if value in VOLATILITY_LEVELS:
            return VOLATILITY_LEVELS[value]
        valid = ", ".join(VOLATILITY_LEVELS)
        msg = f"unknown volatility_level {value!r} — valid: {valid} or a number > 0"
        raise InvalidParameterError(msg)
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not (math.isfinite(value) and value > 0)
    ):
        valid = ", ".join(VOLATILITY_LEVELS)
        msg = f"volatility_level must be one of {valid} or a finite number > 0, got {value!r}"
        raise InvalidParameterError(msg)
    return float(value)


@dataclass(frozen=True)
class TimeSeriesConfig:
    """How a time-series dataset shapes its series: ``time_series=`` of
    :func:`tempdata.generate` (and ``--seasonality``, ``--trend``, ``--volatility`` on
    the command line).

    The defaults leave a dataset as it is: every seasonal cycle it has, no added
    trend, its typical volatility. Each dataset's notes (``tempdata describe``) say
    which cycles it has and which trend rate it adds; the effects never break the
    time-anchoring contract (a value at a timestamp does not depend on the range).

    Parameters
    ----------
    seasonal_patterns
        Which of the dataset's cycles to keep: any of ``"daily"``, ``"weekly"``,
        ``"yearly"`` (kept in that order); the others are switched off. Empty for
        none. A name the dataset has no cycle for changes nothing.
    trend_direction
        ``None`` (or ``"none"``, the default): no added trend. ``"up"`` or ``"down"``:
        a drift of plus or minus the dataset's trend rate per year; ``"random"``: each
        entity its own rate, uniform between minus and plus the trend rate, from a
        stream keyed by the seed and the entity.
    volatility_level
        ``"low"``, ``"medium"`` (the default), ``"high"`` or a number > 0: a
        multiplier of the dataset's volatilities (0.5, 1 and 2 for the names).

    Examples
    --------
    >>> TimeSeriesConfig(seasonal_patterns=["yearly", "daily"], volatility_level="high")
    TimeSeriesConfig(seasonal_patterns=('daily', 'yearly'), trend_direction=None,
                     volatility_level='high')
    >>> TimeSeriesConfig(volatility_level=1.5).volatility
    1.5
    >>> TimeSeriesConfig.coerce({"trend_direction": "up"}).to_dict()
    {'seasonal_patterns': ['daily', 'weekly', 'yearly'], 'trend_direction': 'up',
     'volatility_level': 'medium'}
    """

    seasonal_patterns: tuple[str, ...] = tuple(SEASONAL_PATTERNS)
    trend_direction: str | None = None
    volatility_level: str | float = "medium"

    def __post_init__(self) -> None:
        patterns: object = self.seasonal_patterns
        if isinstance(patterns, str) or not isinstance(patterns, Iterable):
            msg = (
                "seasonal_patterns must be a list of names from "
                f"{', '.join(SEASONAL_PATTERNS)}, got {patterns!r}"
            )
            raise InvalidParameterError(msg)
        chosen = list(patterns)
        for p in chosen:
            if p not in SEASONAL_PATTERNS:
                msg = f"unknown seasonal pattern {p!r} — valid: {', '.join(SEASONAL_PATTERNS)}"
                raise InvalidParameterError(msg)
        object.__setattr__(
            self, "seasonal_patterns", tuple(p for p in SEASONAL_PATTERNS if p in chosen)
        )
        direction = self.trend_direction
        if direction == "none":
            object.__setattr__(self, "trend_direction", None)
        elif direction is not None and direction not in TREND_DIRECTIONS:
            msg = (
                f"unknown trend_direction {direction!r} — "
                f"valid: {', '.join(TREND_DIRECTIONS)} or none"
            )
            raise InvalidParameterError(msg)
        level = self.volatility_level
        _volatility(level)
        if not isinstance(level, str):
            object.__setattr__(self, "volatility_level", float(level))

    @property
    def volatility(self) -> float:
        """The volatility multiplier (0.5, 1 or 2 for low, medium, high)."""
        return _volatility(self.volatility_level)

    def seasonal(self, pattern: str) -> bool:
        """Whether the cycle ``pattern`` (``"daily"``, ...) is kept."""
        return pattern in self.seasonal_patterns

    def to_dict(self) -> dict[str, Any]:
        """The fields as plain JSON values; :meth:`coerce` reads them back."""
        return {
            "seasonal_patterns": list(self.seasonal_patterns),
            "trend_direction": self.trend_direction,
            "volatility_level": self.volatility_level,
        }

    @classmethod
    def coerce(cls, value: object) -> TimeSeriesConfig:
        """A config, or one made from a mapping of its fields (unknown keys are errors)."""
        if isinstance(value, cls):
            return value
        if not isinstance(value, Mapping):
            msg = (
                "time_series must be True, False, None, a TimeSeriesConfig or a mapping of "
                f"{', '.join(_CONFIG_KEYS)}, got {value!r}"
            )
            raise InvalidParameterError(msg)
        unknown = [k for k in value if k not in _CONFIG_KEYS]
        if unknown:
            key = str(unknown[0])
            msg = f"time_series has no setting {key!r}{suggest(key, _CONFIG_KEYS)}"
            raise InvalidParameterError(msg)
        return cls(**value)


_CONFIG_KEYS = ("seasonal_patterns", "trend_direction", "volatility_level")
