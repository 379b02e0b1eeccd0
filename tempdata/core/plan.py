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
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeAlias, runtime_checkable

import numpy as np
import polars as pl

from tempdata.errors import InvalidParameterError, suggest

if TYPE_CHECKING:
    from tempdata.core.seeding import Seeder
    from tempdata.core.timeseries import TimeSeriesConfig
    from tempdata.quality.dirty import Dirt

__all__ = [
    "Calendar",
    "Check",
    "ChunkContext",
    "Column",
    "Dataset",
    "Grid",
    "Group",
    "GroupSampler",
    "Parameter",
    "Params",
    "PlanItem",
    "Prepared",
    "Rule",
    "SampleOutput",
    "Sampler",
    "SeriesRows",
    "TimeSeries",
    "Universe",
    "UniverseHook",
    "check",
    "col",
    "group",
    "rule",
    "time_series",
]

SampleOutput: TypeAlias = "np.ndarray[Any, Any] | pl.Series"
Steps: TypeAlias = "np.ndarray[Any, np.dtype[np.int64]]"
#: ``calendar(start, end, interval_seconds)``: the ascending grid steps (DESIGN §2,
#: :mod:`tempdata.core.timeseries`) whose instants lie in ``[start, end]``, both naive UTC.
Calendar: TypeAlias = Callable[[dt.datetime, dt.datetime, int], Steps]

_EPOCH_US = np.datetime64("1900-01-01T00:00:00.000000", "us")


@dataclass(frozen=True, eq=False)
class Grid:
    """The resolved rows of a time-series dataset: entities × grid steps, time-major.

    Grid row ``g = p * n_entities + e`` is entity ``e`` at ``steps[p]``; output row ``i``
    is grid row ``i + skip`` (``skip`` leading rows are left out when ``rows`` is not a
    multiple of the entity count, so the first timestamp holds only the last entities).
    """

    interval: str
    seconds: int
    steps: Steps
    entity_ids: Steps
    labels: tuple[str, ...] = ()
    skip: int = 0

    @property
    def n_entities(self) -> int:
        return len(self.entity_ids)

    @property
    def rows(self) -> int:
        return self.n_entities * len(self.steps) - self.skip

    def times(self, steps: object) -> np.ndarray[Any, Any]:
        """Instants of grid steps, as ``datetime64[us]`` (UTC)."""
        k = np.asarray(steps, dtype=np.int64)
        return _EPOCH_US + (k * (self.seconds * 1_000_000)).astype("timedelta64[us]")

    def locate(self, rows: Steps) -> tuple[Steps, Steps]:
        """(entity position, grid step) of output rows."""
        pos, entity = np.divmod(np.asarray(rows, dtype=np.int64) + self.skip, self.n_entities)
        return entity, self.steps[pos]

    def cache_key(self) -> tuple[Any, ...]:
        first = int(self.steps[0]) if len(self.steps) else -1
        last = int(self.steps[-1]) if len(self.steps) else -1
        return (self.interval, first, last, len(self.steps), self.entity_ids.tobytes(), self.skip)


