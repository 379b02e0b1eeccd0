"""Running a checked plan: datasets in dependency order, then a manifest.

Each dataset is written atomically by :func:`tempdata.create_dataset` into the
plan's output folder as ``<table name>.<ext>``. When every dataset is written, the
manifest (``manifest.json``) records the tempdata and library versions, the seed and
reference date, the resolved plan, and per file its path (relative to the folder),
format, rows, bytes and SHA-256; it is written last, atomically, so a manifest means
the batch finished. ``replay`` runs a manifest's plan again and compares checksums.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from tempdata.batch.plan import DatasetEntry, Plan, PlanError, Problem, load_plan
from tempdata.core.faults import fault_point
from tempdata.core.tempfiles import reclaim, temp_path
from tempdata.errors import FileSystemError, TempDataError
from tempdata.export.files import sha256_of
from tempdata.export.parts import SUCCESS

__all__ = ["BatchResult", "create_batch", "replay", "run_plan"]

MANIFEST = "manifest.json"
#: The suffix of the manifest a re-run moves away until its own is written.
PREVIOUS = ".previous"
MANIFEST_VERSION = 1

#: ``on_progress(entry, rows_done, rows_planned)`` after each chunk of each dataset.
Progress = Callable[[DatasetEntry, int, int | None], None]


@dataclass(frozen=True)
class WrittenFile:
    dataset: str
    path: Path
    format: str
    rows: int
    bytes: int
    sha256: str

    def to_dict(self, root: Path) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "path": self.path.relative_to(root).as_posix(),
            "format": self.format,
            "rows": self.rows,
            "bytes": self.bytes,
            "sha256": self.sha256,
        }


@dataclass(frozen=True)
class BatchResult:
    """What a batch wrote: the files, the manifest's path and its content."""

    files: tuple[WrittenFile, ...]
    manifest_path: Path | None
    manifest: Mapping[str, Any]
    seed: int

    @property
    def paths(self) -> list[Path]:
        return [f.path for f in self.files]


def _write_json(path: Path, payload: Mapping[str, Any]) -> None:
    from tempdata.core.tempfiles import temp_path
    from tempdata.export.files import publish

    tmp = temp_path(path)
    try:
        tmp.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        publish(tmp, path, replace=True)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        msg = f"cannot write {str(path)!r}: {exc.strerror or exc}"
        raise FileSystemError(msg) from exc


def _seed_of(plan: Plan) -> int:
    from tempdata.core.seeding import Seeder

    return Seeder(plan.seed).seed  # the clock's seed when the plan has none


CHECKS = ("first", "all", "none")


def _verifier(entry: DatasetEntry, check: str) -> Callable[[Any], None]:
    """Checks a written chunk against its dataset's invariants (``check``: the first
    chunk only, every chunk, or none); damage a plan asked for is left out."""
    import polars as pl

    from tempdata.errors import DataQualityError
    from tempdata.export._stream import frame_of
    from tempdata.quality.checks import evaluate
    from tempdata.quality.dirty import LABEL

    dataset = entry.catalogue_dataset()
    clean = dataset.with_dirt(None) if dataset.dirty is not None else dataset
    seen = 0

    def verify(chunk: Any) -> None:
        nonlocal seen
        seen += 1
        if check == "none" or (check == "first" and seen > 1):
            return
        # A chunk a worker encoded is made again here to be checked (DESIGN §8).
        chunk = frame_of(chunk)
        if dataset.dirty is not None:
            if LABEL not in chunk.columns:
                return  # unlabelled damage: nothing tells clean rows apart
            chunk = chunk.filter(pl.col(LABEL).is_null())
        report = evaluate(chunk, clean)
        if not report.ok:
            broken = ", ".join(f"{k} ({v:,} rows)" for k, v in report.failures().items())
            msg = (
                f"datasets.{entry.name}: chunk {seen - 1} breaks the dataset's invariants: "
                f"{broken}; nothing of it was written"
            )
            raise DataQualityError(msg)

    return verify


