"""People: sex, names that follow each country's name frequencies, unique e-mail
addresses and usernames that look like people's, and phone numbers.

A row's names come from the name locale of its country (``countries.parquet``
``locale``; or the ``locale`` parameter) in ``names.parquet``; its e-mail address and
username are written from those names as people write them (see
:mod:`tempdata.samplers._handles`): ``first.last``, ``flast``, ``first_last``,
``f.last``, then a middle initial, then digits, and some rows add their birth year.
Every address of a dataset is unique — derived from each row's position, never from
its row number's digits — up to 2**31 rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import polars as pl

from tempdata.core.plan import ChunkContext, GroupSampler, Params, SampleOutput
from tempdata.core.threads import chunk_threads, ordered_map
from tempdata.geo import phones
from tempdata.geo.countries import GLOBAL, resolve_country
from tempdata.geo.phones import PHONE_DRAWS, phone_numbers
from tempdata.geo.reference import load
from tempdata.samplers import _handles as hd
from tempdata.samplers import _names as nm
from tempdata.samplers._base import Array, CallRepr
from tempdata.samplers._names import FIRST_CHARS, LAST_CHARS, address_order
from tempdata.samplers.positions import (
    BLOCK,
    JITTER_BITS,
    JITTERS,
    block_slots,
    earlier,
    jitter,
    mix,
    read_positions,
    reversed_bits,
    slot_key,
)

__all__ = [
    "FIRST_CHARS",
    "GENDERS",
    "LAST_CHARS",
    "NameDraw",
    "address_order",
    "country_rows",
    "draw_names",
    "locale_number",
    "locale_of_countries",
    "people",
]

GENDERS = ("female", "male", "nonbinary")
_GENDER_P = np.array([0.49, 0.49, 0.02])

# How each handle is written: plain patterns per family with their weights, the
# patterns with a middle initial, how many middle initials a name may use before
# digits, the share preferring the whole given name, the longest handle.
PERSONAL = hd.Style(
    full=((0, 0.77), (1, 0.23)),
    initial=((2, 0.7), (3, 0.3)),
    middle_full=(5,),
    middle_initial=(7,),
    letters=6,
    p_full=0.65,
)
USERNAME = hd.Style(
    full=((1, 0.5), (0, 0.5)),
    initial=((2, 0.6), (4, 0.2), (3, 0.2)),
    middle_full=(6, 5),
    middle_initial=(8, 7),
    letters=2,
    p_full=0.6,
    max_len=30,
)
WORK = hd.Style(
    full=((0, 1.0),), initial=(), middle_full=(5,), middle_initial=(), letters=26, p_full=1.0
)
# A place x in a sex's run of ``size * 2**(JITTER_BITS - 1)`` places maps to a name
# position u in [0, 2**31) as u = x * 2**_SCALE // size.
_SCALE = nm.U_BITS + 1 - JITTER_BITS
#: Share of a country's personal addresses at its national providers where no provider
#: report gives one (``email_national_shares.parquet`` lists those that do).
NATIONAL_SHARE_UNKNOWN = 0.5
#: Share of addresses whose owner adds digits (a birth year) though the name is free.
VOLUNTARY_DIGITS = 0.10
# The longest local part hd.form_length can give: the given and family name cut to
# their letters, separator, middle initial and separator, and digits (hd.digits
# writes numbers below 10**12).
_LONGEST_FORM = nm.FIRST_CHARS + nm.LAST_CHARS + 3 + 12


@cache
def _countries() -> pl.DataFrame:
    return load("countries").with_row_index("cid")


def country_rows(names: pl.Series) -> Array:
    """Rows of ``countries.parquet`` for country names (unknown names: the United States)."""
    countries = _countries()
    lookup = dict(zip(countries.get_column("name"), countries.get_column("cid"), strict=True))
    fallback = lookup.get("United States", 0)
    if isinstance(names.dtype, pl.Enum):  # places' column: map the categories, not rows
        categories = names.dtype.categories.to_list()
        table: Array = np.array([lookup.get(c, fallback) for c in categories] + [fallback])
        codes: Array = table[names.to_physical().fill_null(len(table) - 1).to_numpy()]
        return codes
    out: Array = (
        names.cast(pl.String)
        .replace_strict(lookup, default=fallback, return_dtype=pl.Int64)
        .to_numpy()
    )
    return out


def locale_number(locale: str) -> int:
    """The number of a name locale (as :func:`locale_of_countries` gives them)."""
    return nm.locale_ids()[locale]


@cache
def locale_of_countries() -> Array:
    """Per row of ``countries.parquet``, the number of its name locale."""
    ids = nm.locale_ids()
    return (
        _countries()
        .get_column("locale")
        .replace_strict(ids, default=ids.get(nm.FALLBACK_LOCALE, 0), return_dtype=pl.Int64)
        .to_numpy()
    )


@dataclass(frozen=True)
class NameDraw:
    """Names drawn for rows: the entries picked and their spellings."""

    first_entry: Array
    last_entry: Array
    first_name: pl.Series
    last_name: pl.Series


@dataclass(frozen=True)
class _Way:
    """How one field's handles are written in a chunk: the style, the rows' domain
    lists (``None`` without domains) and each row's draws."""

    style: hd.Style
    domains: tuple[Array, Array, Array, Array] | None
    prefer_national: Array
    prefer_initial: Array
    u_vol: Array
    u_kind: Array


