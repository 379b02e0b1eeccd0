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
from tempdata.geo.countries import GLOBAL, resolve_country
from tempdata.geo.reference import load
from tempdata.samplers._base import Array, CallRepr

__all__ = ["check_locale", "locales", "people", "places"]

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
    frame: pl.DataFrame  # city, state, country, country_code, timezone, region, lat, lon
    cdf: Array
    radius_km: Array


@cache
def _all_enum(column: str) -> pl.Enum:
    cities = _cities_with_countries()
    return pl.Enum(sorted(cities.get_column(column).unique().to_list()))


@cache
def _cities_with_countries() -> pl.DataFrame:
    countries = load("countries").select(
        pl.col("iso2").alias("country_code"),
        pl.col("name").alias("country"),
        pl.col("continent").replace_strict(CONTINENTS, default="Other").alias("continent"),
    )
    return load("cities").join(countries, on="country_code", how="inner", maintain_order="left")


@cache
def _city_table(country: str) -> _CityTable:
    cities = _cities_with_countries()
    if country != GLOBAL:
        cities = cities.filter(pl.col("country_code") == country)
    region = pl.col("continent") if country == GLOBAL else pl.col("state")
    frame = cities.select(
        "city",
        pl.col("state").cast(_all_enum("state")),
        pl.col("country").cast(_all_enum("country")),
        pl.col("country_code").cast(_all_enum("country_code")),
        pl.col("timezone").cast(_all_enum("timezone")),
        region.cast(_region_enum(country)).alias("region"),
        "lat",
        "lon",
    )
    pop = cities.get_column("population").to_numpy().astype(np.float64)
    cdf = np.cumsum(pop)
    # A city's built-up area grows roughly with the square root of its population.
    radius = 1.0 + 4.0 * np.sqrt(pop / 1e6)
    return _CityTable(frame, cdf / cdf[-1], radius)


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
        }

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        table = _city_table(self._country(ctx.params))
        pick = np.searchsorted(table.cdf, rng.random(ctx.n), side="right")
        pick = np.minimum(pick, len(table.cdf) - 1)
        # Scatter points around the centre: most near it, fewer towards the edge.
        distance = table.radius_km[pick] * np.sqrt(rng.random(ctx.n))
        bearing = rng.random(ctx.n) * 2 * np.pi
        rows = table.frame[pick]
        out: dict[str, SampleOutput] = {f: rows.get_column(f) for f in fields if f not in ("lat", "lon")}
        lat = rows.get_column("lat").to_numpy()
        dlat = distance * np.cos(bearing) / _KM_PER_DEGREE
        dlon = distance * np.sin(bearing) / (_KM_PER_DEGREE * np.maximum(np.cos(np.radians(lat)), 0.05))
        out["lat"] = np.round(np.clip(lat + dlat, -90, 90), 6)
        out["lon"] = np.round((rows.get_column("lon").to_numpy() + dlon + 180) % 360 - 180, 6)
        return {f: out[f] for f in fields}


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


# -- people -------------------------------------------------------------------------

_GENDERS = ("female", "male", "nonbinary")
_GENDER_P = np.array([0.49, 0.49, 0.02])
# E-mail local parts: first.last, firstlast, flast, first_last, last.first — each with
# the row number appended, which makes every address in the dataset unique.
_EMAIL_PATTERNS = np.array([0.38, 0.2, 0.2, 0.12, 0.1])


@dataclass(frozen=True)
class _NameTable:
    names: pl.Series
    ascii: pl.Series
    cdf: Array


@cache
def _country_info() -> dict[str, tuple[str, str, str]]:
    """country code → (name locale, calling code, example national number)."""
    table = load("countries")
    return {
        iso2: (locale, calling, example)
        for iso2, locale, calling, example in table.select(
            "iso2", "locale", "calling_code", "phone_national_example"
        ).iter_rows()
    }


@cache
def _name_table(locale: str, kind: str) -> _NameTable:
    names = load("names").filter((pl.col("locale") == locale) & (pl.col("kind") == kind))
    if names.is_empty():
        names = load("names").filter((pl.col("locale") == "en_US") & (pl.col("kind") == kind))
    w = names.get_column("weight").to_numpy().astype(np.float64)
    cdf = np.cumsum(w)
    return _NameTable(names.get_column("name"), names.get_column("ascii"), cdf / cdf[-1])


@cache
def _domains(country: str) -> tuple[pl.Series, Array]:
    table = load("email_domains").filter(pl.col("country_code").is_in(["", country]))
    w = table.get_column("weight").to_numpy().astype(np.float64)
    cdf = np.cumsum(w)
    return table.get_column("domain"), cdf / cdf[-1]


def _gather(cdf: Array, u: Array) -> Array:
    return np.minimum(np.searchsorted(cdf, u, side="right"), len(cdf) - 1)


def _phone_numbers(country: str, digits: Array) -> pl.Series:
    """E.164 numbers: the country's example number with its subscriber digits redrawn."""
    _, calling, example = _country_info().get(country, ("", "", ""))
    if not example:
        example = "2" + "0" * 8
    keep = max(2, len(example) - 7)
    free = len(example) - keep
    tail = digits[:, :free].copy()
    if calling == "1":  # NANP: the exchange code's first digit is 2–9
        tail[:, 0] = 2 + tail[:, 0] % 8
    powers = 10 ** np.arange(free - 1, -1, -1, dtype=np.int64)
    numbers = pl.Series(tail.astype(np.int64) @ powers).cast(pl.String).str.zfill(free)
    return pl.select(pl.concat_str(pl.lit(f"+{calling}{example[:keep]}"), pl.lit(numbers))).to_series()


