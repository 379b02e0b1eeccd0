"""Seeds, reference dates and per-column random streams (DESIGN §2).

The contract, in short:

* the *root seed* is the user's, used as is; when none is given it is the clock in
  milliseconds modulo 2**32, never repeated within a process;
* the *reference date* anchors relative defaults ("the last 365 days"): today for
  unseeded runs, :data:`DEFAULT_REFERENCE_DATE` for seeded ones, so that with a seed
  nothing ever reads the clock;
* each column of each 50,000-row chunk draws from its own generator,
  ``default_rng(SeedSequence(seed, spawn_key=(h(dataset), h(column), chunk)))`` with
  ``h`` the first 8 bytes of blake2b of the UTF-8 name, read big-endian.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from tempdata.errors import InvalidParameterError

__all__ = [
    "CHUNK_SIZE",
    "DEFAULT_REFERENCE_DATE",
    "Seeder",
    "name_hash",
]

#: Rows per RNG block. Part of the reproducibility contract: never change it.
CHUNK_SIZE = 50_000

#: Reference date of seeded runs that name none, so fixtures never depend on the day.
DEFAULT_REFERENCE_DATE = dt.date(2025, 12, 31)

_SEED_MODULUS = 2**32
_issued_lock = threading.Lock()
_issued: set[int] = set()


def _now_ms() -> int:
    """The clock, in milliseconds. The only place seeding reads time (tests patch it)."""
    return time.time_ns() // 1_000_000


def _today() -> dt.date:
    """Today's date, for unseeded runs (tests patch it)."""
    return dt.date.today()


@lru_cache(maxsize=4096)
def name_hash(name: str) -> int:
    """Stable 64-bit hash of a name: the first 8 bytes of blake2b, big-endian.

    Never Python's ``hash()``, which changes between processes.

    >>> name_hash("sales")
    5246797332751295245
    """
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8")).digest()[:8], "big")


def _time_seed() -> int:
    seed = _now_ms() % _SEED_MODULUS
    with _issued_lock:
        while seed in _issued:
            seed = (seed + 1) % _SEED_MODULUS
        _issued.add(seed)
    return seed


def _check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        msg = f"seed must be a non-negative integer or a Seeder, got {seed!r}"
        raise InvalidParameterError(msg)
    if seed < 0:
        msg = f"seed must be a non-negative integer, got {seed}"
        raise InvalidParameterError(msg)
    return int(seed)


def _check_date(value: object) -> dt.date:
    day: dt.date | None = None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            day = None
    if day is None:
        msg = (
            f"reference_date must be a date or an ISO date string like '2025-12-31', got {value!r}"
        )
        raise InvalidParameterError(msg)
    if not 1900 <= day.year <= 2200:
        msg = f"reference_date must lie between 1900 and 2200, got {day.isoformat()}"
        raise InvalidParameterError(msg)
    return day


