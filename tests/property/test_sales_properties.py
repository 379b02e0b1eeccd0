"""Hypothesis properties of sales over row counts 1..150,000 (chunk edges included)."""

from __future__ import annotations

import datetime as dt
from functools import cache

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

import tempdata
from tempdata.datasets.business import default_products
from tests.conftest import make_params

DATES = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31))


@cache
def products(seed: int, rows: int) -> pl.DataFrame:
    return tempdata.generate("products", rows=rows, seed=seed)


@settings(max_examples=12, deadline=None)
@given(
    rows=st.integers(min_value=1, max_value=150_000),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    start=DATES,
    days=st.integers(min_value=0, max_value=800),
)
@example(rows=1, seed=0, start=dt.date(2024, 2, 29), days=0)
@example(rows=50_000, seed=1, start=dt.date(2024, 1, 1), days=365)
@example(rows=50_001, seed=2, start=dt.date(2024, 11, 1), days=60)
@example(rows=150_000, seed=3, start=dt.date(2023, 1, 1), days=730)
def test_sales_invariants(rows: int, seed: int, start: dt.date, days: int) -> None:
    end = start + dt.timedelta(days=days)
    sales = tempdata.generate("sales", rows=rows, seed=seed, date_range=(start, end))
    assert sales.height == rows
    assert sales["transaction_id"].n_unique() == rows
    assert (sales["amount"] > 0).all()
    assert sales.filter((pl.col("payment_method") == "cash") & (pl.col("amount") > 500)).is_empty()
    assert sales["date"].min() >= dt.datetime.combine(start, dt.time())
    assert sales["date"].max() <= dt.datetime.combine(end, dt.time(23, 59, 59, 999_999))
    assert sales["date"].is_sorted()
    # unit_price is the product's list price in the products table of the same seed.
    catalogue = products(seed, default_products(make_params(rows)))
    joined = sales.join(
        catalogue.select("product_id", "unit_price"), on="product_id", how="left", suffix="_product"
    )
    assert joined["unit_price_product"].null_count() == 0
    assert (joined["unit_price"] == joined["unit_price_product"]).all()
    gross = sales["quantity"] * sales["unit_price"]
    assert ((gross - sales["discount"] - sales["amount"]).abs() <= 0.006).all()


@settings(max_examples=6, deadline=None)
@given(
    rows=st.integers(min_value=1, max_value=120_000),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
@example(rows=100_001, seed=5)
def test_customers_ids_and_emails_unique(rows: int, seed: int) -> None:
    customers = tempdata.generate(
        "customers", rows=rows, seed=seed, columns=["customer_id", "email", "age"]
    )
    assert customers.height == rows
    assert customers["customer_id"].n_unique() == rows
    assert customers["email"].n_unique() == rows
    assert customers["age"].min() >= 18
