"""Samplers produce values of the promised shape, range and distribution."""

from __future__ import annotations

import datetime as dt
import uuid

import numpy as np
import polars as pl
import pytest

from tempdata import samplers as s
from tempdata.core.plan import Dataset, col
from tests.conftest import run_plan


def one(sampler: object, rows: int = 20_000, **extra: object) -> pl.Series:
    columns = [col(k, v) for k, v in extra.items()] + [col("x", sampler)]  # type: ignore[arg-type]
    return run_plan(Dataset("t", description="", columns=columns), rows=rows)["x"]


def test_integers_cover_both_ends() -> None:
    x = one(s.integers(1, 6))
    assert set(x.unique().to_list()) == {1, 2, 3, 4, 5, 6}


def test_floats_normal_lognormal_bounds_and_rounding() -> None:
    f = one(s.floats(2, 3, decimals=2))
    assert f.min() >= 2
    assert f.max() <= 3
    assert (f * 100 - (f * 100).round(0)).abs().max() < 1e-6
    n = one(s.normal(10, 2, low=5, high=15))
    assert n.min() >= 5
    assert n.max() <= 15
    assert abs(n.mean() - 10) < 0.1
    ln = one(s.lognormal(3.0, 0.5))
    assert abs(np.log(ln.median()) - 3.0) < 0.05
    assert ln.mean() > ln.median()  # right-skewed


def test_poisson_minimum_and_mean() -> None:
    p = one(s.poisson(0.5, low=1, high=4))
    assert p.min() == 1
    assert p.max() <= 4
    assert abs(p.mean() - 1.5) < 0.05


def test_zipf_ranks_are_bounded_and_skewed() -> None:
    z = one(s.zipf(1.2, high=50))
    assert z.min() >= 1
    assert z.max() <= 50
    counts = z.value_counts().sort("x")["count"].to_list()
    assert counts[0] > counts[1] > counts[4] > counts[20]


def test_booleans_rate() -> None:
    assert abs(one(s.booleans(0.3)).mean() - 0.3) < 0.02


def test_choice_weights_and_enum_dtype() -> None:
    c = one(s.choice({"a": 0.7, "b": 0.2, "c": 0.1}))
    assert c.dtype == pl.Enum(["a", "b", "c"])
    share = c.value_counts(normalize=True).sort("x")
    assert np.allclose(share["proportion"].to_list(), [0.7, 0.2, 0.1], atol=0.02)
    assert one(s.choice(["p", "q"], enum=False)).dtype == pl.String


def test_choice_by_follows_the_given_column() -> None:
    frame = run_plan(
        Dataset(
            "t",
            description="",
            columns=[
                col("channel", s.choice(["store", "web"])),
                col(
                    "pay",
                    s.choice_by(
                        "channel", {"store": {"cash": 1}, "web": {"card": 0.5, "paypal": 0.5}}
                    ),
                ),
            ],
        ),
        rows=5_000,
    )
    assert frame.filter(pl.col("channel") == "store")["pay"].unique().to_list() == ["cash"]
    assert set(frame.filter(pl.col("channel") == "web")["pay"].unique().to_list()) == {
        "card",
        "paypal",
    }


def test_switch_uses_a_sampler_per_value() -> None:
    frame = run_plan(
        Dataset(
            "t",
            description="",
            columns=[
                col("kind", s.choice(["cheap", "dear"])),
                col(
                    "price", s.switch("kind", {"cheap": s.floats(1, 2), "dear": s.floats(100, 200)})
                ),
            ],
        ),
        rows=5_000,
    )
    cheap = frame.filter(pl.col("kind") == "cheap")["price"]
    dear = frame.filter(pl.col("kind") == "dear")["price"]
    assert cheap.max() < 2
    assert dear.min() >= 100


def test_sequence_formats_from_the_row_index() -> None:
    ids = one(s.sequence("CUST-{:08d}"), rows=60_000)
    assert ids[0] == "CUST-00000001"
    assert ids[59_999] == "CUST-00060000"
    assert ids.n_unique() == 60_000
    assert one(s.sequence("{}", start=0), rows=3).to_list() == ["0", "1", "2"]
    seq = s.sequence("A{:04d}Z")
    assert seq.index_of(pl.Series(["A0001Z", "A0120Z"])).to_list() == [0, 119]  # type: ignore[attr-defined]


def test_uuid4s_are_valid_version_4() -> None:
    values = one(s.uuid4s(), rows=2_000).to_list()
    parsed = [uuid.UUID(v) for v in values]
    assert all(
        u.version == 4 and u.variant == uuid.RFC_4122 and str(u) == v
        for u, v in zip(parsed, values, strict=False)
    )
    assert len(set(values)) == 2_000


def test_foreign_keys_stay_in_the_parent_key_space_and_skew() -> None:
    key = s.sequence("P-{:04d}")
    fk = one(s.foreign_key("parent", key, size=500, skew=1.0), rows=50_000)
    idx = key.index_of(fk)  # type: ignore[attr-defined]
    assert idx.min() >= 0
    assert idx.max() < 500
    counts = fk.value_counts()["count"].sort(descending=True)
    top_share = counts.head(50).sum() / 50_000  # the top 10 % of parents
    assert top_share > 0.4
    uniform = one(s.foreign_key("parent", key, size=500), rows=50_000)
    assert uniform.value_counts()["count"].sort(descending=True).head(50).sum() / 50_000 < 0.15


