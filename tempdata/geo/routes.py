"""Routes between real cities, through real towns near the great-circle path.

The model, documented so a user knows what the numbers mean:

* **Path.** Start and end are addresses in the two cities; the route runs along great
  circles from the start through each waypoint to the end. :attr:`Route.geometry`
  densifies each leg every :data:`DENSIFY_KM` km (at most :data:`MAX_LEG_POINTS`
  points a leg), so the LineString looks right on a map.
* **Waypoints** are real towns of cities.parquet inside a *corridor* around the
  great circle from start city to end city: half-width
  ``clamp(CORRIDOR_SHARE × D, CORRIDOR_MIN_KM, CORRIDOR_MAX_KM)`` for a path of
  ``D`` km, their foot on the path farther than ``ENDPOINT_GAP`` of ``D`` (and
  :data:`ENDPOINT_MIN_KM`) from either end, and not within
  ``max(ENDPOINT_MIN_KM, 1.5 × urban stretch)`` km of either city (no suburbs of the
  endpoints; the urban stretch is defined under *Duration*). The path is cut into ``waypoints``
  equal stretches and one town is picked in each by a seeded, population-weighted
  draw; stretches without a town (sea) are made up from the remaining candidates,
  again by population. Where too few towns lie in the corridor it is widened
  (×2, up to :data:`CORRIDOR_WIDEN` times). Waypoints are returned in order along the
  path, without duplicates, never the endpoints' cities, never numbered city
  districts (GeoNames lists ``Lyon 09``, ``Marseille 01`` as places).
* **Distance** is the sum of the great-circle legs times :data:`ROAD_FACTOR` (1.2:
  roads between cities measure 1.15–1.3 × the straight line, the "circuity" of road
  networks; Berlin–Munich is 504 km as the crow flies and 585 km by road). Detours
  through waypoints add to the legs themselves.
* **Duration** uses a speed profile: an urban stretch at each end at
  :data:`URBAN_KMH` whose length grows with the city's population
  (``4 + 4·log10(population / 10,000)`` km, at most a quarter of the trip each), a
  :data:`TOWN_KM` km pass through each waypoint town at :data:`TOWN_KMH`, the rest at
  :data:`HIGHWAY_KMH` (an average highway speed including slow-downs), plus a
  :data:`BREAK_MINUTES`-minute break every full :data:`BREAK_EVERY_H` hours of driving.
* Cities on land masses not joined by road (Europe/Asia/Africa, the Americas,
  Oceania, Antarctica) still get a route; :attr:`Route.note` says that sea crossings
  are not modelled.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from tempdata.core.seeding import Seeder
from tempdata.errors import GeographicalError, InvalidParameterError
from tempdata.geo.cities import city_label, city_table, resolve_city
from tempdata.geo.spherical import haversine_km, interpolate, track_km

if TYPE_CHECKING:
    import polars as pl

    from tempdata.geo.address import Address

__all__ = ["MAX_WAYPOINTS", "ROAD_FACTOR", "Route", "route"]

#: Road distance over great-circle distance.
ROAD_FACTOR = 1.2
#: Largest number of waypoints a route may ask for.
MAX_WAYPOINTS = 25
#: Corridor half-width as a share of the path length, and its bounds (km).
CORRIDOR_SHARE = 0.08
CORRIDOR_MIN_KM = 20.0
CORRIDOR_MAX_KM = 150.0
#: How many times the corridor may double when it holds too few towns.
CORRIDOR_WIDEN = 3
#: Waypoints keep this share of the path, and this many km, away from either end.
ENDPOINT_GAP = 0.03
ENDPOINT_MIN_KM = 15.0
#: Speed profile (km/h) and the stretches it applies to.
URBAN_KMH = 35.0
TOWN_KMH = 40.0
TOWN_KM = 4.0
HIGHWAY_KMH = 105.0
BREAK_EVERY_H = 4.0
BREAK_MINUTES = 15.0
#: Geometry: a point every DENSIFY_KM along each leg, at most MAX_LEG_POINTS per leg.
DENSIFY_KM = 10.0
MAX_LEG_POINTS = 256

#: Continents joined by road (the Suez and Bosporus bridges, the Panama isthmus).
_LAND_MASSES = {"EU": 0, "AS": 0, "AF": 0, "NA": 1, "SA": 1, "OC": 2, "AN": 3}


@dataclass(frozen=True)
class Route:
    """A route between two real cities (see the module's docstring for the model).

    ``geometry`` holds (lon, lat) pairs, GeoJSON's order, along the whole route.
    """

    start: Address
    end: Address
    waypoints: tuple[Address, ...]
    distance_km: float
    estimated_time_minutes: float
    geometry: tuple[tuple[float, float], ...]
    seed: int
    note: str | None = None

    @property
    def stops(self) -> tuple[Address, ...]:
        """Start, waypoints and end, in order."""
        return (self.start, *self.waypoints, self.end)

    def stops_frame(self) -> pl.DataFrame:
        """One row per stop: ``order``, ``role`` (start, waypoint, end), then the address."""
        from dataclasses import asdict

        import polars as pl

        n = len(self.stops)
        roles = ["start", *(["waypoint"] * (n - 2)), "end"]
        rows = [{"order": i, "role": roles[i], **asdict(s)} for i, s in enumerate(self.stops)]
        return pl.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (addresses as dicts, geometry as [lon, lat] lists), JSON-ready."""
        from dataclasses import asdict

        return {
            "start": asdict(self.start),
            "end": asdict(self.end),
            "waypoints": [asdict(w) for w in self.waypoints],
            "distance_km": self.distance_km,
            "estimated_time_minutes": self.estimated_time_minutes,
            "geometry": [list(p) for p in self.geometry],
            "seed": self.seed,
            "note": self.note,
        }

    def to_geojson(self) -> dict[str, Any]:
        """A GeoJSON Feature: the route as a LineString, its figures as properties."""
        return {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [list(p) for p in self.geometry]},
            "properties": {
                "start": _place(self.start),
                "end": _place(self.end),
                "waypoints": [_place(w) for w in self.waypoints],
                "start_address": self.start.street_line,
                "end_address": self.end.street_line,
                "distance_km": self.distance_km,
                "estimated_time_minutes": self.estimated_time_minutes,
                "seed": self.seed,
                "note": self.note,
            },
        }

    def to_json(self) -> str:
        """:meth:`to_geojson` as text."""
        return json.dumps(self.to_geojson(), ensure_ascii=False)


