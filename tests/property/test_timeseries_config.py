"""``time_series=TimeSeriesConfig(...)`` on ``crypto`` and ``stocks``: the defaults change
nothing, each setting has its documented, measurable effect, the time-anchoring contract
(DESIGN §2) still holds, and the config is recorded so that a run can be replayed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

import tempdata
from tempdata import DatasetConfig, TimeSeriesConfig
from tempdata.errors import InvalidParameterError

STOCKS = {"custom_params": {"symbols": 20}}
#: After 2025-07-01, where neither dataset's own price bridge adds a drift of its own
#: (crypto) or only its small seeded growth (stocks).
LATE = ("2026-01-01", "2030-12-31")


def _daily(name: str, cfg: object, *, seed: int = 3, **kw: Any) -> pl.DataFrame:
    options = {**(STOCKS if name == "stocks" else {}), "date_range": LATE, **kw}
    return tempdata.generate(name, seed=seed, interval="1day", time_series=cfg, **options)


def _log_returns(frame: pl.DataFrame) -> np.ndarray:  # type: ignore[type-arg]
    wide = frame.pivot(on="symbol", index="timestamp", values="close").sort("timestamp")
    return np.diff(np.log(wide.drop("timestamp").to_numpy()), axis=0)


# --------------------------------------------------------------------------- defaults


@pytest.mark.parametrize("name", ["crypto", "stocks"])
@pytest.mark.parametrize(
    "cfg",
    [
        TimeSeriesConfig(),
        TimeSeriesConfig(
            seasonal_patterns=["yearly", "weekly", "daily"],
            trend_direction="none",
            volatility_level=1.0,
        ),
        {},
        {"volatility_level": "medium"},
    ],
    ids=["default", "spelled-out", "empty-dict", "medium"],
)
def test_a_default_config_gives_the_frame_of_no_config(name: str, cfg: object) -> None:
    kw = {"seed": 8, "interval": "1hour", "date_range": ("2024-03-01", "2024-03-08")}
    extra = STOCKS if name == "stocks" else {}
    plain = tempdata.generate(name, **kw, **extra)  # type: ignore[arg-type]
    assert tempdata.generate(name, time_series=cfg, **kw, **extra).equals(plain)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- effects


@pytest.mark.parametrize("name", ["crypto", "stocks"])
def test_volatility_level_scales_the_std_of_log_returns(name: str) -> None:
    std = {
        level: _log_returns(_daily(name, TimeSeriesConfig(volatility_level=level))).std()
        for level in ("low", "medium", "high", 3.0)
    }
    assert std["low"] < std["medium"] < std["high"] < std[3.0]
    assert 1.8 < std["high"] / std["medium"] < 2.2
    assert 1.8 < std["medium"] / std["low"] < 2.2
    assert 1.35 < std[3.0] / std["high"] < 1.65
    # ... while volume keeps its level.
    volume = {
        level: _daily(name, TimeSeriesConfig(volatility_level=level))["volume"].median()
        for level in ("low", "high")
    }
    assert 0.5 < volume["high"] / volume["low"] < 2  # type: ignore[operator]


@pytest.mark.parametrize(
    ("name", "rate", "per_year"), [("crypto", 0.5, 365.25), ("stocks", 0.1, 252)]
)
def test_trend_direction_adds_its_documented_drift(name: str, rate: float, per_year: float) -> None:
    up = _log_returns(_daily(name, TimeSeriesConfig(trend_direction="up")))
    down = _log_returns(_daily(name, TimeSeriesConfig(trend_direction="down")))
    flat = _log_returns(_daily(name, None))
    assert up.mean() * per_year > 0 > down.mean() * per_year
    if name == "crypto":  # same seed, same noise: the configs differ by the drift alone
        assert np.allclose(up - flat, flat - down, atol=1e-9)
    steps = (up - flat).mean(axis=0) * per_year
    assert np.allclose(steps, rate, rtol=0.01), steps


def test_a_random_trend_is_each_symbols_own_and_fixed_by_seed_and_symbol() -> None:
    cfg = TimeSeriesConfig(trend_direction="random")
    flat = _log_returns(_daily("stocks", None))
    drift = (_log_returns(_daily("stocks", cfg)) - flat).mean(axis=0) * 252
    assert (np.abs(drift) <= 0.1 * 1.01).all()
    assert (drift > 0).any()
    assert (drift < 0).any()
    assert len(np.unique(np.round(drift, 6))) == drift.size
    # A symbol's trend does not depend on the other symbols.
    few = _daily("stocks", cfg, custom_params={"symbols": 5})
    many = _daily("stocks", cfg)
    shared = many.filter(
        pl.col("symbol").cast(pl.String).is_in(few["symbol"].cast(pl.String).to_list())
    )
    assert shared.select("date", "close").equals(few.select("date", "close"))
    # ... and changes with the seed.
    other = _log_returns(_daily("stocks", cfg, seed=4)) - _log_returns(
        _daily("stocks", None, seed=4)
    )
    assert not np.allclose(other.mean(axis=0) * 252, drift, atol=1e-3)


def _profile(frame: pl.DataFrame, by: pl.Expr) -> float:
    """Range of the mean log volume by ``by``, each symbol's mean taken out."""
    lv = (pl.col("volume_quote") / pl.col("market_cap")).log()
    means = (
        frame.with_columns(lv=lv - lv.mean().over("symbol"))
        .group_by(by.alias("key"))
        .agg(pl.col("lv").mean())["lv"]
    )
    return float(means.max() - means.min())  # type: ignore[operator]


