"""The outdoor air at places and instants, shared by ``weather`` and ``iot_sensors``.

Real: each place's monthly climate (:mod:`._climate`: WMO 1991–2020 normals of its
city, or the model calibrated on them, with the lapse rate at the city's height).
Synthetic: the day-to-day weather around it (:mod:`._fields` for the anomalies that
places share, local AR(1) noise for their own). How each quantity is made:

* **Temperature** = the month's mean temperature (a curve through the 12 normals,
  evaluated per day) + half the month's diurnal range (mean max - mean min) × a cosine
  peaking at 15:00 local solar time (muted to 60 % in rain) + an anomaly: ``σ × (√0.95
  F_T + √0.05 L_T)`` with ``F_T`` the temperature field (correlation ``exp(-d / 1,000
  km)``, 3-day memory) and
  ``L_T`` the place's own AR(1) (12 hours). ``σ`` (day-to-day sd of the daily mean) is
  :data:`SIGMA_T` ``= 0.6 + 0.15 ×`` the annual range of the monthly means, times ``1 ±
  0.45`` from winter to summer outside the tropics: a modelling assumption (Moscow about
  6.5 °C in January, 2.5 °C in July; Singapore about 0.9 °C), not a sourced table.
* **Precipitation**: a row is wet when a latent ``-√0.65 F_P + √0.35 L_W`` (low pressure
  and the place's own wet spells, 12 hours; a day at daily rows) exceeds the normal
  quantile of ``1 - p``, ``p`` the month's share of days with precipitation (× 0.4 for
  hours). Wet amounts are the month's mean per wet step × the latent's excess over its
  mean excess × a lognormal (mean 1), so the expected monthly total is the normal; daily
  amounts start at the normals' wet-day threshold (1 mm, 2.5 mm in India).
* **Humidity**: the month's relative humidity, lowered by the convexity of the diurnal
  cycle so the day's mean matches, taken at the day's mean temperature to give the dew
  point (humidity then falls in the afternoon as the air warms); wet rows near
  saturation (96 % hourly), dry rows lower so the month's mean keeps its normal; a
  log-normal spread of 0.12 tied to the place's own temperature noise; dry rows keep
  the dew point 0.3 °C below the temperature (nights do not sit at 100 %).
* **Wind**: Rayleigh (Weibull shape 2, the reference distribution of IEC 61400-1)
  around the month's mean speed: ``mean × |(F_V, L_V)| / √(π/2)`` from a wind field (700
  km, 1.5 days) and the place's own gusts (6 hours), 15 % stronger in the afternoon.
* **Pressure**: 1013.25 hPa + ``(2.5 + 0.12 |lat|) F_P`` (pressure field, 1,200 km,
  2 days) + a semidiurnal tide of 0.8 cos(lat) hPa (hourly rows).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from tempdata.core import timeseries as ts
from tempdata.core.plan import ChunkContext
from tempdata.datasets._climate import Climate, climate_at, month_position, monthly
from tempdata.datasets._fields import FIELDS, field_values, normal_quantile, place_keys
from tempdata.datasets._seasons import DAY_S, YEAR_S, season
from tempdata.samplers.base import Array

__all__ = ["MAGNUS_A", "MAGNUS_B", "Air", "Places", "air", "magnus_gamma", "places"]

#: Magnus coefficients (Alduchov & Eskridge 1996), over water, °C.
MAGNUS_A = 17.625
MAGNUS_B = 243.04
#: Day-to-day sd of the daily mean temperature: a + b × the annual range of the monthly
#: means (°C), and the relative rise in winter (fall in summer) outside the tropics.
SIGMA_T = (0.6, 0.15)
SIGMA_WINTER = 0.45
#: Share of the temperature anomaly's variance from the synoptic field, and the
#: memory of the place's own part (hours).
T_FIELD_SHARE = 0.95
T_LOCAL_MEMORY_H = 12.0
#: Share of the wet latent's variance from low pressure; memory of local wet spells
#: (hours); hourly wet probability as a share of the daily one.
WET_PRESSURE = 0.65
WET_MEMORY_H = 12.0
WET_HOUR_RATIO = 0.4
#: Relative humidity of wet hours (%); log spread of the day's humidity.
WET_RH = 96.0
RH_SPREAD = 0.12
#: Dew point depression (°C) that dry rows keep at least (about 98 % humidity).
DEW_GAP = 0.3
#: Memory of the place's own gusts (hours); afternoon strengthening of the wind.
WIND_MEMORY_H = 6.0
WIND_DIURNAL = 0.15
_US = 1_000_000
_MONTH_DAYS = np.array([31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


class Places(NamedTuple):
    """What a run's places need once: climate, anomaly scale and stream keys."""

    lat: Array
    lon: Array
    climate: Climate
    sigma_t: Array  # day-to-day sd of the daily mean temperature, °C (annual)
    keys: Array  # time-stream entity ids, one per place (from its coordinates)