def run_plan(
    plan: Plan, *, on_progress: Progress | None = None, check: str = "first"
) -> BatchResult:
    """Generate every dataset of ``plan`` and write the manifest.

    ``check`` verifies each dataset's invariants on its first chunk (default), on
    every chunk (``"all"``; slower), or not at all; a broken invariant raises
    :class:`~tempdata.errors.DataQualityError` and that dataset's files are not written.
    """
    if check not in CHECKS:
        msg = f"check must be one of {', '.join(CHECKS)}, got {check!r}"
        raise PlanError([Problem("check", msg)])
    from tempdata.api import create_dataset, versions
    from tempdata.core.seeding import Seeder

    seed = _seed_of(plan)
    seeder = Seeder(seed, reference_date=plan.reference_date)
    plan = replace(plan, seed=seed, reference_date=seeder.reference_date)
    root = plan.output_dir
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"cannot create output folder {str(root)!r}: {exc.strerror or exc}"
        raise FileSystemError(msg) from exc
    # A re-run that replaces files first moves the old manifest away: until the new
    # one is written last, nothing in the folder vouches for a mix of old and new
    # files. (Under "error" or "skip" no file it lists is replaced: it stays.)
    manifest_path = root / MANIFEST
    previous = root / (MANIFEST + PREVIOUS)
    earlier = _recorded_files(manifest_path, root) | _recorded_files(previous, root)
    if manifest_path.exists() and plan.if_exists == "replace":
        os.replace(manifest_path, previous)
    files: list[WrittenFile] = []
    # Children read their parents' values from the parents' Parquet output (a join on
    # the written data, damage included); a parent written only as text is generated.
    parquet: dict[str, str] = {}
    for entry in plan.datasets:
        done = 0
        verify = _verifier(entry, check)

        def on_chunk(chunk: Any, entry: DatasetEntry = entry, verify: Any = verify) -> None:
            nonlocal done
            verify(chunk)
            done += chunk.height
            if on_progress is not None:
                on_progress(entry, done, entry.rows)

        paths, info = create_dataset(
            root / entry.name,
            formats=list(entry.formats),
            **_generation(entry, seeder),
            if_exists=plan.if_exists,
            on_chunk=on_chunk,
            with_info=True,
            workers=plan.workers,
            layout=plan.layout,
            backend=plan.backend,
            address=plan.address,
            _catalogue=plan.catalogue,
            _tables=plan.tables,
            _parent_files={p: parquet[p] for p in entry.parents if p in parquet},
        )
        if "parquet" in entry.formats:
            where = Path(paths[list(entry.formats).index("parquet")])
            parquet[entry.name] = str(where / "*.parquet" if where.is_dir() else where)
        for fmt, path in zip(entry.formats, paths, strict=True):
            p = Path(path)
            if p.is_dir():  # layout parts: every part file of this format
                files.extend(_part_files(entry.name, p, fmt, info))
            else:
                files.append(
                    WrittenFile(entry.name, p, fmt, info.rows, p.stat().st_size, sha256_of(p))
                )
    loaded = [
        {**_load_sink(plan, sink, seeder, parquet), "uri": plan.recorded_uri(sink)}
        for sink in plan.sinks
    ]
    manifest = {
        "manifest_version": MANIFEST_VERSION,
        "versions": versions(),
        "seed": seed,
        "reference_date": seeder.reference_date.isoformat(),
        "plan": plan.to_dict(),
        "files": [f.to_dict(root) for f in files],
        "sinks": loaded,
    }
    if plan.if_exists == "replace":  # what the old manifest listed and this run did not write
        written = {f.path.resolve() for f in files} | _sink_files(plan)
        # a dataset of the plan left out of this run (--only) keeps its files
        kept = _recorded_files(manifest_path, root, previous, left_out=_left_out(plan))
        _remove_stale(earlier - written - kept, root)
    fault_point("manifest")
    _write_json(manifest_path, manifest)
    previous.unlink(missing_ok=True)
    return BatchResult(tuple(files), manifest_path, MappingProxyType(manifest), seed)


