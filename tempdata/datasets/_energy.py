"""Household electricity and rooftop PV by country for the ``energy`` dataset, from
``energy_countries``, ``energy_months`` and ``energy_spread`` (reference_data; their
sources in SOURCES.md): per candidate city its household's mean use per year, its
month profile as a day-of-year factor, its rooftop PV yield and its country's share of
households with rooftop PV; and the per-household spread."""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import polars as pl

from tempdata.datasets._cities import top_cities

__all__ = ["CityEnergy", "city_energy", "day_factors", "household_factor"]

#: Days per month (February a mean year's) and mid-month positions as year fractions.
_DAYS = np.array([31, 28.2425, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.float64)
_MID = (np.cumsum(_DAYS) - _DAYS / 2) / _DAYS.sum()
#: Day-of-year grid of the factor tables.
GRID = 365


class CityEnergy(NamedTuple):
    kwh_per_year: npt.NDArray[np.float64]  # mean household electricity of the city's area
    profile: npt.NDArray[np.int64]  # row of day_factors() for the city
    pv_kwh_per_kwp: npt.NDArray[np.float64]  # rooftop PV yield per year, country mean
    pv_ref_lat: npt.NDArray[np.float64]  # latitude at which that yield holds
    pv_seasonality: npt.NDArray[np.float64]  # best month over worst (PVOUT)
    pv_share: npt.NDArray[np.float64]  # share of households with rooftop PV, country's


def _load(name: str, columns: tuple[str, ...] | None = None) -> pl.DataFrame:
    from tempdata.geo.reference import load

    return load(name, columns)


@cache
def _profiles() -> tuple[dict[tuple[str, str], int], npt.NDArray[np.float64]]:
    """(country, region) → row, and the rows: a factor per day of the year (mean 1)
    whose monthly means are the table's shares over the month's share of days."""
    months = _load("energy_months").sort("country", "region", "month")
    keys = months.select("country", "region").unique(maintain_order=True).rows()
    shares = months["share"].to_numpy().reshape(len(keys), 12)
    rates = shares / _DAYS * _DAYS.sum()  # mean daily rate of each month, year mean 1
    x = (np.arange(GRID) + 0.5) / GRID
    month = np.minimum(np.searchsorted(np.cumsum(_DAYS) / _DAYS.sum(), x, side="right"), 11)
    counts = np.bincount(month, minlength=12)
    nodes = rates.copy()
    out = np.empty((len(keys), GRID))
    for _ in range(6):  # nodes so that each month's mean of the interpolation is its rate
        for i in range(len(keys)):
            out[i] = np.interp(x, _MID, nodes[i], period=1.0)
        got = np.stack([np.bincount(month, weights=row, minlength=12) / counts for row in out])
        nodes += rates - got
    out /= out.mean(axis=1, keepdims=True)
    return {(str(c), str(r)): i for i, (c, r) in enumerate(keys)}, out


def day_factors() -> npt.NDArray[np.float64]:
    """Profiles x day of the year: consumption of the day over the year's mean day."""
    return _profiles()[1]


@cache
def _spread() -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    table = _load("energy_spread").sort("quantile")
    return table["quantile"].to_numpy(), table["factor"].to_numpy()


def household_factor(u: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """A household's yearly use over its country's mean, from a uniform ``u``."""
    q, f = _spread()
    return np.asarray(np.interp(u, q, f))


@cache
def city_energy(country: str, count: int) -> CityEnergy:
    """Household figures of the ``count`` most populous cities of ``country`` (as
    :func:`top_cities`; US cities: their state's)."""
    cities = top_cities(country, count)
    rows, _ = _profiles()
    table = _load("energy_countries")
    national = {r["country"]: r for r in table.filter(pl.col("region") == "").iter_rows(named=True)}
    states = {
        (r["country"], r["region"]): r
        for r in table.filter(pl.col("region") != "").iter_rows(named=True)
    }
    region = _load("cities", ("state_code",)).get_column("state_code").gather(cities.key).to_list()
    kwh, profile, pv, ref, season, share = [], [], [], [], [], []
    for cc, st in zip(cities.country, region, strict=True):
        key = (cc, st or "")
        row = states.get(key, national[cc])
        kwh.append(row["kwh_per_household"])
        profile.append(rows.get(key, rows[(cc, "")]))
        pv.append(row["pv_yield_kwh_per_kwp"])
        ref.append(row["pv_ref_lat"])
        season.append(row["pv_seasonality"])
        share.append(row["pv_household_share"])
    return CityEnergy(
        np.array(kwh, dtype=np.float64),
        np.array(profile, dtype=np.int64),
        np.array(pv, dtype=np.float64),
        np.array(ref, dtype=np.float64),
        np.array(season, dtype=np.float64),
        np.array(share, dtype=np.float64),
    )
