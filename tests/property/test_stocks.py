"""The ``stocks`` dataset through the public API: reproducibility (DESIGN §2), time
anchoring across holidays, market sessions, invariants and the statistics a quant
would look at first (sector co-movement, volatility clustering, volume on big moves)."""

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

import tempdata
from tempdata.datasets import registry
from tempdata.errors import InvalidParameterError
from tempdata.quality.checks import evaluate

SMALL = {"symbols": 40}
ROWS = 40 * 2_600  # three chunks, the last one partial


def frame_hash(frame: pl.DataFrame) -> str:
    buffer = io.BytesIO()
    frame.write_csv(buffer)
    return hashlib.sha256(buffer.getvalue()).hexdigest()


# ------------------------------------------------------------------ reproducibility


def test_same_seed_same_frame_different_seed_different_frame() -> None:
    a = tempdata.generate("stocks", rows=2_000, seed=11, custom_params=SMALL)
    assert a.equals(tempdata.generate("stocks", rows=2_000, seed=11, custom_params=SMALL))
    b = tempdata.generate("stocks", rows=2_000, seed=12, custom_params=SMALL)
    assert a.select("date", "symbol", "name", "sector").equals(
        b.select("date", "symbol", "name", "sector")
    )
    for column in ("open", "close", "volume"):
        assert not a[column].equals(b[column]), column


def _chunk_worker(args: tuple[int, int]) -> bytes:
    index, seed = args
    frames = list(
        tempdata.stream(
            "stocks", rows=ROWS, seed=seed, custom_params=SMALL, chunks=range(index, index + 1)
        )
    )
    buffer = io.BytesIO()
    frames[0].write_ipc(buffer)
    return buffer.getvalue()


def test_chunks_from_four_processes_equal_the_sequential_run() -> None:
    sequential = tempdata.generate("stocks", rows=ROWS, seed=21, custom_params=SMALL)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=4, mp_context=context) as pool:
        parts = list(pool.map(_chunk_worker, [(i, 21) for i in (2, 0, 1)]))
    frames = [pl.read_ipc(io.BytesIO(p)) for p in parts]
    assert pl.concat([frames[1], frames[2], frames[0]]).equals(sequential)


# Golden hash of a small fixed output: a change means every seeded user's data changes.
GOLDEN = "30b801b52b71348d7c13d19d5e4eb88477c823e3e4086261899a64058153e851"


def test_golden_hash() -> None:
    frame = tempdata.generate(
        "stocks",
        seed=20240601,
        date_range=("2024-06-24", "2024-07-08"),
        custom_params={"index": "dow jones"},
    )
    assert frame.height == 30 * 10
    assert frame_hash(frame) == GOLDEN


# ------------------------------------------------------------------- time anchoring


@pytest.mark.parametrize("interval", ["1day", "1hour"])
def test_february_is_the_same_in_jan_to_mar_and_feb_to_apr(interval: str) -> None:
    kw = {"seed": 5, "interval": interval, "custom_params": {"symbols": 25}}
    a = tempdata.generate("stocks", date_range=("2024-01-01", "2024-03-31"), **kw)
    b = tempdata.generate("stocks", date_range=("2024-02-01", "2024-04-30"), **kw)
    feb = pl.col("date").dt.month() == 2
    assert a.filter(feb).height == b.filter(feb).height > 0
    assert a.filter(feb).equals(b.filter(feb))
    # ... and by count, ending after Presidents' Day (2024-02-19, no session).
    n = a.filter(feb).height
    c = tempdata.generate("stocks", rows=n, date_range=(None, "2024-02-29"), **kw)
    assert c.equals(a.filter(feb))


def test_a_symbol_does_not_depend_on_the_other_symbols() -> None:
    kw = {"seed": 3, "date_range": ("2024-05-01", "2024-05-10")}
    few = tempdata.generate("stocks", custom_params={"symbols": 5}, **kw)
    many = tempdata.generate("stocks", **kw)
    shared = many.filter(
        pl.col("symbol").cast(pl.String).is_in(few["symbol"].cast(pl.String).to_list())
    )
    cols = ["date", "open", "high", "low", "close", "adj_close", "volume", "dividend"]
    assert shared.select(cols).equals(few.select(cols))