def _left_out(plan: Plan) -> set[str]:
    """Datasets of the plan this run does not write (left out with ``--only``)."""
    return set(plan.tables) - {e.name for e in plan.datasets}


def _recorded_files(
    manifest: Path, root: Path, *others: Path, left_out: set[str] | None = None
) -> set[Path]:
    """The files a manifest in ``root`` (or the first of ``others`` that exists)
    vouches for — data files and database files inside the folder — resolved; none if
    it is missing or unreadable. ``left_out``: only the data files of those datasets."""
    source = next((m for m in (manifest, *others) if m.exists()), manifest)
    try:
        recorded = json.loads(source.read_text(encoding="utf-8"))
        files = recorded.get("files", [])
        if left_out is not None:
            files = [f for f in files if f.get("dataset") in left_out]
        paths = [str(f["path"]) for f in files]
        uris = (
            []
            if left_out is not None
            else [str(s.get("uri", "")) for s in recorded.get("sinks", [])]
        )
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return set()
    for uri in uris:
        match = re.match(r"^(sqlite|duckdb):///(.+)$", uri)
        if match:
            paths.append(match.group(2))
    top = root.resolve()
    out = set()
    for rel in paths:
        p = (root / rel).resolve()
        if p.is_relative_to(top) and p != top:
            out.add(p)
    return out


def _sink_files(plan: Plan) -> set[Path]:
    """The database files the plan's sinks write (servers have none)."""
    from tempdata.export.database import parse_database

    out = set()
    for sink in plan.sinks:
        database = parse_database(sink.uri)
        if database.engine != "postgresql":
            out.add(database.path.resolve())
    return out


def _remove_stale(paths: set[Path], root: Path) -> None:
    """Remove files an earlier run of the plan wrote that this one did not (a dataset
    or sink dropped from the plan), and part folders they leave empty."""
    folders = set()
    for p in sorted(paths):
        with contextlib.suppress(OSError):
            p.unlink()
        if p.parent != root.resolve():
            folders.add(p.parent)
    for folder in folders:
        with contextlib.suppress(OSError):
            left = list(folder.iterdir())
            if all(x.name == SUCCESS for x in left):
                for x in left:
                    x.unlink()
                folder.rmdir()


def _generation(entry: DatasetEntry, seeder: Any) -> dict[str, Any]:
    """The generation arguments of a plan's dataset (files and sinks alike)."""
    return {
        "rows": entry.rows,
        "dataset": entry.catalogue_dataset(),
        "seed": seeder,
        "country": entry.country,
        "locale": entry.locale,
        "date_range": entry.date_range,
        "drop": list(entry.drop) or None,
        "custom_params": dict(entry.params),
        "time_series": _time_series(entry.time_series),
        "interval": entry.interval,
    }


def _load_sink(plan: Plan, sink: Any, seeder: Any, parquet: Mapping[str, str]) -> dict[str, Any]:
    """Load the plan's datasets (or the sink's ``only``) into a database, parents first,
    each table in one transaction, with its primary key and the foreign keys to tables
    already in it (not for a dataset damaged with orphan keys on purpose)."""
    from tempdata.api import stream
    from tempdata.export.database import parse_database, write_table
    from tempdata.quality.validate import _foreign_keys

    database = parse_database(sink.uri)
    tables: dict[str, int] = {}
    for entry in plan.datasets:
        if sink.only and entry.name not in sink.only:
            continue
        args = _generation(entry, seeder)
        dataset = args.pop("dataset")
        chunks = stream(
            dataset,
            args.pop("rows"),
            **args,
            workers=plan.workers,
            _catalogue=plan.catalogue,
            _tables=plan.tables,
            _parent_files={p: parquet[p] for p in entry.parents if p in parquet},
        )
        orphans = dataset.dirty is not None and dataset.dirty.rates.get("orphan_keys")
        foreign = {}
        for column, fk in _foreign_keys(dataset).items():
            parent = plan.tables.get(fk.parent)
            if fk.parent in tables and parent is not None and parent.key and not orphans:
                foreign[column] = (fk.parent, parent.key)
        tables[entry.name] = write_table(
            iter(chunks),
            chunks.schema,
            database,
            entry.name,
            if_exists=sink.if_exists,
            key=dataset.key if dataset.key in chunks.schema and dataset.dirty is None else None,
            foreign_keys=foreign,
        )
    return {"uri": str(database), "tables": tables}


