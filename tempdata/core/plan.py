"""Column plans: what a dataset is made of, declared rather than coded row by row.

A :class:`Dataset` is an ordered list of plan items — :class:`Column` (one output from
a sampler or a Polars expression) and :class:`Group` (several outputs from one
sampler and one random stream, such as an address) — plus :class:`Rule` objects
(cross-column constraints applied after every column is built) and :class:`Check`
objects (invariants that the data must satisfy, used by tests and validation).

Nothing here draws random numbers; the planner (:mod:`tempdata.core.planner`) does.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import polars as pl

from tempdata.errors import InvalidParameterError

if TYPE_CHECKING:
    from tempdata.core.seeding import Seeder

__all__ = [
    "Check",
    "ChunkContext",
    "Column",
    "Dataset",
    "Group",
    "GroupSampler",
    "Parameter",
    "Params",
    "PlanItem",
    "Rule",
    "SampleOutput",
    "Sampler",
    "check",
    "col",
    "group",
    "rule",
]

SampleOutput: TypeAlias = "np.ndarray[Any, Any] | pl.Series"


@dataclass(frozen=True)
class Params:
    """The resolved parameters a dataset is generated with.

    ``date_start`` and ``date_end`` are both included; ``custom`` holds the
    dataset-specific parameters (``custom_params`` in :class:`tempdata.DatasetConfig`).
    """

    rows: int
    reference_date: dt.date
    date_start: dt.datetime
    date_end: dt.datetime
    country: str = "global"
    locale: str | None = None
    custom: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def get(self, key: str, default: Any) -> Any:
        """A custom parameter, or ``default``."""
        return self.custom.get(key, default)

    @property
    def as_of(self) -> dt.date:
        """The day ages and tenures are measured at: the reference date, or the end of
        the date range when that lies later."""
        return max(self.reference_date, self.date_end.date())

    def cache_key(self) -> tuple[Any, ...]:
        """A hashable key of everything that can change generated values."""
        return (
            self.rows,
            self.reference_date,
            self.date_start,
            self.date_end,
            self.country,
            self.locale,
            tuple(sorted((k, repr(v)) for k, v in self.custom.items())),
        )


@dataclass(frozen=True)
class ChunkContext:
    """What a sampler may know about the chunk it fills.

    Attributes
    ----------
    dataset
        Catalogue (or plan) name of the dataset being generated.
    chunk
        Index of the 50,000-row block.
    offset
        Index of the chunk's first row in the whole dataset.
    n
        Rows in this chunk.
    params
        Resolved generation parameters.
    seeder
        Root seed and reference date; samplers only use it for dataset-wide
        contexts (``seeder.context_stream``), never for per-row draws.
    frame
        The chunk's columns built so far (at least every name in ``given``).
    parent
        ``parent(dataset, rows)`` returns the whole parent dataset generated under
        the same seed, cached per process.
    index
        Global row indices when the context covers a subset of the chunk's rows
        (the cases of a ``switch``); ``None`` for the whole chunk.
    """

    dataset: str
    chunk: int
    offset: int
    n: int
    params: Params
    seeder: Seeder
    frame: pl.DataFrame
    parent: Callable[[str, int], pl.DataFrame]
    index: np.ndarray[Any, np.dtype[np.int64]] | None = None

    def row_index(self) -> np.ndarray[Any, np.dtype[np.int64]]:
        """Global row indices of the rows being filled (a subset, inside a switch)."""
        if self.index is not None:
            return self.index
        return np.arange(self.offset, self.offset + self.n, dtype=np.int64)


class Sampler(abc.ABC):
    """Fills one column of one chunk, vectorised, from its own generator.

    Subclasses are frozen dataclasses; ``given`` names the columns they read from
    ``ctx.frame``. A sampler draws from ``rng`` in one call shaped ``(n, k)`` (or
    ``(n,)``), so that row ``i`` takes the same draws whatever the chunk's size —
    two calls of size ``n`` would make the second depend on ``n``.
    """

    given: tuple[str, ...] = ()

    @abc.abstractmethod
    def dtype(self, params: Params) -> pl.DataType:
        """The output's Polars dtype."""

    @abc.abstractmethod
    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> SampleOutput:
        """``ctx.n`` values (a NumPy array or a Polars Series)."""

    def inputs(self) -> tuple[str, ...]:
        """Columns this sampler reads."""
        return self.given


class GroupSampler(abc.ABC):
    """Fills several related columns at once from one generator (an address, a place)."""

    given: tuple[str, ...] = ()

    @abc.abstractmethod
    def schema(self, params: Params) -> dict[str, pl.DataType]:
        """Every field the sampler can produce, with its dtype."""

    @abc.abstractmethod
    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        """``ctx.n`` values for each requested field."""

    def inputs(self) -> tuple[str, ...]:
        """Columns this sampler reads."""
        return self.given


