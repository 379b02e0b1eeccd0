"""Energy dataset: ``energy`` (smart-meter readings of households in real cities).

Meters are households placed in the most populous cities of the run's ``country`` (of
the world for ``"global"``), a city drawn per meter with probability proportional to
its population. Every value is a function of the seed, the interval, the meter and the
timestamp (time-anchored, chunk-independent): load and cloudiness come from AR(1)
processes of :mod:`tempdata.core.timeseries`, solar generation from the sun's
elevation. Nothing here is observed data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from tempdata import samplers as s
from tempdata.core import timeseries as ts
from tempdata.core.plan import (
    ChunkContext,
    Dataset,
    GroupSampler,
    Parameter,
    Params,
    SampleOutput,
    check,
    col,
    group,
    time_series,
)
from tempdata.datasets._cities import top_cities
from tempdata.datasets._seasons import DAY_S as _DAY_S
from tempdata.datasets._seasons import YEAR_S as _YEAR_S
from tempdata.datasets._seasons import season
from tempdata.datasets.registry import register
from tempdata.samplers._base import Array, CallRepr, number

__all__ = ["DEFAULT_METERS", "SOLAR_SHARE", "energy", "meter_fields", "solar_elevation"]

#: How many meters ``energy`` generates unless ``custom_params={"meters": n}``.
DEFAULT_METERS = 50
#: Share of households with rooftop solar panels.
SOLAR_SHARE = 0.3
#: Meters are placed among this many most populous cities of the country.
CANDIDATE_CITIES = 100

_US = 1_000_000
#: Day of the year of the March equinox (declination 0, rising).
_EQUINOX = 80.0
_TILT = 23.44
#: Performance ratio of a PV system (inverter, wiring, heat losses).
_PERFORMANCE = 0.85
_HEAT_BELOW = 15.5
_COOL_ABOVE = 24.0
#: Daily activity bumps (centre hour of local solar time, width in hours, kW per unit
#: household size) on weekdays and at weekends.
_WEEKDAY = ((7.25, 1.0, 0.35), (19.0, 1.8, 0.8), (13.0, 3.0, 0.15))
_WEEKEND = ((9.5, 1.6, 0.3), (19.0, 2.0, 0.8), (13.5, 2.5, 0.3))
_BASE_KW = 0.18
_FIELDS = (
    "meter_id",
    "city",
    "country",
    "lat",
    "lon",
    "has_solar",
    "solar_kwp",
    "consumption_kwh",
    "generation_kwh",
    "net_kwh",
    "sun_up",
)


def _labels(n: int) -> list[str]:
    return [f"M{i + 1:05d}" for i in range(n)]


def _n_meters(params: Params) -> int:
    return DEFAULT_METERS if params.grid is None else params.grid.n_entities


def _year_fraction(t_us: Array) -> Array:
    return np.asarray((t_us % int(_YEAR_S * _US)) / (_YEAR_S * _US))


def _season(t_us: Array, lat: Array) -> Array:
    return season(_year_fraction(t_us), lat)


def _declination(t_us: Array) -> Array:
    """Solar declination (radians), Cooper's formula."""
    day = _year_fraction(t_us) * 365.2425
    return np.asarray(np.radians(_TILT) * np.sin(2 * np.pi * (day - _EQUINOX) / 365.2425))


def _solar_hours(t_us: Array, lon: Array) -> Array:
    """Local solar time (hours): UTC plus 4 minutes per degree of longitude east."""
    return np.asarray(((t_us % (_DAY_S * _US)) / (3600 * _US) + lon / 15.0) % 24.0)


