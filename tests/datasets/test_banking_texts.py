"""The banking dataset's booking texts (statement language, named payers and payees)
and each country's salary days against its pay_days.csv rows."""

from __future__ import annotations

import calendar
from functools import cache

import numpy as np
import polars as pl
import pytest

import tempdata
from tempdata.calendar import holiday_calendar
from tempdata.calendar.paydays import DEFAULT_SCHEDULE, schedule_table
from tempdata.finance.iban import COUNTRIES
from tempdata.geo.reference import load

RANGE = ("2023-01-01", "2024-12-31")
#: English category labels the texts had before; none may remain outside English.
_ENGLISH = ("Salary", "Rent", "Cash withdrawal", "Incoming transfer", "Outgoing transfer")
#: Countries documented to read in English (statement_languages.csv).
_IN_ENGLISH = {"GB", "IE", "MT", "BA", "ME", "RS"}


@cache
def _frame(country: str, rows: int = 40_000) -> pl.DataFrame:
    return tempdata.generate("banking", rows, seed=3, country=country, date_range=RANGE)


def _texts(country: str) -> dict[str, str]:
    t = load("statement_texts").filter(pl.col("country") == country)
    return dict(t.select("key", "text").iter_rows())


def _of(frame: pl.DataFrame, kind: str) -> pl.Series:
    return frame.filter(pl.col("type") == kind)["description"]


# -- wording and names -------------------------------------------------------------------


def test_french_statement_reads_in_french_and_names_payees() -> None:
    df = _frame("FR")
    salary = _of(df, "salary")
    # Reg. (EU) 2018/32, French list: "Virement", "Prélèvement", "Retrait d'espèces"
    assert salary.str.starts_with("Virement reçu ").all()
    assert salary.str.ends_with(" – Salaire").all()
    employer = salary.str.strip_prefix("Virement reçu ").str.strip_suffix(" – Salaire")
    chains = set(load("merchant_brands").filter(pl.col("country_code") == "FR")["name"])
    chains |= set(load("poi_brands").filter(pl.col("country_code") == "FR")["name"])
    assert set(employer.unique()) <= chains  # the employer is a French chain
    # one employer per account
    per = (
        df.filter(pl.col("type") == "salary")
        .group_by("account_id")
        .agg(pl.col("description").n_unique())
    )
    assert (per["description"] == 1).all()
    bills = _of(df, "bill")
    assert bills.str.starts_with("Prélèvement ").all()
    payees = set(bills.str.strip_prefix("Prélèvement ").unique())
    # NSI telecom operators and the electricity suppliers of energy_suppliers.csv
    assert {"Orange", "Free", "SFR", "Bouygues Telecom"} & payees
    assert {"EDF", "Engie", "TotalEnergies"} & payees
    assert "Streaming" in payees  # no payee source: the kind's word
    assert (_of(df, "atm_withdrawal") == "Retrait d'espèces").all()
    assert _of(df, "rent").str.contains(r"^Virement permanent \S.* – Loyer$").all()
    incoming = _of(df, "transfer_in").str.strip_prefix("Virement reçu ")
    outgoing = _of(df, "transfer_out").str.strip_prefix("Virement émis ")
    # people: a first and a last name
    assert incoming.str.contains(r"^\S+( \S+)+$").mean() > 0.99
    assert outgoing.str.contains(r"^\S+( \S+)+$").mean() > 0.99


def test_polish_bills_name_polish_utilities_and_telcos() -> None:
    df = _frame("PL")
    bills = _of(df, "bill")
    assert bills.str.starts_with("Polecenie zapłaty ").all()
    payees = set(bills.str.strip_prefix("Polecenie zapłaty ").unique())
    assert {"Tauron", "PGE", "Enea", "Energa"} & payees
    assert {"Orange", "Play", "Plus"} & payees
    assert {"PZU", "Warta"} & payees
    assert _of(df, "salary").str.starts_with("Przelew przychodzący ").all()
    assert (_of(df, "atm_withdrawal") == "Wypłata gotówki").all()
    # an account sends its transfers to a few people: its favourite takes a large share
    out = df.filter(pl.col("type") == "transfer_out")
    top = (
        out.group_by("account_id", "description")
        .len()
        .group_by("account_id")
        .agg(pl.col("len").max() / pl.col("len").sum(), pl.col("len").sum().alias("n"))
        .filter(pl.col("n") >= 10)
    )
    assert top["len"].median() > 0.15, top["len"].median()


def test_every_country_gets_local_or_documented_english_texts() -> None:
    for country in COUNTRIES:
        df = _frame(country, 6_000)
        other = df.filter(pl.col("type") != "card_purchase")["description"]
        assert other.str.len_chars().min() > 3, country
        assert not other.str.contains("{name}", literal=True).any(), country
        t = _texts(country)
        assert t, f"{country} has no statement texts"
        assert (_of(df, "atm_withdrawal") == t["atm_withdrawal"]).all(), country
        english = t["atm_withdrawal"] == "Cash withdrawal"
        assert english == (country in _IN_ENGLISH), country
        if not english:
            labels = other.is_in(list(_ENGLISH))
            assert not labels.any(), (country, other.filter(labels).head(3).to_list())
        salary = _of(df, "salary")
        assert salary.str.ends_with(t["salary"].rsplit(" – ", 1)[1]).all(), country


