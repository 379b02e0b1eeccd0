"""The day weights of the calendar model: holiday kinds for online orders, online
events of their published size, month shares kept along a continuous curve, and a
day-to-day variation of the measured size that depends on the seed, never the range."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from tempdata.calendar.activity import Channel, Rhythm, build_model
from tempdata.calendar.groups import place_groups
from tempdata.calendar.rules import day_variation
from tempdata.samplers.calendar import RHYTHMS

ONLINE, SHOP = RHYTHMS["online"], RHYTHMS["shop"]
#: A rhythm with even weekdays and hours: only events, holidays, months and the day
#: variation shape its days.
FLAT = Rhythm("flat", (1.0,) * 24, (1.0,) * 7, shop=False)
#: The same without retail events and series, with the online months of web traffic.
FLAT_WEB = Rhythm(
    "flat web",
    (1.0,) * 24,
    (1.0,) * 7,
    shop=False,
    retail=False,
    months=(0.9, 0.82, 0.93, 0.93, 0.96, 0.94, 0.97, 0.98, 0.95, 1.0, 1.2, 1.3),
)


def _days(
    country: str,
    rhythm: Rhythm,
    first: int = 2024,
    last: int = 2024,
    seed: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The dates of the years ``first``..``last`` and the model's weight of each."""
    groups, _ = place_groups(country)
    model = build_model(
        groups,
        (Channel("x", rhythm, 1.0),),
        dt.datetime(first, 1, 1),
        dt.datetime(last, 12, 31, 23, 59, 59),
        seed=seed,
    )
    density = np.diff(np.r_[0.0, model.cdf]).reshape(-1, 24).sum(axis=1)
    dates = np.arange(np.datetime64(f"{first}-01-01"), np.datetime64(f"{last + 1}-01-01"))
    return dates, density


def _at(dates: np.ndarray, day: str) -> int:
    return int(np.flatnonzero(dates == np.datetime64(day))[0])


#: Online orders on 25 December as a share of an ordinary December day
#: (scripts/sources/calendars/RETAIL_EVENTS.md): Adobe Digital Index 2015 for the US
#: ($0.6bn against $1bn a day on 1–21 December), Worldpay 2014 for the UK (half an
#: average day); other countries with a Christmas season take their median, 0.55.
CHRISTMAS_ONLINE = {"US": 0.60, "GB": 0.50, "DE": 0.55, "FR": 0.55, "MX": 0.55, "BR": 0.55}


@pytest.mark.parametrize(("country", "share"), sorted(CHRISTMAS_ONLINE.items()))
def test_christmas_day_online_is_the_published_share_of_an_ordinary_december_day(
    country: str, share: float
) -> None:
    dates, online = _days(country, ONLINE)
    weekday = (dates.astype(np.int64) + 3) % 7
    weights = np.asarray(ONLINE.weekdays)[weekday]
    # an ordinary December day: 2–20 December, weekday effect taken out
    ordinary = np.mean(
        online[_at(dates, "2024-12-02") : _at(dates, "2024-12-21")]
        / weights[_at(dates, "2024-12-02") : _at(dates, "2024-12-21")]
    )
    ratio = online[_at(dates, "2024-12-25")] / (ordinary * np.mean(ONLINE.weekdays))
    assert share * 0.9 < ratio < share * 1.1, ratio
    # it is among the quietest days of December, not among the busiest
    december = online[_at(dates, "2024-12-01") :]
    assert online[_at(dates, "2024-12-25")] <= np.sort(december)[2]


def test_el_buen_fin_lifts_mexican_online_orders_by_the_amvo_figure() -> None:
    # El Buen Fin 2024: Friday 15 – Monday 18 November (Revolution Day observed on the
    # 18th); AMVO: MXN 23.7bn online over its 4 days of 2022 against 528bn a year = 4.10
    # an average day, against the Christmas season's 1.15 on the days around it. The
    # month keeps its share, so the days around the campaign sit a little lower (the
    # curve's low point is the month's middle), as shoppers wait for it.
    dates, online = _days("MX", ONLINE)
    weekday = (dates.astype(np.int64) + 3) % 7
    weights = np.asarray(ONLINE.weekdays)[weekday]
    level = online / weights
    at = _at(dates, "2024-11-15")
    during = level[at : at + 4]
    around = np.r_[level[at - 3 : at], level[at + 4 : at + 7]]
    ratio = during.mean() / around.mean()
    assert 4.10 / 1.15 * 0.85 < ratio < 4.10 / 1.15 * 1.15, ratio
    # the four days are the month's busiest and hold a sixth of its online orders
    november = online[_at(dates, "2024-11-01") : _at(dates, "2024-12-01")]
    assert set(np.argsort(november)[-4:]) == {14, 15, 16, 17}
    # shops keep no invented figure: the campaign's store side has none published
    _, shop = _days("MX", SHOP)
    assert shop[_at(dates, "2024-11-15")] < 1.5 * shop[_at(dates, "2024-11-08")]


@pytest.mark.parametrize(
    ("country", "first", "days", "uplift"),
    [
        ("MX", "2024-05-27", 9, 1.84),  # Hot Sale (AMVO 2023)
        ("CN", "2024-11-11", 1, 13.9),  # Singles' Day (Alibaba 2019)
        ("VN", "2024-11-11", 1, 4.0),  # Singles' Day (Tiki 2019)
        ("ID", "2024-11-11", 1, 4.0),  # 11.11 lent the median of DE, CN, VN
        ("US", "2024-12-02", 1, 3.83 / 1.17),  # Cyber Monday (Adobe) over the season
    ],
)
def test_online_events_have_a_visible_effect_of_their_published_size(
    country: str, first: str, days: int, uplift: float
) -> None:
    dates, online = _days(country, ONLINE)
    weekday = (dates.astype(np.int64) + 3) % 7
    level = online / np.asarray(ONLINE.weekdays)[weekday]
    at = _at(dates, first)
    ratio = level[at : at + days].mean() / level[at - 14 : at - 7].mean()
    assert uplift * 0.85 < ratio < uplift * 1.15, ratio


