"""geo.pois: categories, names, coordinates near their city, real airports."""

from __future__ import annotations

import json

import polars as pl
import pytest

from tempdata.errors import GeographicalError, InvalidParameterError
from tempdata.geo.cities import city_table, resolve_city
from tempdata.geo.poi import (
    AIRPORT_KM,
    POI_CATEGORIES,
    POI_COLUMNS,
    pois,
    pois_frame,
    scatter_radius_km,
)
from tempdata.geo.reference import load
from tempdata.geo.spherical import haversine_km


def test_columns_and_reproducibility() -> None:
    a = pois_frame("Berlin", 50, seed=3)
    assert tuple(a.columns) == POI_COLUMNS
    assert a.height == 50
    assert a.equals(pois_frame("Berlin", 50, seed=3))
    assert not a.equals(pois_frame("Berlin", 50, seed=4))
    assert pois_frame("Berlin", 20, seed=3).equals(a.head(20))  # prefix-stable
    assert a.drop("iata").null_count().row(0) == (0,) * (a.width - 1)


@pytest.mark.parametrize("category", [c for c in POI_CATEGORIES if c != "airport"])
def test_category_is_respected_and_points_lie_within_the_radius(category: str) -> None:
    frame = pois_frame("Berlin", 300, category=category, seed=1)
    assert set(frame["category"]) == {category}
    assert frame["iata"].null_count() == frame.height
    t = city_table()
    row = resolve_city("Berlin")
    dist = haversine_km(t.lat[row], t.lon[row], frame["lat"].to_numpy(), frame["lon"].to_numpy())
    assert dist.max() <= float(scatter_radius_km(t.population[row])) + 0.01
    assert set(frame["city"]) == {"Berlin"}
    assert frame["name"].str.contains(r"\{").sum() == 0  # every placeholder filled
    assert frame["name"].n_unique() > 10


def test_country_place_picks_cities_by_population() -> None:
    frame = pois_frame("germany", 3000, category="restaurant", seed=2)
    assert set(frame["country_code"]) == {"DE"}
    top = frame["city"].value_counts(sort=True)["city"][0]
    assert top == "Berlin"
    cities = load("cities").filter(pl.col("country_code") == "DE")
    joined = frame.join(
        cities.select(
            "city", pl.col("lat").alias("clat"), pl.col("lon").alias("clon"), "population"
        ),
        on="city",
    )
    dist = haversine_km(
        joined["clat"].to_numpy(),
        joined["clon"].to_numpy(),
        joined["lat"].to_numpy(),
        joined["lon"].to_numpy(),
    )
    # a namesake may pair with another city of that name: most rows are near their city
    near = dist <= scatter_radius_km(joined["population"].to_numpy()) + 0.01
    assert near.mean() > 0.95


def test_airports_are_real_and_near_the_city() -> None:
    frame = pois_frame("Paris, FR", 6, category="airport", seed=5)
    airports = load("airports")
    assert set(frame["iata"]) <= set(airports["iata"])
    assert "CDG" in set(frame["iata"])
    merged = frame.join(airports.select("iata", "name", "lat", "lon"), on="iata", suffix="_ref")
    assert merged.height == frame.height
    assert (merged["name"] == merged["name_ref"]).all()
    assert (merged["lat"] == merged["lat_ref"]).all()
    t = city_table()
    row = resolve_city("Paris, FR")
    dist = haversine_km(t.lat[row], t.lon[row], frame["lat"].to_numpy(), frame["lon"].to_numpy())
    assert dist.max() <= AIRPORT_KM


def test_airports_of_a_country() -> None:
    frame = pois_frame("japan", 30, category="airport", seed=1)
    airports = load("airports").filter(pl.col("country_code") == "JP")
    assert set(frame["iata"]) <= set(airports["iata"])


def test_city_airports_are_distinct_and_the_big_ones_first() -> None:
    paris = pois_frame("Paris, FR", 2, category="airport", seed=1)["iata"].to_list()
    assert sorted(paris) == ["CDG", "ORY"]
    london = pois_frame("London", 5, category="airport", seed=3)["iata"]
    assert london.is_unique().all()
    assert set(london) <= {"LHR", "LGW", "STN", "LTN", "LCY"}
    # in expectation, not by luck of one seed: CDG and ORY lead for most seeds
    firsts = [
        set(pois_frame("Paris, FR", 2, category="airport", seed=s)["iata"]) for s in range(20)
    ]
    assert sum(f == {"CDG", "ORY"} for f in firsts) >= 16


