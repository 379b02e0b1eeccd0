"""Hypothesis strategies for realistic data: property tests over believable rows.

>>> from hypothesis import given, settings
>>> from tempdata import strategies as tds
>>> @settings(max_examples=5, deadline=None)
... @given(tds.frames("sales", max_rows=50))
... def test_amounts(frame):
...     assert (frame["amount"] > 0).all()
>>> test_amounts()

* :func:`frames` — a dataset's frame of ``min_rows`` to ``max_rows`` rows;
* :func:`rows` — one row as a dict;
* :func:`addresses` — one address of a country as a dict;
* :func:`seeds` — root seeds.

Hypothesis is needed (it is not a dependency of tempdata).

How examples shrink
-------------------
Every example is taken from a *pool*: the dataset generated with a seed Hypothesis
draws (64 rows for :func:`rows` and :func:`addresses`, ``max(64, 2 * max_rows)`` for
:func:`frames`), its rows ordered from the simplest to the most complex. Then:

* a row: Hypothesis walks the pool from its simplest row and draws at each whether
  to stop there, with probability 1 / rows left. Each draw shrinks toward stopping,
  so a failing row shrinks to the simplest row of its pool that still fails (and,
  over the seeds, toward a pool whose simplest rows fail). The price: Hypothesis
  draws its simplest choice more often than chance, and any such draw ends the
  walk, so generated rows lean toward the simple end (the most complex eighth of a
  pool comes about 9 times in 100 examples rather than 12);
* a frame: Hypothesis draws a list of distinct positions in that order, which
  shrinks toward fewer positions and smaller ones: fewer and simpler rows (each
  position shrinks on its own, to a local minimum).

So a failing example shrinks toward fewer rows and simpler values — short text,
small numbers, empty cells — while every value stays one tempdata generated. The
same choices give the same example: the pool depends only on the seed, the order
only on the pool, so Hypothesis replays a failure exactly from its database.

How simple a row is: each cell has a size — the length of text in UTF-8 bytes
(categories included, so plain ASCII is simpler than other scripts), the length of
lists, the absolute value of numbers and durations (NaN and infinities the largest),
1 for true and 0 for false, 0 for an empty cell; dates and times have none. Within
each column the sizes are ranked (ties share the mean rank), a row's complexity is
the sum of its ranks over the columns, and ties keep the pool's order. Ranks, not
sizes, so that no column outweighs another by its unit:

>>> import polars as pl
>>> pool = pl.DataFrame({"name": ["Bartholomew", "Li", None], "amount": [3.5, 120.0, 9.0]})
>>> _simplest_first(pool).tolist()  # Li: rank 2 + 3; nobody: 1 + 2; Bartholomew: 3 + 1
[2, 0, 1]

A frame keeps whole rows, in the pool's order, so each row's own invariants hold,
keys stay unique and time series sorted. Some checks relate a row to the rows before
it (a balance carried from the account's previous transaction, an opening price that
is the previous close, an org chart whose managers must be in the frame), and
choosing rows can break those. So a frame is the first of these that breaks none of
the dataset's checks the whole pool passes: the chosen rows; as many consecutive
rows from the simplest chosen one (moved back to fit); the pool's first rows; the
dataset generated with that many rows and the seed. That is the trade-off: ``sales``,
``customers``, ``weather`` and most datasets shrink toward their simplest rows,
``banking`` and ``crypto`` toward a stretch of a series that starts at a simple row,
``employees`` (whose frames must hold the whole chain of command) only toward fewer
rows and seed 0.

>>> from hypothesis import find
>>> once = settings(database=None, derandomize=True, max_examples=100)
>>> frame = find(tds.frames("sales", max_rows=50), lambda f: f.height >= 3, settings=once)
>>> frame.height  # the three simplest rows of seed 0's pool
3
>>> import tempdata
>>> tempdata.validate(frame, "sales").ok
True
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - hypothesis is a test-time tool
    msg = "tempdata.strategies needs Hypothesis: pip install hypothesis"
    raise ImportError(msg) from exc

__all__ = ["addresses", "frames", "rows", "seeds"]

MAX_SEED = 2**63 - 1
POOL_ROWS = 64  # candidates per seed for rows() and addresses(), the least for frames()
_KEPT_POOLS = 8  # pools of recent seeds kept per strategy: shrinking replays seeds


def seeds() -> st.SearchStrategy[int]:
    """Root seeds (shrinking toward 0)."""
    return st.integers(min_value=0, max_value=MAX_SEED)


def _sizes(column: pl.Series) -> pl.Series | None:
    """Each cell's size (see the module docstring); ``None`` for a column without."""
    dtype = column.dtype
    if dtype == pl.String or isinstance(dtype, (pl.Categorical, pl.Enum)):
        sizes = column.cast(pl.String).str.len_bytes().cast(pl.Float64)
    elif dtype.is_numeric():
        sizes = column.cast(pl.Float64).abs().fill_nan(float("inf"))
    elif isinstance(dtype, pl.Duration):
        sizes = column.to_physical().cast(pl.Float64).abs()
    elif dtype == pl.Boolean:
        sizes = column.cast(pl.Float64)
    elif isinstance(dtype, pl.List):
        sizes = column.list.len().cast(pl.Float64)
    else:  # dates, times, structs ...: no size
        return None
    return sizes.fill_null(0.0)


