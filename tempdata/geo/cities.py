"""City resolution: ``"Berlin"``, ``"springfield, IL"``, ``"Paris, France"`` → a city row.

A name is looked up case-, accent- and punctuation-insensitively in the city's own
spelling and its ASCII form (``"Zürich"``, ``"zurich"``, ``"São Paulo"``, ``"sao-paulo"``),
and, when no city has it as its own name, in GeoNames' other names for cities
(``"Cologne"`` for Köln, ``"Frankfurt"``, ``"New York"``, ``"Bombay"``).
Text after a comma qualifies it by state (name or code: ``"Illinois"``, ``"IL"``) or by
country (name or ISO code: ``"France"``, ``"FR"``); several qualifiers must all hold
(``"Springfield, Illinois, US"``). The rule is predictable: a name that matches more
than one city is an error naming the candidates, unless a qualifier or ``country=``
narrows it to one, or one city dwarfs its namesakes (at least :data:`DOMINANT` times
the population of the next: London, England over London, Ontario; Paris, France over
Paris, Texas). Cities that share name, state *and* country (which no qualifier can
tell apart) are settled by population too.

>>> from tempdata.geo.cities import city_label, resolve_city
>>> city_label(resolve_city("berlin"))
'Berlin, Berlin, DE'
>>> city_label(resolve_city("Springfield, IL"))
'Springfield, Illinois, US'
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from tempdata.errors import GeographicalError, TempDataError
from tempdata.geo.countries import GLOBAL, resolve_country
from tempdata.geo.reference import load

__all__ = [
    "CityTable",
    "city_label",
    "city_table",
    "core_radius_km",
    "fold_name",
    "resolve_city",
]

#: Candidates named in an "ambiguous" message before "… and N more".
_SHOWN = 8
#: A name means its most populous city when that one is this many times the next.
DOMINANT = 10.0


def core_radius_km(population: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Radius (km) of a city's built-up core: ``1 + 4·sqrt(population / 1e6)``.

    12.9 km for New York (8.8 M), 6.8 km for Paris (2.1 M), 1.5 km for a town of
    15,000. No city of ``cities.parquet`` has its centre inside the core of a larger
    city of its state (the reference build folds such rows into the larger city as
    districts), and points scattered around a city stay within it.

    >>> [round(float(r), 1) for r in core_radius_km([15_000, 1_000_000, 8_804_190])]
    [1.5, 5.0, 12.9]
    """
    pop = np.maximum(np.asarray(population, dtype=np.float64), 0.0)
    radius: npt.NDArray[np.float64] = 1.0 + 4.0 * np.sqrt(pop / 1e6)
    return radius


