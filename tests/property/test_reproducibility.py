"""The reproducibility contract of DESIGN §2, end to end on catalogue datasets."""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import polars as pl
import pytest

import tempdata
from tempdata import samplers as s
from tempdata.core import seeding
from tempdata.core.plan import Dataset, col
from tempdata.datasets import registry

ROWS = 120_000  # three chunks, the last one partial


def frame_hash(frame: pl.DataFrame) -> str:
    buffer = io.BytesIO()
    frame.write_csv(buffer)
    return hashlib.sha256(buffer.getvalue()).hexdigest()


@pytest.mark.parametrize("name", ["sales", "customers", "products"])
def test_same_seed_same_frame_different_seed_different_frame(name: str) -> None:
    a = tempdata.generate(name, rows=2_000, seed=11)
    assert a.equals(tempdata.generate(name, rows=2_000, seed=11))
    b = tempdata.generate(name, rows=2_000, seed=12)
    assert not a.equals(b)
    # Different seeds differ in (almost) every random column, not just one.
    differing = [c for c in a.columns if not a[c].equals(b[c])]
    assert len(differing) >= len(a.columns) - 2


def test_same_seed_same_parquet_bytes(tmp_path: Path) -> None:
    a = tempdata.create_dataset(tmp_path / "a" / "sales.parquet", rows=ROWS, seed=3)
    b = tempdata.create_dataset(tmp_path / "b" / "sales.parquet", rows=ROWS, seed=3)
    assert pl.read_parquet(a).equals(pl.read_parquet(b))
    assert a.read_bytes() == b.read_bytes()
    assert pl.read_parquet(a).equals(tempdata.generate("sales", rows=ROWS, seed=3))


def test_adding_a_column_to_a_catalogue_dataset_leaves_the_others_unchanged() -> None:
    sales = registry.get("sales")
    extended = Dataset(
        "sales",
        description=sales.description,
        columns=[col("coupon", s.uuid4s()), *sales.items, col("score", s.normal(0, 1))],
        rules=sales.rules,
    )
    base = tempdata.generate("sales", rows=3_000, seed=8)
    more = tempdata.generate(extended, rows=3_000, seed=8)
    assert more.drop("coupon", "score").equals(base)


def test_dropping_or_selecting_columns_keeps_values() -> None:
    full = tempdata.generate("sales", rows=3_000, seed=8)
    assert tempdata.generate("sales", rows=3_000, seed=8, drop=["unit_price", "discount"]).equals(
        full.drop("unit_price", "discount")
    )
    assert tempdata.generate("sales", rows=3_000, seed=8, columns=["amount", "date"]).equals(
        full.select("amount", "date")
    )


def _chunk_worker(args: tuple[str, int, int]) -> bytes:
    name, index, seed = args
    import polars as pl  # noqa: F401 — the worker's own import

    frames = list(tempdata.stream(name, rows=ROWS, seed=seed, chunks=range(index, index + 1)))
    buffer = io.BytesIO()
    frames[0].write_ipc(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["sales", "customers"])
def test_chunks_from_four_processes_equal_the_sequential_run(name: str) -> None:
    sequential = tempdata.generate(name, rows=ROWS, seed=21)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=4, mp_context=context) as pool:
        parts = list(pool.map(_chunk_worker, [(name, i, 21) for i in (2, 0, 1)]))
    frames = [pl.read_ipc(io.BytesIO(p)) for p in parts]
    assert pl.concat([frames[1], frames[2], frames[0]]).equals(sequential)


def test_chunk_range_alone_equals_the_slice_of_the_whole() -> None:
    whole = tempdata.generate("sales", rows=ROWS, seed=4)
    tail = pl.concat(list(tempdata.stream("sales", rows=ROWS, seed=4, chunks=range(1, 3))))
    assert tail.equals(whole.slice(50_000))


def test_seeded_results_do_not_change_with_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    before = tempdata.generate("customers", rows=1_000, seed=99)

    def no_clock() -> None:
        raise AssertionError("a seeded run read the clock")

    monkeypatch.setattr(seeding, "_now_ms", no_clock)
    monkeypatch.setattr(seeding, "_today", no_clock)
    monkeypatch.setattr(time, "time", lambda: 4_000_000_000.0)
    monkeypatch.setattr(time, "time_ns", lambda: 4_000_000_000 * 10**9)
    assert tempdata.generate("customers", rows=1_000, seed=99).equals(before)


