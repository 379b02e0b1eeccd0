"""Numeric samplers: uniform integers and floats, normal, lognormal, Poisson, Zipf, booleans."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from tempdata.core.plan import ChunkContext, Params, Sampler
from tempdata.samplers._base import (
    Array,
    CallRepr,
    bounded_power_law,
    decimals,
    integer,
    number,
    ordered_pair,
    rounded,
)

__all__ = ["booleans", "floats", "integers", "lognormal", "normal", "poisson", "zipf"]


def _clip(values: Array, low: float | None, high: float | None) -> Array:
    if low is None and high is None:
        return values
    return np.clip(values, low, high)


@dataclass(frozen=True, repr=False)
class _Integers(CallRepr, Sampler):
    _factory = "integers"
    low: int
    high: int

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Int64()

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> Array:
        return rng.integers(self.low, self.high, size=ctx.n, endpoint=True)


def integers(low: int, high: int) -> Sampler:
    """Uniform integers in ``[low, high]`` (both included).

    >>> integers(1, 6)
    integers(low=1, high=6)
    """
    lo, hi = integer(low, "integers: low"), integer(high, "integers: high")
    ordered_pair(lo, hi, "integers")
    return _Integers(lo, hi)


@dataclass(frozen=True, repr=False)
class _Floats(CallRepr, Sampler):
    _factory = "floats"
    low: float
    high: float
    decimals: int | None = None

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Float64()

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> Array:
        return rounded(rng.uniform(self.low, self.high, size=ctx.n), self.decimals)


def floats(low: float, high: float, *, decimals: int | None = None) -> Sampler:
    """Uniform floats in ``[low, high)``, optionally rounded to ``decimals`` places."""
    lo, hi = number(low, "floats: low"), number(high, "floats: high")
    ordered_pair(lo, hi, "floats")
    return _Floats(lo, hi, _decimals(decimals))


def _decimals(value: object) -> int | None:
    return decimals(value)


@dataclass(frozen=True, repr=False)
class _Normal(CallRepr, Sampler):
    _factory = "normal"
    mean: float
    std: float
    low: float | None = None
    high: float | None = None
    decimals: int | None = None

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Float64()

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> Array:
        values = rng.normal(self.mean, self.std, size=ctx.n)
        return rounded(_clip(values, self.low, self.high), self.decimals)


def normal(
    mean: float,
    std: float,
    *,
    low: float | None = None,
    high: float | None = None,
    decimals: int | None = None,
) -> Sampler:
    """Normal values, clipped to ``[low, high]`` when given."""
    m = number(mean, "normal: mean")
    sd = number(std, "normal: std", low=0)
    lo = None if low is None else number(low, "normal: low")
    hi = None if high is None else number(high, "normal: high")
    if lo is not None and hi is not None:
        ordered_pair(lo, hi, "normal")
    return _Normal(m, sd, lo, hi, _decimals(decimals))


@dataclass(frozen=True, repr=False)
class _Lognormal(CallRepr, Sampler):
    _factory = "lognormal"
    mean: float
    sigma: float
    low: float | None = None
    high: float | None = None
    decimals: int | None = None

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Float64()

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> Array:
        values = rng.lognormal(self.mean, self.sigma, size=ctx.n)
        return rounded(_clip(values, self.low, self.high), self.decimals)


def lognormal(
    mean: float,
    sigma: float,
    *,
    low: float | None = None,
    high: float | None = None,
    decimals: int | None = None,
) -> Sampler:
    """Lognormal values: ``exp(N(mean, sigma))``, heavy-tailed, clipped to ``[low, high]``.

    ``mean`` and ``sigma`` are those of the underlying normal (NumPy's convention), so
    the median is ``exp(mean)``.
    """
    m = number(mean, "lognormal: mean")
    s = number(sigma, "lognormal: sigma", low=0)
    lo = None if low is None else number(low, "lognormal: low")
    hi = None if high is None else number(high, "lognormal: high")
    if lo is not None and hi is not None:
        ordered_pair(lo, hi, "lognormal")
    return _Lognormal(m, s, lo, hi, _decimals(decimals))


@dataclass(frozen=True, repr=False)
class _Poisson(CallRepr, Sampler):
    _factory = "poisson"
    lam: float
    low: int = 0
    high: int | None = None

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Int64()

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> Array:
        values = self.low + rng.poisson(self.lam, size=ctx.n)
        return values if self.high is None else np.minimum(values, self.high)


def poisson(lam: float, *, low: int = 0, high: int | None = None) -> Sampler:
    """Counts ``low + Poisson(lam)``, capped at ``high``: ``low`` is the minimum.

    >>> poisson(0.6, low=1)
    poisson(lam=0.6, low=1)
    """
    lm = number(lam, "poisson: lam", low=0)
    lo = integer(low, "poisson: low")
    hi = None if high is None else integer(high, "poisson: high")
    if hi is not None:
        ordered_pair(lo, hi, "poisson")
    return _Poisson(lm, lo, hi)


@dataclass(frozen=True, repr=False)
class _Zipf(CallRepr, Sampler):
    _factory = "zipf"
    a: float
    high: int

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Int64()

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> Array:
        return bounded_power_law(rng, ctx.n, self.a, self.high) + 1


def zipf(a: float, *, high: int) -> Sampler:
    """Ranks in ``1..high`` with P(k) roughly proportional to ``k ** -a`` (any ``a > 0``)."""
    return _Zipf(number(a, "zipf: a", low=0, low_open=True), integer(high, "zipf: high", low=1))


@dataclass(frozen=True, repr=False)
class _Booleans(CallRepr, Sampler):
    _factory = "booleans"
    p: float = 0.5

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Boolean()

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> Array:
        return rng.random(ctx.n) < self.p


def booleans(p: float = 0.5) -> Sampler:
    """True with probability ``p``."""
    return _Booleans(number(p, "booleans: p", low=0, high=1))
