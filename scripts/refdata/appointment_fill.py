"""``appointment_fill.parquet``: how full a clinic's day is, by weekday and by month.

From NHS England's *Appointments in General Practice* (England; the extracts and their
copies are described in ``scripts/sources/healthcare/GP_APPOINTMENTS.md``):

- ``weekday`` rows (``key`` 0 = Monday … 4 = Friday): the mean appointments of each weekday
  over the ordinary weeks of ``gp_appointments_daily.csv`` (March–April 2026: Monday to
  Friday all inside the file, none an English bank holiday), divided by their mean.
- ``month`` rows (``key`` 1–12): each month's appointments in ``gp_appointments_monthly.csv``
  (2018 and 2019) divided by the sum of the weekday factors over its working days (Monday
  to Friday without England's bank holidays), so a month's factor is how full one of its
  ordinary days is; each year is scaled to a mean of 1 and the two years averaged.

``appointments`` holds the figure each factor comes from (mean appointments a day of that
weekday; appointments per weighted working day of that month, mean of the two years).
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import statistics
from collections import defaultdict

import polars as pl

from refdata.build import REPO_ROOT, Artifact, BuildContext, Source, fail

SOURCES = REPO_ROOT / "scripts" / "sources" / "healthcare"
DAILY = SOURCES / "gp_appointments_daily.csv"
MONTHLY = SOURCES / "gp_appointments_monthly.csv"
OGL = "Open Government Licence v3.0"


def _bank_holidays(years: range) -> set[dt.date]:
    import holidays

    return set(holidays.country_holidays("GB", subdiv="ENG", years=years))


def _weekday_means() -> list[float]:
    """Mean recorded appointments per weekday (Monday … Friday) over the ordinary weeks."""
    counts: dict[dt.date, int] = {}
    with DAILY.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            parts = sum(
                int(row[c])
                for c in (
                    "attended_appointments",
                    "dna_appointments",
                    "unknown_status_appointments",
                )
            )
            if parts != int(row["recorded_appointments"]):
                fail(f"gp_appointments_daily.csv: statuses do not sum on {row['service_date']}")
            counts[dt.date.fromisoformat(row["service_date"])] = int(row["recorded_appointments"])
    days = sorted(counts)
    if any((b - a).days != 1 for a, b in itertools.pairwise(days)):
        fail("gp_appointments_daily.csv: days must follow each other")
    closed = _bank_holidays(range(days[0].year, days[-1].year + 1))
    by_weekday: dict[int, list[int]] = defaultdict(list)
    weeks = 0
    for monday in (d for d in days if d.weekday() == 0):
        week = [monday + dt.timedelta(days=k) for k in range(5)]
        if all(d in counts and d not in closed for d in week):
            weeks += 1
            for k, d in enumerate(week):
                by_weekday[k].append(counts[d])
    if weeks < 4:
        fail(f"gp_appointments_daily.csv: only {weeks} ordinary weeks")
    return [statistics.fmean(by_weekday[k]) for k in range(5)]


def _month_rates(weekday: list[float]) -> tuple[list[float], list[float]]:
    """Each calendar month's factor (appointments per weighted working day, each year
    scaled to a mean of 1, averaged over the years) and its mean monthly total."""
    totals: dict[tuple[int, int], int] = {}
    with MONTHLY.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            totals[(int(row["year"]), int(row["month"]))] = int(row["appointments"])
    years = sorted({y for y, _ in totals})
    if any((y, m) not in totals for y in years for m in range(1, 13)):
        fail("gp_appointments_monthly.csv: every year needs its twelve months")
    closed = _bank_holidays(range(years[0], years[-1] + 1))
    per_year = []
    for year in years:
        rates = []
        for month in range(1, 13):
            day = dt.date(year, month, 1)
            weight = 0.0
            while day.month == month:
                if day.weekday() < 5 and day not in closed:
                    weight += weekday[day.weekday()]
                day += dt.timedelta(days=1)
            rates.append(totals[(year, month)] / weight)
        mean = statistics.fmean(rates)
        per_year.append([r / mean for r in rates])
    raw = [statistics.fmean(totals[(y, m)] for y in years) for m in range(1, 13)]
    return [statistics.fmean(r[m] for r in per_year) for m in range(12)], raw


def build_appointment_fill(ctx: BuildContext) -> Artifact:
    means = _weekday_means()
    mean = statistics.fmean(means)
    weekday = [m / mean for m in means]
    month, raw = _month_rates(weekday)
    # What the publication shows, checked so that a wrong extract cannot slip through.
    if max(weekday) != weekday[0] or min(weekday) != weekday[4]:
        fail("appointment_fill: Monday should be the busiest weekday and Friday the quietest")
    if min(month) != month[7]:
        fail("appointment_fill: August should be the quietest month")
    if not (month[11] < month[10] and month[11] < month[0]):
        fail("appointment_fill: December should be below November and January")
    rows = [("weekday", k, weekday[k], means[k]) for k in range(5)]
    rows += [("month", m + 1, month[m], raw[m]) for m in range(12)]
    table = pl.DataFrame(
        rows,
        schema={
            "kind": pl.String,
            "key": pl.Int8,
            "factor": pl.Float64,
            "appointments": pl.Float64,
        },
        orient="row",
    )
    return Artifact(
        name="appointment_fill.parquet",
        frame=table,
        sources=[
            Source(
                "scripts/sources/healthcare/gp_appointments_daily.csv",
                OGL,
                "GP appointments per day, England, March–April 2026 (NHS England, "
                "Appointments in General Practice, April 2026)",
                pinned="2026-12-07",
            ),
            Source(
                "scripts/sources/healthcare/gp_appointments_monthly.csv",
                OGL,
                "GP appointments per month, England, 2018–2019 (NHS Digital, Appointments "
                "in General Practice)",
                pinned="2026-12-07",
            ),
            Source("holidays", "MIT", "England's bank holidays (working days)"),
        ],
        origin=(
            "weekday rows (key 0 = Monday … 4 = Friday): mean GP appointments a day over the "
            "ordinary weeks of March–April 2026, over their mean; month rows (key 1–12): "
            "appointments per working day of the month (weighted by the weekday factors, "
            "England's bank holidays off), 2018 and 2019 each scaled to a mean of 1 and "
            "averaged. `appointments` is the figure behind each factor (for months: the "
            "mean monthly total)."
        ),
        attribution=[
            "Contains public sector information licensed under the Open Government Licence "
            "v3.0 (NHS England / NHS Digital, Appointments in General Practice)."
        ],
    )


BUILDERS = [build_appointment_fill]
