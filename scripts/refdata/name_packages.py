"""Person names as faker and mimesis ship them, and the name locale each country uses.

:func:`collect_names` reads every faker person provider (and mimesis' person datasets for
locales faker lacks) into ``locale → kind → [(name, weight, romanization)]``, mirroring
what faker's ``first_name_female``, ``first_name_male`` and ``last_name`` draw from;
:func:`pick_locale` chooses the package locale whose names fit a country best.
"""

from __future__ import annotations

import collections
import importlib
import pkgutil
from collections.abc import Mapping
from typing import Any

from refdata.build import load_json, package_dir

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

#: Every mimesis dataset with person names → the locale whose names it extends: for a
#: country with a frequency extract, these lists join its package locale's in the tail
#: (faker's and mimesis' lists of one language are independent compilations, so a
#: country's tail holds both). English datasets are left out: mimesis' en, en-gb and
#: en-au lists are one US-style list.
MIMESIS_TAIL_KEYS: dict[str, str] = {
    **MIMESIS_LOCALE_KEYS,
    "ar": "ar_AA",
    "ar-dz": "ar_DZ",
    "ar-sa": "ar_SA",
    "az": "az_AZ",
    "cs": "cs_CZ",
    "da": "da_DK",
    "de": "de_DE",
    "de-at": "de_AT",
    "de-ch": "de_CH",
    "el": "el_GR",
    "es": "es_ES",
    "es-mx": "es_MX",
    "et": "et_EE",
    "fa": "fa_IR",
    "fi": "fi_FI",
    "fr": "fr_FR",
    "hr": "hr_HR",
    "hu": "hu_HU",
    "is": "is_IS",
    "it": "it_IT",
    "ja": "ja_JP",
    "ko": "ko_KR",
    "nl": "nl_NL",
    "no": "no_NO",
    "pl": "pl_PL",
    "pt": "pt_PT",
    "pt-br": "pt_BR",
    "ru": "ru_RU",
    "sk": "sk_SK",
    "sv": "sv_SE",
    "tr": "tr_TR",
    "uk": "uk_UA",
    "zh": "zh_CN",
}

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
        # faker also lists adjectival (-ski, -cki, -dzki) surnames in their male form
        male = weighted(provider.male_last_names)
        out["last_male"] = out["last"] + male
        out["last_female"] = out["last"] + [(polish_feminine(n), w, r) for n, w, r in male]
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


def polish_feminine(surname: str) -> str:
    """Female form of a Polish adjectival surname (Kowalski → Kowalska, Nowicki → Nowicka)."""
    for male, female in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka"), ("ny", "na")):
        if surname.endswith(male):
            return surname[: -len(male)] + female
    return surname


#: Endings a mimesis dataset's gendered surname lists hold by mistake: (endings no woman's
#: surname has, endings no man's has). mimesis' pl lists put Zawadzki among women and
#: Kaczorowska among men.
WRONG_SEX_ENDINGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "pl": (("ski", "cki", "dzki"), ("owska", "ewska", "ińska", "yńska", "icka", "ycka")),
}


def mimesis_names(folder: str) -> dict[str, list[NameEntry]]:
    data = load_json(package_dir("mimesis") / "datasets" / folder / "person.json")
    out: dict[str, list[NameEntry]] = {
        "first_female": weighted(data["names"]["female"]),
        "first_male": weighted(data["names"]["male"]),
    }
    surnames = data["surnames"]
    if isinstance(surnames, Mapping):
        not_female, not_male = WRONG_SEX_ENDINGS.get(folder, ((), ()))
        out["last_female"] = [
            e
            for e in weighted(surnames["female"])
            if not (not_female and e[0].endswith(not_female))
        ]
        out["last_male"] = [
            e for e in weighted(surnames["male"]) if not (not_male and e[0].endswith(not_male))
        ]
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


#: Kinds of a mimesis dataset left out of tails: mimesis' zh given names are made-up
#: character pairs (雷咆, 鄙宇, 门圹) with women's names in the men's list (诗婷, 欣妍).
MIMESIS_TAIL_SKIP: dict[str, tuple[str, ...]] = {"zh": ("first_female", "first_male")}


def mimesis_tails() -> dict[str, dict[str, list[NameEntry]]]:
    """locale → kind → entries of every mimesis person dataset (:data:`MIMESIS_TAIL_KEYS`),
    including those of locales faker also has (ko_KR: faker's 121 given names, mimesis' 960)."""
    out = {}
    for folder, loc in sorted(MIMESIS_TAIL_KEYS.items()):
        lists = mimesis_names(folder)
        out[loc] = {k: v for k, v in lists.items() if k not in MIMESIS_TAIL_SKIP.get(folder, ())}
    return out


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
