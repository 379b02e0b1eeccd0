"""``stock_anchors.parquet`` and ``crypto_anchors.parquet``: where real prices pin the
``stocks`` and ``crypto`` walks.

From ``scripts/sources/markets/`` (see ``MARKETS.md`` there), all on one anchor date,
**2023-12-29** (the last trading day of 2023):

* **stock_anchors** — one row per ticker of ``tickers.parquet`` with a sourced close
  (1,416 of 1,768; the Nikkei 225 and some European mid/small caps have none and stay
  synthetic): the close in the trading currency (``price_basis``: the real close for US
  listings and six large European ones — SAP, Siemens, Allianz, Deutsche Telekom, LVMH,
  TotalEnergies —, Bloomberg's dividend-adjusted close for the other European ones, 0-6 %
  below the real one), the mean daily share volume over the three months before the
  anchor (null for BRK.B: not sourced), and for US listings and those six the dividend
  schedule:

  - ``dividend_policy`` as sourced (``none``, ``monthly``, ``quarterly``,
    ``semi-annual``, ``annual``, ``irregular``); null where no policy was sourced (every
    European row but the six above);
  - ``payments_per_year`` 12/4/2/1 for the regular policies, 0 for ``none`` and
    ``irregular`` (special dividends only or no resolved pattern: no schedule to follow);
  - ``dividend_per_payment``: the indicated annual dividend at the anchor (the last
    regular payment × payments a year) over the payments a year;
  - ``ex_months`` / ``ex_days``: the schedule, month and day of each ex-date of a year,
    from Yahoo's regular ex-dates: the 2023 ones when the year holds one per payment (660
    of 704 quarterly payers), else the most recent ones up to the anchor, then later
    ones, and for a company whose schedule starts at the anchor (PG&E, Veralto, Disney)
    the months 12 / payments apart from the most recent one.

* **crypto_anchors** — the coins of the ``crypto`` dataset, each with a sourced close
  (the dataset generates only the 15 coins of the extract that have one): USD close of
  the UTC day and the mean daily USD volume over the 90 days before.
"""

from __future__ import annotations

import csv
import datetime as dt
import statistics
from typing import Any

import polars as pl

from refdata.build import REPO_ROOT, Artifact, BuildContext, Source, fail

DIR = REPO_ROOT / "scripts" / "sources" / "markets"
STOCKS = DIR / "stocks.csv"
CRYPTO = DIR / "crypto.csv"
ANCHOR = dt.date(2023, 12, 29)
#: Payments a year of each sourced policy (``irregular``: no regular schedule).
PAYMENTS = {"none": 0, "irregular": 0, "annual": 1, "semi-annual": 2, "quarterly": 4, "monthly": 12}
PRICE_BASES = {"close", "adjusted_close"}
COMPILED = "2026-12-07"


def _rows(path: Any) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _float(row: dict[str, str], key: str) -> float | None:
    text = row[key].strip()
    return float(text) if text else None


def schedule(dates: list[dt.date], months_2023: list[int], n: int) -> list[dt.date]:
    """The ``n`` ex-dates of a year that stand for a payer's schedule.

    The 2023 ones when there is one per payment; else the most recent ``n`` up to the
    anchor, then later ones; if still short, the months ``12 / n`` apart from the most
    recent one fill the gaps (a schedule that starts near the anchor).

    >>> d = [dt.date(2023, m, 15) for m in (3, 6, 9, 11)]
    >>> [x.month for x in schedule(d, [3, 6, 9, 11], 4)]
    [3, 6, 9, 11]
    >>> [x.month for x in schedule([dt.date(2023, 12, 28)], [12], 4)]
    [3, 6, 9, 12]
    """
    in_year = sorted(d for d in dates if d.year == ANCHOR.year)
    if len(months_2023) == len(in_year) == len({d.month for d in in_year}) == n:
        return in_year
    before = sorted(d for d in dates if d <= ANCHOR)
    after = sorted(d for d in dates if d > ANCHOR)
    chosen: list[dt.date] = []
    for d in [*reversed(before), *after]:
        if len(chosen) < n and d.month not in {c.month for c in chosen}:
            chosen.append(d)
    step = 12 // n
    for k in range(1, n):
        if chosen and len(chosen) < n:
            last = chosen[0]  # the most recent up to the anchor (else the first after)
            month = (last.month - 1 - k * step) % 12 + 1
            if month not in {c.month for c in chosen}:
                chosen.append(dt.date(ANCHOR.year, month, min(last.day, 28)))
    return sorted(chosen, key=lambda d: d.month)


