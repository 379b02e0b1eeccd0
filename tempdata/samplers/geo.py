"""Places and people: real cities weighted by population, and names, e-mails and
phone numbers that fit each row's country.

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

from tempdata.core.plan import ChunkContext, GroupSampler, Params, SampleOutput
from tempdata.geo.cities import core_radius_km
from tempdata.geo.countries import GLOBAL, resolve_country
from tempdata.geo.phones import PHONE_DRAWS, phone_numbers
from tempdata.geo.reference import load
from tempdata.samplers._base import Array, CallRepr, SortedLookup

__all__ = ["check_locale", "locales", "money", "people", "places"]

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
    return cities.with_columns(
        country=country,
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


@cache
def _city_table(country: str) -> _CityTable:
    cities = _cities_with_countries()
    if country != GLOBAL:
        cities = cities.filter(pl.col("country_code") == country)
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

    def _country(self, params: Params) -> str:
        return resolve_country(self.country or params.country)

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
        pick = table.lookup(u_city)
        country = self._country(ctx.params)
        out: dict[str, SampleOutput] = {
            f: _city_field(country, f).gather(pick)
            for f in fields
            if f in ("city", "state", "country", "country_code", "timezone", "region")
        }
        city_id = table.ids[pick]
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


#: Address fields of :func:`places` → the column of :func:`tempdata.geo.address.address_fields`.
_ADDRESS_FIELDS = {
    "address": "street_line",
    "street": "street",
    "house_number": "house_number",
    "postal_code": "postal_code",
    "lat": "lat",
    "lon": "lon",
}


def places(country: str | None = None) -> GroupSampler:
    """Real cities weighted by population, with state, country, time zone and coordinates.

    Fields: ``city``, ``state``, ``country``, ``country_code``, ``timezone``,
    ``region`` (the state within one country, the continent for ``global``), ``lat``,
    ``lon`` (scattered within the city's built-up radius). ``country`` defaults to the
    dataset's ``country`` parameter.
    """
    if country is not None:
        resolve_country(country)
    return _Places(country)


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


# -- people -------------------------------------------------------------------------

_GENDERS = ("female", "male", "nonbinary")
_GENDER_P = np.array([0.49, 0.49, 0.02])
# E-mail local parts: first.last, firstlast, flast, first_last, last.first — each with
# the row number appended, which makes every address in the dataset unique.
_EMAIL_PATTERNS = np.array([0.38, 0.2, 0.2, 0.12, 0.1])


class _Grouped:
    """Weighted tables of many groups in one array, for one ``searchsorted`` per chunk.

    Group ``g``'s cumulative weights are stored as ``g + cdf`` (``cdf`` in (0, 1]), so
    ``searchsorted(keys, g + u)`` picks from group ``g`` for a uniform ``u``.
    """

    def __init__(self, frame: pl.DataFrame, group: str | Array, weight: str) -> None:
        codes = frame.get_column(group).to_numpy() if isinstance(group, str) else group
        if len(codes) > 1 and not (codes[1:] >= codes[:-1]).all():
            order = np.argsort(codes, kind="stable")
            frame, codes = frame[order], codes[order]
        self.groups: dict[object, int] = {}
        starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
        ends = np.r_[starts[1:], len(codes)]
        w = frame.get_column(weight).to_numpy().astype(np.float64)
        keys = np.empty(len(codes), dtype=np.float64)
        for g, (a, b) in enumerate(zip(starts, ends, strict=True)):
            self.groups[codes[a]] = g
            cdf = np.cumsum(w[a:b])
            keys[a:b] = g + cdf / cdf[-1]
            keys[b - 1] = g + 1.0
        self.keys = keys
        self.frame = frame
        self._lookup = SortedLookup(keys, bits=18)

    def pick(self, group: Array, u: Array) -> Array:
        """Row indices into ``frame``: one draw from group ``group[i]`` per ``u[i]``."""
        return self._lookup(group + u)


_NAME_KINDS = ("first_female", "first_male", "last_female", "last_male")


@cache
def _countries_table() -> pl.DataFrame:
    """Countries with a row number, the key every per-row lookup uses."""
    return load("countries").with_row_index("cid")


@cache
def _names() -> tuple[_Grouped, dict[str, int]]:
    """Every name in one grouped table, and the locales' numbers."""
    names = load("names")
    locales = sorted(names.get_column("locale").unique())
    kinds = pl.Enum(["first_female", "first_male", "last", "last_female", "last_male"])
    # The file is sorted by locale and kind, so these keys come sorted (no copy).
    locale = names.get_column("locale").cast(pl.Enum(locales)).to_physical().to_numpy()
    kind = names.get_column("kind").cast(kinds).to_physical().to_numpy()
    key = locale.astype(np.int64) * 8 + kind
    return _Grouped(names.select("name", "ascii", "weight"), key, "weight"), {
        loc: i for i, loc in enumerate(locales)
    }


@cache
def _name_groups() -> Array:
    """``[locale, kind] → group`` for the four kinds, with fallbacks.

    A surname kind falls back to the locale's plain ``last``; a locale without a kind
    falls back to ``en_US``.
    """
    table, locale_ids = _names()
    en = locale_ids.get("en_US", 0)
    out = np.zeros((len(locale_ids), len(_NAME_KINDS)), dtype=np.int64)
    wanted = {0: (0,), 1: (1,), 2: (3, 2), 3: (4, 2)}  # column → kind codes to try
    for loc in range(len(locale_ids)):
        for column, kinds in wanted.items():
            for base in (loc, en):
                hit = next(
                    (table.groups[base * 8 + k] for k in kinds if base * 8 + k in table.groups),
                    None,
                )
                if hit is not None:
                    out[loc, column] = hit
                    break
    return out


@cache
def _domain_table() -> tuple[_Grouped, Array]:
    """E-mail domains grouped per country: the global providers plus national ones.

    Returns the table and, per country number, its group.
    """
    domains = load("email_domains").with_row_index("_row")
    countries = _countries_table().select(pl.col("cid").cast(pl.UInt32), "iso2")
    # Per country: the global providers, then its national ones, each in file order.
    global_ = countries.join(domains.filter(pl.col("country_code") == ""), how="cross")
    national = countries.join(domains, left_on="iso2", right_on="country_code", how="inner")
    rows = pl.concat(
        [
            global_.select("cid", "country_code", "domain", "weight", "_row", _part=pl.lit(0)),
            national.select(
                "cid",
                pl.col("iso2").alias("country_code"),
                "domain",
                "weight",
                "_row",
                _part=pl.lit(1),
            ),
        ]
    ).sort("cid", "_part", "_row")
    table = _Grouped(rows.select("country_code", "domain", "weight", "cid"), "cid", "weight")
    return table, np.array([table.groups[c] for c in range(countries.height)], dtype=np.int64)


def _gather(cdf: Array, u: Array) -> Array:
    return np.minimum(np.searchsorted(cdf, u, side="right"), len(cdf) - 1)


@dataclass(frozen=True, repr=False)
class _People(CallRepr, GroupSampler):
    """Gender, names in the row's country's locale, a unique e-mail, a phone number."""

    _factory = "people"
    country_column: str | None = None
    locale: str | None = None
    city_column: str | None = None

    @property
    def given(self) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(c for c in (self.country_column, self.city_column) if c)

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        return {
            "gender": pl.Enum(list(_GENDERS)),
            "first_name": pl.String(),
            "last_name": pl.String(),
            "email": pl.String(),
            "phone": pl.String(),
        }

    def _city_ids(self, ctx: ChunkContext) -> Array:
        """Each row's city (row of cities.parquet), or -1 where none is known."""
        if not self.city_column:
            return np.full(ctx.n, -1, dtype=np.int64)
        ids = ctx.frame.get_column(self.city_column)
        return ids.fill_null(-1).cast(pl.Int64).to_numpy()

    def _country_ids(self, ctx: ChunkContext) -> Array:
        countries = _countries_table()
        if self.country_column:
            names = ctx.frame.get_column(self.country_column).cast(pl.String)
            lookup = dict(
                zip(countries.get_column("name"), countries.get_column("cid"), strict=True)
            )
            fallback = lookup.get("United States", 0)
            cid = names.replace_strict(lookup, default=fallback, return_dtype=pl.Int64)
            return cid.to_numpy()
        code = resolve_country(ctx.params.country)
        code = "US" if code == GLOBAL else code
        row = countries.filter(pl.col("iso2") == code).get_column("cid")
        return np.full(ctx.n, int(row[0]) if len(row) else 0, dtype=np.int64)

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        n = ctx.n
        # Every draw is made for every row, in a fixed order, so a row's values depend
        # only on its own draws and its country — not on which fields are asked for.
        draws = rng.random((n, 6 + PHONE_DRAWS))
        u_gender, u_first, u_last, u_pattern, u_domain, u_nb = draws[:, :6].T
        u_phone = draws[:, 6:]
        gender = _gather(np.cumsum(_GENDER_P) / _GENDER_P.sum(), u_gender)
        name_gender = np.where(gender == 2, (u_nb < 0.5).astype(np.int64), gender)
        cid = self._country_ids(ctx)
        names, locale_ids = _names()
        chosen = self.locale or ctx.params.locale
        if chosen:
            locale = np.full(n, locale_ids[chosen], dtype=np.int64)
        else:
            per_country = (
                _countries_table()
                .get_column("locale")
                .replace_strict(
                    locale_ids, default=locale_ids.get("en_US", 0), return_dtype=pl.Int64
                )
                .to_numpy()
            )
            locale = per_country[cid]
        groups = _name_groups()
        first = names.pick(groups[locale, name_gender], u_first)
        last = names.pick(groups[locale, 2 + name_gender], u_last)
        domains, domain_group = _domain_table()
        domain = domains.pick(domain_group[cid], u_domain)
        name_col, ascii_col = names.frame.get_column("name"), names.frame.get_column("ascii")
        people = pl.DataFrame(
            {
                "first_name": name_col.gather(first),
                "f": ascii_col.gather(first),
                "last_name": name_col.gather(last),
                "l": ascii_col.gather(last),
                "d": domains.frame.get_column("domain").gather(domain),
                # The row's city is not known here yet: landlines use any area code
                # of the country.
                "phone": phone_numbers(cid, self._city_ids(ctx), u_phone),
            }
        )
        pattern = _gather(np.cumsum(_EMAIL_PATTERNS) / _EMAIL_PATTERNS.sum(), u_pattern)
        number = pl.Series(ctx.row_index() + 1).cast(pl.String)
        frame = people.with_columns(p=pl.Series(pattern), n=number)
        f, sur, num = pl.col("f"), pl.col("l"), pl.col("n")
        # Patterns 0–4: first.last, firstlast, flast, first_last, last.first.
        pat = pl.col("p")
        head = pl.when(pat == 4).then(sur).when(pat == 2).then(f.str.slice(0, 1)).otherwise(f)
        tail = pl.when(pat == 4).then(f).otherwise(sur)
        sep = pl.lit(pl.Series([".", "", "", "_", "."])).gather(pat)
        local = pl.concat_str(head, sep, tail, num)
        email = frame.select(pl.concat_str(local, pl.lit("@"), pl.col("d"))).to_series()
        out: dict[str, SampleOutput] = {
            "gender": pl.Series(list(_GENDERS), dtype=pl.Enum(list(_GENDERS))).gather(gender),
            "first_name": people.get_column("first_name"),
            "last_name": people.get_column("last_name"),
            "email": email,
            "phone": people.get_column("phone"),
        }
        return {fld: out[fld] for fld in fields}


def people(
    *,
    country_column: str | None = None,
    locale: str | None = None,
    city_column: str | None = None,
) -> GroupSampler:
    """People: ``gender``, ``first_name``, ``last_name``, ``email``, ``phone``.

    Names come from the locale of each row's country (``country_column`` names a
    column of country names, e.g. from :func:`places`; otherwise the dataset's
    ``country``); ``locale`` here, or the dataset's ``locale`` parameter, overrides it
    for every row. E-mails are built from the
    ASCII form of the names and the row number, so they are unique in the dataset;
    phones are valid numbers of the row's country in international format
    (``+49 30 12345678``), mobile or landline (see :func:`tempdata.geo.phones.phone_numbers`);
    ``city_column`` names a column of city row ids (``places``' ``city_id``) whose area
    codes landlines then use.
    """
    return _People(country_column, locale, city_column)


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
