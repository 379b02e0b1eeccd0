"""E-mail addresses and usernames that look like people's and are unique.

People write their address from their name: ``anna.mueller``, ``amueller``,
``anna_mueller``, ``a.mueller``; when that is taken, a middle initial
(``anna.k.mueller``) or digits (``anna.mueller482``, ``amueller1987``). Here the row's
name and the way its address is written come from the row's *position*, so that no
two rows of a dataset get the same address without any row looking at another chunk.

* **Positions.** Rows are cut into blocks of ``2**12``; inside a block each row of a
  name locale has its own *slot* among the ``n`` slots of that locale (all ``2**12``
  when the dataset has one locale; the run of positions :func:`places` gave the
  locale's cities otherwise, see :mod:`tempdata.samplers.positions`), shuffled by a
  keyed permutation, and a uniform jitter gives its place inside the slot:
  ``u = (slot * 2**31 + jitter) // n``, an integer in ``[0, 2**31)``. ``u`` picks the
  family name and, inside that name's interval, the given name
  (:mod:`tempdata.samplers._names`), so names follow their weights.
* **Ranks.** The rows of a locale that share a full name in one block are exactly
  those whose slots overlap the name's interval, so ``slot - first slot of the
  interval`` is a rank no other such row in the block has; ``block * slots + rank``
  extends it over blocks. The same holds for an initial and a family name (``amueller``).
  Rows of different name tables that share the letters (an Austrian and a German Anna
  Müller) take different residues of ``rank * S + s``, ``S`` being the number of
  tables in use holding the name and ``s`` this row's among them.
* **Forms.** A rank ``R`` names one way of writing the address: ``R mod W`` picks the
  domain and the pattern (plain patterns first, then middle initials), ``R div W``
  the digits (none for 0). Rows pick a family of patterns (full name or initial) and
  a class of domain (global providers or their country's, as often as a published
  provider report says the country's people do) by chance and move to
  another family or class when theirs would need digits, so digits appear only when
  a name is common in the data; some add their birth year as people do.

The rank is a keyed permutation of the row number in effect — never its digits, and
never growing with the row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from tempdata.samplers._base import Array
from tempdata.samplers.positions import mix

__all__ = [
    "PLAIN",
    "Forms",
    "Style",
    "digits",
    "form_length",
    "initial_needed",
    "is_initial",
    "mix",
    "unit",
]


def unit(h: Array) -> Array:
    """Hashes → uniforms in ``[0, 1)``."""
    out: Array = (h >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))
    return out


# -- digits ---------------------------------------------------------------------------

# Forced digits (a rank's quotient k >= 1) run through bands of numbers that no birth
# year and no two-digit number can be: 100-999, 1000-9999 without 1900-2029, then every
# longer number; inside a band a keyed affine shuffle per name hides the order, so the
# numbers do not grow with the row while a name has fewer than 900 namesakes.
_BAND_SIZES = np.array([900, 8870, *(9 * 10**m for m in range(4, 12))], dtype=np.int64)
_BAND_STARTS = np.r_[0, np.cumsum(_BAND_SIZES)[:-1]]
_BAND_BASE = np.array([100, 1000, *(10**m for m in range(4, 12))], dtype=np.int64)
_PRIMES = np.array([7, 11, 13, 17, 19, 23, 29, 31], dtype=np.int64)
YEARS = (1900, 2029)


def digits(k: Array, h: Array) -> Array:
    """The number written for quotient ``k >= 1``, a keyed bijection per hash ``h``."""
    x = k - 1
    band = np.searchsorted(_BAND_STARTS, x, side="right") - 1
    size = _BAND_SIZES[band]
    a = _PRIMES[(h % np.uint64(len(_PRIMES))).astype(np.int64)]
    c = ((h >> np.uint64(8)) % size.astype(np.uint64)).astype(np.int64)
    y = (a * (x - _BAND_STARTS[band]) + c) % size
    y = np.where((band == 1) & (y >= 900), y + 130, y)
    out: Array = _BAND_BASE[band] + y
    return out


# -- patterns ---------------------------------------------------------------------------

#: (given name whole or its initial, separator, middle initial) of each pattern.
PATTERNS = (
    ("first", ".", False),  # 0 anna.mueller
    ("first", "_", False),  # 1 anna_mueller
    ("initial", "", False),  # 2 amueller
    ("initial", ".", False),  # 3 a.mueller
    ("initial", "_", False),  # 4 a_mueller
    ("first", ".", True),  # 5 anna.k.mueller
    ("first", "_", True),  # 6 anna_k_mueller
    ("initial", ".", True),  # 7 a.k.mueller
    ("initial", "_", True),  # 8 a_k_mueller
)
# Letters are unambiguous: a given name has 2+ letters and an initial 1, every pattern
# but ``amueller`` has a separator, and a middle initial adds one separated letter.
_SEP = pl.Series(["." if p[1] == "." else "_" if p[1] == "_" else "" for p in PATTERNS])
_IS_INITIAL = np.array([p[0] == "initial" for p in PATTERNS])
_HAS_MIDDLE = np.array([p[2] for p in PATTERNS])


def is_initial(pattern: Array) -> Array:
    """Whether each pattern writes the given name's initial only."""
    out: Array = _IS_INITIAL[pattern]
    return out