def build_stock_anchors(ctx: BuildContext) -> Artifact:
    tickers = ctx.built.get("tickers.parquet")
    if tickers is None:
        fail("stock_anchors: tickers.parquet must be built first")
    listing = {r["symbol"]: r for r in tickers.select("symbol", "currency").to_dicts()}
    out: list[tuple[Any, ...]] = []
    uneven = 0
    for row in _rows(STOCKS):
        symbol = row["symbol"]
        if symbol not in listing:
            fail(f"{STOCKS.name}: {symbol} is not in tickers.parquet")
        if row["currency"] != listing[symbol]["currency"]:
            fail(
                f"{STOCKS.name}: {symbol} trades in {listing[symbol]['currency']} "
                f"(tickers.parquet), not {row['currency']}"
            )
        if dt.date.fromisoformat(row["anchor_date"]) != ANCHOR:
            fail(f"{STOCKS.name}: {symbol} has anchor date {row['anchor_date']}, not {ANCHOR}")
        close, volume = _float(row, "close"), _float(row, "avg_volume")
        if close is None or close <= 0 or (volume is not None and volume <= 0):
            fail(f"{STOCKS.name}: {symbol} needs a positive close (and volume, if any)")
        volatility = _float(row, "volatility")
        if volatility is not None and not 0.05 <= volatility <= 2.0:
            fail(f"{STOCKS.name}: {symbol} has volatility {volatility}, expected 0.05-2.0 a year")
        if row["price_basis"] not in PRICE_BASES:
            fail(f"{STOCKS.name}: {symbol} has price basis {row['price_basis']!r}")
        policy = row["dividend_policy"] or None
        months: list[int] = []
        days: list[int] = []
        per_payment: float | None = None
        payments: int | None = None
        if policy is not None:
            if policy not in PAYMENTS:
                fail(f"{STOCKS.name}: {symbol} has unknown dividend policy {policy!r}")
            payments = PAYMENTS[policy]
            per_payment = 0.0
            if payments:
                annual = _float(row, "indicated_annual_dividend")
                if annual is None or annual <= 0:
                    fail(f"{STOCKS.name}: {symbol} pays {policy} but has no indicated dividend")
                per_payment = annual / payments
                dates = [dt.date.fromisoformat(d) for d in row["ex_div_dates"].split()]
                in_2023 = [int(m) for m in row["ex_div_months"].split()]
                chosen = schedule(dates, in_2023, payments)
                if len(chosen) != payments:
                    fail(f"{STOCKS.name}: {symbol} ({policy}) has no {payments}-month schedule")
                months = [d.month for d in chosen]
                days = [d.day for d in chosen]
                gaps = [b - a for a, b in zip(months, [*months[1:], months[0] + 12], strict=True)]
                uneven += payments > 1 and max(gaps) - min(gaps) > 1
        out.append(
            (
                symbol,
                ANCHOR,
                close,
                row["currency"],
                row["price_basis"],
                volume,
                volatility,
                row["volatility_window"] or None,
                policy,
                payments,
                per_payment,
                months,
                days,
            )
        )
    frame = pl.DataFrame(
        out,
        schema={
            "symbol": pl.String,
            "anchor_date": pl.Date,
            "close": pl.Float64,
            "currency": pl.String,
            "price_basis": pl.String,
            "avg_volume": pl.Float64,
            "volatility": pl.Float64,
            "volatility_window": pl.String,
            "dividend_policy": pl.String,
            "payments_per_year": pl.Int8,
            "dividend_per_payment": pl.Float64,
            "ex_months": pl.List(pl.Int8),
            "ex_days": pl.List(pl.Int8),
        },
        orient="row",
    ).sort("symbol")
    if frame["symbol"].n_unique() != frame.height:
        fail(f"{STOCKS.name}: duplicate symbols")
    policies = frame["dividend_policy"].value_counts(sort=True).rows()
    us = frame.filter(pl.col("currency") == "USD")
    yield_pct = (us["dividend_per_payment"] * us["payments_per_year"] / us["close"] * 100).filter(
        us["payments_per_year"] > 0
    )
    return Artifact(
        name="stock_anchors.parquet",
        frame=frame,
        sources=_STOCK_SOURCES,
        origin=(
            f"Price level, typical share volume and dividend schedule on {ANCHOR} (the last "
            "trading day of 2023) of the tickers of tickers.parquet that have them, from the "
            "extract scripts/sources/markets/stocks.csv (repository, path and commit per row; "
            "how it was compiled in MARKETS.md there). `close`: the closing price in the "
            "trading currency — US listings: Nasdaq.com historical quotes "
            "(dieperdev/nasdaq-stock-data, copied 2024-03-03; three January-February 2024 "
            "splits undone: WMT, COO, HUBG; BRK.B: Yahoo Finance closes in "
            "quantcapAps/trading_data); European listings: Bloomberg daily closes of "
            "STOXX Europe 600 members (augustindbs/sxxp-analysis), adjusted for the dividends "
            "paid January-June 2024 (`price_basis` = adjusted_close, 0-6 % below the real "
            "close; London pence divided by 100), except SAP, Siemens, Allianz, Deutsche "
            "Telekom, LVMH and TotalEnergies at their real close (`price_basis` = close; "
            "Yahoo Finance unadjusted closes and dividends in magiccpp/price_data, for "
            "Allianz and LVMH the adjusted close divided back by the one 2024 dividend). "
            "`avg_volume`: mean daily shares traded 2023-10-02..2023-12-29 from the same "
            "series (null where not sourced: BRK.B). `volatility`: realized annualised "
            "volatility of the same closes, the sample sd of the daily log returns "
            "2022-12-30..2023-12-29 (or from the listing during 2023) x sqrt(252); null "
            "where fewer than 41 closes exist. US dividends were derived from "
            "Yahoo Finance Close vs Adj Close (dieperdev/yfinance-stock-data, copied "
            "2024-03-09): an ex-date where the adjustment factor steps, the cash amount from "
            "the step; specials (more than 1.5x both neighbours) excluded; the policy from the "
            "median gap between regular ex-dates. `payments_per_year` 0 means no scheduled "
            "dividend (`none`; `irregular`: specials only or no resolved pattern); "
            "`dividend_per_payment` is the indicated annual dividend at the anchor (last "
            "regular payment x payments a year) over the payments; `ex_months`/`ex_days` "
            "the month and day of each ex-date of the schedule: the 2023 ex-dates where "
            "there is one per payment, else the most recent ones up to the anchor, then "
            "later ones, the gaps filled by the months 12/payments apart from the most recent one. "
            "The six European schedules come from the Dividends column of "
            "magiccpp/price_data and, for 2023 ex-dates before the part read, from the "
            "companies' published dividends (flagged own knowledge in the extract). "
            "`dividend_policy` null: not sourced (the other European rows)."
        ),
        notes=[
            f"{frame.height} of {tickers.height} tickers; "
            f"{frame.filter(pl.col('price_basis') == 'close').height} at their real close, "
            f"{frame.filter(pl.col('price_basis') == 'adjusted_close').height} at a "
            "dividend-adjusted close; the rest (scripts/sources/markets/missing.csv: all 226 "
            "Nikkei 225 members, European mid/small caps) have no row.",
            f"Volatility: {frame['volatility'].is_not_null().sum()} rows, median "
            f"{frame['volatility'].median():.3f} a year (range "
            f"{frame['volatility'].min():.3f}-{frame['volatility'].max():.3f}).",
            "Dividend policies: "
            + ", ".join(f"{p or 'not sourced'} {n}" for p, n in policies)
            + f"; median yield of US payers {statistics.median(yield_pct.to_list()):.2f} %.",
            f"{uneven} schedules are unevenly spaced as sourced (Yahoo's ex-dates: KO's Nov "
            "ex-date, two dividend streams at COP, an extra stub payment at EXR, ...).",
            "Ex-dates are Yahoo's and can be a day or two after the company's; the months "
            "are reliable.",
        ],
        attribution=_ATTRIBUTION[:3],
    )


