"""``device_shares.parquet`` and ``user_agents.parquet``: who visits a website, with what.

From ``scripts/sources/devices/`` (StatCounter Global Stats figures found in public
repositories, see ``SHARES.md``): per country, the share of page views of each
(device, operating system, browser), a joint table whose parts agree with each other
(iOS only on phones with Safari or Chrome, iPadOS on tablets, Safari on Apple systems
only, Samsung Internet only on Android, Internet Explorer only on Windows). How a
country's joint table is made:

1. Its browser shares (caniuse's agents, StatCounter data, 2024) split page views into
   desktop agents (Chrome, Edge, Firefox, Safari, Opera, IE) and mobile agents (Safari on
   iOS, Chrome for Android, Samsung Internet, ...): the desktop share is the desktop
   agents' sum — a per-country platform split, which the extract has no table for.
2. Mobile page views split into iOS and Android by the country's StatCounter mobile-OS
   share (Feb–Apr 2025); KaiOS keeps its browser's share. Safari on iOS stays where it
   is; the rest of iOS is Chrome (CriOS); Android's share goes to its browsers in
   proportion to their agents' shares.
3. A world share of tablets (StatCounter, about 2 % of page views) moves that fraction of
   each iOS and Android cell to tablets (iOS → iPadOS; KaiOS and Opera Mini stay on phones).
4. Desktop page views take the world's desktop-OS shares (no country has its own): the
   (OS × browser) table is raked to the country's desktop-browser shares and the world
   OS shares over the allowed pairs, browsers last (so browser shares hold exactly).

``country = "world"`` holds the population-weighted mean of the countries' tables, for
countries without figures. ``user_agents.parquet`` has one User-Agent string per
(device, os, browser), in each vendor's documented format.
"""

from __future__ import annotations

import csv
from collections import defaultdict

import polars as pl

from refdata.build import REPO_ROOT, Artifact, BuildContext, Source, fail

DIR = REPO_ROOT / "scripts" / "sources" / "devices"
SHARES = DIR / "shares.csv"
AGENTS = DIR / "user_agents.csv"

#: caniuse agent → (os, browser) of a desktop page view (os None: by the world OS shares)
DESKTOP_AGENTS = {
    "Chrome": "Chrome",
    "Edge": "Edge",
    "Firefox": "Firefox",
    "Safari": "Safari",
    "Opera": "Opera",
    "IE": "Internet Explorer",
}
#: caniuse mobile agent → (os, browser)
MOBILE_AGENTS = {
    "Safari on iOS": ("iOS", "Safari"),
    "Chrome for Android": ("Android", "Chrome"),
    "Samsung Internet": ("Android", "Samsung Internet"),
    "Firefox for Android": ("Android", "Firefox"),
    "Opera Mobile": ("Android", "Opera"),
    "Opera Mini": ("Android", "Opera Mini"),
    "UC Browser for Android": ("Android", "UC Browser"),
    "Android Browser": ("Android", "Android Browser"),
    "QQ Browser": ("Android", "QQ Browser"),
    "KaiOS Browser": ("KaiOS", "KaiOS Browser"),
}
#: StatCounter desktop OS → ours (Unknown and Other are left out)
DESKTOP_OS = {"Windows": "Windows", "OS X": "macOS", "Linux": "Linux", "Chrome OS": "Chrome OS"}
#: Browsers each desktop OS runs (the pairs the raking may fill).
DESKTOP_PAIRS = {
    "Windows": ("Chrome", "Edge", "Firefox", "Opera", "Internet Explorer"),
    "macOS": ("Chrome", "Safari", "Firefox", "Edge", "Opera"),
    "Linux": ("Chrome", "Firefox", "Opera"),
    "Chrome OS": ("Chrome",),
}
RAKING_ROUNDS = 200
#: A country's agents must cover at least this share of its page views.
MIN_COVERED = 70.0


def _read() -> dict[tuple[str, str], dict[str, float]]:
    tables: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    with SHARES.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            share = float(row["share"])
            if share < 0:
                fail(f"shares.csv: negative share {row}")
            tables[(row["country"], row["table"])][row["category"]] = share
    return tables


