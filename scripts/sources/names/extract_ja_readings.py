"""Write readings/ja_JP.csv: romanized readings of the kanji given names in mimesis' ja list.

mimesis' Japanese given names (``mimesis/datasets/ja/person.json``) have no readings, and a
kanji name's reading cannot be guessed from its characters (anyascii gives Chinese ones:
美咲 -> meixiao). The build keeps a kanji name in Japan's tail only when this file gives its
reading; kana names are romanized as they are written.

Input: ``first_name_woman_org.csv`` and ``first_name_man_org.csv`` of
github.com/shuheilocale/japanese-personal-name-dataset (MIT), commit
9046343ddf7d0c9c6a0860ada5c7fe568e4873a8, path ``japanese_personal_name_dataset/dataset/``;
rows: hiragana reading, Hepburn romaji with long vowels doubled (``kyoutarou``), then the
kanji spellings of that reading. A name gets a reading only when the file lists it under one
reading for that sex (愛子 is read aiko, akiko, chikako...: left out). The romaji becomes
the customary passport spelling (``oo``, ``uu`` and ``ou`` before a consonant shortened:
kyoutarou -> Kyotaro).

Usage: ``python extract_ja_readings.py woman_org.csv man_org.csv > readings/ja_JP.csv``
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path


def customary(romaji: str) -> str:
    """Return the macron-free passport spelling of a Hepburn romaji with doubled vowels."""
    s = romaji.strip().lower().replace("oo", "o").replace("uu", "u")
    s = re.sub(r"ou(?![aeiou])", "o", s)
    return s[:1].upper() + s[1:]


def readings(path: str) -> dict[str, set[str]]:
    """Kanji spelling -> the romaji readings the file gives it."""
    out: dict[str, set[str]] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh):
            if len(row) < 3:
                continue
            _kana, romaji, *kanji = row
            for name in kanji:
                out.setdefault(name.strip(), set()).add(customary(romaji))
    return out


def main(woman: str, man: str) -> None:
    import mimesis

    data = json.loads(
        (Path(mimesis.__file__).parent / "datasets" / "ja" / "person.json").read_text("utf-8")
    )
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["name", "ascii"])
    rows: dict[str, str] = {}
    for sex, path in (("female", woman), ("male", man)):
        table = readings(path)
        for name in data["names"][sex]:
            found = table.get(name, set())
            if len(found) == 1 and name not in rows:
                rows[name] = next(iter(found))
    for name, roman in sorted(rows.items()):
        out.writerow([name, roman])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