def _place(a: Address) -> str:
    return ", ".join(p for p in (a.city, a.state_province, a.country_code) if p)


def _check_waypoints(waypoints: object) -> int:
    if (
        isinstance(waypoints, bool)
        or not isinstance(waypoints, (int, np.integer))
        or not 0 <= waypoints <= MAX_WAYPOINTS
    ):
        msg = f"waypoints must be an integer from 0 to {MAX_WAYPOINTS}, got {waypoints!r}"
        raise InvalidParameterError(msg)
    return int(waypoints)


def _corridor(path_km: float) -> float:
    return min(max(CORRIDOR_SHARE * path_km, CORRIDOR_MIN_KM), CORRIDOR_MAX_KM)


@cache
def _is_town() -> npt.NDArray[np.bool_]:
    """Cities that can be waypoints: not districts numbered by GeoNames (``Lyon 09``)."""
    names = city_table().city
    return np.asarray([not str(n)[-1:].isdigit() for n in names], dtype=bool)


def _pick_waypoints(start: int, end: int, k: int, rng: np.random.Generator) -> list[int]:
    """``k`` city rows near the path start → end, ordered along it (see module docs)."""
    if k == 0:
        return []
    t = city_table()
    lat1, lon1 = float(t.lat[start]), float(t.lon[start])
    lat2, lon2 = float(t.lat[end]), float(t.lon[end])
    path = float(haversine_km(lat1, lon1, lat2, lon2))
    cross, along = track_km(lat1, lon1, lat2, lon2, t.lat, t.lon)
    gap = max(ENDPOINT_GAP * path, ENDPOINT_MIN_KM)
    near1 = max(ENDPOINT_MIN_KM, 1.5 * _urban_km(int(t.population[start])))
    near2 = max(ENDPOINT_MIN_KM, 1.5 * _urban_km(int(t.population[end])))
    away = (haversine_km(lat1, lon1, t.lat, t.lon) > near1) & (
        haversine_km(lat2, lon2, t.lat, t.lon) > near2
    )
    inside = away & (along > gap) & (along < path - gap) & _is_town()
    inside[[start, end]] = False
    width = _corridor(path)
    rows = np.flatnonzero(inside & (np.abs(cross) <= width))
    for _ in range(CORRIDOR_WIDEN):
        if len(rows) >= k:
            break
        width *= 2
        rows = np.flatnonzero(inside & (np.abs(cross) <= width))
    if len(rows) < k:
        msg = (
            f"only {len(rows)} towns lie along the path from {city_label(start)} to "
            f"{city_label(end)} (within {width:.0f} km of it, away from both cities); "
            f"ask for at most {len(rows)} waypoints"
        )
        raise GeographicalError(msg)

    # Exponential keys: the smallest of Exp(1)/w picks without replacement ∝ w.
    weight = np.maximum(t.population[rows], 1).astype(np.float64)
    key = rng.exponential(size=len(rows)) / weight
    stretch = np.minimum(((along[rows] - gap) / (path - 2 * gap) * k).astype(np.int64), k - 1)
    chosen: list[int] = []
    for s in range(k):  # k ≤ MAX_WAYPOINTS: a loop over stretches, not rows
        here = np.flatnonzero(stretch == s)
        if len(here):
            chosen.append(int(here[np.argmin(key[here])]))
    if len(chosen) < k:
        rest = np.setdiff1d(np.arange(len(rows)), chosen)
        extra = rest[np.argsort(key[rest], kind="stable")[: k - len(chosen)]]
        chosen.extend(int(i) for i in extra)
    picked = np.asarray(chosen)
    order = np.argsort(along[rows][picked], kind="stable")
    return [int(rows[i]) for i in picked[order]]


