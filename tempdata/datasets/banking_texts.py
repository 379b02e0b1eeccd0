"""Booking texts of the ``banking`` dataset's rows without a card: salaries, rent, bills,
cash withdrawals and transfers, in the statement language of the account's country and
naming the payer or payee.

Wording
-------
``statement_texts.parquet`` (built from ``scripts/sources/banking/statement_terms.csv``):
per country a template per booking type. The payment words are the Union standardised
terms of Commission Delegated Regulation (EU) 2018/32 in the member state's language
("Virement", "Lastschrift", "Polecenie zapłaty", "Cash withdrawal"); the direction words
and the salary, rent and bill words are marked as recalled in the source's notes.
Countries without sourced wording (BA, ME, RS) read in English, as documented there.

Names
-----
* A salary names the account's employer: one of the chains of its country
  (``merchant_brands.parquet`` and ``poi_brands.parquet``, the name-suggestion-index's
  retail, food, hotel and bank brands; not transit networks, named after their city)
  stands for the large employers.
* A bill names its payee (``bill_payees.parquet``: the country's telecom operators,
  insurers, gyms and electricity suppliers); a kind without payees in a country
  (streaming everywhere) carries the kind's word.
* Rent goes to a landlord and transfers come from and go to people of the country:
  names drawn by the name frequencies of the country's name locale (``names.parquet``,
  as the ``people`` sampler uses them), :data:`PEOPLE` per country and seed. Each
  account keeps its employer, landlord and payees; its transfers favour a few people.

The names are picked by a hash of the seed and the account, so a chunk names the same
payees as any other and the ledger's random streams are not touched.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import polars as pl

from tempdata.core.seeding import Seeder
from tempdata.geo.reference import load

__all__ = ["BILL_KINDS", "KEYS", "PEOPLE", "describe", "texts_of"]

Array = np.ndarray[Any, Any]

#: Booking types in the order of the banking dataset's ``TYPES`` (card payments are
#: named by :mod:`tempdata.datasets.banking_cards`).
KEYS = (
    "salary",
    "rent",
    "bill",
    "card_purchase",
    "atm_withdrawal",
    "transfer_in",
    "transfer_out",
)
#: Bill kinds, in the order of the banking dataset's bill codes.
BILL_KINDS = ("electricity", "internet", "mobile_phone", "insurance", "streaming", "gym")
#: People (landlords, transfer counterparties) per country and seed.
PEOPLE = 256

_SALARY, _RENT, _BILL, _CARD, _ATM, _IN, _OUT = range(len(KEYS))
_TRANSIT = 4111
_FALLBACK = "GB"  # English texts for a country without a row
_FALLBACK_LOCALE = "en_US"  # names of a locale without a list (as tempdata.samplers.people)


@dataclass(frozen=True, eq=False)
class _Country:
    """A country's texts: a template per booking type (``{name}`` where a name goes),
    the words of the bill kinds, its employers and its bill payees per kind."""

    templates: tuple[str, ...]  # per KEYS; card_purchase ""
    words: tuple[str, ...]  # per BILL_KINDS
    employers: tuple[str, ...]
    payees: tuple[tuple[str, ...], ...]  # per BILL_KINDS


@cache
def _texts() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for country, key, text in load("statement_texts").select("country", "key", "text").iter_rows():
        out.setdefault(str(country), {})[str(key)] = str(text)
    return out


@cache
def _names_by_country() -> tuple[dict[str, list[str]], dict[tuple[str, str], list[str]]]:
    """Employers per country and bill payees per (country, kind), read in one pass."""
    chains = pl.concat(
        [  # transit networks (MCC 4111) are named after their city: no employer's name
            load("merchant_brands")
            .filter(pl.col("mcc") != _TRANSIT)
            .select("country_code", "name"),
            load("poi_brands").select("country_code", "name"),
        ]
    ).unique()
    employers: dict[str, list[str]] = {}
    for country, name in chains.sort("country_code", "name").iter_rows():
        employers.setdefault(str(country), []).append(str(name))
    payees: dict[tuple[str, str], list[str]] = {}
    for country, kind, name in (
        load("bill_payees").select("country", "kind", "name").sort("country", "kind", "name")
    ).iter_rows():
        payees.setdefault((str(country), str(kind)), []).append(str(name))
    return employers, payees


@cache
def texts_of(country: str) -> _Country:
    """The booking texts and names of ``country`` (ISO alpha-2)."""
    texts = _texts()
    t = texts.get(country, texts[_FALLBACK])
    employers, payees = _names_by_country()
    return _Country(
        templates=tuple("" if k == "card_purchase" else t[k] for k in KEYS),
        words=tuple(t[k] for k in BILL_KINDS),
        employers=tuple(employers.get(country, ())),
        payees=tuple(tuple(payees.get((country, k), ())) for k in BILL_KINDS),
    )


@dataclass(frozen=True, eq=False)
class _Block:
    """A country's pieces of text in one Series, for integer gathers: each type's text
    before and after ``{name}`` (:data:`KEYS` order, twice), "", the bill kinds' words,
    the employers, the people and the payees of each bill kind (``payee_at``, ``payee_n``).
    """

    pieces: pl.Series
    employers: int  # position of the first employer
    n_employers: int
    people: int
    payee_at: Array  # per bill kind: position of its first payee
    payee_n: Array  # per bill kind: how many (0: the kind's word names the bill)


_EMPTY = 2 * len(KEYS)  # position of ""
_WORDS = _EMPTY + 1  # position of the first bill word
_blocks: dict[tuple[int, str, str], _Block] = {}
_lock = threading.Lock()


@cache
def _by_locale() -> dict[str, pl.DataFrame]:
    names = load("names", ("locale", "kind", "name", "weight"))
    return {str(k[0]): v for k, v in names.partition_by("locale", as_dict=True).items()}


@cache
def _name_lists(country: str) -> dict[str, tuple[pl.Series, Array]]:
    """The name lists of the country's name locale (``countries.parquet``): kind →
    (names, cumulative weights); a kind the locale lacks falls back to en_US's."""
    countries = load("countries", ("iso2", "locale"))
    locale = dict(countries.iter_rows()).get(country, _FALLBACK_LOCALE)
    out: dict[str, tuple[pl.Series, Array]] = {}
    for loc in (_FALLBACK_LOCALE, locale):
        for (kind,), part in _by_locale()[loc].group_by("kind"):
            cdf = np.cumsum(part["weight"].to_numpy())
            out[str(kind)] = (part["name"], cdf / cdf[-1])
    return out


