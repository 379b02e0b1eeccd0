"""Read and check the name-frequency source extracts (``scripts/sources/names/<ISO2>.csv``).

Standard library only, so the runtime test environment can test it. The format is
described in ``scripts/sources/names/README.md``: ``#`` comment lines declaring each
source (``# source: S1`` opens a block of ``key: value`` lines), then a CSV table with the
columns ``source,kind,rank,name,ascii,count,share``.

Every problem is reported with the file, line and value, and what would be valid; a file
with any problem is rejected whole (:class:`ExtractError` lists every problem found).
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

#: Kinds of name a row can hold. ``middle_female``/``middle_male``: middle names that the
#: build writes before each given name of the sex (Vietnamese tên đệm: Thị Hương, Văn Nam).
KINDS = (
    "last",
    "last_female",
    "last_male",
    "first_female",
    "first_male",
    "middle_female",
    "middle_male",
)

#: Columns of the table, in this order.
COLUMNS = ("source", "kind", "rank", "name", "ascii", "count", "share")

#: Header keys every source must declare, and those it may declare.
REQUIRED_KEYS = ("publisher", "title", "url", "year", "retrieved", "licence", "base")
OPTIONAL_KEYS = ("notes", "total")

#: A licence that makes a source unusable whatever else it says.
FORBIDDEN = re.compile(r"names[-_ ]dataset", re.IGNORECASE)

SOURCE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,15}$")
ISO2 = re.compile(r"^[A-Z]{2}$")


class ExtractError(ValueError):
    """A source extract that does not follow the format (every problem, one per line)."""


@dataclass(frozen=True)
class SourceInfo:
    """One ``# source:`` block of an extract's header."""

    id: str
    publisher: str
    title: str
    url: str
    year: str
    retrieved: str
    licence: str
    base: str
    notes: str = ""
    #: Persons in the base by kind (from the optional ``total:`` line); ``"*"`` = every kind.
    totals: dict[str, float] = field(default_factory=dict)

    def total(self, kind: str) -> float | None:
        """Persons in the base for ``kind``, if the header gives it."""
        return self.totals.get(kind, self.totals.get("*"))


@dataclass(frozen=True)
class NameRow:
    """One row of an extract's table."""

    source: str
    kind: str
    rank: int
    name: str
    ascii: str
    count: float | None
    share: float | None
    line: int


@dataclass(frozen=True)
class NameExtract:
    """A checked extract: its country, sources (in header order) and rows (in file order)."""

    country: str
    path: Path
    sources: dict[str, SourceInfo]
    rows: tuple[NameRow, ...]

    def kinds(self) -> set[str]:
        return {r.kind for r in self.rows}

    def rows_of(self, kind: str) -> list[NameRow]:
        return [r for r in self.rows if r.kind == kind]


def _number(text: str) -> float:
    value = float(text.replace("_", ""))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _parse_total(text: str) -> dict[str, float]:
    """``total: 38000000`` or ``total: last=38000000; first_female=19600000``."""
    out: dict[str, float] = {}
    for part in re.split(r"[;,]\s*", text.strip()):
        if not part:
            continue
        kind, sep, value = part.partition("=")
        key = kind.strip() if sep else "*"
        number = _number((value if sep else kind).strip())
        if key != "*" and key not in KINDS:
            msg = f"unknown kind {key!r} (valid: {', '.join(KINDS)})"
            raise ValueError(msg)
        if number <= 0:
            msg = f"total must be positive, got {number:g}"
            raise ValueError(msg)
        out[key] = number
    if not out:
        msg = "empty total"
        raise ValueError(msg)
    return out


