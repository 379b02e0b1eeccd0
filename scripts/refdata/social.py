"""The social datasets' words: post and bio frames, their slot fillers, hashtags and emoji.

From the source extracts under ``scripts/sources/social/`` (authored for tempdata, CC0;
see its README) and the packages that hold the facts the frames name:

* ``social_frames.parquet``  short sentence frames of posts (per language, topic, role
  and sentiment) and of bios (per language, kind and grammatical gender), each split at
  its one slot into ``head``, ``slot`` and ``tail``;
* ``social_fillers.parquet`` what fills the slots: dishes and cities per language
  (mimesis; faker's Indonesian cities), weekday and month names (CLDR via babel) and
  occupations (mimesis; faker for French, Portuguese), with the grammatical gender and
  the youngest age an occupation fits;
* ``social_tags.parquet``    hashtags per language and topic, emoji per topic and
  sentiment;
* ``social_holiday_kinds.parquet`` which public-holiday names (the ``holidays``
  package's English names in ``public_holidays.parquet``) are Christmas, New Year, the
  two Eids, Diwali or Lunar New Year.
"""

from __future__ import annotations

import csv
import importlib
import re
import unicodedata

import polars as pl

from refdata.build import REPO_ROOT, Artifact, BuildContext, Source, fail, load_json, package_dir

SOURCES = REPO_ROOT / "scripts" / "sources" / "social"
COMPILED = "2026-12-10"
LANGUAGES = (
    "en",
    "es",
    "pt",
    "fr",
    "de",
    "it",
    "nl",
    "pl",
    "ru",
    "tr",
    "ar",
    "ja",
    "zh",
    "ko",
    "id",
)
POST_SLOTS = ("dish", "city", "name", "weekday", "month", "n")
BIO_SLOTS = ("occupation", "city", "year", "born", "yy", "decade")
#: mimesis locales whose dishes and cities a language's posts name (Arabic: the
#: countries' lists together, less Saudi Arabia's 4,581 hamlets).
CITY_LOCALES: dict[str, tuple[str, ...]] = {
    "en": ("en",),
    "es": ("es",),
    "pt": ("pt-br",),
    "fr": ("fr",),
    "de": ("de",),
    "it": ("it",),
    "nl": ("nl",),
    "pl": ("pl",),
    "ru": ("ru",),
    "tr": ("tr",),
    "ar": ("ar-ae", "ar-eg", "ar-jo", "ar-kw", "ar-ma", "ar-om", "ar-qa", "ar-sy", "ar-tn"),
    "ja": ("ja",),
    "zh": ("zh",),
    "ko": ("ko",),
}
DISH_LOCALES: dict[str, str] = {lang: lang for lang in CITY_LOCALES if lang != "id"}
#: mimesis locales whose dishes are one country's own (de-ch's list is mis-encoded, ar-om
#: and ar's have under MIN_OWN of them: those countries take their language's list).
COUNTRY_DISHES: dict[str, str] = {
    "en": "US", "en-gb": "GB", "en-au": "AU", "es": "ES", "es-mx": "MX", "pt": "PT",
    "pt-br": "BR", "fr": "FR", "de": "DE", "de-at": "AT", "it": "IT", "nl": "NL", "pl": "PL",
    "ru": "RU", "tr": "TR", "ja": "JP", "zh": "CN", "ko": "KR", "ar-ae": "AE", "ar-dz": "DZ",
    "ar-eg": "EG", "ar-jo": "JO", "ar-kw": "KW", "ar-ma": "MA", "ar-qa": "QA", "ar-sa": "SA",
    "ar-sy": "SY", "ar-tn": "TN", "ar-ye": "YE",
}  # fmt: skip
#: mimesis locales whose cities are one country's own (es-mx lists Spain's; ar-sa's are
#: 4,581 hamlets). Other countries name their cities of cities.parquet (GeoNames) when
#: their posts are in a Latin-script language, else their language's list.
COUNTRY_CITIES: dict[str, str] = {
    "en": "US", "en-gb": "GB", "es": "ES", "pt": "PT", "pt-br": "BR", "fr": "FR", "de": "DE",
    "de-at": "AT", "de-ch": "CH", "it": "IT", "nl": "NL", "nl-be": "BE", "pl": "PL", "ru": "RU",
    "tr": "TR", "ja": "JP", "zh": "CN", "ko": "KR", "ar-ae": "AE", "ar-dz": "DZ", "ar-eg": "EG",
    "ar-jo": "JO", "ar-kw": "KW", "ar-ma": "MA", "ar-om": "OM", "ar-qa": "QA", "ar-sy": "SY",
    "ar-tn": "TN", "ar-ye": "YE",
}  # fmt: skip
#: Name locale (names.parquet) of each language's own list of first names.
NAME_LOCALES: dict[str, str] = {
    "en": "en_US", "es": "es_ES", "pt": "pt_BR", "fr": "fr_FR", "de": "de_DE", "it": "it_IT",
    "nl": "nl_NL", "pl": "pl_PL", "ru": "ru_RU", "tr": "tr_TR", "ar": "ar_SA", "ja": "ja_JP",
    "zh": "zh_CN", "ko": "ko_KR", "id": "id_ID",
}  # fmt: skip
LATIN = frozenset({"en", "es", "pt", "fr", "de", "it", "nl", "pl", "tr", "id"})
#: A country's own list needs this many entries (else its language's list is used).
MIN_OWN = 20
#: Most populous GeoNames cities of a country named in its posts, first names per gender.
MAX_CITIES = 400
MAX_NAMES = 300
#: Languages whose occupations come from faker (mimesis has none, or none by gender).
FAKER_JOBS = {"fr": "fr_FR", "pt": "pt_BR"}
#: Languages whose occupation titles change with the holder's gender, read from the
#: title's first word (-ista and -nte are common gender, -a and -triz feminine).
GENDERED_BY_ENDING = ("es", "pt", "it")
MAX_FILLER = 40
HOLIDAY_TOPICS = ("christmas", "new_year", "eid_fitr", "eid_adha", "diwali", "lunar_new_year")
ADULT_AGE = 18
SENIOR_AGE = 30
SLOT = re.compile(r"\{([a-z]+)\}")