@dataclass(frozen=True)
class _Letters:
    """What handles are written from, gathered once per chunk for e-mail and username
    alike: the ASCII names, the given name's initial, the names' lengths, and the
    shared letters' hashes before the field's salt (full name, initial + family)."""

    first: pl.Series
    last: pl.Series
    initials: pl.Series
    lengths: tuple[Array, Array]
    gid_first: Array
    gid_last: Array
    full: Array  # uint64
    initial: Array  # uint64

    @staticmethod
    def of(names: NameDraw) -> _Letters:
        first, last = nm.first_tables(), nm.last_tables()
        f, e = names.first_entry, names.last_entry
        gid_f, gid_l = first.gid[f], last.gid[e]
        family = gid_l.astype(np.uint64)
        full = gid_f.astype(np.uint64)
        full <<= np.uint64(32)
        full ^= family
        initial = first.letter[f].astype(np.uint64)
        initial <<= np.uint64(40)
        initial ^= family
        return _Letters(
            first=first.ascii.gather(f),
            last=last.ascii.gather(e),
            initials=first.initial.gather(f),
            lengths=(first.length[f], last.length[e]),
            gid_first=gid_f,
            gid_last=gid_l,
            full=full,
            initial=initial,
        )


def draw_names(
    locale: Array, sex: Array, u: Array, u_first: Array, u_last: Array
) -> tuple[NameDraw, tuple[Array, Array, tuple[Array, Array], tuple[Array, Array]]]:
    """Names of each row's locale and sex (0 female, 1 male) at positions ``u``.

    ``u`` are integers in ``[0, 2**31)`` (uniform positions; see
    :mod:`tempdata.samplers._names`), ``u_first``/``u_last`` uniforms that pick the
    spelling of names sharing an ASCII form. Also returns, for ranking, each row's
    first/last table and its full-name and initial intervals' lower/upper bounds.
    """
    first_t, last_t = nm.pairs()
    ft, lt = first_t[locale, sex], last_t[locale, sex]
    first, last = nm.first_tables(), nm.last_tables()
    e = last.find(lt, u)
    lo = last.lo[e]
    width = last.hi[e] - lo
    t = u - lo
    f = first.find(ft, (t.astype(np.float64) / width) * nm.U)

    def bound(x: Array) -> Array:
        out: Array = (width * x) >> nm.U_BITS
        return out

    # The float search can miss by one entry at an edge: settle it in integers. The
    # bounds of the settled entries are the full name's interval.
    for _ in range(4):
        below, above = bound(first.lo[f]), bound(first.hi[f])
        ahead = t >= above
        behind = t < below
        if not (ahead.any() or behind.any()):
            break
        f = f + ahead - behind
    else:
        below, above = bound(first.lo[f]), bound(first.hi[f])
    full = (lo + below, lo + above)
    initial = (lo + bound(first.lo[first.run_lo[f]]), lo + bound(first.hi[first.run_hi[f] - 1]))
    names = NameDraw(f, e, first.spell(f, u_first), last.spell(e, u_last))
    return names, (ft, lt, full, initial)


