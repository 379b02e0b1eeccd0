"""Organisations grown in row order: an org chart, and dates in hire order.

:func:`org_chart` lays a tree over the rows so that every row's parent (its manager)
is an *earlier* row of a *higher* tier in the *same group* (department), chosen by a
closed formula of the row index and one uniform draw of the row itself. No row looks
at another row's draws, so the tree is the same however the rows are chunked, and the
first ``k`` rows of a larger table form the same tree as a ``k``-row table (a company
as it was when it had ``k`` people).

The layout (``spans = (r1, ..., rK)``, ``R_t = r1 * ... * rt``, ``R_0 = 1``):

* row 0 is the root (tier ``K + 2``); each group's head sits at a fixed row index
  given in ``heads`` (tier ``K + 1``, parent: the root);
* any other row ``i`` has tier ``t`` = the largest ``t <= K`` with ``R_t | i``, so about
  ``1 - 1/r1`` of the rows are leaves (tier 0) and each tier is ``r_t`` times rarer
  than the one below: a pyramid at every prefix;
* the rows of exactly tier ``t`` are numbered in order (their *rank*); rank ``k`` is
  row ``m * R_t`` with ``m = k + k // (r_{t+1} - 1) + 1`` (``m = k + 1`` at the top
  tier), and the group of a rank is read off a wheel: a list of ``period`` group
  codes, each group as often as its weight says, spread evenly (stride order with a
  seeded phase per group and tier), repeated — except that a leaf whose group's
  head is not hired yet takes the nearest earlier wheel entry whose head is (the
  root's group if no head is there yet), so a young company's first hires have
  someone to report to;
* the parent of row ``i`` (tier ``t``, group ``g``) is one of the last ``window``
  rows of exactly tier ``t + 1`` and group ``g`` before ``i`` — their number follows
  from ``i`` by counting wheel entries, so the choice is ``O(1)`` per row; with none
  (a young company) it is tier ``t + 2``'s, and so on up to the group's head if
  already there, else the root.

:func:`hire_dates` gives each row its date in hire order: sorted over the date range by
a seasonality profile, the first row (the founder) on the first day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from tempdata.core.plan import ChunkContext, GroupSampler, Params, SampleOutput, Sampler
from tempdata.errors import InvalidParameterError
from tempdata.samplers._base import Array, CallRepr, integer, weights
from tempdata.samplers.ids import _Sequence
from tempdata.samplers.temporal import PROFILES, Profile, _Timestamps

__all__ = ["hire_dates", "org_chart"]

#: Wheel entries per group table: weights are honoured to about 1 / period.
_PERIOD = 1_000


def _wheel_counts(probs: Sequence[float], period: int) -> Array:
    """Entries per group: ``probs * period`` by largest remainder, each at least 1."""
    raw = np.asarray(probs, dtype=np.float64) * period
    counts = np.maximum(np.floor(raw).astype(np.int64), 1)
    left = period - int(counts.sum())
    if left > 0:
        order = np.argsort(-(raw - np.floor(raw)), kind="stable")
        counts[order[:left]] += 1
    return counts


@dataclass(frozen=True)
class _Wheel:
    """One tier's wheel: ``codes[p]`` is the group of rank ``p`` (mod period),
    ``cum[g, x]`` counts group ``g`` among the first ``x`` entries, and ``pos[g, j]``
    is the position of group ``g``'s ``j``-th entry."""

    codes: Array
    cum: Array
    pos: Array


def _wheel(counts: Array, phases: Array) -> _Wheel:
    groups = np.repeat(np.arange(len(counts)), counts)
    j = np.concatenate([np.arange(c) for c in counts])
    keys = (j + phases[groups]) / counts[groups]
    order = np.lexsort((groups, keys))
    codes = groups[order]
    period = len(codes)
    onehot = codes[None, :] == np.arange(len(counts))[:, None]
    cum = np.zeros((len(counts), period + 1), dtype=np.int64)
    np.cumsum(onehot, axis=1, out=cum[:, 1:])
    pos = np.zeros((len(counts), int(counts.max())), dtype=np.int64)
    for g in range(len(counts)):
        where = np.flatnonzero(codes == g)
        pos[g, : len(where)] = where
    return _Wheel(codes, cum, pos)


