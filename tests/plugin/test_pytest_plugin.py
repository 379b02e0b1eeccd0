"""The pytest plugin, run the way users run it: pytest on a test file (pytester)."""

from __future__ import annotations

# Imported before any in-process pytester run: pytester drops the modules an inner run
# imports, and a process pool then pickles a function of a module imported again.
import concurrent.futures.process  # noqa: F401
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tempdata.pytest_plugin import seed_for

TESTS = """
import polars as pl

def print(*values):  # to a file the outer test reads (output capture aside)
    with open("record.txt", "a") as fh:
        fh.write(" ".join(str(v) for v in values) + "\\n")

def test_frame(tempdata, tempdata_seed):
    sales = tempdata("sales", rows=200, country="germany")
    assert isinstance(sales, pl.DataFrame) and sales.height == 200
    print("SEED", tempdata_seed, sales["transaction_id"][0], sales["amount"].sum())

def test_other(tempdata, tempdata_seed):
    print("SEED", tempdata_seed, tempdata("sales", rows=5)["amount"].sum())

def test_file(tempdata):
    path = tempdata.file("customers", rows=300, format="csv")
    again = tempdata.file("customers", rows=300, format="csv")
    assert path == again and path.suffix == ".csv"
    print("FILE", path, path.stat().st_mtime_ns)
"""


def seeds(pytester: pytest.Pytester) -> list[str]:
    """What the inner tests recorded since the last call (and forget it)."""
    record = pytester.path / "record.txt"
    lines = record.read_text().splitlines()
    record.unlink()
    return lines


def test_the_same_data_every_run_and_different_per_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_data=TESTS)
    pytester.runpytest().assert_outcomes(passed=3)
    lines = seeds(pytester)
    pytester.runpytest().assert_outcomes(passed=3)
    assert seeds(pytester) == lines  # same seeds, same values, the same cached file
    frame_seed, other_seed = lines[0].split()[1], lines[1].split()[1]
    assert frame_seed == str(seed_for("test_data.py::test_frame"))
    assert frame_seed != other_seed


def test_one_seed_for_the_run_and_clearing_the_cache(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_data=TESTS)
    pytester.runpytest("--tempdata-seed", "7").assert_outcomes(passed=3)
    fixed = seeds(pytester)
    assert [line.split()[1] for line in fixed[:2]] == ["7", "7"]
    pytester.runpytest("--tempdata-seed", "7", "--tempdata-clear").assert_outcomes(passed=3)
    assert seeds(pytester)[2] != fixed[2]  # written again after the clear


def test_a_failing_test_shows_its_seed(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_fail="""
def test_breaks(tempdata):
    assert tempdata("products", rows=3).height == 4
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    seed = seed_for("test_fail.py::test_breaks")
    result.stdout.fnmatch_lines([f"*tempdata seed {seed} (replay with --tempdata-seed {seed})*"])


def test_a_plan_fixture_returns_the_manifest(pytester: pytest.Pytester) -> None:
    pytester.makefile(
        ".toml",
        plan="""
[datasets.customers]
rows = 100
[datasets.sales]
rows = 1000
[profiles.ci]
scale = 0.5
""",
    )
    pytester.makepyfile(
        test_plan="""
from pathlib import Path
import polars as pl

def test_plan(tempdata):
    manifest = tempdata.plan("plan.toml", profile="ci")
    files = {f["path"]: f["rows"] for f in manifest["files"]}
    assert files == {"customers.parquet": 50, "sales.parquet": 500}
    sales = pl.read_parquet(Path(manifest["dir"]) / "sales.parquet")
    assert sales.height == 500
"""
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_importing_the_plugin_is_cheap() -> None:
    code = (
        "import sys, tempdata.pytest_plugin; "
        "print(sorted(m for m in ('polars', 'numpy', 'tempdata.datasets.registry') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _make_file(args: tuple[str, int]) -> tuple[str, int]:
    from pathlib import Path

    from tempdata.pytest_plugin import TempdataFixture

    cache, seed = args
    path = TempdataFixture(seed, Path(cache)).file("products", rows=20_000)
    return str(path), path.stat().st_mtime_ns


def test_concurrent_processes_share_one_cached_file(tmp_path: pytest.TempPathFactory) -> None:
    # What pytest-xdist workers do: ask for the same file at once.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=4, mp_context=context) as pool:
        results = list(pool.map(_make_file, [(str(tmp_path), 5)] * 4))
    assert len({path for path, _ in results}) == 1
    assert len({mtime for _, mtime in results}) == 1  # written once, then reused
    files = sorted(p.name for p in tmp_path.iterdir())  # type: ignore[attr-defined]
    # the file, its seal (size, SHA-256) and its lock file (an flock, released by the
    # system, so it stays): no temporary file left
    name = files[0]
    assert files == [name, name + ".lock", name + ".sha256"]


FILE_TEST = """
import polars as pl

def test_file(tempdata):
    path = tempdata.file("customers", rows=120_000)
    assert pl.read_parquet(path).height == 120_000
    with open("cached.txt", "w") as fh:
        fh.write(str(path))
"""


def test_a_run_killed_while_caching_never_blocks_the_next(pytester: pytest.Pytester) -> None:
    # Issue 17.8: the run dies (SIGKILL) while it writes the cached file, holding the
    # cache's lock; the next run must not wait for the lock to go stale.
    pytester.makepyfile(test_cache=FILE_TEST)
    killed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "test_cache.py"],
        cwd=pytester.path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "TEMPDATA_FAULT": "publish:1"},
    )
    assert killed.returncode == -9, killed.stdout + killed.stderr
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "test_cache.py"],
        cwd=pytester.path,
        capture_output=True,
        text=True,
        timeout=120,  # the old lock was taken over only after 600 s
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_damaged_cached_file_is_made_again(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_cache=FILE_TEST)
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=1)
    cached = Path((pytester.path / "cached.txt").read_text())
    whole = cached.read_bytes()
    cached.write_bytes(whole[: len(whole) // 2])  # cut short, as a full disk would
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=1)
    assert cached.read_bytes() == whole  # made again, the same bytes
    cached.write_bytes(whole[:-8] + b"XXXXXXXX")  # same size, other bytes
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=1)
    assert cached.read_bytes() == whole
