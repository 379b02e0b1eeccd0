"""Identifiers: formatted sequences, UUIDs, foreign keys into another dataset, lookups."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import polars as pl

from tempdata.core.caching import shared_cache
from tempdata.core.plan import ChunkContext, Column, Dataset, Params, Sampler
from tempdata.errors import InvalidParameterError
from tempdata.samplers._base import (
    Array,
    CallRepr,
    bounded_power_law,
    integer,
    keyed_permutation,
    number,
)

__all__ = [
    "foreign_key",
    "foreign_keys_of",
    "lookup",
    "lookups_of",
    "per_parent",
    "row_index",
    "sequence",
    "uuid4s",
]

_FIELD = re.compile(r"\{(?::(0?)(\d*)d)?\}")
#: The widest zero-padding a sequence() key may ask for.
MAX_WIDTH = 30


@dataclass(frozen=True, repr=False)
class _Sequence(CallRepr, Sampler):
    _factory = "sequence"
    fmt: str
    start: int = 1

    def __repr__(self) -> str:
        extra = f", start={self.start}" if self.start != 1 else ""
        return f"sequence({self.fmt!r}{extra})"

    @property
    def _parts(self) -> tuple[str, int, str]:
        m = _FIELD.search(self.fmt)
        assert m is not None
        width = int(m.group(2)) if m.group(1) == "0" and m.group(2) else 0
        return self.fmt[: m.start()], width, self.fmt[m.end() :]

    def dtype(self, params: Params) -> pl.DataType:
        return pl.String()

    def format(self, numbers: Array) -> pl.Series:
        """Format 0-based indices as keys (vectorised)."""
        prefix, width, suffix = self._parts
        values = numbers + self.start
        if width and len(values) and int(values.max()) < 10**width:
            # 10**width + n prints as "1" and n zero-padded: one cast, one replace.
            padded = pl.Series(values + 10**width).cast(pl.String)
            padded = padded.str.replace("1", prefix, literal=True, n=1)
            if not suffix:
                return padded
            return pl.select(pl.concat_str(pl.lit(padded), pl.lit(suffix))).to_series()
        text = pl.lit(pl.Series(values)).cast(pl.String)
        if width:
            text = text.str.zfill(width)
        if prefix or suffix:
            text = pl.concat_str(pl.lit(prefix), text, pl.lit(suffix))
        return pl.select(text).to_series()

    def index_of(self, keys: pl.Series) -> pl.Series:
        """Inverse of :meth:`format`: 0-based indices of keys."""
        prefix, _, suffix = self._parts
        digits = keys.str.slice(len(prefix), None)
        if suffix:
            digits = digits.str.slice(0, digits.str.len_chars() - len(suffix))
        return digits.cast(pl.Int64) - self.start

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> pl.Series:
        return self.format(ctx.row_index())


def sequence(fmt: str = "{}", *, start: int = 1) -> Sampler:
    """Sequential ids from the row index: ``sequence("CUST-{:08d}")`` → CUST-00000001, ...

    ``fmt`` holds one field, ``{}`` or ``{:0Nd}``; ids are unique across the whole
    dataset because they derive from the row index.

    >>> sequence("ORD-{:09d}")
    sequence('ORD-{:09d}')
    """
    if not isinstance(fmt, str) or len(_FIELD.findall(fmt)) != 1 or "{" in _FIELD.sub("", fmt):
        msg = f"sequence: format must hold exactly one '{{}}' or '{{:0Nd}}' field, got {fmt!r}"
        raise InvalidParameterError(msg)
    width = _FIELD.search(fmt).group(2)  # type: ignore[union-attr]
    if width and int(width) > MAX_WIDTH:
        msg = (
            f"sequence: format {fmt[:40]!r} pads to {int(width):,} digits; at most {MAX_WIDTH} "
            "(a trillion rows need 13)"
        )
        raise InvalidParameterError(msg)
    return _Sequence(fmt, integer(start, "sequence: start", low=0))


@dataclass(frozen=True, repr=False)
class _RowIndex(CallRepr, Sampler):
    _factory = "row_index"

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Int64()

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> Array:
        return ctx.row_index()


def row_index() -> Sampler:
    """The 0-based index of the row in the whole dataset."""
    return _RowIndex()


_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_UUID_DASHES = (8, 13, 18, 23)


@dataclass(frozen=True, repr=False)
class _Uuid4s(CallRepr, Sampler):
    _factory = "uuid4s"

    def dtype(self, params: Params) -> pl.DataType:
        return pl.String()

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> pl.Series:
        raw = rng.integers(0, 256, size=(ctx.n, 16), dtype=np.uint8)
        raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40  # version 4
        raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80  # RFC 4122 variant
        hexed = np.empty((ctx.n, 32), dtype=np.uint8)
        hexed[:, 0::2] = _HEX[raw >> 4]
        hexed[:, 1::2] = _HEX[raw & 0x0F]
        out = np.full((ctx.n, 36), ord("-"), dtype=np.uint8)
        keep = np.ones(36, dtype=bool)
        keep[list(_UUID_DASHES)] = False
        out[:, keep] = hexed
        return pl.Series(out.view("S36").ravel()).cast(pl.String)


def uuid4s() -> Sampler:
    """Random version-4 UUIDs as strings, drawn from the column's own generator."""
    return _Uuid4s()


