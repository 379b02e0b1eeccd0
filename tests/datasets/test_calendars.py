"""Sales keep the calendar of their country: its holidays (and each state's), its shop
laws, its retail events and the months of its published retail series."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

import tempdata
from tempdata.calendar import public_holidays
from tempdata.errors import InvalidParameterError

ROWS = 200_000
YEARS = ("2023-01-01", "2024-12-31")

#: Month shares (%) of the published not seasonally adjusted series
#: (scripts/sources/calendars/RETAIL_MONTHS.md): US Census RSXFSN 2015–2019, ABS
#: 8501.0 A3349396W 2015–2017, ONS J5AH 2014–2016 (per calendar month), Statistics
#: Canada v1446859481 2017–2019, METI retail total 2015–2018, INEGI IGAE 46 retail trade
#: (original series) 2015–2019.
MONTH_SHARES = {
    "united states": (7.37, 7.27, 8.36, 8.13, 8.69, 8.40, 8.45, 8.63, 8.06, 8.33, 8.61, 9.69),
    "australia": (8.14, 7.32, 8.05, 7.85, 8.01, 7.99, 8.12, 8.10, 8.18, 8.56, 8.83, 10.85),
    "united kingdom": (7.60, 7.03, 8.01, 7.89, 8.31, 8.08, 8.44, 8.15, 7.95, 8.62, 9.24, 10.67),
    "canada": (6.83, 6.54, 7.95, 8.16, 9.29, 8.94, 8.74, 8.88, 8.44, 8.60, 8.71, 8.92),
    "japan": (8.15, 7.62, 8.79, 8.24, 8.26, 8.12, 8.57, 8.12, 7.94, 8.20, 8.33, 9.66),
    "mexico": (7.76, 7.60, 8.11, 7.91, 8.27, 8.34, 8.12, 8.39, 8.02, 8.93, 9.41, 9.14),
}


def _sales(country: str, rows: int = ROWS, seed: int = 5) -> pl.DataFrame:
    frame = tempdata.generate(
        "sales",
        rows,
        seed=seed,
        country=country,
        date_range=YEARS,
        columns=["date", "region", "channel"],
    )
    return frame.with_columns(
        day=pl.col("date").dt.date(),
        hour=pl.col("date").dt.hour(),
        weekday=pl.col("date").dt.weekday(),
    )


@pytest.fixture(scope="module")
def germany() -> pl.DataFrame:
    return _sales("germany")


def _holidays(country: str, subdivision: str | None = None) -> list[dt.date]:
    return [
        d
        for year in (2023, 2024)
        for d in public_holidays(country, year, subdivision=subdivision)["date"].to_list()
    ]


def test_german_shops_keep_sundays_and_holidays_while_the_web_never_closes(
    germany: pl.DataFrame,
) -> None:
    store = germany.filter(pl.col("channel") == "store")
    online = germany.filter(pl.col("channel") != "store")
    assert store.filter(pl.col("weekday") == 7).height == 0
    assert store.filter(pl.col("day").is_in(_holidays("germany"))).height == 0
    # web and app orders come on Sundays and holidays too, about as on other days
    assert online.filter(pl.col("weekday") == 7).height > 0.1 * online.height
    assert online.filter(pl.col("day").is_in(_holidays("germany"))).height > 0
    # the store channel keeps its share over the whole range
    assert 0.53 < store.height / germany.height < 0.57


@pytest.mark.parametrize(
    ("state", "subdivision", "day"),
    [
        ("Bavaria", "BY", dt.date(2024, 1, 6)),  # Epiphany
        ("Bavaria", "BY", dt.date(2024, 5, 30)),  # Corpus Christi
        ("Saxony", "SN", dt.date(2024, 11, 20)),  # Repentance and Prayer Day
        ("Berlin", "BE", dt.date(2024, 3, 8)),  # Women's Day
        ("Brandenburg", "BB", dt.date(2024, 10, 31)),  # Reformation Day
    ],
)
def test_a_store_keeps_its_own_states_holidays(
    germany: pl.DataFrame, state: str, subdivision: str, day: dt.date
) -> None:
    assert day in _holidays("germany", subdivision)
    assert day not in _holidays("germany")
    store = germany.filter(pl.col("channel") == "store")
    that_day = store.filter(pl.col("day") == day)
    assert that_day.filter(pl.col("region") == state).height == 0
    # the states that do not keep it trade about as on the same weekday a week later
    open_states = that_day["region"].unique()
    week_later = store.filter(
        pl.col("day") == day + dt.timedelta(days=7), pl.col("region").is_in(open_states.implode())
    )
    assert 0.6 < that_day.height / week_later.height < 1.6


def test_stores_keep_their_states_legal_hours_and_christmas_eve(germany: pl.DataFrame) -> None:
    store = germany.filter(pl.col("channel") == "store")
    bavaria = store.filter(pl.col("region") == "Bavaria")
    assert bavaria["hour"].min() >= 6
    assert bavaria["hour"].max() < 20
    saxony = store.filter(pl.col("region") == "Saxony")
    assert saxony["hour"].max() == 21  # Saxony: Mon–Sat 06:00–22:00
    # Berlin sets no weekday hours: its shops trade late
    berlin = store.filter(pl.col("region") == "Berlin")
    assert berlin.filter(pl.col("hour") >= 22).height > 0
    # 24 December: shops close at 14:00 (Ladenschlussgesetz § 3)
    eve = store.filter(pl.col("day") == dt.date(2024, 12, 24))
    assert eve.height > 0
    assert eve["hour"].max() < 14


@pytest.mark.parametrize("country", sorted(MONTH_SHARES))
def test_months_follow_the_countrys_published_retail_series(country: str) -> None:
    frame = _sales(country, rows=100_000)
    shares = (
        frame.group_by(pl.col("date").dt.month().alias("month"))
        .len()
        .sort("month")
        .get_column("len")
        .to_numpy()
    )
    shares = 100 * shares / shares.sum()
    expected = np.asarray(MONTH_SHARES[country])
    assert np.abs(shares - expected).max() < 2.0, (shares.round(2), expected)
    assert np.abs(shares - expected).max() < 0.5  # calibrated: only sampling noise


def test_two_countries_timestamps_differ_where_their_calendars_differ() -> None:
    us = _sales("united states", rows=50_000)
    de = _sales("germany", rows=50_000)
    assert not us["date"].equals(de["date"])
    # US stores trade on Sundays; German ones do not
    assert us.filter(pl.col("channel") == "store", pl.col("weekday") == 7).height > 0


def test_a_friday_saturday_weekend_moves_the_busy_days() -> None:
    saudi = _sales("saudi arabia", rows=100_000).filter(pl.col("channel") == "store")
    by_day = dict(saudi.group_by("weekday").len().iter_rows())
    # Friday and Saturday play the weekend: the busiest shop days; Sunday is a workday
    assert by_day[5] > by_day[1]
    assert by_day[6] > by_day[7]


def test_global_sales_keep_each_countrys_shop_law() -> None:
    world = tempdata.generate(
        "sales",
        200_000,
        seed=3,
        date_range=YEARS,
        columns=["date", "channel", "timezone"],
    ).with_columns(weekday=pl.col("date").dt.weekday())
    german = world.filter(pl.col("timezone") == "Europe/Berlin", pl.col("channel") == "store")
    assert german.height > 100
    assert german.filter(pl.col("weekday") == 7).height == 0
    american = world.filter(pl.col("timezone") == "America/New_York", pl.col("channel") == "store")
    assert american.filter(pl.col("weekday") == 7).height > 0


def test_a_date_range_outside_the_holiday_table_is_an_error() -> None:
    with pytest.raises(InvalidParameterError, match="public holidays of DE are known for 1991"):
        tempdata.generate(
            "sales", 100, seed=1, country="germany", date_range=("1989-01-01", "1990-06-30")
        )
    with pytest.raises(InvalidParameterError, match="2040"):
        tempdata.generate("sales", 100, seed=1, date_range=("2040-06-01", "2041-06-30"))


def _day_counts(frame: pl.DataFrame, online: bool) -> dict[dt.date, int]:
    channel = pl.col("channel") != "store" if online else pl.col("channel") == "store"
    return dict(frame.filter(channel).group_by("day").len().iter_rows())


#: Sourced uplifts (scripts/sources/calendars/RETAIL_EVENTS.md): Adobe Analytics 2023
#: (US online Black Friday 3.02), Experian 2022 (German online Black Friday 2.56 and
#: Singles' Day 2.67), Alibaba 2019 (Chinese Singles' Day 13.9). The Christmas season
#: (NRF: US 1.17; HDE: Germany 1.15) already lifts the week before, and an event's
#: day takes the larger of the two, not their product.
@pytest.mark.parametrize(
    ("country", "day", "before", "uplift"),
    [
        ("united states", dt.date(2024, 11, 29), dt.date(2024, 11, 22), 3.02 / 1.17),
        ("germany", dt.date(2024, 11, 29), dt.date(2024, 11, 22), 2.56 / 1.15),
        ("germany", dt.date(2024, 11, 11), dt.date(2024, 11, 4), 2.67 / 1.15),
        ("china", dt.date(2024, 11, 11), dt.date(2024, 11, 4), 13.9),
    ],
)
def test_online_events_lift_their_day_by_the_published_figure(
    country: str, day: dt.date, before: dt.date, uplift: float
) -> None:
    frame = _sales(country, rows=300_000)
    online = _day_counts(frame, online=True)
    ratio = online[day] / online[before]
    assert uplift * 0.8 < ratio < uplift * 1.25, ratio


@pytest.mark.parametrize("country", ["japan", "india", "china", "mexico"])
def test_no_thanksgiving_and_no_black_friday_where_they_are_not_kept(country: str) -> None:
    frame = _sales(country, rows=300_000)
    for online in (True, False):
        days = _day_counts(frame, online)
        # the US Thanksgiving (28 Nov 2024) and the day after are ordinary days: like the
        # same weekday three weeks and one week before and one week after (the mean of
        # three: one day's count varies by its sampling and the day-to-day variation;
        # none of them in Mexico's El Buen Fin, 15-18 November)
        for day in (dt.date(2024, 11, 28), dt.date(2024, 11, 29)):
            if country == "japan" and day.day == 29:
                continue  # Japan observes Black Friday (RETAIL_EVENTS.md)
            usual = np.mean([days[day + dt.timedelta(days=k)] for k in (-21, -7, 7)])
            assert 0.75 < days[day] / usual < 1.33, (country, day, online)


def test_ramadan_lifts_online_shopping_in_saudi_arabia() -> None:
    frame = _sales("saudi arabia", rows=300_000)
    online = _day_counts(frame, online=True)
    # Ramadan 2024: about 11 March to 9 April (Eid al-Fitr on 10 April)
    during = np.mean([online[dt.date(2024, 3, d)] for d in range(15, 29)])
    after = np.mean([online[dt.date(2024, 5, d)] for d in range(6, 20)])
    assert 1.3 < during / after < 1.75  # Criteo: +51 % in the Gulf


def test_polish_shops_trade_only_on_the_sundays_the_2018_act_names() -> None:
    poland = _sales("poland", rows=300_000)
    sundays = set(
        poland.filter(pl.col("channel") == "store", pl.col("weekday") == 7)["day"].to_list()
    )
    # Ustawa o ograniczeniu handlu w niedziele (2018), art. 6–7, from 2020: the last Sunday
    # of January, April, June and August, the Sunday before Easter, the two before Christmas
    assert sundays == {
        dt.date(2023, 1, 29),
        dt.date(2023, 4, 2),
        dt.date(2023, 4, 30),
        dt.date(2023, 6, 25),
        dt.date(2023, 8, 27),
        dt.date(2023, 12, 10),
        dt.date(2023, 12, 17),
        dt.date(2024, 1, 28),
        dt.date(2024, 3, 24),
        dt.date(2024, 4, 28),
        dt.date(2024, 6, 30),
        dt.date(2024, 8, 25),
        dt.date(2024, 12, 15),
        dt.date(2024, 12, 22),
    }


def test_english_large_shops_keep_sunday_hours_and_close_on_christmas_and_easter() -> None:
    uk = _sales("united kingdom", rows=300_000).filter(pl.col("channel") == "store")
    england = uk.filter(pl.col("region") == "England")
    sunday = england.filter(pl.col("weekday") == 7)
    assert sunday.height > 0  # Sunday Trading Act 1994: six hours between 10:00 and 18:00
    assert sunday["hour"].min() >= 10
    assert sunday["hour"].max() < 18
    closed = [dt.date(2024, 12, 25), dt.date(2024, 3, 31), dt.date(2023, 4, 9)]
    assert england.filter(pl.col("day").is_in(closed)).height == 0
    # Scotland has no Sunday trading law
    scotland = uk.filter(pl.col("region") == "Scotland", pl.col("weekday") == 7)
    assert scotland.filter(pl.col("hour") >= 18).height > 0


def test_us_large_stores_close_on_thanksgiving_by_custom_and_by_law_in_massachusetts() -> None:
    # CBS MoneyWatch 2021, KVOA 2022: the large chains have closed on Thanksgiving Day since
    # 2020 (custom); Massachusetts closes stores by law (M.G.L. c. 136).
    us = _sales("united states", rows=400_000).filter(pl.col("channel") == "store")
    assert (
        us.filter(pl.col("day").is_in([dt.date(2023, 11, 23), dt.date(2024, 11, 28)])).height == 0
    )
    # an ordinary Thursday a week later trades
    assert us.filter(pl.col("day") == dt.date(2024, 12, 5)).height > 200
    # Christmas Day: closed by custom (The Epoch Times 2014; USA Today 2025)
    assert us.filter(pl.col("day") == dt.date(2024, 12, 25)).height == 0
    # web and app orders keep coming on Thanksgiving (Adobe: 1.73 times an early-November day)
    online = _sales("united states", rows=100_000).filter(pl.col("channel") != "store")
    assert online.filter(pl.col("day") == dt.date(2024, 11, 28)).height > 0
    # Before 2020 most big-box stores opened on Thanksgiving, except where a law closed them
    old = tempdata.generate(
        "sales",
        200_000,
        seed=5,
        country="united states",
        date_range=("2019-01-01", "2019-12-31"),
        columns=["date", "region", "channel"],
    ).filter(pl.col("channel") == "store", pl.col("date").dt.date() == dt.date(2019, 11, 28))
    assert old.height > 100
    assert old.filter(pl.col("region") == "Massachusetts").height == 0
    assert old.filter(pl.col("region") == "California").height > 0


def test_saxony_closes_shops_at_14_on_new_years_eve_since_its_2020_amendment() -> None:
    # SächsLadÖffG § 3 (1) as amended on 5 Nov 2020, in force 1 Dec 2020: 24 and 31 December
    # 06:00-14:00; before, 31 December kept the ordinary 06:00-22:00.
    saxony = (
        tempdata.generate(
            "sales",
            600_000,
            seed=5,
            country="germany",
            date_range=("2019-01-01", "2024-12-31"),
            columns=["date", "region", "channel"],
        )
        .filter(pl.col("channel") == "store", pl.col("region") == "Saxony")
        .with_columns(day=pl.col("date").dt.date(), hour=pl.col("date").dt.hour())
    )
    for year in (2021, 2024):  # 31 Dec on a Friday and on a Tuesday
        eve = saxony.filter(pl.col("day") == dt.date(year, 12, 31))
        assert eve.height > 0
        assert eve["hour"].max() < 14
    before = saxony.filter(pl.col("day") == dt.date(2019, 12, 31))
    assert before.filter(pl.col("hour") >= 14).height > 0


def test_greek_shops_trade_only_on_the_sundays_law_4177_2013_names() -> None:
    # ν. 4177/2013 art. 16: the first Sunday of the winter and summer sales (after the 2nd
    # Monday of January and of July), Orthodox Palm Sunday, the two Sundays before
    # Christmas and the last Sunday of the year.
    greece = _sales("greece", rows=300_000)
    sundays = set(
        greece.filter(pl.col("channel") == "store", pl.col("weekday") == 7)["day"].to_list()
    )
    assert sundays == {
        dt.date(2023, 1, 15),
        dt.date(2023, 4, 9),  # Orthodox Easter 16 April 2023
        dt.date(2023, 7, 16),
        dt.date(2023, 12, 10),
        dt.date(2023, 12, 17),
        dt.date(2023, 12, 31),
        dt.date(2024, 1, 14),
        dt.date(2024, 4, 28),  # Orthodox Easter 5 May 2024
        dt.date(2024, 7, 14),
        dt.date(2024, 12, 15),
        dt.date(2024, 12, 22),
        dt.date(2024, 12, 29),
    }


def test_nepal_rests_on_saturday_only_and_kedah_on_friday_and_saturday() -> None:
    # Nepal's cabinet withdrew the Saturday-Sunday weekend on 6 June 2022 (Onlinekhabar):
    # Sunday is a working day. Kedah keeps a Friday-Saturday weekend.
    nepal = _sales("nepal", rows=200_000).filter(pl.col("channel") == "store")
    by_day = dict(nepal.group_by("weekday").len().iter_rows())
    working = np.mean([by_day[1], by_day[2], by_day[3]])
    assert 0.85 < by_day[7] / working < 1.15
    # the eve of the weekly rest day (Friday) is the busiest shop day
    assert by_day[5] == max(by_day.values())
    malaysia = _sales("malaysia", rows=300_000).filter(pl.col("channel") == "store")
    kedah = dict(malaysia.filter(pl.col("region") == "Kedah").group_by("weekday").len().iter_rows())
    selangor = dict(
        malaysia.filter(pl.col("region") == "Selangor").group_by("weekday").len().iter_rows()
    )
    # Saturday is Selangor's busiest day (weekend), a Kedah's weekend's last day
    assert max(selangor, key=selangor.__getitem__) == 6
    assert max(kedah, key=kedah.__getitem__) == 5


#: Betaalvereniging Nederland 2024: pin payments in shops on Black Friday 0.97 times an
#: ordinary Friday; Currence 2021: iDEAL value 1.85 times an average Friday in September.
#: The week before takes the Christmas season's median lent from US, DE and GB (1.15).
def test_dutch_black_friday_lifts_web_orders_but_not_shops() -> None:
    frame = _sales("netherlands", rows=600_000)
    for online, expected in ((True, 1.85 / 1.15), (False, 0.97)):
        days = _day_counts(frame, online)
        pairs = [
            (dt.date(2023, 11, 24), dt.date(2023, 11, 17)),
            (dt.date(2024, 11, 29), dt.date(2024, 11, 22)),
        ]
        ratio = sum(days[a] for a, _ in pairs) / sum(days[b] for _, b in pairs)
        assert expected * 0.85 < ratio < expected * 1.18, (online, ratio)


def test_chinese_shops_sell_more_in_the_spring_festival_week() -> None:
    # MOFCOM 2019 over NBS 2019: 1.27 times the average day (RETAIL_EVENTS.md, DOUBTFUL);
    # the holiday's days weigh as Sundays, so they are compared with ordinary Sundays.
    china = _sales("china", rows=300_000).filter(pl.col("channel") == "store")
    days = dict(china.group_by("day").len().iter_rows())
    festival = np.mean([days[dt.date(2024, 2, d)] for d in range(10, 18)])
    sundays = np.mean([days[dt.date(2024, 3, 3) + dt.timedelta(days=7 * k)] for k in range(4)])
    assert 1.27 * 0.85 < festival / sundays < 1.27 * 1.18


def test_a_shop_law_holds_from_the_day_it_came_into_force() -> None:
    def stores(country: str, years: tuple[str, str]) -> pl.DataFrame:
        frame = tempdata.generate(
            "sales",
            100_000,
            seed=2,
            country=country,
            date_range=years,
            columns=["date", "channel"],
        )
        return frame.filter(pl.col("channel") == "store").with_columns(
            hour=pl.col("date").dt.hour(), weekday=pl.col("date").dt.weekday()
        )

    # Poland before the 2018 act: shops traded on Sundays
    assert stores("poland", ("2016-01-01", "2016-12-31")).filter(pl.col("weekday") == 7).height > 0
    # Germany before November 1996 (Ladenschlussgesetz 1956): 07:00–18:30 on working days,
    # Saturdays until 14:00
    old = stores("germany", ("1995-01-01", "1995-12-31"))
    assert old.filter(pl.col("weekday") == 7).height == 0
    assert old.filter(pl.col("weekday") == 6)["hour"].max() < 14
    assert old["hour"].min() >= 7
    assert old.filter(pl.col("weekday") < 6)["hour"].max() < 19
