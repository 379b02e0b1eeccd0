"""Hypothesis properties of user_profiles and social_posts over seeds, sizes (chunk edges
included), countries and date ranges: every registered invariant holds, posts agree
with the accounts of the same seed, and any chunk range equals its slice of the whole."""

from __future__ import annotations

import datetime as dt
from functools import cache

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

import tempdata
from tempdata.datasets import registry
from tempdata.datasets.social import VERIFIED_MIN_FOLLOWERS, default_users
from tempdata.quality.checks import evaluate
from tests.conftest import make_params

COUNTRIES = st.sampled_from(
    ["global", "united_states", "germany", "japan", "india", "brazil", "sweden", "egypt"]
)
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


@cache
def accounts(rows: int, seed: int, country: str) -> pl.DataFrame:
    return tempdata.generate("user_profiles", rows=rows, seed=seed, country=country)


@settings(max_examples=8, deadline=None)
@given(rows=st.integers(min_value=1, max_value=120_000), seed=SEEDS, country=COUNTRIES)
@example(rows=1, seed=0, country="global")
@example(rows=50_001, seed=1, country="japan")
def test_profile_invariants(rows: int, seed: int, country: str) -> None:
    frame, info = tempdata.generate(
        "user_profiles", rows=rows, seed=seed, country=country, with_info=True
    )
    assert frame.height == rows
    report = evaluate(frame, registry.get("user_profiles"))
    assert report.skipped == ()
    assert report.ok, report.failures()
    assert frame["username"].n_unique() == rows
    assert frame["joined_at"].max() < dt.datetime.combine(  # type: ignore[operator]
        info.reference_date + dt.timedelta(days=1), dt.time()
    )
    assert frame["joined_at"].is_sorted()
    assert (frame["following"] >= 0).all()
    verified = frame.filter("verified")["followers"]
    assert verified.is_empty() or verified.min() >= VERIFIED_MIN_FOLLOWERS  # type: ignore[operator]


@settings(max_examples=8, deadline=None)
@given(
    rows=st.integers(min_value=1, max_value=120_000),
    seed=SEEDS,
    country=COUNTRIES,
    start=st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2026, 6, 30)),
    days=st.integers(min_value=0, max_value=400),
)
@example(rows=1, seed=0, country="global", start=dt.date(2025, 3, 30), days=0)
@example(rows=50_001, seed=2, country="united_states", start=dt.date(2024, 11, 1), days=7)
def test_post_invariants(rows: int, seed: int, country: str, start: dt.date, days: int) -> None:
    end = start + dt.timedelta(days=days)
    posts = tempdata.generate(
        "social_posts", rows=rows, seed=seed, country=country, date_range=(start, end)
    )
    assert posts.height == rows
    report = evaluate(posts, registry.get("social_posts"))
    assert report.skipped == ()
    assert report.ok, report.failures()
    assert posts["created_at"].is_sorted()
    assert posts["created_at"].min() >= dt.datetime.combine(start, dt.time())  # type: ignore[operator]
    assert posts["created_at"].max() <= dt.datetime.combine(end, dt.time.max)  # type: ignore[operator]
    # The authors and every mentioned account exist and had joined before the post.
    users = accounts(default_users(make_params(rows)), seed, country).select(
        "user_id", "username", "joined_at"
    )
    authors = posts.join(users, left_on="author_id", right_on="user_id", how="left")
    assert authors["username"].null_count() == 0
    assert (authors["author_username"] == authors["username"]).all()
    assert (authors["joined_at"] <= authors["created_at"]).all()
    mentions = (
        posts.select("created_at", target=pl.col("mentions").str.split(" "))
        .explode("target")
        .drop_nulls()
        .with_columns(pl.col("target").str.strip_prefix("@"))
        .join(users, left_on="target", right_on="username", how="left")
    )
    assert mentions["joined_at"].null_count() == 0
    assert (mentions["joined_at"] <= mentions["created_at"]).all()
    assert posts.select((pl.col("likes") >= 0).all() & (pl.col("comments") >= 0).all()).item()


@settings(max_examples=4, deadline=None)
@given(
    name=st.sampled_from(["user_profiles", "social_posts"]),
    rows=st.integers(min_value=2, max_value=110_000),
    seed=SEEDS,
    country=COUNTRIES,
)
@example(name="social_posts", rows=100_001, seed=3, country="global")
def test_any_chunk_range_equals_the_slice_of_the_whole(
    name: str, rows: int, seed: int, country: str
) -> None:
    whole = tempdata.generate(name, rows=rows, seed=seed, country=country)
    last = (rows - 1) // 50_000
    first = last // 2
    part = pl.concat(
        list(
            tempdata.stream(
                name, rows=rows, seed=seed, country=country, chunks=range(first, last + 1)
            )
        )
    )
    assert part.equals(whole.slice(first * 50_000))