def build_crypto_anchors(ctx: BuildContext) -> Artifact:
    from tempdata.datasets.finance import COINS

    coins = {c.symbol for c in COINS}
    out: list[tuple[Any, ...]] = []
    unsourced = []
    for row in _rows(CRYPTO):
        symbol = row["symbol"]
        close, volume = _float(row, "close"), _float(row, "avg_volume_usd")
        if close is None and volume is None:
            unsourced.append(symbol)  # listed as missing in the extract: not generated
            continue
        if symbol not in coins:
            fail(f"{CRYPTO.name}: {symbol} is not a coin of the crypto dataset")
        if close is None or close <= 0 or volume is None or volume <= 0:
            fail(f"{CRYPTO.name}: {symbol} needs a positive close and volume")
        if row["currency"] != "USD" or dt.date.fromisoformat(row["anchor_date"]) != ANCHOR:
            fail(f"{CRYPTO.name}: {symbol} must be a USD close on {ANCHOR}")
        out.append((symbol, ANCHOR, close, volume))
    frame = pl.DataFrame(
        out,
        schema={
            "symbol": pl.String,
            "anchor_date": pl.Date,
            "close": pl.Float64,
            "avg_volume_usd": pl.Float64,
        },
        orient="row",
    ).sort("symbol")
    missing = sorted(coins - set(frame["symbol"]))
    if missing:
        fail(f"{CRYPTO.name}: coins of the crypto dataset without a sourced close: {missing}")
    return Artifact(
        name="crypto_anchors.parquet",
        frame=frame,
        sources=_CRYPTO_SOURCES,
        origin=(
            f"USD close of the UTC day {ANCHOR} (the price at 23:59:59 UTC) and the mean daily "
            "USD volume over 2023-10-01..2023-12-29 (90 days) of the coins of the crypto "
            "dataset, from the extract scripts/sources/markets/crypto.csv: Yahoo Finance "
            "crypto history (CoinMarketCap data) saved with yfinance in "
            "Alexshch09/Stocks-prices."
        ),
        notes=[
            f"Every one of the {len(coins)} coins of the crypto dataset; no file in the dump "
            f"for {', '.join(unsourced)}, which the dataset therefore does not generate."
        ],
        attribution=_ATTRIBUTION[3:],
    )


