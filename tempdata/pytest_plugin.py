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
  version; concurrent workers (pytest-xdist) share them safely (a lock file, and files
  written under a temporary name and renamed). ``--tempdata-clear`` empties the cache.
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
            if not path.exists():
                td.create_dataset(path, rows=rows, dataset=dataset, **kwargs)
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
            if not manifest.exists():
                td.create_batch(raw, profile=profile, output_dir=folder)
        data: dict[str, Any] = json.loads(manifest.read_text(encoding="utf-8"))
        data["dir"] = str(folder)
        return data


def _key(spec: Mapping[str, Any]) -> str:
    from tempdata import __version__

    text = json.dumps({**spec, "tempdata": __version__}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class _locked:
    """An exclusive lock beside ``path`` (a file created with O_EXCL), for processes
    sharing the cache (pytest-xdist); a lock older than 10 minutes is taken over."""

    def __init__(self, path: Path) -> None:
        self.lock = path.with_name(path.name + ".lock")

    def __enter__(self) -> None:
        self.lock.parent.mkdir(parents=True, exist_ok=True)
        while True:
            try:
                os.close(os.open(self.lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
                return
            except FileExistsError:
                try:
                    if time.time() - self.lock.stat().st_mtime > 600:
                        self.lock.unlink()
                        continue
                except FileNotFoundError:
                    continue
                time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        self.lock.unlink(missing_ok=True)
