"""Street names and street lines written as each country writes them.

The names come from ``streets.parquet`` (built from faker and mimesis, see
``scripts/refdata/streets.py``); how a line is put together — the house number before or
after the street, separators, letter suffixes (``12a``, ``14B``, ``5 bis``), flats and
units, Japan's positional ``1-2-3`` — is the small hand-curated table
:data:`LINE_FORMATS` here.

Everything is vectorised: rows are grouped by format (one ``argsort``), each group is
rendered by one Polars ``concat_str``, and the groups are put back in row order.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache
from typing import Literal

import numpy as np
import numpy.typing as npt
import polars as pl

from tempdata.geo.reference import load
from tempdata.samplers._base import SortedLookup

__all__ = ["LINE_FORMATS", "STREET_DRAWS", "LineFormat", "street_lines"]

Array = npt.NDArray[np.generic]
Floats = npt.NDArray[np.float64]

#: Uniform draws :func:`street_lines` takes per row (columns of ``u``): street, house
#: number, letter suffix, flat/unit (whether, number, label), and a spare for the
#: second number of two-part house numbers (CZ, CO, JP, KR).
STREET_DRAWS = 8

_U_STREET, _U_NUMBER, _U_LETTER, _U_UNIT, _U_UNIT_NUMBER, _U_LABEL, _U_SECOND, _U_THIRD = range(
    STREET_DRAWS
)

NumberStyle = Literal["plain", "slash", "colombia", "japan", "korea"]


@dataclass(frozen=True)
class LineFormat:
    """How one country writes a street line.

    Parameters
    ----------
    line
        Template with ``{street}``, ``{number}`` and ``{unit}`` (the unit text, or
        nothing for rows without one), e.g. ``"{number} {street}{unit}"``.
    low, high, shift
        House numbers are drawn from ``low``–``high`` with density falling like
        ``1 / (n + shift)``: small numbers are common, a larger ``shift`` flattens it.
    letters, letter_p
        Suffixes appended to the number with probability ``letter_p`` (``"a"``,
        ``" bis"``, ``"/A"``).
    unit, unit_p, unit_high, labels
        Flat/unit text with ``{u}`` (1–``unit_high``) and ``{label}`` (one of
        ``labels``), used with probability ``unit_p``.
    number
        ``plain``; ``slash`` (Czech ``1234/5``); ``colombia`` (``# 34-56``, the
        cross street and the distance); ``japan`` (chōme-banchi-gō ``1-2-3``);
        ``korea`` (``110`` or ``110-4``).
    """

    line: str
    low: int = 1
    high: int = 200
    shift: float = 6.0
    letters: tuple[str, ...] = ()
    letter_p: float = 0.0
    unit: str = ""
    unit_p: float = 0.0
    unit_high: int = 20
    labels: tuple[str, ...] = ("",)
    number: NumberStyle = "plain"


_ABC = ("a", "b", "c")
_ABC_UP = ("A", "B", "C")

#: Street-line formats per country (ISO2); other countries use their name locale's
#: language (:data:`LANGUAGE_FORMATS`), else :data:`DEFAULT_FORMAT`.
LINE_FORMATS: dict[str, LineFormat] = {
    # number first
    "US": LineFormat("{number} {street}{unit}", 1, 9999, 40, unit=" Apt {u}", unit_p=0.12,
                     unit_high=40),
    "CA": LineFormat("{unit}{number} {street}", 1, 9999, 40, unit="{u}-", unit_p=0.1,
                     unit_high=30),
    "GB": LineFormat("{unit}{number} {street}", 1, 250, 8, _ABC_UP, 0.03, "Flat {u}, ", 0.1),
    "IE": LineFormat("{unit}{number} {street}", 1, 200, 6, _ABC_UP, 0.03, "Apartment {u}, ",
                     0.08),
    "AU": LineFormat("{unit}{number} {street}", 1, 400, 10, _ABC_UP, 0.03, "{u}/", 0.15),
    "NZ": LineFormat("{unit}{number} {street}", 1, 400, 10, _ABC_UP, 0.04, "{u}/", 0.12),
    "ZA": LineFormat("{unit}{number} {street}", 1, 300, 8, unit="Unit {u}, ", unit_p=0.08),
    "IN": LineFormat("{unit}{number}, {street}", 1, 999, 10, unit="Flat {u}{label}, ",
                     unit_p=0.3, unit_high=12, labels=("01", "02", "03", "04")),
    "PK": LineFormat("House No. {number}, {street}", 1, 999, 10),
    "FR": LineFormat("{number} {street}", 1, 200, 6, (" bis", " ter"), 0.04),
    # street first
    "DE": LineFormat("{street} {number}", 1, 180, 6, _ABC, 0.06),
    "AT": LineFormat("{street} {number}{unit}", 1, 180, 6, unit="/{u}", unit_p=0.3),
    "CH": LineFormat("{street} {number}", 1, 150, 6, _ABC, 0.05),
    "NL": LineFormat("{street} {number}", 1, 250, 8, _ABC_UP, 0.07),
    "BE": LineFormat("{street} {number}{unit}", 1, 250, 8, _ABC_UP, 0.03, " bus {u}", 0.1),
    "LU": LineFormat("{number}, {street}", 1, 150, 6),
    "DK": LineFormat("{street} {number}{unit}", 1, 200, 6, _ABC_UP, 0.05, ", {u}. {label}",
                     0.25, 6, ("tv.", "th.", "mf.")),
    "SE": LineFormat("{street} {number}", 1, 150, 6, _ABC_UP, 0.06),
    "NO": LineFormat("{street} {number}", 1, 150, 6, _ABC_UP, 0.08),
    "FI": LineFormat("{street} {number}{unit}", 1, 120, 6, unit=" {label} {u}", unit_p=0.35,
                     unit_high=60, labels=_ABC_UP),
    "CZ": LineFormat("{street} {number}", 1, 3000, 30, number="slash"),
    "PL": LineFormat("{street} {number}{unit}", 1, 200, 6, _ABC, 0.04, "/{u}", 0.45, 120),
    "IT": LineFormat("{street}, {number}", 1, 250, 8, ("/A", "/B"), 0.04),
    "ES": LineFormat("{street}, {number}{unit}", 1, 200, 6, unit=", {u}º {label}", unit_p=0.55,
                     unit_high=12, labels=("A", "B", "C", "D", "izq.", "dcha.")),
    "PT": LineFormat("{street}, {number}{unit}", 1, 300, 8, _ABC_UP, 0.04, ", {u}º {label}",
                     0.45, 10, ("Esq.", "Dto.", "Frente")),
    "BR": LineFormat("{street}, {number}{unit}", 1, 3000, 30, unit=", apto {u}{label}",
                     unit_p=0.3, unit_high=24, labels=("01", "02", "03", "04")),
    "AR": LineFormat("{street} {number}{unit}", 1, 5000, 50, unit=", Piso {u}, Dto. {label}",
                     unit_p=0.3, unit_high=15, labels=_ABC_UP),
    "CL": LineFormat("{street} {number}{unit}", 1, 5000, 50, unit=", depto. {u}{label}",
                     unit_p=0.25, unit_high=20, labels=("01", "02", "03", "04")),
    "MX": LineFormat("{street} {number}{unit}", 1, 3000, 20, unit=" Int. {u}", unit_p=0.15),
    "CO": LineFormat("{street} # {number}", 1, 200, 10, _ABC_UP, 0.1, number="colombia"),
    "TR": LineFormat("{street} No: {number}{unit}", 1, 150, 6, unit=" D: {u}", unit_p=0.5),
    "RU": LineFormat("{street}, д. {number}{unit}", 1, 150, 6, unit=", кв. {u}", unit_p=0.6,
                     unit_high=300),
    "HU": LineFormat("{street} {number}.", 1, 150, 6),
    "RO": LineFormat("{street} nr. {number}", 1, 200, 6),
    "GR": LineFormat("{street} {number}", 1, 200, 6),
    "ID": LineFormat("{street} No. {number}", 1, 200, 6),
    "MY": LineFormat("{number}, {street}", 1, 200, 6),
    "IL": LineFormat("{street} {number}", 1, 150, 6),
    # positional / road-name systems
    "JP": LineFormat("{street}{number}", 1, 9, 2, number="japan"),
    "KR": LineFormat("{street} {number}", 1, 400, 10, number="korea"),
    "CN": LineFormat("{street}{number}号", 1, 999, 15),
    "TW": LineFormat("{street}{number}號", 1, 400, 10),
}  # fmt: skip

#: Street first, number after: most of continental Europe and Latin America.
STREET_FIRST = LineFormat("{street} {number}", 1, 150, 6)

#: Countries whose name locale has no street data borrow English (US) names: number first.
DEFAULT_FORMAT = LineFormat("{number} {street}", 1, 999, 10)

#: Languages whose countries write the number after the street.
_STREET_FIRST_LANGUAGES = (
    "de", "nl", "da", "no", "sv", "fi", "is", "et", "cs", "sk", "sl", "hr", "mk", "pl", "hu",
    "el", "it", "ro", "tr", "az", "hy", "ka", "kk", "he",
)  # fmt: skip

#: Formats by the language of a country's name locale, for countries not listed above.
LANGUAGE_FORMATS: dict[str, LineFormat] = {
    "en": DEFAULT_FORMAT,
    "fr": LINE_FORMATS["FR"],
    "es": LineFormat("{street} {number}", 1, 2000, 20),
    "pt": LINE_FORMATS["PT"],
    "ar": LineFormat("{number} {street}", 1, 200, 6),
    "fa": LineFormat("{street}, پلاک {number}", 1, 200, 6),
    "ru": LINE_FORMATS["RU"],
    "uk": LineFormat("{street}, буд. {number}", 1, 150, 6),
    "zh": LINE_FORMATS["TW"],
    "ko": LINE_FORMATS["KR"],
    "vi": LineFormat("{number} {street}", 1, 400, 10),
    "th": LineFormat("{number} {street}", 1, 400, 10),
    "id": LINE_FORMATS["ID"],
    "bn": LineFormat("{number} {street}", 1, 200, 6),
    "ne": LineFormat("{number} {street}", 1, 200, 6),
    **dict.fromkeys(_STREET_FIRST_LANGUAGES, STREET_FIRST),
}


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class _Tables:
    names: pl.Series  # every street, grouped by (country, city)
    lookup: SortedLookup  # over group + cumulative weight share, ascending
    group_end: Array  # per group: one past its last street
    country_group: npt.NDArray[np.int64]  # per country number: the group of its own list
    city_group: npt.NDArray[np.int64]  # per city (row of cities.parquet): its list's group, or -1
    format_of: Array  # per country number: index into formats
    formats: tuple[LineFormat, ...]


@cache
def _tables() -> _Tables:
    countries = load("countries")
    codes = countries.get_column("iso2").to_list()
    locales = countries.get_column("locale").to_list()
    cid = {code: i for i, code in enumerate(codes)}
    streets = load("streets", ("country_code", "city", "street", "weight")).filter(
        pl.col("country_code").is_in(codes)
    )
    n_cities = load("cities", ("city",)).height
    country_of = streets.get_column("country_code").replace_strict(cid, return_dtype=pl.Int64)
    city_of = streets.get_column("city").cast(pl.Int64).to_numpy()
    # the file comes sorted by country and city (-1, the country's own list, first)
    ck = country_of.to_numpy() * (n_cities + 1) + city_of + 1
    if len(ck) > 1 and not (ck[1:] >= ck[:-1]).all():
        order = np.argsort(ck, kind="stable")
        streets, ck, city_of = streets[order], ck[order], city_of[order]
    g = np.r_[0, np.cumsum(ck[1:] != ck[:-1])].astype(np.float64) if len(ck) else ck
    country_ids = ck // (n_cities + 1)
    w = streets.get_column("weight").to_numpy().astype(np.float64)
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    ends = np.r_[starts[1:], len(g)]
    keys = np.empty(len(g), dtype=np.float64)
    group_end = np.zeros(len(starts), dtype=np.int64)
    country_group = np.full(len(codes), -1, dtype=np.int64)
    city_group = np.full(n_cities, -1, dtype=np.int64)
    for a, b in zip(starts, ends, strict=True):
        cdf = np.cumsum(w[a:b])
        keys[a:b] = g[a] + cdf / cdf[-1]
        keys[b - 1] = g[a] + 1.0
        group_end[int(g[a])] = b
        if city_of[a] < 0:
            country_group[country_ids[a]] = int(g[a])
        else:
            city_group[city_of[a]] = int(g[a])
    if (country_group < 0).any():
        missing = [codes[i] for i in np.flatnonzero(country_group < 0)]
        msg = f"streets.parquet has no streets for {', '.join(missing)}"
        raise LookupError(msg)

    formats: list[LineFormat] = []
    format_of = np.empty(len(codes), dtype=np.int64)
    for i, (code, locale) in enumerate(zip(codes, locales, strict=True)):
        fmt = LINE_FORMATS.get(code) or LANGUAGE_FORMATS.get(locale.split("_")[0], DEFAULT_FORMAT)
        if fmt not in formats:
            formats.append(fmt)
        format_of[i] = formats.index(fmt)
    return _Tables(
        streets.get_column("street"),
        SortedLookup(keys, bits=18),
        group_end,
        country_group,
        city_group,
        format_of,
        tuple(formats),
    )


# --------------------------------------------------------------------------- numbers


def _skewed(u: Floats, low: int, high: int, shift: float) -> npt.NDArray[np.int64]:
    """Integers in [low, high] with density ∝ 1 / (n + shift): small ones common."""
    a, b = np.log(low + shift), np.log(high + 1 + shift)
    n = np.floor(np.exp(a + u * (b - a)) - shift)
    out: npt.NDArray[np.int64] = np.clip(n, low, high).astype(np.int64)
    return out


def _text(values: npt.NDArray[np.int64]) -> pl.Series:
    return pl.Series(values, dtype=pl.Int64).cast(pl.String)


def _concat(parts: list[pl.Series | pl.Expr]) -> pl.Series:
    return pl.select(pl.concat_str(parts)).to_series()


def _where(
    mask: npt.NDArray[np.bool_], then: pl.Series | pl.Expr, otherwise: pl.Series | str | Array
) -> pl.Series:
    """``then`` where ``mask``, else ``otherwise`` (a Series, a literal or integers)."""
    if isinstance(otherwise, np.ndarray):
        otherwise = _text(otherwise.astype(np.int64))
    other = pl.lit(otherwise) if isinstance(otherwise, str) else otherwise
    return pl.select(pl.when(pl.Series(mask)).then(then).otherwise(other)).to_series()


def _choice(options: tuple[str, ...], u: Floats, use: npt.NDArray[np.bool_]) -> pl.Series:
    """One of ``options`` per row where ``use``, else ""."""
    idx = np.minimum((u * len(options)).astype(np.int64), len(options) - 1) + 1
    idx[~use] = 0
    return pl.Series(["", *options]).gather(idx)


def _numbers(fmt: LineFormat, u: Floats) -> tuple[pl.Series, pl.Series]:
    """(house number, the number as the line writes it) for one format's rows."""
    n = _skewed(u[:, _U_NUMBER], fmt.low, fmt.high, fmt.shift)
    letter = _choice(fmt.letters or ("",), u[:, _U_LETTER], u[:, _U_LETTER] < fmt.letter_p)
    if fmt.number == "plain":
        number = _concat([_text(n), letter])
        return number, number
    if fmt.number == "slash":  # číslo popisné / orientační
        second = _text(_skewed(u[:, _U_SECOND], 1, 60, 3))
        number = _where(u[:, _U_THIRD] < 0.6, _concat([_text(n), pl.lit("/"), second]), n)
        return number, number
    if fmt.number == "colombia":  # cross street (with letter) - metres from the corner
        metres = _skewed(u[:, _U_SECOND], 1, 99, 10)
        number = _concat([_text(n), letter, pl.lit("-"), _text(metres)])
        return number, number
    if fmt.number == "japan":  # chōme (from n) - banchi - gō
        banchi = _text(_skewed(u[:, _U_SECOND], 1, 40, 4))
        go = _text(_skewed(u[:, _U_THIRD], 1, 30, 4))
        chome = _text(n)
        number = _concat([chome, pl.lit("-"), banchi, pl.lit("-"), go])
        # half the lines spell the chōme out: 浅草1丁目2-3
        kanji = _concat([chome, pl.lit("丁目"), banchi, pl.lit("-"), go])
        spelled = u[:, _U_LETTER] < 0.5
        return number, _where(spelled, kanji, number)
    # korea: building number, sometimes with a sub-number (110-4)
    sub = _text(_skewed(u[:, _U_SECOND], 1, 30, 3))
    number = _where(u[:, _U_THIRD] < 0.15, _concat([_text(n), pl.lit("-"), sub]), n)
    return number, number