# ------------------------------------------------------------------------- sessions


def test_no_rows_on_weekends_or_nyse_holidays() -> None:
    frame = tempdata.generate(
        "stocks", seed=1, date_range=("2024-01-01", "2024-12-31"), custom_params={"symbols": 3}
    )
    days = frame["date"].unique()
    assert days.len() == 252
    for holiday in ("2024-07-04", "2024-03-29", "2024-12-25", "2024-01-01", "2024-11-28"):
        assert dt.date.fromisoformat(holiday) not in days.to_list()
    assert (days.dt.weekday() <= 5).all()
    assert frame.height == 3 * 252


@pytest.mark.parametrize(("interval", "bars"), [("1min", 390), ("30min", 13), ("1hour", 7)])
def test_intraday_bars_lie_in_regular_hours(interval: str, bars: int) -> None:
    frame = tempdata.generate(
        "stocks",
        seed=2,
        interval=interval,
        date_range=("2024-07-03", "2024-07-08"),
        custom_params={"symbols": 2},
    )
    local = frame["timestamp"]
    assert str(local.dtype.time_zone) == "America/New_York"  # type: ignore[attr-defined]
    minutes = local.dt.hour().cast(pl.Int32) * 60 + local.dt.minute().cast(pl.Int32)
    assert minutes.min() == 9 * 60 + 30
    assert minutes.max() < 16 * 60
    assert sorted(frame["date"].unique().to_list()) == [dt.date(2024, 7, d) for d in (3, 5, 8)]
    assert frame.height == 2 * 3 * bars


def test_other_exchanges_use_their_own_sessions() -> None:
    frame = tempdata.generate(
        "stocks",
        seed=1,
        interval="1hour",
        date_range=("2024-12-23", "2024-12-31"),
        custom_params={"index": "DAX", "exchange": "XETR", "symbols": 2},
    )
    assert frame["currency"].unique().to_list() == ["EUR"]
    assert frame["date"].unique().sort().to_list() == [
        dt.date(2024, 12, 23),
        dt.date(2024, 12, 27),
        dt.date(2024, 12, 30),
    ]
    hours = frame["timestamp"].dt.hour()
    assert hours.min() == 9
    assert hours.max() == 17


# ------------------------------------------------------------------------ invariants


@settings(max_examples=6, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    rows=st.integers(1, 3_000),
    interval=st.sampled_from(["1min", "15min", "1hour", "1day"]),
    end=st.dates(dt.date(1995, 1, 1), dt.date(2039, 12, 31)),
    index=st.sampled_from(["S&P 500", "Nikkei 225", "FTSE 100"]),
)
def test_invariants_hold_over_seeds_sizes_and_intervals(
    seed: int, rows: int, interval: str, end: dt.date, index: str
) -> None:
    frame = tempdata.generate(
        "stocks",
        rows=rows,
        seed=seed,
        interval=interval,
        date_range=(None, end),
        custom_params={"index": index, "symbols": 30},
    )
    assert frame.height == rows
    report = evaluate(frame, registry.get("stocks"))
    assert report.ok, report.failures()
    assert frame.null_count().sum_horizontal().item() == 0


@pytest.fixture(scope="module")
def years() -> pl.DataFrame:
    return tempdata.generate("stocks", seed=1, date_range=("2019-01-01", "2024-12-31"))


def test_years_of_daily_bars_hold_the_invariants(years: pl.DataFrame) -> None:
    assert years["symbol"].n_unique() == 500
    report = evaluate(years, registry.get("stocks"))
    assert report.ok, report.failures()
    paying = years.filter(pl.col("dividend") > 0)
    assert 0.5 < paying["symbol"].n_unique() / 500 < 0.9
    per_year = paying.group_by("symbol", pl.col("date").dt.year()).len()
    # Four a year at most, but for the monthly payers (Realty Income, S&P 500's only one).
    assert per_year.filter(pl.col("len") > 4)["symbol"].cast(pl.String).unique().to_list() == ["O"]
    assert per_year["len"].max() == 12
    yield_ = (paying["dividend"] / paying["close"]).median()
    assert 0.001 < yield_ < 0.015  # a quarter's dividend