def _rows(name: str) -> list[dict[str, str]]:
    with (SOURCES / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _split(text: str, allowed: tuple[str, ...], where: str) -> tuple[str, str, str]:
    slots = SLOT.findall(text)
    if len(slots) > 1 or (slots and slots[0] not in allowed):
        fail(f"{where}: {text!r} has slots {slots}; one of {allowed} at most")
    if not slots:
        return text, "", ""
    head, tail = text.split("{" + slots[0] + "}")
    return head, slots[0], tail


def _frames() -> pl.DataFrame:
    rows = []
    for r in _rows("frames.csv"):
        head, slot, tail = _split(r["text"], POST_SLOTS, "frames.csv")
        if slot == "n" and not (r["low"] and r["high"]):
            fail(f"frames.csv: {r['text']!r} needs low and high")
        low, high = (int(r["low"]), int(r["high"])) if slot == "n" else (0, 0)
        rows.append(
            (
                "post",
                r["lang"],
                r["topic"],
                r["role"],
                r["sentiment"],
                "",
                head,
                slot,
                tail,
                low,
                high,
            )
        )
    for r in _rows("bios.csv"):
        head, slot, tail = _split(r["text"], BIO_SLOTS, "bios.csv")
        rows.append(("bio", r["lang"], r["kind"], "", "", r["gender"], head, slot, tail, 0, 0))
    table = pl.DataFrame(
        rows,
        schema={
            "use": pl.String,
            "lang": pl.String,
            "topic": pl.String,
            "role": pl.String,
            "sentiment": pl.String,
            "gender": pl.String,
            "head": pl.String,
            "slot": pl.String,
            "tail": pl.String,
            "low": pl.Int16,
            "high": pl.Int16,
        },
        orient="row",
    )
    missing = set(LANGUAGES) - set(table["lang"])
    if missing:
        fail(f"frames: no frames for {sorted(missing)}")
    return table


def _mimesis(locale: str, file: str) -> dict[str, list[str]]:
    path = package_dir("mimesis") / "datasets" / locale / f"{file}.json"
    return load_json(path) if path.exists() else {}


def _clean(values: list[str]) -> list[str]:
    out = []
    for value in values:
        value = " ".join(value.split())
        if value and len(value) <= MAX_FILLER and not re.search(r"[()\"/;,]", value):
            out.append(value)
    return sorted(set(out))


def _sentence_case(lang: str, value: str) -> str:
    """A dish named mid-sentence: ``Arroz a la cubana`` → ``arroz a la cubana`` where
    only its first word is capitalised (German nouns and Turkish keep their case)."""
    words = value.split(" ")
    if lang in ("de", "tr", "en") or any(w[:1].isupper() for w in words[1:]):
        return value
    return value[:1].lower() + value[1:]


def _calendar_names(lang: str) -> list[tuple[str, int, str]]:
    from babel import Locale

    locale, root = Locale.parse(lang), Locale.parse("root")

    def pick(table: str, key: int) -> str:
        alone = getattr(locale, table)["stand-alone"]["wide"][key]
        if alone == getattr(root, table)["stand-alone"]["wide"][key]:
            return str(getattr(locale, table)["format"]["wide"][key])
        return str(alone)

    days = [("weekday", k, pick("days", k)) for k in range(7)]  # 0 = Monday
    return days + [("month", k, pick("months", k)) for k in range(1, 13)]


def _names_any(value: str, names: set[str]) -> bool:
    low = value.lower()
    return any(re.search(rf"(?:^|[^\w-]){re.escape(n)}(?:$|[^\w-])", low) for n in names)


def _gender_by_ending(title: str) -> str:
    first = title.split(" ")[0].lower()
    if first.endswith(("ista", "nte")):
        return ""
    return "f" if first.endswith(("a", "triz")) else "m"


def _occupations(lang: str, rules: dict[str, dict[str, str]]) -> list[tuple[str, str]]:
    """(title, gender) of a language: ``""`` fits anyone, ``f``/``m`` one gender."""
    pairs: list[tuple[str, str]] = []
    if lang in FAKER_JOBS:
        module = importlib.import_module(f"faker.providers.job.{FAKER_JOBS[lang]}")
        jobs = list(module.Provider.jobs)
        female = list(getattr(module.Provider, "jobs_female", []))
        if female:
            both = set(jobs) & set(female)
            pairs = [(j, "" if j in both else "m") for j in jobs]
            pairs += [(j, "f") for j in female if j not in both]
        else:
            pairs = [(j, "") for j in jobs]
    else:
        for title in _mimesis(lang, "person").get("occupation", []):
            if lang == "de" and " / " in title:
                male, female = title.split(" / ", 1)
                pairs += [(male, "m"), (female, "f")]
            else:
                pairs.append((title, ""))
    if lang in GENDERED_BY_ENDING:
        pairs = [(t, g or _gender_by_ending(t)) for t, g in pairs]
    exclude = rules.get(lang, {}).get("exclude")
    kept = {}
    for title, gender in pairs:
        clean = _clean([title])
        if clean and not (exclude and re.search(exclude, clean[0])):
            kept.setdefault(clean[0], gender)
    return sorted(kept.items())


def _is_latin(value: str) -> bool:
    return all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in value)


