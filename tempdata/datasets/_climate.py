"""The climate of a place: published monthly normals where a city has them, a model
calibrated against them elsewhere — shared by ``weather`` and ``iot_sensors``.

Normals (``climate_normals.parquet``: WMO Climatological Standard Normals 1991–2020 for
379 large cities, Wikipedia mean temperatures for 31 more) give, per calendar month,
the mean temperature, the diurnal range (mean daily maximum minus minimum), the
precipitation total, the days with precipitation, the relative humidity and the wind
speed. A place within :data:`MATCH_KM` of a city of the table takes that city's
normals; every quantity the city lacks, and every place away from the table, takes
the model:

* **Regression**: per quantity and month of the *local* year (southern places shifted
  by six months), a ridge regression on the absolute latitude (cubic), the land
  fraction within 250 km and 1,000 km and to the west and east
  (``climate_grid.parquet``, from a 1 km land mask) and their products with latitude;
  the diurnal range, precipitation days and humidity also on log precipitation.
* **Residuals**: the regression's errors at the calibration cities, spread to nearby
  places with Gaussian weights of :data:`RESIDUAL_KM` and shrunk towards zero where few
  cities are near (regression kriging in its simplest form).

The calibration set is the table's cities plus 353 WMO stations that are not large
cities (``climate_stations.parquet``: high-latitude maritime, extreme continental, hot
desert and high-plateau climates the cities miss); the stations calibrate the model
only, a place near one does not take its normals. The cities and stations whose
``blake2b(country/name)`` first byte is below 256 / :data:`HELD_OUT` are held out:
never used to calibrate, so :func:`held_out_errors` measures the model on places it
has not seen (the figures are in the README and pinned in a test).

**Elevation** enters the temperature through the standard lapse rate :data:`LAPSE_RATE`
(6.5 °C per km, the ICAO Standard Atmosphere's troposphere, ISO 2533:1975): the model
is fitted to the calibration places' temperatures reduced to sea level (``T + Γ z``,
``z`` the station's published height, else its city's GeoNames DEM height) and a place's
model temperature is the sea-level value minus ``Γ z`` at its own height
(``city_elevation.parquet``: GeoNames ``dem``).

:func:`monthly` turns 12 monthly values into a curve without steps: linear from each
month boundary to the month's middle and on to the next boundary, the middle set so
the month's mean is the normal exactly (boundaries are the mean of the two months,
capped for positive quantities at 1.5 times the smaller, so the curve stays positive).
"""

from __future__ import annotations

import hashlib
from functools import cache
from typing import NamedTuple

import numpy as np
import polars as pl

from tempdata.samplers.base import Array

__all__ = [
    "HELD_OUT",
    "LAPSE_RATE",
    "MATCH_KM",
    "RESIDUAL_KM",
    "Climate",
    "city_elevation",
    "climate_at",
    "held_out_errors",
    "month_position",
    "monthly",
]

