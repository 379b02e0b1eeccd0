"""Weather dataset: ``weather`` (hourly or daily observations at stations in real cities).

Stations are the most populous cities of the run's ``country`` (of the world for
``"global"``), most populous first. Every value is a function of the seed, the interval,
the station's position and the timestamp (time-anchored, chunk-independent): the
climate comes from the city's latitude and longitude, the weather from AR(1) processes
of :mod:`tempdata.core.timeseries`. Nothing here is observed data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from statistics import NormalDist
from typing import Any, NamedTuple

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
from tempdata.datasets._seasons import DAY_S as _DAY_S
from tempdata.datasets._seasons import YEAR_S as _YEAR_S
from tempdata.datasets._seasons import season
from tempdata.datasets.registry import register
from tempdata.errors import InvalidParameterError
from tempdata.samplers._base import Array, CallRepr, number

__all__ = ["DEFAULT_STATIONS", "Stations", "station_table", "weather", "weather_fields"]

#: How many stations ``weather`` generates unless ``custom_params={"stations": n}``.
DEFAULT_STATIONS = 20
#: Magnus coefficients (Alduchov & Eskridge 1996), over water, °C.
MAGNUS_A = 17.625
MAGNUS_B = 243.04

_US = 1_000_000
_FIELDS = (
    "station",
    "city",
    "country",
    "lat",
    "lon",
    "temperature_c",
    "precipitation_mm",
    "humidity_pct",
    "dew_point_c",
    "wind_speed_kmh",
    "pressure_hpa",
)


class Stations(NamedTuple):
    """The stations of a country: labels (``"City, State, CC"``), names and coordinates."""

    labels: tuple[str, ...]
    city: tuple[str, ...]
    country: tuple[str, ...]
    lat: Array
    lon: Array


@cache
def _ranked(code: str) -> pl.DataFrame:
    from tempdata.geo.reference import load

    cities = load(
        "cities", columns=("city", "state", "country_code", "lat", "lon", "population")
    ).with_row_index("row")
    if code != "global":
        cities = cities.filter(pl.col("country_code") == code)
    return cities.sort(["population", "row"], descending=[True, False])


@cache
def station_table(country: str, count: int) -> Stations:
    """The ``count`` most populous cities of ``country`` (a name or ISO code, or
    ``"global"`` for the world), most populous first.

    >>> st = station_table("germany", 3)
    >>> st.labels
    ('Berlin, Berlin, DE', 'Hamburg, Hamburg, DE', 'Munich, Bavaria, DE')
    """
    from tempdata.geo.countries import resolve_country

    code = resolve_country(country)
    table = _ranked(code)
    if table.height < count:
        where = "the world" if code == "global" else f"country {code}"
        msg = (
            f"dataset 'weather': {where} has {table.height:,} cities, fewer than "
            f"stations={count:,}; ask for at most {table.height:,}"
        )
        raise InvalidParameterError(msg)
    top = table.head(count)
    label = pl.concat_str(
        [pl.col("city"), pl.col("state"), pl.col("country_code")], separator=", ", ignore_nulls=True
    ).str.replace_all(", , ", ", ")
    top = top.with_columns(label=label).with_columns(
        n=pl.col("label").cum_count().over("label"),
    )
    labels = top.select(
        pl.when(pl.col("n") > 1)
        .then(pl.format("{} ({})", pl.col("label"), pl.col("n")))
        .otherwise(pl.col("label"))
    ).to_series()
    return Stations(
        tuple(labels.to_list()),
        tuple(top["city"].to_list()),
        tuple(top["country_code"].to_list()),
        top["lat"].to_numpy().astype(np.float64),
        top["lon"].to_numpy().astype(np.float64),
    )


def _stations(params: Params) -> Stations:
    n = DEFAULT_STATIONS if params.grid is None else params.grid.n_entities
    return station_table(params.country, n)


def _season(t_us: Array, lat: Array) -> Array:
    return season((t_us % int(_YEAR_S * _US)) / (_YEAR_S * _US), lat)


def _traits(ctx: ChunkContext, ids: Array) -> Array:
    """Five uniforms per station, fixed by the seed and the station (any interval)."""
    streams = ts.time_streams(ctx.seeder, ctx.dataset, ctx.column + "#station", interval=_DAY_S)
    return np.array([streams.coarse(int(e)).random(5) for e in ids.tolist()]).reshape(-1, 5)


@dataclass(frozen=True, repr=False)
class _Weather(CallRepr, GroupSampler):
    _factory = "weather_fields"
    memory_days: float = 3.0
    wet_memory_hours: float = 12.0
    trend_rate: float = 0.03

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        st = _stations(params)
        out: dict[str, pl.DataType] = dict.fromkeys(_FIELDS, pl.Float64())
        out["station"] = pl.Enum(list(st.labels))
        out["city"] = pl.String()
        out["country"] = pl.String()
        return out

    def _ar1(self, ctx: ChunkContext, name: str, tau_s: float) -> Array:
        """A unit-variance AR(1) forgetting over ``tau_s`` seconds, on ``column#name``."""
        phi = math.exp(-ctx.interval / tau_s)
        streams = ts.time_streams(
            ctx.seeder, ctx.dataset, f"{ctx.column}#{name}", interval=ctx.interval
        )
        return ts.ar1(streams, ctx.entity_id, ctx.step, phi=phi, sigma=math.sqrt(1 - phi * phi))

    def _noise(self, ctx: ChunkContext, name: str) -> Array:
        streams = ts.time_streams(
            ctx.seeder, ctx.dataset, f"{ctx.column}#{name}", interval=ctx.interval
        )
        return ts.white_noise(streams, ctx.entity_id, ctx.step)

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        st = _stations(ctx.params)
        e = ctx.entity
        out: dict[str, SampleOutput] = {}
        if "station" in fields:
            out["station"] = pl.Series(st.labels, dtype=pl.Enum(list(st.labels))).gather(e)
        if "city" in fields:
            out["city"] = pl.Series(st.city, dtype=pl.String).gather(e)
        if "country" in fields:
            out["country"] = pl.Series(st.country, dtype=pl.String).gather(e)
        lat, lon = st.lat[e], st.lon[e]
        out["lat"], out["lon"] = lat, lon
        if any(f in fields for f in _FIELDS[5:]):
            out.update(self._weather(ctx, st, lat, lon))
        return {f: out[f] for f in fields}

    def _weather(self, ctx: ChunkContext, st: Stations, lat: Array, lon: Array) -> dict[str, Array]:
        cfg = ctx.params.series or ts.TimeSeriesConfig()
        vol = cfg.volatility
        daily_step = ctx.interval >= _DAY_S
        absl = np.abs(lat)
        per_station = _traits(ctx, ctx.grid.entity_ids)
        u = per_station[ctx.entity]
        t_us = (ctx.timestamp - ts.EPOCH).astype(np.int64)
        # Local solar time (hours): UTC plus 4 minutes per degree of longitude east.
        solar = ((t_us % (_DAY_S * _US)) / (3600 * _US) + lon / 15.0) % 24.0
        theta = 2 * np.pi * (solar - 15.0) / 24.0
        diurnal = np.zeros_like(theta) if daily_step or not cfg.seasonal("daily") else np.cos(theta)
        season = _season(t_us, lat) if cfg.seasonal("yearly") else np.zeros_like(lat)

        # Pressure: a slow AR(1); low pressure brings rain and wind.
        pz = self._ar1(ctx, "pressure", 2.0 * _DAY_S)
        tide = 0.8 * np.cos(np.radians(lat)) * (0.0 if daily_step else 1.0)
        pressure = (
            1013.25
            + vol * (2.5 + 0.12 * absl) * pz
            + tide * np.cos(4 * np.pi * (solar - 10.0) / 24.0)
        )

        # Wet or dry: a latent AR(1) (persistent spells) above a station's threshold,
        # shifted by the season: tropics rain in their summer, higher latitudes in winter.
        hourly_p = 0.05 + 0.10 * per_station[:, 0]
        p_wet = np.minimum(3.0 * hourly_p, 0.6) if daily_step else hourly_p
        # One threshold per station (not per row): the normal quantile of 1 - p.
        q = np.array([NormalDist().inv_cdf(1.0 - p) for p in p_wet.tolist()])[ctx.entity]
        latent = 0.8 * self._ar1(ctx, "wet", self.wet_memory_hours * 3600.0) - 0.6 * pz
        shift = 0.35 * np.where(absl < 23.5, 1.0, -0.5) * season
        excess = latent + shift - q
        wet = excess > 0
        tropic = 1.0 + 0.5 * (absl < 23.5)
        scale = (14.0 if daily_step else 2.5) * tropic
        amount = scale * excess * np.exp(0.8 * self._noise(ctx, "amount") - 0.32)
        precipitation = np.where(wet, np.maximum(np.round(amount, 1), 0.1), 0.0)

        # Temperature: climate of the latitude, seasons, a mid-afternoon peak muted by
        # rain, and persistent weather anomalies.
        mean = 27.0 - 0.0075 * lat * lat + 3.0 * (u[:, 3] - 0.5)
        amplitude = np.minimum(1.0 + 0.3 * absl, 18.0)
        day_range = (4.0 + 2.0 * u[:, 4]) * np.where(wet, 0.5, 1.0)
        anomaly = (
            vol * (1.5 + 0.05 * absl) * self._ar1(ctx, "temperature", self.memory_days * _DAY_S)
        )
        temperature = mean + amplitude * season + day_range * diurnal + anomaly
        if cfg.trend_direction is not None:
            streams = ts.time_streams(
                ctx.seeder, ctx.dataset, ctx.column + "#trend", interval=_DAY_S
            )
            temperature = temperature + ts.trend(
                streams,
                ctx.entity_id,
                ctx.timestamp,
                direction=cfg.trend_direction,
                rate=self.trend_rate,
            )
        temperature = np.round(temperature, 1)

        # Dew point depression: small in rain, larger in dry subtropics and afternoons.
        dry = (1.5 + 5.0 * u[:, 1]) * (1.0 + 0.6 * np.exp(-(((absl - 27.0) / 9.0) ** 2)))
        depression_dry = dry * np.exp(0.35 * self._ar1(ctx, "dry", _DAY_S)) * (1.0 + 0.4 * diurnal)
        depression_wet = 0.2 + 0.5 * np.abs(self._noise(ctx, "mist"))
        depression = np.where(wet, depression_wet, depression_dry)
        gamma_t = MAGNUS_A * temperature / (MAGNUS_B + temperature)
        dew = temperature - depression
        rh = 100.0 * np.exp(MAGNUS_A * dew / (MAGNUS_B + dew) - gamma_t)
        humidity = np.clip(np.round(rh, 1), 1.0, 100.0)
        g = np.log(humidity / 100.0) + gamma_t
        dew_point = np.round(MAGNUS_B * g / (MAGNUS_A - g), 1)

        # Wind: lognormal (heavy right tail), windier in low pressure, rain, afternoons.
        base = 8.0 + 10.0 * u[:, 2] + 0.1 * absl
        log_wind = (
            0.45 * vol * self._ar1(ctx, "wind", 0.75 * _DAY_S)
            + 0.25 * vol * self._noise(ctx, "gust")
            - 0.2 * pz
            + 0.2 * diurnal
            + 0.15 * wet
        )
        wind = np.maximum(np.round(base * np.exp(log_wind - 0.15), 1), 0.0)
        return {
            "temperature_c": temperature,
            "precipitation_mm": precipitation,
            "humidity_pct": humidity,
            "dew_point_c": dew_point,
            "wind_speed_kmh": wind,
            "pressure_hpa": np.round(pressure, 1),
        }


