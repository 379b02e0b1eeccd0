"""Places: real cities weighted by population, and the money of a country (people,
with names, e-mails and phones, are in :mod:`tempdata.samplers.people`).

This is the first, small geography layer (cities with their state, country,
coordinates and time zone); full addresses with postal codes replace it later behind
the same group sampler.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import polars as pl

from tempdata.core.caching import shared_cache
from tempdata.core.plan import ChunkContext, GroupSampler, Params, SampleOutput
from tempdata.errors import InvalidParameterError
from tempdata.geo.cities import core_radius_km
from tempdata.geo.countries import GLOBAL, resolve_country
from tempdata.geo.reference import load
from tempdata.samplers._base import Array, CallRepr, SortedLookup
from tempdata.samplers.positions import BLOCK, block_slots, written_positions

__all__ = ["check_locale", "locale_slots", "locales", "money", "places"]

CONTINENTS = {
    "AF": "Africa",
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "OC": "Oceania",
    "SA": "South America",
    "AN": "Antarctica",
}

_KM_PER_DEGREE = 111.32


@dataclass(frozen=True)
class _CityTable:
    frame: pl.DataFrame  # city, state, country, country_code, timezone, continent (text)
    cdf: Array
    radius_km: Array
    lat: Array
    lon: Array
    lookup: SortedLookup
    ids: Array  # row numbers in cities.parquet


@cache
def _all_enum(column: str) -> pl.Enum:
    cities = _cities_with_countries()
    return pl.Enum(sorted(cities.get_column(column).unique().to_list()))


@cache
def _cities_with_countries() -> pl.DataFrame:
    """Cities with their country's name and continent (a mapping, lighter than a join)."""
    countries = load("countries")
    codes = countries.get_column("iso2").to_list()
    names = dict(zip(codes, countries.get_column("name").to_list(), strict=True))
    continents = {
        c: CONTINENTS.get(k, "Other")
        for c, k in zip(codes, countries.get_column("continent").to_list(), strict=True)
    }
    cities = load("cities").with_row_index("city_id").filter(pl.col("country_code").is_in(codes))
    code = pl.col("country_code")
    country = code.replace_strict(names, return_dtype=pl.String)
    locales = dict(zip(codes, countries.get_column("locale").to_list(), strict=True))
    return cities.with_columns(
        country=country,
        _locale=code.replace_strict(locales, return_dtype=pl.String),
        continent=code.replace_strict(continents, return_dtype=pl.String),
        # City-states and territories without subdivisions (Singapore, Monaco):
        # the country stands in as the state.
        state=pl.when(pl.col("state") == "").then(country).otherwise(pl.col("state")),
    )


@cache
def _city_field(country: str, field: str) -> pl.Series:
    """One field of a country's city table, typed, built on first use (a dataset
    that needs only regions never pays for the other columns)."""
    cities = _city_table(country).frame
    if field == "city":
        return cities.get_column("city")
    if field == "region":
        source = "continent" if country == GLOBAL else "state"
        return cities.get_column(source).cast(_region_enum(country)).alias("region")
    return cities.get_column(field).cast(_all_enum(field))


@shared_cache()  # the planner may load it ahead on a thread: built once
def _city_table(country: str) -> _CityTable:
    cities = _cities_with_countries()
    if country != GLOBAL:
        cities = cities.filter(pl.col("country_code") == country)
    # Cities of one name locale lie together on the cumulative weights, so the rows a
    # locale gets in a block of positions are one run of slots (see locale_slots).
    cities = cities.with_row_index("_order").sort("_locale", "_order").drop("_order")
    frame = cities.select("city", "state", "country", "country_code", "timezone", "continent")
    pop = cities.get_column("population").to_numpy().astype(np.float64)
    # drawn by the people a city stands for (its population and countryside share)
    cdf = np.cumsum(cities.get_column("weight").to_numpy().astype(np.float64))
    # A city's built-up area grows roughly with the square root of its population.
    radius = core_radius_km(pop)
    lat = cities.get_column("lat").to_numpy().astype(np.float64)
    lon = cities.get_column("lon").to_numpy().astype(np.float64)
    cdf = cdf / cdf[-1]
    ids = cities.get_column("city_id").to_numpy().astype(np.int64)
    return _CityTable(frame, cdf, radius, lat, lon, SortedLookup(cdf), ids)


@cache
def locale_slots(country: str) -> dict[str, tuple[int, int]]:
    """Name locale → ``(first slot, slots)``: the run of positions of a block whose
    rows :func:`places` puts in cities of that locale (``country`` as resolved, or
    ``"global"``). Runs of neighbouring locales share their edge slot."""
    table = _city_table(country)
    locale = _cities_with_countries()
    if country != GLOBAL:
        locale = locale.filter(pl.col("country_code") == country)
    names = locale.sort("_locale", maintain_order=True).get_column("_locale").to_numpy()
    starts = np.flatnonzero(np.r_[True, names[1:] != names[:-1]])
    ends = np.r_[starts[1:], len(names)]
    lo_cdf = np.r_[0.0, table.cdf][starts]
    hi_cdf = table.cdf[ends - 1]
    out = {}
    for name, lo, hi in zip(names[starts], lo_cdf, hi_cdf, strict=True):
        first = int(np.floor(lo * BLOCK))
        out[str(name)] = (first, max(1, int(np.ceil(hi * BLOCK)) - first))
    return out


