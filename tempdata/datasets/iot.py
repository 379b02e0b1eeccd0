"""IoT dataset: ``iot_sensors`` (a fleet of environmental sensors, one row per device per step).

Devices stand near real cities of the run's ``country`` (of the world for ``"global"``),
picked by population and jittered by a few kilometres. Every value is time-anchored
(DESIGN §2): it depends on the seed, the interval, the device and the timestamp only,
never on the requested range, the chunking or the other devices. Readings are the
outdoor air of the ``weather`` dataset (:mod:`._air`: the climate of the device's city
from the WMO 1991–2020 normals or the model calibrated on them, and synthetic weather
from fields of position shared by nearby devices) seen through a faulty sensor: a slow
drift (a random walk since the last service), noise, dropouts, stuck runs and a battery
that discharges between replacements. Only the climate is real.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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
    Universe,
    check,
    col,
    group,
    time_series,
)
from tempdata.datasets._air import Places, air, magnus_gamma, places
from tempdata.datasets._cities import top_cities
from tempdata.datasets._climate import city_elevation
from tempdata.datasets._seasons import DAY_S as _DAY_S
from tempdata.datasets.registry import register
from tempdata.samplers._base import Array, CallRepr

__all__ = ["DEFAULT_DEVICES", "STATUSES", "device_names", "iot_sensors", "sensor_fields"]

#: Devices generated unless ``custom_params={"devices": n}`` says otherwise.
DEFAULT_DEVICES = 50
#: Values of ``status``, most severe last.
STATUSES = ("ok", "low_battery", "stuck", "offline")
#: Battery level (%) under which a device reports ``low_battery``.
LOW_BATTERY = 20.0

_US = 1_000_000
#: Cities a device may be placed near: the country's most populous ones.
_CITY_POOL = 300
#: Jitter of a device around its city centre (degrees, each way).
_JITTER = 0.05
#: Outages (mean length in seconds, share of the time) and single lost readings.
_OUTAGE_S, _OUTAGE_SHARE, _PACKET_LOSS = 45 * 60, 0.01, 0.004
#: Chance that a device's stuck-window holds a stuck run; its mean length (seconds).
_STUCK_P, _STUCK_S = 0.04, 3 * 3600
#: Drift of the readings per square-root day since the last service.
_DRIFT = {"temperature": 0.06, "humidity": 0.35, "pressure": 0.08}
#: Battery service interval: 90-240 days, each replacement up to 30 % late.
_PERIOD_DAYS, _PERIOD_SPAN, _LATE = 90.0, 150.0, 0.3
_N_TRAITS = 10
_FIELDS = (
    "city",
    "lat",
    "lon",
    "temperature_c",
    "humidity_pct",
    "pressure_hpa",
    "battery_pct",
    "battery_replaced",
    "status",
)
_READINGS = ("temperature_c", "humidity_pct", "pressure_hpa", "battery_pct")


def device_names(count: int) -> tuple[str, ...]:
    """The first ``count`` device ids.

    >>> device_names(3)
    ('dev-00001', 'dev-00002', 'dev-00003')
    """
    return tuple(f"dev-{i:05d}" for i in range(1, count + 1))


def _devices(custom: Mapping[str, Any]) -> Universe:
    return Universe(device_names(int(custom.get("devices", DEFAULT_DEVICES))))


# ----------------------------------------------------------------- hashing helpers

_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_GOLD = np.uint64(0x9E3779B97F4A7C15)


def _uniform(key: Array, index: Array, salt: int) -> Array:
    """A uniform in [0, 1) per (device key, integer index, salt): splitmix64, vectorised."""
    x = key.astype(np.uint64) ^ (index.astype(np.int64).view(np.uint64) * _GOLD)
    x = x + np.uint64((salt * 0x94D049BB133111EB) % 2**64)
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    x = x ^ (x >> np.uint64(31))
    return np.asarray((x >> np.uint64(11)).astype(np.float64) / 2.0**53)


# ------------------------------------------------------------------ battery service


class _Service(NamedTuple):
    cycle: Array  # index of the service cycle the instant falls in
    start_s: Array  # when that cycle's battery went in (seconds since the epoch)
    battery: Array  # battery level, %


def _service(u: Array, key: Array, t_s: Array) -> _Service:
    """Battery cycles of devices with traits ``u`` at instants ``t_s`` (seconds).

    Cycle ``n`` starts at ``phase + n P + late_n P`` (``late_n`` in [0, 0.3)), so the
    cycle an instant falls in, its start and the battery follow from the instant alone.
    """
    period = (_PERIOD_DAYS + _PERIOD_SPAN * u[:, 5]) * _DAY_S
    phase = u[:, 6] * period
    m = np.floor((t_s - phase) / period).astype(np.int64)
    start_m = phase + (m + _uniform(key, m, 1) * _LATE) * period
    before = t_s < start_m
    cycle = np.where(before, m - 1, m)
    start = np.where(before, phase + (m - 1 + _uniform(key, m - 1, 1) * _LATE) * period, start_m)
    full = 100.0 - 3.0 * _uniform(key, cycle, 2)
    floor = 3.0 + 22.0 * u[:, 7]
    x = np.clip((t_s - start) / ((1.0 + _LATE) * period), 0.0, 1.0)
    # A Li-ion curve: a steady slope, then a faster fall near the end of the charge.
    battery = full - (full - floor) * (0.8 * x + 0.2 * x**4)
    return _Service(cycle, start, battery)


def _traits_of(seeder: Any, dataset: str, column: str, ids: Array) -> tuple[Array, Array]:
    """Uniforms and a 64-bit hash key per device, fixed by the seed and the device."""
    streams = ts.time_streams(seeder, dataset, column + "#device", interval=_DAY_S)
    draws = [streams.coarse(int(e)) for e in ids.tolist()]
    u = np.array([g.random(_N_TRAITS) for g in draws]).reshape(-1, _N_TRAITS)
    key = np.array([g.integers(0, 2**63, dtype=np.int64) for g in draws], dtype=np.int64)
    return u, key.view(np.uint64)


def _day_walk(streams: ts.TimeStreams, ids: Array, t_s: Array) -> Array:
    """A random walk with N(0, 1) steps per day, linear between midnights (any interval)."""
    day = np.floor(t_s / _DAY_S)
    k = day.astype(np.int64)
    both = ts.random_walk(streams, np.concatenate([ids, ids]), np.concatenate([k, k + 1]))
    w0, w1 = both[: len(ids)], both[len(ids) :]
    return np.asarray(w0 + (t_s / _DAY_S - day) * (w1 - w0))


class _Rows(NamedTuple):
    """Where rows sit: device ids, traits, key, position, grid step and instant, and
    the devices' places (``place`` indexes ``where``)."""

    ids: Array
    u: Array
    key: Array
    lat: Array
    lon: Array
    step: Array
    t_s: Array
    where: Places
    place: Array


