"""The Python API: ``generate``, ``stream``, ``create_dataset``, ``describe``."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np
import polars as pl

from tempdata.config import DatasetConfig, resolve_params
from tempdata.core.plan import Dataset, Params
from tempdata.core.planner import Planner
from tempdata.core.seeding import CHUNK_SIZE, Seeder
from tempdata.core.threads import chunk_threads
from tempdata.datasets import registry
from tempdata.errors import (
    ExportFormatError,
    GenerationMemoryError,
    InvalidParameterError,
    UnknownDatasetError,
)
from tempdata.export.formats import FORMATS, STDOUT, Target, check_format, split_path

if TYPE_CHECKING:
    from tempdata.core.timeseries import TimeSeriesConfig

__all__ = [
    "ChunkStream",
    "ColumnInfo",
    "DatasetInfo",
    "RunInfo",
    "create_dataset",
    "describe",
    "generate",
    "list_datasets",
    "stream",
]


#: The version of what the generators make: it grows whenever a dataset's output for
#: the same seed and options changes (CHANGELOG.md lists the datasets and why).
DATA_VERSION = "3"


def versions() -> dict[str, str]:
    """Versions that the reproducibility promise depends on."""
    from tempdata import __version__

    return {
        "tempdata": __version__,
        "data": DATA_VERSION,
        "polars": pl.__version__,
        "numpy": np.__version__,
    }


@dataclass(frozen=True)
class RunInfo:
    """What a run was made of; enough to replay it exactly.

    ``replay_kwargs()`` gives the keyword arguments that regenerate the same data.
    """

    dataset: str
    seed: int
    reference_date: dt.date
    rows: int
    chunks: Sequence[int]  # a range unless chosen chunks were asked for
    country: str
    locale: str | None
    date_range: tuple[dt.datetime, dt.datetime]
    columns: tuple[str, ...]
    custom_params: Mapping[str, Any] = field(default_factory=dict)
    versions: Mapping[str, str] = field(default_factory=versions)
    #: The grid step of a time-series dataset (``None`` for other datasets); its
    #: ``date_range`` then spans the first and last timestamps.
    interval: str | None = None
    #: The :class:`~tempdata.core.timeseries.TimeSeriesConfig` the run was given
    #: (``None``: none, the dataset's defaults).
    time_series: TimeSeriesConfig | None = None

    def replay_kwargs(self) -> dict[str, Any]:
        """Arguments to :func:`generate` that reproduce this run."""
        kwargs: dict[str, Any] = {
            "rows": self.rows,
            "seed": self.seed,
            "reference_date": self.reference_date,
            "country": self.country,
            "date_range": self.date_range,
            "columns": list(self.columns),
        }
        if self.interval is not None:
            # The rows that end at the last timestamp: also right when the first
            # timestamp holds only some entities.
            kwargs.update(
                time_series=True if self.time_series is None else self.time_series,
                interval=self.interval,
                date_range=(None, self.date_range[1]),
            )
        if self.locale:
            kwargs["locale"] = self.locale
        if self.custom_params:
            kwargs["custom_params"] = dict(self.custom_params)
        return kwargs

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "seed": self.seed,
            "reference_date": self.reference_date.isoformat(),
            "rows": self.rows,
            "chunk_size": CHUNK_SIZE,
            "country": self.country,
            "locale": self.locale,
            "date_range": [d.isoformat() for d in self.date_range],
            "columns": list(self.columns),
            "custom_params": dict(self.custom_params),
            "versions": dict(self.versions),
            **({"interval": self.interval} if self.interval is not None else {}),
            **({"time_series": self.time_series.to_dict()} if self.time_series is not None else {}),
        }

    def metadata(self) -> dict[str, str]:
        """Key-value metadata for output files (Parquet footer)."""
        return {
            "tempdata.dataset": self.dataset,
            "tempdata.seed": str(self.seed),
            "tempdata.reference_date": self.reference_date.isoformat(),
            "tempdata.config": json.dumps(self.to_dict(), sort_keys=True),
            "tempdata.versions": json.dumps(dict(self.versions), sort_keys=True),
        }


class ChunkStream:
    """Chunk frames of one run, in order; iterate it once. ``info`` tells the seed.

    >>> chunks = stream("products", rows=120_000, seed=7)
    >>> chunks.info.seed, len(chunks)
    (7, 3)
    >>> [len(frame) for frame in chunks]
    [50000, 50000, 20000]
    """

    def __init__(
        self,
        planner: Planner,
        info: RunInfo,
        workers: int = 1,
        spec: tuple[Any, dict[str, Any], Mapping[str, Dataset] | None] | None = None,
    ) -> None:
        self._planner = planner
        self.info = info
        self.schema = planner.schema
        self._workers = workers
        self._spec = spec

    @property
    def planner(self) -> Planner:
        return self._planner

    @property
    def workers(self) -> int:
        return self._workers

    @property
    def spec(self) -> tuple[Any, dict[str, Any], Mapping[str, Dataset] | None] | None:
        """What a worker process needs to build the same planner (``workers > 1``)."""
        return self._spec

    def __len__(self) -> int:
        return len(self.info.chunks)

    def __iter__(self) -> Iterator[pl.DataFrame]:
        return self.encoded(())

    def encoded(self, encodings: tuple[str, ...]) -> Iterator[Any]:
        """The chunks, as frames or, from worker processes, encoded there for the
        ``encodings`` of the files being written (:mod:`tempdata.export._stream`)."""
        if self._workers > 1 and self._spec is not None and len(self.info.chunks) > 1:
            from tempdata.core.parallel import parallel_chunks

            name, kwargs, tables = self._spec
            return parallel_chunks(
                name,
                kwargs,
                self.info.chunks,
                self._workers,
                tables,
                encodings=encodings,
                make=self._planner.chunk,
            )
        return self._planner.chunks(self.info.chunks)

    def __repr__(self) -> str:
        return f"<ChunkStream {self.info.dataset} seed={self.info.seed} chunks={len(self)}>"


def _dataset(name: str | Dataset) -> Dataset:
    return name if isinstance(name, Dataset) else registry.get(name)


def _chunk_range(chunks: Iterable[int] | None, total: int) -> Sequence[int]:
    """The chunks asked for, checked: a ``range`` stays one (a trillion rows make
    twenty million chunks, never listed)."""
    if chunks is None:
        return range(total)
    if isinstance(chunks, range):
        ends = (chunks[0], chunks[-1]) if len(chunks) else (0, 0)
        if min(ends) < 0 or max(ends) >= total:
            msg = f"chunks {chunks!r} are out of range: these rows make chunks 0..{total - 1}"
            raise InvalidParameterError(msg)
        return chunks
    try:
        indices = tuple(chunks)
    except TypeError:
        msg = f"chunks must be a range or list of chunk indices, got {chunks!r}"
        raise InvalidParameterError(msg) from None
    for i in indices:
        if isinstance(i, bool) or not isinstance(i, (int, np.integer)) or not 0 <= i < total:
            msg = f"chunk {i!r} is out of range: these rows make chunks 0..{total - 1}"
            raise InvalidParameterError(msg)
    return tuple(int(i) for i in indices)


def _prepare(
    name: str | Dataset,
    *,
    rows: object,
    seed: int | Seeder | None,
    reference_date: object,
    country: object,
    locale: str | None,
    date_range: object,
    columns: Sequence[str] | None,
    drop: Sequence[str] | None,
    custom_params: Mapping[str, Any] | None,
    time_series: bool | TimeSeriesConfig | Mapping[str, Any],
    interval: str | None,
    chunks: Iterable[int] | None = None,
    catalogue: Callable[[str], Dataset] | None = None,
    parent_files: Mapping[str, str] | None = None,
    spill: str | Path | None = None,
) -> tuple[Planner, RunInfo]:
    dataset = _dataset(name)
    chunk_threads()  # a bad TEMPDATA_THREADS fails here, before any file is opened
    seeder = Seeder.coerce(seed, reference_date=reference_date)
    params: Params = resolve_params(
        dataset,
        rows=rows,
        seeder=seeder,
        country=country,
        locale=locale,
        date_range=date_range,
        time_series=time_series,
        interval=interval,
        custom_params=custom_params,
    )
    planner = Planner(
        dataset,
        params,
        seeder,
        columns=columns,
        drop=drop,
        catalogue=catalogue or registry.get,
        parent_files=parent_files,
        spill=spill,
    )
    info = RunInfo(
        dataset=dataset.name,
        seed=seeder.seed,
        reference_date=seeder.reference_date,
        rows=params.rows,
        chunks=_chunk_range(chunks, planner.n_chunks),
        country=params.country,
        locale=params.locale,
        date_range=(params.date_start, params.date_end),
        columns=planner.output,
        custom_params=dict(params.custom),
        interval=None if params.grid is None else params.grid.interval,
        time_series=params.series,
    )
    return planner, info


def stream(
    name: str | Dataset,
    rows: int | None = None,
    *,
    seed: int | Seeder | None = None,
    reference_date: object = None,
    country: str = "global",
    locale: str | None = None,
    date_range: tuple[Any, Any] | None = None,
    columns: Sequence[str] | None = None,
    drop: Sequence[str] | None = None,
    custom_params: Mapping[str, Any] | None = None,
    chunks: Iterable[int] | None = None,
    time_series: bool | TimeSeriesConfig | Mapping[str, Any] = False,
    interval: str | None = None,
    workers: int = 1,
    _catalogue: Callable[[str], Dataset] | None = None,
    _tables: Mapping[str, Dataset] | None = None,
    _parent_files: Mapping[str, str] | None = None,
    _spill: Path | None = None,
) -> ChunkStream:
    """Generate a dataset as a stream of 50,000-row chunk frames.

    Takes the arguments of :func:`generate`, plus ``chunks``: the chunk indices to
    produce (``range(a, b)``); chunk ``i`` holds rows ``50_000 * i`` onwards and is
    identical whichever process produces it. ``.info`` on the result tells the seed.
    ``workers=N`` generates the chunks in N worker processes (:mod:`tempdata.core.parallel`)
    and yields them in order: the same frames as one process.
    """
    from tempdata.core.parallel import check_workers

    check_workers(workers)
    planner, info = _prepare(
        name,
        rows=rows,
        seed=seed,
        reference_date=reference_date,
        country=country,
        locale=locale,
        date_range=date_range,
        columns=columns,
        drop=drop,
        custom_params=custom_params,
        time_series=time_series,
        interval=interval,
        chunks=chunks,
        catalogue=_catalogue,
        parent_files=_parent_files,
        spill=_spill,
    )
    # What a worker process needs to build the same planner: the seed and reference
    # date as decided here (an unseeded run must not read the clock again). Checks
    # stay behind (a Polars map_batches check would need cloudpickle).
    kwargs = {
        "rows": rows,
        "seed": info.seed,
        "reference_date": info.reference_date,
        "country": country,
        "locale": locale,
        "date_range": date_range,
        "columns": columns,
        "drop": drop,
        "custom_params": dict(custom_params) if custom_params else None,
        "time_series": time_series,
        "interval": interval,
        "parent_files": dict(_parent_files) if _parent_files else None,
        "spill": None if _spill is None else str(_spill),
    }
    worker_tables = {n: d.replace(checks=()) for n, d in (_tables or {}).items()}
    target: Any = name if isinstance(name, str) else name.replace(checks=())
    spec = (target, kwargs, worker_tables)
    return ChunkStream(planner, info, workers, spec)


@overload
def generate(
    name: str | Dataset | DatasetConfig,
    rows: int | None = ...,
    *,
    with_info: Literal[False] = ...,
    **kwargs: Any,
) -> pl.DataFrame: ...


@overload
def generate(
    name: str | Dataset | DatasetConfig,
    rows: int | None = ...,
    *,
    with_info: Literal[True],
    **kwargs: Any,
) -> tuple[pl.DataFrame, RunInfo]: ...


def generate(  # type: ignore[misc]  # the overloads spell out the return type only
    name: str | Dataset | DatasetConfig,
    rows: int | None = None,
    *,
    seed: int | Seeder | None = None,
    reference_date: object = None,
    country: str = "global",
    locale: str | None = None,
    date_range: tuple[Any, Any] | None = None,
    columns: Sequence[str] | None = None,
    drop: Sequence[str] | None = None,
    custom_params: Mapping[str, Any] | None = None,
    time_series: bool | TimeSeriesConfig | Mapping[str, Any] = False,
    interval: str | None = None,
    with_info: bool = False,
    workers: int = 1,
) -> pl.DataFrame | tuple[pl.DataFrame, RunInfo]:
    """Generate a dataset in memory.

    Parameters
    ----------
    name
        Catalogue name (``"sales"``), a :class:`~tempdata.core.plan.Dataset`, or a
        :class:`~tempdata.DatasetConfig`.
    rows
        Number of rows (default 500; for a time-series dataset given a date range,
        every entity at every step of the range).
    seed
        Root seed or :class:`~tempdata.Seeder`; ``None`` takes the clock. Pass
        ``with_info=True`` to learn the seed of an unseeded run.
    reference_date
        Date relative defaults are measured from (default: today unseeded, 2025-12-31
        with a seed).
    country, locale
        Where people and places come from (``"germany"``, ``"US"``, ``"global"``) and,
        optionally, the name locale (``"de_DE"``).
    date_range
        Inclusive ``(start, end)`` dates or datetimes; default: the dataset's span
        (365 days for sales) ending at the reference date. Either end may be
        ``None``. A zone-aware datetime keeps its wall-clock time and drops the
        zone, since generated times are the local times of their place.
    columns, drop
        Keep only these columns / leave these out. Other columns keep their values.
    custom_params
        Dataset-specific parameters (``describe(name)`` lists them).
    time_series, interval
        For datasets with a time-series layout (``describe(name).time_series``):
        rows are every entity at every ``interval`` step (``"1hour"``). How ``rows``,
        ``date_range`` and ``interval`` relate is documented in :mod:`tempdata.config`;
        contradictions are errors. ``time_series`` may be a
        :class:`~tempdata.TimeSeriesConfig` (or a dict of its fields) that switches
        seasonal cycles, adds a trend or scales the volatility; the dataset's notes
        say how. It is recorded in the returned info, so replay reproduces it.
    with_info
        Return ``(frame, RunInfo)`` instead of the frame.
    workers
        Worker processes generating the chunks (default 1: this process); the frame is
        the same whatever the number.

    Examples
    --------
    >>> df = generate("sales", rows=1_000, seed=42)
    >>> df.height, df.columns[:3]
    (1000, ['transaction_id', 'date', 'customer_id'])
    >>> df2, info = generate("sales", rows=10, with_info=True)
    >>> generate("sales", **info.replay_kwargs()).equals(df2)
    True
    """
    if isinstance(name, DatasetConfig):
        given = {
            "seed": seed is not None,
            "reference_date": reference_date is not None,
            "country": country != "global",
            "locale": locale is not None,
            "date_range": date_range is not None,
            "custom_params": custom_params is not None,
            "time_series": time_series is not False and time_series is not None,
            "interval": interval is not None,
        }
        clash = [k for k, v in given.items() if v]
        if clash:
            msg = (
                f"generate() got a DatasetConfig and also {', '.join(clash)}; "
                "set them on the config (dataclasses.replace) instead"
            )
            raise InvalidParameterError(msg)
        rows_override = {"rows": rows} if rows is not None else {}
        result: pl.DataFrame | tuple[pl.DataFrame, RunInfo] = name.generate(
            columns=columns, drop=drop, with_info=with_info, workers=workers, **rows_override
        )
        return result
    chunks = stream(
        name,
        rows,
        seed=seed,
        reference_date=reference_date,
        country=country,
        locale=locale,
        date_range=date_range,
        columns=columns,
        drop=drop,
        custom_params=custom_params,
        time_series=time_series,
        interval=interval,
        workers=workers,
    )
    info = chunks.info
    frames: list[pl.DataFrame] = []
    for frame in chunks:
        if not frames:
            _check_fits(frame, len(chunks), info)
        frames.append(frame)
    frame = pl.concat(frames, rechunk=True) if len(frames) > 1 else frames[0]
    return (frame, info) if with_info else frame


def _available_memory() -> int | None:
    """Bytes of memory the system could give this process now (Linux), or ``None``."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _check_fits(first: pl.DataFrame, n_chunks: int, info: RunInfo) -> None:
    """Refuse, before generating more, a frame that cannot fit in memory: the rest is
    estimated from the first chunk (×2 for the copy ``concat`` makes)."""
    available = _available_memory()
    if available is None or n_chunks <= 1:
        return
    need = 2 * first.estimated_size() * info.rows / max(first.height, 1)
    if need > 0.8 * available:
        msg = (
            f"{info.rows:,} rows of {info.dataset} need about {need / 1e9:.1f} GB in memory, "
            f"more than the {available / 1e9:.1f} GB available; write them to a file "
            f"instead (tempdata.create_dataset or tempdata generate -o), which streams "
            f"chunk by chunk in flat memory, or iterate tempdata.stream()"
        )
        raise GenerationMemoryError(msg)


