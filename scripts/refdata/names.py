"""names.parquet: person names per name locale, weighted by each country's real frequencies.

Two inputs meet here:

* package lists (faker, mimesis; :mod:`refdata.name_packages`), mostly unweighted, for
  about 95 locales;
* name-frequency extracts of official (or, failing that, other published) statistics,
  one file per country in ``scripts/sources/names/<ISO2>.csv``
  (:mod:`refdata.name_sources` reads and checks them).

A country with an extract gets a locale of its own (the package locale ending in its code,
e.g. de_DE, else a new key of its first language and its code, e.g. es_PE). For each kind
of name the extract gives, the official list keeps its shares and the package names it
lacks continue its rank–frequency curve (:func:`refdata.name_fit.fit_weights`); kinds the
extract lacks come from the package locale the country used before. Locales without an
extract are built from the package lists as before.
"""

from __future__ import annotations

import csv
import dataclasses
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from refdata.build import (
    FAKER_NOTICE,
    MIMESIS_NOTICE,
    REPO_ROOT,
    Artifact,
    BuildContext,
    Source,
    fail,
    frame,
)
from refdata.name_fit import DEFAULT_ALPHA, RANKS_GIVEN_TAIL_BETA, Fit, fit_weights
from refdata.name_packages import FALLBACK_LOCALE, NameEntry, mimesis_tails, pick_locale
from refdata.name_sources import ExtractError, NameExtract, NameRow, SourceInfo, read_extracts
from refdata.romanize import ascii_name, script_of
from tempdata.samplers.people import FIRST_CHARS, LAST_CHARS, address_order

#: Where the extracts live.
EXTRACTS = REPO_ROOT / "scripts" / "sources" / "names"
#: Readings (romanizations) of package names whose script does not give them:
#: ``readings/<locale>.csv`` with columns name, ascii (``#`` lines first: origin).
READINGS = EXTRACTS / "readings"

#: Counts without a ``total:`` are taken as persons of the country's population (GeoNames)
#: when they add up to at least this fraction of it (surnames: all people; given names:
#: half); smaller sums (birth registrations, samples) are only relative.
POPULATION_BASE_MIN = 0.05

GENDERED = ("last_female", "last_male")
MIDDLE = ("middle_female", "middle_male")

#: Languages whose package locales are not one pool of names (see related_locales).
NO_RELATED = frozenset({"en"})

#: Package locales whose names extend a country's tail besides its own language's, by kind
#: of name ("first" or "last"): where a country's names come from another language's pool.
#: The Philippines' surnames are largely Spanish since Governor Clavería's Catálogo
#: alfabético de apellidos (1849) assigned them; Kenyan and Ugandan given and family names
#: share East Africa's Swahili, Bantu and Nilotic pools (faker's sw and en_KE lists);
#: Nigeria's Yoruba, Igbo and Hausa lists are faker's yo_NG, ig_NG and ha_NG; Canada's
#: tail holds Quebec's names (fr_CA) after the English ones.
EXTRA_TAILS: dict[str, dict[str, tuple[str, ...]]] = {
    "PH": {"last": ("es_MX", "es_ES"), "first": ("en_US", "es_MX")},
    "KE": {"first": ("sw",), "last": ("sw",)},
    "UG": {"first": ("en_KE", "sw"), "last": ("sw", "en_KE")},
    "NG": {"first": ("ig_NG", "ha_NG", "en_NG"), "last": ("ig_NG", "ha_NG", "en_NG")},
    "CA": {"first": ("fr_CA",), "last": ("fr_CA",)},
}

#: Countries that write the names of their tail without acute and grave accents (Filipinos
#: write Spanish names as Jose, Velasquez; the ñ stays: Peña).
FOLD_ACCENTS = frozenset({"PH"})

#: Countries where a person's second name is the father's given name (Ethiopia: Abebe
#: Bikila is Abebe, son of Bikila): family names are the male given names, same weights.
FATHERS_NAME_AS_SURNAME = frozenset({"ET"})

#: Locales whose mimesis given names join the tail: where faker's lists are short (ko_KR
#: 65/56, ja_JP 21/30, pl_PL 53/100, ru_RU 80 women, uk_UA 66/121, fa_IR 99/100) and
#: mimesis' hold the language's names. Elsewhere mimesis' given names run to runic, archaic
#: and made-up ones (sv Hvithovudh, no Annathon, cs Ælfgifu, fr Marvelle): left out.
MIMESIS_GIVEN = frozenset({"ko_KR", "ja_JP", "pl_PL", "ru_RU", "uk_UA", "fa_IR"})