#: Marks of scholarly transliteration (macron, dot and line below: Bhāgalpur, Hà Nội)
#: that everyday writing in a Latin-script language drops.
TRANSLITERATION_MARKS = frozenset({"\u0304", "\u0323", "\u0331"})


def _everyday(name: str, ascii_name: str) -> str:
    """A GeoNames city name as people write it: its ASCII form where the name carries
    transliteration marks, else the name (Kraków, İzmir keep their letters)."""
    marks = set(unicodedata.normalize("NFD", name)) & TRANSLITERATION_MARKS
    return ascii_name if marks and ascii_name else name


def _text_language(locale: str) -> str:
    lang = locale.split("_")[0]
    return lang if lang in LANGUAGES else "en"


def _own_places(built: dict[str, pl.DataFrame]) -> list[tuple[str, str, str, str]]:
    """(lang, country, slot, value) of the dishes, cities and first names of each
    country, in the language its posts are written in."""
    countries = built["countries.parquet"]
    text_lang = {
        cc: _text_language(loc)
        for cc, loc in zip(countries["iso2"], countries["locale"], strict=True)
    }
    rows: list[tuple[str, str, str, str]] = []

    def own(table: dict[str, str], slot: str, file: str, key: str) -> set[str]:
        done = set()
        for locale, cc in table.items():
            lang = locale.split("-")[0]
            values = _clean(_mimesis(locale, file).get(key, []))
            if text_lang.get(cc) != lang or len(values) < MIN_OWN:
                continue
            if slot == "dish":
                values = [_sentence_case(lang, v) for v in values]
            rows.extend((lang, cc, slot, v) for v in values)
            done.add(cc)
        return done

    own(COUNTRY_DISHES, "dish", "food", "dishes")
    with_cities = own(COUNTRY_CITIES, "city", "address", "city")
    cities = built["cities.parquet"].sort(["country_code", "population", "city"], descending=True)
    for (cc,), part in cities.group_by("country_code", maintain_order=True):
        lang = text_lang.get(str(cc))
        if cc in with_cities or lang not in LATIN:
            continue
        names = [_everyday(c, a) for c, a in zip(part["city"], part["city_ascii"], strict=True)]
        values = _clean([c for c in names if _is_latin(c)][:MAX_CITIES])
        if len(values) >= MIN_OWN:
            rows.extend((lang, str(cc), "city", v) for v in values)
    names = built["names.parquet"].filter(pl.col("kind").is_in(["first_female", "first_male"]))
    by_locale = {
        str(loc): part.sort(["weight", "name"], descending=[True, False])
        for (loc,), part in names.group_by("locale")
    }
    wanted = [(cc, loc, text_lang[cc]) for cc, loc in countries.select("iso2", "locale").rows()]
    wanted += [("", loc, lang) for lang, loc in NAME_LOCALES.items()]
    for cc, loc, lang in wanted:
        if loc not in by_locale:
            continue
        part = by_locale[loc]
        values = []
        for kind in ("first_female", "first_male"):
            top = part.filter(pl.col("kind") == kind).head(MAX_NAMES)
            for name, ascii_name in zip(top["name"], top["ascii"], strict=True):
                latin = _is_latin(name)
                if lang in LATIN and not latin:
                    name = ascii_name.title()
                elif lang not in LATIN and latin:
                    continue  # a Latin name in Cyrillic, Arabic or CJK text
                values.append(name)
        values = _clean(values)
        if len(values) >= MIN_OWN:
            rows.extend((lang, cc, "name", v) for v in values)
    return rows


