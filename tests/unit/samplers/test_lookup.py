"""The guide-table lookup gives exactly numpy's searchsorted answers."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tempdata.samplers._base import SortedLookup


@settings(max_examples=60, deadline=None)
@given(
    weights=st.lists(st.floats(min_value=0.0, max_value=1e6), min_size=1, max_size=300),
    seed=st.integers(0, 2**32 - 1),
    bits=st.integers(1, 12),
)
def test_same_answers_as_searchsorted(weights: list[float], seed: int, bits: int) -> None:
    w = np.asarray(weights) + 1e-9
    keys = np.cumsum(w) / w.sum()
    keys[-1] = 1.0
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.random(2_000), keys[:-1], np.nextafter(keys[:-1], 0), [0.0]])
    expected = np.minimum(np.searchsorted(keys, x, side="right"), len(keys) - 1)
    assert np.array_equal(SortedLookup(keys, bits=bits)(x), expected)


def test_grouped_keys_beyond_one() -> None:
    keys = np.concatenate([g + np.cumsum(np.full(5, 0.2)) for g in range(4)])
    keys[4::5] = np.arange(1, 5)
    x = np.array([0.0, 0.5, 1.0, 1.1, 2.99, 3.5, 3.999])
    expected = np.minimum(np.searchsorted(keys, x, side="right"), len(keys) - 1)
    assert np.array_equal(SortedLookup(keys, bits=4)(x), expected)


@settings(max_examples=60, deadline=None)
@given(
    keys=st.lists(st.floats(min_value=0.0, max_value=1e3), min_size=1, max_size=200),
    bits=st.integers(1, 12),
)
def test_guide_is_searchsorted_of_the_bucket_edges(keys: list[float], bits: int) -> None:
    """The guide, counted from the keys' side, holds searchsorted's answer at every
    bucket edge — ties with an edge and keys past the last edge included."""
    sorted_keys = np.sort(np.asarray(keys))
    sorted_keys[-1] += 1.0  # the last key sets the scale: not 0
    lookup = SortedLookup(sorted_keys, bits=bits)
    edges = np.arange(lookup.size + 1, dtype=np.float64) / lookup.scale
    keyed = np.concatenate([sorted_keys, edges[1:-1]])  # keys exactly on edges too
    keyed.sort()
    for k in (sorted_keys, keyed):
        found = SortedLookup(k, bits=bits)
        edges = np.arange(found.size + 1, dtype=np.float64) / found.scale
        assert np.array_equal(found.guide, np.searchsorted(found.keys, edges, side="right"))
