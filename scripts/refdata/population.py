"""``population_ages.parquet``: each country's population by sex and single year of age.

Source: UN World Population Prospects 2024 (CC BY 3.0 IGO), the five-year age groups of
2025 by sex that the ``wpp2024`` R package tabulates, committed as the extract
``scripts/sources/population/wpp2024_population_2025.csv`` (see the README beside it
for its origin; this module reads nothing else).

Five-year groups → single years: the penalized composite link model (PCLM; Rizzi,
Gampe and Eilers 2015, "Efficient estimation of smooth distributions from coarsely
grouped data", American Journal of Epidemiology 182(2):138–147, the method of the R
package ``ungroup``). It fits smooth log-counts per single year whose five-year sums
have the group totals as Poisson means, with a second-order difference penalty
(:data:`LAMBDA`) on the log-counts — so exponential declines (the old ages) and smooth
bulges come out without kinks at the group edges, and never negative. The open group
100+ is spread over ages 100–109 in the fit and stored back as age 100 ("100 or
older"). For populations of millions the fitted group totals equal WPP's to a few
parts per million of the country's total; for the smallest territories (a few
thousand people, whose WPP groups are noisy) the penalty smooths more, and the build
fails if any group moves by more than :data:`MAX_GROUP_DEVIATION` of the total.

Countries WPP does not list on their own take a parent's or neighbour's pyramid
(:data:`FALLBACKS`); the ``wpp_area`` column names the area used.

Columns: ``iso2``, ``sex`` (``female``/``male``), ``age`` (Int8, 0–100, 100 meaning
100 or older), ``population`` (persons, Float64), ``wpp_area`` (ISO 3166 alpha-2 of
the WPP area the row comes from).
"""

from __future__ import annotations

import csv

import numpy as np
import polars as pl

from refdata.build import REPO_ROOT, Artifact, BuildContext, fail

SOURCE = REPO_ROOT / "scripts" / "sources" / "population" / "wpp2024_population_2025.csv"

#: Areas without their own WPP figures → the WPP area whose pyramid they take.
FALLBACKS = {
    "AX": "FI",  # Åland: an autonomous region of Finland
    "SJ": "NO",  # Svalbard and Jan Mayen: Norway
    "NF": "AU",  # Norfolk Island: Australia
    "CX": "AU",  # Christmas Island: Australia
    "CC": "AU",  # Cocos (Keeling) Islands: Australia
    "TF": "FR",  # French Southern Territories (staff of research stations): France
    "PN": "NZ",  # Pitcairn: administered from New Zealand
    "GS": "GB",  # South Georgia (no permanent residents): United Kingdom
    "VA": "IT",  # Holy See: WPP lists it without age groups; Italy surrounds it
}

#: PCLM smoothing parameter (on log-counts, second differences).
LAMBDA = 100.0
#: Single years the fit runs over: 0–109, the open group 100+ spread over 100–109.
TOP = 110
#: Largest allowed change of a five-year group by the fit, as a share of the total.
MAX_GROUP_DEVIATION = 0.005


def _composition(groups: int) -> np.ndarray:
    """Group × single-year 0/1 matrix: five-year groups, then the open group."""
    c = np.zeros((groups, TOP))
    for g in range(groups - 1):
        c[g, 5 * g : 5 * g + 5] = 1.0
    c[groups - 1, 5 * (groups - 1) :] = 1.0
    return c


