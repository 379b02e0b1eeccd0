"""Healthcare datasets: ``patients`` (a practice's patient register) and ``appointments``.

**patients** — one row per person, with the names and phones of their country and a home
city (the customers' samplers; no street address, which would halve the speed). Ages
follow the population pyramid of the row's country and the patient's sex, by single
year from newborns to 100 (UN World Population Prospects 2024,
``reference_data/population_ages.parquet``: women outnumber men at old ages); blood
types follow the country's ABO/Rh mix (:data:`BLOOD_TYPES`); height and BMI follow
growth charts (CDC medians) in children and the country's adult medians by sex
(NCD-RisC) with a middle-age bulge in adults; weight is BMI × height², and ``bmi`` is
recomputed from the rounded weight and height. Chronic conditions
(``reference_data/conditions.parquet``: billable ICD-10-CM codes, prevalence by sex at
ages 10–85, interpolated) rise with age and, for some, with BMI; obesity codes follow
the BMI class. Medications (``reference_data/medications.parquet``) treat the patient's
conditions, skip the drugs they are allergic to and list each drug once. Insurance
follows the country's system (Medicare from 65 and Medicaid in the United States).

**appointments** — one row per booked visit, sorted by time. Every row is mapped to a
distinct slot of the clinics' calendar (doctor × open day × slot), so no doctor is ever
booked twice (``_clinic_slots``). Doctors have a fixed specialty, a clinic city and a
slot length; a clinic opens 08:00–12:00 and 13:00–17:00 local time on its country's
working days and closes on its country's and its state's public holidays
(``reference_data/public_holidays.parquet``; in a ``global`` dataset each clinic keeps
its own country's). Rows fill the days as general practice in England does
(``reference_data/appointment_fill.parquet``, NHS England's *Appointments in General
Practice*): Monday the busiest, Friday the quietest; winter and October above summer,
August the quietest month (:mod:`tempdata.calendar.clinics`).
The reason (``reference_data/visit_reasons.parquet``) is drawn for the doctor's
specialty with monthly seasonality by hemisphere (respiratory infections peak in
winter), and the patient among those the reason fits: of the right sex and age, and
having the chronic condition a follow-up is about (the patients table of the same
seed). Lead times, durations and cancellations follow the visit type; no-shows the
specialty's published rate (scripts/sources/healthcare/no_shows.csv).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

import numpy as np
import polars as pl
import pyarrow as pa

from tempdata import samplers as s
from tempdata.core.plan import (
    ChunkContext,
    Dataset,
    GroupSampler,
    Parameter,
    Params,
    SampleOutput,
    Sampler,
    check,
    col,
    group,
)
from tempdata.core.planner import MAX_PARENT_ROWS
from tempdata.datasets._clinic_slots import (
    CLINIC_HOURS,
    SPECIALTIES,
    SPECIALTY,
    Slots,
    doctor_specialties,
)
from tempdata.datasets.registry import register
from tempdata.errors import InvalidParameterError
from tempdata.geo.reference import load
from tempdata.samplers._base import Array, CallRepr

__all__ = [
    "APPOINTMENT_ID",
    "BLOOD_TYPES",
    "CLINIC_HOURS",
    "PATIENT_ID",
    "SPECIALTIES",
    "appointments",
    "doctor_specialties",
    "patients",
]

PATIENT_ID = s.sequence("PAT-{:08d}")
APPOINTMENT_ID = s.sequence("APT-{:010d}")
SEP = "; "

_SEXES = ("female", "male")
_SEX = pl.Enum(list(_SEXES))
_DAYS_PER_YEAR = 365.2425

# -- reference tables ------------------------------------------------------------------


class _Conditions(NamedTuple):
    code: tuple[str, ...]
    description: tuple[str, ...]
    min_age: Array
    bmi_min: Array
    bmi_max: Array
    bmi_rr: Array
    treated: Array
    female: Array  # (K, 5) prevalence at _ANCHORS
    male: Array


_ANCHORS = np.array([10.0, 30.0, 50.0, 70.0, 85.0])


@cache
def _conditions() -> _Conditions:
    t = load("conditions")
    ages = [int(a) for a in _ANCHORS]
    return _Conditions(
        tuple(t["code"].to_list()),
        tuple(t["description"].to_list()),
        t["min_age"].to_numpy().astype(np.float64),
        t["bmi_min"].to_numpy(),
        t["bmi_max"].to_numpy(),
        t["bmi_rr"].to_numpy(),
        t["treated"].to_numpy(),
        t.select([f"p_female_{a}" for a in ages]).to_numpy(),
        t.select([f"p_male_{a}" for a in ages]).to_numpy(),
    )


class _Medications(NamedTuple):
    entry: tuple[str, ...]  # "Metformin 500 mg twice daily"
    drug: tuple[str, ...]
    drug_id: Array  # per entry, the index of its drug in `drugs`
    drugs: tuple[str, ...]
    condition: Array  # per entry, the index of its condition
    first: Array  # per condition, its first entry (-1 if none)
    per_condition: Array  # per condition, its number of entries
    keys: Array  # condition k's cumulative weights stored as k + cdf
    by_condition: dict[str, tuple[str, ...]]  # code → its entries


@cache
def _medications() -> _Medications:
    t = load("medications")
    codes = _conditions().code
    index = {c: i for i, c in enumerate(codes)}
    t = t.with_columns(k=pl.col("condition_code").replace_strict(index, return_dtype=pl.Int64))
    t = t.sort("k", "drug")
    entry = t.select(pl.concat_str("drug", pl.lit(" "), "dose", pl.lit(" "), "frequency"))
    entries = tuple(entry.to_series().to_list())
    k = t["k"].to_numpy()
    w = t["weight"].to_numpy()
    keys = np.empty(len(k))
    for c in np.unique(k):
        rows = np.flatnonzero(k == c)
        cdf = np.cumsum(w[rows])
        keys[rows] = c + cdf / cdf[-1]
        keys[rows[-1]] = c + 1.0
    drug_names = tuple(t["drug"].to_list())
    drugs = tuple(sorted(set(drug_names)))
    drug_index = {d: i for i, d in enumerate(drugs)}
    by_condition: dict[str, list[str]] = {}
    for code_k, e in zip(t["condition_code"].to_list(), entries, strict=True):
        by_condition.setdefault(code_k, []).append(e)
    assert len(codes) <= 53, "condition sets are bit masks of a float64 mantissa"
    first = np.full(len(codes), -1, dtype=np.int64)
    count = np.bincount(k, minlength=len(codes))
    first[count > 0] = np.searchsorted(k, np.flatnonzero(count > 0))
    return _Medications(
        entries,
        drug_names,
        np.array([drug_index[d] for d in drug_names], dtype=np.int64),
        drugs,
        k.astype(np.int64),
        first,
        count,
        keys,
        {c: tuple(v) for c, v in by_condition.items()},
    )


class _Allergies(NamedTuple):
    allergen: tuple[str, ...]
    drug: tuple[str, ...]
    child: Array
    adult: Array


@cache
def _allergies() -> _Allergies:
    t = load("allergies").sort("code")
    return _Allergies(
        tuple(t["allergen"].to_list()),
        tuple(t["drug"].to_list()),
        t["prevalence_child"].to_numpy(),
        t["prevalence_adult"].to_numpy(),
    )


@cache
def _reasons() -> pl.DataFrame:
    return load("visit_reasons").sort("specialty", "code")


@cache
def _countries() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """ISO codes of every country the places sampler can give, and their continents."""
    from tempdata.samplers.geo import _all_enum

    codes = tuple(_all_enum("country_code").categories.to_list())
    table = load("countries", columns=("iso2", "continent"))
    continent = dict(zip(table["iso2"].to_list(), table["continent"].to_list(), strict=True))
    return codes, tuple(continent.get(c, "EU") for c in codes)


def _per_country(table: Mapping[str, Sequence[float]]) -> Array:
    """A row of ``table`` per country code (the country's own, else its continent's)."""
    codes, continents = _countries()
    return np.array(
        [table.get(c, table.get(k, table["EU"])) for c, k in zip(codes, continents, strict=True)],
        dtype=np.float64,
    )


def _country_ids(ctx: ChunkContext, column: str) -> Array:
    """Each row's position in ``_countries()`` from an Enum country-code column."""
    series = ctx.frame.get_column(column)
    codes = _countries()[0]
    return series.cast(pl.Enum(list(codes))).to_physical().to_numpy().astype(np.int64)


