"""Points of interest near real cities: hospitals, schools, restaurants, airports, ...

No offline gazetteer of POIs exists beyond airports, so POIs other than airports are
*plausible*, not real: a category, a name in the country's language and naming style
(:mod:`tempdata.geo.poi_names`: "Pharmacie du Centre", "Löwen-Apotheke", "田中病院",
or a brand the name-suggestion-index lists for the country: "Edeka", "ローソン 駅前店"),
and coordinates scattered around the city centre within a radius that grows with its
population (:func:`scatter_radius_km`; denser towards the centre). Airports are real:
rows of ``airports.parquet`` (never invented), the ones nearest to the city (within
:data:`AIRPORT_KM` km, else the nearest one within :data:`AIRPORT_MAX_KM`) or in the
country, and an airport POI is at the airport and carries its ``iata`` code.

Names are distinct within one answer (see :func:`tempdata.geo.poi_names.distinct_names`).
So are airports, in every mode: the candidates are put in a weighted random order once
per seed and place (sampling without replacement by the table's ``weight``: exponential
keys ``E / weight``, sorted, i.e. Gumbel-top-k; for a city the weight is divided by
``1 + distance_km / 25``), and the ``k``-th airport POI of an answer is the ``k``-th
airport of that order, so Paris gives CDG and ORY before Beauvais or Le Bourget in
expectation. ``category="airport"`` asking for more airports than the place has is an
error that says how many there are; in a mixed request (``category=None``) an airport
POI beyond the last candidate becomes a POI of another category.

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
from tempdata.geo.poi_names import NAME_DRAWS, distinct_names, poi_names
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

#: Every POI category, sorted (``poi_categories.parquet`` holds the same, with shares).
POI_CATEGORIES: tuple[str, ...] = (
    "airport",
    "bakery",
    "bank",
    "cafe",
    "fuel_station",
    "hospital",
    "hotel",
    "pharmacy",
    "restaurant",
    "school",
    "supermarket",
)

#: Uniform draws per POI: city, category, distance, bearing, other category (for an
#: airport POI beyond the last candidate). Names draw from streams of their own.
_DRAWS = 5


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
def _mix() -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Shares of :data:`POI_CATEGORIES` in a mixed request: with and without airports."""
    table = load("poi_categories")
    if tuple(sorted(table["category"])) != POI_CATEGORIES:
        msg = f"poi_categories.parquet lists {sorted(table['category'])}, not {POI_CATEGORIES}"
        raise TempDataError(msg)
    share = dict(zip(table["category"], table["share"], strict=True))
    with_air = np.asarray([share[c] for c in POI_CATEGORIES], dtype=np.float64)
    without = with_air.copy()
    without[POI_CATEGORIES.index("airport")] = 0.0
    return _cdf(with_air), _cdf(without)


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


def _frame(
    place: _Place,
    cat: npt.NDArray[np.int64],
    u: npt.NDArray[np.float64],
    airport_rows: npt.NDArray[np.int64],
) -> pl.DataFrame:
    """POIs of categories ``cat`` (names filled later); airport POIs at ``airport_rows``."""
    t = city_table()
    n = len(u)
    city = place.cities[_pick(place.city_cdf, u[:, 0])]
    radius = scatter_radius_km(t.population[city])
    point = destination(t.lat[city], t.lon[city], u[:, 3] * 360.0, radius * u[:, 2])
    lat, lon = np.round(point[:, 0], 6), np.round(point[:, 1], 6)
    country_name = _country_names()
    codes = pl.Series(t.country_code[city], dtype=pl.String)
    frame = pl.DataFrame(
        {
            "name": pl.Series([""] * n, dtype=pl.String),
            "category": pl.Series(POI_CATEGORIES, dtype=pl.String).gather(cat),
            "city": pl.Series(t.city[city], dtype=pl.String),
            "state_province": pl.Series(t.state[city], dtype=pl.String),
            "country": codes.replace_strict(country_name, default="", return_dtype=pl.String),
            "country_code": codes,
            "lat": pl.Series(lat, dtype=pl.Float64),
            "lon": pl.Series(lon, dtype=pl.Float64),
            "iata": pl.Series([None] * n, dtype=pl.String),
        }
    )
    where = np.flatnonzero(cat == POI_CATEGORIES.index("airport"))
    if len(where):
        air = _airports()[airport_rows]
        found = pl.DataFrame(
            {
                "name": air.get_column("name"),
                "category": pl.Series(["airport"] * len(where), dtype=pl.String),
                "city": air.get_column("city"),
                "state_province": air.get_column("state"),
                "country": air.get_column("country_code").replace_strict(
                    country_name, default="", return_dtype=pl.String
                ),
                "country_code": air.get_column("country_code"),
                "lat": air.get_column("lat"),
                "lon": air.get_column("lon"),
                "iata": air.get_column("iata"),
            }
        )
        frame = frame.with_row_index("_i").update(
            found.with_columns(_i=pl.Series(where, dtype=pl.UInt32)), on="_i"
        )
        frame = frame.drop("_i")
    return frame.with_columns(
        state_province=pl.when(pl.col("state_province") == "")
        .then(pl.col("country"))
        .otherwise(pl.col("state_province"))
    ).select(POI_COLUMNS)