def weather_fields(
    *, memory_days: float = 3.0, wet_memory_hours: float = 12.0, trend_rate: float = 0.03
) -> GroupSampler:
    """Station and weather fields of the ``weather`` dataset (see its notes).

    ``memory_days`` is how long temperature anomalies persist (the AR(1)'s e-folding
    time), ``wet_memory_hours`` that of the latent wet/dry state, ``trend_rate`` the
    warming (°C per year) an added ``trend_direction`` brings.

    >>> weather_fields(memory_days=5.0)
    weather_fields(memory_days=5.0)
    """
    return _Weather(
        number(memory_days, "memory_days", low=0, low_open=True),
        number(wet_memory_hours, "wet_memory_hours", low=0, low_open=True),
        number(trend_rate, "trend_rate", low=0),
    )


def _magnus_dew(t: pl.Expr, rh: pl.Expr) -> pl.Expr:
    g = (rh / 100.0).log() + MAGNUS_A * t / (MAGNUS_B + t)
    return MAGNUS_B * g / (MAGNUS_A - g)


_DESCRIPTIONS: dict[str, Any] = {
    "station": "Station label: 'City, State, CC' of the city it stands in.",
    "city": "City of the station.",
    "country": "ISO 3166-1 alpha-2 code of the station's country.",
    "lat": "Latitude of the station (degrees north).",
    "lon": "Longitude of the station (degrees east).",
    "temperature_c": "Air temperature (°C; the day's mean at 1day).",
    "precipitation_mm": "Precipitation in the interval (mm, 0 when dry).",
    "humidity_pct": "Relative humidity (%, 1-100), from temperature and dew point (Magnus).",
    "dew_point_c": "Dew point (°C, ≤ temperature_c).",
    "wind_speed_kmh": "Mean wind speed (km/h).",
    "pressure_hpa": "Sea-level pressure (hPa).",
}

