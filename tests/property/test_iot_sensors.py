"""``iot_sensors`` through the public API: the time-series contract (same seed same
data, chunk independence, time anchoring), its invariants and its sensor faults."""

from __future__ import annotations

import polars as pl
import pytest

import tempdata
from tempdata.datasets.iot import device_names, iot_sensors
from tempdata.errors import InvalidParameterError
from tempdata.quality.checks import evaluate

ROWS = 120_000  # three chunks, the last one partial
READINGS = ["temperature_c", "humidity_pct", "pressure_hpa", "battery_pct"]


@pytest.fixture(scope="module")
def year() -> pl.DataFrame:
    """A year of hourly readings of 20 devices (175,680 rows)."""
    return tempdata.generate(
        iot_sensors,
        seed=3,
        interval="1hour",
        date_range=("2024-01-01", "2024-12-31T23:59"),
        custom_params={"devices": 20},
    )


@pytest.fixture(scope="module")
def week() -> pl.DataFrame:
    """A week of 5-minute readings of 50 devices (100,800 rows)."""
    return tempdata.generate(iot_sensors, seed=3, date_range=("2024-03-04", "2024-03-10T23:59"))


def test_same_seed_same_frame_different_seed_different_frame() -> None:
    a = tempdata.generate(iot_sensors, rows=2_000, seed=11)
    assert a.equals(tempdata.generate(iot_sensors, rows=2_000, seed=11))
    b = tempdata.generate(iot_sensors, rows=2_000, seed=12)
    assert a.select("timestamp", "device_id").equals(b.select("timestamp", "device_id"))
    for column in ("lat", *READINGS):
        assert not a[column].equals(b[column]), column


def test_a_chunk_range_alone_equals_the_slice_of_the_whole() -> None:
    whole = tempdata.generate(iot_sensors, rows=ROWS, seed=4)
    tail = pl.concat(list(tempdata.stream(iot_sensors, rows=ROWS, seed=4, chunks=range(1, 3))))
    assert tail.equals(whole.slice(50_000))


def test_overlapping_ranges_agree() -> None:
    kw = {"seed": 5, "interval": "15min", "custom_params": {"devices": 10}}
    a = tempdata.generate(iot_sensors, date_range=("2024-01-01", "2024-01-10"), **kw)
    b = tempdata.generate(iot_sensors, date_range=("2024-01-05", "2024-01-15"), **kw)
    shared = a.join(b.select("timestamp"), on="timestamp", how="semi")
    assert shared.height == 10 * 6 * 96  # Jan 5 00:00 to Jan 10 23:45
    assert shared.equals(b.head(shared.height))


def test_battery_is_the_same_at_every_interval() -> None:
    kw = {"seed": 6, "date_range": ("2024-02-01", "2024-06-01"), "custom_params": {"devices": 8}}
    hourly = tempdata.generate(iot_sensors, interval="1hour", **kw)
    fine = tempdata.generate(iot_sensors, interval="15min", **kw)
    on_hour = fine.join(hourly.select("timestamp", "device_id"), on=["timestamp", "device_id"])
    both = on_hour.join(hourly, on=["timestamp", "device_id"], suffix="_h").drop_nulls(
        ["battery_pct", "battery_pct_h"]
    )
    assert both.height > 0.9 * hourly.height
    assert both["battery_pct"].equals(both["battery_pct_h"].alias("battery_pct"))


def test_fewer_devices_leave_the_first_ones_unchanged() -> None:
    kw = {"seed": 6, "interval": "1hour", "date_range": ("2024-02-01", "2024-02-03")}
    a = tempdata.generate(iot_sensors, **kw)
    b = tempdata.generate(iot_sensors, custom_params={"devices": 5}, **kw)
    assert b["device_id"].unique(maintain_order=True).to_list() == list(device_names(5))
    kept = a.filter(pl.col("device_id").cast(pl.String).is_in(device_names(5)))
    cast = pl.col("device_id").cast(pl.String)
    assert kept.with_columns(cast).equals(b.with_columns(cast))


