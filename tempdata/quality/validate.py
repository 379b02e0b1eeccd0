"""Checking data against a dataset's schema and invariants: ``tempdata validate``.

A file (Parquet, CSV, CSV.gz, NDJSON, JSON) or a frame is read, its columns are
brought to the dataset's types (counting the values that do not convert), and every
check and rule of the dataset is evaluated. The :class:`QualityReport` lists each
rule with the rows it checked and the rows that broke it, and a score: the share of
(rule, row) pairs that hold, in percent.

>>> import tempdata
>>> from tempdata.quality.validate import validate
>>> report = validate(tempdata.generate("products", rows=200, seed=1), "products")
>>> report.ok, report.score
(True, 100.0)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import polars as pl

from tempdata.core.plan import Dataset
from tempdata.errors import ExportFormatError, InvalidParameterError
from tempdata.export.files import sha256_of

__all__ = ["QualityReport", "RuleResult", "read_table", "validate"]


@dataclass(frozen=True)
class RuleResult:
    """One rule's outcome: ``failed`` of ``checked`` rows broke it (``skipped``: its
    columns are not in the data)."""

    rule: str
    kind: str  # schema | check | rule | reference
    description: str
    checked: int
    failed: int
    status: str  # pass | fail | skipped


@dataclass(frozen=True)
class QualityReport:
    """The outcome of :func:`validate`."""

    dataset: str
    rows: int
    results: tuple[RuleResult, ...]
    source: str = ""

    @property
    def ok(self) -> bool:
        return all(r.status != "fail" for r in self.results)

    @property
    def score(self) -> float:
        """Percent of (rule, row) pairs that hold, over the rules evaluated."""
        checked = sum(r.checked for r in self.results if r.status != "skipped")
        failed = sum(r.failed for r in self.results if r.status != "skipped")
        return 100.0 if checked == 0 else round(100.0 * (1 - failed / checked), 3)

    def failures(self) -> dict[str, int]:
        return {r.rule: r.failed for r in self.results if r.status == "fail"}

    def to_dict(self) -> dict[str, object]:
        return {
            "dataset": self.dataset,
            "source": self.source,
            "rows": self.rows,
            "ok": self.ok,
            "score": self.score,
            "results": [asdict(r) for r in self.results],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)


_READERS = ("parquet", "csv", "ndjson", "json")


def read_table(path: str | Path) -> pl.DataFrame:
    """A file written by tempdata (or shaped like one) as a frame, by its extension."""
    from tempdata.export.formats import split_path

    file = Path(path)
    _, fmt, _ = split_path(file)
    if fmt not in _READERS:
        msg = (
            f"cannot validate {str(file)!r}: read {', '.join(_READERS)} files "
            f"(.parquet, .csv, .csv.gz, .ndjson, .jsonl, .json)"
        )
        raise ExportFormatError(msg)
    if not file.is_file():
        msg = f"no such file: {str(file)!r}"
        raise InvalidParameterError(msg)
    try:
        if fmt == "parquet":
            return pl.read_parquet(file)
        if fmt == "csv":
            return pl.read_csv(file, infer_schema=False)  # text; typed below
        if fmt == "ndjson":
            return pl.read_ndjson(file)
        return pl.read_json(file)
    except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
        msg = f"cannot read {str(file)!r} as {fmt}: {str(exc).splitlines()[0]}"
        raise InvalidParameterError(msg) from None


def parquet_dataset(path: str | Path) -> str | None:
    """The dataset name tempdata stored in a Parquet file's metadata, if any."""
    try:
        meta = pl.read_parquet_metadata(Path(path))
    except (pl.exceptions.PolarsError, OSError):
        return None
    return meta.get("tempdata.dataset")


def _dtype_text(dtype: pl.DataType) -> str:
    if isinstance(dtype, pl.Enum):
        return f"Enum ({len(dtype.categories)} categories)"
    return str(dtype)


_ISO_DATETIMES = (
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
)


