"""E-commerce datasets: ``ecommerce`` (orders) and ``order_lines`` (their items).

Two tables, keyed like a shop's database: ``ecommerce`` has one row per order (who,
when, where it ships from and to, how it is paid, its lifecycle and its totals) and
``order_lines`` one row per item line, with ``order_id`` pointing to its order.

How the tables fit together
---------------------------
Orders and lines share one *basket layout*: every block of 25 consecutive orders holds
exactly 50 lines, shared out so that most baskets have one to three lines and a few
many (a Dirichlet–multinomial share-out: about 58 % single-line orders, 87 % up to
three lines, a tail past ten). Because a block always holds twice as many lines as
orders, **``order_lines`` with ``rows = 2 × N`` holds exactly the lines of
``ecommerce`` with ``rows = N``** (same seed, dates and country): its ``items_total``,
``items`` and ``basket_size`` are sums over those lines. Generated alone with ``rows =
R``, ``order_lines`` belongs to the first ``ceil(R / 2)`` orders (the last one has a line
less when ``R`` is odd). Each table computes what it needs of the other (line amounts
for order totals, order status and timestamps for returned lines) by generating the
other's matching chunk under its catalogue name, so any chunk is generated alone and
the pair agrees whichever is generated first, in whichever process.

Lifecycle
---------
placed → paid → shipped → delivered, then possibly returned; or cancelled (before
payment: abandoned or failed payments, more often for bank transfers; after payment:
the customer changed their mind) and then never shipped. The tables are a snapshot at
the end of the date range: a stage whose time lies after it has not happened yet, so
recent orders are still in progress. A stage not reached has a null timestamp.

Shipping: each order ships from the warehouse nearest the customer (a few real
logistics cities per country; hubs on every continent for ``global``). Transit time
grows with the great-circle distance and depends on the method: express and next-day
are faster than standard at any distance, pickup orders wait at a pickup point until
collected. Returns are per line, with a rate by product category (clothing about a
quarter of delivered items, groceries about one in a hundred).
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import polars as pl

from tempdata import samplers as s
from tempdata.core.plan import (
    ChunkContext,
    Dataset,
    GroupSampler,
    Parameter,
    Params,
    SampleOutput,
    Sampler,
    check,
    col,
    group,
)
from tempdata.core.planner import MAX_PARENT_ROWS, Planner
from tempdata.core.seeding import CHUNK_SIZE, Seeder
from tempdata.datasets._products import product_categories
from tempdata.datasets.business import (
    _CUSTOMER_FK,
    _MONEY,
    _PRODUCT_FK,
    LINE_AMOUNT,
    line_discount,
)
from tempdata.datasets.registry import register
from tempdata.geo.countries import GLOBAL, resolve_country
from tempdata.geo.money import round_money
from tempdata.geo.reference import load
from tempdata.geo.spherical import EARTH_RADIUS_KM, haversine_km, to_xyz
from tempdata.samplers._base import CallRepr

__all__ = ["RETURN_RATES", "WAREHOUSES", "ecommerce", "order_lines"]

ORDERS = "ecommerce"
LINES = "order_lines"

# -- basket layout ------------------------------------------------------------------

_ORDERS_PER_BLOCK = 25
_LINES_PER_BLOCK = 2 * _ORDERS_PER_BLOCK
#: Orders (and lines, halved) of one layout stream: a lines chunk, half an orders chunk.
_SPAN_ORDERS = CHUNK_SIZE // 2
_BLOCKS_PER_SPAN = _SPAN_ORDERS // _ORDERS_PER_BLOCK
#: Concentration of the share-out: below 1, weights are skewed (many single-line orders).
_BASKET_ALPHA = 0.35


def _basket_sizes(ctx: ChunkContext, span: int, n_orders: int, n_lines: int) -> np.ndarray:
    """Lines per order for the orders of layout span ``span`` (25,000 orders, 50,000 lines).

    Every full block of 25 orders shares 50 lines: each order gets one, and the other
    25 go to orders drawn with Gamma(alpha) weights. Only the dataset's last block,
    which may hold fewer orders or lines, depends on the totals.
    """
    first = span * _SPAN_ORDERS
    orders_here = min(_SPAN_ORDERS, n_orders - first)
    lines_here = min(2 * _SPAN_ORDERS, n_lines - 2 * first)
    k = _ORDERS_PER_BLOCK
    # One stream per span, named after the orders dataset, so both tables agree.
    rng = ctx.seeder.stream(ORDERS, "#baskets", span)
    weights = rng.gamma(_BASKET_ALPHA, size=(_BLOCKS_PER_SPAN, k))
    u = rng.random((_BLOCKS_PER_SPAN, k))
    nb = -(-orders_here // k)
    weights, u = weights[:nb], u[:nb]
    r = np.full(nb, k)
    r[-1] = orders_here - k * (nb - 1)
    extras = np.full(nb, k)
    extras[-1] = lines_here - _LINES_PER_BLOCK * (nb - 1) - r[-1]
    slot = np.arange(k)
    weights = np.where(slot[None, :] < r[:, None], np.maximum(weights, 1e-300), 0.0)
    cum = np.cumsum(weights, axis=1)
    cum /= cum[:, -1:]
    offset = np.arange(nb)[:, None]
    owner = np.searchsorted((cum + offset).ravel(), (u + offset).ravel(), side="right")
    owner = np.minimum(owner, np.repeat(offset[:, 0] * k + r - 1, k))
    taken = (slot[None, :] < extras[:, None]).ravel()
    counts = np.bincount(owner[taken], minlength=nb * k).reshape(nb, k)
    return (1 + counts)[slot[None, :] < r[:, None]]


def _orders_in(params: Params, table: str) -> tuple[int, int]:
    """(orders, lines) of the layout a table of ``params.rows`` rows belongs to."""
    if table == ORDERS:
        return params.rows, 2 * params.rows
    return -(-params.rows // 2), params.rows


@dataclass(frozen=True, repr=False)
class _Baskets(CallRepr, GroupSampler):
    """The basket layout: per order its size, per line its order and position."""

    _factory = "baskets"
    table: str

    def __repr__(self) -> str:
        return f"baskets({self.table!r})"

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        return {"basket_size": pl.Int32(), "order_index": pl.Int64(), "line_number": pl.Int32()}

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        n_orders, n_lines = _orders_in(ctx.params, self.table)
        out: dict[str, SampleOutput] = {}
        if self.table == ORDERS:
            spans = [
                sp for sp in (2 * ctx.chunk, 2 * ctx.chunk + 1) if sp * _SPAN_ORDERS < n_orders
            ]
            sizes = np.concatenate([_basket_sizes(ctx, sp, n_orders, n_lines) for sp in spans])
            out["basket_size"] = sizes.astype(np.int32)
            out["order_index"] = np.arange(ctx.offset, ctx.offset + ctx.n, dtype=np.int64)
            out["line_number"] = np.ones(ctx.n, dtype=np.int32)
        else:
            sizes = _basket_sizes(ctx, ctx.chunk, n_orders, n_lines)
            assert int(sizes.sum()) == ctx.n, "basket layout does not fill the chunk"
            starts = np.cumsum(sizes) - sizes
            first = ctx.chunk * _SPAN_ORDERS
            local = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
            out["order_index"] = first + local
            out["line_number"] = (np.arange(ctx.n) - starts[local] + 1).astype(np.int32)
            out["basket_size"] = sizes[local].astype(np.int32)
        return {f: out[f] for f in fields}


# -- the other table's matching chunk -----------------------------------------------

_sibling_lock = threading.Lock()
_sibling_frames: OrderedDict[tuple[Any, ...], pl.DataFrame] = OrderedDict()


def _sibling_chunk(
    ctx: ChunkContext, name: str, rows: int, chunk: int, columns: Sequence[str]
) -> pl.DataFrame:
    """Chunk ``chunk`` of catalogue dataset ``name`` with ``rows`` rows, these columns.

    Cached per process (a few chunks): two lines chunks share one orders chunk.
    """
    from tempdata.datasets import registry

    params = dataclasses.replace(ctx.params, rows=rows)
    key = (name, ctx.seeder.seed, ctx.seeder.reference_date, params.cache_key(), chunk, *columns)
    with _sibling_lock:
        if key in _sibling_frames:
            _sibling_frames.move_to_end(key)
            return _sibling_frames[key]
    planner = Planner(
        registry.get(name), params, ctx.seeder, columns=list(columns), catalogue=registry.get
    )
    frame = planner.chunk(chunk)
    with _sibling_lock:
        _sibling_frames[key] = frame
        while len(_sibling_frames) > 4:
            _sibling_frames.popitem(last=False)
    return frame


@cache
def _line_items() -> dict[str, Any]:
    """The order_lines plan items that line_totals() draws or evaluates itself."""
    from tempdata.datasets import registry

    items = {item.outputs[0]: item for item in registry.get(LINES).items}
    return {name: items[name] for name in (*_LINE_DRAWS, "discount", "amount")}


#: Line columns line_totals() draws, each from its order_lines stream.
_LINE_DRAWS = ("product_id", "quantity", "_promo_rate", "_u_return")


@dataclass(frozen=True, repr=False)
class _LineTotals(CallRepr, GroupSampler):
    """Per order, sums over its lines in ``order_lines`` (same seed, twice the rows).

    Rather than generating the lines' chunks, it draws just the line columns the sums
    need, from the same streams and with the same samplers and expressions as
    ``order_lines``: product (as a row index of products), quantity, promotion rate
    and return draw; prices and categories are gathered from products, and the
    amounts are the lines' ``discount`` and ``amount`` expressions.
    """

    _factory = "line_totals"
    given: tuple[str, ...] = ("basket_size",)

    def __repr__(self) -> str:
        return "line_totals()"

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        return {
            "items": pl.Int64(),
            "items_total": pl.Float64(),
            "return_lines": pl.Int32(),
            "return_amount": pl.Float64(),
        }

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        _, n_lines = _orders_in(ctx.params, ORDERS)
        params = dataclasses.replace(ctx.params, rows=n_lines)
        # The orders chunk's lines are lines chunks 2 × chunk and 2 × chunk + 1, in order.
        local = np.repeat(
            np.arange(ctx.n, dtype=np.int64), ctx.frame.get_column("basket_size").to_numpy()
        )
        total = len(local)
        items = _line_items()
        fk: Any = items["product_id"].source
        drawn: dict[str, list[Any]] = {name: [] for name in _LINE_DRAWS}
        start = 0
        for c in (2 * ctx.chunk, 2 * ctx.chunk + 1):
            if start >= total:
                break
            n = min(CHUNK_SIZE, n_lines - c * CHUNK_SIZE)
            for name in _LINE_DRAWS:
                lines_ctx = ChunkContext(
                    dataset=LINES,
                    chunk=c,
                    offset=c * CHUNK_SIZE,
                    n=n,
                    params=params,
                    seeder=ctx.seeder,
                    frame=pl.DataFrame(),
                    parent=ctx.parent,
                    column=name,
                    parent_rows=ctx.parent_rows,
                )
                stream = ctx.seeder.stream(LINES, name, c)
                # Products as row indices: the same draws as the formatted keys.
                drawn[name].append(
                    fk.indices(stream, lines_ctx)
                    if name == "product_id"
                    else items[name].source.sample(stream, lines_ctx)
                )
            start += n
        assert start == total, "basket layout does not fill the lines chunks"
        product, quantity, promo, u_return = (np.concatenate(drawn[name]) for name in _LINE_DRAWS)
        rows = fk.parent_rows(params)
        bought = ctx.lookup(fk.parent, rows, ["unit_price", "category"], pl.Series(product))
        category = bought.get_column("category").cast(_CATEGORIES)
        back = u_return < _RETURN_BY_CODE[category.to_physical().to_numpy()]
        money_ctx = ChunkContext(
            dataset=LINES,
            chunk=2 * ctx.chunk,
            offset=2 * ctx.chunk * CHUNK_SIZE,
            n=total,
            params=params,
            seeder=ctx.seeder,
            frame=pl.DataFrame(),
            parent=ctx.parent,
            column=_MONEY.name,
            parent_rows=ctx.parent_rows,
        )
        frame = pl.DataFrame(
            {
                "quantity": quantity,
                "unit_price": bought.get_column("unit_price"),
                "_promo_rate": promo,
                "_decimals": _MONEY.sampler.sample(rng, money_ctx, ["decimals"])["decimals"],
            }
        )
        for name in ("discount", "amount"):
            frame = frame.with_columns(items[name].source.alias(name))
        amount = frame.get_column("amount").to_numpy()
        out: dict[str, SampleOutput] = {
            "items": np.bincount(local, weights=quantity, minlength=ctx.n).astype(np.int64),
            "items_total": np.bincount(local, weights=amount, minlength=ctx.n),
            "return_lines": np.bincount(local, weights=back, minlength=ctx.n).astype(np.int32),
            "return_amount": np.bincount(local, weights=amount * back, minlength=ctx.n),
        }
        return {f: out[f] for f in fields}


@dataclass(frozen=True, repr=False)
class _OrderFields(CallRepr, GroupSampler):
    """Columns of each line's order in ``ecommerce`` (same seed, half the rows)."""

    _factory = "order_fields"
    fields: tuple[str, ...]
    given: tuple[str, ...] = ("_order_index",)

    def __repr__(self) -> str:
        return f"order_fields({list(self.fields)!r})"

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        from tempdata.datasets import registry

        orders = Planner(
            registry.get(ORDERS),
            dataclasses.replace(params, rows=1),
            Seeder(0, reference_date=params.reference_date),
            columns=list(self.fields),
            catalogue=registry.get,
        )
        return dict(orders.schema)

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        n_orders, _ = _orders_in(ctx.params, LINES)
        chunk = ctx.chunk // 2
        orders = _sibling_chunk(ctx, ORDERS, n_orders, chunk, self.fields)
        local = ctx.frame.get_column("_order_index").to_numpy() - chunk * CHUNK_SIZE
        picked = orders[local]
        return {f: picked.get_column(f) for f in fields}


