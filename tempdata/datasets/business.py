"""Business datasets: ``customers``, ``products`` and ``sales``.

Sales refer to customers and products by key. Generated alone, a sales table uses
default parent sizes (see each dataset's ``parameters``), and the prices it shows are
those of the ``products`` table generated with the same seed.
"""

from __future__ import annotations

import polars as pl

from tempdata import samplers as s
from tempdata.core.plan import Dataset, Parameter, Params, check, col, group, rule
from tempdata.core.planner import MAX_PARENT_ROWS
from tempdata.datasets._products import catalogue, product_prices
from tempdata.datasets.registry import register
from tempdata.geo.money import round_money

__all__ = [
    "CUSTOMER_ID",
    "PRODUCT_ID",
    "PRODUCT_OFFSET",
    "PRODUCT_SKEW",
    "customers",
    "products",
    "sales",
]

CUSTOMER_ID = s.sequence("CUST-{:08d}")
PRODUCT_ID = s.sequence("PRD-{:06d}")

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


# -- products -----------------------------------------------------------------------

products = register(
    Dataset(
        "products",
        domain="business",
        description="A retail catalogue: one row per product, with category, brand, "
        "list price, unit cost, shipping weight and stock on hand.",
        key="product_id",
        columns=[
            col("product_id", PRODUCT_ID, description="Product key, PRD-000001 upwards."),
            group(
                "catalogue",
                catalogue(),
                columns={
                    "category": "category",
                    "subcategory": "subcategory",
                    "brand": "brand",
                    "name": "name",
                    "_usd_price": "usd_price",
                    "_weight_kg": "weight_kg",
                },
                hidden=["_usd_price", "_weight_kg"],
                descriptions={
                    "category": "Department (Electronics, Grocery, ...).",
                    "subcategory": "Aisle within the department (Televisions, Beverages, ...).",
                    "brand": "Brand of the department (fictional names).",
                    "name": "Brand, product line (a colour for clothing), a modifier that "
                    "fits the product type, the type and its size where the trade gives "
                    "one: Voltix Nova QLED 4K Smart TV 55-inch.",
                },
            ),
            _MONEY,
            col(
                "unit_price",
                product_prices("_usd_price", category="category"),
                description="List price in `currency`, heavy-tailed within each product type "
                "and set to the currency's price points (19.99 USD, 24,95 EUR, 2.90 CHF, "
                "1,980 JPY).",
            ),
            col("_margin", s.floats(0.35, 0.8), hidden=True),
            col(
                "cost",
                round_money(pl.col("unit_price") * pl.col("_margin"), pl.col("_decimals")),
                description="Unit cost to the retailer: 35–80 % of the list price.",
            ),
            col(
                "weight_kg",
                pl.col("_weight_kg"),
                description="Shipping weight in kilograms, consistent with the size in the "
                "name (a 2 x 10 kg dumbbell set about 21 kg, a 1.5 l bottle about 1.5 kg).",
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
            # Through the birth year some customers add to their address.
            "email",
        ),
        notes="date_range bounds registration_date (default: the five years ending at the "
        "reference date); ages and tenure are measured at the reference date, or at the "
        "end of the date range when that is later. Sign-ups grow 25 % a "
        "year. Names, e-mail domains and phone numbers follow each customer's country.",
        columns=[
            col("customer_id", CUSTOMER_ID, description="Customer key, CUST-00000001 upwards."),
            group(
                "person",
                s.people(
                    position_column="_position",
                    country_column="country",
                    city_column="_city_id",
                    birth_column="birth_date",
                ),
                columns=["first_name", "last_name", "gender", "email", "phone"],
                descriptions={
                    "first_name": "Given name, from the country's name locale.",
                    "last_name": "Family name, from the country's name locale.",
                    "gender": "female, male or nonbinary.",
                    "email": "Unique personal address written from the name as people "
                    "write theirs (anna.mueller, amueller, a.mueller; a middle initial or "
                    "digits when the name is common; some add their birth year).",
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
                    "_position": "position",
                    "_country_code": "country_code",
                },
                hidden=["_city_id", "_position", "_country_code"],
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


#: Exponent and offset of product popularity (see _PRODUCT_FK).
PRODUCT_SKEW = 1.05
PRODUCT_OFFSET = 10.0
_CUSTOMER_FK = s.foreign_key("customers", CUSTOMER_ID, size=default_customers, skew=0.65)
#: Product popularity: Zipf–Mandelbrot weights (rank + 10) ** -1.05 over the products —
#: over the default 1,000, the busiest holds about 2 % of lines, the top fifth about
#: two thirds and the bottom half about 13 % (a long tail).
_PRODUCT_FK = s.foreign_key(
    "products", PRODUCT_ID, size=default_products, skew=PRODUCT_SKEW, offset=PRODUCT_OFFSET
)
_PAYMENTS = {
    "store": {"card": 0.55, "cash": 0.3, "mobile_wallet": 0.15},
    "web": {"card": 0.6, "paypal": 0.25, "mobile_wallet": 0.08, "bank_transfer": 0.07},
    "app": {"card": 0.45, "mobile_wallet": 0.4, "paypal": 0.15},
}
#: Channels of a sale: stores keep shop rules, web and app orders come at any hour.
_CHANNELS = {"store": ("shop", 0.55), "web": ("online", 0.35), "app": ("online", 0.1)}
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
        depends_on_rows=("date", "customer_id", "payment_method", "channel", "region", "timezone"),
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
        "The country's calendar (tempdata.calendar): stores keep the shop law of their "
        "state or country (Sunday bans, holiday closures, legal hours, early closing on "
        "24 December) and their state's public holidays; web and app orders come any "
        "day, evenings busiest. Months follow the country's published retail series, and "
        "its own retail events (Black Friday where it is kept, Singles' Day, Ramadan) "
        "lift their days. A few customers buy often (power law, a = 0.65); products sell "
        "with a long tail ((rank + 10) ** -1.05: of 1,000 products the busiest holds about "
        "2 % of lines, the top fifth about two thirds). unit_price is the product's list "
        "price in the products table of the same seed. Depends on the row count through "
        "the default number of customers and through the time quantiles that keep the "
        "table sorted (and the store and channel drawn given the time).",
        columns=[
            col(
                "transaction_id",
                s.sequence("TXN-{:010d}"),
                description="Transaction key, increasing with time.",
            ),
            group(
                "when",
                s.calendar_times(_CHANNELS, sorted=True),
                columns={"date": "time", "_channel": "channel", "_calendar": "calendar"},
                descriptions={"date": "Local time of the sale (see timezone)."},
                hidden=["_channel", "_calendar"],
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
                s.places(calendar="_calendar"),
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
                pl.col("_channel"),
                description="Where it was sold: stores keep the country's shop hours, "
                "closed days and the store's state's holidays; web and app orders come "
                "any day.",
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