def _fillers(built: dict[str, pl.DataFrame]) -> pl.DataFrame:
    rules: dict[str, dict[str, str]] = {}
    for r in _rows("occupation_rules.csv"):
        rules.setdefault(r["lang"], {})[r["rule"]] = r["pattern"]
    rows: list[tuple[str, str, str, int, str, str, int]] = []
    own = _own_places(built)
    # A place named like a holiday greeting (Feliz Natal, Mato Grosso) would greet off
    # the holiday: the first two words of each holiday frame.
    greetings: dict[str, set[str]] = {lang: set() for lang in LANGUAGES}
    for r in _rows("frames.csv"):
        if r["topic"] in HOLIDAY_TOPICS and len(r["text"].split()) >= 2:
            greetings[r["lang"]].add(" ".join(r["text"].lower().split()[:2]))
    for lang in LANGUAGES:
        calendar = _calendar_names(lang)
        # A place, dish or name that is a weekday or month (Souk Sebt, "Saturday
        # market"; Domingo, April) would name a day the post may not be on.
        names = {name.lower() for _, _, name in calendar}
        listed: list[tuple[str, str, str]] = []
        if lang in DISH_LOCALES:
            dishes = _clean(_mimesis(DISH_LOCALES[lang], "food").get("dishes", []))
            listed += [("", "dish", _sentence_case(lang, d)) for d in dishes]
        if lang in CITY_LOCALES:
            cities = _clean(
                [c for loc in CITY_LOCALES[lang] for c in _mimesis(loc, "address").get("city", [])]
            )
        else:  # Indonesian: faker's id_ID cities
            from faker.providers.address.id_ID import Provider

            cities = _clean(list(Provider.cities))
        listed += [("", "city", c) for c in cities]
        listed += [(cc, slot, v) for lg, cc, slot, v in own if lg == lang]
        rows += [
            (lang, cc, slot, 0, v, "", 0)
            for cc, slot, v in listed
            if not _names_any(v, names) and not any(g in v.lower() for g in greetings[lang])
        ]
        rows += [(lang, "", slot, key, name, "", 0) for slot, key, name in calendar]
        senior = rules.get(lang, {}).get("senior")
        for title, gender in _occupations(lang, rules):
            age = SENIOR_AGE if senior and re.search(senior, title) else ADULT_AGE
            rows.append((lang, "", "occupation", 0, title, gender, age))
    table = pl.DataFrame(
        rows,
        schema={
            "lang": pl.String,
            "country": pl.String,
            "slot": pl.String,
            "key": pl.Int16,
            "value": pl.String,
            "gender": pl.String,
            "min_age": pl.Int16,
        },
        orient="row",
    ).unique(maintain_order=True)
    for lang in LANGUAGES:
        have = set(table.filter(pl.col("lang") == lang, pl.col("country") == "")["slot"])
        missing = {"city", "name", "weekday", "month"} - have
        if missing:
            fail(f"social fillers: {lang} lacks {sorted(missing)}")
    return table


def _tags() -> pl.DataFrame:
    rows = [
        (r["lang"], r["topic"], "", "hashtag", tag)
        for r in _rows("hashtags.csv")
        for tag in r["tags"].split()
    ]
    rows += [
        ("", r["topic"], r["sentiment"], "emoji", e)
        for r in _rows("emoji.csv")
        for e in r["emoji"].split()
    ]
    for lang, _, _, kind, tag in rows:
        if kind == "hashtag" and not re.fullmatch(r"\w+", tag):
            fail(f"hashtags.csv: {lang} #{tag} is not one word")
    return pl.DataFrame(
        rows,
        schema={
            "lang": pl.String,
            "topic": pl.String,
            "sentiment": pl.String,
            "kind": pl.String,
            "value": pl.String,
        },
        orient="row",
    )


