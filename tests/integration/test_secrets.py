"""A database password never reaches a screen, a log line, an error or a manifest.

Through the CLI (a real process) and the public API only, against a real PostgreSQL
server on loopback (``conftest.py``). The throwaway server trusts loopback, so a URI
with a password connects as well as one without: the password is only carried.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest

import tempdata
from tempdata.errors import TempDataError
from tests.integration.conftest import run_tempdata

SECRET = "S3cr3t-pw"


def _with_password(uri: str, password: str = SECRET) -> str:
    parts = urlsplit(uri)
    user = parts.username or "postgres"
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}:{quote(password, safe='')}@{host}"))


def _cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run_tempdata(*args, cwd=cwd)


def _clean(done: subprocess.CompletedProcess[str], *secrets: str) -> str:
    shown = done.stdout + done.stderr
    for secret in (SECRET, *secrets):
        assert secret not in shown, shown
    assert "Traceback" not in shown, shown
    return shown


def test_generate_to_a_server_masks_its_password(postgres: str) -> None:
    uri = _with_password(postgres)
    done = _cli("generate", "products", "-n", "10", "--seed", "1", "--to", uri)
    assert done.returncode == 0, done.stderr
    assert "postgres:***@" in _clean(done)
    # the table exists now: the refusal names the server, not its password
    again = _cli("generate", "products", "-n", "10", "--to", uri, "--if-exists", "error")
    assert again.returncode == 1
    assert "already exists" in _clean(again)
    assert len(again.stderr.splitlines()) == 1


def test_a_failed_load_is_one_line_without_the_password(postgres: str) -> None:
    uri = _with_password(postgres)
    assert _cli("generate", "products", "-n", "10", "--seed", "1", "--to", uri).returncode == 0
    # the same keys again: the primary key refuses them, and the load rolls back
    done = _cli(
        "generate", "products", "-n", "10", "--seed", "1", "--to", uri, "--if-exists", "append"
    )
    assert done.returncode == 1
    line = _clean(done).strip()
    assert line.startswith("tempdata: error: loading table 'products'"), line
    assert len(done.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    "uri",
    [
        f"postgresql://alice:{SECRET}@127.0.0.1:1/none",
        f"postgresql://alice:{quote(SECRET + '@/:', safe='')}@127.0.0.1:1/none",
        f"postgresql://alice@127.0.0.1:1/none?password={SECRET}&sslmode=disable",
        f"postgres://alice:{SECRET}@127.0.0.1:1/none",
        f"postgresql://alice@127.0.0.1:1/none?sslpassword={SECRET}",
    ],
)
def test_an_unreachable_server_hides_the_password(uri: str) -> None:
    done = _cli("generate", "products", "-n", "5", "--to", uri)
    assert done.returncode == 1
    assert "cannot connect to" in _clean(done, quote(SECRET + "@/:", safe=""))
    with pytest.raises(TempDataError) as caught:
        tempdata.create_dataset(uri, rows=5, dataset="products")
    for text in (str(caught.value), repr(caught.value)):
        assert SECRET not in text


def test_a_bad_server_uri_hides_the_password() -> None:
    done = _cli("generate", "products", "-n", "5", "--to", f"postgresql://alice:{SECRET}@/")
    assert done.returncode in (1, 2)
    _clean(done)
    with pytest.raises(TempDataError) as caught:
        tempdata.create_dataset(f"postgresql://alice:{SECRET}@/", rows=5)  # no dataset named
    assert SECRET not in str(caught.value)


def test_a_plan_sink_masks_its_password(postgres: str, tmp_path: Path) -> None:
    uri = _with_password(postgres)
    plan = tmp_path / "plan.toml"
    plan.write_text(
        f'seed = 3\n\n[[sinks]]\nuri = "{uri}"\n\n'
        "[datasets.customers]\nrows = 200\n\n[datasets.sales]\nrows = 1000\n"
    )
    done = _cli("run", plan, "--output", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    _clean(done)
    manifest = (tmp_path / "out" / "manifest.json").read_text()
    assert SECRET not in manifest
    assert json.loads(manifest)["sinks"][0]["uri"].startswith("postgresql://postgres:***@")
    # loading again into tables that exist (if_exists = "error"): one line, masked
    plan.write_text(
        plan.read_text().replace(f'uri = "{uri}"', f'uri = "{uri}"\nif_exists = "error"')
    )
    again = _cli("run", plan, "--output", tmp_path / "again")
    assert again.returncode == 1
    assert "already exists" in _clean(again)
    for path in (tmp_path / "again").rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text(errors="replace"), path


def test_a_dask_address_hides_its_password(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    address = f"tcp://bob:{SECRET}@127.0.0.1:1"
    done = _cli(
        "generate",
        "products",
        "-n",
        "5",
        "--backend",
        "dask",
        "--address",
        address,
        "-o",
        f"{tmp_path}/",
    )
    assert done.returncode == 2
    _clean(done)
    assert len(done.stderr.splitlines()) == 1


def test_a_plan_records_a_dask_address_without_its_password(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(
        f'seed = 1\n\n[backend]\nengine = "dask"\naddress = "tcp://bob:{SECRET}@127.0.0.1:1"\n\n'
        "[datasets.products]\nrows = 5\n"
    )
    done = _cli("run", plan, "--output", tmp_path / "out")
    assert done.returncode != 0
    _clean(done)
