"""Street names and street lines: each country's format, numbers, determinism, coverage."""

from __future__ import annotations

import re

import numpy as np
import polars as pl
import pytest

from tempdata.geo.reference import load
from tempdata.geo.streets import LINE_FORMATS, STREET_DRAWS, street_lines

CORE = [
    "US", "CA", "MX", "BR", "AR", "CO", "CL", "GB", "IE", "FR", "DE", "AT", "CH", "ES", "IT",
    "NL", "BE", "PT", "PL", "SE", "NO", "DK", "FI", "CZ", "JP", "KR", "CN", "IN", "AU", "NZ",
    "ZA", "TR", "RU", "PK",
]  # fmt: skip

_N = r"\d+"
# (country, pattern of the whole line, with {s} for the street name)
FORMATS = {
    "US": rf"(?:{_N} {{s}}(?: Apt {_N})?)",
    "CA": rf"(?:(?:{_N}-)?{_N} {{s}})",
    "GB": rf"(?:(?:Flat {_N}, )?{_N}[A-C]? {{s}})",
    "IE": rf"(?:(?:Apartment {_N}, )?{_N}[A-C]? {{s}})",
    "AU": rf"(?:(?:{_N}/)?{_N}[A-C]? {{s}})",
    "NZ": rf"(?:(?:{_N}/)?{_N}[A-C]? {{s}})",
    "ZA": rf"(?:(?:Unit {_N}, )?{_N} {{s}})",
    "IN": rf"(?:(?:Flat {_N}, )?{_N}, {{s}})",
    "PK": rf"(?:House No\. {_N}, {{s}})",
    "FR": rf"(?:{_N}(?: bis| ter)? {{s}})",
    "DE": rf"(?:{{s}} {_N}[a-c]?)",
    "AT": rf"(?:{{s}} {_N}(?:/{_N})?)",
    "CH": rf"(?:{{s}} {_N}[a-c]?)",
    "NL": rf"(?:{{s}} {_N}[A-C]?)",
    "BE": rf"(?:{{s}} {_N}[A-C]?(?: bus {_N})?)",
    "DK": rf"(?:{{s}} {_N}[A-C]?(?:, {_N}\. (?:tv\.|th\.|mf\.))?)",
    "SE": rf"(?:{{s}} {_N}[A-C]?)",
    "NO": rf"(?:{{s}} {_N}[A-C]?)",
    "FI": rf"(?:{{s}} {_N}(?: [A-C] {_N})?)",
    "CZ": rf"(?:{{s}} {_N}(?:/{_N})?)",
    "PL": rf"(?:{{s}} {_N}[a-c]?(?:/{_N})?)",
    "IT": rf"(?:{{s}}, {_N}(?:/[AB])?)",
    "ES": rf"(?:{{s}}, {_N}(?:, {_N}º (?:[A-D]|izq\.|dcha\.))?)",
    "PT": rf"(?:{{s}}, {_N}[A-C]?(?:, {_N}º (?:Esq\.|Dto\.|Frente))?)",
    "BR": rf"(?:{{s}}, {_N}(?:, apto {_N}0[1-4])?)",
    "AR": rf"(?:{{s}} {_N}(?:, Piso {_N}, Dto\. [A-C])?)",
    "CL": rf"(?:{{s}} {_N}(?:, depto\. {_N}0[1-4])?)",
    "MX": rf"(?:{{s}} {_N}(?: Int\. {_N})?)",
    "CO": rf"(?:{{s}} # {_N}[A-C]?-{_N})",
    "TR": rf"(?:{{s}} No: {_N}(?: D: {_N})?)",
    "RU": rf"(?:{{s}}, д\. {_N}(?:, кв\. {_N})?)",
    "JP": rf"(?:{{s}}[1-9](?:-|丁目){_N}-{_N})",
    "KR": rf"(?:{{s}} {_N}(?:-{_N})?)",
    "CN": rf"(?:{{s}}{_N}号)",
}


@pytest.fixture(scope="module")
def codes() -> list[str]:
    return load("countries").get_column("iso2").to_list()


def _lines(cids: np.ndarray, seed: int = 0) -> dict[str, pl.Series]:
    u = np.random.default_rng(seed).random((len(cids), STREET_DRAWS))
    return street_lines(cids, u)


