"""The places of a dataset grouped by the calendar they keep.

In a one-country dataset the states that keep the same holidays form a group (Bavaria
and the other states with Epiphany and Corpus Christi are not one group: each
subdivision of the ``holidays`` package is its own; states without one keep only the
national holidays, together); in a ``global`` dataset each country is a group. A
group's weight is the share of the dataset's people living in it, as
:func:`tempdata.samplers.places` draws them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from tempdata.calendar.activity import Group
from tempdata.calendar.holidays import holiday_calendar
from tempdata.core.caching import shared_cache
from tempdata.geo.countries import GLOBAL
from tempdata.geo.reference import load

__all__ = ["place_groups"]

Array = np.ndarray[Any, Any]


@shared_cache()  # one thread builds it while the others wait
def place_groups(country: str) -> tuple[tuple[Group, ...], Array]:
    """The calendar groups of ``country`` (resolved ISO code or ``global``) and, for each
    row of ``cities.parquet``, its group (−1 for cities outside the dataset)."""
    # The whole tables, as the places sampler reads them (one copy in memory); codes
    # and weights as arrays, since a join over every city costs more than it computes.
    cities = load("cities")
    codes = sorted(load("countries").get_column("iso2").to_list())
    if country != GLOBAL:
        codes = [country] if country in codes else []
    # each city's country as its place in ``codes`` (null: not in the dataset)
    own = cities.get_column("country_code").replace_strict(
        codes, list(range(len(codes))), default=None, return_dtype=pl.Int64
    )
    inside = own.is_not_null().to_numpy()
    weight = cities.get_column("weight").to_numpy().astype(np.float64)
    if country == GLOBAL:
        keys = [(code, None) for code in codes]
        of_city = own.fill_null(-1).to_numpy()
    else:
        regions = dict(holiday_calendar(country).regions)
        state = cities.get_column("state_code").filter(pl.Series(inside))
        sub = state.replace_strict(regions, default=None, return_dtype=pl.String)
        names = sorted(set(sub.drop_nulls().to_list()))
        keys = [(country, None)] + [(country, name) for name in names]
        rank = sub.replace_strict(names, list(range(1, len(names) + 1)), default=0)
        of_city = np.full(cities.height, -1, dtype=np.int64)
        of_city[inside] = rank.to_numpy()
    mass = np.bincount(of_city[inside], weights=weight[inside], minlength=len(keys))
    present = np.flatnonzero(np.bincount(of_city[inside], minlength=len(keys)))  # has cities
    number = np.full(len(keys), -1, dtype=np.int64)
    number[present] = np.arange(len(present))
    total = float(mass.sum())
    groups = tuple(Group(keys[i][0], keys[i][1], float(mass[i]) / total) for i in present)
    city_group = np.where(inside, number[np.maximum(of_city, 0)], -1)
    return groups, city_group