def _pick(cdf: Array, u: Array) -> Array:
    """Per row, the first column where ``cdf`` (rows × k, ending at 1) exceeds ``u``."""
    out: Array = np.minimum((u[:, None] >= cdf).sum(axis=1), cdf.shape[1] - 1)
    return out


# -- patients: blood types ------------------------------------------------------------

_BLOOD = ("O+", "O-", "A+", "A-", "B+", "B-", "AB+", "AB-")
#: ABO/Rh shares (%) in the order of ``_BLOOD``, rounded from national blood-service
#: figures (Red Cross, NHS Blood and Transplant, ...); continents for the rest.
BLOOD_TYPES: dict[str, tuple[float, ...]] = {
    "EU": (36, 7, 37, 7, 9, 1.5, 3, 0.5),
    "AF": (47, 3, 24, 1.5, 19, 1, 4, 0.5),
    "AS": (36, 0.5, 26, 0.5, 28, 0.5, 8, 0.5),
    "NA": (45, 5, 30, 4, 10, 1, 4, 1),
    "SA": (50, 5, 28, 3, 9, 1, 3, 1),
    "OC": (40, 9, 31, 7, 8, 2, 2, 1),
    "AN": (38, 7, 34, 6, 9, 2, 3, 1),
    "US": (37.4, 6.6, 35.7, 6.3, 8.5, 1.5, 3.4, 0.6),
    "CA": (39, 7, 36, 6, 7.6, 1.4, 2.5, 0.5),
    "MX": (59, 1.4, 26, 0.6, 8.6, 0.2, 1.7, 0.1),
    "BR": (36, 9, 34, 8, 8, 2, 2.5, 0.5),
    "GB": (35, 13, 30, 8, 8, 2, 2, 1),
    "DE": (35, 6, 37, 6, 9, 2, 4, 1),
    "FR": (36, 6, 37, 7, 9, 1, 3, 1),
    "JP": (30, 0.2, 38, 0.3, 22, 0.2, 9.3, 0.1),
    "CN": (30, 0.3, 28, 0.3, 29, 0.3, 12, 0.1),
    "IN": (32, 2.5, 22, 0.8, 32, 2, 8, 0.7),
    "NG": (51, 1.5, 22, 0.7, 20, 0.5, 4, 0.3),
    "AU": (38, 7, 38, 7, 10, 2, 3, 1),
}


@dataclass(frozen=True, repr=False)
class _BloodTypes(CallRepr, Sampler):
    _factory = "blood_types"
    country_column: str

    @property
    def given(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.country_column,)

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Enum(list(_BLOOD))

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> pl.Series:
        shares = _per_country(BLOOD_TYPES)
        cdf = np.cumsum(shares, axis=1) / shares.sum(axis=1, keepdims=True)
        pick = _pick(cdf[_country_ids(ctx, self.country_column)], rng.random(ctx.n))
        return pl.Series(list(_BLOOD), dtype=self.dtype(ctx.params)).gather(pick)


# -- patients: height, weight, BMI ----------------------------------------------------

#: Adult median height (cm) and BMI by sex: (female cm, male cm, female BMI, male BMI),
#: rounded from NCD-RisC (heights of the 1996 birth cohort; BMI 2016).
ADULT_BODY: dict[str, tuple[float, float, float, float]] = {
    "EU": (165.0, 178.0, 25.5, 26.8),
    "AF": (158.0, 168.0, 24.5, 22.5),
    "AS": (156.0, 167.0, 23.5, 23.5),
    "NA": (158.0, 171.0, 28.0, 27.5),
    "SA": (160.0, 173.0, 27.0, 26.0),
    "OC": (165.0, 177.0, 28.0, 28.0),
    "AN": (165.0, 178.0, 25.5, 26.8),
    "US": (163.5, 177.0, 28.2, 28.5),
    "CA": (164.7, 178.1, 26.9, 27.6),
    "MX": (157.8, 170.3, 28.6, 27.6),
    "BR": (160.9, 173.6, 26.3, 25.9),
    "GB": (163.9, 177.5, 27.0, 27.5),
    "DE": (166.2, 179.9, 25.8, 27.2),
    "FR": (164.5, 176.5, 25.1, 25.9),
    "IT": (164.6, 177.8, 25.2, 26.5),
    "ES": (163.4, 176.6, 25.6, 26.9),
    "NL": (168.7, 182.5, 25.3, 25.9),
    "RU": (164.5, 176.5, 27.5, 26.5),
    "JP": (158.3, 170.8, 21.8, 23.6),
    "KR": (162.3, 175.5, 23.0, 24.8),
    "CN": (160.1, 171.8, 23.9, 24.5),
    "IN": (155.2, 166.5, 22.1, 21.5),
    "PK": (154.0, 167.0, 24.5, 23.0),
    "ID": (154.0, 166.0, 23.5, 22.5),
    "NG": (159.2, 168.9, 24.5, 23.0),
    "ZA": (159.0, 168.0, 29.9, 24.2),
    "AU": (165.9, 179.2, 27.3, 27.9),
}
_US_BODY = ADULT_BODY["US"]
_GROWTH_AGES = np.arange(21, dtype=np.float64)
#: CDC growth charts, 50th percentile of stature (cm) at ages 0–20.
_HEIGHT_GIRLS = np.array([49, 74, 86, 95, 102, 109, 115, 121, 127, 133, 138, 144, 151, 157,
                          160, 162, 162.5, 163, 163, 163.2, 163.5])  # fmt: skip
_HEIGHT_BOYS = np.array([50, 76, 87, 96, 103, 110, 116, 122, 128, 133, 138, 143, 149, 156, 164,
                         170, 173, 175, 176, 176.5, 177])  # fmt: skip
#: Median BMI as a share of the adult median, by age (CDC BMI-for-age to 18, then
#: NHANES adult medians by age group: up in middle age, down in the very old).
_BMI_AGES = np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 25,
                      30, 40, 50, 60, 70, 80, 90, 110], dtype=np.float64)  # fmt: skip
_BMI_FACTOR = np.array([0.475, 0.605, 0.577, 0.56, 0.549, 0.542, 0.542, 0.549, 0.563, 0.581,
                        0.599, 0.62, 0.641, 0.665, 0.687, 0.708, 0.725, 0.743, 0.76, 0.82, 0.9,
                        0.95, 1.0, 1.03, 1.04, 1.02, 0.96, 0.92, 0.9])  # fmt: skip
_HEIGHT_CV = 0.04
_BMI_SIGMA_ADULT = 0.18
_BMI_SIGMA_CHILD = 0.12
BMI_RANGE = (10.0, 75.0)


def _years(ctx: ChunkContext, column: str) -> Array:
    """Age in (fractional) years at the reference date, from a date column."""
    born = ctx.frame.get_column(column).cast(pl.Date).to_physical().to_numpy().astype(np.int64)
    ref = np.datetime64(ctx.params.as_of, "D").astype(np.int64)
    return np.asarray((ref - born) / _DAYS_PER_YEAR)


def _female(ctx: ChunkContext, column: str) -> Array:
    return np.asarray(ctx.frame.get_column(column).cast(_SEX).to_physical().to_numpy() == 0)


@dataclass(frozen=True, repr=False)
class _Bodies(CallRepr, GroupSampler):
    """Height (cm), weight (kg) and BMI by age, sex and country; BMI = weight / height²."""

    _factory = "bodies"
    birth_column: str
    sex_column: str
    country_column: str

    @property
    def given(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.birth_column, self.sex_column, self.country_column)

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        return {"height_cm": pl.Float64(), "weight_kg": pl.Float64(), "bmi": pl.Float64()}

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        z_height, z_bmi = rng.standard_normal((ctx.n, 2)).T
        age = np.clip(_years(ctx, self.birth_column), 0.0, 110.0)
        female = _female(ctx, self.sex_column)
        body = _per_country(ADULT_BODY)[_country_ids(ctx, self.country_column)]
        adult_height = np.where(female, body[:, 0], body[:, 1])
        us_height = np.where(female, _US_BODY[0], _US_BODY[1])
        chart = np.where(
            female,
            np.interp(age, _GROWTH_AGES, _HEIGHT_GIRLS),
            np.interp(age, _GROWTH_AGES, _HEIGHT_BOYS),
        )
        # Adults lose height slowly after 50 (posture, discs, and older cohorts).
        shrink = 1.0 - 0.0012 * np.clip(age - 50.0, 0.0, None)
        height = chart * (adult_height / us_height) * shrink * (1.0 + _HEIGHT_CV * z_height)
        height = np.round(np.clip(height, 40.0, 230.0), 1)
        adult_bmi = np.where(female, body[:, 2], body[:, 3])
        us_bmi = np.where(female, _US_BODY[2], _US_BODY[3])
        # Children's BMI varies less between countries than adults'.
        weight_country = np.minimum(age / 20.0, 1.0)
        median = (
            us_bmi * np.interp(age, _BMI_AGES, _BMI_FACTOR) * (adult_bmi / us_bmi) ** weight_country
        )
        sigma = np.where(age < 18, _BMI_SIGMA_CHILD, _BMI_SIGMA_ADULT)
        bmi = np.clip(median * np.exp(sigma * z_bmi), BMI_RANGE[0] + 0.5, BMI_RANGE[1] - 0.5)
        metres = height / 100.0
        weight = np.round(np.maximum(bmi * metres**2, 1.5), 1)
        out = {
            "height_cm": height,
            "weight_kg": weight,
            "bmi": np.round(weight / metres**2, 1),
        }
        return {f: out[f] for f in fields}


