"""Parent columns kept on disk for lookups, gathered by row position.

A lookup copies a parent row's attributes to each child row (a sale's unit price from
its product, an order's shipping city from its customer). The child knows the parent
row by position (its foreign key's index), so a lookup is a gather. A small parent is
gathered from memory; a large one is written once, chunk by chunk, to an uncompressed
Arrow IPC file and memory-mapped: a gather then reads only the pages holding the rows
it needs, the process's own (anonymous) memory stays the size of a chunk whatever the
parent's size, and the mapped pages are page cache the kernel reclaims under pressure.

A run that writes files keeps its stores in a hidden folder beside the output
(``.td-<pid>-<host>-<hex>.tmp``, removed when the run ends, and by a later run if
this one is killed: :mod:`tempdata.core.tempfiles`): on the disk the user chose for the
data rather than in ``/tmp``, which is often memory, and shared by the run's worker
processes, which take turns under a file lock so that one writes each store and the
others map it (:func:`shared_store`). Without an output folder (``generate()``) a
process keeps its own in a temporary folder, removed at exit (or reclaimed).

Arrow's take has no kernel for the string views Polars uses, and an IPC file cannot
change a dictionary between batches, so text is stored as large strings (categoricals
as their labels) and cast back to the parent's types after the gather.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from pathlib import Path

import numpy as np
import polars as pl

from tempdata.core.tempfiles import temp_folder

__all__ = ["LOOKUP_IN_MEMORY_ROWS", "ParentStore", "gather", "shared_store", "stores"]

#: Parents up to this many rows are looked up in memory; larger ones from disk.
LOOKUP_IN_MEMORY_ROWS = 250_000


def gather(frame: pl.DataFrame, index: pl.Series) -> pl.DataFrame:
    """Rows of ``frame`` at positions ``index``; a null position gives a null row."""
    return frame.select(pl.all().gather(index))


def _nulls(schema: pl.Schema, n: int) -> pl.DataFrame:
    """``n`` rows of nulls with these columns (the lookups of null positions)."""
    return pl.DataFrame(
        {name: pl.Series(name, [None] * n, dtype) for name, dtype in schema.items()}
    )


def _stored(dtype: pl.DataType) -> pl.DataType:
    """The type a column is stored as (text for categoricals, else its own)."""
    return pl.String() if isinstance(dtype, (pl.Categorical, pl.Enum)) else dtype


class ParentStore:
    """A parent's columns in an Arrow IPC file, gathered by position, never held whole.

    Parameters
    ----------
    path
        The file, written by :meth:`write`.
    schema
        The columns' Polars types (the gathered rows are cast back to them).
    """

    def __init__(self, path: Path, schema: pl.Schema) -> None:
        import pyarrow as pa

        self.path = path
        self.schema = schema
        self._reader = pa.ipc.open_file(pa.memory_map(str(path)))
        self._batches = [self._reader.get_batch(i) for i in range(self._reader.num_record_batches)]
        sizes = [b.num_rows for b in self._batches]
        self._starts = np.cumsum([0, *sizes])
        # Batches of one size (the last may be shorter): a row's batch is a division.
        self._size = (
            sizes[0] if sizes and len(set(sizes[:-1])) <= 1 and sizes[-1] <= sizes[0] else 0
        )

    @property
    def rows(self) -> int:
        return int(self._starts[-1])

    @classmethod
    def write(cls, path: Path, frames: Iterable[pl.DataFrame], schema: pl.Schema) -> ParentStore:
        """Write ``frames`` (the parent's chunks, in order) to ``path`` one at a time;
        nothing is left of a write that fails."""
        import pyarrow as pa

        stored = pl.Schema({name: _stored(dtype) for name, dtype in schema.items()})
        arrow = pl.DataFrame(schema=stored).to_arrow(compat_level=pl.CompatLevel.oldest()).schema
        # Named by writer: writers that could not take the lock each write their own
        # (identical) file, and the last rename wins.
        partial = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.partial")
        try:
            with pa.OSFile(str(partial), "wb") as sink, pa.ipc.new_file(sink, arrow) as writer:
                for frame in frames:
                    table = frame.select(stored.names()).cast(stored)
                    writer.write_table(table.to_arrow(compat_level=pl.CompatLevel.oldest()))
            partial.replace(path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return cls(path, schema)

    def gather(self, index: pl.Series, columns: Sequence[str] | None = None) -> pl.DataFrame:
        """The rows at positions ``index`` (Int64; a null position gives a null row),
        of ``columns`` (default: all)."""
        import pyarrow as pa

        names = list(self.schema.names() if columns is None else columns)
        schema = pl.Schema({name: self.schema[name] for name in names})
        valid = index.is_not_null()
        positions = index.filter(valid).to_numpy().astype(np.int64, copy=False)
        if len(positions) and not (positions.min() >= 0 and positions.max() < self.rows):
            bad = positions[(positions < 0) | (positions >= self.rows)][0]
            msg = f"lookup: row {bad} is outside the parent's {self.rows:,} rows"
            raise IndexError(msg)
        if not len(positions):
            return _nulls(schema, len(index))
        # Gather batch by batch, in batch order, then put the rows back in place.
        if self._size:
            batch = positions // self._size
        else:
            batch = np.searchsorted(self._starts, positions, side="right") - 1
        if len(self._batches) <= 2**16:  # a stable sort of 16-bit keys is a radix sort
            batch = batch.astype(np.uint16)
        order = np.argsort(batch, kind="stable")
        by_batch = batch[order]
        cuts = np.flatnonzero(np.diff(by_batch)) + 1
        pieces = [
            self._batches[by_batch[lo]]
            .select(names)
            .take(pa.array(positions[order[lo:hi]] - self._starts[by_batch[lo]]))
            for lo, hi in zip(
                np.concatenate([[0], cuts]), np.concatenate([cuts, [len(order)]]), strict=True
            )
        ]
        table = pa.Table.from_batches(
            pieces, schema=pa.schema([self._reader.schema.field(n) for n in names])
        )
        found = pl.DataFrame(pl.from_arrow(table)).cast(schema)
        back = np.empty_like(order)
        back[order] = np.arange(len(order))
        found = found[back]
        if valid.all():
            return found
        # Null positions: the found rows go to the valid places, null rows elsewhere.
        is_valid = valid.to_numpy()
        place = pl.Series(np.cumsum(is_valid) - 1).scatter(np.flatnonzero(~is_valid), None)
        return gather(found, place)


def shared_store(
    path: Path, schema: pl.Schema, frames: Callable[[], Iterable[pl.DataFrame]]
) -> ParentStore:
    """The store at ``path``, written from ``frames()`` by the first process that asks
    for it; the others wait for it under a file lock, then map the same file (a run's
    worker processes share one store instead of writing one each)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        try:
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        except (ImportError, OSError):  # no locks here (not POSIX, some network disks):
            pass  # processes may each write the same store; the renames keep it whole
        if path.exists():
            return ParentStore(path, schema)
        return ParentStore.write(path, frames(), schema)


class _Stores:
    """Stores built in this process, keyed by what they hold; the least recently used
    are deleted past ``size``. Files live in one temporary folder, removed at exit."""

    def __init__(self, size: int = 8) -> None:
        self._size = size
        self._stores: OrderedDict[Hashable, tuple[object, ParentStore]] = OrderedDict()
        # Re-entrant: writing one parent can look up values in another.
        self._lock = threading.RLock()
        self._names = itertools.count()
        self._dir: Path | None = None
        self._owner = 0

    def _folder(self) -> Path:
        if self._dir is None or self._owner != os.getpid():
            self._dir = temp_folder()
            self._owner = os.getpid()
            atexit.register(shutil.rmtree, self._dir, ignore_errors=True)
        return self._dir

    def get(
        self,
        key: Hashable,
        owner: object,
        schema: pl.Schema,
        frames: Callable[[], Iterable[pl.DataFrame]],
    ) -> ParentStore:
        """The store for ``key`` made for ``owner`` (compared by identity, so a key
        holding ``id(owner)`` never finds another object's store), written from
        ``frames()`` the first time."""
        with self._lock:
            hit = self._stores.get(key)
            if hit is not None and hit[0] is owner:
                self._stores.move_to_end(key)
                return hit[1]
            path = self._folder() / f"parent-{next(self._names)}.arrow"
            store = ParentStore.write(path, frames(), schema)
            self._stores[key] = (owner, store)
            while len(self._stores) > self._size:
                _, (_, old) = self._stores.popitem(last=False)
                old.path.unlink(missing_ok=True)  # open maps keep the data until closed
            return store

    def clear(self) -> None:
        with self._lock:
            for _, store in self._stores.values():
                store.path.unlink(missing_ok=True)
            self._stores.clear()


stores = _Stores()
