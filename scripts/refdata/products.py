"""Products: the catalogue vocabulary and the retail price points of each currency.

Read from the hand-curated source tables in ``scripts/sources/products/`` (their README
names the origin of every value) and checked here; the build fails on a table that does
not add up (a size scale or category that is not defined, a band that leaves a gap).

Files written:

**product_types.parquet** — one row per product type, in catalogue order:
``category``, ``subcategory``, ``type`` (the noun of its names), ``google_category``
(its Google product taxonomy path), ``share`` (its share of a catalogue: department ×
aisle × type weight), ``sizes`` (a ``product_sizes`` scale, "" for one size),
``price_usd`` and ``price_sigma`` (median list price and log-sigma at the reference
size), ``kg_low``/``kg_high`` (shipping weight at the reference size), ``modifiers``
(what distinguishes products of the type), ``brands`` (its department's brands) and
``lines`` (its department's product lines or colours, written after the brand; empty
where names carry none, as in groceries and books).

**product_sizes.parquet** — ``scale``, ``label`` (written after the type in a name:
"55-inch", "500 ml", "Size M"), ``weight`` (share within the scale), ``price_factor``
and ``kg_factor`` (relative to the reference size).

**price_points.parquet** — per ``scheme``, ``category`` ("*" or a department) and band
[``low``, ``high``) of prices in the scheme's units: a price is set to the nearest
``ending + k × step``; ``weight`` is the share of such prices in the band; ``source``
names the study (see the README).

**price_schemes.parquet** — ``currency`` → ``scheme`` and ``unit`` (one scheme unit in
the currency); currencies not listed use ``nines`` with a unit of the currency's
order of magnitude against the US dollar.
"""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl

from refdata.build import REPO_ROOT, Artifact, BuildContext, fail

SOURCES = REPO_ROOT / "scripts" / "sources" / "products"
ORIGIN = (
    "Hand-curated in `scripts/sources/products/` (its README gives the origin of every "
    "value and the bibliography), checked and joined by `scripts/refdata/products.py`."
)


def _csv(name: str) -> pl.DataFrame:
    path: Path = SOURCES / name
    if not path.is_file():
        fail(f"products: missing source table {path}")
    return pl.read_csv(path, infer_schema=False)


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def _positive(df: pl.DataFrame, table: str, *columns: str) -> None:
    for c in columns:
        bad = df.filter(~(pl.col(c) > 0))
        if bad.height:
            fail(f"products: {table}.{c} must be positive: {bad.head(3).rows()}")


