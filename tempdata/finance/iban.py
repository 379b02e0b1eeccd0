"""IBANs with real bank codes and correct check digits, generated and validated vectorised.

An IBAN is the country code, two ISO 13616 check digits and the country's BBAN. The
BBAN layout per country (``reference_data/iban_formats.parquet``) and the real banks
(``reference_data/banks.parquet``: bank code, BIC, name) come from ``schwifty``'s
registries. A generated BBAN holds a real bank code of the country, random digits
(letters where the format asks for them) for the branch and account, and the national
check digits where the country's BBAN has them:

=================  =====================================================================
country            national check digits
=================  =====================================================================
BE                 last two digits: the first ten modulo 97 (97 for 0)
DE                 the account number's check digit by the bank's Bundesbank method;
                   only banks using methods 00, 01, 06, 09 (none), 10, 13, 63 or 88 are
                   drawn — about 2,500 of 3,500 codes, among them the Sparkassen,
                   Volksbanken, Deutsche Bank and Commerzbank
ES                 two digits (DC): weighted modulo 11 over bank + branch, and account
FR, MC             clé RIB: 97 − (89 bank + 15 branch + 3 account) mod 97
IT                 CIN letter: odd/even character tables modulo 26
NL                 none in the IBAN standard; accounts still pass the old 11-test
PL                 the sort code's own check digit (real sort codes carry it)
PT, SI, RS, ME,    ISO 7064 MOD 97-10 over bank, branch and account
BA
AT, BG, CH, CY,    none (the BBAN has no national check digits)
GB, GR, IE, LI,
LT, LU, LV, MT,
RO
=================  =====================================================================

Not supported, because their accounts carry check digits that schwifty cannot verify
and tempdata does not compute: CZ, DK, EE, FI, HR, HU, IS, NO, SE, SK (and the
non-SEPA countries of the registry). GB and IE sort codes are random six-digit numbers
after a real bank's four letters; their banks' account "modulus checks" (VocaLink)
are not applied.

>>> import numpy as np
>>> table = generate("DE", 3, np.random.default_rng(1))
>>> table["iban"].str.len_chars().to_list()
[22, 22, 22]
>>> is_valid(table["iban"]).all()
True
>>> is_valid(pl.Series(["DE89370400440532013000", "DE89370400440532013001"])).to_list()
[True, False]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import polars as pl

from tempdata.errors import InvalidParameterError, suggest
from tempdata.geo.reference import load

__all__ = ["COUNTRIES", "IbanFormat", "generate", "iban_format", "is_valid"]

Array = np.ndarray[Any, Any]

#: Supported countries → how their national check digits are made.
_METHODS: dict[str, str] = {
    "AT": "none",
    "BA": "mod97",
    "BE": "be",
    "BG": "none",
    "CH": "none",
    "CY": "none",
    "DE": "de",
    "ES": "es",
    "FR": "fr",
    "GB": "none",
    "GR": "none",
    "IE": "none",
    "IT": "it",
    "LI": "none",
    "LT": "none",
    "LU": "none",
    "LV": "none",
    "MC": "fr",
    "ME": "mod97",
    "MT": "none",
    "NL": "nl",
    "PL": "none",
    "PT": "mod97",
    "RO": "none",
    "RS": "mod97",
    "SI": "mod97",
}
#: Countries tempdata generates IBANs for (ISO alpha-2, sorted).
COUNTRIES: tuple[str, ...] = tuple(sorted(_METHODS))

_DIGIT, _LETTER, _ALNUM = 0, 1, 2
_CLASS = {"n": _DIGIT, "a": _LETTER, "c": _ALNUM, "e": _DIGIT}
_ZERO, _A = ord("0"), ord("A")


@dataclass(frozen=True, eq=False)
class IbanFormat:
    """A country's IBAN layout: lengths, character class per BBAN position (``0`` digit,
    ``1`` letter, ``2`` either) and the ``(start, end)`` of its fields in the BBAN
    (``(-1, -1)`` when absent)."""

    country: str
    iban_length: int
    bban_spec: str
    classes: Array
    bank: tuple[int, int]
    branch: tuple[int, int]
    account: tuple[int, int]
    check: tuple[int, int]
    method: str

    @property
    def bban_length(self) -> int:
        return len(self.classes)


def _classes(spec: str) -> Array:
    out: list[int] = []
    for count, kind in re.findall(r"(\d+)!?([nace])", spec):
        out.extend([_CLASS[kind]] * int(count))
    return np.array(out, dtype=np.int8)


@cache
def _formats() -> dict[str, IbanFormat]:
    table = load("iban_formats")
    out: dict[str, IbanFormat] = {}
    for row in table.iter_rows(named=True):
        cc = row["country"]
        out[cc] = IbanFormat(
            country=cc,
            iban_length=int(row["iban_length"]),
            bban_spec=row["bban_spec"],
            classes=_classes(row["bban_spec"]),
            bank=(row["bank_start"], row["bank_end"]),
            branch=(row["branch_start"], row["branch_end"]),
            account=(row["account_start"], row["account_end"]),
            check=(row["check_start"], row["check_end"]),
            method=_METHODS.get(cc, ""),
        )
    return out


def iban_format(country: str) -> IbanFormat:
    """The IBAN layout of a supported country (ISO alpha-2)."""
    if country not in _METHODS:
        msg = (
            f"no IBANs for country {country!r}{suggest(country, COUNTRIES)} — "
            f"supported: {', '.join(COUNTRIES)}"
        )
        raise InvalidParameterError(msg)
    return _formats()[country]


# -- German account check digits (Bundesbank methods) --------------------------------


@dataclass(frozen=True)
class _Weighted:
    """A weighted-sum check digit: digits ``start..end`` (1-based, read from the right)
    times cyclic ``weights``, optionally cross-summed, modulo ``modulus``, subtracted
    from it; 10 and 11 give 0. The result goes to position ``check``."""

    modulus: int
    weights: tuple[int, ...]
    start: int = 1
    end: int = 9
    check: int = 10
    cross_sum: bool = False


_DE_METHODS: dict[str, _Weighted | None] = {
    "00": _Weighted(10, (2, 1), cross_sum=True),
    "01": _Weighted(10, (3, 7, 1)),
    "06": _Weighted(11, (2, 3, 4, 5, 6, 7)),
    "09": None,
    "10": _Weighted(11, (2, 3, 4, 5, 6, 7, 8, 9, 10)),
    "13": _Weighted(10, (2, 1), start=2, end=7, check=8, cross_sum=True),
    "63": _Weighted(10, (2, 1), start=2, end=7, check=8, cross_sum=True),
    "88": _Weighted(11, (2, 3, 4, 5, 6, 7, 8), start=4, end=9),
}


def _weighted_check(digits: Array, m: _Weighted) -> Array:
    """Check digits of 10-digit account numbers (``digits``: ``(n, 10)`` ints)."""
    cols = np.arange(m.end - 1, m.start - 2, -1)  # right to left
    weights = np.resize(np.asarray(m.weights), len(cols))
    products = digits[:, cols] * weights
    if m.cross_sum:
        products = products // 10 + products % 10
    check = m.modulus - products.sum(axis=1) % m.modulus
    return np.where(check >= 10, 0, check)


def _german(accounts: Array, methods: Array) -> None:
    """Make ``accounts`` (``(n, 10)`` digits, in place) valid for each row's method."""
    for code, m in _DE_METHODS.items():
        rows = np.flatnonzero(methods == code)
        if m is None or not len(rows):
            continue
        sub = accounts[rows]
        if code == "63":
            sub[:, 0] = 0  # method 63 accounts start with 0
        if code == "88":
            sub[:, 2] = np.where(sub[:, 2] == 9, 8, sub[:, 2])  # keep the short variant
        sub[:, m.check - 1] = _weighted_check(sub, m)
        accounts[rows] = sub


