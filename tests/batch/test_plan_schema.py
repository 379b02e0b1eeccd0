"""The published JSON Schema agrees with the checker: same keys, and the plans the
checker accepts (or refuses for their shape) are accepted (or refused) by the schema."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from typing import Any

import pytest
from typer.testing import CliRunner

from tempdata.batch import plan as p
from tempdata.cli import app

jsonschema = pytest.importorskip("jsonschema")


def _json_values(value: Any) -> Any:
    """TOML dates as ISO strings, as editors' TOML schema validators see them."""
    if isinstance(value, dict):
        return {k: _json_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_values(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _validator() -> Any:
    schema = p.plan_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_lists_the_same_keys_as_the_checker() -> None:
    schema = p.plan_schema()
    top = set(schema["properties"])
    assert top == set(p.TOP_KEYS) - set(p._NOT_YET)  # sinks/backend arrive later
    defs = schema["$defs"]
    assert set(defs["dataset"]["properties"]) == set(p.DATASET_KEYS)
    assert set(defs["output"]["properties"]) == set(p.OUTPUT_KEYS)
    assert set(defs["profile"]["properties"]) == set(p.PROFILE_KEYS)


GOOD = """
version = 1
seed = 20240601
reference_date = 2025-12-31
formats = ["parquet"]
country = "germany"
workers = 2
[output]
dir = "out"
if_exists = "replace"
[datasets.customers]
rows = 100_000
[datasets.sales]
rows = 2_000_000
date_range = [2024-01-01, 2024-12-31]
formats = ["parquet", "csv"]
drop = ["discount"]
[datasets.vip_customers]
dataset = "customers"
rows = 500
[datasets.crypto]
interval = "1h"
time_series = { trend_direction = "up", volatility_level = "high" }
[profiles.ci]
scale = 0.01
"""


def test_a_good_plan_passes_both() -> None:
    raw = tomllib.loads(GOOD)
    assert not list(_validator().iter_errors(_json_values(raw)))
    p.load_plan(raw)


@pytest.mark.parametrize(
    "text",
    [
        "sed = 1\n[datasets.sales]\n",
        "[datasets.sales]\nrow = 5\n",
        "[datasets.sales]\nrows = 0\n",
        "formats = ['xml']\n[datasets.sales]\n",
        "[output]\nif_exists = 'overwrite'\n[datasets.sales]\n",
        "[datasets.'../x']\n",
        "version = 2\n[datasets.sales]\n",
        "seed = 1\n",
        "[profiles.ci]\nrows = 3\n[datasets.sales]\n",
    ],
)
def test_a_plan_the_checker_refuses_for_its_shape_fails_the_schema(text: str) -> None:
    raw = tomllib.loads(text)
    assert list(_validator().iter_errors(_json_values(raw)))
    with pytest.raises(p.PlanError):
        p.load_plan(raw)


def test_cli_prints_the_schema() -> None:
    result = CliRunner().invoke(app, ["run", "--schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == p.plan_schema()


def test_the_readme_plan_is_valid(tmp_path: Any) -> None:
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    raw = tomllib.loads(block)
    assert not list(_validator().iter_errors(_json_values(raw)))
    plan = p.load_plan(raw, base_dir=tmp_path, profile="ci")
    assert [e.name for e in plan.datasets] == ["customers", "products", "sales", "vip_customers"]
    assert plan.entry("sales").rows == 20_000


def test_the_readme_column_examples_are_valid(tmp_path: Any) -> None:
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("```toml\n")[2].split("```", 1)[0]
    block = "\n".join(line.removeprefix("  ") for line in block.splitlines())
    raw = tomllib.loads(block)
    raw["datasets"]["customers"] = {"rows": 1_000}
    assert not list(_validator().iter_errors(_json_values(raw)))
    plan = p.load_plan(raw, base_dir=tmp_path)
    assert plan.entry("coupons").custom
    assert plan.entry("sales").parents == ("customers",)


def test_the_readme_dirty_example_is_valid(tmp_path: Any) -> None:
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("```toml\n")[3].split("```", 1)[0]
    block = "\n".join(line.removeprefix("  ") for line in block.splitlines())
    raw = tomllib.loads(block)
    assert not list(_validator().iter_errors(_json_values(raw)))
    plan = p.load_plan(raw, base_dir=tmp_path)
    assert plan.entry("sales").dirt.rates["typos"] == 0.02
