"""Addresses whose street, city, state, postal code and coordinates agree.

A city is drawn by the people it stands for (cities.parquet ``weight``: its population
and a share of its country's people outside the listed cities; from a country, a
state, one city, or the world); the postal code is one of that city's real codes where
the reference data links one (completed by the country's rule where GeoNames holds only
part of it, else generated in the state's range); the coordinates scatter around that
code's postal point within a radius that stays on land; the street line is written the
way the country writes it, with a street of the city's own list where it has one
(Berlin) or one found all over the country, and in Japan the postal code's own ward and
town. Everything is vectorised: one draw of uniforms per chunk of rows.

>>> from tempdata.geo import addresses
>>> [a["city"] for a in addresses("germany", 3, seed=7)]  # doctest: +SKIP
['Berlin', 'Hamburg', 'Munich']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import polars as pl

from tempdata.core.seeding import CHUNK_SIZE, Seeder
from tempdata.errors import GeographicalError, InvalidParameterError, suggest
from tempdata.geo.countries import GLOBAL, resolve_country
from tempdata.geo.postal import POSTAL_DRAWS, postal_districts, sample_postal
from tempdata.geo.reference import load
from tempdata.geo.streets import STREET_DRAWS, street_lines

__all__ = [
    "ADDRESS_COLUMNS",
    "ADDRESS_DRAWS",
    "Address",
    "address_fields",
    "addresses",
    "addresses_at",
    "addresses_frame",
    "city_candidates",
]


@dataclass(frozen=True)
class Address:
    """One postal address; ``street_line`` is how the country writes street and number."""

    street: str
    house_number: str
    street_line: str
    city: str
    state_province: str
    postal_code: str | None
    country: str
    country_code: str
    lat: float
    lon: float

    @classmethod
    def from_row(cls, row: dict[str, object]) -> Address:
        """An address from one row of :func:`addresses_frame` (or :func:`addresses_at`)."""
        return cls(**{f: row[f] for f in ADDRESS_COLUMNS})  # type: ignore[arg-type]


#: The columns of :func:`addresses_frame`, in order.
ADDRESS_COLUMNS = (
    "street",
    "house_number",
    "street_line",
    "city",
    "state_province",
    "postal_code",
    "country",
    "country_code",
    "lat",
    "lon",
)


#: Uniform draws per address used by :func:`address_fields` (postal part, then street).
ADDRESS_DRAWS = POSTAL_DRAWS + STREET_DRAWS


@cache
def _cities() -> pl.DataFrame:
    """Cities with a row id, their country's name, and the state falling back to it."""
    countries = load("countries").select("iso2", "name")
    names = dict(countries.iter_rows())
    cities = load("cities")
    country = pl.col("country_code").replace_strict(names, default="", return_dtype=pl.String)
    return cities.with_row_index("city_id").with_columns(
        country=country,
        state=pl.when(pl.col("state") == "").then(country).otherwise(pl.col("state")),
    )


@cache
def _country_ids() -> tuple[dict[str, int], np.ndarray]:
    """Row numbers of countries.parquet by ISO2, and each city's country row."""
    codes = load("countries").get_column("iso2").to_list()
    index = {c: i for i, c in enumerate(codes)}
    per_city = (
        _cities()
        .get_column("country_code")
        .replace_strict(index, default=-1, return_dtype=pl.Int64)
        .to_numpy()
    )
    return index, per_city