@dataclass(frozen=True)
class Style:
    """How one kind of handle is written.

    ``full``/``initial``: the plain patterns of each family with their weights;
    ``middle_full``/``middle_initial``: the patterns with a middle initial, tried after
    the plain ones, with ``letters`` letters each before digits; ``p_full``: the share
    of rows that prefer the full given name; ``max_len``: the longest handle allowed.
    """

    full: tuple[tuple[int, float], ...]
    initial: tuple[tuple[int, float], ...]
    middle_full: tuple[int, ...]
    middle_initial: tuple[int, ...]
    letters: int
    p_full: float
    max_len: int = 64

    def family(self, initial: bool) -> tuple[tuple[tuple[int, float], ...], tuple[int, ...]]:
        return (self.initial, self.middle_initial) if initial else (self.full, self.middle_full)


@dataclass(frozen=True)
class Forms:
    """One row's chosen way of writing its handle, for each row."""

    pattern: Array
    letter: Array  # middle initial 0-25, -1 for none
    domain: Array  # index into the domain list, -1 without one
    number: Array  # digits to append, -1 for none


def choose(
    style: Style,
    *,
    rank: tuple[Array, Array],
    hashes: tuple[Array, Array],
    letter_cdf: Array,
    domains: tuple[Array, Array, Array, Array] | None,
    prefer_national: Array,
    prefer_initial: Array,
    lengths: tuple[Array, Array],
) -> Forms:
    """The pattern, middle initial, domain and digits of each row.

    ``rank``/``hashes``: per family (full, initial) each row's rank ``R`` and a hash of
    the letters it shares with others; ``letter_cdf``: cumulative weights of the 26
    letters as initials (for middle initials); ``domains``: per row, for each class
    (global, national) the first index into the domain list and the count, plus the
    cumulative weights of the list (``None`` for handles without a domain);
    ``lengths``: the letters of the given and family name.
    """
    n = len(rank[0])
    families = [f for f in (False, True) if style.family(f)[0]]
    classes = [False, True] if domains is not None else [False]
    if domains is None:
        starts = np.zeros((n, 1), dtype=np.int64)
        counts = np.ones((n, 1), dtype=np.int64)
    else:
        starts, counts, lists, pick = domains
    # One hash of the shared letters per family gives where the cycles of patterns,
    # middle initials and domains start.
    mixed = {f: mix(hashes[int(f)] ^ np.uint64(0xA1)) for f in families}
    national = (
        prefer_national & (counts[:, -1] > 0) if domains is not None else np.zeros(n, dtype=bool)
    )
    prefer_national = national.copy()
    initial = prefer_initial.copy() if len(families) > 1 else np.full(n, families[0])
    tier = _tier(style, national, initial, rank, counts, mixed, letter_cdf, lengths)
    # Rows whose preferred class and family give a plain form keep it. The others try,
    # in order, the other family, the other class, both other: the first plain form
    # wins, else the first with a middle initial, else the first with digits — as
    # people pick another provider or pattern before adding letters.
    rest = np.flatnonzero(tier > 0)
    if len(rest) and (len(classes) > 1 or len(families) > 1):
        # The first try (preferred class and family) is the tier just found; a flip of
        # the class (or family) when there is only one gives that same tier again at a
        # worse order, so it can never win and is not tried.
        best = tier[rest] * 4
        best_class, best_family = national[rest], initial[rest]
        sub = (rank[0][rest], rank[1][rest])
        sub_mixed = {f: m[rest] for f, m in mixed.items()}
        sub_lengths = (lengths[0][rest], lengths[1][rest])
        sub_counts = counts[rest]
        for order, (flip_class, flip_family) in enumerate(
            ((False, False), (False, True), (True, False), (True, True))
        ):
            if order == 0 or (flip_class and len(classes) == 1):
                continue
            if flip_family and len(families) == 1:
                continue
            c = prefer_national[rest] ^ flip_class
            f = prefer_initial[rest] ^ flip_family
            c = c if len(classes) > 1 else np.zeros(len(rest), dtype=bool)
            f = f if len(families) > 1 else np.full(len(rest), families[0])
            t = _tier(style, c, f, sub, sub_counts, sub_mixed, letter_cdf, sub_lengths)
            score = t * 4 + order
            better = score < best
            np.copyto(best, score, where=better)
            np.copyto(best_class, c, where=better)
            np.copyto(best_family, f, where=better)
        national[rest], initial[rest] = best_class, best_family
    r = np.where(initial, rank[1], rank[0])
    h = np.where(initial, hashes[1], hashes[0])
    count = np.maximum(np.where(national, counts[:, -1], counts[:, 0]), 1)
    size = np.where(initial, _size(style, True), _size(style, False))
    width = count * size
    # k = r // width and j = r mod width; most ranks lie in the first cycle (k = 0,
    # j = r), so only the others are divided.
    more = np.flatnonzero(r >= width)
    k = r[more] // width[more]
    j = r.copy()
    j[more] -= k * width[more]
    u = mixed[families[0]]
    if len(families) > 1:
        u = np.where(initial, mixed[True], mixed[False])
    # Without domains every count is 1: the form is j itself.
    form = j // count if domains is not None else j
    pattern, letter = _forms(style, initial, form, u, letter_cdf)
    if domains is None:
        domain = np.full(n, -1, dtype=np.int64)
    else:
        # Domains in a fixed cycle from a start drawn by weight: the first address of a
        # name goes to a popular provider, the next to the following one, and so on.
        start = np.where(national, starts[:, -1], starts[:, 0])
        which = np.where(national, lists[:, -1], lists[:, 0])
        first = pick[which, (u >> np.uint64(54)).astype(np.int64)]
        domain = start + (first + (j - form * count)) % count
    number = np.full(n, -1, dtype=np.int64)
    number[more] = digits(k, h[more])
    return Forms(pattern, letter, domain, number)


