"""The installed ``tempdata`` executable and ``python -m tempdata``, as real processes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from tests.cli.conftest import summary


def _executable() -> list[str]:
    """The console script of this interpreter's environment, else ``python -m tempdata``."""
    beside = Path(sys.executable).with_name("tempdata")
    found = str(beside) if beside.exists() else shutil.which("tempdata")
    return [found] if found else [sys.executable, "-m", "tempdata"]


def run(*args: str | Path, command: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*(command or _executable()), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "COLUMNS": "100"},
    )


def test_executable_generates_a_file(tmp_path: Path) -> None:
    target = tmp_path / "sales.parquet"
    done = run("generate", "sales", "-n", "1_000", "--seed", "42", "-o", target)
    assert done.returncode == 0, done.stderr
    assert pl.read_parquet(target).height == 1_000
    assert summary(done.stdout)["seed"] == ["42"]
    assert done.stderr == ""


def test_executable_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = run("generate", "salse", "-o", f"{tmp_path}/")
    assert done.returncode == 2
    assert done.stderr == "tempdata: error: unknown dataset 'salse' — did you mean 'sales'?\n"
    assert done.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_executable_usage_error_is_one_line_and_exit_2() -> None:
    done = run("generate", "sales", "--rows", "many")
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("tempdata: error: ")


def test_python_dash_m_and_closed_pipe(tmp_path: Path) -> None:
    """``python -m tempdata`` works, and a reader that stops early (``| head``) is no error."""
    version = run("--version", command=[sys.executable, "-m", "tempdata"])
    assert version.returncode == 0
    assert version.stdout.startswith("tempdata ")

    with subprocess.Popen(
        [*_executable(), "generate", "products", "-n", "200_000", "-o", "-"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        head = proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read()
        code = proc.wait(timeout=60)
    assert head.startswith(b"product_id,")
    assert code == 1
    assert err == b""


@pytest.mark.parametrize(
    ("signame", "code", "word", "workers"),
    [
        ("SIGINT", 130, "interrupted", 1),
        ("SIGTERM", 143, "terminated", 1),
        ("SIGINT", 130, "interrupted", 2),  # Ctrl-C: the whole process group
        ("SIGTERM", 143, "terminated", 2),
    ],
)
def test_signals_leave_no_files(
    tmp_path: Path, signame: str, code: int, word: str, workers: int
) -> None:
    """A real SIGINT or SIGTERM mid-run: no temporary or partial file, old file intact."""
    import os
    import signal
    import time

    target = tmp_path / "sales.parquet"
    target.write_bytes(b"old")
    command = [*_executable(), "generate", "sales", "-n", "20_000_000", "--seed", "1"]
    with subprocess.Popen(
        [*command, "-o", str(target), "--workers", str(workers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a shell job has
    ) as proc:
        deadline = time.monotonic() + 60
        # Mid-run: data reaching the temporary file (with workers, they are running).
        while not [
            p for p in tmp_path.iterdir() if p.name.endswith(".tmp") and p.stat().st_size > 2**20
        ]:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, "no temporary file appeared"
            time.sleep(0.02)
        if signame == "SIGINT":  # what Ctrl-C does: every process of the group
            os.killpg(proc.pid, signal.SIGINT)
        else:
            proc.send_signal(getattr(signal, signame))
        returned = proc.wait(timeout=60)
        err = proc.stderr.read().decode() if proc.stderr else ""
    assert returned == code, err
    assert word in err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sales.parquet"]
    assert target.read_bytes() == b"old"