@cache
def _region_enum(country: str) -> pl.Enum:
    if country == GLOBAL:
        return pl.Enum(sorted(set(CONTINENTS.values()) | {"Other"}))
    states = _cities_with_countries().filter(pl.col("country_code") == country)
    return pl.Enum(sorted(states.get_column("state").unique().to_list()))


@dataclass(frozen=True, repr=False)
class _Places(CallRepr, GroupSampler):
    """Cities of the dataset's country (or the world), weighted by population."""

    _factory = "places"
    country: str | None = None
    calendar: str | None = None

    @property
    def given(self) -> tuple[str, ...]:  # type: ignore[override]
        return () if self.calendar is None else (self.calendar,)

    def _country(self, params: Params) -> str:
        return resolve_country(self.country or params.country)

    def prepare(self, params: Params, seeder: object) -> None:
        """Load the city table (grouped by calendar where asked) ahead of the first chunk."""
        country = self._country(params)
        _city_table(country)
        if self.calendar is not None:
            _grouped(country)

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        country = self._country(params)
        return {
            "city": pl.String(),
            "state": _all_enum("state"),
            "country": _all_enum("country"),
            "country_code": _all_enum("country_code"),
            "timezone": _all_enum("timezone"),
            "region": _region_enum(country),
            "lat": pl.Float64(),
            "lon": pl.Float64(),
            "address": pl.String(),
            "street": pl.String(),
            "house_number": pl.String(),
            "postal_code": pl.String(),
            "city_id": pl.UInt32(),
            "position": pl.Int64(),
        }

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        table = _city_table(self._country(ctx.params))
        # The city's draws are made whatever the fields, so the fields agree however
        # many of them a dataset asks for. The address block comes from a stream jumped
        # ahead of this one (taken before any draw, so it depends neither on the row
        # count nor on the city draws) and is drawn, always whole, only when an
        # address field or a coordinate is asked for: a dataset that needs only
        # regions never pays for addresses.
        address_rng = np.random.Generator(rng.bit_generator.jumped())  # type: ignore[attr-defined]
        u_city, u_distance, u_bearing = rng.random((ctx.n, 3)).T
        if "position" in fields:
            # Handing positions on, cities are drawn at the rows' positions (a
            # stratified draw per block of 2**12 rows), which people() uses to rank the
            # rows of a name locale.
            key = ctx.seeder.context_seed(f"{ctx.dataset}.{ctx.column}#positions")
            slot, _ = block_slots(ctx.row_index(), key)
            pick = table.lookup((slot + u_city) / BLOCK)
        elif self.calendar is not None:
            group = ctx.frame.get_column(self.calendar).to_numpy()
            pick = _grouped(self._country(ctx.params)).pick(group, u_city)
        else:
            pick = table.lookup(u_city)
        country = self._country(ctx.params)
        out: dict[str, SampleOutput] = {
            f: _city_field(country, f).gather(pick)
            for f in fields
            if f in ("city", "state", "country", "country_code", "timezone", "region")
        }
        city_id = table.ids[pick]
        if "position" in fields:
            out["position"] = pl.Series(written_positions(ctx, slot), dtype=pl.Int64)
        if "city_id" in fields:
            out["city_id"] = pl.Series(city_id, dtype=pl.UInt32)
        wanted = set(fields) & set(_ADDRESS_FIELDS)
        if wanted:
            # Imported here: tempdata.geo.address uses tempdata.samplers' helpers.
            from tempdata.geo.address import ADDRESS_DRAWS, address_fields

            u = address_rng.random((ctx.n, ADDRESS_DRAWS))
            needed = {_ADDRESS_FIELDS[f] for f in wanted}
            if "lat" in wanted or "lon" in wanted:
                needed.add("postal_code")
            parts = address_fields(city_id, u, sorted(needed))
            for f in wanted:
                out[f] = parts[_ADDRESS_FIELDS[f]].alias(f)
            if "lat" in wanted or "lon" in wanted:
                # Countries without postal codes: points scattered around the centre.
                no_code = parts["postal_code"].is_null().to_numpy()
                if no_code.any():
                    lat, lon = self._scatter(table, pick, u_distance, u_bearing)
                    for f, values in (("lat", lat), ("lon", lon)):
                        if f in wanted:
                            out[f] = pl.Series(f, np.where(no_code, values, parts[f].to_numpy()))
        return {f: out[f] for f in fields}

    @staticmethod
    def _scatter(
        table: _CityTable, pick: Array, u_distance: Array, u_bearing: Array
    ) -> tuple[Array, Array]:
        """Points around the city centres: most near them, fewer towards the edge."""
        distance = table.radius_km[pick] * np.sqrt(u_distance)
        bearing = u_bearing * 2 * np.pi
        lat = table.lat[pick]
        dlat = distance * np.cos(bearing) / _KM_PER_DEGREE
        dlon = (
            distance
            * np.sin(bearing)
            / (_KM_PER_DEGREE * np.maximum(np.cos(np.radians(lat)), 0.05))
        )
        return (
            np.round(np.clip(lat + dlat, -90, 90), 6),
            np.round((table.lon[pick] + dlon + 180) % 360 - 180, 6),
        )