def build_product_types(ctx: BuildContext) -> Artifact:
    categories = _csv("categories.csv").with_columns(pl.col("weight").cast(pl.Float64))
    subs = _csv("subcategories.csv").with_columns(pl.col("weight").cast(pl.Float64))
    num = ("weight", "price_usd", "price_sigma", "kg_low", "kg_high")
    types = _csv("types.csv").with_columns(pl.col(c).cast(pl.Float64) for c in num)
    sizes = ctx.built.get("product_sizes.parquet")
    if sizes is None:
        fail("products: build product_sizes before product_types")
    _positive(categories, "categories", "weight")
    _positive(subs, "subcategories", "weight")
    _positive(types, "types", *num)
    if types.filter(pl.col("kg_low") > pl.col("kg_high")).height:
        fail("products: a type's kg_low exceeds its kg_high")
    cat_order = categories["category"].to_list()
    if len(set(cat_order)) != len(cat_order):
        fail("products: a category is listed twice")
    if set(subs["category"]) - set(cat_order):
        unknown_categories = set(subs["category"]) - set(cat_order)
        fail(f"products: subcategories of unknown categories {unknown_categories}")
    if subs["subcategory"].n_unique() != subs.height:
        fail("products: subcategory names must be unique across categories")
    pairs = set(subs.select("category", "subcategory").iter_rows())
    unknown = set(types.select("category", "subcategory").iter_rows()) - pairs
    if unknown:
        fail(f"products: types of unknown subcategories {sorted(unknown)}")
    empty = pairs - set(types.select("category", "subcategory").iter_rows())
    if empty:
        fail(f"products: subcategories without a type {sorted(empty)}")
    scales = set(sizes["scale"])
    missing = {s for s in types["sizes"].fill_null("") if s and s not in scales}
    if missing:
        fail(f"products: types use undefined size scales {sorted(missing)}")
    if types.select("subcategory", "type").n_unique() != types.height:
        fail("products: a type is listed twice in one subcategory")

    brands = {c: _split(b) for c, b in categories.select("category", "brands").iter_rows()}
    lines = {c: _split(v or "") for c, v in categories.select("category", "lines").iter_rows()}
    cat_weight = dict(categories.select("category", "weight").iter_rows())
    cat_total = sum(cat_weight.values())
    sub_weight = dict(subs.select("subcategory", "weight").iter_rows())
    sub_total = subs.group_by("category").agg(pl.col("weight").sum())
    sub_sum = dict(sub_total.iter_rows())
    type_sum = dict(types.group_by("subcategory").agg(pl.col("weight").sum()).iter_rows())
    sub_rank = {s: i for i, s in enumerate(subs["subcategory"])}
    rows = []
    for r in types.iter_rows(named=True):
        c, s = r["category"], r["subcategory"]
        modifiers = _split(r["modifiers"] or "")
        if not modifiers:
            fail(f"products: type {r['type']!r} has no modifiers")
        share = cat_weight[c] / cat_total * sub_weight[s] / sub_sum[c] * r["weight"] / type_sum[s]
        rows.append(
            {
                "category": c,
                "subcategory": s,
                "type": r["type"],
                "google_category": r["google_category"],
                "share": share,
                "sizes": r["sizes"] or "",
                "price_usd": r["price_usd"],
                "price_sigma": r["price_sigma"],
                "kg_low": r["kg_low"],
                "kg_high": r["kg_high"],
                "modifiers": modifiers,
                "brands": brands[c],
                "lines": lines[c],
                "_order": (cat_order.index(c), sub_rank[s]),
            }
        )
    rows.sort(key=lambda r: r["_order"])  # stable: types keep their file order
    for r in rows:
        del r["_order"]
    table = pl.DataFrame(
        rows,
        schema={
            "category": pl.String,
            "subcategory": pl.String,
            "type": pl.String,
            "google_category": pl.String,
            "share": pl.Float64,
            "sizes": pl.String,
            "price_usd": pl.Float64,
            "price_sigma": pl.Float64,
            "kg_low": pl.Float64,
            "kg_high": pl.Float64,
            "modifiers": pl.List(pl.String),
            "brands": pl.List(pl.String),
            "lines": pl.List(pl.String),
        },
    )
    if not math.isclose(table["share"].sum(), 1.0, rel_tol=1e-9):
        fail("products: type shares do not add up to 1")
    ctx.report["product_types"] = {
        "types": table.height,
        "subcategories": table["subcategory"].n_unique(),
        "modifiers": int(table["modifiers"].list.len().sum()),
    }
    return Artifact(
        name="product_types.parquet",
        frame=table,
        sources=[],
        origin=ORIGIN
        + " One row per product type (Laptop, Smart TV, Dumbbell Set, Sparkling Water): "
        "its department and aisle, its Google product taxonomy path (checked against the "
        "en-US taxonomy of 2021-09-21), its share of a catalogue, its size scale, median "
        "US list price and log-sigma, shipping-weight range at the reference size, the "
        "modifiers that fit it, its department's fictional brands and product lines (colours "
        "for clothing; none for groceries, toys, books and office supplies).",
        notes=[
            "Modifiers are written per type from Google Merchant Center attributes and GS1 "
            "GPC brick attributes (material, cut, technology, flavour, genre), so none "
            "leaves its type.",
            "Weights: net content × density plus packaging for packaged goods, nominal "
            "mass for weights, FIFA/FIBA ball laws, manufacturers' specification ranges "
            "for durables.",
        ],
    )