class SeriesRows(NamedTuple):
    """Where a chunk's rows sit on a time-series grid, one value per row."""

    #: Position of the row's entity in the layout (indexes per-entity parameters).
    entity: Steps
    #: Stable id of the row's entity (keys its random streams).
    entity_id: Steps
    #: The row's grid step: ``timestamp = EPOCH + step * interval``.
    step: Steps
    #: The row's instant, ``datetime64[us]`` (UTC).
    timestamp: np.ndarray[Any, Any]


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
    #: The time-series grid, for datasets with a time-series layout (else ``None``).
    grid: Grid | None = None
    #: The user's :class:`~tempdata.core.timeseries.TimeSeriesConfig` (``None``: the
    #: dataset's defaults, which a default config gives too).
    series: TimeSeriesConfig | None = None

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
            None if self.grid is None else self.grid.cache_key(),
            self.series,
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
        ``parent(dataset, rows, columns=None)`` returns the whole parent dataset
        generated under the same seed, cached per process; ``columns`` generates only
        those (their values are the same either way).
    parent_rows
        ``parent_rows(dataset, rows, columns, index)``: the parent's ``columns`` at row
        positions ``index``, without holding a large parent in memory (see
        :meth:`lookup`); ``None`` gathers from :attr:`parent`.
    index
        Global row indices when the context covers a subset of the chunk's rows
        (the cases of a ``switch``); ``None`` for the whole chunk.
    column
        The stream name of the item being filled: the column's name, or the group's.
        Time-series samplers key their streams by it
        (:func:`tempdata.core.timeseries.time_streams`).

    On a time-series dataset, :attr:`entity`, :attr:`entity_id`, :attr:`step`,
    :attr:`timestamp` and :attr:`interval` say where each row sits on the grid.
    """

    dataset: str
    chunk: int
    offset: int
    n: int
    params: Params
    seeder: Seeder
    frame: pl.DataFrame
    parent: Callable[..., pl.DataFrame]
    index: np.ndarray[Any, np.dtype[np.int64]] | None = None
    column: str = ""
    parent_rows: Callable[..., pl.DataFrame] | None = None

    def lookup(
        self, dataset: str, rows: int, columns: Sequence[str], index: pl.Series
    ) -> pl.DataFrame:
        """Columns of parent rows by position: ``index`` (Int64) holds a row number of
        the ``rows``-row parent for each row here; a null position gives nulls."""
        if self.parent_rows is not None:
            return self.parent_rows(dataset, rows, columns, index)
        whole = self.parent(dataset, rows, columns=list(columns))
        return whole.select(pl.col(*columns).gather(index))

    def row_index(self) -> np.ndarray[Any, np.dtype[np.int64]]:
        """Global row indices of the rows being filled (a subset, inside a switch)."""
        if self.index is not None:
            return self.index
        return np.arange(self.offset, self.offset + self.n, dtype=np.int64)

    @property
    def grid(self) -> Grid:
        """The time-series grid; an error naming the column on other datasets."""
        if self.params.grid is None:
            what = f"column {self.column!r}" if self.column else "a time-series sampler"
            msg = (
                f"dataset {self.dataset!r}: {what} needs a time-series dataset "
                "(Dataset(..., time_series=time_series(...)))"
            )
            raise InvalidParameterError(msg)
        return self.params.grid

    @cached_property
    def series(self) -> SeriesRows:
        """Entity, entity id, step and timestamp of every row being filled."""
        grid = self.grid
        entity, step = grid.locate(self.row_index())
        return SeriesRows(entity, grid.entity_ids[entity], step, grid.times(step))

    @property
    def entity(self) -> Steps:
        """Position of each row's entity in the layout."""
        return self.series.entity

    @property
    def entity_id(self) -> Steps:
        """Stable id of each row's entity (what time streams are keyed by)."""
        return self.series.entity_id

    @property
    def step(self) -> Steps:
        """Grid step of each row."""
        return self.series.step

    @property
    def timestamp(self) -> np.ndarray[Any, Any]:
        """Instant of each row (``datetime64[us]``, UTC)."""
        return self.series.timestamp

    @property
    def interval(self) -> int:
        """Length of a grid step, in seconds."""
        return self.grid.seconds


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