def test_crypto_seasonal_patterns_switch_the_volume_cycles() -> None:
    kw = {"seed": 2, "interval": "1hour", "date_range": ("2024-01-01", "2024-03-31")}
    hour, weekday = pl.col("timestamp").dt.hour(), pl.col("timestamp").dt.weekday()
    shape = {}
    for patterns in [("daily", "weekly"), (), ("daily",), ("weekly",)]:
        frame = tempdata.generate(
            "crypto", time_series=TimeSeriesConfig(seasonal_patterns=patterns), **kw
        )
        shape[patterns] = (_profile(frame, hour), _profile(frame, weekday))
    on_hour, on_day = shape[("daily", "weekly")]
    off_hour, off_day = shape[()]
    assert on_hour > 0.5 > 0.2 > off_hour
    assert on_day > 0.2 > 0.1 > off_day
    assert shape[("daily",)] == pytest.approx((on_hour, off_day))
    assert shape[("weekly",)] == pytest.approx((off_hour, on_day))


def test_stocks_without_daily_seasonality_trade_flat_through_the_session() -> None:
    kw = {"seed": 2, "interval": "1hour", "date_range": ("2024-01-01", "2024-03-31"), **STOCKS}
    spread = {}
    for patterns in [("daily",), ()]:
        frame = tempdata.generate(
            "stocks", time_series=TimeSeriesConfig(seasonal_patterns=patterns), **kw
        )
        lv = pl.col("volume").log()
        by_hour = (
            frame.with_columns(lv=lv - lv.mean().over("symbol"))
            .group_by(pl.col("timestamp").dt.hour())
            .agg(pl.col("lv").mean())
            .sort("timestamp")["lv"]
        )
        spread[patterns] = (by_hour.max() - by_hour.min(), by_hour[0], by_hour[-1])
    span, first, last = spread[("daily",)]
    assert span > 0.3  # U-shaped: busy open and close
    assert first > 0.2
    assert last > 0.1
    assert spread[()][0] < 0.1


# ---------------------------------------------------------------------- time anchoring


@pytest.mark.parametrize(
    ("name", "interval"), [("crypto", "1hour"), ("crypto", "1day"), ("stocks", "1day")]
)
def test_february_is_anchored_with_a_non_default_config(name: str, interval: str) -> None:
    cfg = TimeSeriesConfig(
        seasonal_patterns=["weekly"], trend_direction="random", volatility_level=1.7
    )
    kw = {
        "seed": 5,
        "interval": interval,
        "time_series": cfg,
        **(STOCKS if name == "stocks" else {}),
    }
    a = tempdata.generate(name, date_range=("2024-01-01", "2024-03-31"), **kw)  # type: ignore[arg-type]
    b = tempdata.generate(name, date_range=("2024-02-01", "2024-04-30"), **kw)  # type: ignore[arg-type]
    feb = pl.col("timestamp").dt.month() == 2
    assert a.filter(feb).height == b.filter(feb).height > 0
    assert a.filter(feb).equals(b.filter(feb))
    plain = tempdata.generate(
        name, date_range=("2024-02-01", "2024-04-30"), **{**kw, "time_series": True}
    )  # type: ignore[arg-type]
    assert not plain.filter(feb)["close"].equals(b.filter(feb)["close"])


# ------------------------------------------------------------------------------ replay


@pytest.mark.parametrize("name", ["crypto", "stocks"])
def test_replay_reproduces_a_run_with_a_config(name: str) -> None:
    cfg = {"seasonal_patterns": ["daily"], "trend_direction": "up", "volatility_level": "high"}
    extra = STOCKS if name == "stocks" else {}
    frame, info = tempdata.generate(
        name, rows=333, seed=6, time_series=cfg, with_info=True, **extra
    )  # type: ignore[arg-type]
    assert info.time_series == TimeSeriesConfig(**cfg)  # type: ignore[arg-type]
    assert tempdata.generate(name, **info.replay_kwargs()).equals(frame)
    # The config survives JSON (the manifest, Parquet metadata) and comes back equal.
    recorded = json.loads(json.dumps(info.to_dict()))["time_series"]
    assert recorded == {**cfg, "seasonal_patterns": ["daily"]}
    assert TimeSeriesConfig.coerce(recorded) == info.time_series
    again = tempdata.generate(
        name,
        rows=333,
        seed=6,
        time_series=recorded,
        **extra,  # type: ignore[arg-type]
    )
    assert again.equals(frame)
    plain = tempdata.generate(name, rows=333, seed=6, **extra)  # type: ignore[arg-type]
    assert not plain.equals(frame)


