"""Categorical samplers: weighted choices, choices that depend on another column, switches."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import polars as pl

from tempdata.core.plan import ChunkContext, Params, Sampler
from tempdata.core.seeding import name_hash
from tempdata.errors import InvalidParameterError
from tempdata.samplers._base import Array, CallRepr, number, weights

__all__ = ["choice", "choice_by", "numbers", "switch"]


def _keys(series: pl.Series, values: Sequence[str]) -> tuple[Array, list[str]]:
    """Integer codes of ``series`` and the category of each code (fast for enums)."""
    if isinstance(series.dtype, pl.Enum):
        return series.to_physical().to_numpy(), list(series.dtype.categories)
    categories = list(
        dict.fromkeys([*values, *series.cast(pl.String).unique().drop_nulls().sort()])
    )
    mapping = {c: i for i, c in enumerate(categories)}
    codes = series.cast(pl.String).replace_strict(mapping, default=-1, return_dtype=pl.Int64)
    return codes.to_numpy(), categories


def _codes(rng: np.random.Generator, n: int, probs: Sequence[float]) -> Array:
    cdf = np.cumsum(probs)
    cdf[-1] = 1.0
    return np.searchsorted(cdf, rng.random(n), side="right").astype(np.uint32)


@dataclass(frozen=True, repr=False)
class _Choice(CallRepr, Sampler):
    _factory = "choice"
    values: tuple[str, ...]
    probs: tuple[float, ...] = field(repr=False)
    enum: bool = True

    def __repr__(self) -> str:
        table = dict(zip(self.values, (round(p, 6) for p in self.probs), strict=True))
        extra = "" if self.enum else ", enum=False"
        return f"choice({table!r}{extra})"

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Enum(list(self.values)) if self.enum else pl.String()

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> pl.Series:
        codes = _codes(rng, ctx.n, self.probs)
        return pl.Series(self.values, dtype=self.dtype(ctx.params)).gather(codes)


def choice(values: Mapping[str, float] | Sequence[str], *, enum: bool = True) -> Sampler:
    """Weighted choice among string values (equal weights for a plain list).

    The column is a Polars ``Enum`` of the values in the given order, unless
    ``enum=False`` (plain strings, for many distinct values).

    >>> choice({"card": 0.7, "cash": 0.3})
    choice({'card': 0.7, 'cash': 0.3})
    """
    cats, probs = weights(values, "choice")
    return _Choice(cats, probs, enum)


@dataclass(frozen=True, repr=False)
class _Numbers(CallRepr, Sampler):
    _factory = "numbers"
    values: tuple[float, ...]
    probs: tuple[float, ...] = field(repr=False)

    def __repr__(self) -> str:
        table = dict(zip(self.values, (round(p, 6) for p in self.probs), strict=True))
        return f"numbers({table!r})"

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Float64()

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> Array:
        # The same draws as choice() over the same weights.
        return np.asarray(self.values, dtype=np.float64)[_codes(rng, ctx.n, self.probs)]


def numbers(values: Mapping[float, float]) -> Sampler:
    """Weighted choice among numbers: ``numbers({0.0: 0.7, 0.1: 0.3})`` (Float64).

    >>> numbers({0.0: 3, 0.5: 1})
    numbers({0.0: 0.75, 0.5: 0.25})
    """
    if not isinstance(values, Mapping) or not values:
        msg = f"numbers: expected a mapping of value → weight, got {values!r}"
        raise InvalidParameterError(msg)
    keys = [number(v, f"numbers: value {v!r}") for v in values]
    cats, probs = weights({str(i): w for i, w in enumerate(values.values())}, "numbers")
    del cats
    return _Numbers(tuple(keys), probs)


@dataclass(frozen=True, repr=False)
class _ChoiceBy(CallRepr, Sampler):
    _factory = "choice_by"
    column: str
    table: Mapping[str, tuple[tuple[str, ...], tuple[float, ...]]]
    values: tuple[str, ...]

    def __repr__(self) -> str:
        shown = {
            k: dict(zip(v, (round(p, 6) for p in ps), strict=True))
            for k, (v, ps) in self.table.items()
        }
        return f"choice_by({self.column!r}, {shown!r})"

    @property
    def given(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.column,)

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Enum(list(self.values))

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> pl.Series:
        key, categories = _keys(ctx.frame.get_column(self.column), list(self.table))
        u = rng.random(ctx.n)
        # One table for all keys: key k's cumulative weights are stored as k + cdf.
        index = {v: i for i, v in enumerate(self.values)}
        bounds, targets = [], []
        for k, category in enumerate(categories):
            if category not in self.table:
                continue
            vals, probs = self.table[category]
            cdf = np.cumsum(probs)
            cdf[-1] = 1.0
            bounds.append(k + cdf)
            targets.append([index[v] for v in vals])
        known = np.isin(key, [k for k, c in enumerate(categories) if c in self.table])
        if not known.all():
            missing = sorted({categories[k] if k >= 0 else None for k in key[~known]}, key=str)[:5]
            msg = f"choice_by({self.column!r}): no weights for value(s) {missing}"
            raise InvalidParameterError(msg)
        flat = np.concatenate(bounds)
        lookup = np.array([t for group in targets for t in group], dtype=np.uint32)
        pos = np.minimum(np.searchsorted(flat, key + u, side="right"), len(flat) - 1)
        codes = lookup[pos]
        return pl.Series(self.values, dtype=self.dtype(ctx.params)).gather(codes)


def choice_by(column: str, table: Mapping[str, Mapping[str, float] | Sequence[str]]) -> Sampler:
    """A weighted choice whose weights depend on the value of ``column``.

    >>> choice_by("channel", {"store": {"cash": 1}, "web": {"card": 1}})
    choice_by('channel', {'store': {'cash': 1.0}, 'web': {'card': 1.0}})
    """
    if not isinstance(table, Mapping) or not table:
        msg = f"choice_by({column!r}): table must map each value of {column!r} to weights"
        raise InvalidParameterError(msg)
    resolved = {str(k): weights(v, f"choice_by({column!r})[{k!r}]") for k, v in table.items()}
    values = tuple(dict.fromkeys(v for vals, _ in resolved.values() for v in vals))
    return _ChoiceBy(column, MappingProxyType(resolved), values)


@dataclass(frozen=True, repr=False)
class _Switch(CallRepr, Sampler):
    _factory = "switch"
    column: str
    cases: Mapping[str, Sampler]

    def __repr__(self) -> str:
        return f"switch({self.column!r}, {dict(self.cases)!r})"

    @property
    def given(self) -> tuple[str, ...]:  # type: ignore[override]
        extra = [g for s in self.cases.values() for g in s.inputs()]
        return tuple(dict.fromkeys([self.column, *extra]))

    def dtype(self, params: Params) -> pl.DataType:
        return next(iter(self.cases.values())).dtype(params)

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> pl.Series:
        key, categories = _keys(ctx.frame.get_column(self.column), list(self.cases))
        dtype = self.dtype(ctx.params)
        out = pl.Series("", [None] * ctx.n, dtype=dtype)
        seen = np.zeros(ctx.n, dtype=bool)
        code_of = {c: i for i, c in enumerate(categories)}
        # Each case draws from its own generator, keyed by the case's name: a row's
        # value then depends only on the rows before it in its chunk, never on how
        # many rows the chunk (or the dataset) has.
        root = int(rng.integers(0, 2**63))
        for value, sampler in self.cases.items():
            rows = np.flatnonzero(key == code_of.get(value, -2))
            if not len(rows):
                continue
            seen[rows] = True
            sub = ChunkContext(
                dataset=ctx.dataset,
                chunk=ctx.chunk,
                offset=ctx.offset,
                n=len(rows),
                params=ctx.params,
                seeder=ctx.seeder,
                frame=ctx.frame[rows],
                parent=ctx.parent,
                index=ctx.row_index()[rows],
                column=ctx.column,
                parent_rows=ctx.parent_rows,
            )
            case_rng = np.random.default_rng(
                np.random.SeedSequence(root, spawn_key=(name_hash(value),))
            )
            values = sampler.sample(case_rng, sub)
            series = values if isinstance(values, pl.Series) else pl.Series(values)
            out = out.scatter(rows, series.cast(dtype))
        if not seen.all():
            missing = sorted({categories[k] if k >= 0 else None for k in key[~seen]}, key=str)[:5]
            msg = f"switch({self.column!r}): no sampler for value(s) {missing}"
            raise InvalidParameterError(msg)
        return out


def switch(column: str, cases: Mapping[str, Sampler]) -> Sampler:
    """Use a different sampler for each value of ``column`` (all of one dtype).

    Each case draws from its own generator derived from the column's stream and the
    case's name, so a row's value never depends on the dataset's row count.
    """
    if not isinstance(cases, Mapping) or not cases:
        msg = f"switch({column!r}): cases must map each value of {column!r} to a sampler"
        raise InvalidParameterError(msg)
    for k, v in cases.items():
        if not isinstance(v, Sampler):
            msg = f"switch({column!r}): case {k!r} is not a sampler: {v!r}"
            raise InvalidParameterError(msg)
    return _Switch(column, MappingProxyType({str(k): v for k, v in cases.items()}))