# -- small samplers -------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class _RangeEnd(CallRepr, Sampler):
    """The end of the date range on every row: the moment the snapshot is taken."""

    _factory = "range_end"

    def __repr__(self) -> str:
        return "range_end()"

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Datetime("us")

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> pl.Series:
        return pl.repeat(ctx.params.date_end, ctx.n, eager=True).cast(pl.Datetime("us"))


#: Real logistics cities per country (ISO code); other countries ship from their three
#: largest cities at least 200 km apart, ``global`` from hubs on every continent.
WAREHOUSES: dict[str, tuple[str, ...]] = {
    "US": ("Memphis", "Louisville", "Dallas", "Riverside", "Allentown"),
    "DE": ("Leipzig", "Dortmund", "Bad Hersfeld", "Munich"),
    "GB": ("Milton Keynes", "Doncaster", "Glasgow"),
    "FR": ("Orleans", "Lyon", "Lille", "Marseille"),
    "ES": ("Madrid", "Zaragoza", "Barcelona", "Sevilla"),
    "IT": ("Piacenza", "Rome"),
    "NL": ("Tilburg",),
    "PL": ("Poznan", "Wroclaw", "Warsaw"),
    "IN": ("Bhiwandi", "Bengaluru", "Delhi", "Kolkata"),
    "BR": ("Cajamar", "Recife"),
    "CN": ("Shanghai", "Guangzhou", "Beijing", "Chengdu"),
    "JP": ("Tokyo", "Osaka", "Fukuoka"),
    "AU": ("Sydney", "Melbourne", "Perth"),
    "CA": ("Toronto", "Calgary", "Vancouver"),
    "ZA": ("Johannesburg", "Cape Town", "Durban"),
    GLOBAL: (
        "Louisville, US",
        "Riverside, US",
        "Toronto, CA",
        "Mexico City, MX",
        "Sao Paulo, BR",
        "Buenos Aires, AR",
        "Leipzig, DE",
        "Madrid, ES",
        "Warsaw, PL",
        "Istanbul, TR",
        "Dubai, AE",
        "Mumbai, IN",
        "Singapore, SG",
        "Shenzhen, CN",
        "Seoul, KR",
        "Tokyo, JP",
        "Sydney, AU",
        "Johannesburg, ZA",
        "Lagos, NG",
        "Nairobi, KE",
    ),
}


