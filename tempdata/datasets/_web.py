"""What ``web_logs`` and ``user_sessions`` share: the site's calendar and its visitors'
devices.

Traffic keeps the calendar of the site's country through
:func:`tempdata.samplers.calendar_times` (a :class:`~tempdata.samplers.Profile` rhythm
that goes on every day): timestamps are the visitor's local wall-clock time, a public
holiday weighs like a Sunday — the quietest full day of the site's week — in the
visitor's own country and state, and the months follow the library's online-shopping
months (November and December busiest).

Visitors' devices come from ``device_shares.parquet`` (StatCounter Global Stats by
country, see ``reference_data/SOURCES.md``): one draw per row of (device, os,
browser) from the joint table of the row's country, so the three always fit together
(iOS only on phones, Safari only on Apple systems, Samsung Internet only on Android),
and the user agent is the documented header of that triple (``user_agents.parquet``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import polars as pl

from tempdata.core.plan import ChunkContext, GroupSampler, Params, SampleOutput
from tempdata.errors import InvalidParameterError
from tempdata.geo.reference import load
from tempdata.samplers import PROFILES, Profile
from tempdata.samplers.base import Array, CallRepr

__all__ = ["BROWSERS", "DEVICES", "OPERATING_SYSTEMS", "clients", "traffic"]

#: The operating systems each device runs (desktop: StatCounter's desktop systems;
#: tablet: iPads and Android tablets; mobile: phones, KaiOS for feature phones).
OPERATING_SYSTEMS: dict[str, tuple[str, ...]] = {
    "desktop": ("Windows", "macOS", "Linux", "Chrome OS"),
    "mobile": ("iOS", "Android", "KaiOS"),
    "tablet": ("iPadOS", "Android"),
}
DEVICES = tuple(OPERATING_SYSTEMS)
#: The browsers each operating system runs: Safari only on Apple's, Edge on Windows and
#: macOS, Internet Explorer only on Windows, Chrome alone on Chrome OS, iOS browsers
#: Safari or Chrome (both WebKit), the Android-only browsers only on Android.
BROWSERS: dict[str, tuple[str, ...]] = {
    "Windows": ("Chrome", "Edge", "Firefox", "Opera", "Internet Explorer"),
    "macOS": ("Chrome", "Safari", "Firefox", "Edge", "Opera"),
    "Linux": ("Chrome", "Firefox", "Opera"),
    "Chrome OS": ("Chrome",),
    "iOS": ("Safari", "Chrome"),
    "iPadOS": ("Safari", "Chrome"),
    "Android": (
        "Chrome",
        "Samsung Internet",
        "Firefox",
        "Opera",
        "Opera Mini",
        "UC Browser",
        "Android Browser",
        "QQ Browser",
    ),
    "KaiOS": ("KaiOS Browser",),
}
_OSES = tuple(dict.fromkeys(o for oses in OPERATING_SYSTEMS.values() for o in oses))
_BROWSER_NAMES = tuple(dict.fromkeys(b for names in BROWSERS.values() for b in names))


def traffic(name: str, hours: Sequence[float], weekdays: Sequence[float]) -> Profile:
    """A site's rhythm: its hours and weekdays, the online-shopping months, no retail
    events (a site's traffic is not its sales: Cloudflare Radar measured US traffic 20 %
    down on Thanksgiving 2024, when online sales rise), holidays as Sundays."""
    return Profile(name, hours=tuple(hours), weekdays=tuple(weekdays), months=_MONTHS)


_MONTHS = PROFILES["online"].months


@dataclass(frozen=True)
class _Table:
    rows: dict[str, int]  # country code → its row of the alias tables
    world: int
    accept: Array  # rows × cells: Walker's alias tables (keep the cell below this)
    alias: Array  # rows × cells: the cell taken otherwise
    cells: int
    device: Array  # per cell, code into DEVICES
    os: Array
    browser: Array
    agents: tuple[str, ...]  # per cell, its user agent


def _alias(p: Array) -> tuple[Array, Array]:
    """Walker's alias table of the probabilities ``p`` (Vose's construction)."""
    k = len(p)
    scaled = p * k / p.sum()
    accept, alias = np.ones(k), np.arange(k)
    small = [i for i in range(k) if scaled[i] < 1.0]
    large = [i for i in range(k) if scaled[i] >= 1.0]
    while small and large:
        s, g = small.pop(), large.pop()
        accept[s], alias[s] = scaled[s], g
        scaled[g] -= 1.0 - scaled[s]
        (small if scaled[g] < 1.0 else large).append(g)
    return accept, alias


@cache
def _table() -> _Table:
    agents = load("user_agents").sort("device", "os", "browser")
    keys = agents.select("device", "os", "browser").rows()
    cell = {k: i for i, k in enumerate(keys)}
    shares = load("device_shares")
    countries = sorted(shares.get_column("country").unique().to_list())
    row = {c: i for i, c in enumerate(countries)}
    matrix = np.zeros((len(countries), len(keys)))
    for country, device, os, browser, share in shares.iter_rows():
        matrix[row[country], cell[(device, os, browser)]] = share
    tables = [_alias(p) for p in matrix]
    return _Table(
        {c: i for c, i in row.items() if c != "world"},
        row["world"],
        np.array([a for a, _ in tables]),
        np.array([b for _, b in tables]),
        len(keys),
        np.array([DEVICES.index(k[0]) for k in keys]),
        np.array([_OSES.index(k[1]) for k in keys]),
        np.array([_BROWSER_NAMES.index(k[2]) for k in keys]),
        tuple(agents.get_column("user_agent").to_list()),
    )


def _rows(column: pl.Series, table: _Table) -> Array:
    """Each row's row of the alias tables, from its country code (an Enum column)."""
    if not isinstance(column.dtype, pl.Enum):
        column = column.cast(pl.Enum(sorted(set(column.drop_nulls().to_list()))))
    of_code = _of_code(column.dtype)
    codes = column.to_physical().fill_null(len(of_code) - 1).to_numpy()
    found: Array = of_code[codes]
    return found