def _names_a_file(path: Path) -> bool:
    """Whether ``path`` ends in a known file extension (``out.parquet``)."""
    try:
        return split_path(path)[1] is not None
    except ExportFormatError:
        return False


def _targets(
    path: str | Path, formats: Sequence[str] | None, dataset: str | None
) -> tuple[str, list[Target]]:
    if formats is not None and (isinstance(formats, str) or not isinstance(formats, (list, tuple))):
        msg = f"formats must be a list of format names such as ['parquet', 'csv'], got {formats!r}"
        raise InvalidParameterError(msg)
    if not isinstance(path, (str, Path)):
        msg = f"path must be a file or folder path (or '-'), got {path!r}"
        raise InvalidParameterError(msg)
    if isinstance(path, str) and path == STDOUT:
        fmts = [check_format(f) for f in (formats or ["csv"])]
        if len(fmts) != 1:
            msg = "standard output ('-') takes exactly one format"
            raise InvalidParameterError(msg)
        if dataset is None:
            msg = "writing to standard output ('-') needs dataset= to name the dataset"
            raise InvalidParameterError(msg)
        return dataset, [Target(None, fmts[0])]
    p = Path(path)
    if str(path).endswith(("/", os.sep)) or (p.is_dir() and not _names_a_file(p)):
        # A folder: one file per format inside it, named after the dataset.
        if dataset is None:
            msg = f"{str(path)!r} is a folder: pass dataset=... to name the dataset to write"
            raise InvalidParameterError(msg)
        fmts = list(dict.fromkeys(check_format(f) for f in (formats or ["parquet"])))
        return dataset, [Target(p / (dataset + FORMATS[f][0]), f) for f in fmts]
    stem, fmt, gz = split_path(p)
    if formats is None and fmt is None:
        msg = (
            f"cannot tell the format of {str(path)!r}: give it an extension "
            f"({', '.join(e for exts in FORMATS.values() for e in exts)}) or formats=[...]"
        )
        raise InvalidParameterError(msg)
    name = dataset if dataset is not None else stem
    if dataset is None:
        try:
            registry.get(stem)
        except UnknownDatasetError as exc:
            msg = (
                f"the file name {p.name!r} does not name a dataset ({exc}); pass dataset=... "
                "to choose one"
            )
            raise UnknownDatasetError(msg) from None
    if formats is None:
        assert fmt is not None
        return name, [Target(p, fmt, gz)]
    fmts = list(dict.fromkeys(check_format(f) for f in formats))
    if not fmts:
        msg = "formats must name at least one format"
        raise InvalidParameterError(msg)
    if fmt is not None and fmt not in fmts:
        msg = (
            f"{p.name!r} names the {fmt} format but formats are {fmts}; "
            f"drop the extension or add {fmt!r} to formats"
        )
        raise InvalidParameterError(msg)
    targets = []
    for f in fmts:
        if fmt == f:
            targets.append(Target(p, f, gz))
        else:
            targets.append(Target(p.with_name(stem + FORMATS[f][0]), f))
    return name, targets