#: A place within this distance (km) of a city of the normals table takes its normals.
MATCH_KM = 10.0
#: One city in HELD_OUT is held out of the model's calibration.
HELD_OUT = 5
#: Reach (km) of the calibration cities' residuals, and the weight that shrinks them.
RESIDUAL_KM = 250.0
SHRINK = 0.1
#: Ridge penalty (relative to the number of cities) of the regressions.
RIDGE = 1e-3
#: Temperature lapse rate (°C per m): ICAO Standard Atmosphere (ISO 2533:1975), 6.5 K/km.
LAPSE_RATE = 0.0065
#: Offset (mm) of log precipitation, so dry months have a finite logarithm.
LOG_OFFSET = 5.0
_EARTH_KM = 6371.0
_DAYS = np.array([31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
_GRID_STEP, _GRID_SCALE = 0.5, 200.0
_QUANTITIES = ("tmean", "precip", "dtr", "pdays", "rh", "wind")  # precip before its users


class Climate(NamedTuple):
    """Monthly climate of ``n`` places: ``(n, 12)`` arrays, January first."""

    tmean: Array  # mean temperature, °C
    dtr: Array  # mean daily maximum minus minimum, °C
    precip: Array  # precipitation, mm per month
    pdays: Array  # days with precipitation ≥ pdays_min
    pdays_min: Array  # (n,) threshold of pdays, mm
    rh: Array  # relative humidity, %
    wind: Array  # mean wind speed, km/h
    normals: Array  # (n,) True where the place took a city's normals


# ------------------------------------------------------------------------ inputs


class _Table(NamedTuple):
    country: Array
    lat: Array
    lon: Array
    held_out: Array  # (m,) bool
    city: Array  # (m,) bool: a city of climate_normals (else a calibration station)
    elev: Array  # (m,) station height, m (its city's DEM height where not published)
    values: dict[str, Array]  # quantity → (m, 12), NaN where not published
    pdays_min: Array


def _held_out(country: str, city: str) -> bool:
    digest = hashlib.blake2b(f"{country}/{city}".encode(), digest_size=8).digest()
    return digest[0] < 256 // HELD_OUT


@cache
def _table() -> _Table:
    from tempdata.geo.reference import load

    cities = load("climate_normals").sort("country_code", "city", "lat", "month")
    stations = load("climate_stations").sort("country_code", "city", "lat", "month")
    df = pl.concat([cities, stations])
    wide = {c: df[c].to_numpy().astype(np.float64).reshape(-1, 12) for c in df.columns[9:]}
    first = df.filter(pl.col("month") == 1)
    tmean = np.where(
        np.isnan(wide["tmean_c"]), (wide["tmax_c"] + wide["tmin_c"]) / 2, wide["tmean_c"]
    )
    values = {
        "tmean": tmean,
        "dtr": wide["tmax_c"] - wide["tmin_c"],
        "precip": wide["precip_mm"],
        "pdays": wide["precip_days"],
        "rh": wide["humidity_pct"],
        "wind": wide["wind_kmh"],
    }
    held = np.array(
        [
            _held_out(c, n)
            for c, n in zip(first["country_code"].to_list(), first["city"].to_list(), strict=True)
        ]
    )
    pmin = np.nan_to_num(wide["precip_days_min_mm"][:, 0], nan=1.0)
    elev = first["elevation_m"].to_numpy().astype(np.float64)
    if np.isnan(elev).any():  # a city's own height where its station's is not published
        heights = load("cities", ("country_code", "city", "lat", "lon")).with_columns(
            load("city_elevation", ("elevation_m",))["elevation_m"].cast(pl.Float64)
        )
        dem = first.select("country_code", "city", "lat", "lon").join(
            heights, on=["country_code", "city", "lat", "lon"], how="left", maintain_order="left"
        )["elevation_m"]
        elev = np.where(np.isnan(elev), dem.fill_null(0.0).to_numpy(), elev)
    return _Table(
        first["country_code"].to_numpy(),
        first["lat"].to_numpy().astype(np.float64),
        first["lon"].to_numpy().astype(np.float64),
        held,
        np.arange(first.height) < cities.height // 12,
        elev,
        values,
        pmin,
    )


@cache
def _grid() -> Array:
    """Land fractions (4, rows, columns): within 250 km, 1,000 km, west band, east band."""
    from tempdata.geo.reference import load

    cols = ("land_250km", "land_1000km", "land_west", "land_east")
    g = load("climate_grid", columns=cols)
    rows, columns = round(180 / _GRID_STEP), round(360 / _GRID_STEP)
    return np.stack([g[c].to_numpy().reshape(rows, columns) / _GRID_SCALE for c in cols])


def _predictors(lat: Array, lon: Array) -> Array:
    """The regression's predictors of each place: (n, 11)."""
    g = _grid()
    i = np.clip(((lat + 90.0) / _GRID_STEP).astype(np.int64), 0, g.shape[1] - 1)
    j = np.clip(((lon + 180.0) / _GRID_STEP).astype(np.int64), 0, g.shape[2] - 1)
    near, wide, west, east = g[:, i, j]
    a = np.abs(lat) / 90.0
    one = np.ones_like(a)
    return np.stack([one, a, a * a, a**3, near, wide, west, east, a * wide, a * west, a * east], 1)


def _local(values: Array, lat: Array) -> Array:
    """Monthly values in the local year: southern places shifted by six months."""
    return np.where((lat < 0)[:, None], np.roll(values, -6, axis=1), values)


def _distance_km(lat1: Array, lon1: Array, lat2: Array, lon2: Array) -> Array:
    """Great-circle distances between two sets of places: (len1, len2)."""
    p1, p2 = np.radians(lat1)[:, None], np.radians(lat2)[None, :]
    dl = np.radians(lon2)[None, :] - np.radians(lon1)[:, None]
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * _EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))))


