"""Phone numbers validate with phonenumbers: per country, kind and city."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tempdata
from tempdata.errors import InvalidParameterError
from tempdata.geo.phones import PHONE_DRAWS, phone_numbers
from tempdata.geo.reference import load

phonenumbers = pytest.importorskip("phonenumbers")
geocoder = pytest.importorskip("phonenumbers.geocoder")

MOBILE = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
LANDLINE = {
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}
# fmt: off
REQUIRED = [
    "US", "CA", "MX", "BR", "AR", "CO", "CL", "GB", "IE", "FR", "DE", "AT", "CH", "ES", "IT",
    "NL", "BE", "PT", "PL", "SE", "NO", "DK", "FI", "CZ", "JP", "KR", "CN", "IN", "AU", "NZ",
    "ZA", "TR", "RU", "PK",
]
# fmt: on
#: Countries without phonenumbers metadata of their own, and the region they borrow from.
BORROWED = {"GS": "FK", "PN": "NZ", "TF": "RE"}


@cache
def plans() -> pl.DataFrame:
    return load("phone_plans")


@cache
def iso2() -> list[str]:
    return load("countries").get_column("iso2").to_list()


def valid_for(number: str, country: str, kinds: set[int] | None = None) -> bool:
    """Valid, of the country (or the region it shares its calling code with), of a kind."""
    parsed = phonenumbers.parse(number)
    region = BORROWED.get(country, country)
    ok = phonenumbers.is_valid_number(parsed) and (
        phonenumbers.region_code_for_number(parsed) == region
        or phonenumbers.is_valid_number_for_region(parsed, region)
    )
    return bool(ok and (kinds is None or phonenumbers.number_type(parsed) in kinds))


def fold(text: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    spaced = re.sub(r"[\W_]+", " ", bare)
    ascii_ = spaced.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", ascii_.lower()).strip()


def names_city(description: str, city: str, city_ascii: str) -> bool:
    """The geocoder's description names the city (``New York, NY`` → New York City)."""
    keys = {fold(city), fold(city_ascii)}
    keys |= {k.removesuffix(" city") for k in keys}
    for part in description.split("/"):
        head = re.split(r"\s+-\s+|,\s*|\(", part)[0]
        if fold(head) in keys:
            return True
    return False


