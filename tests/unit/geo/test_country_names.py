"""Countries resolve by their common English names and usual aliases (issue 14, item 6).

The expected codes are kept here (ISO 3166-1 as commonly known), not read from the
shipped country_names table; where pycountry also resolves a name, it must agree.
"""

from __future__ import annotations

import pytest

from tempdata.errors import GeographicalError
from tempdata.geo.countries import resolve_country

#: common name or alias → ISO 3166-1 alpha-2, across continents
COMMON: dict[str, str] = {
    "netherlands": "NL", "the netherlands": "NL", "holland": "NL", "ivory coast": "CI",
    "Côte d'Ivoire": "CI", "congo": "CG", "republic of the congo": "CG", "dr congo": "CD",
    "DRC": "CD", "democratic republic of the congo": "CD", "south korea": "KR", "korea": "KR",
    "north korea": "KP", "uk": "GB", "united kingdom": "GB", "great britain": "GB", "usa": "US",
    "united states of america": "US", "america": "US", "russia": "RU",
    "russian federation": "RU", "vietnam": "VN", "viet nam": "VN", "iran": "IR", "syria": "SY",
    "laos": "LA", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "czech republic": "CZ",
    "czechia": "CZ", "turkey": "TR", "türkiye": "TR", "uae": "AE", "united arab emirates": "AE",
    "cape verde": "CV", "cabo verde": "CV", "eswatini": "SZ", "swaziland": "SZ",
    "north macedonia": "MK", "myanmar": "MM", "burma": "MM", "east timor": "TL",
    "timor-leste": "TL", "vatican city": "VA", "micronesia": "FM", "palestine": "PS",
    "moldova": "MD", "brunei": "BN", "guinea": "GN", "equatorial guinea": "GQ",
    "guinea-bissau": "GW", "papua new guinea": "PG", "south africa": "ZA", "new zealand": "NZ",
    "brazil": "BR", "mexico": "MX", "egypt": "EG", "japan": "JP", "india": "IN", "germany": "DE",
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(COMMON))
def test_common_names_resolve(name: str) -> None:
    assert resolve_country(name) == COMMON[name]


def test_the_four_names_of_the_issue() -> None:
    assert [resolve_country(n) for n in ("netherlands", "ivory coast", "congo", "dr congo")] == [
        "NL", "CI", "CG", "CD",
    ]  # fmt: skip


def test_agrees_with_pycountry_where_it_resolves() -> None:
    pycountry = pytest.importorskip("pycountry")
    checked = 0
    for name, code in COMMON.items():
        try:
            found = pycountry.countries.lookup(name)
        except LookupError:
            continue
        assert found.alpha_2 == code, name
        checked += 1
    assert checked >= 30


@pytest.mark.parametrize("given", ["DE", "deu", "germany", "United_States", "south_korea"])
def test_codes_and_snake_case_still_work(given: str) -> None:
    assert resolve_country(given) in {"DE", "US", "KR"}


def test_unknown_names_suggest_close_ones() -> None:
    with pytest.raises(GeographicalError, match=r"unknown country 'netherland'.*netherlands"):
        resolve_country("netherland")
