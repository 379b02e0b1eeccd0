"""Cities are drawn by population without counting a metropolis' districts twice.

Reference values here come from national statistics offices, not from GeoNames (which
the reference build reads): each city's population share of its country, and lists of
boroughs, wards and districts from the cities' own administrations.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

import tempdata
from tempdata.geo.cities import city_label, core_radius_km, resolve_city
from tempdata.geo.reference import load


def test_no_city_centre_inside_a_larger_city_of_its_state() -> None:
    """In every country, no city's centre lies within a larger same-state city's core."""
    cities = load("cities").with_row_index("row")
    bad = []
    for (_, _), group in cities.group_by("country_code", "state_code"):
        if group.height < 2:
            continue
        lat = np.radians(group["lat"].to_numpy())
        lon = np.radians(group["lon"].to_numpy())
        pop = group["population"].to_numpy()
        dlat = lat[:, None] - lat[None, :]
        dlon = lon[:, None] - lon[None, :]
        a = (
            np.sin(dlat / 2) ** 2
            + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(dlon / 2) ** 2
        )
        km = 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
        # [i, j]: city j lies inside the core of the larger city i
        inside = (km < core_radius_km(pop)[:, None]) & (pop[:, None] > pop[None, :])
        for i, j in zip(*np.nonzero(inside), strict=True):
            bad.append((group["city"][int(j)], group["city"][int(i)], round(float(km[i, j]), 1)))
    assert bad == [], bad[:20]


#: Boroughs, wards and districts (from the cities' administrations: New York City's
#: charter names five boroughs, the London Government Act 1963 thirty-two, Shanghai's
#: government sixteen districts, Lima's Metropolitan Municipality forty-three) that must
#: not be cities of their own, and the city a name now leads to.
DISTRICTS = [
    ("Brooklyn", "US", "New York City"),
    ("Queens", "US", "New York City"),
    ("Manhattan", "US", "New York City"),
    ("The Bronx", "US", "New York City"),
    ("Staten Island", "US", "New York City"),
    ("Setagaya", "JP", "Tokyo"),
    ("Shinjuku", "JP", "Tokyo"),
    ("Adachi", "JP", "Tokyo"),
    ("Üsküdar", "TR", "Istanbul"),
    ("Bağcılar", "TR", "Istanbul"),
    ("Karol Bāgh", "IN", "Delhi"),
    ("New Delhi", "IN", "Delhi"),
    ("Neukölln", "DE", "Berlin"),
    ("Kreuzberg", "DE", "Berlin"),
    ("Iztapalapa", "MX", "Mexico City"),
    ("Coyoacán", "MX", "Mexico City"),
    ("Islington", "GB", "London"),
    ("Croydon", "GB", "London"),
    ("Harrow", "GB", "London"),
    ("Bexley", "GB", "London"),
    ("Songjiang", "CN", "Shanghai"),
    ("Miraflores", "PE", "Lima"),
    ("Breña", "PE", "Lima"),
    ("Santiago de Surco", "PE", "Lima"),
    ("Etobicoke", "CA", "Toronto"),
    ("Nepean", "CA", "Ottawa"),
    ("Kanata", "CA", "Ottawa"),
    ("Soweto", "ZA", "Johannesburg"),
    ("Roodepoort", "ZA", "Johannesburg"),
    ("Randburg", "ZA", "Johannesburg"),
    ("Thủ Đức", "VN", "Ho Chi Minh City"),
    ("Carabanchel", "ES", "Madrid"),
    ("Chatuchak", "TH", "Bangkok"),
    ("Favoriten", "AT", "Vienna"),
    ("Eimsbüttel", "DE", "Hamburg"),
]


@pytest.mark.parametrize(("district", "cc", "city"), DISTRICTS)
def test_districts_are_part_of_their_city(district: str, cc: str, city: str) -> None:
    cities = load("cities")
    parent = cities.filter((pl.col("country_code") == cc) & (pl.col("city") == city))
    state = parent["state"][0]
    own = cities.filter(
        (pl.col("country_code") == cc) & (pl.col("state") == state) & (pl.col("city") == district)
    )
    assert own.is_empty(), f"{district} is a city of its own"
    # the name still finds the city it is part of (Manhattan, Kansas is another place)
    assert city_label(resolve_city(f"{district}, {state}", country=cc)).startswith(f"{city}, ")


#: Cities next to a larger one that are municipalities of their own and must stay.
SEPARATE = [
    ("Montreuil", "FR"),
    ("Boulogne-Billancourt", "FR"),
    ("Getafe", "ES"),
    ("Yonkers", "US"),
    ("Pasadena", "US"),
    ("Valley Stream", "US"),
    ("Peristéri", "GR"),
    ("Callao", "PE"),
    ("Mississauga", "CA"),
    ("Benoni", "ZA"),
    ("Alberton", "ZA"),
    ("Thuận An", "VN"),
    ("Muridke", "PK"),
    ("Hachiōji", "JP"),
    ("Sakai", "JP"),
    ("Kawasaki", "JP"),
]


@pytest.mark.parametrize(("city", "cc"), SEPARATE)
def test_neighbouring_municipalities_stay_cities(city: str, cc: str) -> None:
    cities = load("cities")
    assert not cities.filter((pl.col("country_code") == cc) & (pl.col("city") == city)).is_empty()


#: The largest city's share of its country's population, from the national statistics
#: offices: US Census 2020 (New York City 8,804,190 of 331,449,281), Japan's 2020 census
#: (Tokyo's 23 wards 9,733,276 of 126,146,099), INSEE 2021 (Paris 2,133,111 of
#: 67,842,582), ONS 2021 (London 8,799,800 of the UK's 67,026,292), Destatis 2022 (Berlin
#: 3,755,251 of 84,358,845), Statistics Canada's 2021 census (Toronto 2,794,356 of
#: 36,991,981), INEI 2022 (Lima Metropolitana 10,004,141 of Peru's 33,396,698) and
#: Statistics South Africa's Census 2022 (City of Johannesburg 4,803,262 of 62,027,503)
#: and Viet Nam's 2019 census (Ho Chi Minh City 8,993,082 of 96,208,984).
OFFICIAL_SHARE = {
    "US": ("New York City", 0.0266),
    "JP": ("Tokyo", 0.0772),
    "FR": ("Paris", 0.0314),
    "GB": ("London", 0.1313),
    "DE": ("Berlin", 0.0445),
    "CA": ("Toronto", 0.0755),
    "PE": ("Lima", 0.2996),
    "ZA": ("Johannesburg", 0.0774),
    "VN": ("Ho Chi Minh City", 0.0935),
}


@pytest.mark.parametrize("cc", sorted(OFFICIAL_SHARE))
def test_largest_city_holds_its_share_of_customers(cc: str) -> None:
    """New York held 7.9 % of US customers with its boroughs counted as cities besides it."""
    city, share = OFFICIAL_SHARE[cc]
    customers = tempdata.generate("customers", rows=40_000, country=cc, seed=3)
    got = float((customers["city"] == city).mean())  # type: ignore[arg-type]
    assert share * 0.75 <= got <= share * 1.25, f"{city}: {got:.2%} of customers, {share:.2%} real"


def test_new_york_share_of_us_customers() -> None:
    customers = tempdata.generate("customers", rows=100_000, country="US", seed=9)
    share = float((customers["city"] == "New York City").mean())  # type: ignore[arg-type]
    assert 0.022 <= share <= 0.031, f"New York City holds {share:.2%} of US customers"


#: City-states: the city is the country (GeoNames lists it with the whole population, and
#: its districts and new towns beside it), with districts named by their governments.
CITY_STATES = [
    ("SG", "Singapore", "Ang Mo Kio New Town"),
    ("SG", "Singapore", "Woodlands"),
    ("HK", "Hong Kong", "Kowloon"),
    ("HK", "Hong Kong", "Sha Tin"),
    ("MO", "Macau", "Taipa"),
]


@pytest.mark.parametrize(("cc", "city", "district"), CITY_STATES)
def test_a_city_state_is_one_city(cc: str, city: str, district: str) -> None:
    cities = load("cities").filter(pl.col("country_code") == cc)
    assert cities.get_column("city").to_list() == [city]
    assert city_label(resolve_city(district, country=cc)).startswith(f"{city}")