def _part_files(dataset: str, folder: Path, fmt: str, info: Any) -> list[WrittenFile]:
    """The part files of one format in ``folder``, with the rows each holds."""
    from tempdata.core.planner import chunk_rows
    from tempdata.export.parts import part_ranges

    parts = sorted(p for p in folder.iterdir() if p.name.startswith("part-") and fmt_of(p) == fmt)
    ranges = part_ranges(list(info.chunks))
    assert len(parts) == len(ranges), (parts, ranges)
    return [
        WrittenFile(
            dataset,
            p,
            fmt,
            sum(chunk_rows(info.rows, c) for c in r),
            p.stat().st_size,
            sha256_of(p),
        )
        for p, r in zip(parts, ranges, strict=True)
    ]


def fmt_of(path: Path) -> str | None:
    from tempdata.export.formats import split_path

    return split_path(path)[1]


def _time_series(value: bool | Mapping[str, Any]) -> Any:
    return value if isinstance(value, bool) else dict(value)


def create_batch(
    plan: str | Path | Mapping[str, Any] | Sequence[Mapping[str, Any]],
    *,
    output_dir: str | Path | None = None,
    profile: str | None = None,
    only: Sequence[str] | None = None,
    on_progress: Progress | None = None,
    check: str = "first",
    **settings: Any,
) -> BatchResult:
    """Write related datasets in one run, as ``tempdata run plan.toml`` does.

    ``plan`` is a TOML plan file's path, a mapping of the same shape, or a list of
    dataset tables, each with a ``name`` (the file stem) and the keys of a
    ``[datasets.NAME]`` table. Top-level plan keys (``seed``, ``formats``,
    ``country``, ...) may be given as keyword arguments. Every problem of the plan is
    reported at once (:class:`~tempdata.batch.plan.PlanError`) before anything is
    written. Returns the files written and the manifest.

    >>> import tempfile
    >>> out = tempfile.mkdtemp()
    >>> result = create_batch(
    ...     [{"name": "customers", "rows": 100}, {"name": "sales", "rows": 1_000}],
    ...     seed=7, output_dir=out,
    ... )
    >>> [p.name for p in result.paths]
    ['customers.parquet', 'sales.parquet']
    >>> result.manifest["plan"]["datasets"]["sales"]["params"]
    {'customers': 100}
    """
    if isinstance(plan, (str, Path)):
        if settings:
            raise PlanError(
                [Problem("", f"settings {sorted(settings)} go in the plan file, not beside it")]
            )
        checked = load_plan(plan, profile=profile, only=only, output_dir=output_dir)
    else:
        if isinstance(plan, Mapping):
            raw = {**plan, **settings}
        else:
            raw = {**settings, "datasets": _tables(plan)}
        checked = load_plan(raw, profile=profile, only=only, output_dir=output_dir)
    return run_plan(checked, on_progress=on_progress, check=check)