@pytest.mark.parametrize("cc", sorted(FORMATS))
def test_each_country_writes_its_format(cc: str, codes: list[str]) -> None:
    out = _lines(np.full(400, codes.index(cc)), seed=len(cc) + ord(cc[0]))
    pattern = FORMATS[cc]
    bad = [
        line
        for street, number, line in zip(
            out["street"], out["house_number"], out["street_line"], strict=True
        )
        if not re.fullmatch(pattern.replace("{s}", re.escape(street)), line)
        or number not in line.replace("丁目", "-")
    ]
    assert not bad, bad[:5]


def test_every_core_country_has_a_format_test() -> None:
    assert set(CORE) <= set(FORMATS)
    assert set(FORMATS) <= set(LINE_FORMATS)


def test_number_after_or_before_the_street(codes: list[str]) -> None:
    for cc, first in [("DE", False), ("PL", False), ("NL", False), ("US", True), ("GB", True)]:
        out = _lines(np.full(200, codes.index(cc)))
        starts = out["street_line"].str.contains(r"^\d").mean()
        assert (starts > 0.8) if first else (starts == 0.0), cc


def test_house_numbers_positive_and_skewed(codes: list[str]) -> None:
    out = _lines(np.full(20_000, codes.index("DE")), seed=3)
    n = out["house_number"].str.extract(r"^(\d+)").cast(pl.Int64)
    assert n.min() >= 1  # type: ignore[operator]
    assert n.max() <= 180  # type: ignore[operator]
    assert n.median() < 45  # type: ignore[operator]
    small = (n <= 10).mean()
    large = ((n > 100) & (n <= 110)).mean()
    assert small > 4 * large


def test_same_draws_same_output(codes: list[str]) -> None:
    rng = np.random.default_rng(11)
    cids = rng.integers(0, len(codes), 3000)
    u = rng.random((3000, STREET_DRAWS))
    a, b = street_lines(cids, u), street_lines(cids.copy(), u.copy())
    for key in ("street", "house_number", "street_line"):
        assert a[key].equals(b[key])
    # rows do not depend on their neighbours: a slice gives the slice
    part = street_lines(cids[100:200], u[100:200])
    assert part["street_line"].equals(a["street_line"][100:200])


def test_every_country_gets_lines(codes: list[str]) -> None:
    cids = np.repeat(np.arange(len(codes)), 20)
    out = _lines(cids, seed=5)
    assert set(out) == {"street", "house_number", "street_line"}
    for key, series in out.items():
        assert series.dtype == pl.String, key
        assert len(series) == len(cids), key
        assert series.null_count() == 0, key
        assert (series.str.len_chars() > 0).all(), key
    assert out["street_line"].str.contains(r"\d").all()


def test_empty_input_and_bad_shape() -> None:
    out = street_lines(np.array([], dtype=np.int64), np.empty((0, STREET_DRAWS)))
    assert all(len(s) == 0 and s.dtype == pl.String for s in out.values())
    with pytest.raises(ValueError, match="shape"):
        street_lines(np.array([0, 1]), np.zeros((2, STREET_DRAWS - 1)))


def test_streets_table_coverage() -> None:
    streets = load("streets")
    assert streets.schema == pl.Schema(
        {
            "country_code": pl.String,
            "city": pl.Int32,
            "street": pl.String,
            "street_ascii": pl.String,
            "weight": pl.Float64,
        }
    )
    counts = dict(streets.filter(pl.col("city") < 0).group_by("country_code").len().iter_rows())
    thin = {cc: counts.get(cc, 0) for cc in CORE if counts.get(cc, 0) < 100}
    assert not thin
    assert set(load("countries").get_column("iso2")) <= set(counts)
    sums = streets.group_by("country_code", "city").agg(pl.col("weight").sum())
    assert (sums["weight"] - 1.0).abs().max() < 1e-9  # type: ignore[operator]
    assert streets.filter(pl.col("street_ascii").str.contains(r"[^\x20-\x7e]")).is_empty()
    assert not streets.select(
        pl.struct("country_code", "city", "street").is_duplicated().any()
    ).item()


@pytest.mark.parametrize(
    ("cc", "example"),
    [("DE", "straße"), ("FR", "Rue "), ("PL", "ul. "), ("RU", "ул. "), ("US", " Street")],
)
def test_streets_look_local(cc: str, example: str) -> None:
    names = load("streets").filter(pl.col("country_code") == cc).get_column("street")
    assert names.str.contains(example, literal=True).mean() > 0.1  # type: ignore[operator]
