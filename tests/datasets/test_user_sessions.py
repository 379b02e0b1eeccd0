"""user_sessions: reproducible, chunk-independent, and shaped like web analytics."""

from __future__ import annotations

import polars as pl
import pytest

import tempdata
from tempdata.datasets import registry
from tempdata.datasets.sessions import BROWSERS, OPERATING_SYSTEMS
from tempdata.quality.checks import evaluate

ROWS = 200_000  # four chunks
WEEK = ("2025-03-03", "2025-03-09")


@pytest.fixture(scope="module")
def week() -> pl.DataFrame:
    return tempdata.generate("user_sessions", rows=ROWS, seed=5, date_range=WEEK)


def _rate(frame: pl.DataFrame, by: str) -> dict[str, float]:
    rates = frame.group_by(by).agg(pl.col("converted").mean())
    return dict(zip(rates[by].cast(pl.String), rates["converted"], strict=True))


def test_passes_its_checks(week: pl.DataFrame) -> None:
    report = evaluate(week, registry.get("user_sessions"))
    assert report.ok, report.failures()


def test_checks_catch_inconsistent_devices(week: pl.DataFrame) -> None:
    broken = week.head(3).with_columns(
        device=pl.Series(["mobile", "desktop", "tablet"]).cast(week["device"].dtype),
        os=pl.Series(["Windows", "iOS", "Linux"]).cast(week["os"].dtype),
    )
    report = evaluate(broken, registry.get("user_sessions"))
    assert report.failures()["os_matches_device"] == 3


def test_same_seed_same_data() -> None:
    a = tempdata.generate("user_sessions", rows=3_000, seed=11)
    assert a.equals(tempdata.generate("user_sessions", rows=3_000, seed=11))
    b = tempdata.generate("user_sessions", rows=3_000, seed=12)
    assert not a.drop("currency").equals(b.drop("currency"))


def test_chunks_generated_alone_equal_the_whole(week: pl.DataFrame) -> None:
    parts = [
        pl.concat(
            list(tempdata.stream("user_sessions", rows=ROWS, seed=5, date_range=WEEK, chunks=r))
        )
        for r in (range(0, 1), range(1, 3), range(3, 4))
    ]
    assert pl.concat(parts).equals(week)


def test_conversion_depends_on_device_and_channel(week: pl.DataFrame) -> None:
    device = _rate(week, "device")
    assert device["desktop"] > 1.3 * device["mobile"], device
    channel = _rate(week, "channel")
    assert channel["email"] > 2 * channel["social"], channel
    assert channel["direct"] > 2 * channel["social"], channel
    assert 0.005 < week["converted"].mean() < 0.05
    visits = week.filter(~pl.col("bounced"))
    deep = visits.filter(pl.col("pages_viewed") >= 8)["converted"].mean()
    shallow = visits.filter(pl.col("pages_viewed") <= 3)["converted"].mean()
    assert deep > 1.5 * shallow, (deep, shallow)


def test_bounces_and_revenue(week: pl.DataFrame) -> None:
    bounces = week.filter(pl.col("bounced"))
    assert 0.3 < bounces.height / week.height < 0.6
    assert (bounces["pages_viewed"] == 1).all()
    assert not bounces["converted"].any()
    assert bounces["duration_s"].median() < week.filter(~pl.col("bounced"))["duration_s"].median()
    assert ((week["revenue"] > 0) == week["converted"]).all()
    # Heavy-tailed duration; pages grow with it.
    assert week["duration_s"].quantile(0.99) > 10 * week["duration_s"].median()
    visits = week.filter(~pl.col("bounced"))
    assert visits.select(pl.corr("duration_s", "pages_viewed", method="spearman")).item() > 0.5


def test_os_and_browser_follow_device(week: pl.DataFrame) -> None:
    pairs = week.select(pl.col("device").cast(pl.String), pl.col("os").cast(pl.String)).unique()
    for device, os in pairs.iter_rows():
        assert os in OPERATING_SYSTEMS[device], (device, os)
    pairs = week.select(pl.col("os").cast(pl.String), pl.col("browser").cast(pl.String)).unique()
    for os, browser in pairs.iter_rows():
        assert browser in BROWSERS[os], (os, browser)
    ios = week.filter(pl.col("os") == "iOS")["browser"].cast(pl.String)
    assert (ios == "Safari").mean() > 0.7
    android = week.filter(pl.col("os") == "Android")["browser"].cast(pl.String)
    assert (android == "Chrome").mean() > 0.6
    windows = week.filter(pl.col("os") == "Windows")["browser"].cast(pl.String)
    assert (windows == "Edge").mean() > 0.1


def test_returning_users_and_diurnal_profile(week: pl.DataFrame) -> None:
    counts = week["user_id"].value_counts()["count"]
    assert counts.max() > 50
    assert (counts > 1).sum() > 0.05 * counts.len()
    hours = week["started_at"].dt.hour()
    assert (hours == 20).sum() > 5 * (hours == 4).sum()


def test_revenue_in_the_countrys_currency() -> None:
    frame = tempdata.generate("user_sessions", rows=20_000, seed=3, country="japan")
    assert set(frame["currency"]) == {"JPY"}
    assert set(frame["country"].cast(pl.String)) == {"Japan"}
    paid = frame.filter(pl.col("converted"))["revenue"]
    assert paid.len() > 0
    assert (paid % 1 == 0).all()  # yen have no minor units
    assert 3_000 < paid.median() < 30_000
