"""Technology dataset: ``web_logs``, the access log of an online shop's web server.

One row per HTTP request, sorted by time. Traffic follows a diurnal and weekly
profile; a few client addresses (crawlers, office NATs, scrapers) send a large share
of the requests; server errors come in incidents — whole hours in which 5xx
responses are frequent — which are a function of the hour and the seed, so that any
chunk can be generated alone. :func:`combined_log_lines` writes rows in the
Apache/Nginx combined log format.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from tempdata import samplers as s
from tempdata.core.plan import ChunkContext, Dataset, Params, Sampler, check, col, group
from tempdata.datasets._web import clients, traffic
from tempdata.datasets.registry import register
from tempdata.samplers._base import Array, CallRepr

__all__ = ["combined_log_lines", "web_logs"]

_HOST = "https://shop.example.com"

# Requests per hour of day and weekday (Mon–Sun), in the visitor's local time: quiet at
# night, a morning rise, a lunchtime bump and an evening peak; weekdays a little busier
# than Sunday. The site's calendar (holidays as Sundays, the online-shopping months)
# comes from tempdata.datasets._web.
_TRAFFIC = traffic(
    "web",
    hours=(
        *(0.35, 0.25, 0.18, 0.15, 0.15, 0.2, 0.35, 0.6, 0.85, 1.0, 1.05, 1.1),
        *(1.2, 1.15, 1.1, 1.1, 1.15, 1.25, 1.4, 1.55, 1.6, 1.45, 1.05, 0.6),
    ),
    weekdays=(1.05, 1.05, 1.0, 1.0, 0.95, 0.8, 0.9),
)

# -- bots ---------------------------------------------------------------------------

# Bot user agent → (share of requests, kind): search-engine crawlers, SEO bots and
# scripts. The other requests come from people, whose devices and browsers follow their
# country's shares (tempdata.datasets._web.clients).
_BOTS: dict[str, tuple[float, str]] = {
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)": (
        0.06,
        "crawler",
    ),
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, "
    "like Gecko) Chrome/124.0.6367.118 Mobile Safari/537.36 (compatible; Googlebot/2.1; "
    "+http://www.google.com/bot.html)": (0.03, "crawler"),
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)": (0.025, "crawler"),
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)": (0.008, "crawler"),
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)": (0.012, "crawler"),
    "curl/8.5.0": (0.01, "script"),
    "python-requests/2.31.0": (0.015, "script"),
    "Go-http-client/1.1": (0.008, "script"),
}
_KINDS = ("human", "crawler", "script")

# -- site map -----------------------------------------------------------------------

# Sections of the site and their share of requests, by kind of client. Crawlers
# read robots.txt and the sitemap far more often than people; scripts probe the API
# and well-known attack paths.
_SECTIONS: dict[str, dict[str, float]] = {
    "human": {
        "home": 0.08,
        "product": 0.2,
        "category": 0.08,
        "search": 0.07,
        "cart": 0.04,
        "account": 0.03,
        "api": 0.2,
        "static": 0.28,
        "robots": 0.001,
        "sitemap": 0.001,
        "probe": 0.008,
    },
    "crawler": {
        "home": 0.06,
        "product": 0.45,
        "category": 0.15,
        "search": 0.02,
        "cart": 0.0,
        "account": 0.0,
        "api": 0.0,
        "static": 0.12,
        "robots": 0.1,
        "sitemap": 0.1,
        "probe": 0.0,
    },
    "script": {
        "home": 0.1,
        "product": 0.15,
        "category": 0.0,
        "search": 0.05,
        "cart": 0.0,
        "account": 0.05,
        "api": 0.4,
        "static": 0.0,
        "robots": 0.05,
        "sitemap": 0.0,
        "probe": 0.2,
    },
}
_CATEGORIES = ["electronics", "home-kitchen", "clothing", "sports", "beauty", "toys", "books"]
_SEARCHES = {
    "wireless+headphones": 0.12,
    "running+shoes": 0.1,
    "laptop": 0.09,
    "coffee+maker": 0.07,
    "usb-c+charger": 0.08,
    "yoga+mat": 0.05,
    "winter+jacket": 0.06,
    "gift+ideas": 0.05,
    "phone+case": 0.09,
    "lego": 0.04,
    "air+fryer": 0.07,
    "desk+lamp": 0.04,
    "sale": 0.08,
    "backpack": 0.06,
}
_API = {
    "/api/v1/cart": 0.22,
    "/api/v1/recommendations": 0.18,
    "/api/v1/session": 0.14,
    "/api/v1/products": 0.16,
    "/api/v1/search/suggest": 0.15,
    "/api/v1/orders": 0.05,
    "/api/v1/events": 0.1,
}
_STATIC = {
    "/static/css/main.8f3c2a1b.css": 0.18,
    "/static/js/app.4d9e7f21.js": 0.18,
    "/static/js/vendor.b71c03aa.js": 0.16,
    "/static/img/logo.svg": 0.12,
    "/static/fonts/inter-var.woff2": 0.1,
    "/static/img/hero-banner.webp": 0.1,
    "/favicon.ico": 0.16,
}
_CART = {"/cart": 0.6, "/checkout": 0.3, "/checkout/confirm": 0.1}
_ACCOUNT = {"/login": 0.5, "/account": 0.3, "/account/orders": 0.2}
_PROBES = {
    "/wp-login.php": 0.3,
    "/.env": 0.2,
    "/xmlrpc.php": 0.1,
    "/admin/config.php": 0.1,
    "/.git/config": 0.15,
    "/phpmyadmin/": 0.15,
}
_PRODUCTS = 5_000  # product pages /products/1 … /products/5000, popularity Zipf-skewed

_METHODS: dict[str, dict[str, float]] = {
    "api": {"GET": 0.62, "POST": 0.28, "PUT": 0.05, "DELETE": 0.03, "OPTIONS": 0.02},
    "cart": {"GET": 0.65, "POST": 0.35},
    "account": {"GET": 0.6, "POST": 0.4},
    "probe": {"GET": 0.8, "POST": 0.2},
    **{
        section: {"GET": 0.985, "HEAD": 0.015}
        for section in ("home", "product", "category", "search", "static", "robots", "sitemap")
    },
}

# Status of a request outside incidents, by section. 304: a revalidated cache entry
# (static assets mostly); 301: old URLs and trailing slashes; 404: dead links, probes.
_OK = {"200": 0.93, "304": 0.03, "301": 0.01, "404": 0.03}
_STATUSES: dict[str, dict[str, float]] = {
    "home": {"200": 0.9, "304": 0.06, "301": 0.04},
    "product": {"200": 0.9, "304": 0.04, "301": 0.015, "404": 0.045},
    "category": _OK,
    "search": {"200": 0.99, "404": 0.01},
    "cart": {"200": 0.97, "301": 0.03},
    "account": {"200": 0.95, "301": 0.05},
    "api": {"200": 0.975, "404": 0.025},
    "static": {"200": 0.62, "304": 0.36, "404": 0.02},
    "robots": {"200": 0.9, "304": 0.1},
    "sitemap": {"200": 0.85, "304": 0.15},
    "probe": {"404": 0.97, "301": 0.03},
}
STATUSES = (200, 301, 304, 404, 500, 503)

# Median response size (bytes) and log-sigma of a 200 response, by section.
_SIZES: dict[str, tuple[float, float]] = {
    "home": (48_000.0, 0.25),
    "product": (62_000.0, 0.35),
    "category": (55_000.0, 0.3),
    "search": (41_000.0, 0.45),
    "cart": (18_000.0, 0.3),
    "account": (12_000.0, 0.3),
    "api": (1_800.0, 1.3),
    "static": (24_000.0, 1.4),
    "robots": (420.0, 0.05),
    "sitemap": (180_000.0, 0.3),
    "probe": (700.0, 0.3),
}
# Median latency (ms) of a successful response, by section; log-sigma 0.7.
_LATENCY = {
    "home": 45.0,
    "product": 70.0,
    "category": 85.0,
    "search": 160.0,
    "cart": 90.0,
    "account": 75.0,
    "api": 120.0,
    "static": 6.0,
    "robots": 3.0,
    "sitemap": 40.0,
    "probe": 4.0,
}

# -- incidents ----------------------------------------------------------------------

_INCIDENT_START = 0.012  # chance that an incident starts in a given hour
_INCIDENT_HOURS = 4  # longest incident
_BASE_5XX = 0.0015  # stray server errors outside incidents
_US_PER_HOUR = 3_600_000_000


def _mix(x: Array) -> Array:
    """SplitMix64 finaliser: a well-spread 64-bit hash of each ``uint64``."""
    with np.errstate(over="ignore"):
        z = x + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def _unit(x: Array) -> Array:
    """Floats in [0, 1) from hashes."""
    return (x >> np.uint64(11)).astype(np.float64) / float(2**53)


@dataclass(frozen=True, repr=False)
class _IncidentLevel(CallRepr, Sampler):
    """Share of requests failing with 5xx in the row's hour: 0 outside incidents.

    An incident starts in hour ``h`` with probability ``start`` and lasts 1 to 4
    hours, both decided by a hash of ``h`` and the dataset's context seed — a function
    of the timestamp alone, so every chunk sees the same incidents.
    """

    _factory = "incident_level"
    column: str
    start: float = _INCIDENT_START

    @property
    def given(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.column,)

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Float64()

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> Array:
        key = np.uint64(ctx.seeder.context_seed(f"{ctx.dataset}.{ctx.column}"))
        micros = ctx.frame.get_column(self.column).dt.epoch("us").to_numpy()
        hour = (micros // _US_PER_HOUR).astype(np.uint64)
        level = np.zeros(ctx.n)
        for back in range(_INCIDENT_HOURS):
            with np.errstate(over="ignore"):
                h = _mix((hour - np.uint64(back)) ^ key)
            starts = _unit(h) < self.start
            length = 1 + (_unit(_mix(h)) * _INCIDENT_HOURS).astype(np.int64)
            severity = 0.15 + 0.6 * _unit(_mix(h ^ np.uint64(0x5BD1E995)))
            hit = starts & (length > back)
            level = np.where(hit, np.maximum(level, severity), level)
        return level


@dataclass(frozen=True, repr=False)
class _PublicIps(CallRepr, Sampler):
    """A public IPv4 address (as an integer) for each rank of ``column``.

    Rank ``r`` maps to the same address everywhere in the dataset (a hash of ``r``
    and the context seed); addresses in private, loopback, link-local, CGNAT,
    documentation, benchmarking, multicast and reserved ranges are moved to public
    ones by changing their first or second octet.
    """

    _factory = "public_ips"
    column: str

    @property
    def given(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.column,)

    def dtype(self, params: Params) -> pl.DataType:
        return pl.UInt32()

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> Array:
        key = np.uint64(ctx.seeder.context_seed(f"{ctx.dataset}.{ctx.column}"))
        rank = ctx.frame.get_column(self.column).to_numpy().astype(np.uint64)
        h = _mix(rank ^ key)
        first = _PUBLIC_FIRST[(h >> np.uint64(32)) % np.uint64(len(_PUBLIC_FIRST))]
        rest = (h & np.uint64(0xFFFFFF)).astype(np.int64)
        second = rest >> 16
        third = (rest >> 8) & 255
        # Reserved blocks inside public /8s: move them by flipping the second octet's
        # top bit (172.16/12 → 172.144/12, 192.168/16 → 192.40/16, …), always public.
        special = np.zeros(ctx.n, dtype=bool)
        for a, lo, hi, c in _SPECIAL_BLOCKS:
            inside = (first == a) & (second >= lo) & (second <= hi)
            if c is not None:
                inside &= third == c
            special |= inside
        second = np.where(special, second ^ 128, second)
        address: Array = (first << 24) | (second << 16) | (rest & 0xFFFF)
        return address.astype(np.uint32)


# First octets that are never public: 0/8, 10/8, 127/8 and 224–255 (multicast, reserved).
_PUBLIC_FIRST = np.array(
    [a for a in range(1, 224) if a not in (10, 127)],
    dtype=np.int64,
)
# (first octet, lowest and highest second octet, third octet or None) of non-public
# blocks inside public /8s (RFC 6890 special-purpose registry).
_SPECIAL_BLOCKS: tuple[tuple[int, int, int, int | None], ...] = (
    (100, 64, 127, None),  # 100.64.0.0/10 carrier-grade NAT
    (169, 254, 254, None),  # 169.254.0.0/16 link-local
    (172, 16, 31, None),  # 172.16.0.0/12 private
    (192, 168, 168, None),  # 192.168.0.0/16 private
    (192, 0, 0, 0),  # 192.0.0.0/24 IETF protocol assignments
    (192, 0, 0, 2),  # 192.0.2.0/24 TEST-NET-1
    (192, 88, 88, 99),  # 192.88.99.0/24 6to4 relay anycast
    (198, 18, 19, None),  # 198.18.0.0/15 benchmarking
    (198, 51, 51, 100),  # 198.51.100.0/24 TEST-NET-2
    (203, 0, 0, 113),  # 203.0.113.0/24 TEST-NET-3
)


def _octets(ip: pl.Expr) -> list[pl.Expr]:
    parts = ip.str.split(".")
    return [parts.list.get(i, null_on_oob=True).cast(pl.Int64, strict=False) for i in range(4)]


def _is_public_ipv4(ip: pl.Expr) -> pl.Expr:
    """True where ``ip`` is a dotted quad outside every non-public IPv4 range."""
    a, b, c, d = _octets(ip)
    well_formed = ip.str.contains(r"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$") & pl.all_horizontal(
        x.is_between(0, 255) for x in (a, b, c, d)
    )
    blocked = ~a.is_in(_PUBLIC_FIRST.tolist())
    for first, lo, hi, third in _SPECIAL_BLOCKS:
        inside = (a == first) & b.is_between(lo, hi)
        if third is not None:
            inside = inside & (c == third)
        blocked = blocked | inside
    return (well_formed & ~blocked).fill_null(False)


# -- the dataset --------------------------------------------------------------------

_section = pl.col("_section")
_status = pl.col("status")


def _by_section(table: dict[str, float]) -> pl.Expr:
    return _section.cast(pl.String).replace_strict(table, return_dtype=pl.Float64)


_size_median = _by_section({k: v[0] for k, v in _SIZES.items()})
_size_sigma = _by_section({k: v[1] for k, v in _SIZES.items()})
_ok_bytes = (_size_median.log() + _size_sigma * pl.col("_z_size")).exp()
_latency_factor = (
    pl.when(_status == 503)
    .then(12.0)  # upstream timeouts
    .when(_status == 500)
    .then(3.0)
    .when(_status == 304)
    .then(0.4)
    .when(_status.is_in([301, 404]))
    .then(0.3)
    .otherwise(1.0)
)
_path = (
    pl.when(_section == "home")
    .then(pl.lit("/"))
    .when(_section == "product")
    .then(pl.format("/products/{}", pl.col("_product")))
    .when(_section == "category")
    .then(pl.format("/category/{}", pl.col("_category")))
    .when(_section == "search")
    .then(pl.format("/search?q={}", pl.col("_query")))
    .when(_section == "api")
    .then(pl.col("_api").cast(pl.String))
    .when(_section == "static")
    .then(pl.col("_static").cast(pl.String))
    .when(_section == "cart")
    .then(pl.col("_cart").cast(pl.String))
    .when(_section == "account")
    .then(pl.col("_account").cast(pl.String))
    .when(_section == "robots")
    .then(pl.lit("/robots.txt"))
    .when(_section == "sitemap")
    .then(pl.lit("/sitemap.xml"))
    .otherwise(pl.col("_probe").cast(pl.String))
)
_ip = pl.col("_ip")
_REFERRERS = {
    "human": {
        "": 0.34,
        "https://www.google.com/": 0.24,
        "https://www.bing.com/": 0.04,
        "https://duckduckgo.com/": 0.02,
        "https://www.facebook.com/": 0.02,
        "https://t.co/": 0.01,
        f"{_HOST}/": 0.12,
        f"{_HOST}/search?q=headphones": 0.06,
        f"{_HOST}/category/electronics": 0.07,
        f"{_HOST}/products/17": 0.05,
        f"{_HOST}/cart": 0.03,
    },
    "crawler": {"": 0.95, f"{_HOST}/": 0.05},
    "script": {"": 1.0},
}

web_logs = register(
    Dataset(
        "web_logs",
        domain="technology",
        description="Access log of an online shop's web server: one row per HTTP "
        "request, sorted by time (the visitor's local time, zone in timezone).",
        date_span_days=30,
        depends_on_rows=("timestamp", "status", "bytes", "latency_ms"),
        notes="timestamp is the visitor's local wall-clock time (zone in timezone; "
        "combined_log_lines() writes its UTC offset). Traffic peaks in the local evening "
        "and on weekdays and keeps the visitor's country's calendar (tempdata.calendar): a "
        "public holiday of its country and state weighs like a Sunday (about 10 % below an "
        "ordinary weekday; Cloudflare Radar measured US traffic 20 % down on Thanksgiving "
        "2024 and 21 % on Christmas Day), months follow the online-shopping months "
        "(February quietest, December busiest). People's user agents are the documented "
        "header of a (device, OS, browser) drawn from their country's page-view shares "
        "(device_shares.parquet, StatCounter Global Stats, CC BY-SA 3.0); about 17 % of "
        "requests are crawlers and scripts. Client addresses are public "
        "IPv4 drawn from a Zipf-skewed pool (a = 0.9), so a few clients send a large "
        "share of the requests. Crawlers (Googlebot, bingbot, …) fetch robots.txt, the "
        "sitemap and product pages; scripts probe the API and attack paths (404). "
        "Server errors cluster in incidents: about 1 % of hours start an incident of 1 "
        "to 4 hours in which 15–75 % of requests fail with 500 or 503, slowly. Incidents "
        "depend on the (local) hour and the seed only. Status, bytes and latency depend on the "
        "row count through the timestamps. combined_log_lines() in this module writes "
        "rows as Apache/Nginx combined log lines.",
        columns=[
            group(
                "received",
                s.calendar_times({"web": (_TRAFFIC, 1.0)}, sorted=True),
                columns={"timestamp": "time", "_calendar": "calendar"},
                hidden=["_calendar"],
                descriptions={
                    "timestamp": "Time the request was received, the visitor's local "
                    "wall-clock time (zone in timezone); rows are sorted by it."
                },
            ),
            group(
                "visitor",
                s.places(calendar="_calendar"),
                columns={"country": "country", "timezone": "timezone", "_cc": "country_code"},
                hidden=["_cc"],
                descriptions={
                    "country": "Visitor's country (GeoIP-style; by city population, keeping "
                    "its calendar).",
                    "timezone": "IANA time zone of the visitor's city: the zone of timestamp.",
                },
            ),
            col("_ip_rank", s.zipf(0.9, high=2_000_000), hidden=True),
            col("_ip", _PublicIps("_ip_rank"), hidden=True),
            col(
                "client_ip",
                pl.concat_str(
                    [(_ip // 2**shift) % 256 for shift in (24, 16, 8, 0)],
                    separator=".",
                ),
                description="Public IPv4 address of the client; a few heavy hitters send "
                "a large share of the requests.",
            ),
            col(
                "_section",
                s.choice_by(
                    "_kind",
                    {k: {sec: w for sec, w in t.items() if w} for k, t in _SECTIONS.items()},
                ),
                hidden=True,
            ),
            col(
                "method",
                s.choice_by("_section", _METHODS),
                description="HTTP method: mostly GET; POST, PUT and DELETE on the API, "
                "cart and login.",
            ),
            col("_product", s.zipf(1.1, high=_PRODUCTS), hidden=True),
            col("_category", s.choice(_CATEGORIES), hidden=True),
            col("_query", s.choice(_SEARCHES), hidden=True),
            col("_api", s.choice(_API), hidden=True),
            col("_static", s.choice(_STATIC), hidden=True),
            col("_cart", s.choice(_CART), hidden=True),
            col("_account", s.choice(_ACCOUNT), hidden=True),
            col("_probe", s.choice(_PROBES), hidden=True),
            col(
                "path",
                _path,
                description="Requested path and query: /, /products/{id}, /category/…, "
                "/search?q=…, /api/v1/…, /static/…, robots.txt, sitemap.xml, and probes "
                "of well-known attack paths.",
            ),
            col("_incident", _IncidentLevel("timestamp"), hidden=True),
            col("_base_status", s.choice_by("_section", _STATUSES), hidden=True),
            col("_u_error", s.floats(0.0, 1.0), hidden=True),
            col("_u_503", s.floats(0.0, 1.0), hidden=True),
            col(
                "status",
                pl.when(pl.col("_u_error") < pl.col("_incident") + _BASE_5XX)
                .then(pl.when(pl.col("_u_503") < 0.6).then(503).otherwise(500))
                .otherwise(pl.col("_base_status").cast(pl.String).cast(pl.Int64))
                .cast(pl.Int16),
                description="HTTP status: 200, 301, 304, 404, 500 or 503; 5xx cluster in "
                "incident hours.",
            ),
            col("_z_size", s.normal(0.0, 1.0), hidden=True),
            col(
                "bytes",
                pl.when(_status == 304)
                .then(0.0)
                .when(_status == 301)
                .then(178.0 + pl.col("_z_size").abs() * 20)
                .when(_status == 404)
                .then(1_250.0 + pl.col("_z_size").abs() * 150)
                .when(_status >= 500)
                .then(380.0 + pl.col("_z_size").abs() * 60)
                .otherwise(_ok_bytes)
                .round(0)
                .cast(pl.Int64),
                description="Response body size in bytes: heavy-tailed (lognormal by "
                "section), 0 for 304.",
            ),
            col("_z_latency", s.normal(0.0, 1.0), hidden=True),
            col(
                "latency_ms",
                ((_by_section(_LATENCY).log() + 0.7 * pl.col("_z_latency")).exp() * _latency_factor)
                .clip(0.2, 60_000.0)
                .round(1),
                description="Time to serve the request, ms: lognormal, slower on the API, "
                "search and 5xx responses.",
            ),
            col(
                "referrer",
                s.choice_by("_kind", _REFERRERS),
                description="Referer header: empty (direct traffic, bots), a search "
                "engine, social media or a page of the site.",
            ),
            group(
                "client",
                clients("_cc", bots=_BOTS),
                columns={"user_agent": "user_agent", "_kind": "kind"},
                hidden=["_kind"],
                descriptions={
                    "user_agent": "User-Agent header: a person's browser as its vendor "
                    "writes it (device, OS and browser by the country's StatCounter shares), "
                    "or a search-engine crawler or script.",
                },
            ),
        ],
        checks=[
            check("status_known", _status.is_in(list(STATUSES))),
            check("bytes_not_negative", pl.col("bytes") >= 0),
            check("not_modified_is_empty", (_status != 304) | (pl.col("bytes") == 0)),
            check("latency_positive", pl.col("latency_ms") > 0),
            check(
                "sorted_by_timestamp",
                pl.col("timestamp") >= pl.col("timestamp").shift(1).fill_null(pl.col("timestamp")),
            ),
            check("client_ip_public", _is_public_ipv4(pl.col("client_ip"))),
        ],
    )
)


def combined_log_lines(frame: pl.DataFrame) -> pl.Series:
    """Rows of ``web_logs`` as Apache/Nginx combined log lines (vectorised).

    ``host - - [day/Mon/year:HH:MM:SS +hhmm] "METHOD path HTTP/1.1" status bytes
    "referrer" "user agent"``, the time with its zone's UTC offset (``+0000`` without a
    ``timezone`` column); an empty referrer and a zero size are written ``-``.

    Examples
    --------
    >>> import tempdata
    >>> frame = tempdata.generate("web_logs", rows=3, seed=1)
    >>> combined_log_lines(frame).str.contains(r'^\\S+ - - \\[').all()
    True
    """

    def quoted(name: str) -> pl.Expr:
        text = pl.col(name).cast(pl.String)
        text = text.str.replace_all("\\", "\\\\", literal=True)
        return text.str.replace_all('"', '\\"', literal=True)

    referrer = pl.col("referrer").cast(pl.String)
    line = pl.concat_str(
        [
            pl.col("client_ip"),
            pl.lit(" - - ["),
            pl.col("timestamp").dt.strftime("%d/%b/%Y:%H:%M:%S "),
            pl.col("_offset"),
            pl.lit('] "'),
            pl.col("method").cast(pl.String),
            pl.lit(" "),
            quoted("path"),
            pl.lit(' HTTP/1.1" '),
            pl.col("status").cast(pl.String),
            pl.lit(" "),
            pl.when(pl.col("bytes") == 0)
            .then(pl.lit("-"))
            .otherwise(pl.col("bytes").cast(pl.String)),
            pl.lit(' "'),
            pl.when(referrer == "").then(pl.lit("-")).otherwise(quoted("referrer")),
            pl.lit('" "'),
            quoted("user_agent"),
            pl.lit('"'),
        ]
    )
    return frame.with_columns(_offset=_utc_offsets(frame)).select(line.alias("line")).to_series()


def _utc_offsets(frame: pl.DataFrame) -> pl.Series:
    """``+hhmm`` of each row's local ``timestamp`` in its ``timezone`` (one vectorised
    conversion per zone; a time in a spring-forward gap takes the offset after it)."""
    if "timezone" not in frame.columns:
        return pl.repeat("+0000", frame.height, eager=True)
    zones = frame.get_column("timezone").cast(pl.String)
    times = frame.get_column("timestamp")
    out = pl.repeat("+0000", frame.height, eager=True)
    for zone in zones.unique().drop_nulls().to_list():
        rows = (zones == zone).arg_true()
        local = times.gather(rows)
        offset = local.dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
        later = local.dt.offset_by("1h").dt.replace_time_zone(
            zone, ambiguous="earliest", non_existent="null"
        )
        text = offset.dt.strftime("%z").fill_null(later.dt.strftime("%z")).fill_null("+0000")
        out = out.scatter(rows, text)
    return out