def places(
    lat: Array,
    lon: Array,
    elevation: Array,
    *,
    climate_lat: Array | None = None,
    climate_lon: Array | None = None,
) -> Places:
    """The places at ``lat``/``lon`` and heights ``elevation`` (m); their climate from
    ``climate_lat``/``_lon`` (a sensor a few km from its city keeps the city's normals)."""
    lat = np.asarray(lat, dtype=np.float64)
    lon = np.asarray(lon, dtype=np.float64)
    clim = climate_at(
        lat if climate_lat is None else climate_lat,
        lon if climate_lon is None else climate_lon,
        elevation,
    )
    annual_range = clim.tmean.max(axis=1) - clim.tmean.min(axis=1)
    return Places(lat, lon, clim, SIGMA_T[0] + SIGMA_T[1] * annual_range, place_keys(lat, lon))


class Air(NamedTuple):
    """The air at rows: temperature, dew point (may exceed the temperature slightly
    before rounding), pressure, precipitation in the step and wind speed."""

    temperature: Array
    dew_point: Array
    pressure: Array
    precipitation: Array
    wind: Array


def magnus_gamma(t: Array) -> Array:
    """``a t / (b + t)`` of the Magnus formula."""
    return MAGNUS_A * t / (MAGNUS_B + t)


class _Grid(NamedTuple):
    """Rows as cells of a (step × place) grid, and of a (day × place) grid."""

    steps: Array  # (T,) the steps from the chunk's first to its last
    cell: Array  # (rows,) index into the (T, P) grid
    days: Array  # (D,) the days from the first to the last
    day_cell: Array  # (rows,) index into the (D, P) grid


def _grid(place: Array, step: Array, stamp: Array, n_places: int) -> _Grid:
    s0, s1 = int(step.min()), int(step.max())
    t_us = (stamp - ts.EPOCH).astype(np.int64)
    day = t_us // (DAY_S * _US)
    d0, d1 = int(day.min()), int(day.max())
    return _Grid(
        np.arange(s0, s1 + 1, dtype=np.int64),
        (step - s0) * n_places + place,
        np.arange(d0, d1 + 1, dtype=np.int64),
        (day - d0) * n_places + place,
    )


