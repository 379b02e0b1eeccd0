"""Output formats, their file extensions, and how a path names its format."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from tempdata.errors import ExportFormatError, InvalidParameterError, suggest

__all__ = [
    "FORMATS",
    "STDOUT",
    "Target",
    "check_format",
    "check_local",
    "check_path_length",
    "split_path",
]

#: format → file extensions, the first being the default.
FORMATS: dict[str, tuple[str, ...]] = {
    "parquet": (".parquet",),
    "csv": (".csv", ".csv.gz"),
    "json": (".json",),
    "ndjson": (".ndjson", ".jsonl"),
    "excel": (".xlsx",),
    "geojson": (".geojson",),
}
#: Formats that can stream to standard output (path ``-``).
STDOUT_FORMATS = ("csv", "ndjson")
STDOUT = "-"
_ALIASES = {"xlsx": "excel", "jsonl": "ndjson", "pq": "parquet"}
#: A URL's scheme (RFC 3986: a letter, then letters, digits, + - .) before ``://``.
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
#: The schemes tempdata writes to: database sinks (:mod:`tempdata.export.database`).
DATABASE_SCHEMES = ("sqlite", "duckdb", "postgresql", "postgres")


def url_scheme(target: object) -> str | None:
    """The scheme of ``target`` if it is a ``scheme://`` URL string, else ``None``."""
    match = _URL.match(target) if isinstance(target, str) else None
    return match.group(1).lower() if match else None


#: Linux's limits (``NAME_MAX``, ``PATH_MAX``): one name, and a whole path.
NAME_MAX = 255
PATH_MAX = 4096


def check_path_length(path: object, what: str = "path") -> None:
    """Refuse a path the system cannot hold — a name over 255 bytes, or a path over
    4,096 — in one line that says which part is too long."""
    if not isinstance(path, (str, Path)) or (isinstance(path, str) and path == STDOUT):
        return
    text = os.fsencode(str(path))
    if len(text) >= PATH_MAX:
        msg = f"{what} is {len(text):,} bytes long, more than the {PATH_MAX:,} a path may have"
        raise InvalidParameterError(msg)
    for part in text.split(b"/"):
        if len(part) > NAME_MAX:
            name = os.fsdecode(part)
            msg = (
                f"{what} has a name of {len(part)} bytes ({name[:40]}...), more than the "
                f"{NAME_MAX} a file or folder name may have"
            )
            raise InvalidParameterError(msg)


def check_local(target: object, what: str = "path", *, databases: bool = False) -> None:
    """Refuse a ``scheme://`` URL where a local path is wanted (``s3://bucket/x``
    would otherwise become a local folder ``s3:``); ``databases`` lets the database
    sinks' schemes through."""
    scheme = url_scheme(target)
    if scheme is None or (databases and scheme in DATABASE_SCHEMES):
        return
    from tempdata.export.database import redact

    if not databases and scheme in DATABASE_SCHEMES:
        msg = (
            f"{what} {redact(str(target))!r} is a database URL: {what} takes a local path; "
            "load a database with --to, or a plan's [[sinks]]"
        )
        raise InvalidParameterError(msg)
    allowed = " or a database (sqlite:///, duckdb:///, postgresql://)" if databases else ""
    msg = (
        f"{what} {redact(str(target))!r} is a {scheme}:// URL: tempdata writes to a local "
        f"path{allowed}; write locally, then copy it (e.g. with your cloud's CLI)"
    )
    raise InvalidParameterError(msg)


@dataclass(frozen=True)
class Target:
    """One file to write: where, in which format, gzip-compressed or not."""

    path: Path | None  # None: standard output
    format: str
    compressed: bool = False

    def __str__(self) -> str:
        return STDOUT if self.path is None else str(self.path)


def check_format(name: object) -> str:
    """The canonical name of a format (``xlsx`` → ``excel``), or a clear error."""
    key = name.strip().lower() if isinstance(name, str) else name
    if isinstance(key, str):
        key = _ALIASES.get(key, key)
        if key in FORMATS:
            return key
    msg = f"unknown format {name!r}{suggest(str(name), FORMATS)}"
    raise ExportFormatError(msg)


def split_path(path: Path) -> tuple[str, str | None, bool]:
    """(stem, format or None, gzip?) of a file name: ``sales.csv.gz`` → ("sales", "csv", True)."""
    name = path.name
    lower = name.lower()
    for fmt, extensions in FORMATS.items():
        for ext in sorted(extensions, key=len, reverse=True):
            if lower.endswith(ext) and len(name) > len(ext):
                return name[: -len(ext)], fmt, ext.endswith(".gz")
    if "." in name.strip("."):
        ext = name.rsplit(".", 1)[1]
        known = sorted({e for exts in FORMATS.values() for e in exts})
        msg = f"unknown file extension '.{ext}' in {str(path)!r} — valid: {', '.join(known)}"
        raise ExportFormatError(msg)
    return name, None, False