def initial_needed(
    style: Style,
    prefer_initial: Array,
    rank_full: Array,
    counts: Array | None,
    lengths: tuple[Array, Array],
) -> Array:
    """The rows whose rank in the initial family :func:`choose` may read, a superset:
    those preferring an initial, and those whose preferred full-name form is not
    plain — they try the initial family too (``counts`` as for ``choose``'s domains,
    ``None`` without domains).

    Such a form is not plain when the rank reaches ``safe * plain`` patterns, where
    ``safe`` is the row's count of domains in its class (at least 1, and at least the
    smaller of the two classes'), when the class has no domain (only the global class
    can be chosen empty), or when the form is too long; without digits a form is too
    long only if the two names and four characters are.
    """
    n = len(rank_full)
    has_full, has_initial = bool(style.full), bool(style.initial)
    if not has_initial:
        return np.zeros(n, dtype=bool)
    if not has_full:
        return np.ones(n, dtype=bool)
    if counts is None:
        safe: Array | int = 1
        empty = np.zeros(n, dtype=bool)
    else:
        safe = np.minimum(np.maximum(counts[:, 0], 1), np.maximum(counts[:, -1], 1))
        empty = counts[:, 0] <= 0
    need = prefer_initial | (rank_full >= safe * len(style.full)) | empty
    if style.max_len < 64:
        need |= lengths[0] + lengths[1] + 4 > style.max_len
    out: Array = need
    return out