def air(
    ctx: ChunkContext,
    where: Places,
    place: Array,
    step: Array,
    stamp: Array,
    *,
    prefix: str = "",
    trend_rate: float = 0.03,
    amounts: bool = True,
    wind: bool = True,
) -> Air:
    """The weather at rows of places ``place`` (indexes into ``where``) at grid steps
    ``step`` (instants ``stamp``) of ``ctx``'s time series.

    ``amounts=False`` leaves precipitation amounts out (rows are 1.0 when wet, else 0),
    ``wind=False`` the wind (zeros): less work for a caller that does not use them.
    """
    if not len(place):
        empty = np.zeros(0)
        return Air(empty, empty, empty, empty, empty)
    cfg = ctx.params.series or ts.TimeSeriesConfig()
    vol = cfg.volatility
    iv = ctx.interval
    daily_rows = iv >= DAY_S
    n = len(where.lat)
    g = _grid(place, step, stamp, n)
    clim = where.climate
    t_us = (stamp - ts.EPOCH).astype(np.int64)
    row_lat = where.lat[place]

    # The climate, per day (at noon) and place, then per row.
    noon = ts.EPOCH + ((g.days * DAY_S + DAY_S // 2) * _US).astype("timedelta64[us]")
    month, u = month_position(noon)
    at = (np.arange(n)[None, :], month[:, None], u[:, None])

    def curve(values: Array, *, positive: bool) -> Array:
        if not cfg.seasonal("yearly"):
            values = np.repeat(values.mean(axis=1, keepdims=True), 12, axis=1)
        return monthly(values, *at, positive=positive)

    days_in_month = _MONTH_DAYS[month][:, None]
    p_day = curve(clim.pdays, positive=True) / days_in_month
    p_step = np.clip(p_day if daily_rows else WET_HOUR_RATIO * p_day, 1e-4, 0.95)
    q = normal_quantile(1.0 - p_step)
    mean_excess = np.exp(-0.5 * q * q) / math.sqrt(2 * math.pi) / p_step - q
    rate = curve(clim.precip, positive=True) / days_in_month  # mm a day
    mean_amount = rate * (iv / DAY_S) / p_step
    floor = np.minimum(clim.pdays_min[None, :], 0.5 * mean_amount)  # daily rows only
    tmean = curve(clim.tmean, positive=False)
    half_range = 0.5 * curve(clim.dtr, positive=True)
    year = (g.days * DAY_S + DAY_S // 2) % YEAR_S / YEAR_S
    winter = np.where(np.abs(where.lat) > 23.5, -season(year[:, None], where.lat[None, :]), 0.0)
    sigma = where.sigma_t[None, :] * (1.0 + SIGMA_WINTER * winter)
    rh = curve(clim.rh, positive=True)
    x = MAGNUS_A * MAGNUS_B / (MAGNUS_B + tmean) ** 2 * half_range
    rh = rh / (1.0 + x * x / 4.0 + x**4 / 64.0)  # the diurnal cycle raises the day's mean
    wet_rh = 0.5 * (rh + 100.0) if daily_rows else np.full_like(rh, WET_RH)
    dry_rh = np.maximum((rh - p_step * wet_rh) / (1.0 - p_step), 8.0)
    w_mean = curve(clim.wind, positive=True)

    def day_rows(values: Array) -> Array:
        return np.asarray(np.broadcast_to(values, (len(g.days), n)).ravel()[g.day_cell])

    def field(name: str) -> Array:
        return field_values(
            ctx.seeder, ctx.dataset, ctx.column, FIELDS[name], where.lat, where.lon, place, stamp
        )

    dense = len(place) >= len(g.steps) * n // 2

    def own(name: str, tau_s: float | None) -> Array:
        """The places' own AR(1) (white noise without a memory), per row: on the
        (step × place) grid when the rows fill most of it, else row by row."""
        streams = ts.time_streams(
            ctx.seeder, ctx.dataset, f"{ctx.column}#{prefix}{name}", interval=iv
        )
        if dense:
            keys, steps = where.keys[None, :], g.steps[:, None]
        else:
            keys, steps = where.keys[place], step
        if tau_s is None:
            values = ts.white_noise(streams, keys, steps)
        else:
            phi = math.exp(-iv / tau_s)
            values = ts.ar1(streams, keys, steps, phi=phi, sigma=math.sqrt(1 - phi * phi))
        return np.asarray(values.ravel()[g.cell] if dense else values)

    # Local solar time (hours): UTC plus 4 minutes per degree of longitude east.
    solar = ((t_us % (DAY_S * _US)) / (3600 * _US) + where.lon[place] / 15.0) % 24.0
    if daily_rows or not cfg.seasonal("daily"):
        diurnal = np.zeros(len(place))
    else:
        diurnal = np.cos(2 * np.pi * (solar - 15.0) / 24.0)

    pz = field("pressure")
    tide = 0.0 if daily_rows else 0.8 * np.cos(np.radians(row_lat))
    pressure = (
        1013.25
        + vol * (2.5 + 0.12 * np.abs(row_lat)) * pz
        + tide * np.cos(4 * np.pi * (solar - 10.0) / 24.0)
    )

    memory = DAY_S if daily_rows else WET_MEMORY_H * 3600.0
    latent = -math.sqrt(WET_PRESSURE) * pz + math.sqrt(1 - WET_PRESSURE) * own("wet", memory)
    excess = latent - day_rows(q)
    wet = excess > 0
    if amounts:
        shape = excess / day_rows(mean_excess) * np.exp(0.8 * own("amount", None) - 0.32)
        lowest = day_rows(floor) if daily_rows else 0.0
        amount = lowest + (day_rows(mean_amount) - lowest) * shape
        precipitation = np.where(wet, np.maximum(np.round(amount, 1), 0.1), 0.0)
    else:
        precipitation = wet.astype(np.float64)

    local_t = own("temperature", T_LOCAL_MEMORY_H * 3600.0)
    z_t = math.sqrt(T_FIELD_SHARE) * field("temperature") + math.sqrt(1 - T_FIELD_SHARE) * local_t
    anomaly = vol * day_rows(sigma) * z_t
    if cfg.trend_direction is not None:
        streams = ts.time_streams(ctx.seeder, ctx.dataset, ctx.column + "#trend", interval=DAY_S)
        anomaly = anomaly + ts.trend(
            streams, where.keys[place], stamp, direction=cfg.trend_direction, rate=trend_rate
        )
    level = day_rows(tmean) + anomaly  # the day's mean temperature at this time
    temperature = level + day_rows(half_range) * np.where(wet, 0.6, 1.0) * diurnal

    rh_row = np.where(wet, day_rows(wet_rh), day_rows(dry_rh))
    rh_row = np.clip(rh_row * np.exp(-RH_SPREAD * local_t), 3.0, 100.0)
    gam = np.log(rh_row / 100.0) + magnus_gamma(level)
    dew = MAGNUS_B * gam / (MAGNUS_A - gam)
    # Dry air stays a little below saturation at night (dew settles out instead).
    dew = np.where(wet, dew, np.minimum(dew, temperature - DEW_GAP))

    if not wind:
        return Air(temperature, dew, pressure, precipitation, np.zeros(len(place)))
    z1 = field("wind")
    z2 = own("wind", WIND_MEMORY_H * 3600.0)
    ratio = np.sqrt(z1 * z1 + z2 * z2) / math.sqrt(math.pi / 2)
    speed = (
        day_rows(w_mean)
        * np.maximum(1.0 + vol * (ratio - 1.0), 0.0)
        * (1.0 + WIND_DIURNAL * diurnal)
    )
    return Air(temperature, dew, pressure, precipitation, speed)
