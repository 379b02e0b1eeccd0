"""Social datasets: ``user_profiles`` (accounts) and ``social_posts`` (their posts).

``user_profiles`` has one row per account, sorted by sign-up (ids grow with it). Each
account lives in a real city (by population) whose time zone it keeps, speaks the
language of its country (or of the ``locale`` parameter), and has a unique username
built from its owner's name and row number. Follower counts follow a power law (a
Pareto tail of exponent 1.15), growing with account age and activity; a few accounts
with 10,000 followers or more are verified, the more followers the likelier.

``social_posts`` has one row per post, sorted by ``created_at`` (UTC) with ids growing
in time. Its authors are the accounts of ``user_profiles`` generated under the same
seed (``users`` of them, default rows / 20): generated alone, the posts table
generates the columns it needs of that table whole, and cached. How a post is made:

* **When and by whom.** Each account posts at its own rate (a hidden, heavy-tailed
  activity of the profile), only after it joined, and by the hour of its own time
  zone (quiet at night, a lunchtime bump, an evening peak; see ``LOCAL_HOURS``).
  Timestamps are drawn sorted from the resulting UTC activity (the population's
  local profiles shifted by their UTC offsets, growing as accounts join); the author
  of each is then chosen among six candidates drawn by activity from the accounts
  that had joined by then, in proportion to how active the candidate's local hour
  and weekday are. ``local_hour`` is the hour on the author's clock (daylight saving
  time included).
* **What.** One message on one topic in the author's language (languages without
  words in tempdata post in English), built by ``_social_text``: the moment picks the
  topic (a morning greeting at 05-11 local time, the weekday on the last and first
  working day of the author's country's week, a greeting on its holidays), then a
  sentiment, an opening frame and often a follow-up of that topic and sentiment, emoji
  and hashtags of the topic; a quarter of the posts open by mentioning one or two
  accounts, popular ones likelier, never the author and never one that had not joined.
* **Engagement.** Likes are Poisson around a lognormal mean that grows as followers
  to the power 0.85, higher for videos and images, and still accumulating for posts
  made in the last hours before the end of the date range; shares and comments are
  noisy fractions of the likes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import polars as pl

from tempdata import samplers as s
from tempdata.core.plan import (
    ChunkContext,
    Dataset,
    GroupSampler,
    Parameter,
    Params,
    SampleOutput,
    Sampler,
    check,
    col,
    group,
)
from tempdata.core.planner import MAX_PARENT_ROWS
from tempdata.datasets import _social_text as text
from tempdata.datasets._social_accounts import (
    HOUR_WEIGHTS,
    LOCAL_HOURS,
    LOCAL_WEEKDAYS,
    PROFILES,
    SIGNUP_SPAN_DAYS,
    US,
    US_PER_DAY,
    WEEKDAY_WEIGHTS,
    default_users,
    gather_or_null,
    language_of_country,
    micros,
    posting_accounts,
    profile_languages,
    text_languages,
)
from tempdata.datasets.registry import register
from tempdata.samplers._base import CallRepr
from tempdata.samplers.geo import _all_enum

__all__ = [
    "LOCAL_HOURS",
    "LOCAL_WEEKDAYS",
    "MAX_FOLLOWING",
    "MIN_USER_AGE",
    "POST_ID",
    "TEXT_LANGUAGES",
    "USER_ID",
    "VERIFIED_MIN_FOLLOWERS",
    "default_users",
    "social_posts",
    "user_profiles",
]

USER_ID = s.sequence("USR-{:08d}")
POST_ID = s.sequence("PST-{:010d}")


# Followers: floor(scale · (U^(-1/alpha) − 1) · tenure^0.35 · (activity / median)^0.25),
# a Pareto tail: about one account in a thousand has 10,000 or more.
_FOLLOWER_SCALE = 25.0
_FOLLOWER_ALPHA = 1.15
_MAX_FOLLOWERS = 200_000_000
#: Verified accounts have at least this many followers; from there the chance grows
#: with log10(followers): 0 at 10k, about 29 % at 100k, 57 % at 1M, at most 95 %.
VERIFIED_MIN_FOLLOWERS = 10_000
#: Accounts followed: lognormal around 120, capped like the big platforms cap it.
MAX_FOLLOWING = 7_500
# Posts per day of an account: lognormal, median 0.08 (one post in twelve days).
_ACTIVITY_MEDIAN = 0.08
_ACTIVITY_SIGMA = 1.5
#: Candidate authors per post, among which the local hour decides.
_CANDIDATES = 6
# Engagement: likes ~ Poisson(scale · media · (followers + 20)^0.85 · e^(sigma·z) · warm-up).
_LIKES_SCALE = 0.04
_LIKES_POWER = 0.85
_LIKES_SIGMA = 1.0
_WARMUP_H = 6.0
_SHARE_RATE = 0.1
_COMMENT_RATE = 0.06
MEDIA: dict[str, float] = {"text": 0.5, "image": 0.3, "video": 0.12, "link": 0.08}
_MEDIA_BOOST = np.array([1.0, 1.4, 1.9, 0.7])  # in MEDIA's order
_MAX_TEXT = 280


#: Languages of post text (English first: accounts of other languages post in English).
TEXT_LANGUAGES: tuple[str, ...] = text.TEXT_LANGUAGES
#: Languages whose display names put the family name first, without a space.
NO_SPACE_NAMES = ("ja", "ko", "zh")
# -- user_profiles samplers --------------------------------------------------------


@dataclass(frozen=True, repr=False)
class _Languages(CallRepr, Sampler):
    """The language of each account's country (ISO 639-1), or of the ``locale``."""

    _factory = "languages"
    country: str = "country"

    @property
    def given(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.country,)

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Enum(profile_languages())

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> pl.Series:
        dtype = self.dtype(ctx.params)
        if ctx.params.locale:
            return pl.repeat(ctx.params.locale.split("_")[0], ctx.n, dtype=dtype, eager=True)
        country = ctx.frame.get_column(self.country).cast(pl.String)
        return country.replace_strict(language_of_country(), default="en").cast(dtype)


