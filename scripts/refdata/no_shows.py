"""``no_show_rates.parquet``: published outpatient no-show rates by specialty.

From ``scripts/sources/healthcare/no_shows.csv`` (one row per published figure, its
source in ``NO_SHOWS.md``): per specialty of the ``appointments`` dataset, the median of
the figures not marked DOUBTFUL and their range. Family Medicine takes the
``primary care`` figures; a specialty with fewer than two figures takes the median of
all outpatients (``all``).
"""

from __future__ import annotations

import csv
import statistics

import polars as pl

from refdata.build import REPO_ROOT, Artifact, BuildContext, Source, fail

SOURCE = REPO_ROOT / "scripts" / "sources" / "healthcare" / "no_shows.csv"
#: The appointments dataset's specialties, and the name their figures go by.
SPECIALTIES = {
    "Family Medicine": "primary care",
    "Pediatrics": "Pediatrics",
    "Cardiology": "Cardiology",
    "Endocrinology": "Endocrinology",
    "Pulmonology": "Pulmonology",
    "Dermatology": "Dermatology",
    "Orthopedics": "Orthopedics",
    "Gastroenterology": "Gastroenterology",
    "Neurology": "Neurology",
    "Psychiatry": "Psychiatry",
    "Obstetrics and Gynecology": "Obstetrics and Gynecology",
    "Urology": "Urology",
    "Rheumatology": "Rheumatology",
}
MIN_FIGURES = 2


def build_no_show_rates(ctx: BuildContext) -> Artifact:
    figures: dict[str, list[float]] = {}
    with SOURCE.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["rate"] and "DOUBTFUL" not in row["notes"]:
                figures.setdefault(row["specialty"], []).append(float(row["rate"]))
    if len(figures.get("all", [])) < MIN_FIGURES:
        fail("no_shows.csv: too few figures for all outpatients")
    rows = []
    for specialty, name in SPECIALTIES.items():
        own = figures.get(name, [])
        used = own if len(own) >= MIN_FIGURES else figures["all"]
        rows.append(
            (
                specialty,
                statistics.median(used),
                min(used),
                max(used),
                len(own) if len(own) >= MIN_FIGURES else 0,
            )
        )
    table = pl.DataFrame(
        rows,
        schema={
            "specialty": pl.String,
            "rate": pl.Float64,
            "low": pl.Float64,
            "high": pl.Float64,
            "figures": pl.Int16,
        },
        orient="row",
    )
    return Artifact(
        name="no_show_rates.parquet",
        frame=table,
        sources=[
            Source(
                "scripts/sources/healthcare/no_shows.csv",
                "facts from the studies and statistics named per row (NO_SHOWS.md); no "
                "copyright claimed",
                "outpatient no-show rates by specialty",
                pinned="2026-12-07",
            )
        ],
        origin=(
            "Per specialty of the appointments dataset: the median (`rate`) and range of the "
            "published no-show rates not marked doubtful (`figures` of them); Family Medicine "
            "takes the primary-care figures, a specialty with fewer than "
            f"{MIN_FIGURES} figures (figures = 0) those of all outpatients."
        ),
    )


BUILDERS = [build_no_show_rates]
