"""``tempdata geo addresses|route|pois``: formats, files, exit codes, one-line errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from tests.cli.conftest import assert_one_line_error, invoke


def test_pois_table_by_default() -> None:
    result = invoke("geo", "pois", "Berlin", "-n", "4", "--seed", "1")
    assert result.exit_code == 0, result.stderr
    assert "4 POIs near Berlin, seed 1" in result.stdout
    assert "category" in result.stdout


def test_pois_csv_parses_with_polars() -> None:
    result = invoke("geo", "pois", "Berlin", "-n", "25", "--seed", "1", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    frame = pl.read_csv(io.StringIO(result.stdout))
    assert frame.height == 25
    assert {"name", "category", "lat", "lon", "iata"} <= set(frame.columns)
    assert result.stderr == ""  # the seed was given: nothing to report


def test_pois_json_and_unseeded_seed_report() -> None:
    result = invoke("geo", "pois", "japan", "-n", "3", "-c", "hotel", "-f", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["category"] for r in rows] == ["hotel"] * 3
    assert result.stderr.startswith("tempdata: seed ")


def test_pois_geojson_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "pois.geojson"
    result = invoke(
        "geo", "pois", "Paris, France", "-n", "5", "-c", "airport", "--seed", "2", "-o", target
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    doc = json.loads(target.read_text())
    assert doc["type"] == "FeatureCollection"
    assert {f["geometry"]["type"] for f in doc["features"]} == {"Point"}
    assert all(len(f["properties"]["iata"]) == 3 for f in doc["features"])
    assert [p.name for p in tmp_path.iterdir()] == ["pois.geojson"]


def test_route_formats(tmp_path: Path) -> None:
    args = ("geo", "route", "Berlin", "Munich", "--waypoints", "2", "--seed", "3")
    table = invoke(*args)
    assert table.exit_code == 0, table.stderr
    assert "km, about" in table.stdout
    csv = invoke(*args, "--format", "csv")
    assert csv.exit_code == 0, csv.stderr
    stops = pl.read_csv(io.StringIO(csv.stdout))
    assert stops["role"].to_list() == ["start", "waypoint", "waypoint", "end"]
    as_json = json.loads(invoke(*args, "-f", "json").stdout)
    assert as_json["start"]["city"] == "Berlin"
    assert as_json["distance_km"] > 500
    target = tmp_path / "route.geojson"
    assert invoke(*args, "-o", target).exit_code == 0
    doc = json.loads(target.read_text())
    line = doc["features"][0]
    assert line["geometry"]["type"] == "LineString"
    lon, lat = line["geometry"]["coordinates"][0]
    assert 13 < lon < 14  # [lon, lat], at Berlin
    assert 52 < lat < 53


def test_addresses_csv() -> None:
    result = invoke("geo", "addresses", "germany", "-n", "5", "--seed", "1", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    frame = pl.read_csv(io.StringIO(result.stdout), infer_schema=False)
    assert frame.height == 5
    assert set(frame["country_code"]) == {"DE"}


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("geo", "pois", "Berlin", "-c", "zoo"), "unknown POI category 'zoo'"),
        (("geo", "pois", "Narnia"), "unknown city 'Narnia'"),
        (("geo", "pois", "Berlin", "-n", "-3"), "count must be a non-negative integer"),
        (("geo", "pois", "Berlin", "-f", "xml"), "'xml' is not one of"),
        (("geo", "pois", "Berlin", "-o", "out.txt"), "cannot tell the format"),
        (("geo", "pois", "Berlin", "-f", "table", "-o", "x.csv"), "table is for the screen"),
        (("geo", "route", "Springfield", "Berlin"), "'Springfield' is ambiguous"),
        (("geo", "route", "Berlin", "Munich", "-w", "99"), "from 0 to 25, got 99"),
        (("geo", "route", "Berlin", "berlin"), "same city"),
        (("geo", "route", "Berlin"), "Missing argument"),
        (("geo", "addresses", "germny"), "unknown country 'germny'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: tuple[str, ...], fragment: str) -> None:
    line = assert_one_line_error(invoke(*args), 2)
    assert fragment in line


def test_real_subprocess() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tempdata",
            "geo",
            "pois",
            "Berlin",
            "-n",
            "3",
            "--seed",
            "1",
            "-f",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 3
    bad = subprocess.run(
        [sys.executable, "-m", "tempdata", "geo", "route", "Valencia", "Berlin"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr.startswith("tempdata: error: 'Valencia' is ambiguous")
    assert len(bad.stderr.splitlines()) == 1