def _tables(items: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    problems: list[Problem] = []
    tables: dict[str, Any] = {}
    if isinstance(items, (str, bytes)) or not isinstance(items, Sequence):
        raise PlanError([Problem("", "create_batch takes a plan file, a mapping or a list")])
    for i, item in enumerate(items):
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            problems.append(Problem(f"[{i}]", "each dataset needs a 'name' (its file stem)"))
            continue
        name = item["name"]
        if name in tables:
            problems.append(Problem(f"[{i}]", f"the name {name!r} is used twice"))
            continue
        tables[name] = {k: v for k, v in item.items() if k != "name"}
    if problems:
        raise PlanError(problems)
    return tables


# --------------------------------------------------------------------------- replay


@dataclass(frozen=True)
class ReplayResult:
    """A replayed batch and how its files compare with the manifest's checksums."""

    result: BatchResult
    identical: tuple[str, ...]
    different: tuple[str, ...]
    missing: tuple[str, ...]
    version_changes: Mapping[str, tuple[str, str]]
    #: Database files loaded again, as the manifest records them (``sqlite:///x.db``).
    reloaded: tuple[str, ...] = ()
    #: Sinks not loaded again, each with why (a server: the plan loads it, not a replay).
    not_reloaded: tuple[str, ...] = ()
    #: Tables whose row counts differ from the manifest's: ``uri table: rows, recorded``.
    tables_different: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.different and not self.missing and not self.tables_different


def read_manifest(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanError([Problem("", "no such file")], str(p)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PlanError([Problem("", f"not a tempdata manifest: {exc}")], str(p)) from None
    if not isinstance(data, dict) or not isinstance(data.get("plan"), dict):
        raise PlanError([Problem("", "not a tempdata manifest (no 'plan')")], str(p))
    problems = [
        Problem(key, f"must be {kind}, got {type(data[key]).__name__}")
        for key, want, kind in (
            ("versions", dict, "a table of versions"),
            ("files", list, "a list of files"),
            ("sinks", list, "a list of sinks"),
        )
        if key in data and not isinstance(data[key], want)
    ]
    files: list[Any] = data["files"] if isinstance(data.get("files"), list) else []
    sinks: list[Any] = data["sinks"] if isinstance(data.get("sinks"), list) else []
    for i, f in enumerate(files):
        if not isinstance(f, dict) or not all(
            isinstance(f.get(k), str) for k in ("dataset", "path", "format", "sha256")
        ):
            problems.append(
                Problem(f"files[{i}]", "must have dataset, path, format and sha256 as text")
            )
    for i, sink in enumerate(sinks):
        if not isinstance(sink, dict) or not isinstance(sink.get("uri", ""), str):
            problems.append(Problem(f"sinks[{i}]", "must be a table with a text uri"))
    if problems:
        raise PlanError(problems[:1], str(p))
    return data


def _replayed_sinks(resolved: Mapping[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """The manifest's sinks a replay loads again — database files in the output folder,
    replaced — and those it leaves alone, each with why."""
    from tempdata.export.database import parse_database

    again, left = [], []
    for sink in resolved.get("sinks") or ():
        uri = str(sink.get("uri", ""))
        try:
            database = parse_database(uri)
        except TempDataError:
            left.append(f"{uri}: not a database URI")
            continue
        if database.engine == "postgresql":
            left.append(f"{uri}: a server, loaded by running the plan, not by a replay")
        elif database.path.is_absolute():  # recorded before paths were relative
            left.append(f"{uri}: recorded with an absolute path")
        else:
            again.append({"uri": uri, "if_exists": "replace", "only": list(sink.get("only", []))})
    return again, left


def _plan_of_manifest(manifest: Mapping[str, Any], source: str = "manifest") -> dict[str, Any]:
    """The plan mapping a manifest's resolved plan stands for (replayed as is); a
    manifest whose plan is not shaped as tempdata writes it is one line."""
    try:
        return _plan_mapping(manifest)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        what = f"no {exc}" if isinstance(exc, KeyError) else str(exc).split("\n")[0]
        msg = f"not a tempdata manifest: its plan cannot be read ({what})"
        raise PlanError([Problem("plan", msg)], source) from None


def _plan_mapping(manifest: Mapping[str, Any]) -> dict[str, Any]:
    resolved = manifest["plan"]
    keep = ("dataset", "rows", "formats", "country", "locale")  # when set
    given = ("time_series", "interval", "drop", "params", "columns", "dirty")  # when not empty
    datasets: dict[str, Any] = {}
    for name, entry in resolved.get("datasets", {}).items():
        table = {k: entry[k] for k in keep if entry.get(k) is not None}
        table.update({k: entry[k] for k in given if entry.get(k)})
        if entry.get("date_range") is not None:
            table["date_range"] = list(entry["date_range"])
        if table.get("dataset") == name:
            del table["dataset"]  # the table's own name (a custom dataset has no other)
        datasets[name] = table
    plan: dict[str, Any] = {
        "version": resolved.get("version", 1),
        "seed": manifest["seed"],
        "reference_date": dt.date.fromisoformat(manifest["reference_date"]),
        "workers": resolved.get("workers", 1),
        "output": {
            "if_exists": "replace",
            "layout": resolved.get("output", {}).get("layout", "single"),
        },
        "datasets": datasets,
    }
    backend = resolved.get("backend") or {}
    if backend.get("engine", "local") != "local":
        plan["backend"] = {k: v for k, v in backend.items() if v is not None}
    sinks, _ = _replayed_sinks(resolved)
    if sinks:
        plan["sinks"] = sinks
    return plan


def replay(
    manifest_path: str | Path,
    *,
    output_dir: str | Path | None = None,
    on_progress: Progress | None = None,
) -> ReplayResult:
    """Run a manifest's plan again into a fresh folder and compare every file's
    checksum with the one recorded; the manifest's own folder is never touched.

    The fresh folder is ``output_dir`` (which must not exist or be empty, and is kept)
    or, by default, a temporary folder beside the manifest's, removed once compared.
    Warns when the versions differ from the manifest's, since the data is promised
    identical only under the same ones."""
    from tempdata.api import versions

    path = Path(manifest_path)
    manifest = read_manifest(path)
    recorded = manifest.get("versions", {})
    now = versions()
    changes = {
        k: (str(recorded.get(k)), v) for k, v in now.items() if str(recorded.get(k)) != str(v)
    }
    if changes:
        listed = ", ".join(f"{k} {a} → {b}" for k, (a, b) in changes.items())
        warnings.warn(
            f"the manifest was written with other versions ({listed}); files may differ",
            stacklevel=2,
        )
    from tempdata.export.formats import check_local

    check_local(output_dir, "output folder")
    home = path.resolve().parent
    if output_dir is None:
        reclaim(home.parent)
        folder = temp_path(home)
    else:
        folder = Path(output_dir)
        if folder.resolve() == home:
            msg = (
                f"a replay writes to a fresh folder, not {str(folder)!r}, the manifest's own "
                "(it would overwrite the files it checks): leave --output out or name another"
            )
            raise FileSystemError(msg)
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            msg = f"a replay writes to a fresh folder: {str(folder)!r} exists and is not empty"
            raise FileSystemError(msg)
    try:
        plan = load_plan(_plan_of_manifest(manifest, str(path)), output_dir=folder)
        result = run_plan(plan, on_progress=on_progress)
        return _compared(manifest, folder, result, changes)
    finally:
        if output_dir is None:
            shutil.rmtree(folder, ignore_errors=True)


def _compared(
    manifest: Mapping[str, Any], folder: Path, result: BatchResult, changes: Mapping[str, Any]
) -> ReplayResult:
    expected = {f["path"]: f["sha256"] for f in manifest.get("files", [])}
    got = {f.path.relative_to(folder).as_posix(): f.sha256 for f in result.files}
    identical = tuple(p for p, h in expected.items() if got.get(p) == h)
    different = tuple(p for p, h in expected.items() if p in got and got[p] != h)
    missing = tuple(p for p in expected if p not in got)
    reloaded = {s["uri"]: s["tables"] for s in result.manifest.get("sinks", [])}
    tables_different = tuple(
        f"{s['uri']} {table}: {reloaded.get(s['uri'], {}).get(table, 0):,} rows, recorded {rows:,}"
        for s in manifest.get("sinks", [])
        if s.get("uri") in reloaded
        for table, rows in s.get("tables", {}).items()
        if reloaded[s["uri"]].get(table) != rows
    )
    _, left = _replayed_sinks(manifest["plan"])
    return ReplayResult(
        result,
        identical,
        different,
        missing,
        MappingProxyType(changes),
        reloaded=tuple(reloaded),
        not_reloaded=tuple(left),
        tables_different=tables_different,
    )
