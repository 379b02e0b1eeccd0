"""The pytest plugin: test data as fixtures, the same on every run and every machine.

Installed with tempdata (entry point ``pytest11``), so a test suite only asks for it::

    def test_revenue(tempdata):
        sales = tempdata("sales", rows=200, country="germany")      # a polars DataFrame
        path = tempdata.file("customers", rows=1_000)                 # a cached Parquet file
        manifest = tempdata.plan("tests/plan.toml", profile="ci")     # a whole batch

    def test_seed(tempdata_seed):                                     # the seed a test gets
        ...

* **Deterministic per test.** The default seed is derived from the test's node id:
  a test sees the same data on every run and machine, two tests see different data.
  ``--tempdata-seed N`` sets one seed for the whole run. A failing test that used the
  fixtures shows its seed in the report (a ``tempdata`` section).
* **Cached files.** ``tempdata.file`` and ``tempdata.plan`` write under pytest's cache
  folder (``.pytest_cache/d/tempdata``), keyed by dataset, arguments, seed and tempdata
  version; concurrent workers (pytest-xdist) share them safely (an ``flock`` the system
  releases when its holder dies, and files written under a temporary name and renamed).
  A cached file is sealed with its size and SHA-256, a batch by its manifest's: one cut
  short or changed since is made again, never reused. ``--tempdata-clear`` empties the
  cache.
* **Cheap to import.** Nothing of Polars or the catalogue loads until a fixture is used.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Generator, Mapping
from pathlib import Path
from typing import Any

import pytest

__all__ = ["TempdataFixture", "seed_for"]

_SEED = pytest.StashKey[int]()


def seed_for(nodeid: str) -> int:
    """The seed a test with this node id gets (a stable 63-bit hash of it)."""
    return int.from_bytes(hashlib.sha256(nodeid.encode("utf-8")).digest()[:8], "big") >> 1


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tempdata", "tempdata test data")
    group.addoption(
        "--tempdata-seed",
        type=int,
        default=None,
        metavar="N",
        help="one seed for every test's tempdata fixtures (default: derived from the test id)",
    )
    group.addoption(
        "--tempdata-clear",
        action="store_true",
        default=False,
        help="empty tempdata's file cache before the run",
    )


def _cache_dir(config: pytest.Config) -> Path:
    cache = getattr(config, "cache", None)
    if cache is not None:
        return Path(cache.mkdir("tempdata"))
    return Path(tempfile.gettempdir()) / "tempdata-pytest-cache"


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("tempdata_clear", default=False):
        folder = _cache_dir(config)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)


@pytest.fixture
def tempdata_seed(request: pytest.FixtureRequest) -> int:
    """The seed of this test's tempdata data: ``--tempdata-seed``, else from its id."""
    given = request.config.getoption("tempdata_seed", default=None)
    seed = int(given) if given is not None else seed_for(request.node.nodeid)
    request.node.stash[_SEED] = seed
    return seed


@pytest.fixture
def tempdata(request: pytest.FixtureRequest, tempdata_seed: int) -> TempdataFixture:
    """Make test data: ``tempdata("sales", rows=200)`` → frame, ``tempdata.file(...)``
    → cached file, ``tempdata.plan("plan.toml")`` → a batch's manifest."""
    return TempdataFixture(tempdata_seed, _cache_dir(request.config))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    seed = item.stash.get(_SEED, None)
    if seed is not None and report.failed:
        report.sections.append(
            ("tempdata", f"tempdata seed {seed} (replay with --tempdata-seed {seed})")
        )
    return report