def create_dataset(
    path: str | Path,
    rows: int | None = None,
    *,
    dataset: str | Dataset | None = None,
    formats: Sequence[str] | None = None,
    seed: int | Seeder | None = None,
    reference_date: object = None,
    country: str = "global",
    locale: str | None = None,
    date_range: tuple[Any, Any] | None = None,
    columns: Sequence[str] | None = None,
    drop: Sequence[str] | None = None,
    custom_params: Mapping[str, Any] | None = None,
    time_series: bool | TimeSeriesConfig | Mapping[str, Any] = False,
    interval: str | None = None,
    if_exists: str = "replace",
    on_chunk: Callable[[pl.DataFrame], None] | None = None,
    with_info: bool = False,
    _writer_options: Mapping[str, object] | None = None,
    workers: int = 1,
    layout: str = "single",
    backend: str = "local",
    address: str | None = None,
    _catalogue: Callable[[str], Dataset] | None = None,
    _tables: Mapping[str, Dataset] | None = None,
    _parent_files: Mapping[str, str] | None = None,
) -> Any:
    """Generate a dataset and write it to a file (or several), atomically.

    The dataset is the file's stem (``sales.parquet`` → ``sales``) unless
    ``dataset=`` names it; the format is the extension unless ``formats=`` lists
    several (``["parquet", "csv"]`` writes ``sales.parquet`` and ``sales.csv`` next to
    each other). A folder (an existing directory, or a path ending in ``/``) with
    ``dataset=`` gets ``<dataset>.<ext>`` per format inside it (Parquet by default);
    ``"-"`` writes CSV or NDJSON to standard output. Each chunk is generated once and
    written to every format.

    Returns the path, or the list of paths when ``formats`` is given; with
    ``with_info=True``, a ``(paths, RunInfo)`` pair. ``workers=N`` generates the chunks
    in N processes; the files are byte-identical to one process's. ``layout="parts"``
    writes a folder of 1,000,000-row part files per dataset instead
    (:mod:`tempdata.export.parts`); the folder's path is returned in place of the file's.
    ``backend="dask"`` writes those parts on a Dask cluster (``address``, else
    ``DASK_SCHEDULER_ADDRESS``, else a local one; :mod:`tempdata.core.distributed`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> create_dataset(out / "sales.parquet", rows=1_000, seed=42).name
    'sales.parquet'
    >>> [p.name for p in create_dataset(out / "sales", rows=10, seed=1, formats=["csv", "json"])]
    ['sales.csv', 'sales.json']
    """
    from tempdata.export.database import is_database
    from tempdata.export.formats import check_local, check_path_length
    from tempdata.export.geojson import check_geojson
    from tempdata.export.writer import write

    check_local(path, databases=True)
    check_path_length(path)
    if is_database(path):
        return _load_database(
            str(path),
            dataset=dataset,
            rows=rows,
            if_exists=if_exists,
            on_chunk=on_chunk,
            with_info=with_info,
            workers=workers,
            options={
                "seed": seed,
                "reference_date": reference_date,
                "country": country,
                "locale": locale,
                "date_range": date_range,
                "columns": columns,
                "drop": drop,
                "custom_params": custom_params,
                "time_series": time_series,
                "interval": interval,
            },
        )
    ds_name = dataset.name if isinstance(dataset, Dataset) else dataset
    name, targets = _targets(path, formats, ds_name)
    # Large parents' looked-up columns spill beside the output (not to /tmp, often
    # memory), in a folder the run's processes share and that goes with the run.
    with _spill_folder(targets) as spill:
        chunks = stream(
            dataset if isinstance(dataset, Dataset) else name,
            rows,
            seed=seed,
            reference_date=reference_date,
            country=country,
            locale=locale,
            date_range=date_range,
            columns=columns,
            drop=drop,
            custom_params=custom_params,
            time_series=time_series,
            interval=interval,
            workers=workers,
            _catalogue=_catalogue,
            _tables=_tables,
            _parent_files=_parent_files,
            _spill=spill,
        )
        info = chunks.info
        if any(t.format == "geojson" for t in targets):
            check_geojson(chunks.schema, info.dataset)
        options = {"sheet": info.dataset, **(_writer_options or {})}
        from tempdata.core.distributed import check_backend
        from tempdata.export.parts import LAYOUTS, part_folder, write_parts

        if layout not in LAYOUTS:
            msg = f"layout must be one of {', '.join(LAYOUTS)}, got {layout!r}"
            raise InvalidParameterError(msg)
        if check_backend(backend) == "dask":
            layout = "parts"  # a cluster writes part files
        if layout == "parts":
            write_parts(
                chunks,
                targets,
                if_exists=if_exists,
                metadata=info.metadata(),
                on_chunk=on_chunk,
                backend=backend,
                address=address,
            )
            folders: Any = [part_folder(t) for t in targets]
            result = folders if formats is not None else folders[0]
            return (result, info) if with_info else result
        from tempdata.export._stream import encoding_of

        # Workers encode the chunks themselves when every file takes its chunks' bytes.
        encodings = [e for t in targets if (e := encoding_of(t.format, t.compressed))]
        write(
            chunks.encoded(tuple(dict.fromkeys(encodings)))
            if len(encodings) == len(targets)
            else iter(chunks),
            chunks.schema,
            targets,
            if_exists=if_exists,
            metadata=info.metadata(),
            on_chunk=on_chunk,
            options=options,
        )
        paths: Any = [t.path if t.path is not None else STDOUT for t in targets]
        result = paths if formats is not None else paths[0]
        return (result, info) if with_info else result


