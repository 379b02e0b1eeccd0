"""Time-series datasets through the public API: the reproducibility contract of DESIGN §2
(time-anchored rows, chunk independence), the rows/date_range/interval rules, and the
``crypto`` dataset's invariants and statistics."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import tempdata
from tempdata import samplers as s
from tempdata.cli import app
from tempdata.core.plan import Dataset, Parameter, col, time_series
from tempdata.datasets import registry
from tempdata.datasets.finance import COINS
from tempdata.errors import InvalidParameterError
from tempdata.quality.checks import evaluate

YEAR_2024 = ("2024-01-01", "2024-12-31")
ROWS = 120_000  # three chunks, the last one partial: 8,000 hourly steps of 15 coins


def frame_hash(frame: pl.DataFrame) -> str:
    buffer = io.BytesIO()
    frame.write_csv(buffer)
    return hashlib.sha256(buffer.getvalue()).hexdigest()


# ------------------------------------------------------------------ reproducibility


def test_same_seed_same_frame_different_seed_different_frame() -> None:
    a = tempdata.generate("crypto", rows=2_000, seed=11)
    assert a.equals(tempdata.generate("crypto", rows=2_000, seed=11))
    b = tempdata.generate("crypto", rows=2_000, seed=12)
    assert a.select("timestamp", "symbol", "circulating_supply").equals(
        b.select("timestamp", "symbol", "circulating_supply")
    )
    for column in ("open", "high", "low", "close", "volume", "volume_quote", "market_cap"):
        assert not a[column].equals(b[column]), column


def _chunk_worker(args: tuple[int, int]) -> bytes:
    index, seed = args
    frames = list(tempdata.stream("crypto", rows=ROWS, seed=seed, chunks=range(index, index + 1)))
    buffer = io.BytesIO()
    frames[0].write_ipc(buffer)
    return buffer.getvalue()


def test_chunks_from_four_processes_equal_the_sequential_run() -> None:
    sequential = tempdata.generate("crypto", rows=ROWS, seed=21)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=4, mp_context=context) as pool:
        parts = list(pool.map(_chunk_worker, [(i, 21) for i in (2, 0, 1)]))
    frames = [pl.read_ipc(io.BytesIO(p)) for p in parts]
    assert pl.concat([frames[1], frames[2], frames[0]]).equals(sequential)


def test_a_chunk_range_alone_equals_the_slice_of_the_whole() -> None:
    whole = tempdata.generate("crypto", rows=ROWS, seed=4)
    tail = pl.concat(list(tempdata.stream("crypto", rows=ROWS, seed=4, chunks=range(1, 3))))
    assert tail.equals(whole.slice(50_000))


@pytest.mark.parametrize("interval", ["1hour", "1day"])
def test_february_is_the_same_in_jan_to_mar_and_feb_to_apr(interval: str) -> None:
    kw = {"seed": 5, "time_series": True, "interval": interval}
    a = tempdata.generate("crypto", date_range=("2024-01-01", "2024-03-31"), **kw)
    b = tempdata.generate("crypto", date_range=("2024-02-01", "2024-04-30"), **kw)
    feb = pl.col("timestamp").dt.month() == 2
    assert a.filter(feb).height == b.filter(feb).height > 0
    assert a.filter(feb).equals(b.filter(feb))
    # ... and the same rows requested by count, ending at the end of February.
    n = a.filter(feb).height
    c = tempdata.generate("crypto", rows=n, date_range=(None, "2024-02-29"), **kw)
    assert c.equals(a.filter(feb))


def test_other_intervals_and_the_first_rows_of_a_range_are_anchored_too() -> None:
    a = tempdata.generate(
        "crypto", seed=9, interval="5min", date_range=("2024-06-01", "2024-06-02")
    )
    b = tempdata.generate(
        "crypto", seed=9, interval="5min", date_range=("2024-06-01T12:00", "2024-06-03")
    )
    shared = a.join(b.select("timestamp"), on="timestamp", how="semi")
    assert shared.height == len(COINS) * 36 * 12  # Jun 1 12:00 to Jun 2 23:55
    assert shared.equals(b.head(shared.height))


def test_replay_kwargs_regenerate_a_run_with_a_partial_first_timestamp() -> None:
    frame, info = tempdata.generate("crypto", rows=1_234, seed=3, with_info=True)
    assert info.interval == "1hour"
    assert frame.height == 1_234
    first = frame.filter(pl.col("timestamp") == frame["timestamp"].min())
    assert first["symbol"].to_list() == [c.symbol for c in registry_coins()[-(1_234 % 15) :]]
    assert frame["timestamp"].max() == dt.datetime(2025, 12, 31, 23, tzinfo=dt.UTC)
    assert tempdata.generate("crypto", **info.replay_kwargs()).equals(frame)


def registry_coins() -> list[object]:
    from tempdata.datasets.finance import COINS

    return list(COINS)


# Golden hash of a small fixed output: a change means every seeded user's data changes.
GOLDEN = "af6b64d0225d373923746bd4aba488d7840117c2a31bae9f473cdeb0ff46b71e"


def test_golden_hash() -> None:
    frame = tempdata.generate(
        "crypto", seed=20240601, interval="1day", date_range=("2024-01-01", "2024-01-15")
    )
    assert frame.height == 15 * 15  # 15 days of the 15 coins
    assert frame_hash(frame) == GOLDEN


# ------------------------------------------------------------------------ invariants


@settings(max_examples=8, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    rows=st.integers(1, 3_000),
    interval=st.sampled_from(["1min", "15min", "1hour", "1day"]),
    end=st.dates(dt.date(2001, 1, 1), dt.date(2030, 12, 31)),
)
def test_invariants_hold_over_seeds_sizes_and_intervals(
    seed: int, rows: int, interval: str, end: dt.date
) -> None:
    frame = tempdata.generate(
        "crypto", rows=rows, seed=seed, interval=interval, date_range=(None, end)
    )
    assert frame.height == rows
    report = evaluate(frame, registry.get("crypto"))
    assert report.ok, report.failures()
    assert frame.null_count().sum_horizontal().item() == 0
    assert np.isfinite(frame.select(pl.col(pl.Float64)).to_numpy()).all()


@pytest.fixture(scope="module")
def year() -> pl.DataFrame:
    return tempdata.generate(
        "crypto", time_series=True, interval="1hour", date_range=YEAR_2024, seed=1
    )


def _log_returns(frame: pl.DataFrame) -> np.ndarray:  # type: ignore[type-arg]
    wide = frame.pivot(on="symbol", index="timestamp", values="close").sort("timestamp")
    return np.diff(np.log(wide.drop("timestamp").to_numpy()), axis=0)


def test_a_year_of_hourly_bars(year: pl.DataFrame) -> None:
    assert year.height == len(COINS) * 366 * 24  # the 15 coins with a sourced close
    report = evaluate(year, registry.get("crypto"))
    assert report.ok, report.failures()


def test_coins_move_with_btc_and_returns_have_fat_tails(year: pl.DataFrame) -> None:
    r = _log_returns(year)
    corr = np.corrcoef(r.T)[0, 1:]  # BTC is the first symbol
    assert corr.mean() > 0.3, corr
    z = (r - r.mean(axis=0)) / r.std(axis=0)
    kurtosis = (z**4).mean(axis=0)
    assert (kurtosis > 3).all(), kurtosis
    # More volatile than stocks: annualised volatility above 40 % for every coin.
    assert (r.std(axis=0) * np.sqrt(24 * 365.25) > 0.4).all()


def test_volume_is_larger_on_big_moves(year: pl.DataFrame) -> None:
    moves = year.with_columns(move=(pl.col("close") / pl.col("open")).log().abs())
    rho = moves.group_by("symbol").agg(pl.corr("move", "volume_quote", method="spearman"))
    assert (rho["move"] > 0.3).all(), rho


def test_late_2025_prices_walk_on_from_the_anchor_without_drift() -> None:
    """BTC closed 2023-12-29 at 42,099.40; two years on, the walk has no drift."""
    logs = []
    for seed in range(12):
        frame = tempdata.generate("crypto", rows=20, seed=seed)  # the last hour of 2025
        btc = frame.filter(pl.col("symbol") == "BTC")["close"].item()
        logs.append(np.log(btc / 42_099.40))
    # Two years of BTC's volatility (about 0.55 a year): no level beyond 3 sd, centred.
    assert np.abs(logs).max() < 3 * 0.55 * np.sqrt(2)
    assert abs(np.median(logs)) < 0.6
    assert np.std(logs) > 0.2  # a walk, not a pinned level


# ------------------------------------------------ rows, date_range, interval rules

ERRORS = [
    (
        {"rows": 500, "date_range": ("2024-01-01", "2024-01-31")},
        "744 steps × 15 symbols = 11,160 rows, not 500; leave rows out or set rows=11160",
    ),
    ({"interval": "1week"}, "dataset 'crypto' takes interval 1min, 5min, 15min, 30min, 1hour"),
    ({"interval": "2h"}, "unknown interval '2h'"),
    (
        {"interval": "1day", "date_range": ("2024-01-01T01:00", "2024-01-01T05:00")},
        "holds no 1day step",
    ),
    ({"rows": 0}, "rows must be a positive integer"),
    ({"date_range": ("2024-02-01", "2024-01-01")}, "is after its end"),
    (
        {"time_series": "yes"},
        "time_series must be True, False, None, a TimeSeriesConfig or a mapping",
    ),
]


@pytest.mark.parametrize(("kwargs", "message"), ERRORS)
def test_contradictions_are_one_line_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidParameterError) as info:
        tempdata.generate("crypto", seed=1, **kwargs)  # type: ignore[arg-type]
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_rows_equal_to_the_range_are_accepted() -> None:
    frame = tempdata.generate(
        "crypto", rows=15 * 31, seed=1, interval="1day", date_range=("2024-01-01", "2024-01-31")
    )
    assert frame.height == 465


def test_datasets_without_a_layout_still_reject_time_series() -> None:
    with pytest.raises(InvalidParameterError, match="has no time-series mode"):
        tempdata.generate("sales", rows=10, seed=1, time_series=True)


CLI_ERRORS = [
    (["-n", "500", "--start", "2024-01-01", "--end", "2024-01-31"], "not 500"),
    (["--interval", "1w"], "takes interval"),
    (["--interval", "1d", "--start", "2024-01-01T01:00", "--end", "2024-01-01T05:00"], "no 1d"),
]


@pytest.mark.parametrize(("args", "message"), CLI_ERRORS)
def test_cli_exits_2_with_one_line(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["generate", "crypto", "--seed", "1", "-o", "-", *args])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0], result.stderr


def test_cli_generates_previews_and_describes_crypto() -> None:
    runner = CliRunner()
    args = ["--seed", "1", "--time-series", "--interval", "1day", "--start", "2024-01-01"]
    out = runner.invoke(app, ["generate", "crypto", *args, "--end", "2024-01-02", "-o", "-"])
    assert out.exit_code == 0, out.stderr
    assert out.stdout.count("\n") == 1 + 2 * len(COINS)
    shown = runner.invoke(app, ["preview", "crypto", "-n", "3", *args])
    assert shown.exit_code == 0, shown.stderr
    assert "BTC" in shown.stdout
    assert "2024-01-01" in shown.stdout
    described = runner.invoke(app, ["describe", "crypto"])
    assert described.exit_code == 0
    assert "time series" in described.stdout
    info = tempdata.describe("crypto")
    assert info.time_series is not None
    assert info.time_series["interval"] == "1hour"
    assert info.to_dict()["time_series"]["entities"][:2] == ["BTC", "ETH"]


# ----------------------------------------------------- a custom time-series dataset

SENSORS = Dataset(
    "probes",
    description="Counted entities from the generic time-series samplers.",
    parameters={"sensors": Parameter("Number of probes.", high=1000, default=3)},
    time_series=time_series(entities="sensors", interval="15min", unit="sensor"),
    columns=[
        col("at", s.series_timestamps()),
        col("sensor", s.series_entities()),
        col("noise", s.white_noise(scale=0.5)),
        col("walk", s.random_walk()),
        col("temp", s.ar1(0.95, loc=20.0)),
        col("cycle", s.seasonality(daily=2.0)),
        col("drift", s.trend("up", rate=0.1)),
        col("price", s.gbm(mu=0.05, start_price=10.0)),
        col("ret", s.stochastic_volatility(0.01)),
        col("reading", pl.col("temp") + pl.col("cycle") + pl.col("noise")),
    ],
)


def test_a_custom_dataset_with_counted_entities_is_anchored() -> None:
    a = tempdata.generate(SENSORS, seed=2, date_range=("2024-03-01", "2024-03-02"))
    assert a.height == 3 * 2 * 96  # both days, whole
    assert a["sensor"].unique().sort().to_list() == [0, 1, 2]
    b = tempdata.generate(
        SENSORS, seed=2, date_range=("2024-03-01T12:00", "2024-03-05"), custom_params={"sensors": 2}
    )
    # Entities are numbered, so fewer sensors leave the first ones unchanged.
    shared = a.join(b.select("at", "sensor"), on=["at", "sensor"], how="semi")
    assert shared.height == 2 * 36 * 4
    assert shared.equals(b.filter(pl.col("at") <= a["at"].max()))


def test_time_series_samplers_need_a_time_series_dataset() -> None:
    plain = Dataset("plain", description="", columns=[col("x", s.white_noise())])
    with pytest.raises(InvalidParameterError, match="column 'x' needs a time-series dataset"):
        tempdata.generate(plain, rows=5, seed=1)


def test_sampler_reprs_repeat_the_call() -> None:
    assert repr(s.ar1(0.9, loc=1.0)) == "ar1(phi=0.9, loc=1.0)"
    assert repr(s.gbm(start_price=[1.0, 2.0])) == "gbm(start_price=(1.0, 2.0))"
    assert repr(s.series_timestamps()) == "series_timestamps()"
    with pytest.raises(InvalidParameterError, match="phi must lie in"):
        s.ar1(1.0)