def _rank(
    place: tuple[Array, Array, Array, Array], interval: tuple[Array, Array], key: int
) -> Array:
    """Rank of each row among the rows whose place falls in its interval: the number of
    places before its own (in block, then slot order) that fall there — whichever rows
    hold them — so no two rows of one interval share a rank (see _handles)."""
    slot, size, block, offset = place
    # Places x = slot * 2**J + jitter; a row of the sex run starting at ``offset``
    # has u = (x - offset) * 2**(32 - J) // size, so u in [a, b) <=> x in [lo, hi).
    lo = offset + ((interval[0] * size + (1 << _SCALE) - 1) >> _SCALE)
    hi = offset + ((interval[1] * size + (1 << _SCALE) - 1) >> _SCALE)
    s_lo, f_lo = lo >> JITTER_BITS, (lo & (JITTERS - 1)).astype(np.int32)
    s_hi, f_hi = hi >> JITTER_BITS, (hi & (JITTERS - 1)).astype(np.int32)
    single = s_lo == s_hi
    inner = np.maximum(s_hi - s_lo - 1, 0)
    k_lo, k_hi = slot_key(s_lo, key), slot_key(s_hi, key)
    # Earlier blocks: every inner slot, and the part of each edge slot in the interval
    # (one slot holding the whole interval: its part between the two ends).
    top = np.where(single, f_hi, np.int32(JITTERS))
    rank = block * inner + earlier(
        block, [(k_lo, top, 1), (k_lo, f_lo, -1), (k_hi, np.where(single, 0, f_hi), 1)]
    )
    # This block: the places before the row's own.
    first_in = (reversed_bits(block) ^ k_lo) >= f_lo
    within = np.where(slot == s_lo, 0, first_in + np.where(slot == s_hi, inner, slot - s_lo - 1))
    out: Array = rank + np.where(single, 0, within)
    return out


@dataclass(frozen=True)
class _DomainTable:
    """E-mail domains: every name (with its ``@``), and per country, for the global
    providers (column 0) and its national ones (column 1), the first index and count
    into the names and the list's number in ``pick``: per list, 1,024 quantiles of its
    weights (the index within the list a uniform falls on); per country, the share of
    personal addresses at its national providers (published figures where there are
    some: 3.5 % in the US, 77 % in Germany; else :data:`NATIONAL_SHARE_UNKNOWN`)."""

    names: pl.Series
    starts: Array
    counts: Array
    lists: Array
    pick: Array
    packed: Array  # starts, counts, lists side by side: one gather per chunk
    national: Array  # per country, the share of addresses at its national providers

    def rows(self, cid: Array) -> tuple[Array, Array, Array]:
        """``starts``, ``counts`` and ``lists`` of each row's country."""
        packed = self.packed[cid]
        return packed[:, 0:2], packed[:, 2:4], packed[:, 4:6]