@dataclass(frozen=True, repr=False)
class _Bios(CallRepr, Sampler):
    """Profile bios in the account's language: a life stage or occupation that fits the
    holder's age and gender, interests, the home city, a motto (two to four pieces),
    sometimes an emoji; ``empty`` of the accounts have none (null)."""

    _factory = "bios"
    language: str = "language"
    empty: float = 0.22

    @property
    def given(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.language, "age", "birth_date", "_gender", "city")

    def dtype(self, params: Params) -> pl.DataType:
        return pl.String()

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> pl.Series:
        u = rng.random((ctx.n, 17))
        # Only the accounts with a bio are written (each row's draws are its own).
        rows = np.flatnonzero(u[:, 0] >= self.empty)
        frame = ctx.frame[rows]
        bios = text.bio_texts(
            text_languages(frame.get_column(self.language)),
            frame.get_column("age").to_numpy().astype(np.int64),
            frame.get_column("_gender").to_physical().to_numpy().astype(np.int64),
            frame.get_column("birth_date").dt.year().to_numpy().astype(np.int64),
            frame.get_column("city"),
            u[rows, 1:],
        )
        empty = pl.Series("bio", [None], dtype=pl.String).gather(np.zeros(ctx.n, dtype=np.int64))
        return empty.scatter(rows, bios)


# -- social_posts samplers ----------------------------------------------------------