def _template(text: str, fields: dict[str, pl.Series]) -> pl.Series:
    parts: list[pl.Series | pl.Expr] = []
    for literal, name, _, _ in string.Formatter().parse(text):
        if literal:
            parts.append(pl.lit(literal))
        if name is not None:
            parts.append(fields[name])
    return _concat(parts)


def _render(fmt: LineFormat, street: pl.Series, u: Floats) -> tuple[pl.Series, pl.Series]:
    """(house number, street line) for rows of one format."""
    number, written = _numbers(fmt, u)
    fields = {"street": street, "number": written}
    if "{unit}" in fmt.line:
        has_unit = u[:, _U_UNIT] < fmt.unit_p
        unit_n = _skewed(u[:, _U_UNIT_NUMBER], 1, fmt.unit_high, 4)
        label = _choice(fmt.labels, u[:, _U_LABEL], np.ones(len(u), dtype=np.bool_))
        unit = _template(fmt.unit, {"u": _text(unit_n), "label": label})
        fields["unit"] = _where(has_unit, unit, "")
    line = _template(fmt.line, fields)
    return number.alias("house_number"), line.alias("street_line")


def street_lines(
    country: Array,
    u: Array,
    *,
    city: Array | None = None,
    streets: pl.Series | None = None,
) -> dict[str, pl.Series]:
    """Street names, house numbers and street lines for rows of given countries.

    Parameters
    ----------
    country
        Row numbers into ``countries.parquet`` (the order ``load("countries")`` has),
        shape ``(n,)``.
    u
        Uniform draws in [0, 1), shape ``(n, STREET_DRAWS)``; the same draws give the
        same output.
    city
        Row numbers into ``cities.parquet``, shape ``(n,)``: a city with a street list
        of its own (Berlin, Vienna, Zürich) draws from it, every other city from its
        country's list of names found all over the country. Without it, every row
        draws from its country's list.
    streets
        Street (or town) names that replace the drawn one where not null, e.g. the
        town of a Japanese address's postal code.

    Returns
    -------
    dict[str, pl.Series]
        ``street`` (the name, native script), ``house_number`` (String: ``12``,
        ``12a``, ``1234/5``, ``1-2-3``) and ``street_line`` (``Hauptstraße 12``,
        ``123 Maple Avenue``, ``12 Rue de la Paix``, ``浅草1丁目2-3``).

    Examples
    --------
    >>> import numpy as np
    >>> from tempdata.geo.reference import load
    >>> codes = load("countries").get_column("iso2").to_list()
    >>> rows = np.array([codes.index("DE"), codes.index("US")])
    >>> u = np.random.default_rng(7).random((2, STREET_DRAWS))
    >>> out = street_lines(rows, u)
    >>> out["street_line"].str.ends_with(out["house_number"]).to_list()[0]
    True
    >>> out["street_line"].str.starts_with(out["house_number"]).to_list()[1]
    True
    """
    tables = _tables()
    cid: npt.NDArray[np.int64] = np.asarray(country, dtype=np.int64)
    draws: Floats = np.asarray(u, dtype=np.float64)
    if draws.shape != (len(cid), STREET_DRAWS):
        msg = f"u must have shape ({len(cid)}, {STREET_DRAWS}), got {draws.shape}"
        raise ValueError(msg)
    group = tables.country_group[cid]
    if city is not None:
        own = tables.city_group[np.asarray(city, dtype=np.int64)]
        group = np.where(own >= 0, own, group)
    pick = tables.lookup(group + draws[:, _U_STREET])
    pick = np.minimum(pick, tables.group_end[group] - 1)
    street = tables.names.gather(pick).alias("street")
    if streets is not None:
        street = pl.select(pl.coalesce(streets, street)).to_series().alias("street")

    fmt = tables.format_of[cid]
    order = np.argsort(fmt, kind="stable")
    bounds = np.searchsorted(fmt[order], np.arange(len(tables.formats) + 1))
    numbers: list[pl.Series] = []
    lines: list[pl.Series] = []
    for k, f in enumerate(tables.formats):
        a, b = int(bounds[k]), int(bounds[k + 1])
        if a == b:
            continue
        rows = order[a:b]
        number, line = _render(f, street.gather(rows), draws[rows])
        numbers.append(number)
        lines.append(line)
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    if not numbers:
        empty = pl.Series(dtype=pl.String)
        return {
            "street": street,
            "house_number": empty.alias("house_number"),
            "street_line": empty.alias("street_line"),
        }
    return {
        "street": street,
        "house_number": pl.concat(numbers).gather(inverse),
        "street_line": pl.concat(lines).gather(inverse),
    }