@cache
def _cities() -> pl.DataFrame:
    return load("cities", ("city", "city_ascii", "country_code", "lat", "lon", "population"))


@cache
def _warehouses(country: str) -> tuple[tuple[str, ...], np.ndarray]:
    """(labels, unit vectors) of the warehouses of a country (ISO code or ``global``)."""
    cities = _cities().sort("population", descending=True, maintain_order=True)
    picked: list[dict[str, Any]] = []
    if country in WAREHOUSES:
        for entry in WAREHOUSES[country]:
            name, _, code = entry.partition(", ")
            match = cities.filter(
                ((pl.col("city") == name) | (pl.col("city_ascii") == name))
                & (pl.col("country_code") == (code or country))
            )
            if match.height:  # every listed name is in the reference data (tested)
                picked.append(match.row(0, named=True))
    else:
        for row in cities.filter(pl.col("country_code") == country).iter_rows(named=True):
            if all(haversine_km(row["lat"], row["lon"], p["lat"], p["lon"]) > 200 for p in picked):
                picked.append(row)
            if len(picked) == 3:
                break
    labels = tuple(
        r["city"] if country != GLOBAL else f"{r['city']}, {r['country_code']}" for r in picked
    )
    xyz = to_xyz(np.array([r["lat"] for r in picked]), np.array([r["lon"] for r in picked]))
    return labels, xyz