def test_unseeded_runs_report_seed_and_reference_date_and_replay(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import datetime as dt

    monkeypatch.setattr(seeding, "_today", lambda: dt.date(2031, 3, 4))
    frame, info = tempdata.generate("sales", rows=2_000, with_info=True)
    assert info.reference_date == dt.date(2031, 3, 4)
    assert frame["date"].max() <= dt.datetime(2031, 3, 4, 23, 59, 59, 999_999)
    # Replay on another day: the recorded reference date wins over the clock.
    monkeypatch.setattr(seeding, "_today", lambda: dt.date(2040, 1, 1))
    assert tempdata.generate("sales", **info.replay_kwargs()).equals(frame)
    assert tempdata.generate(
        "sales", rows=2_000, seed=info.seed, reference_date=info.reference_date
    ).equals(frame)
    other = tempdata.generate("sales", rows=2_000, with_info=True)[1]
    assert other.seed != info.seed


def test_stream_reports_its_seed() -> None:
    chunks = tempdata.stream("products", rows=10)
    assert isinstance(chunks.info.seed, int)
    frame = pl.concat(list(chunks))
    assert frame.equals(tempdata.generate("products", rows=10, seed=chunks.info.seed))


# Golden hashes of small fixed outputs: a change here means the data of every seeded
# user changes. Update only on purpose, with a note in the changelog.
GOLDEN = {
    "appointments": "88c6e8d9ae4d80a608d7970602336de50fd442897f3108660a8fb4a26c785da7",
    "energy": "b96050b60d82bab093928b2aaca41516fbdbaa67be004c7ccf05d4205a5c8124",
    "iot_sensors": "4a7f9159254f5195ff0b9b86954b376cf7260bc8ef779ae892d28a574aac5fa6",
    "patients": "e1a06cb369ba5c6a8dcc8078f7433363bc52b1d84bc40a501c17e2ef9c56be59",
    "system_metrics": "52298c5cfefcdf6031a8719121db2d4b036656e447c59053d761504d60e4737c",
    "user_sessions": "9d0b59425b5191e98da5a4849587171e27c218ed9bb027cfc1d34f147e1409ac",
    "weather": "4bfa20df5d1b08adfdb686538b745c1c4fd8eb7db53c8973201d9e537442e236",
    "web_logs": "07d60b5c8218d412ac047399613c45c47d52f675c82373a002e5e944e410bd52",
    "sales": "12ebf43873c6be33a8ad72c09e444e85707bee8929f04ab0b75d5a83bb260842",
    "customers": "c28b410eb8cfdde6e9edef8685453c35739c9615ed8d6c5ca67dc87f00fe4048",
    "products": "8d40763a8ae7a34ba5bacf6cd437cdd8b48c7054773aa9e1105d28e832bfb90a",
}


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_hash(name: str) -> None:
    frame = tempdata.generate(name, rows=300, seed=20240601, country="global")
    assert frame_hash(frame) == GOLDEN[name]


@pytest.mark.parametrize("name", ["sales", "customers", "products"])
def test_row_values_do_not_depend_on_the_row_count(name: str) -> None:
    """Row i is the same for any row count, except in the columns the dataset names."""
    dataset = registry.get(name)
    small = tempdata.generate(name, rows=700, seed=13)
    large = tempdata.generate(name, rows=60_000, seed=13).head(700)
    for column in small.columns:
        if column in dataset.depends_on_rows:
            continue
        assert small[column].equals(large[column]), column


def test_a_lookup_sees_the_parent_as_generated_alone() -> None:
    from tempdata.datasets.business import CUSTOMER_ID

    fk = s.foreign_key("customers", CUSTOMER_ID, size=200, skew=0.7)
    orders = Dataset(
        "orders",
        description="",
        columns=[
            col("customer_id", fk),
            col("since", s.lookup("customer_id", fk, "registration_date", dtype=pl.Datetime("us"))),
            col("city", s.lookup("customer_id", fk, "city", dtype=pl.String())),
        ],
    )
    frame = tempdata.generate(orders, rows=1_000, seed=4, date_range=("2020-01-01", "2020-01-31"))
    parent = tempdata.generate("customers", rows=200, seed=4)
    joined = frame.join(parent, on="customer_id", how="left")
    assert (joined["since"] == joined["registration_date"]).all()
    assert (joined["city"] == joined["city_right"]).all()
