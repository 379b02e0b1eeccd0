"""Bad input and usage errors: one line on stderr, exit 2, no traceback, no file (DESIGN §8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import assert_one_line_error, files, invoke

# (options after `generate`, a fragment the one-line message must contain)
BAD_GENERATE = {
    "rows 0": (["products", "--rows", "0"], "rows must be a positive integer, got 0"),
    "rows -5": (["products", "-n", "-5"], "got -5"),
    "rows=-5": (["products", "--rows=-5"], "got -5"),
    "rows abc": (["products", "--rows", "abc"], "'--rows'"),
    "rows 1.5": (["products", "--rows", "1.5"], "'--rows'"),
    "unknown dataset": (["salse"], "unknown dataset 'salse' — did you mean 'sales'?"),
    "missing dataset": ([], "Missing argument 'DATASET'"),
    "unknown format": (["products", "--format", "xml"], "unknown format 'xml'"),
    "unknown format in list": (["products", "--formats", "csv,xlsxx"], "unknown format 'xlsxx'"),
    "empty formats": (["products", "--formats", ","], "--formats"),
    "format and formats": (
        ["products", "--formats", "csv,parquet", "--format", "csv"],
        "--format and --formats cannot be used together",
    ),
    "unknown country": (["products", "--country", "germny"], "unknown country 'germny'"),
    "unknown country sales": (["sales", "--country", "atlantis"], "unknown country 'atlantis'"),
    "bad date": (["products", "--start", "2024-13-01"], "'2024-13-01' is not an ISO date"),
    "bad end date": (["products", "--end", "soon"], "'--end'"),
    "start after end": (
        ["sales", "--start", "2024-05-01", "--end", "2024-01-01"],
        "is after its end",
    ),
    "start after reference date": (
        ["sales", "--seed", "1", "--start", "2026-01-05"],
        "is after its end 2025-12-31",
    ),
    "bad reference date": (["products", "--reference-date", "yesterday"], "reference_date"),
    "negative seed": (["products", "--seed", "-1"], "seed must be a non-negative integer"),
    "unknown option": (["products", "--bogus"], "No such option: --bogus"),
    "bad if-exists": (["products", "--if-exists", "overwrite"], "'--if-exists'"),
    "param without =": (["sales", "--param", "customers"], "expected KEY=VALUE"),
    "unknown param": (["sales", "--param", "shops=3"], "has no parameter 'shops'"),
    "unknown column": (["products", "--columns", "product_id,colour"], "colour"),
    "unknown extension": (
        ["products", "-o", "{out}/products.txt"],
        "unknown file extension '.txt'",
    ),
    "extension disagrees": (["products", "-o", "{out}/p.csv", "--format", "parquet"], "csv file"),
    "parquet to stdout": (["products", "-o", "-", "--format", "parquet"], "standard output"),
    "unknown locale": (["products", "--locale", "xx_YY"], "xx_YY"),
    "unknown interval": (["sales", "--interval", "7min"], "unknown interval '7min'"),
    "no time-series mode": (["sales", "--time-series"], "has no time-series mode"),
    "trend on sales": (["sales", "--trend", "up"], "dataset 'sales' has no time-series mode"),
    "unknown seasonality": (
        ["crypto", "--seasonality", "daily,hourly"],
        "unknown seasonal pattern 'hourly' — valid: daily, weekly, yearly",
    ),
    "unknown trend": (["crypto", "--trend", "sideways"], "unknown trend_direction 'sideways'"),
    "unknown volatility": (["crypto", "--volatility", "wild"], "unknown volatility_level 'wild'"),
    "volatility 0": (["crypto", "--volatility", "0"], "a finite number > 0, got 0"),
    "volatility true": (["stocks", "--volatility-level", "true"], "volatility_level must be"),
}


@pytest.mark.parametrize(("args", "fragment"), BAD_GENERATE.values(), ids=BAD_GENERATE.keys())
def test_bad_generate_input(args: list[str], fragment: str, tmp_path: Path, workdir: Path) -> None:
    out = tmp_path / "out"
    args = [a.format(out=out) for a in args]
    if "-o" not in args:
        args += ["-o", f"{out}/"]
    line = assert_one_line_error(invoke("generate", *args), 2)
    assert fragment in line
    assert files(out) == []
    assert files(workdir) == []


BAD_OTHER = {
    "no such command": (["genrate", "sales"], "No such command 'genrate'"),
    "unknown top-level option": (["--bogus"], "No such option: --bogus"),
    "describe unknown dataset": (["describe", "salse"], "did you mean 'sales'?"),
    "describe json and sql": (["describe", "sales", "--json", "--sql"], "cannot be used together"),
    "preview rows 0": (["preview", "products", "-n", "0"], "rows must be a positive integer"),
    "preview unknown dataset": (["preview", "custmers"], "did you mean 'customers'?"),
    "preview bad date": (["preview", "sales", "--end", "2024-02-30"], "'2024-02-30'"),
    "list takes no argument": (["list", "sales"], "unexpected extra argument"),
}


@pytest.mark.parametrize(("args", "fragment"), BAD_OTHER.values(), ids=BAD_OTHER.keys())
def test_bad_input_elsewhere(args: list[str], fragment: str, workdir: Path) -> None:
    line = assert_one_line_error(invoke(*args), 2)
    assert fragment.lower() in line.lower()
    assert files(workdir) == []


def test_usage_error_points_to_help() -> None:
    line = assert_one_line_error(invoke("generate", "products", "--bogus"), 2)
    assert line.endswith("(see 'tempdata generate --help')")


def test_bare_command_shows_help() -> None:
    result = invoke()
    assert result.exit_code == 2
    assert "generate" in result.output
    assert "Traceback" not in result.output


def test_a_bug_keeps_its_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import tempdata

    def broken(*args: object, **kwargs: object) -> None:
        msg = "a bug"
        raise RuntimeError(msg)

    monkeypatch.setattr(tempdata, "describe", broken)
    result = invoke("describe", "sales")
    assert isinstance(result.exception, RuntimeError)  # not swallowed into a one-liner
    assert result.exit_code == 1
