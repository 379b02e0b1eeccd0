"""Every format written and read back with a real reader; multi-format runs."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

import tempdata
from tempdata import samplers as s
from tempdata.core.plan import Dataset, col
from tempdata.core.seeding import CHUNK_SIZE
from tempdata.export.formats import Target
from tempdata.export.writer import write

# A small dataset with every kind of column the sinks must handle, including nulls.
MIXED = Dataset(
    "mixed",
    description="all column kinds",
    columns=[
        col("id", s.sequence("M-{:05d}")),
        col("n", s.integers(-5, 5), nulls=0.1),
        col("x", s.normal(0, 1e6)),
        col("flag", s.booleans()),
        col("kind", s.choice(["a", "b, with comma", 'c "quoted"'])),
        col("text", s.choice(["plain", "line\nbreak", "ünïcødé ✓"], enum=False)),
        col("when", s.timestamps()),
        col("day", s.timestamps(as_date=True)),
        col("lat", s.floats(-60, 60, decimals=6)),
        col("lon", s.floats(-170, 170, decimals=6)),
    ],
)


def mixed(rows: int = 1_234) -> pl.DataFrame:
    return tempdata.generate(MIXED, rows=rows, seed=5)


def write_mixed(tmp_path: Path, name: str, rows: int = 1_234, **kwargs: object) -> Path:
    return tempdata.create_dataset(tmp_path / name, rows=rows, seed=5, dataset=MIXED, **kwargs)  # type: ignore[arg-type]


def as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Values as a text reader sees them (enums as strings, temporals in ISO form)."""
    return frame.with_columns(
        pl.col(pl.Enum).cast(pl.String),
        pl.col("when").dt.to_string("%Y-%m-%dT%H:%M:%S%.6f"),
        pl.col("day").cast(pl.String),
    )


def test_parquet_round_trip_with_metadata_and_row_groups(tmp_path: Path) -> None:
    rows = CHUNK_SIZE + 10
    path = write_mixed(tmp_path, "m.parquet", rows=rows)
    assert pl.read_parquet(path).equals(mixed(rows))
    meta = pq.ParquetFile(path).metadata
    assert meta.num_row_groups == 2
    kv = {k.decode(): v.decode() for k, v in meta.metadata.items()}
    assert kv["tempdata.seed"] == "5"
    assert kv["tempdata.dataset"] == "mixed"
    assert json.loads(kv["tempdata.config"])["rows"] == rows
    assert "polars" in json.loads(kv["tempdata.versions"])


@pytest.mark.parametrize("name", ["m.csv", "m.csv.gz"])
def test_csv_round_trip(tmp_path: Path, name: str) -> None:
    path = write_mixed(tmp_path, name)
    if name.endswith(".gz"):
        with gzip.open(path) as fh:
            assert fh.read(3) == b"id,"
    back = pl.read_csv(path, schema=as_text(mixed()).schema)
    assert back.equals(as_text(mixed()))


def test_ndjson_and_json_round_trip(tmp_path: Path) -> None:
    expected = as_text(mixed())
    for name in ("m.ndjson", "m.jsonl"):
        back = pl.read_ndjson(write_mixed(tmp_path, name), schema=expected.schema)
        assert back.equals(expected)
    records = json.loads(write_mixed(tmp_path, "m.json").read_text("utf-8"))
    assert isinstance(records, list)
    assert pl.DataFrame(records, schema=expected.schema, orient="row").equals(expected)


def test_json_of_several_chunks_is_one_valid_array(tmp_path: Path) -> None:
    path = write_mixed(tmp_path, "m.json", rows=CHUNK_SIZE + 3)
    assert len(json.loads(path.read_text("utf-8"))) == CHUNK_SIZE + 3