def solar_elevation(timestamp: object, lat: object, lon: object) -> Array:
    """Sine of the sun's elevation at ``timestamp`` (UTC) seen from ``lat``, ``lon``
    (degrees); > 0 when the sun is above the horizon. The equation of time is ignored.

    >>> t = np.array(["2024-06-21T12:00", "2024-06-21T00:00"], dtype="datetime64[us]")
    >>> np.round(solar_elevation(t, 51.5, 0.0), 2).tolist()
    [0.88, -0.26]
    """
    t_us = (np.asarray(timestamp, dtype="datetime64[us]") - ts.EPOCH).astype(np.int64)
    phi = np.radians(np.asarray(lat, dtype=np.float64))
    delta = _declination(t_us)
    omega = np.radians(15.0 * (_solar_hours(t_us, np.asarray(lon, dtype=np.float64)) - 12.0))
    return np.asarray(np.sin(phi) * np.sin(delta) + np.cos(phi) * np.cos(delta) * np.cos(omega))


def _bump(h: Array, centre: float, width: float) -> Array:
    d = (h - centre + 12.0) % 24.0 - 12.0
    return np.asarray(np.exp(-0.5 * (d / width) ** 2))


def _activity(h: Array, weekend: Array, daily: bool) -> Array:
    """Household activity above the base load (kW per unit size) at local solar hour ``h``;
    its day mean when ``daily`` is false (no daily cycle, or day rows)."""
    out = []
    for shape in (_WEEKDAY, _WEEKEND):
        if daily:
            out.append(sum(a * _bump(h, c, w) for c, w, a in shape))
        else:
            mean = sum(a * w * math.sqrt(2 * math.pi) for _, w, a in shape) / 24.0
            out.append(np.full_like(h, mean))
    return np.asarray(np.where(weekend, out[1], out[0]))