#: Locales of one language whose names are written otherwise (traditional and simplified
#: Chinese characters: 謝 and 谢): zh_TW names join zh_CN's tail only when they are written
#: alike in simplified characters (every character in GB 2312, the simplified set: 淑芬,
#: 家豪, not 家銘); zh_CN names stay out of zh_TW's.
UNRELATED: dict[str, tuple[str, ...]] = {"zh_TW": ("zh_CN",)}
SAME_SCRIPT: dict[tuple[str, str], str] = {("zh_CN", "zh_TW"): "gb2312"}


def in_charset(name: str, codec: str) -> bool:
    """Whether ``name`` can be written in ``codec`` (GB 2312 holds simplified characters)."""
    try:
        name.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


#: A given name listed for both sexes is kept only for the sex that bears it this many
#: times as often (by share of each sex), when both lists have shares.
SEX_RATIO = 10.0

#: How names.parquet is made, for SOURCES.md (filled by :func:`build_names`).
METHOD = """
Given and family names per name locale. **Frequencies** come from published name statistics,
one extract per country in `scripts/sources/names/<ISO2>.csv` ({n_extracts} countries:
{extracts}; each cited below): official statistics first (census or population-register
counts, national statistics offices' published lists, birth registrations), other published
lists where no office publishes one (each labelled). For each kind of name (first_female,
first_male, last, or last_female/last_male where surnames have a gender), the extract's first
counted source keeps its shares of the population (counts over the source's total, or over
the GeoNames population when no total is given and the counts add up to at least {min_base}
of it; otherwise the counts are relative; a list of ranks only gets the weights rank^-0.5, the
slope of the counted surname lists over their top 100, so its order is right and its shares
indicative). A later counted source whose counts all lie at or below the official list's last
one, with no total of its own, continues the official list by count. The
names it lacks (further sources of the extract, then the package lists below: the country's
locale in faker and in mimesis, then the other locales of its language in both except for
English, then the few other-language pools named in a country's note, each most weighted
first) continue its rank–frequency curve: a power law share ≈ C·rank^-α fitted by least
squares in log-log to the lower half of the official list, bent (exponent β) so that official
and extra names together hold the whole population; when even a flat tail at the last
official share cannot (too few extra names), the tail stays flat there, so that no extra
name is commoner than an official one, and the head is scaled up (reported as 'head
scaled'). After a given-name list of ranks only the tail falls with β = 1.45, the slope of
the counted given-name lists (US 1990, Brazil 2010) between ranks 100 and 1000. Names of
one package list without weights (alphabetical) share the mean weight of their positions on
the curve, so no name gains by its initial. Given
names listed for the other sex are not added to a sex's tail. Middle names (Vietnam) are
written before each given name of their sex, weights multiplied; Ethiopia's family names are
its male given names (the father's name); Myanmar's extract splits names into leading and
final syllables. Japanese package names in kanji or katakana keep a place in the tail only
with a reading from `scripts/sources/names/readings/ja_JP.csv` (japanese-personal-name-dataset,
MIT, commit 9046343). Each country's fit (α, its rms
residual in log10, β, coverage) is listed below. **Lists** of names without such statistics
come from faker's person providers ({n_faker} locales: {faker}) and, for locales faker
lacks, mimesis' person datasets ({mimesis}): the lists faker's `first_name_female`,
`first_name_male`, `last_name` (and `last_name_female`/`last_name_male`) draw from, with
faker's weights where it has them (e.g. en_US SSA and Census counts) else 1.0; a name listed
twice has its weights added. A country with an extract uses a locale of its own: the package
locale ending in its code, else a new key of its language and code (e.g. es_PE), whose
missing kinds come from the locale it used before (a country that used the en_US fallback
gets no US names in its tail). `kind` is first_female, first_male or
last; locales with gendered surnames ({gendered}) also have last_female and last_male (`last`
is their union). Icelandic surnames are patronymics built as faker builds them; pl_PL
surnames are faker's gender-neutral ones plus its -ski/-cki surnames in both forms. lt_LT
first names, ungendered in faker, are split by ending (-s male, -a/-ė female); en_PK and
en_TH first names are ungendered in faker and appear under both first kinds unless an
extract replaces them. `ascii` is lowercase a-z for e-mail addresses: the extract's
romanization where it gives one; ja_JP from faker's romanizations; German umlauts as
ae/oe/ue/ss; Greek digraphs as ELOT 743 spells them (μπ → b); Indic scripts with their
inherent vowel (संजय → sanjay); Arabic script with its long vowels and article (فاطمة →
fatma); Thai in the Royal Thai General System as PyThaiNLP's rules apply it (สมชาย →
somchai); common Korean surnames in their usual spelling (Kim, Lee, Park); everything else
through anyascii. {dropped} names that fold to nothing were dropped. `key` is `ascii` cut
to the letters an address keeps ({first_chars} of a given name, {last_chars} of a family
name); rows are in the order the people sampler lays out its tables (locale, kind, key, most
common spelling first). `gid` numbers the keys of given names and of family names (each
family in sorted order); {unused} names the sampler's tables cannot hold (no weight, or a
given name that is one letter in an address) are left out.
"""