@contextlib.contextmanager
def _spill_folder(targets: Sequence[Target]) -> Iterator[Path | None]:
    """A hidden folder beside the first file target for a run's lookup stores (made
    only if one is needed), removed when the run ends, however it ends."""
    folder = next((t.path.parent for t in targets if t.path is not None), None)
    if folder is None:
        yield None
        return
    from tempdata.core.tempfiles import temp_path

    spill = temp_path(folder / "lookup")
    try:
        yield spill
    finally:
        shutil.rmtree(spill, ignore_errors=True)


def _load_database(
    uri: str,
    *,
    dataset: str | Dataset | None,
    rows: int | None,
    if_exists: str,
    on_chunk: Callable[[pl.DataFrame], None] | None,
    with_info: bool,
    workers: int,
    options: Mapping[str, Any],
) -> Any:
    """``create_dataset`` into a database table named after the dataset."""
    from tempdata.export.database import parse_database, write_table

    database = parse_database(uri)
    if dataset is None:
        msg = f"writing to {str(database)!r} needs dataset= to name the dataset (and the table)"
        raise InvalidParameterError(msg)
    chunks = stream(dataset, rows, workers=workers, **options)
    key = _dataset(dataset).key
    write_table(
        iter(chunks),
        chunks.schema,
        database,
        chunks.info.dataset,
        if_exists=if_exists,
        key=key if key in chunks.schema else None,
        on_chunk=on_chunk,
    )
    return (uri, chunks.info) if with_info else uri


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    dtype: str
    sql_type: str
    description: str