# -- patients: conditions, medications, allergies ---------------------------------------


def _join_lists(n: int, rows: Array, values: pl.Series) -> pl.Series:
    """Per row ``0..n-1``, its ``values`` (given by ascending ``rows``) joined by ``SEP``."""
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows, minlength=n), out=offsets[1:])
    lists = pa.ListArray.from_arrays(pa.array(offsets), values.cast(pl.String).to_arrow())
    series = pl.from_arrow(lists)
    assert isinstance(series, pl.Series)
    return series.list.join(SEP)


@dataclass(frozen=True, repr=False)
class _Clinical(CallRepr, GroupSampler):
    """Chronic conditions by age, sex and BMI; drugs for them; recorded allergies."""

    _factory = "clinical"
    birth_column: str
    sex_column: str
    bmi_column: str

    @property
    def given(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.birth_column, self.sex_column, self.bmi_column)

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        return {
            "condition_codes": pl.String(),
            "conditions": pl.String(),
            "medications": pl.String(),
            "allergies": pl.String(),
        }

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        cond, allergy = _conditions(), _allergies()
        k_count, a_count = len(cond.code), len(allergy.allergen)
        # 16-bit uniforms (twice as fast to draw; prevalences are far above 2**-16).
        u = rng.integers(0, 1 << 16, size=(ctx.n, k_count + a_count), dtype=np.uint16)
        u_cond, u_allergy = u[:, :k_count], u[:, k_count:]
        age = _years(ctx, self.birth_column)
        female = _female(ctx, self.sex_column)
        bmi = ctx.frame.get_column(self.bmi_column).to_numpy()
        table = _prevalence()
        year = np.clip(age, 0, _MAX_AGE).astype(np.int64)
        p = table.by_age[np.where(female, 0, _MAX_AGE + 1) + year]
        # BMI (in tenths, as rounded): a risk ratio per 5 units for some conditions, a
        # band for the obesity codes.
        tenth = np.clip(np.round(bmi * 10.0), 0, len(table.bmi_risk) - 1).astype(np.int64)
        p[:, table.rr_cols] = np.minimum(p[:, table.rr_cols] * table.bmi_risk[tenth], _CAP)
        p[:, table.band_cols] *= table.bmi_band[tenth]
        has = u_cond < p
        rows, k = np.nonzero(has)
        out: dict[str, SampleOutput] = {}
        if "condition_codes" in fields or "conditions" in fields:
            # Few distinct sets of conditions: join the text once per set (each set
            # as a bit mask of at most 53 conditions, exact in float64).
            mask = np.bincount(rows, weights=np.exp2(k), minlength=ctx.n).astype(np.int64)
            sets, which = np.unique(mask, return_inverse=True)
            bits = (sets[:, None] >> np.arange(k_count, dtype=np.int64)[None, :]) & 1
            set_rows, set_k = np.nonzero(bits)
            which_series = pl.Series(which.ravel(), dtype=pl.UInt32)
            for field, labels in (("condition_codes", cond.code), ("conditions", cond.description)):
                text = pl.Series(labels, dtype=pl.String).gather(set_k)
                out[field] = _join_lists(len(sets), set_rows, text).gather(which_series)
        child = (age < 18)[:, None]
        has_allergy = u_allergy < np.where(child, table.allergy_child, table.allergy_adult)
        a_mask = has_allergy.astype(np.int64) @ (1 << np.arange(a_count, dtype=np.int64))
        a_sets, a_which = np.unique(a_mask, return_inverse=True)
        a_bits = (a_sets[:, None] >> np.arange(a_count, dtype=np.int64)[None, :]) & 1
        a_rows, a_k = np.nonzero(a_bits)
        allergens = pl.Series(allergy.allergen, dtype=pl.String).gather(a_k)
        out["allergies"] = _join_lists(len(a_sets), a_rows, allergens).gather(
            pl.Series(a_which.ravel(), dtype=pl.UInt32)
        )
        if "medications" in fields:
            # Given the condition, u / p is uniform: below `treated` the patient takes
            # a drug for it, and the rest of that uniform picks the drug.
            v = (u_cond[rows, k] + 0.5) / p[rows, k]
            treated = v < cond.treated[k]
            rows, k, v = rows[treated], k[treated], v[treated]
            out["medications"] = self._medications(ctx.n, rows, k, v / cond.treated[k], has_allergy)
        return {f: out[f] for f in fields}

    @staticmethod
    def _medications(n: int, rows: Array, k: Array, w: Array, has_allergy: Array) -> pl.Series:
        meds, allergy = _medications(), _allergies()
        pick = np.minimum(np.searchsorted(meds.keys, k + w, side="right"), len(meds.keys) - 1)
        # A drug the patient is allergic to is swapped for the condition's next one
        # (dropped when the condition has no other).
        drug_index = {d: i for i, d in enumerate(meds.drugs)}
        for a, drug in enumerate(allergy.drug):
            if drug not in drug_index:
                continue
            bad = (meds.drug_id[pick] == drug_index[drug]) & has_allergy[rows, a]
            if not bad.any():
                continue
            at = pick[bad] - meds.first[k[bad]] + 1
            pick[bad] = meds.first[k[bad]] + at % meds.per_condition[k[bad]]
            keep = ~((meds.drug_id[pick] == drug_index[drug]) & has_allergy[rows, a])
            rows, k, pick = rows[keep], k[keep], pick[keep]
        # One entry per drug: the first condition that brought it.
        drug_of = meds.drug_id[pick]
        _, first = np.unique(rows * len(meds.drugs) + drug_of, return_index=True)
        first.sort()
        entries = pl.Series(meds.entry, dtype=pl.String)
        return _join_lists(n, rows[first], entries.gather(pick[first]))


_MAX_AGE = 110
_CAP = 0.95 * (1 << 16)  # no condition is certain


class _Prevalence(NamedTuple):
    """Probabilities scaled to 16-bit uniforms (``u < p`` with ``u`` in ``0..65535``)."""

    by_age: Array  # (2 × (_MAX_AGE + 1), K): female ages 0.., then male ages 0..
    rr_cols: Array  # conditions with a BMI risk ratio
    bmi_risk: Array  # (BMI in tenths, len(rr_cols)): the risk factor
    band_cols: Array  # conditions defined by a BMI band
    bmi_band: Array  # (BMI in tenths, len(band_cols)): 1 inside the band, else 0
    allergy_child: Array
    allergy_adult: Array


@cache
def _prevalence() -> _Prevalence:
    """Prevalence by sex and whole year of age, interpolated between the anchor ages
    (flat outside them) and zero below a condition's minimum age."""
    cond, allergy = _conditions(), _allergies()
    ages = np.arange(_MAX_AGE + 1, dtype=np.float64)
    tables = []
    for by_anchor in (cond.female, cond.male):
        t = np.stack([np.interp(ages, _ANCHORS, row) for row in by_anchor], axis=1)
        t[ages[:, None] < cond.min_age[None, :]] = 0.0
        tables.append(np.minimum(t, 0.95))
    rr = np.flatnonzero(cond.bmi_rr != 1.0)
    band = np.flatnonzero((cond.bmi_min > 0) | (cond.bmi_max < 999))
    tenths = np.arange(int(BMI_RANGE[1] * 10) + 1, dtype=np.float64)[:, None] / 10.0
    risk = np.clip(cond.bmi_rr[rr][None, :] ** ((tenths - 26.0) / 5.0), 0.2, 5.0)
    inside = (tenths >= cond.bmi_min[band][None, :]) & (tenths < cond.bmi_max[band][None, :])
    scale = float(1 << 16)
    return _Prevalence(
        (np.concatenate(tables) * scale).astype(np.float32),
        rr,
        risk.astype(np.float32),
        band,
        inside.astype(np.float32),
        (allergy.child * scale).astype(np.float32)[None, :],
        (allergy.adult * scale).astype(np.float32)[None, :],
    )


