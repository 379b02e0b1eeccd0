"""Financial dataset ``banking``: current accounts and their transactions.

Layout — why rows are grouped by account
----------------------------------------
A running balance is a prefix sum over an account's history, so a row's
``balance_after`` depends on every earlier transaction of its account. Rows are
therefore **grouped by account** (``account_id`` ascending), each account's
transactions sorted by time, like a bank's statement export; ``transaction_id`` grows
with the row. (DESIGN §3 asks transaction tables to be sorted by time; a time-sorted
table would make the balance of the last chunk depend on all earlier chunks.)

The number of accounts (parameter ``accounts``, default rows / 400) and each
account's number of rows (the rows apportioned by an activity weight, largest
remainders) follow from the row count and per-account parameters drawn from one
dataset-wide stream. Each account's whole ledger is then generated from **its own
stream**, ``Seeder.stream("banking", "ledger#account", account)``, whatever chunk asks
for it; a chunk generates the ledgers of the accounts its rows touch and keeps its
rows. So row ``i`` is the same in one process, in four, or chunk by chunk, and its
balance is exactly the account's opening balance plus the amounts before it (amounts
are integers in minor units until the output).

Each account: a real bank of its country with a valid IBAN and BIC
(:mod:`tempdata.finance.iban`), its country's currency, a salary paid as its country's
employers pay (:mod:`tempdata.calendar.paydays`: the frequency drawn by the country's
published shares, the pay day by its rule, a pay day on a weekend or public holiday
moved as the country's law or practice says), rent early in the month and one to
three monthly bills (debited on the next banking day), each booked with a text in the
statement language of its country naming the employer, landlord, payee or person
(:mod:`tempdata.datasets.banking_texts`), and card purchases at named merchants
(:mod:`tempdata.datasets.banking_cards`: real merchant category codes, the country's
chains and local businesses; a traveller's purchases abroad during trips),
ATM cash and transfers (booked on banking days) over the date range, with a daily
rhythm. Spending is scaled to the salary so balances neither explode nor sink for good.
A small share of card payments (about 0.3 %) is fraud, in the patterns fraud teams look
for.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from tempdata.calendar import holiday_calendar, roll
from tempdata.calendar.paydays import PER_MONTH, PayPlan, draw_plans, pay_dates
from tempdata.core.plan import (
    ChunkContext,
    Dataset,
    GroupSampler,
    Parameter,
    Params,
    SampleOutput,
    check,
    col,
    group,
)
from tempdata.datasets import banking_cards as cards
from tempdata.datasets import banking_texts as texts
from tempdata.datasets.registry import register
from tempdata.finance import iban as ibans
from tempdata.geo.countries import GLOBAL, resolve_country
from tempdata.geo.money import currency_for
from tempdata.geo.reference import load
from tempdata.samplers import sequence

__all__ = ["TYPES", "banking"]

Array = np.ndarray[Any, Any]

#: Transaction types; salary and transfer_in are credits, the others debits.
TYPES = texts.KEYS
_SALARY, _RENT, _BILL, _CARD, _ATM, _IN, _OUT = range(len(TYPES))
_PATTERNS = ("none", "odd_hour", "abroad", "burst", "under_limit")

_ATM_MCC = 6011  # Financial Institutions: Automated Cash Disbursements

_BILL_SHARE = np.array([0.035, 0.015, 0.012, 0.03, 0.005, 0.01])  # of the salary

#: Random (non-recurring) transactions: type → share.
_RANDOM_TYPES = np.array([_CARD, _ATM, _IN, _OUT])
_RANDOM_CDF = np.cumsum([0.82, 0.07, 0.04, 0.07])

#: Relative activity by hour of day for card payments, ATM and transfers.
_CARD_HOURS = np.array(
    [
        *(0.05, 0.02, 0.01, 0.01, 0.01, 0.03, 0.15, 0.5, 0.9, 1.0, 1.1, 1.3),
        *(1.6, 1.4, 1.2, 1.2, 1.3, 1.6, 1.8, 1.5, 1.1, 0.7, 0.35, 0.12),
    ]
)
_OTHER_HOURS = np.array(
    [
        *(0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.3, 0.8, 1.0, 1.1, 1.1, 1.1),
        *(1.2, 1.1, 1.0, 1.0, 1.1, 1.3, 1.3, 1.1, 0.9, 0.6, 0.3, 0.1),
    ]
)
_CARD_HOUR_CDF = np.cumsum(_CARD_HOURS) / _CARD_HOURS.sum()
_OTHER_HOUR_CDF = np.cumsum(_OTHER_HOURS) / _OTHER_HOURS.sum()

#: Time zone of each supported country's capital (booked_at is local wall-clock time).
_TIMEZONES = {
    "AT": "Europe/Vienna",
    "BA": "Europe/Sarajevo",
    "BE": "Europe/Brussels",
    "BG": "Europe/Sofia",
    "CH": "Europe/Zurich",
    "CY": "Asia/Nicosia",
    "DE": "Europe/Berlin",
    "ES": "Europe/Madrid",
    "FR": "Europe/Paris",
    "GB": "Europe/London",
    "GR": "Europe/Athens",
    "IE": "Europe/Dublin",
    "IT": "Europe/Rome",
    "LI": "Europe/Vaduz",
    "LT": "Europe/Vilnius",
    "LU": "Europe/Luxembourg",
    "LV": "Europe/Riga",
    "MC": "Europe/Monaco",
    "ME": "Europe/Podgorica",
    "MT": "Europe/Malta",
    "NL": "Europe/Amsterdam",
    "PL": "Europe/Warsaw",
    "PT": "Europe/Lisbon",
    "RO": "Europe/Bucharest",
    "RS": "Europe/Belgrade",
    "SI": "Europe/Ljubljana",
}
#: Where "new merchant abroad" fraud is booked (outside the supported countries too).
_FRAUD_ABROAD = ("US", "GB", "NG", "RU", "BR", "CN", "TR", "AE", "TH", "UA")

_ROWS_PER_ACCOUNT = 400
_DRAWS = 16  # uniforms per row: 0-11 type, time, amount, fraud; 12-15 travel, merchant
_FRAUD_SEED_RATE = 0.002
_US_PER_DAY = 86_400_000_000
_US_PER_MIN = 60_000_000
_EPOCH = dt.datetime(1970, 1, 1)


def default_accounts(params: Params) -> int:
    """Accounts in a banking table: ``custom_params["accounts"]`` or rows / 400
    (at least 1), never more than the rows."""
    given = params.get("accounts", None)
    n = int(given) if given is not None else max(1, round(params.rows / _ROWS_PER_ACCOUNT))
    return max(1, min(n, params.rows))


# -- the per-dataset plan: accounts and how many rows each has ------------------------


@dataclass(frozen=True, eq=False)
class _Accounts:
    """Everything about the accounts, for the whole dataset (cached per process)."""

    offsets: Array  # first row of each account, and the total at the end
    country: Array  # ISO alpha-2 per account (object array)
    per_usd: Array
    decimals: Array
    salary: Array  # monthly, in US dollars
    pay: PayPlan  # frequency, pay-day rule and moves of the account's employer
    rent_day: Array
    rent_share: Array
    bill_kinds: Array  # (A, 3) bill kind index, -1 = none
    bill_days: Array  # (A, 3)
    spend_share: Array
    opening: Array  # opening balance in US dollars
    trip_at: Array  # (A, TRIPS): where in the window each trip starts (0..1)
    trip_days: Array  # (A, TRIPS): its length in days
    trip_to: Array  # (A, TRIPS): its destination (index into cards.places())
    home: Array  # the account's country as an index into cards.places()
    bank: pl.DataFrame  # iban, bic, bank_name per account
    currency: pl.Series
    timezone: pl.Series


_cache: OrderedDict[tuple[Any, ...], _Accounts] = OrderedDict()
_lock = threading.Lock()


def _apportion(weights: Array, rows: int) -> Array:
    """Integer counts summing to ``rows``, proportional to ``weights`` (largest remainder)."""
    quota = weights / weights.sum() * rows
    counts: Array = np.floor(quota).astype(np.int64)
    short = rows - int(counts.sum())
    if short:
        order = np.argsort(-(quota - counts), kind="stable")
        counts[order[:short]] += 1
    return counts


def _country_weights() -> tuple[tuple[str, ...], Array]:
    table = load("countries").select("iso2", "population")
    pop = dict(table.iter_rows())
    codes = ibans.COUNTRIES
    w = np.array([float(pop.get(c, 1.0) or 1.0) for c in codes])
    return codes, np.cumsum(w) / w.sum()


def _accounts(ctx: ChunkContext) -> _Accounts:
    params = ctx.params
    key = (ctx.dataset, ctx.seeder.seed, params.cache_key())
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    n = default_accounts(params)
    rng = ctx.seeder.context_stream(f"{ctx.dataset}.accounts")
    u = rng.random((n, 16))  # row a depends only on a
    country_code = resolve_country(params.country)
    if country_code == GLOBAL:
        codes, cdf = _country_weights()
        pick = np.minimum(np.searchsorted(cdf, u[:, 0], side="right"), len(codes) - 1)
        country = np.array(codes, dtype=object)[pick]
    else:
        ibans.iban_format(country_code)  # a clear error for countries without IBANs
        country = np.full(n, country_code, dtype=object)
    for code in sorted(set(country.tolist())):  # banking days need the holidays
        holiday_calendar(code).check_span(params.date_start.date(), params.date_end.date())
    money = {c: currency_for(c) for c in set(country.tolist())}
    per_usd = np.array([money[c].per_usd for c in country])
    decimals = np.array([money[c].decimals for c in country], dtype=np.int64)
    # Activity: lognormal weights, so some accounts are busy and others quiet.
    activity = np.exp(0.5 * _probit(u[:, 1]))
    counts = _apportion(activity, params.rows)
    salary = np.exp(math.log(3_200.0) + 0.45 * _probit(u[:, 2]))
    # The employer's pay schedule (its country's frequencies, rule and moves), and up
    # to TRIPS trips abroad: both from their own streams (row a depends only on a).
    extra = ctx.seeder.context_stream(f"{ctx.dataset}.pay_trips").random((n, 3 + 3 * cards.TRIPS))
    pay = draw_plans(country, extra[:, :3])
    t = extra[:, 3:].reshape(n, 3, cards.TRIPS)
    lo, hi = cards.TRIP_DAYS
    trip_days = lo + np.minimum((t[:, 1] * (hi - lo + 1)).astype(np.int64), hi - lo)
    home = cards.place_index(country)
    trip_to = cards.trip_destinations(np.repeat(home, cards.TRIPS), t[:, 2].ravel())
    rent_day = 1 + (u[:, 4] * 5).astype(np.int64)
    rent_share = 0.22 + 0.16 * u[:, 5]
    n_bills = 1 + (u[:, 6] * 3).astype(np.int64)
    kinds = np.argsort(u[:, 7:13], axis=1)[:, :3]  # three distinct bill kinds
    bill_kinds = np.where(np.arange(3) < n_bills[:, None], kinds, -1)
    bill_days = 1 + (u[:, 13:16] * 28).astype(np.int64)
    bill_days = np.sort(bill_days, axis=1)
    spend_share = np.clip(0.5 + 0.1 * _probit(u[:, 8]), 0.3, 0.75)
    opening = salary * (0.2 + 2.5 * u[:, 9] ** 2)
    # IBANs: one stream per country, drawn for every account (row a depends only on a).
    bank = pl.DataFrame(
        schema={"iban": pl.String, "bic": pl.String, "bank_name": pl.String},
    )
    parts = []
    index = np.arange(n)
    for c in sorted(set(country.tolist())):
        mine = index[country == c]
        table = ibans.generate(
            c, int(mine.max()) + 1, ctx.seeder.context_stream(f"{ctx.dataset}.iban.{c}")
        )
        parts.append(
            table[mine].select("iban", "bic", "bank_name").with_columns(_a=pl.Series(mine))
        )
    bank = pl.concat(parts).sort("_a").drop("_a")
    accounts = _Accounts(
        offsets=np.concatenate([[0], np.cumsum(counts)]),
        country=country,
        per_usd=per_usd,
        decimals=decimals,
        salary=salary,
        pay=pay,
        rent_day=rent_day,
        rent_share=rent_share,
        bill_kinds=bill_kinds,
        bill_days=bill_days,
        spend_share=spend_share,
        opening=opening,
        trip_at=t[:, 0],
        trip_days=trip_days,
        trip_to=trip_to.reshape(n, cards.TRIPS),
        home=home,
        bank=bank,
        currency=pl.Series([money[c].code for c in country], dtype=pl.String),
        timezone=pl.Series([_TIMEZONES[c] for c in country], dtype=pl.String),
    )
    with _lock:
        _cache[key] = accounts
        while len(_cache) > 4:
            _cache.popitem(last=False)
    return accounts


def _probit(u: Array) -> Array:
    """Standard normal quantiles of ``u`` (Acklam's rational approximation is overkill
    here: a logistic approximation is enough for parameter spreads)."""
    u = np.clip(u, 1e-9, 1 - 1e-9)
    result: Array = np.log(u / (1 - u)) / 1.702
    return result


# -- one chunk's ledgers --------------------------------------------------------------


def _month_starts(start: dt.datetime, end: dt.datetime) -> Array:
    first = np.datetime64(start.date(), "M")
    last = np.datetime64(end.date(), "M")
    return np.arange(first, last + 1).astype("datetime64[D]").astype(np.int64)


def _micros(value: dt.datetime) -> int:
    return (value - _EPOCH) // dt.timedelta(microseconds=1)


def _ledgers(ctx: ChunkContext, acc: _Accounts, first: int, last: int) -> dict[str, Array]:
    """Whole ledgers of accounts ``first..last`` (inclusive), rows in output order."""
    start_us, end_us = _micros(ctx.params.date_start), _micros(ctx.params.date_end)
    start_day, end_day = start_us // _US_PER_DAY, end_us // _US_PER_DAY
    ids = np.arange(first, last + 1)
    counts = np.diff(acc.offsets)[ids]
    # Each account's own stream: one draw of shape (rows, _DRAWS).
    draws = [
        ctx.seeder.stream(ctx.dataset, "ledger#account", int(a)).random((int(k), _DRAWS))
        for a, k in zip(ids, counts, strict=True)
    ]
    u = np.concatenate(draws) if draws else np.empty((0, _DRAWS))
    owner = np.repeat(np.arange(len(ids)), counts)  # position in ids, per row
    local = np.arange(len(u)) - np.repeat(np.cumsum(counts) - counts, counts)

    # Recurring events: salaries on the employer's pay days (moved off weekends and
    # holidays as the country's rule says); rent and three bills per account × month,
    # debited on the banking day after a weekend or holiday.
    months = _month_starts(ctx.params.date_start, ctx.params.date_end)
    pay_owner, pay_day = pay_dates(acc.pay.take(ids), start_day, end_day)
    slots = np.concatenate([np.full((len(ids), 1), -3), acc.bill_kinds[ids]], axis=1)
    nominal = np.concatenate(
        [acc.rent_day[ids][:, None], np.minimum(acc.bill_days[ids], 28)], axis=1
    )[:, None, :] + (months[None, :, None] - 1)
    country = np.broadcast_to(acc.country[ids][:, None, None], nominal.shape)
    debit_day = roll(nominal.ravel(), country.ravel(), "forward").reshape(nominal.shape)
    kinds = np.broadcast_to(slots[:, None, :], nominal.shape)
    active = (kinds != -1) & (debit_day >= start_day) & (debit_day <= end_day)
    debit_owner = np.broadcast_to(np.arange(len(ids))[:, None, None], nominal.shape)[active]
    rec_owner = np.concatenate([pay_owner, debit_owner])
    rec_day = np.concatenate([pay_day, debit_day[active]])
    rec_kind = np.concatenate([np.full(len(pay_owner), -2), kinds[active]])
    order = np.lexsort((rec_kind, rec_day, rec_owner))
    rec_owner, rec_day, rec_kind = rec_owner[order], rec_day[order], rec_kind[order]
    rec_total = np.bincount(rec_owner, minlength=len(ids))
    # Keep at most 15 % of an account's rows as recurring (the latest ones): a quiet
    # account is one opened recently, its window starting at its first kept event.
    keep_n = np.minimum(rec_total, np.ceil(0.15 * counts).astype(np.int64))
    keep_n = np.where(rec_total <= counts // 4, rec_total, keep_n)
    rank_from_end = np.repeat(np.cumsum(rec_total), rec_total) - 1 - np.arange(len(rec_owner))
    keep = rank_from_end < keep_n[rec_owner]
    rec_owner, rec_day, rec_kind = rec_owner[keep], rec_day[keep], rec_kind[keep]
    window_start = np.full(len(ids), start_day)
    truncated = keep_n < rec_total
    if truncated.any():
        first_kept = np.full(len(ids), end_day)
        np.minimum.at(first_kept, rec_owner, rec_day)
        window_start = np.where(truncated, first_kept, window_start)

    # Row j of an account: recurring events first (its first keep_n rows), then random.
    is_rec = local < keep_n[owner]
    rec_rows = np.flatnonzero(is_rec)
    rnd_rows = np.flatnonzero(~is_rec)
    n_rows = len(u)
    kind = np.empty(n_rows, dtype=np.int64)
    tx_type = np.empty(n_rows, dtype=np.int64)
    day = np.empty(n_rows, dtype=np.int64)
    tod_us = np.empty(n_rows, dtype=np.int64)
    kind[rec_rows] = rec_kind
    tx_type[rec_rows] = np.select([rec_kind == -2, rec_kind == -3], [_SALARY, _RENT], _BILL)
    day[rec_rows] = rec_day
    # Salaries are booked early in the morning, rent and bills in the morning.
    ur = u[rec_rows]
    hour = np.where(tx_type[rec_rows] == _SALARY, 4 + (ur[:, 2] * 3), 6 + ur[:, 2] * 4)
    tod_us[rec_rows] = (hour * 3_600_000_000).astype(np.int64)

    us = u[rnd_rows]
    ro = owner[rnd_rows]
    rtype = _RANDOM_TYPES[np.minimum(np.searchsorted(_RANDOM_CDF, us[:, 0], side="right"), 3)]
    tx_type[rnd_rows] = rtype
    kind[rnd_rows] = -1
    span = end_day - window_start[ro] + 1
    rday = window_start[ro] + np.minimum((us[:, 1] * span).astype(np.int64), span - 1)
    # Transfers are booked on banking days (the next one; the one before at the end of
    # the range); card payments and cash any day.
    transfer = (rtype == _IN) | (rtype == _OUT)
    if transfer.any():
        countries = acc.country[ids][ro[transfer]]
        forward = roll(rday[transfer], countries, "forward")
        backward = roll(rday[transfer], countries, "backward")
        rday[transfer] = np.where(forward <= end_day, forward, backward)
    card = rtype == _CARD
    # Travel: a share of card payments (the ECB's cross-border share of card value)
    # fall in one of the account's trips, one per part of its window, in one country.
    home = acc.home[ids][ro]
    mcountry = home.copy()
    travel = card & (us[:, 12] < cards.cross_border_share())
    if travel.any():
        ta = ids[ro[travel]]
        span_t = span[travel]
        n_trips = np.clip(np.ceil(span_t / 182.5).astype(np.int64), 1, cards.TRIPS)
        k = np.minimum((us[travel, 13] * n_trips).astype(np.int64), n_trips - 1)
        within = us[travel, 13] * n_trips - k
        part = span_t // n_trips
        length = np.minimum(acc.trip_days[ta, k], np.maximum(part, 1))
        trip_start = (
            window_start[ro[travel]]
            + k * part
            + (acc.trip_at[ta, k] * np.maximum(part - length, 0)).astype(np.int64)
        )
        rday[travel] = np.minimum(trip_start + (within * length).astype(np.int64), end_day)
        mcountry[travel] = acc.trip_to[ta, k]
    day[rnd_rows] = rday
    hour_cdf = np.where(card[:, None], _CARD_HOUR_CDF[None, :], _OTHER_HOUR_CDF[None, :])
    rhour = (hour_cdf < us[:, 2:3]).sum(axis=1)
    tod_us[rnd_rows] = rhour * 3_600_000_000 + (us[:, 3] * 3_600_000_000).astype(np.int64)

    # Amounts in US dollars (signed), converted and rounded to minor units below.
    a = ids[owner]  # account id per row
    amount = np.zeros(n_rows)
    rt = tx_type[rec_rows]
    ra = a[rec_rows]
    bill_kind = np.maximum(kind[rec_rows], 0)
    amount[rec_rows] = np.select(
        [rt == _SALARY, rt == _RENT],
        [acc.salary[ra] / PER_MONTH[acc.pay.frequency[ra]], -acc.salary[ra] * acc.rent_share[ra]],
        -acc.salary[ra] * _BILL_SHARE[bill_kind] * (0.9 + 0.2 * ur[:, 4]),
    )
    mcc = np.zeros(n_rows, dtype=np.int16)
    table = cards.merchant_table()
    mcc_pick = cards.mcc_picks(mcountry, us[:, 5])  # codes the merchant's country can name
    z = _probit(us[:, 4])
    card_usd = np.exp(table.log_median[mcc_pick] + table.sigma[mcc_pick] * z)
    atm_usd = np.array([20.0, 50.0, 100.0, 200.0])[(us[:, 4] * 4).astype(np.int64)]
    transfer_usd = np.exp(math.log(120.0) + 0.9 * z)
    ramount = np.select(
        [rtype == _CARD, rtype == _ATM, rtype == _IN],
        [-card_usd, -atm_usd, transfer_usd],
        -transfer_usd,
    )
    electronics, misc = table.index(5732), table.index(5999)

    # Fraud on card payments: a seed event picks a pattern.
    seed = card & (us[:, 6] < _FRAUD_SEED_RATE)
    pattern = np.zeros(len(rnd_rows), dtype=np.int64)
    pattern[seed] = 1 + np.minimum((us[seed, 7] * 4).astype(np.int64), 3)
    odd = pattern == 1
    tod_us_r = tod_us[rnd_rows]
    tod_us_r[odd] = ((1 + us[odd, 8] * 3.5) * 3_600_000_000).astype(np.int64)
    abroad = pattern == 2
    ramount[abroad] = -np.exp(math.log(350.0) + 0.6 * z[abroad])
    mcc_pick[abroad] = np.where(us[abroad, 8] < 0.5, electronics, misc)
    places = cards.place_index(np.array(_FRAUD_ABROAD))
    spot = (us[abroad, 9] * len(places)).astype(np.int64)
    spot = np.where(places[spot] == home[abroad], (spot + 1) % len(places), spot)
    mcountry[abroad] = places[spot]
    under = pattern == 4
    limit = np.where(us[under, 8] < 0.5, 500.0, 1000.0)
    ramount[under] = -limit * (0.95 + 0.049 * us[under, 9])
    mcc_pick[under] = np.where(us[under, 8] < 0.25, electronics, misc)
    # Bursts: the seed and the account's next 2–5 random rows become small payments a
    # few minutes apart.
    burst_seeds = np.flatnonzero(pattern == 3)
    sizes = 3 + (us[burst_seeds, 8] * 4).astype(np.int64)
    member = np.repeat(burst_seeds, sizes) + (
        np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    )
    lead = np.repeat(burst_seeds, sizes)
    ok = (member < len(rnd_rows)) & (ro[np.minimum(member, len(rnd_rows) - 1)] == ro[lead])
    member, lead = member[ok], lead[ok]
    step = member - lead
    pattern[member] = 3
    rtype[member] = _CARD
    day[rnd_rows[member]] = day[rnd_rows[lead]]
    tod_us_r[member] = np.minimum(
        tod_us_r[lead] + step * (1 + (us[member, 10] * 4).astype(np.int64)) * _US_PER_MIN,
        _US_PER_DAY - 1,
    )
    ramount[member] = -(1.0 + 24.0 * us[member, 11])
    mcc_pick[member] = misc
    card = rtype == _CARD
    travel &= (pattern == 0) & card
    fraud = pattern > 0
    mcountry[fraud & (pattern != 2)] = home[fraud & (pattern != 2)]
    # a fraud code the merchant's country has no merchant for becomes a grocery payment
    if fraud.any():
        named = cards.nameable()[mcountry[fraud], mcc_pick[fraud]]
        mcc_pick[np.flatnonzero(fraud)[~named]] = table.index(5411)
    mcc_r = np.where(card, table.codes[mcc_pick], np.where(rtype == _ATM, _ATM_MCC, 0))
    tx_type[rnd_rows] = rtype
    tod_us[rnd_rows] = tod_us_r

    # Scale everyday spending to the salary: over the window, card payments (not
    # fraud), cash and transfers out use spend_share of the income.
    spend = (pattern == 0) & (rtype != _IN)
    window_months = (end_day - window_start + 1) / 30.44
    budget = acc.salary[ids] * acc.spend_share[ids] * window_months
    raw = np.bincount(ro[spend], weights=-ramount[spend], minlength=len(ids))
    factor = np.clip(np.divide(budget, raw, out=np.ones(len(ids)), where=raw > 0), 0.25, 4.0)
    scaled = spend & (rtype != _ATM)
    ramount[scaled] *= factor[ro[scaled]]
    if travel.any():  # the destination's price points, converted to the account's currency
        ramount[travel] = -cards.travel_prices(-ramount[travel], mcountry[travel], us[travel, 15])
    amount[rnd_rows] = ramount
    mcc[rnd_rows] = mcc_r

    per_usd = acc.per_usd[a]
    scale = 10.0 ** acc.decimals[a]
    minor = np.rint(amount * per_usd * scale).astype(np.int64)
    atm_rows = tx_type == _ATM  # cash in round local amounts
    unit = np.maximum(np.rint(10.0 * per_usd[atm_rows] * scale[atm_rows]), 1)
    minor[atm_rows] = -np.maximum(np.rint(-minor[atm_rows] / unit), 1).astype(
        np.int64
    ) * unit.astype(np.int64)
    minor[minor == 0] = np.where(amount[minor == 0] < 0, -1, 1)

    pattern_all = np.zeros(n_rows, dtype=np.int64)
    pattern_all[rnd_rows] = pattern
    merchant = acc.home[a]
    merchant[rnd_rows] = mcountry
    mcc_index = np.full(n_rows, -1, dtype=np.int64)
    mcc_index[rnd_rows] = np.where(card, mcc_pick, -1)
    # each account favours a few merchants of each pool (its supermarket, its cafe)
    pick = np.zeros(n_rows, dtype=np.int64)
    pick[rnd_rows] = (ids[ro] * 7 + (cards.POOL * us[:, 14] ** 2).astype(np.int64)) % cards.POOL

    when = day * _US_PER_DAY + tod_us
    order = np.lexsort((local, when, owner))
    minor, when = minor[order], when[order]
    owner_sorted = owner[order]
    opening = np.rint(acc.opening[ids] * acc.per_usd[ids] * 10.0 ** acc.decimals[ids]).astype(
        np.int64
    )
    csum = np.cumsum(minor)
    before = np.concatenate([[0], np.cumsum(counts)])[:-1]
    base = np.where(before > 0, csum[np.maximum(before - 1, 0)], 0)
    balance = opening[owner_sorted] + csum - base[owner_sorted]
    return {
        "account": a[order],
        "when": when,
        "type": tx_type[order],
        "kind": kind[order],
        "mcc": mcc[order],
        "minor": minor,
        "balance": balance,
        "scale": scale[order],
        "pattern": pattern_all[order],
        "merchant": merchant[order],
        "mcc_index": mcc_index[order],
        "pick": pick[order],
    }


@dataclass(frozen=True, repr=False)
class _Ledger(GroupSampler):
    """Account and transaction columns of the rows of a chunk (see the module doc)."""

    def __repr__(self) -> str:
        return "ledger()"

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        return {
            "account_id": pl.String(),
            "iban": pl.String(),
            "bic": pl.String(),
            "bank_name": pl.String(),
            "country": pl.String(),
            "currency": pl.String(),
            "timezone": pl.String(),
            "booked_at": pl.Datetime("us"),
            "type": pl.Enum(TYPES),
            "description": pl.String(),
            "mcc": pl.Int16(),
            "merchant_country": pl.String(),
            "amount": pl.Float64(),
            "balance_after": pl.Float64(),
            "is_fraud": pl.Boolean(),
            "fraud_pattern": pl.Enum(_PATTERNS),
        }

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        acc = _accounts(ctx)
        lo, hi = ctx.offset, ctx.offset + ctx.n
        first = int(np.searchsorted(acc.offsets, lo, side="right")) - 1
        last = int(np.searchsorted(acc.offsets, hi - 1, side="right")) - 1
        led = _ledgers(ctx, acc, first, last)
        cut = slice(lo - int(acc.offsets[first]), hi - int(acc.offsets[first]))
        led = {k: v[cut] for k, v in led.items()}
        a = led["account"]
        out: dict[str, SampleOutput] = {
            "account_id": pl.select(
                pl.concat_str(pl.lit("ACC-"), pl.lit(pl.Series(a + 1)).cast(pl.String).str.zfill(8))
            ).to_series()
        }
        want = set(fields)
        if want & {"iban", "bic", "bank_name"}:
            bank = acc.bank[a]
            for f in ("iban", "bic", "bank_name"):
                out[f] = bank.get_column(f)
        out["country"] = cards.place_names(acc.home[a])
        out["currency"] = acc.currency.gather(a)
        out["timezone"] = acc.timezone.gather(a)
        out["booked_at"] = pl.Series(led["when"]).cast(pl.Datetime("us"))
        out["type"] = pl.Series(np.array(TYPES)[led["type"]]).cast(pl.Enum(TYPES))
        if "description" in want:
            out["description"] = _descriptions(ctx, acc, led)
        out["mcc"] = led["mcc"]
        out["merchant_country"] = cards.place_names(led["merchant"])
        out["amount"] = led["minor"] / led["scale"]
        out["balance_after"] = led["balance"] / led["scale"]
        out["is_fraud"] = led["pattern"] > 0
        out["fraud_pattern"] = pl.Series(np.array(_PATTERNS)[led["pattern"]]).cast(
            pl.Enum(_PATTERNS)
        )
        return {f: out[f] for f in fields}


def _descriptions(ctx: ChunkContext, acc: _Accounts, led: dict[str, Array]) -> pl.Series:
    """Merchant names of card payments (banking_cards), local booking texts naming the
    payer or payee of the others (banking_texts). Put together by one gather: a String
    Series built by ``scatter`` counts wrong in ``group_by(...).n_unique()`` (polars 2.1)."""
    kind = led["type"]
    other, is_card = np.flatnonzero(kind != _CARD), np.flatnonzero(kind == _CARD)
    a = led["account"][other]
    found = texts.describe(
        ctx.seeder,
        ctx.dataset,
        acc.country[a],
        a,
        kind[other],
        np.maximum(led["kind"][other], 0),
        led["pick"][other],
    )
    names = cards.merchant_names(
        ctx.seeder,
        ctx.dataset,
        led["merchant"][is_card],
        led["mcc_index"][is_card],
        led["pick"][is_card],
    )
    at = np.empty(len(kind), dtype=np.int64)
    at[other] = np.arange(len(other))
    at[is_card] = len(other) + np.arange(len(is_card))
    return pl.concat([found, names]).gather(at)


_half_minor = 0.004
_prev_balance = pl.col("balance_after").shift(1).over("account_id")
_credit = pl.col("type").is_in(["salary", "transfer_in"])


def _valid_iban(s: pl.Series) -> pl.Series:
    return ibans.is_valid(s)


banking = register(
    Dataset(
        "banking",
        domain="financial",
        description="Current-account transactions with a running balance: one row per "
        "booking, grouped by account and sorted by time within each account.",
        key="transaction_id",
        parameters={
            "accounts": Parameter("Accounts in the table (default rows / 400).", high=10**8),
        },
        depends_on_rows=(
            "transaction_id",
            "account_id",
            "iban",
            "bic",
            "bank_name",
            "country",
            "currency",
            "timezone",
            "booked_at",
            "type",
            "description",
            "mcc",
            "merchant_country",
            "amount",
            "balance_after",
            "is_fraud",
            "fraud_pattern",
        ),
        notes="Rows are grouped by account (not sorted by time across accounts) so that "
        "each balance is computable chunk by chunk: an account's ledger comes from its own "
        "random stream. The row count decides the number of accounts (rows / 400 unless "
        "the accounts parameter is given) and how many rows each has, so every column "
        "depends on it. country='global' spreads accounts over the supported IBAN "
        "countries by population; other countries must be among them. Quiet accounts "
        "(few rows) were opened recently: their history starts later in the date range. "
        "Amounts are in the account's currency; booked_at is local time of the account's "
        "country (timezone column). Salaries follow the country's pay-day conventions "
        "(reference_data/pay_days.parquet), card merchants its chains and local "
        "businesses, and 11 % of card payments fall in trips abroad (ECB cross-border "
        "share). Other bookings read in the country's statement language and name the "
        "employer, bill payee or person (statement_texts, bill_payees.parquet).",
        columns=[
            col(
                "transaction_id",
                sequence("TRX-{:012d}"),
                description="Booking key, TRX-000000000001 upwards; grows with time within "
                "each account.",
            ),
            group(
                "ledger",
                _Ledger(),
                columns={
                    "account_id": "account_id",
                    "iban": "iban",
                    "bic": "bic",
                    "bank_name": "bank_name",
                    "country": "country",
                    "currency": "currency",
                    "timezone": "timezone",
                    "booked_at": "booked_at",
                    "type": "type",
                    "description": "description",
                    "mcc": "mcc",
                    "merchant_country": "merchant_country",
                    "amount": "amount",
                    "balance_after": "balance_after",
                    "is_fraud": "is_fraud",
                    "fraud_pattern": "fraud_pattern",
                },
                descriptions={
                    "account_id": "Account key, ACC-00000001 upwards; rows are grouped by it.",
                    "iban": "The account's IBAN: a real bank code of its country, national "
                    "and ISO 13616 check digits correct.",
                    "bic": "BIC of the account's bank (from the national bank registry).",
                    "bank_name": "Name of the account's bank.",
                    "country": "ISO 3166 alpha-2 code of the account's country.",
                    "currency": "ISO 4217 code of the amounts: the account country's currency.",
                    "timezone": "IANA time zone of booked_at (the country's capital).",
                    "booked_at": "Local time of the booking; non-decreasing per account.",
                    "type": "salary, rent, bill, card_purchase, atm_withdrawal, transfer_in "
                    "or transfer_out.",
                    "description": "Booking text in the statement language of the "
                    "account's country: the merchant's name for card payments (a chain of "
                    "the merchant's country or a local business); for the others the "
                    "payment term and the employer, landlord, bill payee (telecom operator, "
                    "insurer, electricity supplier, gym) or person ('Virement reçu …', "
                    "'Polecenie zapłaty Orange').",
                    "mcc": "ISO 18245 merchant category code of card payments and ATM "
                    "withdrawals (6011); 0 for bookings without a card.",
                    "merchant_country": "Country of the merchant or counterparty (ISO "
                    "alpha-2): abroad for purchases during a trip and for 'abroad' fraud.",
                    "amount": "Signed amount in `currency`: credits positive, debits negative.",
                    "balance_after": "Balance after this booking: the previous row's balance "
                    "of the account plus amount.",
                    "is_fraud": "Whether the booking is fraudulent (about 0.3 % of rows).",
                    "fraud_pattern": "none, odd_hour (1–5 am), abroad (new merchant abroad, "
                    "large), burst (small online payments minutes apart) or under_limit "
                    "(just under 500 or 1000 US dollars' worth).",
                },
            ),
        ],
        checks=[
            check("transaction_id_unique", pl.col("transaction_id").is_unique()),
            check(
                "iban_valid",
                pl.col("iban").map_batches(_valid_iban, return_dtype=pl.Boolean),
                "ISO 13616 check digits and the country's length.",
            ),
            check(
                "balance_consistent",
                _prev_balance.is_null()
                | (
                    (_prev_balance + pl.col("amount") - pl.col("balance_after")).abs() < _half_minor
                ),
                "balance_after = the account's previous balance_after + amount.",
            ),
            check(
                "dates_ordered",
                pl.col("booked_at").shift(1).over("account_id").is_null()
                | (pl.col("booked_at") >= pl.col("booked_at").shift(1).over("account_id")),
            ),
            check("amount_not_zero", pl.col("amount") != 0),
            check("sign_follows_type", _credit == (pl.col("amount") > 0)),
            check(
                "fraud_share_bounded",
                (pl.len() < 5_000) | (pl.col("is_fraud").mean() <= 0.01),
                "At most 1 % of bookings are fraud (on 5,000 rows or more).",
            ),
            check(
                "fraud_has_pattern",
                pl.col("is_fraud") == (pl.col("fraud_pattern") != "none"),
            ),
        ],
    )
)