@dataclass(frozen=True)
class CountryNames:
    """The names a country uses: ``locale`` (key in names.parquet) and ``base``, the
    package locale it would use without an extract (whose lists fill what it lacks)."""

    locale: str
    base: str


def read_name_extracts() -> dict[str, NameExtract]:
    """Every extract, checked (the build stops with every problem listed)."""
    if not EXTRACTS.is_dir():
        return {}
    try:
        return read_extracts(EXTRACTS)
    except ExtractError as exc:
        fail(f"name-frequency extracts in {EXTRACTS.relative_to(REPO_ROOT)}:\n{exc}")


def extract_locale(cc: str, base: str, languages: str) -> str:
    """The locale key a country with an extract gets."""
    if base.endswith(f"_{cc}"):
        return base
    langs = [t.split("-")[0].lower() for t in languages.split(",") if t]
    lang = base.split("_")[0]
    if langs and lang not in langs:
        lang = langs[0]
    return f"{lang}_{cc}"


def plan_locales(ctx: BuildContext) -> dict[str, CountryNames]:
    """Each country's name locale (countries with a city only)."""
    packages = set(ctx.names_by_locale)
    plan: dict[str, CountryNames] = {}
    for cc in sorted(ctx.city_countries):
        info = ctx.geonames_countries[cc]
        languages = info.get("languages") or ""
        base = pick_locale(cc, languages, info["continentcode"], packages)
        locale = extract_locale(cc, base, languages) if cc in ctx.name_extracts else base
        plan[cc] = CountryNames(locale, base)
    stray = sorted(set(ctx.name_extracts) - set(plan))
    if stray:
        fail(f"name extracts for countries without cities: {', '.join(stray)}")
    return plan


def read_readings() -> dict[str, dict[str, str]]:
    """locale → name → romanization, from ``readings/<locale>.csv``."""
    out: dict[str, dict[str, str]] = {}
    for path in sorted(READINGS.glob("*.csv")) if READINGS.is_dir() else []:
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        rows = list(csv.reader(ln for ln in lines if not ln.startswith("#")))
        if not rows or rows[0] != ["name", "ascii"]:
            fail(f"{path.relative_to(REPO_ROOT)}: the table must start with 'name,ascii'")
        out[path.stem] = {_key(name): roman for name, roman in rows[1:]}
    return out


def with_readings(
    lists: Mapping[str, list[NameEntry]], readings: Mapping[str, str]
) -> dict[str, list[NameEntry]]:
    """A locale's package lists with the readings of their names; names written in Han
    characters without a reading are left out (anyascii would give a Chinese reading:
    美咲 → meixiao), and so are katakana names (few Japanese adults bear one: ノエル,
    タクマ); hiragana names keep the romanization of their script."""
    out: dict[str, list[NameEntry]] = {}
    for kind, entries in lists.items():
        kept = []
        for name, weight, roman in entries:
            reading = roman or readings.get(_key(name))
            if reading is None and script_of(name) in ("CJK", "KATAKANA"):
                continue
            kept.append((name, weight, reading))
        out[kind] = kept
    return out


# --------------------------------------------------------------------------- merging


@dataclass
class Merged:
    """One country's names by kind, how each kind was weighted, and what to warn about."""

    kinds: dict[str, list[NameEntry]]
    fits: dict[str, Fit]
    bases: dict[str, str]
    warnings: list[str]


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name.strip())


def _package_tail(package: Mapping[str, list[NameEntry]], kind: str) -> list[NameEntry]:
    """Package entries for ``kind``, most weighted first (stable), one per name."""
    entries = package.get(kind)
    if entries is None and kind in GENDERED:
        entries = package.get("last")
    if entries is None and kind == "last":
        entries = package.get("last_male", []) + package.get("last_female", [])
    totals: dict[str, list[Any]] = {}
    for name, weight, romanized in entries or []:
        key = _key(name)
        if not key or "." in key:  # faker's de_DE lists abbreviations: H.-Dieter
            continue
        if key in totals:
            totals[key][0] += weight
        else:
            totals[key] = [weight, romanized]
    ranked = sorted(totals.items(), key=lambda kv: -kv[1][0])  # stable: ties keep list order
    return [(name, w, r) for name, (w, r) in ranked]


