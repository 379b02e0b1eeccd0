"""geo.cities: city names, qualifiers, ambiguity and unknown names."""

from __future__ import annotations

import pytest

from tempdata.errors import GeographicalError
from tempdata.geo.cities import city_label, city_table, fold_name, resolve_city


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Berlin", "Berlin, Berlin, DE"),
        ("berlin", "Berlin, Berlin, DE"),
        ("  BERLIN ", "Berlin, Berlin, DE"),
        ("Zürich", "Zürich, Zurich, CH"),
        ("zurich", "Zürich, Zurich, CH"),
        ("Sao Paulo", "São Paulo, São Paulo, BR"),
        ("Springfield, IL", "Springfield, Illinois, US"),
        ("Springfield, Illinois", "Springfield, Illinois, US"),
        ("springfield,illinois, US", "Springfield, Illinois, US"),
        ("Paris, France", "Paris, Île-de-France, FR"),
        ("Paris, FR", "Paris, Île-de-France, FR"),
        ("Paris, TX", "Paris, Texas, US"),
        ("London, CA", "London, Ontario, CA"),  # CA: California has no London here
        ("Worcester, MA", "Worcester, Massachusetts, US"),  # MA is also Morocco
        ("Brooklyn, NY", "New York City, New York, US"),  # a borough finds its city
        ("Misato, Saitama", "Misato, Saitama, Saitama, JP"),  # a GeoNames name with a comma
        ("new york city", "New York City, New York, US"),
    ],
)
def test_resolves(name: str, label: str) -> None:
    assert city_label(resolve_city(name)) == label


def test_country_keyword_narrows() -> None:
    assert city_label(resolve_city("london", country="united_kingdom")) == "London, England, GB"
    assert resolve_city("Paris", country="FR") == resolve_city("Paris, France")


def test_row_index_points_into_cities_parquet() -> None:
    from tempdata.geo.reference import load

    row = resolve_city("Tokyo")
    assert load("cities").row(row, named=True)["city"] == "Tokyo"
    assert city_table().city[row] == "Tokyo"


def test_ambiguous_names_candidates_with_state_and_country() -> None:
    with pytest.raises(GeographicalError) as info:
        resolve_city("Springfield")
    msg = str(info.value)
    assert msg.startswith("'Springfield' is ambiguous: ")
    assert "Springfield, Illinois, US" in msg
    assert "Springfield, Missouri, US" in msg
    assert "add the state or country" in msg
    assert "\n" not in msg


def test_ambiguous_across_countries_asks_for_the_country() -> None:
    with pytest.raises(
        GeographicalError, match=r"'Valencia' is ambiguous: .*Valencia, ES.*add the country"
    ):
        resolve_city("Valencia")


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Paris", "Paris, Île-de-France, FR"),  # over Paris, Texas
        ("London", "London, England, GB"),  # over London, Ontario
        ("Sydney", "Sydney, New South Wales, AU"),  # over Sydney, Nova Scotia
    ],
)
def test_a_city_that_dwarfs_its_namesakes_needs_no_qualifier(name: str, label: str) -> None:
    assert city_label(resolve_city(name)) == label


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Cologne", "Köln, North Rhine-Westphalia, DE"),
        ("Frankfurt", "Frankfurt am Main, Hesse, DE"),  # over Frankfurt (Oder)
        ("New York", "New York City, New York, US"),
        ("bombay", "Mumbai, Maharashtra, IN"),
        ("Wien", "Vienna, Vienna, AT"),
        ("Den Haag, NL", "The Hague, South Holland, NL"),
    ],
)
def test_other_names_of_a_city_resolve(name: str, label: str) -> None:
    assert city_label(resolve_city(name)) == label


def test_a_citys_own_name_wins_over_another_citys_alias() -> None:
    # "Hamburg" is Hamburg itself, whatever other places GeoNames calls Hamburg.
    assert city_label(resolve_city("Hamburg")) == "Hamburg, Hamburg, DE"


def test_unknown_name_suggests_close_cities() -> None:
    with pytest.raises(
        GeographicalError, match=r"unknown city 'Berln' — did you mean 'Berlin, Berlin, DE'"
    ):
        resolve_city("Berln")


def test_qualifier_that_matches_nothing_lists_the_namesakes() -> None:
    with pytest.raises(GeographicalError, match=r"no city 'Paris' in 'Germany' — known: Paris"):
        resolve_city("Paris, Germany")


@pytest.mark.parametrize("bad", ["", "   ", ",", None, 3])
def test_bad_names(bad: object) -> None:
    with pytest.raises(GeographicalError, match="city must be a name"):
        resolve_city(bad)  # type: ignore[arg-type]


def test_unknown_country_keyword() -> None:
    with pytest.raises(GeographicalError, match="unknown country 'narnia'"):
        resolve_city("Berlin", country="narnia")


def test_fold_name() -> None:
    assert fold_name("Saint-Étienne") == fold_name("saint etienne")
    assert fold_name("Straße") == "strasse"