def _people_of(seeder: Seeder, dataset: str, country: str) -> list[str]:
    """PEOPLE full names of ``country`` by its name frequencies (``names.parquet``,
    first and family name of the person's sex), from the country's own stream."""
    u = seeder.context_stream(f"{dataset}.people.{country}").random((PEOPLE, 3))
    lists = _name_lists(country)
    female = u[:, 0] < 0.5
    first = np.empty(PEOPLE, dtype=object)
    last = np.empty(PEOPLE, dtype=object)
    for sex, rows in (("female", female), ("male", ~female)):
        for column, kinds, out in (
            (1, (f"first_{sex}",), first),
            (2, (f"last_{sex}", "last"), last),
        ):
            names, cdf = next(lists[k] for k in kinds if k in lists)
            at = np.minimum(np.searchsorted(cdf, u[rows, column], side="right"), len(cdf) - 1)
            out[rows] = np.asarray(names.gather(at).to_list(), dtype=object)
    return [f"{f} {la}" for f, la in zip(first, last, strict=True)]


def _block(seeder: Seeder, dataset: str, country: str) -> _Block:
    key = (seeder.seed, dataset, country)
    with _lock:
        found = _blocks.get(key)
    if found is not None:
        return found
    t = texts_of(country)
    before = [x.partition("{name}")[0] for x in t.templates]
    after = [x.partition("{name}")[2] for x in t.templates]
    people = _people_of(seeder, dataset, country)
    employers = list(t.employers) or people
    head = [*before, *after, "", *t.words]
    payee_n = np.array([len(p) for p in t.payees], dtype=np.int64)
    start = len(head) + len(employers) + len(people)
    payee_at = start + np.concatenate([[0], np.cumsum(payee_n)[:-1]]).astype(np.int64)
    pieces = [*head, *employers, *people, *(name for p in t.payees for name in p)]
    block = _Block(
        pieces=pl.Series(pieces, dtype=pl.String),
        employers=len(head),
        n_employers=len(employers),
        people=len(head) + len(employers),
        payee_at=payee_at,
        payee_n=payee_n,
    )
    with _lock:
        _blocks[key] = block
        while len(_blocks) > 256:
            _blocks.pop(next(iter(_blocks)))
    return block


