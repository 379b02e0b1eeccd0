"""Every sampler factory checks its arguments; invalid ones name parameter and value."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tempdata import samplers as s
from tempdata.errors import InvalidParameterError

BAD_CALLS: list[tuple[Callable[[], object], str]] = [
    (lambda: s.integers(5, 1), "low \\(5\\) must not exceed high \\(1\\)"),
    (lambda: s.integers(1.5, 3), "integers: low must be an integer, got 1.5"),
    (lambda: s.floats(0, float("nan")), "floats: high must be finite"),
    (lambda: s.floats(0, 1, decimals=-1), "decimals must be >= 0"),
    (lambda: s.normal(0, -1), "normal: std must be >= 0, got -1"),
    (lambda: s.normal(0, 1, low=2, high=1), "normal: low"),
    (lambda: s.lognormal(1, -0.5), "lognormal: sigma must be >= 0"),
    (lambda: s.poisson(-1), "poisson: lam must be >= 0"),
    (lambda: s.poisson(1, low=5, high=2), "poisson: low"),
    (lambda: s.zipf(0, high=10), "zipf: a must be > 0"),
    (lambda: s.zipf(1.2, high=0), "zipf: high must be >= 1"),
    (lambda: s.booleans(1.5), "booleans: p must be <= 1"),
    (lambda: s.choice({}), "choice: needs at least one value"),
    (lambda: s.choice({"a": -1}), "weight of 'a' must be >= 0"),
    (lambda: s.choice({"a": 0}), "weights must not all be zero"),
    (lambda: s.choice("abc"), "expected a mapping"),
    (lambda: s.choice_by("c", {}), "table must map"),
    (lambda: s.switch("c", {"a": 1}), "case 'a' is not a sampler"),
    (lambda: s.sequence("ID-{}-{}"), "exactly one"),
    (lambda: s.sequence("ID"), "exactly one"),
    (lambda: s.sequence("ID-{:08x}"), "exactly one"),
    (lambda: s.foreign_key("p", s.integers(0, 1), size=10), "key must be the parent's sequence"),
    (lambda: s.foreign_key("p", s.sequence("{}"), size=0), "size must be >= 1"),
    (lambda: s.foreign_key("p", s.sequence("{}"), size=5, skew=-1), "skew must be > 0"),
    (
        lambda: s.foreign_key("p", s.sequence("{}"), size=5, skew=1, offset=-2),
        "offset must be >= 0",
    ),
    (lambda: s.lookup("k", s.sequence("{}"), "price"), "must be a foreign_key"),
    (lambda: s.timestamps(profile="weekly"), "unknown profile 'weekly'"),
    (lambda: s.birth_dates({(30, 20): 1.0}), "age band \\(30, 20\\)"),
    (lambda: s.birth_dates(min_age=50, max_age=20), "need 0 <= min_age <= max_age <= 100"),
    (lambda: s.birth_dates(max_age=120), "need 0 <= min_age <= max_age <= 100, got 18 and 120"),
    (
        lambda: s.birth_dates(adult_at="d", adult_at_profile="weekly"),
        "unknown adult_at_profile 'weekly'",
    ),
    (lambda: s.birth_dates(by="level"), "by and groups go together"),
    (lambda: s.birth_dates(by="l", groups={"a": 1}), "groups must map values to AgeGroup"),
    (
        lambda: s.birth_dates(max_age=60, by="l", groups={"a": s.AgeGroup(1, min_age=65)}),
        "group 'a' has min_age 65 > max_age 60",
    ),
    (lambda: s.AgeGroup(0), "AgeGroup: share must be > 0, got 0"),
    (lambda: s.AgeGroup(1, mean=120), "AgeGroup: mean must be <= 100, got 120"),
    (lambda: s.AgeGroup(1, mean=40, sd=0), "AgeGroup: sd must be >= 1, got 0"),
    (lambda: s.pyramid("japan", sex="x"), "pyramid: sex must be 'female', 'male' or None"),
    (lambda: s.pyramid("atlantis"), "unknown country 'atlantis'"),
    (lambda: s.elapsed("d", unit="hours"), "unit must be 'years' or 'days'"),
    (lambda: s.places("atlantis"), "unknown country 'atlantis'"),
]


@pytest.mark.parametrize(("call", "message"), BAD_CALLS)
def test_invalid_arguments(call: Callable[[], object], message: str) -> None:
    with pytest.raises(
        InvalidParameterError if "country" not in message else ValueError, match=message
    ):
        call()


@pytest.mark.parametrize(
    ("sampler", "text"),
    [
        (s.integers(1, 6), "integers(low=1, high=6)"),
        (s.lognormal(3.2, 0.6, decimals=2), "lognormal(mean=3.2, sigma=0.6, decimals=2)"),
        (s.poisson(2.1, low=1), "poisson(lam=2.1, low=1)"),
        (s.choice({"a": 3, "b": 1}), "choice({'a': 0.75, 'b': 0.25})"),
        (s.sequence("ORD-{:09d}"), "sequence('ORD-{:09d}')"),
        (s.timestamps(profile="retail", sorted=True), "timestamps(profile='retail', sorted=True)"),
        (s.uuid4s(), "uuid4s()"),
        (
            s.birth_dates(min_age=0, country_column="cc", sex_column="sex"),
            "birth_dates(min_age=0, max_age=100, country_column='cc', sex_column='sex')",
        ),
        (
            s.birth_dates(
                adult_at="joined",
                adult_at_profile="signup",
                by="g",
                groups={"a": s.AgeGroup(1, mean=45)},
            ),
            "birth_dates(min_age=18, max_age=100, adult_at='joined', "
            "adult_at_profile='signup', by='g', groups={'a': AgeGroup(share=1, min_age=None, "
            "mean=45, sd=10.0)})",
        ),
    ],
)
def test_reprs_repeat_the_call(sampler: object, text: str) -> None:
    assert repr(sampler) == text