def pclm(counts: np.ndarray, lam: float = LAMBDA) -> np.ndarray:
    """Single-year counts 0–109 from five-year group counts (the last one open), by
    the penalized composite link model fitted with Newton (IRLS) steps."""
    y = np.asarray(counts, dtype=np.float64)
    comp = _composition(len(y))
    diff = np.diff(np.eye(TOP), 2, axis=0)
    penalty = lam * diff.T @ diff
    eta = np.log(np.maximum(comp.T @ (y / comp.sum(axis=1)), 1e-3))
    for _ in range(100):
        gamma = np.exp(eta)
        mu = np.maximum(comp @ gamma, 1e-12)
        q = comp * gamma
        z = y - mu + q @ eta
        lhs = q.T @ (q / mu[:, None]) + penalty
        new = np.linalg.solve(lhs, q.T @ (z / mu))
        done = float(np.max(np.abs(new - eta))) < 1e-7  # relative change of counts
        eta = new
        if done:
            break
    else:
        fail("population_ages: the PCLM fit did not converge")
    fitted = np.exp(eta)
    deviation = np.abs(comp @ fitted - y).max() / max(y.sum(), 1.0)
    if deviation > MAX_GROUP_DEVIATION:
        fail(f"population_ages: the fit moves a five-year group by {deviation:.2%} of the total")
    return fitted


def _read_extract() -> dict[str, dict[str, np.ndarray]]:
    """iso2 → sex → the 21 group counts in persons."""
    with SOURCE.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    groups = header[4:]
    if groups[0] != "0-4" or groups[-1] != "100+" or len(groups) != 21:
        fail(f"{SOURCE.name}: unexpected age groups {groups}")
    out: dict[str, dict[str, np.ndarray]] = {}
    for row in body:
        out.setdefault(row[0], {})[row[3]] = np.array([float(v) for v in row[4:]]) * 1000.0
    return out


def build_population_ages(ctx: BuildContext) -> Artifact:
    extract = _read_extract()
    countries = ctx.built["countries.parquet"].get_column("iso2").to_list()
    single: dict[str, dict[str, np.ndarray]] = {}
    for iso in sorted(extract):
        single[iso] = {}
        for sex, counts in extract[iso].items():
            fitted = pclm(counts)
            single[iso][sex] = np.concatenate([fitted[:100], [fitted[100:].sum()]])
    rows = []
    missing = []
    for iso in sorted(countries):
        area = iso if iso in single else FALLBACKS.get(iso)
        if area is None or area not in single:
            missing.append(iso)
            continue
        for sex in ("female", "male"):
            values = single[area][sex]
            rows += [(iso, sex, age, round(float(v), 3), area) for age, v in enumerate(values)]
    if missing:
        fail(f"population_ages: no WPP figures and no fallback for {missing}")
    table = pl.DataFrame(
        rows,
        schema={
            "iso2": pl.String,
            "sex": pl.String,
            "age": pl.Int8,
            "population": pl.Float64,
            "wpp_area": pl.String,
        },
        orient="row",
    )
    borrowed = sorted(c for c in countries if c not in single)
    ctx.report["population_ages"] = {"countries": len(countries), "borrowed": borrowed}
    return Artifact(
        name="population_ages.parquet",
        frame=table,
        sources=[],
        origin=(
            "Population by sex and single year of age (0–99, then 100 or older) in 2025, "
            "for every country of countries.parquet: UN World Population Prospects 2024, "
            "five-year age groups by sex of 2025 as the wpp2024 R package (version 1.1-3) "
            "tabulates them, committed as scripts/sources/population/"
            "wpp2024_population_2025.csv, split into single years by the penalized "
            f"composite link model (Rizzi, Gampe and Eilers 2015; lambda = {LAMBDA:g} on "
            "second differences of the log-counts)."
        ),
        attribution=[
            "United Nations, Department of Economic and Social Affairs, Population "
            "Division (2024). World Population Prospects 2024. CC BY 3.0 IGO "
            "(https://creativecommons.org/licenses/by/3.0/igo/); single years of age "
            "interpolated by tempdata."
        ],
        notes=[
            "Areas without their own WPP figures take another area's pyramid (the "
            "wpp_area column): " + ", ".join(f"{c} from {FALLBACKS[c]}" for c in borrowed) + ".",
        ],
    )


BUILDERS = [build_population_ages]
