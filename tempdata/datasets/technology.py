"""Technology datasets: ``system_metrics`` (a fleet of servers, one row per host per step).

Every value is time-anchored (DESIGN §2): it depends on the seed, the interval, the host
and the timestamp only, never on the requested range, the chunking or the other hosts.
A host's metrics share one latent load: a business-hours curve of its role with a weekly
dip, times an AR(1) wander and rare spikes, so CPU, network, disk I/O and load average
rise and fall together. Memory and disk are slow sawtooths (restarts, log clean-ups).
Incidents are drawn with :func:`tempdata.core.timeseries.spikes_and_outages`: spikes,
saturation episodes (CPU pinned near 100 %) and outages (the host is silent: ``up`` is
false and every metric is null).
"""

from __future__ import annotations

import math
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
from tempdata.datasets.registry import register
from tempdata.samplers._base import Array, CallRepr

__all__ = ["DEFAULT_HOSTS", "ROLES", "Role", "host_names", "system_metrics"]

#: Hosts generated unless ``custom_params={"hosts": n}`` says otherwise.
DEFAULT_HOSTS = 20


class Role(NamedTuple):
    """What a role's host looks like.

    Load is ``base + swing × busy(t)`` with ``busy`` in [0, 1] (business-hours peak);
    ``memory`` is the memory share just after a restart, ``net_in`` the inbound
    traffic (Mbit/s) at full load, ``out_ratio`` outbound over inbound, ``disk_io``
    the disk throughput (MB/s) at full load and ``cores`` the CPU count that scales
    ``load_avg``.
    """

    name: str
    base: float
    swing: float
    memory: float
    net_in: float
    out_ratio: float
    disk_io: float
    cores: int


#: Hand-set magnitudes of a typical web stack.
ROLES: tuple[Role, ...] = (
    Role("web", 0.10, 0.60, 40.0, 180.0, 3.0, 4.0, 8),
    Role("db", 0.15, 0.45, 65.0, 90.0, 2.0, 120.0, 16),
    Role("cache", 0.08, 0.35, 70.0, 300.0, 1.2, 2.0, 4),
    Role("worker", 0.25, 0.30, 45.0, 60.0, 0.5, 40.0, 16),
)
_ROLE_NAMES = [r.name for r in ROLES]
_ROLE_INDEX = {r.name: i for i, r in enumerate(ROLES)}
#: Roles of hosts 0, 1, 2, ... (repeating): 20 hosts are 8 web, 6 worker, 4 db, 2 cache.
_PATTERN = ("web", "db", "worker", "web", "cache", "worker", "web", "db", "worker", "web")

#: Share of the time a host is down, and an outage's mean length (seconds).
_DOWN_SHARE, _DOWN_S = 0.002, 20 * 60
#: Share of the time a host is saturated, and an episode's mean length (seconds).
_SATURATED_SHARE, _SATURATED_S = 0.004, 45 * 60
#: Chance that a step carries a load spike.
_SPIKE_RATE = 0.002
#: Memory of the load's AR(1) wander and of memory's slow drift (seconds).
_LOAD_MEMORY_S, _MEMORY_DRIFT_S = 30 * 60, 6 * 3600
_DAY_US, _WEEK_DAYS = 86_400 * 1_000_000, 7


def host_names(count: int) -> tuple[str, ...]:
    """The first ``count`` host names: roles in a fixed rotation, numbered per role.

    >>> host_names(6)
    ('web-01', 'db-01', 'worker-01', 'web-02', 'cache-01', 'worker-02')
    """
    seen = dict.fromkeys(_ROLE_NAMES, 0)
    names = []
    for i in range(count):
        role = _PATTERN[i % len(_PATTERN)]
        seen[role] += 1
        names.append(f"{role}-{seen[role]:02d}")
    return tuple(names)


def _hosts(custom: Mapping[str, Any]) -> Universe:
    return Universe(host_names(int(custom.get("hosts", DEFAULT_HOSTS))))


_METRICS = (
    "cpu_pct",
    "memory_pct",
    "disk_pct",
    "disk_io_mbps",
    "network_in_mbps",
    "network_out_mbps",
    "load_avg",
)


def _streams(ctx: ChunkContext, name: str) -> ts.TimeStreams:
    return ts.time_streams(ctx.seeder, ctx.dataset, f"{ctx.column}#{name}", interval=ctx.interval)


def _events(ctx: ChunkContext, name: str, share: float, seconds: float, spikes: float) -> ts.Events:
    """Episodes covering about ``share`` of the time, ``seconds`` long on average."""
    steps = max(1.0, seconds / ctx.interval)
    return ts.spikes_and_outages(
        _streams(ctx, name),
        ctx.entity_id,
        ctx.step,
        spike_rate=spikes,
        outage_rate=min(1.0, share / steps),
        outage_steps=steps,
    )