@dataclass(frozen=True)
class DatasetInfo:
    """A dataset's schema and documentation, as ``describe()`` returns it."""

    name: str
    domain: str
    description: str
    key: str | None
    columns: tuple[ColumnInfo, ...]
    parameters: Mapping[str, str]
    notes: str
    #: For time-series datasets: ``entities`` (labels, or the count parameter),
    #: ``unit``, ``interval`` (the default) and ``intervals`` (allowed); else ``None``.
    time_series: Mapping[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "domain": self.domain,
            "description": self.description,
            "key": self.key,
            "columns": [c.__dict__ for c in self.columns],
            "parameters": dict(self.parameters),
            "notes": self.notes,
            "time_series": None if self.time_series is None else dict(self.time_series),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_sql(self, table: str | None = None) -> str:
        """A ``CREATE TABLE`` statement (ANSI types) for this dataset."""
        lines = [f"    {c.name} {c.sql_type}" for c in self.columns]
        if self.key:
            lines.append(f"    PRIMARY KEY ({self.key})")
        return f"CREATE TABLE {table or self.name} (\n" + ",\n".join(lines) + "\n);"


def _sql_type(dtype: pl.DataType) -> str:
    if dtype == pl.Boolean:
        return "BOOLEAN"
    if dtype.is_integer():
        return "BIGINT"
    if dtype.is_float():
        return "DOUBLE PRECISION"
    if dtype == pl.Date:
        return "DATE"
    if isinstance(dtype, pl.Datetime):
        return "TIMESTAMP WITH TIME ZONE" if dtype.time_zone else "TIMESTAMP"
    return "VARCHAR"


def _dtype_name(dtype: pl.DataType) -> str:
    if isinstance(dtype, pl.Enum):
        return "enum"
    return (
        str(dtype).lower() if not isinstance(dtype, pl.Datetime) else f"datetime[{dtype.time_unit}]"
    )


def _schema_planner(dataset: Dataset, country: object) -> Planner:
    """A planner for ``dataset``'s output schema (one row, fixed seed; nothing generated)."""
    planner, _ = _prepare(
        dataset,
        rows=1,
        seed=0,
        reference_date=None,
        country=country,
        locale=None,
        date_range=None,
        columns=None,
        drop=None,
        custom_params=None,
        time_series=False,
        interval=None,
    )
    return planner


def describe(name: str | Dataset, *, country: str = "global") -> DatasetInfo:
    """Columns (name, type, meaning), parameters and notes of a dataset.

    >>> [c.name for c in describe("products").columns][:3]
    ['product_id', 'category', 'subcategory']
    """
    dataset = _dataset(name)
    planner = _schema_planner(dataset, country)
    cols = tuple(
        ColumnInfo(c, _dtype_name(t), _sql_type(t), dataset.describe_column(c))
        for c, t in planner.schema.items()
    )
    return DatasetInfo(
        dataset.name,
        dataset.domain,
        dataset.description,
        dataset.key,
        cols,
        {k: p.description for k, p in dataset.parameters.items()},
        dataset.notes,
        _layout_info(dataset),
    )


def _layout_info(dataset: Dataset) -> dict[str, Any] | None:
    layout = dataset.time_series
    if layout is None:
        return None
    ents = layout.entities
    return {
        "entities": list(ents) if isinstance(ents, tuple) else ents,
        "unit": layout.unit,
        "interval": layout.interval,
        "intervals": list(layout.intervals),
    }


def list_datasets() -> list[str]:
    """Names of every dataset in the catalogue."""
    return registry.names()
