"""Name tables of the people sampler, in the form unique e-mails need.

``names.parquet`` holds, per name locale and kind (``first_female``, ``first_male``,
``last``, ``last_female``, ``last_male``), names with weights and an ASCII form. Here
each (locale, kind) list becomes a *table* whose entries are the distinct ASCII forms
(cut to :data:`FIRST_CHARS` / :data:`LAST_CHARS` letters, the forms an address uses),
sorted, each holding the spellings that share it (Müller and Mueller are one entry,
``mueller``). An entry covers an interval of the integers ``[0, U)`` as wide as its
weight, so a position ``u`` picks a family name, and the position inside that name's
interval picks the given name: names follow the weights, and the rows that share a
full name — or an initial and a family name — are exactly those whose positions fall
in one interval. :mod:`tempdata.samplers._handles` ranks rows inside such intervals to
make addresses unique without looking at other chunks.

Tables are shared: a locale without a kind of its own uses ``en_US``'s (family names
without gendered forms serve both sexes), as :func:`pairs` says.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import polars as pl

from tempdata.geo.reference import load
from tempdata.samplers._base import Array, SortedLookup

__all__ = [
    "FIRST_CHARS",
    "LAST_CHARS",
    "U_BITS",
    "Membership",
    "Table",
    "U",
    "address_order",
    "first_tables",
    "last_tables",
    "locale_ids",
    "membership",
    "pairs",
]

#: Positions are integers in ``[0, U)``.
U_BITS = 31
U = 1 << U_BITS
#: Letters of a given / family name that an address keeps.
FIRST_CHARS = 16
LAST_CHARS = 20
FALLBACK_LOCALE = "en_US"

_KINDS = ("first_female", "first_male", "last", "last_female", "last_male")


@dataclass(frozen=True)
class Table:
    """Every table of one family (given or family names), concatenated.

    Entries of one table are contiguous and sorted by their ASCII form; ``lo``/``hi``
    bound each entry's interval of ``[0, U)`` inside its table.
    """

    ids: dict[tuple[str, str], int]  # (locale, kind) → table number
    table: Array  # table number of each entry
    lo: Array  # int64
    hi: Array  # int64
    ascii: pl.Series  # the entry's (cut) ASCII form
    gid: Array  # number of that ASCII form among all tables of the family
    run_lo: Array  # first entry sharing the entry's first letter (given names)
    run_hi: Array  # one past the last such entry
    letter: Array  # first letter, 0 = a
    initial: pl.Series  # first letter, as text
    length: Array  # letters of the ASCII form
    spellings: pl.Series  # every spelling, grouped by entry
    first_spelling: Array  # index of each entry's first (most common) spelling
    spelled: Array  # whether the entry has more than one spelling
    _find: SortedLookup  # over table + hi / U
    _spell: SortedLookup  # over entry + cumulative share of the spelling

    def find(self, table: Array, u: Array) -> Array:
        """The entry of ``table`` whose interval holds ``u`` (integers in ``[0, U)``)."""
        return self._find(table.astype(np.float64) + u / U)

    def spell(self, entry: Array, u: Array) -> pl.Series:
        """One spelling of each entry, drawn by weight with uniforms ``u``."""
        index = self.first_spelling[entry]
        several = np.flatnonzero(self.spelled[entry])
        if len(several):
            x = entry[several].astype(np.float64) + u[several] * (1 - 1e-9)
            index[several] = self._spell(x)
        return self.spellings.gather(index)


_FIRST = pl.col("kind").str.starts_with("first")
#: The names a table holds: a given name of one letter could not be told from an
#: initial in an address.
_KEPT = (pl.col("weight") > 0) & (
    pl.col("key").str.len_chars() >= pl.when(_FIRST).then(2).otherwise(1)
)


def address_order(names: pl.DataFrame) -> pl.DataFrame:
    """``names`` (``locale``, ``kind``, ``name``, ``ascii``, ``weight``) with each
    name's ``key`` — its ASCII form cut to the letters an address keeps — in the order
    the tables are laid out: by locale, kind and key, the most common spelling of a key
    first; and ``gid``, the number of the key among the keys of its family (given or
    family names) that the tables hold (-1 for a name they leave out). The data build
    writes ``names.parquet`` so, and loading it needs no sort."""
    cut = pl.when(_FIRST).then(FIRST_CHARS).otherwise(LAST_CHARS)
    ordered = names.with_columns(key=pl.col("ascii").str.slice(0, cut)).sort(
        "locale", "kind", "key", "weight", "name", descending=[False, False, False, True, False]
    )
    gid = pl.when(_KEPT).then(pl.col("key")).rank("dense").over(_FIRST) - 1
    return ordered.with_columns(gid=gid.cast(pl.Int64).fill_null(-1))


@cache
def _frame() -> pl.DataFrame:
    names = load("names", ("locale", "kind", "name", "key", "weight", "gid"))  # address_order
    # The data build leaves out the names no table holds; a filter copies every row.
    if int(names.get_column("gid").min() or 0) < 0:  # type: ignore[arg-type]
        names = names.filter(pl.col("gid") >= 0)
    return names


def _build(kinds: tuple[str, ...]) -> Table:
    # In address order already: tables numbered in (locale, kind) order, each table's
    # names sorted by key, most common spelling first, so a table's or an entry's
    # names are one run of rows.
    names = _frame().filter(pl.col("kind").is_in(kinds))
    marks = names.select(
        table=pl.struct("locale", "kind").rle_id(),
        new=pl.col("key") != pl.col("key").shift(fill_value=""),
    )
    by_name = marks.get_column("table").to_numpy().astype(np.int64)
    new = marks.get_column("new").to_numpy() | np.r_[True, by_name[1:] != by_name[:-1]]
    first_spelling = np.flatnonzero(new)
    tables = names.select("locale", "kind").gather(
        np.flatnonzero(np.r_[True, by_name[1:] != by_name[:-1]])
    )
    ids = {(loc, kind): i for i, (loc, kind) in enumerate(tables.iter_rows())}
    t = by_name[first_spelling]
    n = np.diff(np.r_[first_spelling, len(by_name)])
    w = names.get_column("weight").to_numpy()
    entry_w = np.add.reduceat(w, first_spelling)
    starts = np.flatnonzero(np.r_[True, t[1:] != t[:-1]])
    share = entry_w / np.add.reduceat(entry_w, starts)[t]
    hi = np.empty(len(t), dtype=np.int64)
    for a, b in zip(starts, np.r_[starts[1:], len(t)], strict=True):
        hi[a:b] = np.floor(np.cumsum(share[a:b]) * U).astype(np.int64)
        hi[b - 1] = U
    lo = np.r_[0, hi[:-1]]
    lo[starts] = 0
    keys = names.get_column("key").gather(first_spelling)
    gid = names.get_column("gid").gather(first_spelling).to_numpy().astype(np.int64)
    initial = keys.str.slice(0, 1)
    # Keys are ASCII: the first byte, as a letter number (a = 0).
    first_byte = initial.cast(pl.Binary).to_numpy().astype("S1").view(np.uint8)
    letter = first_byte.astype(np.int64) - ord("a")
    run = t * 32 + letter  # entries of one table are sorted, so runs are contiguous
    run_starts = np.flatnonzero(np.r_[True, run[1:] != run[:-1]])
    run_ends = np.r_[run_starts[1:], len(run)]
    run_of = np.repeat(np.arange(len(run_starts)), run_ends - run_starts)
    entry_of_name = np.repeat(np.arange(len(n)), n)
    cum = np.cumsum(w)
    entry_end = np.cumsum(n) - 1
    entry_total = cum[entry_end]
    entry_start_cum = entry_total - entry_w
    within = (cum - entry_start_cum[entry_of_name]) / (entry_total - entry_start_cum)[entry_of_name]
    within[entry_end] = 1.0
    return Table(
        ids=ids,
        table=t,
        lo=lo,
        hi=hi,
        ascii=keys,
        gid=gid,
        run_lo=run_starts[run_of],
        run_hi=run_ends[run_of],
        letter=letter,
        initial=initial,
        length=keys.str.len_chars().to_numpy().astype(np.int64),
        spellings=names.get_column("name"),
        first_spelling=first_spelling,
        spelled=n > 1,
        # Long tables pack many rare names into one bucket: 2**20 buckets (8 MB) keep
        # the steps past a bucket's first answer few.
        _find=SortedLookup(t.astype(np.float64) + hi / U, bits=20),
        _spell=SortedLookup(entry_of_name.astype(np.float64) + within, bits=18),
    )


@cache
def first_tables() -> Table:
    """Given names, one table per (locale, first_female | first_male)."""
    return _build(("first_female", "first_male"))


@cache
def last_tables() -> Table:
    """Family names, one table per (locale, last | last_female | last_male)."""
    return _build(("last", "last_female", "last_male"))


@cache
def locale_ids() -> dict[str, int]:
    """Name locales, numbered in sorted order."""
    return {loc: i for i, loc in enumerate(sorted(_frame().get_column("locale").unique()))}


@cache
def pairs() -> tuple[Array, Array]:
    """``(first, last)``: the table numbers of each ``[locale, sex]`` (sex 0 female, 1 male).

    A missing gendered family-name list falls back to the locale's plain one; a locale
    without a kind falls back to ``en_US``'s.
    """
    ids = locale_ids()
    first, last = first_tables().ids, last_tables().ids
    out_first = np.zeros((len(ids), 2), dtype=np.int64)
    out_last = np.zeros((len(ids), 2), dtype=np.int64)
    for loc, i in ids.items():
        for sex, (fk, lk) in enumerate(
            (("first_female", "last_female"), ("first_male", "last_male"))
        ):
            out_first[i, sex] = next(
                first[(b, fk)] for b in (loc, FALLBACK_LOCALE) if (b, fk) in first
            )
            out_last[i, sex] = next(
                last[(b, k)] for b in (loc, FALLBACK_LOCALE) for k in (lk, "last") if (b, k) in last
            )
    return out_first, out_last


@dataclass(frozen=True)
class Membership:
    """Which of the pairs in use hold each ASCII form, for telling them apart.

    Two rows of different pairs (a Spanish and a Mexican María García, or a woman and
    a man called Andrea Rossi) can share an address's letters; each pair's rows then
    take their own residue of the rank (:mod:`tempdata.samplers._handles`).
    """

    pair_keys: Array  # sorted first table * 2**32 + last table, one per pair in use
    pair_of: Array  # [first table, last table] → pair number, -1 for a pair not in use
    first_bits: Array  # per given-name ASCII form, a bit per pair holding it (uint64 words)
    last_bits: Array

    def index(self, first_table: Array, last_table: Array) -> Array:
        """Each row's pair number, -1 for a pair not in use."""
        out: Array = self.pair_of[first_table, last_table].astype(np.int64)
        return out

    @staticmethod
    def where(pair: Array) -> tuple[Array, Array]:
        """Each row's pair as (64-pair word, bits of the pairs before it in that word)."""
        word = pair >> 6
        below = (np.uint64(1) << (pair & 63).astype(np.uint64)) - np.uint64(1)
        return word, below

    @staticmethod
    def locate(words: Array, where: tuple[Array, Array]) -> tuple[Array, Array]:
        """``(count, index)``: how many pairs set a bit in ``words`` (per row, uint64
        words), and how many of them come before the row's pair (``where``)."""
        word, below = where
        if words.shape[1] == 1:
            column = words[:, 0]
            return (
                np.bitwise_count(column).astype(np.int64),
                np.bitwise_count(column & below).astype(np.int64),
            )
        count = np.zeros(len(words), dtype=np.int64)
        own = np.zeros(len(words), dtype=np.int64)
        for w in range(words.shape[1]):  # a few words: columns, not a reduction
            bits = np.bitwise_count(words[:, w]).astype(np.int64)
            count += bits
            own += bits * (word > w)
        mine = words.reshape(-1)[np.arange(len(words)) * words.shape[1] + word]
        own += np.bitwise_count(mine & below)
        return count, own


