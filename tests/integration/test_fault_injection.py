"""Fault injection (``make test-slow``): plan runs killed at seeded, logged points.

Each case runs a plan (with or without worker processes) and kills the run's main
process, or one of its workers, the n-th time it passes a point (``TEMPDATA_FAULT``:
a chunk built, a file about to be published, the manifest about to be written; n
drawn from the case's seed and printed). Then it checks what is left: no process of
the run, no manifest vouching for files it did not write; and after the next run into
the same folder, no temporary file and a manifest that every file matches.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.conftest import processes_left, run_tempdata

pytestmark = pytest.mark.slow

PLAN = """seed = 11
workers = {workers}

[datasets.customers]
rows = 160000

[datasets.sales]
rows = 260000
formats = ["parquet", "csv"]
"""


def _run(plan: Path, out: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_tempdata("run", plan, "--output", out, env=env, timeout=600)


def _vouched(out: Path) -> None:
    """The manifest, if there is one, lists exactly files that match it."""
    manifest = out / "manifest.json"
    if not manifest.exists():
        return
    for f in json.loads(manifest.read_text())["files"]:
        if f["format"] in ("excel", "geojson"):  # validate reads tables: compare the bytes
            digest = hashlib.sha256((out / f["path"]).read_bytes()).hexdigest()
            assert digest == f["sha256"], f["path"]
            continue
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "tempdata",
                "validate",
                str(out / f["path"]),
                "--manifest",
                str(manifest),
                "--dataset",
                f["dataset"],
                "--json",
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert '"checksum"' in done.stdout, done.stdout + done.stderr
        assert json.loads(done.stdout)["ok"], f["path"]


CASES = [
    (seed, point, workers, scope)
    for seed, (point, workers, scope) in enumerate(
        [
            ("chunk", 1, "main"),
            ("chunk", 2, "any"),  # a worker dies
            ("publish", 1, "main"),
            ("publish", 2, "main"),
            ("manifest", 1, "main"),
            ("manifest", 2, "main"),
        ]
    )
]


@pytest.mark.parametrize(("seed", "point", "workers", "scope"), CASES)
def test_a_run_killed_at_a_seeded_point_leaves_nothing_that_lies(
    tmp_path: Path, seed: int, point: str, workers: int, scope: str
) -> None:
    n = {"chunk": random.Random(seed).randint(1, 8), "publish": random.Random(seed).randint(1, 3)}
    count = n.get(point, 1)
    fault = f"{point}:{count}:KILL:{scope}"
    print(f"fault {fault} (seed {seed}, workers {workers})")  # logged with the test
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN.format(workers=workers))
    out = tmp_path / "out"
    # a first, complete run: the folder a failed re-run must not misrepresent
    assert _run(plan, out, {}).returncode == 0
    mark = f"{os.getpid()}-{seed}-{tmp_path.name}"
    killed = _run(plan, out, {"TEMPDATA_FAULT": fault, "TEMPDATA_TEST_MARK": mark})
    assert "fault injected" in killed.stderr, killed.stderr[-2000:]
    assert killed.returncode != 0
    assert processes_left(f"TEMPDATA_TEST_MARK={mark}") == []  # no stray process
    assert not (out / "manifest.json").exists()  # nothing vouches for the mix
    _vouched(out)
    # the next run reclaims the debris and vouches for what it wrote
    again = _run(plan, out, {})
    assert again.returncode == 0, again.stderr
    names = sorted(p.name for p in out.iterdir())
    assert not [n for n in names if n.startswith(".td-")], names
    assert names == ["customers.parquet", "manifest.json", "sales.csv", "sales.parquet"], names
    _vouched(out)


def _file_limit() -> None:
    """Files may grow to 2 MB at most (EFBIG past it, as on a full disk)."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2_000_000, 2_000_000))


@pytest.mark.parametrize("fmt", ["parquet", "csv", "json", "ndjson", "excel"])
def test_a_full_disk_in_a_plan_rerun_leaves_nothing_that_lies(tmp_path: Path, fmt: str) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(
        "seed = 3\n\n[datasets.customers]\nrows = 2000\n\n"
        f'[datasets.sales]\nrows = 200000\nformats = ["{fmt}"]\n'
    )
    out = tmp_path / "out"
    small = tmp_path / "small.toml"
    small.write_text(plan.read_text().replace("rows = 200000", "rows = 100"))
    assert _run(small, out, {}).returncode == 0
    done = subprocess.run(
        [sys.executable, "-m", "tempdata", "run", str(plan), "--output", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        preexec_fn=_file_limit,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert not (out / "manifest.json").exists()
    names = sorted(p.name for p in out.iterdir())
    assert not [n for n in names if n.startswith(".td-")], names
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".td-")]  # $TMPDIR
    assert _run(plan, out, {}).returncode == 0
    _vouched(out)


def test_two_plan_runs_race_on_one_folder(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(
        'seed = 3\n\n[output]\nif_exists = "error"\n\n'
        "[datasets.customers]\nrows = 100000\n\n[datasets.sales]\nrows = 300000\n"
    )
    out = tmp_path / "out"
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "tempdata", "run", str(plan), "--output", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    codes = sorted(run.wait(timeout=600) for run in runs)
    for run in runs:
        run.communicate()
    assert codes == [0, 1], codes  # one wins; the other stops without replacing anything
    names = sorted(p.name for p in out.iterdir())
    assert names == ["customers.parquet", "manifest.json", "sales.parquet"], names
    _vouched(out)