def draws(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random((n, PHONE_DRAWS))


# -- the reference table ---------------------------------------------------------------


def test_phone_plans_schema_and_order() -> None:
    df = plans()
    assert df.schema == {
        "country_code": pl.String,
        "kind": pl.String,
        "city": pl.Int32,
        "template": pl.String,
        "weight": pl.Float64,
    }
    assert set(df.get_column("kind").unique()) == {"landline", "mobile"}
    assert df.equals(df.sort("country_code", "kind", "city", "template", nulls_last=False))
    sums = df.group_by("country_code", "kind").agg(pl.col("weight").sum()).get_column("weight")
    assert np.allclose(sums.to_numpy(), 1.0)
    assert df.get_column("template").str.contains(r"^\+[1-9]\d{0,2} [0-9# ().-]+$").all()
    # E.164: at most 15 digits, calling code included.
    assert df.get_column("template").str.replace_all(r"[^0-9#]", "").str.len_bytes().max() <= 15


def test_every_country_has_mobile_templates_and_the_big_ones_city_landlines() -> None:
    df = plans()
    mobile = set(df.filter(pl.col("kind") == "mobile").get_column("country_code"))
    assert mobile == set(iso2())
    tied = df.filter(pl.col("city").is_not_null())
    with_cities = set(tied.get_column("country_code"))
    # Denmark and Norway have no geographic area codes; the Czech plan barely has any.
    assert set(REQUIRED) - with_cities <= {"DK", "NO", "CZ"}


def test_city_templates_are_landlines_of_the_citys_country() -> None:
    cities = load("cities").with_row_index("row")
    tied = plans().filter(pl.col("city").is_not_null())
    assert (tied.get_column("kind") == "landline").all()
    joined = tied.join(
        cities.select(
            pl.col("row").cast(pl.Int32).alias("city"), pl.col("country_code").alias("cc")
        ),
        on="city",
        how="left",
    )
    assert (joined.get_column("cc") == joined.get_column("country_code")).all()


# -- generated numbers ---------------------------------------------------------------------


def test_numbers_validate_for_every_country() -> None:
    per = 60
    countries = np.repeat(np.arange(len(iso2())), per)
    u = draws(len(countries), seed=3)
    numbers = phone_numbers(countries, np.full(len(countries), -1), u, mobile_share=0.5)
    bad = [
        (num, iso2()[c])
        for num, c in zip(numbers.to_list(), countries, strict=True)
        if not valid_for(num, iso2()[c])
    ]
    assert bad == []


@pytest.mark.parametrize("share", [0.0, 1.0])
def test_mobile_share_decides_the_kind(share: float) -> None:
    codes = [c for c in REQUIRED if c in iso2()]
    rows = np.repeat([iso2().index(c) for c in codes], 40)
    numbers = phone_numbers(rows, np.full(len(rows), -1), draws(len(rows)), mobile_share=share)
    kinds = MOBILE if share == 1.0 else LANDLINE
    bad = [
        (n, iso2()[c])
        for n, c in zip(numbers.to_list(), rows, strict=True)
        if not valid_for(n, iso2()[c], kinds)
    ]
    assert bad == []


def test_landlines_of_a_city_geocode_to_it() -> None:
    cities = load("cities")
    tied = plans().filter(pl.col("city").is_not_null())
    chosen = tied.get_column("city").unique().sort().sample(400, seed=5).to_numpy()
    check_city_landlines(chosen, cities)


@pytest.mark.slow
def test_landlines_of_every_city_geocode_to_it() -> None:
    cities = load("cities")
    chosen = plans().get_column("city").drop_nulls().unique().sort().to_numpy()
    check_city_landlines(chosen, cities)


def check_city_landlines(chosen: np.ndarray, cities: pl.DataFrame) -> None:
    city = np.repeat(chosen, 3).astype(np.int64)
    codes = cities.get_column("country_code").to_list()
    country = np.array([iso2().index(codes[c]) for c in city])
    numbers = phone_numbers(country, city, draws(len(city), seed=9), mobile_share=0.0)
    names = cities.get_column("city").to_list()
    ascii_names = cities.get_column("city_ascii").to_list()
    bad = []
    for number, c in zip(numbers.to_list(), city, strict=True):
        parsed = phonenumbers.parse(number)
        description = geocoder.description_for_number(parsed, "en")
        if not valid_for(number, codes[c], LANDLINE) or not names_city(
            description, names[c], ascii_names[c]
        ):
            bad.append((number, names[c], description))
    assert bad == []


def test_a_city_without_area_codes_uses_the_countrys_landlines() -> None:
    tied = set(plans().get_column("city").drop_nulls().to_list())
    cities = load("cities").with_row_index("row")
    untied = cities.filter(pl.col("country_code") == "DK", ~pl.col("row").is_in(list(tied)))
    row = int(untied.get_column("row")[0])
    dk = iso2().index("DK")
    numbers = phone_numbers(np.full(50, dk), np.full(50, row), draws(50), mobile_share=0.0)
    assert all(valid_for(n, "DK", LANDLINE) for n in numbers.to_list())


@pytest.mark.slow
def test_every_template_validates() -> None:
    rng = np.random.default_rng(11)
    bad = []
    for cc, kind, template in plans().select("country_code", "kind", "template").iter_rows():
        kinds = MOBILE if kind == "mobile" else LANDLINE
        free = template.count("#")
        fills = ["0" * free, "9" * free, "".join(map(str, rng.integers(0, 10, free)))]
        for fill in fills:
            pieces = template.split("#")
            number = "".join(p + d for p, d in zip(pieces, [*fill, ""], strict=True))
            if not valid_for(number, cc, kinds):
                bad.append((cc, kind, template, number))
    assert bad == []


def test_same_draws_same_numbers() -> None:
    rows = np.arange(2_000) % len(iso2())
    city = np.full(2_000, -1)
    u = draws(2_000, seed=21)
    a = phone_numbers(rows, city, u)
    assert a.equals(phone_numbers(rows, city, u.copy()))
    assert not a.equals(phone_numbers(rows, city, draws(2_000, seed=22)))
    assert a.dtype == pl.String
    assert a.len() == 2_000


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mobile_share": 1.5}, "mobile_share"),
        ({"u": np.zeros((3, PHONE_DRAWS - 1))}, "shape"),
        ({"city": np.full(2, -1)}, "shape"),
    ],
)
def test_invalid_arguments(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {
        "country": np.zeros(3, dtype=np.int64),
        "city": np.full(3, -1),
        "u": np.zeros((3, PHONE_DRAWS)),
    }
    share = kwargs.pop("mobile_share", 0.5)
    args.update(kwargs)
    with pytest.raises(InvalidParameterError, match=message):
        phone_numbers(args["country"], args["city"], args["u"], mobile_share=share)  # type: ignore[arg-type]


# -- datasets ------------------------------------------------------------------------------


@pytest.mark.parametrize("country", ["united_states", "germany", "japan", "brazil", "global"])
def test_customer_phones_validate(country: str) -> None:
    frame = tempdata.generate("customers", rows=5000, seed=1, country=country)
    by_name = dict(load("countries").select("name", "iso2").iter_rows())
    bad = [
        (phone, name)
        for phone, name in frame.select("phone", pl.col("country").cast(pl.String)).iter_rows()
        if not valid_for(phone, by_name[name])
    ]
    assert bad == []


def test_us_city_area_codes_are_in_the_citys_state() -> None:
    """A geocoder description ``Hollis, OK`` must not tie to Hollis, New York."""
    cities = load("cities")
    tied = plans().filter(pl.col("country_code") == "US", pl.col("city").is_not_null())
    wrong = []
    for template, city in tied.select("template", "city").iter_rows():
        parsed = phonenumbers.parse(template.replace("#", "5"))
        state = re.search(r", ([A-Z]{2})$", geocoder.description_for_number(parsed, "en"))
        if state and state.group(1) != cities["state_code"][city]:
            wrong.append((template, cities["city"][city]))
    assert wrong == []


def test_a_city_without_area_codes_borrows_its_state_neighbours() -> None:
    cities = load("cities").with_row_index("row")
    tied = set(plans().get_column("city").drop_nulls().to_list())
    # a New York town no geocoder description names (Queens Village was one until it
    # became a district of New York City)
    untied = cities.filter(pl.col("state") == "New York", ~pl.col("row").is_in(list(tied)))
    assert untied.height > 0
    row = int(untied["row"][0])
    us = iso2().index("US")
    numbers = phone_numbers(np.full(40, us), np.full(40, row), draws(40), mobile_share=0.5)
    states = {
        geocoder.description_for_number(phonenumbers.parse(n), "en").rsplit(", ", 1)[-1]
        for n in numbers.to_list()
    }
    assert states == {"NY"}  # North American mobiles take local area codes too


def _borrow_one_state_at_a_time(by_city: np.ndarray) -> np.ndarray:
    """The plain form of the borrowing: per state, each taker's nearest donor."""
    from tempdata.geo.phones import BORROW_KM

    cities = load("cities")
    state = (cities["country_code"] + "|" + cities["state_code"]).to_list()
    lat = np.radians(cities["lat"].to_numpy())
    lon = np.radians(cities["lon"].to_numpy())
    members: dict[str, list[int]] = {}
    for row, s in enumerate(state):
        members.setdefault(s, []).append(row)
    out = by_city.copy()
    for rows in members.values():
        donors = [r for r in rows if by_city[r] >= 0]
        for r in (r for r in rows if by_city[r] < 0):
            if not donors:
                break
            dx = (lon[r] - lon[donors]) * np.cos(lat[r])
            km = 6371.0 * np.hypot(dx, lat[r] - lat[donors])
            if km.min() <= BORROW_KM:
                out[r] = by_city[donors[int(km.argmin())]]
    return out


@pytest.mark.parametrize("seed", [0, 1])
def test_borrowing_area_codes_all_at_once_matches_one_state_at_a_time(seed: int) -> None:
    from tempdata.geo.phones import _borrow_area_codes

    n = load("cities").height
    rng = np.random.default_rng(seed)
    by_city = np.where(rng.random(n) < 0.3, rng.integers(0, 1000, n), -1)
    np.testing.assert_array_equal(_borrow_area_codes(by_city), _borrow_one_state_at_a_time(by_city))


@given(
    sizes=st.lists(st.integers(1, 80), min_size=1, max_size=40),
    seed=st.integers(0, 2**32 - 1),
)
def test_running_sums_by_group_are_those_of_a_cumsum_per_group(sizes: list[int], seed: int) -> None:
    from tempdata.geo.phones import _group_cumsum

    size = np.array(sizes, dtype=np.int64)
    starts = np.r_[0, np.cumsum(size)[:-1]]
    w = np.random.default_rng(seed).random(int(size.sum())) * 10.0 ** np.random.default_rng(
        seed
    ).integers(-3, 4, int(size.sum()))
    expected = np.concatenate([np.cumsum(w[a : a + k]) for a, k in zip(starts, size, strict=True)])
    got = _group_cumsum(w, starts, size)
    assert got.tobytes() == expected.tobytes()