def _desktop(
    browsers: dict[str, float], os_shares: dict[str, float]
) -> dict[tuple[str, str], float]:
    """The (os, browser) table of desktop page views raked to both margins."""
    cells = {(o, b): 1.0 for o, allowed in DESKTOP_PAIRS.items() for b in allowed if b in browsers}
    for _ in range(RAKING_ROUNDS):
        for o, target in os_shares.items():
            have = sum(v for (co, _), v in cells.items() if co == o)
            for key in [k for k in cells if k[0] == o]:
                cells[key] *= target / have if have else 0.0
        for b, target in browsers.items():
            have = sum(v for (_, cb), v in cells.items() if cb == b)
            for key in [k for k in cells if k[1] == b]:
                cells[key] = cells[key] * target / have if have else 0.0
    return cells


def joint(
    agents: dict[str, float],
    mobile_os: dict[str, float],
    desktop_os: dict[str, float],
    tablet: float,
) -> dict[tuple[str, str, str], float]:
    """One country's (device, os, browser) → share of page views (sums to 1)."""
    unknown = set(agents) - set(DESKTOP_AGENTS) - set(MOBILE_AGENTS)
    if unknown:
        fail(f"shares.csv: unknown browser agents {sorted(unknown)}")
    total = sum(agents.values())
    share = {a: v / total for a, v in agents.items()}
    desktop = {DESKTOP_AGENTS[a]: v for a, v in share.items() if a in DESKTOP_AGENTS}
    mobile = {MOBILE_AGENTS[a]: v for a, v in share.items() if a in MOBILE_AGENTS}
    m = sum(mobile.values())
    kaios = mobile.get(("KaiOS", "KaiOS Browser"), 0.0)
    ios_of_mobile = mobile_os["iOS"] / (mobile_os["iOS"] + mobile_os["Android"])
    ios = ios_of_mobile * (m - kaios)
    safari = min(mobile.get(("iOS", "Safari"), 0.0), ios)
    phones = {("iOS", "Safari"): safari, ("iOS", "Chrome"): ios - safari}
    android = {k: v for k, v in mobile.items() if k[0] == "Android"}
    rest = m - kaios - ios
    weight = sum(android.values())
    for key, v in android.items():
        phones[key] = rest * v / weight
    if not weight:
        phones[("Android", "Chrome")] = rest
    if kaios:
        phones[("KaiOS", "KaiOS Browser")] = kaios
    out: dict[tuple[str, str, str], float] = {}
    for (os, browser), v in phones.items():
        if v <= 0:
            continue
        if os == "KaiOS" or browser == "Opera Mini":  # phone-only: no tablets
            out[("mobile", os, browser)] = v
            continue
        out[("mobile", os, browser)] = v * (1 - tablet)
        out[("tablet", "iPadOS" if os == "iOS" else os, browser)] = v * tablet
    d = sum(desktop.values())
    os_total = sum(desktop_os.values())
    raked = _desktop(desktop, {o: d * v / os_total for o, v in desktop_os.items()})
    for (os, browser), v in raked.items():
        if v > 0:
            out[("desktop", os, browser)] = v
    norm = sum(out.values())
    return {k: v / norm for k, v in out.items()}


def build_device_shares(ctx: BuildContext) -> Artifact:
    tables = _read()
    desktop_os = {
        DESKTOP_OS[k]: v for k, v in tables[("world", "desktop_os")].items() if k in DESKTOP_OS
    }
    tablet_world = tables[("world", "tablet")]["Tablet"]
    mobile_world = tables[("world", "platform")]["Mobile"]
    tablet = tablet_world / mobile_world  # the world's tablets among mobile-agent views
    rows = []
    population = dict(ctx.built["countries.parquet"].select("iso2", "population").iter_rows())
    world: dict[tuple[str, str, str], float] = defaultdict(float)
    weights = 0.0
    for (country, table), agents in sorted(tables.items()):
        if table != "browser" or country == "world":
            continue
        covered = sum(agents.values())
        if covered < MIN_COVERED:
            fail(f"shares.csv: {country}'s browsers cover only {covered:.1f} %")
        mobile_os = tables.get((country, "mobile_os"), tables[("world", "mobile_os")])
        if "iOS" not in mobile_os or "Android" not in mobile_os:
            mobile_os = tables[("world", "mobile_os")]
        cells = joint(agents, mobile_os, desktop_os, tablet)
        rows.extend((country, *k, 100 * v) for k, v in sorted(cells.items()))
        pop = float(population.get(country) or 0)
        weights += pop
        for k, v in cells.items():
            world[k] += pop * v
    rows.extend(("world", *k, 100 * v / weights) for k, v in sorted(world.items()))
    frame = pl.DataFrame(
        rows,
        schema={
            "country": pl.String,
            "device": pl.String,
            "os": pl.String,
            "browser": pl.String,
            "share": pl.Float64,
        },
        orient="row",
    )
    _check(frame)
    return Artifact(
        name="device_shares.parquet",
        frame=frame,
        sources=[_SOURCE],
        origin=(
            "Per country (ISO code, or `world`: the population-weighted mean of the "
            "countries, for those without figures), the percent of a website's page views "
            "from each (device, os, browser): desktop vs phone/tablet from the country's "
            "desktop and mobile browser agents (caniuse, StatCounter data, 2024), iOS vs "
            "Android from its StatCounter mobile-OS share (Feb–Apr 2025), browsers within "
            "each from the agents, tablets as StatCounter's world share (about 2 % of page "
            "views), desktop OS from StatCounter's world desktop-OS share (2024) raked with "
            "the country's desktop browsers over the pairs that exist (Safari only on macOS, "
            "Internet Explorer only on Windows, ...). See scripts/refdata/devices.py."
        ),
        attribution=[_ATTRIBUTION],
    )