class TempdataFixture:
    """What the ``tempdata`` fixture hands a test."""

    def __init__(self, seed: int, cache: Path) -> None:
        self.seed = seed
        self.cache = cache

    def __repr__(self) -> str:
        return f"<tempdata fixture seed={self.seed}>"

    def __call__(self, dataset: Any, rows: int | None = None, **kwargs: Any) -> Any:
        """``tempdata.generate(dataset, rows=..., seed=<the test's>, **kwargs)``."""
        import tempdata as td

        kwargs.setdefault("seed", self.seed)
        return td.generate(dataset, rows=rows, **kwargs)

    def file(
        self, dataset: str, rows: int | None = None, *, format: str = "parquet", **kwargs: Any
    ) -> Path:
        """A file of ``dataset`` (cached across runs); ``format`` as tempdata names it."""
        import tempdata as td
        from tempdata.export.formats import FORMATS, check_format

        fmt = check_format(format)
        kwargs.setdefault("seed", self.seed)
        key = _key({"dataset": dataset, "rows": rows, "format": fmt, **kwargs})
        path = self.cache / f"{dataset}-{key}{FORMATS[fmt][0]}"
        with _locked(path):
            if not _intact(path):  # never made, or damaged since: made (again)
                path.unlink(missing_ok=True)
                td.create_dataset(path, rows=rows, dataset=dataset, **kwargs)
                _seal(path)
        return path

    def plan(self, plan: str | Path, *, profile: str | None = None) -> Mapping[str, Any]:
        """Run a plan file once (cached) and return its manifest, with ``"dir"`` the
        folder its files are in. A plan without a seed gets the test's."""
        import tempdata as td
        from tempdata.batch.plan import read_plan_file

        raw = read_plan_file(plan)
        raw.setdefault("seed", self.seed)
        key = _key({"plan": raw, "profile": profile, "base": str(Path(plan).resolve().parent)})
        folder = self.cache / f"plan-{key}"
        manifest = folder / "manifest.json"
        with _locked(folder):
            if not _batch_intact(folder):
                shutil.rmtree(folder, ignore_errors=True)
                td.create_batch(raw, profile=profile, output_dir=folder)
        data: dict[str, Any] = json.loads(manifest.read_text(encoding="utf-8"))
        data["dir"] = str(folder)
        return data


def _key(spec: Mapping[str, Any]) -> str:
    from tempdata import __version__

    text = json.dumps({**spec, "tempdata": __version__}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _sha256(path: Path) -> str:
    from tempdata.export.files import sha256_of  # here: importing the plugin stays cheap

    return sha256_of(path)


def _seal(path: Path) -> None:
    """Record the cached file's size and SHA-256 beside it (written last)."""
    seal = path.with_name(path.name + ".sha256")
    temp = seal.with_name(seal.name + f".{os.getpid()}.tmp")
    temp.write_text(f"{path.stat().st_size} {_sha256(path)}\n", encoding="ascii")
    os.replace(temp, seal)


def _intact(path: Path) -> bool:
    """Whether the cached file exists and is the one sealed: its size and checksum as
    recorded (a file cut short or changed since is made again)."""
    seal = path.with_name(path.name + ".sha256")
    try:
        size, digest = seal.read_text(encoding="ascii").split()
        return path.stat().st_size == int(size) and _sha256(path) == digest
    except (OSError, ValueError):
        return False


def _batch_intact(folder: Path) -> bool:
    """Whether a cached batch is whole: its manifest, and every file it lists with the
    size and checksum it records."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        files = manifest["files"]
        return all(
            (folder / f["path"]).stat().st_size == f["bytes"]
            and _sha256(folder / f["path"]) == f["sha256"]
            for f in files
        )
    except (OSError, ValueError, KeyError, TypeError):
        return False


class _locked:
    """An exclusive lock beside ``path``, for processes sharing the cache
    (pytest-xdist): an ``flock`` on a lock file, which the system releases the moment
    its holder ends, however it ends — a run killed while writing never leaves the
    next one waiting. Where the disk has no ``flock``, a file created with ``O_EXCL``
    holding its owner's pid and host: taken over once that owner is gone (or after
    10 minutes for another host's)."""

    def __init__(self, path: Path) -> None:
        self.lock = path.with_name(path.name + ".lock")
        self.fd: int | None = None
        self.exclusive = False

    def __enter__(self) -> None:
        import fcntl

        self.lock.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # no flock here (some network disks)
            os.close(fd)
            self._exclusive()
            return
        self.fd = fd

    def _exclusive(self) -> None:
        import socket

        owner = f"{os.getpid()} {socket.gethostname()}"
        marker = self.lock.with_name(self.lock.name + ".owner")
        while True:
            try:
                fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                if _abandoned(marker):
                    marker.unlink(missing_ok=True)
                    continue
                time.sleep(0.05)
                continue
            with os.fdopen(fd, "w") as fh:
                fh.write(owner)
            self.exclusive = True
            return

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            os.close(self.fd)  # releases the flock
            self.fd = None
        if self.exclusive:
            self.lock.with_name(self.lock.name + ".owner").unlink(missing_ok=True)
            self.exclusive = False


def _abandoned(marker: Path) -> bool:
    """Whether an ``O_EXCL`` lock's owner is gone: a dead pid on this host, or a lock
    of another host untouched for 10 minutes."""
    import socket

    try:
        pid, host = marker.read_text().split(" ", 1)
        age = time.time() - marker.stat().st_mtime
    except (OSError, ValueError):
        return False
    if host != socket.gethostname():
        return age > 600
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError):
        return False
    return False
