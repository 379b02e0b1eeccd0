"""The planner: a validated dataset plan × a chunk index → one ``pl.DataFrame``.

The plan is checked when a :class:`Planner` is built — duplicate names, unknown
columns, cycles, rules that rewrite a column others read — so a bad plan fails at
once, not at chunk 37. Chunks are then independent: chunk ``i`` depends only on the
seed, the dataset and column names, the parameters, and ``i``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from tempdata.core.faults import fault_point
from tempdata.core.plan import (
    ChunkContext,
    Column,
    Dataset,
    Group,
    Params,
    PlanItem,
    Prepared,
    SampleOutput,
)
from tempdata.core.seeding import CHUNK_SIZE, Seeder
from tempdata.core.threads import chunk_threads, ordered_map
from tempdata.errors import GenerationMemoryError, InvalidParameterError, suggest

if TYPE_CHECKING:
    from tempdata.core.lookup import ParentStore

__all__ = ["MAX_PARENT_ROWS", "Planner", "chunk_count", "chunk_rows"]

#: Largest parent a dataset reads whole (``ctx.parent``: the patients whose conditions
#: shape appointments): above it the parent would take gigabytes, and the run stops
#: with GenerationMemoryError. Lookups by position (``ctx.lookup``) have no such limit:
#: a large parent is kept on disk (:mod:`tempdata.core.lookup`).
MAX_PARENT_ROWS = 2_000_000

Catalogue = Callable[[str], Dataset]

#: A chunk that takes this long or longer (50,000 rows at under a million rows a
#: second) is worth building on threads (:mod:`tempdata.core.threads`).
THREADS_FROM_SECONDS = 0.05


def chunk_count(rows: int) -> int:
    """Number of 50,000-row chunks holding ``rows`` rows."""
    return -(-rows // CHUNK_SIZE)


def chunk_rows(rows: int, index: int) -> int:
    """Rows in chunk ``index`` of a ``rows``-row dataset."""
    return min(CHUNK_SIZE, rows - index * CHUNK_SIZE)


@dataclass(frozen=True)
class _Step:
    """One level of the plan: items whose inputs are all built by earlier levels."""

    samplers: tuple[PlanItem, ...]
    exprs: tuple[Column, ...]


class _ParentCache:
    """Whole parent datasets (products for sales), generated once per process."""

    def __init__(self, size: int = 8) -> None:
        self._size = size
        self._frames: OrderedDict[tuple[Any, ...], pl.DataFrame] = OrderedDict()
        self._building: dict[tuple[Any, ...], threading.Lock] = {}
        self._lock = threading.Lock()

    def get(
        self,
        dataset: Dataset,
        params: Params,
        seeder: Seeder,
        catalogue: Catalogue,
        columns: tuple[str, ...] | None = None,
    ) -> pl.DataFrame:
        key = (dataset.name, id(dataset), seeder.seed, params.cache_key(), columns)
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        # One thread generates a parent; the others (chunks built at once) wait for it.
        with building:
            with self._lock:
                if key in self._frames:
                    self._frames.move_to_end(key)
                    return self._frames[key]
            # A column's values do not depend on which others are generated (DESIGN
            # §2), so a child that reads a few of a parent's columns generates only those.
            planner = Planner(dataset, params, seeder, catalogue=catalogue, columns=columns)
            frame = pl.concat(list(planner.chunks()), rechunk=True)
            with self._lock:
                self._frames[key] = frame
                while len(self._frames) > self._size:
                    gone, _ = self._frames.popitem(last=False)
                    self._building.pop(gone, None)
            return frame


_parents = _ParentCache()


def _holds(pattern: str, columns: tuple[str, ...], schema: pl.Schema, rows: int) -> bool:
    """Whether written Parquet holds ``columns`` with these types and ``rows`` rows."""
    scan = pl.scan_parquet(pattern)
    found = scan.collect_schema()
    if any(found.get(c) != schema[c] for c in columns):
        return False
    return int(scan.select(pl.len()).collect().item()) == rows


@lru_cache(maxsize=8)
def _read_parent(pattern: str, columns: tuple[str, ...]) -> pl.DataFrame | None:
    """A written parent's columns (a Parquet file, or a glob of part files), in order;
    ``None`` when the file lacks one (a hidden column that was not written)."""
    try:
        return pl.read_parquet(pattern, columns=list(columns))
    except pl.exceptions.ColumnNotFoundError:
        return None


class Planner:
    """Generates a dataset chunk by chunk.

    Parameters
    ----------
    dataset
        The plan.
    params
        Resolved parameters (rows, dates, country, ...).
    seeder
        Root seed and reference date.
    columns
        Output columns to keep, in this order (default: all, in plan order).
    drop
        Output columns to leave out. Columns that others depend on are still
        generated, so every kept column has the same values either way.
    catalogue
        Looks up parent datasets by name (for foreign keys and lookups).
    parent_files
        Parent name → its written Parquet (a file or a glob of parts), which lookups
        read instead of generating the parent.
    spill
        A folder for the stores of large parents' looked-up columns (see
        :mod:`tempdata.core.lookup`), shared by the run's processes; default: a
        temporary folder of this process.
    """

    def __init__(
        self,
        dataset: Dataset,
        params: Params,
        seeder: Seeder,
        *,
        columns: Sequence[str] | None = None,
        drop: Sequence[str] | None = None,
        catalogue: Catalogue | None = None,
        parent_files: Mapping[str, str] | None = None,
        spill: str | os.PathLike[str] | None = None,
    ) -> None:
        self.dataset = dataset
        self.params = params
        self.seeder = seeder
        self._catalogue = catalogue
        self._parent_files = dict(parent_files or {})
        self._spill = None if spill is None else Path(spill)
        self._clean: dict[str, tuple[Dataset, Dataset]] = {}
        self._lookups = self._looked_up(dataset)
        # Where lookups read each parent: a frame in memory or a store on disk.
        self._sources: dict[tuple[str, int, tuple[str, ...]], pl.DataFrame | ParentStore] = {}
        # Chunks are built on several threads (:mod:`tempdata.core.threads`): one of
        # them decides a parent's source, the others wait for it.
        self._lock = threading.RLock()
        self._items = self._index_items(dataset)
        self.output = self._select(dataset, columns, drop)
        self._steps = self._levels(dataset, self._needed(self.output))
        self._prepare_ahead()
        self._schema = self._infer_schema()
        self._check_rules()
        self._dirt_targets = self._check_dirt()

    def _prepare_ahead(self) -> None:
        """Start the samplers' one-time setup (a calendar's model, say) on a
        background thread, so it overlaps the planning and the first columns; the
        chunk that needs it waits for it (the setups share their results through
        thread-safe caches). An error there is left for the chunk to raise."""
        sources = [
            item.source if isinstance(item, Column) else item.sampler
            for step in self._steps
            for item in step.samplers
        ]
        hooks = [source.prepare for source in sources if isinstance(source, Prepared)]
        if not hooks:
            return
        params, seeder = self.params, self.seeder

        def run() -> None:
            for hook in hooks:
                with contextlib.suppress(Exception):
                    hook(params, seeder)

        threading.Thread(target=run, name="tempdata-prepare", daemon=True).start()

    # -- validation --------------------------------------------------------------

    @staticmethod
    def _index_items(dataset: Dataset) -> dict[str, PlanItem]:
        by_output: dict[str, PlanItem] = {}
        for item in dataset.items:
            for out in item.outputs:
                if out in by_output:
                    msg = f"dataset {dataset.name!r}: duplicate column name {out!r}"
                    raise InvalidParameterError(msg)
                by_output[out] = item
        for item in dataset.items:
            for name in item.inputs():
                if name not in by_output:
                    owner = item.outputs[0] if isinstance(item, Column) else item.name
                    msg = (
                        f"dataset {dataset.name!r}: column {owner!r} uses unknown column "
                        f"{name!r}{suggest(name, by_output)}"
                    )
                    raise InvalidParameterError(msg)
        return by_output

    def _select(
        self, dataset: Dataset, columns: Sequence[str] | None, drop: Sequence[str] | None
    ) -> tuple[str, ...]:
        names = dataset.column_names
        for label, given in (("columns", columns), ("drop", drop)):
            if given is not None and (
                isinstance(given, str)
                or not isinstance(given, (list, tuple))
                or not all(isinstance(c, str) for c in given)
            ):
                msg = f"{label} must be a list of column names, got {given!r}"
                raise InvalidParameterError(msg)
            for name in given or ():
                if name not in self._items:
                    msg = (
                        f"dataset {dataset.name!r} has no column {name!r} (in {label})"
                        f"{suggest(name, names)}"
                    )
                    raise InvalidParameterError(msg)
        selected = tuple(dict.fromkeys(columns)) if columns else names
        dropped = set(drop or ())
        output = tuple(c for c in selected if c not in dropped)
        if not output:
            msg = f"dataset {dataset.name!r}: no column left to generate after columns/drop"
            raise InvalidParameterError(msg)
        return output

    def _needed(self, outputs: Iterable[str]) -> set[int]:
        """Ids of plan items needed for ``outputs``, their inputs, and the rules."""
        wanted = list(outputs)
        for r in self.dataset.rules:
            if r.column in self.output:
                wanted.extend(r.inputs())
        seen: set[int] = set()
        while wanted:
            item = self._items[wanted.pop()]
            if id(item) in seen:
                continue
            seen.add(id(item))
            wanted.extend(item.inputs())
        return seen

    def _levels(self, dataset: Dataset, needed: set[int]) -> tuple[_Step, ...]:
        remaining = [item for item in dataset.items if id(item) in needed]
        built: set[str] = set()
        steps: list[_Step] = []
        while remaining:
            ready = [item for item in remaining if set(item.inputs()) <= built]
            if not ready:
                names = sorted(out for item in remaining for out in item.outputs)
                msg = f"dataset {dataset.name!r}: columns depend on each other in a cycle: {names}"
                raise InvalidParameterError(msg)
            samplers = tuple(
                i for i in ready if not (isinstance(i, Column) and isinstance(i.source, pl.Expr))
            )
            exprs = tuple(
                i for i in ready if isinstance(i, Column) and isinstance(i.source, pl.Expr)
            )
            steps.append(_Step(samplers, exprs))
            for item in ready:
                built.update(item.outputs)
            remaining = [item for item in remaining if item not in ready]
        return tuple(steps)

    def _infer_schema(self) -> dict[str, pl.DataType]:
        schema: dict[str, pl.DataType] = {}
        for step in self._steps:
            for item in step.samplers:
                if isinstance(item, Group):
                    fields = item.sampler.schema(self.params)
                    for out, fld in item.columns.items():
                        if fld not in fields:
                            msg = (
                                f"dataset {self.dataset.name!r}: group {item.name!r} has no "
                                f"field {fld!r}{suggest(fld, fields)}"
                            )
                            raise InvalidParameterError(msg)
                        schema[out] = fields[fld]
                else:
                    assert isinstance(item, Column)
                    assert not isinstance(item.source, pl.Expr)
                    schema[item.name] = item.source.dtype(self.params)
            if step.exprs:
                exprs = [
                    c.source.alias(c.name) for c in step.exprs if isinstance(c.source, pl.Expr)
                ]
                try:
                    # Evaluating on zero rows type-checks the expressions too.
                    inferred = pl.DataFrame(schema=schema).select(exprs).schema
                except pl.exceptions.PolarsError as exc:
                    names = [c.name for c in step.exprs]
                    first = str(exc).strip().splitlines()[0]
                    msg = f"dataset {self.dataset.name!r}: invalid expression in {names}: {first}"
                    raise InvalidParameterError(msg) from exc
                schema.update(inferred)
        return schema

    def _check_rules(self) -> None:
        read: set[str] = set()
        for item in self.dataset.items:
            read.update(item.inputs())
        for r in self.dataset.rules:
            if r.column not in self._items:
                msg = (
                    f"dataset {self.dataset.name!r}: rule {r.name!r} targets unknown column "
                    f"{r.column!r}{suggest(r.column, self._items)}"
                )
                raise InvalidParameterError(msg)
            if r.column in read:
                msg = (
                    f"dataset {self.dataset.name!r}: rule {r.name!r} rewrites {r.column!r}, "
                    "which other columns read; derive it as a column instead"
                )
                raise InvalidParameterError(msg)

    # -- public ------------------------------------------------------------------

    @property
    def rows(self) -> int:
        return self.params.rows

    @property
    def n_chunks(self) -> int:
        return chunk_count(self.params.rows)

    @property
    def schema(self) -> pl.Schema:
        """Output schema (names and dtypes, in output order)."""
        schema = {name: self._schema[name] for name in self.output}
        if self.dataset.dirty is not None:
            schema = self.dataset.dirty.schema(schema, self._dirt_targets)
        return pl.Schema(schema)

    def _references(self) -> dict[str, Any]:
        """Output columns drawn as foreign keys, with their samplers."""
        from tempdata.samplers.ids import foreign_keys_of, lookups_of

        out = {}
        for name in self.output:
            item = self._items[name]
            if isinstance(item, Column) and not isinstance(item.source, pl.Expr):
                keys = foreign_keys_of(item.source)
                if keys and not lookups_of(item.source):
                    out[name] = keys[0]
        return out

    def _check_dirt(self) -> dict[str, tuple[str, ...]]:
        dirt = self.dataset.dirty
        if dirt is None:
            return {}
        visible = {name: self._schema[name] for name in self.output}
        keys = (self.dataset.key,) if self.dataset.key else ()
        targets = dirt.targets(visible, keys, tuple(self._references()))
        if dirt.rates.get("duplicates") and not keys:
            msg = f"dataset {self.dataset.name!r}: duplicates need a key column to be found by"
            raise InvalidParameterError(msg)
        return targets

    def _damage(self, frame: pl.DataFrame, index: int) -> pl.DataFrame:
        from tempdata.quality.dirty import damage

        dirt = self.dataset.dirty
        assert dirt is not None
        orphan = {}
        for name, fk in self._references().items():
            size = fk.parent_rows(self.params)

            def beyond(u: Any, fk: Any = fk, size: int = size) -> pl.Series:
                series: pl.Series = fk.key.format(size + (u[:, 2] * size).astype(np.int64))
                return series

            orphan[name] = beyond

        def streams(kind: str) -> np.random.Generator:
            return self.seeder.stream(self.dataset.name, f"#dirty.{kind}", index)

        return damage(frame, dirt, self._dirt_targets, streams, orphan)

    def chunks(self, chunks: range | Iterable[int] | None = None) -> Iterator[pl.DataFrame]:
        """Yield the frames of ``chunks`` (default: every chunk, in order)."""
        todo = iter(range(self.n_chunks) if chunks is None else chunks)
        threads = chunk_threads()
        if threads > 1:
            # Chunks are independent: built on a few threads, handed on in order. That
            # pays where a chunk's own work is long; a quick one (sales) is better
            # built alone, while the writer's thread and Polars' pool use the cores.
            # The second chunk's time decides (the first pays for loading tables), and
            # the third's too when the second looks long: a busy machine can slow one.
            took: list[float] = []

            def timed(index: int) -> pl.DataFrame:
                start = time.perf_counter()
                frame = self.chunk(index)
                took.append(time.perf_counter() - start)
                return frame

            for i in range(3):
                index = next(todo, None)
                if index is None:
                    return
                # Yielded straight from the call: a local here would keep the chunk
                # alive after the consumer is done with it.
                yield timed(index)
                if i == 1 and took[1] < THREADS_FROM_SECONDS:
                    break
            if min(took[1:]) < THREADS_FROM_SECONDS:
                threads = 1
        yield from ordered_map(self.chunk, todo, threads)

    def chunk(self, index: int) -> pl.DataFrame:
        """Build chunk ``index``: rows ``index * 50_000`` up to the next chunk's first."""
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
            msg = f"chunk index must be an integer, got {index!r}"
            raise InvalidParameterError(msg)
        if not 0 <= index < self.n_chunks:
            last = self.n_chunks - 1
            msg = f"chunk {index} is out of range: {self.rows} rows make chunks 0..{last}"
            raise InvalidParameterError(msg)
        index = int(index)
        n = chunk_rows(self.rows, index)
        built: dict[str, pl.Series] = {}
        for step in self._steps:
            for item in step.samplers:
                self._run_sampler(item, index, n, built)
            if step.exprs:
                frame = pl.DataFrame(built) if built else pl.DataFrame({"__n": np.zeros(n)})
                out = frame.select(
                    [c.source.alias(c.name) for c in step.exprs if isinstance(c.source, pl.Expr)]
                )
                for c in step.exprs:
                    built[c.name] = self._with_nulls(c, out.get_column(c.name), index)
        frame = pl.DataFrame(built)
        rules = [r for r in self.dataset.rules if r.column in built]
        if rules:
            for r in rules:
                frame = frame.with_columns(r.expr.cast(self._schema[r.column]).alias(r.column))
        for column, rate in self.dataset.output_nulls.items():
            if column in self.output and rate:
                rng = self.seeder.stream(self.dataset.name, column + "#nulls", index)
                hit = np.flatnonzero(rng.random(n) < rate)
                if len(hit):
                    frame = frame.with_columns(frame.get_column(column).scatter(hit, None))
        frame = frame.select(self.output)
        if self.dataset.dirty is not None:
            frame = self._damage(frame, index)
        fault_point("chunk")
        return frame

    # -- internals ---------------------------------------------------------------

    def _context(
        self,
        index: int,
        n: int,
        given: Sequence[str],
        built: dict[str, pl.Series],
        column: str = "",
    ) -> ChunkContext:
        frame = pl.DataFrame({g: built[g] for g in given}) if given else pl.DataFrame()
        return ChunkContext(
            dataset=self.dataset.name,
            chunk=index,
            offset=index * CHUNK_SIZE,
            n=n,
            params=self.params,
            seeder=self.seeder,
            frame=frame,
            parent=self._parent,
            column=column,
            parent_rows=self._parent_rows,
        )

    def _run_sampler(self, item: PlanItem, index: int, n: int, built: dict[str, pl.Series]) -> None:
        rng = self.seeder.stream(self.dataset.name, item.stream, index)
        ctx = self._context(index, n, item.inputs(), built, item.stream)
        if isinstance(item, Group):
            fields = list(dict.fromkeys(item.columns.values()))
            values = item.sampler.sample(rng, ctx, fields)
            for out, fld in item.columns.items():
                built[out] = self._to_series(out, values[fld], n)
        else:
            assert isinstance(item, Column)
            assert not isinstance(item.source, pl.Expr)
            series = self._to_series(item.name, item.source.sample(rng, ctx), n)
            built[item.name] = self._with_nulls(item, series, index)

    def _to_series(self, name: str, values: SampleOutput, n: int) -> pl.Series:
        series = values.alias(name) if isinstance(values, pl.Series) else pl.Series(name, values)
        if len(series) != n:  # a sampler bug, not user input
            msg = f"sampler for {self.dataset.name}.{name} returned {len(series)} values, not {n}"
            raise AssertionError(msg)
        dtype = self._schema[name]
        if series.dtype != dtype:
            series = series.cast(dtype)
        return series

    def _with_nulls(self, item: Column, series: pl.Series, index: int) -> pl.Series:
        if not item.nulls:
            return series
        rng = self.seeder.stream(self.dataset.name, item.name + "#nulls", index)
        hit = np.flatnonzero(rng.random(len(series)) < item.nulls)
        return series.scatter(hit, None) if len(hit) else series

    def _parent(self, name: str, rows: int, columns: Sequence[str] | None = None) -> pl.DataFrame:
        if name in self._parent_files and columns:
            # A batch wrote the parent already: join on its output (damage included),
            # when the file holds the columns with the types generation gives them.
            frame = _read_parent(self._parent_files[name], tuple(sorted(set(columns))))
            if frame is not None and frame.height == rows:
                dataset, params = self._parent_params(name, rows)
                wanted = Planner(dataset, params, self.seeder, columns=sorted(set(columns)))
                if dict(frame.schema) == dict(wanted.schema):
                    return frame
        return self._generate_parent(name, rows, columns)

    def _parent_rows(
        self, name: str, rows: int, columns: Sequence[str], index: pl.Series
    ) -> pl.DataFrame:
        """The parent's ``columns`` at positions ``index``: from memory for a small
        parent, else from a store on disk (:mod:`tempdata.core.lookup`)."""
        from tempdata.core import lookup

        # One store per parent holds every column this dataset looks up in it.
        wanted = tuple(sorted(set(columns) | set(self._lookups.get(name, ()))))
        key = (name, rows, wanted)
        source = self._sources.get(key)
        if source is None:  # decided once per planner, not per chunk
            with self._lock:
                source = self._sources.get(key)
                if source is None:
                    in_memory = rows <= lookup.LOOKUP_IN_MEMORY_ROWS
                    source = self._parent(name, rows, wanted) if in_memory else self._store(*key)
                    self._sources[key] = source
        if isinstance(source, pl.DataFrame):
            return lookup.gather(source.select(columns), index)
        return source.gather(index, columns)

    @staticmethod
    def _looked_up(dataset: Dataset) -> dict[str, tuple[str, ...]]:
        """Parent name → the columns the dataset's lookup columns copy from it."""
        from tempdata.samplers.ids import lookups_of

        found: dict[str, set[str]] = {}
        for item in dataset.items:
            if isinstance(item, Column) and not isinstance(item.source, pl.Expr):
                for look in lookups_of(item.source):
                    found.setdefault(look.key.parent, set()).add(look.column)
        return {name: tuple(sorted(cols)) for name, cols in found.items()}

    def _store(self, name: str, rows: int, columns: tuple[str, ...]) -> ParentStore:
        """The parent's ``columns`` on disk, streamed from its written Parquet output
        (damage included) when that holds them as generated, else generated."""
        from tempdata.core.lookup import shared_store, stores

        dataset, params = self._parent_params(name, rows)
        planner = Planner(dataset, params, self.seeder, catalogue=self._catalogue, columns=columns)
        schema = planner.schema
        pattern = self._parent_files.get(name)
        if pattern is not None and _holds(pattern, columns, schema, rows):
            stamp = tuple(
                (f, os.stat(f).st_mtime_ns, os.stat(f).st_size) for f in sorted(glob.glob(pattern))
            )
            scan = pl.scan_parquet(pattern).select(columns)
            key: tuple[Any, ...] = ("file", stamp, columns)
            owner: object = None

            def frames() -> Iterator[pl.DataFrame]:
                for start in range(0, rows, CHUNK_SIZE):
                    yield scan.slice(start, CHUNK_SIZE).collect()

        else:
            seeder = self.seeder
            key = ("generated", seeder.seed, seeder.reference_date, params.cache_key(), columns)
            owner, frames = dataset, planner.chunks
        if self._spill is not None:
            # In the run's folder, named by what it holds: the run's other processes
            # (workers, Dask tasks) find it there. The folder belongs to one run, so a
            # parent's name stands for one dataset.
            digest = hashlib.sha256(repr(key).encode()).hexdigest()[:24]
            path = self._spill / f"{name}-{key[0]}-{digest}.arrow"
            return shared_store(path, schema, frames)
        return stores.get((name, *key, id(owner)), owner, schema, frames)

    def _generate_parent(
        self, name: str, rows: int, columns: Sequence[str] | None = None
    ) -> pl.DataFrame:
        dataset, params = self._parent_params(name, rows)
        assert self._catalogue is not None
        if rows > MAX_PARENT_ROWS:
            msg = (
                f"dataset {self.dataset.name!r} looks up values in {rows:,} rows of {name!r}, "
                f"which are generated whole; use at most {MAX_PARENT_ROWS:,}"
            )
            raise GenerationMemoryError(msg)
        wanted = None if columns is None else tuple(sorted(set(columns)))
        return _parents.get(dataset, params, self.seeder, self._catalogue, wanted)

    def _parent_params(self, name: str, rows: int) -> tuple[Dataset, Params]:
        if self._catalogue is None:
            msg = f"dataset {self.dataset.name!r} needs parent {name!r} but no catalogue was given"
            raise InvalidParameterError(msg)
        dataset = self._catalogue(name)
        if dataset.dirty is not None:  # its values as generated, before any damage
            # One clean copy per catalogue entry, so the caches keyed by it hit.
            with self._lock:
                seen = self._clean.get(name)
                if seen is None or seen[0] is not dataset:
                    seen = self._clean[name] = (dataset, dataset.with_dirt(None))
            dataset = seen[1]
        # The parent as generated alone: its own default date range, this run's seed,
        # reference date, country and locale.
        ref = self.params.reference_date
        params = Params(
            rows=rows,
            reference_date=ref,
            date_start=dt.datetime.combine(
                ref - dt.timedelta(days=dataset.date_span_days - 1), dt.time()
            ),
            date_end=dt.datetime.combine(ref, dt.time(23, 59, 59, 999_999)),
            country=self.params.country,
            locale=self.params.locale,
        )
        return dataset, params
