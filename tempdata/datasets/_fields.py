"""Weather anomalies as fields over the globe, shared by ``weather`` and ``iot_sensors``.

DESIGN §2 keys a time series' streams by (entity, time block). Weather cannot: two
stations 250 km apart share their weather, and station *k* of one country has nothing
to do with station *k* of another. So the day-to-day anomalies here are **fields of
position and time** — this is a documented departure from DESIGN §2:

* A field is ``F(x, t) = Σ_j a_j(t) φ_j(x) / norm(x)`` with :data:`FEATURES` random
  Fourier features of the position ``x`` (a point on a sphere of the Earth's radius):
  ``φ_j(x) = cos(ω_j · x + b_j)``, ``b_j ~ U(0, 2π)``, drawn from a context stream of
  the seed (``<dataset>.<column>#field_<name>``). With ``ω_j ~ N(0, I / ℓ²)`` the
  spatial correlation is Gaussian, ``exp(-d² / 2ℓ²)`` (``d`` the chord distance); with
  ``ω_j = g / (ℓ √c)``, ``g ~ N(0, I)``, ``c ~ χ²₁`` (a multivariate Cauchy, the
  spectrum of the exponential kernel in 3 dimensions) it is exponential,
  ``exp(-d / ℓ)`` — the form of the published decay of station-pair correlations of
  temperature anomalies (Hansen & Lebedeff 1987, J. Geophys. Res. 92(D11), 13345–13372:
  0.5 at about 1,200 km in middle and high latitudes for monthly anomalies; Caesar,
  Alexander & Vose 2006, J. Geophys. Res. 111, D05101: daily maximum and minimum
  temperature anomalies decorrelate over a shorter distance, below 1,000 km in summer
  and above it in winter), used for the temperature field with an e-folding length of
  1,000 km. Both hold up to the sampling error of the features (sd ``1 / √FEATURES`` at
  long distances); ``norm(x)`` gives every place a variance of exactly 1.
* Each coefficient ``a_j`` is a unit-variance AR(1) on a **daily** grid, from the time
  streams of :mod:`tempdata.core.timeseries` keyed by (feature ``j``, time block): the
  streams are keyed by a feature of space and a block of time, never by a station. A
  field's value between two midnights is linear between their values (rescaled to
  keep the variance at 1). Blocks are
  anchored at the epoch, so a field's value at a place and instant does not depend on
  the requested range, the chunking, the interval or the other places.
* Local departures (a place's own hourly noise) use time streams keyed by the place
  (:func:`place_keys`, a hash of its rounded coordinates), not by its index in a run.

The features' AR blocks are cached per process (``(features × 4096 days)`` floats per
field and block): every chunk of a run reads the same few blocks.
"""

from __future__ import annotations

import hashlib
import math
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from tempdata.core import timeseries as ts
from tempdata.core.seeding import Seeder
from tempdata.samplers.base import Array

__all__ = ["FEATURES", "FIELDS", "Field", "field_values", "normal_quantile", "place_keys"]

#: Random Fourier features per field.
FEATURES = 256
_EARTH_KM = 6371.0
_DAY_S = 86_400
_US = 1_000_000


class Field(NamedTuple):
    """A field's name, correlation length (km), memory (e-folding time, days) and
    spatial correlation (``exponential``: ``exp(-d/ℓ)``, else ``exp(-d²/2ℓ²)``)."""

    name: str
    length_km: float
    memory_days: float
    exponential: bool = False


#: The fields: synoptic temperature anomalies, pressure (which also drives rain), wind.
FIELDS = {
    "temperature": Field("temperature", 1_000.0, 3.0, exponential=True),
    "pressure": Field("pressure", 1_200.0, 2.0),
    "wind": Field("wind", 700.0, 1.5),
}


def place_keys(lat: Array, lon: Array) -> Array:
    """A stable entity id in ``[0, 2**63)`` per place, from its coordinates to 1e-4°.

    >>> place_keys(np.array([52.52437]), np.array([13.41053])).tolist()
    [342474624391967294]
    """
    out = np.empty(len(lat), dtype=np.int64)
    pairs = zip(
        np.round(lat * 1e4).astype(np.int64).tolist(),
        np.round(lon * 1e4).astype(np.int64).tolist(),
        strict=True,
    )
    for i, (a, b) in enumerate(pairs):
        h = hashlib.blake2b(f"{a},{b}".encode(), digest_size=8).digest()
        out[i] = int.from_bytes(h, "little") >> 1
    return out


def _xyz(lat: Array, lon: Array) -> Array:
    p, lam = np.radians(lat), np.radians(lon)
    return _EARTH_KM * np.stack([np.cos(p) * np.cos(lam), np.cos(p) * np.sin(lam), np.sin(p)], 1)


