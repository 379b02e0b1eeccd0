"""Words of the social datasets: posts and bios assembled from sentence frames.

The frames, their slot fillers, hashtags and emoji are reference tables
(``social_frames``, ``social_fillers``, ``social_tags``, ``social_holiday_kinds``; their
sources are in ``SOURCES.md``). A post picks one topic (conditioned on the author's
local hour, weekday and holidays), one sentiment, an opening frame and often a
follow-up of the same topic and sentiment, fills their slot (a dish, a city, the
weekday or month of the local date, a number), and may end with emoji of the topic and
sentiment and hashtags of the topic. A bio picks a life stage or occupation that fits
the account holder's age and grammatical gender, interests, home city and a motto.

Everything is vectorised: frame, filler and tag choices are NumPy indices into
series gathered once per chunk, joined with Polars string expressions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import cast

import numpy as np
import polars as pl

from tempdata.calendar import holiday_calendar
from tempdata.geo.reference import load

Array = np.ndarray  # NumPy arrays of any shape and dtype

__all__ = [
    "HOLIDAY_TOPICS",
    "LATIN_LANGUAGES",
    "REGULAR_TOPICS",
    "TEXT_LANGUAGES",
    "bio_texts",
    "post_texts",
]

#: Languages of post text (English first: accounts of other languages post in English).
TEXT_LANGUAGES: tuple[str, ...] = (
    "en", "es", "pt", "fr", "de", "it", "nl", "pl", "ru", "tr", "ar", "ja", "zh", "ko", "id",
)  # fmt: skip
#: Languages written in Latin script: their bios may name the (Latin-script) home city.
LATIN_LANGUAGES = frozenset({"en", "es", "pt", "fr", "de", "it", "nl", "pl", "tr", "id"})
#: Everyday topics and how often a post is about each when no moment calls for another.
REGULAR_TOPICS: dict[str, float] = {
    "food": 0.17,
    "friends": 0.17,
    "work": 0.15,
    "shows": 0.15,
    "travel": 0.12,
    "fitness": 0.12,
    "weather": 0.12,
}
#: Holidays with greetings of their own (``social_holiday_kinds``), in code order 1...
HOLIDAY_TOPICS: tuple[str, ...] = (
    "christmas",
    "new_year",
    "eid_fitr",
    "eid_adha",
    "diwali",
    "lunar_new_year",
)
_MOMENTS = ("month", "week_start", "weekend", "morning")
TOPICS: tuple[str, ...] = (*REGULAR_TOPICS, *_MOMENTS, *HOLIDAY_TOPICS)
_TOPIC = {t: k for k, t in enumerate(TOPICS)}
#: Chance that a post is about its moment when the moment allows: the first days of a
#: month, the first and last working day of the week, the morning (05-11), a holiday.
_P_MOMENT = {"month": 0.08, "week_start": 0.12, "weekend": 0.15, "morning": 0.22}
_P_HOLIDAY = 0.35
MORNING_HOURS = (5, 11)
_MONTH_DAYS = 2
_SENTIMENTS = ("pos", "neg")
_P_NEGATIVE = 0.3
_P_FOLLOW = 0.85
_P_CAPITAL = 0.35
_P_EMOJI = 0.5
_P_DOUBLE_EMOJI = 0.2
_TAG_COUNTS = np.array([0.38, 0.32, 0.2, 0.1])  # 0, 1, 2 or 3 hashtags
_SLOTS = ("", "dish", "city", "name", "weekday", "month", "n")
#: Slots whose fillers are the author's country's own (its dishes, cities, first names).
_PLACE_SLOTS = ("dish", "city", "name")
_PLACE_OF_SLOT = np.array([_PLACE_SLOTS.index(x) if x in _PLACE_SLOTS else -1 for x in _SLOTS])
#: Chance that an opening with a slot of many values (a dish, city or first name; the
#: weekday or month in posts about them; not a number) is chosen where the topic and
#: sentiment have one (the rest: any opening of them).
_P_SLOTTED = 0.9
_PUNCTUATION: dict[str, float] = {"": 0.42, "!": 0.24, ".": 0.17, "...": 0.08, "!!": 0.09}
_WIDE_PUNCTUATION: dict[str, float] = {"": 0.35, "！": 0.3, "。": 0.25, "…": 0.1}
_WIDE = frozenset({"ja", "zh"})
_COMMAS: dict[str, str] = {"ar": "، ", "ja": "、", "zh": "，"}
_GENDERS = ("female", "male", "nonbinary")
_GENDER_CODE = {"female": "f", "male": "m"}

_BIO_KINDS = ("none", "school", "uni", "phd", "mature", "work", "retired", "parent")
#: Life stage or occupation of a bio by age (rows: from these ages on; columns in
#: _BIO_KINDS order). Schooling ends at 18, first degrees mostly by 27, doctorates by
#: 35; "mature student" is a rare label from 36; retirement from 58 (at 67 most).
_BIO_AGES = np.array([13, 18, 23, 28, 36, 58, 67])
_BIO_STAGES = np.array(
    [
        [0.15, 0.85, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [0.12, 0.0, 0.6, 0.0, 0.0, 0.28, 0.0, 0.0],
        [0.12, 0.0, 0.25, 0.08, 0.0, 0.5, 0.0, 0.05],
        [0.14, 0.0, 0.0, 0.06, 0.0, 0.65, 0.0, 0.15],
        [0.16, 0.0, 0.0, 0.0, 0.01, 0.68, 0.0, 0.15],
        [0.17, 0.0, 0.0, 0.0, 0.0, 0.45, 0.35, 0.03],
        [0.17, 0.0, 0.0, 0.0, 0.0, 0.05, 0.78, 0.0],
    ]
)
_SENIOR_OK_AGE = 30
_MAX_BIO_PIECES = 4


def _lang_codes(values: Sequence[str]) -> Array:
    index = {lang: k for k, lang in enumerate(TEXT_LANGUAGES)}
    return np.array([index[v] for v in values], dtype=np.int64)


@dataclass(frozen=True)
class _Groups:
    """Rows of a table grouped by a key: group ``g`` holds ``order[start[g] : start[g] +
    size[g]]``."""

    order: Array
    start: Array
    size: Array

    def pick(self, group: Array, u: Array) -> Array:
        """A row of each ``group`` at uniform position ``u`` (-1 where the group is empty
        or negative)."""
        size = np.where(group >= 0, self.size[np.maximum(group, 0)], 0)
        group = np.maximum(group, 0)
        row = self.order[
            np.minimum(self.start[group] + (u * size).astype(np.int64), len(self.order) - 1)
        ]
        return np.where(size > 0, row, -1)


def _groups(keys: Array, n_groups: int) -> _Groups:
    order = np.argsort(keys, kind="stable")
    size = np.bincount(keys, minlength=n_groups)
    start = np.concatenate([[0], np.cumsum(size)[:-1]])
    return _Groups(order.astype(np.int64), start.astype(np.int64), size.astype(np.int64))


def _multi(member: list[Array], n_groups: int, n_rows: int) -> _Groups:
    """Groups where a row may belong to several (``member[k]``: the group of each row in
    its k-th membership, -1 for none)."""
    rows = np.concatenate([np.arange(n_rows)[m >= 0] for m in member])
    keys = np.concatenate([m[m >= 0] for m in member])
    g = _groups(keys, n_groups)
    return _Groups(rows[g.order], g.start, g.size)


@dataclass(frozen=True)
class _PostWords:
    text_head: pl.Series
    text_tail: pl.Series
    slot: Array
    low: Array
    high: Array
    frames: _Groups  # by ((lang * topics + topic) * 2 + sentiment) * 2 + role
    slotted: _Groups  # the same, openings with a slot only
    fillers: pl.Series
    places: _Groups  # dishes, cities and first names by list (see lists)
    lists: dict[tuple[str, int, str], int]  # (slot, lang, country or "") → list
    calendar: Array  # [lang, 0..6 weekday | 7..18 month] → filler row
    tags: pl.Series
    tag_groups: _Groups  # by lang * topics + topic
    emoji: pl.Series
    emoji_groups: _Groups  # by topic * 2 + sentiment
    heads: pl.Series  # the frames' heads, then the same with a capital first letter
    has_head: Array
    capital_ok: Array  # [lang]
    wide: Array  # [lang]
    numbers: int  # fillers[numbers + k] is str(k)
    stops: pl.Series
    joints: pl.Series  # [lang * stops + stop]: what follows the opening before a follow-up
    n_emoji: int  # emoji[n_emoji + k] is emoji[k] twice
    strings: _Strings  # heads, tail, fillers, joints, stops, emoji, tags
    negative_ok: Array  # [lang, topic]
    positive_ok: Array  # [lang, topic]
    available: Array  # [lang, topic]


def _key(lang: Array, topic: Array, sentiment: Array, role: Array) -> Array:
    key: Array = ((lang * len(TOPICS) + topic) * 2 + sentiment) * 2 + role
    return key


@cache
def _post_words() -> _PostWords:
    frames = load("social_frames").filter(pl.col("use") == "post")
    lang = _lang_codes(frames["lang"].to_list())
    topic = np.array([_TOPIC[t] for t in frames["topic"]], dtype=np.int64)
    sentiment = (frames["sentiment"] == "neg").to_numpy().astype(np.int64)
    role = (frames["role"] == "follow").to_numpy().astype(np.int64)
    n_l, n_t = len(TEXT_LANGUAGES), len(TOPICS)
    groups = _groups(_key(lang, topic, sentiment, role), n_l * n_t * 4)
    has_slot = (
        frames["slot"].is_in(_PLACE_SLOTS)
        | (frames["slot"].is_in(["weekday", "month"]) & frames["topic"].is_in(_MOMENTS))
    ).to_numpy()
    slotted = _multi(
        [np.where(has_slot, _key(lang, topic, sentiment, role), -1)], n_l * n_t * 4, len(lang)
    )
    opens = groups.size.reshape(n_l, n_t, 2, 2)[..., 0]
    fill = load("social_fillers").filter(pl.col("slot") != "occupation")
    f_lang = _lang_codes(fill["lang"].to_list())
    f_slot = fill["slot"].to_numpy()
    # One list per slot, language and country ("" the language's own).
    place = fill.select(
        "slot", "country", lang=pl.Series(f_lang), row=pl.int_range(pl.len())
    ).filter(pl.col("slot").is_in(_PLACE_SLOTS))
    keys = place.select("slot", "lang", "country").unique(maintain_order=True)
    lists = {(str(a), int(b), str(c)): k for k, (a, b, c) in enumerate(keys.iter_rows())}
    list_id = np.array(
        [lists[(a, b, c)] for a, b, c in place.select("slot", "lang", "country").iter_rows()],
        dtype=np.int64,
    )
    member = np.full(fill.height, -1, dtype=np.int64)
    member[place["row"].to_numpy()] = list_id
    calendar = np.zeros((n_l, 19), dtype=np.int64)
    key = fill["key"].to_numpy().astype(np.int64)
    for s, offset in (("weekday", 0), ("month", 6)):
        rows = np.flatnonzero(f_slot == s)
        calendar[f_lang[rows], offset + key[rows]] = rows
    tags = load("social_tags")
    hashtags = tags.filter(pl.col("kind") == "hashtag")
    emoji = tags.filter(pl.col("kind") == "emoji")
    e_key = (
        np.array([_TOPIC[t] for t in emoji["topic"]]) * 2 + (emoji["sentiment"] == "neg").to_numpy()
    )
    t_key = _lang_codes(hashtags["lang"].to_list()) * n_t + np.array(
        [_TOPIC[t] for t in hashtags["topic"]], dtype=np.int64
    )

    stops = pl.Series([*_PUNCTUATION, *_WIDE_PUNCTUATION])
    wide = np.array([x in _WIDE for x in TEXT_LANGUAGES])
    joints = [
        (stop + ("" if w else " ")) if stop else _COMMAS.get(x, ", ")
        for x, w in zip(TEXT_LANGUAGES, wide, strict=True)
        for stop in stops
    ]
    capitals = frames["head"].str.slice(0, 1).str.to_uppercase() + frames["head"].str.slice(1)
    high = int(frames["high"].max() or 0)  # type: ignore[arg-type]
    emoji_values = emoji["value"]
    fillers = pl.concat([fill["value"], pl.Series([str(k) for k in range(high + 1)])])
    hashtag_values = ("#" + hashtags["value"]).alias("tag")
    return _PostWords(
        strings=_strings(
            heads=pl.concat([frames["head"], capitals]),
            tail=frames["tail"],
            fillers=fillers,
            joints=pl.Series(joints),
            stops=stops,
            emoji=pl.concat([emoji_values, emoji_values + emoji_values]),
            tags=hashtag_values,
        ),
        heads=pl.concat([frames["head"], capitals]),
        has_head=(frames["head"] != "").to_numpy(),
        capital_ok=np.array([x != "tr" for x in TEXT_LANGUAGES]),
        wide=wide,
        numbers=fill.height,
        stops=stops,
        joints=pl.Series(joints),
        n_emoji=len(emoji_values),
        text_head=frames["head"],
        text_tail=frames["tail"],
        slot=np.array([_SLOTS.index(s) for s in frames["slot"]], dtype=np.int64),
        low=frames["low"].to_numpy().astype(np.int64),
        high=frames["high"].to_numpy().astype(np.int64),
        frames=groups,
        slotted=slotted,
        fillers=pl.concat([fill["value"], pl.Series([str(k) for k in range(high + 1)])]),
        places=_multi([member], len(lists), fill.height),
        lists=lists,
        calendar=calendar,
        tags=("#" + hashtags["value"]).alias("tag"),
        tag_groups=_groups(t_key.astype(np.int64), n_l * n_t),
        emoji=pl.concat([emoji_values, emoji_values + emoji_values]),
        emoji_groups=_groups(e_key.astype(np.int64), n_t * 2),
        negative_ok=opens[:, :, 1] > 0,
        positive_ok=opens[:, :, 0] > 0,
        available=opens.sum(axis=2) > 0,
    )


# -- the moment: morning, first and last working day, month start, holidays ------------


@cache
def _week_days(country: str) -> tuple[int, int]:
    """(last working day before the weekend, first working day after it), 0 = Monday."""
    try:
        weekend = set(holiday_calendar(country).weekend)
    except Exception:
        weekend = {5, 6}
    if not weekend or len(weekend) == 7:
        weekend = {5, 6}
    first = next(d for d in range(7) if d in weekend and (d - 1) % 7 not in weekend)
    last = next(d for d in range(7) if d in weekend and (d + 1) % 7 not in weekend)
    return (first - 1) % 7, (last + 1) % 7


@cache
def _holiday_patterns() -> tuple[tuple[int, str], ...]:
    table = load("social_holiday_kinds")
    return tuple((HOLIDAY_TOPICS.index(kind) + 1, pattern) for kind, pattern in table.iter_rows())


@cache
def _all_holiday_days() -> dict[str, tuple[Array, Array]]:
    """Per country: the days (since 1970-01-01) of its national greeting holidays and
    their code (1 + the position in HOLIDAY_TOPICS), all countries in one pass over the
    holiday table (a query per country costs a second for a global run)."""
    code = pl.lit(0)
    for value, pattern in reversed(_holiday_patterns()):
        code = pl.when(pl.col("name").str.contains(pattern)).then(value).otherwise(code)
    kinds = (
        load("public_holidays")
        .filter(pl.col("subdivision").is_null())
        .select("country", "date", "name")
        .explode("date", "name")
        .sort("country", "date", "name")
        .with_columns(pl.col("name").str.split("; "))
        .explode("name")
        .select("country", day=pl.col("date").cast(pl.Int32).cast(pl.Int64), code=code)
        .filter(pl.col("code") > 0)
        .unique(["country", "day"], keep="first", maintain_order=True)
        .sort("country", "day")
    )
    return {
        str(country): (part["day"].to_numpy(), part["code"].to_numpy().astype(np.int64))
        for (country,), part in kinds.partition_by("country", as_dict=True).items()
    }


def _holiday_days(country: str) -> tuple[Array, Array]:
    """Days (since 1970-01-01) of a country's greeting holidays and their code."""
    none = np.zeros(0, dtype=np.int64)
    return _all_holiday_days().get(country, (none, none))


