"""The yearly cycle shared by weather, energy and iot_sensors: one definition of when
summer peaks and how the hemispheres differ."""

from __future__ import annotations

import numpy as np

from tempdata.samplers._base import Array

__all__ = ["DAY_S", "SUMMER", "YEAR_S", "season"]

DAY_S = 86_400
YEAR_S = 365.2425 * DAY_S
#: Fraction of the year (from 1 January) where the northern summer peaks (late July).
SUMMER = 0.55


def season(year_fraction: Array, lat: Array) -> Array:
    """+1 at the height of the local summer, -1 in midwinter (flipped south of the
    equator), from the fraction of the year elapsed (0 on 1 January).

    >>> season(np.array([0.55, 0.05]), np.array([50.0, 50.0])).round(3).tolist()
    [1.0, -1.0]
    >>> season(np.array([0.55]), np.array([-33.9])).tolist()
    [-1.0]
    """
    return np.asarray(np.cos(2 * np.pi * (year_fraction - SUMMER)) * np.where(lat < 0, -1.0, 1.0))
