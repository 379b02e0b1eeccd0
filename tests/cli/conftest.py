"""Shared helpers for the command-line tests: an in-process runner and output checks."""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tempdata.cli import app


def invoke(*args: str | Path) -> Result:
    """Run ``tempdata ARGS...`` in-process; stdout and stderr are captured apart."""
    return CliRunner().invoke(app, [str(a) for a in args])


def assert_one_line_error(result: Result, code: int) -> str:
    """The command failed with ``code`` and exactly one ``tempdata: error:`` line on stderr."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit), result.exception  # not a crash
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("tempdata: error: "), lines[0]
    assert len(lines[0]) > len("tempdata: error: ")
    assert "Traceback" not in result.output
    assert result.stdout == ""
    return lines[0]


def summary(text: str) -> dict[str, list[str]]:
    """The ``key value`` lines that ``generate`` prints, keyed by their label."""
    found: dict[str, list[str]] = {}
    for line in text.splitlines()[1:]:
        m = re.match(r"\s+(seed|reference date|rows|wrote|skipped|time|replay)\s+(.*)$", line)
        if m:
            found.setdefault(m.group(1), []).append(m.group(2))
    return found


def replay_args(text: str) -> list[str]:
    """The ``--seed S --reference-date D`` options printed on the ``replay`` line."""
    (replay,) = summary(text)["replay"]
    return shlex.split(replay)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current directory (the default output folder)."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return cwd


def files(folder: Path) -> Sequence[str]:
    """Every entry below ``folder`` (hidden temporary files included), sorted."""
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))