@dataclass(frozen=True)
class Moments:
    """Per post: its local hour and day (since 1970-01-01), and the author's country as a
    position in ``countries`` (ISO codes; ``""`` for none); ``first_day``..``last_day``
    bound the local days of the date range."""

    hour: Array
    day: Array
    country: Array
    countries: tuple[str, ...]
    first_day: int
    last_day: int


@lru_cache(maxsize=8)
def _moment_table(countries: tuple[str, ...], first_day: int, last_day: int) -> tuple[Array, Array]:
    """Holiday code of each country and day of the range ([country, day - first_day]),
    and each country's last and first working day of the week."""
    days = last_day - first_day + 1
    kinds = np.zeros((len(countries), days), dtype=np.int8)
    ends = np.zeros((len(countries), 2), dtype=np.int64)
    for k, country in enumerate(countries):
        ends[k] = _week_days(country) if country else (4, 0)
        found, codes = _holiday_days(country) if country else (np.zeros(0, np.int64),) * 2
        inside = (found >= first_day) & (found <= last_day)
        kinds[k, found[inside] - first_day] = codes[inside]
    return kinds, ends


def _moment_codes(m: Moments) -> tuple[Array, Array, Array, Array, Array]:
    """morning, month start, last and first working day of the week, holiday code."""
    weekday = (m.day + 3) % 7  # 1970-01-01 was a Thursday
    date = m.day.astype("datetime64[D]")
    month_day = (date - date.astype("datetime64[M]")).astype(np.int64) + 1
    kinds, ends = _moment_table(m.countries, m.first_day, m.last_day)
    offset = np.clip(m.day - m.first_day, 0, kinds.shape[1] - 1)
    holiday = kinds[m.country, offset].astype(np.int64)
    morning = (m.hour >= MORNING_HOURS[0]) & (m.hour <= MORNING_HOURS[1])
    return (
        morning,
        month_day <= _MONTH_DAYS,
        weekday == ends[m.country, 0],
        weekday == ends[m.country, 1],
        holiday,
    )


