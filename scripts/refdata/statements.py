"""Booking texts of the banking dataset's non-card rows: statement wording per
language and the payees of household bills per country.

Sources (committed under ``scripts/sources/banking/``, see its README):

* ``statement_terms.csv``: per language, the texts of credit transfers in and out,
  standing orders, direct debits and cash withdrawals (the Union standardised terms of
  Commission Delegated Regulation (EU) 2018/32 in the member state's list, with the
  direction words and the salary, rent and bill words marked FROM MEMORY) and the words
  for the bill kinds.
* ``statement_languages.csv``: each country's statement language (English as the
  documented fallback where no wording was sourced).
* ``nsi_payees.csv``: telecom operators, insurers and gyms per country
  (name-suggestion-index, ``extract_payees.py``); ``energy_suppliers.csv``: electricity
  suppliers chosen by hand among NSI's power operators, a few FROM MEMORY.

Files written:

* ``statement_texts.parquet``: country, language, key, text. Keys: ``salary``, ``rent``,
  ``bill``, ``transfer_in``, ``transfer_out`` (templates with one ``{name}``),
  ``atm_withdrawal`` and the bill kinds' words (``electricity``, ``internet``,
  ``mobile_phone``, ``insurance``, ``streaming``, ``gym``).
* ``bill_payees.parquet``: kind, country, name.
"""

from __future__ import annotations

import csv

import polars as pl

from refdata.build import REPO_ROOT, Artifact, BuildContext, Source, fail, frame
from refdata.poi import NSI, NSI_NOTICE

SOURCE_DIR = REPO_ROOT / "scripts" / "sources" / "banking"

#: Bill kinds in the banking dataset's order (its ``_BILLS``), and the NSI payee category
#: that names each ("" none: the kind's word names the bill).
BILL_KINDS = {
    "electricity": "energy",
    "internet": "telecom",
    "mobile_phone": "telecom",
    "insurance": "insurance",
    "streaming": "",
    "gym": "fitness",
}
#: Keys of statement_terms.csv: templates (with one {name}) and plain words.
TEMPLATES = ("transfer_in", "transfer_out", "standing_order", "direct_debit")
WORDS = ("cash_withdrawal", "salary", "rent", *BILL_KINDS)
_DASH = " – "