def test_texts_are_chunk_independent() -> None:
    rows = 120_000  # three chunks; accounts straddle chunk edges
    whole = tempdata.generate("banking", rows, seed=4, country="FR")
    alone = pl.concat(
        list(tempdata.stream("banking", rows=rows, seed=4, country="FR", chunks=range(1, 2)))
    )
    # chunk 1 alone (50,000 rows a chunk; its first account started in chunk 0)
    assert alone["description"].equals(whole.slice(50_000, 50_000)["description"])


# -- salary days against pay_days.csv ------------------------------------------------------


def _moved(day: np.datetime64, moves: str, holidays: np.ndarray) -> np.datetime64:
    if moves == "none":
        return day
    roll = "backward" if moves == "before" else "forward"
    return np.busday_offset(day, 0, roll=roll, weekmask="1111100", holidays=holidays)


def _nominal(rule: str, year: int, month: int) -> list[tuple[int, float]]:
    """(day of month, weight) of a monthly rule's nominal pay days in a month."""
    last = calendar.monthrange(year, month)[1]
    name, _, arg = rule.partition(":")
    if name == "day":
        return [(min(int(arg), last), 1.0)]
    if name in {"last_day", "last_banking_day"}:
        return [(last, 1.0)]
    if name == "next_month_by":  # each employer a fixed day 1..N (of the month paid in)
        n = int(arg)
        return [(d, 1.0 / n) for d in range(1, n + 1)]
    raise AssertionError(rule)


def _expected(country: str) -> dict[int, float]:
    """Day-of-month shares of monthly salaries by the country's pay_days rows (weights
    renormalised over the monthly rows), each pay day moved off weekends and holidays."""
    table = schedule_table().filter(
        (pl.col("country") == country) & (pl.col("frequency") == "monthly")
    )
    rows = list(table.select("rule", "moves", "weight").iter_rows())
    if not rows:
        rows = [(DEFAULT_SCHEDULE[1], DEFAULT_SCHEDULE[2], 1.0)]
    total = sum(w for _, _, w in rows)
    holidays = np.asarray(holiday_calendar(country).holidays(), dtype="datetime64[D]")
    out: dict[int, float] = {}
    for rule, moves, weight in rows:
        for year in (2023, 2024):
            for month in range(1, 13):
                for day, w in _nominal(rule, year, month):
                    when = _moved(np.datetime64(f"{year}-{month:02d}-{day:02d}"), moves, holidays)
                    dom = int(str(when)[-2:])
                    out[dom] = out.get(dom, 0.0) + weight / total * w / 24
    return out


def _observed(country: str) -> dict[int, float]:
    df = _frame(country, 60_000).filter(pl.col("type") == "salary")
    per = df.group_by("account_id").agg(
        pl.col("booked_at").dt.date().diff().dt.total_days().median().alias("gap")
    )
    monthly = per.filter(pl.col("gap").is_between(25, 36))["account_id"]
    days = df.filter(pl.col("account_id").is_in(monthly.to_list()))["booked_at"].dt.day()
    counts = days.value_counts()
    n = days.len()
    return {int(d): c / n for d, c in counts.iter_rows()}


def _distance(a: dict[int, float], b: dict[int, float]) -> float:
    return 0.5 * sum(abs(a.get(d, 0.0) - b.get(d, 0.0)) for d in range(1, 32))


@pytest.mark.parametrize("country", COUNTRIES)
def test_salary_days_follow_the_pay_days_row(country: str) -> None:
    observed, expected = _observed(country), _expected(country)
    deadline = (
        schedule_table()
        .filter(pl.col("country") == country)["rule"]
        .str.starts_with("next_month_by")
        .any()
    )
    # an employer's day under a deadline is drawn per account: more sampling noise
    assert _distance(observed, expected) < (0.15 if deadline else 0.06), (
        country,
        sorted(observed.items(), key=lambda kv: -kv[1])[:5],
        sorted(expected.items(), key=lambda kv: -kv[1])[:5],
    )


def test_italy_pays_on_the_27th_and_is_no_copy_of_poland() -> None:
    italy, poland = _observed("IT"), _observed("PL")
    # La Legge per Tutti 2021 / Minghetti 1864: the public administration's 27th (moved
    # to the Friday before a weekend) is one of two rows of equal weight
    near_27 = sum(v for d, v in italy.items() if 24 <= d <= 27)
    assert 0.35 < near_27 < 0.65, near_27
    assert italy.get(27, 0.0) > 0.2
    assert _distance(italy, poland) > 0.3
    # Kodeks pracy art. 85: Poland pays by the 10th (the 1st moved back to month-end)
    assert sum(v for d, v in poland.items() if d <= 10) > 0.9


def test_no_country_copies_another_without_its_own_source() -> None:
    table = schedule_table()
    shape = (
        table.sort("frequency", "rule")
        .group_by("country")
        .agg(
            pl.concat_str("frequency", "rule", "moves", pl.col("weight").round(3), separator="|")
            .str.join(";")
            .alias("shape"),
            pl.col("source").str.join(";").alias("source"),
        )
    )
    for (key,), group in shape.group_by("shape"):
        if group.height > 1:  # the same distribution: each country has its own source
            assert group["source"].n_unique() == group.height, (key, group["country"].to_list())
