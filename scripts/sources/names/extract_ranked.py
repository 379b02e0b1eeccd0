"""Fill the table of ranks-only extracts from the lists of ozdemirburak/full-name-generator.

That repository (MIT for its code; the data keep their publishers' licences) copies the top
surnames of national statistics offices into TypeScript arrays, in rank order, one file per
country (``src/surnames/<cc>.ts``; Polish and Czech ones as ``{0: [male], 1: [female]}``).
This script reads such a file and writes the rows below the hand-written ``#`` header of
``<CC>.csv`` (which cites the office and the repository):

    python extract_ranked.py path/to/src/surnames/es.ts ES.csv S1 [--skip Maria,José]

Given names (``src/names/<cc>.ts``, ``{0: [male], 1: [female]}``) are appended to a table
already written with ``--kinds first_male,first_female --append``.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
from pathlib import Path


def lists(text: str) -> list[list[str]]:
    """The string arrays of a TypeScript file, in order (one per ``[...]``)."""
    out = []
    for block in re.findall(r"\[(.*?)\]", text, flags=re.S):
        names = [m.replace("\\'", "'") for m in re.findall(r"'((?:[^'\\]|\\.)*)'", block)]
        if names:
            out.append(names)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("sid")
    parser.add_argument("--skip", default="", help="comma-separated words that are no surnames")
    parser.add_argument("--kinds", default="", help="kinds of the arrays, comma-separated")
    parser.add_argument("--append", action="store_true", help="keep the rows already there")
    args = parser.parse_args()
    skip = {s for s in args.skip.split(",") if s}
    arrays = lists(args.source.read_text(encoding="utf-8"))
    kinds = ["last_male", "last_female"] if len(arrays) == 2 else ["last"]
    if args.kinds:
        kinds = args.kinds.split(",")
    lines = args.target.read_text(encoding="utf-8").splitlines()
    header = [ln for ln in lines if ln.startswith("#")]
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    if args.append:
        buffer.write("".join(ln + "\n" for ln in lines if not ln.startswith("#") and ln.strip()))
    else:
        out.writerow(["source", "kind", "rank", "name", "ascii", "count", "share"])
    for kind, names in zip(kinds, arrays, strict=False):
        seen: set[str] = set()
        for rank, name in enumerate(names, start=1):
            name = " ".join(name.split())
            if name in skip or name in seen:
                continue
            seen.add(name)
            out.writerow([args.sid, kind, rank, name, "", "", ""])
    args.target.write_text("\n".join(header) + "\n" + buffer.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    main()
