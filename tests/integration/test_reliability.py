"""Issue 17's defects, each reproduced through the public API or the CLI (a real
process): what escaped before is refused in one line, and nothing is left behind."""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

import tempdata
from tempdata.errors import InvalidParameterError
from tests.integration.conftest import processes_left, run_tempdata


def _limited() -> None:
    """The child may map 3 GiB at most: a run that would eat the machine fails fast."""
    resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))


def cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run_tempdata(*args, cwd=cwd, preexec_fn=_limited)


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


# -- 2. a re-run never leaves a manifest vouching for a mix ---------------------------


def _fault(
    *args: str | Path, fault: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``cli`` with ``TEMPDATA_FAULT`` set: the run kills itself at that point."""
    return run_tempdata(*args, cwd=cwd, env={"TEMPDATA_FAULT": fault}, timeout=180)


def _plan(folder: Path, body: str) -> Path:
    plan = folder / "plan.toml"
    plan.write_text("seed = 5\n\n" + body)
    return plan


def test_an_interrupted_rerun_leaves_no_manifest_vouching_for_it(tmp_path: Path) -> None:
    pytest.importorskip("adbc_driver_sqlite")
    out = tmp_path / "out"
    full = (
        '[[sinks]]\nuri = "sqlite:///fixtures.db"\n\n[datasets.customers]\nrows = 3000\n\n'
        "[datasets.sales]\nrows = 120000\n"
    )
    assert cli("run", _plan(tmp_path, full), "--output", out).returncode == 0
    manifest = out / "manifest.json"
    assert (out / "fixtures.db").exists()
    # the plan drops its sink and its sales; the re-run dies in its third chunk
    plan = _plan(tmp_path, "[datasets.customers]\nrows = 150000\n")
    killed = _fault("run", plan, "--output", out, fault="chunk:3")
    assert killed.returncode == -9, killed.stderr
    assert "fault injected: SIGKILL at chunk 3" in killed.stderr
    assert not manifest.exists()  # the old one moved away: nothing vouches for the mix
    assert (out / "manifest.json.previous").exists()
    check = cli("validate", out / "customers.parquet", "--manifest", manifest)
    assert check.returncode != 0
    # run to the end: the manifest is the new one, the dropped files are gone
    assert cli("run", plan, "--output", out).returncode == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["customers.parquet", "manifest.json"], names
    assert cli("validate", out / "customers.parquet", "--manifest", manifest).returncode == 0


def test_validate_fails_a_file_the_manifest_does_not_vouch_for(tmp_path: Path) -> None:
    plan = _plan(tmp_path, "[datasets.customers]\nrows = 300\n\n[datasets.sales]\nrows = 900\n")
    out = tmp_path / "out"
    assert cli("run", plan, "--output", out).returncode == 0
    sales, customers = out / "sales.parquet", out / "customers.parquet"
    manifest = out / "manifest.json"
    assert cli("validate", sales, "--manifest", manifest).returncode == 0
    # another run's sales (valid on its own) in place of the manifest's file
    tempdata.create_dataset(tmp_path / "sales.parquet", rows=900, seed=6)
    os.replace(tmp_path / "sales.parquet", sales)
    done = cli("validate", sales, "--manifest", manifest, "--json")
    assert done.returncode == 1
    assert '"checksum"' in done.stdout
    # a parent replaced under the manifest: its references cannot be vouched for
    tempdata.create_dataset(tmp_path / "customers.parquet", rows=300, seed=7)
    os.replace(tmp_path / "customers.parquet", customers)
    assert cli("validate", sales, "--manifest", manifest).returncode == 1


# -- 5. two runs on one target: one publishes, the other fails ----------------------


def test_if_exists_error_never_replaces_a_file_published_meanwhile(tmp_path: Path) -> None:
    target = tmp_path / "sales.parquet"

    def other_run_publishes(chunk: object) -> None:
        if not target.exists():  # another run finishes first, while this one writes
            tempdata.create_dataset(target, rows=10, seed=2)

    with pytest.raises(tempdata.errors.FileSystemError, match="already exists"):
        tempdata.create_dataset(
            target, rows=120_000, seed=1, if_exists="error", on_chunk=other_run_publishes
        )
    assert pl.read_parquet(target).height == 10  # the other run's file, intact
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sales.parquet"]  # no debris


def test_if_exists_error_never_replaces_a_folder_published_meanwhile(tmp_path: Path) -> None:
    target = tmp_path / "sales"

    def other_run_publishes(chunk: object) -> None:
        if not target.exists():
            tempdata.create_dataset(tmp_path / "sales.parquet", rows=10, seed=2, layout="parts")

    with pytest.raises(tempdata.errors.FileSystemError, match="already exists"):
        tempdata.create_dataset(
            tmp_path / "sales.parquet",
            rows=120_000,
            seed=1,
            if_exists="error",
            layout="parts",
            on_chunk=other_run_publishes,
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sales"]
    assert sum(1 for p in target.iterdir() if p.suffix == ".parquet") == 1


def test_two_cli_runs_with_if_exists_error_one_wins(tmp_path: Path) -> None:
    target = tmp_path / "sales.parquet"
    args = [sys.executable, "-m", "tempdata", "generate", "sales", "-n", "400000", "-o"]
    runs = [
        subprocess.Popen(
            [*args, str(target), "--seed", str(seed), "--if-exists", "error"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in (1, 2)
    ]
    outcomes = [(run.wait(timeout=180), run.communicate()[1]) for run in runs]
    assert sorted(code for code, _ in outcomes) == [0, 1], outcomes
    loser = next(err for code, err in outcomes if code == 1)
    assert "already exists" in loser
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sales.parquet"]


# -- 7. a killed run's temporaries are reclaimed by the next run --------------------


def _host() -> str:
    import hashlib
    import socket

    return hashlib.sha1(socket.gethostname().encode(), usedforsecurity=False).hexdigest()[:4]


def test_a_killed_runs_temporary_is_reclaimed(tmp_path: Path) -> None:
    target = tmp_path / "sales.parquet"
    killed = _fault("generate", "sales", "-n", "200000", "-o", target, fault="chunk:2")
    assert killed.returncode == -9
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1, left
    assert re.fullmatch(r"\.td-\d+-[0-9a-f]{4}-[0-9a-f]{8}\.tmp", left[0]), left
    # names of live runs and of other hosts are left alone
    alive = tmp_path / f".td-{os.getpid()}-{_host()}-0badc0de.tmp"
    elsewhere = tmp_path / ".td-1-ffff-0badc0de.tmp"
    for p in (alive, elsewhere):
        p.write_bytes(b"x")
    assert cli("generate", "sales", "-n", "100", "-o", target).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["sales.parquet", alive.name, elsewhere.name]
    )


def test_a_long_target_name_still_has_room_for_its_temporary(tmp_path: Path) -> None:
    target = tmp_path / ("s" * 240 + ".parquet")  # 248 characters: legal on Linux
    tempdata.create_dataset(target, rows=100, seed=1, dataset="sales")
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


# -- 14. a replaced file keeps its mode --------------------------------------------


@pytest.mark.parametrize("name", ["sales.parquet", "sales.csv", "sales.xlsx"])
def test_a_replaced_file_keeps_its_mode(tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    tempdata.create_dataset(target, rows=50, seed=1)
    target.chmod(0o600)
    assert cli("generate", "sales", "-n", "60", "-o", target).returncode == 0
    assert (target.stat().st_mode & 0o777) == 0o600
    target.chmod(0o640)
    tempdata.create_dataset(target, rows=70, seed=2)
    assert (target.stat().st_mode & 0o777) == 0o640


def test_a_bad_fault_spec_is_one_line(tmp_path: Path) -> None:
    done = _fault("generate", "sales", "-n", "10", "-o", tmp_path / "s.parquet", fault="nowhere:1")
    assert done.returncode == 2
    assert "TEMPDATA_FAULT" in done.stderr


# -- 12. a path the system cannot hold ---------------------------------------------


@pytest.mark.parametrize(
    "name", ["a" * 300 + ".parquet", "/".join(["b" * 200] * 25) + "/sales.parquet"]
)
def test_a_too_long_path_is_one_line(tmp_path: Path, name: str) -> None:
    line = one_line(cli("generate", "sales", "-n", "10", "-o", tmp_path / name))
    assert "may have" in line
    with pytest.raises(InvalidParameterError, match="may have"):
        tempdata.create_dataset(tmp_path / name, rows=10)
    assert list(tmp_path.iterdir()) == []


def test_a_file_system_refusal_is_one_line(tmp_path: Path) -> None:
    long_dir = tmp_path.joinpath(*(["c" * 250] * 15))  # under PATH_MAX, over for mkdir
    plan = tmp_path / "plan.toml"
    plan.write_text("seed = 1\n\n[datasets.customers]\nrows = 10\n")
    done = cli("validate", long_dir / "x.parquet", "--dataset", "customers")
    assert done.returncode in (1, 2)
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr


# -- 3. a replay never changes what it checks ---------------------------------------


def test_a_replay_leaves_the_manifests_folder_alone(tmp_path: Path) -> None:
    plan = _plan(tmp_path, "[datasets.customers]\nrows = 300\n\n[datasets.sales]\nrows = 900\n")
    out = tmp_path / "out"
    assert cli("run", plan, "--output", out).returncode == 0
    manifest = out / "manifest.json"
    # tamper with a file and with the manifest's record of it
    tempdata.create_dataset(out / "sales.parquet", rows=900, seed=77)
    recorded = json.loads(manifest.read_text())
    recorded["files"][1]["sha256"] = "0" * 64
    manifest.write_text(json.dumps(recorded, indent=2))
    record = manifest.read_text()
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    done = cli("run", "--replay", manifest)
    assert done.returncode == 1, done.stdout + done.stderr  # a file differs
    assert "DIFFERENT       sales.parquet" in done.stdout
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # evidence kept
    assert manifest.read_text() == record
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "plan.toml"]  # no debris
    # into its own folder or a used one: refused in one line
    assert "fresh folder" in one_line(cli("run", "--replay", manifest, "--output", out), 1)
    assert "not empty" in one_line(cli("run", "--replay", manifest, "--output", tmp_path), 1)
    kept = tmp_path / "again"
    assert cli("run", "--replay", manifest, "--output", kept).returncode == 1
    assert (kept / "manifest.json").exists()


# -- 4. lookups follow a key the plan points elsewhere -------------------------------


def test_a_lookup_follows_a_replaced_key(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        "[datasets.products]\nrows = 2000\n\n[datasets.sales]\nrows = 5000\n\n"
        '[datasets.sales.columns]\nproduct_id = { references = "products.product_id" }\n',
    )
    done = cli("run", plan, "--output", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    sales = pl.read_parquet(tmp_path / "out" / "sales.parquet")
    products = pl.read_parquet(tmp_path / "out" / "products.parquet")
    assert sales["product_id"].max() > "PRD-001000"  # keys beyond the catalogue's 1,000
    joined = sales.join(products.select("product_id", "unit_price"), on="product_id")
    assert joined.height == sales.height
    assert (joined["unit_price"] == joined["unit_price_right"]).all()


def test_a_key_to_a_parent_without_the_looked_up_column_is_one_line(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        "[datasets.items]\nrows = 50\n\n[datasets.items.columns]\n"
        'item_id = { sequence = "IT-{:05d}" }\n\n[datasets.sales]\nrows = 500\n\n'
        '[datasets.sales.columns]\nproduct_id = { references = "items.item_id" }\n',
    )
    line = one_line(cli("run", plan, "--output", tmp_path / "out"))
    assert "unit_price" in line
    assert "lookup" in line
    assert not (tmp_path / "out").exists()


# -- 13. a symbolic link does not lead a plan out of its folder ---------------------


def test_a_plan_folder_symlinked_elsewhere_is_refused(tmp_path: Path) -> None:
    home, elsewhere = tmp_path / "plan", tmp_path / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    (home / "out").symlink_to(elsewhere, target_is_directory=True)
    plan = _plan(
        home, '[[sinks]]\nuri = "sqlite:///db/fixtures.db"\n\n[datasets.customers]\nrows = 10\n'
    )
    line = one_line(cli("run", plan))
    assert "outside the plan's folder" in line
    assert "--output" in line
    assert list(elsewhere.iterdir()) == []
    # a sink's file behind a link out of the output folder is refused too
    (home / "out").unlink()
    (home / "out").mkdir()
    (home / "out" / "db").symlink_to(elsewhere, target_is_directory=True)
    assert "inside the output folder" in one_line(cli("run", plan))
    assert list(elsewhere.iterdir()) == []
    # named on purpose with --output, another disk is fine
    assert cli("run", plan, "--output", elsewhere / "run").returncode == 0


# -- 15. bad plans and manifests that still escaped -------------------------------


def test_a_huge_sequence_width_is_refused_before_any_work(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        "[datasets.items]\nrows = 5\n\n[datasets.items.columns]\n"
        'id = { sequence = "X-{:0999999999d}" }\n',
    )
    for args in (("--dry-run",), ()):
        line = one_line(cli("run", plan, *args, cwd=tmp_path))
        assert "at most 30" in line
    with pytest.raises(InvalidParameterError, match="at most 30"):
        tempdata.samplers.sequence("X-{:031d}")


def test_scale_outside_a_profile_or_too_large_says_so(tmp_path: Path) -> None:
    plan = _plan(tmp_path, "scale = 1e12\n\n[datasets.customers]\nrows = 5\n")
    assert "[profiles.NAME] scale" in one_line(cli("run", plan, "--dry-run"))
    plan = _plan(tmp_path, "[profiles.big]\nscale = 1e12\n\n[datasets.customers]\nrows = 5\n")
    assert "at most 1,000,000" in one_line(cli("run", plan, "--profile", "big", "--dry-run"))


def test_no_error_ends_in_an_empty_list(tmp_path: Path) -> None:
    plan = _plan(tmp_path, "[datasets.customers]\nrows = 5\n")
    line = one_line(cli("run", plan, "--profile", "ci", "--dry-run"))
    assert not line.rstrip().endswith(("valid:", "valid: ", "e.g."))
    assert "there are none" in line


@pytest.mark.parametrize(
    "manifest",
    [
        {"plan": {"datasets": 5}, "files": "x"},
        {"plan": {}, "files": [1, 2], "versions": 3},
        {"plan": {"datasets": 5}},
        {"plan": {"datasets": {"customers": {"rows": "x"}}}, "files": []},
        {"plan": {}, "files": [{"path": 3}]},
        {"plan": {}, "sinks": [{"uri": 7}]},
    ],
)
def test_a_malformed_manifest_is_one_line(tmp_path: Path, manifest: dict[str, object]) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    line = one_line(cli("run", "--replay", path), code=2)
    assert "manifest.json" in line
    data = tmp_path / "customers.parquet"
    tempdata.create_dataset(data, rows=5, seed=1)
    done = cli("validate", data, "--manifest", path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


# -- 9. workers= in a script without a main guard ------------------------------------


def test_workers_in_an_unguarded_script_say_what_to_do(tmp_path: Path) -> None:
    script = tmp_path / "make.py"
    script.write_text(
        "import tempdata\n"
        f"tempdata.create_dataset({str(tmp_path / 'sales.parquet')!r}, rows=120_000, seed=1, "
        "workers=2)\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 1
    assert 'if __name__ == "__main__":' in done.stderr.strip().splitlines()[-1]
    assert "BrokenProcessPool" not in done.stderr
    assert done.stderr.count("Traceback") == 1  # the script's own, no worker's
    assert [p.name for p in tmp_path.iterdir()] == ["make.py"]
    guarded = tmp_path / "guarded.py"
    guarded.write_text(
        "import tempdata\n\nif __name__ == '__main__':\n"
        f"    tempdata.create_dataset({str(tmp_path / 'sales.parquet')!r}, rows=120_000, seed=1, "
        "workers=2)\n"
    )
    ok = subprocess.run(
        [sys.executable, str(guarded)], capture_output=True, text=True, timeout=180, check=False
    )
    assert ok.returncode == 0, ok.stderr


# -- 6. no helper process outlives a killed parent -----------------------------------


@pytest.mark.parametrize("backend", ["local", "dask"])
def test_a_killed_parent_leaves_no_process(tmp_path: Path, backend: str) -> None:
    if backend == "dask":
        pytest.importorskip("distributed")
    mark = f"TEMPDATA_TEST_MARK={os.getpid()}-{backend}-{tmp_path.name}"
    name, value = mark.split("=")
    args = [
        "generate",
        "sales",
        "-n",
        "2100000",
        "--workers",
        "2",
        "-o",
        tmp_path / "sales.parquet",
    ]
    if backend == "dask":
        args += ["--backend", "dask"]
    done = subprocess.run(
        [sys.executable, "-m", "tempdata", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, name: value, "TEMPDATA_FAULT": "publish:1:KILL:main"},
    )
    assert done.returncode == -9, done.stderr[-2000:]
    assert "fault injected: SIGKILL at publish 1" in done.stderr
    assert processes_left(mark) == []  # workers, resource tracker, nannies: all ended


# -- 11. a full disk, every format: one line, nothing left, the old file kept --------


def _file_limit() -> None:
    """Files may grow to 1 MB at most (writes past it fail with EFBIG, as on a full
    disk, instead of the process being killed by SIGXFSZ)."""
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, 1_000_000))


@pytest.mark.parametrize("name", ["s.parquet", "s.csv", "s.csv.gz", "s.json", "s.ndjson", "s.xlsx"])
def test_a_full_disk_is_one_line_and_leaves_nothing(tmp_path: Path, name: str) -> None:
    out, scratch = tmp_path / "out", tmp_path / "tmp"
    out.mkdir()
    scratch.mkdir()
    target = out / name
    tempdata.create_dataset(target, rows=50, seed=1, dataset="sales")
    before = target.read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "tempdata", "generate", "sales", "-n", "300000", "-o", str(target)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        preexec_fn=_file_limit,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    line = one_line(done, code=1)
    assert "File too large" in line or "No space" in line, line
    assert target.read_bytes() == before  # the previous file, intact
    assert [p.name for p in out.iterdir()] == [name]  # no temporary beside it
    assert list(scratch.iterdir()) == []  # and none in $TMPDIR


def test_a_rerun_with_only_keeps_the_other_datasets(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        "[datasets.customers]\nrows = 300\n\n[datasets.products]\nrows = 50\n\n"
        "[datasets.sales]\nrows = 900\n",
    )
    out = tmp_path / "out"
    assert cli("run", plan, "--output", out).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.name != "manifest.json"}
    assert cli("run", plan, "--output", out, "--only", "products").returncode == 0
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.name != "manifest.json"}
    assert sorted(after) == sorted(before)  # customers and sales are not removed
    assert after["customers.parquet"] == before["customers.parquet"]
    assert after["sales.parquet"] == before["sales.parquet"]


@pytest.mark.parametrize("fault", ["publish:2:TERM", "publish:3:INT"])
def test_an_interrupted_multi_format_publish_is_all_or_nothing(tmp_path: Path, fault: str) -> None:
    out = tmp_path / "o"
    args = ["generate", "products", "-n", "100", "--formats", "parquet,csv,json", "-o", f"{out}/"]
    assert cli(*args, "--seed", "1").returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    killed = _fault(*args, "--seed", "2", fault=fault)
    assert "fault injected" in killed.stderr
    assert {
        p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".td-")
    } == before
    if not fault.endswith("KILL"):  # an interrupted run removes its own temporaries
        assert sorted(p.name for p in out.iterdir()) == sorted(before)
        assert "nothing was written" in killed.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("generate", "crypto", "--end", "0001-01-01"),
        ("generate", "sales", "-n", "5", "--end", "0001-01-02", "-o", "-"),
    ],
)
def test_a_date_before_year_one_is_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    assert "between 1900 and 2200" in one_line(cli(*args, cwd=tmp_path))


@pytest.mark.parametrize("spec", ["bogus", "chunk", "chunk:x", "chunk:1:NOPE", "chunk:1:KILL:x:y"])
def test_a_bad_fault_spec_of_any_shape_is_one_line(tmp_path: Path, spec: str) -> None:
    done = _fault("generate", "products", "-n", "5", "-o", tmp_path / "p.csv", fault=spec)
    assert "TEMPDATA_FAULT" in one_line(done)
