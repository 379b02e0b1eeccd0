"""Street and district names of the city or region an address stands in.

mimesis' street lists for some locales are one city's street directory (its ``de`` list
is Berlin's), and faker's Japanese towns are Tokyo's: such names must not turn up
elsewhere. The ward lists below are the cities' own (Tokyo Metropolitan Government,
Sapporo and Yokohama city offices), not the Japan Post data the build reads.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import polars as pl
import pytest

from tempdata.geo.address import addresses_frame
from tempdata.geo.reference import load


@cache
def _mimesis_streets(folder: str) -> frozenset[str]:
    path = resources.files("mimesis") / "datasets" / folder / "address.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return frozenset(" ".join(str(n).split()) for n in data["street"]["name"])


@cache
def _nationwide(cc: str) -> frozenset[str]:
    streets = load("streets").filter((pl.col("country_code") == cc) & (pl.col("city") < 0))
    return frozenset(streets["street"].to_list())


#: (country, mimesis list that is one city's directory, that city, its state)
CITY_LISTS = [
    ("DE", "de", "Berlin", "Berlin"),
    ("AT", "de-at", "Vienna", "Vienna"),
    ("CH", "de-ch", "Zürich", "Zurich"),
    ("SE", "sv", "Stockholm", "Stockholm"),
    ("BR", "pt-br", "Rio de Janeiro", "Rio de Janeiro"),
]


@pytest.mark.parametrize(("cc", "folder", "city", "state"), CITY_LISTS)
def test_a_citys_own_streets_stay_in_it(cc: str, folder: str, city: str, state: str) -> None:
    only_there = _mimesis_streets(folder) - _nationwide(cc)
    frame = addresses_frame(cc, 20_000, seed=4).select("city", "state_province", "street")
    elsewhere = frame.filter(pl.col("city") != city)
    leaked = elsewhere.filter(pl.col("street").is_in(list(only_there)))
    assert leaked.is_empty(), leaked.head(10)
    # and the city itself uses them
    there = addresses_frame(cc, 500, seed=4, city=city)["street"]
    assert there.is_in(list(_mimesis_streets(folder))).mean() > 0.9  # type: ignore[operator]


def test_no_berlin_street_in_other_german_states() -> None:
    berlin_only = _mimesis_streets("de") - _nationwide("DE")
    frame = addresses_frame("DE", 50_000, seed=8).filter(pl.col("state_province") != "Berlin")
    assert not frame["street"].is_in(list(berlin_only)).any()


#: Place names found only in Tokyo (Taitō's Ueno Park, Shinjuku's Kabukichō and
#: Nishi-Shinjuku): faker's ja_JP towns put them all over Japan.
TOKYO_ONLY = ("上野公園", "歌舞伎町", "西新宿")

#: Tokyo's 23 special wards (Tokyo Metropolitan Government).
TOKYO_WARDS = (
    "千代田区",
    "中央区",
    "港区",
    "新宿区",
    "文京区",
    "台東区",
    "墨田区",
    "江東区",
    "品川区",
    "目黒区",
    "大田区",
    "世田谷区",
    "渋谷区",
    "中野区",
    "杉並区",
    "豊島区",
    "北区",
    "荒川区",
    "板橋区",
    "練馬区",
    "足立区",
    "葛飾区",
    "江戸川区",
)
#: The wards of Sapporo and Yokohama (their city offices).
SAPPORO_WARDS = (
    "中央区",
    "北区",
    "東区",
    "白石区",
    "豊平区",
    "南区",
    "西区",
    "厚別区",
    "手稲区",
    "清田区",
)
YOKOHAMA_WARDS = (
    "鶴見区",
    "神奈川区",
    "西区",
    "中区",
    "南区",
    "保土ケ谷区",
    "磯子区",
    "金沢区",
    "港北区",
    "戸塚区",
    "港南区",
    "旭区",
    "緑区",
    "瀬谷区",
    "栄区",
    "泉区",
    "青葉区",
    "都筑区",
)


def test_no_tokyo_place_names_outside_tokyo() -> None:
    frame = addresses_frame("JP", 30_000, seed=6).filter(pl.col("state_province") != "Tokyo")
    pattern = "|".join(TOKYO_ONLY)
    leaked = frame.filter(pl.col("street_line").str.contains(pattern))
    assert leaked.is_empty(), leaked.select("city", "street_line").head(10)


@pytest.mark.parametrize(
    ("city", "wards"),
    [("Tokyo", TOKYO_WARDS), ("Sapporo", SAPPORO_WARDS), ("Yokohama", YOKOHAMA_WARDS)],
)
def test_japanese_addresses_name_their_ward(city: str, wards: tuple[str, ...]) -> None:
    lines = addresses_frame("JP", 2_000, seed=7, city=city)["street_line"]
    in_ward = lines.str.contains("^(" + "|".join(wards) + ")")
    # Tokyo's figure includes a few Tama towns (武蔵野市…): named by their municipality
    other_town = lines.str.contains("^[^区]+市")
    assert (in_ward | other_town).mean() > 0.97, lines.filter(~(in_ward | other_town)).head()  # type: ignore[operator]
    assert in_ward.mean() > 0.9  # type: ignore[operator]


def test_japanese_town_of_an_ordinary_city_has_no_ward() -> None:
    """Tottori has no wards: its addresses write the town right after the city."""
    lines = addresses_frame("JP", 1_000, seed=7, city="Tottori-shi")["street_line"]
    assert not lines.str.contains("区").any()
    assert lines.str.contains(r"[0-9]").all()
