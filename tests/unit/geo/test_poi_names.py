"""POI names: in the country's language and style, distinct within one answer; airports distinct.

The words a name must contain are kept here from general knowledge of each country's
signs (not read from the shipped tables): a name passes if it carries one of them, or
is a brand the name-suggestion-index lists for that country and category.
"""

from __future__ import annotations

import polars as pl
import pytest

from tempdata.errors import GeographicalError
from tempdata.geo.poi import pois_frame
from tempdata.geo.poi_names import ROUNDS
from tempdata.geo.reference import load

#: city → country code and, per category, the words its POI names use (case ignored).
NATIVE_WORDS: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = {
    "Lyon": ("FR", {
        "pharmacy": ("pharmacie",), "hospital": ("hôpital", "clinique", "centre hospitalier"),
        "bakery": ("boulangerie",), "school": ("école", "collège", "lycée"),
        "restaurant": ("restaurant", "brasserie", "auberge"),
    }),
    "Munich": ("DE", {
        "pharmacy": ("apotheke",), "hospital": ("krankenhaus", "klinik"),
        "bakery": ("bäckerei",), "school": ("schule", "gymnasium"),
        "restaurant": ("restaurant", "gastwirtschaft", "gasthaus"),
    }),
    "Tokyo": ("JP", {
        "pharmacy": ("薬局",), "hospital": ("病院", "クリニック"), "bakery": ("ベーカリー", "パン"),
        "school": ("学校",), "restaurant": ("食堂", "レストラン", "料亭"),
    }),
    "São Paulo": ("BR", {
        "pharmacy": ("farmácia", "drogaria"), "hospital": ("hospital", "clínica"),
        "bakery": ("padaria", "panificadora"), "school": ("escola", "colégio"),
        "restaurant": ("restaurante", "cantina"),
    }),
    "Cairo": ("EG", {
        "pharmacy": ("صيدلية",), "hospital": ("مستشفى",), "bakery": ("مخبز",),
        "school": ("مدرسة",), "restaurant": ("مطعم",),
    }),
    "Madrid": ("ES", {
        "pharmacy": ("farmacia",), "hospital": ("hospital", "clínica"),
        "bakery": ("panadería", "pastelería"), "school": ("colegio", "escuela"),
        "restaurant": ("restaurante", "mesón", "taberna"),
    }),
    "Milan": ("IT", {
        "pharmacy": ("farmacia",), "hospital": ("ospedale", "clinica", "casa di cura"),
        "bakery": ("panificio", "forno", "panetteria"), "school": ("scuola", "liceo", "istituto"),
        "restaurant": ("ristorante", "trattoria", "pizzeria"),
    }),
    "Warsaw": ("PL", {
        "pharmacy": ("apteka",), "hospital": ("szpital",), "bakery": ("piekarnia",),
        "school": ("szkoła", "liceum"), "restaurant": ("restauracja", "karczma", "bistro"),
    }),
    "Istanbul": ("TR", {
        "pharmacy": ("eczane",), "hospital": ("hastane",), "bakery": ("fırın",),
        "school": ("okul", "lise"), "restaurant": ("lokanta", "restoran"),
    }),
    "Seoul": ("KR", {
        "pharmacy": ("약국",), "hospital": ("병원",), "bakery": ("제과점", "빵집"),
        "school": ("학교",), "restaurant": ("식당",),
    }),
    "Moscow": ("RU", {
        "pharmacy": ("аптека",), "hospital": ("больница",), "bakery": ("пекарня", "булочная"),
        "school": ("школа",), "restaurant": ("ресторан",),
    }),
    "Amsterdam": ("NL", {
        "pharmacy": ("apotheek",), "hospital": ("ziekenhuis", "kliniek"),
        "bakery": ("bakkerij",), "school": ("school",), "restaurant": ("restaurant", "lunchroom"),
    }),
    "Chicago": ("US", {
        "pharmacy": ("pharmacy", "drug", "chemist"), "hospital": ("hospital", "clinic"),
        "bakery": ("bakery",), "school": ("school", "academy"),
        "restaurant": ("restaurant", "grill", "diner"),
    }),
}  # fmt: skip


def _brands(country: str, category: str) -> set[str]:
    table = load("poi_brands").filter(
        (pl.col("country_code") == country) & (pl.col("category") == category)
    )
    return set(table["name"])


