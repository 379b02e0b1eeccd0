"""``climate_normals.parquet`` and ``climate_grid.parquet``: the climate of places.

``climate_normals.parquet`` is ``scripts/sources/climate/climate_normals.csv`` (see its
``CLIMATE.md``): monthly normals of 410 large cities — WMO Climatological Standard
Normals 1991–2020 for 379 of them, the Wikipedia mean temperature only for 31 — with
each city linked to its row of ``cities.parquet`` by name, country and coordinates.
Values are copied unchanged; an empty cell stays null (never zero).

``climate_grid.parquet`` holds, on a 0.5° grid, the land fraction around each cell
within 250 km and 1,000 km and in a 2,000 km band to its west and to its east, from
global-land-mask's 1 km GLOBE mask: the continentality and coast predictors of the
climate model the ``weather`` dataset uses at places without normals
(``tempdata.datasets._climate``).

``city_elevation.parquet`` gives each row of ``cities.parquet`` its height: the GeoNames
``dem`` of the city (pycities' GeoNames snapshot), else of the nearest GeoNames place or
airport — the elevation input of the same climate model.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import polars as pl

from refdata.build import (
    CLIMATE_VALUES,
    REPO_ROOT,
    Artifact,
    BuildContext,
    Source,
    fail,
    package_dir,
)

SOURCE = REPO_ROOT / "scripts" / "sources" / "climate" / "climate_normals.csv"
STATIONS = REPO_ROOT / "scripts" / "sources" / "climate" / "calibration_stations.csv"
GAPS = REPO_ROOT / "scripts" / "sources" / "climate" / "precipitation_gaps.csv"
#: Grid step of climate_grid.parquet (degrees) and the land-fraction scale (0..SCALE).
STEP = 0.5
SCALE = 200
#: Neighbourhood radii (km) and the length of the west/east bands (km, ±2.5° latitude).
RADII = (250.0, 1000.0)
BAND_KM, BAND_HALF_DEG = 2000.0, 2.5
KM_PER_DEG = 111.195

_FLOATS = CLIMATE_VALUES
NULLABLE = ("station", "elevation_m", *_FLOATS)


def _float(text: str) -> float | None:
    return float(text) if text.strip() else None


def _read_rows(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [
            {
                "city": r["city"],
                "country_code": r["country_code"],
                "lat": float(r["city_lat"]),
                "lon": float(r["city_lon"]),
                "month": int(r["month"]),
                "source": "wikipedia" if r["match"] == "wikipedia_list" else "wmo",
                "match": r["match"],
                "station": r["station"] or None,
                "elevation_m": _float(r["elevation_m"]),
                **{k: _float(r[k]) for k in _FLOATS},
            }
            for r in csv.DictReader(fh)
        ]
    return rows


_SCHEMA = {
    "city": pl.String,
    "country_code": pl.String,
    "lat": pl.Float64,
    "lon": pl.Float64,
    "month": pl.Int8,
    "source": pl.String,
    "match": pl.String,
    "station": pl.String,
    "elevation_m": pl.Float64,
    **dict.fromkeys(_FLOATS, pl.Float64),
}


def _fill_precipitation(table: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """The precipitation of cities whose station published none, from GAPS (fails on a
    city that is not in the table or already has precipitation)."""
    with GAPS.open(encoding="utf-8", newline="") as fh:
        gaps = pl.DataFrame(
            [
                {
                    "city": r["city"],
                    "country_code": r["country_code"],
                    "month": int(r["month"]),
                    "gap_mm": float(r["precip_mm"]),
                    "gap_days": _float(r["precip_days"]),
                    "gap_min": _float(r["precip_days_min_mm"]),
                }
                for r in csv.DictReader(fh)
            ],
            schema_overrides={"month": pl.Int8},
        )
    keys = ["city", "country_code", "month"]
    hit = table.join(gaps, on=keys, how="inner")
    if hit.height != gaps.height:
        fail("climate_normals: a precipitation_gaps.csv city is not in climate_normals.csv")
    if hit["precip_mm"].is_not_null().any():
        fail("climate_normals: precipitation_gaps.csv overrides a published precipitation")
    out = (
        table.join(gaps, on=keys, how="left")
        .with_columns(
            precip_mm=pl.coalesce("precip_mm", "gap_mm"),
            precip_days=pl.coalesce("precip_days", "gap_days"),
            precip_days_min_mm=pl.when(pl.col("gap_days").is_not_null())
            .then(pl.col("gap_min"))
            .otherwise(pl.col("precip_days_min_mm")),
        )
        .drop("gap_mm", "gap_days", "gap_min")
    )
    return out, sorted(set(gaps["city"].to_list()))


def build_climate_normals(ctx: BuildContext) -> Artifact:
    cities = ctx.built["cities.parquet"].select("city", "country_code", "lat", "lon")
    rows = _read_rows(SOURCE)
    table = pl.DataFrame(rows, schema=_SCHEMA).sort("country_code", "city", "lat", "month")
    table, filled = _fill_precipitation(table)
    _check_normals(table, cities)
    return Artifact(
        name="climate_normals.parquet",
        frame=table,
        sources=[
            Source(
                "scripts/sources/climate/climate_normals.csv",
                "WMO Unified Data Policy core data (free and unrestricted; cite WMO Member "
                "Nations (2023), WMO Climatological Standard Normals for 1991–2020, NCEI "
                "Accession 0253808, doi:10.25921/800j-vn07); Wikipedia rows CC BY-SA 4.0",
                "monthly normals of large cities",
                pinned="2026-12-07",
            ),
            Source(
                "scripts/sources/climate/precipitation_gaps.csv",
                "Met Office (Crown copyright, facts quoted); WMO World Weather Information "
                "Service (member-service data, attribution); Wikipedia CC BY-SA 4.0",
                "precipitation of cities whose station published none",
                pinned="2026-12-08",
            ),
        ],
        origin=(
            "One row per city of cities.parquet (`city`, `country_code`, `lat`, `lon` as "
            "there) and calendar month: mean daily maximum, minimum and mean temperature (°C), "
            "precipitation (mm), days with precipitation ≥ `precip_days_min_mm` (1 mm, 2.5 mm "
            "for India), relative humidity (%), wind speed (km/h) and sunshine (h). "
            "`source = wmo`: WMO Climatological Standard Normals 1991–2020 of the station "
            "named (`match`: city within 25 km, near within 60 km, name, regional_proxy within "
            "120 km); `source = wikipedia`: the mean temperature of Wikipedia's 'List of "
            "cities by average temperature' only. Copied unchanged from "
            "scripts/sources/climate/climate_normals.csv (method in CLIMATE.md); null means "
            "not published. Checked: 12 months per city, every city in cities.parquet, "
            "tmin ≤ tmean ≤ tmax (0.3 °C tolerance for TAVG), precipitation ≥ 0, "
            "humidity within 0–100 %. Precipitation of "
            + ", ".join(filled)
            + " (their stations published none) from "
            "scripts/sources/climate/precipitation_gaps.csv: Met Office holiday-weather "
            "averages (Johannesburg; Rio de Janeiro, equal to INMET's 1961–1990 normal), the "
            "WMO World Weather Information Service (Nairobi, with rain days ≥ 1 mm) and "
            "Wikipedia's WMO-sourced climate box (Ho Chi Minh City)."
        ),
        attribution=[
            "Climate normals: WMO Member Nations (2023), WMO Climatological Standard Normals "
            "for 1991–2020, NCEI Accession 0253808, https://doi.org/10.25921/800j-vn07 (via "
            "GitHub wmo-im/WMO-climatological-normals-CLINO @59660ef); mean temperatures of "
            "31 cities from Wikipedia, 'List of cities by average temperature' (CC BY-SA 4.0, "
            "Wikipedia contributors)."
        ],
    )


def build_climate_stations(ctx: BuildContext) -> Artifact:
    table = pl.DataFrame(_read_rows(STATIONS), schema=_SCHEMA)
    table = table.sort("country_code", "city", "lat", "month")
    _check_normals(table, None)
    normals = ctx.built["climate_normals.parquet"]
    if table.join(normals, on=["lat", "lon"], how="semi").height:
        fail("climate_stations: a calibration station is also a city of climate_normals")
    return Artifact(
        name="climate_stations.parquet",
        frame=table,
        sources=[
            Source(
                "scripts/sources/climate/calibration_stations.csv",
                "WMO Unified Data Policy core data (free and unrestricted; cite WMO Member "
                "Nations (2023), WMO Climatological Standard Normals for 1991–2020, NCEI "
                "Accession 0253808, doi:10.25921/800j-vn07)",
                "monthly normals of calibration stations",
                pinned="2026-12-08",
            )
        ],
        origin=(
            "The columns of climate_normals.parquet, one row per WMO station and calendar "
            "month, with `city` the station's name and `lat`, `lon`, `elevation_m` its "
            "position and height; `match = calibration`. Stations that are not large "
            "cities but fill the climate model's gaps (high-latitude maritime, extreme "
            "continental, hot desert, high plateau), selected by "
            "scripts/sources/climate/extract_calibration_stations.py; used only to "
            "calibrate the model of tempdata.datasets._climate, never as a place's own "
            "normals. Checked as climate_normals.parquet."
        ),
        attribution=[
            "Calibration stations: WMO Member Nations (2023), WMO Climatological Standard "
            "Normals for 1991–2020, NCEI Accession 0253808, https://doi.org/10.25921/800j-vn07 "
            "(via GitHub wmo-im/WMO-climatological-normals-CLINO @59660ef)."
        ],
    )


def _check_normals(table: pl.DataFrame, cities: pl.DataFrame | None) -> None:
    per_city = table.group_by("country_code", "city", "lat").agg(
        pl.col("month").sort().alias("months")
    )
    bad = per_city.filter(pl.col("months") != list(range(1, 13)))
    if bad.height:
        fail(f"climate_normals: cities without 12 months: {bad['city'].to_list()[:5]}")
    unknown = (
        per_city.join(cities, on=["city", "country_code", "lat"], how="anti")
        if cities is not None
        else per_city.head(0)
    )
    if unknown.height:
        fail(f"climate_normals: cities not in cities.parquet: {unknown['city'].to_list()[:5]}")
    t = table.drop_nulls(["tmax_c", "tmin_c"])
    if t.filter(pl.col("tmin_c") > pl.col("tmax_c")).height:
        fail("climate_normals: tmin > tmax")
    tol = 0.3  # TAVG from hourly readings may sit a little outside (tmax + tmin) bounds
    off = t.drop_nulls("tmean_c").filter(
        (pl.col("tmean_c") < pl.col("tmin_c") - tol) | (pl.col("tmean_c") > pl.col("tmax_c") + tol)
    )
    if off.height:
        fail(f"climate_normals: tmean outside [tmin, tmax]: {off['city'].to_list()[:5]}")
    for column, low, high in (
        ("precip_mm", 0.0, 2_000.0),
        ("precip_days", 0.0, 31.0),
        ("humidity_pct", 0.0, 100.0),
        ("wind_kmh", 0.0, 100.0),
        ("tmean_c", -60.0, 45.0),
    ):
        out = table.drop_nulls(column).filter(~pl.col(column).is_between(low, high))
        if out.height:
            fail(f"climate_normals: {column} outside [{low}, {high}]: {out['city'][0]}")
    empty = table.filter(pl.all_horizontal(pl.col("tmean_c", "tmax_c", "precip_mm").is_null()))
    if empty.height:
        fail(f"climate_normals: rows without any normal: {empty['city'].unique().to_list()[:5]}")


def _land_cells() -> np.ndarray:
    """Land fraction of each 0.5° cell (rows from -90°, columns from -180°)."""
    # The package's mask is True over the ocean (its is_land is ``not mask``).
    ocean = np.load(package_dir("global_land_mask") / "globe_combined_mask_compressed.npz")["mask"]
    k = round(STEP * ocean.shape[0] / 180)
    n_lat, n_lon = ocean.shape[0] // k, ocean.shape[1] // k
    wet = ocean.reshape(n_lat, k, n_lon, k).sum(axis=(1, 3), dtype=np.int32)
    return np.asarray(1.0 - wet[::-1] / (k * k))  # the mask's rows run from +90°


def _window_sums(row: np.ndarray, half: int) -> np.ndarray:
    """Sum over columns c - half .. c + half of a cyclic row, for every c."""
    n = len(row)
    if 2 * half + 1 >= n:
        return np.full(n, row.sum())
    ext = np.concatenate([row[-half:], row, row[: half + 1]]) if half else row
    cum = np.concatenate([[0.0], np.cumsum(ext)])
    w = 2 * half + 1
    return np.asarray(cum[w : w + n] - cum[:n])


def _disc_fraction(land: np.ndarray, lat: np.ndarray, radius: float) -> np.ndarray:
    """Area-weighted land fraction within ``radius`` km of each cell."""
    n_lat, _ = land.shape
    area = np.cos(np.radians(lat))
    num = np.zeros_like(land)
    den = np.zeros_like(land)
    reach = math.ceil(radius / (STEP * KM_PER_DEG))
    for i in range(n_lat):
        for j in range(max(0, i - reach), min(n_lat, i + reach + 1)):
            dy = abs(i - j) * STEP * KM_PER_DEG
            if dy > radius:
                continue
            km_per_cell = max(STEP * KM_PER_DEG * area[j], 1e-6)
            half = int(math.sqrt(radius * radius - dy * dy) / km_per_cell)
            num[i] += area[j] * _window_sums(land[j], half)
            den[i] += area[j] * _window_sums(np.ones(land.shape[1]), half)
    return np.asarray(num / den)


def _band_fraction(land: np.ndarray, lat: np.ndarray, *, west: bool) -> np.ndarray:
    """Land fraction in a band BAND_KM long to the west (or east) of each cell."""
    n_lat, n_lon = land.shape
    rows = round(BAND_HALF_DEG / STEP)
    out = np.zeros_like(land)
    c = np.arange(n_lon)
    for i in range(n_lat):
        band = land[max(0, i - rows) : min(n_lat, i + rows + 1)].mean(axis=0)
        km_per_cell = STEP * KM_PER_DEG * max(math.cos(math.radians(lat[i])), 1e-3)
        cells = min(n_lon - 1, max(1, int(BAND_KM / km_per_cell)))
        cum = np.concatenate([[0.0], np.cumsum(np.concatenate([band, band]))])
        if west:  # columns c - cells .. c - 1
            out[i] = (cum[c + n_lon] - cum[c + n_lon - cells]) / cells
        else:  # columns c + 1 .. c + cells
            out[i] = (cum[c + 1 + cells] - cum[c + 1]) / cells
    return out


def build_climate_grid(ctx: BuildContext) -> Artifact:
    land = _land_cells()
    n_lat, n_lon = land.shape
    lat = -90.0 + STEP * (np.arange(n_lat) + 0.5)
    lon = -180.0 + STEP * (np.arange(n_lon) + 0.5)
    layers = {
        "land_cell": land,
        "land_250km": _disc_fraction(land, lat, RADII[0]),
        "land_1000km": _disc_fraction(land, lat, RADII[1]),
        "land_west": _band_fraction(land, lat, west=True),
        "land_east": _band_fraction(land, lat, west=False),
    }
    frame = pl.DataFrame(
        {
            "lat": np.repeat(lat, n_lon),
            "lon": np.tile(lon, n_lat),
            **{
                k: np.round(np.clip(v, 0.0, 1.0) * SCALE).astype(np.uint8).ravel()
                for k, v in layers.items()
            },
        }
    )
    checks = {
        # (lat, lon) → expected: open ocean, deep continent, a west coast, an east coast
        (-30.25, -140.25): lambda r: r["land_1000km"] == 0,
        (50.25, 90.25): lambda r: r["land_1000km"] > 0.95 * SCALE,
        (53.75, -9.25): lambda r: r["land_west"] < r["land_east"],
        (39.75, 140.25): lambda r: r["land_west"] > r["land_east"],
    }
    for (la, lo), ok in checks.items():
        row = frame.filter((pl.col("lat") == la) & (pl.col("lon") == lo)).row(0, named=True)
        if not ok(row):
            fail(f"climate_grid: implausible land fractions at {la}, {lo}: {row}")
    return Artifact(
        name="climate_grid.parquet",
        frame=frame,
        sources=[
            Source(
                "global-land-mask",
                "public domain (NOAA GLOBE 1 km digital elevation model, sea mask); package MIT",
                "land/sea mask",
            )
        ],
        origin=(
            f"A {STEP}° grid (cell centres `lat`, `lon`, rows from the south pole, columns from "
            f"-180°) of land fractions scaled to 0–{SCALE}: of the cell (`land_cell`), within "
            "250 km and 1,000 km of its centre (area-weighted), and in a band of ±2.5° "
            f"latitude reaching {BAND_KM:,.0f} km to its west (`land_west`) and east "
            "(`land_east`), from global-land-mask's 1 km mask. Predictors (coast, "
            "continentality, upwind sea) of the climate model in tempdata.datasets._climate."
        ),
    )


#: A city GeoNames' pycities snapshot lacks takes the height of the nearest place there
#: or airport of airportsdata within this distance (km); beyond it the build fails.
ELEVATION_NEAREST_KM = 300.0


def _geonames_dem() -> tuple[dict[int, int], np.ndarray, np.ndarray]:
    """GeoNames id → ``dem`` (m) from pycities' GeoNames snapshot (its SQLite file, read
    without importing the package), and the unit vectors and heights (m) of its places
    and of airportsdata's airports."""
    import sqlite3

    path = package_dir("pycities") / "data" / "data.db"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT geonames_id, latitude, longitude, dem FROM city WHERE dem > -9999"
        ).fetchall()
    ids = {int(r[0]): int(r[3]) for r in rows}
    lat, lon, height = ([float(r[k]) for r in rows] for k in (1, 2, 3))
    with (package_dir("airportsdata") / "airports.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["elevation"].strip():
                lat.append(float(r["lat"]))
                lon.append(float(r["lon"]))
                height.append(float(r["elevation"]) * 0.3048)  # feet
    la, lo = np.radians(lat), np.radians(lon)
    xyz = np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], 1)
    return ids, xyz, np.array(height)