SizeRule = Callable[[Params], int]

#: Key spaces up to this size keep their popularity permutation as a table (512 KiB);
#: larger ones compute it per chunk (about 1.5 ms per 50,000 draws).
_TABLE_LIMIT = 1 << 17


#: Parents up to this many rows have their keys formatted once per process (about
#: 4 MiB at the limit) and gathered by index, instead of formatted for every row.
_KEYS_LIMIT = 1 << 18


@shared_cache(maxsize=8)  # chunks run on threads: one formats, the others wait
def _keys(key: _Sequence, size: int) -> pl.Series:
    return key.format(np.arange(size, dtype=np.int64))


@lru_cache(maxsize=8)
def _permutation_table(size: int, key: int) -> Array:
    table = keyed_permutation(np.arange(size, dtype=np.int64), size, key).astype(np.int32)
    table.flags.writeable = False
    return table


def _size_of(size: int | SizeRule, params: Params, what: str) -> int:
    value = size(params) if callable(size) else size
    if value < 1:
        msg = f"{what}: the parent must have at least one row, got {value}"
        raise InvalidParameterError(msg)
    return int(value)


@dataclass(frozen=True, repr=False)
class _ForeignKey(CallRepr, Sampler):
    _factory = "foreign_key"
    parent: str
    key: _Sequence
    size: int | SizeRule = field(compare=False)
    skew: float | None = None
    offset: float = 0.0

    def __repr__(self) -> str:
        skew = f", skew={self.skew}" if self.skew else ""
        offset = f", offset={self.offset}" if self.skew and self.offset else ""
        return f"foreign_key({self.parent!r}, {self.key!r}{skew}{offset})"

    def dtype(self, params: Params) -> pl.DataType:
        return pl.String()

    def parent_rows(self, params: Params) -> int:
        return _size_of(self.size, params, f"foreign_key({self.parent!r})")

    def indices(self, rng: np.random.Generator, ctx: ChunkContext) -> Array:
        size = self.parent_rows(ctx.params)
        if not self.skew:
            return rng.integers(0, size, size=ctx.n)
        ranks = bounded_power_law(rng, ctx.n, self.skew, size, self.offset)
        # Shuffle popularity over the key space with a keyed permutation that is the
        # same in every chunk, so the busiest parents are spread without a pattern.
        key = ctx.seeder.context_seed(f"{ctx.dataset}.{self.parent}#popularity")
        if size <= _TABLE_LIMIT:
            return _permutation_table(size, key)[ranks]
        return keyed_permutation(ranks, size, key)

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> pl.Series:
        indices = self.indices(rng, ctx)
        size = self.parent_rows(ctx.params)
        if size <= _KEYS_LIMIT:  # every key formatted once, then gathered: 15x faster
            return _keys(self.key, size).gather(indices)
        return self.key.format(indices)