def _convert(column: pl.Series, dtype: pl.DataType) -> pl.Series:
    """``column`` as ``dtype``; values that do not convert become null."""
    if column.dtype == dtype:
        return column
    if column.dtype == pl.String and isinstance(dtype, pl.Datetime) and dtype.time_zone is None:
        # ISO 8601 only, as tempdata writes it: a format inferred from the first value
        # would take 17/12/2024 for the norm and reject every ISO value after it.
        return (
            pl.select(
                pl.coalesce(
                    column.str.to_datetime(format=fmt, time_unit=dtype.time_unit, strict=False)
                    for fmt in _ISO_DATETIMES
                )
            )
            .to_series()
            .alias(column.name)
        )
    if column.dtype == pl.String and isinstance(dtype, pl.Datetime):
        parsed = column.str.to_datetime(time_unit=dtype.time_unit, strict=False)
        if dtype.time_zone is not None:
            parsed = (
                parsed.dt.replace_time_zone(dtype.time_zone)
                if parsed.dtype == pl.Datetime(dtype.time_unit)
                else parsed.dt.convert_time_zone(dtype.time_zone)
            )
        return parsed
    if column.dtype == pl.String and dtype == pl.Date:
        return column.str.to_date(format="%Y-%m-%d", strict=False)
    if column.dtype == pl.String and dtype == pl.Boolean:
        lowered = column.str.to_lowercase()
        return lowered.replace_strict({"true": True, "false": False}, default=None)
    return column.cast(dtype, strict=False)


def _conform(
    frame: pl.DataFrame, schema: Mapping[str, pl.DataType]
) -> tuple[pl.DataFrame, list[RuleResult]]:
    results = []
    missing = [c for c in schema if c not in frame.columns]
    extra = [c for c in frame.columns if c not in schema]
    results.append(
        RuleResult(
            "columns_present",
            "schema",
            f"every column of the dataset is present (missing: {', '.join(missing) or 'none'}; "
            f"extra: {', '.join(extra) or 'none'})",
            len(schema),
            len(missing),
            "fail" if missing else "pass",
        )
    )
    converted = {}
    for name, dtype in schema.items():
        if name not in frame.columns:
            continue
        before = frame.get_column(name)
        after = _convert(before, dtype)
        lost = int((after.is_null() & before.is_not_null()).sum())
        results.append(
            RuleResult(
                f"type:{name}",
                "schema",
                f"{name} holds {_dtype_text(dtype)} values",
                frame.height,
                lost,
                "fail" if lost else "pass",
            )
        )
        converted[name] = after
    return frame.with_columns(list(converted.values())), results


def _nullable(plan: Dataset) -> set[str]:
    """Columns that may be null by design: declared, or given a share of nulls."""
    from tempdata.core.plan import Column

    out = set(plan.nullable) | {c for c, rate in plan.output_nulls.items() if rate}
    out |= {i.name for i in plan.items if isinstance(i, Column) and i.nulls}
    return out


def _foreign_keys(plan: Dataset) -> dict[str, Any]:
    """Columns drawn as keys of another dataset (not lookups), with their samplers."""
    from tempdata.core.plan import Column
    from tempdata.samplers.ids import foreign_keys_of, lookups_of

    out = {}
    for item in plan.items:
        if isinstance(item, Column) and not isinstance(item.source, pl.Expr):
            keys = foreign_keys_of(item.source)
            if keys and not lookups_of(item.source):
                out[item.name] = keys[0]
    return out


def _manifest_tables(manifest: str | Path) -> tuple[Any, Path, list[dict[str, Any]]]:
    """The plan a manifest records (its tables), its folder and its files."""
    from tempdata.batch.plan import load_plan
    from tempdata.batch.run import _plan_of_manifest, read_manifest

    path = Path(manifest)
    recorded = read_manifest(path)
    folder = path.resolve().parent
    plan = load_plan(_plan_of_manifest(recorded, str(path)), output_dir=folder)
    return plan, folder, list(recorded.get("files", []))


def _checksum_result(path: Path, manifest: str | Path) -> RuleResult:
    """Whether ``path`` is the file the manifest vouches for: its checksum and size
    as recorded (a file the manifest does not list is skipped)."""
    _, folder, files = _manifest_tables(manifest)
    target = path.resolve()
    entry = next((f for f in files if (folder / str(f["path"])).resolve() == target), None)
    if entry is None:
        return RuleResult(
            "checksum", "manifest", "the file is one the manifest lists", 0, 0, "skipped"
        )
    same = path.stat().st_size == entry.get("bytes", path.stat().st_size) and sha256_of(
        path
    ) == entry.get("sha256")
    return RuleResult(
        "checksum",
        "manifest",
        f"the file's SHA-256 is the manifest's for {entry['path']}",
        1,
        0 if same else 1,
        "pass" if same else "fail",
    )