# -- other national check digits ------------------------------------------------------


def _as_int(digits: Array) -> Array:
    """Digit matrix ``(n, k)`` (k ≤ 18) → int64 values."""
    powers = 10 ** np.arange(digits.shape[1] - 1, -1, -1, dtype=np.int64)
    result: Array = digits.astype(np.int64) @ powers
    return result


def _mod97(values: Array) -> Array:
    """Remainder modulo 97 of the number whose decimal digits are the rows of ``values``
    (``(n, k)`` ints, any k; letters already expanded by the caller)."""
    r = np.zeros(len(values), dtype=np.int64)
    for j in range(values.shape[1]):
        r = (r * 10 + values[:, j]) % 97
    return r


_ES_BANK = np.array([4, 8, 5, 10, 9, 7, 3, 6])
_ES_ACCOUNT = np.array([1, 2, 4, 8, 5, 10, 9, 7, 3, 6])
_IT_ODD = np.array([1, 0, 5, 7, 9, 13, 15, 17, 19, 21])


def _es_digit(s: Array) -> Array:
    d = 11 - s % 11
    return np.where(d == 11, 0, np.where(d == 10, 1, d))


def _national(fmt: IbanFormat, d: Array, methods: Array) -> None:
    """Write the national check digits into ``d`` (``(n, L)`` BBAN values, in place:
    0–9 for digits, 10–35 for letters)."""
    b0, b1 = fmt.bank
    r0, r1 = fmt.branch
    a0, a1 = fmt.account
    c0, c1 = fmt.check
    method = fmt.method
    if method == "de":
        acc = d[:, a0:a1].copy()
        _german(acc, methods)
        d[:, a0:a1] = acc
    elif method == "be":
        value = _as_int(d[:, 0:c0]) % 97
        value = np.where(value == 0, 97, value)
        d[:, c0], d[:, c0 + 1] = value // 10, value % 10
    elif method == "fr":
        key = (
            97
            - (89 * _as_int(d[:, b0:b1]) + 15 * _as_int(d[:, r0:r1]) + 3 * _as_int(d[:, a0:a1]))
            % 97
        )
        d[:, c0], d[:, c0 + 1] = key // 10, key % 10
    elif method == "es":
        d[:, c0] = _es_digit(d[:, b0:r1] @ _ES_BANK)
        d[:, c0 + 1] = _es_digit(d[:, a0:a1] @ _ES_ACCOUNT)
    elif method == "it":
        body = np.concatenate([d[:, b0:b1], d[:, r0:r1], d[:, a0:a1]], axis=1)
        total = _IT_ODD[body[:, 0::2]].sum(axis=1) + body[:, 1::2].sum(axis=1)
        d[:, c0] = 10 + total % 26  # a letter
    elif method == "nl":
        acc = d[:, a0:a1]
        weights = np.arange(10, 0, -1)
        last = (-(acc[:, :9] @ weights[:9])) % 11
        bump = last == 10  # no digit fits: change the one before it
        acc[bump, 8] = (acc[bump, 8] + 1) % 10
        acc[:, 9] = (-(acc[:, :9] @ weights[:9])) % 11
    elif method == "mod97":
        parts = [d[:, s:e] for s, e in (fmt.bank, fmt.branch, fmt.account) if e > s]
        body = np.concatenate([*parts, np.zeros((len(d), 2), dtype=d.dtype)], axis=1)
        value = 98 - _mod97(body)
        d[:, c0], d[:, c0 + 1] = value // 10, value % 10
    # "none": nothing to do (PL's check digit is part of its real sort codes)
    del c1