@cache
def _city_fields() -> pl.DataFrame:
    """Per row of cities.parquet: its name, country name and IANA time zone (a missing
    zone is UTC), in ship_to()'s dtypes so a chunk's values are a gather."""
    countries = load("countries").select(pl.col("iso2").alias("country_code"), "name")
    return (
        load("cities")
        .join(countries, on="country_code", how="left", maintain_order="left")
        .select(
            "city",
            pl.col("name").cast(pl.Categorical()).alias("country"),
            pl.col("country_code").cast(pl.Categorical()),
            pl.col("timezone").cast(pl.String).fill_null("UTC").cast(pl.Categorical()),
        )
    )


@dataclass(frozen=True, repr=False)
class _ShipTo(CallRepr, GroupSampler):
    """Where each order goes: the customer's place (from ``customers`` under the same
    seed, looked up by position), its time zone, the nearest warehouse and the distance to it."""

    _factory = "ship_to"
    given: tuple[str, ...] = ("customer_id",)

    def __repr__(self) -> str:
        return "ship_to()"

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        labels, _ = _warehouses(resolve_country(params.country))
        return {
            "city": pl.String(),
            "country": pl.Categorical(),
            "country_code": pl.Categorical(),
            "timezone": pl.Categorical(),
            "warehouse": pl.Enum(sorted(set(labels))),
            "distance_km": pl.Float64(),
        }

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        fk: Any = _CUSTOMER_FK
        # The customer's city as a row of cities.parquet (customers' hidden city id):
        # names and time zone are then a gather, not a join on names.
        index = fk.key.index_of(ctx.frame.get_column("customer_id"))
        rows = fk.parent_rows(ctx.params)
        place = ctx.lookup(fk.parent, rows, ["_city_id", "lat", "lon"], index)
        city = _city_fields()[place.get_column("_city_id")]
        labels, wxyz = _warehouses(resolve_country(ctx.params.country))
        xyz = to_xyz(place.get_column("lat").to_numpy(), place.get_column("lon").to_numpy())
        cosine = xyz @ wxyz.T
        nearest = np.argmax(cosine, axis=1)
        angle = np.arccos(np.clip(cosine[np.arange(len(nearest)), nearest], -1.0, 1.0))
        out: dict[str, SampleOutput] = {
            "city": city.get_column("city"),
            "country": city.get_column("country"),
            "country_code": city.get_column("country_code"),
            "timezone": city.get_column("timezone"),
            "warehouse": pl.Series(labels, dtype=pl.Enum(sorted(set(labels)))).gather(nearest),
            "distance_km": np.round(angle * EARTH_RADIUS_KM, 1),
        }
        return {f: out[f] for f in fields}


# -- the model's numbers ---------------------------------------------------------------

#: Share of delivered items sent back, by product category (online retail: apparel is
#: returned most, groceries hardly ever).
RETURN_RATES: dict[str, float] = {
    "Clothing": 0.26,
    "Electronics": 0.11,
    "Sports & Outdoors": 0.09,
    "Home & Kitchen": 0.08,
    "Toys & Games": 0.06,
    "Beauty": 0.04,
    "Office": 0.04,
    "Books": 0.03,
    "Grocery": 0.01,
}
assert set(RETURN_RATES) == set(product_categories()), "a return rate per category"
_CATEGORIES = pl.Enum(list(product_categories()))
#: Return rate by the physical code of a ``_CATEGORIES`` value.
_RETURN_BY_CODE = np.array([RETURN_RATES[c] for c in _CATEGORIES.categories], dtype=np.float64)

