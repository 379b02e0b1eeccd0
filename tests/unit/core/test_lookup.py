"""Lookups from a parent kept on disk (tempdata.core.lookup) give exactly what a gather
from the whole parent in memory gives, for every type, with nulls, across batches."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tempdata
from tempdata import samplers as s
from tempdata.core import lookup
from tempdata.core.lookup import ParentStore, shared_store
from tempdata.core.plan import Dataset, col
from tempdata.datasets.business import PRODUCT_ID

SEGMENTS = pl.Enum(["consumer", "corporate", "home office"])


def parent(rows: int) -> pl.DataFrame:
    i = np.arange(rows)
    return pl.DataFrame(
        {
            "name": [f"customer {k} of a long street name" for k in i],
            "price": i * 0.25,
            "count": i.astype(np.int32),
            "vip": i % 7 == 0,
            "segment": pl.Series(np.array(SEGMENTS.categories)[i % 3]).cast(SEGMENTS),
            "city": pl.Series([f"city {k % 50}" for k in i]).cast(pl.Categorical),
            "joined": pl.datetime_range(
                dt.datetime(2020, 1, 1),
                dt.datetime(2020, 1, 1) + dt.timedelta(minutes=rows - 1),
                "1m",
                eager=True,
            ),
            "born": pl.Series(
                [dt.date(1950, 1, 1) + dt.timedelta(days=int(k)) for k in i % 20_000]
            ),
            "balance": pl.Series([Decimal(int(k)) / 100 for k in i], dtype=pl.Decimal(12, 2)),
            "note": pl.Series(["x" if k % 5 else None for k in i], dtype=pl.String),
        }
    )


def chunks(frame: pl.DataFrame, cuts: list[int]) -> list[pl.DataFrame]:
    return [frame.slice(a, b - a) for a, b in zip([0, *cuts], [*cuts, frame.height], strict=True)]


@pytest.fixture(
    scope="module",
    # Batches of one size but the last (a row's batch is a division), or of any sizes.
    params=[list(range(5_000, 23_456, 5_000)), [7, 5_000, 5_001, 12_000, 20_000]],
    ids=["even", "uneven"],
)
def stored(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[pl.DataFrame, ParentStore]:
    whole = parent(23_456)
    path = tmp_path_factory.mktemp("store") / "p.arrow"
    return whole, ParentStore.write(path, chunks(whole, request.param), whole.schema)


@settings(max_examples=40, deadline=None)
@given(picks=st.lists(st.one_of(st.none(), st.integers(0, 23_455)), min_size=0, max_size=300))
def test_a_store_gathers_what_memory_gathers(
    stored: tuple[pl.DataFrame, ParentStore], picks: list[int | None]
) -> None:
    whole, store = stored
    index = pl.Series("i", picks, dtype=pl.Int64)
    got = store.gather(index)
    assert got.schema == whole.schema
    assert got.equals(lookup.gather(whole, index))
    some = ["joined", "name"]  # a subset, in another order
    assert store.gather(index, some).equals(lookup.gather(whole.select(some), index))


def test_a_store_reads_back_every_row_in_order(stored: tuple[pl.DataFrame, ParentStore]) -> None:
    whole, store = stored
    assert store.rows == whole.height
    assert store.gather(pl.Series(np.arange(whole.height))).equals(whole)


def test_a_position_outside_the_parent_is_an_error(
    stored: tuple[pl.DataFrame, ParentStore],
) -> None:
    _, store = stored
    with pytest.raises(IndexError, match="row 23456 is outside the parent's 23,456 rows"):
        store.gather(pl.Series([0, 23_456]))


def test_an_interrupted_write_leaves_no_store(tmp_path: Path) -> None:
    def broken() -> object:
        yield parent(10)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ParentStore.write(tmp_path / "p.arrow", broken(), parent(1).schema)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["sales", "ecommerce", "order_lines"])
def test_catalogue_lookups_are_the_same_from_disk(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Sales copy product prices, orders their customer's place, lines the product's
    # price and category: the same values whichever way the parent is kept.
    in_memory = tempdata.generate(name, rows=60_000, seed=8)
    monkeypatch.setattr(lookup, "LOOKUP_IN_MEMORY_ROWS", 0)
    lookup.stores.clear()
    assert tempdata.generate(name, rows=60_000, seed=8).equals(in_memory)
    assert lookup.stores._stores, "the disk path was not taken"


def test_a_parent_too_large_for_memory_is_looked_up_from_disk(tmp_path: Path) -> None:
    # Five million products are more than a whole in-memory parent may hold; their
    # prices are written to a store chunk by chunk and gathered from there.
    fk = s.foreign_key("products", PRODUCT_ID, size=5_000_000)
    ds = Dataset(
        "big", description="", columns=[col("p", fk), col("price", s.lookup("p", fk, "unit_price"))]
    )
    frame = tempdata.generate(ds, rows=2_000, seed=1)
    index = PRODUCT_ID.index_of(frame["p"]).to_numpy()
    assert index.max() > 2_000_000
    # A product's price is the one its own chunk of the products dataset gives.
    products = tempdata.stream("products", rows=5_000_000, seed=1, columns=["unit_price"])
    for row in range(20):
        chunk = products.planner.chunk(int(index[row]) // 50_000)
        assert frame["price"][row] == chunk["unit_price"][int(index[row]) % 50_000]


_start: Any = None


def _wait_at(barrier: Any) -> None:
    global _start  # set once per worker process
    _start = barrier


def _build_shared(path: str, log: str) -> int:
    """In a worker process: ask for the shared store at ``path`` when every worker
    does (a barrier); log each write."""
    whole = parent(60_000)
    _start.wait()

    def frames() -> Iterator[pl.DataFrame]:
        with open(log, "a") as fh:
            fh.write(f"{os.getpid()}\n")
        yield from chunks(whole, [20_000, 40_000])

    return shared_store(Path(path), whole.schema, frames).rows


def test_processes_asking_at_once_share_one_store(tmp_path: Path) -> None:
    # Four processes want the same store: one writes it, the others wait and map it.
    path, log = tmp_path / "spill" / "p.arrow", tmp_path / "writes.log"
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(4)
    with ProcessPoolExecutor(
        4, mp_context=spawn, initializer=_wait_at, initargs=(barrier,)
    ) as pool:
        rows = list(pool.map(_build_shared, [str(path)] * 4, [str(log)] * 4))
    assert rows == [60_000] * 4
    assert len(log.read_text().split()) == 1
    again = shared_store(path, parent(1).schema, lambda: pytest.fail("written twice"))
    assert again.gather(pl.Series([59_999])).equals(parent(60_000).tail(1))


def test_without_file_locks_a_shared_store_is_still_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Some network disks refuse locks: each process then writes the same store itself.
    import fcntl

    def refuse(*_: object) -> None:
        raise OSError(37, "No locks available")

    monkeypatch.setattr(fcntl, "flock", refuse)
    whole = parent(1_000)
    store = shared_store(tmp_path / "p.arrow", whole.schema, lambda: [whole])
    assert store.gather(pl.Series(range(1_000))).equals(whole)
    again = shared_store(tmp_path / "p.arrow", whole.schema, lambda: pytest.fail("rewritten"))
    assert again.rows == 1_000


def test_a_run_keeps_its_stores_beside_the_output_and_removes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not in /tmp (often memory): in a hidden folder beside the file, gone afterwards,
    # whether the run ends well or not.
    monkeypatch.setattr(lookup, "LOOKUP_IN_MEMORY_ROWS", 0)
    seen: list[list[str]] = []

    def look(chunk: object) -> None:
        seen.append(sorted(p.name for p in tmp_path.glob(".td-*.tmp/*.arrow")))

    tempdata.create_dataset(
        tmp_path / "s.parquet", rows=60_000, seed=3, dataset="sales", on_chunk=look
    )
    assert seen
    assert all(names == seen[0] and len(names) == 1 for names in seen)
    assert seen[0][0].startswith("products-generated-")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.parquet"]

    def broken(chunk: object) -> None:
        look(chunk)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        tempdata.create_dataset(
            tmp_path / "t.csv", rows=60_000, seed=3, dataset="sales", on_chunk=broken
        )
    assert seen[-1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.parquet"]
