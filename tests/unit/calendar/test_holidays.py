"""Public holidays by country and state, weekends, and the years the table covers."""

from __future__ import annotations

import datetime as dt

import pytest

from tempdata.calendar import holiday_calendar, public_holidays
from tempdata.errors import InvalidParameterError


def _names(country: str, year: int, subdivision: str | None = None) -> dict[dt.date, str]:
    frame = public_holidays(country, year, subdivision=subdivision)
    return dict(zip(frame["date"].to_list(), frame["name"].to_list(), strict=True))


def test_national_holidays_have_english_names() -> None:
    de = _names("germany", 2024)
    assert de[dt.date(2024, 10, 3)] == "German Unity Day"
    assert de[dt.date(2024, 12, 25)] == "Christmas Day"
    # Epiphany and Corpus Christi are kept by some states only
    assert dt.date(2024, 1, 6) not in de
    assert dt.date(2024, 5, 30) not in de
    us = _names("united states", 2024)
    assert us[dt.date(2024, 11, 28)] == "Thanksgiving Day"
    assert "Thanksgiving" not in " ".join(_names("germany", 2024).values())


def test_a_state_keeps_its_own_holidays_besides_the_national_ones() -> None:
    by = _names("germany", 2024, "BY")
    assert by[dt.date(2024, 1, 6)] == "Epiphany"
    assert by[dt.date(2024, 5, 30)] == "Corpus Christi"
    assert by[dt.date(2024, 10, 3)] == "German Unity Day"
    be = _names("germany", 2024, "BE")
    assert be[dt.date(2024, 3, 8)] == "Women's Day"
    assert dt.date(2024, 1, 6) not in be
    # states of the cities table are matched to the package's subdivisions
    cal = holiday_calendar("germany")
    assert set(cal.regions.values()) >= {"BY", "BE", "NW", "SN"}
    assert len(cal.regions) == 16


@pytest.mark.parametrize(
    ("country", "weekend"),
    [("germany", (5, 6)), ("saudi arabia", (4, 5)), ("israel", (4, 5)), ("iran", (4,))],
)
def test_weekends_by_country(country: str, weekend: tuple[int, ...]) -> None:
    assert holiday_calendar(country).weekend == weekend


def test_outside_the_covered_years_is_an_error_never_an_empty_calendar() -> None:
    cal = holiday_calendar("germany")
    assert cal.first_year == 1991  # the package's German rules begin with reunification
    with pytest.raises(InvalidParameterError, match=r"DE are known for 1991–2040"):
        cal.check_span(dt.date(1985, 1, 1), dt.date(1986, 1, 1))
    with pytest.raises(InvalidParameterError, match="2041"):
        public_holidays("france", 2041)
    with pytest.raises(InvalidParameterError, match=r"no subdivision 'XX'.*BY"):
        public_holidays("germany", 2024, subdivision="XX")
    with pytest.raises(InvalidParameterError, match="not 'global'"):
        holiday_calendar("global")


def test_every_country_of_the_reference_data_has_holidays_in_every_covered_year() -> None:
    from tempdata.geo.reference import load

    for code in load("countries").get_column("iso2").to_list():
        cal = holiday_calendar(code)
        days = cal.holidays()
        years = set(days.astype("datetime64[Y]").astype(int) + 1970)
        covered = set(range(cal.first_year, cal.last_year + 1))
        missing = covered - years
        if code == "UA":  # martial law since 24 February 2022 suspends public holidays
            assert min(missing) == 2023, missing
        else:
            assert not missing, code