def fold_name(text: str) -> str:
    """Lookup key of a place name: case, accents and punctuation ignored.

    >>> fold_name("São  Paulo"), fold_name("Saint-Étienne"), fold_name("St. Louis")
    ('sao paulo', 'saint etienne', 'st louis')
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", " ", bare).strip()


@dataclass(frozen=True)
class CityTable:
    """cities.parquet as arrays, with a name index; built once per process."""

    city: npt.NDArray[np.object_]
    state: npt.NDArray[np.object_]
    state_code: npt.NDArray[np.object_]
    country_code: npt.NDArray[np.object_]
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    population: npt.NDArray[np.int64]
    #: folded name → row indices, most populous first
    by_name: dict[str, tuple[int, ...]]

    def __len__(self) -> int:
        return len(self.city)


@cache
def _aliases() -> dict[str, tuple[int, ...]]:
    """Folded other names (``cologne``, ``frankfurt``, ``new york``) → rows, largest first."""
    aliases = load("city_aliases")
    population = city_table().population
    index: dict[str, list[int]] = {}
    for row, alias in aliases.iter_rows():
        index.setdefault(alias, []).append(row)
    return {
        key: tuple(sorted(rows, key=lambda r: (-int(population[r]), r)))
        for key, rows in index.items()
    }


@cache
def city_table() -> CityTable:
    """The cached :class:`CityTable` of ``cities.parquet``."""
    cities = load("cities")
    names = cities.get_column("city").to_list()
    ascii_names = cities.get_column("city_ascii").to_list()
    population = cities.get_column("population").to_numpy().astype(np.int64)
    index: dict[str, list[int]] = {}
    for row, (name, plain) in enumerate(zip(names, ascii_names, strict=True)):
        for key in {fold_name(name), fold_name(plain)}:
            if key:
                index.setdefault(key, []).append(row)
    by_name = {
        key: tuple(sorted(rows, key=lambda r: (-int(population[r]), r)))
        for key, rows in index.items()
    }
    return CityTable(
        city=np.asarray(names, dtype=object),
        state=np.asarray(cities.get_column("state").to_list(), dtype=object),
        state_code=np.asarray(cities.get_column("state_code").to_list(), dtype=object),
        country_code=np.asarray(cities.get_column("country_code").to_list(), dtype=object),
        lat=cities.get_column("lat").to_numpy().astype(np.float64),
        lon=cities.get_column("lon").to_numpy().astype(np.float64),
        population=population,
        by_name=by_name,
    )


def city_label(row: int) -> str:
    """``"City, State, CC"`` for a row of cities.parquet (the state left out when empty)."""
    t = city_table()
    parts = [str(t.city[row]), str(t.state[row]), str(t.country_code[row])]
    return ", ".join(p for p in parts if p)


@cache
def _country_of(text: str) -> str | None:
    """ISO2 code a qualifier names as a country, or ``None``."""
    try:
        code = resolve_country(text)
    except TempDataError:
        return None
    return None if code == GLOBAL else code


def _qualifies(row: int, qualifier: str) -> bool:
    """Whether ``qualifier`` (already folded) names the state or the country of ``row``."""
    t = city_table()
    state = fold_name(str(t.state[row]))
    code = str(t.state_code[row])
    if state and qualifier == state:
        return True
    # numeric GeoNames admin1 codes ("16") are no name anyone types; letter codes are ("IL")
    if code and not code.isdigit() and qualifier == code.casefold():
        return True
    return _country_of(qualifier) == str(t.country_code[row])


def _split(name: str) -> list[tuple[str, list[str]]]:
    """(name, qualifiers) readings of ``name``, the whole text first.

    ``"Misato, Saitama"`` is itself a city name in GeoNames, so every split of the
    commas is tried, longest name first.
    """
    parts = [p.strip() for p in name.split(",")]
    return [(", ".join(parts[:k]), parts[k:]) for k in range(len(parts), 0, -1)]


def _suggestions(key: str) -> str:
    t = city_table()
    close = difflib.get_close_matches(key, list(t.by_name), n=3, cutoff=0.75)
    if not close:
        return " — check the spelling (cities of 15,000 people or more are known)"
    labels = [city_label(t.by_name[k][0]) for k in close]
    return " — did you mean " + " or ".join(repr(lbl) for lbl in labels) + "?"


def _ambiguous(name: str, rows: list[int]) -> GeographicalError:
    t = city_table()
    shown = "; ".join(city_label(r) for r in rows[:_SHOWN])
    more = f"; … and {len(rows) - _SHOWN} more" if len(rows) > _SHOWN else ""
    states = {(t.state[r], t.country_code[r]) for r in rows}
    hint = "add the state or country" if len(states) > 1 else "add the state"
    countries = {t.country_code[r] for r in rows}
    if len(countries) > 1 and len(states) == len(countries):
        hint = "add the country"
    msg = f"{name!r} is ambiguous: {shown}{more} — {hint}, e.g. {city_label(rows[0])!r}"
    return GeographicalError(msg)


def _narrow(rows: list[int], only: str | None, qualifiers: list[str]) -> list[int]:
    """``rows`` in country ``only`` that every qualifier (state or country) names."""
    t = city_table()
    if only is not None:
        rows = [r for r in rows if t.country_code[r] == only]
    for qualifier in map(fold_name, qualifiers):
        if qualifier:
            rows = [r for r in rows if _qualifies(r, qualifier)]
    return rows


def resolve_city(name: str, *, country: str | None = None) -> int:
    """Row index into ``cities.parquet`` of the city ``name``.

    Parameters
    ----------
    name
        A city name in its own or its ASCII spelling (``"Berlin"``, ``"zurich"``,
        ``"Zürich"``), optionally qualified by state or country after commas
        (``"Springfield, IL"``, ``"Springfield, Illinois"``, ``"Paris, France"``,
        ``"Paris, FR"``, ``"Springfield, Illinois, US"``).
    country
        Only consider cities in this country (a name or ISO code).

    Raises
    ------
    GeographicalError
        The name is unknown (with the closest names), or it names several cities
        that the qualifiers do not tell apart (with the candidates).

    Examples
    --------
    >>> from tempdata.geo.cities import city_label, resolve_city
    >>> city_label(resolve_city("Paris, FR")) == city_label(resolve_city("paris", country="France"))
    True
    >>> resolve_city("Springfield")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tempdata.errors.GeographicalError: 'Springfield' is ambiguous: Springfield, Missouri, US; ...
    """
    if not isinstance(name, str) or not fold_name(name.replace(",", " ")):
        msg = f"city must be a name such as 'Berlin' or 'Springfield, IL', got {name!r}"
        raise GeographicalError(msg)
    only = None
    if country is not None:
        only = resolve_country(country)
        if only == GLOBAL:
            only = None
    t = city_table()
    for city, qualifiers in _split(name):
        key = fold_name(city)
        # A city's own names first; other names (Cologne for Köln) only if none match.
        own, other = list(t.by_name.get(key, ())), list(_aliases().get(key, ()))
        if not own and not other:
            continue
        # A city's own names first; other names (Cologne for Köln, Brooklyn for New York
        # City) where no own name fits the qualifiers (Manhattan, NY is not Manhattan, KS).
        rows = _narrow(own, only, qualifiers) or _narrow(other, only, qualifiers)
        if not rows:
            where = ", ".join(q for q in qualifiers if q.strip())
            if only is not None:
                where = f"{where}, {only}" if where else only
            named = t.by_name.get(key) or _aliases()[key]
            known = "; ".join(city_label(r) for r in named[:_SHOWN])
            msg = f"no city {city!r} in {where!r} — known: {known}"
            raise GeographicalError(msg)
        places = {(t.state[r], t.country_code[r]) for r in rows}
        if len(places) == 1:  # one place, or namesakes in one state: the most populous
            return int(rows[0])
        pop = load("cities").get_column("population")
        if pop[int(rows[0])] >= DOMINANT * pop[int(rows[1])]:  # rows: most populous first
            return int(rows[0])
        raise _ambiguous(name.strip(), rows)
    in_country = f" in {only}" if only else ""
    msg = f"unknown city {name.strip()!r}{in_country}{_suggestions(fold_name(_split(name)[-1][0]))}"
    raise GeographicalError(msg)
