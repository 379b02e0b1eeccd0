"""Business datasets: ``customers``, ``products`` and ``sales``.

Sales refer to customers and products by key. Generated alone, a sales table uses
default parent sizes (see each dataset's ``parameters``), and the prices it shows are
those of the ``products`` table generated with the same seed.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import polars as pl

from tempdata import samplers as s
from tempdata.core.plan import Dataset, Parameter, Params, Sampler, check, col, group, rule
from tempdata.core.planner import MAX_PARENT_ROWS
from tempdata.datasets.registry import register
from tempdata.geo.money import round_money

__all__ = ["CUSTOMER_ID", "PRODUCT_ID", "customers", "products", "sales"]

CUSTOMER_ID = s.sequence("CUST-{:08d}")
PRODUCT_ID = s.sequence("PRD-{:06d}")

# -- products -----------------------------------------------------------------------


class _Sub(NamedTuple):
    """A subcategory: its share of its category, the noun in product names, and the
    median and log-sigma of its price and shipping weight."""

    weight: float
    noun: str
    price: float
    price_sigma: float
    kg: float
    kg_sigma: float


# category → (weight in the catalogue, brands, {subcategory: _Sub}). Prices are
# lognormal per subcategory: medians from typical online-retail list prices, sigmas wide
# enough for budget and premium lines, which gives the heavy right tail real
# catalogues have.
_TAXONOMY: dict[str, tuple[float, tuple[str, ...], dict[str, _Sub]]] = {
    "Electronics": (
        0.14,
        ("Voltix", "Nordwave", "Lumen", "Kairo", "Auralis", "Zentek", "Pixelon", "Orbit"),
        {
            "Laptops": _Sub(0.14, "Laptop", 850.0, 0.45, 1.8, 0.25),
            "Smartphones": _Sub(0.16, "Smartphone", 480.0, 0.55, 0.19, 0.12),
            "Headphones": _Sub(0.2, "Headphones", 75.0, 0.8, 0.25, 0.4),
            "Televisions": _Sub(0.1, "TV", 620.0, 0.6, 12.0, 0.5),
            "Cameras": _Sub(0.08, "Camera", 540.0, 0.7, 0.7, 0.4),
            "Tech Accessories": _Sub(0.32, "Charger", 19.0, 0.6, 0.12, 0.6),
        },
    ),
    "Home & Kitchen": (
        0.15,
        ("Casa Verde", "Hearthly", "Kitchora", "Nestwell", "Oakline", "Pure Living"),
        {
            "Cookware": _Sub(0.25, "Pan", 42.0, 0.55, 1.6, 0.4),
            "Small Appliances": _Sub(0.2, "Blender", 75.0, 0.6, 3.0, 0.5),
            "Furniture": _Sub(0.12, "Chair", 240.0, 0.7, 14.0, 0.7),
            "Decor": _Sub(0.23, "Vase", 24.0, 0.7, 0.9, 0.7),
            "Bedding": _Sub(0.2, "Duvet Cover", 48.0, 0.5, 1.4, 0.4),
        },
    ),
    "Clothing": (
        0.17,
        ("Urban Thread", "Maris", "Northpeak", "Velora", "Basico", "Stitch & Co"),
        {
            "T-Shirts": _Sub(0.28, "T-Shirt", 19.0, 0.45, 0.2, 0.2),
            "Jeans": _Sub(0.18, "Jeans", 55.0, 0.45, 0.6, 0.2),
            "Shoes": _Sub(0.2, "Sneakers", 79.0, 0.5, 0.9, 0.25),
            "Jackets": _Sub(0.14, "Jacket", 115.0, 0.55, 1.0, 0.35),
            "Accessories": _Sub(0.2, "Scarf", 24.0, 0.6, 0.15, 0.5),
        },
    ),
    "Sports & Outdoors": (
        0.09,
        ("Trailforge", "Apex Motion", "Summitry", "Kinetiq", "Wildrun"),
        {
            "Fitness": _Sub(0.35, "Dumbbell Set", 38.0, 0.7, 4.0, 0.9),
            "Cycling": _Sub(0.12, "Bike", 560.0, 0.6, 12.0, 0.3),
            "Camping": _Sub(0.28, "Tent", 68.0, 0.7, 2.5, 0.7),
            "Team Sports": _Sub(0.25, "Football", 28.0, 0.5, 0.5, 0.5),
        },
    ),
    "Beauty": (
        0.1,
        ("Belle Rose", "Glowlab", "Verdant", "Aqua Pure", "Lumiere"),
        {
            "Skincare": _Sub(0.35, "Face Cream", 24.0, 0.6, 0.2, 0.4),
            "Makeup": _Sub(0.3, "Lipstick", 16.0, 0.55, 0.05, 0.5),
            "Fragrance": _Sub(0.15, "Eau de Parfum", 62.0, 0.5, 0.3, 0.3),
            "Hair Care": _Sub(0.2, "Shampoo", 11.0, 0.5, 0.4, 0.3),
        },
    ),
    "Grocery": (
        0.16,
        ("Harvest Lane", "Green Basket", "Daily Pantry", "Sunfield", "Morning Roast"),
        {
            "Snacks": _Sub(0.3, "Crackers", 3.8, 0.4, 0.25, 0.4),
            "Beverages": _Sub(0.28, "Sparkling Water", 2.9, 0.5, 1.0, 0.5),
            "Pantry": _Sub(0.27, "Pasta", 5.5, 0.5, 0.6, 0.5),
            "Coffee & Tea": _Sub(0.15, "Coffee Beans", 11.0, 0.5, 0.5, 0.4),
        },
    ),
    "Toys & Games": (
        0.07,
        ("Playnest", "Brickworks", "Tiny Tales", "Gamepoint"),
        {
            "Board Games": _Sub(0.3, "Board Game", 29.0, 0.45, 1.0, 0.4),
            "Building Sets": _Sub(0.25, "Building Set", 45.0, 0.8, 0.9, 0.6),
            "Dolls": _Sub(0.2, "Doll", 22.0, 0.5, 0.4, 0.4),
            "Video Games": _Sub(0.25, "Video Game", 49.0, 0.35, 0.1, 0.2),
        },
    ),
    "Books": (
        0.08,
        ("Inkwell Press", "Meridian Books", "Paper Lantern", "Northbridge"),
        {
            "Fiction": _Sub(0.4, "Novel", 14.0, 0.35, 0.4, 0.3),
            "Non-fiction": _Sub(0.3, "Biography", 19.0, 0.4, 0.5, 0.3),
            "Children's": _Sub(0.2, "Picture Book", 10.0, 0.4, 0.3, 0.4),
            "Textbooks": _Sub(0.1, "Textbook", 85.0, 0.5, 1.2, 0.3),
        },
    ),
    "Office": (
        0.04,
        ("Deskmate", "Clarion", "Scribe", "Officio"),
        {
            "Stationery": _Sub(0.5, "Notebook", 6.0, 0.6, 0.3, 0.5),
            "Printers": _Sub(0.15, "Printer", 160.0, 0.5, 6.0, 0.4),
            "Desk Supplies": _Sub(0.35, "Desk Organizer", 16.0, 0.6, 0.6, 0.6),
        },
    ),
}
_ADJECTIVES = (
    "Classic",
    "Pro",
    "Essential",
    "Premium",
    "Compact",
    "Ultra",
    "Eco",
    "Smart",
    "Deluxe",
    "Lite",
    "Max",
    "Original",
    "Signature",
    "Everyday",
    "Vintage",
    "Sport",
)

_SUBCATEGORIES = [sub for _, _, subs in _TAXONOMY.values() for sub in subs]
assert len(set(_SUBCATEGORIES)) == len(_SUBCATEGORIES), "subcategory names must be unique"

_SUBCATEGORY_NOUN = {
    sub: spec.noun for _, _, subs in _TAXONOMY.values() for sub, spec in subs.items()
}


# Money: amounts are drawn on a US-dollar scale, then converted to the currency of the
# dataset's country (US dollars for ``global``) and rounded to its minor units.
_MONEY = group(
    "money",
    s.money(),
    columns={"currency": "currency", "_per_usd": "per_usd", "_decimals": "decimals"},
    hidden=["_per_usd", "_decimals"],
    descriptions={
        "currency": "ISO 4217 code of the amounts: the country's currency (US dollars for "
        "global, or where no rate is known).",
    },
)


def _in_currency(usd: pl.Expr) -> pl.Expr:
    """A US-dollar amount in the dataset's currency, rounded to its minor units."""
    return round_money(usd * pl.col("_per_usd"), pl.col("_decimals"))


