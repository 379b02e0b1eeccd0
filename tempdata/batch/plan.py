"""Plan files: the TOML of DESIGN §7, checked whole before anything runs.

:func:`load_plan` reads a plan (a TOML file or the same structure as a mapping),
applies a profile, and checks every key and value. Every problem is collected with
its TOML path (``datasets.sales.rows: rows must be a positive integer, got -5``) and
raised together as one :class:`PlanError`, so a user fixes a plan in one round. The
result, a :class:`Plan`, is fully resolved: each dataset entry carries the values it
runs with, parent datasets come before their children, and a child's foreign keys
are sized to its parent's rows in the plan, so every key it writes exists in the
parent's file.

A plan never executes code: it names catalogue datasets, parameters and values.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

from tempdata.config import MAX_ROWS
from tempdata.core.plan import Dataset
from tempdata.errors import InvalidParameterError, TempDataError, suggest
from tempdata.export.database import redact
from tempdata.export.formats import check_local, url_scheme

__all__ = [
    "SCHEMA_PATH",
    "DatasetEntry",
    "Plan",
    "PlanError",
    "Problem",
    "load_plan",
    "parse_plan_text",
    "plan_schema",
]

#: The plan's JSON Schema (draft 2020-12), for editors: ``tempdata run --schema``.
SCHEMA_PATH = Path(__file__).with_name("plan.schema.json")

PLAN_VERSION = 1
IF_EXISTS = ("replace", "error", "skip")

#: Keys of the top level (and of a profile, which overlays it, plus ``scale``).
TOP_KEYS = (
    "version",
    "seed",
    "reference_date",
    "formats",
    "country",
    "locale",
    "date_range",
    "workers",
    "output",
    "datasets",
    "profiles",
    "sinks",
    "backend",
)
PROFILE_KEYS = (
    "seed",
    "reference_date",
    "formats",
    "country",
    "locale",
    "date_range",
    "workers",
    "output",
    "backend",
    "datasets",
    "scale",
)
OUTPUT_KEYS = ("dir", "if_exists", "layout")
BACKEND_KEYS = ("engine", "address")
DATASET_KEYS = (
    "dataset",
    "rows",
    "formats",
    "country",
    "locale",
    "date_range",
    "time_series",
    "interval",
    "drop",
    "params",
    "columns",
    "dirty",
)
#: Top-level keys every dataset inherits unless it sets its own.
INHERITED = ("formats", "country", "locale", "date_range")
_TIME_SERIES_KEYS = ("seasonal_patterns", "trend_direction", "volatility_level")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")
# Added by later issues: say so instead of "unknown key".
_NOT_YET: dict[str, str] = {}
SINK_KEYS = ("uri", "if_exists", "only")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a plan: where (a TOML path) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class PlanError(InvalidParameterError):
    """A plan has problems; ``problems`` lists each with its TOML path."""

    def __init__(self, problems: Sequence[Problem], source: str = "plan") -> None:
        self.problems = tuple(problems)
        self.source = source
        count = len(self.problems)
        head = f"{source}: {count} problem{'s' if count != 1 else ''}"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


@dataclass(frozen=True)
class DatasetEntry:
    """One table of a plan, resolved: the values it is generated with."""

    name: str  # the plan's table name: output file stem and stream namespace
    dataset: str  # the catalogue dataset
    rows: int | None
    formats: tuple[str, ...]
    country: str
    locale: str | None
    date_range: tuple[str | None, str | None] | None
    time_series: bool | Mapping[str, Any]
    interval: str | None
    drop: tuple[str, ...]
    params: Mapping[str, Any]
    parents: tuple[str, ...] = ()  # plan entries this one's keys refer to
    custom: bool = False  # declared wholly in the plan by its columns
    columns: Mapping[str, Any] = field(default_factory=dict)  # the plan's column tables
    dirty: Mapping[str, Any] = field(default_factory=dict)  # the plan's dirty table
    dirt: Any = field(default=None, compare=False, repr=False)  # it, checked (a Dirt)
    specs: tuple[Any, ...] = field(default=(), compare=False, repr=False)
    built: Dataset | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The entry as plain TOML/JSON values (the manifest's resolved plan)."""
        return {
            "dataset": self.dataset,
            "rows": self.rows,
            "formats": list(self.formats),
            "country": self.country,
            "locale": self.locale,
            "date_range": None if self.date_range is None else list(self.date_range),
            "time_series": self.time_series
            if isinstance(self.time_series, bool)
            else dict(self.time_series),
            "interval": self.interval,
            "drop": list(self.drop),
            "params": dict(self.params),
            "columns": dict(self.columns),
            "dirty": dict(self.dirty),
            "parents": list(self.parents),
        }

    def catalogue_dataset(self) -> Dataset:
        """The dataset to generate: the catalogue's, renamed when the table is a second
        instance (``[datasets.vip_customers] dataset = "customers"``) so that its rows
        come from their own streams instead of repeating the first instance's."""
        if self.built is not None:
            return self.built
        from tempdata.datasets import registry

        base = registry.get(self.dataset)
        return base if self.name == self.dataset else base.renamed(self.name)