def _base_total(
    rows: Sequence[NameRow], source: SourceInfo, kind: str, population: float
) -> tuple[float | None, str]:
    """Persons behind a counted list: the header's total, else the population if plausible."""
    total = source.total(kind)
    if total is not None:
        return total, f"total {total:,.0f} from the extract"
    people = population if kind.startswith("last") else population / 2
    counted = sum(r.count or 0.0 for r in rows)
    if people > 0 and POPULATION_BASE_MIN * people <= counted <= people:
        return people, f"no total given: base taken as {people:,.0f} (GeoNames population)"
    return None, "no total given: counts used as relative weights"


def _fit_kind(
    extract: NameExtract,
    kind: str,
    tail: list[NameEntry],
    exclude: set[str],
    population: float,
    tail_blocks: Sequence[object] | None = None,
) -> tuple[list[NameEntry], Fit, str]:
    """Official list of ``kind`` (its first counted source, else its first source), then the
    other sources' names and the package names, weighted by :func:`fit_weights`; names of
    ``tail`` that share a key of ``tail_blocks`` are unranked among themselves."""
    rows = extract.rows_of(kind)
    order = [sid for sid in extract.sources if any(r.source == sid for r in rows)]
    valued = [sid for sid in order if any(r.count or r.share for r in rows if r.source == sid)]
    primary = (valued or order)[0]
    official = sorted((r for r in rows if r.source == primary), key=lambda r: (r.rank, r.line))
    romanized = {r.name: r.ascii for r in rows if r.ascii}
    absolute, base = False, "ranks only"
    values: list[float | None]
    if official[0].share is not None:
        values, absolute, base = [r.share for r in official], True, "shares from the extract"
    elif official[0].count is not None:
        total, base = _base_total(official, extract.sources[primary], kind, population)
        more = _continuations(extract, rows, order, primary, official)
        if more:
            bridge = _bridge(rows, primary, official, more)
            official = [*official, *bridge, *more]
            base += f"; {', '.join(sorted({r.source for r in more}))} continuing it by count"
            if bridge:
                base += f" after {len(bridge)} ranked names between them (counts interpolated)"
        counts = [r.count or 0.0 for r in official]
        values = [c / total for c in counts] if total else list(counts)
        absolute = total is not None
    else:
        values = [None] * len(official)
    keep = sum(r.source == primary for r in official)
    seen = {r.name for r in official}
    extra: list[str] = []
    blocks: list[object] = []
    for sid in order:
        if sid == primary:
            continue
        for row in sorted((r for r in rows if r.source == sid), key=lambda r: r.rank):
            if row.name not in seen and row.name not in exclude:
                seen.add(row.name)
                extra.append(row.name)
                blocks.append(None)
    keys = list(tail_blocks) if tail_blocks is not None else [None] * len(tail)
    for (name, _, roman), key in zip(tail, keys, strict=True):
        if name not in seen and name not in exclude:
            seen.add(name)
            extra.append(name)
            blocks.append(key)
            if roman and name not in romanized:
                romanized[name] = roman
    weights, fit = fit_weights(
        [(r.name, v) for r, v in zip(official, values, strict=True)],
        extra,
        absolute=absolute,
        ranks_tail_beta=RANKS_GIVEN_TAIL_BETA if kind.startswith("first") else DEFAULT_ALPHA,
        blocks=blocks,
        keep=keep if len(official) > keep else 0,
    )
    entries = [(name, w, romanized.get(name)) for name, w in weights]
    return entries, fit, f"{primary} ({base})"


def _continuations(
    extract: NameExtract,
    rows: Sequence[NameRow],
    order: Sequence[str],
    primary: str,
    official: Sequence[NameRow],
) -> list[NameRow]:
    """Rows of later counted sources that continue the official counted list downwards
    (every count at or below its last one, no total of their own: the same base), in
    count order: Korea's census surnames below the top 50 hanja surnames keep their
    counts instead of the fitted curve."""
    floor = min(r.count or 0.0 for r in official)
    names = {r.name for r in official}
    out: list[NameRow] = []
    for sid in order:
        if sid == primary or extract.sources[sid].totals:
            continue
        group = [r for r in rows if r.source == sid]
        if group and all(r.count is not None and r.count <= floor for r in group):
            out += [r for r in group if r.name not in names]
            names |= {r.name for r in group}
    return sorted(out, key=lambda r: -(r.count or 0.0))