@pytest.mark.parametrize("city", sorted(NATIVE_WORDS))
def test_names_are_in_the_country_language(city: str) -> None:
    country, words = NATIVE_WORDS[city]
    for category, expected in words.items():
        frame = pois_frame(city, 60, category=category, seed=4)
        assert set(frame["country_code"]) == {country}
        brands = _brands(country, category)
        bad = [
            name
            for name in frame["name"]
            if not any(w in name.casefold() for w in expected)
            and not any(name == b or name.startswith(b + " ") for b in brands)
        ]
        assert not bad, f"{city} {category}: {bad[:5]}"
        native = sum(any(w in n.casefold() for w in expected) for n in frame["name"])
        assert native >= 30, f"{city} {category}: only {native} of 60 use a native word"


def test_no_english_pattern_words_outside_english_countries() -> None:
    for city, country in (("Lyon", "FR"), ("Munich", "DE"), ("São Paulo", "BR"), ("Milan", "IT")):
        brands = load("poi_brands").filter(pl.col("country_code") == country)["name"]
        names = pois_frame(city, 300, seed=2)["name"]
        names = names.filter(~names.is_in(brands.implode()) & ~names.str.starts_with("Alphega"))
        english = names.filter(names.str.contains(r"\b(Hospital|Pharmacy|St\.|General|School)\b"))
        # a Brazilian "Hospital" is Portuguese; elsewhere only brands may be English
        if city == "São Paulo":
            english = english.filter(~english.str.starts_with("Hospital "))
        assert english.len() == 0, f"{city}: {english.to_list()[:5]}"


@pytest.mark.parametrize(
    ("city", "category"),
    [("Paris, FR", "pharmacy"), ("Tokyo", "hospital"), ("São Paulo", None), ("Cairo", "school")],
)
def test_names_are_distinct_within_one_answer(city: str, category: str | None) -> None:
    frame = pois_frame(city, 200, category=category, seed=11)
    assert frame["name"].is_unique().all()
    # and the prefix of a longer answer is the shorter answer
    assert pois_frame(city, 80, category=category, seed=11).equals(frame.head(80))


def test_past_what_the_patterns_can_name_names_are_numbered() -> None:
    # Japanese pharmacy names draw on few words: 3,000 in one city exhaust them
    frame = pois_frame("Tokyo", 3000, category="pharmacy", seed=1)
    assert frame["name"].is_unique().all()
    numbered = frame["name"].str.contains(r" \d+$")
    assert 0 < numbered.sum() < frame.height
    assert not numbered.head(50).any()  # the first ones never need it
    assert ROUNDS >= 4


@pytest.mark.parametrize("category", [None, "airport"])
def test_airports_near_paris_are_distinct(category: str | None) -> None:
    count = 500 if category is None else 8
    for seed in range(5):
        frame = pois_frame("Paris, FR", count, category=category, seed=seed)
        iata = frame.filter(pl.col("category") == "airport")["iata"]
        assert len(iata) >= 2
        assert iata.is_unique().all(), iata.to_list()
        assert {"CDG", "ORY"} <= set(iata)


def test_a_mix_stops_making_airports_when_they_run_out() -> None:
    # Berlin has one airport within 80 km: a large mix holds it once, the rest are other POIs
    frame = pois_frame("Berlin", 400, seed=3)
    air = frame.filter(pl.col("category") == "airport")
    assert air["iata"].to_list() == ["BER"]
    counts = dict(frame["category"].value_counts().iter_rows())
    assert counts["restaurant"] > 50
    assert frame["name"].is_unique().all()


def test_more_airports_than_exist_is_an_error() -> None:
    with pytest.raises(
        GeographicalError, match=r"9 airports asked for, but only 8 lie within 80 km of Paris"
    ):
        pois_frame("Paris, FR", 9, category="airport", seed=1)


def test_country_languages() -> None:
    # where signs are in another language than the first one GeoNames lists (India:
    # Hindi first, but names are mostly English), and plain cases
    lang = dict(load("poi_languages").iter_rows())
    expected = {"FR": "fr", "DE": "de", "AT": "de", "JP": "ja", "BR": "pt", "PT": "pt",
                "EG": "ar", "MA": "ar", "IN": "en", "US": "en", "CN": "zh", "TW": "zh-TW",
                "MX": "es", "CH": "de", "BE": "nl", "KR": "ko", "SE": "sv"}  # fmt: skip
    assert {cc: lang[cc] for cc in expected} == expected


def test_brands_belong_to_their_country() -> None:
    brands = load("poi_brands")
    fr = set(brands.filter(pl.col("country_code") == "FR")["name"])
    jp = set(brands.filter(pl.col("country_code") == "JP")["name"])
    assert {"Monoprix", "BNP Paribas", "Crédit Agricole"} <= fr
    assert {"イオン", "三菱UFJ銀行"} <= jp
    assert "Monoprix" not in jp