@dataclass(frozen=True)
class Sink:
    """A ``[[sinks]]`` table: a database every (or each ``only``) dataset is loaded into."""

    uri: str
    if_exists: str = "replace"
    only: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"uri": self.uri, "if_exists": self.if_exists, "only": list(self.only)}


@dataclass(frozen=True)
class Plan:
    """A checked plan: settings and its datasets in dependency order."""

    seed: int | None
    reference_date: dt.date | None
    output_dir: Path
    if_exists: str
    workers: int
    datasets: tuple[DatasetEntry, ...]
    profile: str | None = None
    source: str = "plan"
    base_dir: Path = field(default_factory=Path.cwd)
    seed_given: bool = True  # False: the clock chose the seed when the plan was read
    sinks: tuple[Sink, ...] = ()  # databases the datasets are loaded into
    layout: str = "single"  # or "parts": a folder of part files per dataset and format
    backend: str = "local"  # or "dask"
    address: str | None = None  # the Dask scheduler
    #: Every dataset of the plan by table name (also those left out by ``only``):
    #: the parents a child reads are looked up here before the catalogue.
    tables: Mapping[str, Dataset] = field(default_factory=dict, compare=False, repr=False)

    def catalogue(self, name: str) -> Dataset:
        """A parent by name: the plan's table of that name, else the catalogue's."""
        from tempdata.datasets import registry

        table = self.tables.get(name)
        return table if table is not None else registry.get(name)

    def entry(self, name: str) -> DatasetEntry:
        for e in self.datasets:
            if e.name == name:
                return e
        msg = f"the plan has no dataset {name!r}{suggest(name, [e.name for e in self.datasets])}"
        raise InvalidParameterError(msg)

    def recorded_uri(self, sink: Sink) -> str:
        """A sink's URI as the manifest records it: a database file relative to the
        output folder (so the folder can move), a server's without its password."""
        from tempdata.export.database import parse_database

        database = parse_database(sink.uri)
        if database.engine == "postgresql":
            return str(database)  # its password masked
        try:
            rel = database.path.relative_to(self.output_dir)
        except ValueError:
            return str(database)
        return f"{database.engine}:///{rel.as_posix()}"

    def to_dict(self) -> dict[str, Any]:
        """The resolved plan as plain values: what the manifest records and replays."""
        return {
            "version": PLAN_VERSION,
            "seed": self.seed,
            "reference_date": None
            if self.reference_date is None
            else self.reference_date.isoformat(),
            "workers": self.workers,
            "output": {"if_exists": self.if_exists, "layout": self.layout},
            "backend": {
                "engine": self.backend,
                "address": None if self.address is None else redact(self.address),
            },
            "sinks": [{**k.to_dict(), "uri": self.recorded_uri(k)} for k in self.sinks],
            "profile": self.profile,
            "datasets": {e.name: e.to_dict() for e in self.datasets},
        }


# --------------------------------------------------------------------------- reading


def plan_schema() -> dict[str, Any]:
    """The plan's JSON Schema as a dict."""
    import json

    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def parse_plan_text(text: str, source: str = "plan") -> dict[str, Any]:
    """The TOML document ``text`` as a dict, or a :class:`PlanError` with the line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError([Problem("", f"not valid TOML: {exc}")], source) from None


def read_plan_file(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanError([Problem("", "no such file")], str(p)) from None
    except IsADirectoryError:
        raise PlanError([Problem("", "is a directory, not a plan file")], str(p)) from None
    except UnicodeDecodeError:
        raise PlanError([Problem("", "is not UTF-8 text")], str(p)) from None
    except OSError as exc:
        raise PlanError([Problem("", f"cannot be read: {exc.strerror or exc}")], str(p)) from None
    return parse_plan_text(text, str(p))


# --------------------------------------------------------------------------- checking


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def keys(self, table: Mapping[str, Any], allowed: Iterable[str], path: str) -> None:
        allowed = tuple(allowed)
        for key in table:
            if key in allowed:
                continue
            where = f"{path}.{key}" if path else key
            if key == "scale" and not path:
                self.add(
                    where, "goes in a profile: [profiles.NAME] scale = 0.1, run with --profile NAME"
                )
                continue
            self.add(where, f"unknown key{suggest(key, allowed)}")

    def table(self, value: object, path: str) -> Mapping[str, Any] | None:
        if isinstance(value, Mapping):
            return value
        self.add(path, f"must be a table, got {_show(value)}")
        return None

    def attempt(self, path: str, check: Any, *args: Any, **kwargs: Any) -> Any:
        """``check(*args)``, recording its error at ``path``; ``None`` when it failed."""
        try:
            return check(*args, **kwargs)
        except TempDataError as exc:
            self.add(path, str(exc))
            return None


def _show(value: object) -> str:
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return repr(value)


def _merge(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """``overlay`` over ``base``, tables merged key by key (a profile over the plan)."""
    out = dict(base)
    for key, value in overlay.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _int(c: _Checker, value: object, path: str, *, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        c.add(path, f"must be an integer from {low:,} to {high:,}, got {_show(value)}")
        return None
    return value


def _moment_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _plain(value: Any) -> Any:
    """TOML values as JSON ones (dates as ISO text), for the manifest."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return value