_STOCK_SOURCES = [
    Source(
        "scripts/sources/markets/stocks.csv",
        "extract of the repositories below; single closes and volumes are facts",
        "close, 3-month volume, dividend schedule at 2023-12-29",
        pinned=COMPILED,
    ),
    Source(
        "dieperdev/nasdaq-stock-data",
        "Unlicense",
        "US closes and volumes (Nasdaq.com historical quotes)",
        pinned="47ff8f34c175a66e2a88b363bedd09f2fbec2fdc",
    ),
    Source(
        "dieperdev/yfinance-stock-data",
        "Unlicense",
        "US dividends derived from Yahoo Finance Close vs Adj Close",
        pinned="296de9891a69653e2f3038adfd237bbd58347ed5",
    ),
    Source(
        "quantcapAps/trading_data",
        "no licence stated (values used as facts of market data; no file copied)",
        "BRK.B closes (Yahoo Finance Adj Close; Berkshire pays no dividend)",
        pinned="abe5011611d758b30c2c1959d18e0ca49e2262b4",
    ),
    Source(
        "magiccpp/price_data",
        "no licence stated (values used as facts of market data; no file copied)",
        "unadjusted closes and dividends of six large European listings (Yahoo Finance)",
        pinned="38648fd664574ab2fbefd07d201ab9532fee2001",
    ),
    Source(
        "augustindbs/sxxp-analysis",
        "no licence stated (values used as facts of market data; no file copied)",
        "European closes and volumes (Bloomberg, STOXX Europe 600 members)",
        pinned="3c6d818c7b71aa48fe6309a33b92f7171f047f1d",
    ),
]
_CRYPTO_SOURCES = [
    Source(
        "scripts/sources/markets/crypto.csv",
        "extract of the repository below; single closes and volumes are facts",
        "USD close and 90-day USD volume at 2023-12-29",
        pinned=COMPILED,
    ),
    Source(
        "Alexshch09/Stocks-prices",
        "no licence stated (values used as facts of market data; no file copied)",
        "Yahoo Finance crypto daily history (CoinMarketCap data)",
        pinned="11c6cc3c080b66a3bcdd820d4863f327a5a0a433",
    ),
]
_ATTRIBUTION = [
    "US quotes: Nasdaq.com historical quotes and Yahoo Finance, as collected in "
    "dieperdev/nasdaq-stock-data and dieperdev/yfinance-stock-data (Unlicense).",
    "European quotes: Bloomberg data as pickled in augustindbs/sxxp-analysis, which states "
    "no licence; only single closes and volumes, facts of market data, are used.",
    "BRK.B closes and six European closes and dividends: Yahoo Finance data as saved in "
    "quantcapAps/trading_data and magiccpp/price_data, which state no licence; only single "
    "closes and dividends, facts of market data, are used.",
    "Crypto quotes: Yahoo Finance (CoinMarketCap data) as saved in Alexshch09/Stocks-prices, "
    "which states no licence; only single closes and volumes, facts of market data, are used.",
]

BUILDERS = [build_stock_anchors, build_crypto_anchors]