def _mix(seed: int, account: Array, salt: Array | int) -> Array:
    """A 64-bit hash of (seed, account, salt) per row (splitmix64's finaliser)."""
    x = account.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    x ^= np.uint64(seed * 1_000_003) + np.asarray(salt).astype(np.uint64) * np.uint64(7_919)
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def _pick(seed: int, account: Array, salt: Array | int, n: Array | int) -> Array:
    """An index below ``n`` per row, fixed by (seed, account, salt)."""
    picked: Array = (_mix(seed, account, salt) % np.asarray(n).astype(np.uint64)).astype(np.int64)
    return picked


def describe(
    seeder: Seeder,
    dataset: str,
    country: Array,
    account: Array,
    kind: Array,
    bill: Array,
    pick: Array,
) -> pl.Series:
    """Booking texts of rows without a card.

    ``country`` is each row's account country (ISO alpha-2), ``account`` its account
    number, ``kind`` its booking type (index into :data:`KEYS`, never card_purchase),
    ``bill`` its bill kind (index into :data:`BILL_KINDS`, used for bills) and ``pick``
    a small integer that picks the counterparty of a transfer among the account's
    favourites.
    """
    if len(kind) == 0:
        return pl.Series([], dtype=pl.String)
    seed = int(seeder.seed) & 0xFFFFFFFF
    uniq, where = np.unique(np.asarray(country).astype(str), return_inverse=True)
    blocks = [_block(seeder, dataset, str(c)) for c in uniq]
    sizes = np.array([len(b.pieces) for b in blocks], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    base = starts[where]  # the row's country block in the pieces
    employers = np.array([b.employers for b in blocks], dtype=np.int64)[where]
    n_employers = np.array([b.n_employers for b in blocks], dtype=np.int64)[where]
    people = np.array([b.people for b in blocks], dtype=np.int64)[where]
    name = np.full(len(kind), _EMPTY, dtype=np.int64)
    sal, rent = kind == _SALARY, kind == _RENT  # the employer; the landlord
    name[sal] = employers[sal] + _pick(seed, account[sal], 1, n_employers[sal])
    name[rent] = people[rent] + _pick(seed, account[rent], 2, PEOPLE)
    move = (kind == _IN) | (kind == _OUT)  # a few favourite people per account
    spot = _mix(seed, account[move], 3) + pick[move].astype(np.uint64)
    name[move] = people[move] + (spot % np.uint64(PEOPLE)).astype(np.int64)
    is_bill = kind == _BILL  # the account's payee of the kind, or the kind's word
    kinds, home = bill[is_bill], where[is_bill]
    count = np.stack([b.payee_n for b in blocks])[home, kinds]
    first = np.stack([b.payee_at for b in blocks])[home, kinds]
    chosen = first + _pick(seed, account[is_bill], 10 + kinds, np.maximum(count, 1))
    name[is_bill] = np.where(count > 0, chosen, _WORDS + kinds)
    pieces = pl.concat([b.pieces for b in blocks])
    return pl.select(
        pl.concat_str(
            pieces.gather(base + kind),
            pieces.gather(base + name),
            pieces.gather(base + len(KEYS) + kind),
        )
    ).to_series()