@cache
def _domains() -> _DomainTable:
    domains = load("email_domains")
    countries = _countries()
    glob = domains.filter(pl.col("country_code") == "")
    national = domains.filter(pl.col("country_code") != "").sort(
        "country_code", maintain_order=True
    )
    # One chunk: a gather from a Series of two chunks takes several times as long.
    names = ("@" + pl.concat([glob.get_column("domain"), national.get_column("domain")])).rechunk()
    starts = np.zeros((countries.height, 2), dtype=np.int64)
    counts = np.zeros((countries.height, 2), dtype=np.int64)
    lists = np.zeros((countries.height, 2), dtype=np.int64)
    counts[:, 0] = glob.height
    grid = (np.arange(1024) + 0.5) / 1024
    picks = [_quantiles(glob.get_column("weight").to_numpy(), grid)]
    first = glob.height
    for (code,), part in national.group_by("country_code", maintain_order=True):
        rows = countries.filter(pl.col("iso2") == code).get_column("cid")
        if len(rows):
            cid = int(rows[0])
            starts[cid, 1], counts[cid, 1], lists[cid, 1] = first, part.height, len(picks)
        picks.append(_quantiles(part.get_column("weight").to_numpy(), grid))
        first += part.height
    packed = np.concatenate([starts, counts, lists], axis=1)
    # The published share where a provider report gives one, else an even split.
    national_share = np.full(countries.height, NATIONAL_SHARE_UNKNOWN)
    shares = load("email_national_shares").join(
        countries.select(pl.col("iso2").alias("country_code"), "cid"), on="country_code"
    )
    national_share[shares.get_column("cid").to_numpy()] = shares.get_column(
        "national_share"
    ).to_numpy()
    return _DomainTable(names, starts, counts, lists, np.stack(picks), packed, national_share)


def _quantiles(weights: Array, grid: Array) -> Array:
    cum = np.cumsum(weights) / weights.sum()
    out: Array = np.minimum(np.searchsorted(cum, grid, side="right"), len(weights) - 1)
    return out


@cache
def _locale_runs(country: str) -> tuple[Array, Array]:
    """Per name locale, the first slot and the number of slots places() gives it."""
    from tempdata.samplers.geo import locale_slots

    ids = nm.locale_ids()
    start = np.zeros(len(ids), dtype=np.int64)
    size = np.full(len(ids), BLOCK, dtype=np.int64)
    for name, (first, count) in locale_slots(country).items():
        if name in ids:
            start[ids[name]], size[ids[name]] = first, count
    return start, size


#: Name locales whose naming has no middle names to abbreviate (Chinese, Japanese,
#: Korean, Vietnamese, Thai, Burmese names: family and given names only, or a middle
#: name that is part of the given name): their addresses number namesakes instead of
#: giving them a middle initial.
_NO_MIDDLE_NAMES = ("zh_", "ja_", "ko_", "vi_", "th_", "my_")


@cache
def _middle_initials() -> Array:
    """Per name locale, whether addresses may carry a middle initial."""
    ids = nm.locale_ids()
    out = np.ones(len(ids), dtype=bool)
    for name, i in ids.items():
        out[i] = not name.startswith(_NO_MIDDLE_NAMES)
    return out


#: What :func:`_prepare` has built: the name tables, and whether the phone plans too.
_prepared: set[str] = set()


def _prepare(phone: bool) -> None:
    """On the first call, build the given- and family-name tables (and the phone plans)
    at once on threads: each is its own, and NumPy and Polars release the GIL."""
    want = "phones" if phone else "names"
    if want in _prepared or "phones" in _prepared:  # the phones step built the names too
        return
    nm.locale_ids()  # the names frame both tables read, loaded once
    jobs: list[Callable[[], object]] = [nm.first_tables, nm.last_tables]
    if phone:
        jobs.append(phones.prepare)
    for _ in ordered_map(lambda job: job(), jobs, min(chunk_threads(), len(jobs))):
        pass
    _prepared.add(want)


@cache
def _all_pairs() -> tuple[tuple[int, int], ...]:
    first_t, last_t = nm.pairs()
    return tuple(
        sorted({(int(a), int(b)) for a, b in zip(first_t.ravel(), last_t.ravel(), strict=True)})
    )


@cache
def _letter_cdf() -> Array:
    """Cumulative shares of the 26 letters as initials of given names, every table
    weighing the same. One distribution for every row: two rows that share an
    address's letters must order middle initials alike."""
    first = nm.first_tables()
    shares = np.zeros((len(first.ids), 26))
    weight = (first.hi - first.lo).astype(np.float64)
    np.add.at(shares, (first.table, np.clip(first.letter, 0, 25)), weight)
    pooled = shares.sum(axis=0) + 1e-9
    out: Array = np.cumsum(pooled / pooled.sum())
    return out


