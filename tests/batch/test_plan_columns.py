"""[datasets.X.columns]: samplers, references, lookups, nulls and custom datasets.

Files are read back and joined: every key a child writes exists in its parent's file,
every looked-up value equals the parent row's, whatever sizes and distributions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tempdata
from tempdata.batch.plan import PlanError, load_plan
from tempdata.batch.run import create_batch, replay

COUPONS = {
    "seed": 11,
    "country": "france",
    "datasets": {
        "customers": {"rows": 3_000},
        "sales": {
            "rows": 30_000,
            "columns": {
                "customer_id": {
                    "references": "customers.customer_id",
                    "distribution": "zipf",
                    "a": 1.3,
                },
                "city": {"lookup": "customers.city", "via": "customer_id"},
                "channel": {"choice": {"web": 0.6, "store": 0.3, "app": 0.1}, "nulls": 0.05},
            },
        },
        "coupons": {
            "rows": 8_000,
            "columns": {
                "code": {"sequence": "CPN-{:08d}"},
                "value": {"lognormal": {"mean": 2.5, "sigma": 0.4}, "decimals": 2},
                "owner": {"references": "customers.customer_id", "distribution": "pareto"},
                "owner_email": {"lookup": "customers.email", "via": "owner"},
                "issued": {"timestamps": {"profile": "signup"}},
                "active": {"booleans": {"p": 0.8}},
                "uses": {"poisson": 1.5, "high": 9},
            },
        },
    },
}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("columns")
    create_batch(COUPONS, output_dir=out)
    return out


def read(folder: Path, name: str) -> pl.DataFrame:
    return pl.read_parquet(folder / f"{name}.parquet")


def test_references_and_lookups_agree_with_the_parent_file(written: Path) -> None:
    customers = read(written, "customers")
    sales = read(written, "sales")
    joined = sales.join(customers, on="customer_id", how="left", suffix="_c")
    assert joined["city_c"].null_count() == 0
    assert (joined["city"] == joined["city_c"]).all()
    coupons = read(written, "coupons")
    owners = coupons.join(customers, left_on="owner", right_on="customer_id", how="left")
    assert owners["email"].null_count() == 0
    assert (owners["owner_email"] == owners["email"]).all()


def test_distributions_shape_how_often_parents_are_chosen(written: Path) -> None:
    counts = read(written, "sales")["customer_id"].value_counts()["count"].sort(descending=True)
    top_share = counts.head(30).sum() / counts.sum()  # 1 % of the customers
    assert top_share > 0.3  # zipf a = 1.3: the busiest few buy much
    pareto = read(written, "coupons")["owner"].value_counts()["count"].sort(descending=True)
    top_fifth = pareto.head(600).sum() / pareto.sum()
    assert 0.6 < top_fifth < 0.95  # the 80/20 shape, roughly


def test_plan_nulls_blank_cells_but_dependents_see_values(written: Path) -> None:
    sales = read(written, "sales")
    share = sales["channel"].null_count() / sales.height
    assert 0.04 < share < 0.06
    # payment_method is drawn from the channel: it exists where the channel is blank.
    assert sales["payment_method"].null_count() == 0


def test_a_custom_dataset_from_samplers(written: Path) -> None:
    coupons = read(written, "coupons")
    assert coupons.columns == [
        "code",
        "value",
        "owner",
        "owner_email",
        "issued",
        "active",
        "uses",
    ]
    assert coupons["code"][0] == "CPN-00000001"
    assert coupons["code"].is_unique().all()
    assert coupons["value"].min() > 0
    assert (coupons["value"].round(2) == coupons["value"]).all()
    assert 0.75 < coupons["active"].mean() < 0.85  # type: ignore[operator]
    assert coupons["uses"].max() <= 9


def test_replay_rebuilds_the_columns(written: Path, tmp_path: Path) -> None:
    outcome = replay(written / "manifest.json", output_dir=tmp_path)
    assert outcome.ok
    assert len(outcome.identical) == 3


@settings(max_examples=10, deadline=None)
@given(
    parents=st.integers(1, 2_000),
    children=st.integers(1, 60_000),
    distribution=st.sampled_from(
        [
            {},
            {"distribution": "uniform"},
            {"distribution": "zipf", "a": 0.7},
            {"distribution": "pareto", "alpha": 2.0},
        ]
    ),
    seed=st.integers(0, 2**40),
    parent_dataset=st.sampled_from(["customers", "products", "employees", "custom"]),
)
def test_every_reference_exists_in_its_parent(
    tmp_path_factory: pytest.TempPathFactory,
    parents: int,
    children: int,
    distribution: dict[str, Any],
    seed: int,
    parent_dataset: str,
) -> None:
    keys = {
        "customers": "customer_id",
        "products": "product_id",
        "employees": "employee_id",
        "custom": "id",
    }
    parent: dict[str, Any] = {"rows": parents}
    if parent_dataset == "custom":
        parent["columns"] = {"id": {"sequence": "P{:d}"}, "size": {"integers": [1, 9]}}
    else:
        parent["dataset"] = parent_dataset
    key = keys[parent_dataset]
    plan = {
        "seed": seed,
        "datasets": {
            "child": {  # listed first: the plan orders parents before children
                "rows": children,
                "columns": {
                    "ref": {"references": f"parent.{key}", **distribution},
                    "n": {"integers": {"low": 0, "high": 3}},
                },
            },
            "parent": parent,
        },
    }
    out = tmp_path_factory.mktemp("fk")
    result = create_batch(plan, output_dir=out)
    assert [f.dataset for f in result.files] == ["parent", "child"]
    parent_keys = read(out, "parent")[key]
    child = read(out, "child")
    assert child.height == children
    assert child["ref"].is_in(parent_keys.implode()).all()


BAD_COLUMNS = [
    ({"x": 5}, "datasets.t.columns.x", "must be a table"),
    ({"x": {"intgers": [1, 2]}}, "datasets.t.columns.x.intgers", "did you mean 'integers'"),
    ({"x": {"integers": {"low": 1}}}, "datasets.t.columns.x.integers", "missing a required"),
    ({"x": {"integers": [1, 2], "nulls": 1.5}}, "datasets.t.columns.x.nulls", "from 0"),
    ({"x": {"integers": [1, 2], "choice": ["a"]}}, "datasets.t.columns.x", "give one of"),
    ({"x": {"choice": {"a": -1}}}, "datasets.t.columns.x.choice", ""),
    (
        {"x": {"references": "customers"}},
        "datasets.t.columns.x.references",
        "customers.customer_id",
    ),
    (
        {"x": {"references": "nobody.id"}},
        "datasets.t.columns.x.references",
        "no dataset 'nobody'",
    ),
    (
        {"x": {"references": "customers.email"}},
        "datasets.t.columns.x.references",
        "not the key of 'customers'",
    ),
    (
        {"x": {"references": "customers.customer_id", "distribution": "normal"}},
        "datasets.t.columns.x.distribution",
        "uniform, zipf, pareto",
    ),
    (
        {"x": {"references": "customers.customer_id", "a": 0}},
        "datasets.t.columns.x.a",
        "> 0",
    ),
    (
        {"x": {"references": "customers.customer_id", "distribution": "uniform", "a": 2}},
        "datasets.t.columns.x.a",
        "no parameter",
    ),
    ({"x": {"lookup": "customers.city"}}, "datasets.t.columns.x.via", "reference column"),
    (
        {"x": {"lookup": "customers.city", "via": "y"}, "y": {"integers": [1, 2]}},
        "datasets.t.columns.x.via",
        "not a references column",
    ),
    (
        {
            "y": {"references": "customers.customer_id"},
            "x": {"lookup": "customers.citty", "via": "y"},
        },
        "datasets.t.columns.x.lookup",
        "did you mean 'city'",
    ),
    ({"x": {"via": "y"}}, "datasets.t.columns.x.via", "goes with lookup"),
    ({"x": {"nulls": 0.1}}, "datasets.t.columns.x", "needs a sampler"),
    ({"x": {"sequence": 5}}, "datasets.t.columns.x.sequence", ""),
    (
        {"x": {"references": "customers.customer_id", "per_parent": {"min": 3, "max": 2}}},
        "datasets.t.columns.x.per_parent.max",
        "at least min",
    ),
    (
        {
            "x": {
                "references": "customers.customer_id",
                "per_parent": {"min": 1, "max": 2, "distribution": "poisson"},
            }
        },
        "datasets.t.columns.x.per_parent.mean",
        "must be a number",
    ),
    (
        {
            "x": {
                "references": "customers.customer_id",
                "per_parent": {"min": 1, "max": 2},
                "distribution": "zipf",
            }
        },
        "datasets.t.columns.x.distribution",
        "per_parent sets",
    ),
    (
        {"x": {"references": "customers.customer_id", "per_parent": {"mn": 1, "max": 2}}},
        "datasets.t.columns.x.per_parent.mn",
        "did you mean 'min'",
    ),
]


@pytest.mark.parametrize(("columns", "path", "words"), BAD_COLUMNS)
def test_bad_column_tables(columns: dict[str, Any], path: str, words: str) -> None:
    plan = {"datasets": {"customers": {"rows": 10}, "t": {"rows": 5, "columns": columns}}}
    with pytest.raises(PlanError) as info:
        load_plan(plan)
    problems = {p.path: p.message for p in info.value.problems}
    assert path in problems, info.value.problems
    assert words in problems[path]


def test_a_reference_cycle_is_refused() -> None:
    plan = {
        "datasets": {
            "a": {"columns": {"id": {"sequence": "A{}"}, "b": {"references": "b.id"}}},
            "b": {"columns": {"id": {"sequence": "B{}"}, "a": {"references": "a.id"}}},
        }
    }
    with pytest.raises(PlanError, match="references form a cycle: a → b → a"):
        load_plan(plan)


def test_a_parent_read_by_lookup_keeps_its_shape_and_country() -> None:
    lookup = {
        "x": {"references": "customers.customer_id"},
        "c": {"lookup": "customers.city", "via": "x"},
    }
    shaped = {
        "datasets": {
            "customers": {"rows": 10, "date_range": ["2020-01-01", "2020-12-31"]},
            "t": {"columns": lookup},
        }
    }
    with pytest.raises(PlanError, match=r"datasets\.customers\.date_range: t reads values"):
        load_plan(shaped)
    elsewhere = {
        "datasets": {"customers": {"rows": 10, "country": "japan"}, "t": {"columns": lookup}}
    }
    with pytest.raises(PlanError, match="another country"):
        load_plan(elsewhere)


@settings(max_examples=8, deadline=None)
@given(
    parents=st.integers(1, 3_000),
    low=st.integers(0, 3),
    extra=st.integers(0, 6),
    poisson=st.booleans(),
    seed=st.integers(0, 2**40),
)
def test_per_parent_counts_and_rows(
    tmp_path_factory: pytest.TempPathFactory,
    parents: int,
    low: int,
    extra: int,
    poisson: bool,
    seed: int,
) -> None:
    high = max(low + extra, 1)
    per: dict[str, Any] = {"min": low, "max": high}
    if poisson:
        per |= {"distribution": "poisson", "mean": (low + high) / 2}
    plan = {
        "seed": seed,
        "datasets": {
            "orders": {"rows": parents, "columns": {"id": {"sequence": "O{:06d}"}}},
            "lines": {
                "columns": {
                    "order": {"references": "orders.id", "per_parent": per},
                    "qty": {"integers": [1, 9]},
                }
            },
        },
    }
    try:
        checked = load_plan(plan)
    except PlanError as exc:
        refused = str(exc)
    else:
        refused = ""
    if refused:  # every order drew 0 lines: refused rather than an empty file
        assert low == 0
        assert "0 children" in refused
        return
    out = tmp_path_factory.mktemp("per")
    create_batch(plan, output_dir=out)
    lines = read(out, "lines")
    assert lines.height == checked.entry("lines").rows
    orders = read(out, "orders")["id"]
    counts = (
        orders.to_frame()
        .join(lines.group_by("order").len(), left_on="id", right_on="order", how="left")
        .fill_null(0)["len"]
    )
    assert counts.min() >= low  # type: ignore[operator]
    assert counts.max() <= high  # type: ignore[operator]
    assert counts.sum() == lines.height
    assert lines["order"].is_sorted()  # children follow their parent's order
    assert lines["order"].is_in(orders.implode()).all()


def test_per_parent_rows_are_derived_and_chunks_agree(tmp_path: Path) -> None:
    plan = {
        "seed": 4,
        "datasets": {
            "orders": {"rows": 40_000, "columns": {"id": {"sequence": "O{:06d}"}}},
            "lines": {
                "columns": {
                    "order": {"references": "orders.id", "per_parent": {"min": 1, "max": 5}},
                    "price": {"lognormal": [3.0, 0.5], "decimals": 2},
                }
            },
        },
    }
    checked = load_plan(plan)
    rows = checked.entry("lines").rows
    assert rows is not None
    assert 100_000 < rows < 140_000  # about 3 per order
    import tempdata

    dataset = checked.tables["lines"]
    whole = tempdata.generate(dataset, rows=rows, seed=4)
    tail = pl.concat(list(tempdata.stream(dataset, rows=rows, seed=4, chunks=range(1, 3))))
    assert tail.equals(whole.slice(50_000, tail.height))
    with pytest.raises(PlanError, match=r"datasets\.lines\.rows: the rows follow per_parent"):
        load_plan(
            {
                **plan,
                "datasets": {
                    **plan["datasets"],
                    "lines": {**plan["datasets"]["lines"], "rows": 10},
                },
            }
        )


@pytest.fixture(params=["in memory", "on disk"])
def kept(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> tuple[str, list[str]]:
    """Parents looked up from memory, or (as a large one would be) from a store on disk;
    the names of the stores the run made (a batch keeps them in its output folder)."""
    from tempdata.core import lookup

    made: list[str] = []
    if request.param == "on disk":
        monkeypatch.setattr(lookup, "LOOKUP_IN_MEMORY_ROWS", 0)
        shared = lookup.shared_store

        def recorded(path: Path, *args: Any) -> Any:
            made.append(path.name)
            return shared(path, *args)

        monkeypatch.setattr(lookup, "shared_store", recorded)
    return str(request.param), made


def test_lookups_join_on_the_parents_written_file(
    tmp_path: Path, kept: tuple[str, list[str]]
) -> None:
    # The parent's file is damaged (nulls in city): the child's lookup copies the file.
    plan = {
        "seed": 21,
        "datasets": {
            "customers": {"rows": 3_000, "dirty": {"nulls": {"rate": 0.2, "columns": ["city"]}}},
            "orders": {
                "rows": 20_000,
                "columns": {
                    "id": {"sequence": "O{:06d}"},
                    "customer": {"references": "customers.customer_id"},
                    "city": {"lookup": "customers.city", "via": "customer"},
                    "segment": {"lookup": "customers.segment", "via": "customer"},
                },
            },
        },
    }
    create_batch(plan, output_dir=tmp_path)
    customers = read(tmp_path, "customers")
    orders = read(tmp_path, "orders")
    joined = orders.join(customers, left_on="customer", right_on="customer_id", how="left")
    assert joined["city"].null_count() > 0  # the damage reached the child
    assert (joined["city"].is_null() == joined["city_right"].is_null()).all()
    assert (joined["city"] == joined["city_right"]).fill_null(True).all()
    assert (joined["segment"] == joined["segment_right"]).all()
    mode, stores = kept
    if mode == "on disk":  # streamed from the parent's Parquet file, not generated
        assert len(stores) == 1
        assert stores[0].startswith("customers-file-")


def test_a_parent_whose_types_changed_is_generated_instead(
    tmp_path: Path, kept: tuple[str, list[str]]
) -> None:
    # Typos turn the parent's segment enum into text: the child generates the clean
    # parent for it (the damaged file cannot be joined on as typed), and still runs.
    plan = {
        "seed": 22,
        "datasets": {
            "customers": {"rows": 1_000, "dirty": {"typos": {"rate": 0.3, "columns": ["segment"]}}},
            "orders": {
                "rows": 2_000,
                "columns": {
                    "customer": {"references": "customers.customer_id"},
                    "segment": {"lookup": "customers.segment", "via": "customer"},
                },
            },
        },
    }
    create_batch(plan, output_dir=tmp_path)
    orders = read(tmp_path, "orders")
    clean = tempdata.generate("customers", rows=1_000, seed=22)["segment"].cast(pl.String)
    assert orders["segment"].null_count() == 0
    assert orders["segment"].is_in(clean.unique().implode()).all()  # no typos copied
    mode, stores = kept
    if mode == "on disk":
        assert len(stores) == 1
        assert stores[0].startswith("customers-generated-")
