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