@dataclass(frozen=True, repr=False)
class _Metrics(CallRepr, GroupSampler):
    _factory = "system_metrics"

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        return {"up": pl.Boolean(), **dict.fromkeys(_METRICS, pl.Float64())}

    def _host_traits(self, ctx: ChunkContext) -> Array:
        """Six uniforms per host, keyed on a daily grid: the same at every interval."""
        streams = ts.time_streams(ctx.seeder, ctx.dataset, f"{ctx.column}#host", interval=86_400)
        return np.array([streams.coarse(e).random(6) for e in ctx.grid.entity_ids.tolist()])

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        cfg = ctx.params.series or ts.TimeSeriesConfig()
        vol = cfg.volatility
        ids, step, iv = ctx.entity_id, ctx.step, ctx.interval
        labels = ctx.grid.labels
        role_of_host = np.array([_ROLE_INDEX[label.split("-")[0]] for label in labels])
        role = role_of_host[ctx.entity]
        table = np.array(
            [[r.base, r.swing, r.memory, r.net_in, r.out_ratio, r.disk_io, r.cores] for r in ROLES]
        )[role]
        base, swing, mem0, net_in, out_ratio, disk_io, cores = table.T
        host = self._host_traits(ctx)[ctx.entity]
        t_us = (ctx.timestamp - ts.EPOCH).astype(np.int64)
        t_s = t_us / 1e6

        # Business-hours curve (peak about 14:00 UTC), quieter on weekends.
        if cfg.seasonal("daily"):
            c = ts.seasonality(
                _streams(ctx, "season"), ids, ctx.timestamp, daily=1.0, peaks=(0.58, 0.7, 0.55)
            )
            busy = (0.5 * (1.0 + c)) ** 2
        else:
            busy = np.full(ctx.n, 0.375)  # the curve's mean
        if cfg.seasonal("weekly"):
            weekend = (t_us // _DAY_US) % _WEEK_DAYS >= 5  # the epoch is a Monday
            busy = np.where(weekend, 0.45 * busy, busy)
        phi = math.exp(-iv / _LOAD_MEMORY_S)
        wander = ts.ar1(_streams(ctx, "load"), ids, step, phi=phi, sigma=math.sqrt(1 - phi**2))
        sd = 0.25 * vol
        incident = _events(ctx, "incident", _SATURATED_SHARE, _SATURATED_S, _SPIKE_RATE)
        load = (base + swing * busy) * (0.8 + 0.4 * host[:, 0])
        load = load * np.exp(sd * wander - 0.5 * sd * sd) * (1.0 + 0.4 * np.abs(incident.spike))
        saturated = incident.outage

        z = {
            name: ts.white_noise(_streams(ctx, name), ids, step)
            for name in ("cpu", "in", "out", "io", "la", "mem")
        }
        cpu = np.clip(100.0 * load + 2.0 * vol * z["cpu"], 0.5, 100.0)
        cpu = np.where(saturated, 100.0 - np.minimum(1.5 * np.abs(z["cpu"]), 4.0), cpu)
        pressure = cpu / 100.0
        net = net_in * pressure * (0.7 + 0.6 * host[:, 1]) * np.exp(0.15 * vol * z["in"])
        net_out = net * out_ratio * np.exp(0.1 * vol * z["out"])
        io = disk_io * pressure**0.8 * np.exp(0.4 * vol * z["io"])
        queue = np.where(saturated, 1.3 + 0.5 * np.abs(z["la"]), 1.0)
        load_avg = cores * pressure * queue * np.exp(0.1 * vol * z["la"])

        # Memory: grows between restarts every 2-9 days, with a slow drift.
        period = (2.0 + 7.0 * host[:, 2]) * 86_400
        saw = (t_s / period + host[:, 3]) % 1.0
        phi_m = math.exp(-iv / _MEMORY_DRIFT_S)
        drift = ts.ar1(_streams(ctx, "memory"), ids, step, phi=phi_m, sigma=math.sqrt(1 - phi_m**2))
        memory = mem0 + 18.0 * saw + 3.0 * vol * drift + 6.0 * pressure + 0.3 * z["mem"]
        # Disk: fills from 25-45 % by 20-45 points over 15-60 days, then a clean-up.
        fill_days = 15.0 + 45.0 * host[:, 4]
        low = 25.0 + 20.0 * host[:, 5]
        fill = ((t_s / (fill_days * 86_400) + host[:, 5]) % 1.0) * (20.0 + 25.0 * host[:, 4])
        disk = low + fill

        down = _events(ctx, "down", _DOWN_SHARE, _DOWN_S, 0.0).outage
        values = {
            "cpu_pct": cpu,
            "memory_pct": np.clip(memory, 1.0, 99.5),
            "disk_pct": np.clip(disk, 0.0, 100.0),
            "disk_io_mbps": io,
            "network_in_mbps": net,
            "network_out_mbps": net_out,
            "load_avg": load_avg,
        }
        out: dict[str, SampleOutput] = {"up": ~down}
        for name, v in values.items():
            out[name] = pl.Series(name, np.where(down, np.nan, np.round(v, 2)), nan_to_null=True)
        return {f: out[f] for f in fields}


def _metrics_null_iff_down() -> pl.Expr:
    return pl.all_horizontal(pl.col(m).is_null() == ~pl.col("up") for m in _METRICS)


def _within(name: str, low: float, high: float | None = None) -> pl.Expr:
    expr = pl.col(name) >= low
    if high is not None:
        expr = expr & (pl.col(name) <= high)
    return expr.fill_null(True)


system_metrics = register(
    Dataset(
        "system_metrics",
        domain="technology",
        description="Per-minute (or 5min to 1hour) CPU, memory, disk and network metrics of "
        "a fleet of servers (web, db, cache and worker hosts): one row per host per step, "
        "sorted by time, then host.",
        parameters={
            "hosts": Parameter(
                "Number of hosts (roles rotate: 20 hosts are 8 web, 6 worker, 4 db, 2 cache).",
                default=DEFAULT_HOSTS,
                high=1_000,
            )
        },
        time_series=time_series(
            entities="hosts",
            interval="1min",
            intervals=["1min", "5min", "15min", "1hour"],
            unit="host",
            universe=_hosts,
        ),
        notes="Rows are every host at every step of the date range (UTC). Hosts are named "
        "role-NN (web-01, db-01, worker-01, web-02, cache-01, ...): the roles rotate in a "
        "fixed order, so fewer hosts leave the first ones unchanged. A host's values at a "
        "timestamp depend only on the seed, the interval and the host: extending the range "
        "leaves earlier rows unchanged; each interval is its own series (5min rows are not "
        "averages of 1min ones). One latent load per host drives cpu_pct, network, disk I/O "
        "and load_avg: its role's level plus a business-hours curve (peak about 14:00 UTC, "
        "night trough, weekends at 45 %), times an AR(1) wander with a 30-minute memory and "
        "rare spikes (0.2 % of steps). Web hosts swing most; workers are busy around the "
        "clock. memory_pct is a sawtooth: it grows by about 18 points between restarts "
        "every 2-9 days (per host) with a slow drift and a little load; disk_pct fills from "
        "25-45 % by 20-45 points over 15-60 days, then a clean-up empties it. load_avg is "
        "the role's cores (web 8, db 16, cache 4, worker 16) × cpu share. Incidents: "
        "saturation episodes (about 0.4 % of the time, 45 minutes on average) pin cpu_pct "
        "near 100 % and queue load_avg above the core count; outages (about 0.2 % of the "
        "time, 20 minutes on average) make a host silent: up is false and every metric is "
        "null. At coarse intervals an episode lasts at least one step. "
        "time_series=TimeSeriesConfig(...) (--seasonality, --trend, --volatility) changes "
        "two things, and its defaults nothing: seasonal_patterns without daily flattens the "
        "business-hours curve to its mean, without weekly drops the weekend dip; "
        "volatility_level multiplies the noise of every metric (low 0.5×, high 2×). "
        "trend_direction does nothing (system metrics have no trend).",
        columns=[
            col("timestamp", s.series_timestamps(), description="Start of the step (UTC)."),
            col("host", s.series_entities(), description="Host name, role-NN."),
            col(
                "role",
                pl.col("host")
                .cast(pl.String)
                .str.extract(r"^([a-z]+)-", 1)
                .cast(pl.Enum(_ROLE_NAMES)),
                description="What the host serves: web, db, cache or worker.",
            ),
            group(
                "metrics",
                _Metrics(),
                columns=["up", *_METRICS],
                descriptions={
                    "up": "Whether the host reported (false during an outage).",
                    "cpu_pct": "CPU utilisation, 0-100 %.",
                    "memory_pct": "Memory in use, 0-100 %.",
                    "disk_pct": "Disk space in use, 0-100 %.",
                    "disk_io_mbps": "Disk throughput, MB/s.",
                    "network_in_mbps": "Inbound traffic, Mbit/s.",
                    "network_out_mbps": "Outbound traffic, Mbit/s.",
                    "load_avg": "One-minute load average (runnable tasks).",
                },
            ),
        ],
        nullable=list(_METRICS),
        checks=[
            *(
                check(f"{m}_in_0_100", _within(m, 0.0, 100.0), f"{m} lies in [0, 100].")
                for m in ("cpu_pct", "memory_pct", "disk_pct")
            ),
            *(
                check(f"{m}_not_negative", _within(m, 0.0))
                for m in ("disk_io_mbps", "network_in_mbps", "network_out_mbps", "load_avg")
            ),
            check(
                "metrics_null_iff_down",
                _metrics_null_iff_down(),
                "Every metric is null exactly when the host is down.",
            ),
            check(
                "role_matches_host",
                pl.col("host").cast(pl.String).str.starts_with(pl.col("role").cast(pl.String)),
            ),
            check(
                "sorted_by_time",
                pl.col("timestamp") >= pl.col("timestamp").shift(1).fill_null(pl.col("timestamp")),
            ),
            check("one_row_per_host_and_time", pl.struct("timestamp", "host").is_unique()),
        ],
    )
)
