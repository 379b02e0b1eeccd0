"""Bad input: each case a clear one-line error naming the value, and no file written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import tempdata
from tempdata.errors import (
    ExportFormatError,
    FileSystemError,
    GeographicalError,
    InvalidParameterError,
    UnknownDatasetError,
)

CASES: list[tuple[str, dict[str, Any], type[Exception], str]] = [
    ("sales.parquet", {"rows": 0}, InvalidParameterError, "rows must be a positive integer, got 0"),
    ("sales.parquet", {"rows": -5}, InvalidParameterError, "got -5"),
    ("sales.parquet", {"rows": 2.5}, InvalidParameterError, "got 2.5"),
    ("sales.parquet", {"rows": "100"}, InvalidParameterError, "got '100'"),
    ("sales.parquet", {"rows": True}, InvalidParameterError, "got True"),
    ("salse.parquet", {}, UnknownDatasetError, "did you mean 'sales'"),
    ("x.parquet", {"dataset": "salse"}, UnknownDatasetError, "unknown dataset 'salse'"),
    ("2024_sales.parquet", {}, UnknownDatasetError, "does not name a dataset.*pass dataset="),
    ("sales.xls", {}, ExportFormatError, "unknown file extension '.xls'"),
    ("sales", {}, InvalidParameterError, "cannot tell the format"),
    ("sales.parquet", {"formats": ["parquet", "avro"]}, ExportFormatError, "unknown format 'avro'"),
    (
        "sales.parquet",
        {"country": "germny"},
        GeographicalError,
        "unknown country 'germny' — did you mean 'germany'",
    ),
    ("sales.parquet", {"locale": "xx_YY"}, InvalidParameterError, "unknown locale 'xx_YY'"),
    (
        "sales.parquet",
        {"date_range": ("2024-12-31", "2024-01-01")},
        InvalidParameterError,
        "is after its end",
    ),
    (
        "sales.parquet",
        {"date_range": ("2024-13-01", "2024-12-31")},
        InvalidParameterError,
        "ISO date",
    ),
    ("sales.parquet", {"date_range": ("2024-01-01",)}, InvalidParameterError, "pair"),
    ("sales.parquet", {"seed": -1}, InvalidParameterError, "seed must be a non-negative integer"),
    ("sales.parquet", {"columns": ["amount", "amout"]}, InvalidParameterError, "no column 'amout'"),
    ("sales.parquet", {"drop": ["nope"]}, InvalidParameterError, "no column 'nope'"),
    (
        "sales.parquet",
        {"custom_params": {"stores": 3}},
        InvalidParameterError,
        "has no parameter 'stores'",
    ),
    ("sales.parquet", {"interval": "2h"}, InvalidParameterError, "unknown interval '2h'"),
    ("sales.parquet", {"time_series": True}, InvalidParameterError, "no time-series mode"),
    (
        "sales.parquet",
        {"if_exists": "overwrite"},
        InvalidParameterError,
        "if_exists must be one of",
    ),
    ("sales.geojson", {}, ExportFormatError, "geojson needs numeric 'lat' and 'lon'"),
    ("sales.csv", {"formats": ["parquet"]}, InvalidParameterError, "names the csv format"),
]


@pytest.mark.parametrize(("name", "kwargs", "error", "message"), CASES)
def test_bad_input_is_a_clear_error_and_writes_nothing(
    tmp_path: Path, name: str, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    kwargs = {"seed": 1, "rows": 10, **kwargs}
    with pytest.raises(error, match=message) as info:
        tempdata.create_dataset(tmp_path / name, **kwargs)
    assert "\n" not in str(info.value)
    assert isinstance(info.value, tempdata.TempDataError)
    assert isinstance(info.value, ValueError)
    assert list(tmp_path.iterdir()) == []


def test_bad_input_to_generate_and_describe() -> None:
    with pytest.raises(UnknownDatasetError, match="did you mean 'customers'"):
        tempdata.generate("customer")
    with pytest.raises(UnknownDatasetError):
        tempdata.describe("nope")
    with pytest.raises(InvalidParameterError, match="chunk 9 is out of range"):
        tempdata.stream("sales", rows=10, chunks=[9])


def test_unwritable_target_is_a_runtime_error_and_keeps_existing_files(tmp_path: Path) -> None:
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("x")
    with pytest.raises(FileSystemError) as info:
        tempdata.create_dataset(blocker / "sales.parquet", rows=10, seed=1)
    assert not isinstance(info.value, ValueError)
    assert blocker.read_text() == "x"


def test_errors_form_one_hierarchy() -> None:
    assert issubclass(UnknownDatasetError, InvalidParameterError)
    assert issubclass(UnknownDatasetError, LookupError)
    assert issubclass(tempdata.GenerationMemoryError, MemoryError)
    assert tempdata.GenerationMemoryError is not MemoryError
    for cls in (
        InvalidParameterError,
        GeographicalError,
        tempdata.DataQualityError,
        tempdata.ExportError,
        ExportFormatError,
        FileSystemError,
        tempdata.SerializationError,
    ):
        assert issubclass(cls, tempdata.TempDataError)
    assert issubclass(FileSystemError, OSError)


def test_a_folder_gets_one_file_per_format(tmp_path: Path) -> None:
    paths = tempdata.create_dataset(
        tmp_path, rows=10, seed=1, dataset="sales", formats=["csv", "json"]
    )
    assert paths == [tmp_path / "sales.csv", tmp_path / "sales.json"]
    single = tempdata.create_dataset(f"{tmp_path}/new/", rows=10, seed=1, dataset="products")
    assert single == tmp_path / "new" / "products.parquet"
    assert single.is_file()
    with pytest.raises(InvalidParameterError, match="is a folder: pass dataset="):
        tempdata.create_dataset(tmp_path, rows=10, seed=1)


def test_dataset_config_checks_and_runs(tmp_path: Path) -> None:
    cfg = tempdata.DatasetConfig("sales", rows=120, seed=9, formats=["csv", "parquet"])
    frame = cfg.generate()
    assert frame.equals(tempdata.generate("sales", rows=120, seed=9))
    assert tempdata.generate(cfg).equals(frame)
    assert tempdata.generate(cfg, 50).height == 50
    paths = cfg.create(tmp_path)
    assert [p.name for p in paths] == ["sales.csv", "sales.parquet"]
    import polars as pl

    assert pl.read_parquet(paths[1]).equals(frame)
    assert sum(f.height for f in cfg.stream()) == 120
    for bad, message in [
        ({"rows": 0}, "rows must be a positive integer"),
        ({"interval": "2h"}, "unknown interval '2h'"),
        ({"formats": ["avro"]}, "unknown format 'avro'"),
    ]:
        with pytest.raises(ValueError, match=message):
            tempdata.DatasetConfig("sales", **bad)  # type: ignore[arg-type]


def test_a_config_and_conflicting_arguments_is_an_error() -> None:
    cfg = tempdata.DatasetConfig("products", rows=3)
    with pytest.raises(InvalidParameterError, match="also seed, country"):
        tempdata.generate(cfg, seed=5, country="germany")


MORE_BAD: list[tuple[dict[str, Any], type[Exception], str]] = [
    (
        {"custom_params": {"customers": "abc"}},
        InvalidParameterError,
        "'customers' must be an integer",
    ),
    (
        {"custom_params": {"customers": None}},
        InvalidParameterError,
        "'customers' must be an integer",
    ),
    ({"custom_params": {"customers": 2.7}}, InvalidParameterError, "got 2.7"),
    ({"custom_params": {"customers": True}}, InvalidParameterError, "got True"),
    ({"custom_params": {"customers": 0}}, InvalidParameterError, "from 1"),
    ({"custom_params": {"products": 10**8}}, InvalidParameterError, "to 2,000,000"),
    ({"custom_params": "abc"}, InvalidParameterError, "custom_params must be a mapping"),
    ({"reference_date": "0001-01-01"}, InvalidParameterError, "between 1900 and 2200"),
    ({"columns": "amount"}, InvalidParameterError, "columns must be a list"),
    ({"columns": [5]}, InvalidParameterError, "columns must be a list"),
    ({"drop": "amount"}, InvalidParameterError, "drop must be a list"),
]


@pytest.mark.parametrize(("kwargs", "error", "message"), MORE_BAD)
def test_more_bad_input(kwargs: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message) as info:
        tempdata.generate("sales", rows=10, seed=1, **kwargs)
    assert "\n" not in str(info.value)


def test_formats_must_be_a_list(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameterError, match="formats must be a list"):
        tempdata.create_dataset(tmp_path / "sales", rows=10, seed=1, formats="csv")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_seeder_arguments_are_checked() -> None:
    with pytest.raises(InvalidParameterError, match="context name must be a string"):
        tempdata.Seeder(1).context_seed(5)  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="offset_seconds must be an integer"):
        tempdata.Seeder(1).temporal_seed("x")  # type: ignore[arg-type]


def test_zone_aware_bounds_keep_their_wall_clock() -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    ny = ZoneInfo("America/New_York")
    sales = tempdata.generate(
        "sales",
        rows=500,
        seed=1,
        date_range=(dt.datetime(2024, 1, 1, tzinfo=ny), dt.datetime(2024, 1, 1, 23, 59, tzinfo=ny)),
    )
    assert sales["date"].dt.date().unique().to_list() == [dt.date(2024, 1, 1)]