def line_discount(rate: str) -> pl.Expr:
    """Money off a line: quantity × unit_price × the rate in column ``rate``, rounded
    to the currency's minor units (sales lines, order lines)."""
    return round_money(
        pl.col("quantity") * pl.col("unit_price") * pl.col(rate), pl.col("_decimals")
    )


#: A line's amount: quantity × unit_price − discount, in minor units.
LINE_AMOUNT = round_money(
    pl.col("quantity") * pl.col("unit_price") - pl.col("discount"), pl.col("_decimals")
)


def _per_subcategory(kind: str, *, decimals: int, low: float) -> dict[str, Sampler]:
    """A lognormal sampler per subcategory for ``kind`` ("price" or "kg")."""
    cases: dict[str, Sampler] = {}
    for _, _, subs in _TAXONOMY.values():
        for sub, spec in subs.items():
            median, sigma = getattr(spec, kind), getattr(spec, kind + "_sigma")
            cases[sub] = s.lognormal(math.log(median), sigma, low=low, decimals=decimals)
    return cases


products = register(
    Dataset(
        "products",
        domain="business",
        description="A retail catalogue: one row per product, with category, brand, "
        "list price, unit cost, shipping weight and stock on hand.",
        key="product_id",
        columns=[
            col("product_id", PRODUCT_ID, description="Product key, PRD-000001 upwards."),
            col(
                "category",
                s.choice({c: spec[0] for c, spec in _TAXONOMY.items()}),
                description="Top-level department.",
            ),
            col(
                "subcategory",
                s.choice_by(
                    "category",
                    {
                        c: {sub: v.weight for sub, v in spec[2].items()}
                        for c, spec in _TAXONOMY.items()
                    },
                ),
                description="Aisle within the department.",
            ),
            col(
                "brand",
                s.choice_by("category", {c: list(spec[1]) for c, spec in _TAXONOMY.items()}),
                description="Brand (fictional names).",
            ),
            col("_adjective", s.choice(list(_ADJECTIVES), enum=False), hidden=True),
            col("_model", s.integers(100, 9990), hidden=True),
            col(
                "name",
                pl.concat_str(
                    pl.col("brand").cast(pl.String),
                    pl.lit(" "),
                    pl.col("_adjective"),
                    pl.lit(" "),
                    pl.col("subcategory").cast(pl.String).replace_strict(_SUBCATEGORY_NOUN),
                    pl.lit(" "),
                    pl.col("_model").cast(pl.String),
                ),
                description="Display name: brand, line, product type and model number.",
            ),
            col(
                "_usd_price",
                s.switch("subcategory", _per_subcategory("price", decimals=2, low=0.99)),
                hidden=True,
            ),
            _MONEY,
            col(
                "unit_price",
                _in_currency(pl.col("_usd_price")),
                description="List price in `currency`, heavy-tailed within each subcategory.",
            ),
            col("_margin", s.floats(0.35, 0.8), hidden=True),
            col(
                "cost",
                round_money(pl.col("unit_price") * pl.col("_margin"), pl.col("_decimals")),
                description="Unit cost to the retailer: 35–80 % of the list price.",
            ),
            col(
                "weight_kg",
                s.switch("subcategory", _per_subcategory("kg", decimals=3, low=0.01)),
                description="Shipping weight in kilograms.",
            ),
            col("_stock", s.lognormal(3.6, 1.1), hidden=True),
            col("_sold_out", s.booleans(0.04), hidden=True),
            col(
                "stock",
                pl.when(pl.col("_sold_out"))
                .then(0)
                .otherwise(pl.col("_stock").floor().cast(pl.Int64)),
                description="Units on hand; about 4 % are sold out.",
            ),
        ],
        checks=[
            check("product_id_unique", pl.col("product_id").is_unique()),
            check("price_positive", pl.col("unit_price") > 0),
            check("cost_below_price", pl.col("cost") < pl.col("unit_price")),
            check("weight_positive", pl.col("weight_kg") > 0),
            check("stock_not_negative", pl.col("stock") >= 0),
        ],
    )
)

