"""Errors raised by tempdata.

Every error tempdata raises on purpose derives from :class:`TempDataError`, so a
caller (or the CLI) can catch the library's own failures in one place and let
anything else — a bug — keep its traceback::

    TempDataError(Exception)
    ├── InvalidParameterError(TempDataError, ValueError)
    │   └── UnknownDatasetError(InvalidParameterError, LookupError)
    ├── GeographicalError(TempDataError, ValueError)
    ├── DataQualityError(TempDataError)
    ├── GenerationError(TempDataError)
    ├── GenerationMemoryError(TempDataError, MemoryError)
    └── ExportError(TempDataError)
        ├── ExportFormatError(ExportError, ValueError)
        ├── FileSystemError(ExportError, OSError)
        └── SerializationError(ExportError)

Messages name the offending value and what would be valid.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

__all__ = [
    "DataQualityError",
    "ExportError",
    "ExportFormatError",
    "FileSystemError",
    "GenerationError",
    "GenerationMemoryError",
    "GeographicalError",
    "InvalidParameterError",
    "SerializationError",
    "TempDataError",
    "UnknownDatasetError",
    "mask_secrets",
    "suggest",
]


class TempDataError(Exception):
    """Root of every error tempdata raises on purpose."""


class InvalidParameterError(TempDataError, ValueError):
    """An argument, plan key or column definition is invalid (bad rows, bad date range, ...)."""


class UnknownDatasetError(InvalidParameterError, LookupError):
    """A dataset name is not in the catalogue."""


class GeographicalError(TempDataError, ValueError):
    """A country, state or city cannot be resolved."""


class DataQualityError(TempDataError):
    """Generated or checked data breaks one of its dataset's invariants."""


class GenerationError(TempDataError):
    """Generating data failed while running (a worker process died)."""


class GenerationMemoryError(TempDataError, MemoryError):
    """A request would need more memory than is available (it does not shadow MemoryError)."""


class ExportError(TempDataError):
    """Writing output failed."""


class ExportFormatError(ExportError, ValueError):
    """An output format is unknown or cannot hold this data (GeoJSON without coordinates)."""


class FileSystemError(ExportError, OSError):
    """A target path cannot be written (missing permission, existing file, full disk)."""


class SerializationError(ExportError):
    """A value cannot be serialised into the requested format."""


def suggest(value: str, choices: Iterable[str], *, n: int = 3) -> str:
    """Return ``" — did you mean 'x'?"`` for the closest choices, or a list of valid ones.

    >>> suggest("salse", ["sales", "customers"])
    " — did you mean 'sales'?"
    """
    options = sorted(set(choices))
    if not options:
        return " (there are none)"
    close = difflib.get_close_matches(value.lower(), options, n=n, cutoff=0.6)
    if close:
        return " — did you mean " + " or ".join(repr(c) for c in close) + "?"
    if len(options) <= 12:
        return " — valid: " + ", ".join(options)
    return f" — one of {len(options)} names, e.g. " + ", ".join(options[:6])


#: A password in a URI's user part (``scheme://user:secret@host``) or its options
#: (``?password=secret``), and a libpq keyword string's ``password=secret``.
_SECRETS = (
    # the user part runs to the last "@" before the host's "/" (an unescaped "@" in a
    # password included); one slash too: a path joined "https://" into "https:/"
    (re.compile(r"(:/{1,2}[^:/@\s'\"]*):[^\s'\"/]*@"), r"\1:***@"),
    # password=, sslpassword= and the like, in a query or a keyword string
    (re.compile(r"(?i)((?:[?&]|\b)\w*password=)[^&\s'\"]*"), r"\1***"),
)


def mask_secrets(text: str) -> str:
    """``text`` with the passwords of the URIs and keyword strings in it as ``***``."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text