@dataclass(frozen=True, repr=False)
class _Sensors(CallRepr, GroupSampler):
    _factory = "sensor_fields"

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        out: dict[str, pl.DataType] = dict.fromkeys(_FIELDS, pl.Float64())
        out["city"] = pl.String()
        out["battery_replaced"] = pl.Boolean()
        out["status"] = pl.Enum(list(STATUSES))
        return out

    def _streams(self, ctx: ChunkContext, name: str, interval: int | None = None) -> ts.TimeStreams:
        return ts.time_streams(
            ctx.seeder, ctx.dataset, f"{ctx.column}#{name}", interval=interval or ctx.interval
        )

    def _true(self, ctx: ChunkContext, r: _Rows) -> tuple[Array, Array, Array]:
        """The air's temperature, humidity and pressure at the rows (no sensor faults):
        the weather dataset's air (:func:`._air.air`) at the device's position, with
        the climate of its city."""
        stamp = ts.EPOCH + (r.step * (ctx.interval * _US)).astype("timedelta64[us]")
        a = air(ctx, r.where, r.place, r.step, stamp, prefix="air_", amounts=False, wind=False)
        gamma_t = magnus_gamma(a.temperature)
        dew = np.minimum(a.dew_point, a.temperature)
        humidity = 100.0 * np.exp(magnus_gamma(dew) - gamma_t)
        return a.temperature, humidity, a.pressure

    def _measured(self, ctx: ChunkContext, r: _Rows, service_start: Array) -> list[Array]:
        """What the sensor reads: the air plus drift since the last service and noise."""
        temperature, humidity, pressure = self._true(ctx, r)
        out = []
        for name, value, noise in (
            ("temperature", temperature, 0.15),
            ("humidity", humidity, 0.8),
            ("pressure", pressure, 0.1),
        ):
            walk = self._streams(ctx, "drift_" + name, _DAY_S)
            both = _day_walk(
                walk, np.concatenate([r.ids, r.ids]), np.concatenate([r.t_s, service_start])
            )
            drift = _DRIFT[name] * (both[: len(r.ids)] - both[len(r.ids) :])
            z = ts.white_noise(self._streams(ctx, "noise_" + name), r.ids, r.step)
            out.append(value + drift + noise * z)
        out[1] = np.clip(out[1], 1.0, 100.0)
        return [np.round(v, 1) for v in out]

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        iv = ctx.interval
        grid_ids = ctx.grid.entity_ids
        u_dev, key_dev = _traits_of(ctx.seeder, ctx.dataset, ctx.column, grid_ids)
        cities = top_cities(ctx.params.country, _CITY_POOL)
        pick = np.searchsorted(cities.cum, u_dev[:, 3], side="right")
        pick = np.minimum(pick, len(cities.city) - 1)
        dev_lat = np.round(cities.lat[pick] + _JITTER * (2 * u_dev[:, 4] - 1), 5)
        dev_lon = np.round(cities.lon[pick] + _JITTER * (2 * u_dev[:, 8] - 1), 5)
        dev_lat = np.clip(dev_lat, -90.0, 90.0)
        dev_lon = (dev_lon + 180.0) % 360.0 - 180.0
        e = ctx.entity
        t_us = (ctx.timestamp - ts.EPOCH).astype(np.int64)
        where = places(
            dev_lat,
            dev_lon,
            city_elevation(cities.key[pick]),
            climate_lat=cities.lat[pick],
            climate_lon=cities.lon[pick],
        )
        r = _Rows(
            ctx.entity_id,
            u_dev[e],
            key_dev[e],
            dev_lat[e],
            dev_lon[e],
            ctx.step,
            t_us / _US,
            where,
            e,
        )
        out: dict[str, SampleOutput] = {
            "city": pl.Series(cities.city, dtype=pl.String).gather(pick[e]),
            "lat": r.lat,
            "lon": r.lon,
        }
        service = _service(r.u, r.key, r.t_s)
        previous = _service(r.u, r.key, r.t_s - iv)
        replaced = service.cycle != previous.cycle
        temperature, humidity, pressure = self._measured(ctx, r, service.start_s)

        # Stuck runs: each device's window of `span` steps holds at most one run, so a
        # stuck row knows the step its run froze at from its own step alone.
        span = max(96, _DAY_S // iv)
        window = r.step // span
        mean_steps = max(3.0, _STUCK_S / iv)
        has_run = _uniform(r.key, window, 3) < _STUCK_P
        first = (window * span + np.floor(_uniform(r.key, window, 4) * span)).astype(np.int64)
        length = 2 + np.floor(-np.log1p(-_uniform(r.key, window, 5)) * (mean_steps - 2))
        stuck = has_run & (r.step > first) & (r.step < first + length.astype(np.int64))
        idx = np.flatnonzero(stuck)
        if idx.size:
            sub = _Rows(
                r.ids[idx],
                r.u[idx],
                r.key[idx],
                r.lat[idx],
                r.lon[idx],
                first[idx],
                (first[idx] * iv).astype(np.float64),
                where,
                r.place[idx],
            )
            frozen = self._measured(ctx, sub, _service(sub.u, sub.key, sub.t_s).start_s)
            for value, held in zip((temperature, humidity, pressure), frozen, strict=True):
                value[idx] = held

        # Dropouts: outages (several steps) and single lost readings.
        steps = max(1.0, _OUTAGE_S / iv)
        events = ts.spikes_and_outages(
            self._streams(ctx, "dropout"),
            r.ids,
            r.step,
            spike_rate=_PACKET_LOSS,
            outage_rate=min(1.0, _OUTAGE_SHARE / steps),
            outage_steps=steps,
        )
        offline = events.outage | (events.spike != 0)
        battery = np.round(service.battery, 1)
        status = np.where(
            offline, 3, np.where(stuck, 2, np.where(battery < LOW_BATTERY, 1, 0))
        ).astype(np.int64)
        out["battery_replaced"] = replaced
        out["status"] = pl.Series(STATUSES, dtype=pl.Enum(list(STATUSES))).gather(status)
        for name, v in zip(_READINGS, (temperature, humidity, pressure, battery), strict=True):
            out[name] = pl.Series(name, np.where(offline, np.nan, v), nan_to_null=True)
        return {f: out[f] for f in fields}


def sensor_fields() -> GroupSampler:
    """Location, readings, battery and status of the ``iot_sensors`` dataset.

    >>> sensor_fields()
    sensor_fields()
    """
    return _Sensors()


def _prev(name: str) -> pl.Expr:
    return pl.col(name).shift(1).over("device_id")


_DESCRIPTIONS: dict[str, Any] = {
    "city": "City the device stands near (its coordinates are jittered a few km).",
    "lat": "Latitude of the device (degrees north).",
    "lon": "Longitude of the device (degrees east).",
    "temperature_c": "Air temperature read by the sensor (°C; null when offline).",
    "humidity_pct": "Relative humidity read by the sensor (%, 1-100; null when offline).",
    "pressure_hpa": "Air pressure read by the sensor (hPa; null when offline).",
    "battery_pct": "Battery level (%; null when offline); falls until a replacement.",
    "battery_replaced": "Whether the battery was replaced since the previous step.",
    "status": "ok, low_battery (battery < 20 %), stuck (readings frozen) or offline "
    "(no reading: every reading is null).",
}

iot_sensors = register(
    Dataset(
        "iot_sensors",
        domain="iot",
        description="Environmental IoT sensors near real cities: temperature, humidity, "
        "pressure and battery every 5 minutes (or 1min to 1hour), with drift, noise, "
        "dropouts, stuck readings and battery replacements: one row per device per step, "
        "sorted by time, then device.",
        parameters={
            "devices": Parameter(
                f"Number of devices (default {DEFAULT_DEVICES}).",
                default=DEFAULT_DEVICES,
                high=10_000,
            )
        },
        time_series=time_series(
            entities="devices",
            interval="5min",
            intervals=["1min", "5min", "15min", "1hour"],
            unit="device",
            universe=_devices,
        ),
        notes="Rows are every device at every step of the date range (UTC). Devices are "
        "dev-00001, dev-00002, ...; each stands near one of the 300 most populous cities of "
        "`country` (the world for 'global'), picked with probability proportional to "
        "population, its coordinates jittered by up to 0.05°. Fewer devices leave the "
        "first ones unchanged. A device's values at a timestamp depend only on the seed, "
        "the interval, the device and the timestamp: extending the range leaves earlier "
        "rows unchanged. The air is the weather dataset's (see its notes): real climate "
        "(the monthly normals of the device's city, WMO 1991-2020, or the model calibrated "
        "on them; Lomé about 28 °C in January, nights about 24 °C) and synthetic weather "
        "(temperature, dew point and pressure anomalies from fields shared by nearby places "
        "and the device's own AR(1) noise, keyed by its coordinates). The sensor adds "
        "drift, a per-device random walk since the last service (sd 0.06 °C, 0.35 % and "
        "0.08 hPa per square-root day, recalibrated at every battery replacement), "
        "noise (sd 0.15 °C, 0.8 %, 0.1 hPa), and rounds to 0.1. "
        "Stuck runs: in about 4 % of each device's windows of max(96 steps, 1 day) the "
        "readings freeze for 2+ steps (3 hours on average) and repeat the value of the "
        "step they froze at exactly (status stuck). Dropouts: outages (about 1 % of the "
        "time, 45 minutes on average) and single lost readings (0.4 % of steps) make every "
        "reading null (status offline). Battery: each device is serviced every 90-240 days "
        "(per device; each visit up to 30 % late); a fresh battery reads 97-100 % and "
        "falls steadily, faster at the end, to 3-25 % at the latest visit; "
        "battery_replaced marks the first step after a visit. The schedule is in time, "
        "not steps: the battery at an instant is the same at every interval. "
        "time_series=TimeSeriesConfig(...) (--seasonality, --volatility): "
        "seasonal_patterns without daily or yearly flattens those cycles; "
        "volatility_level multiplies the weather anomalies. trend_direction does nothing.",
        columns=[
            col("timestamp", s.series_timestamps(), description="Start of the step (UTC)."),
            col("device_id", s.series_entities(), description="Device id, dev-NNNNN."),
            group("readings", sensor_fields(), columns=list(_FIELDS), descriptions=_DESCRIPTIONS),
        ],
        nullable=list(_READINGS),
        checks=[
            check(
                "temperature_plausible",
                pl.col("temperature_c").is_between(-90, 65).fill_null(True),
                "-90 °C ≤ temperature ≤ 65 °C.",
            ),
            check(
                "humidity_in_range",
                pl.col("humidity_pct").is_between(1, 100).fill_null(True),
                "1 % ≤ humidity ≤ 100 %.",
            ),
            check(
                "pressure_plausible",
                pl.col("pressure_hpa").is_between(870, 1085).fill_null(True),
                "870 hPa ≤ pressure ≤ 1,085 hPa.",
            ),
            check(
                "battery_in_range",
                pl.col("battery_pct").is_between(0, 100).fill_null(True),
                "0 ≤ battery ≤ 100 %.",
            ),
            check(
                "battery_falls_between_replacements",
                (
                    pl.col("battery_replaced") | (pl.col("battery_pct") <= _prev("battery_pct"))
                ).fill_null(True),
                "Battery never rises from one step to the next except at a replacement.",
            ),
            check(
                "readings_null_iff_offline",
                pl.all_horizontal(
                    pl.col(c).is_null() == (pl.col("status") == "offline") for c in _READINGS
                ),
                "Every reading is null exactly when the device is offline.",
            ),
            check(
                "stuck_repeats_previous_reading",
                (
                    (pl.col("status") != "stuck")
                    | pl.all_horizontal(
                        (pl.col(c) == _prev(c)).fill_null(True)
                        for c in ("temperature_c", "humidity_pct", "pressure_hpa")
                    )
                ),
                "A stuck reading repeats the device's previous reading exactly.",
            ),
            check(
                "low_battery_status",
                ((pl.col("status") != "ok") | (pl.col("battery_pct") >= LOW_BATTERY)).fill_null(
                    True
                ),
                "A device reporting ok has at least 20 % battery.",
            ),
            check(
                "coordinates_valid",
                pl.col("lat").is_between(-90, 90) & pl.col("lon").is_between(-180, 180),
            ),
            check(
                "sorted_by_time",
                pl.col("timestamp") >= pl.col("timestamp").shift(1).fill_null(pl.col("timestamp")),
            ),
            check("one_row_per_device_and_time", pl.struct("timestamp", "device_id").is_unique()),
        ],
    )
)
