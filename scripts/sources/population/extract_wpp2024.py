"""Extract ``wpp2024_population_2025.csv`` from the ``wpp2024`` R package's data.

Run once, by hand; ``make data`` reads only the CSV this writes. The input is the
R data file ``popprojAge5dt.rda`` of the ``wpp2024`` package (version 1.1-3, GitHub
PPgp/wpp2024, added to the package's ``data/`` in commit 33717a3 of 2025-02-27 — git
blob 0ce6de6718f0b5419d8d1a123fb70bc068c332d9) and the package's
``data/UNlocations.txt`` (location names and types). Both are UN World Population
Prospects 2024 data (CC BY 3.0 IGO).

Environment (kept out of the ``data`` extra, as only this script needs it)::

    python -m venv /tmp/rda-venv
    /tmp/rda-venv/bin/pip install rdata==1.1.0 pycountry==26.2.16
    /tmp/rda-venv/bin/python scripts/sources/population/extract_wpp2024.py \\
        popprojAge5dt.rda UNlocations.txt

Output: one row per country or area (UN location type 4) and sex, with its 21
five-year age groups of the year 2025 in thousands, as the package has them (three
decimals; the Holy See, absent from the file, is skipped); ``iso2`` from ISO 3166
numeric = UN M49 code (``XK`` for Kosovo, which has no ISO code).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pycountry  # type: ignore[import-not-found]
import rdata  # type: ignore[import-not-found]

YEAR = "2025"
GROUPS = [f"{a}-{a + 4}" for a in range(0, 100, 5)] + ["100+"]
OUT = Path(__file__).with_name("wpp2024_population_2025.csv")


def main(rda: str, locations: str) -> None:
    table = rdata.read_rda(rda)["popprojAge5dt"]
    table = table[table["year"] == YEAR]
    with open(locations, encoding="utf-8") as fh:
        locs = list(csv.DictReader(fh, delimiter="\t"))
    countries = {int(r["country_code"]): r["name"] for r in locs if r["location_type"] == "4"}
    rows = []
    for code, name in sorted(countries.items()):
        iso = "XK" if code == 412 else pycountry.countries.get(numeric=f"{code:03d}").alpha_2
        own = table[table["country_code"] == code].set_index("age")
        if own.empty:  # the Holy See has no age groups in this file
            print(f"skipped {name} ({code}): no rows", file=sys.stderr)
            continue
        for sex, column in (("female", "popF"), ("male", "popM")):
            values = [f"{float(own.loc[g, column]):.3f}" for g in GROUPS]
            rows.append([iso, code, name, sex, *values])
    rows.sort()
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["iso2", "m49", "name", "sex", *GROUPS])
        writer.writerows(rows)
    print(f"{OUT.name}: {len(rows)} rows", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:3])