@dataclass(frozen=True, repr=False)
class _OrgChart(CallRepr, GroupSampler):
    _factory = "org_chart"
    spans: tuple[int, ...]
    groups: tuple[str, ...]
    probs: tuple[float, ...] = field(repr=False)
    heads: tuple[int, ...] = field(repr=False)  # per group: its head's row, 0 for none
    key: _Sequence | None = None
    window: int = 3
    root_group: str = "Executive"

    def __repr__(self) -> str:
        shown = dict(zip(self.groups, (round(p, 6) for p in self.probs), strict=True))
        heads = {g: h for g, h in zip(self.groups, self.heads, strict=True) if h}
        return (
            f"org_chart(spans={self.spans!r}, groups={shown!r}, heads={heads!r}, "
            f"key={self.key!r}, window={self.window}, root_group={self.root_group!r})"
        )

    @property
    def levels(self) -> int:
        """Manager tiers below the heads (``K``)."""
        return len(self.spans)

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        return {
            "tier": pl.Int8(),
            "group": pl.Enum([*self.groups, self.root_group]),
            "parent": pl.Int64(),
            "parent_key": pl.String(),
        }

    def _wheels(self, ctx: ChunkContext) -> list[_Wheel]:
        counts = _wheel_counts(self.probs, _PERIOD)
        rng = ctx.seeder.context_stream(f"{ctx.dataset}.{ctx.column}#wheel")
        phases = rng.random((self.levels + 1, len(self.groups)))
        return [_wheel(counts, phases[t]) for t in range(self.levels + 1)]

    def layout(self, index: Array, wheels: Sequence[_Wheel]) -> tuple[Array, Array]:
        """Tier and group code of rows ``index`` (a closed formula of the index)."""
        k = self.levels
        i = np.asarray(index, dtype=np.int64)
        radix = np.cumprod(np.asarray(self.spans, dtype=np.int64))
        tier = np.zeros(len(i), dtype=np.int64)
        for r in radix:
            tier += (i % r) == 0
        group = np.empty(len(i), dtype=np.int64)
        for t in range(k + 1):
            rows = np.flatnonzero(tier == t)
            m = i[rows] // (radix[t - 1] if t else 1)
            rank = m - m // self.spans[t] - 1 if t < k else m - 1
            group[rows] = wheels[t].codes[rank % _PERIOD]
        heads = np.asarray(self.heads, dtype=np.int64)
        # A leaf of a group whose head comes later joins the group of the nearest
        # earlier wheel entry whose head is already there (early hires go where the
        # company has someone to report to). Leaves are never candidates, so the
        # counts of the tiers above are unchanged.
        late = np.flatnonzero((tier == 0) & (heads[group] > i))
        if len(late):
            rank = i[late] - i[late] // self.spans[0] - 1
            for step in range(1, _PERIOD + 1):
                g = wheels[0].codes[(rank - step) % _PERIOD]
                h = heads[g]
                done = (h > 0) & (h < i[late])
                group[late[done]] = g[done]
                late, rank = late[~done], rank[~done]
                if not len(late):
                    break
            group[late] = len(self.groups)  # no head hired yet at all: the root's group
        for g, h in enumerate(heads):
            if h:
                hit = i == h
                tier[hit], group[hit] = k + 1, g
        root = i == 0
        tier[root], group[root] = k + 2, len(self.groups)
        return tier, group

    def parents(
        self, index: Array, u: Array, wheels: Sequence[_Wheel]
    ) -> tuple[Array, Array, Array]:
        """Tier, group and parent row (-1 for the root) of rows ``index``."""
        k = self.levels
        i = np.asarray(index, dtype=np.int64)
        tier, group = self.layout(i, wheels)
        radix = np.cumprod(np.asarray(self.spans, dtype=np.int64))
        heads = np.asarray(self.heads, dtype=np.int64)
        safe = np.minimum(group, len(self.groups) - 1)
        head = heads[safe]
        parent = np.where((head > 0) & (head < i) & (tier <= k), head, 0)
        # From the top tier down, so the lowest tier with a candidate wins.
        for t in range(k, 0, -1):
            w = wheels[t]
            rows = np.flatnonzero((tier < t) & (i > radix[t - 1]) & (group < len(self.groups)))
            if not len(rows):
                continue
            g = group[rows]
            before = (i[rows] - 1) // radix[t - 1]  # multiples of R_t below i
            exact = before - before // self.spans[t] if t < k else before
            per = w.cum[:, -1][g]
            # divmod and flat indices: one pass each instead of two, and no 2-D fancy
            # indexing (several times slower)
            turns, at = np.divmod(exact, _PERIOD)
            count = turns * per + np.take(w.cum, g * w.cum.shape[1] + at)
            ok = count > 0
            rows, g, count, per = rows[ok], g[ok], count[ok], per[ok]
            span = np.minimum(count, self.window)
            j = count - 1 - np.minimum((u[rows] * span).astype(np.int64), span - 1)
            turns, at = np.divmod(j, per)
            rank = turns * _PERIOD + np.take(w.pos, g * w.pos.shape[1] + at)
            m = rank + rank // (self.spans[t] - 1) + 1 if t < k else rank + 1
            parent[rows] = m * radix[t - 1]
        parent[tier == k + 2] = -1
        return tier, group, parent

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        u = rng.random(ctx.n)
        tier, group, parent = self.parents(ctx.row_index(), u, self._wheels(ctx))
        is_root = parent < 0
        names = pl.Series([*self.groups, self.root_group], dtype=self.schema(ctx.params)["group"])
        out: dict[str, SampleOutput] = {
            "tier": pl.Series(tier, dtype=pl.Int8),
            "group": names.gather(group),
        }
        parents = pl.Series(parent, dtype=pl.Int64)
        if is_root.any():
            parents = parents.scatter(np.flatnonzero(is_root), None)
        out["parent"] = parents
        if "parent_key" in fields:
            if self.key is None:
                msg = "org_chart: the parent_key field needs key=sequence(...)"
                raise InvalidParameterError(msg)
            keys = self.key.format(np.maximum(parent, 0))
            out["parent_key"] = (
                keys.scatter(np.flatnonzero(is_root), None) if is_root.any() else keys
            )
        return {f: out[f] for f in fields}


