"""Card-payment merchants and travel for the banking dataset.

Sources (committed under ``scripts/sources/banking/`` and ``scripts/sources/poi/``, see
their READMEs):

* ``mcc.csv``: merchant category codes (ISO 18245 texts) with the categories whose chains
  name their merchants and the POI category whose patterns name local businesses.
* ``nsi_brands.csv`` and ``nsi_merchants.csv``: chains per category and country from the
  name-suggestion-index.
* ``tourist_arrivals.csv``: UN Tourism arrivals of the most visited countries.
* ``card_cross_border.csv``: the ECB's split of card-payment value by where it is acquired.

Files written:

* ``merchant_categories.parquet``: mcc, description, local (POI category or ""),
  brand_share (share of a category's merchants that are chains where the country has
  chains: the POI category's, 1 for chains-only codes), weight, median_usd, sigma.
* ``merchant_brands.parquet``: mcc, country_code, name: each code's chains per country.
* ``tourist_arrivals.parquet``: country, arrivals_millions, year.
* ``card_cross_border.parquet``: region, year, measure, domestic, cross_border, source.
"""

from __future__ import annotations

import csv
from typing import Any

import polars as pl

from refdata.build import REPO_ROOT, Artifact, BuildContext, Source, fail, frame
from refdata.poi import NOT_A_BRANCH, NSI, NSI_NOTICE
from refdata.poi import read_csv as read_poi_csv

SOURCE_DIR = REPO_ROOT / "scripts" / "sources" / "banking"
_EXTRACT = Source(
    "scripts/sources/banking/mcc.csv",
    "ISO 18245 codes and texts (facts); mix: tempdata's own",
    "merchant category codes, their merchant categories and payment mix",
    pinned="2026-12-07",
)


