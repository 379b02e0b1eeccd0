"""Names of points of interest in the country's language and naming style.

A POI's name comes from a pattern of its country's language and category
(``poi_patterns``: ``"{word} {landmark}"`` → "Pharmacie du Centre", ``"{emblem}-{word}"``
→ "Löwen-Apotheke", ``"{surname}{word}"`` → "田中病院", ``"{brand}"`` → "Edeka") whose
placeholders are filled column-wise: category words, saints, landmarks and branch
suffixes from ``poi_vocabulary``; surnames and given names of the country's name locale
(``names``); brands the name-suggestion-index lists for the country and category
(``poi_brands``; brand patterns are dropped where there is none); ``{number}`` from 1
to :data:`NUMBER_MAX`. The language of a country is ``poi_languages``' (built from
GeoNames' languages and a short list of overrides such as India → English).

:func:`distinct_names` makes one answer's names distinct: a row whose name an earlier
row already has draws a new name (from a fresh stream per round, so row ``i`` depends
only on rows before it and the first ``k`` names do not depend on ``count``); after
:data:`ROUNDS` rounds a name still taken gets the next free number ("Apteka Pod Lwem 2"),
which only happens when one answer asks for more POIs of a kind than its patterns can
name (hundreds of pharmacies in one small town).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import polars as pl

from tempdata.geo.reference import load

__all__ = ["NAME_DRAWS", "NUMBER_MAX", "ROUNDS", "distinct_names", "poi_names"]

#: Uniform draws per POI and naming round (see :func:`poi_names`).
NAME_DRAWS = 13
#: ``{number}`` runs from 1 to this (school and pharmacy numbers: "Школа № 12").
NUMBER_MAX = 60
#: Rounds of redrawing a taken name before numbering it.
ROUNDS = 8

_FIELD = re.compile(r"\{(\w+)\}")
#: Vocabulary kinds, in the order of their draw column.
_KINDS = ("word", "saint", "landmark", "area", "emblem", "sign", "ordinal")
# draw columns: 0 pattern, 1-7 _KINDS, 8 surname, 9 given, 10 sex, 11 number, 12 brand
_SURNAME, _GIVEN, _SEX, _NUMBER, _BRAND = 8, 9, 10, 11, 12


@dataclass(frozen=True)
class _Choices:
    """Weighted options in groups: group ``g`` owns keys ``(g, g + 1]`` of ``keys``."""

    values: pl.Series
    keys: npt.NDArray[np.float64]
    groups: dict[tuple[str, ...], int]

    def pick(self, group: npt.NDArray[np.int64], u: npt.NDArray[np.float64]) -> pl.Series:
        """One value per row of its group (``""`` where the group is -1 or unknown)."""
        if not len(self.keys):
            return pl.Series([""] * len(group), dtype=pl.String)
        at = np.searchsorted(self.keys, np.maximum(group, 0) + u, side="right")
        at = np.minimum(at, len(self.keys) - 1)
        picked = self.values.gather(at)
        return picked.zip_with(pl.Series(group >= 0), pl.Series([""] * len(group), dtype=pl.String))


def _choices(frame: pl.DataFrame, by: list[str]) -> _Choices:
    """Groups of ``frame`` (columns ``by``, ``value``, ``weight``) as :class:`_Choices`."""
    frame = frame.filter(pl.col("weight") > 0).sort([*by, "value"])
    # group bounds from one pass; the running sums per group by slices of one array (a
    # frame per group costs half a second for the thousands of name groups)
    number = frame.select(pl.struct(by).rle_id()).to_series().to_numpy()
    bounds = np.flatnonzero(np.diff(number)) + 1
    weight = frame["weight"].to_numpy()
    keys = np.empty(frame.height, dtype=np.float64)
    for g, (lo, hi) in enumerate(zip(np.r_[0, bounds], np.r_[bounds, frame.height], strict=True)):
        cum = np.cumsum(weight[lo:hi])
        keys[lo:hi] = g + cum / cum[-1]
    heads = frame.select(by).unique(maintain_order=True)
    groups = {tuple(str(k) for k in key): g for g, key in enumerate(heads.iter_rows())}
    return _Choices(frame["value"], keys, groups)


@dataclass(frozen=True)
class _Naming:
    language: dict[str, str]
    locale: dict[str, str]
    patterns: _Choices
    local_patterns: _Choices  # without {brand}: names of independent businesses
    vocabulary: _Choices
    names: _Choices
    brands: _Choices


@cache
def _naming() -> _Naming:
    countries = load("countries", ("iso2", "locale"))
    locale = dict(zip(countries["iso2"], countries["locale"], strict=True))
    languages = load("poi_languages")
    language = dict(zip(languages["country_code"], languages["language"], strict=True))
    brands = load("poi_brands")
    has_brand = brands.select("country_code", "category").unique().with_columns(has=True)
    # pattern groups per (country, category): brand patterns only where brands exist
    per_country = (
        languages.join(load("poi_patterns"), on="language")
        .join(has_brand, on=["country_code", "category"], how="left")
        .filter(~pl.col("pattern").str.contains("{brand}", literal=True) | pl.col("has"))
        .select("country_code", "category", pl.col("pattern").alias("value"), "weight")
    )
    names = load("names", ("locale", "kind", "name", "weight")).select(
        "locale", "kind", pl.col("name").alias("value"), "weight"
    )
    return _Naming(
        language=language,
        locale=locale,
        patterns=_choices(per_country, ["country_code", "category"]),
        local_patterns=_choices(
            per_country.filter(~pl.col("value").str.contains("{brand}", literal=True)),
            ["country_code", "category"],
        ),
        vocabulary=_choices(
            load("poi_vocabulary").select("language", "kind", "category", "value", "weight"),
            ["language", "kind", "category"],
        ),
        names=_choices(names, ["locale", "kind"]),
        brands=_choices(
            brands.select("country_code", "category", pl.col("name").alias("value"), weight=1.0),
            ["country_code", "category"],
        ),
    )


def _group_ids(
    keys: list[tuple[str, ...]], inverse: npt.NDArray[np.int64], lookup: Callable[..., int]
) -> npt.NDArray[np.int64]:
    """Per row, the group of its key (one lookup per distinct key, not per row)."""
    ids = np.asarray([lookup(k) for k in keys], dtype=np.int64)
    return ids[inverse] if len(ids) else np.zeros(0, dtype=np.int64)


def poi_names(
    categories: npt.NDArray[np.str_],
    countries: npt.NDArray[np.str_],
    u: npt.NDArray[np.float64],
    *,
    local: bool = False,
) -> pl.Series:
    """Names for POIs of the given categories and countries, from ``NAME_DRAWS`` uniforms each.

    ``local=True`` names independent businesses only (no chain brand patterns).

    >>> import numpy as np
    >>> u = np.full((1, NAME_DRAWS), 0.5)
    >>> name = poi_names(np.array(["pharmacy"]), np.array(["DE"]), u)[0]
    >>> "Apotheke" in name or "apotheke" in name
    True
    """
    n = len(categories)
    if n == 0:
        return pl.Series("name", [], dtype=pl.String)
    t = _naming()
    pairs = np.char.add(np.char.add(countries.astype(str), "|"), categories.astype(str))
    uniq, inverse = np.unique(pairs, return_inverse=True)
    keys = [tuple(str(p).split("|")) for p in uniq]  # (country, category)
    lang = [t.language.get(cc, "en") for cc, _ in keys]
    loc = [t.locale.get(cc, "en_US") for cc, _ in keys]

    def group(choices: _Choices, key_of: Callable[[int], tuple[str, ...]]) -> npt.NDArray[np.int64]:
        return _group_ids(
            [key_of(i) for i in range(len(keys))],
            inverse,
            lambda k: choices.groups.get(k, -1),
        )

    patterns = t.local_patterns if local else t.patterns
    columns: dict[str, pl.Series] = {
        "pattern": patterns.pick(group(patterns, lambda i: keys[i]), u[:, 0])
    }
    for j, kind in enumerate(_KINDS, start=1):

        def vocab_key(i: int, kind: str = kind) -> tuple[str, ...]:
            return (lang[i], kind, keys[i][1] if kind == "word" else "")

        columns[kind] = t.vocabulary.pick(group(t.vocabulary, vocab_key), u[:, j])
    columns["surname"] = t.names.pick(group(t.names, lambda i: (loc[i], "last")), u[:, _SURNAME])
    female = u[:, _SEX] < 0.5
    given_f = t.names.pick(group(t.names, lambda i: (loc[i], "first_female")), u[:, _GIVEN])
    given_m = t.names.pick(group(t.names, lambda i: (loc[i], "first_male")), u[:, _GIVEN])
    columns["given"] = given_f.zip_with(pl.Series(female), given_m)
    number = 1 + np.minimum((u[:, _NUMBER] * NUMBER_MAX).astype(np.int64), NUMBER_MAX - 1)
    columns["number"] = pl.Series(number).cast(pl.String)
    columns["brand"] = t.brands.pick(group(t.brands, lambda i: keys[i]), u[:, _BRAND])
    frame = pl.DataFrame(columns)
    name = pl.col("pattern")
    for field in (*_KINDS, "surname", "given", "number", "brand"):
        name = name.str.replace_all("{" + field + "}", pl.col(field), literal=True)
    return frame.select(name.alias("name")).to_series()


def distinct_names(
    names: pl.Series,
    fixed: npt.NDArray[np.bool_],
    redraw: Callable[[int, npt.NDArray[np.int64]], pl.Series],
) -> pl.Series:
    """Make ``names`` distinct: a row that repeats an earlier name is renamed.

    ``fixed`` rows (airports: real names) keep theirs; ``redraw(round, rows)`` gives new
    candidate names for ``rows`` in a round (1 to :data:`ROUNDS`). A name still taken
    after the last round gets a number: its occurrence count (" 2", " 3", ...).
    """
    for r in range(1, ROUNDS + 1):
        taken = np.flatnonzero(~names.is_first_distinct().to_numpy() & ~fixed)
        if not len(taken):
            return names
        names = names.scatter(taken, redraw(r, taken))
    while True:  # each pass numbers the repeats of one name 2, 3, ...; ends within a few
        taken = np.flatnonzero(~names.is_first_distinct().to_numpy() & ~fixed)
        if not len(taken):
            return names
        count = pl.DataFrame({"n": names}).select(pl.col("n").cum_count().over("n"))["n"].to_numpy()
        suffix = pl.Series(count[taken]).cast(pl.String)
        names = names.scatter(taken, names.gather(taken) + " " + suffix)