def foreign_key(
    parent: str,
    key: Sampler,
    *,
    size: int | SizeRule,
    skew: float | None = None,
    offset: float = 0.0,
) -> Sampler:
    """Keys of another dataset's rows, uniformly or with a popularity skew.

    Parameters
    ----------
    parent
        Catalogue name of the parent dataset.
    key
        The parent's key sampler (a :func:`sequence`), so keys are formatted alike.
    size
        Rows of the parent, or a function of the child's :class:`Params`.
    skew
        ``None`` for uniform; else a power-law exponent ``a > 0``: the k-th most
        popular parent is chosen with weight ``k ** -a`` (0.65 over 100,000 parents
        puts about 56 % of the rows on a fifth of them, 0.5 % on the busiest one).
    offset
        With ``skew``, the Zipf–Mandelbrot offset ``q >= 0``: the k-th most popular
        parent has weight ``(k + q) ** -a``. It flattens the head and keeps the tail:
        over 1,000 parents, ``a = 1.05`` puts 11.7 % of the rows on the busiest with
        ``q = 0`` and 2.1 % with ``q = 10``.
    """
    if not isinstance(key, _Sequence):
        msg = f"foreign_key({parent!r}): key must be the parent's sequence() sampler, got {key!r}"
        raise InvalidParameterError(msg)
    if isinstance(size, int):
        integer(size, f"foreign_key({parent!r}): size", low=1)
    a = (
        None
        if skew is None
        else number(skew, f"foreign_key({parent!r}): skew", low=0, low_open=True)
    )
    q = number(offset, f"foreign_key({parent!r}): offset", low=0)
    return _ForeignKey(parent, key, size, a, q)


PER_PARENT_LIMIT = 100_000_000  # parent rows whose child counts are kept (800 MB)


@lru_cache(maxsize=8)
def _child_starts(
    seed: int, context: str, size: int, low: int, high: int, mean: float | None
) -> Array:
    """Where each parent's children start (``size + 1`` offsets, the last the total)."""
    from tempdata.core.seeding import Seeder

    rng = np.random.default_rng(Seeder(seed).context_seed(context))
    if mean is None:
        counts = rng.integers(low, high + 1, size=size)
    else:
        counts = np.clip(rng.poisson(mean, size=size), low, high)
    starts = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    starts.flags.writeable = False
    return starts


@dataclass(frozen=True, repr=False)
class _PerParent(_ForeignKey):
    _factory = "per_parent"
    low: int = 1
    high: int = 1
    mean: float | None = None

    def __repr__(self) -> str:
        how = f", mean={self.mean}" if self.mean is not None else ""
        return f"per_parent({self.parent!r}, {self.key!r}, {self.low}..{self.high}{how})"

    def starts(self, seed: int, dataset: str, column: str, params: Params | None = None) -> Array:
        size = self.size if isinstance(self.size, int) else self.parent_rows(params)  # type: ignore[arg-type]
        context = f"{dataset}.{column}#per_parent"
        return _child_starts(seed, context, size, self.low, self.high, self.mean)

    def total_rows(self, seed: int, dataset: str, column: str) -> int:
        """The rows the child has: the sum of every parent's children."""
        return int(self.starts(seed, dataset, column)[-1])

    def indices(self, rng: np.random.Generator, ctx: ChunkContext) -> Array:
        starts = self.starts(ctx.seeder.seed, ctx.dataset, ctx.column, ctx.params)
        if int(starts[-1]) != ctx.params.rows:
            msg = (
                f"per_parent({self.parent!r}): its parents have {int(starts[-1]):,} children "
                f"in all, so the table has that many rows, not {ctx.params.rows:,}"
            )
            raise InvalidParameterError(msg)
        return np.searchsorted(starts, ctx.row_index(), side="right") - 1