_METHODS = ["standard", "express", "next_day", "pickup"]
#: Hours of (median handling after payment, fixed transit) and transit km per hour.
_HANDLING_H = {"standard": 20.0, "express": 5.0, "next_day": 2.5, "pickup": 20.0}
_BASE_H = {"standard": 22.0, "express": 10.0, "next_day": 12.0, "pickup": 30.0}
_KM_PER_H = {"standard": 22.0, "express": 55.0, "next_day": 90.0, "pickup": 22.0}
#: Next-day delivery is offered up to this distance; farther it becomes express.
_NEXT_DAY_KM = 800.0
#: US-dollar fees (converted); standard is free from this items total.
_FEES = {"standard": 4.99, "express": 12.99, "next_day": 19.99, "pickup": 0.0}
_FREE_STANDARD_FROM = 50.0
_PAYMENTS = {
    "card": 0.48,
    "paypal": 0.2,
    "mobile_wallet": 0.15,
    "buy_now_pay_later": 0.08,
    "bank_transfer": 0.09,
}
#: Median payment lag in hours (card authorisation in seconds; a bank transfer in a day).
_PAY_LAG_H = {
    "card": 0.01,
    "paypal": 0.02,
    "mobile_wallet": 0.005,
    "buy_now_pay_later": 0.05,
    "bank_transfer": 22.0,
}
#: Orders never paid (abandoned, declined) and orders cancelled after payment.
_UNPAID = {
    "card": 0.02,
    "paypal": 0.015,
    "mobile_wallet": 0.01,
    "buy_now_pay_later": 0.05,
    "bank_transfer": 0.14,
}
_CANCEL_PAID = 0.025
_COUPONS = {"WELCOME10": 0.3, "SAVE15": 0.25, "FREESHIP": 0.3, "VIP20": 0.15}
_COUPON_RATE = {"WELCOME10": 0.10, "SAVE15": 0.15, "FREESHIP": 0.0, "VIP20": 0.20}
_STATUSES = ["placed", "paid", "shipped", "delivered", "returned", "cancelled"]
_US_PER_H = 3_600_000_000

#: Orders come on any day at the online-shopping profile's hours, with the country's
#: retail events and months (tempdata.calendar), growing 12 % a year.
_ORDERS = {"web": ("online", 1.0)}
_GROWTH = 0.12


#: Categories of the Enum columns ``_by`` reads, in their Enum order.
_ENUM_CATEGORIES: dict[str, list[str]] = {
    "shipping_method": _METHODS,
    "payment_method": list(_PAYMENTS),
    "coupon_code": list(_COUPONS),
    "category": list(_CATEGORIES.categories),
}


def _by(column: str, table: Mapping[str, float]) -> pl.Expr:
    """A per-row number looked up from a text column's value (null stays null).

    The columns are Enums with known categories: the value is then a gather by the
    category's code, the same numbers as matching the text, without building it. The
    cast to ``Enum(categories)`` maps by value (a no-op when the column already has
    that order), so the codes match ``categories`` whatever order the column uses.
    """
    categories = _ENUM_CATEGORIES[column]
    assert set(table) == set(categories), f"a number per {column} value"
    values = pl.Series([float(table[c]) for c in categories], dtype=pl.Float64)
    codes = pl.col(column).cast(pl.Enum(list(categories))).to_physical()
    return pl.lit(values).gather(codes)


def _after(start: str, hours: pl.Expr) -> pl.Expr:
    """``start`` plus ``hours`` (microsecond precision)."""
    return pl.col(start) + pl.duration(microseconds=(hours * _US_PER_H).round(0).cast(pl.Int64))


def _lognormal_h(median: pl.Expr, sigma: float, z: str, low: float) -> pl.Expr:
    return (median * (sigma * pl.col(z)).exp()).clip(lower_bound=low)


def _reached(at: str) -> pl.Expr:
    """A stage's candidate time when it happened by the snapshot, else null."""
    return pl.when(pl.col(at) <= pl.col("_now")).then(pl.col(at))


_PARAMETERS = {
    "customers": Parameter(
        "Customers the orders refer to (default orders / 10, 100 to 1,000,000); their "
        "places are generated under the same seed and looked up.",
        high=MAX_PARENT_ROWS,
    ),
    "products": Parameter(
        "Products the lines refer to (default 1,000); their prices are looked up.",
        high=MAX_PARENT_ROWS,
    ),
}

# -- ecommerce (orders) ------------------------------------------------------------------

_status = (
    pl.when(pl.col("cancelled_at").is_not_null())
    .then(pl.lit("cancelled"))
    .when(pl.col("returned_at").is_not_null())
    .then(pl.lit("returned"))
    .when(pl.col("delivered_at").is_not_null())
    .then(pl.lit("delivered"))
    .when(pl.col("shipped_at").is_not_null())
    .then(pl.lit("shipped"))
    .when(pl.col("paid_at").is_not_null())
    .then(pl.lit("paid"))
    .otherwise(pl.lit("placed"))
)


def _before(a: str, b: str) -> pl.Expr:
    """``a`` strictly before ``b`` wherever both are set."""
    return pl.col(a).is_null() | pl.col(b).is_null() | (pl.col(a) < pl.col(b))


def _implies(later: str, earlier: str) -> pl.Expr:
    """A later stage is reached only after the earlier one."""
    return pl.col(later).is_null() | pl.col(earlier).is_not_null()


_TOTAL_TOLERANCE = 0.006