def _read(name: str) -> list[dict[str, str]]:
    with (SOURCE_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _terms() -> dict[str, dict[str, str]]:
    terms: dict[str, dict[str, str]] = {}
    for r in _read("statement_terms.csv"):
        lang, key, text = r["language"], r["key"], r["text"].strip()
        if key not in TEMPLATES + WORDS:
            fail(f"statement_terms.csv: {lang} key {key!r} — valid: {TEMPLATES + WORDS}")
        if text.count("{name}") != (1 if key in TEMPLATES else 0) or not text:
            fail(f"statement_terms.csv: {lang} {key} {text!r} needs exactly one {{name}}")
        if key in terms.setdefault(lang, {}):
            fail(f"statement_terms.csv: {lang} {key} twice")
        terms[lang][key] = text
    for lang, keys in terms.items():
        missing = set(TEMPLATES + WORDS) - set(keys)
        if missing:
            fail(f"statement_terms.csv: {lang} lacks {sorted(missing)}")
    return terms


def build_statement_texts(ctx: BuildContext) -> Artifact:
    """``statement_texts.parquet``: each country's booking texts."""
    terms = _terms()
    covered = set(ctx.built["holiday_calendars.parquet"].get_column("country").to_list())
    rows = []
    for r in _read("statement_languages.csv"):
        cc, lang = r["country"], r["language"]
        if cc not in covered:
            fail(f"statement_languages.csv: unknown country {cc}")
        if lang not in terms:
            fail(f"statement_languages.csv: {cc} language {lang!r} has no terms")
        t = terms[lang]
        texts = {
            "salary": t["transfer_in"] + _DASH + t["salary"],
            "rent": t["standing_order"] + _DASH + t["rent"],
            "bill": t["direct_debit"],
            "transfer_in": t["transfer_in"],
            "transfer_out": t["transfer_out"],
            "atm_withdrawal": t["cash_withdrawal"],
            **{kind: t[kind] for kind in BILL_KINDS},
        }
        rows.extend((cc, lang, key, text) for key, text in texts.items())
    if len({r[0] for r in rows}) * (6 + len(BILL_KINDS)) != len(rows):
        fail("statement_languages.csv: a country is listed twice")
    return Artifact(
        name="statement_texts.parquet",
        frame=frame(
            sorted(rows),
            {"country": pl.String, "language": pl.String, "key": pl.String, "text": pl.String},
        ),
        sources=[
            Source(
                "scripts/sources/banking/statement_terms.csv",
                "EU legislation (reuse permitted, Commission Decision 2011/833/EU); "
                "words from memory: no copyright claimed",
                "booking texts of transfers, direct debits and cash withdrawals per language",
                pinned="2026-12-08",
            )
        ],
        origin=(
            "Per country (scripts/sources/banking/statement_languages.csv: its statement "
            "language, English where none is sourced), the booking texts of the banking "
            "dataset's non-card rows: `salary` (incoming credit transfer from the employer "
            "and the salary word), `rent` (standing order to the landlord and the rent "
            "word), `bill` (direct debit to the payee), `transfer_in`, `transfer_out` "
            "(credit transfers from and to a person), `atm_withdrawal`, and the words of "
            "the bill kinds for payees without a name. The payment terms are the Union "
            "standardised terms of Commission Delegated Regulation (EU) 2018/32 (Annex, "
            "the member state's list) as recalled, not copied from the Official Journal; "
            "direction words (received, sent) and the salary, rent and bill words are "
            "from memory (statement_terms.csv's notes say which)."
        ),
        notes=[
            "BA, ME and RS have English texts: no wording was sourced for Bosnian, "
            "Montenegrin or Serbian. LU uses French, MT and IE English, BE Belgian Dutch, "
            "CH and LI Germany's German terms, CY Greek."
        ],
    )


def build_bill_payees(ctx: BuildContext) -> Artifact:
    """``bill_payees.parquet``: who a bill of each kind is paid to, per country."""
    covered = set(ctx.built["holiday_calendars.parquet"].get_column("country").to_list())
    by_category: dict[str, set[tuple[str, str]]] = {}
    for r in _read("nsi_payees.csv"):
        by_category.setdefault(r["category"], set()).add((r["country_code"], r["name"]))
    for r in _read("energy_suppliers.csv"):
        if r["country"] not in covered or not r["name"].strip():
            fail(f"energy_suppliers.csv: bad row {r}")
        by_category.setdefault("energy", set()).add((r["country"], r["name"].strip()))
    rows = sorted(
        (kind, cc, name)
        for kind, category in BILL_KINDS.items()
        if category
        for cc, name in by_category.get(category, ())
    )
    ctx.report["bill_payees"] = len(rows)
    return Artifact(
        name="bill_payees.parquet",
        frame=frame(rows, {"kind": pl.String, "country": pl.String, "name": pl.String}),
        sources=[
            NSI,
            Source(
                "scripts/sources/banking/energy_suppliers.csv",
                "names of companies (facts); NSI rows BSD-3-Clause",
                "electricity suppliers per country",
                pinned="2026-12-08",
            ),
        ],
        origin=(
            "Per bill kind and country, the companies a household's direct debit of that "
            "kind goes to: internet and mobile phone the telecom operators "
            "(name-suggestion-index brands of shop=telecommunication, shop=mobile_phone "
            "and office=telecommunication, phone retailers left out), insurance the "
            "insurers (office=insurance, brokers and Germany's statutory AOK health "
            "insurers left out), gym the fitness chains (leisure=fitness_centre); "
            "scripts/sources/banking/nsi_payees.csv, extracted by extract_payees.py. "
            "Electricity: scripts/sources/banking/energy_suppliers.csv, suppliers chosen "
            "by hand among NSI's operators of power plants, lines and substations and "
            "energy-supplier offices (grid and plant operators left out), and, where NSI "
            "lacks the country's main supplier, a few names FROM MEMORY with the regulator "
            "believed to report them (CRE, Ofgem, CNMC, ...). Streaming has no payee "
            "source: those bills carry the kind's word."
        ),
        attribution=[NSI_NOTICE],
        notes=[
            "Countries and kinds without a payee (e.g. gyms in CY, telecom in LV, MC, MT) "
            "name the bill by its kind's word in the statement language."
        ],
    )


BUILDERS = [build_statement_texts, build_bill_payees]
