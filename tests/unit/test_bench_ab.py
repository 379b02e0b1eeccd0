"""``python -m bench.ab``: a commit against this checkout, really run, and clear errors."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from bench import ab

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def test_compares_a_commit_with_this_checkout(capsys: pytest.CaptureFixture[str]) -> None:
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ab.ROOT, capture_output=True, text=True
    )
    if head.returncode != 0:
        pytest.skip("not a git checkout")
    assert (
        ab.main([head.stdout.strip(), "--rows", "2000", "--repeat", "1", "--dataset", "sales"]) == 0
    )
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith("sales")
    assert "×" in line
    worktrees = subprocess.run(
        ["git", "worktree", "list"], cwd=ab.ROOT, capture_output=True, text=True, check=True
    )
    assert "tempdata-ab-" not in worktrees.stdout  # removed after the run


def test_an_unknown_commit_is_a_clear_error() -> None:
    with pytest.raises(SystemExit, match="cannot check out 'no-such-ref-xyz'"):
        ab.main(["no-such-ref-xyz", "--rows", "10", "--repeat", "1", "--dataset", "sales"])


def test_repeat_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        ab.main(["HEAD", "--repeat", "0"])
    assert exc.value.code == 2
    assert "--repeat and --rows must be 1 or more" in capsys.readouterr().err
