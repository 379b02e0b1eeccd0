"""Running plans: related files agree (keys, looked-up values), the manifest records
what was written, a replay is byte-identical, and the CLI reports as documented."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import tempdata
from tempdata.batch.plan import load_plan
from tempdata.batch.run import create_batch, replay
from tempdata.cli import app

PLAN = """
version = 1
seed = 20240601
reference_date = 2025-12-31
country = "germany"

[output]
dir = "out"

[datasets.customers]
rows = 3_000

[datasets.products]
rows = 250

[datasets.sales]
rows = 60_000
date_range = [2024-01-01, 2024-12-31]
formats = ["parquet", "csv"]
drop = ["discount"]

[datasets.vip_customers]
dataset = "customers"
rows = 40

[profiles.ci]
scale = 0.01
formats = ["csv"]
"""


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tempdata.BatchResult]:
    folder = tmp_path_factory.mktemp("batch")
    plan = folder / "plan.toml"
    plan.write_text(PLAN)
    return folder, create_batch(plan)


def test_files_are_written_in_dependency_order(batch: tuple[Path, tempdata.BatchResult]) -> None:
    folder, result = batch
    names = [p.relative_to(folder / "out").as_posix() for p in result.paths]
    assert names == [
        "customers.parquet",
        "products.parquet",
        "sales.parquet",
        "sales.csv",
        "vip_customers.parquet",
    ]
    sales = pl.read_parquet(folder / "out" / "sales.parquet")
    assert sales.height == 60_000
    assert "discount" not in sales.columns
    assert pl.read_csv(folder / "out" / "sales.csv").height == 60_000


def test_every_key_exists_in_its_parent_and_lookups_agree(
    batch: tuple[Path, tempdata.BatchResult],
) -> None:
    out = batch[0] / "out"
    sales = pl.read_parquet(out / "sales.parquet")
    customers = pl.read_parquet(out / "customers.parquet")
    products = pl.read_parquet(out / "products.parquet")
    assert sales["customer_id"].is_in(customers["customer_id"].implode()).all()
    joined = sales.join(products, on="product_id", how="left", suffix="_p")
    assert joined["unit_price_p"].null_count() == 0
    assert (joined["unit_price"] == joined["unit_price_p"]).all()
    # The skew reaches far into the parent: not only its first rows are used.
    assert sales["customer_id"].n_unique() > 2_000


def test_a_second_instance_has_its_own_rows(batch: tuple[Path, tempdata.BatchResult]) -> None:
    out = batch[0] / "out"
    first = pl.read_parquet(out / "customers.parquet").head(40)
    vip = pl.read_parquet(out / "vip_customers.parquet")
    assert vip.height == 40
    assert not vip["email"].equals(first["email"])


def test_manifest_records_versions_plan_and_checksums(
    batch: tuple[Path, tempdata.BatchResult],
) -> None:
    folder, result = batch
    manifest = json.loads((folder / "out" / "manifest.json").read_text())
    assert manifest == json.loads(json.dumps(dict(result.manifest)))
    assert manifest["seed"] == 20240601
    assert manifest["reference_date"] == "2025-12-31"
    assert set(manifest["versions"]) >= {"tempdata", "polars", "numpy"}
    assert manifest["plan"]["datasets"]["sales"]["params"] == {"customers": 3000, "products": 250}
    import hashlib

    for f in manifest["files"]:
        data = (folder / "out" / f["path"]).read_bytes()
        assert f["bytes"] == len(data)
        assert f["sha256"] == hashlib.sha256(data).hexdigest()
    assert {f["format"] for f in manifest["files"]} == {"parquet", "csv"}


def test_replay_is_byte_identical(batch: tuple[Path, tempdata.BatchResult], tmp_path: Path) -> None:
    folder, result = batch
    outcome = replay(folder / "out" / "manifest.json", output_dir=tmp_path)
    assert outcome.ok
    assert len(outcome.identical) == len(result.files)
    assert not outcome.version_changes


def test_replay_notices_a_changed_file(tmp_path: Path) -> None:
    result = create_batch([{"name": "products", "rows": 50}], seed=3, output_dir=tmp_path)
    manifest = json.loads(result.manifest_path.read_text())  # type: ignore[union-attr]
    manifest["files"][0]["sha256"] = "0" * 64
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(manifest))
    outcome = replay(edited, output_dir=tmp_path / "again")
    assert outcome.different == ("products.parquet",)
    assert not outcome.ok


def test_replay_warns_when_versions_differ(tmp_path: Path) -> None:
    result = create_batch([{"name": "products", "rows": 20}], seed=3, output_dir=tmp_path)
    manifest = json.loads(result.manifest_path.read_text())  # type: ignore[union-attr]
    manifest["versions"]["polars"] = "0.0.1"
    old = tmp_path / "old.json"
    old.write_text(json.dumps(manifest))
    with pytest.warns(UserWarning, match=r"polars 0\.0\.1 → "):
        outcome = replay(old, output_dir=tmp_path / "again")
    assert "polars" in outcome.version_changes


def test_profile_scales_rows_and_overrides_formats(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN)
    checked = load_plan(plan, profile="ci")
    rows = {e.name: e.rows for e in checked.datasets}
    assert rows == {"customers": 30, "products": 3, "sales": 600, "vip_customers": 1}
    assert checked.entry("customers").formats == ("csv",)
    assert checked.entry("sales").formats == ("parquet", "csv")  # its own setting wins
    # Keys are sized to the scaled parents.
    assert checked.entry("sales").params == {"customers": 30, "products": 3}


def test_only_writes_the_named_datasets(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN)
    result = create_batch(plan, only=["sales"], profile="ci")
    assert [p.name for p in result.paths] == ["sales.parquet", "sales.csv"]
    assert not (tmp_path / "out" / "customers.csv").exists()


@settings(max_examples=8, deadline=None)
@given(
    customers=st.integers(1, 3_000),
    products=st.integers(1, 400),
    sales=st.integers(1, 20_000),
    seed=st.integers(0, 2**32),
    country=st.sampled_from(["global", "france", "japan", "brazil"]),
)
def test_foreign_keys_hold_for_any_sizes(
    tmp_path_factory: pytest.TempPathFactory,
    customers: int,
    products: int,
    sales: int,
    seed: int,
    country: str,
) -> None:
    out = tmp_path_factory.mktemp("fk")
    create_batch(
        {
            "seed": seed,
            "country": country,
            "datasets": {
                "sales": {"rows": sales},  # children may come first: the plan orders them
                "customers": {"rows": customers},
                "products": {"rows": products},
            },
        },
        output_dir=out,
    )
    s = pl.read_parquet(out / "sales.parquet")
    c = pl.read_parquet(out / "customers.parquet")
    p = pl.read_parquet(out / "products.parquet")
    assert s["customer_id"].is_in(c["customer_id"].implode()).all()
    assert s["product_id"].is_in(p["product_id"].implode()).all()
    prices = s.join(p, on="product_id", suffix="_p")
    assert (prices["unit_price"] == prices["unit_price_p"]).all()


def test_create_batch_list_form_and_errors(tmp_path: Path) -> None:
    with pytest.raises(tempdata.PlanError, match=r"\[1\]: each dataset needs a 'name'"):
        create_batch([{"name": "products"}, {"rows": 5}], output_dir=tmp_path)
    with pytest.raises(tempdata.PlanError, match="used twice"):
        create_batch([{"name": "products"}, {"name": "products"}], output_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------ CLI


def test_cli_run_dry_run_and_replay(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN)
    runner = CliRunner()
    dry = runner.invoke(app, ["run", str(plan), "--profile", "ci", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "vip_customers" in dry.output
    assert "600 rows" in dry.output
    assert not (tmp_path / "out").exists()
    done = runner.invoke(app, ["run", str(plan), "--profile", "ci"])
    assert done.exit_code == 0, done.output
    assert "seed            20240601" in done.output
    assert (tmp_path / "out" / "manifest.json").exists()
    again = runner.invoke(app, ["run", "--replay", str(tmp_path / "out" / "manifest.json")])
    assert again.exit_code == 0, again.output
    assert again.output.count("identical") == 5


def test_cli_bad_plan_exits_2_with_one_line_per_problem(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text("seed = -1\n[datasets.sales]\nrows = 0\n")
    proc = subprocess.run(
        [sys.executable, "-m", "tempdata", "run", str(plan)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [
        f"tempdata: error: {plan}: seed: must be an integer from 0 to 9,223,372,036,854,775,807, "
        "got -1",
        f"tempdata: error: {plan}: datasets.sales.rows: must be an integer from 1 to "
        "1,000,000,000,000, got 0",
    ]
    assert not (tmp_path / "out").exists()


def test_cli_usage_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    neither = runner.invoke(app, ["run"])
    assert neither.exit_code == 2
    assert "give a plan file, or --replay" in neither.output


def test_a_parent_read_whole_follows_the_plan(tmp_path: Path) -> None:
    # social_posts reads its authors from user_profiles (declared in Dataset.parents).
    create_batch(
        [{"name": "user_profiles", "rows": 700}, {"name": "social_posts", "rows": 3_000}],
        seed=5,
        output_dir=tmp_path,
    )
    users = pl.read_parquet(tmp_path / "user_profiles.parquet")
    posts = pl.read_parquet(tmp_path / "social_posts.parquet")
    authors = posts.join(users, left_on="author_id", right_on="user_id", how="left")
    assert authors["username"].null_count() == 0
    assert (authors["author_username"] == authors["username"]).all()


def test_a_parent_whose_values_are_read_keeps_its_catalogue_shape(tmp_path: Path) -> None:
    plan = {
        "datasets": {
            "user_profiles": {"rows": 100, "date_range": ["2020-01-01", "2020-12-31"]},
            "social_posts": {"rows": 100},
        }
    }
    with pytest.raises(tempdata.PlanError, match=r"datasets\.user_profiles\.date_range: "):
        load_plan(plan)


def test_every_catalogue_parent_can_be_sized_by_a_plan() -> None:
    from tempdata.batch.plan import _parents_of
    from tempdata.datasets import registry

    for name in registry.names():
        for parent, use in _parents_of(registry.get(name)).items():
            assert parent in registry.names(), (name, parent)
            assert use.parameter is not None, (name, parent)


def test_appointments_refer_to_the_plans_patients(tmp_path: Path) -> None:
    create_batch(
        [{"name": "patients", "rows": 900}, {"name": "appointments", "rows": 4_000}],
        seed=8,
        country="united_states",
        output_dir=tmp_path,
    )
    patients = pl.read_parquet(tmp_path / "patients.parquet")
    visits = pl.read_parquet(tmp_path / "appointments.parquet")
    joined = visits.join(patients, on="patient_id", how="left", suffix="_p")
    assert joined["age"].null_count() == 0
    assert (joined["patient_sex"].cast(pl.String) == joined["sex"].cast(pl.String)).all()


def test_a_broken_invariant_stops_the_dataset(tmp_path: Path) -> None:
    from dataclasses import replace as copy

    from tempdata import check, col
    from tempdata import samplers as s
    from tempdata.core.plan import Dataset
    from tempdata.errors import DataQualityError

    plan = load_plan(
        [
            {"name": "products", "rows": 10},
            {"name": "bad", "rows": 60_000, "columns": {"n": {"integers": [1, 9]}}},
        ][0:0]
        or {
            "datasets": {
                "products": {"rows": 10},
                "bad": {"rows": 60_000, "columns": {"n": {"integers": [1, 9]}}},
            }
        },
        output_dir=tmp_path,
    )
    broken = Dataset(
        "bad",
        description="a check that the second chunk breaks",
        columns=[col("i", s.row_index()), col("n", s.integers(1, 9))],
        checks=[check("small_rows", pl.col("i") < 50_000)],
    )
    entries = tuple(copy(e, built=broken) if e.name == "bad" else e for e in plan.datasets)
    plan = copy(plan, datasets=entries)
    from tempdata.batch.run import run_plan

    run_plan(plan, check="first")  # the first chunk holds
    (tmp_path / "bad.parquet").unlink()
    with pytest.raises(
        DataQualityError, match=r"datasets\.bad: chunk 1 .*small_rows \(10,000 rows\)"
    ):
        run_plan(plan, check="all")
    assert not (tmp_path / "bad.parquet").exists()
    assert not list(tmp_path.glob(".bad*"))  # no temporary file left


def test_a_plan_override_drops_the_catalogues_checks_on_that_column(tmp_path: Path) -> None:
    plan = {
        "seed": 2,
        "datasets": {"sales": {"rows": 2_000, "columns": {"quantity": {"integers": [-3, 3]}}}},
    }
    checked = load_plan(plan)
    names = {c.name for c in checked.tables["sales"].all_checks()}
    assert "quantity_positive" not in names
    assert "amount_positive" not in names  # amount is computed from quantity
    assert "transaction_id_unique" in names
    create_batch(plan, output_dir=tmp_path, check="all")
    assert (pl.read_parquet(tmp_path / "sales.parquet")["quantity"] < 1).any()


def test_a_plan_on_a_dask_cluster_writes_parts_and_replays(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        plan = {
            "seed": 9,
            "backend": {"engine": "dask", "address": cluster.scheduler_address},
            "datasets": {
                "customers": {"rows": 2_000},
                "sales": {"rows": 1_030_000, "formats": ["parquet", "csv"]},
            },
        }
        result = create_batch(plan, output_dir=tmp_path / "out")
        names = [f.path.relative_to(tmp_path / "out").as_posix() for f in result.files]
        assert names == [
            "customers/part-00000.parquet",
            "sales/part-00000.parquet",
            "sales/part-00001.parquet",
            "sales/part-00000.csv",
            "sales/part-00001.csv",
        ]
        assert [f.rows for f in result.files if f.dataset == "sales"] == [1_000_000, 30_000] * 2
        sales = pl.read_parquet(tmp_path / "out" / "sales" / "*.parquet")
        customers = pl.read_parquet(tmp_path / "out" / "customers" / "*.parquet")
        assert sales["customer_id"].is_in(customers["customer_id"].implode()).all()
        assert sales.equals(
            tempdata.generate("sales", rows=1_030_000, seed=9, custom_params={"customers": 2_000})
        )
        outcome = replay(tmp_path / "out" / "manifest.json", output_dir=tmp_path / "again")
    assert outcome.ok
    assert len(outcome.identical) == 5


@pytest.mark.parametrize("engine", ["sqlite", "duckdb"])
def test_sinks_load_the_batch_with_keys(tmp_path: Path, engine: str) -> None:
    pytest.importorskip("duckdb")
    pytest.importorskip("adbc_driver_sqlite")
    from tempdata.export.database import parse_database, read_table, tables

    name = "fixtures.db" if engine == "sqlite" else "fixtures.duckdb"
    plan = {
        "seed": 4,
        "sinks": [{"uri": f"{engine}:///{name}"}],
        "datasets": {"customers": {"rows": 500}, "sales": {"rows": 5_000}},
    }
    result = create_batch(plan, output_dir=tmp_path)
    # Recorded relative to the output folder, so the folder can move.
    recorded = [{"uri": f"{engine}:///{name}", "tables": {"customers": 500, "sales": 5000}}]
    assert result.manifest["sinks"] == recorded
    assert result.manifest["plan"]["sinks"][0]["uri"] == f"{engine}:///{name}"
    db = parse_database(f"{engine}:///{tmp_path / name}")
    assert tables(db) == ["customers", "sales"]
    sales = read_table(db, "sales")
    assert sales["transaction_id"].equals(
        pl.read_parquet(tmp_path / "sales.parquet")["transaction_id"]
    )
    if engine == "duckdb":  # the declared foreign key is enforced
        import duckdb

        with (
            duckdb.connect(str(tmp_path / name)) as conn,
            pytest.raises(duckdb.ConstraintException),
        ):
            conn.execute("INSERT INTO sales (transaction_id, customer_id) VALUES ('X', 'nobody')")


def test_a_replay_reloads_the_database_files(tmp_path: Path) -> None:
    pytest.importorskip("adbc_driver_sqlite")
    from tempdata.export.database import parse_database, read_table

    plan = {
        "seed": 5,
        "sinks": [
            {"uri": "sqlite:///fixtures.db"},
            {"uri": "sqlite:///only.db", "only": ["sales"]},
        ],
        "datasets": {"customers": {"rows": 300}, "sales": {"rows": 2_000}},
    }
    create_batch(plan, output_dir=tmp_path / "out")
    manifest_path = tmp_path / "out" / "manifest.json"
    # A server the run loaded too (recorded without its password): a replay leaves it.
    manifest = json.loads(manifest_path.read_text())
    manifest["plan"]["sinks"].append({"uri": "postgresql://u:***@db.example:5432/x"})
    manifest_path.write_text(json.dumps(manifest))

    outcome = replay(manifest_path, output_dir=tmp_path / "again")
    assert outcome.ok
    assert outcome.reloaded == ("sqlite:///fixtures.db", "sqlite:///only.db")
    assert outcome.not_reloaded == (
        "postgresql://u:***@db.example:5432/x: a server, loaded by running the plan, "
        "not by a replay",
    )
    for name in ("customers", "sales"):
        first = read_table(parse_database(f"sqlite:///{tmp_path / 'out' / 'fixtures.db'}"), name)
        again = read_table(parse_database(f"sqlite:///{tmp_path / 'again' / 'fixtures.db'}"), name)
        assert again.equals(first)
    assert (
        read_table(parse_database(f"sqlite:///{tmp_path / 'again' / 'only.db'}"), "sales").height
        == 2_000
    )

    # A table whose rows differ from the manifest's is reported, and the replay fails.
    manifest["sinks"][0]["tables"]["sales"] = 1_999
    manifest_path.write_text(json.dumps(manifest))
    outcome = replay(manifest_path, output_dir=tmp_path / "third")
    assert outcome.tables_different == ("sqlite:///fixtures.db sales: 2,000 rows, recorded 1,999",)
    assert not outcome.ok
    done = CliRunner().invoke(
        app, ["run", "--replay", str(manifest_path), "-o", str(tmp_path / "4")]
    )
    assert done.exit_code == 1
    assert "reloaded        sqlite:///fixtures.db" in done.stdout
    assert "DIFFERENT       sqlite:///fixtures.db sales: 2,000 rows, recorded 1,999" in done.stdout
    assert "not reloaded    postgresql://u:***@db.example:5432/x" in done.stdout


def test_a_server_sink_is_recorded_without_its_password(tmp_path: Path) -> None:
    from tempdata.batch.plan import Sink

    checked = load_plan(
        {
            "sinks": [{"uri": "postgresql://me:s3cret@localhost:5432/db"}],
            "datasets": {"products": {"rows": 5}},
        },
        output_dir=tmp_path,
    )
    assert checked.to_dict()["sinks"][0]["uri"] == "postgresql://me:***@localhost:5432/db"
    assert (
        checked.recorded_uri(Sink("postgresql://me@localhost/db")) == "postgresql://me@localhost/db"
    )


def test_sink_paths_stay_in_the_output_folder() -> None:
    for uri in ("sqlite:///../x.db", "sqlite:////tmp/x.db"):
        with pytest.raises(
            tempdata.PlanError, match=r"sinks\[0\]\.uri: .*inside the output folder"
        ):
            load_plan({"sinks": [{"uri": uri}], "datasets": {"products": {"rows": 5}}})
