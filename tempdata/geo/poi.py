"""Points of interest near real cities: hospitals, schools, restaurants, airports, ...

No offline gazetteer of POIs exists beyond airports, so POIs other than airports are
*plausible*, not real: a category, a name from that category's hand-curated patterns
(``"{city} General Hospital"``, ``"St. {saint}'s Hospital"``, ``"Hotel {surname}"``)
filled with the city and surnames of the country's name locale (``load("names")``),
and coordinates scattered around the city centre within a radius that grows with its
population (:func:`scatter_radius_km`; denser towards the centre). Airports are real:
rows of ``airports.parquet`` (never invented), the ones nearest to the city (within
:data:`AIRPORT_KM` km, else the nearest one within :data:`AIRPORT_MAX_KM`) or in the
country, picked by the table's ``weight`` (size and scheduled service from OurAirports,
times the population served; for a city divided by ``1 + distance_km / 25``); an
airport POI is at the airport and carries its ``iata`` code.

With ``category="airport"`` the airports are distinct while they last: the candidates
are put in a weighted random order once per seed and place (sampling without
replacement: exponential keys ``E / weight``, sorted, i.e. Gumbel-top-k), and POI
``i`` is the ``i``-th airport of that order, so Paris gives CDG and ORY before
Beauvais or Le Bourget in expectation. Beyond the number of candidates, further
airports are drawn independently by weight (with repeats). Mixed requests
(``category=None``) always draw airports independently by weight.

A place is a country (``"germany"``, ``"DE"``; its cities are picked by population),
``"global"``, or a city (``"Berlin"``, ``"Springfield, IL"``; see
:func:`tempdata.geo.cities.resolve_city`). Everything is vectorised: a fixed block of
uniforms per POI, 50,000 POIs per random stream, so the first ``k`` POIs of a seed do
not depend on ``count``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from tempdata.core.seeding import CHUNK_SIZE, Seeder
from tempdata.errors import GeographicalError, InvalidParameterError, TempDataError, suggest
from tempdata.geo.cities import city_label, city_table, resolve_city
from tempdata.geo.countries import GLOBAL, resolve_country
from tempdata.geo.reference import load
from tempdata.geo.spherical import destination, haversine_km

__all__ = [
    "AIRPORT_KM",
    "AIRPORT_MAX_KM",
    "POI_CATEGORIES",
    "POI_COLUMNS",
    "pois",
    "pois_frame",
    "scatter_radius_km",
]

#: Airports within this distance of a city are "its" airports.
AIRPORT_KM = 80.0
#: Without one that near, the nearest airport within this distance; else an error.
AIRPORT_MAX_KM = 300.0

#: The columns of :func:`pois_frame`, in order (``iata`` is null except for airports).
POI_COLUMNS = (
    "name",
    "category",
    "city",
    "state_province",
    "country",
    "country_code",
    "lat",
    "lon",
    "iata",
)

# fmt: off
#: Name patterns per category. Placeholders: {city}, {state}, {surname}, {surname2},
#: {saint}, {word}, {thing}, {area}, {brand}.
_PATTERNS: dict[str, tuple[str, ...]] = {
    "airport": (),  # real airports only
    "bank": (
        "{city} Savings Bank", "First {city} Bank", "{surname} & {surname2} Bank",
        "{city} Credit Union", "{state} Cooperative Bank", "{brand} {city} {area}",
    ),
    "cafe": (
        "Café {surname}", "{city} Coffee House", "The {word} {thing} Café", "{surname}'s Coffee",
        "{brand} {city} {area}", "Espresso {surname}",
    ),
    "fuel_station": (
        "{brand} {city} {area}", "{brand} {city}", "{brand} Service Station {area}",
        "{surname} Fuel", "{city} {area} Filling Station",
    ),
    "hospital": (
        "{city} General Hospital", "St. {saint}'s Hospital", "{surname} Memorial Hospital",
        "{city} University Hospital", "{state} Regional Medical Center", "{surname} Clinic",
        "{city} Children's Hospital",
    ),
    "hotel": (
        "Hotel {surname}", "{city} Grand Hotel", "Hotel {city} {area}", "The {surname} Hotel",
        "{brand} {city} {area}", "{word} {thing} Inn", "Pension {surname}",
    ),
    "pharmacy": (
        "{city} Pharmacy", "{surname} Pharmacy", "St. {saint} Pharmacy", "{area} Pharmacy {city}",
        "{word} {thing} Pharmacy",
    ),
    "restaurant": (
        "{surname}'s Kitchen", "The {word} {thing}", "Trattoria {surname}", "{surname}'s Grill",
        "Bistro {surname}", "{city} Diner", "Chez {surname}", "Casa {surname}",
        "The {word} {thing} Tavern", "{surname} & {surname2}",
    ),
    "school": (
        "{surname} Elementary School", "{city} High School", "{surname} Academy",
        "St. {saint}'s School", "{city} {area} Primary School", "{surname} Middle School",
        "{state} International School",
    ),
    "supermarket": (
        "{brand} {city} {area}", "{brand} {city}", "{surname}'s Market", "{city} Fresh Market",
        "{word} {thing} Grocers",
    ),
}
_BRANDS: dict[str, tuple[str, ...]] = {
    "bank": ("HSBC", "Citibank", "Santander", "BNP Paribas", "ING", "Deutsche Bank"),
    "cafe": ("Starbucks", "Costa Coffee", "Tim Hortons", "Café Nero"),
    "fuel_station": ("Shell", "BP", "Esso", "TotalEnergies", "Chevron", "Texaco", "Aral",
                     "Repsol", "Q8", "Lukoil"),
    "hotel": ("Hilton", "Marriott", "Ibis", "Holiday Inn", "Novotel", "Best Western",
              "Radisson", "Hyatt"),
    "supermarket": ("Lidl", "Aldi", "Carrefour", "SPAR", "Auchan", "7-Eleven", "Tesco"),
}
_SAINTS = ("Mary", "Joseph", "Luke", "John", "Anne", "Francis", "Elizabeth", "Peter", "Michael",
           "Catherine", "Vincent", "Thomas", "Paul", "George", "Andrew", "Jude", "Patrick",
           "Clare", "Martin", "Teresa")
_WORDS = ("Golden", "Olive", "Copper", "Blue", "Old", "Little", "Rustic", "Green", "Silver",
          "Red", "Royal", "Hidden", "Corner", "Sunny")
_THINGS = ("Spoon", "Table", "Lantern", "Garden", "Fig", "Oak", "Anchor", "Harvest", "Lion",
           "Crown", "Bell", "Mill", "Bridge", "Vine")
_AREAS = ("North", "South", "East", "West", "Central", "Old Town", "Station", "Riverside",
          "Market Square", "Ring Road", "Harbour", "Park")
#: Share of each category when none is asked for (airport only where one is near).
_MIX = {"restaurant": 0.24, "cafe": 0.12, "school": 0.1, "supermarket": 0.1,
        "fuel_station": 0.09, "hotel": 0.09, "pharmacy": 0.08, "bank": 0.08, "hospital": 0.05,
        "airport": 0.05}
# fmt: on

#: Every POI category, sorted.
POI_CATEGORIES: tuple[str, ...] = tuple(sorted(_PATTERNS))

#: Uniform draws per POI: city, category, pattern, surname, surname2, saint, word,
#: thing, area, brand, distance, bearing, airport.
_DRAWS = 13


def scatter_radius_km(population: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Radius (km) around a city centre within which its POIs lie.

    ``1.5 + 2.5 × sqrt(population / 100,000)``, at most 30 km: 1.8 km for a town of
    15,000, 4 km for 100,000, 16 km for 3.4 M (Berlin), 26 km for 9.7 M (Tokyo).

    >>> [round(float(r), 1) for r in scatter_radius_km([15_000, 100_000, 3_426_354])]
    [2.5, 4.0, 16.1]
    """
    pop = np.maximum(np.asarray(population, dtype=np.float64), 0.0)
    return np.asarray(np.minimum(1.5 + 2.5 * np.sqrt(pop / 100_000), 30.0))