def _returns(frame: pl.DataFrame) -> tuple[np.ndarray, list[str]]:  # type: ignore[type-arg]
    wide = frame.pivot(on="symbol", index="date", values="adj_close").sort("date")
    symbols = wide.columns[1:]
    return np.diff(np.log(wide.drop("date").to_numpy()), axis=0), symbols


def test_stocks_of_a_sector_move_together(years: pl.DataFrame) -> None:
    r, symbols = _returns(years)
    sector = dict(years.select(pl.col("symbol").cast(pl.String), "sector").unique().iter_rows())
    labels = np.array([sector[s] for s in symbols])
    corr = np.corrcoef(r.T)
    same = labels[:, None] == labels[None, :]
    off = ~np.eye(len(labels), dtype=bool)
    within, across = corr[same & off].mean(), corr[~same].mean()
    assert within > across + 0.05, (within, across)
    assert 0.1 < across < 0.6


def test_volatility_clusters_and_volume_follows_moves(years: pl.DataFrame) -> None:
    r, _ = _returns(years)
    a = np.abs(r - r.mean(axis=0))
    lag1 = [np.corrcoef(a[1:, i], a[:-1, i])[0, 1] for i in range(a.shape[1])]
    assert np.mean(lag1) > 0.05, np.mean(lag1)
    annual = r.std(axis=0) * np.sqrt(252)
    assert 0.12 < np.median(annual) < 0.5
    moves = years.with_columns(move=(pl.col("close") / pl.col("open")).log().abs())
    rho = moves.group_by("symbol").agg(pl.corr("move", "volume", method="spearman"))
    assert rho["move"].median() > 0.2


def test_price_levels_are_plausible(years: pl.DataFrame) -> None:
    last = years.filter(pl.col("date") == pl.col("date").max())["close"]
    assert 10 < last.median() < 400
    assert last.min() > 0.5
    assert last.max() < 50_000


# ------------------------------------------------ rows, date_range, interval rules

ERRORS = [
    (
        {"rows": 500, "date_range": ("2024-07-01", "2024-07-05")},
        "4 steps × 500 symbols = 2,000 rows, not 500; leave rows out or set rows=2000",
    ),
    ({"interval": "1week"}, "dataset 'stocks' takes interval 1min"),
    ({"date_range": ("2024-07-06", "2024-07-07")}, "holds no 1day step"),
    ({"date_range": ("1985-01-01", "1985-12-31")}, "calendar covers 1990-01-01 to 2040-12-31"),
    ({"custom_params": {"index": "S&P 5000"}}, "dataset 'stocks': unknown index 'S&P 5000'"),
    ({"custom_params": {"exchange": "XNYZ"}}, "unknown exchange 'XNYZ'"),
    ({"custom_params": {"index": "EURO STOXX 50"}}, "different calendars"),
    ({"custom_params": {"index": "DAX", "exchange": "XNYS"}}, "no tickers of index 'DAX'"),
    ({"custom_params": {"symbols": 0}}, "parameter 'symbols' must be an integer from 1"),
    ({"custom_params": {"index": 5}}, "parameter 'index' must be a non-empty text"),
]


@pytest.mark.parametrize(("kwargs", "message"), ERRORS)
def test_contradictions_are_one_line_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidParameterError) as info:
        tempdata.generate("stocks", seed=1, **kwargs)  # type: ignore[arg-type]
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_describe_shows_the_parameters() -> None:
    info = tempdata.describe("stocks")
    assert info.time_series is not None
    assert info.time_series["entities"] == "symbols"
    assert {"index", "exchange", "symbols"} <= set(info.parameters)
    assert [c.name for c in info.columns][:3] == ["symbol", "date", "timestamp"]
