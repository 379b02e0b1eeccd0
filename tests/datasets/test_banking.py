"""The banking dataset: balances, IBANs, fraud, and chunk independence."""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import warnings
from concurrent.futures import ProcessPoolExecutor

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tempdata
from tempdata.datasets import registry
from tempdata.finance.iban import COUNTRIES
from tempdata.quality.checks import evaluate

ROWS = 120_000  # three chunks; accounts straddle chunk edges


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    return tempdata.generate("banking", rows=ROWS, seed=11)


def _balances_ok(df: pl.DataFrame) -> bool:
    prev = pl.col("balance_after").shift(1).over("account_id")
    bad = df.filter(
        prev.is_not_null() & ((prev + pl.col("amount") - pl.col("balance_after")).abs() > 0.004)
    )
    return bad.is_empty()


def test_balance_is_previous_plus_amount(frame: pl.DataFrame) -> None:
    assert _balances_ok(frame)
    # Rows are grouped by account and in time order within each.
    assert frame["account_id"].is_sorted()
    per = frame.group_by("account_id").agg(pl.col("booked_at").is_sorted().alias("s"))
    assert per["s"].all()
    # Balances stay believable: salaries pay for rent, bills and spending.
    last = frame.group_by("account_id").agg(
        pl.col("balance_after").last() / pl.col("amount").filter(pl.col("type") == "salary").max()
    )
    assert last["balance_after"].median() > -2


def test_ibans_validate_independently(frame: pl.DataFrame) -> None:
    schwifty = pytest.importorskip("schwifty")
    accounts = frame.unique("account_id")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for value in accounts["iban"].to_list():
            schwifty.IBAN(value, validate_bban=True)
    assert accounts["iban"].is_unique().all()


def _chunk_worker(index: int) -> bytes:
    frames = list(tempdata.stream("banking", rows=ROWS, seed=11, chunks=range(index, index + 1)))
    buffer = io.BytesIO()
    frames[0].write_ipc(buffer)
    return buffer.getvalue()


def test_chunked_in_four_processes_equals_sequential(frame: pl.DataFrame) -> None:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=4, mp_context=context) as pool:
        parts = list(pool.map(_chunk_worker, [2, 0, 1]))
    frames = [pl.read_ipc(io.BytesIO(p)) for p in parts]
    assert pl.concat([frames[1], frames[2], frames[0]]).equals(frame)
    # A chunk alone (its first account started in the chunk before) equals its slice.
    alone = pl.concat(list(tempdata.stream("banking", rows=ROWS, seed=11, chunks=range(1, 2))))
    assert alone.equals(frame.slice(50_000, 50_000))


def test_golden_hash() -> None:
    df = tempdata.generate("banking", rows=2_000, seed=42)
    digest = hashlib.sha256(df.write_csv().encode()).hexdigest()[:16]
    assert digest == GOLDEN, digest


GOLDEN = "65edf5564b8d7fc6"


def test_fraud_share_and_patterns(frame: pl.DataFrame) -> None:
    fraud = frame.filter(pl.col("is_fraud"))
    share = fraud.height / frame.height
    assert 0.001 <= share <= 0.005, share
    patterns = set(fraud["fraud_pattern"].cast(pl.String).to_list())
    assert patterns == {"odd_hour", "abroad", "burst", "under_limit"}
    odd = fraud.filter(pl.col("fraud_pattern") == "odd_hour")
    assert odd["booked_at"].dt.hour().is_between(1, 4).all()
    abroad = fraud.filter(pl.col("fraud_pattern") == "abroad")
    assert (abroad["merchant_country"] != abroad["country"]).all()
    burst = fraud.filter(pl.col("fraud_pattern") == "burst")
    gaps = burst.group_by("account_id").agg(pl.col("booked_at").diff().dt.total_minutes().max())
    assert (gaps["booked_at"].drop_nulls() < 60).mean() > 0.8
    normal = frame.filter(~pl.col("is_fraud") & (pl.col("type") == "card_purchase"))
    assert normal["booked_at"].dt.hour().is_between(1, 4).mean() < 0.02


def test_monthly_salary_and_rent(frame: pl.DataFrame) -> None:
    one = frame.filter(pl.col("account_id") == frame["account_id"].mode()[0])
    salaries = one.filter(pl.col("type") == "salary")
    assert salaries["amount"].n_unique() == 1
    months = salaries["booked_at"].dt.month()
    assert months.is_unique().all()
    assert frame.filter(pl.col("type") == "card_purchase")["mcc"].is_in([0, 6011]).sum() == 0


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    rows=st.integers(1, 3_000),
    country=st.sampled_from(["global", *COUNTRIES]),
)
def test_invariants_hold_for_any_seed_size_country(seed: int, rows: int, country: str) -> None:
    df = tempdata.generate("banking", rows=rows, seed=seed, country=country)
    assert df.height == rows
    report = evaluate(df, registry.get("banking"))
    assert report.ok, report.failures()
    if country != "global":
        assert df["country"].unique().to_list() == [country]


def test_country_without_ibans_is_rejected() -> None:
    with pytest.raises(tempdata.TempDataError, match="no IBANs"):
        tempdata.generate("banking", rows=10, seed=1, country="united_states")


@pytest.mark.parametrize("country", ["germany", "united kingdom", "spain", "poland"])
def test_salaries_and_transfers_are_booked_on_banking_days(country: str) -> None:
    from tempdata.calendar import public_holidays

    frame = tempdata.generate(
        "banking", 60_000, seed=4, country=country, date_range=("2023-01-01", "2024-12-31")
    ).with_columns(day=pl.col("booked_at").dt.date(), weekday=pl.col("booked_at").dt.weekday())
    holidays = [
        d for year in (2023, 2024) for d in public_holidays(country, year)["date"].to_list()
    ]
    banked = frame.filter(pl.col("type").is_in(["salary", "transfer_in", "transfer_out"]))
    assert banked.height > 1_000
    assert banked.filter(pl.col("weekday") >= 6).height == 0
    assert banked.filter(pl.col("day").is_in(holidays)).height == 0
    # a pay day on a weekend or holiday moves to the banking day before: Friday takes
    # the pay days of Saturday and Sunday
    salary = frame.filter(pl.col("type") == "salary")
    by_weekday = dict(salary.group_by("weekday").len().iter_rows())
    assert by_weekday[5] > 1.5 * by_weekday[3]
    # card payments come on any day
    cards = frame.filter(pl.col("type") == "card_purchase")
    assert cards.filter(pl.col("weekday") == 7).height > 0.08 * cards.height