@dataclass(frozen=True)
class _Place:
    """Where POIs go: the city rows and their sampling CDF, the airports and theirs."""

    label: str
    cities: npt.NDArray[np.int64]
    city_cdf: npt.NDArray[np.float64]
    airports: npt.NDArray[np.int64]
    airport_weights: npt.NDArray[np.float64]
    airport_cdf: npt.NDArray[np.float64]


def _cdf(weights: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    cdf = np.cumsum(np.maximum(weights, 1e-9))
    return np.asarray(cdf / cdf[-1])


def _pick(cdf: npt.NDArray[np.float64], u: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    return np.minimum(np.searchsorted(cdf, u, side="right"), len(cdf) - 1).astype(np.int64)


@cache
def _airports() -> pl.DataFrame:
    return load("airports")


def _place(place: str) -> _Place:
    if not isinstance(place, str) or not place.strip():
        msg = f"place must be a city or country name such as 'Berlin' or 'germany', got {place!r}"
        raise GeographicalError(msg)
    t = city_table()
    airports = _airports()
    a_weight = airports.get_column("weight").to_numpy().astype(np.float64)
    code: str | None = None
    if "," not in place:
        try:
            code = resolve_country(place)
        except TempDataError:
            code = None
    if code is not None:
        if code == GLOBAL:
            rows = np.arange(len(t), dtype=np.int64)
        else:
            rows = np.flatnonzero(t.country_code == code).astype(np.int64)
        in_country = airports.get_column("country_code").to_numpy()
        a_rows = (
            np.arange(airports.height, dtype=np.int64)
            if code == GLOBAL
            else np.flatnonzero(in_country == code).astype(np.int64)
        )
        label = code
        city_w = t.population[rows].astype(np.float64)
    else:
        try:
            row = resolve_city(place)
        except GeographicalError as exc:
            msg = f"{exc} (a place is a city, a country or 'global')"
            raise GeographicalError(msg) from None
        rows = np.asarray([row], dtype=np.int64)
        label = city_label(row)
        city_w = np.ones(1)
        dist = haversine_km(
            float(t.lat[row]),
            float(t.lon[row]),
            airports.get_column("lat").to_numpy(),
            airports.get_column("lon").to_numpy(),
        )
        a_rows = np.flatnonzero(dist <= AIRPORT_KM).astype(np.int64)
        if not len(a_rows) and float(dist.min()) <= AIRPORT_MAX_KM:
            a_rows = np.asarray([int(np.argmin(dist))], dtype=np.int64)
        a_weight = a_weight / (1.0 + dist / 25.0)  # nearer airports serve a city more
    a_w = a_weight[a_rows]
    a_cdf = _cdf(a_w) if len(a_rows) else np.zeros(0)
    return _Place(label, rows, _cdf(city_w), a_rows, a_w, a_cdf)


def _airport_order(place: _Place, rng: np.random.Generator) -> npt.NDArray[np.int64]:
    """The place's airports in a weighted random order (sampling without replacement).

    Exponential keys ``E / weight`` sorted ascending (Efraimidis–Spirakis, the same as
    Gumbel-top-k): the first is picked with probability proportional to its weight, the
    next among the rest likewise, and so on.
    """
    keys = rng.standard_exponential(len(place.airports)) / np.maximum(place.airport_weights, 1e-12)
    return place.airports[np.argsort(keys, kind="stable")]


@cache
def _surnames(locale: str) -> tuple[str, ...]:
    """Surnames of a name locale in Latin script (native where it is Latin, else ASCII)."""
    names = load("names").filter((pl.col("locale") == locale) & (pl.col("kind") == "last"))
    if names.is_empty():
        names = load("names").filter((pl.col("locale") == "en_US") & (pl.col("kind") == "last"))
    latin = pl.col("name").str.contains(r"^[\p{Latin}\s'\-\.]+$")
    shown = pl.when(latin).then(pl.col("name")).otherwise(pl.col("ascii").str.to_titlecase())
    return tuple(names.select(shown).to_series().unique(maintain_order=True).sort().to_list())


@cache
def _locales() -> dict[str, str]:
    countries = load("countries")
    return dict(
        zip(
            countries.get_column("iso2").to_list(),
            countries.get_column("locale").to_list(),
            strict=True,
        )
    )


@cache
def _country_names() -> dict[str, str]:
    countries = load("countries")
    return dict(
        zip(
            countries.get_column("iso2").to_list(),
            countries.get_column("name").to_list(),
            strict=True,
        )
    )


def _check(count: object, category: object) -> tuple[int, str | None]:
    if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 0:
        msg = f"count must be a non-negative integer, got {count!r}"
        raise InvalidParameterError(msg)
    if category is None:
        return int(count), None
    if not isinstance(category, str) or category.strip().lower() not in POI_CATEGORIES:
        msg = (
            f"unknown POI category {category!r}"
            f"{suggest(str(category), POI_CATEGORIES)}; valid: {', '.join(POI_CATEGORIES)}"
        )
        if " — valid: " in msg:  # suggest() listed them already
            msg = msg[: msg.rindex("; valid: ")]
        raise InvalidParameterError(msg)
    return int(count), category.strip().lower()


def _pick_from(options: tuple[str, ...], u: npt.NDArray[np.float64]) -> pl.Series:
    idx = np.minimum((u * len(options)).astype(np.int64), len(options) - 1)
    return pl.Series(options, dtype=pl.String).gather(idx)


def _names(
    category: npt.NDArray[np.int64], cities: npt.NDArray[np.int64], u: npt.NDArray[np.float64]
) -> pl.Series:
    """Names of non-airport POIs: one pattern per row, placeholders filled column-wise."""
    t = city_table()
    n = len(category)
    templates: list[str] = []
    offset = np.zeros(len(POI_CATEGORIES) + 1, dtype=np.int64)
    for i, cat in enumerate(POI_CATEGORIES):
        templates.extend(_PATTERNS[cat])
        offset[i + 1] = len(templates)
    size = np.diff(offset)[category]
    pattern = offset[category] + np.minimum((u[:, 2] * size).astype(np.int64), size - 1)

    codes = t.country_code[cities]
    surname = np.empty(n, dtype=object)
    surname2 = np.empty(n, dtype=object)
    for cc in np.unique(codes):  # one pass per country, not per row
        where = np.flatnonzero(codes == cc)
        pool = _surnames(_locales().get(str(cc), "en_US"))
        surname[where] = _pick_from(pool, u[where, 3]).to_numpy()
        surname2[where] = _pick_from(pool, u[where, 4]).to_numpy()
    brand = np.empty(n, dtype=object)
    brand[:] = ""
    for i, cat in enumerate(POI_CATEGORIES):
        where = np.flatnonzero(category == i)
        if len(where) and cat in _BRANDS:
            brand[where] = _pick_from(_BRANDS[cat], u[where, 9]).to_numpy()
    state = t.state[cities]
    state = np.where(state == "", np.asarray(t.city[cities]), state)
    frame = pl.DataFrame(
        {
            "t": pl.Series(templates, dtype=pl.String).gather(pattern),
            "city": pl.Series(t.city[cities], dtype=pl.String),
            "state": pl.Series(state, dtype=pl.String),
            "surname": pl.Series(surname, dtype=pl.String),
            "surname2": pl.Series(surname2, dtype=pl.String),
            "saint": _pick_from(_SAINTS, u[:, 5]),
            "word": _pick_from(_WORDS, u[:, 6]),
            "thing": _pick_from(_THINGS, u[:, 7]),
            "area": _pick_from(_AREAS, u[:, 8]),
            "brand": pl.Series(brand, dtype=pl.String),
        }
    )
    name = pl.col("t")
    for field in (
        "city",
        "state",
        "surname2",
        "surname",
        "saint",
        "word",
        "thing",
        "area",
        "brand",
    ):
        name = name.str.replace_all("{" + field + "}", pl.col(field), literal=True)
    return frame.select(name.alias("name")).to_series()


def _chunk(
    place: _Place,
    category: str | None,
    u: npt.NDArray[np.float64],
    *,
    start: int = 0,
    order: npt.NDArray[np.int64] | None = None,
) -> pl.DataFrame:
    """POIs ``start`` to ``start + len(u)``; airport POI ``i`` is ``order[i]`` if given."""
    t = city_table()
    n = len(u)
    cats = list(POI_CATEGORIES)
    if category is not None:
        cat = np.full(n, cats.index(category), dtype=np.int64)
    else:
        share = np.asarray([_MIX[c] for c in cats])
        if not len(place.airports):
            share[cats.index("airport")] = 0.0
        cat = _pick(_cdf(share), u[:, 1])
    is_airport = cat == cats.index("airport")
    if is_airport.any() and not len(place.airports):
        msg = (
            f"no airport lies within {AIRPORT_MAX_KM:.0f} km of {place.label} "
            "(airports are real, never invented): choose another category"
        )
        raise GeographicalError(msg)

    city = place.cities[_pick(place.city_cdf, u[:, 0])]
    radius = scatter_radius_km(t.population[city])
    point = destination(t.lat[city], t.lon[city], u[:, 11] * 360.0, radius * u[:, 10])
    lat, lon = np.round(point[:, 0], 6), np.round(point[:, 1], 6)
    names = _names(cat, city, u)
    state = t.state[city]
    country_name = _country_names()
    codes = pl.Series(t.country_code[city], dtype=pl.String)
    frame = pl.DataFrame(
        {
            "name": names,
            "category": pl.Series(cats, dtype=pl.String).gather(cat),
            "city": pl.Series(t.city[city], dtype=pl.String),
            "state_province": pl.Series(state, dtype=pl.String),
            "country": codes.replace_strict(country_name, default="", return_dtype=pl.String),
            "country_code": codes,
            "lat": pl.Series(lat, dtype=pl.Float64),
            "lon": pl.Series(lon, dtype=pl.Float64),
            "iata": pl.Series([None] * n, dtype=pl.String),
        }
    ).with_columns(
        state_province=pl.when(pl.col("state_province") == "")
        .then(pl.col("country"))
        .otherwise(pl.col("state_province"))
    )
    if is_airport.any():
        where = np.flatnonzero(is_airport)
        rows = place.airports[_pick(place.airport_cdf, u[where, 12])]
        if order is not None:  # distinct while they last (category="airport" only)
            ordinal = start + where
            first = ordinal < len(order)
            rows[first] = order[ordinal[first]]
        air = _airports()[rows]
        air_codes = air.get_column("country_code")
        found = pl.DataFrame(
            {
                "name": air.get_column("name"),
                "category": pl.Series(["airport"] * len(where), dtype=pl.String),
                "city": air.get_column("city"),
                "state_province": air.get_column("state"),
                "country": air_codes.replace_strict(
                    country_name, default="", return_dtype=pl.String
                ),
                "country_code": air_codes,
                "lat": air.get_column("lat"),
                "lon": air.get_column("lon"),
                "iata": air.get_column("iata"),
            }
        ).with_columns(
            state_province=pl.when(pl.col("state_province") == "")
            .then(pl.col("country"))
            .otherwise(pl.col("state_province"))
        )
        frame = frame.with_row_index("_i").update(
            found.with_columns(_i=pl.Series(where, dtype=pl.UInt32)), on="_i"
        )
        frame = frame.drop("_i")
    return frame.select(POI_COLUMNS)


def pois_frame(
    place: str,
    count: int,
    *,
    category: str | None = None,
    seed: int | Seeder | None = None,
) -> pl.DataFrame:
    """``count`` points of interest in or near ``place``, as a frame (:data:`POI_COLUMNS`).

    Parameters
    ----------
    place
        A country (``"germany"``, ``"DE"``; its cities weighted by population),
        ``"global"``, or a city (``"Berlin"``, ``"Springfield, IL"``). A name that is
        both (``"Singapore"``) is taken as the country.
    count
        Number of POIs. With ``category="airport"`` the first ones are distinct
        airports (as many as the place has candidates), bigger ones first in
        expectation; only beyond that do airports repeat.
    category
        One of :data:`POI_CATEGORIES`; ``None`` mixes them (restaurants most, airports
        only where one is near, drawn independently).
    seed
        Same seed, same POIs; the first ``k`` do not depend on ``count``.

    Examples
    --------
    >>> from tempdata.geo.poi import pois_frame
    >>> pois_frame("Paris, FR", 2, category="airport", seed=1)["iata"].sort().to_list()
    ['CDG', 'ORY']
    """
    n, cat = _check(count, category)
    where = _place(place)
    seeder = Seeder.coerce(seed)
    scope = f"{where.label}|{cat or ''}"
    order = None
    if cat == "airport" and n and len(where.airports):
        order = _airport_order(where, seeder.stream("geo.pois", f"{scope}|order", 0))
    frames = []
    for chunk, start in enumerate(range(0, n, CHUNK_SIZE)):
        rng = seeder.stream("geo.pois", scope, chunk)
        u = rng.random((min(CHUNK_SIZE, n - start), _DRAWS))
        frames.append(_chunk(where, cat, u, start=start, order=order))
    if not frames:
        return _chunk(where, cat, np.zeros((0, _DRAWS))) if where.cities.size else pl.DataFrame()
    return pl.concat(frames, rechunk=True)


def pois(
    place: str,
    count: int,
    *,
    category: str | None = None,
    seed: int | Seeder | None = None,
) -> list[dict[str, Any]]:
    """``count`` POIs as dicts (``iata`` only on airports); see :func:`pois_frame`."""
    rows = pois_frame(place, count, category=category, seed=seed).to_dicts()
    for row in rows:
        if row["iata"] is None:
            del row["iata"]
    return rows
