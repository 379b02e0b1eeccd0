"""Ages follow each country's single-year population pyramid (birth_dates).

The shipped pyramids are UN World Population Prospects 2024 (reference_data/
population_ages.parquet). The medians these tests compare with come from another
source: the US Census Bureau's International Database (IDB, release of November 2024,
population by single year of age and sex at mid-2025; the CIA World Factbook's median
ages derive from it), computed here as the age at which half the people are younger,
linear within each year of age, for the whole population and for the ranges the
datasets use. Where the two sources differ, they differ by well under the issue's
1.5 years for these six countries (Japan +0.6, Germany -0.4, Nigeria -0.2 for the
whole population: WPP minus IDB).

Steps: no single year may stand out from the mean of its two neighbours by more than
15 % below age 90 — beyond the counting noise of the sample, which the tolerance adds
(four standard deviations of the difference, Poisson counts).
"""

from __future__ import annotations

import datetime as dt
import gc
import math

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tempdata
from tempdata import samplers as s
from tempdata.core.plan import Dataset, Params, col, group
from tempdata.core.planner import Planner
from tempdata.core.seeding import Seeder

AS_OF = dt.date(2025, 12, 31)

#: Median age (years) at mid-2025 from the US Census Bureau IDB, by age range:
#: (all ages, 18 and over, 18 to 67, 13 and over).
IDB_MEDIANS: dict[str, tuple[float, float, float, float]] = {
    "JP": (50.23, 55.01, 46.09, 53.50),
    "NG": (19.35, 33.96, 32.94, 29.56),
    "DE": (46.91, 53.87, 45.55, 52.08),
    "IN": (30.08, 39.06, 37.40, 36.36),
    "BR": (35.43, 43.03, 40.24, 40.91),
    "US": (39.54, 47.68, 41.75, 45.17),
}
RANGES = {(0, 100): 0, (18, 100): 1, (18, 67): 2, (13, 100): 3}
TOLERANCE = 1.5  # years, as the issue asks


def params(rows: int, country: str, years: int = 1) -> Params:
    return Params(
        rows=rows,
        reference_date=AS_OF,
        date_start=dt.datetime(AS_OF.year - years + 1, 1, 1),
        date_end=dt.datetime(AS_OF.year, 12, 31, 23, 59, 59, 999_999),
        country=country,
    )


def people(
    country: str,
    rows: int,
    *,
    min_age: int = 0,
    max_age: int = 100,
    joined: str | None = None,
    years: int = 1,
    sexed: bool = False,
    seed: int = 1,
) -> pl.DataFrame:
    """A small dataset: a home country per row, perhaps a sign-up date and a sex."""
    columns = [group("home", s.places(), columns={"cc": "country_code"})]
    if joined:
        columns.append(col("joined", s.timestamps(profile=joined, sorted=True)))
    if sexed:
        columns.append(col("sex", s.choice({"female": 1, "male": 1})))
    born = s.birth_dates(
        min_age=min_age,
        max_age=max_age,
        country_column="cc",
        sex_column="sex" if sexed else None,
        adult_at="joined" if joined else None,
        adult_at_profile=joined or "uniform",
    )
    columns += [col("born", born), col("age", s.elapsed("born"))]
    planner = Planner(
        Dataset("ages", description="", columns=columns), params(rows, country, years), Seeder(seed)
    )
    return pl.concat(list(planner.chunks()))


def exact_ages(frame: pl.DataFrame) -> np.ndarray:  # type: ignore[type-arg]
    days = (pl.lit(AS_OF) - frame["born"]).dt.total_days()
    return frame.select(days).to_series().to_numpy() / 365.2425


