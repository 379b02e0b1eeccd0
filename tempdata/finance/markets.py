"""Listed companies, exchanges and trading calendars, from tempdata's reference data.

``tickers.parquet`` holds about 1,760 companies of 20 stock indices (S&P 500/600,
Nasdaq-100, DAX, FTSE 100, CAC 40, Nikkei 225, ...) on their primary listing, with GICS
sector, country, exchange (ISO 10383 MIC), index memberships and a size ``weight`` for
sampling. ``market_calendars.parquet`` holds each of those exchanges' time zone, regular
hours and non-trading weekdays from 1990 to 2040 (see ``reference_data/SOURCES.md``).

Times are naive local wall-clock times of the exchange (New York time for XNYS), like
tempdata's other wall-clock columns; attach the exchange's ``timezone`` to localise them.

>>> trading_days("XNYS", "2024-07-01", "2024-07-08")
array(['2024-07-01', '2024-07-02', '2024-07-03', '2024-07-05', '2024-07-08'],
      dtype='datetime64[D]')
>>> exchange_info("XETR").timezone
'Europe/Berlin'
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import polars as pl

from tempdata.errors import InvalidParameterError, suggest
from tempdata.geo.reference import load

__all__ = [
    "ANCHOR_DATE",
    "ExchangeInfo",
    "crypto_anchors",
    "exchange_info",
    "exchanges",
    "indices",
    "stock_anchors",
    "tickers",
    "trading_days",
    "trading_minutes",
]

DateLike = str | dt.date | np.datetime64


@dataclass(frozen=True)
class ExchangeInfo:
    """An exchange: MIC, name, place, currency and regular hours (local time).

    ``break_start`` equals ``break_end`` when the exchange has no lunch break.
    ``first_day`` and ``last_day`` bound the span its holiday calendar covers.
    """

    exchange: str
    name: str
    country: str
    currency: str
    timezone: str
    open: dt.time
    close: dt.time
    break_start: dt.time
    break_end: dt.time
    holiday_source: str
    first_day: dt.date
    last_day: dt.date


@cache
def _calendars() -> dict[str, tuple[ExchangeInfo, np.busdaycalendar]]:
    table = load("market_calendars")
    out: dict[str, tuple[ExchangeInfo, np.busdaycalendar]] = {}
    for row in table.iter_rows(named=True):
        info = ExchangeInfo(
            exchange=row["exchange"],
            name=row["name"],
            country=row["country"],
            currency=row["currency"],
            timezone=row["timezone"],
            open=row["open"],
            close=row["close"],
            break_start=row["break_start"],
            break_end=row["break_end"],
            holiday_source=row["holiday_source"],
            first_day=row["calendar_start"],
            last_day=row["calendar_end"],
        )
        holidays = np.array(row["holidays"], dtype="datetime64[D]")
        out[info.exchange] = (info, np.busdaycalendar(weekmask="1111100", holidays=holidays))
    return out


def exchanges() -> tuple[str, ...]:
    """The MICs of the exchanges with a calendar, sorted.

    >>> "XNYS" in exchanges() and "XTKS" in exchanges()
    True
    """
    return tuple(sorted(_calendars()))


def _calendar(exchange: str) -> tuple[ExchangeInfo, np.busdaycalendar]:
    calendars = _calendars()
    found = calendars.get(exchange.upper()) if isinstance(exchange, str) else None
    if found is None:
        msg = f"unknown exchange {exchange!r}" + suggest(str(exchange).upper(), calendars)
        raise InvalidParameterError(msg)
    return found


def exchange_info(exchange: str) -> ExchangeInfo:
    """The exchange ``exchange`` (ISO 10383 MIC such as ``"XNYS"``; case-insensitive).

    >>> info = exchange_info("XTKS")
    >>> info.open, info.break_start, info.break_end, info.close
    (datetime.time(9, 0), datetime.time(11, 30), datetime.time(12, 30), datetime.time(15, 30))
    >>> exchange_info("XNYS").currency
    'USD'
    """
    return _calendar(exchange)[0]


# --------------------------------------------------------------------------- tickers


def _index_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@cache
def _tickers() -> pl.DataFrame:
    return load("tickers")


@cache
def _index_names() -> dict[str, str]:
    names = _tickers().get_column("indices").explode().unique().sort().to_list()
    return {_index_key(n): n for n in names}


def indices() -> tuple[str, ...]:
    """The index names :func:`tickers` filters on, sorted.

    >>> "S&P 500" in indices() and "DAX" in indices()
    True
    """
    return tuple(sorted(_index_names().values()))


def tickers(
    exchange: str | None = None,
    country: str | None = None,
    index: str | None = None,
) -> pl.DataFrame:
    """Listed companies, one row per company, optionally filtered.

    Parameters
    ----------
    exchange
        MIC of the primary listing (``"XNYS"``, ``"XETR"``, ...; case-insensitive).
    country
        ISO 3166 alpha-2 code of the company's country (``"US"``, ``"DE"``).
    index
        An index the company belongs to (``"S&P 500"``, ``"DAX"``); case, spaces and
        punctuation do not matter (``"sp500"`` works).

    Returns
    -------
    polars.DataFrame
        Columns ``symbol``, ``name``, ``sector`` (GICS), ``industry``, ``country``,
        ``exchange``, ``currency``, ``indices`` (list), ``tier`` and ``weight`` (a size
        proxy from index tiers: mega 100, large 20, mid 5, small 1), sorted by symbol.

    Raises
    ------
    InvalidParameterError
        An unknown exchange, country or index, naming the valid ones.

    Examples
    --------
    >>> dax = tickers(index="dax")
    >>> dax.height, dax.filter(pl.col("symbol") == "SAP.DE").get_column("sector").item()
    (40, 'Information Technology')
    >>> tickers(exchange="XNAS", country="US").get_column("currency").unique().to_list()
    ['USD']
    """
    table = _tickers()
    if exchange is not None:
        table = table.filter(pl.col("exchange") == _calendar(exchange)[0].exchange)
    if country is not None:
        known = set(_tickers().get_column("country").unique().to_list())
        code = country.upper() if isinstance(country, str) else ""
        if code not in known:
            msg = f"no tickers for country {country!r}" + suggest(code, known)
            raise InvalidParameterError(msg)
        table = table.filter(pl.col("country") == code)
    if index is not None:
        names = _index_names()
        name = names.get(_index_key(index)) if isinstance(index, str) else None
        if name is None:
            msg = f"unknown index {index!r} — valid: " + ", ".join(sorted(names.values()))
            raise InvalidParameterError(msg)
        table = table.filter(pl.col("indices").list.contains(name))
    return table


# --------------------------------------------------------------------------- anchors

#: The date of the sourced price levels (``stock_anchors``, ``crypto_anchors``): the last
#: trading day of 2023.
ANCHOR_DATE = "2023-12-29"


@cache
def stock_anchors() -> pl.DataFrame:
    """Sourced price level, typical volume and dividend schedule on :data:`ANCHOR_DATE`.

    One row per ticker of :func:`tickers` that has them (US and most large European
    listings; none for Tokyo): ``close`` in the trading currency (``price_basis``
    ``close``, or ``adjusted_close`` for European rows: Bloomberg's dividend-adjusted
    close, 0-6 % below the real one), ``avg_volume`` (mean daily shares over the three
    months before), ``volatility`` (realized annualised volatility of the daily closes
    over ``volatility_window``, the year to the anchor; null for a late listing), and
    for US rows ``dividend_policy``, ``payments_per_year`` (0: no scheduled dividend),
    ``dividend_per_payment`` and the ex-dates' ``ex_months`` and ``ex_days``; these are
    null where no policy was sourced. Sources in
    ``reference_data/SOURCES.md``.

    >>> row = stock_anchors().filter(pl.col("symbol") == "KO").row(0, named=True)
    >>> row["close"], row["dividend_policy"], row["ex_months"]
    (58.93, 'quarterly', [3, 6, 9, 11])
    """
    return load("stock_anchors")


@cache
def crypto_anchors() -> pl.DataFrame:
    """Sourced USD close of the UTC day :data:`ANCHOR_DATE` and mean daily USD volume over
    the 90 days before, for the ``crypto`` coins that have them.

    >>> crypto_anchors().filter(pl.col("symbol") == "BTC")["close"].item()
    42099.4
    """
    return load("crypto_anchors")


# --------------------------------------------------------------------------- calendars


def _day(value: DateLike, name: str) -> np.datetime64:
    try:
        day = np.datetime64(np.asarray(value).astype("datetime64[D]").item(), "D")
    except (ValueError, TypeError):
        msg = f"{name}={value!r} is not a date (use 'YYYY-MM-DD', a date or datetime64)"
        raise InvalidParameterError(msg) from None
    if np.isnat(day):
        msg = f"{name}={value!r} is not a date"
        raise InvalidParameterError(msg)
    return day


def _span(
    exchange: str, start: DateLike, end: DateLike
) -> tuple[ExchangeInfo, np.busdaycalendar, np.datetime64, np.datetime64]:
    info, calendar = _calendar(exchange)
    first, last = _day(start, "start"), _day(end, "end")
    if first > last:
        msg = f"start={first} is after end={last}"
        raise InvalidParameterError(msg)
    lo, hi = np.datetime64(info.first_day, "D"), np.datetime64(info.last_day, "D")
    if first < lo or last > hi:
        msg = (
            f"{info.exchange}'s calendar covers {info.first_day} to {info.last_day}; "
            f"got {first} to {last}"
        )
        raise InvalidParameterError(msg)
    return info, calendar, first, last


def trading_days(exchange: str, start: DateLike, end: DateLike) -> npt.NDArray[np.datetime64]:
    """The trading days of ``exchange`` from ``start`` to ``end``, both included.

    Trading days are weekdays that are not exchange holidays (``market_calendars``).

    Parameters
    ----------
    exchange
        MIC (``"XNYS"``, ``"XETR"``, ...).
    start, end
        First and last day (``"2024-01-01"``, a :class:`datetime.date` or
        ``numpy.datetime64``), within the calendar's span (1990–2040).

    Returns
    -------
    numpy.ndarray
        Sorted ``datetime64[D]`` days.

    Examples
    --------
    >>> len(trading_days("XNYS", "2024-01-01", "2024-12-31"))
    252
    >>> trading_days("XETR", "2024-12-23", "2024-12-31")
    array(['2024-12-23', '2024-12-27', '2024-12-30'], dtype='datetime64[D]')
    """
    _, calendar, first, last = _span(exchange, start, end)
    count = int(np.busday_count(first, last + 1, busdaycal=calendar))
    head = np.busday_offset(first, 0, roll="forward", busdaycal=calendar)
    return np.busday_offset(head, np.arange(count), roll="forward", busdaycal=calendar)


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def trading_minutes(
    exchange: str, start: DateLike, end: DateLike, *, interval_minutes: int = 1
) -> npt.NDArray[np.datetime64]:
    """Bar start times in ``exchange``'s regular sessions from ``start`` to ``end`` (days).

    One timestamp every ``interval_minutes`` from the open, on every trading day, while the
    exchange is open: ``open <= t < close``, skipping a lunch break (Tokyo). Times are
    **naive local wall-clock times** of the exchange, as tempdata's other wall-clock
    columns; localise them with :attr:`ExchangeInfo.timezone`.

    Parameters
    ----------
    exchange
        MIC (``"XNYS"``, ...).
    start, end
        First and last day, both included.
    interval_minutes
        Bar length in minutes, a positive integer.

    Returns
    -------
    numpy.ndarray
        Sorted ``datetime64[us]`` timestamps.

    Examples
    --------
    >>> bars = trading_minutes("XNYS", "2024-07-03", "2024-07-05", interval_minutes=30)
    >>> len(bars), str(bars[0]), str(bars[-1])
    (26, '2024-07-03T09:30:00.000000', '2024-07-05T15:30:00.000000')
    >>> len(trading_minutes("XTKS", "2024-12-02", "2024-12-02", interval_minutes=60))
    6
    """
    if (
        isinstance(interval_minutes, bool)
        or not isinstance(interval_minutes, int | np.integer)
        or interval_minutes < 1
    ):
        msg = f"interval_minutes={interval_minutes!r} must be a positive whole number of minutes"
        raise InvalidParameterError(msg)
    info = _calendar(exchange)[0]
    days = trading_days(exchange, start, end)
    offsets = np.arange(_minutes(info.open), _minutes(info.close), int(interval_minutes))
    lunch = (offsets >= _minutes(info.break_start)) & (offsets < _minutes(info.break_end))
    offsets = offsets[~lunch].astype("timedelta64[m]")
    stamps = days.astype("datetime64[m]")[:, None] + offsets[None, :]
    return stamps.ravel().astype("datetime64[us]")
