"""Row positions: a keyed shuffle of the rows of each block of ``2**12``.

A sampler that draws from a table by cumulative weight can draw at a row's *position*
instead of at a fresh uniform: ``(slot + jitter) / 2**12``, where ``slot`` is the row's
place in a keyed permutation of its block. Each block then covers the table exactly
once (a stratified sample) and, more usefully, the rows that fall in one entry's
interval can be counted without looking at other rows: ``slot - first slot of the
interval`` is unique among them. :func:`tempdata.samplers.places` draws cities this
way and hands the slot on (its ``position`` field), so :func:`tempdata.samplers.people`
can rank the rows of one name locale densely among themselves and write unique
e-mail addresses (:mod:`tempdata.samplers._handles`).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from tempdata.core.plan import ChunkContext
from tempdata.samplers._base import Array

__all__ = [
    "BLOCK",
    "BLOCK_BITS",
    "JITTERS",
    "JITTER_BITS",
    "block_slots",
    "earlier",
    "jitter",
    "mix",
    "permute",
    "read_positions",
    "reversed_bits",
    "slot_key",
    "written_positions",
]

BLOCK_BITS = 12
BLOCK = 1 << BLOCK_BITS

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def mix(x: Array | int) -> Array:
    """SplitMix64's finaliser: a well-spread 64-bit hash of each value."""
    # In place on one copy and one scratch array: it runs on whole chunks many times.
    z: Array = np.atleast_1d(np.asarray(x).astype(np.uint64))
    z += _GOLDEN
    t = z >> np.uint64(30)
    z ^= t
    z *= _M1
    np.right_shift(z, np.uint64(27), out=t)
    z ^= t
    z *= _M2
    np.right_shift(z, np.uint64(31), out=t)
    z ^= t
    return z