# ------------------------------------------------------------------------- model


@cache
def _city_heights() -> Array:
    from tempdata.geo.reference import load

    return load("city_elevation", ("elevation_m",))["elevation_m"].to_numpy().astype(np.float64)


def city_elevation(rows: Array) -> Array:
    """Heights (m) of rows of ``cities.parquet`` (GeoNames DEM, city_elevation.parquet).

    >>> from tempdata.geo.reference import load
    >>> row = load("cities", ("city",))["city"].to_list().index("Las Vegas")
    >>> city_elevation(np.array([row])).tolist()
    [613.0]
    """
    return np.asarray(_city_heights()[np.asarray(rows, dtype=np.int64)])


def _target(quantity: str, values: Array) -> Array:
    return np.log(values + LOG_OFFSET) if quantity == "precip" else values


def _untarget(quantity: str, values: Array) -> Array:
    if quantity == "precip":
        return np.maximum(np.exp(values) - LOG_OFFSET, 0.0)
    if quantity in ("dtr", "wind", "pdays"):
        return np.maximum(values, 0.5 if quantity == "dtr" else 0.0)
    if quantity == "rh":
        return np.clip(values, 5.0, 98.0)
    return values


class _Fit(NamedTuple):
    coef: Array  # (12, k) per local month
    lat: Array  # calibration cities
    lon: Array
    residual: Array  # (m, 12) in the local year


def _design(quantity: str, lat: Array, lon: Array, log_precip: Array | None) -> Array:
    x = _predictors(lat, lon)
    if quantity == "wind":  # 30 cities: a median and nearby cities, no regression
        return x[:, :1]
    if quantity in ("dtr", "pdays", "rh") and log_precip is not None:
        return np.concatenate([x[:, None, :].repeat(12, 1), log_precip[:, :, None]], axis=2)
    return x


def _solve(x: Array, y: Array) -> Array:
    k = x.shape[-1]
    return np.linalg.solve(x.T @ x + RIDGE * len(y) * np.eye(k), x.T @ y)


@cache
def _fit(quantity: str) -> _Fit:
    t = _table()
    observed = t.values[quantity]
    use = ~t.held_out & ~np.isnan(observed).any(axis=1)
    lat, lon = t.lat[use], t.lon[use]
    y = _target(quantity, _local(observed[use], lat))
    if quantity == "tmean":  # reduced to sea level
        y = y + LAPSE_RATE * t.elev[use][:, None]
    log_p = _log_precip_of_table()[use] if quantity in ("dtr", "pdays", "rh") else None
    x = _design(quantity, lat, lon, log_p)
    if quantity == "wind":  # the median of the countries' medians (17 of 30 are Indian)
        countries = t.country[use]
        coef = np.median(
            [np.median(y[countries == c], axis=0) for c in sorted(set(countries))], axis=0
        )[:, None]
        fitted = np.broadcast_to(coef[:, 0], y.shape)
    elif x.ndim == 3:
        coef = np.stack([_solve(x[:, m], y[:, m]) for m in range(12)])
        fitted = np.einsum("nmk,mk->nm", x, coef)
    else:
        coef = _solve(x, y).T
        fitted = x @ coef.T
    return _Fit(coef, lat, lon, y - fitted)