def org_chart(
    *,
    spans: Sequence[int],
    groups: Mapping[str, float],
    heads: Mapping[str, int] | None = None,
    key: Sampler | None = None,
    window: int = 3,
    root_group: str = "Executive",
) -> GroupSampler:
    """A tree over the rows: each row's parent is an earlier row of a higher tier and
    the same group (see the module docstring for the formula).

    Fields: ``tier`` (0 for leaves, 1 to ``len(spans)`` for managers, then heads, then
    the root at row 0), ``group`` (an Enum of the groups, the root's last),
    ``parent`` (the parent's row index; null for the root) and ``parent_key`` (the
    parent's key formatted by ``key``).

    Parameters
    ----------
    spans
        ``(r1, ..., rK)``, each at least 2: one row in ``r1`` manages; of those, one in
        ``r2`` is a tier higher; and so on. A tier-``t`` row has about ``r_t`` reports
        of tier ``t - 1`` (``r1 - 1`` leaves) on average.
    groups
        Group (department) → weight: the share of each tier's rows in the group.
    heads
        Group → the row index at which its head is hired (``>= 1``, not a multiple of
        ``r1``). Rows of a group with no head yet report higher up, at last to the root.
    key
        The table's key sampler (a :func:`~tempdata.samplers.sequence`), to format
        ``parent_key``.
    window
        A row's parent is one of the last ``window`` candidates before it: the
        smaller, the more each manager's reports were hired together.

    >>> org_chart(spans=[8, 5], groups={"Sales": 1, "Support": 1}, heads={"Sales": 3})
    org_chart(spans=(8, 5), groups={'Sales': 0.5, 'Support': 0.5}, heads={'Sales': 3},
              key=None, window=3, root_group='Executive')
    """
    spans_ = tuple(integer(r, "org_chart: span", low=2) for r in spans)
    if not spans_:
        msg = "org_chart: spans needs at least one tier, e.g. spans=[8, 5]"
        raise InvalidParameterError(msg)
    names, probs = weights(groups, "org_chart: groups")
    if root_group in names:
        msg = f"org_chart: root_group {root_group!r} is also one of the groups"
        raise InvalidParameterError(msg)
    given = dict(heads or {})
    for g, row in given.items():
        if g not in names:
            msg = f"org_chart: head of unknown group {g!r} — groups are {list(names)}"
            raise InvalidParameterError(msg)
        row = integer(row, f"org_chart: head row of {g!r}", low=1)
        if row % spans_[0] == 0:
            msg = f"org_chart: head row of {g!r} ({row}) must not be a multiple of {spans_[0]}"
            raise InvalidParameterError(msg)
    rows = list(given.values())
    if len(set(rows)) != len(rows):
        msg = f"org_chart: heads must sit on distinct rows, got {given!r}"
        raise InvalidParameterError(msg)
    if key is not None and not isinstance(key, _Sequence):
        msg = f"org_chart: key must be the table's sequence() sampler, got {key!r}"
        raise InvalidParameterError(msg)
    return _OrgChart(
        spans_,
        names,
        probs,
        tuple(int(given.get(g, 0)) for g in names),
        key,
        integer(window, "org_chart: window", low=1),
        root_group,
    )


@dataclass(frozen=True, repr=False)
class _HireDates(CallRepr, Sampler):
    _factory = "hire_dates"
    profile: Profile = field(default=PROFILES["uniform"])

    def __repr__(self) -> str:
        return f"hire_dates(profile={self.profile.name!r})"

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Date()

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> pl.Series:
        dates = _Timestamps(self.profile, sorted=True, as_date=True).sample(rng, ctx)
        first = np.flatnonzero(ctx.row_index() == 0)
        if len(first):
            dates = dates.scatter(first, ctx.params.date_start.date())
        return dates


def hire_dates(*, profile: str | Profile = "uniform") -> Sampler:
    """Dates in row order (hire order): sorted over the dataset's date range, denser
    where ``profile`` says, and row 0 — the founder — on the range's first day.

    Like ``timestamps(sorted=True)``, row ``i`` depends on the seed, ``i`` and the row
    count.
    """
    if isinstance(profile, str):
        if profile not in PROFILES:
            msg = f"hire_dates: unknown profile {profile!r} — valid: {', '.join(PROFILES)}"
            raise InvalidParameterError(msg)
        profile = PROFILES[profile]
    if not isinstance(profile, Profile):
        msg = f"hire_dates: profile must be a name or a Profile, got {profile!r}"
        raise InvalidParameterError(msg)
    return _HireDates(profile)
