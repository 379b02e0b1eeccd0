"""The reader of name-frequency extracts (scripts/refdata/name_sources.py) and the tail fit
(scripts/refdata/name_fit.py): a fixture in the agreed format reads back, and every kind of
broken file is refused with a message naming the line and value."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

from refdata.name_fit import fit_weights  # noqa: E402 (scripts/ is not a package path)
from refdata.name_sources import ExtractError, parse_extract, read_extract  # noqa: E402

FIXTURE = Path(__file__).parent / "fixtures" / "ZZ.csv"


def test_fixture_reads_back() -> None:
    extract = read_extract(FIXTURE)
    assert extract.country == "ZZ"
    assert list(extract.sources) == ["S1", "S2", "S3"]
    assert extract.sources["S1"].total("last") == 1_000_000
    assert extract.sources["S1"].total("first_male") is None
    assert (
        extract.sources["S1"].notes == "a small extract in the agreed format, spread over two lines"
    )
    assert extract.kinds() == {"last", "first_female", "first_male"}
    last = extract.rows_of("last")
    assert [r.name for r in last[:3]] == ["Müller", "Öztürk", "Smith"]
    assert (last[0].count, last[0].share) == (50_000, None)
    assert [r.share for r in extract.rows_of("first_female")] == [0.05, 0.03]
    kim = next(r for r in last if r.name == "김")
    assert (kim.ascii, kim.count, kim.share, kim.source) == ("Kim", None, None, "S3")


def test_every_checked_extract_in_the_repository_reads() -> None:
    """The committed extracts pass the same checks the build applies."""
    from refdata.name_sources import read_extracts

    extracts = read_extracts(ROOT / "scripts" / "sources" / "names")
    assert all(e.rows for e in extracts.values())


GOOD = FIXTURE.read_text(encoding="utf-8")
HEAD, TABLE = GOOD.split("source,kind,rank", 1)
TABLE = "source,kind,rank" + TABLE


def _with_row(row: str) -> str:
    return GOOD + row + "\n"


BROKEN = [
    ("unknown kind", _with_row("S1,middle,6,Zed,,100,"), "kind 'middle' is not one of"),
    ("undeclared source", _with_row("S9,last,6,Zed,,100,"), "source 'S9' is not declared"),
    ("bad rank", _with_row("S1,last,zero,Zed,,100,"), "rank 'zero' is not a whole number"),
    ("count and share", _with_row("S1,last,6,Zed,,100,0.1"), "give count or share, not both"),
    ("negative count", _with_row("S1,last,6,Zed,,-3,"), "count '-3' is not a positive number"),
    ("share above 1", _with_row("S2,first_male,3,Zed,,,1.5"), "share '1.5' is not a fraction"),
    ("capitals", _with_row("S1,last,6,MÜLLERSON,,100,"), "is in capitals"),
    ("digits", _with_row("S1,last,6,Zed2,,100,"), "holds digits"),
    ("spaces", _with_row("S1,last,6, Zed,,100,"), "name ' Zed' has leading"),
    ("duplicate", _with_row("S1,last,6,Smith,,100,"), "'Smith' listed twice for S1 last"),
    ("cells", _with_row("S1,last,6,Zed,,100"), "6 cells; expected 7"),
    ("growing counts", _with_row("S1,last,6,Zed,,9000,"), "has rank 6 but a larger value"),
    ("mixed styles", _with_row("S1,last,6,Zed,,,"), "S1 last mixes count and rank rows"),
    ("bad ascii", _with_row("S3,last,4,이,Lee1,,"), "ascii 'Lee1' must be Latin letters"),
    ("header columns", HEAD + TABLE.replace("ascii,count", "count,ascii", 1), "table header is"),
    ("no table", HEAD, "no table after the header"),
    ("unknown key", GOOD.replace("# year: 2019", "# yaer: 2019"), "unknown header key 'yaer'"),
    ("missing key", GOOD.replace("# licence: CC0\n", ""), "source S3 lacks licence"),
    (
        "bad total",
        GOOD.replace("last=1000000", "surname=5"),
        "unknown kind 'surname'",
    ),
    ("unused source", GOOD.replace("S3,last,3,김,Kim,,\n", "").replace("S3,", "S1,"), "S1 last"),
    (
        "names-dataset",
        GOOD.replace("Zedland Name Society", "names-dataset (philipperemy)"),
        "names-dataset, which is built from leaked personal data",
    ),
]


@pytest.mark.parametrize(("text", "message"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_extract_is_refused_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(ExtractError, match=None) as info:
        parse_extract(text, Path("ZZ.csv"))
    assert message in str(info.value)
    assert "ZZ.csv" in str(info.value)


def test_file_name_must_be_a_country_code() -> None:
    with pytest.raises(ExtractError, match="ISO 3166-1 alpha-2"):
        parse_extract(GOOD, Path("germany.csv"))


def test_fit_keeps_official_shares_and_continues_the_curve() -> None:
    official = [(f"n{r}", 0.1 / r) for r in range(1, 101)]  # Zipf, covering 51.9 %
    extra = [f"x{i}" for i in range(5000)]
    weights, fit = fit_weights(official, extra, absolute=True)
    w = dict(weights)
    assert sum(w.values()) == pytest.approx(1.0)
    assert w["n1"] == pytest.approx(0.1)  # official shares kept
    assert w["n100"] == pytest.approx(0.001)
    assert fit.alpha == pytest.approx(1.0, abs=1e-6)
    assert fit.rms < 1e-9
    assert fit.head_scale == pytest.approx(1.0)
    tail = [w[f"x{i}"] for i in range(5000)]
    assert tail == sorted(tail, reverse=True)  # the tail falls with rank
    assert tail[0] <= w["n100"] * 1.0001  # and starts below the last official name


def test_fit_scales_the_head_when_the_tail_is_too_short() -> None:
    official = [(f"n{r}", 0.01 / r) for r in range(1, 11)]  # covering 2.9 % only
    weights, fit = fit_weights(official, ["x", "y"], absolute=True)
    assert fit.head_scale > 1
    assert sum(w for _, w in weights) == pytest.approx(1.0)
    assert weights[0][1] > weights[-1][1]


def test_ranks_only_list_gets_power_law_weights() -> None:
    weights, fit = fit_weights([("a", None), ("b", None), ("c", None)], ["d"], absolute=False)
    w = dict(weights)
    assert fit.mode == "ranks"
    assert w["a"] / w["b"] == pytest.approx(2**0.5)
    assert w["a"] / w["d"] == pytest.approx(2.0)


def test_unranked_package_names_share_the_mean_weight_of_their_positions() -> None:
    # faker's lists without weights are alphabetical: Aaron must not outweigh Zoe because
    # he comes first; the block keeps the mass the curve gives its positions.
    official = [(f"n{r}", 0.1 / r) for r in range(1, 11)]
    extra = ["Aaron", "Maria", "Zoe", "ranked"]
    blocks: list[object] = [("faker", 1.0), ("faker", 1.0), ("faker", 1.0), None]
    plain, _ = fit_weights(official, extra, absolute=False)
    weights, _ = fit_weights(official, extra, absolute=False, blocks=blocks)
    w, p = dict(weights), dict(plain)
    assert w["Aaron"] == w["Maria"] == w["Zoe"]
    assert w["Aaron"] * 3 == pytest.approx(p["Aaron"] + p["Maria"] + p["Zoe"])
    assert w["ranked"] == pytest.approx(p["ranked"])
    assert sum(w.values()) == pytest.approx(1.0)


def test_ranks_only_given_names_have_a_steeper_tail() -> None:
    # Past a ranked head the tail falls as ranks_tail_beta says (given names: 1.45, from
    # the counted US and Brazilian lists), so package names do not swamp the head.
    head = [(f"n{r}", None) for r in range(1, 31)]
    extra = [f"x{i}" for i in range(500)]
    flat, _ = fit_weights(head, extra, absolute=False)
    steep, fit = fit_weights(head, extra, absolute=False, ranks_tail_beta=1.45)
    assert fit.beta == 1.45
    head_mass = sum(w for n, w in steep if n.startswith("n"))
    assert head_mass > 0.5 > sum(w for n, w in flat if n.startswith("n"))
    w = dict(steep)
    assert w["x0"] / w["x99"] == pytest.approx(((31 + 99) / 31) ** 1.45, rel=1e-6)


def test_middle_name_kinds_are_read() -> None:
    text = GOOD.replace(
        "S2,first_female,1,Anna,,,0.05",
        "S2,first_female,1,Anna,,,0.05\nS2,middle_female,1,Thị,Thi,,0.4",
    )
    extract = parse_extract(text, Path("VN.csv"))
    assert [r.name for r in extract.rows_of("middle_female")] == ["Thị"]


def test_counted_top_is_kept_when_the_rest_must_grow() -> None:
    # Norway: 10 counted names (7 % of people) then counted names down to 200 bearers
    # (47 %) and few package names: the rest is scaled up, the top 10 keep their shares.
    official = [(f"n{r}", 0.007 / r) for r in range(1, 11)]
    official += [(f"c{r}", 0.0006 * (r / 11) ** -0.8) for r in range(11, 3000)]
    weights, fit = fit_weights(official, ["x", "y"], absolute=True, keep=10)
    w = dict(weights)
    assert w["n1"] == pytest.approx(0.007)
    assert w["n10"] == pytest.approx(0.0007)
    assert fit.kept == 10
    assert fit.head_scale > 1
    # scaled by one factor, but none above the last kept share: the order stays
    assert w["c2999"] == pytest.approx(0.0006 * (2999 / 11) ** -0.8 * fit.head_scale)
    assert w["c11"] <= w["n10"]
    ranked = [v for _, v in weights]
    assert all(b <= a * (1 + 1e-12) for a, b in itertools.pairwise(ranked))
    assert sum(w.values()) == pytest.approx(1.0)