@cache
def membership(used: tuple[tuple[int, int], ...]) -> Membership:
    """The membership index of the ``(first table, last table)`` pairs in ``used``."""
    first, last = first_tables(), last_tables()
    words = (len(used) + 63) // 64
    first_bits = np.zeros((int(first.gid.max()) + 1, words), dtype=np.uint64)
    last_bits = np.zeros((int(last.gid.max()) + 1, words), dtype=np.uint64)
    first_start, last_start = _starts(first.table), _starts(last.table)
    for p, (ft, lt) in enumerate(used):
        w, b = divmod(p, 64)
        for bits, table, starts, t in (
            (first_bits, first, first_start, ft),
            (last_bits, last, last_start, lt),
        ):
            gids = table.gid[starts[t] : starts[t + 1]]
            bits[gids, w] |= np.uint64(1) << np.uint64(b)
    pair_of = np.full((len(first.ids), len(last.ids)), -1, dtype=np.int32)
    for p, (ft, lt) in enumerate(used):
        pair_of[ft, lt] = p
    return Membership(
        pair_keys=np.array([(a << 32) + b for a, b in used], dtype=np.int64),
        pair_of=pair_of,
        first_bits=first_bits,
        last_bits=last_bits,
    )


def _starts(table: Array) -> Array:
    """Where each table's entries start (entries are grouped by table)."""
    out: Array = np.searchsorted(table, np.arange(int(table.max()) + 2))
    return out