# -- banks ----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Banks:
    codes: Array  # (k, width) BBAN values of the bank field
    bic: pl.Series
    name: pl.Series
    code: pl.Series
    method: Array


@cache
def _banks(country: str) -> _Banks:
    fmt = iban_format(country)
    table = load("banks").filter(pl.col("country") == country)
    if country == "DE":
        table = table.filter(pl.col("check_method").is_in(list(_DE_METHODS)))
    width = fmt.bank[1] - fmt.bank[0]
    codes = table.get_column("bank_code").str.slice(0, width)
    raw = np.frombuffer(
        b"".join(c.encode("ascii").ljust(width, b"0") for c in codes.to_list()), dtype=np.uint8
    ).reshape(-1, width)
    return _Banks(
        codes=_values(raw),
        bic=table.get_column("bic"),
        name=table.get_column("bank_name"),
        code=codes,
        method=table.get_column("check_method").to_numpy(),
    )


def _values(chars: Array) -> Array:
    """ASCII codes → IBAN values (digits 0–9, letters 10–35)."""
    c = chars.astype(np.int64)
    return np.where(c >= _A, c - _A + 10, c - _ZERO)


def _chars(values: Array) -> Array:
    """IBAN values → ASCII codes."""
    return np.where(values >= 10, values - 10 + _A, values + _ZERO).astype(np.uint8)


def _strings(chars: Array) -> pl.Series:
    width = chars.shape[1]
    return pl.Series(np.ascontiguousarray(chars).view(f"S{width}").ravel()).cast(pl.String)