@lru_cache(maxsize=32)
def _features(
    seeder: Seeder, context: str, length_km: float, exponential: bool
) -> tuple[Array, Array]:
    rng = seeder.context_stream(context)
    omega = rng.standard_normal((FEATURES, 3)) / length_km
    phase = rng.uniform(0.0, 2 * np.pi, FEATURES)
    if exponential:  # a Cauchy spectrum: scale each frequency by 1 / sqrt(chi-square, 1)
        omega = omega / np.abs(rng.standard_normal(FEATURES))[:, None]
    return omega, phase


def _basis(seeder: Seeder, context: str, f: Field, lat: Array, lon: Array) -> Array:
    """``φ_j(x) / norm(x)`` of each place: (places, FEATURES)."""
    omega, phase = _features(seeder, context, f.length_km, f.exponential)
    phi = np.cos(_xyz(lat, lon) @ omega.T + phase)
    return np.asarray(phi / np.sqrt((phi * phi).sum(axis=1, keepdims=True)))


@lru_cache(maxsize=12)
def _block(streams: ts.TimeStreams, memory_days: float, block: int) -> Array:
    """The features' AR(1) values over one block of days: (FEATURES, BLOCK), float32."""
    phi = math.exp(-1.0 / memory_days)
    days = block * ts.BLOCK + np.arange(ts.BLOCK)
    a = ts.ar1(
        streams,
        np.arange(FEATURES)[:, None],
        days[None, :],
        phi=phi,
        sigma=math.sqrt(1 - phi * phi),
    )
    return np.asarray(a, dtype=np.float32)


def _coefficients(streams: ts.TimeStreams, f: Field, first: int, last: int) -> Array:
    """The features' values on days ``first..last``: (FEATURES, days), float32."""
    parts = [
        _block(streams, f.memory_days, b)[:, max(first - b * ts.BLOCK, 0) : last + 1 - b * ts.BLOCK]
        for b in range(first // ts.BLOCK, last // ts.BLOCK + 1)
    ]
    return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)


def field_values(
    seeder: Seeder,
    dataset: str,
    column: str,
    f: Field,
    lat: Array,
    lon: Array,
    place: Array,
    timestamp: Array,
) -> Array:
    """Field ``f`` (unit variance) at rows: ``place`` indexes ``lat``/``lon``.

    A row's value depends only on the seed, the dataset, the column, the field, its
    place's coordinates and its instant.
    """
    if not len(place):
        return np.zeros(0)
    context = f"{dataset}.{column}#field_{f.name}"
    streams = ts.time_streams(seeder, dataset, f"{column}#field_{f.name}", interval=_DAY_S)
    t_days = (timestamp - ts.EPOCH).astype(np.int64) / (_DAY_S * _US)
    day = np.floor(t_days).astype(np.int64)
    first, last = int(day.min()), int(day.max()) + 1
    coef = _coefficients(streams, f, first, last)  # (J, days)
    basis = _basis(seeder, context, f, lat, lon).astype(np.float32)  # (places, J)
    # einsum's own loops, not BLAS: a threaded BLAS on a busy machine spins for ms.
    grid = np.einsum("jd,pj->dp", coef, basis).astype(np.float64)  # (days, places)
    k = day - first
    w = t_days - day
    # Between midnights the line's variance dips to (1 + rho) / 2: scale it back to 1.
    rho = math.exp(-1.0 / f.memory_days)
    norm = np.sqrt((1.0 - w) ** 2 + w * w + 2.0 * w * (1.0 - w) * rho)
    return np.asarray(((1.0 - w) * grid[k, place] + w * grid[k + 1, place]) / norm)


# Acklam's rational approximation of the normal quantile (relative error < 1.2e-9).
_A = (
    -39.69683028665376,
    220.9460984245205,
    -275.9285104469687,
    138.3577518672690,
    -30.66479806614716,
    2.506628277459239,
)
_B = (
    -54.47609879822406,
    161.5858368580409,
    -155.6989798598866,
    66.80131188771972,
    -13.28068155288572,
)
_C = (
    -0.007784894002430293,
    -0.3223964580411365,
    -2.400758277161838,
    -2.549732539343734,
    4.374664141464968,
    2.938163982698783,
)
_D = (0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416)


def normal_quantile(p: Array) -> Array:
    """The standard normal quantile of probabilities ``0 < p < 1`` (vectorised).

    >>> normal_quantile(np.array([0.025, 0.5, 0.9])).round(4).tolist()
    [-1.96, 0.0, 1.2816]
    """
    p = np.asarray(p, dtype=np.float64)
    out = np.empty_like(p)
    low, high = p < 0.02425, p > 1 - 0.02425
    mid = ~(low | high)
    q = p[mid] - 0.5
    r = q * q
    a, b = _A, _B
    out[mid] = (
        (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
        * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    )
    for side, sign, x in ((low, 1.0, p), (high, -1.0, 1 - p)):
        if side.any():
            s = np.sqrt(-2 * np.log(x[side]))
            c, d = _C, _D
            out[side] = (
                sign
                * (((((c[0] * s + c[1]) * s + c[2]) * s + c[3]) * s + c[4]) * s + c[5])
                / ((((d[0] * s + d[1]) * s + d[2]) * s + d[3]) * s + 1)
            )
    return out
