"""``airports.parquet``: real airports with an IATA code, linked to the nearest city.

Source: airportsdata (``airportsdata/airports.csv`` and ``iata_macs.csv``, read as files,
without importing the package). Only airports with an IATA code in a country of
``cities.parquet`` are kept.

Columns: ``iata``, ``icao``, ``name``, ``city`` (the place airportsdata names),
``state`` (its subdivision), ``country_code``, ``lat``, ``lon``, ``timezone``,
``metro`` (the IATA metropolitan-area code the airport belongs to, e.g. ``LON`` for
LHR, or ""), ``nearest_city`` / ``nearest_city_km`` / ``nearest_city_population``
(the nearest city of ``cities.parquet`` in the same country, great-circle distance),
``served_population`` (the largest city population within :data:`SERVED_KM` km, in
the same country; 0 if none) and ``weight`` (a size/importance score, see
:func:`importance`).
"""

from __future__ import annotations

import csv
import math
from typing import Any

import numpy as np
import polars as pl

from refdata.build import Artifact, BuildContext, Source, fail, frame, package_dir

#: Radius within which an airport serves a city (a metro airport lies 15–50 km out).
SERVED_KM = 60.0
_EARTH_KM = 6371.0088


def importance(served_population: int, icao: str, metro: str) -> float:
    """Size/importance score of an airport (airportsdata has no size or traffic field).

    ``log10(1 + served_population)`` (about 7 for a city of 10 M, 0 with no city within
    ``SERVED_KM``) times 3 for airports listed under an IATA metropolitan-area code (the
    main airports of big metros: LHR, JFK, CDG, ...), times 0.3 when the ICAO code
    holds a digit (local fields: US FAA ids such as ``07FA``), plus 0.1 so every airport
    can be picked.
    """
    score = math.log10(1 + served_population)
    if metro:
        score *= 3.0
    if any(ch.isdigit() for ch in icao):
        score *= 0.3
    return round(score + 0.1, 6)


def _read_csv(path: Any) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dl = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def build_airports(ctx: BuildContext) -> Artifact:
    data = package_dir("airportsdata")
    airports = [r for r in _read_csv(data / "airports.csv") if r["iata"]]
    metros = {r["Airport Code"]: r["City Code"] for r in _read_csv(data / "iata_macs.csv")}
    cities = ctx.built.get("cities.parquet")
    if cities is None:
        fail("airports.parquet needs cities.parquet: build_cities must run first")
    known = set(cities["country_code"].unique().to_list())
    airports = sorted((a for a in airports if a["country"] in known), key=lambda a: a["iata"])
    if len({a["iata"] for a in airports}) != len(airports):
        fail("airports.parquet: IATA codes are not unique")

    city_names = cities["city"].to_numpy()
    city_pop = cities["population"].to_numpy()
    city_lat = cities["lat"].to_numpy()
    city_lon = cities["lon"].to_numpy()
    by_country: dict[str, np.ndarray] = {
        cc: np.flatnonzero(cities["country_code"].to_numpy() == cc) for cc in sorted(known)
    }

    rows: list[tuple[Any, ...]] = []
    for a in airports:
        lat, lon = float(a["lat"]), float(a["lon"])
        idx = by_country[a["country"]]
        dist = _haversine_km(lat, lon, city_lat[idx], city_lon[idx])
        near = int(np.argmin(dist))
        within = dist <= SERVED_KM
        served = int(city_pop[idx][within].max()) if within.any() else 0
        metro = metros.get(a["iata"], "")
        rows.append(
            (
                a["iata"],
                a["icao"],
                a["name"],
                a["city"],
                a["subd"],
                a["country"],
                lat,
                lon,
                a["tz"],
                metro,
                str(city_names[idx][near]),
                round(float(dist[near]), 3),
                int(city_pop[idx][near]),
                served,
                importance(served, a["icao"], metro),
            )
        )
    df = frame(
        rows,
        {
            "iata": pl.String,
            "icao": pl.String,
            "name": pl.String,
            "city": pl.String,
            "state": pl.String,
            "country_code": pl.String,
            "lat": pl.Float64,
            "lon": pl.Float64,
            "timezone": pl.String,
            "metro": pl.String,
            "nearest_city": pl.String,
            "nearest_city_km": pl.Float64,
            "nearest_city_population": pl.Int64,
            "served_population": pl.Int64,
            "weight": pl.Float64,
        },
    )
    ctx.report["airports"] = {
        "rows": df.height,
        "in_metro": int((df["metro"] != "").sum()),
        "serving_no_city": int((df["served_population"] == 0).sum()),
    }
    return Artifact(
        name="airports.parquet",
        frame=df,
        sources=[Source("airportsdata", "MIT", "IATA airports: codes, names, coordinates, tz")],
        origin=(
            "airportsdata's `airports.csv` (rows with an IATA code, in countries of "
            "cities.parquet), sorted by IATA code; `metro` from its `iata_macs.csv` (IATA "
            "metropolitan-area codes). Each airport is linked to its nearest city of "
            "cities.parquet in the same country (`nearest_city`, `nearest_city_km`, "
            "`nearest_city_population`); `served_population` is the largest city population "
            f"within {SERVED_KM:.0f} km in the same country (0 if none). airportsdata has no "
            "size or traffic figure, so `weight` is a heuristic importance score: "
            "log10(1 + served_population), times 3 for airports under a metropolitan-area "
            "code, times 0.3 when the ICAO code holds a digit (local fields), plus 0.1."
        ),
        attribution=[
            "airportsdata, MIT License, Copyright (c) 2020- Mike Borsetti; includes data from "
            "github.com/mwgg/Airports, Copyright (c) 2014 mwgg."
        ],
        notes=[
            "`weight` ranks airports for sampling (an airport POI near a city); it is not "
            "passenger traffic."
        ],
    )


BUILDERS = [build_airports]