def test_country_airports_are_distinct_and_more_is_an_error() -> None:
    airports = load("airports").filter(pl.col("country_code") == "JP")
    n = airports.height
    frame = pois_frame("japan", n, category="airport", seed=7)
    assert frame["iata"].is_unique().all()
    assert set(frame["iata"]) == set(airports["iata"])
    assert frame.head(20).equals(pois_frame("japan", 20, category="airport", seed=7))
    big = set(airports.filter(pl.col("airport_type") == "large_airport")["iata"])
    assert len(set(frame["iata"].head(5)) & big) >= 3
    with pytest.raises(GeographicalError, match=f"only {n} are in JP.*ask for at most {n}"):
        pois_frame("japan", n + 1, category="airport", seed=7)
    with pytest.raises(GeographicalError, match="only 1 lie within 80 km of Berlin"):
        pois_frame("Berlin", 2, category="airport", seed=7)


def test_airport_order_is_reproducible() -> None:
    a = pois_frame("London", 8, category="airport", seed=11)
    assert a.equals(pois_frame("London", 8, category="airport", seed=11))
    assert not a.equals(pois_frame("London", 8, category="airport", seed=12))


def test_mixed_categories() -> None:
    frame = pois_frame("global", 5000, seed=9)
    counts = dict(frame["category"].value_counts().iter_rows())
    assert set(counts) == set(POI_CATEGORIES)
    assert max(counts, key=counts.get) == "restaurant"  # type: ignore[arg-type]
    air = frame.filter(pl.col("category") == "airport")
    assert air["iata"].null_count() == 0
    assert (
        frame.filter(pl.col("category") != "airport")["iata"].null_count()
        == frame.height - air.height
    )


def test_dict_variant() -> None:
    rows = pois("Springfield, IL", 5, category="hospital", seed=1)
    assert len(rows) == 5
    assert set(rows[0]) == set(POI_COLUMNS) - {"iata"}
    assert rows[0]["state_province"] == "Illinois"
    air = pois("Paris, France", 2, category="airport", seed=1)
    assert all(len(r["iata"]) == 3 for r in air)


def test_geojson_points() -> None:
    from tempdata.geo.geojson import points_geojson

    frame = pois_frame("Berlin", 5, seed=1)
    doc = json.loads(points_geojson(frame))
    assert doc["type"] == "FeatureCollection"
    assert len(doc["features"]) == 5
    first = doc["features"][0]
    assert first["geometry"]["type"] == "Point"
    assert first["geometry"]["coordinates"] == [frame["lon"][0], frame["lat"][0]]
    assert first["properties"]["name"] == frame["name"][0]


def test_large_counts_are_fast_enough() -> None:
    import time

    started = time.perf_counter()
    frame = pois_frame("united_states", 100_000, seed=1)
    assert frame.height == 100_000
    assert time.perf_counter() - started < 5


def test_unknown_category_lists_the_valid_ones() -> None:
    with pytest.raises(InvalidParameterError) as info:
        pois("Berlin", 3, category="zoo")
    msg = str(info.value)
    assert msg.startswith("unknown POI category 'zoo'")
    for cat in POI_CATEGORIES:
        assert cat in msg


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True])
def test_bad_count(bad: object) -> None:
    with pytest.raises(InvalidParameterError, match="count must be a non-negative integer"):
        pois("Berlin", bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("place", "pattern"), [("Narnia", "unknown city 'Narnia'"), ("Valencia", "ambiguous")]
)
def test_bad_places(place: str, pattern: str) -> None:
    with pytest.raises(GeographicalError, match=pattern):
        pois(place, 3)


def test_no_airport_near_a_remote_city() -> None:
    # Grytviken (South Georgia) is 1,400 km from the nearest airport with an IATA code
    with pytest.raises(GeographicalError, match="no airport lies within"):
        pois("Grytviken", 2, category="airport", seed=1)
    assert {p["category"] for p in pois("Grytviken", 50, seed=1)} <= set(POI_CATEGORIES) - {
        "airport"
    }


def test_airports_table_schema() -> None:
    airports = load("airports")
    assert {
        "iata", "icao", "name", "city", "state", "country_code", "lat", "lon", "timezone",
        "metro", "nearest_city", "nearest_city_km", "served_population", "airport_type",
        "scheduled_service", "weight",
    } <= set(airports.columns)  # fmt: skip
    assert airports["iata"].is_unique().all()
    assert airports["iata"].str.contains(r"^[A-Z0-9]{3}$").all()
    assert set(airports["country_code"]) <= set(load("countries")["iso2"])
    assert (airports["weight"] > 0).all()
    big = airports.sort("weight", descending=True).head(50)["iata"].to_list()
    assert {"PVG", "PEK", "IST"} <= set(big)
    assert "closed" not in set(airports["airport_type"])
    assert "TXL" not in set(airports["iata"])  # Berlin Tegel, closed in 2020
    assert set(airports["airport_type"]) <= {
        "", "large_airport", "medium_airport", "small_airport", "heliport", "seaplane_base",
        "balloonport",
    }  # fmt: skip
    weight = dict(zip(airports["iata"], airports["weight"], strict=True))
    assert weight["CDG"] > 10 * weight["BVA"]  # large, scheduled ≫ medium, scheduled
    assert weight["BVA"] > 5 * weight["TNF"]  # ≫ medium without service (Toussus)