def step_failures(ages: np.ndarray, low: int, high: int) -> list[str]:  # type: ignore[type-arg]
    """Ages below 90 (inside ``low..high``) that stand out from their neighbours by more
    than 15 % of the neighbours' mean plus four standard deviations of counting noise."""
    counts = np.bincount(ages.astype(np.int64), minlength=102).astype(np.float64)
    bad = []
    for a in range(low + 1, min(high, 90)):
        if a + 1 > high:
            break
        mean = (counts[a - 1] + counts[a + 1]) / 2
        if mean < 50:  # too few people to tell
            continue
        noise = 4 * math.sqrt(counts[a] + (counts[a - 1] + counts[a + 1]) / 4)
        if abs(counts[a] - mean) > 0.15 * mean + noise:
            bad.append(f"age {a}: {counts[a]:.0f} vs neighbours' mean {mean:.0f}")
    return bad


def check_medians(frame: pl.DataFrame, country: str, low: int, high: int) -> None:
    reference = IDB_MEDIANS[country][RANGES[(low, high)]]
    exact = float(np.median(exact_ages(frame)))
    assert abs(exact - reference) <= TOLERANCE, (country, low, high, exact, reference)
    # Whole years, as a user reads the age column (half a year younger on average).
    whole = float(frame["age"].median()) + 0.5  # type: ignore[arg-type]
    assert abs(whole - reference) <= TOLERANCE, (country, low, high, whole, reference)


@pytest.mark.parametrize("country", sorted(IDB_MEDIANS))
def test_all_ages_follow_the_pyramid(country: str) -> None:
    frame = people(country, 200_000)
    assert frame["age"].min() >= 0
    assert frame["age"].max() <= 100
    assert step_failures(frame["age"].to_numpy(), 0, 100) == []
    check_medians(frame, country, 0, 100)


@pytest.mark.parametrize("country", ["JP", "NG", "US"])
def test_adults_who_signed_up_follow_the_adult_pyramid(country: str) -> None:
    # Five years of sign-ups growing 25 % a year; everyone 18 or older at sign-up.
    frame = people(country, 200_000, min_age=18, joined="signup", years=5)
    assert (frame["born"].dt.offset_by("18y") <= frame["joined"].dt.date()).all()
    assert frame["age"].min() == 18
    ages = frame["age"].to_numpy()
    assert step_failures(ages, 18, 100) == []
    check_medians(frame, country, 18, 100)
    # No gap and no pile-up at the youngest ages: 18-20 as common as the pyramid says
    # relative to 21-25 (within 6 %: clamping would give 20-50 % too few or many).
    pyramid = s.pyramid(country).filter(pl.col("age") >= 18)["population"].to_numpy()
    counts = np.bincount(ages, minlength=101)[18:].astype(np.float64)
    ratio = counts[:3].sum() / counts[3:8].sum()
    expected = pyramid[:3].sum() / pyramid[3:8].sum()
    assert abs(ratio / expected - 1) < 0.06


@pytest.mark.parametrize("country", ["DE", "IN", "BR"])
def test_users_from_thirteen_follow_the_pyramid(country: str) -> None:
    frame = people(country, 200_000, min_age=13, joined="signup", years=10)
    assert (frame["born"].dt.offset_by("13y") <= frame["joined"].dt.date()).all()
    assert step_failures(frame["age"].to_numpy(), 13, 100) == []
    check_medians(frame, country, 13, 100)


def test_global_rows_follow_their_own_country() -> None:
    frame = people("global", 400_000)
    assert step_failures(frame["age"].to_numpy(), 0, 100) == []
    medians = {}
    for country in IDB_MEDIANS:
        rows = frame.filter(pl.col("cc") == country)
        assert rows.height > 1_000, country
        medians[country] = float(np.median(exact_ages(rows)))
        assert abs(medians[country] - IDB_MEDIANS[country][0]) <= TOLERANCE, country
    # One world pyramid for all would give every country the same median.
    assert medians["JP"] - medians["NG"] > 25


#: Female share at 85 and over minus the female share under 15, at mid-2025 (IDB).
IDB_WOMEN_AT_85_MINUS_UNDER_15 = {"JP": 0.187, "DE": 0.130}