@dataclass(frozen=True, repr=False)
class _Meters(CallRepr, GroupSampler):
    _factory = "meter_fields"
    solar_share: float = SOLAR_SHARE
    noise_hours: float = 3.0
    cloud_memory_days: float = 1.0
    trend_rate: float = 0.01

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        out: dict[str, pl.DataType] = dict.fromkeys(_FIELDS, pl.Float64())
        out["meter_id"] = pl.Enum(_labels(_n_meters(params)))
        out["city"] = pl.String()
        out["country"] = pl.String()
        out["has_solar"] = pl.Boolean()
        out["sun_up"] = pl.Boolean()
        return out

    def _traits(self, ctx: ChunkContext) -> Array:
        """Six uniforms per meter, fixed by the seed and the meter (any interval)."""
        streams = ts.time_streams(ctx.seeder, ctx.dataset, ctx.column + "#meter", interval=_DAY_S)
        ids = ctx.grid.entity_ids
        return np.array([streams.coarse(int(e)).random(6) for e in ids.tolist()]).reshape(-1, 6)

    def _ar1(self, ctx: ChunkContext, name: str, tau_s: float, entity: Array) -> Array:
        phi = math.exp(-ctx.interval / tau_s)
        streams = ts.time_streams(
            ctx.seeder, ctx.dataset, f"{ctx.column}#{name}", interval=ctx.interval
        )
        return ts.ar1(streams, entity, ctx.step, phi=phi, sigma=math.sqrt(1 - phi * phi))

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        cities = top_cities(ctx.params.country, CANDIDATE_CITIES)
        u = self._traits(ctx)
        place = np.minimum(np.searchsorted(cities.cum, u[:, 5], side="right"), len(cities.cum) - 1)
        e = ctx.entity
        where = place[e]
        out: dict[str, SampleOutput] = {}
        labels = _labels(ctx.grid.n_entities)
        out["meter_id"] = pl.Series(labels, dtype=pl.Enum(labels)).gather(e)
        out["city"] = pl.Series(cities.city, dtype=pl.String).gather(where)
        out["country"] = pl.Series(cities.country, dtype=pl.String).gather(where)
        lat, lon = cities.lat[where], cities.lon[where]
        out["lat"], out["lon"] = lat, lon
        solar = u[:, 0] < self.solar_share
        kwp = np.where(solar, np.round(2.5 + 5.5 * u[:, 1], 1), 0.0)
        out["has_solar"], out["solar_kwp"] = solar[e], kwp[e]
        if any(f in fields for f in _FIELDS[7:]):
            out.update(self._readings(ctx, u[e], kwp[e], cities.key[where], lat, lon))
        return {f: out[f] for f in fields}

    def _readings(
        self, ctx: ChunkContext, u: Array, kwp: Array, city: Array, lat: Array, lon: Array
    ) -> dict[str, Array]:
        cfg = ctx.params.series or ts.TimeSeriesConfig()
        vol = cfg.volatility
        day_rows = ctx.interval >= _DAY_S
        hours = ctx.interval / 3600.0
        absl = np.abs(lat)
        t_us = (ctx.timestamp - ts.EPOCH).astype(np.int64)
        mid = t_us + (ctx.interval * _US) // 2

        # Household load (kW): base plus activity bumps in local solar time, weekday or
        # weekend (the local solar date's day of the week; ts.EPOCH, 1900-01-01, was a Monday).
        size = 0.6 + 0.9 * u[:, 2]
        h = _solar_hours(mid, lon)
        local_day = (mid + (lon * 3600 * _US / 15.0).astype(np.int64)) // (_DAY_S * _US)
        weekend = (local_day % 7 >= 5) if cfg.seasonal("weekly") else np.zeros(h.shape, bool)
        cycle = not day_rows and cfg.seasonal("daily")
        load = size * (_BASE_KW + _activity(h, weekend, cycle))
        # Heating and cooling from a climate of latitude and season (as ``weather``):
        # degrees below 15.5 °C or above 24 °C, times the household's electric share.
        season = _season(mid, lat) if cfg.seasonal("yearly") else np.zeros_like(lat)
        temp = 27.0 - 0.0075 * lat * lat + np.minimum(1.0 + 0.3 * absl, 18.0) * season
        if cycle:
            temp = temp + 4.0 * np.cos(2 * np.pi * (h - 15.0) / 24.0)
        heat = size * (0.01 + 0.05 * u[:, 3]) * np.maximum(_HEAT_BELOW - temp, 0.0)
        cool = size * (0.02 + 0.08 * u[:, 4]) * np.maximum(temp - _COOL_ABOVE, 0.0)
        # Multiplicative lognormal noise: an AR(1) (behaviour persists for hours) and
        # white noise; smaller on day rows (a day averages it out).
        a, w = (0.1, 0.03) if day_rows else (0.25, 0.1)
        z = a * vol * self._ar1(ctx, "load", self.noise_hours * 3600.0, ctx.entity_id)
        z = z + w * vol * ts.white_noise(
            ts.time_streams(ctx.seeder, ctx.dataset, f"{ctx.column}#jitter", interval=ctx.interval),
            ctx.entity_id,
            ctx.step,
        )
        z = z - 0.5 * (a * a + w * w) * vol * vol
        if cfg.trend_direction is not None:
            streams = ts.time_streams(
                ctx.seeder, ctx.dataset, ctx.column + "#trend", interval=_DAY_S
            )
            z = z + ts.trend(
                streams,
                ctx.entity_id,
                ctx.timestamp,
                direction=cfg.trend_direction,
                rate=self.trend_rate,
            )
        consumption = np.maximum(np.round((load + heat + cool) * np.exp(z) * hours, 3), 0.0)

        # Cloudiness in [0, 1]: a logistic of a slow and a fast AR(1), shared by the
        # meters of a city (keyed by the city, not the meter).
        cz = self._ar1(ctx, "cloud", self.cloud_memory_days * _DAY_S, city)
        fz = self._ar1(ctx, "cloud_fast", 3.0 * 3600.0, city)
        cloud = 1.0 / (1.0 + np.exp(-vol * (1.2 * cz + 0.6 * fz)))
        clear = 1.0 - 0.75 * cloud
        phi = np.radians(lat)
        if day_rows:
            # Daily extraterrestrial insolation on a horizontal plane (kWh/m²), times a
            # clear-sky transmittance of 0.7.
            delta = _declination(t_us + _DAY_S * _US // 2)
            x = np.clip(-np.tan(phi) * np.tan(delta), -1.0, 1.0)
            ws = np.arccos(x)
            h0 = (
                (24.0 / np.pi)
                * 1.367
                * (np.cos(phi) * np.cos(delta) * np.sin(ws) + ws * np.sin(phi) * np.sin(delta))
            )
            sun_up = ws > 0
            irradiance = 0.7 * np.maximum(h0, 0.0)
        else:
            # Clear-sky beam on a horizontal plane (Meinel: 1.353 · 0.7^(AM^0.678)) at the
            # interval's midpoint, in kW/m², times the hours.
            sin_e = solar_elevation(mid.astype("datetime64[us]"), lat, lon)
            sun_up = sin_e > 0
            air_mass = 1.0 / np.maximum(sin_e, 0.01)
            beam = 1.353 * 0.7 ** (air_mass**0.678)
            irradiance = np.where(sun_up, beam * np.maximum(sin_e, 0.0), 0.0) * hours
        gen = np.round(kwp * _PERFORMANCE * irradiance * clear, 3)
        generation = np.where(sun_up & (kwp > 0), np.maximum(gen, 0.0), 0.0)
        return {
            "consumption_kwh": consumption,
            "generation_kwh": generation,
            "net_kwh": np.round(consumption - generation, 3),
            "sun_up": np.asarray(sun_up, dtype=bool),
        }


def meter_fields(
    *,
    solar_share: float = SOLAR_SHARE,
    noise_hours: float = 3.0,
    cloud_memory_days: float = 1.0,
    trend_rate: float = 0.01,
) -> GroupSampler:
    """Meter and reading fields of the ``energy`` dataset (see its notes).

    ``solar_share`` is the share of households with solar panels, ``noise_hours`` how
    long load deviations persist (the AR(1)'s e-folding time), ``cloud_memory_days``
    that of cloudiness, ``trend_rate`` the drift of log consumption per year an added
    ``trend_direction`` brings.

    >>> meter_fields(solar_share=0.5)
    meter_fields(solar_share=0.5)
    """
    return _Meters(
        number(solar_share, "solar_share", low=0, high=1),
        number(noise_hours, "noise_hours", low=0, low_open=True),
        number(cloud_memory_days, "cloud_memory_days", low=0, low_open=True),
        number(trend_rate, "trend_rate", low=0),
    )


_DESCRIPTIONS: dict[str, Any] = {
    "meter_id": "Meter label (M00001, ...); more meters keep the first ones.",
    "city": "City of the household.",
    "country": "ISO 3166-1 alpha-2 code of the household's country.",
    "lat": "Latitude of the household's city (degrees north).",
    "lon": "Longitude of the household's city (degrees east).",
    "has_solar": "Whether the household has rooftop solar panels.",
    "solar_kwp": "Peak power of the panels (kWp, 2.5-8; 0 without solar).",
    "consumption_kwh": "Energy drawn by the household in the interval (kWh, ≥ 0).",
    "generation_kwh": "Solar energy generated in the interval (kWh; 0 at night and without solar).",
    "net_kwh": "consumption_kwh - generation_kwh (negative when exporting).",
    "sun_up": "Whether the sun is above the horizon at the interval's midpoint (at 1day: "
    "whether it rises that day).",
}

energy = register(
    Dataset(
        "energy",
        domain="iot",
        description="Smart-meter readings (15-minute by default) of households in the most "
        "populous cities of the country (of the world by default), some with solar panels: "
        "one row per meter per step, sorted by time, then meter.",
        parameters={
            "meters": Parameter(
                f"How many meters (households) (default {DEFAULT_METERS}).",
                high=5_000,
                default=DEFAULT_METERS,
            )
        },
        time_series=time_series(
            entities="meters",
            interval="15min",
            intervals=["15min", "30min", "1hour", "1day"],
            unit="meter",
        ),
        notes="Rows are every meter at every step of the date range (UTC). Each meter is a "
        f"household in one of the {CANDIDATE_CITIES} most populous cities of `country` (the "
        "world for 'global'), drawn with probability proportional to population; more meters "
        "keep the first ones and their values. A meter's values at a timestamp depend only "
        "on the seed, the interval, the meter and the timestamp: extending the range leaves "
        "earlier rows unchanged; each interval is its own series. "
        f"{SOLAR_SHARE:.0%} of households have solar panels of 2.5-8 kWp. Consumption "
        "(mean power × interval): household size 0.6-1.5 times a base load of 0.18 kW plus "
        "activity peaks in local solar time (UTC + lon / 15 h): on weekdays a morning peak "
        "at 07:15 and an evening peak at 19:00, at weekends a later, broader morning and "
        "more midday use; electric heating proportional to the degrees below 15.5 °C and "
        "cooling to the degrees above 24 °C of a climate temperature (27 - 0.0075 lat² °C, a "
        "yearly cycle of half-range min(1 + 0.3 |lat|, 18) °C peaking in late July, late "
        "January south of the equator, and ±4 °C over the day), so heating dominates winters "
        "at high latitude and cooling summers at low latitude; times a lognormal noise (an "
        "AR(1) of sd 0.25 with 3-hour memory plus white noise of sd 0.1; 0.1 and 0.03 at "
        "1day); rounded to 1 Wh, never negative. Generation: kWp × 0.85 × clear-sky "
        "irradiance on a horizontal panel from the sun's elevation (latitude, declination of "
        "the day of year, local solar time at the interval's midpoint; Meinel air-mass "
        "attenuation; the equation of time is ignored) × (1 - 0.75 cloudiness), cloudiness "
        "a logistic of AR(1)s (1-day and 3-hour memory) shared by a city's meters; exactly 0 "
        "when the sun is below the horizon (sun_up false) and without panels. At 1day "
        "generation uses the day's extraterrestrial insolation × 0.7 and consumption the "
        "day-mean profile. net = consumption - generation. "
        "time_series=TimeSeriesConfig(...) (--seasonality, --trend, --volatility): "
        "seasonal_patterns keeps the daily load profile (daily), the weekend shape "
        "(weekly) and the heating/cooling seasons (yearly) only when named (the sun always "
        "rises and sets); volatility_level multiplies the load noise and the cloudiness "
        "swings; trend_direction adds ±1 % a year to consumption (random: uniform in "
        "between, per meter) from 2000-01-01. Holidays, occupancy changes, batteries, "
        "electric vehicles and panel orientation are not modelled.",
        columns=[
            col("timestamp", s.series_timestamps(), description="Start of the step (UTC)."),
            group(
                "readings",
                meter_fields(),
                columns=list(_FIELDS),
                descriptions=_DESCRIPTIONS,
            ),
        ],
        checks=[
            check(
                "consumption_non_negative",
                pl.col("consumption_kwh") >= 0,
                "Consumption ≥ 0.",
            ),
            check("generation_non_negative", pl.col("generation_kwh") >= 0, "Generation ≥ 0."),
            check(
                "no_generation_without_solar",
                pl.col("has_solar") | (pl.col("generation_kwh") == 0),
                "Generation is 0 for households without solar panels.",
            ),
            check(
                "panels_iff_solar",
                (pl.col("solar_kwp") > 0) == pl.col("has_solar"),
                "solar_kwp > 0 exactly for households with solar.",
            ),
            check(
                "no_generation_after_dark",
                pl.col("sun_up") | (pl.col("generation_kwh") == 0),
                "Generation is 0 when the sun is below the horizon.",
            ),
            check(
                "net_is_consumption_minus_generation",
                (pl.col("net_kwh") - (pl.col("consumption_kwh") - pl.col("generation_kwh"))).abs()
                < 1e-6,
                "net = consumption - generation.",
            ),
            check(
                "coordinates_valid",
                pl.col("lat").is_between(-90, 90) & pl.col("lon").is_between(-180, 180),
            ),
            check(
                "sorted_by_time",
                pl.col("timestamp") >= pl.col("timestamp").shift(1).fill_null(pl.col("timestamp")),
            ),
            check(
                "one_row_per_meter_and_time",
                pl.struct("timestamp", "meter_id").is_unique(),
            ),
        ],
    )
)