def _tier(
    style: Style,
    national: Array,
    initial: Array,
    rank: tuple[Array, Array],
    counts: Array,
    mixed: dict[bool, Array],
    letter_cdf: Array,
    lengths: tuple[Array, Array],
) -> Array:
    """Per row, what its rank gives in the class and family asked for: 0 a plain
    form, 1 a middle initial, 2 digits, 9 impossible (no such domain, too long)."""
    count = np.where(national, counts[:, -1], counts[:, 0])
    safe = np.maximum(count, 1)
    size = np.where(initial, _size(style, True), _size(style, False))
    plain = np.where(initial, len(style.initial), len(style.full))
    r = np.where(initial, rank[1], rank[0])
    # As in choose, k = r // (safe * size) and form = (r mod (safe * size)) // safe.
    # k > 0 exactly when r >= safe * size (>= safe * plain); else form >= plain exactly
    # when r >= safe * plain: the tier is two comparisons, no division.
    width = safe * size
    past = r >= width
    tier = (r >= safe * plain).astype(np.int64)
    tier += past
    bad = count <= 0
    if style.max_len < 64:
        # Only rows whose longest possible form could be too long need their form.
        extra = np.zeros(len(r), dtype=np.int64)
        more = np.flatnonzero(past)
        extra[more] = _digit_count_of(r[more] // width[more])
        risky = np.flatnonzero(lengths[0] + lengths[1] + 4 + extra > style.max_len)
        if len(risky):
            u = next(iter(mixed.values()))[risky]
            if len(mixed) > 1:
                u = np.where(initial[risky], mixed[True][risky], mixed[False][risky])
            rr, wr = r[risky], width[risky]
            form = (rr - rr // wr * wr) // safe[risky]
            pattern, _ = _forms(style, initial[risky], form, u, letter_cdf)
            sub = (lengths[0][risky], lengths[1][risky])
            bad[risky] |= _length(pattern, sub) + extra[risky] > style.max_len
    tier[bad] = 9
    return tier


def form_length(forms: Forms, lengths: tuple[Array, Array]) -> Array:
    """Characters of each handle's local part, digits included."""
    out: Array = _length(forms.pattern, lengths)
    rows = np.flatnonzero(forms.number >= 0)  # few rows have digits
    out[rows] += np.floor(np.log10(np.maximum(forms.number[rows], 1))).astype(np.int64) + 1
    return out


def _size(style: Style, initial: bool) -> int:
    plain, middle = style.family(initial)
    return len(plain) + len(middle) * style.letters


def _bits(u: Array, shift: int) -> Array:
    """A uniform in ``[0, 1)`` from 21 bits of the hashes ``u`` starting at ``shift``."""
    out: Array = ((u >> np.uint64(shift)) & np.uint64(0x1FFFFF)).astype(np.float64) / (1 << 21)
    return out


def _forms(
    style: Style, initial: Array, form: Array, u: Array, letter_cdf: Array
) -> tuple[Array, Array]:
    """The pattern and middle initial (-1 for none) of form number ``form``: the plain
    patterns in turn from a start drawn by weight, then the middle-initial patterns
    with letters in turn from a start drawn by their weight as initials."""
    n = len(form)
    pattern = np.empty(n, dtype=np.int64)
    letter = np.full(n, -1, dtype=np.int64)
    x = _bits(u, 0)
    for fam in (False, True):
        plain, middle = style.family(fam)
        if not plain:
            continue
        mine = np.flatnonzero(initial == fam)
        if not len(mine):
            continue
        weights = np.array([w for _, w in plain], dtype=np.float64)
        ids = np.array([p for p, _ in plain], dtype=np.int64)
        cum = np.cumsum(weights)[:-1] / weights.sum()
        p0 = np.searchsorted(cum, x[mine], side="right")  # how many of cum are <= x
        f = form[mine]
        pattern[mine] = ids[(p0 + np.minimum(f, len(plain) - 1)) % len(plain)]
        later = np.flatnonzero(f >= len(plain))
        if middle and len(later):
            rows = mine[later]
            m = f[later] - len(plain)
            pattern[rows] = np.array(middle, dtype=np.int64)[m % len(middle)]
            first_letter = _letter_start(letter_cdf, _bits(u[rows], 21))
            letter[rows] = (first_letter + m // len(middle)) % 26
    return pattern, letter


def _letter_start(letter_cdf: Array, u: Array) -> Array:
    out: Array = np.minimum(np.searchsorted(letter_cdf, u, side="right"), 25)
    return out


def _length(pattern: Array, lengths: tuple[Array, Array]) -> Array:
    first, last = lengths
    head = np.where(_IS_INITIAL[pattern], 1, first)
    sep = np.array([len(p[1]) for p in PATTERNS])[pattern]
    out: Array = head + sep + np.where(_HAS_MIDDLE[pattern], 1 + sep, 0) + last
    return out


_BAND_DIGITS = np.array([3, 4, *range(5, 5 + len(_BAND_SIZES) - 2)], dtype=np.int64)


def _digit_count_of(k: Array) -> Array:
    """How many digits :func:`digits` writes for quotient ``k >= 1``."""
    band = np.searchsorted(_BAND_STARTS, np.maximum(k, 1) - 1, side="right") - 1
    out: Array = _BAND_DIGITS[band]
    return out


_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_SEP_KIND = np.array(["._".find(p[1]) + 1 if p[1] else 0 for p in PATTERNS])  # 0 none, 1 ".", 2 "_"
# What goes between the given name (or initial) and the family name: the separator,
# or separator, middle initial, separator — per separator kind and letter (0: none).
_JOINS = pl.Series(
    [sep + (letter + sep if letter else "") for sep in ("", ".", "_") for letter in ["", *_LETTERS]]
)
# Digits as text: codes 0-99 are two-digit numbers ("07", a year's last two digits),
# code 100 + i the number i written plainly, for i below 10,000.
_TEXT = pl.Series([f"{i:02d}" for i in range(100)] + [str(i) for i in range(10_000)])
PLAIN = 100


def render(
    forms: Forms,
    first: pl.Series,
    initials: pl.Series,
    last: pl.Series,
    extra: Array,
    domain_names: pl.Series | None,
    middle: Array | None = None,
) -> pl.Series:
    """The handles as text: ``forms`` applied to the rows' ASCII names (``initials``
    holds each given name's first letter); ``extra`` the code of digits a row adds by
    choice (a birth year: ``PLAIN + year``, or its last two digits), -1 for none;
    ``domain_names`` the domains, with their ``@``. Where ``middle`` is false (names
    without middle names: Chinese, Japanese, ...), a middle-initial form is written
    with a number after the given name instead (``xiuying2.wang``): a given name never
    holds a digit otherwise, so it stays apart from every other form."""
    head = initials.zip_with(pl.Series(_IS_INITIAL[forms.pattern]), first)
    letter = forms.letter
    if middle is not None:
        plain = (letter >= 0) & ~middle
        if plain.any():
            rows = np.flatnonzero(plain)
            numbered = pl.select(
                pl.concat_str(head.gather(rows), _TEXT.gather(PLAIN + letter[rows] + 1))
            ).to_series()
            head = head.scatter(rows, numbered)
            letter = np.where(plain, -1, letter)
    joins = _JOINS.gather(_SEP_KIND[forms.pattern] * 27 + letter + 1)
    code = np.where(forms.number >= 0, PLAIN + forms.number, extra)
    long = np.flatnonzero(code >= len(_TEXT))
    tail = _TEXT.gather(np.clip(code, 0, len(_TEXT) - 1))
    if len(long):
        tail = tail.scatter(long, pl.Series(forms.number[long]).cast(pl.String))
    parts = {"h": head, "j": joins, "l": last, "t": tail, "x": code >= 0}
    if domain_names is not None:
        parts["d"] = domain_names.gather(np.maximum(forms.domain, 0))
    frame = pl.DataFrame(parts)
    pieces = [pl.col("h"), pl.col("j"), pl.col("l"), pl.when(pl.col("x")).then(pl.col("t"))]
    if domain_names is not None:
        pieces.append(pl.col("d"))
    return frame.select(pl.concat_str(pieces, ignore_nulls=True).alias("handle")).to_series()