weather = register(
    Dataset(
        "weather",
        domain="iot",
        description="Hourly (or daily) weather observations at stations in the most populous "
        "cities of the country (of the world by default): one row per station per step, "
        "sorted by time, then station.",
        parameters={
            "stations": Parameter(
                f"How many stations: the country's most populous cities first "
                f"(default {DEFAULT_STATIONS}).",
                high=2_000,
                default=DEFAULT_STATIONS,
            )
        },
        time_series=time_series(
            entities="stations", interval="1hour", intervals=["1hour", "1day"], unit="station"
        ),
        notes="Rows are every station at every step of the date range (UTC). Stations are the "
        "most populous cities of `country` (the world for 'global'), so more stations keep "
        "the first ones and their values. A station's values at a timestamp depend only on "
        "the seed, the interval, its position and the timestamp: extending the range leaves "
        "earlier rows unchanged; hourly and daily rows are separate series (daily rows are "
        "day means and day totals at 00:00 UTC, without a daily cycle). Temperature: annual "
        "mean 27 - 0.0075 lat² °C (±1.5 per station), a yearly cycle of half-range "
        "min(1 + 0.3 |lat|, 18) °C peaking in late July (late January south of the equator), "
        "a daily cycle of half-range 4-6 °C (halved in rain) peaking at 15:00 local solar "
        "time (UTC + lon / 15 h), and AR(1) anomalies (sd 1.5 + 0.05 |lat| °C, 3-day memory). "
        "Pressure: 1013.25 hPa plus an AR(1) (sd 2.5 + 0.12 |lat|, 2-day memory) and a "
        "semidiurnal tide in the tropics. Precipitation: a wet/dry latent AR(1) (12-hour "
        "memory, low pressure makes it wetter) above a per-station threshold (5-15 % of hours "
        "wet, three times that of days), shifted by season (tropics wetter in their summer, "
        "higher latitudes in winter); wet amounts grow with the latent's excess times a "
        "lognormal (heavy-tailed), rounded to 0.1 mm. Dew point = temperature minus a "
        "depression (0.2-1.5 °C in rain; larger in dry subtropics and afternoons); humidity "
        "follows from them by the Magnus formula (a = 17.625, b = 243.04 °C). Wind: lognormal "
        "around 8-18 km/h (+0.1 per degree of latitude), windier in low pressure, rain and "
        "afternoons. time_series=TimeSeriesConfig(...) (--seasonality, --trend, "
        "--volatility): volatility_level multiplies the temperature, pressure and wind "
        "anomalies; trend_direction adds ±0.03 °C a year (random: uniform in between, per "
        "station) from 2000-01-01; seasonal_patterns keeps the daily and yearly cycles only "
        "when named. Elevation, coasts and fronts are not modelled.",
        columns=[
            col("timestamp", s.series_timestamps(), description="Start of the step (UTC)."),
            group(
                "observations",
                weather_fields(),
                columns=list(_FIELDS),
                descriptions=_DESCRIPTIONS,
            ),
        ],
        checks=[
            check(
                "temperature_plausible",
                pl.col("temperature_c").is_between(-90, 60),
                "-90 °C ≤ temperature ≤ 60 °C.",
            ),
            check(
                "dew_point_below_temperature",
                pl.col("dew_point_c") <= pl.col("temperature_c"),
                "Dew point ≤ temperature.",
            ),
            check(
                "humidity_in_range",
                pl.col("humidity_pct").is_between(0, 100) & (pl.col("humidity_pct") > 0),
                "0 < humidity ≤ 100 %.",
            ),
            check(
                "dew_point_matches_humidity",
                (
                    _magnus_dew(pl.col("temperature_c"), pl.col("humidity_pct"))
                    - pl.col("dew_point_c")
                ).abs()
                <= 0.06,
                "Dew point is the Magnus dew point of temperature and humidity (to 0.1 °C).",
            ),
            check(
                "precipitation_non_negative",
                pl.col("precipitation_mm").is_between(0, 1_000),
                "0 ≤ precipitation ≤ 1,000 mm.",
            ),
            check("wind_non_negative", pl.col("wind_speed_kmh") >= 0, "Wind speed ≥ 0."),
            check(
                "pressure_plausible",
                pl.col("pressure_hpa").is_between(870, 1085),
                "870 hPa ≤ pressure ≤ 1,085 hPa.",
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
                "one_row_per_station_and_time",
                pl.struct("timestamp", "station").is_unique(),
            ),
        ],
    )
)