def test_geojson_points_from_lat_lon(tmp_path: Path) -> None:
    doc = json.loads(write_mixed(tmp_path, "m.geojson", rows=50).read_text("utf-8"))
    assert doc["type"] == "FeatureCollection"
    assert len(doc["features"]) == 50
    frame = mixed(50)
    first = doc["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [frame["lon"][0], frame["lat"][0]]}
    assert first["properties"]["id"] == "M-00001"
    assert "lat" not in first["properties"]


def test_geojson_without_coordinates_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(tempdata.ExportFormatError, match="geojson needs numeric 'lat' and 'lon'"):
        tempdata.create_dataset(tmp_path / "products.geojson", rows=10, seed=1)
    assert list(tmp_path.iterdir()) == []


def _excel_rows(path: Path) -> dict[str, list[list[object]]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_excel_round_trip_with_a_real_reader(tmp_path: Path) -> None:
    path = write_mixed(tmp_path, "m.xlsx", rows=300)
    sheets = _excel_rows(path)
    assert list(sheets) == ["mixed"]
    header, *rows = sheets["mixed"]
    frame = mixed(300)
    assert header == frame.columns
    assert len(rows) == 300
    first = dict(zip(header, rows[0], strict=True))
    assert first["id"] == "M-00001"
    assert first["kind"] == frame["kind"][0]
    assert first["x"] == pytest.approx(frame["x"][0])
    assert first["flag"] == frame["flag"][0]
    assert first["day"] == frame["day"][0]
    when = first["when"]
    assert isinstance(when, dt.datetime)
    assert abs((when - frame["when"][0]).total_seconds()) < 0.001
    nulls = [i for i, v in enumerate(frame["n"].to_list()) if v is None]
    assert nulls
    assert rows[nulls[0]][header.index("n")] in ("", None)


def test_excel_rolls_over_to_a_next_sheet(tmp_path: Path) -> None:
    path = write_mixed(tmp_path, "m.xlsx", rows=250, _writer_options={"max_rows_per_sheet": 100})
    sheets = _excel_rows(path)
    assert list(sheets) == ["mixed", "mixed_2", "mixed_3"]
    assert [len(rows) - 1 for rows in sheets.values()] == [100, 100, 50]
    assert all(rows[0] == list(MIXED.column_names) for rows in sheets.values())
    ids = [r[0] for rows in sheets.values() for r in rows[1:]]
    assert ids == mixed(250)["id"].to_list()


def test_excel_same_data_gives_the_same_file(tmp_path: Path) -> None:
    a = write_mixed(tmp_path / "a", "m.xlsx", rows=100)
    b = write_mixed(tmp_path / "b", "m.xlsx", rows=100)
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()


def test_several_formats_in_one_pass_generate_each_chunk_once(tmp_path: Path) -> None:
    produced: list[int] = []

    def chunks():  # type: ignore[no-untyped-def]
        for i, frame in enumerate(tempdata.stream(MIXED, rows=3 * CHUNK_SIZE, seed=5)):
            produced.append(i)
            yield frame

    schema = tempdata.stream(MIXED, rows=1, seed=5).schema
    targets = [
        Target(tmp_path / "m.parquet", "parquet"),
        Target(tmp_path / "m.csv", "csv"),
        Target(tmp_path / "m.ndjson", "ndjson"),
        Target(tmp_path / "m.json", "json"),
    ]
    write(chunks(), schema, targets)
    assert produced == [0, 1, 2]
    expected = mixed(3 * CHUNK_SIZE)
    assert pl.read_parquet(tmp_path / "m.parquet").equals(expected)
    assert pl.read_csv(tmp_path / "m.csv", schema=as_text(expected).schema).equals(
        as_text(expected)
    )
    assert pl.scan_ndjson(tmp_path / "m.ndjson").select(pl.len()).collect().item() == 3 * CHUNK_SIZE
    assert len(json.loads((tmp_path / "m.json").read_text("utf-8"))) == 3 * CHUNK_SIZE


def test_create_dataset_with_formats_returns_every_path(tmp_path: Path) -> None:
    paths = write_mixed(tmp_path, "mixed.parquet", formats=["parquet", "csv", "xlsx"])
    assert [p.name for p in paths] == ["mixed.parquet", "mixed.csv", "mixed.xlsx"]  # type: ignore[union-attr]
    assert all(p.stat().st_size > 0 for p in paths)  # type: ignore[union-attr]


@pytest.mark.slow
def test_excel_rolls_over_at_full_sheet_size(tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    from tempdata.export.excel import EXCEL_MAX_DATA_ROWS

    narrow = Dataset("narrow", description="", columns=[col("i", s.row_index())])
    rows = EXCEL_MAX_DATA_ROWS + 7
    path = tempdata.create_dataset(tmp_path / "narrow.xlsx", rows=rows, seed=1, dataset=narrow)
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["narrow", "narrow_2"]
    first = book.get_sheet_by_name("narrow").to_python()
    second = book.get_sheet_by_name("narrow_2").to_python()
    assert len(first) == 1_048_576  # Excel's limit, header included
    assert first[-1][0] == EXCEL_MAX_DATA_ROWS - 1
    assert second[0] == ["i"]
    assert [r[0] for r in second[1:]] == list(range(EXCEL_MAX_DATA_ROWS, rows))


def test_geojson_of_several_chunks_is_one_valid_collection(tmp_path: Path) -> None:
    doc = json.loads(write_mixed(tmp_path, "m.geojson", rows=CHUNK_SIZE + 2).read_text("utf-8"))
    features = doc["features"]
    assert len(features) == CHUNK_SIZE + 2
    assert features[-1]["properties"]["id"] == f"M-{CHUNK_SIZE + 2:05d}"
