"""The time-series core: grid, streams, processes and their statistics."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from tempdata.core import timeseries as ts
from tempdata.core.seeding import Seeder, name_hash
from tempdata.core.timeseries import BLOCK, EPOCH, TimeSeriesConfig
from tempdata.errors import InvalidParameterError

Array = np.ndarray[Any, Any]
L = BLOCK


def ks_2samp(a: Array, b: Array) -> tuple[float, float]:
    """Two-sample Kolmogorov–Smirnov statistic and asymptotic p-value (no scipy)."""
    a, b = np.sort(a), np.sort(b)
    both = np.concatenate([a, b])
    d = float(
        np.abs(
            np.searchsorted(a, both, side="right") / a.size
            - np.searchsorted(b, both, side="right") / b.size
        ).max()
    )
    en = math.sqrt(a.size * b.size / (a.size + b.size))
    lam = (en + 0.12 + 0.11 / en) * d
    j = np.arange(1, 101)
    p = float(2 * np.sum((-1.0) ** (j - 1) * np.exp(-2 * j**2 * lam**2)))
    return d, min(max(p, 0.0), 1.0)


def streams(interval: str = "1day", column: str = "x", seed: int = 5) -> ts.TimeStreams:
    return ts.time_streams(seed, "demo", column, interval=interval)


# ---------------------------------------------------------------------------- grid


def test_epoch_is_a_monday_midnight_and_steps_follow_it() -> None:
    assert EPOCH.astype(dt.datetime).weekday() == 0
    k = ts.steps_between("2024-01-01", "2024-01-31", interval="1week")
    days = ts.step_times(k, interval="1week").astype(dt.datetime)
    assert all(d.weekday() == 0 and d.hour == 0 for d in days)
    assert len(ts.steps_between("2024-01-01", "2024-12-31", interval="1day")) == 366


def test_steps_between_includes_both_ends_and_round_trips() -> None:
    k = ts.steps_between(dt.datetime(2024, 3, 1, 0, 0), "2024-03-01T00:05", interval="1min")
    assert len(k) == 6
    times = ts.step_times(k, interval="1min")
    assert times[0] == np.datetime64("2024-03-01T00:00")
    assert times[-1] == np.datetime64("2024-03-01T00:05")
    assert np.array_equal(ts.step_index(times, interval="1min"), k)
    # A start between steps rounds up; an end between steps rounds down.
    k2 = ts.steps_between("2024-03-01T00:00:30", "2024-03-01T00:05:30", interval=60)
    assert np.array_equal(k2, k[1:])
    # Aware datetimes are read in UTC.
    aware = dt.datetime(2024, 3, 1, 1, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert ts.steps_between(aware, aware, interval="1min")[0] == k[0]


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: ts.interval_seconds("2min"), "unknown interval '2min'"),
        (lambda: ts.interval_seconds(0), "interval must be a positive"),
        (lambda: ts.interval_seconds(True), "interval must be a name"),
        (lambda: ts.steps_between("1899-12-31", "1900-01-02", interval="1day"), "epoch"),
        (lambda: ts.steps_between("2024-02-01", "2024-01-01", interval="1day"), "before its start"),
        (lambda: ts.steps_between("31/12/2024", "2025-01-01", interval="1day"), "start must be"),
        (lambda: ts.white_noise(streams(), -1, 0), "entity ids must lie"),
        (lambda: ts.white_noise(streams(), 0, np.array([0.5])), "steps must be integers"),
        (lambda: ts.white_noise(streams(), np.zeros(3, int), np.zeros(2, int)), "broadcast"),
        (lambda: ts.ar1(streams(), 0, 0, phi=1.0), "phi must lie in"),
        (lambda: ts.ar1(streams(), 0, 0, phi=0.5, sigma=0), "sigma must be"),
        (lambda: ts.gbm(streams(), 0, 0, sigma=-0.1), "gbm: mu must be finite"),
        (lambda: ts.gbm(streams(), 0, 0, start_price=0), "start_price must be positive"),
        (lambda: ts.trend(streams(), 0, EPOCH, direction="sideways"), "unknown trend direction"),
        (lambda: ts.stochastic_volatility(streams(), 0, 0, vol=0), "vol must be"),
        (lambda: ts.spikes_and_outages(streams(), 0, 0, spike_rate=2), "spike_rate must be"),
        (lambda: ts.spikes_and_outages(streams(), 0, 0, outage_steps=0.5), "outage_steps"),
        (lambda: ts.time_streams(1, "", "x", interval="1day"), "dataset name"),
    ],
)
def test_invalid_arguments_raise_one_line_errors(call: Callable[[], object], match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match) as info:
        call()
    assert "\n" not in str(info.value)


# ------------------------------------------------------------------------- streams


def test_stream_keys_follow_the_documented_formula() -> None:
    s = streams("1hour", column="temp", seed=42)
    head = (name_hash("demo"), name_hash("temp"), name_hash("#time"), 3600, 7, 0)
    block = np.random.default_rng(np.random.SeedSequence(42, spawn_key=(*head, 0, 30)))
    coarse = np.random.default_rng(np.random.SeedSequence(42, spawn_key=(*head, 1)))
    assert np.array_equal(s.block(7, 30).random(4), block.random(4))
    assert np.array_equal(s.coarse(7).random(4), coarse.random(4))
    big = 2**40 + 3
    assert Seeder(42).time_sequence("demo", "temp", interval=3600, entity=big).spawn_key[4:6] == (
        3,
        2**8,
    )


def test_time_streams_never_meet_row_chunk_streams() -> None:
    seeder = Seeder(1)
    row = [seeder.stream("demo", "x", c).random() for c in range(4)]
    time = [streams("1day", seed=1).block(0, b).random() for b in range(4)]
    coarse = streams("1day", seed=1).coarse(0).random()
    assert len({*row, *time, coarse}) == 9


def test_coarse_draws_are_prefix_stable() -> None:
    s = streams()
    assert np.array_equal(s.coarse(3).standard_normal(10), s.coarse(3).standard_normal(1000)[:10])


def test_sub_streams_and_repr() -> None:
    s = streams("1min", column="load", seed=9)
    assert s.sub("nulls").column == "load#nulls"
    assert repr(s) == (
        "time_streams(Seeder(9, reference_date='2025-12-31'), 'demo', 'load', interval=60)"
    )


# ------------------------------------------------------------- anchoring and chunks

PROCESSES: dict[str, Callable[[ts.TimeStreams, Array, Array], Array]] = {
    "white_noise": ts.white_noise,
    "random_walk": ts.random_walk,
    "ar1": lambda s, e, k: ts.ar1(s, e, k, phi=0.95, sigma=0.5),
    "gbm": lambda s, e, k: ts.gbm(s, e, k, mu=0.08, sigma=0.3, start_price=50.0),
    "sv_returns": lambda s, e, k: ts.stochastic_volatility(s, e, k, vol=0.01).returns,
    "sv_level": lambda s, e, k: (
        ts.stochastic_volatility(s, e, k, vol=0.01, anchor="2020-01-01").level
    ),
    "sv_volatility": lambda s, e, k: ts.stochastic_volatility(s, e, k, vol=0.01).volatility,
    "outage": lambda s, e, k: ts.spikes_and_outages(s, e, k, outage_rate=0.01).outage,
    "spike": lambda s, e, k: ts.spikes_and_outages(s, e, k, spike_rate=0.01).spike,
}


@pytest.mark.parametrize("interval", ["1min", "1hour", "1day"])
@pytest.mark.parametrize("process", list(PROCESSES))
def test_february_is_the_same_in_jan_mar_and_feb_apr(process: str, interval: str) -> None:
    s = streams(interval)
    entities = np.array([0, 4, 17])[:, None]
    jan_mar = ts.steps_between("2024-01-01", "2024-03-31T23:59", interval=interval)
    feb_apr = ts.steps_between("2024-02-01", "2024-04-30T23:59", interval=interval)
    feb = ts.steps_between("2024-02-01", "2024-02-29T23:59", interval=interval)
    a = PROCESSES[process](s, entities, jan_mar[None, :])
    b = PROCESSES[process](s, entities, feb_apr[None, :])
    in_a = np.isin(jan_mar, feb)
    in_b = np.isin(feb_apr, feb)
    assert np.array_equal(a[:, in_a], b[:, in_b])
    assert np.unique(a).size > 1


@pytest.mark.parametrize("process", list(PROCESSES))
def test_pieces_concatenate_to_the_whole(process: str) -> None:
    s = streams("1hour")
    start = 5 * L - 300
    k = np.arange(start, start + 3 * L)
    entities = np.arange(6)[:, None]
    whole = PROCESSES[process](s, entities, k[None, :])
    # Splits inside blocks and exactly at block boundaries (5L, 6L, 7L).
    cuts = [0, 1, 300, 301, 2000, 300 + L, 300 + 2 * L, 3 * L]
    pieces = [PROCESSES[process](s, entities, k[None, a:b]) for a, b in itertools.pairwise(cuts)]
    assert np.array_equal(np.concatenate(pieces, axis=1), whole)
    # Entity subsets, in any order, and one value per row.
    subset = np.array([4, 1])
    assert np.array_equal(PROCESSES[process](s, subset[:, None], k[None, :]), whole[subset])
    rows = PROCESSES[process](s, np.array([3, 0, 3]), k[np.array([10, 5000, 9000])])
    assert np.array_equal(rows, whole[[3, 0, 3], [10, 5000, 9000]])


@pytest.mark.parametrize("process", list(PROCESSES))
def test_same_seed_same_values_and_seeds_entities_columns_differ(process: str) -> None:
    k = np.arange(10 * L, 10 * L + 50)
    f = PROCESSES[process]
    if process in ("outage", "spike"):
        k = np.arange(10 * L, 12 * L)
    base = f(streams(), np.array([1]), k)
    assert np.array_equal(base, f(streams(), np.array([1]), k))
    for other in (
        f(streams(seed=6), np.array([1]), k),
        f(streams(), np.array([2]), k),
        f(streams(column="y"), np.array([1]), k),
        f(streams("1hour"), np.array([1]), k),
    ):
        assert not np.array_equal(other, base)


def test_empty_requests_give_empty_arrays() -> None:
    s = streams()
    assert ts.random_walk(s, np.arange(3)[:, None], np.zeros((1, 0), int)).shape == (3, 0)
    assert ts.stochastic_volatility(s, np.zeros(0, int), 5, vol=0.1).level.shape == (0,)


# ---------------------------------------------------------------------- no seam


def boundary_and_interior_steps(n_blocks: int, first: int = 3) -> tuple[Array, Array]:
    """Step pairs (k-1, k) with k at block starts, and with k in the middle of blocks."""
    b = np.arange(first, first + n_blocks)
    return np.stack([b * L - 1, b * L], 1).ravel(), np.stack(
        [b * L + L // 2 - 1, b * L + L // 2], 1
    ).ravel()


def test_random_walk_steps_are_standard_normal_across_boundaries() -> None:
    s = streams("1min")
    entities = np.arange(300)[:, None]
    at, mid = boundary_and_interior_steps(6)
    w_at, w_mid = ts.random_walk(s, entities, at), ts.random_walk(s, entities, mid)
    inc_at = (w_at[:, 1::2] - w_at[:, ::2]).ravel()
    inc_mid = (w_mid[:, 1::2] - w_mid[:, ::2]).ravel()
    assert ks_2samp(inc_at, inc_mid)[1] > 0.001
    for inc in (inc_at, inc_mid):
        assert abs(inc.mean()) < 4 / math.sqrt(inc.size)
        assert abs(inc.var() - 1) < 0.1
    # Whole paths: unit increments and variance growing linearly.
    w = ts.random_walk(s, entities, np.arange(2 * L, 4 * L)[None, :])
    d = np.diff(w, axis=1)
    assert abs(d.mean()) < 0.01
    assert abs(d.var() - 1) < 0.01
    assert abs(np.corrcoef(d[:, :-1].ravel(), d[:, 1:].ravel())[0, 1]) < 0.01


def test_random_walk_boundary_values_have_the_epoch_variance() -> None:
    w = ts.random_walk(streams(), np.arange(400), 9 * L)
    assert abs(w.var() / (9 * L) - 1) < 0.2


def test_ar1_is_stationary_with_lag_one_correlation_phi_across_boundaries() -> None:
    phi, sigma = 0.9, 2.0
    s = streams("1hour")
    entities = np.arange(300)[:, None]
    at, mid = boundary_and_interior_steps(6)
    x_at, x_mid = (
        ts.ar1(s, entities, at, phi=phi, sigma=sigma),
        ts.ar1(s, entities, mid, phi=phi, sigma=sigma),
    )
    innov_at = ((x_at[:, 1::2] - phi * x_at[:, ::2]) / sigma).ravel()
    innov_mid = ((x_mid[:, 1::2] - phi * x_mid[:, ::2]) / sigma).ravel()
    assert ks_2samp(innov_at, innov_mid)[1] > 0.001
    assert abs(np.corrcoef(x_at[:, ::2].ravel(), x_at[:, 1::2].ravel())[0, 1] - phi) < 0.02
    assert abs(np.corrcoef(innov_at, x_at[:, ::2].ravel())[0, 1]) < 0.08
    stationary = sigma**2 / (1 - phi**2)
    x = ts.ar1(s, np.arange(40)[:, None], np.arange(L, 3 * L)[None, :], phi=phi, sigma=sigma)
    assert abs(x.var() / stationary - 1) < 0.1
    lag1 = np.corrcoef(x[:, :-1].ravel(), x[:, 1:].ravel())[0, 1]
    assert abs(lag1 - phi) < 0.01
    innov = (x[:, 1:] - phi * x[:, :-1]) / sigma
    assert abs(innov.var() - 1) < 0.02


@pytest.mark.parametrize("phi", [-0.5, 0.0, 0.999])
def test_ar1_holds_for_negative_zero_and_slow_phi(phi: float) -> None:
    x = ts.ar1(streams(), np.arange(200)[:, None], np.array([[4 * L - 1, 4 * L]]), phi=phi)
    assert abs(x.var() * (1 - phi**2) - 1) < 0.25
    assert abs(np.corrcoef(x[:, 0], x[:, 1])[0, 1] - phi) < 0.15


def test_gbm_is_pinned_at_its_anchor_with_lognormal_returns() -> None:
    s = streams("1day")
    prices = np.array([10.0, 20.0, 30.0])
    anchor = ts.step_index(np.datetime64("2000-01-01"), interval="1day")
    at = ts.gbm(s, np.arange(3), anchor, start_price=prices, sigma=0.4)
    assert np.allclose(at, prices)
    k = np.arange(9 * L, 11 * L)
    p = ts.gbm(s, np.arange(200)[:, None], k[None, :], mu=0.1, sigma=0.3)
    r = np.diff(np.log(p), axis=1)
    h = 86400 / (365.25 * 86400)
    assert abs(r.std() / (0.3 * math.sqrt(h)) - 1) < 0.01
    assert abs(r.mean() / ((0.1 - 0.045) * h) - 1) < 0.5
    assert (p > 0).all()


def test_stochastic_volatility_clusters_and_its_level_sums_its_returns() -> None:
    s = streams("1hour")
    vol = 0.01
    k = np.arange(3 * L - 100, 5 * L + 100)
    path = ts.stochastic_volatility(
        s, np.arange(60)[:, None], k[None, :], vol=vol, vol_of_vol=0.05, persistence=0.99
    )
    # The level is the running sum of the returns, across block boundaries too.
    assert np.allclose(np.diff(path.level, axis=1), path.returns[:, :-1], atol=1e-12)
    assert abs(np.mean(path.volatility**2) / vol**2 - 1) < 0.25
    z = path.returns / path.volatility
    assert abs(z.var() - 1) < 0.02
    # Clustering: big moves follow big moves.
    a = np.abs(path.returns)
    assert np.corrcoef(a[:, :-1].ravel(), a[:, 1:].ravel())[0, 1] > 0.1
    # No seam: standardized returns into and out of a boundary look like the others.
    offsets = (k % L)[None, :].repeat(60, 0)
    seam = z[(offsets == L - 1) | (offsets == 0)]
    inside = z[(offsets > 10) & (offsets < L - 10)]
    assert ks_2samp(seam, inside)[1] > 0.001


def test_seasonality_peaks_where_asked_and_is_time_anchored() -> None:
    s = streams("1hour")
    t = ts.step_times(
        ts.steps_between("2024-03-04", "2024-03-10T23:00", interval="1hour"), interval=3600
    )
    daily = ts.seasonality(s, 0, t, daily=1.5, jitter=0.0)
    hours = t.astype("datetime64[h]").astype(int) % 24
    assert set(hours[daily == daily.max()]) == {15}
    assert np.isclose(daily.max(), 1.5)
    weekly = ts.seasonality(s, np.arange(5)[:, None], t[None, :], weekly=1.0)
    assert weekly.shape == (5, t.size)
    assert not np.array_equal(weekly[0], weekly[1])  # each entity its own phase
    assert np.array_equal(
        weekly[:, 24:48], ts.seasonality(s, np.arange(5)[:, None], t[24:48], weekly=1.0)
    )
    yearly = ts.seasonality(
        s, 0, np.array(["2024-01-15", "2024-07-20"], "datetime64[us]"), yearly=1
    )
    assert yearly[1] > 0.9 > -0.9 > yearly[0]
    assert not ts.seasonality(s, 0, t).any()


def test_trend_directions() -> None:
    s = streams()
    t = np.array(["2000-01-01", "2010-01-01"], "datetime64[us]")
    up = ts.trend(s, np.arange(4)[:, None], t[None, :], direction="up", rate=0.5)
    down = ts.trend(s, np.arange(4)[:, None], t[None, :], direction="down", rate=0.5)
    rnd = ts.trend(s, np.arange(50)[:, None], t[None, :], direction="random", rate=0.5)
    assert np.allclose(up[:, 0], 0)
    assert np.allclose(up[:, 1], 5, atol=0.01)
    assert np.array_equal(down, -up)
    assert (rnd[:, 1] > 0).any()
    assert (rnd[:, 1] < 0).any()
    assert (np.abs(rnd[:, 1]) <= 5.01).all()


def test_spikes_and_outages_rates_and_runs() -> None:
    s = streams("1min")
    k = np.arange(L, 9 * L)
    ev = ts.spikes_and_outages(
        s, np.arange(10)[:, None], k[None, :], spike_rate=0.002, outage_rate=0.001, outage_steps=20
    )
    n = ev.spike.size
    assert abs((ev.spike != 0).sum() / n - 0.002) < 0.0005
    assert (np.abs(ev.spike[ev.spike != 0]) >= 1).all()
    assert (ev.spike > 0).any()
    assert (ev.spike < 0).any()
    out = ev.outage.astype(int)
    starts = (np.diff(out, axis=1) == 1).sum()
    assert 0.015 < out.mean() < 0.03  # about rate × mean length = 2 %
    assert 10 < out.sum() / starts < 30
    none = ts.spikes_and_outages(s, 0, k, spike_rate=0, outage_rate=0)
    assert not none.spike.any()
    assert not none.outage.any()
    ones = ts.spikes_and_outages(s, 0, k, outage_rate=0.01, outage_steps=1)
    assert 0.007 < ones.outage.mean() < 0.013


# -------------------------------------------------------------------------- config


def test_config_defaults_and_normalisation() -> None:
    c = TimeSeriesConfig()
    assert c.seasonal_patterns == ("daily", "weekly", "yearly")
    assert (c.trend_direction, c.volatility) == (None, 1.0)
    assert TimeSeriesConfig(trend_direction="none") == c
    assert TimeSeriesConfig(seasonal_patterns=[]).seasonal_patterns == ()
    assert TimeSeriesConfig(seasonal_patterns={"yearly", "weekly"}).seasonal_patterns == (
        "weekly",
        "yearly",
    )
    assert TimeSeriesConfig(volatility_level="low").volatility == 0.5
    assert TimeSeriesConfig(volatility_level=3).volatility_level == 3.0
    with pytest.raises(AttributeError):
        c.trend_direction = "up"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"seasonal_patterns": ["hourly"]}, "unknown seasonal pattern 'hourly' — valid: daily"),
        ({"seasonal_patterns": "daily"}, "seasonal_patterns must be a list"),
        ({"seasonal_patterns": 3}, "seasonal_patterns must be a list"),
        ({"trend_direction": "flat"}, "unknown trend_direction 'flat' — valid: up, down, random"),
        ({"trend_direction": 1}, "unknown trend_direction 1"),
        ({"volatility_level": "extreme"}, "unknown volatility_level 'extreme' — valid: low"),
        ({"volatility_level": 0}, "volatility_level must be one of low, medium, high"),
        ({"volatility_level": float("nan")}, "volatility_level must be"),
        ({"volatility_level": True}, "volatility_level must be"),
    ],
)
def test_config_validation(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match) as info:
        TimeSeriesConfig(**kwargs)
    assert "\n" not in str(info.value)