_AUTHORED = Source(
    "scripts/sources/social",
    "authored for tempdata, CC0",
    "post and bio frames, hashtags, emoji, holiday-name patterns, occupation rules",
    pinned=COMPILED,
)


def build_social_frames(ctx: BuildContext) -> Artifact:
    return Artifact(
        name="social_frames.parquet",
        frame=_frames(),
        sources=[_AUTHORED],
        origin=(
            "Short sentence frames of social posts (use = post: per language, topic, role "
            "open/follow and sentiment) and of profile bios (use = bio: per language, kind "
            "and grammatical gender), written for tempdata in each language (there is no "
            "offline corpus of posts to draw from); each holds at most one slot, split into "
            "head, slot and tail; `low`..`high` bound a number slot (`n`)."
        ),
    )


def build_social_fillers(ctx: BuildContext) -> Artifact:
    return Artifact(
        name="social_fillers.parquet",
        frame=_fillers(ctx.built),
        sources=[
            Source("mimesis", "MIT", "dishes, cities and occupations per locale"),
            Source("faker", "MIT", "French and Brazilian occupations, Indonesian cities"),
            Source("babel", "BSD-3-Clause; CLDR data Unicode License", "weekday and month names"),
            _AUTHORED,
        ],
        origin=(
            "Slot fillers of the social frames: dishes (mimesis food.json) and cities "
            "(mimesis address.json; faker id_ID for Indonesian) per language (country = ''); "
            "per country (country = ISO code) the dishes and cities of a mimesis locale that "
            "is that country's own (es-mx, pt, pt-br, de-at, en-gb, ar-eg, ...; at least "
            f"{MIN_OWN}), else the {MAX_CITIES} most populous cities of cities.parquet "
            "(GeoNames; their ASCII form where the name carries transliteration marks such "
            "as macrons) where the country's posts are in a Latin-script language, and the "
            f"{MAX_NAMES} most frequent female and male first names of the country's "
            "names.parquet locale (ASCII forms in Latin-script text; none in Latin script "
            "in other scripts); values naming a weekday or month are left out; weekday "
            "(key 0 = Monday) and month (key 1-12) names from CLDR (babel, stand-alone "
            "forms); occupations (mimesis person.json; faker's job lists for French, with "
            "its feminine titles, and Brazilian Portuguese) less life stages, with the "
            "holder's grammatical gender (German slash pairs split; Spanish, Portuguese "
            "and Italian read from the first word's ending) and the youngest fitting age "
            f"({SENIOR_AGE} for titles matching the language's seniority pattern in "
            f"occupation_rules.csv, else {ADULT_AGE})."
        ),
        attribution=["Unicode CLDR data: Copyright © Unicode, Inc., Unicode License v3."],
    )


def build_social_tags(ctx: BuildContext) -> Artifact:
    return Artifact(
        name="social_tags.parquet",
        frame=_tags(),
        sources=[_AUTHORED],
        origin=(
            "Hashtags per language and topic of the post frames, and emoji per topic and "
            "sentiment (language-independent), chosen for tempdata."
        ),
    )


def build_social_holiday_kinds(ctx: BuildContext) -> Artifact:
    table = pl.DataFrame(
        _rows("holiday_kinds.csv"), schema={"kind": pl.String, "pattern": pl.String}
    )
    names = ctx.built.get("public_holidays.parquet")
    if names is not None:
        parts = names.get_column("name").explode().str.split("; ").explode().unique()
        for kind, pattern in table.iter_rows():
            if not parts.str.contains(pattern).any():
                fail(f"holiday_kinds.csv: {kind} matches no holiday name")
    return Artifact(
        name="social_holiday_kinds.parquet",
        frame=table,
        sources=[_AUTHORED],
        origin=(
            "Regular expressions over the English holiday names of public_holidays.parquet "
            "(one name of a day's '; '-joined list at a time) that mark the days with a "
            "greeting of their own: Christmas, New Year, Eid al-Fitr, Eid al-Adha, Diwali, "
            "Lunar New Year. Observed and substitute days are left out."
        ),
    )


BUILDERS = [
    build_social_frames,
    build_social_fillers,
    build_social_tags,
    build_social_holiday_kinds,
]