@runtime_checkable
class Prepared(Protocol):
    """A sampler with a one-time setup for a run's parameters (a calendar's model):
    the planner starts it on a background thread when it plans the run, and the
    sampler's first chunk waits for it. ``prepare`` must be safe to call from another
    thread and to call again (it fills a thread-safe cache)."""

    def prepare(self, params: Params, seeder: Any) -> None: ...


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

    Integer parameters (parent sizes, entity counts) check their range; ``text=True``
    declares a text parameter (an exchange, an index name) whose value the dataset
    checks itself (its :class:`Universe` hook, say). ``check`` turns a user's value
    into one or raises an error naming the dataset, parameter and value.
    """

    description: str
    low: int = 1
    high: int | None = None
    #: The value when the user gives none (``None``: the dataset decides).
    default: int | str | None = None
    #: A text parameter instead of an integer.
    text: bool = False

    def check(self, value: object, dataset: str, name: str) -> int | str:
        if self.text:
            if not isinstance(value, str) or not value.strip():
                msg = (
                    f"dataset {dataset!r}: parameter {name!r} must be a non-empty text, "
                    f"got {value!r}"
                )
                raise InvalidParameterError(msg)
            return value.strip()
        valid = f"an integer from {self.low:,}" + (f" to {self.high:,}" if self.high else "")
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            msg = f"dataset {dataset!r}: parameter {name!r} must be {valid}, got {value!r}"
            raise InvalidParameterError(msg)
        if value < self.low or (self.high is not None and value > self.high):
            msg = f"dataset {dataset!r}: parameter {name!r} must be {valid}, got {value:,}"
            raise InvalidParameterError(msg)
        return int(value)


class Universe(NamedTuple):
    """The entities (and calendar) a time-series layout resolves to for given custom
    parameters: what a :func:`time_series` ``universe`` hook returns."""

    labels: tuple[str, ...]
    calendar: Calendar | None = None


#: ``universe(custom)``: the :class:`Universe` picked by a dataset's (checked) custom
#: parameters; it raises :class:`InvalidParameterError` for values it cannot serve.
UniverseHook: TypeAlias = Callable[[Mapping[str, Any]], Universe]


_ALL_INTERVALS = ("1min", "5min", "15min", "30min", "1hour", "1day", "1week")


@dataclass(frozen=True, eq=False)
class TimeSeries:
    """A dataset's time-series layout; build it with :func:`time_series`.

    Rows are entity × timestamp, time-major: sorted by time, then entity.
    """

    entities: tuple[str, ...] | str
    interval: str
    intervals: tuple[str, ...]
    calendar: Calendar | None = None
    unit: str = "entity"
    universe: UniverseHook | None = None

    def resolve(
        self, dataset: str, parameters: Mapping[str, Parameter], custom: Mapping[str, Any]
    ) -> tuple[tuple[str, ...], int, Calendar | None]:
        """The entity labels (empty when counted), their number and the calendar."""
        if self.universe is not None:
            found = self.universe(custom)
            if not isinstance(found, Universe) or not found.labels:
                msg = f"dataset {dataset!r}: its universe hook returned no entities ({found!r})"
                raise InvalidParameterError(msg)
            calendar = self.calendar if found.calendar is None else found.calendar
            return tuple(found.labels), len(found.labels), calendar
        if isinstance(self.entities, tuple):
            return self.entities, len(self.entities), self.calendar
        count = custom.get(self.entities, parameters[self.entities].default)
        if count is None:
            msg = f"dataset {dataset!r} needs custom_params[{self.entities!r}] (its entity count)"
            raise InvalidParameterError(msg)
        return (), int(count), self.calendar

    def entity_ids(self, labels: Sequence[str] | int) -> Steps:
        """Stable stream ids: 63 bits of the label's hash, or the position when counted."""
        from tempdata.core.seeding import name_hash

        if isinstance(labels, int):
            return np.arange(labels, dtype=np.int64)
        return np.array([name_hash(label) >> 1 for label in labels], dtype=np.int64)

    def __repr__(self) -> str:
        extra = "" if self.calendar is None else f", calendar={self.calendar!r}"
        extra += "" if self.universe is None else f", universe={self.universe!r}"
        return (
            f"time_series(entities={self.entities!r}, interval={self.interval!r}, "
            f"intervals={list(self.intervals)!r}, unit={self.unit!r}{extra})"
        )