def _simplest_first(frame: pl.DataFrame) -> np.ndarray:
    """Positions of ``frame``'s rows from the simplest to the most complex: by the sum
    over columns of each cell's rank by size, ties in the frame's order."""
    ranks = [s.rank("average") for c in frame.iter_columns() if (s := _sizes(c)) is not None]
    score = np.zeros(frame.height)
    for rank in ranks:
        score += rank.to_numpy()
    return np.argsort(score, kind="stable")


@dataclass(frozen=True)
class _Candidates:
    """One seed's pool: ``frame`` in generation order, ``order`` its positions simplest
    first, ``holds`` the names of the dataset's checks the whole frame passes."""

    seed: int
    frame: pl.DataFrame
    order: np.ndarray
    holds: frozenset[str]


class _Pool:
    """Candidates per seed, made by ``make(rows, seed)`` and ranked; the last
    ``_KEPT_POOLS`` seeds' candidates are kept."""

    def __init__(
        self,
        label: str,
        rows: int,
        make: Callable[[int, int], pl.DataFrame],
        plan: Any = None,
    ) -> None:
        self.rows, self.make, self.plan = rows, make, plan
        self._label = label
        self._kept: OrderedDict[int, _Candidates] = OrderedDict()

    def __repr__(self) -> str:
        return self._label

    def __call__(self, seed: int) -> _Candidates:
        found = self._kept.get(seed)
        if found is None:
            frame = self.make(self.rows, seed)
            checks = () if self.plan is None else self.plan.all_checks()
            holds = frozenset(c.name for c in checks) - self.broken(frame)
            found = _Candidates(seed, frame, _simplest_first(frame), holds)
            self._kept[seed] = found
            if len(self._kept) > _KEPT_POOLS:
                self._kept.popitem(last=False)
        self._kept.move_to_end(seed)
        return found

    def broken(self, frame: pl.DataFrame) -> set[str]:
        """The dataset's checks ``frame`` breaks (none without a dataset)."""
        if self.plan is None:
            return set()
        from tempdata.quality.checks import evaluate

        return set(evaluate(frame, self.plan).failures())


def _describe(name: str, dataset: Any, **args: Any) -> str:
    shown = [repr(dataset if isinstance(dataset, str) else getattr(dataset, "name", dataset))]
    shown += [f"{k}={v!r}" for k, v in args.items()]
    return f"{name}({', '.join(shown)})"


@st.composite
def _frames(draw: st.DrawFn, pool: _Pool, *, min_rows: int, max_rows: int) -> pl.DataFrame:
    found = pool(draw(seeds()))
    height = found.frame.height
    ranks = draw(  # positions in the pool's order from the simplest row
        st.lists(
            st.integers(min_value=0, max_value=max(height - 1, 0)),
            min_size=min(min_rows, height),
            max_size=min(max_rows, height),
            unique=True,
        )
    )
    n = len(ranks)
    if n == 0:
        return found.frame.clear()
    picks = found.order[sorted(ranks)]  # rows of the pool, the simplest first
    start = min(int(picks[0]), height - n)
    for frame in (found.frame[np.sort(picks)], found.frame.slice(start, n), found.frame.head(n)):
        if not pool.broken(frame) & found.holds:
            return frame
    return pool.make(n, found.seed)


