"""Weather dataset: ``weather`` (hourly or daily observations at stations in real cities).

Stations are the most populous cities of the run's ``country`` (of the world for
``"global"``), most populous first. Real: each station's climate — the WMO 1991–2020
monthly normals of its city (mean temperature, diurnal range, precipitation and wet
days, humidity, wind) or, for a city without them, a model calibrated on those normals
(:mod:`._climate`). Synthetic: the day-to-day weather around that climate
(:mod:`._air`).

Departure from DESIGN §2: the weather's anomalies are *fields* of position and time
(:mod:`._fields`): their streams are keyed by (random Fourier feature of space, time
block), and a station's own noise by its coordinates, never by its index in the run —
so Berlin and Hamburg share their weather, and station 0 of Germany has nothing to do
with station 0 of Australia. Time anchoring holds: every value is a function of the
seed, the interval, the station's position and the timestamp, so a range's rows do not
depend on the range asked, the chunking or the other stations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

import numpy as np
import polars as pl

from tempdata import samplers as s
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
from tempdata.datasets._air import MAGNUS_A, MAGNUS_B, Places, air, magnus_gamma, places
from tempdata.datasets._climate import city_elevation
from tempdata.datasets.registry import register
from tempdata.errors import InvalidParameterError
from tempdata.samplers._base import Array, CallRepr, number

__all__ = [
    "DEFAULT_STATIONS",
    "MAGNUS_A",
    "MAGNUS_B",
    "Stations",
    "station_table",
    "weather",
    "weather_fields",
]

#: How many stations ``weather`` generates unless ``custom_params={"stations": n}``.
DEFAULT_STATIONS = 20
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
    row: Array  # rows of cities.parquet


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
        top["row"].to_numpy().astype(np.int64),
    )


def _stations(params: Params) -> Stations:
    n = DEFAULT_STATIONS if params.grid is None else params.grid.n_entities
    return station_table(params.country, n)


@cache
def _places(country: str, count: int) -> Places:
    st = station_table(country, count)
    return places(st.lat, st.lon, city_elevation(st.row))


@dataclass(frozen=True, repr=False)
class _Weather(CallRepr, GroupSampler):
    _factory = "weather_fields"
    trend_rate: float = 0.03

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        st = _stations(params)
        out: dict[str, pl.DataType] = dict.fromkeys(_FIELDS, pl.Float64())
        out["station"] = pl.Enum(list(st.labels))
        out["city"] = pl.String()
        out["country"] = pl.String()
        return out

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
        out["lat"], out["lon"] = st.lat[e], st.lon[e]
        if any(f in fields for f in _FIELDS[5:]):
            out.update(self._weather(ctx, st))
        return {f: out[f] for f in fields}

    def _weather(self, ctx: ChunkContext, st: Stations) -> dict[str, Array]:
        n = DEFAULT_STATIONS if ctx.params.grid is None else ctx.params.grid.n_entities
        where = _places(ctx.params.country, n)
        a = air(ctx, where, ctx.entity, ctx.step, ctx.timestamp, trend_rate=self.trend_rate)
        temperature = np.round(a.temperature, 1)
        gamma_t = magnus_gamma(temperature)
        dew = np.minimum(a.dew_point, temperature)
        rh = 100.0 * np.exp(magnus_gamma(dew) - gamma_t)
        humidity = np.clip(np.round(rh, 1), 1.0, 100.0)
        g = np.log(humidity / 100.0) + gamma_t
        dew_point = np.round(MAGNUS_B * g / (MAGNUS_A - g), 1)
        return {
            "temperature_c": temperature,
            "precipitation_mm": a.precipitation,
            "humidity_pct": humidity,
            "dew_point_c": dew_point,
            "wind_speed_kmh": np.round(a.wind, 1),
            "pressure_hpa": np.round(a.pressure, 1),
        }


def weather_fields(*, trend_rate: float = 0.03) -> GroupSampler:
    """Station and weather fields of the ``weather`` dataset (see its notes).

    ``trend_rate`` is the warming (°C per year) an added ``trend_direction`` brings.

    >>> weather_fields(trend_rate=0.05)
    weather_fields(trend_rate=0.05)
    """
    return _Weather(number(trend_rate, "trend_rate", low=0))


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
        notes="Rows are every station at every step of the date range (UTC). Stations are the most "
        "populous cities of `country` (the world for 'global'), so more stations keep the first"
        " ones and their values. A station's values at a timestamp depend only on the seed, the"
        " interval, its position and the timestamp: extending the range leaves earlier rows "
        "unchanged (daily rows are day means and day totals at 00:00 UTC, without a daily "
        "cycle). Real: the climate. A station in a city of climate_normals.parquet (410 large "
        "cities: WMO Climatological Standard Normals 1991-2020, or Wikipedia mean temperatures)"
        " takes its monthly mean temperature, diurnal range (max - min), precipitation, days "
        "with precipitation, humidity and wind; what the city lacks, and every other city, "
        "comes from a model calibrated on them and on 353 WMO stations of climates the cities "
        "miss (climate_stations.parquet: high-latitude coasts, Siberia, deserts, high plateaus;"
        " latitude, land fraction within 250 and 1,000 km and to the west and east, log "
        "precipitation; residuals of nearby calibration places; temperature reduced to sea "
        "level with the standard lapse rate, 6.5 °C/km, and brought to the city's GeoNames "
        "DEM height, city_elevation.parquet), held-out RMSE 1.5 °C for "
        "monthly temperature at cities, 2.45 °C at stations. Months join without steps (a "
        "continuous curve whose monthly means are the normals). Synthetic: the weather. "
        "Temperature = the curve + half the diurnal range × a cosine peaking at 15:00 local "
        "solar time (UTC + lon / 15 h; muted in rain) + an anomaly (sd 0.6 + 0.15 × the annual "
        "range of the monthly means °C, more in winter) from a temperature field shared by "
        "nearby places (correlation exp(-d/1,000 km), Hansen & Lebedeff 1987, Caesar et al. "
        "2006; 95 % of the variance; 3-day memory) and the station's own AR(1). "
        "Precipitation: wet when low pressure and the station's own wet spells "
        "exceed the month's share of wet days; amounts keep the month's total in expectation "
        "(heavy-tailed). Humidity: the month's mean at the day's mean temperature, so it falls "
        "in the afternoon; near saturation in rain. Wind: Rayleigh (Weibull shape 2) around the"
        " month's mean speed (the normals' where published, else the median of the countries' "
        "medians of the 30 cities with wind normals, 11 km/h). Pressure: 1013.25 hPa + a "
        "pressure field (sd 2.5 + 0.12 |lat| hPa, 1,200 km, 2 days) + a semidiurnal tide. The "
        "fields are random Fourier features of position whose coefficients are AR(1) series on "
        "a daily grid keyed by (feature, time block): a departure from DESIGN §2's (entity, "
        "time block) streams, written down in tempdata.datasets._fields. "
        "time_series=TimeSeriesConfig(...) (--seasonality, --trend, --volatility): "
        "volatility_level multiplies the temperature, pressure and wind anomalies; "
        "trend_direction adds ±0.03 °C a year (random: uniform in between, per station) from "
        "2000-01-01; seasonal_patterns keeps the daily and yearly cycles only when named. "
        "Fronts are not modelled.",
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