def _check_name(name: object, what: str) -> str:
    if not isinstance(name, str) or not name.isidentifier():
        msg = f"{what} name must be a snake_case identifier, got {name!r}"
        raise InvalidParameterError(msg)
    return name


def _check_fraction(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
        msg = f"{what} must be a fraction in [0, 1), got {value!r}"
        raise InvalidParameterError(msg)
    return float(value)


@dataclass(frozen=True, eq=False)
class Column:
    """One output column from a sampler or a Polars expression over earlier columns."""

    name: str
    source: Sampler | pl.Expr
    nulls: float = 0.0
    description: str = ""
    hidden: bool = False

    @property
    def outputs(self) -> tuple[str, ...]:
        return (self.name,)

    def inputs(self) -> tuple[str, ...]:
        if isinstance(self.source, pl.Expr):
            return tuple(dict.fromkeys(self.source.meta.root_names()))
        return self.source.inputs()

    @property
    def stream(self) -> str:
        return self.name

    def __repr__(self) -> str:
        extra = f", nulls={self.nulls}" if self.nulls else ""
        return f"col({self.name!r}, {self.source!r}{extra})"


@dataclass(frozen=True)
class Group:
    """Several columns from one group sampler and one stream named after the group.

    ``columns`` maps each output name to the sampler field it takes.
    """

    name: str
    sampler: GroupSampler
    columns: Mapping[str, str]
    descriptions: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: Output columns other columns may read but the output leaves out.
    hidden: frozenset[str] = frozenset()

    @property
    def outputs(self) -> tuple[str, ...]:
        return tuple(self.columns)

    @property
    def visible(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c not in self.hidden)

    def inputs(self) -> tuple[str, ...]:
        return self.sampler.inputs()

    @property
    def stream(self) -> str:
        return self.name

    def __repr__(self) -> str:
        hidden = f", hidden={sorted(self.hidden)!r}" if self.hidden else ""
        return f"group({self.name!r}, {self.sampler!r}, columns={dict(self.columns)!r}{hidden})"


PlanItem: TypeAlias = Column | Group


@dataclass(frozen=True, eq=False)
class Check:
    """An invariant: ``expr`` is a boolean expression true on every valid row."""

    name: str
    expr: pl.Expr
    description: str = ""

    def __repr__(self) -> str:
        return f"check({self.name!r}, {self.expr})"


@dataclass(frozen=True, eq=False)
class Rule:
    """A cross-column constraint applied after all columns are built.

    ``expr`` becomes the new value of ``column``; ``holds`` is the invariant the rule
    guarantees (also registered as a :class:`Check`).
    """

    name: str
    column: str
    expr: pl.Expr
    holds: pl.Expr
    description: str = ""

    def inputs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.expr.meta.root_names()))

    def __repr__(self) -> str:
        return f"rule({self.name!r}, column={self.column!r})"


def col(
    name: str,
    source: Sampler | pl.Expr,
    *,
    nulls: float = 0.0,
    description: str = "",
    hidden: bool = False,
) -> Column:
    """Declare a column.

    Parameters
    ----------
    name
        Output name (snake_case).
    source
        A sampler (``tempdata.samplers``) or a Polars expression over earlier columns.
    nulls
        Fraction of rows set to null, drawn from the ``name#nulls`` stream.
    description
        What the column means; shown by ``tempdata describe``.
    hidden
        A helper column other columns read; left out of the output unless asked for
        by name (``columns=[...]``).
    """
    _check_name(name, "column")
    if not isinstance(source, (Sampler, pl.Expr)):
        msg = f"column {name!r}: source must be a sampler or a Polars expression, got {source!r}"
        raise InvalidParameterError(msg)
    return Column(
        name, source, _check_fraction(nulls, f"column {name!r}: nulls"), description, hidden
    )


def group(
    name: str,
    sampler: GroupSampler,
    *,
    columns: Mapping[str, str] | Sequence[str],
    descriptions: Mapping[str, str] | None = None,
    hidden: Sequence[str] = (),
) -> Group:
    """Declare a group of columns filled together by one sampler from one stream.

    ``columns`` is a list of the sampler's fields, or a mapping ``output name → field``.
    ``hidden`` names output columns that other columns read but the output leaves out
    (a city's row id that a phone number's area code follows, say).
    """
    _check_name(name, "group")
    if not isinstance(sampler, GroupSampler):
        msg = f"group {name!r}: sampler must be a group sampler, got {sampler!r}"
        raise InvalidParameterError(msg)
    mapping = dict(columns) if isinstance(columns, Mapping) else {c: c for c in columns}
    if not mapping:
        msg = f"group {name!r} has no columns"
        raise InvalidParameterError(msg)
    for out in mapping:
        _check_name(out, "column")
    if isinstance(hidden, str) or not all(h in mapping for h in hidden):
        msg = (
            f"group {name!r}: hidden must list some of its columns {list(mapping)}, got {hidden!r}"
        )
        raise InvalidParameterError(msg)
    if set(hidden) >= set(mapping):
        msg = f"group {name!r} hides every column"
        raise InvalidParameterError(msg)
    return Group(
        name,
        sampler,
        MappingProxyType(mapping),
        MappingProxyType(dict(descriptions or {})),
        frozenset(hidden),
    )