def frames(
    dataset: Any, *, min_rows: int = 0, max_rows: int = 100, **kwargs: Any
) -> st.SearchStrategy[pl.DataFrame]:
    """Frames of ``dataset`` (a catalogue name or a Dataset) with ``min_rows`` to
    ``max_rows`` rows; ``kwargs`` go to :func:`tempdata.generate` (``country=``,
    ``columns=`` ...). Zero rows give an empty frame with the dataset's schema.

    A frame is whole rows of a pool the dataset generated with a drawn seed, and
    shrinks toward fewer and simpler rows (see the module docstring).

    >>> from hypothesis import find, settings
    >>> once = settings(database=None, derandomize=True)
    >>> frame = find(frames("products", max_rows=20), lambda f: f.height >= 2, settings=once)
    >>> frame.height
    2
    """
    if not 0 <= min_rows <= max_rows:
        msg = f"frames: need 0 <= min_rows <= max_rows, got {min_rows} and {max_rows}"
        raise ValueError(msg)
    from tempdata import generate
    from tempdata.api import _dataset

    plan = _dataset(dataset)  # an unknown name fails here, not at the first draw
    pool = _Pool(
        _describe("pool", dataset, rows=max(POOL_ROWS, 2 * max_rows), **kwargs),
        max(POOL_ROWS, 2 * max_rows),
        lambda n, seed: generate(dataset, rows=n, seed=seed, **kwargs),
        plan,
    )
    return _frames(pool, min_rows=min_rows, max_rows=max_rows)


@st.composite
def _rows(draw: st.DrawFn, pool: _Pool) -> dict[str, Any]:
    found = pool(draw(seeds()))
    if found.frame.height == 0:
        msg = f"{pool!r} has no rows to draw from"
        raise ValueError(msg)
    # Walk the pool from its simplest row, stopping at each with probability
    # 1 / (rows left); a draw shrinks toward 0, that is toward stopping sooner. (One
    # integer for the position would shrink by halving and subtracting, and stop at
    # a local minimum: rows simpler than it that also fail would go unseen.)
    height, position = found.frame.height, 0
    while position < height - 1:
        left = height - position  # rows from this one on
        if draw(st.integers(min_value=0, max_value=left - 1)) == 0:
            break
        position += 1
    return found.frame.row(int(found.order[position]), named=True)


def rows(dataset: Any, **kwargs: Any) -> st.SearchStrategy[dict[str, Any]]:
    """One row of ``dataset`` as a dict (column → value): a row of a 64-row pool the
    dataset generated with a drawn seed, shrinking toward its simplest row.

    >>> from hypothesis import find, settings
    >>> once = settings(database=None, derandomize=True)
    >>> row = find(rows("sales"), lambda r: r["quantity"] > 1, settings=once)
    >>> row["quantity"], row["transaction_id"].startswith("TXN-")
    (2, True)
    """
    from tempdata import generate
    from tempdata.api import _dataset

    _dataset(dataset)  # an unknown name fails here, not at the first draw
    pool = _Pool(
        _describe("pool", dataset, rows=POOL_ROWS, **kwargs),
        POOL_ROWS,
        lambda n, seed: generate(dataset, rows=n, seed=seed, **kwargs),
    )
    return _rows(pool)


def addresses(country: str = "global", **kwargs: Any) -> st.SearchStrategy[dict[str, Any]]:
    """One address in ``country`` (``state=``, ``city=`` narrow it) as a dict, from
    64 addresses of a drawn seed, shrinking toward the simplest of them."""
    from tempdata.geo.address import addresses_frame

    addresses_frame(country, 0, seed=0, **kwargs)  # a bad place fails here
    pool = _Pool(
        _describe("address_pool", country, rows=POOL_ROWS, **kwargs),
        POOL_ROWS,
        lambda n, seed: addresses_frame(country, n, seed=seed, **kwargs),
    )
    return _rows(pool)
