"""Print the S1 rows of JP.csv from a fetched table of Japanese surnames.

Input: ``last_name_org.csv`` of github.com/shuheilocale/japanese-personal-name-dataset
(MIT), commit 9046343ddf7d0c9c6a0860ada5c7fe568e4873a8, path
``japanese_personal_name_dataset/dataset/last_name_org.csv``; columns: kanji, estimated
persons, hiragana, Hepburn romaji with long vowels spelt out (``satou``). The estimates are
myoji-yurai.net's (a private estimate, see JP.csv's header).

Output: ``S1,last,rank,name,ascii,count,`` rows on stdout. The romaji becomes the customary
passport-style spelling: ``oo`` and ``uu`` shorten to one vowel, ``ou`` shortens when a
consonant or the end of the name follows (``satou`` -> Sato, ``inoue`` stays), and the first
letter is capitalised.

Usage: ``python extract_jp_surnames.py last_name_org.csv >> JP.csv``
"""

from __future__ import annotations

import csv
import re
import sys


def customary(romaji: str) -> str:
    """Return the macron-free passport spelling of a Hepburn romaji with doubled vowels."""
    s = romaji.strip().lower()
    s = s.replace("oo", "o").replace("uu", "u")
    s = re.sub(r"ou(?![aeiou])", "o", s)
    return s[:1].upper() + s[1:]


def main(path: str) -> None:
    """Write the S1 rows for the table at ``path`` to stdout."""
    out = csv.writer(sys.stdout, lineterminator="\n")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.reader(fh) if r]
    seen: set[str] = set()
    rank = 0
    for kanji, persons, _kana, romaji in rows:
        if kanji in seen:
            continue
        seen.add(kanji)
        rank += 1
        out.writerow(["S1", "last", rank, kanji, customary(romaji), int(persons), ""])


if __name__ == "__main__":
    main(sys.argv[1])