def _categories(
    where: _Place, category: str | None, u: npt.NDArray[np.float64]
) -> npt.NDArray[np.int64]:
    """Category index of each POI; airports only while the place's candidates last."""
    n = len(u)
    air = POI_CATEGORIES.index("airport")
    if category is not None:
        cat = np.full(n, POI_CATEGORIES.index(category), dtype=np.int64)
        if category == "airport" and n > len(where.airports):
            msg = (
                f"{n} airports asked for, but only {len(where.airports)} "
                + (f"lie within {AIRPORT_KM:.0f} km of " if len(where.cities) == 1 else "are in ")
                + f"{where.label} (airports are real, never invented): ask for at most "
                f"{len(where.airports)}"
            )
            if not len(where.airports):
                msg = (
                    f"no airport lies within {AIRPORT_MAX_KM:.0f} km of {where.label} "
                    "(airports are real, never invented): choose another category"
                )
            raise GeographicalError(msg)
        return cat
    with_air, without = _mix()
    cat = _pick(with_air if len(where.airports) else without, u[:, 1])
    # the k-th airport POI is the k-th candidate; beyond the last, another category
    ordinal = np.cumsum(cat == air) - 1
    beyond = (cat == air) & (ordinal >= len(where.airports))
    cat[beyond] = _pick(without, u[beyond, 4])
    return cat


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
        Number of POIs. Their names are distinct, and so are their airports: with
        ``category="airport"`` at most as many as the place has (bigger ones first in
        expectation; more is an error); in a mix, airport POIs beyond the place's last
        airport become other categories.
    category
        One of :data:`POI_CATEGORIES`; ``None`` mixes them (restaurants most, airports
        only where one is near).
    seed
        Same seed, same POIs; the first ``k`` do not depend on ``count``.

    Examples
    --------
    >>> from tempdata.geo.poi import pois_frame
    >>> pois_frame("Paris, FR", 2, category="airport", seed=1)["iata"].sort().to_list()
    ['CDG', 'ORY']
    """
    n, cat_name = _check(count, category)
    where = _place(place)
    seeder = Seeder.coerce(seed)
    scope = f"{where.label}|{cat_name or ''}"
    u = np.concatenate(
        [
            seeder.stream("geo.pois", scope, chunk).random((min(CHUNK_SIZE, n - start), _DRAWS))
            for chunk, start in enumerate(range(0, n, CHUNK_SIZE))
        ]
        or [np.zeros((0, _DRAWS))]
    )
    cat = _categories(where, cat_name, u)
    is_air = cat == POI_CATEGORIES.index("airport")
    airport_rows = np.zeros(0, dtype=np.int64)
    if is_air.any():
        order = _airport_order(where, seeder.stream("geo.pois", f"{scope}|order", 0))
        airport_rows = order[: int(is_air.sum())]
    frame = _frame(where, cat, u, airport_rows)
    named = np.flatnonzero(~is_air)
    categories = np.asarray(POI_CATEGORIES)[cat]
    codes = frame["country_code"].to_numpy().astype(str)

    def draw(round_: int, rows: npt.NDArray[np.int64]) -> pl.Series:
        """Candidate names of ``rows`` in one round; a row's draws depend on it alone."""
        v = np.concatenate(
            [
                seeder.stream("geo.pois", f"{scope}|name{round_}", chunk).random(
                    (min(CHUNK_SIZE, n - start), NAME_DRAWS)
                )
                for chunk, start in enumerate(range(0, n, CHUNK_SIZE))
            ]
        )
        return poi_names(categories[rows], codes[rows], v[rows])

    names = frame["name"]
    if is_air.any():  # namesakes (two "Capital City Airport"s) carry their city, then code
        for suffix in (" (" + frame["city"] + ")", " " + frame["iata"].fill_null("")):
            again = ~names.is_first_distinct() & pl.Series(is_air)
            names = names.zip_with(~again, names + suffix)
    if len(named):
        names = names.scatter(named, draw(0, named))
    return frame.with_columns(name=distinct_names(names, is_air, draw))


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
