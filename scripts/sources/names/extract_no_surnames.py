"""Print the surname rows (source S4) of NO.csv from a fetched copy of SSB's surname counts.

Input: ``data/etternavn.js`` of github.com/frimerke/norskenavn (a name generator whose data
file holds Statistics Norway's counts of surnames borne by 200 or more residents, below the
top 100: ``[{"navn": ["Christiansen"], "antall": 3808, ...}, ...]``); the commit is named
in NO.csv's header. Only the names and SSB's counts are taken. Where the file groups
spellings (``["Dahle", "Dale"]``) the first spelling carries the count.

Output: ``S4,last,rank,name,,count,`` rows on stdout, most borne first.

Usage: ``python extract_no_surnames.py etternavn.js >> NO.csv``
"""

from __future__ import annotations

import csv
import json
import sys


def main(path: str) -> None:
    """Write the S4 rows for the data file at ``path`` to stdout."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    data = json.loads(text[text.index("[") : text.rindex("]") + 1])
    data.sort(key=lambda entry: (-int(entry["antall"]), entry["navn"][0]))
    out = csv.writer(sys.stdout, lineterminator="\n")
    seen: set[str] = set()
    rank = 0
    for entry in data:
        name = " ".join(entry["navn"][0].split())
        if name in seen or int(entry["antall"]) <= 0:
            continue
        seen.add(name)
        rank += 1
        out.writerow(["S4", "last", rank, name, "", int(entry["antall"]), ""])


if __name__ == "__main__":
    main(sys.argv[1])
