"""The product catalogue: types, names, sizes, list prices and weights of products.

Read from ``reference_data/product_types.parquet`` and ``product_sizes.parquet`` (built
from ``scripts/sources/products/``; see ``SOURCES.md``). A product is a type of its
aisle (a Smart TV among Televisions), drawn by the type's share of a catalogue; its name
is ``brand line modifier type size`` — "Voltix Nova QLED 4K Smart TV 55-inch", "Maris
Navy Slim Fit T-Shirt Size M", "Harvest Lane Lemon Sparkling Water 1.5 l" — with a brand
and a product line (a colour for clothing; none for groceries, toys, books and office
supplies) of its department, a modifier of its type and a size of its type's scale.
The size scales its list price and its shipping weight, so a 2 x 10 kg dumbbell set
weighs about 21 kg and a 1.5 l bottle about 1.5 kg. List prices are set to the
currency's price points (:func:`tempdata.geo.prices.price_points`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import polars as pl

from tempdata.core.plan import ChunkContext, GroupSampler, Params, SampleOutput, Sampler
from tempdata.geo.countries import resolve_country
from tempdata.geo.money import currency_for
from tempdata.geo.prices import price_points
from tempdata.geo.reference import load

__all__ = ["CATALOGUE_FIELDS", "catalogue", "product_categories", "product_prices"]

Array = npt.NDArray[np.float64]
Index = npt.NDArray[np.int64]

#: Fields of :func:`catalogue`, in order.
CATALOGUE_FIELDS = ("category", "subcategory", "brand", "name", "usd_price", "weight_kg")
#: Lowest US-dollar list price drawn, before price points.
_MIN_USD = 0.3


@dataclass(frozen=True)
class _Tables:
    """The catalogue laid out as arrays: per type, per size and flattened vocabularies."""

    categories: tuple[str, ...]
    subcategories: tuple[str, ...]
    brands: tuple[str, ...]
    modifiers: tuple[str, ...]
    types: tuple[str, ...]
    type_cdf: Array  # cumulative share, ending at 1
    type_category: Index
    type_subcategory: Index
    price_usd: Array
    price_sigma: Array
    kg_low: Array
    kg_high: Array
    mod_start: Index
    mod_count: Index
    brand_start: Index  # per category
    brand_count: Index
    lines: tuple[str, ...]  # " Nova" (with its separator); lines[0] == "" for none
    line_start: Index  # per category
    line_count: Index
    type_scale: Index  # each type's size scale (0: one size)
    size_keys: Array  # scale id + cumulative share within the scale
    size_labels: tuple[str, ...]  # " 55-inch" (with its separator), "" for one size
    price_factor: Array
    kg_factor: Array


@cache
def _tables() -> _Tables:
    types = load("product_types")
    sizes = load("product_sizes")
    categories = tuple(types["category"].unique(maintain_order=True).to_list())
    subcategories = tuple(types["subcategory"].unique(maintain_order=True).to_list())
    cat_index = {c: i for i, c in enumerate(categories)}
    sub_index = {s: i for i, s in enumerate(subcategories)}
    brands: list[str] = []
    brand_start, brand_count = [], []
    per_category = types.unique("category", keep="first", maintain_order=True)
    for names in per_category["brands"].to_list():
        brand_start.append(len(brands))
        brand_count.append(len(names))
        brands.extend(names)
    lines: list[str] = [""]
    line_start, line_count = [], []
    for names in per_category["lines"].to_list():
        line_start.append(len(lines) if names else 0)
        line_count.append(len(names) or 1)
        lines.extend(" " + name for name in names)
    modifiers: list[str] = []
    mod_start, mod_count = [], []
    for names in types["modifiers"].to_list():
        mod_start.append(len(modifiers))
        mod_count.append(len(names))
        modifiers.extend(names)
    # Scale 0 is "one size": an empty label and factors of 1.
    scales = ["", *sizes["scale"].unique(maintain_order=True).to_list()]
    scale_index = {s: i for i, s in enumerate(scales)}
    labels, keys, price_f, kg_f = [""], [1.0], [1.0], [1.0]
    for i, scale in enumerate(scales[1:], start=1):
        rows = sizes.filter(pl.col("scale") == scale)
        w = rows["weight"].to_numpy()
        cdf = np.cumsum(w) / w.sum()
        cdf[-1] = 1.0
        labels.extend(" " + label for label in rows["label"].to_list())
        keys.extend((i + cdf).tolist())
        price_f.extend(rows["price_factor"].to_list())
        kg_f.extend(rows["kg_factor"].to_list())
    share = types["share"].to_numpy()
    type_cdf = np.cumsum(share) / share.sum()
    type_cdf[-1] = 1.0

    def ints(values: Sequence[int]) -> Index:
        return np.asarray(values, dtype=np.int64)

    def floats(column: str) -> Array:
        return types[column].to_numpy().astype(np.float64)

    return _Tables(
        categories=categories,
        subcategories=subcategories,
        brands=tuple(brands),
        modifiers=tuple(modifiers),
        types=tuple(types["type"].to_list()),
        type_cdf=type_cdf,
        type_category=ints([cat_index[c] for c in types["category"].to_list()]),
        type_subcategory=ints([sub_index[s] for s in types["subcategory"].to_list()]),
        price_usd=floats("price_usd"),
        price_sigma=floats("price_sigma"),
        kg_low=floats("kg_low"),
        kg_high=floats("kg_high"),
        mod_start=ints(mod_start),
        mod_count=ints(mod_count),
        brand_start=ints(brand_start),
        brand_count=ints(brand_count),
        lines=tuple(lines),
        line_start=ints(line_start),
        line_count=ints(line_count),
        type_scale=ints([scale_index[s] for s in types["sizes"].to_list()]),
        size_keys=np.asarray(keys, dtype=np.float64),
        size_labels=tuple(labels),
        price_factor=np.asarray(price_f, dtype=np.float64),
        kg_factor=np.asarray(kg_f, dtype=np.float64),
    )


def product_categories() -> tuple[str, ...]:
    """The departments of the catalogue, in catalogue order (the ``category`` enum)."""
    return _tables().categories


@dataclass(frozen=True, repr=False)
class _Catalogue(GroupSampler):
    """Products of the reference catalogue: see the module docstring."""

    def __repr__(self) -> str:
        return "catalogue()"

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        t = _tables()
        return {
            "category": pl.Enum(list(t.categories)),
            "subcategory": pl.Enum(list(t.subcategories)),
            "brand": pl.Enum(list(dict.fromkeys(t.brands))),
            "name": pl.String(),
            "usd_price": pl.Float64(),
            "weight_kg": pl.Float64(),
        }

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        t = _tables()
        u = rng.random((ctx.n, 8))
        kind = np.minimum(np.searchsorted(t.type_cdf, u[:, 0], side="right"), len(t.types) - 1)
        cat = t.type_category[kind]
        brand = t.brand_start[cat] + (u[:, 1] * t.brand_count[cat]).astype(np.int64)
        modifier = t.mod_start[kind] + (u[:, 2] * t.mod_count[kind]).astype(np.int64)
        scale = t.type_scale[kind]
        size = np.searchsorted(t.size_keys, scale + np.minimum(u[:, 3], 1 - 1e-12), side="right")
        size = np.where(scale == 0, 0, size)
        # Box–Muller from two of the row's uniforms: one draw call per chunk.
        z = np.sqrt(-2.0 * np.log1p(-u[:, 4])) * np.cos(2.0 * np.pi * u[:, 5])
        schema = self.schema(ctx.params)
        out: dict[str, SampleOutput] = {}
        if "category" in fields:
            out["category"] = pl.Series(t.categories, dtype=schema["category"]).gather(cat)
        if "subcategory" in fields:
            out["subcategory"] = pl.Series(t.subcategories, dtype=schema["subcategory"]).gather(
                t.type_subcategory[kind]
            )
        if "brand" in fields or "name" in fields:
            brands = pl.Series(t.brands, dtype=pl.String).gather(brand)
            if "brand" in fields:
                out["brand"] = brands.cast(schema["brand"])
        if "name" in fields:
            line = t.line_start[cat] + (u[:, 7] * t.line_count[cat]).astype(np.int64)
            parts = pl.DataFrame(
                {
                    "b": brands,
                    "l": pl.Series(t.lines, dtype=pl.String).gather(line),
                    "m": pl.Series(t.modifiers, dtype=pl.String).gather(modifier),
                    "t": pl.Series(t.types, dtype=pl.String).gather(kind),
                    "s": pl.Series(t.size_labels, dtype=pl.String).gather(size),
                }
            )
            out["name"] = parts.select(
                pl.concat_str("b", "l", pl.lit(" "), "m", pl.lit(" "), "t", "s")
            ).to_series()
        if "usd_price" in fields:
            price = t.price_usd[kind] * np.exp(t.price_sigma[kind] * z) * t.price_factor[size]
            out["usd_price"] = np.maximum(price, _MIN_USD)
        if "weight_kg" in fields:
            low, high = t.kg_low[kind], t.kg_high[kind]
            kg = (low + u[:, 6] * (high - low)) * t.kg_factor[size]
            out["weight_kg"] = np.maximum(np.round(kg, 3), 0.001)
        return out


def catalogue() -> GroupSampler:
    """Products of the reference catalogue, one per row (see the module docstring).

    Fields: ``category``, ``subcategory``, ``brand`` (enums), ``name``, ``usd_price``
    (list price on a US-dollar scale, before price points) and ``weight_kg`` (shipping
    weight, consistent with the size in the name).
    """
    return _Catalogue()


@dataclass(frozen=True, repr=False)
class _Prices(Sampler):
    """US-dollar prices converted to the dataset's currency and set to its price points."""

    usd: str
    category: str
    given: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "given", (self.usd, self.category))

    def __repr__(self) -> str:
        return f"product_prices({self.usd!r}, category={self.category!r})"

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Float64()

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> Array:
        money = currency_for(resolve_country(ctx.params.country))
        usd = ctx.frame.get_column(self.usd).to_numpy()
        category = ctx.frame.get_column(self.category)
        return price_points(
            usd * money.per_usd,
            money,
            rng.random(ctx.n),
            category=category.to_physical().to_numpy().astype(np.int64),
            categories=tuple(category.dtype.categories),  # type: ignore[attr-defined]
        )


def product_prices(usd: str, *, category: str) -> Sampler:
    """List prices from the US-dollar prices in column ``usd``: converted to the
    dataset's currency and set to its retail price points, by the department in
    ``category`` (an enum column)."""
    return _Prices(usd, category)