def test_invariants_hold(year: pl.DataFrame, week: pl.DataFrame) -> None:
    for frame in (year, week):
        report = evaluate(frame, iot_sensors)
        assert report.ok, report.failures()
    assert set(year["status"].cast(pl.String)) == {"ok", "low_battery", "stuck", "offline"}


def test_devices_stand_near_cities_of_the_country() -> None:
    frame = tempdata.generate(
        iot_sensors, rows=5_000, seed=2, country="germany", custom_params={"devices": 25}
    )
    assert frame["lat"].is_between(47, 55.5).all()
    assert frame["lon"].is_between(5.5, 15.5).all()
    assert frame["city"].n_unique() > 3
    per_device = frame.group_by("device_id").agg(pl.col("lat", "lon", "city").n_unique())
    assert (per_device.select(pl.exclude("device_id")) == 1).to_numpy().all()


def test_battery_never_rises_except_at_replacements(year: pl.DataFrame) -> None:
    per_device = (
        year.sort("device_id", "timestamp")
        .with_columns(epoch=pl.col("battery_replaced").cum_sum().over("device_id"))
        .drop_nulls("battery_pct")
        .with_columns(
            rise=pl.col("battery_pct").diff().over("device_id"),
            new=pl.col("epoch").diff().over("device_id"),
        )
    )
    within = per_device.filter(pl.col("new") == 0)
    assert (within["rise"] <= 0).all()
    replaced = per_device.filter(pl.col("new") > 0)
    assert replaced.height >= 20  # every device is serviced at least once a year
    assert (replaced["rise"] > 0).all()
    assert replaced["battery_pct"].min() >= 90  # type: ignore[operator]
    assert year["battery_pct"].min() < 20  # type: ignore[operator]


def test_dropouts_are_rare_and_null_exactly_in_their_rows(week: pl.DataFrame) -> None:
    offline = week["status"] == "offline"
    assert 0.005 < offline.mean() < 0.03  # type: ignore[operator]
    for column in READINGS:
        assert week[column].is_null().equals(offline.alias(column)), column
    assert week.drop(READINGS).null_count().sum_horizontal().item() == 0


def test_stuck_runs_repeat_a_reading_exactly(week: pl.DataFrame) -> None:
    readings = ["temperature_c", "humidity_pct", "pressure_hpa"]
    runs = week.sort("device_id", "timestamp").with_columns(
        same=pl.all_horizontal(pl.col(c) == pl.col(c).shift(1).over("device_id") for c in readings)
    )
    stuck = runs.filter(pl.col("status") == "stuck")
    assert 0 < stuck.height < 0.02 * week.height
    assert stuck.drop_nulls("same")["same"].all()
    # Outside stuck runs the three readings almost never repeat together.
    free = runs.filter(pl.col("status") == "ok")["same"].drop_nulls()
    assert free.mean() < 0.01  # type: ignore[operator]
    lengths = runs.with_columns(
        run=(pl.col("status") != pl.col("status").shift(1).over("device_id")).cum_sum()
    ).filter(pl.col("status") == "stuck")
    assert lengths.group_by("device_id", "run").len()["len"].max() >= 5  # type: ignore[operator]


def test_readings_vary_smoothly_from_step_to_step(year: pl.DataFrame) -> None:
    noise = year.sort("device_id", "timestamp").select(
        pl.col("temperature_c").diff().over("device_id").abs().median()
    )
    assert noise.item() < 1.5


@pytest.mark.parametrize("interval", ["1day", "30min", "1w"])
def test_bad_interval_is_a_one_line_error(interval: str) -> None:
    with pytest.raises(InvalidParameterError) as info:
        tempdata.generate(iot_sensors, seed=1, interval=interval)
    message = str(info.value)
    assert "\n" not in message
    assert "interval" in message
