"""``system_metrics`` through the public API: the time-series contract (same seed same
data, chunk independence, time anchoring), its invariants and its load patterns."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

import tempdata
from tempdata.datasets.technology import host_names, system_metrics
from tempdata.errors import InvalidParameterError
from tempdata.quality.checks import evaluate

ROWS = 120_000  # three chunks, the last one partial
METRICS = [
    "cpu_pct",
    "memory_pct",
    "disk_pct",
    "disk_io_mbps",
    "network_in_mbps",
    "network_out_mbps",
    "load_avg",
]


@pytest.fixture(scope="module")
def week() -> pl.DataFrame:
    """A week of 5-minute metrics of 20 hosts (40,320 rows)."""
    return tempdata.generate(
        system_metrics, seed=3, interval="5min", date_range=("2024-03-04", "2024-03-10T23:59")
    )


def test_same_seed_same_frame_different_seed_different_frame() -> None:
    a = tempdata.generate(system_metrics, rows=2_000, seed=11)
    assert a.equals(tempdata.generate(system_metrics, rows=2_000, seed=11))
    b = tempdata.generate(system_metrics, rows=2_000, seed=12)
    assert a.select("timestamp", "host", "role").equals(b.select("timestamp", "host", "role"))
    for column in METRICS:
        assert not a[column].equals(b[column]), column


def test_a_chunk_range_alone_equals_the_slice_of_the_whole() -> None:
    whole = tempdata.generate(system_metrics, rows=ROWS, seed=4)
    tail = pl.concat(list(tempdata.stream(system_metrics, rows=ROWS, seed=4, chunks=range(1, 3))))
    assert tail.equals(whole.slice(50_000))


def test_overlapping_ranges_agree() -> None:
    kw = {"seed": 5, "interval": "1hour"}
    a = tempdata.generate(system_metrics, date_range=("2024-01-01", "2024-01-10"), **kw)
    b = tempdata.generate(system_metrics, date_range=("2024-01-05", "2024-01-15"), **kw)
    shared = a.join(b.select("timestamp"), on="timestamp", how="semi")
    assert shared.height == 20 * 6 * 24  # Jan 5 00:00 to Jan 10 23:00 (whole days)
    assert shared.equals(b.head(shared.height))


def test_fewer_hosts_leave_the_first_ones_unchanged() -> None:
    kw = {"seed": 6, "interval": "15min", "date_range": ("2024-02-01", "2024-02-02")}
    a = tempdata.generate(system_metrics, **kw)
    b = tempdata.generate(system_metrics, custom_params={"hosts": 5}, **kw)
    assert b["host"].unique(maintain_order=True).to_list() == list(host_names(5))
    kept = a.filter(pl.col("host").cast(pl.String).is_in(host_names(5)))
    assert kept.with_columns(pl.col("host").cast(pl.String)).equals(
        b.with_columns(pl.col("host").cast(pl.String))
    )


def test_invariants_and_value_ranges(week: pl.DataFrame) -> None:
    report = evaluate(week, system_metrics)
    assert report.ok, report.failures()
    assert set(week["role"].cast(pl.String)) == {"web", "db", "cache", "worker"}
    up = week.filter("up")
    for column in ("cpu_pct", "memory_pct", "disk_pct"):
        assert up[column].min() >= 0, column  # type: ignore[operator]
        assert up[column].max() <= 100, column  # type: ignore[operator]


def test_outages_are_rare_and_metrics_are_null_exactly_then(week: pl.DataFrame) -> None:
    down = ~week["up"]
    assert 0 < down.mean() < 0.01  # type: ignore[operator]
    for column in METRICS:
        assert week[column].is_null().equals(down.alias(column)), column


def test_saturation_pins_cpu_near_100(week: pl.DataFrame) -> None:
    pinned = week.filter(pl.col("cpu_pct") >= 96)
    assert 0 < pinned.height < 0.05 * week.height
    # Episodes last several steps: a pinned step is mostly followed by another.
    runs = week.sort("host", "timestamp").with_columns(nxt=pl.col("cpu_pct").shift(-1).over("host"))
    again = runs.filter(pl.col("cpu_pct") >= 96)["nxt"].drop_nulls()
    assert (again >= 96).mean() > 0.5  # type: ignore[operator]


def test_business_hours_are_busier_than_night(week: pl.DataFrame) -> None:
    hour = pl.col("timestamp").dt.hour()
    weekday = pl.col("timestamp").dt.weekday() <= 5
    day = week.filter(weekday & hour.is_between(10, 16))["cpu_pct"].mean()
    night = week.filter(weekday & hour.is_between(0, 5))["cpu_pct"].mean()
    weekend = week.filter(~weekday & hour.is_between(10, 16))["cpu_pct"].mean()
    assert day > 1.5 * night  # type: ignore[operator]
    assert day > weekend  # type: ignore[operator]


def test_cpu_moves_with_network_within_hosts(week: pl.DataFrame) -> None:
    rho = (
        week.filter("up")
        .group_by("host")
        .agg(pl.corr("cpu_pct", "network_in_mbps"), pl.corr("cpu_pct", "load_avg").alias("la"))
    )
    assert (rho["cpu_pct"] > 0.3).all(), rho
    assert (rho["la"] > 0.3).all(), rho


def test_memory_varies_slowly(week: pl.DataFrame) -> None:
    per_host = week.filter("up").sort("host", "timestamp")
    step = per_host.select(pl.col("memory_pct").diff().over("host").abs().median()).item()
    spread = per_host.group_by("host").agg(pl.col("memory_pct").std())["memory_pct"].mean()
    assert step < 0.2 * spread


@pytest.mark.parametrize("interval", ["1day", "30min", "1w"])
def test_bad_interval_is_a_one_line_error(interval: str) -> None:
    with pytest.raises(InvalidParameterError) as info:
        tempdata.generate(system_metrics, seed=1, interval=interval)
    message = str(info.value)
    assert "\n" not in message
    assert "interval" in message


def test_host_names_rotate_roles() -> None:
    names = host_names(20)
    assert names[:5] == ("web-01", "db-01", "worker-01", "web-02", "cache-01")
    assert len(set(names)) == 20
    assert sum(n.startswith("web-") for n in names) == 8
    assert np.all([n.split("-")[0] in {"web", "db", "cache", "worker"} for n in names])