def _bridge(
    rows: Sequence[NameRow],
    primary: str,
    official: Sequence[NameRow],
    more: Sequence[NameRow],
) -> list[NameRow]:
    """Names that ranks-only sources hold between a counted head and its counted
    continuation (Norway: SSB's ranks 11-100 between its top 10 counts and the counts from
    rank 101 on), in their rank order, with counts interpolated log-linearly by position
    between the head's last count and the continuation's first."""
    known = {r.name for r in official} | {r.name for r in more}
    ranked = [r for r in rows if r.source != primary and r.count is None and r.share is None]
    between: list[NameRow] = []
    for row in sorted(ranked, key=lambda r: (r.source, r.rank)):
        if row.name not in known:
            known.add(row.name)
            between.append(row)
    if not between:
        return []
    hi, lo = official[-1].count or 1.0, more[0].count or 1.0
    steps = len(between) + 1
    return [
        dataclasses.replace(row, count=hi * (lo / hi) ** (i / steps))
        for i, row in enumerate(between, start=1)
    ]


def merge_country(
    extract: NameExtract,
    package: Mapping[str, list[NameEntry]],
    population: float,
    related: Sequence[Mapping[str, list[NameEntry]]] = (),
    *,
    tail: bool = True,
    own: Sequence[Mapping[str, list[NameEntry]]] = (),
    by_kind: Mapping[str, Sequence[Mapping[str, list[NameEntry]]]] | None = None,
) -> Merged:
    """An extract's lists, fitted, over a package locale's lists: the package's own, then
    ``own`` further lists of the same locale (mimesis beside faker), then ``related``
    locales of the same language, then ``by_kind`` lists for "first" or "last" names
    (:data:`EXTRA_TAILS`), each most weighted first. Middle names (``middle_*`` kinds) are
    written before the given names of their sex (:func:`_with_middle_names`)."""
    kinds = extract.kinds() - set(MIDDLE)
    out: dict[str, list[NameEntry]] = {}
    fits: dict[str, Fit] = {}
    bases: dict[str, str] = {}
    warnings: list[str] = []
    if len(kinds & set(GENDERED)) == 1:
        warnings.append(
            f"Warning: gives only {' '.join(sorted(kinds & set(GENDERED)))}: the other "
            "gendered surname list comes from the package"
        )
    ungendered_first = "first_female" in package and [n for n, _, _ in package["first_female"]] == [
        n for n, _, _ in package["first_male"]
    ]
    official_names = {k: {r.name for r in extract.rows_of(k)} for k in kinds}
    for kind in sorted(kinds):
        lists: list[Mapping[str, list[NameEntry]]] = []
        if tail:
            if not (kind.startswith("first_") and ungendered_first):
                lists.append(package)
            lists += [*own, *related]
        lists += list((by_kind or {}).get(kind.split("_")[0], ()))
        extra: list[NameEntry] = []
        blocks: list[object] = []
        for i, other in enumerate(lists):
            entries = _package_tail(other, kind)
            extra += entries
            blocks += [(i, weight) for _, weight, _ in entries]  # ties are unranked
        exclude: set[str] = set()
        if kind.startswith("first_"):
            other_sex = "first_male" if kind == "first_female" else "first_female"
            exclude = official_names.get(other_sex, set())
            if ungendered_first and tail:
                warnings.append(f"{kind}: the package's given names have no sex; none are added")
        out[kind], fits[kind], bases[kind] = _fit_kind(
            extract, kind, extra, exclude, population, blocks
        )
    dropped = _separate_sexes(out, fits)
    if dropped:
        warnings.append(
            f"{dropped} given names listed for both sexes are kept only for the sex that bears "
            f"them {SEX_RATIO:g} times as often or more"
        )
    for kind in ("first_female", "first_male", "last"):
        if kind not in out and kind not in kinds:
            if kind == "last" and set(GENDERED) <= set(out):
                continue
            if kind == "last" and extract.country in FATHERS_NAME_AS_SURNAME:
                continue
            out[kind] = _package_list(package, own, kind)
            warnings.append(
                f"No {kind} in the extract: the package list{'s' if own else ''} "
                "of the locale are used as they are"
            )
    if extract.country in FATHERS_NAME_AS_SURNAME:
        out["last"] = list(out["first_male"])
        for kind in GENDERED:
            out.pop(kind, None)
        warnings.append("Family names are the father's given name: the male given names")
    elif set(GENDERED) <= kinds:
        out["last"] = _union(out["last_female"], out["last_male"])
    elif "last" in kinds and set(GENDERED) <= set(package):
        female, male = _split_by_package(out["last"], package)
        out["last_female"], out["last_male"] = female, male
        warnings.append(
            "Warning: gives `last` only where the package has gendered surnames: each name goes "
            "to the sex(es) whose package list holds it (both when neither does)"
        )
    elif "last_female" in out and "last_male" not in out:
        out["last_male"] = list(package.get("last_male", package.get("last", [])))
    elif "last_male" in out and "last_female" not in out:
        out["last_female"] = list(package.get("last_female", package.get("last", [])))
    for kind in sorted(set(MIDDLE) & extract.kinds()):
        middles, fits[kind], bases[kind] = _fit_kind(extract, kind, [], set(), population)
        first = "first_" + kind.split("_")[1]
        out[first] = _with_middle_names(middles, out[first])
        warnings.append(
            f"{first} are written with a middle name of {kind} before the given name, drawn "
            "independently (weights multiplied)"
        )
    return Merged(out, fits, bases, warnings)