def per_parent(
    parent: str,
    key: Sampler,
    *,
    size: int,
    low: int = 1,
    high: int = 5,
    mean: float | None = None,
) -> Sampler:
    """Keys of ``parent`` with a set number of children each, in parent order.

    Each of the parent's ``size`` rows gets between ``low`` and ``high`` children
    (uniformly, or Poisson with ``mean`` clipped to that range), drawn once per seed,
    dataset and column, so the child's rows are their sum
    (:meth:`total_rows`) and row ``i`` knows its parent without the others: order
    lines 1..5 per order, appointments 0..8 per patient.
    """
    if not isinstance(key, _Sequence):
        msg = f"per_parent({parent!r}): key must be the parent's sequence() sampler, got {key!r}"
        raise InvalidParameterError(msg)
    integer(size, f"per_parent({parent!r}): size", low=1)
    if size > PER_PARENT_LIMIT:
        msg = f"per_parent({parent!r}): at most {PER_PARENT_LIMIT:,} parent rows, got {size:,}"
        raise InvalidParameterError(msg)
    lo = integer(low, f"per_parent({parent!r}): min", low=0)
    hi = integer(high, f"per_parent({parent!r}): max", low=max(lo, 1))
    if mean is not None:
        mean = number(mean, f"per_parent({parent!r}): mean", low=0, low_open=True)
    return _PerParent(parent, key, size, None, low=lo, high=hi, mean=mean)


def foreign_keys_of(sampler: object) -> tuple[_ForeignKey, ...]:
    """The foreign keys a column's sampler draws: itself, or the key a lookup follows.

    Each has ``.parent`` (the catalogue dataset) and ``.parent_rows(params)`` (how many
    of the parent's rows its keys cover). Batch plans size them to the parent's rows.
    """
    if isinstance(sampler, _ForeignKey):
        return (sampler,)
    if isinstance(sampler, _Lookup):
        return (sampler.key,)
    return ()


def key_sampler_of(dataset: Dataset) -> _Sequence | None:
    """The :func:`sequence` sampler of ``dataset``'s key column, if it has one (its
    keys can then be drawn by row number, as :func:`foreign_key` does)."""
    for item in dataset.items:
        if isinstance(item, Column) and item.name == dataset.key:
            return item.source if isinstance(item.source, _Sequence) else None
    return None


def is_sequence(sampler: object) -> bool:
    return isinstance(sampler, _Sequence)


def lookups_of(sampler: object) -> tuple[_Lookup, ...]:
    """The sampler itself if it copies a value from a parent row (:func:`lookup`)."""
    return (sampler,) if isinstance(sampler, _Lookup) else ()


@dataclass(frozen=True, repr=False)
class _Lookup(CallRepr, Sampler):
    _factory = "lookup"
    via: str
    key: _ForeignKey
    column: str
    out_dtype: pl.DataType = field(default_factory=pl.Float64)

    def __repr__(self) -> str:
        return f"lookup({self.via!r}, {self.key!r}, {self.column!r})"

    @property
    def given(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.via,)

    def dtype(self, params: Params) -> pl.DataType:
        return self.out_dtype

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> pl.Series:
        index = self.key.key.index_of(ctx.frame.get_column(self.via))
        rows = self.key.parent_rows(ctx.params)
        return ctx.lookup(self.key.parent, rows, [self.column], index).get_column(self.column)


def lookup(via: str, key: Sampler, column: str, *, dtype: pl.DataType | None = None) -> Sampler:
    """A parent's attribute for each row's foreign key (a product's price for a sale).

    ``via`` names the child's foreign-key column, ``key`` is the
    :func:`foreign_key` sampler that fills it, and ``column`` the parent's column.
    The parent is generated under the same seed (or read from its written output in a
    batch); a large one is kept on disk and gathered from there, never held whole
    (:mod:`tempdata.core.lookup`). ``dtype`` is the parent column's dtype (default ``Float64``).
    """
    if not isinstance(key, _ForeignKey):
        msg = f"lookup({column!r}): key must be a foreign_key() sampler, got {key!r}"
        raise InvalidParameterError(msg)
    return _Lookup(via, key, column, dtype if dtype is not None else pl.Float64())