def _strings(c: _Checker, value: object, path: str) -> list[str] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        c.add(path, f"must be an array of strings, got {_show(value)}")
        return None
    return list(value)


def _formats(c: _Checker, value: object, path: str) -> tuple[str, ...] | None:
    from tempdata.export.formats import check_format

    names = _strings(c, value, path)
    if names is None:
        return None
    if not names:
        c.add(path, 'must name at least one format, e.g. ["parquet"]')
        return None
    out = [c.attempt(f"{path}[{i}]", check_format, n) for i, n in enumerate(names)]
    if any(f is None for f in out):
        return None
    return tuple(dict.fromkeys(out))


def _date_range(c: _Checker, value: object, path: str) -> tuple[str | None, str | None] | None:
    from tempdata.config import resolve_date_range

    if not isinstance(value, list) or len(value) != 2:
        c.add(path, f"must be a pair [start, end] of dates, got {_show(value)}")
        return None
    pair = (_moment_text(value[0]), _moment_text(value[1]))
    if c.attempt(path, resolve_date_range, pair, dt.date(2025, 12, 31)) is None:
        return None
    return pair


def _output_dir(c: _Checker, value: object, base: Path) -> Path:
    if not isinstance(value, str) or not value.strip():
        c.add("output.dir", f"must be a folder name, got {_show(value)}")
        return base / "out"
    if url_scheme(value) is not None:
        c.add("output.dir", f"{value!r} is a URL: give a folder inside the plan's folder")
        return base / "out"
    rel = PurePosixPath(value.replace("\\", "/"))
    if rel.is_absolute() or re.match(r"^[A-Za-z]:", value) or ".." in rel.parts:
        c.add(
            "output.dir",
            f'{value!r} is outside the plan\'s folder; give a path inside it (e.g. "out"), '
            "or choose another folder with --output",
        )
        return base / "out"
    folder = base / Path(*rel.parts) if rel.parts else base
    try:
        inside = folder.resolve().is_relative_to(base.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        inside = False
    if not inside:
        c.add(
            "output.dir",
            f"{value!r} leads outside the plan's folder (through a symbolic link, to "
            f"{str(folder.resolve())!r}); to write to another disk, name it with --output",
        )
        return base / "out"
    return folder


def _check_entry(
    c: _Checker,
    name: str,
    table: Mapping[str, Any],
    top: Mapping[str, Any],
    scale: float,
) -> DatasetEntry | None:
    """One ``[datasets.NAME]`` table; ``None`` when it has problems."""
    from tempdata.config import check_time_series
    from tempdata.datasets import registry
    from tempdata.geo.countries import resolve_country
    from tempdata.samplers.geo import check_locale

    path = f"datasets.{name}"
    before = len(c.problems)
    if not _NAME.fullmatch(name):
        c.add(
            path,
            "a dataset's table name becomes its file name: use letters, digits, _ and - "
            "(starting with a letter, at most 64)",
        )
    c.keys(table, DATASET_KEYS, path)
    catalogue_name = table.get("dataset", name)
    if not isinstance(catalogue_name, str):
        c.add(f"{path}.dataset", f"must be a catalogue dataset name, got {_show(catalogue_name)}")
        return None
    custom = (
        "dataset" not in table
        and name not in registry.names()
        and isinstance(table.get("columns"), Mapping)
    )
    if custom:
        dataset = None  # declared wholly by its columns
    else:
        dataset = c.attempt(
            f"{path}.dataset" if "dataset" in table else path, registry.get, catalogue_name
        )
        if dataset is not None and name != catalogue_name and name in registry.names():
            c.add(
                path,
                f"{name!r} is a catalogue dataset, so a table of that name must be one; "
                f"name this {catalogue_name} table otherwise",
            )
    merged = {k: top[k] for k in INHERITED if k in top} | dict(table)

    rows = None
    if "rows" in table:
        rows = _int(c, table["rows"], f"{path}.rows", low=1, high=MAX_ROWS)
        if rows is not None and scale != 1.0:
            rows = max(1, math.floor(rows * scale + 0.5))
    # Values inherited from the top level are checked (and reported) there, once.
    quiet = _Checker()

    def at(key: str) -> _Checker:
        return c if key in table else quiet

    formats = _formats(at("formats"), merged.get("formats", ["parquet"]), f"{path}.formats")
    if formats is not None and ("json" in formats or "excel" in formats) and rows and rows > 10**8:
        c.add(f"{path}.formats", "json and excel are not meant for over 100 million rows")
    country = merged.get("country", "global")
    code = at("country").attempt(f"{path}.country", resolve_country, country)
    locale = merged.get("locale")
    if locale is not None:
        where = f"{path}.locale"
        if not isinstance(locale, str):
            at("locale").add(where, f"must be a locale name like 'de_DE', got {_show(locale)}")
            locale = None
        elif at("locale").attempt(where, check_locale, locale) is None:
            locale = None
    date_range = None
    if "date_range" in merged:
        date_range = _date_range(at("date_range"), merged["date_range"], f"{path}.date_range")
    series: bool | Mapping[str, Any] = False
    if "time_series" in table:
        raw = table["time_series"]
        where = f"{path}.time_series"
        if isinstance(raw, Mapping):
            c.keys(raw, _TIME_SERIES_KEYS, where)
            if c.attempt(where, check_time_series, dict(raw)) is not None:
                series = MappingProxyType(dict(raw))
        elif isinstance(raw, bool):
            series = raw
        else:
            c.add(where, f"must be true, false or a table of {', '.join(_TIME_SERIES_KEYS)}")
    interval = table.get("interval")
    if interval is not None and not isinstance(interval, str):
        c.add(f"{path}.interval", f"must be an interval like '1h', got {_show(interval)}")
        interval = None
    drop: tuple[str, ...] = ()
    if "drop" in table:
        names = _strings(c, table["drop"], f"{path}.drop")
        drop = tuple(names or ())
    params: dict[str, Any] = {}
    if "params" in table:
        raw_params = c.table(table["params"], f"{path}.params")
        params = dict(raw_params or {})
    specs: list[tuple[Any, str]] = []
    raw_columns: dict[str, Any] = {}
    if "columns" in table:
        from tempdata.batch.columns import parse_column

        columns = c.table(table["columns"], f"{path}.columns") or {}
        if custom and not columns:
            c.add(f"{path}.columns", "a dataset declared in a plan needs at least one column")
        for column, spec_table in columns.items():
            where = f"{path}.columns.{column}"
            try:
                spec = parse_column(column, spec_table, where)
            except InvalidParameterError as exc:
                c.add(getattr(exc, "plan_path", where), str(exc))
                continue
            if dataset is not None and spec.kind == "nulls" and column not in dataset.column_names:
                c.add(where, f"unknown column{suggest(column, dataset.column_names)}")
                continue
            specs.append((spec, where))
            raw_columns[column] = _plain(spec_table)
    dirt = None
    raw_dirty: dict[str, Any] = {}
    if "dirty" in table:
        dirty_table = c.table(table["dirty"], f"{path}.dirty")
        if dirty_table is not None:
            dirt = _dirt(c, dirty_table, f"{path}.dirty")
            raw_dirty = _plain(dict(dirty_table))
    if dataset is not None and drop:
        for i, column in enumerate(drop):
            if column not in dataset.column_names:
                c.add(
                    f"{path}.drop[{i}]",
                    f"{catalogue_name!r} has no column {column!r}"
                    f"{suggest(column, dataset.column_names)}",
                )
    failed = len(c.problems) > before or quiet.problems
    if failed or (dataset is None and not custom) or formats is None or code is None:
        return None
    return DatasetEntry(
        name=name,
        dataset=catalogue_name,
        custom=custom,
        columns=MappingProxyType(raw_columns),
        specs=tuple(specs),
        dirty=MappingProxyType(raw_dirty),
        dirt=dirt,
        rows=rows,
        formats=formats,
        country=code,
        locale=locale,
        date_range=date_range,
        time_series=series,
        interval=interval,
        drop=drop,
        params=MappingProxyType(params),
    )


@dataclass
class _ParentUse:
    parameter: str | None  # the child's parameter that sets the parent's rows
    keys: list[Any] = field(default_factory=list)  # foreign-key samplers into it
    reads_values: bool = False  # lookups, or the whole parent read by a sampler


def _parents_of(dataset: Dataset) -> dict[str, _ParentUse]:
    """Catalogue parents of ``dataset`` and how it uses each."""
    from tempdata.core.plan import Column
    from tempdata.samplers.ids import foreign_keys_of, lookups_of

    out = {
        parent: _ParentUse(parameter, reads_values=True)
        for parent, parameter in dataset.parents.items()
    }
    for item in dataset.items:
        if not isinstance(item, Column):
            continue
        for fk in foreign_keys_of(item.source):
            parameter = fk.parent if fk.parent in dataset.parameters else None
            use = out.setdefault(fk.parent, _ParentUse(parameter))
            use.keys.append(fk)
            use.reads_values |= bool(lookups_of(item.source))
    return out


def _bind_parents(
    c: _Checker, entries: dict[str, DatasetEntry], reference_date: dt.date | None
) -> dict[str, DatasetEntry]:
    """Size each child's foreign keys to its parent's rows in the plan, and check that
    parent and child agree on what makes the parent's values (country, locale)."""
    from tempdata.config import resolve_params
    from tempdata.core.seeding import Seeder

    seeder = Seeder(0, reference_date=reference_date)
    out = dict(entries)
    for name, entry in entries.items():
        dataset = entry.catalogue_dataset()
        parents: list[str] = []
        params = dict(entry.params)
        for parent, use in _parents_of(dataset).items():
            parameter, keys = use.parameter, use.keys
            plan_parent = entries.get(parent)
            if parent in entry.parents:
                continue  # a references/lookup column of the plan, sized when built
            if plan_parent is None or plan_parent.dataset != parent:
                continue  # generated alone: the child sizes its keys itself
            parents.append(parent)
            path = f"datasets.{name}"
            if (plan_parent.country, plan_parent.locale) != (entry.country, entry.locale):
                c.add(
                    path,
                    f"refers to {parent!r}, which is generated for another country or "
                    "locale; give both the same country and locale",
                )
                continue
            if use.reads_values and not _parent_keeps_shape(c, name, plan_parent):
                continue
            parent_rows = plan_parent.rows
            if parent_rows is None:
                parent_rows = c.attempt(
                    f"datasets.{parent}", _default_rows, plan_parent, reference_date
                )
                if parent_rows is None:
                    continue
            if parameter is None:
                c.add(
                    path,
                    f"refers to {parent!r} but has no parameter that sizes it, so its keys "
                    "cannot follow the plan's table",
                )
                continue
            if parameter not in params:
                params[parameter] = parent_rows
            elif params[parameter] != parent_rows and not keys:
                c.add(
                    f"{path}.params.{parameter}",
                    f"must equal the rows of datasets.{parent} ({parent_rows:,}), got "
                    f"{params[parameter]!r}",
                )
                continue
            resolved = c.attempt(
                path,
                resolve_params,
                dataset,
                rows=entry.rows,
                seeder=seeder,
                country=entry.country,
                locale=entry.locale,
                date_range=entry.date_range,
                time_series=entry.time_series,
                interval=entry.interval,
                custom_params=params,
            )
            if resolved is None:
                continue
            for fk in keys:
                size = fk.parent_rows(resolved)
                if size > parent_rows:
                    c.add(
                        path,
                        f"its {parent} keys reach row {size:,} but datasets.{parent} has "
                        f"{parent_rows:,} rows; set params.{parent} to at most {parent_rows:,}",
                    )
                    break
        parents = list(dict.fromkeys([*entry.parents, *parents]))
        out[name] = replace(entry, params=MappingProxyType(params), parents=tuple(parents))
    return out


def _dirt(c: _Checker, table: Mapping[str, Any], path: str) -> Any:
    """``[datasets.X.dirty]``: ``kind = rate`` or ``kind = { rate, columns }``, and
    ``label`` (default true: the ``_damage`` column)."""
    from tempdata.quality.dirty import KINDS, Dirt

    c.keys(table, (*KINDS, "label"), path)
    rates: dict[str, float] = {}
    columns: dict[str, tuple[str, ...]] = {}
    before = len(c.problems)
    for kind in KINDS:
        if kind not in table:
            continue
        value = table[kind]
        where = f"{path}.{kind}"
        if isinstance(value, Mapping):
            c.keys(value, ("rate", "columns"), where)
            names = _strings(c, value.get("columns", []), f"{where}.columns")
            if names:
                columns[kind] = tuple(names)
            value = value.get("rate")
            where = f"{where}.rate"
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            c.add(where, f"must be a share of rows from 0 to 1, got {_show(value)}")
            continue
        rates[kind] = float(value)
    label = table.get("label", True)
    if not isinstance(label, bool):
        c.add(f"{path}.label", f"must be true or false, got {_show(label)}")
    if len(c.problems) > before or not rates:
        if not rates and len(c.problems) == before:
            c.add(path, f"name at least one kind of damage: {', '.join(KINDS)}")
        return None
    return Dirt(rates, columns, bool(label))


def _sinks(c: _Checker, value: object, out_dir: Path) -> list[Sink]:
    """``[[sinks]]``: ``uri`` (``sqlite:///fixtures.db``: a file relative to the output
    folder, which it cannot leave; ``duckdb:///...``; ``postgresql://...``),
    ``if_exists`` (error, replace, append) and ``only`` (dataset names)."""
    from tempdata.export.database import DB_IF_EXISTS, parse_database

    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        c.add("sinks", 'must be an array of tables: [[sinks]] uri = "sqlite:///fixtures.db"')
        return []
    out = []
    for i, table in enumerate(value):
        path = f"sinks[{i}]"
        c.keys(table, SINK_KEYS, path)
        uri = table.get("uri")
        if not isinstance(uri, str):
            c.add(
                f"{path}.uri",
                f"must be a database URI like 'sqlite:///fixtures.db', got {_show(uri)}",
            )
            continue
        database = c.attempt(f"{path}.uri", parse_database, uri)
        if database is None:
            continue
        if database.engine != "postgresql":
            rel = PurePosixPath(str(database.path))
            target = out_dir / Path(*rel.parts)
            try:
                inside = target.resolve().is_relative_to(out_dir.resolve())
            except (OSError, RuntimeError):  # a symlink loop
                inside = False
            if rel.is_absolute() or ".." in rel.parts or not inside:
                c.add(f"{path}.uri", f"{redact(uri)!r} must name a file inside the output folder")
                continue
            uri = f"{database.engine}:///{target}"
        if_exists = table.get("if_exists", "replace")
        if if_exists not in DB_IF_EXISTS:
            c.add(
                f"{path}.if_exists",
                f"must be one of {', '.join(DB_IF_EXISTS)}, got {_show(if_exists)}",
            )
            continue
        names = _strings(c, table.get("only", []), f"{path}.only")
        out.append(Sink(uri, if_exists, tuple(names or ())))
    return out


def _parent_keeps_shape(c: _Checker, child: str, parent: DatasetEntry) -> bool:
    """A child reads its parent's values as the parent is generated alone (DESIGN §2),
    so the parent's file matches only if nothing else in the plan shapes it."""
    shaped = [
        key
        for key, value in (
            ("date_range", parent.date_range),
            ("params", dict(parent.params)),
            ("time_series", parent.time_series),
            ("interval", parent.interval),
        )
        if value
    ]
    if shaped:
        c.add(
            f"datasets.{parent.name}.{shaped[0]}",
            f"{child} reads values of {parent.name}, which must then be generated as its "
            f"table makes it: remove {shaped[0]}",
        )
        return False
    return True


def _build(
    c: _Checker, entries: dict[str, DatasetEntry], reference_date: dt.date | None, seed: int
) -> dict[str, DatasetEntry]:
    """Apply each table's columns to its dataset, parents (of references) first; a
    table with a ``per_parent`` column gets the rows its parents' children add up to."""
    from tempdata.batch.columns import build_dataset
    from tempdata.datasets import registry

    refs = {
        name: list(
            dict.fromkeys(
                spec.parent for spec, _ in e.specs if spec.kind in ("references", "lookup")
            )
        )
        for name, e in entries.items()
    }
    order = _parents_first(
        c,
        {name: [p for p in refs[name] if p in entries] for name in entries},
        lambda name, cycle: (f"datasets.{name}.columns", f"references form a cycle: {cycle}"),
    )
    if c.problems:
        return entries
    out = dict(entries)
    for name in order:
        entry = out[name]
        parents: dict[str, tuple[Dataset, int]] = {}
        for parent in refs[name]:
            if parent not in out or out[parent].built is None:
                continue  # unknown: build_dataset names it
            p = out[parent]
            rows = p.rows
            if rows is None:
                rows = c.attempt(f"datasets.{parent}", _default_rows, p, reference_date)
                if rows is None:
                    continue
            assert p.built is not None
            parents[parent] = (p.built, rows)
            reads = any(s.kind == "lookup" and s.parent == parent for s, _ in entry.specs)
            if reads:
                if (p.country, p.locale) != (entry.country, entry.locale):
                    c.add(
                        f"datasets.{name}",
                        f"reads values of {parent!r}, which is generated for another country "
                        "or locale; give both the same country and locale",
                    )
                _parent_keeps_shape(c, name, p)
        if entry.custom:
            base = None
        else:
            base = registry.get(entry.dataset)
            base = base if name == entry.dataset else base.renamed(name)
        try:
            built = (
                build_dataset(base, name, list(entry.specs), parents)
                if entry.specs or base is None
                else base
            )
        except InvalidParameterError as exc:
            c.add(getattr(exc, "plan_path", f"datasets.{name}"), str(exc))
            continue
        if entry.dirt is not None:
            built = built.with_dirt(entry.dirt)
        rows = entry.rows
        counted = [(s, w) for s, w in entry.specs if s.per_parent is not None]
        if len(counted) > 1:
            c.add(counted[1][1], "a table can have one per_parent column")
            continue
        if counted:
            spec, where = counted[0]
            if entry.rows is not None:
                c.add(
                    f"datasets.{name}.rows",
                    f"the rows follow per_parent in {where}; leave rows out",
                )
                continue
            sampler = _column_source(built, spec.name)
            rows = sampler.total_rows(seed, name, spec.name)
            if rows < 1:
                c.add(where, "every parent got 0 children: the table would be empty")
                continue
        out[name] = replace(entry, built=built, rows=rows, parents=tuple(refs[name]))
    return out


def _column_source(dataset: Dataset, name: str) -> Any:
    from tempdata.core.plan import Column

    for item in dataset.items:
        if isinstance(item, Column) and item.name == name:
            return item.source
    msg = f"no column {name!r} in {dataset.name!r}"
    raise AssertionError(msg)


def _default_rows(entry: DatasetEntry, reference_date: dt.date | None) -> int:
    from tempdata.config import resolve_params
    from tempdata.core.seeding import Seeder

    params = resolve_params(
        entry.catalogue_dataset(),
        rows=None,
        seeder=Seeder(0, reference_date=reference_date),
        country=entry.country,
        locale=entry.locale,
        date_range=entry.date_range,
        time_series=entry.time_series,
        interval=entry.interval,
        custom_params=entry.params,
    )
    return params.rows


def _check_runnable(c: _Checker, entry: DatasetEntry, reference_date: dt.date | None) -> None:
    """Everything that only shows when the arguments meet (rows against a time-series
    range, an interval the dataset does not take, parameter values, drop)."""
    from tempdata.config import resolve_params
    from tempdata.core.planner import Planner
    from tempdata.core.seeding import Seeder

    path = f"datasets.{entry.name}"
    dataset = entry.catalogue_dataset()
    seeder = Seeder(0, reference_date=reference_date)
    params = c.attempt(
        path,
        resolve_params,
        dataset,
        rows=entry.rows,
        seeder=seeder,
        country=entry.country,
        locale=entry.locale,
        date_range=entry.date_range,
        time_series=entry.time_series,
        interval=entry.interval,
        custom_params=entry.params,
    )
    if params is not None:
        where = f"{path}.drop" if entry.drop else f"{path}.columns"
        if entry.dirt is not None:
            clean = dataset.with_dirt(None)
            if c.attempt(where, Planner, clean, params, seeder, drop=entry.drop or None):
                c.attempt(
                    f"{path}.dirty", Planner, dataset, params, seeder, drop=entry.drop or None
                )
        else:
            c.attempt(where, Planner, dataset, params, seeder, drop=entry.drop or None)


def _order(c: _Checker, entries: dict[str, DatasetEntry]) -> list[DatasetEntry]:
    """Parents before children, otherwise in plan order; a cycle is a problem."""
    order = _parents_first(
        c,
        {name: list(e.parents) for name, e in entries.items()},
        lambda name, cycle: (
            f"datasets.{name}",
            f"datasets refer to each other in a cycle: {cycle}",
        ),
    )
    return [entries[n] for n in order]


def _parents_first(
    c: _Checker,
    parents: Mapping[str, list[str]],
    cycle_problem: Callable[[str, str], tuple[str, str]],
) -> list[str]:
    """Names with their parents first, otherwise in the given order (a depth-first
    walk); a cycle is recorded as ``cycle_problem(name, "a → b → a")``."""
    done: list[str] = []
    state: dict[str, int] = {}

    def visit(name: str, trail: tuple[str, ...]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            c.add(*cycle_problem(name, " → ".join([*trail[trail.index(name) :], name])))
            return
        state[name] = 1
        for parent in parents[name]:
            visit(parent, (*trail, name))
        state[name] = 2
        done.append(name)

    for name in parents:
        visit(name, ())
    return done


def load_plan(
    plan: str | Path | Mapping[str, Any],
    *,
    profile: str | None = None,
    only: Sequence[str] | None = None,
    output_dir: str | Path | None = None,
    base_dir: str | Path | None = None,
) -> Plan:
    """Read and check a plan: a TOML file's path, or the same structure as a mapping.

    Parameters
    ----------
    profile
        A ``[profiles.NAME]`` table to overlay on the top level (``scale`` multiplies
        every ``rows``).
    only
        Keep only these datasets (their parents are still generated inside them,
        so their keys stay valid).
    output_dir
        Where files go, instead of the plan's ``[output] dir`` (any folder).
    base_dir
        The folder a mapping's relative ``[output] dir`` is under (default: the
        current directory; for a file, its folder).

    Raises
    ------
    PlanError
        Listing every problem, each with its TOML path.
    """
    if isinstance(plan, Mapping):
        raw, source = dict(plan), "plan"
        base = Path(base_dir) if base_dir is not None else Path.cwd()
    else:
        raw, source = read_plan_file(plan), str(plan)
        base = Path(base_dir) if base_dir is not None else Path(plan).resolve().parent
    c = _Checker()
    c.keys(raw, TOP_KEYS, "")
    version = raw.get("version", PLAN_VERSION)
    if version != PLAN_VERSION or isinstance(version, bool):
        c.add("version", f"this tempdata reads plan version {PLAN_VERSION}, got {_show(version)}")

    profiles = c.table(raw.get("profiles", {}), "profiles") or {}
    for pname, ptable in profiles.items():
        checked = c.table(ptable, f"profiles.{pname}")
        if checked is not None:
            c.keys(checked, PROFILE_KEYS, f"profiles.{pname}")
    scale = 1.0
    top: Mapping[str, Any] = raw
    if profile is not None:
        chosen = profiles.get(profile)
        if not isinstance(chosen, Mapping):
            c.add("profiles", f"no profile {profile!r}{suggest(profile, profiles)}")
        else:
            overlay = {k: v for k, v in chosen.items() if k != "scale"}
            top = _merge(raw, overlay)
            if "scale" in chosen:
                s = chosen["scale"]
                if isinstance(s, bool) or not isinstance(s, (int, float)) or not 0 < s <= 1e6:
                    c.add(
                        f"profiles.{profile}.scale",
                        f"must be a number above 0 and at most 1,000,000 (it multiplies every "
                        f"dataset's rows), got {_show(s)}",
                    )
                else:
                    scale = float(s)

    seed = None
    if "seed" in top:
        seed = _int(c, top["seed"], "seed", low=0, high=2**63 - 1)
    reference_date = None
    if "reference_date" in top:
        from tempdata.core.seeding import Seeder

        value = _moment_text(top["reference_date"])
        checked_seed = c.attempt("reference_date", Seeder, 0, reference_date=value)
        reference_date = None if checked_seed is None else checked_seed.reference_date
    # Without a seed the clock picks one now (and the reference date is today), so that
    # everything the plan derives from the seed (per_parent row counts) is known before
    # the run, and the run uses what the check saw.
    from tempdata.core.seeding import Seeder

    chosen = Seeder(seed, reference_date=reference_date)
    seed_given = seed is not None
    if "seed" not in top or seed is not None:
        seed, reference_date = chosen.seed, chosen.reference_date
    workers = 1
    if "workers" in top:
        workers = _int(c, top["workers"], "workers", low=1, high=1024) or 1
    if "formats" in top:
        _formats(c, top["formats"], "formats")
    if "date_range" in top:
        _date_range(c, top["date_range"], "date_range")
    if "country" in top:
        from tempdata.geo.countries import resolve_country

        c.attempt("country", resolve_country, top["country"])
    if "locale" in top:
        from tempdata.samplers.geo import check_locale

        if not isinstance(top["locale"], str):
            c.add("locale", f"must be a locale name like 'de_DE', got {_show(top['locale'])}")
        else:
            c.attempt("locale", check_locale, top["locale"])
    for key, why in _NOT_YET.items():
        if key in raw:
            c.add(key, why)
    output = c.table(top.get("output", {}), "output") or {}
    c.keys(output, OUTPUT_KEYS, "output")
    if_exists = output.get("if_exists", "replace")
    if if_exists not in IF_EXISTS:
        c.add("output.if_exists", f"must be one of {', '.join(IF_EXISTS)}, got {_show(if_exists)}")
        if_exists = "replace"
    layout = output.get("layout", "single")
    if layout not in ("single", "parts"):
        c.add("output.layout", f"must be single or parts, got {_show(layout)}")
        layout = "single"
    backend_table = c.table(top.get("backend", {}), "backend") or {}
    c.keys(backend_table, BACKEND_KEYS, "backend")
    engine = backend_table.get("engine", "local")
    if engine not in ("local", "dask"):
        c.add("backend.engine", f"must be local or dask, got {_show(engine)}")
        engine = "local"
    address = backend_table.get("address")
    if address is not None and (not isinstance(address, str) or not address.strip()):
        c.add(
            "backend.address",
            f"must be a scheduler address like 'tcp://host:8786', got {_show(address)}",
        )
        address = None
    if engine == "dask":
        layout = "parts"  # a cluster writes part files
    if output_dir is not None:
        check_local(output_dir, "output folder")
        out_dir = Path(output_dir)
    else:
        out_dir = _output_dir(c, output.get("dir", "out"), base)

    sinks = _sinks(c, top.get("sinks", []), out_dir)

    datasets = c.table(top.get("datasets"), "datasets") if "datasets" in top else None
    if "datasets" not in top or (datasets is not None and not datasets):
        c.add("datasets", "a plan needs at least one [datasets.NAME] table")
    entries: dict[str, DatasetEntry] = {}
    for name, table in (datasets or {}).items():
        checked = c.table(table, f"datasets.{name}")
        if checked is None:
            continue
        entry = _check_entry(c, name, checked, top, scale)
        if entry is not None:
            entries[name] = entry
    if not c.problems:
        entries = _build(c, entries, reference_date, seed or 0)
    for entry in entries.values():
        if entry.built is not None:
            _check_runnable(c, entry, reference_date)
    if not c.problems:
        entries = _bind_parents(c, entries, reference_date)
    ordered = _order(c, entries) if not c.problems else []
    for i, sink in enumerate(sinks):
        for j, name in enumerate(sink.only):
            if name not in entries:
                c.add(
                    f"sinks[{i}].only[{j}]",
                    f"the plan has no dataset {name!r}{suggest(name, entries)}",
                )
    if only:
        for i, name in enumerate(only):
            if name not in entries:
                c.add(f"--only[{i}]", f"the plan has no dataset {name!r}{suggest(name, entries)}")
        ordered = [e for e in ordered if e.name in set(only)]
    if c.problems:
        raise PlanError(c.problems, source)
    return Plan(
        seed=seed,
        seed_given=seed_given,
        reference_date=reference_date,
        output_dir=out_dir,
        if_exists=if_exists,
        workers=workers,
        datasets=tuple(ordered),
        profile=profile,
        source=source,
        base_dir=base,
        layout=layout,
        backend=engine,
        address=address,
        sinks=tuple(sinks),
        tables=MappingProxyType({n: e.catalogue_dataset() for n, e in entries.items()}),
    )