def _check_digits(country: str, bban: Array) -> Array:
    """ISO 13616 check digits of BBANs (``(n, L)`` values) of ``country``."""
    country_values = [ord(ch) - _A + 10 for ch in country]
    n = len(bban)
    # BBAN + country + "00", letters as two digits: Horner over the positions.
    r = np.zeros(n, dtype=np.int64)
    tail = np.tile(np.array([*country_values, 0, 0], dtype=np.int64), (n, 1))
    for j in range(bban.shape[1] + 4):
        v = bban[:, j] if j < bban.shape[1] else tail[:, j - bban.shape[1]]
        r = np.where(v >= 10, r * 100 + v, r * 10 + v) % 97
    result: Array = 98 - r
    return result


def generate(country: str, n: int, rng: np.random.Generator) -> pl.DataFrame:
    """``n`` IBANs of ``country`` with their bank: columns ``iban``, ``bic``,
    ``bank_name``, ``bank_code``.

    The bank is uniform over the country's bank codes (codes of big banks with many
    branches appear more often). Draws once from ``rng``, shaped ``(n, L + 1)``, so row
    ``i`` depends only on the generator's state, not on ``n``.
    """
    fmt = iban_format(country)
    banks = _banks(country)
    u = rng.random((n, fmt.bban_length + 1))
    pick = np.minimum((u[:, 0] * len(banks.codes)).astype(np.int64), len(banks.codes) - 1)
    letters = fmt.classes == _LETTER
    d = np.where(letters, 10 + (u[:, 1:] * 26).astype(np.int64), (u[:, 1:] * 10).astype(np.int64))
    b0, b1 = fmt.bank
    d[:, b0:b1] = banks.codes[pick]
    _national(fmt, d, banks.method[pick])
    check = _check_digits(country, d)
    head = np.empty((n, 4), dtype=np.uint8)
    head[:, 0], head[:, 1] = ord(country[0]), ord(country[1])
    head[:, 2], head[:, 3] = check // 10 + _ZERO, check % 10 + _ZERO
    chars = np.concatenate([head, _chars(d)], axis=1)
    return pl.DataFrame(
        {
            "iban": _strings(chars),
            "bic": banks.bic.gather(pick),
            "bank_name": banks.name.gather(pick),
            "bank_code": banks.code.gather(pick),
        }
    )


def _fixed_bytes(strings: pl.Series, width: int) -> Array:
    """ASCII strings of exactly ``width`` bytes → ``(n, width)`` uint8, without a row loop."""
    arr = strings.rechunk().to_arrow()
    if hasattr(arr, "combine_chunks"):
        arr = arr.combine_chunks()
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[
        arr.offset : arr.offset + len(arr) + 1
    ]
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    return data.reshape(-1, width)


@cache
def _lengths() -> dict[str, int]:
    return {cc: f.iban_length for cc, f in _formats().items()}


def is_valid(ibans: pl.Series) -> pl.Series:
    """Whether each string is a well-formed IBAN with correct ISO 13616 check digits.

    Checks the characters (``CCdd`` then upper-case letters and digits, no spaces), the
    length for countries in the reference data (15 to 34 otherwise) and the mod-97
    check digits; national check digits are not verified. Null stays null.
    """
    s = ibans.cast(pl.String)
    lengths = _lengths()
    known = s.str.slice(0, 2).replace_strict(lengths, default=None, return_dtype=pl.Int32)
    length = s.str.len_bytes().cast(pl.Int32)
    shape_ok = s.str.contains(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$") & (
        (length == known) | known.is_null()
    )
    width = 34
    # Only well-formed strings (ASCII letters and digits) reach the byte matrix.
    padded = pl.select(
        pl.when(pl.lit(shape_ok.fill_null(False))).then(pl.lit(s)).otherwise(pl.lit(""))
    ).to_series()
    raw = _fixed_bytes(padded.str.pad_end(width, "#"), width)
    rotated = np.concatenate([raw[:, 4:], raw[:, :4]], axis=1)
    # Rotation moved the padding into the middle: skip it.
    v = _values(rotated)
    pad = rotated == ord("#")
    r = np.zeros(len(raw), dtype=np.int64)
    for j in range(width):
        vj = v[:, j]
        step = np.where(vj >= 10, r * 100 + vj, r * 10 + vj) % 97
        r = np.where(pad[:, j], r, step)
    mod_ok = pl.Series(r == 1)
    return (shape_ok.fill_null(False) & mod_ok).alias(ibans.name).set(ibans.is_null(), None)