def _urban_km(population: int) -> float:
    return 4.0 + 4.0 * math.log10(max(population, 10_000) / 10_000)


def _minutes(road_km: float, start: int, end: int, n_waypoints: int) -> float:
    t = city_table()
    cap = road_km / 4
    urban = min(_urban_km(int(t.population[start])), cap) + min(
        _urban_km(int(t.population[end])), cap
    )
    town = min(n_waypoints * TOWN_KM, max(road_km - urban, 0.0))
    highway = max(road_km - urban - town, 0.0)
    hours = urban / URBAN_KMH + town / TOWN_KMH + highway / HIGHWAY_KMH
    return hours * 60 + math.floor(hours / BREAK_EVERY_H) * BREAK_MINUTES


def _geometry(lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64]) -> tuple[Any, float]:
    """Densified (lon, lat) points along the legs, and the great-circle length in km."""
    legs = haversine_km(lat[:-1], lon[:-1], lat[1:], lon[1:])
    parts = []
    for i, leg in enumerate(legs):  # one leg per stop: at most MAX_WAYPOINTS + 1
        n = int(min(max(math.ceil(float(leg) / DENSIFY_KM) + 1, 2), MAX_LEG_POINTS))
        points = interpolate(float(lat[i]), float(lon[i]), float(lat[i + 1]), float(lon[i + 1]), n)
        parts.append(points if i == 0 else points[1:])
    coords = np.round(np.concatenate(parts), 6)
    return tuple((float(x), float(y)) for x, y in coords), float(legs.sum())


def _note(start: int, end: int) -> str | None:
    from tempdata.geo.reference import load

    t = city_table()
    countries = load("countries")
    continent = dict(
        zip(
            countries.get_column("iso2").to_list(),
            countries.get_column("continent").to_list(),
            strict=True,
        )
    )
    a = continent.get(str(t.country_code[start]))
    b = continent.get(str(t.country_code[end]))
    if a is None or b is None or _LAND_MASSES.get(a, -1) == _LAND_MASSES.get(b, -2):
        return None
    return (
        "start and end lie on land masses not joined by road; distance and time assume "
        "an overland road (sea crossings are not modelled)"
    )


def route(
    start_city: str,
    end_city: str,
    *,
    waypoints: int = 0,
    seed: int | Seeder | None = None,
) -> Route:
    """A route from ``start_city`` to ``end_city`` through ``waypoints`` real towns.

    Parameters
    ----------
    start_city, end_city
        City names, qualified where ambiguous (``"Berlin"``, ``"Springfield, IL"``,
        ``"Paris, France"``); see :func:`tempdata.geo.cities.resolve_city`.
    waypoints
        Number of towns to pass through, 0 to :data:`MAX_WAYPOINTS`.
    seed
        Same seed, same route (waypoints and addresses). Without one the clock
        picks a seed, stored in :attr:`Route.seed`.

    Raises
    ------
    GeographicalError
        A city is unknown or ambiguous, start and end are the same city, or the
        corridor holds fewer towns than ``waypoints``.
    InvalidParameterError
        ``waypoints`` is not an integer from 0 to :data:`MAX_WAYPOINTS`.

    Examples
    --------
    >>> from tempdata.geo.routes import route
    >>> r = route("Berlin", "Munich", waypoints=2, seed=1)  # doctest: +SKIP
    >>> [w.city for w in r.waypoints], r.distance_km  # doctest: +SKIP
    (['Leipzig', 'Nuremberg'], 632.4)
    """
    from tempdata.geo.address import Address, addresses_at

    k = _check_waypoints(waypoints)
    start, end = resolve_city(start_city), resolve_city(end_city)
    if start == end:
        msg = (
            f"start and end are the same city ({city_label(start)}): "
            "a route needs two different cities"
        )
        raise GeographicalError(msg)
    seeder = Seeder.coerce(seed)
    via = _pick_waypoints(start, end, k, seeder.stream("geo.route", "waypoints", 0))
    stops = np.asarray([start, *via, end], dtype=np.int64)
    frame = addresses_at(stops, seeder.stream("geo.route", "addresses", 0))
    lat = frame.get_column("lat").to_numpy().astype(np.float64)
    lon = frame.get_column("lon").to_numpy().astype(np.float64)
    geometry, gc_km = _geometry(lat, lon)
    road_km = gc_km * ROAD_FACTOR
    found = [Address.from_row(row) for row in frame.iter_rows(named=True)]
    return Route(
        start=found[0],
        end=found[-1],
        waypoints=tuple(found[1:-1]),
        distance_km=round(road_km, 1),
        estimated_time_minutes=round(_minutes(road_km, start, end, k), 1),
        geometry=geometry,
        seed=seeder.seed,
        note=_note(start, end),
    )