def test_a_foreign_key_offset_flattens_the_head_and_keeps_the_tail() -> None:
    key = s.sequence("P-{:04d}")

    def shares(offset: float) -> np.ndarray:
        fk = one(s.foreign_key("parent", key, size=1_000, skew=1.05, offset=offset), rows=100_000)
        return np.sort(fk.value_counts()["count"].to_numpy())[::-1] / 100_000

    plain, flat = shares(0), shares(10)
    # (k + q) ** -a over 1,000 ranks (continuous): 11.7 % and 2.1 % on the first.
    assert plain[0] == pytest.approx(0.117, abs=0.01)
    assert flat[0] == pytest.approx(0.021, abs=0.004)
    # The tail keeps its slope: ranks 100 to 1,000 fall by the same factor.
    assert plain[99] / plain[899] == pytest.approx(flat[99] / flat[899], rel=0.25)
    assert s.foreign_key("parent", key, size=9, skew=1.05, offset=10) != s.foreign_key(
        "parent", key, size=9, skew=1.05
    )


def test_timestamps_stay_in_range_and_follow_the_profile() -> None:
    t = one(s.timestamps(profile="retail"), rows=50_000)
    assert t.dtype == pl.Datetime("us")
    assert t.min() >= dt.datetime(2025, 1, 1)
    assert t.max() <= dt.datetime(2025, 12, 31, 23, 59, 59, 999_999)
    hours = t.dt.hour()
    assert (hours == 18).sum() > 5 * (hours == 3).sum()  # shop hours
    days = t.dt.date()
    black_friday = (days == dt.date(2025, 11, 28)).sum()
    ordinary_friday = (days == dt.date(2025, 10, 24)).sum()
    assert black_friday > 2 * ordinary_friday
    assert (days == dt.date(2025, 12, 25)).sum() < ordinary_friday / 5


def test_sorted_timestamps_are_sorted_across_chunks() -> None:
    t = one(s.timestamps(profile="retail", sorted=True), rows=120_000)
    assert t.is_sorted()
    assert t.min() >= dt.datetime(2025, 1, 1)


def test_growth_profile_grows() -> None:
    t = one(s.timestamps(profile="signup"), rows=50_000)
    months = t.dt.month()
    assert (months >= 7).sum() > (months <= 6).sum()


def test_birth_dates_and_ages() -> None:
    frame = run_plan(
        Dataset(
            "t",
            description="",
            columns=[
                col("joined", s.timestamps()),
                col("born", s.birth_dates(adult_at="joined")),
                col("age", s.elapsed("born")),
                col("tenure", s.elapsed("joined", unit="days")),
            ],
        ),
        rows=20_000,
    )
    assert frame["born"].dtype == pl.Date
    assert frame["age"].min() >= 18
    assert frame["age"].max() <= 100  # 100 stands for 100 or older
    assert (frame["born"].dt.offset_by("18y") <= frame["joined"].dt.date()).all()
    assert frame["tenure"].min() >= 0
    assert frame["tenure"].max() <= 365
    ages = frame["age"]
    assert 40 < ages.mean() < 52


@pytest.mark.parametrize("born", [dt.date(2000, 12, 31), dt.date(2001, 1, 1), dt.date(1960, 2, 29)])
def test_elapsed_years_is_exact_on_birthdays(born: dt.date) -> None:
    from tempdata.core.plan import ChunkContext
    from tempdata.core.seeding import Seeder
    from tempdata.samplers.temporal import _Elapsed
    from tests.conftest import make_params

    ctx = ChunkContext(
        "t",
        0,
        0,
        1,
        make_params(1),
        Seeder(0),
        pl.DataFrame({"b": [born]}),
        lambda *_: pl.DataFrame(),
    )
    age = _Elapsed("b").sample(np.random.default_rng(0), ctx)[0]
    ref = dt.date(2025, 12, 31)
    expected = ref.year - born.year - ((ref.month, ref.day) < (born.month, born.day))
    assert age == expected


ROW_PREFIX_SAMPLERS = {
    "integers": s.integers(0, 10**6),
    "normal": s.normal(0, 1),
    "lognormal": s.lognormal(1, 1, decimals=2),
    "poisson": s.poisson(3),
    "zipf": s.zipf(1.1, high=1000),
    "booleans": s.booleans(0.3),
    "choice": s.choice({"a": 1, "b": 2}),
    "numbers": s.numbers({0.5: 1, 1.5: 2}),
    "uuid4s": s.uuid4s(),
    "fk_skew": s.foreign_key("p", s.sequence("P{}"), size=999, skew=0.9),
    "timestamps": s.timestamps(profile="retail"),
    "birth_dates": s.birth_dates(),
}


@pytest.mark.parametrize("name", sorted(ROW_PREFIX_SAMPLERS))
def test_a_row_does_not_depend_on_the_chunk_size(name: str) -> None:
    sampler = ROW_PREFIX_SAMPLERS[name]
    assert one(sampler, rows=300).equals(one(sampler, rows=50_000).head(300))


@pytest.mark.parametrize(
    ("sampler", "fields"),
    [(s.places(), ["city", "lat", "lon"]), (s.people(), ["first_name", "email", "phone"])],
    ids=["places", "people"],
)
def test_group_rows_do_not_depend_on_the_chunk_size(sampler: object, fields: list[str]) -> None:
    from tempdata.core.plan import group

    ds = Dataset("t", description="", columns=[group("g", sampler, columns=fields)])  # type: ignore[arg-type]
    assert run_plan(ds, rows=300).equals(run_plan(ds, rows=50_000).head(300))
