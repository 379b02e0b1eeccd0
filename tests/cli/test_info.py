"""`tempdata list`, `describe`, `preview`, `--version` and `--help`."""

from __future__ import annotations

import json

import pytest

import tempdata
from tests.cli.conftest import invoke


def test_list_shows_every_dataset_with_its_domain() -> None:
    result = invoke("list")
    assert result.exit_code == 0, result.stderr
    for name in tempdata.list_datasets():
        assert name in result.stdout
        assert tempdata.describe(name).domain in result.stdout
    assert result.stderr == ""


def test_describe_json_is_exactly_the_api_json() -> None:
    result = invoke("describe", "sales", "--json")
    assert result.exit_code == 0, result.stderr
    expected = tempdata.describe("sales").to_json()
    assert result.stdout == expected + "\n"
    assert json.loads(result.stdout)["name"] == "sales"
    assert result.stderr == ""


def test_describe_sql() -> None:
    result = invoke("describe", "products", "--sql")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == tempdata.describe("products").to_sql() + "\n"
    assert result.stdout.startswith("CREATE TABLE products (")


def test_describe_table_has_columns_parameters_and_notes() -> None:
    result = invoke("describe", "sales")
    assert result.exit_code == 0, result.stderr
    info = tempdata.describe("sales")
    for column in info.columns:
        assert column.name in result.stdout
    for parameter in info.parameters:
        assert parameter in result.stdout
    assert "notes" in result.stdout
    assert info.description.split()[0] in result.stdout
    assert "datetime[us]" in result.stdout  # a dtype, not rich markup


def test_preview_shows_rows_and_seed() -> None:
    result = invoke("preview", "products", "-n", "3", "--seed", "11")
    assert result.exit_code == 0, result.stderr
    frame = tempdata.generate("products", rows=3, seed=11)
    for name in frame.columns:
        assert name in result.stdout
    for product in frame["product_id"]:
        assert product in result.stdout
    assert "PRD-000004" not in result.stdout
    assert "seed 11" in result.stdout


def test_preview_takes_the_generate_options() -> None:
    result = invoke(
        "preview", "sales", "-n", "2", "--seed", "1", "--country", "germany",
        "--columns", "transaction_id,region", "--start", "2024-01-01", "--end", "2024-01-31",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "region" in result.stdout
    assert "amount" not in result.stdout


def test_preview_of_an_unseeded_run_prints_its_seed() -> None:
    result = invoke("preview", "products", "-n", "1")
    assert result.exit_code == 0, result.stderr
    assert "seed " in result.stdout


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(flag: str) -> None:
    result = invoke(flag)
    assert result.exit_code == 0
    assert result.stdout.startswith(f"tempdata {tempdata.__version__} (polars ")


@pytest.mark.parametrize("command", [[], ["generate"], ["list"], ["describe"], ["preview"]])
def test_help(command: list[str]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Usage: tempdata" in result.stdout


def test_generate_help_names_the_design_options() -> None:
    text = invoke("generate", "--help").stdout
    for option in (
        "--rows", "-n", "--seed", "--reference-date", "--country", "--locale", "--start",
        "--end", "--format", "--formats", "--output", "-o", "--columns", "--drop",
        "--if-exists", "--param", "--quiet", "--time-series", "--interval",
    ):  # fmt: skip
        assert option in text