def build_product_sizes(ctx: BuildContext) -> Artifact:
    num = ("weight", "price_factor", "kg_factor")
    sizes = _csv("sizes.csv").with_columns(pl.col(c).cast(pl.Float64) for c in num)
    _positive(sizes, "sizes", *num)
    if sizes.select("scale", "label").n_unique() != sizes.height:
        fail("products: a size label is listed twice in one scale")
    digits = sizes.filter(pl.col("label").str.contains(r"\d{4}$"))
    if digits.height:
        fail(f"products: size labels ending in a 4-digit number {digits['label'].to_list()}")
    return Artifact(
        name="product_sizes.parquet",
        frame=sizes,
        sources=[],
        origin=ORIGIN
        + " Size scales of the trade (screen inches, GB, garment and shoe sizes, ball "
        "sizes, net contents in g and ml) with each size's share and its price and weight "
        "relative to the scale's reference size.",
    )


def build_price_points(ctx: BuildContext) -> Artifact:
    num = ("low", "high", "step", "ending", "weight")
    points = _csv("price_points.csv").with_columns(pl.col(c).cast(pl.Float64) for c in num)
    _positive(points, "price_points", "step", "weight")
    if points.filter((pl.col("ending") < 0) | (pl.col("ending") >= pl.col("step"))).height:
        fail("products: a price ending must lie in [0, step)")
    categories = set(_csv("categories.csv")["category"]) | {"*"}
    if set(points["category"]) - categories:
        fail(f"products: price points of unknown categories {set(points['category']) - categories}")
    for scheme in points["scheme"].unique(maintain_order=True):
        bands = sorted(
            set(points.filter((pl.col("scheme") == scheme) & (pl.col("category") == "*"))
                .select("low", "high").iter_rows())
        )  # fmt: skip
        edges = [lo for lo, _ in bands] + [bands[-1][1]]
        if bands[0][0] != 0 or not math.isinf(bands[-1][1]):
            fail(f"products: scheme {scheme!r} must cover prices from 0 to infinity")
        if any(hi != edges[i + 1] for i, (_, hi) in enumerate(bands)):
            fail(f"products: scheme {scheme!r} has overlapping or missing bands {bands}")
        own = points.filter((pl.col("scheme") == scheme) & (pl.col("category") != "*"))
        if set(own.select("low", "high").iter_rows()) - set(bands):
            fail(f"products: scheme {scheme!r} has category bands that are not its bands")
    return Artifact(
        name="price_points.parquet",
        frame=points,
        sources=[],
        origin=ORIGIN
        + " Retail price endings per scheme, department and price band (.99 and x.x9 in "
        "the US and the euro area, .90/.95 on a 0.05 grid in Switzerland, 98/980/9,800 "
        "yen in Japan, 8 endings in Chinese-speaking markets, x,900 in won and dong), "
        "with the share of each ending; `source` keys the study in the README.",
        notes=[
            "Cash rounding (Finland, Netherlands, Belgium, Ireland, Italy; Canada, "
            "Sweden) applies to the total of a cash payment, not to shelf prices; only "
            "Switzerland, whose smallest coin is 5 Rappen, prices on a 0.05 grid.",
        ],
    )


def build_price_schemes(ctx: BuildContext) -> Artifact:
    schemes = _csv("price_schemes.csv").with_columns(pl.col("unit").cast(pl.Float64))
    known = set(ctx.built["price_points.parquet"]["scheme"])
    if set(schemes["scheme"]) - known:
        fail(f"products: currencies use undefined schemes {set(schemes['scheme']) - known}")
    if "nines" not in known:
        fail("products: the default scheme 'nines' is missing")
    currencies = set(ctx.built["currencies.parquet"]["currency"])
    if set(schemes["currency"]) - currencies:
        missing = set(schemes["currency"]) - currencies
        fail(f"products: schemes for currencies without a rate {missing}")
    return Artifact(
        name="price_schemes.parquet",
        frame=schemes.sort("currency"),
        sources=[],
        origin=ORIGIN + " The price-point scheme of each currency whose custom differs from the "
        "just-below-nines default, and the unit its amounts are written in.",
    )


BUILDERS = [build_product_sizes, build_product_types, build_price_points, build_price_schemes]