def _reference_results(
    frame: pl.DataFrame, plan: Dataset, manifest: str | Path
) -> list[RuleResult]:
    tables, folder, files = _manifest_tables(manifest)
    results = []
    for column, fk in _foreign_keys(plan).items():
        if column not in frame.columns:
            continue
        parent_files = [f for f in files if f["dataset"] == fk.parent]
        parent = tables.tables.get(fk.parent)
        if not parent_files or parent is None or parent.key is None:
            results.append(
                RuleResult(
                    f"references:{column}",
                    "reference",
                    f"{column} keys exist in {fk.parent} (not in the manifest)",
                    0,
                    0,
                    "skipped",
                )
            )
            continue
        best = sorted(parent_files, key=lambda f: f["format"] != "parquet")[0]
        if sha256_of(folder / best["path"]) != best.get("sha256"):
            results.append(
                RuleResult(
                    f"references:{column}",
                    "reference",
                    f"{best['path']} is the file the manifest lists (its SHA-256 differs)",
                    1,
                    1,
                    "fail",
                )
            )
            continue
        keys = read_table(folder / best["path"]).get_column(parent.key).cast(pl.String)
        values = frame.get_column(column).cast(pl.String)
        orphans = int((values.is_not_null() & ~values.is_in(keys.implode())).sum())
        results.append(
            RuleResult(
                f"references:{column}",
                "reference",
                f"every {column} is a {parent.key} of {best['path']}",
                frame.height,
                orphans,
                "fail" if orphans else "pass",
            )
        )
    return results


def validate(
    data: pl.DataFrame | str | Path,
    dataset: str | Dataset | None = None,
    *,
    country: str = "global",
    manifest: str | Path | None = None,
) -> QualityReport:
    """Check ``data`` (a frame or a file) against ``dataset``'s schema and invariants.

    Parameters
    ----------
    data
        A frame, or a path to a .parquet, .csv(.gz), .ndjson/.jsonl or .json file.
    dataset
        Catalogue name or :class:`~tempdata.core.plan.Dataset`. For a Parquet file
        tempdata wrote, ``None`` takes the name from its metadata.
    country
        The country the data was generated for, where a dataset's types depend on it
        (the enum of regions).
    manifest
        A batch's ``manifest.json``: the dataset may then be one of its tables
        (custom ones included), and each foreign key is checked against the key
        column of its parent's file (``references:<column>``).
    """
    from tempdata.api import _dataset, _schema_planner

    source = ""
    if isinstance(data, (str, Path)):
        source = str(data)
        if dataset is None and str(data).lower().endswith(".parquet"):
            dataset = parquet_dataset(data)
        frame = read_table(data)
    elif isinstance(data, pl.DataFrame):
        frame = data
    else:
        msg = f"data must be a polars DataFrame or a file path, got {type(data).__name__}"
        raise InvalidParameterError(msg)
    if dataset is None:
        msg = "name the dataset the data should follow (dataset=..., --dataset NAME)"
        raise InvalidParameterError(msg)
    if manifest is not None and isinstance(dataset, str):
        tables = _manifest_tables(manifest)[0].tables
        plan = tables[dataset] if dataset in tables else _dataset(dataset)
    else:
        plan = _dataset(dataset)
    if plan.dirty is not None:  # check the data against the clean dataset's rules
        plan = plan.with_dirt(None)
    original = frame
    frame, results = _conform(frame, _schema_planner(plan, country).schema)
    nullable = _nullable(plan)
    for name in plan.column_names:
        if name in original.columns and name not in nullable:
            nulls = original.get_column(name).null_count()
            results.append(
                RuleResult(
                    f"not_null:{name}",
                    "schema",
                    f"{name} has a value in every row",
                    original.height,
                    nulls,
                    "fail" if nulls else "pass",
                )
            )
    if plan.key is not None and plan.key in frame.columns:
        repeated = int(frame.get_column(plan.key).is_duplicated().sum())
        results.append(
            RuleResult(
                "key_unique",
                "schema",
                f"{plan.key} identifies each row",
                frame.height,
                repeated,
                "fail" if repeated else "pass",
            )
        )
    if manifest is not None:
        if source:
            results.append(_checksum_result(Path(source), manifest))
        results.extend(_reference_results(frame, plan, manifest))
    present = set(frame.columns)
    rules = {r.name for r in plan.rules}
    exprs = []
    for check in plan.all_checks():
        kind = "rule" if check.name in rules else "check"
        if set(check.expr.meta.root_names()) <= present:
            exprs.append((check, kind))
        else:
            results.append(RuleResult(check.name, kind, check.description, 0, 0, "skipped"))
    if exprs:
        counts = frame.select(
            [(~c.expr.fill_null(True)).sum().alias(c.name) for c, _ in exprs]
        ).row(0, named=True)
        for check, kind in exprs:
            failed = int(counts[check.name])
            results.append(
                RuleResult(
                    check.name,
                    kind,
                    check.description,
                    frame.height,
                    failed,
                    "fail" if failed else "pass",
                )
            )
    return QualityReport(plan.name, frame.height, tuple(results), source)
