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

import polars as pl

from tempdata.core.plan import Dataset
from tempdata.errors import ExportFormatError, InvalidParameterError

__all__ = ["QualityReport", "RuleResult", "read_table", "validate"]


@dataclass(frozen=True)
class RuleResult:
    """One rule's outcome: ``failed`` of ``checked`` rows broke it (``skipped``: its
    columns are not in the data)."""

    rule: str
    kind: str  # schema | check | rule
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


def _convert(column: pl.Series, dtype: pl.DataType) -> pl.Series:
    """``column`` as ``dtype``; values that do not convert become null."""
    if column.dtype == dtype:
        return column
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
        return column.str.to_date(strict=False)
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


def validate(
    data: pl.DataFrame | str | Path,
    dataset: str | Dataset | None = None,
    *,
    country: str = "global",
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
    plan = _dataset(dataset)
    frame, results = _conform(frame, _schema_planner(plan, country).schema)
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