ecommerce = register(
    Dataset(
        ORDERS,
        domain="business",
        description="Orders of an online shop, one row per order: customer, ship-to "
        "place, warehouse and distance, shipping method, payment, lifecycle timestamps "
        "(placed → paid → shipped → delivered → returned, or cancelled) and totals that "
        "add up from its lines in order_lines. Sorted by time; ids increase with it.",
        key="order_id",
        depends_on_rows=("placed_at", "customer_id", "basket_size"),
        # Stages not reached (yet), and orders without a coupon.
        nullable=[
            "paid_at",
            "shipped_at",
            "delivered_at",
            "returned_at",
            "cancelled_at",
            "coupon_code",
        ],
        parameters=_PARAMETERS,
        notes="order_lines with twice the rows (same seed, dates, country) holds exactly "
        "these orders' lines. A snapshot at the end of the date range: recent orders are "
        "still in progress, and stages not reached are null. Timestamps are the "
        "customer's local wall-clock time (zone in timezone). Depends on the row count "
        "through the default number of customers, the time quantiles that keep the "
        "table sorted, and the basket sizes of the last 25 orders.",
        columns=[
            col(
                "order_id", s.sequence("ORD-{:09d}"), description="Order key, increasing with time."
            ),
            group(
                "placed",
                s.calendar_times(_ORDERS, sorted=True, growth=_GROWTH),
                columns={"placed_at": "time"},
                descriptions={
                    "placed_at": "When the order was placed (customer's local time); rows "
                    "are sorted by it. Evenings and Sundays are busiest; the country's "
                    "retail events (Black Friday where it is kept, Singles' Day, Ramadan) "
                    "and the months of its retail series shape the year."
                },
            ),
            col("customer_id", _CUSTOMER_FK, description="Buyer, a customers key (skewed)."),
            group(
                "ship_to",
                _ShipTo(),
                columns={
                    "ship_city": "city",
                    "ship_country": "country",
                    "timezone": "timezone",
                    "warehouse": "warehouse",
                    "distance_km": "distance_km",
                    "_ship_cc": "country_code",
                },
                hidden=["_ship_cc"],
                descriptions={
                    "ship_city": "The customer's city (from customers), where the order ships.",
                    "ship_country": "The customer's country (from customers).",
                    "timezone": "IANA time zone of the customer's city: the zone of every "
                    "timestamp of the row.",
                    "warehouse": "The warehouse nearest the customer (real logistics "
                    "cities of the country; world hubs for global).",
                    "distance_km": "Great-circle distance from the warehouse to the "
                    "customer's address, km.",
                },
            ),
            col(
                "_method",
                s.choice({"standard": 0.58, "express": 0.18, "next_day": 0.11, "pickup": 0.13}),
                hidden=True,
            ),
            col(
                "shipping_method",
                pl.when((pl.col("_method") == "next_day") & (pl.col("distance_km") > _NEXT_DAY_KM))
                .then(pl.lit("express"))
                .otherwise(pl.col("_method").cast(pl.String))
                .cast(pl.Enum(_METHODS)),
                description=f"standard, express, next_day (only within {_NEXT_DAY_KM:.0f} km "
                "of the warehouse) or pickup (collected at a pickup point).",
            ),
            col(
                "payment_method",
                s.choice(_PAYMENTS),
                description="card, paypal, mobile_wallet, buy_now_pay_later or bank_transfer.",
            ),
            group(
                "baskets",
                _Baskets(ORDERS),
                columns={"basket_size": "basket_size"},
                descriptions={
                    "basket_size": "Lines in the order (distinct products): skewed, mostly "
                    "1–3, a few past 10; averages 2."
                },
            ),
            group(
                "lines",
                _LineTotals(),
                columns={
                    "items": "items",
                    "_items_total": "items_total",
                    "_return_lines": "return_lines",
                    "_return_amount": "return_amount",
                },
                hidden=["_items_total", "_return_lines", "_return_amount"],
                descriptions={"items": "Units in the order: the sum of its lines' quantity."},
            ),
            _MONEY,
            col(
                "items_total",
                round_money(pl.col("_items_total"), pl.col("_decimals")),
                description="Sum of the order's line amounts in order_lines (in `currency`).",
            ),
            col(
                "shipping_cost",
                pl.when(
                    (pl.col("shipping_method") == "standard")
                    & (pl.col("items_total") >= _FREE_STANDARD_FROM * pl.col("_per_usd"))
                )
                .then(0.0)
                .otherwise(
                    round_money(
                        _by("shipping_method", _FEES) * pl.col("_per_usd"), pl.col("_decimals")
                    )
                ),
                description="Shipping fee: 4.99, 12.99, 19.99 US dollars' worth for standard, "
                "express, next_day; pickup free; standard free from 50 dollars' worth of items.",
            ),
            col(
                "coupon_code",
                s.choice(_COUPONS),
                nulls=0.8,
                description="Coupon used (WELCOME10, SAVE15, VIP20: percent off the items; "
                "FREESHIP: the shipping fee); null for the 80 % of orders without one.",
            ),
            col(
                "discount",
                round_money(
                    pl.when(pl.col("coupon_code") == "FREESHIP")
                    .then(pl.col("shipping_cost"))
                    .otherwise(
                        pl.col("items_total") * _by("coupon_code", _COUPON_RATE).fill_null(0.0)
                    ),
                    pl.col("_decimals"),
                ).fill_null(0.0),
                description="Money off the order from its coupon (0 without one).",
            ),
            col(
                "total",
                round_money(
                    pl.col("items_total") + pl.col("shipping_cost") - pl.col("discount"),
                    pl.col("_decimals"),
                ),
                description="What the customer pays: items_total + shipping_cost − discount.",
            ),
            # The lifecycle: candidate times of every stage, then the snapshot.
            col("_now", _RangeEnd(), hidden=True),
            col("_z_pay", s.normal(0, 1), hidden=True),
            col("_z_handling", s.normal(0, 1), hidden=True),
            col("_z_transit", s.normal(0, 1), hidden=True),
            col("_z_collect", s.normal(0, 1), hidden=True),
            col("_z_return", s.normal(0, 1), hidden=True),
            col("_z_cancel", s.normal(0, 1), hidden=True),
            col("_u_cancel", s.floats(0, 1), hidden=True),
            col(
                "_cancel_stage",
                pl.when(pl.col("_u_cancel") < _by("payment_method", _UNPAID))
                .then(1)
                .when(pl.col("_u_cancel") < _by("payment_method", _UNPAID) + _CANCEL_PAID)
                .then(2)
                .otherwise(0),
                hidden=True,
            ),
            col(
                "_paid",
                _after(
                    "placed_at",
                    _lognormal_h(_by("payment_method", _PAY_LAG_H), 0.8, "_z_pay", 0.002),
                ),
                hidden=True,
            ),
            col(
                "_handling_h",
                _lognormal_h(_by("shipping_method", _HANDLING_H), 0.55, "_z_handling", 0.5),
                hidden=True,
            ),
            col("_shipped", _after("_paid", pl.col("_handling_h")), hidden=True),
            col(
                "_arrived",
                _after(
                    "_shipped",
                    (
                        _by("shipping_method", _BASE_H)
                        + pl.col("distance_km") / _by("shipping_method", _KM_PER_H)
                    )
                    * (0.25 * pl.col("_z_transit")).exp()
                    + pl.when(pl.col("shipping_method") == "pickup")
                    .then(_lognormal_h(pl.lit(20.0), 0.9, "_z_collect", 0.5))
                    .otherwise(0.0),
                ),
                hidden=True,
            ),
            # Carriers deliver on their delivery days within their window: a parcel
            # that arrives outside them goes out on the next round.
            col("_delivered", s.delivery_times("_arrived", "_ship_cc"), hidden=True),
            col(
                "_return_at",
                _after(
                    "_delivered",
                    24 * _lognormal_h(pl.lit(8.0), 0.5, "_z_return", 1.0).clip(upper_bound=30.0),
                ),
                hidden=True,
            ),
            col(
                "_cancelled",
                pl.when(pl.col("_cancel_stage") == 1)
                .then(
                    _after(
                        "placed_at",
                        _lognormal_h(pl.lit(6.0), 1.0, "_z_cancel", 0.1).clip(
                            upper_bound=24.0 * 14
                        ),
                    )
                )
                .otherwise(
                    _after(
                        "_paid",
                        pl.col("_handling_h") * (0.1 + 0.8 / (1.0 + (-pl.col("_z_cancel")).exp())),
                    )
                ),
                hidden=True,
            ),
            col(
                "paid_at",
                pl.when(pl.col("_cancel_stage") != 1).then(_reached("_paid")),
                description="When payment cleared; null if not (yet) paid.",
            ),
            col(
                "shipped_at",
                pl.when(pl.col("_cancel_stage") == 0).then(_reached("_shipped")),
                description="When the parcel left the warehouse; null if not (yet) shipped, "
                "always null for cancelled orders.",
            ),
            col(
                "delivered_at",
                pl.when(pl.col("_cancel_stage") == 0).then(_reached("_delivered")),
                description="When the customer received (or collected) it, in the "
                "carrier's delivery window on one of its delivery days (Monday to Saturday "
                "08:30–19:00 in most countries, every day in Japan and China); null if not "
                "(yet) delivered.",
            ),
            col(
                "returned_at",
                pl.when(pl.col("delivered_at").is_not_null() & (pl.col("_return_lines") > 0)).then(
                    _reached("_return_at")
                ),
                description="When returned items came back (see order_lines.returned); null "
                "when nothing was returned.",
            ),
            col(
                "cancelled_at",
                pl.when(pl.col("_cancel_stage") != 0).then(_reached("_cancelled")),
                description="When the order was cancelled (before payment, or after it but "
                "before shipping); null otherwise.",
            ),
            col(
                "status",
                _status.cast(pl.Enum(_STATUSES)),
                description="Latest stage by the end of the date range: placed, paid, "
                "shipped, delivered, returned or cancelled.",
            ),
            col(
                "refund",
                pl.when(pl.col("returned_at").is_not_null())
                .then(
                    pl.min_horizontal(
                        round_money(
                            pl.col("_return_amount")
                            * (1.0 - _by("coupon_code", _COUPON_RATE).fill_null(0.0)),
                            pl.col("_decimals"),
                        ),
                        pl.col("total"),
                    )
                )
                .when(pl.col("cancelled_at").is_not_null() & pl.col("paid_at").is_not_null())
                .then(pl.col("total"))
                .otherwise(0.0),
                description="Money paid back: the returned lines' amounts less the coupon's "
                "percentage (shipping is not refunded), or the whole "
                "total of an order cancelled after payment; 0 otherwise.",
            ),
        ],
        checks=[
            check("order_id_unique", pl.col("order_id").is_unique()),
            check(
                "sorted_by_placed_at",
                pl.col("placed_at") >= pl.col("placed_at").shift(1).fill_null(pl.col("placed_at")),
            ),
            check("paid_after_placed", _before("placed_at", "paid_at")),
            check("shipped_after_paid", _before("paid_at", "shipped_at")),
            check("delivered_after_shipped", _before("shipped_at", "delivered_at")),
            check("returned_after_delivered", _before("delivered_at", "returned_at")),
            check("cancelled_after_placed", _before("placed_at", "cancelled_at")),
            check("cancelled_after_paid", _before("paid_at", "cancelled_at")),
            check("shipped_only_if_paid", _implies("shipped_at", "paid_at")),
            check("delivered_only_if_shipped", _implies("delivered_at", "shipped_at")),
            check("returned_only_if_delivered", _implies("returned_at", "delivered_at")),
            check(
                "cancelled_never_shipped",
                pl.col("cancelled_at").is_null() | pl.col("shipped_at").is_null(),
            ),
            check("status_matches_timestamps", pl.col("status").cast(pl.String) == _status),
            check(
                "total_is_items_plus_shipping_minus_discount",
                (
                    pl.col("items_total")
                    + pl.col("shipping_cost")
                    - pl.col("discount")
                    - pl.col("total")
                ).abs()
                <= _TOTAL_TOLERANCE,
            ),
            check(
                "discount_within_order",
                (pl.col("discount") >= 0)
                & (pl.col("discount") <= pl.col("items_total") + pl.col("shipping_cost")),
            ),
            check("total_positive", pl.col("total") > 0),
            check("basket_size_positive", pl.col("basket_size") >= 1),
            check("items_at_least_lines", pl.col("items") >= pl.col("basket_size")),
            check("distance_not_negative", pl.col("distance_km") >= 0),
            check(
                "next_day_within_range",
                (pl.col("shipping_method") != "next_day") | (pl.col("distance_km") <= _NEXT_DAY_KM),
            ),
            check(
                "refund_within_total",
                (pl.col("refund") >= 0) & (pl.col("refund") <= pl.col("total") + _TOTAL_TOLERANCE),
            ),
        ],
    )
)