def _fold(text: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(folded.lower().replace("-", " ").split())


def city_candidates(
    country: str, *, state: str | None = None, city: str | None = None
) -> np.ndarray:
    """Row ids (into cities.parquet) of the cities an address may be drawn from.

    ``country`` is an ISO2 code or ``"global"``; ``state`` narrows it by name or code
    (case and accents ignored), ``city`` to one city as
    :func:`tempdata.geo.cities.resolve_city` reads it (``"Springfield, IL"``). Raises
    :class:`GeographicalError` naming the valid choices when nothing matches.
    """
    cities = _cities()
    if country != GLOBAL:
        cities = cities.filter(pl.col("country_code") == country)
    if state is not None:
        if not isinstance(state, str) or not state.strip():
            msg = f"state must be a state or province name, got {state!r}"
            raise InvalidParameterError(msg)
        states = cities.select("state", "state_code").unique()
        wanted = _fold(state)
        hits = [
            s
            for s, code in states.iter_rows()
            if _fold(s) == wanted or (country != GLOBAL and _fold(code) == wanted)
        ]
        if not hits:
            where = "the world" if country == GLOBAL else country
            names = sorted(states.get_column("state").unique().to_list())
            msg = f"unknown state {state!r} in {where}{suggest(state, names)}"
            raise GeographicalError(msg)
        cities = cities.filter(pl.col("state").is_in(hits))
    if city is not None:
        from tempdata.geo.cities import city_label, resolve_city

        row = resolve_city(city, country=None if country == GLOBAL else country)
        if row not in set(cities.get_column("city_id").to_list()):
            msg = f"city {city!r} ({city_label(row)}) is not in state {state!r}"
            raise GeographicalError(msg)
        return np.array([row], dtype=np.int64)
    return cities.get_column("city_id").to_numpy().astype(np.int64)


def address_fields(
    city: np.ndarray, u: np.ndarray, fields: Sequence[str] = ADDRESS_COLUMNS
) -> dict[str, pl.Series]:
    """Address columns for cities ``city`` (row ids), from uniforms ``u`` (n × ADDRESS_DRAWS).

    Only the asked ``fields`` are computed, but each field's values depend only on
    ``city`` and ``u``, so they agree however many fields are asked for.
    """
    if u.shape != (len(city), ADDRESS_DRAWS):
        msg = f"expected uniforms shaped ({len(city)}, {ADDRESS_DRAWS}), got {u.shape}"
        raise ValueError(msg)
    cities = _cities()
    out: dict[str, pl.Series] = {}
    ids = pl.Series(city, dtype=pl.UInt32)
    for name, column in (
        ("city", "city"),
        ("state_province", "state"),
        ("country", "country"),
        ("country_code", "country_code"),
    ):
        if name in fields:
            out[name] = cities.get_column(column).gather(ids).alias(name)
    if {"postal_code", "lat", "lon"} & set(fields):
        code, lat, lon = sample_postal(city, u[:, :POSTAL_DRAWS])
        out["postal_code"] = code.alias("postal_code")
        out["lat"] = pl.Series("lat", lat, dtype=pl.Float64)
        out["lon"] = pl.Series("lon", lon, dtype=pl.Float64)
    if {"street", "house_number", "street_line"} & set(fields):
        _, per_city = _country_ids()
        # Japanese addresses write their postal code's ward and town, not a street
        town = postal_districts(city, u[:, :POSTAL_DRAWS])
        lines = street_lines(per_city[city], u[:, POSTAL_DRAWS:], city=city, streets=town)
        for name in ("street", "house_number", "street_line"):
            out[name] = lines[name].alias(name)
    return {f: out[f] for f in fields}


def addresses_at(cities: np.ndarray, rng: np.random.Generator) -> pl.DataFrame:
    """One address in each of ``cities`` (row ids into cities.parquet), drawn from ``rng``."""
    city = np.asarray(cities, dtype=np.int64)
    u = rng.random((len(city), ADDRESS_DRAWS))
    return pl.DataFrame(address_fields(city, u))


def _check_count(count: object) -> int:
    if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 0:
        msg = f"count must be a non-negative integer, got {count!r}"
        raise InvalidParameterError(msg)
    return int(count)


def addresses_frame(
    country: str,
    count: int,
    *,
    seed: int | None = None,
    state: str | None = None,
    city: str | None = None,
) -> pl.DataFrame:
    """``count`` addresses in ``country`` as a frame (columns :data:`ADDRESS_COLUMNS`).

    Parameters
    ----------
    country
        ISO code, English or snake_case name (``"DE"``, ``"germany"``,
        ``"united_states"``), or ``"global"`` for the world weighted by population.
    count
        Number of addresses.
    seed
        Same seed, same addresses (and the first ``k`` addresses do not depend on
        ``count``). Without one, the seed comes from the clock.
    state, city
        Draw only from this state or province (name or code; case and accents
        ignored), or this city (``"Springfield, IL"``; see
        :func:`tempdata.geo.cities.resolve_city`).
    """
    n = _check_count(count)
    code = resolve_country(country)
    candidates = city_candidates(code, state=state, city=city)
    # people each city stands for: its population and a share of the countryside's
    pop = _cities().get_column("weight").to_numpy()[candidates].astype(np.float64)
    cdf = np.cumsum(np.maximum(pop, 1.0))
    cdf /= cdf[-1]
    seeder = Seeder(seed)
    scope = f"{code}|{state or ''}|{city or ''}"
    frames = []
    for chunk, start in enumerate(range(0, n, CHUNK_SIZE)):
        size = min(CHUNK_SIZE, n - start)
        rng = seeder.stream("geo.addresses", scope, chunk)
        u = rng.random((size, 1 + ADDRESS_DRAWS))
        pick = np.minimum(np.searchsorted(cdf, u[:, 0], side="right"), len(cdf) - 1)
        frames.append(pl.DataFrame(address_fields(candidates[pick], u[:, 1:])))
    if not frames:
        return pl.DataFrame(address_fields(np.zeros(0, np.int64), np.zeros((0, ADDRESS_DRAWS))))
    return pl.concat(frames, rechunk=True)


def addresses(
    country: str,
    count: int,
    *,
    seed: int | None = None,
    state: str | None = None,
    city: str | None = None,
) -> list[dict[str, object]]:
    """``count`` addresses in ``country`` as dicts; see :func:`addresses_frame`.

    Each dict has ``street``, ``house_number``, ``street_line``, ``city``,
    ``state_province``, ``postal_code``, ``country``, ``country_code``, ``lat``, ``lon``.
    """
    return addresses_frame(country, count, seed=seed, state=state, city=city).to_dicts()
