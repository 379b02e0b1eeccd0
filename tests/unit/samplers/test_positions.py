"""Row positions: keyed shuffles per block and exact counts across blocks."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tempdata.samplers import positions as pos


@given(
    size=st.integers(1, 5000),
    key=st.integers(0, 2**63 - 1),
)
@settings(max_examples=60, deadline=None)
def test_permute_is_a_bijection_for_any_size_and_key(size: int, key: int) -> None:
    x = np.arange(size)
    out = pos.permute(x, np.full(size, size), np.full(size, key, dtype=np.uint64))
    assert sorted(out.tolist()) == list(range(size))


def test_permute_depends_on_the_key() -> None:
    x = np.arange(4096)
    a = pos.permute(x, np.full(4096, 4096), np.full(4096, 1, dtype=np.uint64))
    b = pos.permute(x, np.full(4096, 4096), np.full(4096, 2, dtype=np.uint64))
    assert (a != b).mean() > 0.99


def test_block_slots_shuffle_each_block_whole() -> None:
    rows = np.arange(3 * pos.BLOCK)
    slot, block = pos.block_slots(rows, key=42)
    for b in range(3):
        mine = slot[block == b]
        assert sorted(mine.tolist()) == list(range(pos.BLOCK))
    # The shuffle differs between blocks.
    assert (slot[: pos.BLOCK] != slot[pos.BLOCK : 2 * pos.BLOCK]).mean() > 0.99


@given(
    key=st.integers(0, 2**40),
    slot=st.integers(0, pos.BLOCK - 1),
    block=st.integers(0, 2_000),
    low=st.integers(0, pos.JITTERS),
    width=st.integers(0, pos.JITTERS),
)
@settings(max_examples=200, deadline=None)
def test_earlier_counts_exactly_what_a_loop_over_blocks_counts(
    key: int, slot: int, block: int, low: int, width: int
) -> None:
    high = min(pos.JITTERS, low + width)
    k = pos.slot_key(np.array([slot]), key)
    got = pos.earlier(
        np.array([block]),
        [(k, np.array([high], dtype=np.int32), 1), (k, np.array([low], dtype=np.int32), -1)],
    )
    places = pos.jitter(np.arange(block), np.full(block, slot), key)
    assert int(got[0]) == int(((places >= low) & (places < high)).sum())


def test_a_slot_takes_every_place_once_over_its_first_blocks() -> None:
    """Across 2**19 blocks a slot's places are a permutation (van der Corput)."""
    blocks = np.arange(pos.JITTERS)
    places = pos.jitter(blocks, np.full(len(blocks), 7), key=3)
    assert len(np.unique(places)) == pos.JITTERS
