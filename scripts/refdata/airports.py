"""``airports.parquet``: real airports with an IATA code, linked to the nearest city.

Sources: airportsdata (``airportsdata/airports.csv`` and ``iata_macs.csv``) for the
airports, and OurAirports (``ourairports/data/airports.csv.gz`` of the ``ourairports``
package) for their size and scheduled service; both read as files, without importing
the packages. Only airports with an IATA code in a country of ``cities.parquet`` are
kept, minus those OurAirports marks ``closed`` (Berlin Tegel, TXL).

Columns: ``iata``, ``icao``, ``name``, ``city`` (the place airportsdata names),
``state`` (its subdivision), ``country_code``, ``lat``, ``lon``, ``timezone``,
``metro`` (the IATA metropolitan-area code the airport belongs to, e.g. ``LON`` for
LHR, or ""), ``nearest_city`` / ``nearest_city_km`` / ``nearest_city_population``
(the nearest city of ``cities.parquet`` in the same country, great-circle distance),
``served_population`` (the largest city population within :data:`SERVED_KM` km, in
the same country; 0 if none), ``airport_type`` (OurAirports' ``large_airport``,
``medium_airport``, ``small_airport``, ``heliport``, ``seaplane_base``, ...; "" when
OurAirports has no match), ``scheduled_service`` (OurAirports' flag; false when
unmatched) and ``weight``.

Weight
------
``weight = size × (1 + log10(1 + served_population))`` (see :func:`importance`), where
``size`` comes from OurAirports' type and scheduled service (:data:`SIZE`):

================================  =====
large airport, scheduled service    300
large airport, none                  10
medium airport, scheduled            10
medium airport, none                  1
small airport / other, scheduled      1
small airport / other, none         0.1
not in OurAirports (unknown)          1
================================  =====

roughly the ratio of their mean passenger traffic: a hub of a city of 10 M (300 × 8 =
2400) outweighs a scheduled regional airport there (80) thirty times and a
general-aviation field (8) three hundred times, so the few hubs of a country take most
of its weight (85 % in Japan) although regional airports are many. The
population term only orders airports of one class (CDG above Lyon, Lyon above
Clermont-Ferrand). Unmatched airports are mostly ones opened after the OurAirports
snapshot (2022); they count as a small scheduled airport.

Join: an airportsdata row is matched to an OurAirports row with the same IATA code
(``iata_code``) or, failing that, the same ICAO code (``ident`` or ``gps_code``), within
:data:`MATCH_KM` km (codes are reused: BTZ is Bursa and Betong). A row matching on
both codes wins, then an open airport over a closed one, then IATA over ICAO, then the
nearest. OurAirports lists airports under construction as ``closed`` with "under
construction" in the name; airportsdata lists them once open (Goa's GOX), so such
rows count as unknown, not closed.
"""

from __future__ import annotations

import csv
import gzip
import math
from collections import defaultdict
from typing import Any

import numpy as np
import polars as pl

from refdata.build import Artifact, BuildContext, Source, fail, frame, package_dir

#: Radius within which an airport serves a city (a metro airport lies 15–50 km out).
SERVED_KM = 60.0
#: An OurAirports row further than this from the airportsdata one is another airport.
MATCH_KM = 60.0
#: Size factor by (OurAirports type, scheduled service); other types count as small.
SIZE: dict[tuple[str, bool], float] = {
    ("large_airport", True): 300.0,
    ("large_airport", False): 10.0,
    ("medium_airport", True): 10.0,
    ("medium_airport", False): 1.0,
    ("small_airport", True): 1.0,
    ("small_airport", False): 0.1,
}
#: Size factor of an airport OurAirports does not list.
UNKNOWN_SIZE = 1.0
_EARTH_KM = 6371.0088


def size_factor(airport_type: str, scheduled: bool) -> float:
    """The ``size`` of :func:`importance` (:data:`SIZE`; unknown type "" → 1)."""
    if not airport_type:
        return UNKNOWN_SIZE
    known = airport_type if airport_type in {"large_airport", "medium_airport"} else "small_airport"
    return SIZE[(known, scheduled)]


def importance(served_population: int, airport_type: str, scheduled: bool) -> float:
    """Sampling weight of an airport: ``size × (1 + log10(1 + served_population))``.

    ``size`` reflects OurAirports' type and scheduled service (:func:`size_factor`);
    the population term (1 with no city within ``SERVED_KM``, about 8 for 10 M) orders
    airports of one size class.
    """
    score = size_factor(airport_type, scheduled) * (1.0 + math.log10(1 + served_population))
    return round(score, 6)


