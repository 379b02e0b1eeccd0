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
    # The whole tables, as the places sampler reads them (one copy in memory).
    codes = load("countries").get_column("iso2")
    cities = load("cities").select("country_code", "state_code", "weight").with_row_index("row")
    inside = cities.filter(pl.col("country_code").is_in(codes.implode()))
    if country != GLOBAL:
        inside = inside.filter(pl.col("country_code") == country)
        regions = dict(holiday_calendar(country).regions)
        key = inside.get_column("state_code").replace_strict(
            regions, default=None, return_dtype=pl.String
        )
        keys = inside.select(pl.lit(country).alias("country"), key.alias("subdivision"))
    else:
        keys = inside.select(
            pl.col("country_code").alias("country"), pl.lit(None, pl.String).alias("subdivision")
        )
    frame = pl.concat([inside, keys], how="horizontal")
    weights = (
        frame.group_by("country", "subdivision")
        .agg(pl.col("weight").sum())
        .sort("country", "subdivision", nulls_last=False)
    )
    total = float(weights.get_column("weight").sum())
    groups = tuple(
        Group(c, s, w / total)
        for c, s, w in weights.select("country", "subdivision", "weight").rows()
    )
    numbered = weights.select("country", "subdivision").with_row_index("group")
    joined = frame.join(numbered, on=["country", "subdivision"], how="left", nulls_equal=True)
    city_group = np.full(cities.height, -1, dtype=np.int64)
    city_group[joined.get_column("row").to_numpy()] = joined.get_column("group").to_numpy()
    return groups, city_group
