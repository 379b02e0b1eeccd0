"""Fixtures and helpers of the integration tests: a PostgreSQL server and fresh
databases on it (how the server is found or started: ``test_postgresql.py``), and
real CLI processes with the processes they start."""

from __future__ import annotations

import glob
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

SERVER_VARIABLE = "TEMPDATA_TEST_POSTGRESQL"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL tests cannot run under CI: {reason}")
    pytest.skip(f"no PostgreSQL server can be started here: {reason}")


def _bindir() -> Path | None:
    found = shutil.which("pg_config")
    if found:
        out = subprocess.run([found, "--bindir"], capture_output=True, text=True, check=False)
        candidate = Path(out.stdout.strip())
        if (candidate / "initdb").exists():
            return candidate
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _with_database(uri: str, name: str) -> str:
    """``uri`` naming database ``name`` instead (user, host, port and options kept)."""
    return urlunsplit(urlsplit(uri)._replace(path=f"/{name}"))


def _shown(uri: str) -> str:
    """``uri`` with its password, if any, masked: fit for a failure message."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))


def _named_server(uri: str) -> str:
    """The server ``TEMPDATA_TEST_POSTGRESQL`` names, checked to answer."""
    import adbc_driver_postgresql.dbapi as pg

    try:
        with pg.connect(uri) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchall()
    except Exception as exc:  # any driver error: the message says which
        detail = (str(exc).strip() or type(exc).__name__).splitlines()[0]
    else:
        return uri
    pytest.fail(f"{SERVER_VARIABLE}={_shown(uri)} cannot be reached: {detail}")


def _throwaway_cluster() -> Iterator[str]:
    """A cluster started for the session; yields the URI of its ``postgres`` database."""
    bindir = _bindir()
    if bindir is None:
        _unavailable(f"initdb not found (apt-get install postgresql, or set {SERVER_VARIABLE})")
    assert bindir is not None
    run_as: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        if shutil.which("runuser") is None:
            _unavailable("running as root without runuser")
        run_as = ["runuser", "-u", "postgres", "--"]
    folder = Path(tempfile.mkdtemp(prefix="tempdata-pg-"))
    try:
        if run_as:
            shutil.chown(folder, "postgres")
        data, port = folder / "data", _free_port()
        init = subprocess.run(
            [*run_as, str(bindir / "initdb"), "-D", str(data), "--auth=trust", "-U", "postgres"],
            capture_output=True,
            text=True,
            check=False,
        )
        if init.returncode != 0:
            _unavailable(f"initdb failed: {init.stderr.strip()[-200:]}")
        options = f"-p {port} -k {folder} -h 127.0.0.1"
        ctl = [*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-w"]
        start = subprocess.run(
            [*ctl, "-o", options, "-l", str(folder / "log"), "start"],
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            if start.returncode != 0:
                _unavailable(f"pg_ctl start failed: {start.stderr.strip()[-200:]}")
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run([*ctl, "-m", "fast", "stop"], capture_output=True, check=False)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """URI of a database on a PostgreSQL server, to create and drop test databases from."""
    if importlib.util.find_spec("adbc_driver_postgresql") is None:  # the sink's driver
        _unavailable("adbc_driver_postgresql is not installed (pip install tempdata[postgresql])")
    named = os.environ.get(SERVER_VARIABLE, "").strip()
    if named:
        yield _named_server(named)
    else:
        yield from _throwaway_cluster()


@pytest.fixture
def postgres(postgres_server: str) -> Iterator[str]:
    """A fresh database on the server, dropped after the test."""
    import adbc_driver_postgresql.dbapi as pg

    name = f"tempdata_test_{uuid.uuid4().hex[:12]}"
    with (
        pg.connect(postgres_server, autocommit=True) as conn,
        conn.cursor() as cursor,
    ):
        cursor.execute(f"CREATE DATABASE {name}")
    try:
        yield _with_database(postgres_server, name)
    finally:
        with (
            pg.connect(postgres_server, autocommit=True) as conn,
            conn.cursor() as cursor,
        ):
            # FORCE (PostgreSQL 13+): a connection a failed test left open goes too.
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# -- helpers of the reliability tests (real CLI processes, the run's processes) ------


def run_tempdata(
    *args: str | Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    preexec_fn: Any = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m tempdata ARGS`` as a real process (``env`` added to this one's)."""
    return subprocess.run(
        [sys.executable, "-m", "tempdata", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "100", **(env or {})},
        preexec_fn=preexec_fn,
    )


def processes_marked(mark: str) -> list[int]:
    """Processes whose environment carries ``mark`` (a run's and all it started)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if mark.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def processes_left(mark: str, seconds: float = 15.0) -> list[int]:
    """Wait (up to ``seconds``) for every process carrying ``mark`` to end; those left."""
    deadline = time.monotonic() + seconds
    while (left := processes_marked(mark)) and time.monotonic() < deadline:
        time.sleep(0.1)  # polling for the processes to end, not timing a result
    return left
