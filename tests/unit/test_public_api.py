"""The public surface: a sorted __all__, and docstring examples that run."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import tempdata


def test_all_is_sorted_and_complete() -> None:
    names = [n for n in tempdata.__all__ if n != "__version__"]
    # isort style (ruff's RUF022): CONSTANTS, then Classes, then functions.
    assert names == sorted(names, key=lambda n: (not n.isupper(), not n[0].isupper(), n))
    for name in tempdata.__all__:
        assert hasattr(tempdata, name), name


MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(tempdata.__path__, "tempdata.")
    if m.name not in ("tempdata.__main__",)
)


@pytest.mark.parametrize("module", MODULES)
def test_doctests(module: str) -> None:
    mod = importlib.import_module(module)
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