@cache
def _log_precip_of_table() -> Array:
    """Log precipitation of every table city in the local year (published or modelled)."""
    t = _table()
    p = t.values["precip"]
    missing = np.isnan(p).any(axis=1)
    out = p.copy()
    if missing.any():
        out[missing] = _model("precip", t.lat[missing], t.lon[missing], None)
    return _target("precip", _local(out, t.lat))


def _model(
    quantity: str, lat: Array, lon: Array, log_precip: Array | None, elev: Array | None = None
) -> Array:
    """The model's monthly values (calendar months) at places: (n, 12); temperature at
    the heights ``elev`` (m)."""
    fit = _fit(quantity)
    x = _design(quantity, lat, lon, log_precip)
    # einsum, not BLAS (a threaded BLAS spins on a busy machine)
    pred = (
        np.einsum("nmk,mk->nm", x, fit.coef) if x.ndim == 3 else np.einsum("nk,mk->nm", x, fit.coef)
    )
    w = np.exp(-((_distance_km(lat, lon, fit.lat, fit.lon) / RESIDUAL_KM) ** 2))
    pred = pred + np.einsum("nc,cm->nm", w, fit.residual) / (w.sum(axis=1) + SHRINK)[:, None]
    if quantity == "tmean" and elev is not None:
        pred = pred - LAPSE_RATE * elev[:, None]
    return _untarget(quantity, _local(pred, lat))  # the shift by six is its own inverse


# -------------------------------------------------------------------- interface


def climate_at(lat: Array, lon: Array, elevation: Array, *, held_out: bool = True) -> Climate:
    """The monthly climate at places at heights ``elevation`` (m): a city's normals
    within MATCH_KM, else the model.

    ``held_out=False`` ignores the table (the model everywhere), as
    :func:`held_out_errors` does.

    >>> c = climate_at(np.array([55.75222]), np.array([37.61556]), np.array([144.0]))
    >>> bool(c.normals[0]), c.tmean[0, [0, 6]].round(1).tolist()  # Moscow
    (True, [-6.2, 19.7])
    """
    lat = np.asarray(lat, dtype=np.float64)
    lon = np.asarray(lon, dtype=np.float64)
    elevation = np.asarray(elevation, dtype=np.float64)
    t = _table()
    rows = np.flatnonzero(t.city)  # calibration stations are never a place's own normals
    d = _distance_km(lat, lon, t.lat[rows], t.lon[rows])
    near = d.argmin(axis=1)
    has = (d[np.arange(len(lat)), near] <= MATCH_KM) & held_out
    nearest = rows[near]
    out: dict[str, Array] = {}
    log_p: Array | None = None
    for q in _QUANTITIES:
        own = np.where(has[:, None], t.values[q][nearest], np.nan)
        need = np.isnan(own).any(axis=1)
        if need.any():
            lp = None if log_p is None else log_p[need]
            own[need] = _model(q, lat[need], lon[need], lp, elevation[need])
        out[q] = own
        if q == "precip":
            log_p = _target("precip", _local(own, lat))
    pmin = np.where(has, t.pdays_min[nearest], 1.0)
    pdays = np.clip(out["pdays"], 0.0, _DAYS * 0.95)
    # A month's wet days cannot be fewer than its rain needs at 25 mm a day.
    pdays = np.maximum(pdays, np.minimum(out["precip"] / 25.0, _DAYS * 0.95))
    return Climate(
        out["tmean"], out["dtr"], out["precip"], pdays, pmin, out["rh"], out["wind"], has
    )