def time_series(
    *,
    entities: Sequence[str] | str,
    interval: str = "1day",
    intervals: Sequence[str] = _ALL_INTERVALS,
    calendar: Calendar | None = None,
    unit: str = "entity",
    universe: UniverseHook | None = None,
) -> TimeSeries:
    """Declare a time-series layout: rows are every entity at every grid step.

    Parameters
    ----------
    entities
        A fixed list of entity labels (ticker symbols), or the name of an integer
        :class:`Parameter` of the dataset giving their count (``"sensors"``).
    interval
        The default grid step (``INTERVALS`` names).
    intervals
        The steps the dataset accepts.
    calendar
        ``calendar(start, end, interval_seconds)`` → the grid steps in ``[start, end]``
        (market days, say); ``None`` for every step (24/7 data).
    unit
        What an entity is called in messages (``"symbol"``).
    universe
        ``universe(custom)`` → :class:`Universe`: entities (and a calendar) chosen by
        the dataset's custom parameters (an index's tickers and their exchange's
        trading days, say). It takes precedence over ``entities``, which then names
        a parameter shown by ``describe`` (the entity count).

    >>> time_series(entities=["BTC", "ETH"], interval="1hour", intervals=["1hour", "1day"])
    time_series(entities=('BTC', 'ETH'), interval='1hour', intervals=['1hour', '1day'],
                unit='entity')
    """
    from tempdata.config import INTERVALS

    if isinstance(entities, str):
        _check_name(entities, "entity count parameter")
        ents: tuple[str, ...] | str = entities
    else:
        ents = tuple(entities)
        if not ents or not all(isinstance(e, str) and e for e in ents):
            msg = (
                f"entities must be a non-empty list of labels or a parameter name, got {entities!r}"
            )
            raise InvalidParameterError(msg)
        if len(set(ents)) != len(ents):
            msg = f"entity labels must be distinct, got {list(ents)!r}"
            raise InvalidParameterError(msg)
    allowed = tuple(intervals)
    for name in (*allowed, interval):
        if name not in INTERVALS:
            msg = f"unknown interval {name!r} — valid: {', '.join(INTERVALS)}"
            raise InvalidParameterError(msg)
    if interval not in allowed:
        msg = f"default interval {interval!r} is not among the allowed ones {list(allowed)}"
        raise InvalidParameterError(msg)
    if calendar is not None and not callable(calendar):
        msg = f"calendar must be callable(start, end, interval_seconds), got {calendar!r}"
        raise InvalidParameterError(msg)
    if universe is not None and not callable(universe):
        msg = f"universe must be callable(custom_params) -> Universe, got {universe!r}"
        raise InvalidParameterError(msg)
    return TimeSeries(ents, interval, allowed, calendar, unit, universe)


