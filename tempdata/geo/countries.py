"""Country resolution: ISO codes, English names and usual aliases → ISO 3166 alpha-2.

Names come from ``country_names.parquet`` (CLDR's and ISO 3166's English names, GeoNames'
short names and a few documented aliases such as "usa", "uk", "dr congo"; see
``scripts/refdata/country_names.py``), compared after folding case, accents and
punctuation (:func:`country_key`). A name two countries share is an error naming both.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from tempdata.errors import GeographicalError, suggest
from tempdata.geo.reference import load

__all__ = ["GLOBAL", "country_key", "country_names", "resolve_country"]

GLOBAL = "global"


def country_key(text: str) -> str:
    """The lookup key of a country name: ASCII, lowercase, words joined by ``_``.

    >>> country_key("Côte d’Ivoire"), country_key("Congo - Brazzaville")
    ('cote_d_ivoire', 'congo_brazzaville')
    """
    text = text.replace("\u2019", "'")  # a typographic apostrophe separates words too
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", folded.lower()).strip("_")


@cache
def _index() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """(key → ISO code, key → the codes of a name several countries share)."""
    table = load("countries")
    index: dict[str, str] = {}
    for iso2, iso3, name, slug in table.select("iso2", "iso3", "name", "slug").iter_rows():
        for key in (iso2.lower(), iso3.lower(), country_key(name), slug):
            index.setdefault(key, iso2)
    owners: dict[str, set[str]] = {}
    for iso2, name in load("country_names", ("iso2", "name")).iter_rows():
        owners.setdefault(country_key(name), set()).add(iso2)
    ambiguous = {k: tuple(sorted(v)) for k, v in owners.items() if len(v) > 1}
    for key, codes in sorted(owners.items()):
        if len(codes) == 1:
            index.setdefault(key, next(iter(codes)))
    return index, ambiguous


def country_names() -> list[str]:
    """The snake_case names of every known country."""
    return sorted(load("countries").get_column("slug").to_list())


def resolve_country(value: object) -> str:
    """ISO alpha-2 code of a country given by code or name, or ``"global"``.

    >>> resolve_country("Germany"), resolve_country("usa"), resolve_country("netherlands")
    ('DE', 'US', 'NL')
    >>> resolve_country("congo"), resolve_country("DR Congo"), resolve_country("Ivory Coast")
    ('CG', 'CD', 'CI')
    """
    if not isinstance(value, str) or not value.strip():
        msg = f"country must be a name or ISO code such as 'germany' or 'US', got {value!r}"
        raise GeographicalError(msg)
    key = country_key(value)
    if key == GLOBAL:
        return GLOBAL
    index, ambiguous = _index()
    if key in index:
        return index[key]
    if key in ambiguous:
        msg = f"ambiguous country {value!r}: it names {', '.join(ambiguous[key])}; give an ISO code"
        raise GeographicalError(msg)
    names = [k for k in index if len(k) > 3]  # names, not ISO codes
    msg = f"unknown country {value!r}{suggest(key, [*names, GLOBAL])}"
    raise GeographicalError(msg)
