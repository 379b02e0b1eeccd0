"""Dirty data: rates within tolerance, labels that name exactly the damaged cells,
chunk independence, and validation that flags each kind."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import tempdata
from tempdata.batch.plan import PlanError, load_plan
from tempdata.batch.run import create_batch
from tempdata.core.seeding import CHUNK_SIZE
from tempdata.datasets import registry
from tempdata.quality.dirty import KINDS, LABEL, Dirt

ROWS = 2 * CHUNK_SIZE + 3_000
RATES = {
    "duplicates": 0.01,
    "nulls": 0.02,
    "typos": 0.015,
    "outliers": 0.01,
    "orphan_keys": 0.01,
    "late_rows": 0.01,
    "format_drift": 0.01,
}


def dirty_sales(rates: dict[str, float] = RATES, rows: int = ROWS, **kw: object) -> pl.DataFrame:
    dataset = registry.get("sales").with_dirt(Dirt(rates, **kw))  # type: ignore[arg-type]
    return tempdata.generate(dataset, rows=rows, seed=17)


@pytest.fixture(scope="module")
def dirty() -> pl.DataFrame:
    return dirty_sales()


@pytest.fixture(scope="module")
def clean() -> pl.DataFrame:
    return tempdata.generate("sales", rows=ROWS, seed=17)


def labels(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per damaged cell: row, kind, column ("" for a duplicated row)."""
    return (
        frame.with_row_index("row")
        .select("row", pl.col(LABEL).str.split(";").alias("mark"))
        .explode("mark")
        .drop_nulls("mark")
        .with_columns(
            kind=pl.col("mark").str.split(":").list.first(),
            column=pl.col("mark").str.split(":").list.get(1, null_on_oob=True).fill_null(""),
        )
    )


def test_every_kind_hits_its_share_of_rows(dirty: pl.DataFrame) -> None:
    marks = labels(dirty)
    for kind, rate in RATES.items():
        hit = marks.filter(pl.col("kind") == kind).height
        expected = rate * ROWS
        sigma = (ROWS * rate * (1 - rate)) ** 0.5
        assert abs(hit - expected) < 5 * sigma, (kind, hit, expected)


def _as_text(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(
        pl.col(pl.Datetime).dt.strftime("%Y-%m-%dT%H:%M:%S%.6f"),
        pl.all().exclude(pl.Datetime).cast(pl.String),
    ).select(frame.columns)


def test_labels_name_exactly_the_damaged_cells(dirty: pl.DataFrame, clean: pl.DataFrame) -> None:
    marks = labels(dirty)
    duplicated = set(marks.filter(pl.col("kind") == "duplicates")["row"].to_list())
    a, b = _as_text(dirty.drop(LABEL)), _as_text(clean)
    changed = set()
    for column in clean.columns:
        differs = (a[column] != b[column]).fill_null(a[column].is_null() != b[column].is_null())
        changed |= {(r, column) for r in differs.arg_true().to_list() if r not in duplicated}
    labelled = {
        (r, c)
        for r, c in marks.filter(pl.col("kind") != "duplicates").select("row", "column").rows()
        if r not in duplicated
    }
    assert changed == labelled
    # A duplicated row repeats another row of the data.
    for r in list(duplicated)[:50]:
        key = dirty["transaction_id"][r]
        assert (dirty["transaction_id"] == key).sum() >= 2


def test_damage_does_not_depend_on_the_chunks_generated(dirty: pl.DataFrame) -> None:
    dataset = registry.get("sales").with_dirt(Dirt(RATES))
    tail = pl.concat(list(tempdata.stream(dataset, rows=ROWS, seed=17, chunks=range(1, 3))))
    assert tail.equals(dirty.slice(CHUNK_SIZE))


def test_damaged_columns_become_text_and_the_label_can_be_left_out() -> None:
    frame = dirty_sales({"typos": 0.05}, rows=2_000, label=False, columns={"typos": ["channel"]})
    assert LABEL not in frame.columns
    assert frame.schema["channel"] == pl.String
    assert isinstance(frame.schema["payment_method"], pl.Enum)  # untouched


@pytest.mark.parametrize(
    ("kind", "column", "rule"),
    [
        ("nulls", "region", "not_null:region"),
        ("duplicates", None, "key_unique"),
        ("typos", "channel", "type:channel"),
        ("outliers", "amount", "amount_is_gross_minus_discount"),
        ("late_rows", "date", "sorted_by_date"),
        ("format_drift", "date", "type:date"),
    ],
)
def test_validation_flags_each_kind(kind: str, column: str | None, rule: str) -> None:
    columns = {kind: [column]} if column else {}
    frame = dirty_sales({kind: 0.02}, rows=30_000, columns=columns)
    damaged = labels(frame).filter(pl.col("kind") == kind).height
    assert damaged > 400
    report = tempdata.validate(frame, "sales")
    failed = report.failures()
    assert rule in failed, failed
    assert failed[rule] >= 0.9 * damaged
    # Other rules may catch the same damage too (a copied row is out of time order).
    also = {
        "duplicates": {"transaction_id_unique", "sorted_by_date"},
        "outliers": {"discount_below_gross", "amount_positive"},
    }
    assert set(failed) <= {rule, *also.get(kind, ())}


def test_orphan_keys_are_flagged_against_the_manifest(tmp_path: Path) -> None:
    plan = {
        "seed": 5,
        "datasets": {
            "customers": {"rows": 2_000},
            "sales": {"rows": 20_000, "dirty": {"orphan_keys": {"rate": 0.03}}},
        },
    }
    create_batch(plan, output_dir=tmp_path)
    sales = pl.read_parquet(tmp_path / "sales.parquet")
    orphans = labels(sales).filter(pl.col("mark") == "orphan_keys:customer_id")
    customers = pl.read_parquet(tmp_path / "customers.parquet")["customer_id"]
    hit = sales[orphans["row"].to_list()]
    assert not hit["customer_id"].is_in(customers.implode()).any()
    report = tempdata.validate(
        tmp_path / "sales.parquet", "sales", manifest=tmp_path / "manifest.json"
    )
    assert report.failures() == {"references:customer_id": orphans.height}
    clean = tempdata.validate(
        tmp_path / "customers.parquet", "customers", manifest=tmp_path / "manifest.json"
    )
    assert clean.ok


def test_plan_dirty_tables_are_checked() -> None:
    base = {"datasets": {"sales": {"rows": 10, "dirty": {}}}}
    cases = [
        ({"nul": 0.1}, "datasets.sales.dirty.nul", "did you mean 'nulls'"),
        ({"nulls": 2}, "datasets.sales.dirty.nulls", "share of rows"),
        ({"typos": {"rate": 0.1, "columns": ["amount"]}}, "datasets.sales.dirty", "typos"),
        ({"label": "yes", "nulls": 0.1}, "datasets.sales.dirty.label", "true or false"),
        ({}, "datasets.sales.dirty", "name at least one kind"),
    ]
    for table, path, words in cases:
        base["datasets"]["sales"]["dirty"] = table
        with pytest.raises(PlanError) as info:
            load_plan(base)
        problems = {p.path: p.message for p in info.value.problems}
        assert path in problems, (table, info.value.problems)
        assert words in problems[path]


def test_kinds_are_documented() -> None:
    import tempdata.quality.dirty as module

    assert module.__doc__ is not None
    for kind in KINDS:
        assert kind in module.__doc__