@dataclass(frozen=True)
class _Grouped:
    """A country's cities ordered by calendar group, to draw a city within a group."""

    order: Array  # rows of the city table, group by group
    lookup: SortedLookup  # over the cumulative weights in that order
    first: Array  # per group: its first position in that order, and its last
    last: Array
    lo: Array  # per group: the cumulative weight before it, and its own weight
    width: Array

    def pick(self, group: Array, u: Array) -> Array:
        at = self.lookup(self.lo[group] + u * self.width[group])
        picked: Array = self.order[np.clip(at, self.first[group], self.last[group])]
        return picked


@shared_cache()  # one thread builds it while the others wait
def _grouped(country: str) -> _Grouped:
    # Imported here: tempdata.calendar reads the city tables this module also reads.
    from tempdata.calendar.groups import place_groups

    table = _city_table(country)
    groups, city_group = place_groups(country)
    of_row = city_group[table.ids]
    order = np.argsort(of_row, kind="stable")
    weight = np.diff(np.r_[0.0, table.cdf])[order]
    cdf = np.cumsum(weight)
    sorted_groups = of_row[order]
    first = np.searchsorted(sorted_groups, np.arange(len(groups)), side="left")
    last = np.searchsorted(sorted_groups, np.arange(len(groups)), side="right") - 1
    lo = np.r_[0.0, cdf][first]
    return _Grouped(order, SortedLookup(cdf), first, last, lo, cdf[last] - lo)


#: Address fields of :func:`places` → the column of :func:`tempdata.geo.address.address_fields`.
_ADDRESS_FIELDS = {
    "address": "street_line",
    "street": "street",
    "house_number": "house_number",
    "postal_code": "postal_code",
    "lat": "lat",
    "lon": "lon",
}


def places(country: str | None = None, *, calendar: str | None = None) -> GroupSampler:
    """Real cities weighted by population, with state, country, time zone and coordinates.

    Fields: ``city``, ``state``, ``country``, ``country_code``, ``timezone``, ``position``
    (the row's slot among its block's positions, see :mod:`tempdata.samplers.positions`:
    a dataset that takes it draws its cities at those positions, stratified),
    ``region`` (the state within one country, the continent for ``global``), ``lat``,
    ``lon`` (scattered within the city's built-up radius). ``country`` defaults to the
    dataset's ``country`` parameter. ``calendar`` names a column of calendar groups
    (:func:`tempdata.samplers.calendar_times`' ``calendar`` field): each row's city is
    then drawn within its group, by population.
    """
    if country is not None:
        resolve_country(country)
    if calendar is not None and (not isinstance(calendar, str) or not calendar.isidentifier()):
        msg = f"places: calendar must name a column, got {calendar!r}"
        raise InvalidParameterError(msg)
    return _Places(country, calendar)


# -- money --------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class _Money(CallRepr, GroupSampler):
    """The dataset's currency, its units per US dollar and its minor units."""

    _factory = "money"
    country: str | None = None

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        return {"currency": pl.String(), "per_usd": pl.Float64(), "decimals": pl.Int8()}

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        from tempdata.geo.money import currency_for

        money = currency_for(resolve_country(self.country or ctx.params.country))
        values: dict[str, str | float | int] = {
            "currency": money.code,
            "per_usd": money.per_usd,
            "decimals": money.decimals,
        }
        dtypes = self.schema(ctx.params)
        return {f: pl.repeat(values[f], ctx.n, dtype=dtypes[f], eager=True) for f in fields}


def money(country: str | None = None) -> GroupSampler:
    """The currency amounts are in: ``currency`` (ISO 4217), ``per_usd``, ``decimals``.

    The country's currency (``country`` defaults to the dataset's ``country``
    parameter), or US dollars for ``global`` and for currencies without a rate. Scale
    US-dollar amounts by ``per_usd`` and round them with
    :func:`tempdata.geo.money.round_money`. Constant within a dataset; draws nothing.
    """
    if country is not None:
        resolve_country(country)
    return _Money(country)


@cache
def locales() -> tuple[str, ...]:
    """Every name locale in the reference data (``en_US``, ``de_DE``, ...)."""
    return tuple(sorted(load("names").get_column("locale").unique().to_list()))


def check_locale(locale: object) -> str:
    """``locale`` if reference names exist for it, else an error listing close ones."""
    from tempdata.errors import InvalidParameterError, suggest

    if not isinstance(locale, str) or locale not in locales():
        msg = f"unknown locale {locale!r}{suggest(str(locale), locales())}"
        raise InvalidParameterError(msg)
    return locale
