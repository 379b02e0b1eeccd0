"""geo.route: waypoints near the path and in order, distances and times, GeoJSON."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tempdata import geo
from tempdata.errors import GeographicalError, InvalidParameterError
from tempdata.geo.cities import city_table, resolve_city
from tempdata.geo.routes import (
    CORRIDOR_MAX_KM,
    CORRIDOR_WIDEN,
    ROAD_FACTOR,
    Route,
    _corridor,
    route,
)
from tempdata.geo.spherical import haversine_km, track_km


def _city(name: str) -> tuple[float, float]:
    t = city_table()
    row = resolve_city(name)
    return float(t.lat[row]), float(t.lon[row])


@pytest.fixture(scope="module")
def berlin_munich() -> Route:
    return route("Berlin", "Munich", waypoints=4, seed=7)


def test_route_shape(berlin_munich: Route) -> None:
    r = berlin_munich
    assert isinstance(r, Route)
    assert r.start.city == "Berlin"
    assert r.end.city == "Munich"
    assert len(r.waypoints) == 4
    assert r.seed == 7
    assert r.note is None
    with pytest.raises(AttributeError):
        r.distance_km = 1.0  # type: ignore[misc]


def test_waypoints_near_the_path_in_order_without_duplicates(berlin_munich: Route) -> None:
    (lat1, lon1), (lat2, lon2) = _city("Berlin"), _city("Munich")
    t = city_table()
    names = [(w.city, w.state_province) for w in berlin_munich.waypoints]
    assert len(set(names)) == len(names)
    assert {"Berlin", "Munich"}.isdisjoint(n for n, _ in names)
    rows = [
        next(i for i in np.flatnonzero(t.city == w.city) if t.country_code[i] == w.country_code)
        for w in berlin_munich.waypoints
    ]
    cross, along = track_km(lat1, lon1, lat2, lon2, t.lat[rows], t.lon[rows])
    path = float(haversine_km(lat1, lon1, lat2, lon2))
    assert np.all(np.abs(cross) <= _corridor(path) * 2**CORRIDOR_WIDEN)
    assert np.all(np.diff(along) > 0)
    assert np.all((along > 0) & (along < path))


def test_distance_and_time_are_plausible(berlin_munich: Route) -> None:
    r = berlin_munich
    s, e = r.start, r.end
    straight = float(haversine_km(s.lat, s.lon, e.lat, e.lon))
    legs = sum(
        float(haversine_km(a.lat, a.lon, b.lat, b.lon))
        for a, b in zip(r.stops[:-1], r.stops[1:], strict=True)
    )
    assert r.distance_km >= straight
    assert r.distance_km == pytest.approx(legs * ROAD_FACTOR, abs=0.1)
    assert 1.15 * straight <= r.distance_km <= 1.6 * straight
    hours = r.estimated_time_minutes / 60
    assert 5 <= hours <= 9  # Berlin–Munich is about 6 h by car
    assert 60 <= r.distance_km / hours <= 110  # average km/h


def test_no_waypoints_is_a_straight_great_circle_times_the_road_factor() -> None:
    r = route("Hamburg", "Berlin", seed=1)
    assert r.waypoints == ()
    straight = float(haversine_km(r.start.lat, r.start.lon, r.end.lat, r.end.lon))
    assert r.distance_km == pytest.approx(straight * ROAD_FACTOR, abs=0.1)
    assert 2.5 * 60 <= r.estimated_time_minutes <= 4.5 * 60


def test_same_seed_same_route_other_seed_other_waypoints() -> None:
    a = route("Paris, France", "Marseille", waypoints=3, seed=11)
    b = route("Paris, France", "Marseille", waypoints=3, seed=11)
    assert a == b
    others = {
        tuple(w.city for w in route("Paris, FR", "Marseille", waypoints=3, seed=s).waypoints)
        for s in range(6)
    }
    assert len(others) > 1


def test_geometry_is_a_densified_line_of_lon_lat(berlin_munich: Route) -> None:
    r = berlin_munich
    g = np.asarray(r.geometry)
    assert g.shape[1] == 2
    assert len(g) > len(r.stops) * 3
    assert tuple(g[0]) == pytest.approx((r.start.lon, r.start.lat))
    assert tuple(g[-1]) == pytest.approx((r.end.lon, r.end.lat))
    step = haversine_km(g[:-1, 1], g[:-1, 0], g[1:, 1], g[1:, 0])
    assert step.max() <= 12.0
    assert np.all((g[:, 0] > 5) & (g[:, 0] < 16) & (g[:, 1] > 47) & (g[:, 1] < 55))


def test_to_geojson_is_a_linestring_feature(berlin_munich: Route) -> None:
    feature = json.loads(json.dumps(berlin_munich.to_geojson()))
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "LineString"
    coords = feature["geometry"]["coordinates"]
    assert coords[0] == pytest.approx([berlin_munich.start.lon, berlin_munich.start.lat])
    assert all(len(c) == 2 and -180 <= c[0] <= 180 and -90 <= c[1] <= 90 for c in coords)
    props = feature["properties"]
    assert props["distance_km"] == berlin_munich.distance_km
    assert props["start"].startswith("Berlin")
    assert len(props["waypoints"]) == 4
    d = json.loads(json.dumps(berlin_munich.to_dict()))
    assert d["start"]["city"] == "Berlin"
    assert len(d["waypoints"]) == 4


def test_route_feature_collection_has_points_per_stop(berlin_munich: Route) -> None:
    from tempdata.geo.geojson import route_geojson

    doc = json.loads(route_geojson(berlin_munich))
    kinds = [f["geometry"]["type"] for f in doc["features"]]
    assert kinds == ["LineString"] + ["Point"] * 6
    roles = [f["properties"]["role"] for f in doc["features"][1:]]
    assert roles == ["start", "waypoint", "waypoint", "waypoint", "waypoint", "end"]


def test_cross_continent_route_has_a_note() -> None:
    r = route("New York City", "London, GB", waypoints=2, seed=1)
    assert r.note is not None
    assert "sea crossings" in r.note
    assert r.distance_km > 5500


@pytest.mark.parametrize("bad", [-1, 26, 1.5, "3", True, None])
def test_bad_waypoints(bad: object) -> None:
    with pytest.raises(
        InvalidParameterError, match=r"waypoints must be an integer from 0 to 25, got"
    ):
        route("Berlin", "Munich", waypoints=bad)  # type: ignore[arg-type]


def test_same_city_is_an_error() -> None:
    with pytest.raises(GeographicalError, match="same city"):
        route("Berlin", "berlin")


def test_too_many_waypoints_for_a_short_route() -> None:
    with pytest.raises(GeographicalError, match=r"only \d+ towns lie along the path"):
        route("Berlin", "Potsdam", waypoints=5, seed=1)


def test_public_name() -> None:
    assert geo.route is route
    assert CORRIDOR_MAX_KM >= 100