@lru_cache(maxsize=8)
def _of_code(dtype: pl.DataType) -> Array:
    """The alias-table row of each category of a country-code Enum (then of null)."""
    assert isinstance(dtype, pl.Enum)
    table = _table()
    codes = dtype.categories.to_list()
    return np.array([table.rows.get(c, table.world) for c in codes] + [table.world])


@lru_cache(maxsize=8)
def _schema(bots: tuple[tuple[str, str, float], ...]) -> dict[str, pl.DataType]:
    kinds = ["human", *dict.fromkeys(kind for _, kind, _ in bots)]
    return {
        "kind": pl.Enum(kinds),
        "device": pl.Enum(list(DEVICES)),
        "os": pl.Enum(list(_OSES)),
        "browser": pl.Enum(list(_BROWSER_NAMES)),
        "user_agent": pl.Enum([*(a for a, _, _ in bots), *_table().agents]),
    }


@dataclass(frozen=True, repr=False)
class _Clients(CallRepr, GroupSampler):
    """A client per row: a bot (by ``bots``' weights) or a visitor whose device, os,
    browser and user agent are drawn together from the row's country's shares."""

    _factory = "clients"
    country_code: str
    bots: tuple[tuple[str, str, float], ...] = ()  # (user agent, kind, share of rows)

    @property
    def given(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.country_code,)

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        return dict(_schema(self.bots))

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        table = _table()
        if self.bots:
            u_cell, u_bot = rng.random((ctx.n, 2)).T
        else:
            u_cell, u_bot = rng.random(ctx.n), np.ones(ctx.n)
        rows = _rows(ctx.frame.get_column(self.country_code), table)
        # Walker's alias method: a cell by the integer part of u × cells, kept if the
        # fraction is below its acceptance, else its alias — one gather per row.
        scaled = u_cell * table.cells
        first = np.minimum(scaled.astype(np.int64), table.cells - 1)
        keep = (scaled - first) < table.accept[rows, first]
        cell = np.where(keep, first, table.alias[rows, first])
        schema = self.schema(ctx.params)
        out: dict[str, SampleOutput] = {}
        bot = np.full(ctx.n, -1, dtype=np.int64)
        if self.bots:
            cum = np.cumsum([w for _, _, w in self.bots])
            picked = np.searchsorted(cum, u_bot, side="right")
            bot = np.where(picked < len(self.bots), picked, -1)
        human = bot < 0
        if "kind" in fields:
            kinds = schema["kind"].categories.to_list()  # type: ignore[attr-defined]
            of_bot = np.array([kinds.index(kind) for _, kind, _ in self.bots] + [0])
            out["kind"] = pl.Series(kinds, dtype=schema["kind"]).gather(of_bot[bot])
        if "user_agent" in fields:
            agent = np.where(human, len(self.bots) + cell, bot)
            enum = schema["user_agent"]
            out["user_agent"] = pl.Series(enum.categories, dtype=enum).gather(agent)  # type: ignore[attr-defined]
        for field, values, codes_of in (
            ("device", DEVICES, table.device),
            ("os", _OSES, table.os),
            ("browser", _BROWSER_NAMES, table.browser),
        ):
            if field in fields:
                series = pl.Series(list(values), dtype=schema[field]).gather(codes_of[cell])
                if not human.all():
                    series = series.set(pl.Series(~human), None)
                out[field] = series
        return {f: out[f] for f in fields}


def clients(
    country_code: str, *, bots: Mapping[str, tuple[float, str]] | None = None
) -> GroupSampler:
    """Clients of a website: ``kind`` (human or a bot's kind), ``device``, ``os``,
    ``browser`` (null for bots) and ``user_agent``, a visitor's drawn from the shares of
    the country whose ISO code is in column ``country_code`` (the world's where the
    table has no figures). ``bots`` maps a bot's user agent to (share of rows, kind)."""
    made = []
    for agent, (share, kind) in (bots or {}).items():
        if not 0 < share < 1 or not kind or kind == "human":
            msg = (
                f"clients: bot {agent!r} needs a share in (0, 1) and a kind other than "
                f"'human', got {share!r}, {kind!r}"
            )
            raise InvalidParameterError(msg)
        made.append((agent, kind, float(share)))
    if sum(w for _, _, w in made) >= 1:
        msg = "clients: bots' shares must add up to less than 1"
        raise InvalidParameterError(msg)
    return _Clients(country_code, tuple(made))