def fold_accents(name: str) -> str:
    """The name without acute, grave and circumflex accents (José → Jose); ñ and ü stay."""
    decomposed = unicodedata.normalize("NFD", name)
    kept = "".join(c for c in decomposed if c not in "\u0300\u0301\u0302")
    return unicodedata.normalize("NFC", kept)


def _package_list(
    package: Mapping[str, list[NameEntry]],
    own: Sequence[Mapping[str, list[NameEntry]]],
    kind: str,
) -> list[NameEntry]:
    """A package list for a kind the extract lacks; names of ``own`` further lists of the
    locale join it with weight 1 when the package list is unweighted (all 1)."""
    entries = list(package.get(kind, []))
    if any(w != 1.0 for _, w, _ in entries):
        return entries
    entries = [e for e in entries if "." not in e[0]]
    seen = {_key(n) for n, _, _ in entries}
    for other in own:
        for name, _, roman in other.get(kind, []):
            if _key(name) and _key(name) not in seen:
                seen.add(_key(name))
                entries.append((name, 1.0, roman))
    return entries


def _with_middle_names(middles: list[NameEntry], given: list[NameEntry]) -> list[NameEntry]:
    """Every middle name before every given name, weights multiplied (Thị + Hương →
    Thị Hương); the middle name is left out where it is the given name itself."""
    out = []
    for middle, wm, rm in middles:
        for name, wg, rg in given:
            if _key(middle) == _key(name):
                continue
            roman = f"{rm} {rg}" if rm and rg else None
            out.append((f"{middle} {name}", wm * wg, roman))
    total = sum(w for _, w, _ in out)
    return [(n, w / total, r) for n, w, r in out]


def _separate_sexes(out: dict[str, list[NameEntry]], fits: Mapping[str, Fit]) -> int:
    """Drop a given name from the sex that rarely bears it (a woman's name recorded for a
    few men in a census), when both lists have shares; unisex names stay in both."""
    if not {"first_female", "first_male"} <= set(fits) or any(
        fits[k].mode == "ranks" for k in ("first_female", "first_male")
    ):
        return 0
    female = {n: w for n, w, _ in out["first_female"]}
    male = {n: w for n, w, _ in out["first_male"]}
    drop_f = {n for n in female.keys() & male.keys() if female[n] * SEX_RATIO < male[n]}
    drop_m = {n for n in female.keys() & male.keys() if male[n] * SEX_RATIO < female[n]}
    for kind, drop in (("first_female", drop_f), ("first_male", drop_m)):
        kept = [e for e in out[kind] if e[0] not in drop]
        total = sum(w for _, w, _ in kept)
        out[kind] = [(n, w / total, r) for n, w, r in kept]
    return len(drop_f) + len(drop_m)


def mimesis_beside(
    locale: str, mimesis: Mapping[str, list[NameEntry]]
) -> dict[str, list[NameEntry]]:
    """mimesis' lists of a country's own locale, as they join faker's in its tail: family
    names always, given names for :data:`MIMESIS_GIVEN` only; names holding anything but
    letters, spaces, hyphens and apostrophes (Рус (Русан)) are left out."""
    return {
        kind: [e for e in entries if re.fullmatch(r"[^\W\d_]+(?:[ '’-][^\W\d_]+)*", e[0])]
        for kind, entries in mimesis.items()
        if not kind.startswith("first_") or locale in MIMESIS_GIVEN
    }


def _written_as(
    lists: Mapping[str, list[NameEntry]], locale: str, other: str
) -> Mapping[str, list[NameEntry]]:
    """``other``'s lists, keeping only names ``locale`` writes alike (:data:`SAME_SCRIPT`)."""
    codec = SAME_SCRIPT.get((locale, other))
    if codec is None:
        return lists
    return {k: [e for e in v if in_charset(e[0], codec)] for k, v in lists.items()}