# -- posts -------------------------------------------------------------------------------


def _choose(u: Array, table: dict[str, float]) -> Array:
    """Positions in ``table`` drawn by its weights (a few entries: compared, not searched)."""
    cdf = np.cumsum(list(table.values()))
    return cast("Array", (u[:, None] >= (cdf / cdf[-1])[None, :-1]).sum(axis=1))


@dataclass(frozen=True)
class _Strings:
    """Several string tables end to end in one series (then one null), so that a chunk
    takes all its pieces in one gather."""

    values: pl.Series
    offset: dict[str, int]

    def gather(self, columns: dict[str, tuple[str, Array]]) -> pl.DataFrame:
        """Columns of ``part[index]`` (null where ``index`` is negative)."""
        null = len(self.values) - 1
        flat = np.concatenate(
            [np.where(i >= 0, self.offset[part] + i, null) for part, i in columns.values()]
        )
        out = self.values.gather(flat)
        n = len(flat) // max(len(columns), 1)
        return pl.DataFrame({name: out.slice(k * n, n) for k, name in enumerate(columns)})


def _strings(**parts: pl.Series) -> _Strings:
    offset, start = {}, 0
    for name, part in parts.items():
        offset[name] = start
        start += len(part)
    values = pl.concat(
        [*(p.cast(pl.String) for p in parts.values()), pl.Series([None], dtype=pl.String)]
    )
    return _Strings(values, offset)