def test_a_run_without_a_config_records_none() -> None:
    _, info = tempdata.generate("crypto", rows=20, seed=1, with_info=True)
    assert info.time_series is None
    assert "time_series" not in info.to_dict()
    assert info.replay_kwargs()["time_series"] is True


def test_dataset_config_takes_a_config_or_a_dict() -> None:
    cfg = DatasetConfig("crypto", rows=40, seed=2, time_series={"volatility_level": 0.25})
    assert cfg.time_series == TimeSeriesConfig(volatility_level=0.25)
    frame, info = cfg.generate(with_info=True)
    assert info.time_series == cfg.time_series
    direct = tempdata.generate(
        "crypto", rows=40, seed=2, time_series=TimeSeriesConfig(volatility_level=0.25)
    )
    assert frame.equals(direct)
    streamed = pl.concat(list(cfg.stream()))
    assert streamed.equals(frame)
    with pytest.raises(InvalidParameterError, match="also time_series"):
        tempdata.generate(cfg, time_series=TimeSeriesConfig())
    with pytest.raises(InvalidParameterError, match="unknown seasonal pattern"):
        DatasetConfig("crypto", time_series={"seasonal_patterns": ["monthly"]})


def test_files_record_the_config(tmp_path: Path) -> None:
    cfg = TimeSeriesConfig(trend_direction="down")
    path = tempdata.create_dataset(tmp_path / "crypto.parquet", rows=40, seed=2, time_series=cfg)
    recorded = json.loads(pl.read_parquet_metadata(path)["tempdata.config"])["time_series"]
    assert TimeSeriesConfig.coerce(recorded) == cfg


def test_params_cache_key_includes_the_config() -> None:
    from tempdata.config import resolve_params
    from tempdata.core.seeding import Seeder
    from tempdata.datasets import registry

    def key(ts: object) -> tuple[Any, ...]:
        params = resolve_params(registry.get("crypto"), rows=20, seeder=Seeder(1), time_series=ts)
        return params.cache_key()

    assert key(True) == key(False)
    assert key(TimeSeriesConfig(volatility_level="high")) != key(True)
    assert key({"volatility_level": "high"}) == key(TimeSeriesConfig(volatility_level="high"))


# ------------------------------------------------------------------------------ errors

ERRORS = [
    ("crypto", {"seasonal": ["daily"]}, "time_series has no setting 'seasonal' — did you mean"),
    ("crypto", {"colour": 1}, "time_series has no setting 'colour' — valid: seasonal_patterns"),
    ("crypto", {"seasonal_patterns": "daily"}, "seasonal_patterns must be a list"),
    ("crypto", {"seasonal_patterns": ["hourly"]}, "unknown seasonal pattern 'hourly'"),
    ("crypto", {"trend_direction": "sideways"}, "unknown trend_direction 'sideways'"),
    ("crypto", {"volatility_level": -1}, "volatility_level must be one of low, medium, high"),
    ("crypto", {"volatility_level": "wild"}, "unknown volatility_level 'wild'"),
    ("crypto", "yes", "time_series must be True, False, None, a TimeSeriesConfig or a mapping"),
    ("crypto", 1, "time_series must be True, False, None"),
    ("sales", TimeSeriesConfig(), "dataset 'sales' has no time-series mode"),
    ("sales", {}, "dataset 'sales' has no time-series mode"),
    ("products", {"trend_direction": "up"}, "dataset 'products' has no time-series mode"),
]


@pytest.mark.parametrize(("name", "value", "message"), ERRORS)
def test_bad_configs_are_one_line_errors(name: str, value: object, message: str) -> None:
    with pytest.raises(InvalidParameterError) as info:
        tempdata.generate(name, rows=5, seed=1, time_series=value)  # type: ignore[arg-type]
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_time_series_config_is_exported() -> None:
    assert "TimeSeriesConfig" in tempdata.__all__
    assert tempdata.TimeSeriesConfig is TimeSeriesConfig


def test_generic_samplers_of_a_custom_dataset_follow_the_config() -> None:
    from tests.property.test_timeseries_datasets import SENSORS

    kw = {"seed": 2, "date_range": ("2024-03-01", "2024-03-03")}
    plain = tempdata.generate(SENSORS, **kw)  # type: ignore[arg-type]
    assert tempdata.generate(SENSORS, time_series=TimeSeriesConfig(), **kw).equals(plain)  # type: ignore[arg-type]
    cfg = TimeSeriesConfig(seasonal_patterns=["weekly"], volatility_level="high")
    frame = tempdata.generate(SENSORS, time_series=cfg, **kw)  # type: ignore[arg-type]
    assert (frame["cycle"] == 0).all()  # its only cycle is daily
    assert (plain["cycle"] != 0).any()
    ratio = frame["ret"].std() / plain["ret"].std()  # type: ignore[operator]
    assert ratio == pytest.approx(2.0)

    def steps(f: pl.DataFrame) -> float:
        return f.select(pl.col("price").log().diff().over("sensor").std()).item()  # type: ignore[no-any-return]

    assert steps(frame) / steps(plain) == pytest.approx(2.0, rel=1e-3)
    assert frame["walk"].equals(plain["walk"])  # not a volatility: unchanged