def related_locales(locale: str, packages: Mapping[str, object]) -> list[str]:
    """Package locales of the same language as ``locale``, whose names extend its tail
    (Spanish surnames of Spain, Mexico and Colombia behind Argentina's). Not for English,
    whose locales span continents (Kenya, India, Pakistan) rather than one name pool."""
    lang = locale.split("_")[0]
    if lang in NO_RELATED:
        return []
    return sorted(
        loc
        for loc in packages
        if loc != locale and loc.split("_")[0] == lang and loc not in UNRELATED.get(locale, ())
    )


def _union(*lists: list[NameEntry]) -> list[NameEntry]:
    """Names of several weighted lists (each summing to 1), weights averaged."""
    total: dict[str, list[Any]] = {}
    for entries in lists:
        for name, w, r in entries:
            if name in total:
                total[name][0] += w / len(lists)
            else:
                total[name] = [w / len(lists), r]
    return [(name, w, r) for name, (w, r) in total.items()]


def _split_by_package(
    entries: list[NameEntry], package: Mapping[str, list[NameEntry]]
) -> tuple[list[NameEntry], list[NameEntry]]:
    female = {_key(n) for n, _, _ in package["last_female"]}
    male = {_key(n) for n, _, _ in package["last_male"]}
    to_f = [e for e in entries if e[0] in female or e[0] not in male]
    to_m = [e for e in entries if e[0] in male or e[0] not in female]
    return to_f, to_m


# --------------------------------------------------------------------------- the file


def _rows(
    locale: str, kinds: Mapping[str, list[NameEntry]], dropped: list[int]
) -> list[tuple[Any, ...]]:
    totals: dict[tuple[str, str], list[Any]] = {}
    for kind, entries in kinds.items():
        for name, weight, romanized in entries:
            name = _key(name)
            if not name:
                continue
            key = (kind, name)
            if key in totals:  # a name listed twice is drawn twice as often by faker
                totals[key][0] += weight
                continue
            folded = ascii_name(name, locale, romanized)
            if not folded:
                dropped[0] += 1
                continue
            totals[key] = [weight, folded]
    return [(locale, kind, name, folded, w) for (kind, name), (w, folded) in totals.items()]


def _cite(source: SourceInfo) -> str:
    text = (
        f"{source.publisher}, *{source.title}* ({source.year}), {source.url}; "
        f"licence: {source.licence}; base: {source.base}"
    )
    if source.notes:
        text += f"; notes: {source.notes.rstrip('.')}"
    return text + f"; retrieved {source.retrieved}"