@dataclass(frozen=True)
class Seeder:
    """The root seed and reference date of a run, and the streams derived from them.

    Parameters
    ----------
    seed
        Root seed, a non-negative integer used as is. ``None`` takes the clock in
        milliseconds modulo 2**32 (never the same twice in one process).
    reference_date
        Date that relative defaults are measured from. ``None`` means today for an
        unseeded run and :data:`DEFAULT_REFERENCE_DATE` for a seeded one.

    Examples
    --------
    >>> s = Seeder(42)
    >>> s.seed, s.reference_date
    (42, datetime.date(2025, 12, 31))
    >>> float(s.stream("sales", "amount", 0).random()) == float(
    ...     Seeder(42).stream("sales", "amount", 0).random())
    True
    """

    seed: int
    reference_date: dt.date
    seeded: bool = field(default=True, compare=False)

    def __init__(self, seed: int | None = None, *, reference_date: object = None) -> None:
        seeded = seed is not None
        root = _check_seed(seed) if seeded else _time_seed()
        if reference_date is None:
            ref = DEFAULT_REFERENCE_DATE if seeded else _today()
        else:
            ref = _check_date(reference_date)
        object.__setattr__(self, "seed", root)
        object.__setattr__(self, "reference_date", ref)
        object.__setattr__(self, "seeded", seeded)

    def __repr__(self) -> str:
        return f"Seeder({self.seed}, reference_date={self.reference_date.isoformat()!r})"

    @classmethod
    def coerce(cls, seed: Seeder | int | None, *, reference_date: object = None) -> Seeder:
        """Return ``seed`` if it is a Seeder (with ``reference_date`` applied), else a new one."""
        if isinstance(seed, Seeder):
            if reference_date is None or _check_date(reference_date) == seed.reference_date:
                return seed
            return cls(seed.seed, reference_date=reference_date)
        return cls(seed, reference_date=reference_date)

    def sequence(self, dataset: str, column: str, chunk: int) -> np.random.SeedSequence:
        """The SeedSequence of one column of one chunk."""
        return np.random.SeedSequence(
            self.seed, spawn_key=(name_hash(dataset), name_hash(column), chunk)
        )

    def stream(self, dataset: str, column: str, chunk: int) -> np.random.Generator:
        """The generator of one column (or column group, or ``column#nulls``) of one chunk."""
        return np.random.default_rng(self.sequence(dataset, column, chunk))

    def context_seed(self, name: str) -> int:
        """A stable 64-bit seed for a context such as ``"sales.amount"``.

        >>> Seeder(1).context_seed("sales.amount") == Seeder(1).context_seed("sales.amount")
        True
        """
        if not isinstance(name, str):
            msg = f"context name must be a string, got {name!r}"
            raise InvalidParameterError(msg)
        ss = np.random.SeedSequence(self.seed, spawn_key=(name_hash(name),))
        return int(ss.generate_state(1, np.uint64)[0])

    def context_stream(self, name: str) -> np.random.Generator:
        """A generator for a dataset-wide context that does not depend on the chunk."""
        return np.random.default_rng(np.random.SeedSequence(self.context_seed(name)))

    def temporal_seed(self, offset_seconds: int) -> int:
        """The 64-bit seed of the time block starting ``offset_seconds`` after the epoch."""
        if isinstance(offset_seconds, bool) or not isinstance(offset_seconds, (int, np.integer)):
            msg = f"offset_seconds must be an integer, got {offset_seconds!r}"
            raise InvalidParameterError(msg)
        key = (name_hash("#time"), int(offset_seconds) % 2**64)
        ss = np.random.SeedSequence(self.seed, spawn_key=key)
        return int(ss.generate_state(1, np.uint64)[0])

    def time_sequence(
        self,
        dataset: str,
        column: str,
        *,
        interval: int,
        entity: int,
        block: int | None = None,
    ) -> np.random.SeedSequence:
        """The SeedSequence of a time-series stream (DESIGN §2, "Time series").

        One entity's time block ``block`` of a column on a grid of ``interval``
        seconds draws from ``SeedSequence(seed, spawn_key=(h(dataset), h(column),
        h("#time"), interval, entity_lo, entity_hi, 0, block))``; with ``block=None``
        the key ends ``(..., entity_lo, entity_hi, 1)`` instead: the entity's *coarse*
        stream, which draws one value per block from the epoch on
        (:mod:`tempdata.core.timeseries`). ``entity_lo``/``entity_hi`` are the low and
        high 32 bits of the entity id.

        Every word after ``h("#time")`` is below 2**32, so the key is fixed-width and
        no two (interval, entity, block) share one; and it is at least four words
        longer than any row-chunk key ``(h(dataset), h(column), chunk)`` or the keys
        of :meth:`context_seed` and :meth:`temporal_seed`, so the families never meet.

        >>> s = Seeder(1)
        >>> a = s.time_sequence("stocks", "close", interval=86400, entity=3, block=11)
        >>> b = s.time_sequence("stocks", "close", interval=86400, entity=3, block=12)
        >>> bool(a.generate_state(1)[0] != b.generate_state(1)[0])
        True
        """
        if not 0 < interval < 2**32:
            msg = f"interval must be between 1 and 2**32 - 1 seconds, got {interval!r}"
            raise InvalidParameterError(msg)
        if not 0 <= entity < 2**64:
            msg = f"entity id must be an integer in [0, 2**64), got {entity!r}"
            raise InvalidParameterError(msg)
        head = (
            name_hash(dataset),
            name_hash(column),
            name_hash("#time"),
            int(interval),
            int(entity) & 0xFFFFFFFF,
            int(entity) >> 32,
        )
        if block is None:
            return np.random.SeedSequence(self.seed, spawn_key=(*head, 1))
        if not 0 <= block < 2**32:
            msg = f"time block must be an integer in [0, 2**32), got {block!r}"
            raise InvalidParameterError(msg)
        return np.random.SeedSequence(self.seed, spawn_key=(*head, 0, int(block)))