# -- customers ----------------------------------------------------------------------

_SEGMENTS = ["occasional", "regular", "loyal", "vip"]
_usd_ltv = pl.col("lifetime_value") / pl.col("_per_usd")

customers = register(
    Dataset(
        "customers",
        domain="business",
        description="Customers of a retailer: who they are, where they live, when they "
        "signed up and what they have spent. Sorted by registration; ids grow with it.",
        key="customer_id",
        nullable=["postal_code"],  # countries without postal codes
        date_span_days=5 * 365,
        depends_on_rows=(
            "registration_date",
            "birth_date",
            "age",
            "lifetime_value",
            "segment",
        ),
        notes="date_range bounds registration_date (default: the five years ending at the "
        "reference date); ages and tenure are measured at the reference date, or at the "
        "end of the date range when that is later. Sign-ups grow 25 % a "
        "year. Names, e-mail domains and phone numbers follow each customer's country.",
        columns=[
            col("customer_id", CUSTOMER_ID, description="Customer key, CUST-00000001 upwards."),
            group(
                "person",
                s.people(country_column="country", city_column="_city_id"),
                columns=["first_name", "last_name", "gender", "email", "phone"],
                descriptions={
                    "first_name": "Given name, from the country's name locale.",
                    "last_name": "Family name, from the country's name locale.",
                    "gender": "female, male or nonbinary.",
                    "email": "Unique address built from the name and the row number.",
                    "phone": "Valid mobile or landline number of the country (+49 30 1234567).",
                },
            ),
            col(
                "birth_date",
                s.birth_dates(
                    min_age=18,
                    country_column="_country_code",
                    adult_at="registration_date",
                    adult_at_profile="signup",
                ),
                description="Birth date: ages follow the adult population pyramid (18 to "
                "100) of the customer's country by single year (UN World Population "
                "Prospects 2024); every customer was 18 or older at sign-up.",
            ),
            col("age", s.elapsed("birth_date"), description="Whole years at the reference date."),
            group(
                "address",
                s.places(),
                columns={
                    "address": "address",
                    "city": "city",
                    "state": "state",
                    "postal_code": "postal_code",
                    "country": "country",
                    "lat": "lat",
                    "lon": "lon",
                    "_city_id": "city_id",
                    "_country_code": "country_code",
                },
                hidden=["_city_id", "_country_code"],
                descriptions={
                    "address": "Street and house number, written as the country writes them.",
                    "city": "A real city, drawn by population.",
                    "state": "The city's state or province.",
                    "postal_code": "A real postal code of the city where the reference data "
                    "links one, else one in the state's range; null where the country has "
                    "no postal codes.",
                    "country": "The city's country.",
                    "lat": "Latitude near the postal code's point (or the city), WGS84 degrees.",
                    "lon": "Longitude near the postal code's point (or the city), WGS84 degrees.",
                },
            ),
            col(
                "registration_date",
                s.timestamps(profile="signup", sorted=True),
                description="Sign-up time; rows are sorted by it.",
            ),
            col("_tenure_days", s.elapsed("registration_date", unit="days"), hidden=True),
            col("_spend", s.lognormal(4.4, 1.15), hidden=True),
            col(
                "lifetime_value",
                _in_currency(pl.col("_spend") * ((pl.col("_tenure_days") + 30) / 365).pow(0.8)),
                description="Total spent so far (in `currency`): heavy-tailed, growing with "
                "tenure.",
            ),
            _MONEY,
            col(
                "segment",
                pl.when(_usd_ltv >= 2500)
                .then(pl.lit("vip"))
                .when(_usd_ltv >= 750)
                .then(pl.lit("loyal"))
                .when(_usd_ltv >= 150)
                .then(pl.lit("regular"))
                .otherwise(pl.lit("occasional"))
                .cast(pl.Enum(_SEGMENTS)),
                description="Value tier from lifetime_value in US dollars: occasional < 150 ≤ "
                "regular < 750 ≤ loyal < 2500 ≤ vip.",
            ),
        ],
        checks=[
            check("customer_id_unique", pl.col("customer_id").is_unique()),
            check("email_unique", pl.col("email").is_unique()),
            check("adult", pl.col("age") >= 18),
            check(
                "adult_at_registration",
                pl.col("birth_date").dt.offset_by("18y") <= pl.col("registration_date").dt.date(),
            ),
            check("lat_range", pl.col("lat").is_between(-90, 90)),
            check("lon_range", pl.col("lon").is_between(-180, 180)),
            check(
                "ltv_finite_not_negative",
                pl.col("lifetime_value").is_finite() & (pl.col("lifetime_value") >= 0),
            ),
            check(
                "registration_sorted",
                pl.col("registration_date")
                >= pl.col("registration_date").shift(1).fill_null(pl.col("registration_date")),
            ),
        ],
    )
)

