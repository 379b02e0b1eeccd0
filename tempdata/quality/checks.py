"""Scoring data against a dataset's invariants (its checks and the rules it promises)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from tempdata.core.plan import Dataset
from tempdata.errors import DataQualityError

__all__ = ["Report", "evaluate", "require"]


@dataclass(frozen=True)
class Report:
    """Violations per check over ``rows`` rows; checks whose columns are absent are skipped."""

    dataset: str
    rows: int
    violations: dict[str, int]
    skipped: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not any(self.violations.values())

    def failures(self) -> dict[str, int]:
        return {k: v for k, v in self.violations.items() if v}


def evaluate(frame: pl.DataFrame, dataset: Dataset) -> Report:
    """Count the rows that break each of ``dataset``'s checks."""
    present = set(frame.columns)
    exprs, skipped = [], []
    for c in dataset.all_checks():
        if set(c.expr.meta.root_names()) <= present:
            exprs.append((~c.expr.fill_null(True)).sum().alias(c.name))
        else:
            skipped.append(c.name)
    counts = frame.select(exprs).row(0, named=True) if exprs else {}
    return Report(
        dataset.name, frame.height, {k: int(v) for k, v in counts.items()}, tuple(skipped)
    )


def require(frame: pl.DataFrame, dataset: Dataset) -> Report:
    """:func:`evaluate`, raising :class:`DataQualityError` on any violation."""
    report = evaluate(frame, dataset)
    if not report.ok:
        detail = ", ".join(f"{k}: {v} rows" for k, v in report.failures().items())
        msg = f"dataset {dataset.name!r} breaks its invariants ({detail})"
        raise DataQualityError(msg)
    return report