@pytest.mark.parametrize("country", sorted(IDB_WOMEN_AT_85_MINUS_UNDER_15))
def test_women_outlive_men_and_the_sexes_mix_to_the_pyramid(country: str) -> None:
    # Half women, half men (as the datasets' sex columns are): the sexes' ages differ
    # as the country's female share differs by age, and mix to its pyramid.
    frame = people(country, 300_000, sexed=True)

    def female(rows: pl.DataFrame) -> float:
        return float((rows["sex"] == "female").mean())  # type: ignore[arg-type]

    gap = female(frame.filter(pl.col("age") >= 85)) - female(frame.filter(pl.col("age") < 15))
    assert abs(gap - IDB_WOMEN_AT_85_MINUS_UNDER_15[country]) < 0.03
    check_medians(frame, country, 0, 100)
    assert step_failures(frame["age"].to_numpy(), 0, 100) == []
    for sex in ("female", "male"):
        ages = frame.filter(pl.col("sex") == sex)["age"].to_numpy()
        assert step_failures(ages, 0, 100) == [], sex


def test_birth_dates_are_uniform_within_the_year_of_age() -> None:
    frame = people("DE", 100_000)
    born = frame["born"]
    # Days from the last birthday to the as-of day, as a share of the year.
    last = born.dt.offset_by(frame["age"].cast(pl.String) + "y")
    share = ((pl.lit(AS_OF) - last).dt.total_days() / 365.25).alias("x")
    x = frame.select(share).to_series().to_numpy()
    assert x.min() >= 0
    assert x.max() < 1.01
    quarters = np.histogram(x, bins=4, range=(0, 1))[0] / len(x)
    assert np.abs(quarters - 0.25).max() < 0.01


def test_ages_are_whole_years_of_the_birth_date() -> None:
    frame = people("IN", 20_000, min_age=18, joined="uniform", years=3)
    ref = AS_OF
    born = frame["born"]
    month_day = born.dt.month().cast(pl.Int32) * 100 + born.dt.day().cast(pl.Int32)
    before = month_day > ref.month * 100 + ref.day
    expected = ref.year - born.dt.year().cast(pl.Int64) - before.cast(pl.Int64)
    assert (frame["age"] == expected).all()
    assert (frame["born"].dt.offset_by("18y") <= frame["joined"].dt.date()).all()


def test_groups_lean_older_or_younger_and_keep_the_pyramid() -> None:
    groups = {
        "junior": s.AgeGroup(0.7, mean=30, sd=12),
        "senior": s.AgeGroup(0.3, min_age=25, mean=50, sd=8),
    }
    born = s.birth_dates(
        min_age=18,
        max_age=67,
        country_column="cc",
        adult_at="hired",
        by="level",
        groups=groups,
    )
    columns = [
        group("home", s.places(), columns={"cc": "country_code"}),
        col("hired", s.timestamps(as_date=True)),
        col("level", s.choice({"junior": 0.7, "senior": 0.3})),
        col("born", born),
        col("age", s.elapsed("born")),
    ]
    dataset = Dataset("staff", description="", columns=columns)
    frame = pl.concat(list(Planner(dataset, params(200_000, "US", 20), Seeder(3)).chunks()))
    senior = frame.filter(pl.col("level") == "senior")
    junior = frame.filter(pl.col("level") == "junior")
    assert senior["age"].mean() > junior["age"].mean() + 5  # type: ignore[operator]
    assert (senior["born"].dt.offset_by("25y") <= senior["hired"]).all()
    assert (frame["born"].dt.offset_by("18y") <= frame["hired"]).all()
    assert frame["age"].is_between(18, 67).all()
    assert step_failures(frame["age"].to_numpy(), 18, 67) == []
    check_medians(frame, "US", 18, 67)


def test_custom_bands_replace_the_pyramid() -> None:
    columns = [
        col("born", s.birth_dates({(20, 29): 1, (60, 69): 1})),
        col("age", s.elapsed("born")),
    ]
    dataset = Dataset("bands", description="", columns=columns)
    frame = pl.concat(list(Planner(dataset, params(20_000, "DE"), Seeder(1)).chunks()))
    ages = frame["age"]
    assert (ages.is_between(20, 29) | ages.is_between(60, 69)).all()
    assert abs(ages.is_between(20, 29).mean() - 0.5) < 0.02  # type: ignore[operator]