def held_out_errors() -> dict[str, float]:
    """The model's RMSE at the held-out cities (never used to calibrate it).

    ``tmean`` (°C, over city-months), ``dtr`` (°C), ``rh`` (%), ``precip_log`` (RMSE of
    log monthly precipitation), ``precip_annual_pct`` (RMSE of the annual total, % of
    the published), and ``cities`` (held-out cities with temperature); at the held-out
    calibration stations ``tmean_stations`` (°C) and ``stations`` (their number).
    """
    t = _table()
    held = t.held_out & t.city
    model = climate_at(t.lat[held], t.lon[held], t.elev[held], held_out=False)
    out: dict[str, float] = {}
    for q, pred in (("tmean", model.tmean), ("dtr", model.dtr), ("rh", model.rh)):
        obs = t.values[q][held]
        ok = ~np.isnan(obs).any(axis=1)
        out[q] = float(np.sqrt(np.mean((pred[ok] - obs[ok]) ** 2)))
    obs = t.values["precip"][held]
    ok = ~np.isnan(obs).any(axis=1)
    p = model.precip[ok]
    out["precip_log"] = float(
        np.sqrt(np.mean((np.log(p + LOG_OFFSET) - np.log(obs[ok] + LOG_OFFSET)) ** 2))
    )
    rel = p.sum(1) / obs[ok].sum(1) - 1.0
    out["precip_annual_pct"] = float(100 * np.sqrt(np.mean(rel**2)))
    out["cities"] = float((~np.isnan(t.values["tmean"][held]).any(axis=1)).sum())
    stations = t.held_out & ~t.city
    obs = t.values["tmean"][stations]
    pred = climate_at(t.lat[stations], t.lon[stations], t.elev[stations], held_out=False).tmean
    out["tmean_stations"] = float(np.sqrt(np.nanmean((pred - obs) ** 2)))
    out["stations"] = float(stations.sum())
    return out


# ------------------------------------------------------------------ time curves


def month_position(timestamps: Array) -> tuple[Array, Array]:
    """Calendar month (0-11) and fraction of it elapsed (0 ≤ u < 1) of datetime64 values.

    >>> m, u = month_position(np.array(["2024-02-15T12:00"], dtype="datetime64[us]"))
    >>> int(m[0]), round(float(u[0]), 3)
    (1, 0.5)
    """
    t = timestamps.astype("datetime64[us]")
    start = t.astype("datetime64[M]")
    end = (start + 1).astype("datetime64[us]")
    s = start.astype("datetime64[us]")
    u = (t - s).astype(np.float64) / (end - s).astype(np.float64)
    return start.astype(np.int64) % 12, u


def _knots(values: Array, *, positive: bool) -> tuple[Array, Array]:
    """Month-start boundaries and mid-month values of the curve: (n, 12) each."""
    prev = np.roll(values, 1, axis=1)
    bound = (prev + values) / 2
    if positive:
        bound = np.minimum(bound, 1.5 * np.minimum(prev, values))
    mid = (4 * values - bound - np.roll(bound, -1, axis=1)) / 2
    return bound, mid


def monthly(values: Array, place: Array, month: Array, u: Array, *, positive: bool) -> Array:
    """The curve through 12 monthly values per place, at rows (place index, month, u).

    Linear from the month's start to its middle and on to its end; each month's mean
    is its value exactly, and the curve is continuous.

    >>> v = np.array([[0.0] * 6 + [12.0] + [0.0] * 5])
    >>> m = np.full(4, 6); u = np.array([0.0, 0.25, 0.5, 0.99])
    >>> monthly(v, np.zeros(4, int), m, u, positive=True).round(2).tolist()
    [0.0, 12.0, 24.0, 0.48]
    """
    bound, mid = _knots(np.asarray(values, dtype=np.float64), positive=positive)
    n = bound.shape[1]
    b0 = bound[place, month]
    b1 = bound[place, (month + 1) % n]
    c = mid[place, month]
    first = u < 0.5
    return np.asarray(np.where(first, b0 + (c - b0) * 2 * u, c + (b1 - c) * (2 * u - 1)))