# -- order_lines --------------------------------------------------------------------------

order_lines = register(
    Dataset(
        LINES,
        domain="business",
        description="Item lines of the ecommerce orders, one row per product in an "
        "order, in order (and so time) sequence; returns are per line.",
        key="line_id",
        nullable=["returned_at"],  # lines not returned
        depends_on_rows=("order_id", "line_number", "placed_at", "returned", "returned_at"),
        parameters=_PARAMETERS,
        notes="rows = 2 × the orders' rows gives exactly the lines of ecommerce generated "
        "with the same seed, dates and country; alone, R rows are the lines of the first "
        "ceil(R / 2) orders. Return rates by category: "
        + ", ".join(f"{c} {r:.0%}" for c, r in RETURN_RATES.items())
        + " of delivered items.",
        columns=[
            col(
                "line_id", s.sequence("LIN-{:010d}"), description="Line key, increasing with time."
            ),
            group(
                "baskets",
                _Baskets(LINES),
                columns={"_order_index": "order_index", "line_number": "line_number"},
                hidden=["_order_index"],
                descriptions={"line_number": "Position of the line in its order, from 1."},
            ),
            col(
                "order_id",
                pl.concat_str(
                    pl.lit("ORD-"), (pl.col("_order_index") + 1).cast(pl.String).str.zfill(9)
                ),
                description="The order (an ecommerce key).",
            ),
            group(
                "order",
                _OrderFields(("placed_at", "delivered_at", "_return_at")),
                columns={
                    "placed_at": "placed_at",
                    "_delivered_at": "delivered_at",
                    "_return_at": "_return_at",
                },
                hidden=["_delivered_at", "_return_at"],
                descriptions={"placed_at": "When the order was placed (the order's local time)."},
            ),
            col("product_id", _PRODUCT_FK, description="Item, a products key (skewed)."),
            col(
                "category",
                s.lookup("product_id", _PRODUCT_FK, "category", dtype=_CATEGORIES),
                description="The product's category (from products).",
            ),
            col("quantity", s.poisson(0.3, low=1, high=12), description="Units of the product."),
            col(
                "unit_price",
                s.lookup("product_id", _PRODUCT_FK, "unit_price"),
                description="The product's list price (in `currency`).",
            ),
            col(
                "_promo_rate",
                s.numbers({0.0: 0.78, 0.1: 0.1, 0.2: 0.08, 0.3: 0.04}),
                hidden=True,
            ),
            _MONEY,
            col(
                "discount",
                line_discount("_promo_rate"),
                description="Promotion on the line: 0, 10, 20 or 30 % off.",
            ),
            col("amount", LINE_AMOUNT, description="quantity × unit_price − discount."),
            col("_now", _RangeEnd(), hidden=True),
            col("_u_return", s.floats(0, 1), hidden=True),
            col(
                "_would_return",
                pl.col("_u_return") < _by("category", RETURN_RATES),
                hidden=True,
            ),
            col(
                "returned",
                pl.col("_would_return")
                & pl.col("_delivered_at").is_not_null()
                & (pl.col("_return_at") <= pl.col("_now")),
                description="Sent back after delivery; the rate depends on the category.",
            ),
            col(
                "returned_at",
                pl.when(pl.col("returned")).then(pl.col("_return_at")),
                description="When it came back (the order's returned_at); null unless returned.",
            ),
        ],
        checks=[
            check("line_id_unique", pl.col("line_id").is_unique()),
            check("line_number_positive", pl.col("line_number") >= 1),
            check("quantity_positive", pl.col("quantity") >= 1),
            check("amount_positive", pl.col("amount") > 0),
            check(
                "amount_is_gross_minus_discount",
                (
                    (pl.col("quantity") * pl.col("unit_price") - pl.col("discount"))
                    - pl.col("amount")
                ).abs()
                <= _TOTAL_TOLERANCE,
            ),
            check(
                "returned_at_only_when_returned",
                pl.col("returned_at").is_null() == ~pl.col("returned"),
            ),
            check("returned_after_placed", _before("placed_at", "returned_at")),
            check(
                "sorted_by_placed_at",
                pl.col("placed_at") >= pl.col("placed_at").shift(1).fill_null(pl.col("placed_at")),
            ),
        ],
    )
)
