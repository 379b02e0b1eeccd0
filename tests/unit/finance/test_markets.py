"""Tickers, exchanges and trading calendars from the reference data."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from tempdata.errors import InvalidParameterError
from tempdata.finance.markets import (
    ANCHOR_DATE,
    crypto_anchors,
    exchange_info,
    exchanges,
    indices,
    stock_anchors,
    tickers,
    trading_days,
    trading_minutes,
)


def days(*isos: str) -> np.ndarray:
    return np.array(isos, dtype="datetime64[D]")


# --------------------------------------------------------------------------- calendars


@pytest.mark.parametrize(
    ("exchange", "closed"),
    [
        ("XNYS", days("2024-07-04", "2024-12-25", "2024-03-29", "2024-01-15", "2024-11-28")),
        ("XNAS", days("2024-07-04", "2024-12-25", "2024-03-29")),
        ("XETR", days("2024-12-24", "2024-12-25", "2024-12-26", "2024-12-31", "2024-04-01")),
        ("XLON", days("2024-12-25", "2024-12-26", "2024-08-26")),
        ("XTKS", days("2024-01-02", "2024-01-03", "2024-12-31")),
        ("XSTO", days("2024-06-21", "2024-12-24", "2024-12-31", "2024-06-06")),
    ],
)
def test_known_holidays_are_absent(exchange: str, closed: np.ndarray) -> None:
    open_days = trading_days(exchange, "2024-01-01", "2024-12-31")
    assert not np.isin(closed, open_days).any()
    # the day before each holiday (if a weekday that is not a holiday) is often open:
    # at least, the table is not empty around them
    assert open_days.size > 240


def test_nyse_2024_has_252_trading_days() -> None:
    assert trading_days("XNYS", "2024-01-01", "2024-12-31").size == 252


def test_special_closures_are_in_the_calendar() -> None:
    sept_2001 = trading_days("XNYS", "2001-09-10", "2001-09-17")
    assert sept_2001.tolist() == [dt.date(2001, 9, 10), dt.date(2001, 9, 17)]


@pytest.mark.parametrize("exchange", ["XNYS", "XETR", "XLON", "XPAR", "XSWX", "XTKS", "XHEL"])
def test_no_weekends_sorted_unique_and_in_range(exchange: str) -> None:
    got = trading_days(exchange, "1990-01-01", "2040-12-31")
    weekday = (got.astype("int64") + 3) % 7  # 1970-01-01 was a Thursday → Monday is 0
    assert (weekday < 5).all()
    assert (np.diff(got.astype("int64")) > 0).all()
    assert got[0] >= np.datetime64("1990-01-01")
    assert got[-1] <= np.datetime64("2040-12-31")
    per_year = got.size / 51
    assert 240 < per_year < 258


def test_inclusive_bounds_and_date_types() -> None:
    same = trading_days("XNYS", dt.date(2024, 7, 3), np.datetime64("2024-07-05"))
    assert same.tolist() == [dt.date(2024, 7, 3), dt.date(2024, 7, 5)]
    assert trading_days("XNYS", "2024-07-04", "2024-07-04").size == 0
    assert trading_days("xnys", "2024-07-06", "2024-07-07").dtype == np.dtype("datetime64[D]")


@pytest.mark.parametrize(
    ("exchange", "interval", "per_day"),
    [("XNYS", 1, 390), ("XNYS", 5, 78), ("XETR", 15, 34), ("XTKS", 1, 330), ("XLON", 60, 9)],
)
def test_minutes_lie_within_open_hours(exchange: str, interval: int, per_day: int) -> None:
    info = exchange_info(exchange)
    bars = trading_minutes(exchange, "2024-03-01", "2024-03-31", interval_minutes=interval)
    n_days = trading_days(exchange, "2024-03-01", "2024-03-31").size
    assert bars.dtype == np.dtype("datetime64[us]")
    assert bars.size == n_days * per_day
    assert (np.diff(bars.astype("int64")) > 0).all()
    minute = (bars - bars.astype("datetime64[D]")).astype("timedelta64[m]").astype("int64")
    opens = info.open.hour * 60 + info.open.minute
    closes = info.close.hour * 60 + info.close.minute
    lunch = (info.break_start.hour * 60 + info.break_start.minute,
             info.break_end.hour * 60 + info.break_end.minute)  # fmt: skip
    assert (minute >= opens).all()
    assert (minute < closes).all()
    assert not ((minute >= lunch[0]) & (minute < lunch[1])).any()
    assert np.isin(
        bars.astype("datetime64[D]"), trading_days(exchange, "2024-03-01", "2024-03-31")
    ).all()


def test_exchange_info() -> None:
    nyse = exchange_info("XNYS")
    assert (nyse.timezone, nyse.currency, nyse.country) == ("America/New_York", "USD", "US")
    assert (nyse.open, nyse.close) == (dt.time(9, 30), dt.time(16))
    assert nyse.break_start == nyse.break_end
    assert {"XNYS", "XNAS", "XETR", "XLON", "XPAR", "XSWX", "XTKS"} <= set(exchanges())


# --------------------------------------------------------------------------- tickers


def test_tickers_unique_with_sector_and_known_exchange() -> None:
    table = tickers()
    assert table.height > 1500
    assert table.get_column("symbol").is_unique().all()
    assert (table.get_column("sector") != "").all()
    assert table.get_column("sector").n_unique() == 11
    assert set(table.get_column("exchange").unique()) <= set(exchanges())
    assert table.get_column("country").str.contains("^[A-Z]{2}$").all()
    assert (table.get_column("weight") > 0).all()
    assert table.null_count().sum_horizontal().item() == 0


def test_ticker_filters() -> None:
    xetr = tickers(exchange="XETR")
    assert xetr.height > 0
    assert (xetr.get_column("exchange") == "XETR").all()
    assert (xetr.get_column("currency") == "EUR").all()
    jp = tickers(country="jp")
    assert jp.height > 150
    assert (jp.get_column("country") == "JP").all()
    sp = tickers(index="S&P 500")
    assert 480 <= sp.height <= 505
    assert sp.equals(tickers(index="sp500"))
    both = tickers(exchange="XNAS", index="Nasdaq-100")
    assert both.height > 90
    assert both.get_column("indices").list.contains("Nasdaq-100").all()
    assert tickers(country="US", index="DAX").is_empty()
    assert "AAPL" in tickers(index="dow jones").get_column("symbol").to_list()
    assert set(indices()) >= {"S&P 500", "DAX", "FTSE 100", "Nikkei 225", "SMI"}


def test_well_known_companies() -> None:
    table = tickers().filter(pl.col("symbol").is_in(["AAPL", "SAP.DE", "7203.T", "NESN.SW"]))
    got = {
        r["symbol"]: (r["exchange"], r["country"], r["sector"]) for r in table.iter_rows(named=True)
    }
    assert got["AAPL"] == ("XNAS", "US", "Information Technology")
    assert got["SAP.DE"] == ("XETR", "DE", "Information Technology")
    assert got["7203.T"][:2] == ("XTKS", "JP")
    assert got["NESN.SW"] == ("XSWX", "CH", "Consumer Staples")


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: trading_days("XNYZ", "2024-01-01", "2024-01-31"), "unknown exchange 'XNYZ'"),
        (lambda: exchange_info("NYSE"), "unknown exchange 'NYSE'"),
        (lambda: tickers(exchange="LSE"), "unknown exchange 'LSE'"),
        (lambda: tickers(index="Dax 30"), "unknown index 'Dax 30' — valid: .*DAX"),
        (lambda: tickers(country="XX"), "no tickers for country 'XX'"),
        (lambda: trading_days("XNYS", "2024-02-01", "2024-01-01"), "after end"),
        (lambda: trading_days("XNYS", "1985-01-01", "1986-01-01"), "covers 1990-01-01"),
        (lambda: trading_days("XNYS", "2024-13-01", "2024-12-31"), "not a date"),
        (
            lambda: trading_minutes("XNYS", "2024-01-02", "2024-01-02", interval_minutes=0),
            "interval_minutes=0",
        ),
    ],
)
def test_errors_are_one_line(call: object, match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match) as info:
        call()  # type: ignore[operator]
    assert "\n" not in str(info.value)


# --------------------------------------------------------------------------- anchors


def test_stock_anchors_join_the_tickers_and_hold_what_the_sampler_reads() -> None:
    anchors = stock_anchors()
    assert anchors.columns == [
        "symbol",
        "anchor_date",
        "close",
        "currency",
        "price_basis",
        "avg_volume",
        "volatility",
        "volatility_window",
        "dividend_policy",
        "payments_per_year",
        "dividend_per_payment",
        "ex_months",
        "ex_days",
    ]
    assert anchors["symbol"].is_unique().all()
    assert set(anchors["anchor_date"]) == {dt.date.fromisoformat(ANCHOR_DATE)}
    joined = anchors.join(tickers(), on="symbol", how="left", suffix="_listing")
    assert joined["name"].null_count() == 0
    assert (joined["currency"] == joined["currency_listing"]).all()
    assert (anchors["close"] > 0).all()
    # A volume for every close but BRK.B's (its source holds closes only).
    assert anchors.filter(pl.col("avg_volume").is_null())["symbol"].to_list() == ["BRK.B"]
    assert (anchors["avg_volume"].drop_nulls() > 0).all()
    # Realized volatility of 2023 for all but late listings, in the builder's range.
    vol = anchors["volatility"].drop_nulls()
    assert vol.len() > 0.99 * anchors.height
    assert vol.is_between(0.05, 2.0).all()
    assert 0.2 < vol.median() < 0.4  # type: ignore[operator]
    assert (anchors["volatility"].is_null() == anchors["volatility_window"].is_null()).all()
    assert set(anchors["price_basis"]) == {"close", "adjusted_close"}
    # US listings and six European ones: a policy with its schedule; the other European
    # ones: none sourced; Tokyo: no row.
    sourced = anchors.filter(pl.col("dividend_policy").is_not_null())
    eu = {"SAP.DE", "SIE.DE", "ALV.DE", "DTE.DE", "MC.PA", "TTE.PA"}
    assert set(sourced.filter(pl.col("currency") != "USD")["symbol"]) == eu
    assert set(anchors.filter(pl.col("symbol").is_in(list(eu)))["price_basis"]) == {"close"}
    us = sourced.filter(pl.col("currency") == "USD")
    assert us.height == anchors.filter(pl.col("currency") == "USD").height
    assert us["dividend_policy"].null_count() == 0
    assert set(us["dividend_policy"]) <= {
        "none", "irregular", "annual", "semi-annual", "quarterly", "monthly"
    }  # fmt: skip
    assert (sourced["ex_months"].list.len() == sourced["payments_per_year"]).all()
    assert ((sourced["dividend_per_payment"] > 0) == (sourced["payments_per_year"] > 0)).all()
    assert not anchors["symbol"].str.ends_with(".T").any()


def test_crypto_anchors_are_positive_usd_levels_of_known_coins() -> None:
    from tempdata.datasets.finance import COINS

    coins = crypto_anchors()
    assert set(coins["symbol"]) == {c.symbol for c in COINS}  # every generated coin
    assert coins.height == 15
    assert (coins["close"] > 0).all()
    assert (coins["avg_volume_usd"] > 0).all()