def test_the_pyramid_table_covers_every_country() -> None:
    from tempdata.geo.reference import load

    table = load("population_ages")
    countries = set(load("countries")["iso2"].to_list())
    assert set(table["iso2"].unique().to_list()) == countries
    counts = table.group_by("iso2").len()
    assert (counts["len"] == 2 * 101).all()
    assert (table["population"] > 0).all()
    world = s.pyramid("global")["population"].sum()
    assert 8.1e9 < world < 8.35e9  # the world in 2025: about 8.2 billion


@pytest.mark.parametrize("country", [*sorted(IDB_MEDIANS), "global"])
def test_a_million_ages_follow_the_pyramid(country: str) -> None:
    frame = people(country, 1_000_000, seed=7)
    assert step_failures(frame["age"].to_numpy(), 0, 100) == []
    if country != "global":
        check_medians(frame, country, 0, 100)


def _bisect(flat: np.ndarray, base: np.ndarray, target: np.ndarray, ages: int) -> np.ndarray:
    """The plain search: per row, the last age below ``ages`` whose cumulative weight
    is at most the target, by bisection."""
    left, right = np.zeros(len(base), dtype=np.int64), np.full(len(base), ages - 1)
    for _ in range(int(ages).bit_length()):
        mid = (left + right + 1) // 2
        up = flat[base + mid] <= target
        left, right = np.where(up, mid, left), np.where(up, right, mid - 1)
    return left


@given(
    ages=st.integers(2, 120),
    rows=st.integers(1, 30),
    zeros=st.floats(0.0, 0.9),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_guided_search_finds_the_age_a_bisection_finds(
    ages: int, rows: int, zeros: float, seed: int
) -> None:
    """Birth dates invert each row's cumulative weights from a guide: the same age as
    a bisection, with plateaus (ages of no weight), steep steps and targets on edges."""
    from tempdata.samplers.ages import last_at_most, search

    rng = np.random.default_rng(seed)
    w = rng.random((rows, ages)) ** 4 * (rng.random((rows, ages)) >= zeros)
    w[:, 0] += 1e-9
    cum64 = np.zeros((rows, ages + 1))
    np.cumsum(w, axis=1, out=cum64[:, 1:])
    cum64 /= cum64[:, -1:]
    cum64[:, -1] = 1.0
    cum = cum64.astype(np.float32)
    guide = last_at_most(cum, 128)
    for r in range(rows):  # the guide's definition, bucket by bucket
        for b in (0, 1, 63, 64, 127):
            below = np.flatnonzero(cum[r, :ages].astype(np.float64) <= b / 128)
            assert guide[r, b] == below.max(), (r, b)
    n = 2000
    key = rng.integers(0, rows, n)
    target = rng.random(n)
    # some targets exactly on stored values and on bucket edges
    target[:200] = cum[key[:200], rng.integers(0, ages + 1, 200)]
    target[200:400] = rng.integers(0, 129, 200) / 128
    base = key * (ages + 1)
    flat = cum.reshape(-1)
    expected = _bisect(flat, base, target, ages)
    np.testing.assert_array_equal(search(flat, guide, key, base, target, ages), expected)


def test_age_weights_filled_on_threads_are_those_filled_on_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The countries' fits are filled in batches on threads: the table must not depend
    on the thread count."""
    from tempdata.samplers.ages import _Table

    frames = {}
    for threads in ("1", "3"):
        monkeypatch.setenv("TEMPDATA_THREADS", threads)
        tempdata.generate("employees", rows=10, seed=1)  # builds the sampler's table
        table = max(
            (o for o in gc.get_objects() if isinstance(o, _Table)), key=lambda t: t.cum.shape[0]
        )
        table._done[:] = False
        table.cum[:] = 0
        table.guide[:] = 0
        table.ready(np.arange(table._target.shape[0]))
        frames[threads] = (table.cum.copy(), table.guide.copy())
    np.testing.assert_array_equal(frames["1"][0], frames["3"][0])
    np.testing.assert_array_equal(frames["1"][1], frames["3"][1])
