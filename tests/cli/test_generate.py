"""`tempdata generate` through typer's in-process runner: files, formats, seeds, replay."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import polars as pl
import pytest

import tempdata
from tempdata import cli
from tests.cli.conftest import (
    assert_one_line_error,
    files,
    invoke,
    replay_args,
    summary,
)


def test_parquet_file_reads_back_with_seed_in_metadata(tmp_path: Path) -> None:
    target = tmp_path / "products.parquet"
    result = invoke("generate", "products", "--rows", "1_234", "--seed", "42", "-o", target)
    assert result.exit_code == 0, result.stderr
    frame = pl.read_parquet(target)
    assert frame.height == 1_234
    assert frame.columns == [c.name for c in tempdata.describe("products").columns]
    meta = pl.read_parquet_metadata(target)
    assert meta["tempdata.seed"] == "42"
    assert meta["tempdata.dataset"] == "products"
    assert meta["tempdata.reference_date"] == "2025-12-31"
    assert frame.equals(tempdata.generate("products", rows=1_234, seed=42))
    out = summary(result.stdout)
    assert out["seed"] == ["42"]
    assert out["reference date"] == ["2025-12-31"]
    assert out["rows"] == ["1,234"]
    assert out["wrote"][0].startswith(str(target))
    assert out["time"][0].endswith("rows/s)")
    assert result.stderr == ""


def test_default_output_is_the_current_directory_as_parquet(workdir: Path) -> None:
    result = invoke("generate", "products", "-n", "10", "--seed", "1")
    assert result.exit_code == 0, result.stderr
    assert files(workdir) == ["products.parquet"]
    assert pl.read_parquet(workdir / "products.parquet").height == 10


def test_make_run_style_sales_to_a_new_folder_in_two_formats(tmp_path: Path) -> None:
    # The shape of `make run`, on fewer rows: more than one 50,000-row chunk.
    out = tmp_path / "out"
    result = invoke(
        "generate", "sales", "--rows", "60_000", "--seed", "42",
        "--formats", "parquet,csv", "--output", f"{out}/",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert files(out) == ["sales.csv", "sales.parquet"]
    parquet = pl.read_parquet(out / "sales.parquet")
    csv = pl.read_csv(out / "sales.csv")
    assert parquet.height == csv.height == 60_000
    assert parquet.columns == csv.columns
    assert parquet["transaction_id"].equals(csv["transaction_id"])
    assert pl.read_parquet_metadata(out / "sales.parquet")["tempdata.seed"] == "42"
    assert len(summary(result.stdout)["wrote"]) == 2


def test_existing_directory_without_trailing_slash_is_a_folder(tmp_path: Path) -> None:
    result = invoke(
        "generate", "products", "-n", "5", "--seed", "1",
        "--formats", "json,ndjson,csv", "-o", tmp_path,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert files(tmp_path) == ["products.csv", "products.json", "products.ndjson"]
    assert pl.read_ndjson(tmp_path / "products.ndjson").height == 5


def test_file_extension_decides_the_format(tmp_path: Path) -> None:
    target = tmp_path / "fixture.csv.gz"  # any file name: the dataset is the argument
    result = invoke("generate", "products", "-n", "20", "--seed", "3", "-o", target)
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes()[:2] == b"\x1f\x8b"  # gzip
    assert pl.read_csv(target).height == 20


def test_name_without_extension_gets_the_format_extension(tmp_path: Path) -> None:
    result = invoke("generate", "products", "-n", "5", "-o", tmp_path / "catalogue", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert files(tmp_path) == ["catalogue.csv"]


@pytest.mark.parametrize(
    ("fmt", "read"),
    [("csv", pl.read_csv), ("ndjson", pl.read_ndjson)],
)
def test_stdout_is_pure_data(fmt: str, read: object, workdir: Path) -> None:
    result = invoke("generate", "products", "-n", "25", "--seed", "5", "-o", "-", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    frame = read(io.BytesIO(result.stdout_bytes))  # type: ignore[operator]
    assert frame.height == 25
    assert (
        frame["product_id"].to_list()
        == tempdata.generate("products", rows=25, seed=5)["product_id"].to_list()
    )
    assert summary(result.stderr)["seed"] == ["5"]  # messages went to stderr
    assert files(workdir) == []


def test_stdout_quiet_prints_only_data() -> None:
    result = invoke("generate", "products", "-n", "3", "-o", "-", "-q")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert pl.read_csv(io.BytesIO(result.stdout_bytes)).height == 3


def test_quiet_prints_nothing(tmp_path: Path) -> None:
    result = invoke("generate", "products", "-n", "3", "-o", f"{tmp_path}/", "--quiet")
    assert result.exit_code == 0
    assert result.stdout == result.stderr == ""
    assert files(tmp_path) == ["products.parquet"]


def test_same_seed_same_data_other_seed_other_data(tmp_path: Path) -> None:
    for name, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        result = invoke(
            "generate", "sales", "-n", "300", "--seed", seed, "-o", tmp_path / f"{name}.parquet"
        )
        assert result.exit_code == 0, result.stderr
    a, b, c = (pl.read_parquet(tmp_path / f"{n}.parquet") for n in "abc")
    assert a.equals(b)
    assert not a.equals(c)


def test_unseeded_run_prints_a_seed_that_replays_it(tmp_path: Path) -> None:
    first = invoke("generate", "sales", "-n", "300", "-o", tmp_path / "first.parquet")
    assert first.exit_code == 0, first.stderr
    seed = summary(first.stdout)["seed"][0]
    assert seed.isdigit()
    again = replay_args(first.stdout)
    assert again[:2] == ["--seed", seed]
    second = invoke("generate", "sales", "-n", "300", "-o", tmp_path / "second.parquet", *again)
    assert second.exit_code == 0, second.stderr
    one, two = (pl.read_parquet(tmp_path / f"{n}.parquet") for n in ("first", "second"))
    assert one.equals(two)
    assert pl.read_parquet_metadata(tmp_path / "first.parquet")["tempdata.seed"] == seed


def test_columns_drop_and_params(tmp_path: Path) -> None:
    kept = tmp_path / "kept.parquet"
    result = invoke(
        "generate", "sales", "-n", "2_000", "--seed", "1", "-o", kept,
        "--columns", "transaction_id, customer_id,amount", "--param", "customers=150",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    frame = pl.read_parquet(kept)
    assert frame.columns == ["transaction_id", "customer_id", "amount"]
    assert frame["customer_id"].n_unique() <= 150
    config = json.loads(pl.read_parquet_metadata(kept)["tempdata.config"])
    assert config["custom_params"] == {"customers": 150}  # parsed as an int

    dropped = tmp_path / "dropped.parquet"
    result = invoke("generate", "products", "-n", "5", "-o", dropped, "--drop", "stock,cost")
    assert result.exit_code == 0, result.stderr
    assert not {"stock", "cost"} & set(pl.read_parquet(dropped).columns)


def _date_range(path: Path) -> list[str]:
    return json.loads(pl.read_parquet_metadata(path)["tempdata.config"])["date_range"]


def test_start_and_end_together_and_alone(tmp_path: Path) -> None:
    base = ("generate", "sales", "-n", "500", "--seed", "1")
    both = tmp_path / "both.parquet"
    assert invoke(*base, "-o", both, "--start", "2024-02-01", "--end", "2024-03-31").exit_code == 0
    assert _date_range(both) == ["2024-02-01T00:00:00", "2024-03-31T23:59:59.999999"]
    dates = pl.read_parquet(both)["date"]
    assert dt.date(2024, 2, 1) <= dates.min().date() <= dates.max().date() <= dt.date(2024, 3, 31)  # type: ignore[union-attr]

    # --start alone: up to the reference date (2025-12-31 for seeded runs).
    start = tmp_path / "start.parquet"
    assert invoke(*base, "-o", start, "--start", "2025-06-01").exit_code == 0
    assert _date_range(start) == ["2025-06-01T00:00:00", "2025-12-31T23:59:59.999999"]
    start_ref = tmp_path / "start_ref.parquet"
    result = invoke(
        *base, "-o", start_ref, "--start", "2024-01-01", "--reference-date", "2024-06-30"
    )
    assert result.exit_code == 0, result.stderr
    assert _date_range(start_ref) == ["2024-01-01T00:00:00", "2024-06-30T23:59:59.999999"]

    # --end alone: the dataset's default span (365 days for sales), ending that day.
    end = tmp_path / "end.parquet"
    assert invoke(*base, "-o", end, "--end", "2024-06-30").exit_code == 0
    assert _date_range(end) == ["2023-07-02T00:00:00", "2024-06-30T23:59:59.999999"]


def test_if_exists_error_leaves_the_file_alone(tmp_path: Path) -> None:
    target = tmp_path / "products.parquet"
    target.write_bytes(b"precious")
    result = invoke("generate", "products", "-n", "5", "-o", target, "--if-exists", "error")
    line = assert_one_line_error(result, 1)
    assert "exists" in line
    assert target.read_bytes() == b"precious"
    assert files(tmp_path) == ["products.parquet"]


def test_if_exists_skip_reports_the_skipped_file(tmp_path: Path) -> None:
    (tmp_path / "products.csv").write_text("old\n")
    result = invoke(
        "generate", "products", "-n", "5", "--formats", "csv,parquet",
        "-o", f"{tmp_path}/", "--if-exists", "skip",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "products.csv").read_text() == "old\n"
    assert pl.read_parquet(tmp_path / "products.parquet").height == 5
    out = summary(result.stdout)
    assert out["skipped"][0].startswith(str(tmp_path / "products.csv"))
    assert out["wrote"][0].startswith(str(tmp_path / "products.parquet"))


def test_if_exists_replace_is_the_default(tmp_path: Path) -> None:
    target = tmp_path / "products.parquet"
    target.write_bytes(b"old")
    assert invoke("generate", "products", "-n", "4", "-o", target).exit_code == 0
    assert pl.read_parquet(target).height == 4


def test_unwritable_output_is_a_runtime_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("a regular file, not a folder")
    result = invoke("generate", "products", "-n", "5", "-o", blocker / "products.parquet")
    line = assert_one_line_error(result, 1)
    assert "file.txt" in line
    assert files(tmp_path) == ["file.txt"]


@pytest.mark.parametrize("formats", ["parquet", "parquet,csv"])
def test_interrupt_reports_what_finished_and_leaves_nothing(
    formats: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tempdata.create_dataset

    def interrupted(*args: object, on_chunk: object, **kwargs: object) -> object:
        def stop(chunk: pl.DataFrame) -> None:
            raise KeyboardInterrupt

        return real(*args, on_chunk=stop, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tempdata, "create_dataset", interrupted)
    target = tmp_path / "products.parquet"
    target.write_bytes(b"old")
    result = invoke("generate", "products", "-n", "60_000", "--formats", formats, "-o", target)
    assert result.exit_code == 130
    assert result.stderr.splitlines() == [
        "tempdata: interrupted; nothing was written (existing files are untouched)"
    ]
    assert "Traceback" not in result.output
    assert files(tmp_path) == ["products.parquet"]  # no temporary files left either
    assert target.read_bytes() == b"old"


def test_progress_bar_advances_per_chunk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    advanced: list[int] = []
    real_progress = cli._progress

    def recording(console: object, rows: int, label: str) -> object:
        bar = real_progress(console, rows, label)  # type: ignore[arg-type]
        original = bar.advance
        bar.advance = lambda task, n: (advanced.append(n), original(task, n))
        return bar

    monkeypatch.setattr(cli, "_show_progress", lambda console, quiet, rows: True)
    monkeypatch.setattr(cli, "_progress", recording)
    result = invoke("generate", "products", "-n", "120_000", "--seed", "1", "-o", f"{tmp_path}/")
    assert result.exit_code == 0, result.stderr
    assert advanced == [50_000, 50_000, 20_000]
    assert pl.read_parquet(tmp_path / "products.parquet").height == 120_000


@pytest.mark.parametrize(
    ("text", "value"),
    [("150", 150), ("1_000", 1000), ("-3", -3), ("2.5", 2.5), ("true", True), ("de_DE", "de_DE")],
)
def test_param_values_are_typed(text: str, value: object) -> None:
    parsed = cli._param_value(text)
    assert parsed == value
    assert type(parsed) is type(value)


@pytest.mark.parametrize(
    ("args", "config"),
    [
        (
            ["--seasonality", "daily,weekly", "--trend", "up", "--volatility", "high"],
            tempdata.TimeSeriesConfig(("daily", "weekly"), "up", "high"),
        ),
        (
            ["--seasonal-patterns", "Weekly", "--trend-direction", "RANDOM",
             "--volatility-level", "0.75"],
            tempdata.TimeSeriesConfig(("weekly",), "random", 0.75),
        ),
        (["--seasonality", "none"], tempdata.TimeSeriesConfig(seasonal_patterns=())),
        (["--trend", "none", "--volatility", "medium"], tempdata.TimeSeriesConfig()),
    ],
)  # fmt: skip
def test_time_series_config_options(tmp_path: Path, args: list[str], config: object) -> None:
    target = tmp_path / "crypto.parquet"
    common = ["--seed", "4", "--interval", "1day", "--start", "2024-01-01", "--end", "2024-01-20"]
    result = invoke("generate", "crypto", *common, *args, "-o", target)
    assert result.exit_code == 0, result.stderr
    expected = tempdata.generate(
        "crypto",
        seed=4,
        interval="1day",
        date_range=(dt.date(2024, 1, 1), dt.date(2024, 1, 20)),
        time_series=config,  # type: ignore[arg-type]
    )
    assert pl.read_parquet(target).equals(expected)
    recorded = json.loads(pl.read_parquet_metadata(target)["tempdata.config"])["time_series"]
    assert tempdata.TimeSeriesConfig.coerce(recorded) == config
    shown = invoke("preview", "crypto", "-n", "3", *common, *args)
    assert shown.exit_code == 0, shown.stderr
    assert "BTC" in shown.stdout