@dataclass(frozen=True, repr=False)
class _People(CallRepr, GroupSampler):
    """Gender, names in the row's country's locale, a unique e-mail, a phone number."""

    _factory = "people"
    country_column: str | None = None
    locale: str | None = None

    @property
    def given(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.country_column,) if self.country_column else ()

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        return {
            "gender": pl.Enum(list(_GENDERS)),
            "first_name": pl.String(),
            "last_name": pl.String(),
            "email": pl.String(),
            "phone": pl.String(),
        }

    def _countries(self, ctx: ChunkContext) -> Array:
        if self.country_column:
            names = ctx.frame.get_column(self.country_column).cast(pl.String)
            lookup = load("countries").select("name", "iso2")
            codes = pl.DataFrame({"name": names}).join(lookup, on="name", how="left", maintain_order="left")
            return codes.get_column("iso2").fill_null("US").to_numpy()
        country = resolve_country(ctx.params.country)
        if country == GLOBAL:
            country = "US"
        return np.full(ctx.n, country, dtype=object)

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        n = ctx.n
        # Every draw is made for every row, in a fixed order, so a row's values depend
        # only on its own draws and its country — not on which fields are asked for.
        u_gender, u_first, u_last, u_pattern, u_domain, u_nb = rng.random((6, n))
        digits = rng.integers(0, 10, size=(n, 10), dtype=np.int8)
        gender = _gather(np.cumsum(_GENDER_P) / _GENDER_P.sum(), u_gender)
        name_gender = np.where(gender == 2, (u_nb < 0.5).astype(np.int64), gender)
        countries = self._countries(ctx)
        info = _country_info()
        pieces: list[pl.DataFrame] = []
        for country in sorted(set(countries.tolist())):
            rows = np.flatnonzero(countries == country)
            locale = self.locale or info.get(country, ("en_US", "", ""))[0] or "en_US"
            last = _name_table(locale, "last")
            k_last = _gather(last.cdf, u_last[rows])
            domains, cdf = _domains(country)
            base = {
                "i": rows,
                "last_name": last.names.gather(k_last),
                "l": last.ascii.gather(k_last),
                "d": domains.gather(_gather(cdf, u_domain[rows])),
                "phone": _phone_numbers(country, digits[rows]),
            }
            first_names = pl.Series("first_name", [None] * len(rows), dtype=pl.String)
            first_ascii = first_names.alias("f")
            for g, kind in ((0, "first_female"), (1, "first_male")):
                sub = np.flatnonzero(name_gender[rows] == g)
                if len(sub):
                    table = _name_table(locale, kind)
                    k = _gather(table.cdf, u_first[rows[sub]])
                    first_names = first_names.scatter(sub, table.names.gather(k))
                    first_ascii = first_ascii.scatter(sub, table.ascii.gather(k))
            pieces.append(pl.DataFrame({**base, "first_name": first_names, "f": first_ascii}))
        people = pl.concat(pieces).sort("i") if len(pieces) > 1 else pieces[0]
        pattern = _gather(np.cumsum(_EMAIL_PATTERNS) / _EMAIL_PATTERNS.sum(), u_pattern)
        number = pl.Series(ctx.row_index() + 1).cast(pl.String)
        frame = people.with_columns(p=pl.Series(pattern), n=number)
        f, last, num = pl.col("f"), pl.col("l"), pl.col("n")
        local = (
            pl.when(pl.col("p") == 0).then(pl.concat_str(f, pl.lit("."), last, num))
            .when(pl.col("p") == 1).then(pl.concat_str(f, last, num))
            .when(pl.col("p") == 2).then(pl.concat_str(f.str.slice(0, 1), last, num))
            .when(pl.col("p") == 3).then(pl.concat_str(f, pl.lit("_"), last, num))
            .otherwise(pl.concat_str(last, pl.lit("."), f, num))
        )
        email = frame.select(pl.concat_str(local, pl.lit("@"), pl.col("d"))).to_series()
        out: dict[str, SampleOutput] = {
            "gender": pl.Series(list(_GENDERS), dtype=pl.Enum(list(_GENDERS))).gather(gender),
            "first_name": people.get_column("first_name"),
            "last_name": people.get_column("last_name"),
            "email": email,
            "phone": people.get_column("phone"),
        }
        return {fld: out[fld] for fld in fields}


def people(*, country_column: str | None = None, locale: str | None = None) -> GroupSampler:
    """People: ``gender``, ``first_name``, ``last_name``, ``email``, ``phone``.

    Names come from the locale of each row's country (``country_column`` names a
    column of country names, e.g. from :func:`places`; otherwise the dataset's
    ``country``); ``locale`` overrides it for every row. E-mails are built from the
    ASCII form of the names and the row number, so they are unique in the dataset;
    phones carry the country's calling code.
    """
    return _People(country_column, locale)


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
