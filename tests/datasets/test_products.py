"""Products a retailer would believe: price endings, names, weights, popularity.

Reference values are kept here, taken from the published figures (and physical or
legal facts) rather than from the shipped tables of ``reference_data/``:

* Heeler & Nguyen (2001), "Price Endings in Asia" (ANZMAC): US web prices end in 9 in
  37 % and in 0 in 43 % of cases, in 8 in 8 %; in Asia 8 is the ending of 18 % of prices
  and is used more than 9 in Japan, China, Hong Kong and Malaysia.
* Levy, Lee, Chen, Kauffman & Bergen (2011), *Review of Economics and Statistics* 93(4):
  9 is the most frequent penny, dime and dollar digit of US retail prices; most
  supermarket prices end in 9 cents.
* Schindler & Kirby (1997), *Journal of Consumer Research* 24(2): 0, 5 and 9 are the
  over-represented rightmost digits.
* Schindler (2009), *International Marketing Review* 26(1): 8 predominates in Japan.
* A count of 8,905 German grocery prices below 10 € (823 receipts): 55 % end in 9.
* Swiss coinage: the smallest coin is 5 Rappen (1-Rappen coin withdrawn in 2007).
* Popularity: the ABC rule of inventory management (Silver, Pyke & Peterson,
  *Inventory Management and Production Planning and Scheduling*, 1998, §3.6: the top
  fifth of items carries the bulk, commonly 60–80 %, of activity) and the long tail of
  online sales (Brynjolfsson, Hu & Smith 2003, *Management Science* 49(11): sales fall
  with rank as a power law of exponent about 0.9, with no item dominating).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import polars as pl
import pytest

import tempdata
from tempdata.geo.reference import load

ROWS = 20_000


@cache
def products(country: str = "global", rows: int = ROWS, seed: int = 11) -> pl.DataFrame:
    return tempdata.generate("products", rows=rows, seed=seed, country=country)


def digit(prices: pl.Series, place: int) -> np.ndarray:
    """The digit of ``prices`` at ``place`` (0: pennies, 1: dimes, 2: dollars, ...)."""
    minor = np.rint(prices.to_numpy() * 100).astype(np.int64)
    return (minor // 10**place) % 10


def share(values: np.ndarray, of: int) -> float:
    return float(np.mean(values == of))


# -- reference tables ---------------------------------------------------------------------


def test_reference_tables_have_the_schema_the_engine_reads() -> None:
    types = load("product_types")
    assert types.schema["modifiers"] == pl.List(pl.String)
    assert types.schema["brands"] == pl.List(pl.String)
    assert types["share"].sum() == pytest.approx(1.0)
    assert (types["kg_low"] <= types["kg_high"]).all()
    assert (types["modifiers"].list.len() > 0).all()
    sizes = load("product_sizes")
    assert set(types["sizes"]) - {""} <= set(sizes["scale"])
    assert {"label", "weight", "price_factor", "kg_factor"} <= set(sizes.columns)
    points = load("price_points")
    assert ((points["ending"] >= 0) & (points["ending"] < points["step"])).all()
    generic = points.filter(pl.col("category") == "*")
    for scheme, lows, highs in generic.group_by("scheme").agg("low", "high").iter_rows():
        assert min(lows) == 0, scheme
        assert max(highs) == float("inf"), scheme
    schemes = load("price_schemes")
    assert set(schemes["scheme"]) <= set(points["scheme"])
    assert (schemes["unit"] > 0).all()


# -- price endings ------------------------------------------------------------------------


def test_us_price_endings_follow_the_published_shares() -> None:
    prices = products("united_states")["unit_price"]
    pennies = digit(prices, 0)
    # Heeler & Nguyen: 9 in 37 %, 0 in 43 %; Levy et al.: 9 the most frequent ending.
    assert 0.35 <= share(pennies, 9) <= 0.70
    assert 0.15 <= share(pennies, 0) <= 0.45
    assert share(pennies, 8) <= 0.10  # 8 % in the US
    # Schindler & Kirby: 0, 5 and 9 are the over-represented digits.
    assert sum(share(pennies, d) for d in (0, 5, 9)) >= 0.75
    for d in (1, 2, 3, 4, 6, 7):
        assert share(pennies, d) < 0.03, d


@pytest.mark.parametrize("place", [0, 1, 2])
def test_us_nine_is_the_most_frequent_penny_dime_and_dollar_digit(place: int) -> None:
    prices = products("united_states")["unit_price"]
    prices = prices.filter(prices >= 10**place / 100 * 10) if place else prices
    counts = np.bincount(digit(prices, place), minlength=10)
    assert counts.argmax() == 9, counts  # Levy et al. (2011)


def test_us_grocery_prices_end_in_nine_cents() -> None:
    grocery = products("united_states").filter(
        (pl.col("category") == "Grocery") & (pl.col("unit_price") < 10)
    )
    assert share(digit(grocery["unit_price"], 0), 9) >= 0.6  # Levy et al.: Dominick's


def test_german_prices_below_ten_euros_end_in_nine_about_half_the_time() -> None:
    cheap = products("germany").filter(pl.col("unit_price") < 10)["unit_price"]
    assert cheap.len() > 2_000
    assert 0.43 <= share(digit(cheap, 0), 9) <= 0.67  # receipts count: 55 %


def test_japanese_prices_end_in_eight() -> None:
    prices = products("japan")["unit_price"].to_numpy().astype(np.int64)
    assert (prices > 0).all()
    last = prices.copy()
    while (last % 10 == 0).any():
        last = np.where(last % 10 == 0, last // 10, last)
    last %= 10
    eights, nines = share(last, 8), share(last, 9)
    # Schindler (2009), Heeler & Nguyen (2001): 8 predominates; at least the Asian 18 %.
    assert eights >= 0.18
    assert eights > 2 * nines
    assert np.bincount(last, minlength=10).argmax() == 8


def test_swiss_prices_are_on_the_five_rappen_grid_and_end_in_90_or_95() -> None:
    prices = products("switzerland")["unit_price"]
    rappen = np.rint(prices.to_numpy() * 100).astype(np.int64)
    assert (rappen % 5 == 0).all()  # no coin below 5 Rappen
    everyday = rappen[(rappen >= 100) & (rappen < 100_00)] % 100
    assert np.isin(everyday, (90, 95)).mean() >= 0.4


def test_won_prices_are_whole_hundreds() -> None:
    prices = products("south_korea")["unit_price"].to_numpy()
    assert (np.rint(prices) % 100 == 0).all()


def test_global_prices_are_us_dollars_with_cents() -> None:
    frame = products()
    assert frame["currency"].unique().to_list() == ["USD"]
    assert (digit(frame["unit_price"], 0) == 9).mean() > 0.35


# -- names --------------------------------------------------------------------------------

#: Words that fit only some aisles (common retail sense, independent of the shipped
#: vocabulary): "Sport" earbuds, shoes and eau de toilette, never a sport printer.
ONLY_IN = {
    "Sport": {"Headphones", "Shoes", "Fragrance"},
    "5G": {"Smartphones"},
    "Non-Stick": {"Cookware"},
    "Organic": {"Pantry", "Coffee & Tea", "T-Shirts"},
    "Waterproof": {"Cameras", "Shoes", "Jackets", "Camping", "Makeup"},
    "Cast Iron": {"Cookware", "Fitness"},
}


def test_names_carry_no_trailing_model_number_and_no_misfit_modifier() -> None:
    frame = products(rows=60_000)
    names = frame["name"]
    assert not names.str.contains(r"\d{4}$").any()
    words = names.str.replace_all("Organic Chemistry", "Chemistry")  # a textbook subject
    assert not names.str.contains("Vintage").any()
    for word, aisles in ONLY_IN.items():
        found = frame.filter(words.str.contains(rf"\b{word}\b"))
        assert set(found["subcategory"].cast(pl.String)) <= aisles, word


def test_every_name_is_brand_line_modifier_type_and_size_of_its_own_type() -> None:
    frame = products(rows=60_000)
    types = load("product_types").with_columns(
        lines=pl.when(pl.col("lines").list.len() == 0)
        .then(pl.lit([""]))
        .otherwise(pl.col("lines").list.eval(" " + pl.element()))
    )
    types = types.explode("modifiers").explode("brands").explode("lines")
    sizes = load("product_sizes")
    allowed = types.join(sizes, left_on="sizes", right_on="scale", how="left").select(
        "subcategory",
        pl.concat_str(
            "brands",
            "lines",
            pl.lit(" "),
            "modifiers",
            pl.lit(" "),
            "type",
            pl.when(pl.col("label").is_null()).then(pl.lit("")).otherwise(" " + pl.col("label")),
        ).alias("name"),
    )
    seen = frame.select(pl.col("subcategory").cast(pl.String), "name").unique()
    misfits = seen.join(allowed, on=["subcategory", "name"], how="anti")
    assert misfits.is_empty(), misfits.head()


@pytest.mark.parametrize(
    ("subcategory", "pattern"),
    [
        ("Televisions", r" \d\d-inch$"),
        ("Beverages", r" (\d+ x )?\d+(\.\d)? (ml|l)$"),
        ("T-Shirts", r" Size (XS|S|M|L|XL|XXL)$"),
        ("Shoes", r" EU \d\d$"),
        ("Smartphones", r" \d+ GB$"),
    ],
)
def test_names_carry_the_size_designation_of_their_trade(subcategory: str, pattern: str) -> None:
    names = products().filter(pl.col("subcategory") == subcategory)["name"]
    assert names.len() > 20
    assert names.str.contains(pattern).all(), names.filter(~names.str.contains(pattern)).head()


# -- weights ------------------------------------------------------------------------------

#: Shipping weight bounds (kg) per aisle, from physical and published limits rather than
#: the shipped ranges: FIFA/FIBA ball masses, net content × density, nominal masses, and
#: current product listings (a 32-inch TV weighs about 4 kg, an 85-inch about 45 kg; a
#: road bike 7–11 kg, an e-bike 20–30 kg; a laptop 1–3 kg; a phone 0.14–0.25 kg).
WEIGHT_KG = {
    "Laptops": (0.9, 3.5),
    "Smartphones": (0.14, 0.25),
    "Headphones": (0.03, 0.5),
    "Televisions": (3.0, 60.0),
    "Tech Accessories": (0.02, 1.5),
    "T-Shirts": (0.1, 0.4),
    "Jeans": (0.3, 0.9),
    "Shoes": (0.4, 2.6),
    "Fitness": (0.2, 46.0),
    "Cycling": (0.08, 32.0),
    "Fragrance": (0.1, 0.6),
    "Beverages": (0.25, 10.0),
    "Coffee & Tea": (0.04, 1.2),
    "Printers": (3.0, 16.0),
    "Furniture": (3.0, 80.0),
}


def test_weights_stay_within_published_ranges_per_aisle() -> None:
    frame = products(rows=60_000).with_columns(pl.col("subcategory").cast(pl.String))
    for aisle, (low, high) in WEIGHT_KG.items():
        kg = frame.filter(pl.col("subcategory") == aisle)["weight_kg"]
        assert kg.len() > 20, aisle
        assert low <= kg.min(), (aisle, kg.min())
        assert kg.max() <= high, (aisle, kg.max())


def _size(name: pl.Expr, pattern: str) -> pl.Expr:
    return name.str.extract(pattern).cast(pl.Float64)


def test_weights_agree_with_the_size_in_the_name() -> None:
    frame = products(rows=60_000)
    name = pl.col("name")
    dumbbells = frame.filter(name.str.contains("Dumbbell Set")).with_columns(
        nominal=_size(name, r"2 x (\d+) kg$") * 2
    )
    assert dumbbells.height > 50
    assert (dumbbells["weight_kg"] >= dumbbells["nominal"]).all()
    assert (dumbbells["weight_kg"] <= 1.1 * dumbbells["nominal"]).all()

    drinks = frame.filter(pl.col("subcategory") == "Beverages").with_columns(
        litres=pl.coalesce(_size(name, r"(\d+) x \d"), pl.lit(1.0))
        * pl.when(name.str.ends_with(" ml"))
        .then(_size(name, r"(\d+) ml$") / 1000)
        .otherwise(_size(name, r"([\d.]+) l$"))
    )
    ratio = drinks["weight_kg"] / drinks["litres"]  # water: 1 kg per litre, plus package
    assert ratio.min() >= 1.0
    assert ratio.max() <= 1.35

    tvs = frame.filter(pl.col("subcategory") == "Televisions").with_columns(
        inches=_size(name, r"(\d\d)-inch$")
    )
    medians = tvs.group_by("inches").agg(pl.col("weight_kg").median()).sort("inches")
    assert medians.height == 7
    assert medians["weight_kg"].is_sorted()


# -- popularity ---------------------------------------------------------------------------


def _rank_shares(keys: pl.Series) -> np.ndarray:
    counts = keys.value_counts()["count"].to_numpy()
    return np.sort(counts)[::-1] / keys.len()


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("rows", [20_000, 120_000])
@pytest.mark.parametrize("dataset", ["sales", "order_lines"])
def test_popularity_has_a_long_tail_and_no_dominant_product(
    dataset: str, rows: int, seed: int
) -> None:
    lines = tempdata.generate(dataset, rows=rows, seed=seed, columns=["product_id"])
    shares = _rank_shares(lines["product_id"])
    catalogue = 1_000  # the default number of products
    assert shares[0] <= 0.03
    top_fifth = shares[: catalogue // 5].sum()
    assert 0.60 <= top_fifth <= 0.85
    # A long tail: the bottom half of the catalogue still sells, about one line in ten.
    assert 0.05 <= shares[catalogue // 2 :].sum() <= 0.25
    assert len(shares) > 0.95 * catalogue or rows < 50_000


def test_a_custom_catalogue_size_keeps_the_tail() -> None:
    sales = tempdata.generate(
        "sales", rows=100_000, seed=4, columns=["product_id"], custom_params={"products": 5_000}
    )
    shares = _rank_shares(sales["product_id"])
    assert shares[0] <= 0.03
    assert sales["product_id"].str.slice(4).cast(pl.Int64).max() <= 5_000
