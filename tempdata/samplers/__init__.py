"""The sampler library: vectorised factories that fill columns from a chunk's generator.

Import it as ``from tempdata import samplers as s`` and declare columns with
``col("amount", s.lognormal(3.2, 0.6, decimals=2))``. The built-in catalogue uses only
these public factories, so a custom dataset can do everything a built-in one does.
"""

from tempdata.samplers.ages import AgeGroup, birth_dates, pyramid
from tempdata.samplers.calendar import calendar_times, delivery_times
from tempdata.samplers.categorical import choice, choice_by, numbers, switch
from tempdata.samplers.geo import money, places
from tempdata.samplers.hierarchy import hire_dates, org_chart
from tempdata.samplers.ids import foreign_key, lookup, per_parent, row_index, sequence, uuid4s
from tempdata.samplers.numeric import booleans, floats, integers, lognormal, normal, poisson, zipf
from tempdata.samplers.people import people
from tempdata.samplers.temporal import PROFILES, Profile, elapsed, timestamps
from tempdata.samplers.timeseries import (
    ar1,
    gbm,
    ohlcv,
    random_walk,
    seasonality,
    series_entities,
    series_timestamps,
    stochastic_volatility,
    trend,
    white_noise,
)

__all__ = [
    "PROFILES",
    "AgeGroup",
    "Profile",
    "ar1",
    "birth_dates",
    "booleans",
    "calendar_times",
    "choice",
    "choice_by",
    "delivery_times",
    "elapsed",
    "floats",
    "foreign_key",
    "gbm",
    "hire_dates",
    "integers",
    "lognormal",
    "lookup",
    "money",
    "normal",
    "numbers",
    "ohlcv",
    "org_chart",
    "people",
    "per_parent",
    "places",
    "poisson",
    "pyramid",
    "random_walk",
    "row_index",
    "seasonality",
    "sequence",
    "series_entities",
    "series_timestamps",
    "stochastic_volatility",
    "switch",
    "timestamps",
    "trend",
    "uuid4s",
    "white_noise",
    "zipf",
]
