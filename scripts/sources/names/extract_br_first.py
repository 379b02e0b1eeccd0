"""Append Brazil's given names by sex (IBGE Censo 2010, via Brasil.IO's grupos.csv) to BR.csv.

IBGE publishes names without accents and in capitals; they are written here in the
spelling faker pt_BR uses where it has the name, else capitalized as published (many
Brazilians write their names without accents; Wikidata's labels carry European
Portuguese accents, Antónia for Antônia, so they are not used).

    python extract_br_first.py grupos.csv BR.csv
"""

from __future__ import annotations

import csv
import sys
import unicodedata
from pathlib import Path

MIN_COUNT = 2_000  # groups with fewer bearers of the sex are left to the package tail


def fold(name: str) -> str:
    text = unicodedata.normalize("NFD", name.upper())
    return "".join(c for c in text if not unicodedata.combining(c))


def main(grupos: Path, target: Path) -> None:
    from faker.providers.person.pt_BR import Provider

    spelled: dict[tuple[str, str], str] = {}
    for sex, names in (("F", Provider.first_names_female), ("M", Provider.first_names_male)):
        for name in names:
            spelled.setdefault((sex, fold(name)), name)
    lines = [
        ln for ln in target.read_text(encoding="utf-8").splitlines() if not ln.startswith("S2,")
    ]
    with grupos.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    columns = (("first_female", "F", "frequency_female"), ("first_male", "M", "frequency_male"))
    for kind, sex, column in columns:
        ranked = sorted(
            (r for r in rows if int(r[column]) >= MIN_COUNT and r["classification"] == sex),
            key=lambda r: -int(r[column]),
        )
        for rank, row in enumerate(ranked, start=1):
            name = spelled.get((sex, row["name"]), row["name"].capitalize())
            lines.append(f"S2,{kind},{rank},{name},,{row[column]},")
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