def _read_header(lines: list[str], where: str, problems: list[str]) -> dict[str, SourceInfo]:
    blocks: list[tuple[int, dict[str, str]]] = []
    for lineno, raw in enumerate(lines, start=1):
        text = raw[1:].strip()
        if not text:
            continue
        key, sep, value = text.partition(":")
        key = key.strip().lower()
        if not sep or not re.fullmatch(r"[a-z]+", key):
            problems.append(
                f"{where}:{lineno}: header line is not 'key: value': {raw.strip()!r} "
                "(comment lines declare sources: '# source: S1', then '# publisher: ...', ...)"
            )
            continue
        value = value.strip()
        if key == "source":
            blocks.append((lineno, {"id": value}))
        elif not blocks:
            problems.append(f"{where}:{lineno}: {key!r} comes before any '# source:' line")
        elif key in blocks[-1][1]:
            if key == "notes":  # notes may run over several lines
                blocks[-1][1][key] += " " + value
            else:
                problems.append(f"{where}:{lineno}: {key!r} given twice for one source")
        elif key in (*REQUIRED_KEYS, *OPTIONAL_KEYS):
            blocks[-1][1][key] = value
        else:
            valid = ", ".join((*REQUIRED_KEYS, *OPTIONAL_KEYS))
            problems.append(f"{where}:{lineno}: unknown header key {key!r} (valid: {valid})")
    sources: dict[str, SourceInfo] = {}
    for lineno, block in blocks:
        sid = block["id"]
        if not SOURCE_ID.match(sid):
            problems.append(
                f"{where}:{lineno}: source id {sid!r} is not like S1 "
                "(a letter, then letters or digits)"
            )
            continue
        if sid in sources:
            problems.append(f"{where}:{lineno}: source {sid!r} declared twice")
            continue
        missing = [k for k in REQUIRED_KEYS if not block.get(k)]
        if missing:
            problems.append(f"{where}:{lineno}: source {sid} lacks {', '.join(missing)}")
            continue
        if any(FORBIDDEN.search(block.get(k, "")) for k in ("publisher", "title", "url", "notes")):
            problems.append(
                f"{where}:{lineno}: source {sid} refers to names-dataset, which is built from "
                "leaked personal data and must not be used"
            )
            continue
        totals: dict[str, float] = {}
        if "total" in block:
            try:
                totals = _parse_total(block["total"])
            except ValueError as exc:
                problems.append(
                    f"{where}:{lineno}: source {sid} total {block['total']!r}: {exc} "
                    "(give 'total: N' or 'total: last=N; first_female=N; first_male=N')"
                )
        sources[sid] = SourceInfo(
            id=sid,
            publisher=block["publisher"],
            title=block["title"],
            url=block["url"],
            year=block["year"],
            retrieved=block["retrieved"],
            licence=block["licence"],
            base=block["base"],
            notes=block.get("notes", ""),
            totals=totals,
        )
    return sources


def _check_name(name: str, kind: str) -> str | None:
    """Why ``name`` is not a valid name cell, or None."""
    if name != name.strip() or "  " in name:
        return "has leading, trailing or double spaces"
    if any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cn") for c in name):
        return "holds control or unassigned characters"
    if not any(c.isalpha() for c in name):
        return "holds no letter"
    if any(c.isdigit() for c in name):
        return "holds digits"
    letters = [c for c in name if c.isalpha() and (c.isupper() or c.islower())]
    if len(letters) > 3 and all(c.isupper() for c in letters):
        return "is in capitals (write names in title case: Müller, not MÜLLER)"
    return None