def _read(name: str) -> list[dict[str, str]]:
    with (SOURCE_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def build_merchant_categories(ctx: BuildContext) -> Artifact:
    """``merchant_categories.parquet``: each card MCC and how its merchants are named."""
    poi = {r["category"]: float(r["brand_share"]) for r in read_poi_csv("categories.csv")}
    patterns = set(ctx.built["poi_patterns.parquet"].get_column("category").to_list())
    chains = {r["category"] for r in read_poi_csv("nsi_brands.csv")}
    chains |= {r["category"] for r in read_poi_csv("nsi_merchants.csv")}
    rows: list[tuple[Any, ...]] = []
    for r in _read("mcc.csv"):
        code = int(r["mcc"])
        if not 1000 <= code <= 9999:
            fail(f"mcc.csv: {r['mcc']!r} is not a four-digit merchant category code")
        for category in r["brands"].split("|"):
            if category not in chains:
                fail(f"mcc.csv: {code} names chains of {category!r}, which NSI extracts lack")
        local = r["local"]
        if local and (local not in poi or local not in patterns):
            fail(f"mcc.csv: {code} local category {local!r} has no POI naming patterns")
        weight = float(r["weight"])
        if weight <= 0:
            fail(f"mcc.csv: {code} weight must be positive")
        rows.append(
            (
                code,
                r["description"],
                r["brands"],
                local,
                poi[local] if local else 1.0,
                weight,
                float(r["median_usd"]),
                float(r["sigma"]),
            )
        )
    if len({r[0] for r in rows}) != len(rows):
        fail("mcc.csv: a code is listed twice")
    return Artifact(
        name="merchant_categories.parquet",
        frame=frame(
            rows,
            {
                "mcc": pl.Int16,
                "description": pl.String,
                "brands": pl.String,
                "local": pl.String,
                "brand_share": pl.Float64,
                "weight": pl.Float64,
                "median_usd": pl.Float64,
                "sigma": pl.Float64,
            },
        ),
        sources=[_EXTRACT],
        origin=(
            "scripts/sources/banking/mcc.csv: the merchant category codes (ISO 18245, texts "
            "as in Visa's Merchant Data Standards Manual) of everyday card payments, the "
            "chain categories that name their merchants (`brands`, name-suggestion-index "
            "trees), the POI category whose naming patterns name local businesses "
            "(`local`, empty: chains only) with its `brand_share` (poi_categories'), and "
            "the payment mix (`weight`, `median_usd`, `sigma`: tempdata's own assumptions)."
        ),
    )


def build_merchant_brands(ctx: BuildContext) -> Artifact:
    """``merchant_brands.parquet``: the chains of each MCC per country."""
    categories = ctx.built["merchant_categories.parquet"]
    by_category: dict[str, set[tuple[str, str]]] = {}
    for r in [*read_poi_csv("nsi_brands.csv"), *read_poi_csv("nsi_merchants.csv")]:
        if not NOT_A_BRANCH.search(r["name"]):
            by_category.setdefault(r["category"], set()).add((r["country_code"], r["name"]))
    rows = sorted(
        {
            (code, cc, name)
            for code, brands in categories.select("mcc", "brands").iter_rows()
            for category in brands.split("|")
            for cc, name in by_category.get(category, ())
        }
    )
    ctx.report["merchant_brands"] = len(rows)
    return Artifact(
        name="merchant_brands.parquet",
        frame=frame(rows, {"mcc": pl.Int16, "country_code": pl.String, "name": pl.String}),
        sources=[NSI],
        origin=(
            "Per merchant category code and country, the chains the name-suggestion-index "
            "lists for the country in the code's categories (scripts/sources/poi/"
            "nsi_brands.csv and nsi_merchants.csv, extracted by extract.py; transit: the "
            "networks of bus, subway, train and trolleybus routes). NSI carries no store "
            "counts, so a code's chains in a country are equally likely."
        ),
        attribution=[NSI_NOTICE],
    )


def build_tourist_arrivals(ctx: BuildContext) -> Artifact:
    """``tourist_arrivals.parquet``: where travellers go, by arrivals."""
    covered = set(ctx.built["holiday_calendars.parquet"].get_column("country").to_list())
    rows = []
    for r in _read("tourist_arrivals.csv"):
        if r["country"] not in covered or float(r["arrivals_millions"]) <= 0:
            fail(f"tourist_arrivals.csv: bad row for {r['country']}")
        rows.append((r["country"], float(r["arrivals_millions"]), int(r["year"])))
    return Artifact(
        name="tourist_arrivals.parquet",
        frame=frame(
            rows, {"country": pl.String, "arrivals_millions": pl.Float64, "year": pl.Int16}
        ),
        sources=[
            Source(
                "scripts/sources/banking/tourist_arrivals.csv",
                "facts (UN Tourism figures)",
                "international tourist arrivals, ten most visited countries",
                pinned="2026-12-07",
            )
        ],
        origin=(
            "International tourist arrivals in 2023 (millions) of the ten most visited "
            "countries: UN Tourism (UNWTO) World Tourism Barometer, May 2024, as tabulated in "
            "Wikipedia's 'World Tourism rankings'."
        ),
    )


def build_card_cross_border(ctx: BuildContext) -> Artifact:
    """``card_cross_border.parquet``: the share of card-payment value paid abroad."""
    rows = []
    for r in _read("card_cross_border.csv"):
        parts = [float(r[k]) for k in ("domestic", "cross_border_within_sepa", "outside_sepa")]
        if abs(sum(parts) - 1.0) > 0.011 or min(parts) < 0:
            fail(f"card_cross_border.csv: {r['region']} {r['year']} shares do not sum to 1")
        source = f"{r['publisher']}, {r['title']}, {r['url']}"
        rows.append((r["region"], int(r["year"]), r["measure"], parts[0], 1.0 - parts[0], source))
    return Artifact(
        name="card_cross_border.parquet",
        frame=frame(
            rows,
            {
                "region": pl.String,
                "year": pl.Int16,
                "measure": pl.String,
                "domestic": pl.Float64,
                "cross_border": pl.Float64,
                "source": pl.String,
            },
        ),
        sources=[
            Source(
                "scripts/sources/banking/card_cross_border.csv",
                "facts (ECB report), no copyright claimed",
                "domestic and cross-border shares of card-payment value",
                pinned="2026-12-07",
            )
        ],
        origin=(
            "Share of the value of card payments with cards issued in SEPA that is acquired "
            "in the card's own country (`domestic`) or abroad (`cross_border`: another SEPA "
            "country or outside SEPA), 2019: European Central Bank, Seventh report on card "
            "fraud (October 2021)."
        ),
        notes=[
            "The banking dataset makes this share of card-payment value travellers' "
            "purchases abroad (cross-border online shopping is not told apart)."
        ],
    )


BUILDERS = [
    build_merchant_categories,
    build_merchant_brands,
    build_tourist_arrivals,
    build_card_cross_border,
]