#: Month shares (%) of the shipped series (RETAIL_MONTHS.md: Census, METI, INEGI's IGAE
#: retail original series for Mexico) and the nearest series the countries without one
#: take: FR → GB (ONS), BR and ZA → AU (ABS).
SERIES = {
    "US": (7.37, 7.27, 8.36, 8.13, 8.69, 8.40, 8.45, 8.63, 8.06, 8.33, 8.61, 9.69),
    "JP": (8.15, 7.62, 8.79, 8.24, 8.26, 8.12, 8.57, 8.12, 7.94, 8.20, 8.33, 9.66),
    "FR": (7.60, 7.03, 8.01, 7.89, 8.31, 8.08, 8.44, 8.15, 7.95, 8.62, 9.24, 10.67),
    "MX": (7.76, 7.60, 8.11, 7.91, 8.27, 8.34, 8.12, 8.39, 8.02, 8.93, 9.41, 9.14),
    "BR": (8.14, 7.32, 8.05, 7.85, 8.01, 7.99, 8.12, 8.10, 8.18, 8.56, 8.83, 10.85),
    "ZA": (8.14, 7.32, 8.05, 7.85, 8.01, 7.99, 8.12, 8.10, 8.18, 8.56, 8.83, 10.85),
}


@pytest.mark.parametrize("country", sorted(SERIES))
@pytest.mark.parametrize("rhythm", [ONLINE, SHOP], ids=["online", "shop"])
def test_months_keep_the_series_shares_with_a_continuous_curve(
    country: str, rhythm: Rhythm
) -> None:
    dates, weight = _days(country, rhythm, seed=3)
    month = dates.astype("datetime64[M]").astype(np.int64) % 12
    shares = 100 * np.bincount(month, weight) / weight.sum()
    assert np.abs(shares - np.asarray(SERIES[country])).max() < 0.05, shares.round(2)


@pytest.mark.parametrize(("country", "rhythm"), [("JP", FLAT), ("US", FLAT), ("DE", FLAT_WEB)])
def test_no_step_at_the_first_of_a_month(country: str, rhythm: Rhythm) -> None:
    dates, weight = _days(country, rhythm, 2023, 2024)
    first = np.flatnonzero(dates.astype("datetime64[M]") == dates)[1:]
    skip = np.isin(dates, _event_days(country))  # holidays and events step by their figure
    steps = [weight[d] / weight[d - 1] for d in first if not skip[d] and not skip[d - 1]]
    assert len(steps) >= 15
    # a step per month would jump 9 % into a US December (8.61 % in 30 days, 9.69 % in 31)
    assert np.abs(np.log(steps)).max() < 0.02, np.round(steps, 3)


def _event_days(country: str) -> np.ndarray:
    """Public holidays and online event days of ``country`` in 2023–2024."""
    from tempdata.calendar.holidays import holiday_calendar
    from tempdata.calendar.rules import event_factors

    days = np.arange(np.datetime64("2023-01-01"), np.datetime64("2025-01-01"))
    factors = event_factors(country, days, shop=False)
    holidays = holiday_calendar(country).holidays(None)
    return np.union1d(days[factors != 1.0], holidays)


@pytest.mark.parametrize("country", ["US", "DE", "AR", "IT", "KR"])
def test_days_vary_by_the_size_measured_on_favorita_transactions(country: str) -> None:
    # DAY_VARIATION.md: log standard deviation 0.045, lag-one correlation 0.43
    dates, plain = _days(country, ONLINE, 2023, 2024)
    _, varied = _days(country, ONLINE, 2023, 2024, seed=11)
    residual = np.log(varied / plain)
    month = dates.astype("datetime64[M]")
    for m in np.unique(month):  # the month calibration takes each month's mean out
        residual[month == m] -= residual[month == m].mean()
    assert 0.035 < residual.std() < 0.056, residual.std()
    lag = np.corrcoef(residual[:-1], residual[1:])[0, 1]
    assert 0.25 < lag < 0.6, lag


def test_the_day_variation_depends_on_the_seed_and_the_date_not_the_range() -> None:
    year = np.arange(np.datetime64("2024-01-01"), np.datetime64("2025-01-01"))
    two = np.arange(np.datetime64("2023-03-10"), np.datetime64("2024-07-01"))
    a = day_variation(("GB", "DE"), "shop", year, 7)
    b = day_variation(("DE", "GB"), "shop", two, 7)
    inside = np.isin(year, two)
    assert np.array_equal(a[0, inside], b[1, two >= year[0]])  # a date's own value
    assert np.abs(np.log(a[0] / a[1])).max() > 0.02  # each country its own walk
    assert np.abs(np.log(a / day_variation(("GB", "DE"), "shop", year, 8))).max() > 0.02
    # the model: the same seed gives the same days, chunk after chunk
    _, one = _days("GB", SHOP, seed=7)
    _, again = _days("GB", SHOP, seed=7)
    _, other = _days("GB", SHOP, seed=8)
    assert np.array_equal(one, again)
    assert not np.allclose(one, other)