def parse_extract(text: str, path: Path) -> NameExtract:
    """Check one extract's text; ``path``'s stem must be the country's ISO code."""
    where = path.name
    problems: list[str] = []
    country = path.stem
    if not ISO2.match(country):
        problems.append(f"{where}: file name must be an ISO 3166-1 alpha-2 code, like DE.csv")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines()
    n_header = 0
    while n_header < len(lines) and lines[n_header].startswith("#"):
        n_header += 1
    sources = _read_header(lines[:n_header], where, problems)
    if not sources and not problems:
        problems.append(f"{where}: no '# source:' block before the table")
    body = lines[n_header:]
    while body and not body[0].strip():  # blank lines between header and table
        body.pop(0)
        n_header += 1
    rows: list[NameRow] = []
    if not body:
        problems.append(f"{where}: no table after the header")
        raise ExtractError("\n".join(problems))
    reader = csv.reader(io.StringIO("\n".join(body)))
    header = next(reader)
    if tuple(h.strip() for h in header) != COLUMNS:
        problems.append(
            f"{where}:{n_header + 1}: table header is {','.join(header)!r}; "
            f"expected {','.join(COLUMNS)!r}"
        )
        raise ExtractError("\n".join(problems))
    seen: dict[tuple[str, str, str], int] = {}
    for offset, cells in enumerate(reader, start=2):
        lineno = n_header + offset
        if not cells or all(not c.strip() for c in cells):
            continue
        at = f"{where}:{lineno}"
        if len(cells) != len(COLUMNS):
            problems.append(
                f"{at}: {len(cells)} cells; expected {len(COLUMNS)} ({','.join(COLUMNS)})"
            )
            continue
        sid, kind, rank_s, _, ascii_, count_s, share_s = (c.strip() for c in cells)
        name = cells[3]  # not stripped: stray spaces are an error
        name = unicodedata.normalize("NFC", name)
        bad = False
        if sid not in sources:
            problems.append(
                f"{at}: source {sid!r} is not declared in the header "
                f"({', '.join(sources) or 'none'})"
            )
            bad = True
        if kind not in KINDS:
            problems.append(f"{at}: kind {kind!r} is not one of {', '.join(KINDS)}")
            bad = True
        try:
            rank = int(rank_s)
            if rank < 1:
                raise ValueError(rank_s)
        except ValueError:
            problems.append(f"{at}: rank {rank_s!r} is not a whole number ≥ 1")
            rank, bad = 0, True
        why = _check_name(name, kind)
        if why:
            problems.append(f"{at}: name {name!r} {why}")
            bad = True
        if ascii_ and not re.fullmatch(r"[A-Za-z][A-Za-z '\-.]*", ascii_):
            problems.append(f"{at}: ascii {ascii_!r} must be Latin letters (spaces, - ' . allowed)")
            bad = True
        count: float | None = None
        share: float | None = None
        if count_s and share_s:
            problems.append(f"{at}: give count or share, not both")
            bad = True
        elif count_s:
            try:
                count = _number(count_s)
                if count <= 0:
                    raise ValueError(count_s)
            except ValueError:
                problems.append(f"{at}: count {count_s!r} is not a positive number")
                bad = True
        elif share_s:
            try:
                share = _number(share_s)
                if not 0 < share <= 1:
                    raise ValueError(share_s)
            except ValueError:
                problems.append(f"{at}: share {share_s!r} is not a fraction in (0, 1]")
                bad = True
        if bad:
            continue
        key = (sid, kind, name)
        if key in seen:
            problems.append(
                f"{at}: {name!r} listed twice for {sid} {kind} (first on line {seen[key]})"
            )
            continue
        seen[key] = lineno
        rows.append(NameRow(sid, kind, rank, name, ascii_, count, share, lineno))
    problems.extend(_check_groups(rows, where))
    unused = sorted(set(sources) - {r.source for r in rows})
    if unused:
        problems.append(f"{where}: source(s) {', '.join(unused)} declared but used by no row")
    if problems:
        raise ExtractError("\n".join(problems))
    return NameExtract(country, path, sources, tuple(rows))


def _check_groups(rows: Iterable[NameRow], where: str) -> list[str]:
    """Within one (source, kind): one style of value, ranks that follow the values."""
    problems: list[str] = []
    groups: dict[tuple[str, str], list[NameRow]] = {}
    for row in rows:
        groups.setdefault((row.source, row.kind), []).append(row)
    for (sid, kind), group in groups.items():
        styles = {
            ("count" if r.count is not None else "share" if r.share is not None else "rank")
            for r in group
        }
        if len(styles) > 1:
            problems.append(
                f"{where}: {sid} {kind} mixes {' and '.join(sorted(styles))} rows; give counts "
                "for all, shares for all, or neither (ranks only)"
            )
            continue
        ordered = sorted(group, key=lambda r: (r.rank, r.line))
        values = [r.count if r.count is not None else r.share or 0.0 for r in ordered]
        if "rank" in styles:
            continue
        for before, after, row in zip(values, values[1:], ordered[1:], strict=False):
            if after > before * 1.0001:
                problems.append(
                    f"{where}:{row.line}: {row.name!r} has rank {row.rank} but a larger value "
                    f"({after:g}) than the rank before it ({before:g})"
                )
                break
        if kind in KINDS:
            total = sum(v for v in values if v is not None)
            if styles == {"share"} and total > 1.0001:
                problems.append(f"{where}: {sid} {kind} shares add up to {total:.4f} (more than 1)")
    return problems


def read_extract(path: Path) -> NameExtract:
    """Check and read one extract file."""
    return parse_extract(path.read_text(encoding="utf-8"), path)


def read_extracts(folder: Path) -> dict[str, NameExtract]:
    """Every ``<ISO2>.csv`` of ``folder``, checked; raises with every problem of every file."""
    out: dict[str, NameExtract] = {}
    problems: list[str] = []
    for path in sorted(folder.glob("*.csv")):
        try:
            out[path.stem] = read_extract(path)
        except ExtractError as exc:
            problems.append(str(exc))
        except UnicodeDecodeError as exc:
            problems.append(f"{path.name}: not UTF-8 ({exc})")
    if problems:
        raise ExtractError("\n".join(problems))
    return out
