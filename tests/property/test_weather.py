"""The ``weather`` dataset: the time-series contract (same seed same data, chunk
independence, time anchoring) and the climate a meteorologist would recognise."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

import tempdata
from tempdata.datasets import registry
from tempdata.errors import InvalidParameterError
from tempdata.quality.checks import evaluate

ROWS = 120_000  # three chunks, the last one partial


@pytest.fixture(scope="module")
def year() -> pl.DataFrame:
    return tempdata.generate("weather", seed=3, date_range=("2024-01-01", "2024-12-31"))


def test_same_seed_same_frame_different_seed_different_weather() -> None:
    a = tempdata.generate("weather", rows=2_000, seed=11)
    assert a.equals(tempdata.generate("weather", rows=2_000, seed=11))
    b = tempdata.generate("weather", rows=2_000, seed=12)
    assert a.select("timestamp", "station", "lat").equals(b.select("timestamp", "station", "lat"))
    assert not a["temperature_c"].equals(b["temperature_c"])


def test_a_chunk_range_alone_equals_the_slice_of_the_whole() -> None:
    whole = tempdata.generate("weather", rows=ROWS, seed=4)
    tail = pl.concat(list(tempdata.stream("weather", rows=ROWS, seed=4, chunks=range(1, 3))))
    assert tail.equals(whole.slice(50_000))


@pytest.mark.parametrize("interval", ["1hour", "1day"])
def test_february_is_the_same_in_jan_to_mar_and_feb_to_apr(interval: str) -> None:
    kw = {"seed": 5, "interval": interval}
    a = tempdata.generate("weather", date_range=("2024-01-01", "2024-03-31"), **kw)
    b = tempdata.generate("weather", date_range=("2024-02-01", "2024-04-30"), **kw)
    feb = pl.col("timestamp").dt.month() == 2
    assert a.filter(feb).height == b.filter(feb).height > 0
    assert a.filter(feb).equals(b.filter(feb))


def test_invariants_hold(year: pl.DataFrame) -> None:
    report = evaluate(year, registry.get("weather"))
    assert report.ok, report.failures()
    daily = tempdata.generate(
        "weather", seed=8, interval="1day", date_range=("2020-01-01", "2024-12-31"), country="BR"
    )
    assert set(daily["country"].unique()) == {"BR"}
    report = evaluate(daily, registry.get("weather"))
    assert report.ok, report.failures()


def test_hot_near_the_equator_cold_at_high_latitude(year: pl.DataFrame) -> None:
    means = year.group_by("lat").agg(pl.col("temperature_c").mean())
    tropics = means.filter(pl.col("lat").abs() < 15)["temperature_c"]
    north = means.filter(pl.col("lat") > 50)["temperature_c"]
    # Moscow's annual normal is 6.6 °C; one year's mean strays by a degree or two.
    assert tropics.min() > 22 > 9 > north.max()  # type: ignore[operator]


def test_southern_hemisphere_seasons_are_flipped(year: pl.DataFrame) -> None:
    month = pl.col("timestamp").dt.month()
    jan_minus_jul = year.group_by("station").agg(
        pl.col("lat").first(),
        pl.col("temperature_c").filter(month == 1).mean()
        - pl.col("temperature_c").filter(month == 7).mean(),
    )
    south = jan_minus_jul.filter(pl.col("lat") < -20)["temperature_c"]
    north = jan_minus_jul.filter(pl.col("lat") > 30)["temperature_c"]
    assert len(south)
    assert (south > 2).all()
    assert len(north)
    assert (north < -10).all()


def test_afternoon_is_warmer_than_before_dawn(year: pl.DataFrame) -> None:
    solar = ((year["timestamp"].dt.hour().cast(pl.Float64) + year["lon"] / 15.0) % 24.0).to_numpy()
    t = year["temperature_c"].to_numpy()
    afternoon = t[(solar >= 13) & (solar < 17)].mean()
    predawn = t[(solar >= 3) & (solar < 6)].mean()
    assert afternoon > predawn + 5


def test_rain_is_zero_inflated_persistent_and_heavy_tailed(year: pl.DataFrame) -> None:
    wet = year["precipitation_mm"] > 0
    assert 0.05 < wet.mean() < 0.40  # type: ignore[operator]
    # Wet hours follow wet hours far more often than the rain fraction.
    spells = (
        year.sort("station", "timestamp")
        .with_columns(wet=pl.col("precipitation_mm") > 0)
        .with_columns(prev=pl.col("wet").shift(1).over("station"))
    )
    assert spells.filter(pl.col("prev"))["wet"].mean() > 0.5  # type: ignore[operator]
    amounts = year.filter(wet)["precipitation_mm"]
    assert amounts.quantile(0.99) > 5 * amounts.median()  # type: ignore[operator]
    humid = year.group_by(wet.alias("wet")).agg(pl.col("humidity_pct").mean())
    by = dict(zip(humid["wet"], humid["humidity_pct"], strict=True))
    assert by[True] > by[False] + 10


def test_more_stations_keep_the_first_ones_and_countries_are_honoured() -> None:
    kw = {"seed": 2, "date_range": ("2024-05-01", "2024-05-02"), "country": "germany"}
    a = tempdata.generate("weather", custom_params={"stations": 3}, **kw)
    b = tempdata.generate("weather", custom_params={"stations": 5}, **kw)
    assert a["city"].unique(maintain_order=True).to_list() == ["Berlin", "Hamburg", "Munich"]
    shared = b.filter(pl.col("city").is_in(["Berlin", "Hamburg", "Munich"]))
    assert shared.drop("station").equals(a.drop("station"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"interval": "15min"}, "dataset 'weather' takes interval 1hour, 1day, got '15min'"),
        ({"interval": "2h"}, "unknown interval '2h'"),
        ({"custom_params": {"stations": 0}}, "parameter 'stations' must be an integer from 1"),
    ],
)
def test_bad_parameters_are_one_line_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidParameterError) as info:
        tempdata.generate("weather", rows=100, seed=1, **kwargs)  # type: ignore[arg-type]
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_finite_values() -> None:
    frame = tempdata.generate("weather", rows=5_000, seed=9, interval="1day")
    assert frame.null_count().sum_horizontal().item() == 0
    assert np.isfinite(frame.select(pl.col(pl.Float64)).to_numpy()).all()