def permute(x: Array, size: Array | int, key: Array, rounds: int = 4) -> Array:
    """A keyed bijection of ``0..size-1`` applied to ``x``, with a size (one, or one per
    row) and a key per row: a Feistel network over the smallest even number of bits
    holding the size, walking the cycle until the value falls inside it. Keys should be
    well mixed (each round uses the key with a round constant).

    >>> out = permute(np.arange(10), 10, np.full(10, 7, dtype=np.uint64))
    >>> sorted(out.tolist()) == list(range(10))
    True
    """
    key = np.asarray(key, dtype=np.uint64)
    constants = [np.uint64(c) for c in mix(np.arange(1, rounds + 1))]
    if np.ndim(size) == 0 and int(size) == 1 << (2 * _half_bits(int(size))):
        # One size filling its bits (a block): the rounds take plain numbers, and no
        # value falls outside, so there is no cycle to walk.
        h = np.uint64(_half_bits(int(size)))
        m = (np.uint64(1) << h) - np.uint64(1)
        s = np.uint64(64) - h
        y = np.asarray(x, dtype=np.uint64)
        left, right = y >> h, y & m
        for c in constants:
            f = (((right * _M1) ^ key ^ c) * _M2) >> s
            left, right = right, left ^ (f & m)
        out: Array = ((left << h) | right).astype(np.int64)
        return out
    if np.ndim(size) == 0:
        one = max(2, int(int(size) - 1).bit_length())
        half: Array = np.full(len(key), (one + one % 2) // 2, dtype=np.uint64)
        limit: Array = np.full(len(key), int(size), dtype=np.uint64)
    else:
        # bit_length of size - 1, rounded up to an even number, at least 2
        length = np.frexp(np.maximum(np.asarray(size, dtype=np.float64) - 1, 1))[1]
        bits = np.maximum(length, 2)
        half = ((bits + bits % 2) // 2).astype(np.uint64)
        limit = np.asarray(size).astype(np.uint64)
    mask = (np.uint64(1) << half) - np.uint64(1)
    shift = np.uint64(64) - half

    def once(y: Array, rows: Array | slice) -> Array:
        h, m, s, k = half[rows], mask[rows], shift[rows], key[rows]
        left, right = y >> h, y & m
        for c in constants:
            f = (((right * _M1) ^ k ^ c) * _M2) >> s
            left, right = right, left ^ (f & m)
        out: Array = (left << h) | right
        return out

    y = once(np.asarray(x, dtype=np.uint64), slice(None))
    todo = np.flatnonzero(y >= limit)
    while len(todo):
        y[todo] = once(y[todo], todo)
        todo = todo[y[todo] >= limit[todo]]
    return y.astype(np.int64)


def _half_bits(size: int) -> int:
    """Half the bits :func:`permute` works over for ``size``: ``size - 1``'s bit length
    rounded up to an even number, at least 2."""
    one = max(2, (size - 1).bit_length())
    return (one + one % 2) // 2


def _tag(ctx: ChunkContext, slot: Array) -> Array:
    """A check value binding a slot to its row and dataset (see written_positions)."""
    key = ctx.seeder.context_seed(f"{ctx.dataset}#position-tag")
    rows = ctx.row_index().astype(np.uint64)
    out: Array = (
        mix(np.uint64(key) ^ (rows << np.uint64(BLOCK_BITS)) ^ slot.astype(np.uint64))
        >> np.uint64(33)
    ).astype(np.int64)
    return out


def written_positions(ctx: ChunkContext, slot: Array) -> Array:
    """Slots as a column: each with a check value above its 12 bits, so that a reader
    can tell a position written for this very row from any other number."""
    out: Array = (_tag(ctx, slot) << BLOCK_BITS) | slot
    return out


def read_positions(ctx: ChunkContext, column: str) -> tuple[Array, Array]:
    """``(slot, genuine)``: the slots of a column of :func:`written_positions`, and
    whether each was written for its row (a number from elsewhere is not)."""
    value = ctx.frame.get_column(column).cast(pl.Int64).fill_null(-1).to_numpy()
    slot = value & (BLOCK - 1)
    genuine = (value >= 0) & ((value >> BLOCK_BITS) == _tag(ctx, slot))
    return slot, genuine


def block_slots(rows: Array, key: int) -> tuple[Array, Array]:
    """``(slot, block)`` of each row number: its block of ``2**12`` rows, and its place
    in that block's keyed shuffle."""
    block = rows >> BLOCK_BITS
    first = int(block.min()) if len(block) else 0
    per_block = mix(np.uint64(key) ^ mix(np.arange(first, int(block.max(initial=first)) + 1)))
    slot = permute(rows & (BLOCK - 1), BLOCK, per_block[block - first])
    return slot, block


JITTER_BITS = 19
JITTERS = 1 << JITTER_BITS


def _reversal_table(bits: int) -> Array:
    x = np.arange(1 << bits, dtype=np.int64)
    out = np.zeros_like(x)
    for b in range(bits):
        out |= ((x >> b) & 1) << (bits - 1 - b)
    return out.astype(np.int32)


_REVERSED: Array | None = None


def reversed_bits(x: Array) -> Array:
    """``x``'s ``JITTER_BITS`` low bits in reverse order (a table lookup)."""
    global _REVERSED
    if _REVERSED is None:
        _REVERSED = _reversal_table(JITTER_BITS)
    out: Array = _REVERSED[x & (JITTERS - 1)]
    return out


def slot_key(slot: Array, key: int) -> Array:
    """The scramble of ``slot``'s places across blocks (see :func:`jitter`)."""
    hashed = mix(np.uint64(key) ^ slot.astype(np.uint64)) >> np.uint64(64 - JITTER_BITS)
    out: Array = hashed.astype(np.int32)
    return out


def jitter(block: Array, slot: Array, key: int) -> Array:
    """The place inside its slot (an integer below ``2**19``) of the row holding
    ``slot`` in ``block``: across blocks, the places of one slot are the van der Corput
    sequence of the block number, scrambled by a key per slot, so the blocks whose row
    in a slot falls in a given part of it can be counted (:func:`earlier`)."""
    out: Array = reversed_bits(block) ^ slot_key(slot, key)
    return out


def earlier(block: Array, counts: list[tuple[Array, Array, int]]) -> Array:
    """Sum over ``(k, bound, sign)`` of ``sign * #{b < block : rev(b) ^ k < bound}``.

    ``rev(b) ^ k`` is where block ``b`` puts its row of a slot whose key is ``k``
    (:func:`jitter`), so a pair of bounds with signs +1 and -1 counts the earlier
    blocks whose row of that slot falls between them — exactly, without a loop over
    blocks. The ``b < block`` that share ``block``'s bits above a set bit ``p`` and
    have 0 at ``p`` have ``rev(b) ^ k`` fixed in its low ``JITTER_BITS - p`` bits (the
    reversal moves ``b``'s high bits low) and free above: an arithmetic progression
    with step ``2**(JITTER_BITS - p)``, whose members below ``bound`` are counted
    directly.
    """
    bits = JITTER_BITS
    block = block.astype(np.int32)
    rev = reversed_bits(block)
    total = np.zeros(len(block), dtype=np.int32)
    low, high = (int(block.min()), int(block.max())) if len(block) else (0, 0)
    top = high.bit_length()
    # A chunk's rows lie in a few neighbouring blocks: from bit ``varying`` up, every
    # row has the bits of the lowest block — a 0 adds nothing, a 1 the whole part.
    varying = (low ^ high).bit_length()
    for p in range(top):
        if p >= varying and not (low >> p) & 1:
            continue
        step_bits = bits - p
        below = rev & ((1 << (step_bits - 1)) - 1)  # block's bits above p, reversed
        part = np.zeros(len(block), dtype=np.int32)
        for k, bound, sign in counts:
            fixed = below ^ (k & ((1 << step_bits) - 1))  # fixed < 2**step_bits
            count = (bound - fixed + ((1 << step_bits) - 1)) >> step_bits
            part += count if sign > 0 else -count
        if p >= varying:
            total += part
        else:
            total += part * ((block >> p) & 1)
    out: Array = total.astype(np.int64)
    return out