@dataclass(frozen=True, repr=False)
class _Posts(CallRepr, GroupSampler):
    """When each post was made and by whom: sorted UTC times, an author who had
    joined by then and is awake at that hour, and the author's details."""

    _factory = "posts"

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        return {
            "created_at": pl.Datetime("us"),
            "author": pl.Int64(),
            "author_id": pl.String(),
            "username": pl.String(),
            "followers": pl.Int64(),
            "verified": pl.Boolean(),
            "account_age_days": pl.Int32(),
            "timezone": _all_enum("timezone"),
            "local_hour": pl.Int8(),
            "language": pl.Enum(TEXT_LANGUAGES),
            "local_day": pl.Int32(),
        }

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        n, k = ctx.n, _CANDIDATES
        users = posting_accounts(ctx)
        start_us, end_us = micros(ctx.params.date_start), micros(ctx.params.date_end)
        users.check_range(ctx.dataset, start_us)
        # Times come from a stream jumped ahead of this one, taken before any draw.
        times = np.random.Generator(rng.bit_generator.jumped())  # type: ignore[attr-defined]
        profile = users.utc_profile(start_us, end_us)
        created = pl.Series(s.timestamps(profile=profile, sorted=True).sample(times, ctx))
        t = created.cast(pl.Int64).to_numpy()
        u = rng.random((n, k + 1))
        candidates = users.pick(users.activity, users.by_activity, u[:, :k], users.joined_by(t))
        seconds = t // US
        offsets = users.zones(start_us, end_us).offset(
            users.zone[candidates].ravel(), np.repeat(seconds, k)
        )
        local = seconds[:, None] + offsets.reshape(n, k)
        hour = (local // 3600) % 24
        # 1970-01-01 was a Thursday
        weight = HOUR_WEIGHTS[hour] * WEEKDAY_WEIGHTS[(local // 86_400 + 3) % 7]
        cum = np.cumsum(weight, axis=1)
        choice = np.minimum((cum < u[:, k:] * cum[:, -1:]).sum(axis=1), k - 1)
        rows = np.arange(n)
        author = candidates[rows, choice]
        out: dict[str, SampleOutput] = {"created_at": created, "author": author}
        for f in fields:
            if f == "author_id":
                out[f] = cast("Any", USER_ID).format(author)
            elif f in ("username", "timezone"):
                out[f] = users.frame.get_column(f).gather(author)
            elif f == "followers":
                out[f] = users.followers[author]
            elif f == "verified":
                out[f] = users.verified[author]
            elif f == "account_age_days":
                out[f] = ((t - users.joined[author]) // US_PER_DAY).astype(np.int32)
            elif f == "local_hour":
                out[f] = hour[rows, choice].astype(np.int8)
            elif f == "local_day":
                out[f] = (local[rows, choice] // 86_400).astype(np.int32)
            elif f == "language":
                out[f] = pl.Series(TEXT_LANGUAGES, dtype=pl.Enum(TEXT_LANGUAGES)).gather(
                    users.text_language[author]
                )
        return {f: out[f] for f in fields}


@dataclass(frozen=True, repr=False)
class _Content(CallRepr, GroupSampler):
    """Post text in the author's language on one topic, with its hashtags and mentions."""

    _factory = "content"
    given: tuple[str, ...] = ("created_at", "_author", "language", "local_hour", "_local_day")

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        return {
            "text": pl.String(),
            "topic": pl.Enum(text.TOPICS),
            "hashtags": pl.String(),
            "mentions": pl.String(),
        }

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        n = ctx.n
        users = posting_accounts(ctx)
        u = rng.random((n, 25))
        t = ctx.frame.get_column("created_at").cast(pl.Int64).to_numpy()
        author = ctx.frame.get_column("_author").to_numpy()
        lang = ctx.frame.get_column("language").to_physical().to_numpy().astype(np.int64)
        moments = text.Moments(
            hour=ctx.frame.get_column("local_hour").to_numpy().astype(np.int64),
            day=ctx.frame.get_column("_local_day").to_numpy().astype(np.int64),
            country=users.country[author],
            countries=users.countries,
            first_day=micros(ctx.params.date_start) // US_PER_DAY - 1,
            last_day=micros(ctx.params.date_end) // US_PER_DAY + 1,
        )
        posts, topic = text.post_texts(lang, moments, u[:, 3:])
        # Mentions: popular accounts likelier; never the author, never before joining.
        n_mentions = (u[:, 0] >= 0.75).astype(np.int64) + (u[:, 0] >= 0.95)
        joined = users.joined_by(t)
        targets = users.pick(users.fame, users.by_fame, u[:, 1:3], joined)
        targets = np.where(targets == author[:, None], targets - 1, targets)
        targets = np.where(targets < 0, 1, targets)  # the author was the first account
        ok = (targets < joined[:, None]) & (targets != author[:, None])
        keep = [ok[:, 0] & (n_mentions > 0), ok[:, 1] & (n_mentions > 1)]
        keep[1] &= ~keep[0] | (targets[:, 1] != targets[:, 0])
        usernames = users.frame.get_column("username")
        mentions = [
            gather_or_null(usernames, np.minimum(targets[:, j], len(usernames) - 1), keep[j])
            for j in range(2)
        ]
        both = pl.concat_str(
            [pl.lit("@") + pl.col("m0"), pl.lit("@") + pl.col("m1")],
            separator=" ",
            ignore_nulls=True,
        )
        out = posts.with_columns(m0=mentions[0], m1=mentions[1]).select(
            mentions=pl.when(both != "").then(both),
            hashtags="hashtags",
            text=pl.concat_str(
                [pl.when(both != "").then(both), "body", "emoji", "hashtags"],
                separator=" ",
                ignore_nulls=True,
            ),
            topic=pl.Series(text.TOPICS, dtype=pl.Enum(text.TOPICS)).gather(topic),
        )
        return {f: out.get_column(f) for f in fields}


@dataclass(frozen=True, repr=False)
class _Engagement(CallRepr, GroupSampler):
    """Likes, shares and comments: heavy-tailed, growing with the author's followers."""

    _factory = "engagement"
    given: tuple[str, ...] = ("created_at", "author_followers", "media_type")

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        return {"likes": pl.Int64(), "shares": pl.Int64(), "comments": pl.Int64()}

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        z = rng.standard_normal((ctx.n, 3))
        t = ctx.frame.get_column("created_at").cast(pl.Int64).to_numpy()
        followers = ctx.frame.get_column("author_followers").to_numpy().astype(np.float64)
        media = ctx.frame.get_column("media_type").to_physical().to_numpy()
        age_h = np.maximum(micros(ctx.params.date_end) - t, 0) / (3600 * US)
        warm = 1.0 - np.exp(-age_h / _WARMUP_H)
        mean = (
            _LIKES_SCALE
            * _MEDIA_BOOST[media]
            * (followers + 20.0) ** _LIKES_POWER
            * np.exp(_LIKES_SIGMA * z[:, 0])
            * warm
        )
        likes = rng.poisson(np.minimum(mean, 1e9))
        shares = rng.poisson(likes * _SHARE_RATE * np.exp(0.6 * z[:, 1] - 0.18))
        comments = rng.poisson((likes + 0.5 * warm) * _COMMENT_RATE * np.exp(0.6 * z[:, 2] - 0.18))
        out = {"likes": likes, "shares": shares, "comments": comments}
        return {f: out[f] for f in fields}


# -- user_profiles -------------------------------------------------------------------

_tenure_years = (pl.col("account_age_days").cast(pl.Float64).clip(lower_bound=0) + 30) / 365.25
_followers = (
    (
        _FOLLOWER_SCALE
        * ((1.0 - pl.col("_u_followers")).pow(-1.0 / _FOLLOWER_ALPHA) - 1.0)
        * _tenure_years.pow(0.35)
        * (pl.col("_activity") / _ACTIVITY_MEDIAN).pow(0.25)
    )
    .floor()
    .clip(0, _MAX_FOLLOWERS)
    .cast(pl.Int64)
)
_p_verified = (((pl.col("followers") + 1).cast(pl.Float64).log10() - 4.0) / 3.5).clip(0.0, 0.95)
USERNAME_PATTERN = r"^[a-z][a-z0-9._]*$"
#: The youngest an account holder may be when joining (the usual terms of service,
#: after COPPA in the United States; some EU countries set 14 to 16 for consent).
MIN_USER_AGE = 13

user_profiles = register(
    Dataset(
        PROFILES,
        domain="social",
        description="Accounts of a social network: who they are, where they live, when "
        "they joined and how many follow them. Sorted by sign-up; ids grow with it.",
        key="user_id",
        nullable=["bio"],
        date_span_days=SIGNUP_SPAN_DAYS,
        depends_on_rows=(
            "joined_at",
            "account_age_days",
            "birth_date",
            "age",
            "bio",
            "followers",
            "following",
            "posts_count",
            "verified",
        ),
        notes="date_range bounds joined_at (default: the ten years ending at the reference "
        "date); sign-ups grow 25 % a year. Ages follow the population pyramid of each "
        f"account's country from {MIN_USER_AGE} (the minimum age of most social networks, "
        "under COPPA in the United States) to 100, by single year (UN World Population "
        f"Prospects 2024); everyone was {MIN_USER_AGE} or older at sign-up. Followers "
        "follow a power law (Pareto tail, exponent 1.15) scaled by tenure^0.35 and "
        "activity^0.25: about 1 account in 1,000 has 10,000 or more. Only those can be "
        "verified, with a chance growing with log10(followers) up to 95 %. Languages are "
        "those of each account's country (or of the locale parameter). Bios are written in "
        "that language where tempdata has words for it (en, es, pt, fr, de, it, nl, pl, ru, "
        "tr, ar, ja, zh, ko, id), else in English: a life stage or occupation fitting the "
        "holder's age (school to 18, studies mostly to 27, doctorates to 35, retirement from "
        "58) and grammatical gender, with occupation titles from mimesis (faker for French "
        "and Portuguese; senior titles from 30), interests, the home city, the birth year "
        "as people write it (Jahrgang 1988, 90后) and a motto; the frames are authored for "
        "tempdata (reference_data/SOURCES.md). Depends on the row count through the sorted "
        "sign-up times and what follows from account age and age.",
        columns=[
            col("user_id", USER_ID, description="Account key, USR-00000001 upwards."),
            col(
                "display_name",
                pl.when(pl.col("language").cast(pl.String).is_in(NO_SPACE_NAMES))
                .then(pl.concat_str([pl.col("_last_name"), pl.col("_first_name")]))
                .otherwise(
                    pl.concat_str([pl.col("_first_name"), pl.col("_last_name")], separator=" ")
                ),
                description="Name shown on the profile, in the locale's script (family name "
                "first in Chinese, Japanese and Korean).",
            ),
            group(
                "person",
                s.people(
                    country_column="country", city_column="_city_id", position_column="_position"
                ),
                columns={
                    "_gender": "gender",
                    "_first_name": "first_name",
                    "_last_name": "last_name",
                    "email": "email",
                    "username": "username",
                },
                hidden=["_gender", "_first_name", "_last_name"],
                descriptions={
                    "email": "Account e-mail address, unique, written from the owner's name.",
                    "username": "Unique handle written from the owner's name in ASCII as "
                    "people pick theirs (anna_mueller, anna.mueller, amueller; a middle "
                    "initial or digits when the name is common; at most 30 characters).",
                },
            ),
            col(
                "bio",
                _Bios(),
                description="Short self-description in the account's language (English "
                "where tempdata has no words for it) fitting the holder's age: life stage or "
                "occupation, interests, home city, birth year, motto; null for about 22 %.",
            ),
            group(
                "place",
                s.places(),
                columns={
                    "city": "city",
                    "country": "country",
                    "timezone": "timezone",
                    "_city_id": "city_id",
                    "_position": "position",
                    "_country_code": "country_code",
                },
                hidden=["_city_id", "_position", "_country_code"],
                descriptions={
                    "city": "Home city: a real city, drawn by population.",
                    "country": "The city's country.",
                    "timezone": "IANA time zone of the city; the account posts by its clock.",
                },
            ),
            col(
                "birth_date",
                s.birth_dates(
                    min_age=MIN_USER_AGE,
                    country_column="_country_code",
                    adult_at="joined_at",
                    adult_at_profile="signup",
                ),
                description=f"Birth date: ages follow the population pyramid of the "
                f"account's country from {MIN_USER_AGE} to 100 by single year (UN World "
                f"Population Prospects 2024); {MIN_USER_AGE} or older at sign-up.",
            ),
            col(
                "age",
                s.elapsed("birth_date"),
                description="Whole years at the reference date (or the range's end, if later).",
            ),
            col(
                "language",
                _Languages(),
                description="ISO 639-1 code of the country's language (or of the locale "
                "parameter).",
            ),
            col(
                "joined_at",
                s.timestamps(profile="signup", sorted=True),
                description="Sign-up time (UTC); rows are sorted by it.",
            ),
            col(
                "account_age_days",
                s.elapsed("joined_at", unit="days"),
                description="Whole days from sign-up to the reference date.",
            ),
            col(
                "_activity",
                s.lognormal(math.log(_ACTIVITY_MEDIAN), _ACTIVITY_SIGMA, low=0.001, high=150.0),
                hidden=True,
            ),
            col("_u_followers", s.floats(0.0, 1.0), hidden=True),
            col(
                "followers",
                _followers,
                description="Accounts following this one: power-law (most have a few "
                "dozen, a handful millions), growing with account age and activity.",
            ),
            col("_z_following", s.normal(0.0, 1.0), hidden=True),
            col(
                "following",
                (
                    (
                        math.log(120.0)
                        + pl.col("_z_following")
                        + 0.12 * (pl.col("followers").cast(pl.Float64) + 1).log()
                    ).exp()
                    - 1.0
                )
                .floor()
                .clip(0, MAX_FOLLOWING)
                .cast(pl.Int64),
                description=f"Accounts this one follows: lognormal around 120-200, at most "
                f"{MAX_FOLLOWING:,}.",
            ),
            col(
                "posts_count",
                (pl.col("_activity") * (pl.col("account_age_days").clip(lower_bound=0) + 1))
                .floor()
                .cast(pl.Int64),
                description="Posts made since joining: the account's (heavy-tailed) daily "
                "rate times its age.",
            ),
            col("_u_verified", s.floats(0.0, 1.0), hidden=True),
            col(
                "verified",
                pl.col("_u_verified") < _p_verified,
                description=f"Verified badge: only accounts with "
                f"{VERIFIED_MIN_FOLLOWERS:,} followers or more, likelier the more they have.",
            ),
        ],
        checks=[
            check("user_id_unique", pl.col("user_id").is_unique()),
            check("username_unique", pl.col("username").is_unique()),
            check(
                "username_format",
                pl.col("username").str.contains(USERNAME_PATTERN)
                & (pl.col("username").str.len_bytes() <= 30),
            ),
            check("email_unique", pl.col("email").is_unique()),
            check("followers_not_negative", pl.col("followers") >= 0),
            check("following_in_range", pl.col("following").is_between(0, MAX_FOLLOWING)),
            check("posts_count_not_negative", pl.col("posts_count") >= 0),
            check(
                "verified_have_many_followers",
                ~pl.col("verified") | (pl.col("followers") >= VERIFIED_MIN_FOLLOWERS),
                "Verified accounts have at least 10,000 followers.",
            ),
            check(
                "joined_by_reference_date",
                pl.col("account_age_days") >= 0,
                "No account joined after the reference date (or the range's end).",
            ),
            check(
                "sorted_by_joined_at",
                pl.col("joined_at") >= pl.col("joined_at").shift(1).fill_null(pl.col("joined_at")),
            ),
            check("bio_fits", pl.col("bio").str.len_chars() <= 160),
            check(
                "old_enough_at_sign_up",
                pl.col("birth_date").dt.offset_by(f"{MIN_USER_AGE}y")
                <= pl.col("joined_at").dt.date(),
                f"Account holders were at least {MIN_USER_AGE} when they joined.",
            ),
        ],
    )
)

# -- social_posts --------------------------------------------------------------------

_MENTION = r"@[a-z][a-z0-9._]*"
_HASHTAG = r"#\w+"

social_posts = register(
    Dataset(
        "social_posts",
        domain="social",
        description="Posts on a social network by the accounts of user_profiles: one row "
        "per post, sorted by time (UTC) with ids growing in time.",
        key="post_id",
        nullable=["hashtags", "mentions"],
        parents={"user_profiles": "users"},
        parameters={
            "users": Parameter(
                "Accounts posting: the user_profiles of the same seed with this many rows, "
                "generated whole (default rows / 20, from 100 to 1,000,000).",
                low=10,
                high=MAX_PARENT_ROWS,
            ),
        },
        depends_on_rows=(
            "created_at",
            "author_id",
            "author_username",
            "author_followers",
            "author_verified",
            "account_age_days",
            "timezone",
            "local_hour",
            "language",
            "text",
            "topic",
            "hashtags",
            "mentions",
            "likes",
            "shares",
            "comments",
        ),
        notes="Authors are the accounts of user_profiles generated with `users` rows and "
        "the same seed, reference date, country and locale (author_id, author_username, "
        "author_followers and author_verified match that table). Each account posts at "
        "its own heavy-tailed rate, only after it joined, most in its local evening and "
        "least at night "
        "(LOCAL_HOURS in tempdata.datasets.social); local_hour is the hour on its clock. "
        "Text is one message on one topic, in the author's language where tempdata has "
        "words for it (en, es, pt, fr, de, it, nl, pl, ru, tr, ar, ja, zh, ko, id), else "
        "English: an opening sentence frame and often a follow-up of the same topic and "
        "sentiment (frames authored for tempdata), naming the author's country's own "
        "dishes and cities (mimesis locales of that country, else its GeoNames cities) and "
        "first names of its name locale, "
        "weekday and month names from CLDR (babel), then emoji and hashtags of the topic. "
        "The moment picks the topic: morning greetings only from 05:00 to 11:59 local "
        "time, 'finally Friday' on the last working day before the author's country's "
        "weekend (tempdata.calendar), Monday blues on the first, Christmas, New Year, Eid, "
        "Diwali and Lunar New Year greetings only on those public holidays of the author's "
        "country. Likes "
        "~ Poisson(0.04 · media boost · (followers + 20)^0.85 · lognormal noise), still "
        "growing for posts of the last hours of the range; shares and comments are "
        "about 10 % and 6 % of the likes. The date range must start after the first "
        "user joined (users join over the ten years before the reference date). "
        "Depends on the row count through the sorted times and the default number of "
        "users.",
        columns=[
            col("post_id", POST_ID, description="Post key, PST-… upwards, growing with time."),
            group(
                "post",
                _Posts(),
                columns={
                    "created_at": "created_at",
                    "author_id": "author_id",
                    "author_username": "username",
                    "author_followers": "followers",
                    "author_verified": "verified",
                    "account_age_days": "account_age_days",
                    "timezone": "timezone",
                    "local_hour": "local_hour",
                    "language": "language",
                    "_author": "author",
                    "_local_day": "local_day",
                },
                hidden=["_author", "_local_day"],
                descriptions={
                    "created_at": "When it was posted (UTC); rows are sorted by it.",
                    "author_id": "The author, a user_profiles key.",
                    "author_username": "The author's username.",
                    "author_followers": "The author's followers (as in user_profiles).",
                    "author_verified": "Whether the author is verified.",
                    "account_age_days": "Whole days from the author's sign-up to the post "
                    "(never negative: accounts post only after joining).",
                    "timezone": "The author's IANA time zone.",
                    "local_hour": "Hour of day (0-23) on the author's clock when posting: "
                    "the evening is busiest, the small hours quietest.",
                    "language": "ISO 639-1 language of the text: the author's language, or "
                    "English where tempdata has no vocabulary for it.",
                },
            ),
            group(
                "content",
                _Content(),
                columns=["text", "topic", "hashtags", "mentions"],
                descriptions={
                    "text": "The post: mentions, one or two sentences on one topic in its "
                    "language, sometimes emoji, then its hashtags (at most 280 characters).",
                    "topic": "What the post is about: everyday topics (food, friends, work, "
                    "shows, travel, fitness, weather) or its moment (morning, weekend, "
                    "week_start, month, a holiday such as christmas or eid_fitr).",
                    "hashtags": "The hashtags ending the text, space-separated, from the "
                    "topic's tags in the post's language (#foodie #recipe, #essen); null when "
                    "there are none.",
                    "mentions": "The accounts mentioned at the start of the text, as "
                    "@username (existing accounts that had joined, never the author); null "
                    "when there are none.",
                },
            ),
            col(
                "media_type",
                s.choice(MEDIA),
                description="What is attached: text only, an image, a video or a link.",
            ),
            group(
                "engagement",
                _Engagement(),
                columns=["likes", "shares", "comments"],
                descriptions={
                    "likes": "Likes so far: heavy-tailed, growing with the author's "
                    "followers; videos and images get more.",
                    "shares": "Shares (reposts) so far, about a tenth of the likes.",
                    "comments": "Comments so far, about 6 % of the likes.",
                },
            ),
        ],
        checks=[
            check("post_id_unique", pl.col("post_id").is_unique()),
            check(
                "sorted_by_created_at",
                pl.col("created_at")
                >= pl.col("created_at").shift(1).fill_null(pl.col("created_at")),
            ),
            check(
                "posted_after_joining",
                pl.col("account_age_days") >= 0,
                "Accounts post only after they joined.",
            ),
            check(
                "engagement_not_negative",
                (pl.col("likes") >= 0) & (pl.col("shares") >= 0) & (pl.col("comments") >= 0),
            ),
            check("author_id_format", pl.col("author_id").str.contains(r"^USR-[0-9]{8,}$")),
            check(
                "verified_authors_have_many_followers",
                ~pl.col("author_verified") | (pl.col("author_followers") >= VERIFIED_MIN_FOLLOWERS),
            ),
            check("local_hour_in_range", pl.col("local_hour").is_between(0, 23)),
            check(
                "text_fits",
                (pl.col("text").str.len_chars() > 0)
                & (pl.col("text").str.len_chars() <= _MAX_TEXT),
            ),
            check(
                "mentions_format",
                pl.col("mentions").str.contains(f"^{_MENTION}( {_MENTION})?$"),
            ),
            check(
                "hashtags_format",
                pl.col("hashtags").str.contains(f"^{_HASHTAG}( {_HASHTAG}){{0,2}}$"),
            ),
            check(
                "text_opens_with_mentions",
                pl.col("mentions").is_null()
                | pl.col("text").str.starts_with(pl.col("mentions") + " "),
            ),
            check(
                "text_ends_with_hashtags",
                pl.col("hashtags").is_null()
                | pl.col("text").str.ends_with(" " + pl.col("hashtags")),
            ),
            check(
                "no_self_mention",
                pl.col("mentions").is_null()
                | ~(" " + pl.col("mentions") + " ").str.contains(
                    " @" + pl.col("author_username") + " ", literal=True
                ),
            ),
        ],
    )
)