def build_city_elevation(ctx: BuildContext) -> Artifact:
    from scipy.spatial import cKDTree

    cities = ctx.built["cities.parquet"].select("city", "country_code", "lat", "lon")
    if len(ctx.city_geonameids) != cities.height:
        fail("city_elevation: cities.parquet and its GeoNames ids differ in length")
    dem, xyz, heights = _geonames_dem()
    own = np.array([dem.get(i, -9999) for i in ctx.city_geonameids], dtype=np.float64)
    la, lo = np.radians(cities["lat"].to_numpy()), np.radians(cities["lon"].to_numpy())
    at = np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], 1)
    chord, nearest = cKDTree(xyz).query(at)
    km = 2 * 6371.0 * np.arcsin(np.clip(chord / 2, 0.0, 1.0))
    missing = own == -9999
    far = missing & (km > ELEVATION_NEAREST_KM)
    if far.any():
        fail(f"city_elevation: {int(far.sum())} cities have no GeoNames DEM height nearby")
    frame = cities.select("city", "country_code").with_columns(
        elevation_m=pl.Series(np.where(missing, heights[nearest], own)).cast(pl.Int16),
        elevation_from=pl.Series(np.where(missing, "nearest", "own")).cast(
            pl.Enum(["own", "nearest"])
        ),
        elevation_km=pl.Series(np.where(missing, km, 0.0).round(1)).cast(pl.Float32),
    )
    checks = {("Las Vegas", "US"): (550, 700), ("La Paz", "BO"): (3500, 4100)}
    checks |= {("Amsterdam", "NL"): (-10, 20), ("Mexico City", "MX"): (2150, 2400)}
    for (city, cc), (low, high) in checks.items():
        row = frame.filter((pl.col("city") == city) & (pl.col("country_code") == cc)).row(0)
        if not low <= row[2] <= high:
            fail(f"city_elevation: {city} ({cc}) at {row[2]} m, expected {low}-{high} m")
    ctx.report["city_elevation"] = {
        "rows": frame.height,
        "own": int((~missing).sum()),
        "nearest": int(missing.sum()),
        "nearest_km_max": round(float(km[missing].max()), 1) if missing.any() else 0.0,
    }
    return Artifact(
        name="city_elevation.parquet",
        frame=frame,
        sources=[
            Source(
                "pycities",
                "CC BY 4.0 (GeoNames data, 2023 snapshot); package MIT",
                "GeoNames `dem` heights of the cities",
            ),
            Source("airportsdata", "MIT", "airport heights where a city has no own height"),
            Source("scipy", "BSD-3-Clause", "nearest-place search"),
        ],
        origin=(
            "One row per row of cities.parquet, in its order (`city`, `country_code` as "
            "there): `elevation_m`, the GeoNames `dem` field of the city (height in m of the "
            "SRTM3 3'' cell, about 90 m, or the GTOPO30 30'' cell where SRTM has none) from "
            "pycities' GeoNames snapshot, joined on the GeoNames id; `elevation_from` = own. "
            "Cities the snapshot lacks (20 %, newer GeoNames ids) take the height of the nearest "
            "place in it (`dem`) or airport of airportsdata (`elevation`, feet × 0.3048), "
            f"within {ELEVATION_NEAREST_KM:.0f} km (`elevation_from` = nearest, "
            "`elevation_km` its distance; median 18 km). "
            "Checked: Las Vegas 550-700 m, La Paz (BO) 3,500-4,100 m, Amsterdam -10-20 m, "
            "Mexico City 2,150-2,400 m. The elevation input (lapse rate) of the climate model "
            "in tempdata.datasets._climate."
        ),
        attribution=["City heights: GeoNames (CC BY 4.0), `dem` field, via pycities 0.2.0."],
    )


BUILDERS = [build_climate_normals, build_climate_stations, build_climate_grid, build_city_elevation]
