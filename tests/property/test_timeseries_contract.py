"""The time-series contract of DESIGN §2: values depend on (seed, entity, timestamp) only.

Whatever range is requested, however it is split, and whichever entities come with
it, each process gives every (entity, step) the same value.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tempdata.core import timeseries as ts
from tempdata.core.timeseries import BLOCK

Array = np.ndarray[Any, Any]

PROCESSES: dict[str, Callable[[ts.TimeStreams, Array, Array], Array]] = {
    "white_noise": ts.white_noise,
    "random_walk": ts.random_walk,
    "ar1": lambda s, e, k: ts.ar1(s, e, k, phi=0.97),
    "gbm": lambda s, e, k: ts.gbm(s, e, k, mu=0.05, sigma=0.2),
    "sv_level": lambda s, e, k: ts.stochastic_volatility(s, e, k, vol=0.02).level,
    "outage": lambda s, e, k: ts.spikes_and_outages(s, e, k, outage_rate=0.005).outage,
}

# The first minute of 2024: requests reach about ten blocks (a month) beyond it.
BASE = int(ts.steps_between("2024-01-01", "2024-01-01", interval="1min")[0])


@st.composite
def ranges_and_cuts(draw: st.DrawFn) -> tuple[int, int, list[int]]:
    start = BASE + draw(st.integers(0, 6 * BLOCK))
    length = draw(st.integers(1, 2 * BLOCK + 50))
    # Cut points: arbitrary ones, plus the block boundaries inside the range.
    boundaries = [
        b * BLOCK - start for b in range(start // BLOCK + 1, (start + length) // BLOCK + 1)
    ]
    extra = draw(st.lists(st.integers(1, max(length - 1, 1)), max_size=4))
    cuts = sorted({0, length, *[c for c in [*boundaries, *extra] if 0 < c < length]})
    return start, length, cuts


@settings(max_examples=60, deadline=None)
@given(
    process=st.sampled_from(list(PROCESSES)),
    rc=ranges_and_cuts(),
    seed=st.integers(0, 2**32 - 1),
    entities=st.lists(st.integers(0, 2**40), min_size=1, max_size=4, unique=True),
)
def test_pieces_equal_the_whole(
    process: str, rc: tuple[int, int, list[int]], seed: int, entities: list[int]
) -> None:
    start, length, cuts = rc
    s = ts.time_streams(seed, "prop", "value", interval="1min")
    f = PROCESSES[process]
    e = np.array(entities)[:, None]
    k = np.arange(start, start + length)
    whole = f(s, e, k[None, :])
    pieces = [f(s, e, k[None, a:b]) for a, b in itertools.pairwise(cuts)]
    assert np.array_equal(np.concatenate(pieces, axis=1), whole)
    # One entity alone, and a random scattering of (entity, step) rows.
    assert np.array_equal(f(s, e[-1:], k[None, :]), whole[-1:])
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, len(entities), 20)
    cols = rng.integers(0, length, 20)
    assert np.array_equal(f(s, np.array(entities)[rows], k[cols]), whole[rows, cols])


@settings(max_examples=40, deadline=None)
@given(
    process=st.sampled_from(list(PROCESSES)),
    first=st.integers(0, 3 * BLOCK),
    second=st.integers(0, 3 * BLOCK),
    overlap=st.integers(1, 500),
    seed=st.integers(0, 2**32 - 1),
)
def test_overlapping_ranges_agree_on_their_overlap(
    process: str, first: int, second: int, overlap: int, seed: int
) -> None:
    # Two requests that start anywhere and share `overlap` steps ending at `end`.
    s = ts.time_streams(seed, "prop", "value", interval="1hour")
    end = BASE // 60 + 4 * BLOCK
    a = np.arange(end - overlap - first, end)
    b = np.arange(end - overlap, end + second)
    va = PROCESSES[process](s, np.array([7]), a)
    vb = PROCESSES[process](s, np.array([7]), b)
    assert np.array_equal(va[-overlap:], vb[:overlap])
