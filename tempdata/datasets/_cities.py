"""The most populous cities of a country (or the world), for datasets that place
entities there (meters, sensors): rows, names, coordinates and a population CDF."""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import polars as pl

__all__ = ["TopCities", "top_cities"]


class TopCities(NamedTuple):
    key: npt.NDArray[np.int64]  # a stable id per city: its row in cities.parquet
    city: tuple[str, ...]
    country: tuple[str, ...]  # ISO alpha-2
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    cum: npt.NDArray[np.float64]  # cumulative population share, ending at 1


@cache
def top_cities(country: str, count: int) -> TopCities:
    """The ``count`` most populous cities of ``country`` (``"global"``: the world),
    ties broken by row, with their cumulative population share for weighted picks."""
    from tempdata.geo.countries import resolve_country
    from tempdata.geo.reference import load

    code = resolve_country(country)
    cities = load(
        "cities", columns=("city", "country_code", "lat", "lon", "population")
    ).with_row_index("row")
    if code != "global":
        cities = cities.filter(pl.col("country_code") == code)
    top = cities.sort(["population", "row"], descending=[True, False]).head(count)
    pop = top["population"].fill_null(0).to_numpy().astype(np.float64) + 1.0
    return TopCities(
        top["row"].to_numpy().astype(np.int64),
        tuple(top["city"].to_list()),
        tuple(top["country_code"].to_list()),
        top["lat"].to_numpy().astype(np.float64),
        top["lon"].to_numpy().astype(np.float64),
        np.cumsum(pop) / pop.sum(),
    )