@dataclass(frozen=True, repr=False)
class _People(CallRepr, GroupSampler):
    """Sex, names of the row's country's locale, unique e-mail and username, phone."""

    _factory = "people"
    country_column: str | None = None
    locale: str | None = None
    city_column: str | None = None
    birth_column: str | None = None
    email_domain: str | None = None
    position_column: str | None = None

    @property
    def given(self) -> tuple[str, ...]:  # type: ignore[override]
        columns = (self.country_column, self.city_column, self.birth_column, self.position_column)
        return tuple(c for c in columns if c)

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        return {
            "gender": pl.Enum(list(GENDERS)),
            "first_name": pl.String(),
            "last_name": pl.String(),
            "email": pl.String(),
            "username": pl.String(),
            "phone": pl.String(),
        }

    def _country_ids(self, ctx: ChunkContext) -> Array:
        countries = _countries()
        if self.country_column:
            return country_rows(ctx.frame.get_column(self.country_column))
        code = self._home(ctx.params)
        row = countries.filter(pl.col("iso2") == code).get_column("cid")
        return np.full(ctx.n, int(row[0]) if len(row) else 0, dtype=np.int64)

    @staticmethod
    def _home(params: Params) -> str:
        code = resolve_country(params.country)
        return "US" if code == GLOBAL else code

    def _locale(self, params: Params) -> str | None:
        return self.locale or params.locale

    def _used_pairs(self, params: Params) -> tuple[tuple[int, int], ...]:
        """The (given, family) table pairs rows of this dataset can use."""
        first_t, last_t = nm.pairs()
        ids = nm.locale_ids()
        chosen = self._locale(params)
        if chosen:
            locales = [ids[chosen]]
        elif resolve_country(params.country) != GLOBAL or not self.country_column:
            countries = _countries()
            cid = countries.filter(pl.col("iso2") == self._home(params)).get_column("cid")
            locales = [int(locale_of_countries()[int(cid[0])])] if len(cid) else [0]
        else:
            return _all_pairs()
        pairs = {(int(first_t[loc, s]), int(last_t[loc, s])) for loc in locales for s in (0, 1)}
        return tuple(sorted(pairs))

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        n = ctx.n
        _prepare("phone" in fields)
        # Every draw is made for every row, in a fixed order, so a row's values depend
        # only on its own draws and its country — not on which fields are asked for.
        draws = rng.random((n, 11 + PHONE_DRAWS))
        u_sex, _, u_spell_f, u_spell_l = draws[:, :4].T
        u_phone = draws[:, 11:]
        cid = self._country_ids(ctx)
        chosen = self._locale(ctx.params)
        if chosen:
            locale = np.full(n, locale_number(chosen), dtype=np.int64)
        else:
            locale = locale_of_countries()[cid]
        key = ctx.seeder.context_seed(f"{ctx.dataset}.{ctx.column}#handles")
        slot, size, block, astray = self._places(ctx, key, locale, chosen is not None)
        # The row's place among its locale's places of the block: the first half are
        # women's names, the second men's, so each sex's rows are counted apart.
        x = (slot << JITTER_BITS) + jitter(block, slot, key)
        half = size << (JITTER_BITS - 1)
        sex = (x >= half).astype(np.int64)
        offset = sex * half
        # An integer in [0, 2**31); most chunks have one run size (one locale, or none
        # from places()), and a division by one number is much cheaper.
        run = int(size[0]) if n else 1
        u = ((x - offset) << _SCALE) // (run if (size == run).all() else size)
        nonbinary = u_sex < _GENDER_P[2]
        sex_of = np.where(nonbinary, 2, sex)
        names, (ft, lt, full, initial) = draw_names(locale, sex, u, u_spell_f, u_spell_l)
        out: dict[str, SampleOutput] = {
            "gender": pl.Series(list(GENDERS), dtype=pl.Enum(list(GENDERS))).gather(sex_of),
            "first_name": names.first_name,
            "last_name": names.last_name,
        }
        if "phone" in fields:
            city = (
                ctx.frame.get_column(self.city_column).fill_null(-1).cast(pl.Int64).to_numpy()
                if self.city_column
                else np.full(n, -1, dtype=np.int64)
            )
            out["phone"] = phone_numbers(cid, city, u_phone)
        wanted = [f for f in ("email", "username") if f in fields]
        if wanted:
            place = (slot, size, block, offset)
            letters = _Letters.of(names)
            ways = {f: self._way(f, draws, cid) for f in wanted}
            ranks = self._ranks(ctx, key, letters, ft, lt, place, astray, full, initial, ways)
            for f in wanted:
                out[f] = self._handles(f, ctx, ways[f], letters, ranks, key, locale)
        return {f: out[f] for f in fields}

    def _places(
        self, ctx: ChunkContext, key: int, locale: Array, fixed_locale: bool
    ) -> tuple[Array, Array, Array, Array]:
        """Each row's slot among its locale's slots in its block, the number of those
        slots, the block, and whether the row fell outside its locale's run."""
        rows = ctx.row_index()
        n = len(rows)
        if not self.position_column or fixed_locale:
            slot, block = block_slots(rows, key)
            return slot, np.full(n, BLOCK, dtype=np.int64), block, np.zeros(n, dtype=bool)
        # Rows placed by places(): the rows of one locale hold one run of positions of
        # each block; their order there follows the cities, so shuffle it again.
        own, block = block_slots(rows, key)
        start, size = _locale_runs(resolve_country(ctx.params.country))
        first, size = start[locale], size[locale]
        position, placed = read_positions(ctx, self.position_column)
        offset = (position - first) & (BLOCK - 1)  # % BLOCK, a power of two
        # A row outside its locale's run (a country column not from these places), or
        # whose position places() did not write, takes its slot from this sampler's own
        # shuffle and its address digits of its own.
        astray = ~placed | (offset >= size)
        first_block = int(block.min()) if len(block) else 0
        by_block = mix(np.uint64(key) ^ mix(np.arange(first_block, int(block.max(initial=0)) + 1)))
        by_locale = mix(np.arange(len(start)) + (1 << 40))
        keys = by_block[block - first_block] ^ by_locale[locale]
        # An affine shuffle of the run (4,099 is a prime above any run's size, so it
        # is a bijection): the run's order follows the cities, a name's must not.
        shift = (keys % size.astype(np.uint64)).astype(np.int64)
        slot = (np.where(astray, 0, offset) * 4099 + shift) % size
        slot = np.where(astray, own, slot)
        return slot, np.where(astray, BLOCK, size), block, astray

    def _ranks(
        self,
        ctx: ChunkContext,
        key: int,
        letters: _Letters,
        ft: Array,
        lt: Array,
        place: tuple[Array, Array, Array, Array],
        astray: Array,
        full: tuple[Array, Array],
        initial: tuple[Array, Array],
        ways: Mapping[str, _Way],
    ) -> tuple[Array, Array, Array, tuple[Array, Array]]:
        """Per family (full name, initial) each row's rank, whether the row's tables
        lie outside those the dataset was expected to use, and the ranks among every
        table (for those rows). The initial family's rank is worked out only for the
        rows whose handles may be written from an initial (see hd.initial_needed);
        the others' is never read."""
        gid_f, gid_l = letters.gid_first, letters.gid_last

        def locate(used: tuple[tuple[int, int], ...]) -> tuple[Array, Array, Array, Array, Array]:
            member = nm.membership(used)
            pair = member.index(ft, lt)
            known = np.maximum(pair, 0)
            # The pairs that hold both names (the full name) or the family name (an
            # initial and the family name) can write the same letters.
            # np.take along rows: far faster than fancy indexing of a 2-D array
            first_words = np.take(member.first_bits, gid_f, axis=0)
            last_words = np.take(member.last_bits, gid_l, axis=0)
            where = member.where(known)
            count_f, own_f = member.locate(first_words & last_words, where)
            count_l, own_l = member.locate(last_words, where)
            return count_f, own_f, count_l, own_l, (pair < 0) | astray

        rank_full_own = _rank(place, full, key)
        count_f, own_f, count_l, own_l, stray = locate(self._used_pairs(ctx.params))
        rank_full = rank_full_own * np.maximum(count_f, 1) + own_f
        need = np.zeros(len(rank_full), dtype=bool)
        for way in ways.values():
            counts = way.domains[1] if way.domains is not None else None
            need |= hd.initial_needed(
                way.style, way.prefer_initial, rank_full, counts, letters.lengths
            )
        rank_initial_own = np.zeros_like(rank_full_own)
        rows = np.flatnonzero(need)
        if len(rows):
            slot, size, block, offset = place
            sub = (slot[rows], size[rows], block[rows], offset[rows])
            interval = (initial[0][rows], initial[1][rows])
            rank_initial_own[rows] = _rank(sub, interval, key)
        rank_initial = rank_initial_own * np.maximum(count_l, 1) + own_l
        if stray.any():
            count_f, own_f, count_l, own_l, _ = locate(_all_pairs())
            full_all = rank_full_own * np.maximum(count_f, 1) + own_f
            initial_all = rank_initial_own * np.maximum(count_l, 1) + own_l
        else:
            full_all, initial_all = rank_full, rank_initial
        return rank_full, rank_initial, stray, (full_all, initial_all)

    def _way(self, field: str, draws: Array, cid: Array) -> _Way:
        """The style, domains and draws of ``field``'s handles."""
        if field == "email" and self.email_domain:
            style, domains = WORK, None
        elif field == "email":
            style = PERSONAL
            table = _domains()
            domains = (*table.rows(cid), table.pick)
        else:
            style, domains = USERNAME, None
        if field == "email":
            u_class, u_family, u_vol, u_kind = draws[:, 4:8].T
            prefer_national = u_class < _domains().national[cid]
        else:
            u_family, u_vol, u_kind = draws[:, 8:11].T
            prefer_national = np.zeros(len(draws), dtype=bool)  # u_class = 1
        return _Way(style, domains, prefer_national, u_family >= style.p_full, u_vol, u_kind)

    def _handles(
        self,
        field: str,
        ctx: ChunkContext,
        way: _Way,
        letters: _Letters,
        ranks: tuple[Array, Array, Array, tuple[Array, Array]],
        key: int,
        locale: Array,
    ) -> pl.Series:
        n = ctx.n
        rank_full, rank_initial, stray, ranks_all = ranks
        salt = np.uint64(key) ^ np.uint64(0x5EED if field == "email" else 0x0512)
        h_full = mix(letters.full ^ salt)
        h_initial = mix(letters.initial ^ (salt ^ np.uint64(0xAB)))
        style = way.style
        lengths = letters.lengths
        forms = hd.choose(
            style,
            rank=(rank_full, rank_initial),
            hashes=(h_full, h_initial),
            letter_cdf=_letter_cdf(),
            domains=way.domains,
            prefer_national=way.prefer_national,
            prefer_initial=way.prefer_initial,
            lengths=lengths,
        )
        # Digits by choice only where they fit (and never at work): a style that holds
        # the longest form with four digits to spare need not measure them.
        adds = way.u_vol if style is not WORK else np.ones(n)
        if style.max_len - _LONGEST_FORM < 4:
            room = style.max_len - hd.form_length(forms, lengths) >= 4
            adds = np.where(room, adds, 1.0)
        extra = self._voluntary(ctx, forms, adds, way.u_kind)
        if stray.any():
            # Rows whose tables the dataset's country does not use (a custom column of
            # other countries): digits of their own, led by "00", which no other row
            # has, from their rank among every table holding their letters.
            rows = np.flatnonzero(stray)
            initial = hd.is_initial(forms.pattern[rows])
            own = np.where(initial, ranks_all[1][rows], ranks_all[0][rows])
            forms.number[rows] = -1
            extra[rows] = -1
            text = pl.select(pl.concat_str(pl.lit("00"), pl.Series(own + 1).cast(pl.String)))
            stray_text = text.to_series()
        else:
            rows, stray_text = np.zeros(0, dtype=np.int64), None
        domain_names = None
        if field == "email" and self.email_domain:
            domain_names = pl.Series(["@" + self.email_domain])
            forms = hd.Forms(forms.pattern, forms.letter, np.zeros(n, dtype=np.int64), forms.number)
        elif field == "email":
            domain_names = _domains().names
        middle = _middle_initials()[locale]
        handle = hd.render(
            forms, letters.first, letters.initials, letters.last, extra, domain_names, middle
        )
        if stray_text is not None:
            # Insert the stray rows' digits before the domain.
            local = handle.gather(rows).str.split_exact("@", 1).struct.rename_fields(["l", "d"])
            fixed = pl.DataFrame({"p": local, "n": stray_text}).select(
                pl.concat_str(
                    pl.col("p").struct.field("l"),
                    pl.col("n"),
                    pl.when(pl.col("p").struct.field("d").is_not_null()).then(
                        pl.lit("@") + pl.col("p").struct.field("d")
                    ),
                    ignore_nulls=True,
                )
            )
            handle = handle.scatter(rows, fixed.to_series())
        return handle.alias(field)

    def _voluntary(self, ctx: ChunkContext, forms: hd.Forms, u_vol: Array, u_kind: Array) -> Array:
        """Digits some owners add although their name is free: a birth year (whole or its
        last two digits) where the dataset has one, else a two-digit number. The code of
        the digits per row (see ``_handles.render``), -1 for none."""
        code = np.full(ctx.n, -1, dtype=np.int64)
        adds = np.flatnonzero((forms.number < 0) & (u_vol < VOLUNTARY_DIGITS))
        if self.birth_column:
            birth = ctx.frame.get_column(self.birth_column).gather(adds).dt.year().fill_null(1990)
            year = np.clip(birth.to_numpy().astype(np.int64), *hd.YEARS)
            code[adds] = np.where(u_kind[adds] < 0.6, hd.PLAIN + year, year % 100)
        else:
            code[adds] = np.floor(u_kind[adds] * 100).astype(np.int64)
        return code