# -- sales --------------------------------------------------------------------------


def default_customers(params: Params) -> int:
    """Customers a sales table refers to: ``custom_params["customers"]`` or rows / 10
    (at least 100, at most 1,000,000)."""
    return int(params.get("customers", max(100, min(params.rows // 10, 1_000_000))))


def default_products(params: Params) -> int:
    """Products a sales table refers to: ``custom_params["products"]`` or 1,000."""
    return int(params.get("products", 1_000))


_CUSTOMER_FK = s.foreign_key("customers", CUSTOMER_ID, size=default_customers, skew=0.65)
_PRODUCT_FK = s.foreign_key("products", PRODUCT_ID, size=default_products, skew=1.05)
_PAYMENTS = {
    "store": {"card": 0.55, "cash": 0.3, "mobile_wallet": 0.15},
    "web": {"card": 0.6, "paypal": 0.25, "mobile_wallet": 0.08, "bank_transfer": 0.07},
    "app": {"card": 0.45, "mobile_wallet": 0.4, "paypal": 0.15},
}
_CASH_LIMIT = 500  # US dollars, converted to the dataset's currency
_CASH_OVER_LIMIT = (pl.col("payment_method") == "cash") & (
    pl.col("amount") > _CASH_LIMIT * pl.col("_per_usd")
)

sales = register(
    Dataset(
        "sales",
        domain="business",
        description="Point-of-sale and online transactions of a retailer, one row per "
        "line item, sorted by time with ids increasing in time.",
        key="transaction_id",
        depends_on_rows=("date", "customer_id", "payment_method"),
        parameters={
            "customers": Parameter(
                "Customers referred to (default rows / 10, 100 to 1,000,000).", high=10**9
            ),
            "products": Parameter(
                "Products referred to (default 1,000); their prices are looked up.",
                high=MAX_PARENT_ROWS,
            ),
        },
        notes="date is the store's local wall-clock time (zone in the timezone column). "
        "Yearly and weekly seasonality, shop hours, Black Friday, Cyber Monday and the "
        "Christmas run-up. A few customers buy often (power law, a = 0.65) and a few "
        "products sell most. unit_price is the product's list price in the products "
        "table of the same seed. Depends on the row count through the default number of "
        "customers and through the time quantiles that keep the table sorted.",
        columns=[
            col(
                "transaction_id",
                s.sequence("TXN-{:010d}"),
                description="Transaction key, increasing with time.",
            ),
            col(
                "date",
                s.timestamps(profile="retail", sorted=True),
                description="Local time of the sale (see timezone).",
            ),
            col("customer_id", _CUSTOMER_FK, description="Buyer, a customers key (skewed)."),
            col("product_id", _PRODUCT_FK, description="Item, a products key (skewed)."),
            col("quantity", s.poisson(0.45, low=1, high=24), description="Units bought."),
            col(
                "unit_price",
                s.lookup("product_id", _PRODUCT_FK, "unit_price"),
                description="The product's list price (in `currency`).",
            ),
            col(
                "_discount_rate",
                s.numbers({0.0: 0.72, 0.05: 0.1, 0.1: 0.09, 0.2: 0.06, 0.3: 0.03}),
                hidden=True,
            ),
            col(
                "discount",
                line_discount("_discount_rate"),
                description="Money off the line: 0, 5, 10, 20 or 30 %.",
            ),
            col("amount", LINE_AMOUNT, description="quantity × unit_price − discount."),
            _MONEY,
            group(
                "store",
                s.places(),
                columns=["region", "timezone"],
                descriptions={
                    "region": "The store's state (one country) or continent (global).",
                    "timezone": "IANA time zone of the store.",
                },
            ),
            col(
                "payment_method",
                s.choice_by("channel", _PAYMENTS),
                description="How it was paid; cash only in stores and never above 500 US "
                "dollars' worth.",
            ),
            col(
                "channel",
                s.choice({"store": 0.55, "web": 0.35, "app": 0.1}),
                description="Where it was sold.",
            ),
        ],
        rules=[
            rule(
                "cash_limit",
                "payment_method",
                pl.when(_CASH_OVER_LIMIT).then(pl.lit("card")).otherwise(pl.col("payment_method")),
                holds=~_CASH_OVER_LIMIT,
                description=f"Cash payments above {_CASH_LIMIT} US dollars' worth become "
                "card payments.",
            )
        ],
        checks=[
            check("transaction_id_unique", pl.col("transaction_id").is_unique()),
            check("quantity_positive", pl.col("quantity") >= 1),
            check("amount_positive", pl.col("amount") > 0),
            check(
                "discount_below_gross",
                (pl.col("discount") >= 0)
                & (pl.col("discount") < pl.col("quantity") * pl.col("unit_price")),
            ),
            check(
                "amount_is_gross_minus_discount",
                (
                    (pl.col("quantity") * pl.col("unit_price") - pl.col("discount"))
                    - pl.col("amount")
                ).abs()
                <= 0.006,
            ),
            check(
                "sorted_by_date",
                pl.col("date") >= pl.col("date").shift(1).fill_null(pl.col("date")),
            ),
        ],
    )
)
