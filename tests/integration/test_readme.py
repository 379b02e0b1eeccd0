"""The README's examples run as written."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text("utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def test_readme_opens_with_make_run_and_make_test() -> None:
    head = README.splitlines()[:5]
    assert any("make run" in line for line in head)
    assert any("make test" in line for line in head)


@pytest.mark.parametrize("code", blocks("python"), ids=lambda c: c.splitlines()[0][:40])
def test_python_examples(code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})


def test_console_examples(tmp_path: Path) -> None:
    exe = shutil.which("tempdata", path=str(Path(sys.executable).parent)) or "tempdata"
    commands = [
        line[2:]
        for block in blocks("console")
        for line in block.splitlines()
        if line.startswith("$ ")
    ]
    assert commands
    # The batch examples run the README's plan.
    (tmp_path / "plan.toml").write_text(blocks("toml")[0], encoding="utf-8")
    for command in commands:
        argv = shlex.split(command, comments=True)
        assert argv[0] == "tempdata"
        done = subprocess.run(
            [exe, *argv[1:]],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={**os.environ, "COLUMNS": "120"},
        )
        assert done.returncode == 0, (command, done.stderr)