def _read_csv(path: Any) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _read_gz_csv(path: Any) -> list[dict[str, str]]:
    with gzip.open(path, mode="rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dl = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


class _OurAirports:
    """OurAirports rows indexed by IATA and ICAO code, for :meth:`match`."""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        self.by_iata: dict[str, list[dict[str, str]]] = defaultdict(list)
        self.by_icao: dict[str, list[dict[str, str]]] = defaultdict(list)
        for r in sorted(rows, key=lambda r: r["ident"]):
            if r["iata_code"]:
                self.by_iata[r["iata_code"]].append(r)
            for code in sorted({r["ident"], r["gps_code"]} - {""}):
                self.by_icao[code].append(r)

    def match(self, iata: str, icao: str, lat: float, lon: float) -> dict[str, str] | None:
        """The OurAirports row of an airportsdata airport, or None (see module docs)."""
        found: dict[str, tuple[bool, bool, dict[str, str]]] = {}
        for r in self.by_iata.get(iata, []):
            found[r["ident"]] = (True, False, r)
        for r in self.by_icao.get(icao, []) if icao else []:
            by_iata = found.get(r["ident"], (False, False, r))[0]
            found[r["ident"]] = (by_iata, True, r)
        ranked = []
        for ident, (by_iata, by_icao, r) in found.items():
            km = float(_haversine_km(lat, lon, float(r["latitude_deg"]), float(r["longitude_deg"])))
            if km <= MATCH_KM:
                closed = _status(r)[0] == "closed"
                ranked.append((not (by_iata and by_icao), closed, not by_iata, km, ident, r))
        return min(ranked, key=lambda x: x[:5])[5] if ranked else None


def _status(row: dict[str, str] | None) -> tuple[str, bool]:
    """(airport_type, scheduled_service) of an OurAirports row; ("", False) if unknown."""
    if row is None:
        return "", False
    if row["type"] == "closed" and "under construction" in row["name"].lower():
        return "", False  # opened since the snapshot (airportsdata lists it)
    return row["type"], row["scheduled_service"] == "yes"


def build_airports(ctx: BuildContext) -> Artifact:
    data = package_dir("airportsdata")
    airports = [r for r in _read_csv(data / "airports.csv") if r["iata"]]
    metros = {r["Airport Code"]: r["City Code"] for r in _read_csv(data / "iata_macs.csv")}
    ourairports = _OurAirports(_read_gz_csv(package_dir("ourairports") / "data/airports.csv.gz"))
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
    closed: list[str] = []
    for a in airports:
        lat, lon = float(a["lat"]), float(a["lon"])
        kind, scheduled = _status(ourairports.match(a["iata"], a["icao"], lat, lon))
        if kind == "closed":
            closed.append(a["iata"])
            continue
        idx = by_country[a["country"]]
        dist = _haversine_km(lat, lon, city_lat[idx], city_lon[idx])
        near = int(np.argmin(dist))
        within = dist <= SERVED_KM
        served = int(city_pop[idx][within].max()) if within.any() else 0
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
                metros.get(a["iata"], ""),
                str(city_names[idx][near]),
                round(float(dist[near]), 3),
                int(city_pop[idx][near]),
                served,
                kind,
                scheduled,
                importance(served, kind, scheduled),
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
            "airport_type": pl.String,
            "scheduled_service": pl.Boolean,
            "weight": pl.Float64,
        },
    )
    ctx.report["airports"] = {
        "rows": df.height,
        "in_metro": int((df["metro"] != "").sum()),
        "serving_no_city": int((df["served_population"] == 0).sum()),
        "closed_dropped": len(closed),
        "not_in_ourairports": int((df["airport_type"] == "").sum()),
        "types": dict(sorted(df["airport_type"].value_counts().iter_rows())),
    }
    size_rows = ", ".join(
        f"{kind.removesuffix('_airport')}{' scheduled' if sched else ''} {size:g}"
        for (kind, sched), size in SIZE.items()
    )
    return Artifact(
        name="airports.parquet",
        frame=df,
        sources=[
            Source("airportsdata", "MIT", "IATA airports: codes, names, coordinates, tz"),
            Source(
                "ourairports",
                "data: public domain (OurAirports); package: MIT",
                "airport type (size), scheduled service, closed airports",
            ),
        ],
        origin=(
            "airportsdata's `airports.csv` (rows with an IATA code, in countries of "
            "cities.parquet), sorted by IATA code; `metro` from its `iata_macs.csv` (IATA "
            "metropolitan-area codes). `airport_type` and `scheduled_service` from "
            "OurAirports' `airports.csv` (as shipped in the ourairports package), joined on "
            f"the IATA code, else the ICAO code, within {MATCH_KM:.0f} km (a row matching "
            "both codes first, then an open airport, then IATA over ICAO, then the nearest); "
            "airports OurAirports marks `closed` are dropped, except rows it lists as "
            "'under construction' (opened since; type left empty). Each airport is linked to "
            "its nearest city of cities.parquet in the same country (`nearest_city`, "
            "`nearest_city_km`, `nearest_city_population`); `served_population` is the "
            f"largest city population within {SERVED_KM:.0f} km in the same country (0 if "
            "none). `weight` = size × (1 + log10(1 + served_population)), size by type and "
            f"scheduled service: {size_rows}; other types (heliport, seaplane base) as small; "
            f"{UNKNOWN_SIZE:g} when OurAirports has no match."
        ),
        attribution=[
            "airportsdata, MIT License, Copyright (c) 2020- Mike Borsetti; includes data from "
            "github.com/mwgg/Airports, Copyright (c) 2014 mwgg.",
            "Airport types and scheduled service from OurAirports (ourairports.com/data), "
            "public domain, via the ourairports package (MIT, Copyright (c) 2020 Matthew Gall).",
        ],
        notes=[
            "`weight` ranks airports for sampling (an airport POI near a city); it is not "
            "passenger traffic.",
            "OurAirports data is a 2022 snapshot: airports opened since have an empty "
            "`airport_type`.",
        ],
    )


BUILDERS = [build_airports]