def _gather(values: pl.Series, index: Array) -> pl.Series:
    """``values[index]``, null where ``index`` is negative."""
    idx = pl.Series(index, dtype=pl.Int64)
    if (index < 0).any():
        idx = idx.scatter(np.flatnonzero(index < 0), None)
    return values.gather(idx)


@lru_cache(maxsize=8)
def _place_lists(countries: tuple[str, ...]) -> Array:
    """The list of dishes, cities and first names ([country, lang, slot] → list) that
    posts name: the country's own in that language, else the language's."""
    lists = _post_words().lists
    table = np.zeros((len(countries), len(TEXT_LANGUAGES), len(_PLACE_SLOTS)), dtype=np.int64)
    for c, country in enumerate(countries):
        for lang in range(len(TEXT_LANGUAGES)):
            for k, slot in enumerate(_PLACE_SLOTS):
                own = lists.get((slot, lang, country), lists.get((slot, lang, ""), -1))
                table[c, lang, k] = own
    return table


def post_topics(lang: Array, moments: Moments, u: Array) -> Array:
    """The topic of each post (position in TOPICS): a moment's own topic where the
    moment allows and the language has words for it, else an everyday topic."""
    words = _post_words()
    topic = _choose(u[:, 0], REGULAR_TOPICS)
    morning, month, last, first, holiday = _moment_codes(moments)
    for k, (name, ok) in enumerate(
        (("month", month), ("week_start", first), ("weekend", last), ("morning", morning))
    ):
        code = _TOPIC[name]
        take = ok & (u[:, 1 + k] < _P_MOMENT[name]) & words.available[lang, code]
        topic = np.where(take, code, topic)
    h_code = np.where(holiday > 0, _TOPIC["christmas"] + holiday - 1, 0)
    take = (holiday > 0) & (u[:, 5] < _P_HOLIDAY) & words.available[lang, h_code]
    return np.where(take, h_code, topic)


