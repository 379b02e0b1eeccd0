"""The calendar model's guided searches find exactly what a binary search finds."""

from __future__ import annotations

import numpy as np
import pytest

from tempdata.calendar.activity import _Lifted, _search_ascending, _search_cdf


@pytest.mark.parametrize("seed", range(40))
def test_lifted_rows_search_like_a_binary_search(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows, width = int(rng.integers(1, 60)), int(rng.integers(1, 400))
    # skewed weights, many zeros, and now and then a row with no weight at all
    weights = rng.random((rows, width)) ** int(rng.integers(1, 30))
    weights[rng.random(weights.shape) < rng.random()] = 0.0
    weights[rng.integers(rows)] = 0.0 if seed % 4 == 0 else weights[0]
    table = _Lifted(weights)
    row = rng.integers(0, rows, 20_000)
    u = rng.random(20_000)
    u[:50], u[50:100] = 0.0, np.nextafter(1.0, 0.0)
    found = np.searchsorted(table.flat, row + u, side="right") - row * width
    expected = np.clip(found, 0, width - 1)
    assert np.array_equal(table.search(row, u), expected)


@pytest.mark.parametrize("seed", range(40))
def test_cdf_search_like_a_binary_search(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 6_000))
    weights = rng.random(n) ** int(rng.integers(1, 30))
    weights[rng.random(n) < rng.random()] = 0.0
    cdf = np.cumsum(weights)
    if seed % 2:
        cdf = cdf / cdf[-1]
    u = rng.random(int(rng.integers(1, 30_000))) * (cdf[-1] if seed % 3 else 1.0)
    u[:5] = 0.0
    assert np.array_equal(_search_cdf(cdf, u), np.searchsorted(cdf, u, side="right"))


@pytest.mark.parametrize("seed", range(40))
def test_ascending_search_like_a_binary_search(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 6_000))
    weights = rng.random(n) ** int(rng.integers(1, 30))
    weights[rng.random(n) < rng.random()] = 0.0
    cdf = np.cumsum(weights) / max(weights.sum(), 1e-300)
    # sorted draws over a part of (0, 1), with ties, and values exactly on the CDF
    low, high = np.sort(rng.random(2))
    u = np.sort(low + (high - low) * rng.random(int(rng.integers(1, 30_000))))
    u[: len(u) // 10] = u[0]
    if seed % 3 == 0:
        u = np.sort(np.concatenate([u, cdf[rng.integers(0, n, 50)]]))
    if seed % 5 == 0:
        u[:3] = 0.0
    assert np.array_equal(_search_ascending(cdf, u), np.searchsorted(cdf, u, side="right"))