_SOURCE = Source(
    "scripts/sources/devices/shares.csv",
    "CC BY-SA 3.0 (StatCounter Global Stats); caniuse data CC BY 4.0",
    "device, OS and browser shares of page views",
    pinned="2026-12-07",
)
_ATTRIBUTION = (
    "Device, OS and browser shares: StatCounter Global Stats (https://gs.statcounter.com/), "
    "CC BY-SA 3.0, and caniuse.com (Alexis Deveria), CC BY 4.0; combined and modified "
    "(device_shares.parquet is under CC BY-SA 3.0)."
)

#: Values each column may hold.
DEVICES = ("desktop", "mobile", "tablet")
OSES = {
    "desktop": ("Windows", "macOS", "Linux", "Chrome OS"),
    "mobile": ("iOS", "Android", "KaiOS"),
    "tablet": ("iPadOS", "Android"),
}


def _check(frame: pl.DataFrame) -> None:
    sums = frame.group_by("country").agg(pl.col("share").sum())
    off = sums.filter((pl.col("share") - 100).abs() > 0.01)
    if off.height:
        fail(f"device_shares: shares do not add to 100 for {off.rows()[:5]}")
    pairs = {(d, o) for d, oses in OSES.items() for o in oses}
    bad = [r for r in frame.select("device", "os").unique().rows() if tuple(r) not in pairs]
    if bad:
        fail(f"device_shares: unknown device/os pairs {bad}")
    agents = _agents()
    cells = set(frame.select("device", "os", "browser").unique().rows())
    missing = cells - set(agents)
    if missing:
        fail(f"device_shares: no user agent for {sorted(missing)}")


def _agents() -> dict[tuple[str, str, str], str]:
    with AGENTS.open(encoding="utf-8", newline="") as fh:
        found = {(r["device"], r["os"], r["browser"]): r["user_agent"] for r in csv.DictReader(fh)}
    if len(set(found.values())) < len(found):
        fail("user_agents.csv: a user agent serves two (device, os, browser)")
    for (device, os, _), agent in found.items():
        if device not in DEVICES or os not in OSES[device]:
            fail(f"user_agents.csv: unknown device/os {device}/{os}")
        if not agent.startswith(("Mozilla/5.0 (", "Opera/9.80 (")):
            fail(f"user_agents.csv: not a browser user agent: {agent!r}")
    return found


def build_user_agents(ctx: BuildContext) -> Artifact:
    rows = [(*k, v) for k, v in sorted(_agents().items())]
    frame = pl.DataFrame(
        rows,
        schema={
            "device": pl.String,
            "os": pl.String,
            "browser": pl.String,
            "user_agent": pl.String,
        },
        orient="row",
    )
    return Artifact(
        name="user_agents.parquet",
        frame=frame,
        sources=[
            Source(
                "scripts/sources/devices/user_agents.csv",
                "formats documented by the browser vendors (URL per row); no copyright claimed",
                "a User-Agent string per (device, os, browser)",
                pinned="2026-12-07",
            )
        ],
        origin=(
            "One User-Agent header per (device, os, browser) of device_shares.parquet, in the "
            "format its vendor documents (Chrome's reduced UA, Safari, CriOS, Edge's Edg/, "
            "Firefox's rv:, SamsungBrowser/, OPR/, Opera Mini, UCBrowser/, MQQBrowser/, "
            "KAIOS/), versions of spring 2024 like the shares."
        ),
    )


BUILDERS = [build_device_shares, build_user_agents]