def post_texts(lang: Array, moments: Moments, u: Array) -> tuple[pl.DataFrame, Array]:
    """Body, emoji and hashtags of each post (``u``: 22 uniforms per row) and its topic.

    Returns a frame with ``body`` (the sentences), ``emoji`` and ``hashtags`` (null when
    none) and the topic position of each post."""
    words = _post_words()
    n = len(lang)
    topic = post_topics(lang, moments, u)
    negative = ((u[:, 6] < _P_NEGATIVE) & words.negative_ok[lang, topic]) | ~words.positive_ok[
        lang, topic
    ]
    sentiment = negative.astype(np.int64)
    open_key = _key(lang, topic, sentiment, np.zeros(n, np.int64))
    opening = words.frames.pick(open_key, u[:, 7])
    # Mostly an opening with a slot (a dish, a city, a friend...), where there is one.
    with_slot = words.slotted.pick(open_key, u[:, 7])
    opening = np.where((with_slot >= 0) & (u[:, 21] < _P_SLOTTED), with_slot, opening)
    follow = words.frames.pick(_key(lang, topic, sentiment, np.ones(n, np.int64)), u[:, 8])
    follow = np.where(u[:, 9] < _P_FOLLOW, follow, -1)
    # The opening's slot: a dish, city or first name of the author's country (or of the
    # language, where the country has no list in it), the local weekday or month, a number.
    slot = words.slot[opening]
    filler = np.full(n, -1, dtype=np.int64)
    table = _place_lists(moments.countries)
    kind = _PLACE_OF_SLOT[slot]
    rows = np.flatnonzero(kind >= 0)
    group = table[moments.country[rows], lang[rows], kind[rows]]
    filler[rows] = words.places.pick(group, u[rows, 10])
    date = moments.day.astype("datetime64[D]")
    month = date.astype("datetime64[M]").astype(np.int64) % 12  # 0 = January
    weekday = (moments.day + 3) % 7
    filler = np.where(slot == _SLOTS.index("weekday"), words.calendar[lang, weekday], filler)
    filler = np.where(slot == _SLOTS.index("month"), words.calendar[lang, 7 + month], filler)
    low, high = words.low[opening], words.high[opening]
    number = low + np.floor(u[:, 10] * (high - low + 1)).astype(np.int64)
    filler = np.where(slot == _SLOTS.index("n"), words.numbers + number, filler)
    wide = words.wide[lang]
    n_plain = len(_PUNCTUATION)
    stop = np.where(
        wide, n_plain + _choose(u[:, 11], _WIDE_PUNCTUATION), _choose(u[:, 11], _PUNCTUATION)
    )
    stop2 = np.where(
        wide, n_plain + _choose(u[:, 12], _WIDE_PUNCTUATION), _choose(u[:, 12], _PUNCTUATION)
    )
    # "opening!", "opening! follow." or, without a stop, "opening, follow".
    end = np.where(follow >= 0, stop2, stop)
    joint = np.where(follow >= 0, lang * len(words.stops) + stop, -1)
    # A capital first letter sometimes (not in Turkish: i → İ is not Unicode's default).
    capital = (u[:, 19] < _P_CAPITAL) & words.capital_ok[lang] & words.has_head[opening]
    head = opening + np.where(capital, len(words.slot), 0)
    # Emoji of the topic and sentiment (sometimes twice), hashtags of the topic.
    e_group = topic * 2 + sentiment
    emoji = np.where(u[:, 13] < _P_EMOJI, words.emoji_groups.pick(e_group, u[:, 14]), -1)
    emoji = np.where((emoji >= 0) & (u[:, 20] < _P_DOUBLE_EMOJI), emoji + words.n_emoji, emoji)
    n_tags = np.searchsorted(np.cumsum(_TAG_COUNTS), u[:, 15], side="right")
    t_group = lang * len(TOPICS) + topic
    size = words.tag_groups.size[t_group]
    first = np.floor(u[:, 16] * size).astype(np.int64)
    step1 = 1 + np.floor(u[:, 17] * np.maximum(size - 1, 1)).astype(np.int64)
    step2 = 1 + np.floor(u[:, 18] * np.maximum(size - 2, 1)).astype(np.int64)
    step2 += step2 >= step1
    start = words.tag_groups.start[t_group]
    tag_rows = [
        np.where(
            (n_tags > j) & (size > j),
            words.tag_groups.order[start + (first + s) % np.maximum(size, 1)],
            -1,
        )
        for j, s in enumerate((0, step1, step2))
    ]
    frame = words.strings.gather(
        {
            "h": ("heads", head),
            "f": ("fillers", filler),
            "t": ("tail", opening),
            "j": ("joints", joint),
            "follow": ("heads", follow),
            "end": ("stops", end),
            "emoji": ("emoji", emoji),
            **{f"tag{j}": ("tags", rows) for j, rows in enumerate(tag_rows)},
        }
    )
    tags = pl.concat_str([pl.col(f"tag{j}") for j in range(3)], separator=" ", ignore_nulls=True)
    out = frame.select(
        body=pl.concat_str(["h", "f", "t", "j", "follow", "end"], ignore_nulls=True),
        emoji="emoji",
        hashtags=pl.when(tags != "").then(tags),
    )
    return out, topic