@dataclass(frozen=True, eq=False)
class Dataset:
    """A named dataset: ordered plan items, rules and checks.

    A dataset is inert: nothing runs until the planner builds a chunk. Its plan is
    validated when the planner is built (unknown columns, cycles, duplicates).

    ``parameters`` declares the custom parameters the dataset understands (name →
    :class:`Parameter`); ``key`` names its primary-key column, if any; ``date_span_days`` is
    the length of the default date range, which ends at the reference date;
    ``depends_on_rows`` names the columns whose values depend on the row count (DESIGN
    §2: every other column of row ``i`` is the same whatever the number of rows);
    ``time_series`` declares a time-series layout (:func:`time_series`): rows are then
    entity × grid step and the dataset takes ``interval`` (:mod:`tempdata.config`
    documents how rows, date_range and interval relate); ``nullable`` names the columns
    that are null by design (a CEO's manager, a stage not reached yet); every other
    column is never null unless its ``nulls`` rate says so. ``parents`` maps each parent
    dataset that a sampler reads whole (through ``ctx.parent``) to the parameter that
    sets its rows, so a batch plan can size it to the parent's table; foreign keys
    (:func:`~tempdata.samplers.foreign_key`) declare their parent themselves.
    ``output_nulls`` (column → share) blanks cells of the finished output: unlike a
    column's own ``nulls``, which the columns computed from it see, these are missing
    values only in what is written (a plan's ``nulls = 0.01``). ``dirty`` (a
    :class:`~tempdata.quality.dirty.Dirt`) damages the output on purpose, labelled.
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
    time_series: TimeSeries | None = None
    nullable: tuple[str, ...] = ()
    parents: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    output_nulls: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    dirty: Dirt | None = None

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
        time_series: TimeSeries | None = None,
        nullable: Sequence[str] = (),
        parents: Mapping[str, str] | None = None,
        output_nulls: Mapping[str, float] | None = None,
        dirty: Dirt | None = None,
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
        if time_series is not None:
            if not isinstance(time_series, TimeSeries):
                msg = (
                    f"dataset {name!r}: time_series must come from time_series(...), "
                    f"got {time_series!r}"
                )
                raise InvalidParameterError(msg)
            if (
                isinstance(time_series.entities, str)
                and time_series.entities not in self.parameters
            ):
                msg = (
                    f"dataset {name!r}: the entity count parameter {time_series.entities!r} "
                    "is not among its parameters"
                )
                raise InvalidParameterError(msg)
        object.__setattr__(self, "time_series", time_series)
        if isinstance(nullable, str):
            msg = f"dataset {name!r}: nullable must be a list of column names, got {nullable!r}"
            raise InvalidParameterError(msg)
        unknown = [c for c in nullable if c not in self.column_names]
        if unknown:
            msg = (
                f"dataset {name!r}: nullable names unknown columns {unknown}"
                f"{suggest(unknown[0], self.column_names)}"
            )
            raise InvalidParameterError(msg)
        object.__setattr__(self, "nullable", tuple(nullable))
        for parent, parameter in (parents or {}).items():
            if parameter not in self.parameters:
                msg = (
                    f"dataset {name!r}: parent {parent!r} is sized by {parameter!r}, "
                    "which is not among its parameters"
                )
                raise InvalidParameterError(msg)
        object.__setattr__(self, "parents", MappingProxyType(dict(parents or {})))
        for column, rate in (output_nulls or {}).items():
            if column not in self.column_names:
                msg = f"dataset {name!r}: output_nulls names unknown column {column!r}"
                raise InvalidParameterError(msg)
            if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate < 1:
                msg = f"dataset {name!r}: output_nulls[{column!r}] must be in [0, 1), got {rate!r}"
                raise InvalidParameterError(msg)
        object.__setattr__(self, "output_nulls", MappingProxyType(dict(output_nulls or {})))
        if dirty is not None:
            from tempdata.quality.dirty import Dirt

            if not isinstance(dirty, Dirt):
                msg = f"dataset {name!r}: dirty must be a tempdata.quality.dirty.Dirt"
                raise InvalidParameterError(msg)
        object.__setattr__(self, "dirty", dirty)

    @property
    def column_names(self) -> tuple[str, ...]:
        """Every visible output column, in declaration order."""
        return tuple(
            out
            for item in self.items
            if not (isinstance(item, Column) and item.hidden)
            for out in (item.visible if isinstance(item, Group) else item.outputs)
        )

    def replace(self, **changes: Any) -> Dataset:
        """A copy with some of the constructor's arguments changed (checked again)."""
        args: dict[str, Any] = {
            "name": self.name,
            "description": self.description,
            "columns": self.items,
            "rules": self.rules,
            "checks": self.checks,
            "key": self.key,
            "domain": self.domain,
            "parameters": self.parameters,
            "notes": self.notes,
            "date_span_days": self.date_span_days,
            "depends_on_rows": self.depends_on_rows,
            "time_series": self.time_series,
            "nullable": self.nullable,
            "parents": self.parents,
            "output_nulls": self.output_nulls,
            "dirty": self.dirty,
        }
        unknown = set(changes) - set(args)
        if unknown:
            msg = f"Dataset.replace: unknown arguments {sorted(unknown)}"
            raise InvalidParameterError(msg)
        name = args.pop("name")
        args.update(changes)
        return Dataset(args.pop("name", name), **args)

    def renamed(self, name: str) -> Dataset:
        """This dataset under another name; its rows then come from that name's streams
        (DESIGN §2), so a second instance does not repeat the first one's rows."""
        return self.replace(name=name)

    def with_dirt(self, dirty: Dirt | None) -> Dataset:
        """This dataset with damage applied to its output (:mod:`tempdata.quality.dirty`)."""
        return self.replace(dirty=dirty)

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
