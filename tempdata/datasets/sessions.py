"""Technology dataset: ``user_sessions``, visits to an online shop as web analytics sees them.

One row per session, sorted by its start. Sessions follow a diurnal and weekly
profile; a minority of returning users account for many sessions (Zipf-skewed user
pool). Device, operating system and browser are drawn in that order, each consistent
with the one before; the acquisition channel and device set the bounce rate; duration
is heavy-tailed and pages viewed grow with it. Conversion follows a logistic model of
device, channel and pages viewed (``CONVERSION_*`` below), and never happens in a
bounced session; revenue is positive exactly when the session converted.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import polars as pl

from tempdata import samplers as s
from tempdata.core.plan import Dataset, check, col, group
from tempdata.datasets._web import BROWSERS, DEVICES, OPERATING_SYSTEMS, clients, traffic
from tempdata.datasets.registry import register
from tempdata.geo.money import round_money

__all__ = [
    "BROWSERS",
    "CHANNELS",
    "CONVERSION_BY_CHANNEL",
    "CONVERSION_BY_DEVICE",
    "CONVERSION_INTERCEPT",
    "CONVERSION_PER_LN_PAGE",
    "DEVICES",
    "OPERATING_SYSTEMS",
    "user_sessions",
]

# Sessions per hour of day and weekday (Mon–Sun), in the visitor's local time: quiet at
# night, a morning rise, a lunchtime bump and a prime-time evening peak; weekends a
# little quieter. The site's calendar (holidays as Sundays, the online-shopping months)
# comes from tempdata.datasets._web.
_SESSIONS = traffic(
    "sessions",
    hours=(
        *(0.3, 0.2, 0.15, 0.12, 0.12, 0.18, 0.35, 0.6, 0.85, 0.95, 1.0, 1.05),
        *(1.15, 1.1, 1.05, 1.05, 1.1, 1.2, 1.35, 1.55, 1.65, 1.5, 1.1, 0.6),
    ),
    weekdays=(1.05, 1.05, 1.0, 1.0, 0.95, 0.8, 0.9),
)

# Acquisition channel share of sessions.
CHANNELS: dict[str, float] = {
    "organic search": 0.36,
    "direct": 0.24,
    "paid search": 0.13,
    "social": 0.12,
    "email": 0.07,
    "referral": 0.08,
}

# Bounce rate (one page, then gone) by channel, scaled by device.
_BOUNCE_BY_CHANNEL = {
    "organic search": 0.42,
    "direct": 0.38,
    "paid search": 0.48,
    "social": 0.58,
    "email": 0.3,
    "referral": 0.4,
}
_BOUNCE_BY_DEVICE = {"mobile": 1.12, "desktop": 0.85, "tablet": 1.0}

# Conversion: P(convert | not bounced) = sigmoid(intercept + device + channel +
# pages · ln(pages_viewed)); bounced sessions never convert. On a desktop organic
# session of 5 pages that is about 3.8 %; overall about 2–2.5 % of all sessions.
CONVERSION_INTERCEPT = -4.6
CONVERSION_BY_DEVICE: dict[str, float] = {"desktop": 0.4, "tablet": 0.1, "mobile": -0.35}
CONVERSION_BY_CHANNEL: dict[str, float] = {
    "email": 0.65,
    "direct": 0.45,
    "referral": 0.2,
    "paid search": 0.1,
    "organic search": 0.0,
    "social": -0.7,
}
CONVERSION_PER_LN_PAGE = 0.6

# Durations in seconds: bounces are short (median 8 s), others lognormal around four
# minutes with a long tail, capped at four hours (analytics tools cut idle sessions).
_BOUNCE_MEDIAN_S = 8.0
_BOUNCE_SIGMA = 0.9
_VISIT_MEDIAN_S = 240.0
_VISIT_SIGMA = 1.05
_MAX_DURATION_S = 4 * 3600
_MAX_PAGES = 500
# Order value: lognormal in US dollars (median 65), converted to the currency.
_ORDER_MEDIAN_USD = 65.0
_ORDER_SIGMA = 0.8
_USERS = 2_000_000  # size of the user pool
_USER_PRIME = 2_000_003  # a prime above it: rank → id is a bijection mod this prime


def _table(column: str, values: dict[str, float]) -> pl.Expr:
    return pl.col(column).cast(pl.String).replace_strict(values, return_dtype=pl.Float64)


_bounced = pl.col("bounced")
_bounce_rate = _table("channel", _BOUNCE_BY_CHANNEL) * _table("device", _BOUNCE_BY_DEVICE)
_duration = (
    pl.when(_bounced)
    .then((math.log(_BOUNCE_MEDIAN_S) + _BOUNCE_SIGMA * pl.col("_z_duration")).exp())
    .otherwise((math.log(_VISIT_MEDIAN_S) + _VISIT_SIGMA * pl.col("_z_duration")).exp() + 10.0)
    .round(0)
    .clip(1, _MAX_DURATION_S)
    .cast(pl.Int32)
)
# Non-bounced sessions: at least 2 pages, about one more per minute and a quarter
# (sub-linear), with per-session noise.
_pages = (
    pl.when(_bounced)
    .then(1)
    .otherwise(
        (2.0 + (pl.col("duration_s") / 75.0).pow(0.85) * (0.45 * pl.col("_z_pages")).exp()).floor()
    )
    .clip(1, _MAX_PAGES)
    .cast(pl.Int16)
)
_logit = (
    CONVERSION_INTERCEPT
    + _table("device", CONVERSION_BY_DEVICE)
    + _table("channel", CONVERSION_BY_CHANNEL)
    + CONVERSION_PER_LN_PAGE * pl.col("pages_viewed").cast(pl.Float64).log()
)
_p_convert = 1.0 / (1.0 + (-_logit).exp())


def _allowed(column: str, given: str, table: Mapping[str, Iterable[str]]) -> pl.Expr:
    """True where ``column`` is one of the values ``table`` allows for ``given``."""
    pairs = [f"{g}|{v}" for g, values in table.items() for v in values]
    return pl.concat_str(
        [pl.col(given).cast(pl.String), pl.col(column).cast(pl.String)], separator="|"
    ).is_in(pairs)


user_sessions = register(
    Dataset(
        "user_sessions",
        domain="technology",
        description="Visits to an online shop as web analytics records them: one row per "
        "session, sorted by start time (the visitor's local time, zone in timezone).",
        date_span_days=30,
        key="session_id",
        depends_on_rows=("started_at",),
        notes="started_at is the visitor's local wall-clock time (zone in timezone), and "
        "the visitor's country keeps its calendar (tempdata.calendar): a public holiday of "
        "the visitor's country and state weighs like a Sunday (about 10 % below an ordinary "
        "weekday; Cloudflare Radar measured US traffic 20 % down on Thanksgiving 2024 and "
        "21 % on Christmas Day), months follow the online-shopping months (February "
        "quietest, December busiest), and the evening peak is local. user_id is drawn from "
        "a pool of 2,000,000 users with Zipf-skewed activity (a = 0.8): returning users "
        "have many sessions. device, os and browser are drawn together from the visitor's "
        "country's page-view shares (device_shares.parquet: StatCounter Global Stats, "
        "CC BY-SA 3.0 — "
        "desktop vs phone by the country's desktop and mobile browsers, iOS vs Android by "
        "its mobile-OS share, desktop systems by the world's, tablets 2 % of views): Safari "
        "only on Apple systems, Samsung Internet only on Android. Bounce rate is 30 % "
        "(email) to 58 % (social), "
        "× 1.12 on mobile and × 0.85 on desktop. Durations: bounces lognormal around 8 s, "
        "other sessions around 4 min with a heavy tail, capped at 4 h; pages grow with "
        "duration. Conversion (non-bounced only): logistic in device (desktop +0.4, "
        "tablet +0.1, mobile −0.35), channel (email +0.65, direct +0.45, referral +0.2, "
        "paid search +0.1, organic 0, social −0.7) and 0.6 · ln(pages_viewed), intercept "
        "−4.6 (CONVERSION_* in this module). Revenue: lognormal order value (median "
        "65 US dollars) in the country's currency, 0 unless converted. started_at "
        "depends on the row count (sorted timestamps).",
        columns=[
            col("session_id", s.sequence("SES-{:010d}"), description="Session key, SES-… upwards."),
            col("_user_rank", s.zipf(0.8, high=_USERS), hidden=True),
            col(
                "user_id",
                pl.format(
                    "USR-{}",
                    ((pl.col("_user_rank") * 1_103_515 + 12_345) % _USER_PRIME)
                    .cast(pl.String)
                    .str.zfill(7),
                ),
                description="Visitor key (USR-…); a few returning users have many sessions.",
            ),
            group(
                "started",
                s.calendar_times({"web": (_SESSIONS, 1.0)}, sorted=True),
                columns={"started_at": "time", "_calendar": "calendar"},
                hidden=["_calendar"],
                descriptions={
                    "started_at": "Session start, the visitor's local wall-clock time (zone "
                    "in timezone); rows are sorted by it."
                },
            ),
            col("_z_duration", s.normal(0.0, 1.0), hidden=True),
            col(
                "duration_s",
                _duration,
                description="Session length in seconds: heavy-tailed, a few seconds for "
                "bounces, capped at 4 hours.",
            ),
            col("_z_pages", s.normal(0.0, 1.0), hidden=True),
            col(
                "pages_viewed",
                _pages,
                description="Pages viewed: 1 for bounces, at least 2 otherwise, growing with "
                "duration.",
            ),
            group(
                "client",
                clients("_country_code"),
                columns=["device", "os", "browser"],
                descriptions={
                    "device": "desktop, mobile or tablet, by the visitor's country's share "
                    "(StatCounter).",
                    "os": "Operating system, consistent with the device (Windows, macOS, "
                    "Linux, Chrome OS on desktops; iOS, Android, KaiOS on phones; iPadOS, "
                    "Android on tablets).",
                    "browser": "Browser, consistent with the OS (Safari only on Apple systems, "
                    "Samsung Internet only on Android, ...), by the country's shares.",
                },
            ),
            col(
                "channel",
                s.choice(CHANNELS),
                description="Acquisition channel: organic search, paid search, direct, "
                "social, email or referral.",
            ),
            group(
                "place",
                s.places(calendar="_calendar"),
                columns={
                    "country": "country",
                    "timezone": "timezone",
                    "_country_code": "country_code",
                },
                hidden=["_country_code"],
                descriptions={
                    "country": "Visitor's country (by city population, keeping its calendar).",
                    "timezone": "IANA time zone of the visitor's city: the zone of started_at.",
                },
            ),
            col("_u_bounce", s.floats(0.0, 1.0), hidden=True),
            col(
                "bounced",
                pl.col("_u_bounce") < _bounce_rate,
                description="Single-page visit; more likely from social and on mobile.",
            ),
            col("_u_convert", s.floats(0.0, 1.0), hidden=True),
            col(
                "converted",
                ~_bounced & (pl.col("_u_convert") < _p_convert),
                description="Placed an order: logistic in device, channel and pages viewed "
                "(see notes); never when bounced.",
            ),
            col("_z_order", s.normal(0.0, 1.0), hidden=True),
            col(
                "revenue",
                pl.when(pl.col("converted"))
                .then(
                    round_money(
                        (math.log(_ORDER_MEDIAN_USD) + _ORDER_SIGMA * pl.col("_z_order"))
                        .exp()
                        .clip(lower_bound=1.0)
                        * pl.col("_per_usd"),
                        pl.col("_decimals"),
                    )
                )
                .otherwise(0.0),
                description="Order value in `currency`: > 0 exactly when converted, else 0.",
            ),
            group(
                "money",
                s.money(),
                columns={"currency": "currency", "_per_usd": "per_usd", "_decimals": "decimals"},
                hidden=["_per_usd", "_decimals"],
                descriptions={
                    "currency": "ISO 4217 code of revenue: the country's currency (US dollars "
                    "for global, or where no rate is known).",
                },
            ),
        ],
        checks=[
            check("session_id_unique", pl.col("session_id").is_unique()),
            check(
                "sorted_by_started_at",
                pl.col("started_at")
                >= pl.col("started_at").shift(1).fill_null(pl.col("started_at")),
            ),
            check(
                "duration_in_range",
                pl.col("duration_s").is_between(1, _MAX_DURATION_S),
            ),
            check("pages_at_least_one", pl.col("pages_viewed").is_between(1, _MAX_PAGES)),
            check("bounce_is_one_page", ~_bounced | (pl.col("pages_viewed") == 1)),
            check("visit_is_several_pages", _bounced | (pl.col("pages_viewed") >= 2)),
            check("bounce_never_converts", ~(_bounced & pl.col("converted"))),
            check("os_matches_device", _allowed("os", "device", OPERATING_SYSTEMS)),
            check("browser_matches_os", _allowed("browser", "os", BROWSERS)),
            check(
                "revenue_iff_converted",
                pl.col("revenue").is_finite() & ((pl.col("revenue") > 0) == pl.col("converted")),
            ),
            check("revenue_not_negative", pl.col("revenue") >= 0),
        ],
    )
)
