"""Reference data files (cities, names, ...): found installed or in a checkout, cached.

The files live in ``reference_data/`` at the top of the repository; the wheel carries
them as ``tempdata/_reference_data``. Each table is read once per process.
"""

from __future__ import annotations

import threading
from functools import cache
from importlib import resources
from pathlib import Path

import polars as pl

from tempdata.errors import TempDataError

__all__ = ["load", "reference_dir"]

_lock = threading.Lock()


@cache
def reference_dir() -> Path:
    """The folder holding the reference files (installed package or checkout)."""
    installed = resources.files("tempdata") / "_reference_data"
    if installed.is_dir():
        return Path(str(installed))
    checkout = Path(__file__).resolve().parents[2] / "reference_data"
    if checkout.is_dir():
        return checkout
    msg = f"tempdata's reference data is missing: looked in {installed} and {checkout}"
    raise TempDataError(msg)


@cache
def _load(name: str, columns: tuple[str, ...] | None) -> pl.DataFrame:
    path = reference_dir() / f"{name}.parquet"
    if not path.is_file():
        msg = f"tempdata's reference file {path.name!r} is missing from {path.parent}"
        raise TempDataError(msg)
    return pl.read_parquet(path, columns=list(columns) if columns is not None else None)


def load(name: str, columns: tuple[str, ...] | None = None) -> pl.DataFrame:
    """The reference table ``name`` (e.g. ``"cities"``), read once per process.

    ``columns`` reads only those (each distinct selection is cached on its own, so a
    table's one runtime user names what it needs and leaves build-only columns out).
    """
    with _lock:
        return _load(name, columns)
