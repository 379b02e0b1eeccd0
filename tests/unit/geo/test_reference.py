"""The committed reference files match their manifest, and ship inside the wheel."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import polars as pl
import pytest

from tempdata.errors import GeographicalError
from tempdata.geo.countries import resolve_country
from tempdata.geo.reference import load, reference_dir

ROOT = Path(__file__).resolve().parents[3]
MANIFEST = json.loads((ROOT / "reference_data" / "manifest.json").read_text())


@pytest.mark.parametrize("entry", MANIFEST["files"], ids=lambda e: e["name"])
def test_reference_file_matches_manifest(entry: dict) -> None:  # type: ignore[type-arg]
    path = ROOT / "reference_data" / entry["name"]
    data = path.read_bytes()
    assert len(data) == entry["bytes"]
    assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    frame = pl.read_parquet(path)
    assert frame.height == entry["rows"]
    assert [(c, str(t)) for c, t in frame.schema.items()] == [
        (c["name"], c["dtype"]) for c in entry["columns"]
    ]
    # columns where null means "none" (scripts/refdata/build.py's NULLABLE, recorded
    # in the manifest)
    nullable = entry["nullable"]
    nulls = {c: n for c, n in zip(frame.columns, frame.null_count().row(0), strict=True) if n}
    assert {c: n for c, n in nulls.items() if c not in nullable} == {}


def test_sources_name_every_file() -> None:
    sources = (ROOT / "reference_data" / "SOURCES.md").read_text()
    for entry in MANIFEST["files"]:
        assert entry["name"] in sources
    assert "GeoNames" in sources
    assert "CC BY 4.0" in sources


def test_schemas_the_engine_relies_on() -> None:
    assert {"iso2", "iso3", "name", "slug", "continent", "calling_code", "locale"} <= set(
        load("countries").columns
    )
    assert {"city", "state", "country_code", "lat", "lon", "population", "timezone"} <= set(
        load("cities").columns
    )
    names = load("names")
    assert names.get_column("ascii").str.contains("^[a-z]+$").all()
    assert {"first_female", "first_male", "last"} <= set(names.get_column("kind").unique())
    cities = load("cities")
    assert cities["lat"].is_between(-90, 90).all()
    assert cities["lon"].is_between(-180, 180).all()
    assert cities.filter(pl.col("population") < 0).is_empty()
    assert cities.filter(pl.col("population") > 0).height > 30_000


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("US", "US"),
        ("usa", "US"),
        ("united_states", "US"),
        ("United States", "US"),
        ("germany", "DE"),
        ("DEU", "DE"),
        ("pakistan", "PK"),
        ("Côte d'Ivoire", "CI"),
        ("uk", "GB"),
        ("global", "global"),
    ],
)
def test_country_resolution(given: str, code: str) -> None:
    assert resolve_country(given) == code


def test_unknown_country_suggests() -> None:
    with pytest.raises(
        GeographicalError, match="unknown country 'germny' — did you mean 'germany'"
    ):
        resolve_country("germny")


def test_wheel_carries_reference_data(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("tempdata-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        assert "tempdata/_reference_data/cities.parquet" in names
        assert "tempdata/py.typed" in names
        assert "tempdata/batch/plan.schema.json" in names  # the published plan schema
        zf.extractall(tmp_path / "site")
    code = (
        "import tempdata, tempdata.geo.reference as r; "
        "print(r.reference_dir()); print(r.load('cities').height); "
        "print(tempdata.generate('customers', rows=5, seed=1).height)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": ""},
        check=True,
    )
    lines = out.stdout.split()
    assert lines[0].endswith("site/tempdata/_reference_data")
    assert int(lines[1]) == load("cities").height
    assert lines[2] == "5"


def test_reference_dir_is_found_in_a_checkout() -> None:
    assert (reference_dir() / "cities.parquet").is_file()
