"""Output formats, their file extensions, and how a path names its format."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tempdata.errors import ExportFormatError, suggest

__all__ = ["FORMATS", "STDOUT", "Target", "check_format", "split_path"]

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