def check(name: str, expr: pl.Expr, description: str = "") -> Check:
    """Declare an invariant of a dataset."""
    return Check(name, expr, description)


def rule(name: str, column: str, expr: pl.Expr, *, holds: pl.Expr, description: str = "") -> Rule:
    """Declare a rule that rewrites ``column`` with ``expr`` so that ``holds`` is true."""
    return Rule(name, column, expr, holds, description)


@dataclass(frozen=True)
class Parameter:
    """A custom parameter a dataset understands: what it means and its valid range.

    Only integers are needed so far (parent sizes); ``check`` turns a user's value
    into one or raises an error naming the dataset, parameter and value.
    """

    description: str
    low: int = 1
    high: int | None = None

    def check(self, value: object, dataset: str, name: str) -> int:
        valid = f"an integer from {self.low:,}" + (f" to {self.high:,}" if self.high else "")
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            msg = f"dataset {dataset!r}: parameter {name!r} must be {valid}, got {value!r}"
            raise InvalidParameterError(msg)
        if value < self.low or (self.high is not None and value > self.high):
            msg = f"dataset {dataset!r}: parameter {name!r} must be {valid}, got {value:,}"
            raise InvalidParameterError(msg)
        return int(value)


@dataclass(frozen=True, eq=False)
class Dataset:
    """A named dataset: ordered plan items, rules and checks.

    A dataset is inert: nothing runs until the planner builds a chunk. Its plan is
    validated when the planner is built (unknown columns, cycles, duplicates).

    ``parameters`` declares the custom parameters the dataset understands (name →
    :class:`Parameter`); ``key`` names its primary-key column, if any; ``date_span_days`` is
    the length of the default date range, which ends at the reference date;
    ``depends_on_rows`` names the columns whose values depend on the row count (DESIGN
    §2: every other column of row ``i`` is the same whatever the number of rows).
    """

    name: str
    description: str
    items: tuple[PlanItem, ...]
    rules: tuple[Rule, ...] = ()
    checks: tuple[Check, ...] = ()
    key: str | None = None
    domain: str = "custom"
    parameters: Mapping[str, Parameter] = field(default_factory=lambda: MappingProxyType({}))
    notes: str = ""
    date_span_days: int = 365
    depends_on_rows: tuple[str, ...] = ()

    def __init__(
        self,
        name: str,
        *,
        description: str,
        columns: Sequence[PlanItem],
        rules: Sequence[Rule] = (),
        checks: Sequence[Check] = (),
        key: str | None = None,
        domain: str = "custom",
        parameters: Mapping[str, Parameter] | None = None,
        notes: str = "",
        date_span_days: int = 365,
        depends_on_rows: Sequence[str] = (),
    ) -> None:
        _check_name(name, "dataset")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "items", tuple(columns))
        object.__setattr__(self, "rules", tuple(rules))
        object.__setattr__(self, "checks", tuple(checks))
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "domain", domain)
        object.__setattr__(self, "parameters", MappingProxyType(dict(parameters or {})))
        object.__setattr__(self, "notes", notes)
        object.__setattr__(self, "date_span_days", date_span_days)
        object.__setattr__(self, "depends_on_rows", tuple(depends_on_rows))

    @property
    def column_names(self) -> tuple[str, ...]:
        """Every visible output column, in declaration order."""
        return tuple(
            out
            for item in self.items
            if not (isinstance(item, Column) and item.hidden)
            for out in (item.visible if isinstance(item, Group) else item.outputs)
        )

    def describe_column(self, name: str) -> str:
        """The description of an output column ("" when none is given)."""
        for item in self.items:
            if isinstance(item, Column) and item.name == name:
                return item.description
            if isinstance(item, Group) and name in item.columns:
                return item.descriptions.get(name, "")
        return ""

    def all_checks(self) -> tuple[Check, ...]:
        """Declared checks plus the invariant of every rule."""
        return self.checks + tuple(Check(r.name, r.holds, r.description) for r in self.rules)

    def __repr__(self) -> str:
        return f"Dataset({self.name!r}, columns={list(self.column_names)!r})"