# -- patients: insurance --------------------------------------------------------------

_INSURANCE = ("private", "public", "medicare", "medicaid", "military", "uninsured")
#: Primary health coverage (shares of private, public, uninsured) outside the United
#: States: rounded from OECD and WHO coverage statistics; continents for the rest.
INSURANCE_SHARES: dict[str, tuple[float, float, float]] = {
    "EU": (0.08, 0.9, 0.02),
    "AS": (0.1, 0.6, 0.3),
    "AF": (0.05, 0.2, 0.75),
    "NA": (0.15, 0.6, 0.25),
    "SA": (0.2, 0.65, 0.15),
    "OC": (0.2, 0.78, 0.02),
    "AN": (0.0, 1.0, 0.0),
    "DE": (0.11, 0.889, 0.001),
    "NL": (0.0, 0.999, 0.001),
    "CH": (0.0, 0.995, 0.005),
    "GB": (0.11, 0.89, 0.0),
    "FR": (0.04, 0.96, 0.0),
    "CA": (0.0, 0.99, 0.01),
    "AU": (0.45, 0.55, 0.0),
    "JP": (0.0, 1.0, 0.0),
    "KR": (0.0, 0.98, 0.02),
    "CN": (0.03, 0.95, 0.02),
    "IN": (0.15, 0.4, 0.45),
    "BR": (0.25, 0.75, 0.0),
    "MX": (0.05, 0.7, 0.25),
    "NG": (0.03, 0.05, 0.92),
    "ZA": (0.16, 0.84, 0.0),
}
#: United States, by age: private, Medicare, Medicaid, military, uninsured (Census CPS).
_US_CHILD = (0.52, 0.0, 0.41, 0.02, 0.05)
_US_ADULT = (0.66, 0.02, 0.17, 0.03, 0.12)  # Medicare under 65: disability, ESRD
_US_SENIOR = (0.05, 0.93, 0.0, 0.01, 0.01)


@dataclass(frozen=True, repr=False)
class _Insurance(CallRepr, Sampler):
    _factory = "insurance"
    country_column: str
    age_column: str

    @property
    def given(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.country_column, self.age_column)

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Enum(list(_INSURANCE))

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> pl.Series:
        u = rng.random(ctx.n)
        cid = _country_ids(ctx, self.country_column)
        # private, public, medicare, medicaid, military, uninsured
        shares = np.zeros((len(_countries()[0]), len(_INSURANCE)))
        shares[:, [0, 1, 5]] = _per_country(INSURANCE_SHARES)
        table = shares[cid]
        us = np.asarray(cid == _countries()[0].index("US")) if "US" in _countries()[0] else None
        if us is not None and us.any():
            age = ctx.frame.get_column(self.age_column).to_numpy()
            band = np.where(age < 18, 0, np.where(age < 65, 1, 2))
            us_table = np.array([_US_CHILD, _US_ADULT, _US_SENIOR])[band[us]]
            table[us] = 0.0
            us_columns = np.array([0, 2, 3, 4, 5])
            table[np.ix_(np.flatnonzero(us), us_columns)] = us_table
        cdf = np.cumsum(table, axis=1) / table.sum(axis=1, keepdims=True)
        return pl.Series(list(_INSURANCE), dtype=self.dtype(ctx.params)).gather(_pick(cdf, u))


# -- patients: emergency contact --------------------------------------------------------

_RELATIONS = ("parent", "spouse", "partner", "child", "sibling", "friend")
# By the patient's age: children have a parent; adults mostly a spouse or partner;
# the old mostly a grown-up child.
_RELATION_BY_AGE = {
    "child": (1.0, 0, 0, 0, 0, 0),
    "young": (0.45, 0.15, 0.2, 0.0, 0.12, 0.08),
    "adult": (0.08, 0.52, 0.18, 0.04, 0.1, 0.08),
    "senior": (0.0, 0.4, 0.06, 0.42, 0.07, 0.05),
}
_age = pl.col("age")
_relation_key = (
    pl.when(_age < 18)
    .then(pl.lit("child"))
    .when(_age < 30)
    .then(pl.lit("young"))
    .when(_age < 65)
    .then(pl.lit("adult"))
    .otherwise(pl.lit("senior"))
    .cast(pl.Enum(list(_RELATION_BY_AGE)))
)
_family = (
    pl.col("emergency_contact_relationship")
    .cast(pl.String)
    .is_in(["parent", "spouse", "child", "sibling"])
)


@dataclass(frozen=True, repr=False)
class _Contacts(CallRepr, GroupSampler):
    """Someone to call: a name of the patient's name locale and a phone number of the
    patient's country and city. The people sampler's tables, without its e-mails."""

    _factory = "contacts"
    country_column: str
    city_column: str
    phone_column: str

    @property
    def given(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.country_column, self.city_column, self.phone_column)

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        return {"first_name": pl.String(), "last_name": pl.String(), "phone": pl.String()}

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        from tempdata.geo.phones import PHONE_DRAWS, phone_numbers
        from tempdata.samplers.people import (
            country_rows,
            draw_names,
            locale_number,
            locale_of_countries,
        )

        draws = rng.random((ctx.n, 4 + PHONE_DRAWS))
        u_sex, u_position, u_first, u_last = draws[:, :4].T
        cid = country_rows(ctx.frame.get_column(self.country_column))
        if ctx.params.locale:
            locale = np.full(ctx.n, locale_number(ctx.params.locale), dtype=np.int64)
        else:
            locale = locale_of_countries()[cid]
        sex = (u_sex < 0.5).astype(np.int64)
        position = np.floor(u_position * 2**31).astype(np.int64)
        names, _ = draw_names(locale, sex, position, u_first, u_last)
        city = ctx.frame.get_column(self.city_column).fill_null(-1).cast(pl.Int64).to_numpy()
        u_phone = draws[:, 4:]
        phone = phone_numbers(cid, city, u_phone)
        # Never the patient's own number (possible by chance in a small town's block):
        # those rows draw again from shifted uniforms.
        own = ctx.frame.get_column(self.phone_column)
        clash = np.flatnonzero((phone == own).to_numpy())
        shift = 0.5
        while len(clash):
            again = phone_numbers(cid[clash], city[clash], (u_phone[clash] + shift) % 1.0)
            phone = phone.scatter(clash, again)
            clash = clash[(again == own.gather(clash)).to_numpy()]
            shift = shift / 2 + 0.123
        out: dict[str, SampleOutput] = {
            "first_name": names.first_name,
            "last_name": names.last_name,
            "phone": phone,
        }
        return {f: out[f] for f in fields}


# -- patients ---------------------------------------------------------------------------


def _codes_of(column: str) -> pl.Expr:
    return pl.col(column).str.split(SEP).list.eval(pl.element().filter(pl.element() != ""))


def _has_code(code: str) -> pl.Expr:
    return pl.concat_str(pl.lit(SEP), pl.col("condition_codes"), pl.lit(SEP)).str.contains(
        f"{SEP}{code}{SEP}", literal=True
    )


@cache
def _condition_table() -> dict[str, Any]:
    cond = _conditions()
    t = load("conditions")
    meds = _medications()
    return {
        "codes": list(cond.code),
        "description": dict(zip(cond.code, cond.description, strict=True)),
        "female_only": t.filter(pl.col("sex") == "female")["code"].to_list(),
        "male_only": t.filter(pl.col("sex") == "male")["code"].to_list(),
        "bmi_bands": [
            (c, lo, hi)
            for c, lo, hi in zip(cond.code, cond.bmi_min, cond.bmi_max, strict=True)
            if lo > 0 or hi < 999
        ],
        "entries": {c: SEP.join(v) for c, v in meds.by_condition.items()},
        "entry_drug": dict(zip(meds.entry, meds.drug, strict=True)),
        "allergens": list(_allergies().allergen),
        "allergy_drugs": [
            (a, d) for a, d in zip(_allergies().allergen, _allergies().drug, strict=True) if d
        ],
    }


