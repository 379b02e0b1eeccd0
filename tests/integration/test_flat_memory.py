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


def measured(script: str, *args: object) -> float:
    """The MiB of growth ``script`` prints, run in a fresh interpreter with ``args``."""
    out = subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(json.loads(out.stdout.splitlines()[-1])["growth"]) / 2**20


def growth(path: Path, rows: int) -> float:
    return measured(SCRIPT, path, rows)


@pytest.mark.slow
@pytest.mark.parametrize("ext", ["parquet", "csv"])
def test_peak_memory_does_not_grow_with_rows(tmp_path: Path, ext: str) -> None:
    small = min(growth(tmp_path / f"a.{ext}", 1_000_000) for _ in range(2))
    large = min(growth(tmp_path / f"b.{ext}", 5_000_000) for _ in range(2))
    # MiB over the RSS after imports. About 90 of it are fixed costs that do not grow
    # with rows (reference tables, the products parent, the chunks in flight); the
    # world's holiday calendars and the calendar model of a global sales run add about
    # 18 more (issue 15), so the bound is 120 rather than 100.
    assert large < 120
    assert large <= small * 1.10 + 2, (small, large)


# Lookups into a large parent read it from a memory-mapped store on disk: the mapped
# pages are page cache (VmHWM counts them, the kernel reclaims them), so what must stay
# flat is the process's own memory, RssAnon, sampled while the batch runs.
LOOKUP_SCRIPT = """
import json, sys, threading, time
import numpy, polars, tempdata, tempdata.api, tempdata.datasets.business
import tempdata.export.writer
from tempdata.batch.run import create_batch
def status(field):
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) * 1024 for l in f if l.startswith(field + ":"))
peak, done = [0], threading.Event()
def watch():
    while not done.is_set():
        peak[0] = max(peak[0], status("RssAnon"))
        time.sleep(0.002)
# "file": products are written as Parquet and the lookups stream that file into the
# store; "generated": products are written as CSV only, so the store is generated.
formats = ["parquet"] if sys.argv[3] == "file" else ["csv"]
plan = {"seed": 3, "datasets": {
    "products": {"rows": int(sys.argv[2]), "formats": formats},
    "lines": {"rows": 1_000_000, "formats": ["parquet"], "columns": {
        "p": {"references": "products.product_id"},
        "name": {"lookup": "products.name", "via": "p"},
        "price": {"lookup": "products.unit_price", "via": "p"},
    }},
}}
from tempdata.core import lookup
kept, shared = [], lookup.shared_store
def recorded(path, *args):
    kept.append(path.name)
    return shared(path, *args)
lookup.shared_store = recorded
before = status("RssAnon")
threading.Thread(target=watch, daemon=True).start()
create_batch(plan, output_dir=sys.argv[1])
done.set()
assert [name.split("-")[:2] for name in kept] == [["products", sys.argv[3]]], kept
print(json.dumps({"growth": peak[0] - before}))
"""


def lookup_growth(folder: Path, parent_rows: int, source: str) -> float:
    return measured(LOOKUP_SCRIPT, folder, parent_rows, source)


@pytest.mark.slow
@pytest.mark.parametrize("source", ["file", "generated"])
def test_lookup_memory_does_not_grow_with_the_parent(tmp_path: Path, source: str) -> None:
    # A million lines copy the name and price of their product, from 300k products
    # and then from 3M (ten times the parent; both kept on disk).
    small = min(lookup_growth(tmp_path / f"a{i}", 300_000, source) for i in range(2))
    large = min(lookup_growth(tmp_path / f"b{i}", 3_000_000, source) for i in range(2))
    assert large < 100  # MiB of anonymous memory over the RSS after imports
    assert large <= small + 10, (small, large)