# -- bios --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _BioWords:
    head: pl.Series
    tail: pl.Series
    slot: Array  # position in _BIO_SLOTS
    frames: _Groups  # by (lang * kinds + kind) * 3 + gender
    #: What fills a slot: "" first, then the occupations, then str(0..2199), then "00".."99".
    fills: pl.Series
    n_jobs: int
    n_emoji: int
    strings: _Strings  # head, tail, fills, separators (" | ", " · ", each comma), emoji
    jobs: _Groups  # by (lang * 3 + gender) * 2 + senior_ok
    emoji: pl.Series


_BIO_SLOTS = ("", "occupation", "city", "year", "born", "yy", "decade")
_YEARS = 2200
_BIO_KIND_INDEX = {k: i for i, k in enumerate((*_BIO_KINDS, "interest", "place", "born", "motto"))}


@cache
def _bio_words() -> _BioWords:
    frames = load("social_frames").filter(pl.col("use") == "bio")
    n_k = len(_BIO_KIND_INDEX)
    lang = _lang_codes(frames["lang"].to_list())
    kind = np.array([_BIO_KIND_INDEX[k] for k in frames["topic"]], dtype=np.int64)
    gender = frames["gender"].to_numpy()
    member = [
        np.where(
            (gender == "") | (gender == _GENDER_CODE.get(g, "-")), (lang * n_k + kind) * 3 + k, -1
        )
        for k, g in enumerate(_GENDERS)
    ]
    jobs = load("social_fillers").filter(pl.col("slot") == "occupation")
    j_lang = _lang_codes(jobs["lang"].to_list())
    j_gender = jobs["gender"].to_numpy()
    senior = (jobs["min_age"] > 18).to_numpy()
    j_member = [
        np.where(
            ((j_gender == "") | (j_gender == _GENDER_CODE.get(g, "-"))) & (ok | ~senior),
            (j_lang * 3 + k) * 2 + ok,
            -1,
        )
        for k, g in enumerate(_GENDERS)
        for ok in (0, 1)
    ]
    emoji = load("social_tags").filter(
        (pl.col("kind") == "emoji")
        & (pl.col("sentiment") == "pos")
        & pl.col("topic").is_in(list(REGULAR_TOPICS))
    )
    slotted = frames.filter(pl.col("slot") != "")
    assert set(slotted["topic"]) <= {"school", "uni", "work", "place", "born"}, "slots in bio"
    assert (frames.filter(pl.col("topic") == "place")["slot"] == "city").all(), "place: city"
    fills = pl.concat(
        [
            pl.Series([""]),
            jobs["value"],
            pl.Series([str(k) for k in range(_YEARS)]),
            pl.Series([f"{k:02d}" for k in range(100)]),
        ]
    )
    bio_emoji = emoji["value"].unique(maintain_order=True)
    return _BioWords(
        head=frames["head"],
        tail=frames["tail"],
        slot=np.array([_BIO_SLOTS.index(s) for s in frames["slot"]], dtype=np.int64),
        frames=_multi(member, len(TEXT_LANGUAGES) * n_k * 3, frames.height),
        fills=fills,
        n_jobs=jobs.height,
        n_emoji=len(bio_emoji),
        strings=_strings(
            head=frames["head"],
            tail=frames["tail"],
            fills=fills,
            separators=pl.Series(
                [" | ", " · ", *(_COMMAS.get(x, ", ") for x in TEXT_LANGUAGES), " "]
            ),
            emoji=bio_emoji,
        ),
        jobs=_multi(j_member, len(TEXT_LANGUAGES) * 6, jobs.height),
        emoji=emoji["value"].unique(maintain_order=True),
    )


