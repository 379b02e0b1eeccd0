"""Energy dataset: ``energy`` (smart-meter readings of households in real cities).

Meters are households placed in the most populous cities of the run's ``country`` (of
the world for ``"global"``), a city drawn per meter with probability proportional to
its population. Every value is a function of the seed, the interval, the meter and the
timestamp (time-anchored, chunk-independent). Levels are published figures by country
(household kWh a year, monthly profiles, PV yield; see :mod:`._energy`); load and
cloudiness around them come from AR(1) processes of :mod:`tempdata.core.timeseries`,
solar generation from the sun's position on a tilted panel.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
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
from tempdata.datasets._energy import GRID, city_energy, day_factors, household_factor
from tempdata.datasets._seasons import DAY_S as _DAY_S
from tempdata.datasets._seasons import YEAR_S as _YEAR_S
from tempdata.datasets._seasons import season
from tempdata.datasets.registry import register
from tempdata.samplers._base import Array, CallRepr, number

__all__ = ["DEFAULT_METERS", "SOLAR_SHARE", "energy", "meter_fields", "solar_elevation"]

#: How many meters ``energy`` generates unless ``custom_params={"meters": n}``.
DEFAULT_METERS = 50
#: Share of households with rooftop solar panels; None: each country's published share
#: (energy_countries.parquet ``pv_household_share``).
SOLAR_SHARE: float | None = None
#: Meters are placed among this many most populous cities of the country.
CANDIDATE_CITIES = 100

_US = 1_000_000
#: Day of the year of the March equinox (declination 0, rising).
_EQUINOX = 80.0
_TILT = 23.44
#: Mean of the clear-sky share 1 - 0.75 cloudiness (cloudiness is a logistic of a
#: zero-mean Gaussian, so its mean is 1/2).
_MEAN_CLEAR = 0.625
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
    solar_share: float | None = SOLAR_SHARE
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
        city = city_energy(ctx.params.country, CANDIDATE_CITIES)
        share = city.pv_share[place] if self.solar_share is None else self.solar_share
        solar = u[:, 0] < share
        kwp = np.where(solar, np.round(2.5 + 5.5 * u[:, 1], 1), 0.0)
        out["has_solar"], out["solar_kwp"] = solar[e], kwp[e]
        if any(f in fields for f in _FIELDS[7:]):
            # A household's mean use per year: its area's mean times its place in the
            # spread of households (size, dwelling, water heating).
            annual = city.kwh_per_year[place] * household_factor(u[:, 2])
            per_kwp, amp = _pv_model(ctx.params.country, ctx.interval)
            out.update(
                self._readings(
                    ctx,
                    annual[e],
                    city.profile[where],
                    kwp[e] * per_kwp[place][e],
                    amp[where],
                    cities.key[where],
                    lat,
                    lon,
                )
            )
        return {f: out[f] for f in fields}

    def _readings(
        self,
        ctx: ChunkContext,
        annual: Array,
        profile: Array,
        pv_scale: Array,
        pv_amp: Array,
        city: Array,
        lat: Array,
        lon: Array,
    ) -> dict[str, Array]:
        cfg = ctx.params.series or ts.TimeSeriesConfig()
        vol = cfg.volatility
        day_rows = ctx.interval >= _DAY_S
        hours = ctx.interval / 3600.0
        t_us = (ctx.timestamp - ts.EPOCH).astype(np.int64)
        mid = t_us + (ctx.interval * _US) // 2

        # Household load: the year's mean power, times the day's factor of the area's
        # month profile, times the daily shape (base plus activity bumps in local solar
        # time, weekday or weekend: the local solar date's day of the week; ts.EPOCH,
        # 1900-01-01, was a Monday) over its weekly mean.
        h = _solar_hours(mid, lon)
        weekly = cfg.seasonal("weekly")
        local_day = (mid + (lon * 3600 * _US / 15.0).astype(np.int64)) // (_DAY_S * _US)
        weekend = (local_day % 7 >= 5) if weekly else np.zeros(h.shape, bool)
        cycle = not day_rows and cfg.seasonal("daily")
        shape = (_BASE_KW + _activity(h, weekend, cycle)) / _mean_load(weekly)
        if cfg.seasonal("yearly"):
            day = np.minimum((_year_fraction(mid) * GRID).astype(np.int64), GRID - 1)
            shape = shape * day_factors()[profile, day]
        mean_kw = annual / (_YEAR_S / 3600.0)
        # Multiplicative lognormal noise of mean 1: an AR(1) (behaviour persists for
        # hours) and white noise; smaller on day rows (a day averages it out).
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
        consumption = np.maximum(np.round(mean_kw * shape * np.exp(z) * hours, 3), 0.0)

        # Cloudiness in [0, 1]: a logistic of a slow and a fast AR(1), shared by the
        # meters of a city (keyed by the city, not the meter).
        cz = self._ar1(ctx, "cloud", self.cloud_memory_days * _DAY_S, city)
        fz = self._ar1(ctx, "cloud_fast", 3.0 * 3600.0, city)
        cloud = 1.0 / (1.0 + np.exp(-vol * (1.2 * cz + 0.6 * fz)))
        clear = 1.0 - 0.75 * cloud
        if day_rows:
            irradiance, sun_up = _daily_insolation(lat, t_us + _DAY_S * _US // 2)
        else:
            sin_e = solar_elevation(mid.astype("datetime64[us]"), lat, lon)
            sun_up = sin_e > 0
            irradiance = _panel_beam(mid, lat, lon, sin_e) * hours
        # Seasonal clearness (cloudier winters), from the country's PVOUT seasonality.
        clear = clear * (1.0 + pv_amp * season(_year_fraction(mid), lat))
        gen = np.round(pv_scale * irradiance * clear, 3)
        generation = np.where(sun_up & (pv_scale > 0), np.maximum(gen, 0.0), 0.0)
        return {
            "consumption_kwh": consumption,
            "generation_kwh": generation,
            "net_kwh": np.round(consumption - generation, 3),
            "sun_up": np.asarray(sun_up, dtype=bool),
        }


def _mean_load(weekly: bool) -> float:
    """Mean of the daily shape over a week (over a weekday without weekly shapes)."""
    day = [
        _BASE_KW + sum(a * w * math.sqrt(2 * math.pi) for _, w, a in s) / 24.0
        for s in (_WEEKDAY, _WEEKEND)
    ]
    return (5 * day[0] + 2 * day[1]) / 7 if weekly else day[0]


def _tilt(lat: Array) -> tuple[Array, Array, Array]:
    """|latitude|, the panel's tilt (both radians) and the hemisphere's sign: panels
    face the equator at the optimal tilt 0.76 |lat| + 3.1° (Jacobson and Jadhav 2018,
    "World estimates of PV optimal tilt angles", Solar Energy 169)."""
    lat = np.asarray(lat, dtype=np.float64)
    return (
        np.radians(np.abs(lat)),
        np.radians(0.76 * np.abs(lat) + 3.1),
        np.where(lat < 0, -1.0, 1.0),
    )


def _panel_beam(t_us: Array, lat: Array, lon: Array, sin_e: Array) -> Array:
    """Clear-sky beam on the panel (kW/kWp at 1 kW/m²): Meinel's direct normal
    1.353 · 0.7^(AM^0.678) times the cosine of the angle of incidence; 0 when the sun is
    below the horizon or behind the panel."""
    phi, beta, sign = _tilt(lat)
    delta = _declination(t_us) * sign
    omega = np.radians(15.0 * (_solar_hours(t_us, lon) - 12.0))
    cos_i = np.sin(delta) * np.sin(phi - beta) + np.cos(delta) * np.cos(omega) * np.cos(phi - beta)
    air_mass = 1.0 / np.maximum(sin_e, 0.01)
    dni = 1.353 * 0.7 ** (air_mass**0.678)
    return np.asarray(np.where(sin_e > 0, dni * np.maximum(cos_i, 0.0), 0.0))


def _daily_insolation(lat: Array, t_us: Array) -> tuple[Array, Array]:
    """The day's extraterrestrial insolation on the panel (kWh/m²; Duffie and Beckman's
    equator-facing tilted surface) times a clear-sky transmittance of 0.7, and whether
    the sun rises that day."""
    phi, beta, sign = _tilt(lat)
    delta = _declination(t_us) * sign
    ws = np.arccos(np.clip(-np.tan(phi) * np.tan(delta), -1.0, 1.0))
    ws_t = np.minimum(ws, np.arccos(np.clip(-np.tan(phi - beta) * np.tan(delta), -1.0, 1.0)))
    h0 = (
        (24.0 / np.pi)
        * 1.367
        * (
            np.cos(phi - beta) * np.cos(delta) * np.sin(ws_t)
            + ws_t * np.sin(phi - beta) * np.sin(delta)
        )
    )
    return np.asarray(0.7 * np.maximum(h0, 0.0)), np.asarray(ws > 0)


#: Latitudes (degrees) on which the model's clear-sky insolation is tabulated.
_LATS = np.linspace(-90.0, 90.0, 91)
#: Bounds of the seasonal clearness amplitude.
_AMP = 0.8


@lru_cache(maxsize=8)
def _monthly_insolation(interval: int) -> tuple[Array, Array]:
    """The model's clear-sky insolation on the panel per month (kWh/m², ``_LATS`` x 12),
    summed over the steps of ``interval`` seconds (every 5th day, times 5), and the same
    weighted by the season (+1 midsummer, -1 midwinter)."""
    days = np.arange(2, 365, 5, dtype=np.int64)
    if interval >= _DAY_S:
        t = (days * _DAY_S + _DAY_S // 2) * _US
        per_day = _daily_insolation(_LATS[:, None], t[None, :])[0]
    else:
        steps = np.arange(_DAY_S // interval, dtype=np.int64)
        t2 = days[:, None] * _DAY_S + steps[None, :] * interval + interval // 2
        # times along one axis, latitudes along the other: the sun's position is
        # worked out once per time, then broadcast over the latitudes
        tt = (t2 * _US).ravel()[None, :]
        lat = _LATS[:, None]
        lon = np.zeros(1)
        phi = np.radians(lat)
        delta = _declination(tt)
        omega = np.radians(15.0 * (_solar_hours(tt, lon) - 12.0))
        sin_e = np.sin(phi) * np.sin(delta) + np.cos(phi) * np.cos(delta) * np.cos(omega)
        beam = _panel_beam(tt, lat, lon, sin_e) * (interval / 3600.0)
        per_day = beam.reshape(_LATS.size, days.size, steps.size).sum(axis=2)
    frac = (days + 0.5) / 365.2425
    month = np.minimum((frac * 12).astype(np.int64), 11)
    weight = 365.2425 / days.size
    plain = np.stack([per_day[:, month == m].sum(axis=1) for m in range(12)], axis=1)
    cycle = season(frac[None, :], _LATS[:, None]) * per_day
    seasonal = np.stack([cycle[:, month == m].sum(axis=1) for m in range(12)], axis=1)
    return plain * weight, seasonal * weight


@lru_cache(maxsize=64)
def _pv_model(country: str, interval: int) -> tuple[Array, Array]:
    """Per candidate city of ``country``: kWh per kWp and unit of clear-sky panel
    insolation, and the amplitude A of a seasonal clearness 1 + A season, such that a
    panel at the country's reference latitude yields its rooftop kWh/kWp a year on
    average (mean cloudiness) with its PVOUT ratio of the best to the worst month."""
    city = city_energy(country, CANDIDATE_CITIES)
    plain, seasonal = _monthly_insolation(interval)
    lat = city.pv_ref_lat
    m0 = np.stack([np.interp(lat, _LATS, plain[:, m]) for m in range(12)], axis=1)
    m1 = np.stack([np.interp(lat, _LATS, seasonal[:, m]) for m in range(12)], axis=1)

    def ratio(a: Array) -> Array:
        months = np.maximum(m0 + a[:, None] * m1, 1e-9)
        return np.asarray(months.max(axis=1) / months.min(axis=1))

    lo, hi = np.zeros(lat.shape), np.full(lat.shape, _AMP)
    for _ in range(40):  # bisection to the PVOUT index (where the ratio grows with A)
        mid = (lo + hi) / 2
        above = ratio(mid) > city.pv_seasonality
        hi, lo = np.where(above, mid, hi), np.where(above, lo, mid)
    # no clearer winters: where clear skies alone vary more than PVOUT, A stays 0
    amp = np.where(ratio(np.zeros(lat.shape)) >= city.pv_seasonality, 0.0, (lo + hi) / 2)
    yearly = (m0 + amp[:, None] * m1).sum(axis=1)
    return np.asarray(city.pv_kwh_per_kwp / (_MEAN_CLEAR * np.maximum(yearly, 1e-9))), amp


def meter_fields(
    *,
    solar_share: float | None = SOLAR_SHARE,
    noise_hours: float = 3.0,
    cloud_memory_days: float = 1.0,
    trend_rate: float = 0.01,
) -> GroupSampler:
    """Meter and reading fields of the ``energy`` dataset (see its notes).

    ``solar_share`` is the share of households with solar panels (None: each country's
    published share, see the dataset notes), ``noise_hours`` how
    long load deviations persist (the AR(1)'s e-folding time), ``cloud_memory_days``
    that of cloudiness, ``trend_rate`` the drift of log consumption per year an added
    ``trend_direction`` brings.

    >>> meter_fields(solar_share=0.5)
    meter_fields(solar_share=0.5)
    """
    return _Meters(
        None if solar_share is None else number(solar_share, "solar_share", low=0, high=1),
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
        "A household has solar panels of 2.5-8 kWp with its country's published share "
        "(energy_countries.parquet pv_household_share, from scripts/sources/energy/"
        "pv_adoption.csv: Australia 33 %, the Netherlands 18 %, Poland 9 %, the US 7 %, GB 5 "
        "%, Germany 4.7 %, Japan 3 %, France 2.8 %; other countries the nearest sourced "
        "country's on their continent, else 2.8 %). Consumption "
        "(mean power × interval): the household's kWh a year — its area's mean household "
        "use (energy_countries.parquet: Eurostat 2024 for the EU-27, DESNZ for GB, EIA for "
        "the US and each state, secondary figures for CA, AU, JP, CN, IN, BR, MX, ZA, RU, NG; "
        "other countries the nearest country's) times its place in a spread of households "
        "(energy_spread.parquet: German Stromspiegel household types by size, median 0.8 of "
        "the mean as among GB meters) — spread over the year by its area's monthly shares "
        "(energy_months.parquet: BDEW H25 for Germany, EIA-861M for the US and its states, a "
        "heating and cooling degree-day model elsewhere — the EU's end-use shares scaled by "
        "the country's degree days, France its own heating share (ADEME: 30 % of household "
        "electricity heats rooms) — on Eurostat degree days in Europe, WMO "
        "normals of the country's cities or a latitude climate beyond), interpolated between "
        "mid-months, and over the day by a shape in local solar time (UTC + lon / 15 h; "
        "base load plus, on weekdays, a morning peak at 07:15 and an evening peak at 19:00, "
        "at weekends a later, broader morning and more midday use), normalised so that the "
        "year adds up; times a lognormal noise of mean 1 (an AR(1) of sd 0.25 with 3-hour "
        "memory plus white noise of sd 0.1; 0.1 and 0.03 at 1day); rounded to 1 Wh, never "
        "negative. Generation: kWp × clear-sky beam on a panel facing the equator at the "
        "optimal tilt (0.76 |lat| + 3.1°; the sun's position from latitude, declination of "
        "the day of year and local solar time at the interval's midpoint; Meinel air-mass "
        "attenuation; the equation of time is ignored) × (1 - 0.75 cloudiness) × a seasonal "
        "clearness 1 + A·season, cloudiness a logistic of AR(1)s (1-day and 3-hour memory) "
        "shared by a city's meters; A and the scale are set per country and interval so that "
        "a panel at the country's mean city latitude yields PVOUT × 0.86 kWh/kWp a year "
        "(World Bank/Solargis; the rooftop derate from Fraunhofer ISE's typical German "
        "yields) with PVOUT's ratio of the best to the worst month; exactly 0 when the sun "
        "is below the horizon (sun_up false) and without panels. At 1day generation uses the "
        "day's extraterrestrial insolation on the panel × 0.7 and consumption the day-mean "
        "shape. net = consumption - generation. "
        "time_series=TimeSeriesConfig(...) (--seasonality, --trend, --volatility): "
        "seasonal_patterns keeps the daily load profile (daily), the weekend shape "
        "(weekly) and the monthly profile (yearly) only when named (the sun and the "
        "clearness seasons always turn); volatility_level multiplies the load noise and the "
        "cloudiness swings; trend_direction adds ±1 % a year to consumption (random: "
        "uniform in between, per meter) from 2000-01-01. Holidays, occupancy changes, "
        "batteries, electric vehicles, diffuse light, roof orientation and monsoon "
        "dimming are not modelled.",
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