def people(
    *,
    country_column: str | None = None,
    locale: str | None = None,
    city_column: str | None = None,
    birth_column: str | None = None,
    email_domain: str | None = None,
    position_column: str | None = None,
) -> GroupSampler:
    """People: ``gender``, ``first_name``, ``last_name``, ``email``, ``username``, ``phone``.

    Names come from the locale of each row's country (``country_column`` names a
    column of country names, e.g. from :func:`places`; otherwise the dataset's
    ``country``); ``locale`` here, or the dataset's ``locale`` parameter, overrides it
    for every row. E-mail addresses and usernames are written from the ASCII form of
    the names as people write them (``anna.mueller``, ``amueller``, ``anna_mueller``,
    ``a.mueller``; a middle initial or digits when the name is common in the data;
    some add their birth year, from ``birth_column``, a date column) and are unique in
    the dataset. ``email_domain`` makes ``email`` a work address at that domain
    (``first.last``, then middle initials, then digits). Phones are valid numbers of
    the row's country in international format (``+49 30 12345678``), mobile or
    landline (see :func:`tempdata.geo.phones.phone_numbers`); ``city_column`` names a
    column of city row ids (``places``' ``city_id``) whose area codes landlines use.
    ``position_column`` names ``places``' ``position`` field: with it, the rows of each
    name locale are ranked among themselves, so common names need digits only as
    often as their count among that locale's rows calls for (without it, a dataset of
    many countries gives more addresses a middle initial or digits).
    """
    return _People(country_column, locale, city_column, birth_column, email_domain, position_column)
