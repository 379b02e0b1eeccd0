"""The seed contract of DESIGN §2, checked against its own formula."""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pytest

from tempdata.core import seeding
from tempdata.core.seeding import DEFAULT_REFERENCE_DATE, Seeder, name_hash
from tempdata.errors import InvalidParameterError


def test_name_hash_is_first_eight_bytes_of_blake2b_big_endian() -> None:
    digest = hashlib.blake2b(b"sales").digest()
    assert name_hash("sales") == int.from_bytes(digest[:8], "big")
    assert name_hash("sales") != name_hash("sale")
    assert 0 <= name_hash("é") < 2**64


def test_stream_follows_the_design_formula() -> None:
    expected = np.random.default_rng(
        np.random.SeedSequence(42, spawn_key=(name_hash("sales"), name_hash("amount"), 3))
    ).random(5)
    assert np.array_equal(Seeder(42).stream("sales", "amount", 3).random(5), expected)


def test_streams_differ_by_dataset_column_chunk_and_seed() -> None:
    base = Seeder(1).stream("d", "c", 0).random(4)
    for other in (
        Seeder(2).stream("d", "c", 0),
        Seeder(1).stream("e", "c", 0),
        Seeder(1).stream("d", "x", 0),
        Seeder(1).stream("d", "c", 1),
    ):
        assert not np.array_equal(other.random(4), base)


def test_seeded_run_never_reads_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom() -> None:
        raise AssertionError("clock read")

    monkeypatch.setattr(seeding, "_now_ms", boom)
    monkeypatch.setattr(seeding, "_today", boom)
    s = Seeder(7)
    assert (s.seed, s.reference_date) == (7, DEFAULT_REFERENCE_DATE)


def test_unseeded_takes_clock_milliseconds_and_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(seeding, "_now_ms", lambda: 2**32 * 5 + 123_456)
    monkeypatch.setattr(seeding, "_today", lambda: dt.date(2030, 5, 6))
    monkeypatch.setattr(seeding, "_issued", set())
    s = Seeder()
    assert (s.seed, s.reference_date, s.seeded) == (123_456, dt.date(2030, 5, 6), False)
    # Same millisecond again: the seed is bumped, never shared within a process.
    assert Seeder().seed == 123_457


def test_reference_date_can_be_given() -> None:
    assert Seeder(1, reference_date="2024-02-29").reference_date == dt.date(2024, 2, 29)
    assert Seeder(1, reference_date=dt.datetime(2024, 1, 2, 3)).reference_date == dt.date(
        2024, 1, 2
    )


@pytest.mark.parametrize("bad", [-1, 1.5, "42", True, [1]])
def test_bad_seeds_are_rejected(bad: object) -> None:
    with pytest.raises(InvalidParameterError, match="seed"):
        Seeder(bad)  # type: ignore[arg-type]


def test_bad_reference_date_is_rejected() -> None:
    with pytest.raises(InvalidParameterError, match="reference_date"):
        Seeder(1, reference_date="31/12/2025")


def test_context_and_temporal_seeds_are_stable_and_distinct() -> None:
    a, b = Seeder(9), Seeder(9)
    assert a.context_seed("sales.amount") == b.context_seed("sales.amount")
    assert a.context_seed("sales.amount") != a.context_seed("sales.discount")
    assert a.context_seed("x") != Seeder(10).context_seed("x")
    assert a.temporal_seed(3600) == b.temporal_seed(3600) != a.temporal_seed(7200)
    assert 0 <= a.temporal_seed(-60) < 2**64


def test_coerce_keeps_a_seeder_and_applies_a_new_reference_date() -> None:
    s = Seeder(3)
    assert Seeder.coerce(s) is s
    moved = Seeder.coerce(s, reference_date="2020-01-01")
    assert (moved.seed, moved.reference_date) == (3, dt.date(2020, 1, 1))
    assert Seeder.coerce(4).seed == 4