def _patient_checks() -> list[Any]:
    """Checks that need the reference tables, built when the module is imported
    (the tables are small and read once)."""
    table = _condition_table()
    codes = _codes_of("condition_codes")
    checks = [
        check(
            "condition_codes_exist",
            codes.list.eval(pl.element().is_in(table["codes"])).list.all(),
            "Every code is a billable ICD-10-CM code of conditions.parquet.",
        ),
        check(
            "conditions_describe_codes",
            codes.list.eval(pl.element().replace_strict(table["description"], default="?"))
            .list.join(SEP)
            .eq(pl.col("conditions")),
            "conditions lists the official descriptions of condition_codes, in order.",
        ),
        check(
            "sex_specific_conditions",
            (
                codes.list.eval(pl.element().is_in(table["female_only"])).list.any().not_()
                | (pl.col("sex") == "female")
            )
            & (
                codes.list.eval(pl.element().is_in(table["male_only"])).list.any().not_()
                | (pl.col("sex") == "male")
            ),
            "Conditions of one sex (BPH, PCOS, menopause) only in patients of that sex.",
        ),
        check(
            "medications_treat_conditions",
            _codes_of("medications")
            .list.set_difference(
                codes.list.eval(pl.element().replace_strict(table["entries"], default=""))
                .list.join(SEP)
                .str.split(SEP)
            )
            .list.len()
            .eq(0),
            "Every medication is one listed for one of the patient's conditions.",
        ),
        check(
            "medications_not_repeated",
            _codes_of("medications")
            .list.eval(pl.element().replace_strict(table["entry_drug"], default=None))
            .list.n_unique()
            .eq(_codes_of("medications").list.len()),
            "No drug is listed twice.",
        ),
        check(
            "allergens_known",
            _codes_of("allergies").list.eval(pl.element().is_in(table["allergens"])).list.all(),
        ),
    ]
    for allergen, drug in table["allergy_drugs"]:
        checks.append(
            check(
                f"no_{allergen.lower().replace(' ', '_')}_for_allergic",
                ~(
                    _codes_of("allergies").list.contains(allergen)
                    & _codes_of("medications")
                    .list.eval(pl.element().str.starts_with(drug + " "))
                    .list.any()
                ),
                f"Patients allergic to {allergen} are not given {drug}.",
            )
        )
    for code, lo, hi in table["bmi_bands"]:
        checks.append(
            check(
                f"bmi_fits_{code.replace('.', '_').lower()}",
                ~_has_code(code) | pl.col("bmi").is_between(lo, hi, closed="left"),
                f"{code} only with a BMI in [{lo:g}, {hi:g}).",
            )
        )
    return checks


patients = register(
    Dataset(
        "patients",
        domain="healthcare",
        description="The patient register of a health system: who each patient is, where "
        "they live, their body measurements, chronic conditions (ICD-10-CM), medications, "
        "allergies, insurance and emergency contact.",
        key="patient_id",
        notes="Ages follow the population pyramid of each patient's country (UN WPP shares "
        "by continent, overridden for large countries) and are measured at the reference "
        "date. Blood types follow the country's ABO/Rh mix. Height follows CDC growth "
        "charts to adulthood, scaled to the country's adult medians by sex (NCD-RisC); "
        "BMI is lognormal around an age curve (children's CDC medians, a middle-age "
        "bulge); weight = BMI × height², and bmi is recomputed from the rounded weight "
        "and height. Chronic conditions come from reference_data/conditions.parquet "
        "(billable ICD-10-CM codes checked at build time; prevalence by sex at ages 10, "
        "30, 50, 70 and 85, interpolated, times a BMI risk ratio for diabetes, "
        "hypertension, osteoarthritis, sleep apnea, ...); obesity class codes (E66.81x) "
        "only within their BMI class. Medications are drugs listed for one of the "
        "patient's conditions (reference_data/medications.parquet), never one the "
        "patient is allergic to, each drug once. Insurance: Medicare from 65 and "
        "Medicaid in the United States, national public/private/uninsured shares "
        "elsewhere. Lists are joined with '; ' and empty when there is nothing.",
        columns=[
            col("patient_id", PATIENT_ID, description="Patient key, PAT-00000001 upwards."),
            group(
                "person",
                s.people(
                    country_column="country", city_column="_city_id", position_column="_position"
                ),
                columns=["first_name", "last_name", "gender", "phone", "email"],
                descriptions={
                    "first_name": "Given name, from the country's name locale.",
                    "last_name": "Family name, from the country's name locale.",
                    "gender": "Gender identity: female, male or nonbinary.",
                    "phone": "Valid mobile or landline number of the country.",
                    "email": "Unique personal address written from the name as people "
                    "write theirs (anna.mueller, amueller, a.mueller; a middle initial or "
                    "digits when the name is common).",
                },
            ),
            col("_u_sex", s.floats(0.0, 1.0), hidden=True),
            col(
                "sex",
                pl.when(pl.col("gender") == "female")
                .then(pl.lit("female"))
                .when(pl.col("gender") == "male")
                .then(pl.lit("male"))
                .when(pl.col("_u_sex") < 0.5)
                .then(pl.lit("female"))
                .otherwise(pl.lit("male"))
                .cast(_SEX),
                description="Sex recorded at birth (female or male): the gender's, half "
                "and half for nonbinary patients. Drives growth, BMI and prevalences.",
            ),
            col(
                "birth_date",
                s.birth_dates(min_age=0, country_column="_country_code", sex_column="sex"),
                description="Birth date: ages follow the population pyramid of the "
                "patient's country and sex by single year, newborns to 100 (UN World "
                "Population Prospects 2024), uniform within the year of age.",
            ),
            col("age", s.elapsed("birth_date"), description="Whole years at the reference date."),
            col(
                "blood_type",
                _BloodTypes("_country_code"),
                description="ABO and Rh type (O+, A-, ...), by the country's blood-group mix.",
            ),
            group(
                "body",
                _Bodies("birth_date", "sex", "_country_code"),
                columns=["height_cm", "weight_kg", "bmi"],
                descriptions={
                    "height_cm": "Height (length for infants) in centimetres, by age, sex "
                    "and country: CDC growth charts scaled to the country's adults.",
                    "weight_kg": "Weight in kilograms: BMI × height², rounded to 0.1 kg.",
                    "bmi": "Body-mass index, weight_kg / (height_cm / 100)², rounded to 0.1.",
                },
            ),
            group(
                "clinical",
                _Clinical("birth_date", "sex", "bmi"),
                columns=["condition_codes", "conditions", "medications", "allergies"],
                descriptions={
                    "condition_codes": "Chronic conditions as billable ICD-10-CM codes, "
                    "joined with '; ' ('' for none); more common with age and, for some, "
                    "with BMI.",
                    "conditions": "The official ICD-10-CM descriptions of condition_codes, "
                    "in the same order.",
                    "medications": "Current drugs with dose and frequency ('Metformin 500 mg "
                    "twice daily'), each for one of the patient's conditions; '; '-joined.",
                    "allergies": "Recorded allergies ('Penicillin; Peanuts'), '' for none: "
                    "drugs, foods, insect stings, latex.",
                },
            ),
            col(
                "insurance",
                _Insurance("_country_code", "age"),
                description="Primary coverage: private, public, medicare, medicaid, military "
                "or uninsured (Medicare/Medicaid only in the United States, Medicare from 65).",
            ),
            group(
                "home",
                s.places(),
                columns={
                    "city": "city",
                    "state": "state",
                    "country": "country",
                    "_country_code": "country_code",
                    "_city_id": "city_id",
                    "_position": "position",
                },
                hidden=["_country_code", "_city_id", "_position"],
                descriptions={
                    "city": "Home city: a real city, drawn by population.",
                    "state": "The city's state or province.",
                    "country": "The city's country.",
                },
            ),
            group(
                "contact",
                _Contacts("country", "_city_id", "phone"),
                columns={
                    "_contact_first": "first_name",
                    "_contact_last": "last_name",
                    "emergency_contact_phone": "phone",
                },
                hidden=["_contact_first", "_contact_last"],
                descriptions={
                    "emergency_contact_phone": "The contact's phone: a valid number of the "
                    "patient's country (landlines with the area codes of their city).",
                },
            ),
            col("_relation_group", _relation_key, hidden=True),
            col(
                "emergency_contact_relationship",
                s.choice_by(
                    "_relation_group",
                    {k: dict(zip(_RELATIONS, v, strict=True)) for k, v in _RELATION_BY_AGE.items()},
                ),
                description="parent (always for children), spouse, partner, child, sibling "
                "or friend, by the patient's age.",
            ),
            col("_u_surname", s.floats(0.0, 1.0), hidden=True),
            col(
                "emergency_contact_name",
                pl.concat_str(
                    pl.col("_contact_first"),
                    pl.lit(" "),
                    pl.when(_family & (pl.col("_u_surname") < 0.75))
                    .then(pl.col("last_name"))
                    .otherwise(pl.col("_contact_last")),
                ),
                description="The contact's name; relatives mostly share the patient's family name.",
            ),
        ],
        checks=[
            check("patient_id_unique", pl.col("patient_id").is_unique()),
            check("email_unique", pl.col("email").is_unique()),
            check("age_range", pl.col("age").is_between(0, 100)),
            check(
                "sex_matches_gender",
                (pl.col("gender") == "nonbinary")
                | (pl.col("gender").cast(pl.String) == pl.col("sex").cast(pl.String)),
            ),
            check(
                "bmi_is_weight_over_height_squared",
                (pl.col("weight_kg") / (pl.col("height_cm") / 100).pow(2) - pl.col("bmi")).abs()
                <= 0.0501,
                "bmi = weight_kg / (height_cm / 100)², rounded to one decimal.",
            ),
            check("height_plausible", pl.col("height_cm").is_between(40, 230)),
            check("bmi_plausible", pl.col("bmi").is_between(*BMI_RANGE)),
            check(
                "adult_height",
                (pl.col("age") < 18) | pl.col("height_cm").is_between(120, 230),
            ),
            check(
                "medicare_us_adults",
                (pl.col("insurance") != "medicare")
                | ((pl.col("age") >= 18) & (pl.col("country") == "United States")),
                "Medicare only in the United States: from 65, and for some disabled adults.",
            ),
            check(
                "medicaid_us",
                (pl.col("insurance") != "medicaid") | (pl.col("country") == "United States"),
            ),
            check(
                "contact_is_someone_else",
                pl.col("emergency_contact_phone") != pl.col("phone"),
                "The emergency contact's phone is not the patient's own.",
            ),
            check(
                "children_have_a_parent_as_contact",
                (pl.col("age") >= 18) | (pl.col("emergency_contact_relationship") == "parent"),
            ),
            *_patient_checks(),
        ],
    )
)