def build_names(ctx: BuildContext) -> Artifact:
    packages = ctx.names_by_locale
    tails = mimesis_tails()
    for loc, readings in read_readings().items():
        if loc in tails:
            tails[loc] = with_readings(tails[loc], readings)
    by_locale: dict[str, tuple[str, CountryNames]] = {}
    for cc, plan in ctx.name_plan.items():
        if cc in ctx.name_extracts:
            by_locale[plan.locale] = (cc, plan)
    rows: list[tuple[Any, ...]] = []
    dropped = [0]
    notes: list[str] = []
    fits_report: dict[str, dict[str, str]] = {}
    for locale in sorted(set(packages) | set(by_locale)):
        if locale not in by_locale:
            kinds = packages[locale]
            missing = {"first_female", "first_male", "last"} - set(kinds)
            if missing:
                fail(f"locale {locale} lacks {sorted(missing)}")
            rows += _rows(locale, kinds, dropped)
            continue
        cc, plan = by_locale[locale]
        tail_locale = locale if locale in packages else plan.base
        related = related_locales(tail_locale, packages)
        # a country on the en_US fallback (Ethiopia, Myanmar) gets no US names in its tail
        foreign = tail_locale == FALLBACK_LOCALE and cc != FALLBACK_LOCALE[-2:]
        population = float(ctx.geonames_countries[cc]["population"])

        def lists(loc: str) -> list[Mapping[str, list[NameEntry]]]:
            """A locale's faker list (or mimesis' where faker has none)."""
            return [packages[loc]] if loc in packages else []

        by_kind = {
            k: [m for loc in locs for m in lists(loc)]
            for k, locs in EXTRA_TAILS.get(cc, {}).items()
        }
        own: list[Mapping[str, list[NameEntry]]] = []
        if tail_locale in tails and ctx.name_origin.get(tail_locale) != "mimesis":
            own = [mimesis_beside(tail_locale, tails[tail_locale])]
        merged = merge_country(
            ctx.name_extracts[cc],
            packages[tail_locale],
            population,
            [_written_as(m, tail_locale, r) for r in related for m in lists(r)],
            tail=not foreign,
            own=own,
            by_kind=by_kind,
        )
        kinds = merged.kinds
        if cc in FOLD_ACCENTS:
            kinds = {k: [(fold_accents(n), w, r) for n, w, r in v] for k, v in kinds.items()}
        rows += _rows(locale, kinds, dropped)
        extract = ctx.name_extracts[cc]
        fits_report[cc] = {k: f.describe() for k, f in merged.fits.items()}
        others = ", ".join(
            [
                tail_locale,
                *related,
                *(f"{k}: {' '.join(v)}" for k, v in EXTRA_TAILS.get(cc, {}).items()),
            ]
        )
        lines = [
            f"**{cc}** → `{locale}` (extract `scripts/sources/names/{cc}.csv`; "
            + (
                f"kinds it lacks from {tail_locale}, no package names in its tail):"
                if foreign
                else f"other names from {others}):"
            )
        ]
        for kind, fit in sorted(merged.fits.items()):
            lines.append(f"{kind} from {merged.bases[kind]}: {fit.describe()}.")
        lines += [f"{sid}: {_cite(src)}." for sid, src in extract.sources.items()]
        lines += [f"{w}." for w in merged.warnings]
        notes.append(" ".join(lines))
    # With each name's address key, in the order the people sampler lays out its
    # tables, so that loading them needs no sort.
    df = address_order(
        frame(
            rows,
            {
                "locale": pl.String,
                "kind": pl.String,
                "name": pl.String,
                "ascii": pl.String,
                "weight": pl.Float64,
            },
        )
    )
    # Names no table of the people sampler holds (no weight, or a given name of one
    # letter in an address) are left out.
    unused = df.filter(pl.col("gid") < 0).height
    df = df.filter(pl.col("gid") >= 0)
    missing_own = sorted(
        cc
        for cc, plan in ctx.name_plan.items()
        if cc not in ctx.name_extracts and plan.locale.endswith(f"_{cc}")
    )
    shared = sorted(
        cc
        for cc, plan in ctx.name_plan.items()
        if cc not in ctx.name_extracts and not plan.locale.endswith(f"_{cc}")
    )
    faker_locales = sorted(loc for loc, o in ctx.name_origin.items() if o == "faker")
    mimesis_locales = sorted(loc for loc, o in ctx.name_origin.items() if o == "mimesis")
    gendered = sorted(df.filter(pl.col("kind") == "last_female")["locale"].unique().to_list())
    ctx.report["names"] = {
        "rows": df.height,
        "locales": df["locale"].n_unique(),
        "extracts": sorted(ctx.name_extracts),
        "fits": fits_report,
        "without_extract_own_locale": missing_own,
        "dropped_empty_ascii": dropped[0],
    }
    warning = (
        f"Warning: {len(missing_own)} countries with a name locale of their own have no "
        "frequency extract yet and use the faker/mimesis lists as they are: "
        f"{', '.join(missing_own)}."
        if missing_own
        else ""
    )
    return Artifact(
        name="names.parquet",
        frame=df,
        sources=[
            Source("faker", "MIT", f"person names of {len(faker_locales)} locales"),
            Source("mimesis", "MIT", f"person names of {len(mimesis_locales)} locales faker lacks"),
            Source("anyascii", "ISC", "ASCII forms"),
            Source("pythainlp", "Apache-2.0", "ASCII forms of Thai names (RTGS)"),
        ],
        origin=" ".join(
            METHOD.format(
                n_extracts=len(ctx.name_extracts),
                extracts=", ".join(sorted(ctx.name_extracts)) or "none",
                min_base=f"{POPULATION_BASE_MIN:.0%}",
                n_faker=len(faker_locales),
                faker=", ".join(faker_locales),
                mimesis=", ".join(mimesis_locales),
                gendered=", ".join(gendered),
                dropped=dropped[0],
                unused=unused,
                first_chars=FIRST_CHARS,
                last_chars=LAST_CHARS,
            ).split()
        ),
        attribution=[FAKER_NOTICE, MIMESIS_NOTICE],
        notes=[
            *notes,
            *([warning] if warning else []),
            f"{len(shared)} countries without an extract share another country's locale or the "
            "en_US fallback (see countries.parquet).",
            "Arabic, Persian and Hebrew script omit short vowels, so their `ascii` forms keep "
            "consonant clusters (محمد → mhmd).",
        ],
    )


BUILDERS: list[Callable[[BuildContext], Artifact]] = [build_names]