def bio_texts(
    lang: Array, age: Array, gender: Array, birth_year: Array, city: pl.Series, u: Array
) -> pl.Series:
    """Bios (``u``: 16 uniforms per row): a life stage or occupation fitting the age and
    gender, interests, the home city (Latin-script languages) and a motto, at most
    four pieces, sometimes an emoji. ``gender``: positions in ("female", "male",
    "nonbinary")."""
    words = _bio_words()
    n_k = len(_BIO_KIND_INDEX)
    band = np.searchsorted(_BIO_AGES, age, side="right") - 1
    cdf = np.cumsum(_BIO_STAGES, axis=1)[np.maximum(band, 0)]
    stage = np.minimum((cdf < u[:, [0]] * cdf[:, -1:]).sum(axis=1), len(_BIO_KINDS) - 1)

    def frame_of(kind: Array | int, v: Array) -> Array:
        return words.frames.pick((lang * n_k + kind) * 3 + gender, v)

    role = np.where(stage > 0, frame_of(stage, u[:, 1]), -1)
    senior_ok = (age >= _SENIOR_OK_AGE).astype(np.int64)
    job = words.jobs.pick((lang * 3 + gender) * 2 + senior_ok, u[:, 2])
    role = np.where((stage == _BIO_KINDS.index("work")) & (job < 0), -1, role)
    interest = _BIO_KIND_INDEX["interest"]
    n_interests = (u[:, 3] >= 0.1).astype(np.int64) + (u[:, 3] >= 0.55)
    size = words.frames.size[(lang * n_k + interest) * 3 + gender]
    first = np.floor(u[:, 4] * size).astype(np.int64)
    second = (
        first + 1 + np.floor(u[:, 5] * np.maximum(size - 1, 1)).astype(np.int64)
    ) % np.maximum(size, 1)
    i1 = np.where(n_interests >= 1, frame_of(interest, first / np.maximum(size, 1) + 1e-9), -1)
    i2 = np.where(n_interests >= 2, frame_of(interest, second / np.maximum(size, 1) + 1e-9), -1)
    latin = np.array([x in LATIN_LANGUAGES for x in TEXT_LANGUAGES])[lang]
    place = np.where(latin & (u[:, 6] < 0.45), frame_of(_BIO_KIND_INDEX["place"], u[:, 7]), -1)
    born = np.where(u[:, 13] < 0.35, frame_of(_BIO_KIND_INDEX["born"], u[:, 14]), -1)
    motto = np.where(u[:, 8] < 0.25, frame_of(_BIO_KIND_INDEX["motto"], u[:, 9]), -1)
    # Every bio names something of its own: the occupation, the home city or the birth
    # year (the city only in Latin-script languages: the cities' names are Latin).
    # "class of 2027" already says the birth year: no "born 2009" beside it.
    school_year = (role >= 0) & (words.slot[np.maximum(role, 0)] == _BIO_SLOTS.index("year"))
    born = np.where(school_year, -1, born)
    named = ((stage == _BIO_KINDS.index("work")) & (role >= 0)) | school_year
    bare = ~named & (place < 0) & (born < 0)
    by_city = bare & latin & (u[:, 15] < 0.5)
    place = np.where(by_city, frame_of(_BIO_KIND_INDEX["place"], u[:, 7]), place)
    born = np.where(bare & ~by_city, frame_of(_BIO_KIND_INDEX["born"], u[:, 14]), born)
    # At least two pieces, and an interest in a bio of two (an interest joins a lone
    # piece or a pair without one); at most four: drop the motto, the second interest,
    # the place, the birth year.
    count = sum((x >= 0).astype(np.int64) for x in (role, i1, i2, place, born, motto))
    short = (count < 2) | ((count < 3) & (i1 < 0) & (i2 < 0))
    i1 = np.where(short & (i1 < 0), frame_of(interest, first / np.maximum(size, 1) + 1e-9), i1)
    pieces = (role, i1, i2, place, born, motto)
    for dropped in (motto, i2, place, born):
        count = sum((x >= 0).astype(np.int64) for x in pieces)
        dropped[count > _MAX_BIO_PIECES] = -1
    sep = np.floor(u[:, 10] * 3).astype(np.int64)
    # The fill of each piece's slot, as a row of words.fills ("" without a slot).
    numbers, pairs = 1 + words.n_jobs, 1 + words.n_jobs + _YEARS
    values = {
        "occupation": 1 + job,
        "year": numbers + birth_year + 18,
        "born": numbers + birth_year,
        "yy": pairs + birth_year % 100,
        "decade": pairs + birth_year % 100 // 10 * 10,
    }
    parts: dict[str, tuple[str, Array]] = {}
    role_city = np.zeros(len(role), dtype=bool)
    # One flat concatenation: a separator before every piece but the first present.
    sep_row = np.where(sep < 2, sep, 2 + lang)
    seen = np.zeros(len(role), dtype=bool)
    # Interests and mottos have no slot; a place's slot is the home city.
    for name, rows in zip("rabpym", pieces, strict=True):
        present = rows >= 0
        parts[f"{name}_sep"] = ("separators", np.where(present & seen, sep_row, -1))
        seen |= present
        parts[f"{name}_head"] = ("head", rows)
        if name in "ry":
            slot = words.slot[np.maximum(rows, 0)]
            fill = np.zeros(len(rows), dtype=np.int64)
            for kind, value in values.items():
                fill = np.where(slot == _BIO_SLOTS.index(kind), value, fill)
            parts[f"{name}_fill"] = ("fills", np.where(present, fill, -1))
            if name == "r":
                role_city = slot == _BIO_SLOTS.index("city")
        if name in "rpy":
            parts[f"{name}_tail"] = ("tail", rows)
    emoji = np.where(u[:, 11] < 0.4, (u[:, 12] * words.n_emoji).astype(np.int64), -1)
    parts["space"] = ("separators", np.where(emoji >= 0, len(TEXT_LANGUAGES) + 2, -1))
    parts["e"] = ("emoji", emoji)
    frame = words.strings.gather(parts).with_columns(
        city=city.cast(pl.String),
        role_city=pl.Series(role_city),
        place=pl.Series(pieces[3] >= 0),
    )
    columns = [
        pl.when(pl.col("role_city")).then(pl.col("city")).otherwise(pl.col(c))
        if c == "r_fill"
        else pl.when(pl.col("place")).then(pl.col("city"))
        if c == "p_fill"
        else pl.col(c)
        for c in [
            *(
                f"{name}_{part}"
                for name in "rabpym"
                for part in ("sep", "head", "fill", "tail")
                if part in ("sep", "head") or name in "rpy"
            ),
            "space",
            "e",
        ]
    ]
    return frame.select(pl.concat_str(columns, ignore_nulls=True)).to_series()
