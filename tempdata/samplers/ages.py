"""Birth dates whose ages follow each country's population pyramid.

The pyramids are ``reference_data/population_ages.parquet``: UN World Population
Prospects 2024, population of 2025 by sex and single year of age (0–99, and 100 for
"100 or older"), one per country. A row's age at the dataset's reference date (or at
the end of its date range, if later) is drawn from its country's pyramid restricted
to ``[min_age, max_age]`` — its own country when a country column is given (so a
``global`` dataset mixes the pyramids of its rows' countries), else the dataset's.
The birth date is uniform within that year of age.

Two refinements keep the pyramid's shape while rows obey rules of their own:

* **sex** (``sex_column``): women and men get pyramids that differ as the country's
  female share differs by age (women outlive men), scaled so that a dataset with as
  many women as men still follows the pyramid of both sexes.
* **an event and groups** (``adult_at``, ``by``/``groups``): a row must have been
  ``min_age`` (or its group's ``min_age``) on the date in ``adult_at`` — a customer
  at sign-up, an employee at hire — and a group may prefer older or younger ages
  (senior staff). Clamping the few rows that break the rule would pile them up at the
  youngest allowed age and leave a gap below; instead the sampler draws each row from
  its country's pyramid reweighted so that, over the dataset, the ages still follow
  the pyramid. The weights solve a matrix-scaling problem (Sinkhorn's iterative
  proportional fitting) between the pyramid and the rows' kinds — their group and
  how long ago their event was, from the event column's own distribution (its
  seasonality ``Profile`` over the date range) — and each row is then drawn from its
  kind's weights, truncated at its own earliest allowed age. The weights also favour
  recent events for those just past the minimum age (a 20-year-old customer most
  likely signed up lately): without that, the ages *at the event* would pile up at
  the minimum instead.

Everything is vectorised: the weights of every (country, sex, group, event cell) are
one table of cumulative weights, and each row is a bisection in its own row of it.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache

import numpy as np
import polars as pl

from tempdata.core.plan import ChunkContext, Params, Sampler
from tempdata.core.threads import chunk_threads, ordered_map
from tempdata.errors import InvalidParameterError
from tempdata.geo.countries import resolve_country
from tempdata.geo.reference import load
from tempdata.samplers._base import Array, integer, number
from tempdata.samplers.temporal import PROFILES, Profile, _bins

__all__ = ["AgeGroup", "birth_dates", "pyramid"]

#: Oldest single year in the pyramids (meaning "this age or older").
MAX_AGE = 100
#: Equal-mass cells of the event's distribution that the reweighting works on, split
#: into quarter years over the last ``_FINE_YEARS`` years (and months over the last).
_TENURE_NODES = 16
_FINE_YEARS = 4
_SINKHORN_STEPS = 100
_SINKHORN_TOL = 1e-4
#: Groups rarer than this share of the rows are reweighted on four coarse cells.
_RARE = 0.01
#: How strongly the young past the minimum age have had their event lately (see
#: :func:`_table`); 12 keeps the ages at the event from piling up at the minimum.
_RECENCY = 12.0
_SEXES = ("female", "male")
#: Calendar anniversaries kept per chunk: ages up to this (events long ago can push a
#: row past ``max_age``).
_OLDEST = 160
_US_PER_DAY = 86_400_000_000
#: Countries whose weights are solved together (see :class:`_Table`).
_FILL_COUNTRIES = 16
#: Buckets of [0, 1] in the guide to each row of cumulative weights (a power of two).
_GUIDE = 64
_EPOCH = dt.datetime(1970, 1, 1)


@cache
def _pyramids() -> tuple[tuple[str, ...], Array]:
    """Country codes (the world last, as ``""``) and persons by country × sex × age.
    The world counts each WPP area once (not the territories that borrow a pyramid)."""
    table = load("population_ages", ("iso2", "sex", "age", "population", "wpp_area"))
    codes = tuple(sorted(set(table.get_column("iso2").to_list())))
    cube = np.zeros((len(codes) + 1, 2, MAX_AGE + 1))
    country = table.get_column("iso2").replace_strict(
        dict(zip(codes, range(len(codes)), strict=True)), return_dtype=pl.Int64
    )
    sex = table.get_column("sex").replace_strict({"female": 0, "male": 1}, return_dtype=pl.Int64)
    people = table.get_column("population").to_numpy()
    cube[country.to_numpy(), sex.to_numpy(), table.get_column("age").to_numpy()] = people
    own = (table.get_column("iso2") == table.get_column("wpp_area")).to_numpy()
    np.add.at(cube[-1], (sex.to_numpy()[own], table.get_column("age").to_numpy()[own]), people[own])
    return (*codes, ""), cube


def pyramid(country: str, *, sex: str | None = None) -> pl.DataFrame:
    """A country's population by single year of age (``age`` 0–100, ``population``).

    ``country`` is a name or ISO code (``"global"`` sums every country); ``sex`` is
    ``"female"``, ``"male"`` or ``None`` for both. Age 100 means 100 or older.

    >>> japan = pyramid("japan")
    >>> round(japan.filter(pl.col("age") == 50)["population"].item() / 1e6, 1)  # millions
    1.9
    """
    code = resolve_country(country)
    codes, cube = _pyramids()
    row = len(codes) - 1 if code == "global" else codes.index(code)
    if sex not in (None, *_SEXES):
        msg = f"pyramid: sex must be 'female', 'male' or None, got {sex!r}"
        raise InvalidParameterError(msg)
    values = cube[row].sum(axis=0) if sex is None else cube[row, _SEXES.index(sex)]
    return pl.DataFrame(
        {"age": np.arange(MAX_AGE + 1, dtype=np.int8), "population": values},
    )


@dataclass(frozen=True)
class AgeGroup:
    """How the rows of one group (a job level) stand in the age pyramid.

    ``share`` is the group's expected share of the rows; ``min_age`` the youngest a
    row may be on its event date (``None``: the sampler's ``min_age``); ``mean`` and
    ``sd`` a preferred age at the reference date: the group's weight of an age is a
    normal curve around ``mean`` (``None``: no preference), before the pyramid is
    restored over all groups — so groups keep their order and spread, and their ages
    move with the country's pyramid (older in Japan, younger in Nigeria).
    """

    share: float
    min_age: int | None = None
    mean: float | None = None
    sd: float = 10.0

    def __post_init__(self) -> None:
        number(self.share, "AgeGroup: share", low=0, low_open=True)
        if self.min_age is not None:
            integer(self.min_age, "AgeGroup: min_age", low=0)
        if self.mean is not None:
            number(self.mean, "AgeGroup: mean", low=0, high=MAX_AGE)
        number(self.sd, "AgeGroup: sd", low=1, high=100)


# -- the target distributions and their reweighting ------------------------------------


def _targets(
    lo: int, hi: int, sexed: bool, bands: tuple[tuple[int, int, float], ...] | None
) -> Array:
    """Share of each age ``lo..hi`` per (country, sex slot); slots are (both,) or
    (female, male, both)."""
    _, cube = _pyramids()
    ages = cube[:, :, lo : hi + 1]
    if bands is not None:  # the user's bands, uniform within each, for every country
        flat = np.zeros(hi - lo + 1)
        for a, b, w in bands:
            flat[a - lo : b - lo + 1] += w / (b - a + 1)
        ages = np.broadcast_to(flat, ages.shape) * 0.5
    both = ages.sum(axis=1)
    p: Array = both / np.maximum(both.sum(axis=1, keepdims=True), 1e-300)
    if not sexed:
        return p[:, None, :]
    share = np.where(both > 0, ages[:, 0] / np.where(both > 0, both, 1.0), 0.5)
    mean = (ages[:, 0].sum(axis=1) / np.maximum(both.sum(axis=1), 1e-300))[:, None]
    female = np.clip(p * (1.0 + 2.0 * (share - mean)), 0.0, None)
    male = np.clip(p * (1.0 - 2.0 * (share - mean)), 0.0, None)
    slots: Array = np.stack([female, male, p], axis=1)
    out: Array = slots / np.maximum(slots.sum(axis=2, keepdims=True), 1e-300)
    return out


def _allowed(lo: int, hi: int, mins: Array, tenures: Array) -> Array:
    """Share of each year of age ``lo..hi`` open to a row of group ``g`` whose event
    was ``tenures[j]`` years ago: (groups, nodes, ages)."""
    start = lo + np.arange(hi - lo + 1, dtype=np.float64)
    floor = np.maximum(mins[:, None], lo) + tenures[None, :]
    out: Array = np.clip(start[None, None, :] + 1.0 - floor[:, :, None], 0.0, 1.0)
    return out


def _sinkhorn(target: Array, kernel: Array, weight: Array) -> Array:
    """Age scalings ``r`` (rows × ages) so that rows of every kind ``k`` drawn from
    ``r * kernel[k]`` (normalised) and mixed by ``weight`` give ``target``.

    Iterative proportional fitting, row by row of ``target`` (a country): a row stops
    once every share is within :data:`_SINKHORN_TOL` of its target, or after
    :data:`_SINKHORN_STEPS` rounds (a target no mix of the kinds can reach gets the
    nearest). The products are plain loops (``einsum``), not BLAS: as fast for these
    sizes, single-threaded and so the same on every machine and in every worker.
    """
    live = (kernel.sum(axis=1) > 0) & (weight > 0)
    kernel, weight = np.ascontiguousarray(kernel[live]), weight[live]
    r = target.copy()
    active = np.arange(len(target))
    for _ in range(_SINKHORN_STEPS):
        now, goal = r[active], target[active]
        z = np.einsum("ba,ka->bk", now, kernel, optimize=False)
        ratio = weight / np.maximum(z, 1e-300)
        mix = np.einsum("bk,ka->ba", ratio, kernel, optimize=False)
        done = np.abs(now * mix - goal).max(axis=1) < _SINKHORN_TOL
        todo = active[~done]
        r[todo] = np.divide(
            goal[~done], mix[~done], out=np.zeros_like(goal[~done]), where=mix[~done] > 0
        )
        active = todo
        if not len(active):
            break
    return r


@dataclass(frozen=True)
class _Cells:
    """Where rows' events lie, in years before the as-of day: one cell set, as the
    node of each cell, its share of the rows and the cell edges (ascending)."""

    nodes: tuple[float, ...]
    shares: tuple[float, ...]
    edges: tuple[float, ...]


#: No event: every row's "event" is the as-of day.
_NOW = _Cells((0.0,), (1.0,), (-math.inf, math.inf))


def _tenure_cells(profile: Profile, params: Params) -> tuple[_Cells, _Cells]:
    """The fine cells (equal-mass, split further into quarter years over the last
    :data:`_FINE_YEARS` years and months over the last one, where the youngest ages
    are decided) and the coarse
    ones (four equal-mass cells, for rare groups) of the event's distribution: its
    profile over the date range."""
    start = (params.date_start - _EPOCH) // dt.timedelta(microseconds=1)
    end = (params.date_end - _EPOCH) // dt.timedelta(microseconds=1)
    as_of = (dt.datetime.combine(params.as_of, dt.time()) - _EPOCH) // dt.timedelta(microseconds=1)
    return _cells_between(profile, start, end, as_of)


@lru_cache(maxsize=16)
def _cells_between(profile: Profile, start: int, end: int, as_of: int) -> tuple[_Cells, _Cells]:
    """:func:`_tenure_cells` of a date range and as-of time in microseconds since 1970:
    every chunk of a dataset asks for the same, so they are worked out once."""
    starts, cdf = _bins(profile, start, end)
    # The event's CDF, piecewise linear between the ends of its hourly bins.
    times = np.concatenate([[start], np.clip(starts + 3_600_000_000, start, end + 1)])
    mass = np.concatenate([[0.0], cdf])
    year = 365.2425 * _US_PER_DAY

    def tenure(q: Array) -> Array:
        out: Array = np.maximum(as_of - np.interp(q, mass, times), 0.0) / year
        return out

    def cells(cuts: Array) -> _Cells:
        q = np.unique(np.clip(cuts, 0.0, 1.0))[::-1]  # latest events (shortest tenure) first
        share = q[:-1] - q[1:]
        keep = np.concatenate([[True], share > 1e-12])
        q = q[keep]
        edges = tenure(q)
        edges[0], edges[-1] = -math.inf, math.inf
        return _Cells(
            tuple(tenure((q[:-1] + q[1:]) / 2).tolist()),
            tuple((q[:-1] - q[1:]).tolist()),
            tuple(edges.tolist()),
        )

    # Quarter years over the last _FINE_YEARS years, months over the last one.
    recent = np.concatenate([np.arange(0, 4 * _FINE_YEARS + 1) / 4, np.arange(1, 12) / 12])
    cuts = np.interp(as_of - recent * year, times, mass)
    fine = np.concatenate([np.linspace(0, 1, _TENURE_NODES + 1), cuts])
    return cells(fine), cells(np.linspace(0, 1, 5))


class _Table:
    """Normalised cumulative weights, one row per key (country, sex slot, kind) with
    ``ages + 1`` columns; a kind is a group and one of its cells.

    The weights of a country are solved the first time a chunk meets it (each
    country's fit is its own, so the result does not depend on which countries came
    first): a dataset of one country pays for one, not for all 240. A lock keeps two
    threads from filling the same rows at once.
    """

    def __init__(
        self,
        target: Array,
        kernel: Array,
        allowed: Array,
        weights: Array,
        cells: tuple[_Cells, ...],
    ) -> None:
        countries, self.slots, self.ages = target.shape
        self.kinds = len(kernel)
        self.cells = cells
        self.first_kind = tuple(np.cumsum([0, *(len(c.nodes) for c in cells)])[:-1].tolist())
        self._target = target
        self._kernel, self._allowed, self._weights = kernel, allowed, weights
        self._plain = len(kernel) == 1 and float(allowed.min()) >= 1.0
        self.cum = np.zeros((countries * self.slots * self.kinds, self.ages + 1), np.float32)
        # Per row and bucket b, the last age whose cumulative weight is <= b / _GUIDE:
        # where a search for a target in that bucket may start (zeros are allocated
        # lazily: only the countries filled take memory).
        self.guide = np.zeros((len(self.cum), _GUIDE), np.int16)
        self._done = np.zeros(countries, dtype=bool)
        self._lock = threading.Lock()

    def ready(self, countries: Array) -> Array:
        """The cumulative weights, with every country in ``countries`` filled in."""
        if self._done[countries].all():
            return self.cum
        with self._lock:
            need = np.unique(countries)
            need = need[~self._done[need]]
            # A few countries at a time: the float64 scratch of a whole world's rows
            # would take more memory than the table itself. Each batch is its own
            # (rows apart, fits apart) and NumPy releases the GIL: batches on threads.
            batches = [need[i : i + _FILL_COUNTRIES] for i in range(0, len(need), _FILL_COUNTRIES)]
            threads = min(chunk_threads(), len(batches))
            for _ in ordered_map(self._fill, batches, threads):
                pass
        return self.cum

    def _fill(self, countries: Array) -> None:
        ages = self.ages
        target = self._target[countries].reshape(-1, ages)
        if self._plain:
            scale = target
        else:
            scale = _sinkhorn(target, self._kernel * self._allowed, self._weights)
        w = (scale[:, None, :] * self._kernel[None, :, :]).reshape(-1, ages)
        cum = np.zeros((len(w), ages + 1))
        np.cumsum(w, axis=1, out=cum[:, 1:])
        total = cum[:, -1].copy()
        weighed = total > 0
        np.divide(cum, total[:, None], out=cum, where=weighed[:, None])
        cum[~weighed] = np.linspace(0, 1, ages + 1)  # no weight: ages spread evenly
        cum[:, -1] = 1.0
        block = self.slots * self.kinds
        stored = cum.astype(np.float32)
        guide = last_at_most(stored, _GUIDE)
        for i, country in enumerate(countries.tolist()):  # each country's rows are a block
            rows, mine = (
                slice(country * block, (country + 1) * block),
                slice(i * block, (i + 1) * block),
            )
            self.cum[rows] = stored[mine]
            self.guide[rows] = guide[mine]
        self._done[countries] = True


@lru_cache(maxsize=16)
def _table(sampler: _BirthDates, fine: _Cells, coarse: _Cells) -> _Table:
    lo, hi = sampler.min_age, sampler.max_age
    target = _targets(lo, hi, sampler.sex_column is not None, sampler.bands)
    ages = target.shape[2]
    groups = sampler.group_specs or (AgeGroup(1.0),)
    shares = np.array([g.share for g in groups])
    shares = shares / shares.sum()
    centre = lo + 0.5 + np.arange(ages)
    # Rare groups (officers) barely move the mix: the coarse cells do for them.
    sets = tuple(fine if q >= _RARE else coarse for q in shares)
    kernels, weights, allowed = [], [], []
    for g, (group, cells) in enumerate(zip(groups, sets, strict=True)):
        low = float(lo if group.min_age is None else max(group.min_age, lo))
        nodes = np.asarray(cells.nodes)
        prefer = (
            np.ones(ages)
            if group.mean is None
            else np.exp(-0.5 * ((centre - group.mean) / group.sd) ** 2)
        )
        # The younger someone is (past the minimum age), the more recent their event:
        # a 20-year-old customer most likely signed up lately, a 50-year-old any time.
        recency = np.exp(-_RECENCY * nodes[:, None] / np.maximum(centre[None, :] - low + 0.5, 0.5))
        kernels.append(prefer[None, :] * recency)
        allowed.append(_allowed(lo, hi, np.array([low]), nodes)[0])
        weights.append(shares[g] * np.asarray(cells.shares))
    return _Table(
        target, np.concatenate(kernels), np.concatenate(allowed), np.concatenate(weights), sets
    )


# -- calendar: continuous age ↔ birth date -----------------------------------------------


@lru_cache(maxsize=16)
def _anniversaries(as_of: dt.date, upto: int) -> Array:
    """Days since 1970 of the as-of day ``i`` years earlier, ``i = 0..upto``
    (29 February → 28 February in common years); read-only, as every chunk shares it."""
    out = []
    for i in range(upto + 1):
        year = as_of.year - i
        day = as_of.day
        if as_of.month == 2 and day == 29 and not _leap(year):
            day = 28
        out.append((dt.date(year, as_of.month, day) - dt.date(1970, 1, 1)).days)
    days = np.asarray(out, dtype=np.int64)
    days.flags.writeable = False
    return days


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _age_of(born: Array, anniversaries: Array) -> Array:
    """Continuous age (whole years + share of the year) at the as-of day of someone
    born on day ``born`` (days since 1970), on the scale :func:`_birth` inverts."""
    i = np.searchsorted(-anniversaries, -born, side="left") - 1
    i = np.clip(i, 0, len(anniversaries) - 2)
    upper, lower = anniversaries[i], anniversaries[i + 1]
    out: Array = i + (upper - born) / np.maximum(upper - lower, 1)
    return out


def _birth(age: Array, anniversaries: Array) -> Array:
    """Birth day (days since 1970) of continuous age ``age``: uniform within the year
    of age, so that whole years at the as-of day are ``floor(age)``."""
    i = np.clip(np.floor(age).astype(np.int64), 0, len(anniversaries) - 2)
    upper, lower = anniversaries[i], anniversaries[i + 1]
    out: Array = upper - np.floor((age - i) * (upper - lower)).astype(np.int64)
    return out


def _codes(column: pl.Series, index: Mapping[str, int], default: int) -> Array:
    """Position of each value in ``index`` (``default`` for others); an Enum column
    maps its few categories once instead of every row's text."""
    dtype = column.dtype
    if isinstance(dtype, pl.Enum):
        categories = dtype.categories.to_list()
        lookup = np.array([index.get(c, default) for c in categories], dtype=np.int64)
        physical = column.to_physical().fill_null(len(categories)).to_numpy()
        out: Array = np.append(lookup, default)[physical]
        return out
    text = column.cast(pl.String)
    out = text.replace_strict(dict(index), default=default, return_dtype=pl.Int64).to_numpy()
    return out


def last_at_most(cum: Array, buckets: int) -> Array:
    """Per row of ``cum`` (non-decreasing, from 0 to 1) and bucket ``b`` of
    ``buckets``, the last column below the row's last whose value is <= b / buckets."""
    rows, width = cum.shape
    # A value c is <= b / buckets from bucket ceil(c * buckets) on (exact: the scaling
    # is by a power of two): count the values each bucket has reached.
    # (in the values' own float32 as well).
    first = np.ceil(cum * cum.dtype.type(buckets)).astype(np.intp)
    np.minimum(first, buckets, out=first)
    first += np.arange(0, rows * (buckets + 1), buckets + 1)[:, None]
    reached = np.bincount(first.ravel(), minlength=rows * (buckets + 1)).astype(np.int16)
    count = np.cumsum(reached.reshape(rows, buckets + 1)[:, :buckets], axis=1, dtype=np.int16)
    count -= 1
    out: Array = np.clip(count, 0, width - 2, out=count)
    return out


def search(flat: Array, guide: Array, key: Array, base: Array, target: Array, ages: int) -> Array:
    """Per row, the last age ``j < ages`` with ``flat[base + j] <= target`` (the row's
    cumulative weights start at 0 and do not decrease): from the guide's age for the
    target's bucket (its edge lies at or below the target: the edges and the scaling
    by a power of two are exact), then step by step."""
    buckets = guide.shape[1]
    bucket = np.minimum((target * buckets).astype(np.int64), buckets - 1)
    age: Array = guide[key, bucket].astype(np.int64)
    todo = np.flatnonzero(age < ages - 1)
    while len(todo):
        up = flat[base[todo] + age[todo] + 1] <= target[todo]
        todo = todo[up]
        age[todo] += 1
        todo = todo[age[todo] < ages - 1]
    return age


# -- the sampler -------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class _BirthDates(Sampler):
    bands: tuple[tuple[int, int, float], ...] | None = None
    min_age: int = 18
    max_age: int = MAX_AGE
    country_column: str | None = None
    sex_column: str | None = None
    adult_at: str | None = None
    profile: Profile = field(default=PROFILES["uniform"])
    by: str | None = None
    groups: tuple[str, ...] = ()
    group_specs: tuple[AgeGroup, ...] = ()

    def __repr__(self) -> str:
        args = []
        if self.bands is not None:
            args.append(f"ages={ {(a, b): w for a, b, w in self.bands} }")
        args += [f"min_age={self.min_age}", f"max_age={self.max_age}"]
        for name in ("country_column", "sex_column", "adult_at"):
            if getattr(self, name) is not None:
                args.append(f"{name}={getattr(self, name)!r}")
        if self.adult_at is not None and self.profile.name != "uniform":
            args.append(f"adult_at_profile={self.profile.name!r}")
        if self.by is not None:
            args.append(f"by={self.by!r}")
            args.append(f"groups={dict(zip(self.groups, self.group_specs, strict=True))!r}")
        return f"birth_dates({', '.join(args)})"

    @property
    def given(self) -> tuple[str, ...]:  # type: ignore[override]
        names = (self.country_column, self.sex_column, self.adult_at, self.by)
        return tuple(c for c in names if c is not None)

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Date()

    def _countries(self, ctx: ChunkContext) -> Array:
        codes, _ = _pyramids()
        index = dict(zip(codes[:-1], range(len(codes) - 1), strict=True))
        world = len(codes) - 1
        if self.country_column is None:
            code = resolve_country(ctx.params.country)
            return np.full(ctx.n, index.get(code, world), dtype=np.int64)
        return _codes(ctx.frame.get_column(self.country_column), index, world)

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> pl.Series:
        u = rng.random(ctx.n)
        fine, coarse = (
            (_NOW, _NOW) if self.adult_at is None else _tenure_cells(self.profile, ctx.params)
        )
        table = _table(self, fine, coarse)
        ages = table.ages
        group = np.zeros(ctx.n, dtype=np.int64)
        if self.by is not None:
            names = dict(zip(self.groups, range(len(self.groups)), strict=True))
            group = _codes(ctx.frame.get_column(self.by), names, 0)
        slot = np.zeros(ctx.n, dtype=np.int64)
        if self.sex_column is not None:
            slot = _codes(ctx.frame.get_column(self.sex_column), {"female": 0, "male": 1}, 2)
        anniversaries = _anniversaries(ctx.params.as_of, _OLDEST)
        # Years since each row's event (continuous, on the scale of ages), and the
        # youngest it may be: the minimum age at the event, that many years ago. Whole
        # years on the calendar are the same share of a year up to a leap day: two
        # days' margin keeps every birthday on or before the event.
        mins = [self.min_age if g.min_age is None else g.min_age for g in self.group_specs]
        at_event = np.asarray(mins or [self.min_age], dtype=np.float64)[group]
        if self.adult_at is None:
            since = np.zeros(ctx.n)
            earliest = np.maximum(float(self.min_age), at_event)
        else:
            event = ctx.frame.get_column(self.adult_at).cast(pl.Date).to_physical().to_numpy()
            since = _age_of(event.astype(np.int64), anniversaries)
            earliest = np.maximum(float(self.min_age), since + at_event + 2.0 / 365.0)
        kind = np.zeros(ctx.n, dtype=np.int64)
        for g, cells in enumerate(table.cells):
            rows = np.flatnonzero(group == g)
            cell = np.searchsorted(np.asarray(cells.edges), since[rows], side="right") - 1
            kind[rows] = table.first_kind[g] + np.clip(cell, 0, len(cells.nodes) - 1)
        slots = 3 if self.sex_column is not None else 1
        countries = self._countries(ctx)
        key = (countries * slots + slot) * table.kinds + kind
        # Truncate each row's distribution below its earliest allowed age, then invert
        # the rest: a bisection within each row's own cumulative weights.
        flat = table.ready(countries).reshape(-1)
        base = key * (ages + 1)
        start = earliest - self.min_age
        j0 = np.clip(np.floor(start).astype(np.int64), 0, ages - 1)
        low, high = flat[base + j0].astype(np.float64), flat[base + j0 + 1].astype(np.float64)
        target = low + np.clip(start - j0, 0.0, 1.0) * (high - low)
        target += u * (1.0 - target)
        left = base + search(flat, table.guide, key, base, target, ages)
        c0, c1 = flat[left].astype(np.float64), flat[left + 1].astype(np.float64)
        left -= base
        frac = np.where(c1 > c0, (target - c0) / np.where(c1 > c0, c1 - c0, 1.0), 0.5)
        age = self.min_age + left + np.clip(frac, 0.0, 1.0 - 1e-9)
        # Rows whose earliest age lies past max_age (an event long ago) are that old.
        age = np.where(start >= ages, earliest + u * 1e-6, np.maximum(age, earliest))
        birth = _birth(age, anniversaries)
        return pl.Series(birth.astype("datetime64[D]"))


def birth_dates(
    ages: Mapping[tuple[int, int], float] | None = None,
    *,
    min_age: int = 18,
    max_age: int = MAX_AGE,
    country_column: str | None = None,
    sex_column: str | None = None,
    adult_at: str | None = None,
    adult_at_profile: str | Profile = "uniform",
    by: str | None = None,
    groups: Mapping[str, AgeGroup] | None = None,
) -> Sampler:
    """Birth dates whose ages at the reference date (or at the end of the date range,
    if later) follow the country's population pyramid between ``min_age`` and
    ``max_age`` (UN World Population Prospects 2024; see the module docstring).

    Parameters
    ----------
    ages
        Band ``(low, high)`` → weight, to use instead of the pyramids (ages uniform
        within a band).
    min_age, max_age
        The age range, in whole years at the reference date (100 means 100 or older).
    country_column
        A column of ISO country codes: each row follows its own country's pyramid.
        Without it, every row follows the dataset's country (the world's for global).
    sex_column
        A column of ``female``/``male``: each sex gets its share of each age (women
        outnumber men at old ages); other values follow both sexes' pyramid.
    adult_at
        A date column at which each row was already ``min_age`` (or its group's): a
        sign-up or hire date. ``adult_at_profile`` is that column's seasonality
        profile over the date range (the one its ``timestamps`` or ``hire_dates``
        sampler uses), which the reweighting needs to keep the pyramid's shape.
    by, groups
        A column and its values' :class:`AgeGroup` (share, minimum age at the event,
        preferred age); values not listed count as the first group.

    >>> birth_dates(min_age=0, country_column="country_code")
    birth_dates(min_age=0, max_age=100, country_column='country_code')
    """
    lo = integer(min_age, "birth_dates: min_age", low=0)
    hi = integer(max_age, "birth_dates: max_age", low=0)
    if not lo <= hi <= MAX_AGE:
        msg = f"birth_dates: need 0 <= min_age <= max_age <= {MAX_AGE}, got {lo} and {hi}"
        raise InvalidParameterError(msg)
    bands = None
    if ages is not None:
        bands = []
        for (a, b), w in ages.items():
            if not lo <= a <= b <= hi:
                msg = (
                    f"birth_dates: age band ({a}, {b}) must satisfy min_age ({lo}) <= low "
                    f"<= high <= max_age ({hi})"
                )
                raise InvalidParameterError(msg)
            bands.append((int(a), int(b), number(w, f"birth_dates: weight of {(a, b)}", low=0)))
        if not bands or sum(b[2] for b in bands) <= 0:
            msg = "birth_dates: needs at least one age band with a positive weight"
            raise InvalidParameterError(msg)
    if isinstance(adult_at_profile, str):
        if adult_at_profile not in PROFILES:
            msg = (
                f"birth_dates: unknown adult_at_profile {adult_at_profile!r} — valid: "
                f"{', '.join(PROFILES)}"
            )
            raise InvalidParameterError(msg)
        adult_at_profile = PROFILES[adult_at_profile]
    if not isinstance(adult_at_profile, Profile):
        msg = f"birth_dates: adult_at_profile must be a name or a Profile, got {adult_at_profile!r}"
        raise InvalidParameterError(msg)
    if (by is None) != (groups is None):
        msg = "birth_dates: by and groups go together (a column and its values' AgeGroup)"
        raise InvalidParameterError(msg)
    names: tuple[str, ...] = ()
    specs: tuple[AgeGroup, ...] = ()
    if groups is not None:
        if not groups or not all(isinstance(g, AgeGroup) for g in groups.values()):
            msg = f"birth_dates: groups must map values to AgeGroup(...), got {groups!r}"
            raise InvalidParameterError(msg)
        names, specs = tuple(str(k) for k in groups), tuple(groups.values())
        for name, spec in zip(names, specs, strict=True):
            if spec.min_age is not None and spec.min_age > hi:
                msg = f"birth_dates: group {name!r} has min_age {spec.min_age} > max_age {hi}"
                raise InvalidParameterError(msg)
    return _BirthDates(
        tuple(bands) if bands is not None else None,
        lo,
        hi,
        country_column,
        sex_column,
        adult_at,
        adult_at_profile,
        by,
        names,
        specs,
    )