# -- appointments -----------------------------------------------------------------------

_SPECIALTY = SPECIALTY
_VISIT_TYPES = ("new", "follow-up", "urgent", "routine")
_STATUSES = ("completed", "cancelled", "no-show", "scheduled")
_MAX_LEAD_DAYS = 180
_US = 1_000_000


def default_patients(params: Params) -> int:
    """Patients appointments refer to: ``custom_params["patients"]`` or rows / 4 (at
    least 100, at most 1,000,000)."""
    return int(params.get("patients", max(100, min(params.rows // 4, 1_000_000))))


class _Pools(NamedTuple):
    """Patients each visit reason fits, and the reason tables with empty ones left out."""

    flat: Array  # patient indices of every pool, one after the other
    start: Array  # per reason, where its pool starts in `flat`
    size: Array  # per reason, its pool's size
    keys: Array  # (specialty × month) group g's reason CDF stored as g + cdf
    reason: Array  # per key, the reason's row
    birth: Array  # per patient, birth date (days since 1970)
    female: Array  # per patient


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _epoch_days(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days


_pool_lock = threading.Lock()
_pool_cache: list[tuple[pl.DataFrame, tuple[Any, ...], _Pools]] = []


def _pools(parent: pl.DataFrame, params: Params, dataset: str) -> _Pools:
    key = (params.date_start, params.date_end)
    with _pool_lock:
        for frame, k, pools in _pool_cache:
            if frame is parent and k == key:
                return pools
    pools = _build_pools(parent, params, dataset)
    with _pool_lock:
        _pool_cache.append((parent, key, pools))
        del _pool_cache[:-4]
    return pools


def _build_pools(parent: pl.DataFrame, params: Params, dataset: str) -> _Pools:
    reasons = _reasons()
    birth = parent["birth_date"].to_physical().to_numpy().astype(np.int64)
    female = parent["sex"].cast(pl.String).to_numpy() == "female"
    everyone = np.argsort(birth, kind="stable")
    orders = {
        "any": everyone,
        "female": everyone[female[everyone]],
        "male": everyone[~female[everyone]],
    }
    flat_parts = list(orders.values())
    offsets = {"any": 0, "female": len(everyone), "male": len(everyone) + len(orders["female"])}
    used = offsets["male"] + len(orders["male"])
    # Who has which condition: the patients' codes, exploded.
    codes = (
        parent.select(pl.int_range(pl.len()).alias("p"), pl.col("condition_codes").str.split(SEP))
        .explode("condition_codes")
        .filter(pl.col("condition_codes") != "")
    )
    holders = {
        c: g["p"].to_numpy()
        for (c,), g in codes.partition_by("condition_codes", as_dict=True).items()
    }
    start, end = params.date_start.date(), params.date_end.date()
    starts, sizes = [], []
    for sex, lo, hi, need in reasons.select("sex", "min_age", "max_age", "requires").iter_rows():
        # Old enough at the start of the range, young enough at its end.
        latest = _epoch_days(_years_before(start, int(lo)))
        earliest = _epoch_days(_years_before(end, int(hi) + 1))
        if need:
            who = holders.get(need, np.zeros(0, dtype=np.int64))
            ok = (birth[who] <= latest) & (birth[who] > earliest)
            if sex != "any":
                ok &= female[who] == (sex == "female")
            pool = who[ok]
            starts.append(used)
            sizes.append(len(pool))
            flat_parts.append(pool)
            used += len(pool)
        else:
            order = orders[sex]
            sorted_birth = birth[order]
            a = int(np.searchsorted(sorted_birth, earliest, side="right"))
            b = int(np.searchsorted(sorted_birth, latest, side="right"))
            starts.append(offsets[sex] + a)
            sizes.append(max(b - a, 0))
    size = np.array(sizes, dtype=np.int64)
    # Reason weights per specialty and month of the (northern) year.
    spec = reasons["specialty"].cast(_SPECIALTY).to_physical().to_numpy().astype(np.int64)
    weight = reasons["weight"].to_numpy() * (size > 0)
    peak = reasons["peak_month"].to_numpy().astype(np.float64)
    amp = reasons["seasonality"].to_numpy()
    month = np.arange(12, dtype=np.float64)[:, None] + 1.0
    season = np.where(
        peak > 0, np.maximum(1.0 + amp * np.cos(2 * np.pi * (month - peak) / 12.0), 0.1), 1.0
    )
    keys, targets = [], []
    for g_spec, name in enumerate(SPECIALTIES):
        rows_s = np.flatnonzero(spec == g_spec)
        if weight[rows_s].sum() <= 0:
            msg = (
                f"dataset {dataset!r}: none of the {parent.height:,} patients fits a "
                f"{name} visit; use more patients (custom_params['patients'])"
            )
            raise InvalidParameterError(msg)
        for m in range(12):
            w = weight[rows_s] * season[m, rows_s]
            cdf = np.cumsum(w) / w.sum()
            cdf[-1] = 1.0
            keys.append(g_spec * 12 + m + cdf)
            targets.append(rows_s)
    return _Pools(
        np.concatenate(flat_parts),
        np.array(starts, dtype=np.int64),
        size,
        np.concatenate(keys),
        np.concatenate(targets),
        birth,
        female,
    )


#: Visit type by reason kind: (new, follow-up, urgent, routine).
_TYPE_BY_KIND = {
    "chronic": (0.15, 0.85, 0.0, 0.0),
    "acute": (0.45, 0.0, 0.55, 0.0),
    "preventive": (0.0, 0.0, 0.0, 1.0),
}


@dataclass(frozen=True, repr=False)
class _Visits(CallRepr, GroupSampler):
    """Reason (by specialty and season), patient (among those it fits), visit type and
    booking time of each appointment."""

    _factory = "visits"

    @property
    def given(self) -> tuple[str, ...]:  # type: ignore[override]
        return ("specialty", "scheduled_at", "_south")

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        reasons = _reasons()
        return {
            "reason_code": pl.Enum(sorted(set(reasons["code"].to_list()))),
            "reason": pl.String(),
            "visit_type": pl.Enum(list(_VISIT_TYPES)),
            "patient_id": pl.String(),
            "patient_birth_date": pl.Date(),
            "patient_sex": _SEX,
            "lead_time_days": pl.Int64(),
            "booked_at": pl.Datetime("us"),
        }

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        u_reason, u_patient, u_type, u_lead, u_book = rng.random((ctx.n, 5)).T
        parent = ctx.parent(
            "patients",
            default_patients(ctx.params),
            columns=["sex", "birth_date", "condition_codes"],
        )
        pools = _pools(parent, ctx.params, ctx.dataset)
        reasons = _reasons()
        spec = ctx.frame["specialty"].cast(_SPECIALTY).to_physical().to_numpy().astype(np.int64)
        when = ctx.frame["scheduled_at"].to_physical().to_numpy().astype(np.int64)
        day = when // (86_400 * _US)
        month = day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
        month = (month + 6 * ctx.frame["_south"].to_numpy()) % 12
        at = np.searchsorted(pools.keys, spec * 12 + month + u_reason, side="right")
        reason = pools.reason[np.minimum(at, len(pools.reason) - 1)]
        patient = pools.flat[
            pools.start[reason] + np.floor(u_patient * pools.size[reason]).astype(np.int64)
        ]
        kind = reasons["kind"].to_numpy()[reason]
        probs = np.array([_TYPE_BY_KIND[k] for k in ("chronic", "acute", "preventive")])
        kind_id = np.searchsorted(np.array(["acute", "chronic", "preventive"]), kind)
        kind_id = np.array([1, 0, 2])[kind_id]  # acute, chronic, preventive → table rows
        cdf = np.cumsum(probs, axis=1)
        vtype = _pick(cdf[kind_id], u_type)
        # Lead times: log-logistic around a median by visit type (and specialty for new
        # patients); urgent visits are seen the same day or within two.
        new_median = np.array([v[2] for v in SPECIALTIES.values()])[spec]
        median = np.select([vtype == 0, vtype == 1, vtype == 3], [new_median, 28.0, 21.0], 0.7)
        odds = u_lead / (1.0 - u_lead)
        lead = np.where(vtype == 2, np.floor(-np.log1p(-u_lead) * 0.8), median * odds**0.45)
        lead = np.minimum(np.floor(lead), np.where(vtype == 2, 2, _MAX_LEAD_DAYS)).astype(np.int64)
        start_minute = (when // (60 * _US)) % (24 * 60)
        # Booked between 07:00 and 19:00, and at least 30 minutes ahead on the day.
        latest = np.where(lead > 0, 19 * 60, start_minute - 30)
        book_minute = 7 * 60 + np.floor(u_book * (latest - 7 * 60)).astype(np.int64)
        booked = ((day - lead) * 24 * 60 + book_minute) * 60 * _US
        codes = reasons["code"]
        out: dict[str, SampleOutput] = {
            "reason_code": codes.gather(reason),
            "reason": reasons["description"].gather(reason),
            "visit_type": pl.Series(list(_VISIT_TYPES), dtype=pl.Enum(list(_VISIT_TYPES))).gather(
                vtype
            ),
            "patient_id": _patient_keys(patient),
            "patient_birth_date": pl.Series(pools.birth[patient].astype("datetime64[D]")),
            "patient_sex": pl.Series(
                np.where(pools.female[patient], "female", "male"), dtype=pl.String
            ).cast(_SEX),
            "lead_time_days": lead,
            "booked_at": pl.Series(booked).cast(pl.Datetime("us")),
        }
        return {f: out[f] for f in fields}


def _patient_keys(index: Array) -> pl.Series:
    """Patient keys (PAT-00000001, ...) of 0-based patient rows."""
    return pl.Series(index + 1).cast(pl.String).str.zfill(8).str.replace("^", "PAT-")


@dataclass(frozen=True, repr=False)
class _Statuses(CallRepr, Sampler):
    """completed, cancelled or no-show (scheduled after the reference date)."""

    _factory = "statuses"

    @property
    def given(self) -> tuple[str, ...]:  # type: ignore[override]
        return ("scheduled_at", "lead_time_days", "patient_age", "visit_type", "specialty")

    def dtype(self, params: Params) -> pl.DataType:
        return pl.Enum(list(_STATUSES))

    def sample(self, rng: np.random.Generator, ctx: ChunkContext) -> pl.Series:
        u = rng.random(ctx.n)
        f = ctx.frame
        lead = f["lead_time_days"].to_numpy().astype(np.float64)
        age = f["patient_age"].to_numpy().astype(np.float64)
        urgent = f["visit_type"].cast(pl.String).to_numpy() == "urgent"
        # Cancellations grow with the lead time (plans change). No-shows: the
        # specialty's published rate (no_show_rates.parquet: psychiatry and pediatrics
        # miss most, urology and primary care least) among the visits not cancelled,
        # more with a long lead (England's GPs: 1.9 % same day, 8.9 % beyond a week) and
        # among young adults (NHS outpatients: men of 20–29 miss most), fewer among the
        # old; urgent cases seldom miss.
        p_cancel = 0.05 + 0.12 * (1.0 - np.exp(-lead / 30.0))
        spec = f["specialty"].cast(_SPECIALTY).to_physical().to_numpy().astype(np.int64)
        age_factor = np.select([age < 18, age < 35, age >= 65], [0.9, 1.5, 0.7], 1.0)
        lead_factor = 0.6 + 0.8 * (1.0 - np.exp(-lead / 14.0))
        rate = _no_show_rates()[spec] * lead_factor * age_factor
        p_no_show = np.clip(np.where(urgent, 0.02, rate), 0.0, 0.95) * (1.0 - p_cancel)
        now = np.datetime64(ctx.params.reference_date, "D") + np.timedelta64(1, "D")
        future = f["scheduled_at"].to_numpy() >= now.astype("datetime64[us]")
        code = np.where(
            u < p_cancel, 1, np.where(future, 3, np.where(u < p_cancel + p_no_show, 2, 0))
        )
        return pl.Series(list(_STATUSES), dtype=self.dtype(ctx.params)).gather(code)


@cache
def _no_show_rates() -> Array:
    """Published no-show rate of each specialty, in SPECIALTIES order."""
    table = load("no_show_rates")
    rates = dict(zip(table["specialty"].to_list(), table["rate"].to_list(), strict=True))
    return np.array([rates[name] for name in SPECIALTIES], dtype=np.float64)


def _reason_table() -> dict[str, Any]:
    r = _reasons()
    pair = pl.concat_str(pl.col("specialty"), pl.lit("|"), pl.col("code"))
    pairs = r.select(pair.alias("k"), "min_age", "max_age", "sex", "description")
    return {
        "pairs": pairs["k"].to_list(),
        "min_age": dict(zip(pairs["k"], pairs["min_age"], strict=True)),
        "max_age": dict(zip(pairs["k"], pairs["max_age"], strict=True)),
        "sex": dict(zip(pairs["k"], pairs["sex"], strict=True)),
        "description": dict(zip(r["code"], r["description"], strict=True)),
    }


_start_minute = pl.col("scheduled_at").dt.hour().cast(pl.Int32) * 60 + pl.col(
    "scheduled_at"
).dt.minute().cast(pl.Int32)
_end = pl.col("scheduled_at") + pl.duration(minutes=pl.col("duration_min"))
_slot_of = (
    pl.col("specialty")
    .cast(pl.String)
    .replace_strict({k: v[1] for k, v in SPECIALTIES.items()}, return_dtype=pl.Int64)
)


def _appointment_checks() -> list[Any]:
    table = _reason_table()
    pair = pl.concat_str(
        pl.col("specialty").cast(pl.String), pl.lit("|"), pl.col("reason_code").cast(pl.String)
    )
    in_session = pl.any_horizontal(
        (_start_minute >= b) & (_start_minute + pl.col("duration_min") <= e)
        for b, e in CLINIC_HOURS
    )
    return [
        check("appointment_id_unique", pl.col("appointment_id").is_unique()),
        check(
            "sorted_by_scheduled_at",
            pl.col("scheduled_at")
            >= pl.col("scheduled_at").shift(1).fill_null(pl.col("scheduled_at")),
        ),
        check(
            "weekly_days_off",
            pl.col("scheduled_at").dt.weekday().n_unique().over("clinic_city") <= 6,
            "A clinic keeps its country's weekend (Saturday and Sunday, Friday and "
            "Saturday in Saudi Arabia, ...).",
        ),
        check(
            "within_clinic_hours",
            in_session,
            "Starts and ends within one session: 08:00–12:00 or 13:00–17:00 local time.",
        ),
        check(
            "doctor_never_double_booked",
            pl.struct("doctor_id", "scheduled_at").is_unique()
            & (
                pl.col("scheduled_at").shift(-1).over("doctor_id", order_by="scheduled_at") >= _end
            ).fill_null(True),
            "A doctor's next appointment starts when the previous one has ended.",
        ),
        check(
            "duration_fits_slot",
            pl.col("duration_min").is_between(10, _slot_of),
        ),
        check(
            "reason_matches_specialty",
            pair.is_in(table["pairs"]),
            "The reason is one the doctor's specialty sees (visit_reasons.parquet).",
        ),
        check(
            "reason_describes_code",
            pl.col("reason_code").cast(pl.String).replace_strict(table["description"], default="")
            == pl.col("reason"),
        ),
        check(
            "patient_fits_reason_age",
            pl.col("patient_age").is_between(
                pair.replace_strict(table["min_age"], default=None, return_dtype=pl.Int64),
                pair.replace_strict(table["max_age"], default=None, return_dtype=pl.Int64),
            ),
            "Children at pediatrics, prenatal care from 16 to 45, ... (age at the visit).",
        ),
        check(
            "patient_fits_reason_sex",
            (pair.replace_strict(table["sex"], default="any") == "any")
            | (
                pair.replace_strict(table["sex"], default="any")
                == pl.col("patient_sex").cast(pl.String)
            ),
            "Gynecology and pregnancy visits for women, prostate visits for men.",
        ),
        check("booked_before", pl.col("booked_at") < pl.col("scheduled_at")),
        check(
            "lead_time_is_days_before",
            (pl.col("scheduled_at").dt.date() - pl.col("booked_at").dt.date()).dt.total_days()
            == pl.col("lead_time_days"),
        ),
        check(
            "urgent_is_soon",
            (pl.col("visit_type") != "urgent") | (pl.col("lead_time_days") <= 2),
        ),
    ]


appointments = register(
    Dataset(
        "appointments",
        domain="healthcare",
        description="Outpatient appointments of a group of clinics: who saw which doctor "
        "when, why, booked how far ahead, and whether they came. Sorted by time; ids grow "
        "with it.",
        key="appointment_id",
        parents={"patients": "patients"},
        date_span_days=365,
        depends_on_rows=(
            "scheduled_at",
            "doctor_id",
            "specialty",
            "clinic_city",
            "timezone",
            "duration_min",
            "reason_code",
            "reason",
            "visit_type",
            "patient_id",
            "patient_age",
            "patient_sex",
            "lead_time_days",
            "booked_at",
            "status",
        ),
        parameters={
            "doctors": Parameter(
                "Doctors (default: enough for the rows with the busiest days about 95 % "
                "booked); each has one specialty, fixed by its number.",
                high=100_000,
            ),
            "patients": Parameter(
                "Patients referred to (default rows / 4, 100 to 1,000,000); they are "
                "the patients table of the same seed, generated whole.",
                high=MAX_PARENT_ROWS,
            ),
        },
        notes="scheduled_at is the clinic's local wall-clock time (zone in the timezone "
        "column): on the working days of the clinic's country (its weekend: Saturday and "
        "Sunday, Friday and Saturday in Saudi Arabia), never on the country's public "
        "holidays nor on its state's (a Bavarian clinic closes on Corpus Christi, a Berlin "
        "one opens), 08:00–12:00 and 13:00–17:00, in slots of the "
        "specialty's length (15 minutes in family medicine, 45 in psychiatry). Each row "
        "takes a distinct (doctor, open day, slot), so no doctor is booked twice; rows "
        "are in time order. How full a day is follows England's general practice (NHS "
        "England, Appointments in General Practice; appointment_fill.parquet): Monday "
        "the busiest weekday (22 % of a week's appointments), Friday the quietest (18 %), "
        "winter and October above summer, August the quietest month, December below "
        "November and January; other countries take the same profile, turned to their "
        "own week (the first working day after the weekend is the busiest). Doctors' "
        "specialties follow outpatient shares and are fixed by the doctor's number; "
        "clinic cities are among the country's 20 largest. Reasons (ICD-10-CM) are drawn for the "
        "specialty, with monthly seasonality by hemisphere: respiratory infections and "
        "influenza peak in winter, hay fever in spring, flu shots in autumn. Patients "
        "are drawn among the patients table (same seed) that fit the reason: sex, age at "
        "the visit, and, for follow-ups of a chronic condition, having that condition. "
        "Lead times: urgent 0–2 days, follow-ups about 4 weeks, new patients days (family "
        "medicine) to weeks (specialists); cancellations grow with the lead time, and "
        "no-shows follow the specialty's published rate (no_show_rates.parquet: about 6 % "
        "in primary care, 30 % in psychiatry and pediatrics), more with a long lead and "
        "among young adults. Every column but appointment_id depends on the row count "
        "(the calendar is shared out among the rows, and the default number of doctors "
        "— enough to book the busiest days about 95 % — and patients follows it).",
        columns=[
            col(
                "appointment_id",
                APPOINTMENT_ID,
                description="Appointment key, APT-0000000001 upwards in time order.",
            ),
            group(
                "slot",
                Slots(),
                columns={
                    "scheduled_at": "scheduled_at",
                    "doctor_id": "doctor_id",
                    "specialty": "specialty",
                    "clinic_city": "clinic_city",
                    "timezone": "timezone",
                    "_slot_minutes": "slot_minutes",
                    "_south": "south",
                },
                hidden=["_slot_minutes", "_south"],
                descriptions={
                    "scheduled_at": "Start, local wall-clock time of the clinic (see "
                    "timezone); rows are sorted by it.",
                    "doctor_id": "The doctor (DOC-00001 …); never booked twice at once.",
                    "specialty": "The doctor's specialty (fixed per doctor).",
                    "clinic_city": "City of the doctor's clinic.",
                    "timezone": "IANA time zone of the clinic.",
                },
            ),
            group(
                "visit",
                _Visits(),
                columns={
                    "patient_id": "patient_id",
                    "_patient_birth_date": "patient_birth_date",
                    "patient_sex": "patient_sex",
                    "reason_code": "reason_code",
                    "reason": "reason",
                    "visit_type": "visit_type",
                    "lead_time_days": "lead_time_days",
                    "booked_at": "booked_at",
                },
                hidden=["_patient_birth_date"],
                descriptions={
                    "patient_id": "The patient, a patients key (same seed) who fits the reason.",
                    "patient_sex": "The patient's sex at birth (from patients).",
                    "reason_code": "Reason for the visit, a billable ICD-10-CM code that the "
                    "specialty sees.",
                    "reason": "Official ICD-10-CM description of reason_code.",
                    "visit_type": "new, follow-up (of a chronic condition), urgent or "
                    "routine (check-ups, screening, vaccination).",
                    "lead_time_days": "Days between booking and the visit (calendar days).",
                    "booked_at": "When it was booked (local time), before scheduled_at.",
                },
            ),
            col(
                "patient_age",
                (
                    pl.col("scheduled_at").dt.year().cast(pl.Int64)
                    - pl.col("_patient_birth_date").dt.year().cast(pl.Int64)
                    - (
                        pl.col("scheduled_at").dt.month().cast(pl.Int32) * 100
                        + pl.col("scheduled_at").dt.day().cast(pl.Int32)
                        < pl.col("_patient_birth_date").dt.month().cast(pl.Int32) * 100
                        + pl.col("_patient_birth_date").dt.day().cast(pl.Int32)
                    ).cast(pl.Int64)
                ),
                description="The patient's age in whole years on the day of the visit.",
            ),
            col(
                "duration_min",
                pl.when(pl.col("visit_type").is_in(["new", "routine"]))
                .then(pl.col("_slot_minutes"))
                .otherwise(
                    ((pl.col("_slot_minutes") * 2 / 3 / 5).round(0) * 5)
                    .cast(pl.Int64)
                    .clip(10, pl.col("_slot_minutes"))
                ),
                description="Booked length in minutes: the specialty's slot for new and "
                "routine visits, about two thirds of it for follow-ups and urgent ones.",
            ),
            col(
                "status",
                _Statuses(),
                description="completed, cancelled, no-show, or scheduled (after the "
                "reference date); no-shows at the specialty's published rate, more with "
                "a long lead; cancellations grow with the lead time.",
            ),
        ],
        checks=_appointment_checks(),
    )
)
