"""Memory stays flat: peak RSS growth writing 5M sales rows is within a few MiB of
writing 1M (issue 7 asks for 100M within 10 % of 1M; this is the same at a scale a
test can afford). Slow: run with `make test-slow`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# VmHWM, not ru_maxrss: Linux carries a parent's ru_maxrss over fork and exec, and
# this test's parent (pytest) is large.
SCRIPT = """
import json, sys
import numpy, polars, tempdata, tempdata.api, tempdata.datasets.business
import tempdata.export.writer, tempdata.geo.address
def status(field):
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) * 1024 for l in f if l.startswith(field + ":"))
before = status("VmRSS")
tempdata.create_dataset(sys.argv[1], rows=int(sys.argv[2]), seed=1, dataset="sales")
print(json.dumps({"growth": status("VmHWM") - before}))
"""


def growth(path: Path, rows: int) -> float:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(path), str(rows)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(json.loads(out.stdout.splitlines()[-1])["growth"]) / 2**20


@pytest.mark.slow
@pytest.mark.parametrize("ext", ["parquet", "csv"])
def test_peak_memory_does_not_grow_with_rows(tmp_path: Path, ext: str) -> None:
    small = min(growth(tmp_path / f"a.{ext}", 1_000_000) for _ in range(2))
    large = min(growth(tmp_path / f"b.{ext}", 5_000_000) for _ in range(2))
    assert large < 100  # MiB over the RSS after imports
    assert large <= small * 1.10 + 2, (small, large)
