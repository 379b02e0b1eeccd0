"""Country resolution: ISO codes, English names and snake_case names → ISO 3166 alpha-2."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from tempdata.errors import GeographicalError, suggest
from tempdata.geo.reference import load

__all__ = ["GLOBAL", "country_names", "resolve_country"]

GLOBAL = "global"

# Everyday names that differ from the reference table's English names.
_ALIASES = {
    "usa": "US",
    "us": "US",
    "america": "US",
    "united_states_of_america": "US",
    "uk": "GB",
    "britain": "GB",
    "great_britain": "GB",
    "england": "GB",
    "russia": "RU",
    "south_korea": "KR",
    "korea": "KR",
    "czechia": "CZ",
    "czech_republic": "CZ",
    "holland": "NL",
    "the_netherlands": "NL",
    "uae": "AE",
    "vietnam": "VN",
    "iran": "IR",
    "turkey": "TR",
    "turkiye": "TR",
}


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", folded.lower()).strip("_")


@cache
def _index() -> dict[str, str]:
    table = load("countries")
    index: dict[str, str] = {}
    for iso2, iso3, name, slug in table.select("iso2", "iso3", "name", "slug").iter_rows():
        for key in (iso2.lower(), iso3.lower(), _slug(name), slug):
            index.setdefault(key, iso2)
    for alias, iso2 in _ALIASES.items():
        if iso2 in index.values():
            index.setdefault(alias, iso2)
    return index


def country_names() -> list[str]:
    """The snake_case names of every known country."""
    return sorted(load("countries").get_column("slug").to_list())


def resolve_country(value: object) -> str:
    """ISO alpha-2 code of a country given by code or name, or ``"global"``.

    >>> resolve_country("Germany"), resolve_country("usa"), resolve_country("united_states")
    ('DE', 'US', 'US')
    """
    if not isinstance(value, str) or not value.strip():
        msg = f"country must be a name or ISO code such as 'germany' or 'US', got {value!r}"
        raise GeographicalError(msg)
    key = _slug(value)
    if key == GLOBAL:
        return GLOBAL
    index = _index()
    if key in index:
        return index[key]
    msg = f"unknown country {value!r}{suggest(key, [*country_names(), GLOBAL])}"
    raise GeographicalError(msg)
