"""Issue 17's defects, each reproduced through the public API or the CLI (a real
process): what escaped before is refused in one line, and nothing is left behind."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

import tempdata
from tempdata.errors import InvalidParameterError


def _limited() -> None:
    """The child may map 3 GiB at most: a run that would eat the machine fails fast."""
    resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))


def cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tempdata", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "100"},
        preexec_fn=_limited,
    )


def one_line(done: subprocess.CompletedProcess[str], code: int = 2) -> str:
    assert done.returncode == code, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("tempdata: error: "), done.stderr
    return lines[0]


# -- 10. one row limit, checked first ------------------------------------------------


@pytest.mark.parametrize("rows", ["100000000000000", "1000000000001", str(2**63)])
def test_too_many_rows_is_one_line(tmp_path: Path, rows: str) -> None:
    line = one_line(cli("generate", "sales", "-n", rows, "-o", tmp_path / "sales.parquet"))
    assert "10**12" in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("rows", [2**63, 10**12 + 1, 10**15])
def test_the_api_refuses_too_many_rows(rows: int) -> None:
    with pytest.raises(InvalidParameterError, match=r"up to 1,000,000,000,000"):
        tempdata.generate("customers", rows=rows)
    with pytest.raises(InvalidParameterError, match=r"up to 1,000,000,000,000"):
        tempdata.stream("customers", rows=rows)


def test_a_trillion_rows_plan_without_listing_their_chunks() -> None:
    stream = tempdata.stream("customers", rows=10**12, seed=1)
    assert len(stream) == 20_000_000
    assert isinstance(stream.info.chunks, range)
    first = next(iter(tempdata.stream("customers", rows=10**12, seed=1, chunks=range(3))))
    assert first.height == 50_000
    with pytest.raises(InvalidParameterError, match="out of range"):
        tempdata.stream("customers", rows=100, chunks=range(0, 5))


# -- 16. a URL is not a local path --------------------------------------------------


@pytest.mark.parametrize(
    "target", ["s3://bucket/sales.parquet", "gs://b/sales.csv", "HTTPS://host/x.json", "az+x://c/d"]
)
def test_a_url_output_is_refused(tmp_path: Path, target: str) -> None:
    line = one_line(cli("generate", "sales", "-n", "5", "-o", target, cwd=tmp_path))
    assert "URL" in line
    with pytest.raises(InvalidParameterError, match="URL"):
        tempdata.create_dataset(target, rows=5, dataset="sales")
    assert list(tmp_path.iterdir()) == []  # no folder named "s3:" or the like


def test_a_database_url_as_output_points_to_to(tmp_path: Path) -> None:
    line = one_line(cli("generate", "sales", "-n", "5", "-o", "sqlite:///x.db", cwd=tmp_path))
    assert "--to" in line
    assert list(tmp_path.iterdir()) == []


def test_a_plan_run_or_replay_into_a_url_is_refused(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text("seed = 3\n\n[datasets.customers]\nrows = 20\n")
    assert "URL" in one_line(cli("run", plan, "--output", "s3://bucket/out", cwd=tmp_path))
    plan.write_text('seed = 3\n\n[output]\ndir = "gs://b/x"\n\n[datasets.customers]\nrows = 20\n')
    assert "URL" in one_line(cli("run", plan, cwd=tmp_path))
    plan.write_text("seed = 3\n\n[datasets.customers]\nrows = 20\n")
    assert cli("run", plan, "--output", tmp_path / "out").returncode == 0
    manifest = tmp_path / "out" / "manifest.json"
    line = one_line(cli("run", "--replay", manifest, "--output", "s3://b/again", cwd=tmp_path))
    assert "URL" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "plan.toml"]
