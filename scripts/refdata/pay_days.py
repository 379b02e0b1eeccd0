"""``pay_days.parquet``: how often and on which day each country's employees are paid,
and where a pay day on a weekend or holiday goes, from
``scripts/sources/calendars/pay_days.csv`` (see its PAY_DAYS.md). Split out of
``refdata.calendars``, which lists it among its builders."""

from __future__ import annotations

import csv
import re

import polars as pl

from refdata.build import REPO_ROOT, Artifact, BuildContext, Source, fail

_PAY_DAYS = REPO_ROOT / "scripts" / "sources" / "calendars" / "pay_days.csv"


def _read() -> list[dict[str, str]]:
    with _PAY_DAYS.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


#: Rule and moves for rows that give none, per frequency (see PAY_DAYS.md and README):
#: monthly on the last banking day (DE: TVöD § 24; DK: Murerarbejdsmandsoverenskomsten
#: 2025 § 20 and public-sector practice), weekly and biweekly on Fridays (US: QuickBooks
#: survey, 53.2 % paid on Fridays; GB: CIPP 2019, about 80 % of non-monthly payrolls),
#: semimonthly on the 15th and the last day (the US, MX and PH rows).
PAY_DEFAULT_RULES = {
    "monthly": "last_banking_day",
    "weekly": "weekday:FRI",
    "biweekly": "weekday:FRI",
    "semimonthly": "days:15,last",
}
PAY_FREQUENCIES = ("monthly", "semimonthly", "biweekly", "weekly")
PAY_MOVES = ("before", "after", "none")
#: Which rules each frequency can take.
_PAY_RULES = {
    "monthly": re.compile(
        r"day:(?:[1-9]|[12]\d|3[01])|last_day|last_banking_day|business_day:[1-9]"
        r"|next_month_by:(?:[1-9]|1\d|2[0-8])"
    ),
    "semimonthly": re.compile(r"days:(?:[1-9]|1\d|2[0-8]),(?:[1-9]|[12]\d|3[01]|last)"),
    "weekly": re.compile(r"weekday:(?:MON|TUE|WED|THU|FRI|SAT|SUN)"),
    "biweekly": re.compile(r"weekday:(?:MON|TUE|WED|THU|FRI|SAT|SUN)"),
}


def _pay_weights(rows: list[dict[str, str]]) -> list[float]:
    """Each row's weight among its country's: its published share, the rest split
    equally among rows without one, renormalised to 1 when the shares leave part out."""
    given = [float(r["share"]) if r["share"] else None for r in rows]
    known = sum(g for g in given if g is not None)
    if known > 1.0 + 1e-9:
        fail(f"pay_days.csv: {rows[0]['country']}'s shares sum to {known:.3f} > 1")
    missing = sum(g is None for g in given)
    rest = (1.0 - known) / missing if missing else 0.0
    raw = [g if g is not None else rest for g in given]
    total = sum(raw)
    if total <= 0:
        fail(f"pay_days.csv: {rows[0]['country']} has no weight to draw by")
    return [w / total for w in raw]


def build_pay_days(ctx: BuildContext) -> Artifact:
    """``pay_days.parquet``: how often and on which day each country's employees are
    paid, and where a pay day on a non-banking day goes."""
    covered = set(ctx.built["holiday_calendars.parquet"].get_column("country").to_list())
    by_country: dict[str, list[dict[str, str]]] = {}
    for r in _read():
        by_country.setdefault(r["country"], []).append(r)
    stated = [r["moves"] for rows in by_country.values() for r in rows if r["moves"]]
    default_moves = max(PAY_MOVES, key=stated.count)
    out = []
    for cc, rows in sorted(by_country.items()):
        if cc not in covered:
            fail(f"pay_days.csv: country {cc} has no holiday calendar")
        # one frequency may have several rules (IT: the public administration's 27th
        # and the collective agreements' "by the 10th of the next month"), never twice one
        if len({(r["frequency"], r["rule"]) for r in rows}) != len(rows):
            fail(f"pay_days.csv: {cc} has two rows of one frequency and rule")
        for r, weight in zip(rows, _pay_weights(rows), strict=True):
            freq = r["frequency"]
            if freq not in PAY_FREQUENCIES:
                fail(f"pay_days.csv: {cc} frequency {freq!r} — valid: {PAY_FREQUENCIES}")
            rule = r["rule"] or PAY_DEFAULT_RULES[freq]
            if not _PAY_RULES[freq].fullmatch(rule):
                fail(f"pay_days.csv: {cc} {freq} rule {rule!r} is not in the vocabulary")
            if r["moves"] and r["moves"] not in PAY_MOVES:
                fail(f"pay_days.csv: {cc} moves {r['moves']!r} — valid: {PAY_MOVES}")
            out.append(
                (
                    cc,
                    freq,
                    float(r["share"]) if r["share"] else None,
                    weight,
                    rule,
                    r["moves"] or default_moves,
                    "source" if r["rule"] else "default",
                    r["source"],
                    r["url"],
                )
            )
    table = pl.DataFrame(
        out,
        schema={
            "country": pl.String,
            "frequency": pl.String,
            "share": pl.Float64,
            "weight": pl.Float64,
            "rule": pl.String,
            "moves": pl.String,
            "rule_origin": pl.String,
            "source": pl.String,
            "url": pl.String,
        },
        orient="row",
    ).sort("country", "weight", descending=[False, True])
    return Artifact(
        name="pay_days.parquet",
        frame=table,
        sources=[
            Source(
                "scripts/sources/calendars/pay_days.csv",
                "facts of law and reported practice (no copyright claimed); see PAY_DAYS.md",
                "pay frequencies, pay days and their moves by country",
                pinned="2026-12-07",
            )
        ],
        origin=(
            "Per country of scripts/sources/calendars/pay_days.csv and pay frequency "
            "(monthly, semimonthly, biweekly, weekly): the published `share` of employees "
            "(null where no source gives one), the `weight` a generator draws by (the "
            "shares; rows without one split the rest equally; renormalised to 1 where the "
            "shares leave a frequency out, e.g. the United Kingdom's four-weekly pay), the "
            "pay-day `rule` (PAY_DAYS.md's vocabulary) and where a pay day on a weekend or "
            "public holiday `moves` (before, after, none), with the row's source and URL."
        ),
        notes=[
            "Rows without a rule take the frequency's default (`rule_origin` = default): "
            "monthly on the last banking day (the DE row, TVöD § 24, and the DK row), "
            "weekly and biweekly on Fridays (the US and GB rows' weekday), semimonthly on "
            "the 15th and the last day; rows without `moves` take the direction most rows "
            f"give ({default_moves}). Countries without a row are paid monthly on the last "
            "banking day, moved before (tempdata.calendar.paydays).",
        ],
    )
