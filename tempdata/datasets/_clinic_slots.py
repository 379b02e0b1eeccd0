"""The doctors of the ``appointments`` dataset and the slots of their clinics' calendars.

Doctors have a fixed specialty (a low-discrepancy sequence over the specialty shares), a
clinic city among the country's 20 largest (the world's for ``global``) and the slot
length of their specialty. A clinic opens 08:00–12:00 and 13:00–17:00 local time on its
country's working days and closes on its country's and its state's public holidays
(:func:`tempdata.calendar.clinics.clinic_days`). Each day holds the slots of the doctors
whose clinic is open, in time order (then doctor).

Row ``i`` of ``rows`` takes a distinct slot, so no doctor is ever booked twice, and rows
stay in time order whatever the chunking: the rows are shared out among the days in
proportion to the day's fill (the weekday × month factor of England's general practice,
``appointment_fill.parquet``) × its open slots, varied as a Poisson count of that mean
would vary (patients book independently), never more rows than slots (a full day's
surplus goes to the others), rounded to whole rows once for the whole range; the ``r``-th
of a day's ``n`` rows takes a slot in the ``r``-th of ``n`` equal parts of the day.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import numpy as np
import polars as pl

from tempdata.calendar.clinics import clinic_days, fill_factors
from tempdata.calendar.groups import place_groups
from tempdata.core.plan import ChunkContext, GroupSampler, Params, SampleOutput
from tempdata.datasets._cities import top_cities
from tempdata.errors import InvalidParameterError
from tempdata.geo.countries import GLOBAL, resolve_country
from tempdata.geo.reference import load
from tempdata.samplers.base import Array, CallRepr

__all__ = [
    "CLINIC_HOURS",
    "SPECIALTIES",
    "SPECIALTY",
    "Slots",
    "doctor_specialties",
]

#: Specialty → (share of doctors, slot length in minutes, median lead time in days
#: for a new patient). Shares follow the specialty mix of outpatient physicians
#: (AAMC/Eurostat, rounded); waits are typical of public surveys of appointment waits.
SPECIALTIES: dict[str, tuple[float, int, float]] = {
    "Family Medicine": (0.30, 15, 4.0),
    "Pediatrics": (0.10, 15, 3.0),
    "Cardiology": (0.06, 30, 28.0),
    "Endocrinology": (0.04, 30, 35.0),
    "Pulmonology": (0.04, 30, 28.0),
    "Dermatology": (0.06, 15, 35.0),
    "Orthopedics": (0.07, 20, 21.0),
    "Gastroenterology": (0.04, 30, 30.0),
    "Neurology": (0.04, 30, 40.0),
    "Psychiatry": (0.06, 45, 30.0),
    "Obstetrics and Gynecology": (0.08, 20, 14.0),
    "Urology": (0.03, 20, 25.0),
    "Rheumatology": (0.03, 30, 35.0),
}
SPECIALTY = pl.Enum(list(SPECIALTIES))
#: Clinic sessions, minutes after local midnight: 08:00–12:00 and 13:00–17:00, on the
#: country's working days.
CLINIC_HOURS = ((8 * 60, 12 * 60), (13 * 60, 17 * 60))
#: How full the default number of doctors books the busiest days (a Monday in October).
_PEAK_UTILISATION = 0.95
_GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0
_CLINIC_CITIES = 20
_US = 1_000_000
_SLOT_MINUTES = np.array([v[1] for v in SPECIALTIES.values()], dtype=np.int64)


def doctor_specialties(doctors: int) -> Array:
    """Specialty (index into :data:`SPECIALTIES`) of doctors ``0..doctors-1``: a
    golden-ratio sequence over the shares, so any number of doctors holds each
    specialty close to its share and adding doctors never changes earlier ones.

    >>> doctor_specialties(6).tolist()
    [5, 0, 10, 2, 0, 7]
    """
    shares = np.array([v[0] for v in SPECIALTIES.values()])
    cdf = np.cumsum(shares) / shares.sum()
    x = ((np.arange(doctors, dtype=np.float64) + 1.0) * _GOLDEN) % 1.0
    return np.minimum(np.searchsorted(cdf, x, side="right"), len(shares) - 1)


class _Template(NamedTuple):
    """One working day of every doctor's slots, in time order (then doctor)."""

    doctor: Array
    minute: Array


@cache
def _template(doctors: int) -> _Template:
    spec = doctor_specialties(doctors)
    length = _SLOT_MINUTES[spec]
    docs, minutes = [], []
    for start, end in CLINIC_HOURS:
        # every doctor's slots of the session: doctor d has (end - start) // length[d]
        count = (end - start) // length
        doc = np.repeat(np.arange(doctors, dtype=np.int64), count)
        first = np.cumsum(count) - count
        k = np.arange(len(doc), dtype=np.int64) - np.repeat(first, count)
        docs.append(doc)
        minutes.append(start + k * length[doc])
    doc, minute = np.concatenate(docs), np.concatenate(minutes)
    order = np.lexsort((doc, minute))
    return _Template(doc[order], minute[order])


def _slots_per_doctor() -> float:
    """Average slots a day per doctor, over the specialty shares."""
    shares = np.array([v[0] for v in SPECIALTIES.values()])
    per_day = [sum((e - b) // int(m) for b, e in CLINIC_HOURS) for m in _SLOT_MINUTES]
    return float(np.dot(shares / shares.sum(), per_day))


def _open_days(params: Params) -> int:
    """Days the clinics of a one-country dataset open (national calendar); Monday to
    Friday for ``global``. Only sizes the default number of doctors."""
    first, last = params.date_start.date(), params.date_end.date()
    country = resolve_country(params.country)
    if country == GLOBAL:
        days = np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + 1)
        return int(np.is_busday(days).sum())
    return int((clinic_days(country, None, first, last) > 0).sum())


@cache
def _default_doctors(rows: int, days: int) -> int:
    if days == 0:
        return 1
    weekday, month = fill_factors()
    peak = float(weekday.max() * month.max())  # the busiest day against an average one
    doctors = max(3, math.ceil(rows * peak / (_PEAK_UTILISATION * days * _slots_per_doctor())))
    while len(_template(doctors).doctor) * days < rows:
        doctors += 1
    return doctors


def doctors_of(params: Params) -> int:
    """Doctors of the dataset: ``custom_params["doctors"]``, else enough for the rows
    with the busiest days about 95 % booked."""
    value = params.get("doctors", None)
    if value is not None:
        return int(value)
    return _default_doctors(params.rows, _open_days(params))


class _Clinics(NamedTuple):
    """Per doctor: clinic city (index into ``names``), latitude and calendar group."""

    city: Array
    lat: Array
    group: Array  # index into place_groups(country)[0]
    names: Array  # city names
    zones: Array  # their time zones


@cache
def _clinics(country: str, doctors: int, seed: int) -> _Clinics:
    top = top_cities(country, _CLINIC_CITIES)
    u = np.random.default_rng(seed).random(doctors)
    pick = np.minimum(np.searchsorted(top.cum, u, side="right"), len(top.cum) - 1)
    zones = load("cities", columns=("timezone",))["timezone"].to_numpy()[top.key]
    group = place_groups(country)[1][top.key]
    return _Clinics(pick, top.lat[pick], group[pick], np.array(top.city, dtype=object), zones)


class _Calendar(NamedTuple):
    """The clinics' open days and the rows each one takes."""

    days: Array  # days with a clinic open, datetime64[D]
    cum_rows: Array  # rows before each day (one more entry: all rows)
    rows: Array  # rows of each day
    slots: Array  # open slots of each day
    start: Array  # where each day's slots begin in `flat`, or -1: every slot is open
    flat: Array  # slot numbers (into the template) of the days with a clinic closed


def _share_out(rows: int, weight: Array, capacity: Array) -> Array:
    """Whole rows per day, in proportion to ``weight`` and at most ``capacity`` (whose
    sum is at least ``rows``): a full day's surplus is shared among the others, then the
    largest remainders round."""
    target = rows * weight / weight.sum()
    full = np.zeros(len(weight), dtype=bool)
    while (over := ~full & (target > capacity)).any():
        full |= over
        free = ~full & (weight > 0)
        if not free.any():
            target = capacity.astype(np.float64)
            break
        rest = rows - capacity[full].sum()
        target = np.where(full, capacity, rest * weight / weight[free].sum() * free)
    whole: Array = np.minimum(np.floor(target), capacity).astype(np.int64)
    short = rows - int(whole.sum())
    remainder = np.where(whole < capacity, whole - target, np.inf)  # largest first
    whole[np.lexsort((np.arange(len(target)), remainder))[:short]] += 1
    return whole


@cache
def _calendar(
    country: str, first: dt.date, last: dt.date, rows: int, doctors: int, seed: int
) -> _Calendar:
    clinics = _clinics(country, doctors, seed)
    template = _template(doctors)
    groups = place_groups(country)[0]
    used = np.unique(clinics.group)
    # fill[g, day]: the group's fill factor that day, 0 when its clinics are closed
    fill = np.zeros((len(groups), (last - first).days + 1))
    for g in used:
        fill[g] = clinic_days(groups[g].country, groups[g].subdivision, first, last)
    slot_group = clinics.group[template.doctor]
    per_group = np.bincount(slot_group, minlength=len(groups)).astype(np.float64)
    is_open = fill > 0
    capacity = per_group @ is_open
    weight = per_group @ fill
    keep = np.flatnonzero(capacity > 0)
    capacity, weight, is_open = capacity[keep].astype(np.int64), weight[keep], is_open[:, keep]
    days = np.datetime64(first, "D") + keep
    if capacity.sum() < rows:  # no rows: the sampler says what would fit
        none = np.zeros(0, dtype=np.int64)
        return _Calendar(days, none, none, capacity, none, none)
    # Patients ask for appointments independently: a day's bookings vary around its
    # expected count as a Poisson count would (a gamma draw of that mean), fixed per seed.
    expected = rows * weight / weight.sum()
    weight = np.random.default_rng([seed, 1]).gamma(expected) / expected * weight
    day_rows = _share_out(rows, weight, capacity)
    # Days when some clinics are closed list their open slots; the others use the template.
    start = np.full(len(keep), -1, dtype=np.int64)
    parts, used_slots = [], 0
    partial = np.flatnonzero(capacity < len(template.doctor))
    masks = {}
    for d in partial:
        key = is_open[:, d].tobytes()
        if key not in masks:
            masks[key] = used_slots
            part = np.flatnonzero(is_open[slot_group, d])
            parts.append(part)
            used_slots += len(part)
        start[d] = masks[key]
    flat = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    cum = np.concatenate([[0], np.cumsum(day_rows)])
    return _Calendar(days, cum, day_rows, capacity, start, flat)


@dataclass(frozen=True, repr=False)
class Slots(CallRepr, GroupSampler):
    """A distinct (doctor, open day, slot) per row, in time order."""

    _factory = "slots"

    def schema(self, params: Params) -> dict[str, pl.DataType]:
        return {
            "scheduled_at": pl.Datetime("us"),
            "doctor": pl.Int64(),
            "doctor_id": pl.String(),
            "specialty": SPECIALTY,
            "slot_minutes": pl.Int64(),
            "clinic_city": pl.String(),
            "timezone": pl.String(),
            "south": pl.Boolean(),
        }

    def sample(
        self, rng: np.random.Generator, ctx: ChunkContext, fields: Sequence[str]
    ) -> Mapping[str, SampleOutput]:
        params = ctx.params
        country = resolve_country(params.country)
        doctors = doctors_of(params)
        key = ctx.seeder.context_seed(f"{ctx.dataset}.clinics")
        first, last = params.date_start.date(), params.date_end.date()
        cal = _calendar(country, first, last, params.rows, doctors, key)
        if len(cal.rows) == 0:
            msg = (
                f"dataset {ctx.dataset!r}: {params.rows:,} appointments do not fit the "
                f"{int(cal.slots.sum()):,} slots of {doctors:,} doctors on the "
                f"{len(cal.days):,} days their clinics open from {first} to {last}; give "
                "more doctors (custom_params['doctors']) or a longer date_range"
            )
            raise InvalidParameterError(msg)
        template = _template(doctors)
        i = ctx.row_index()
        # Row i is the r-th of its day's n rows and takes a slot in the r-th of n equal
        # parts of the day's open slots: distinct slots, in time order.
        day = np.searchsorted(cal.cum_rows, i, side="right") - 1
        r = i - cal.cum_rows[day]
        n, slots = cal.rows[day], cal.slots[day]
        base = r * slots // n
        j = base + np.floor(rng.random(ctx.n) * ((r + 1) * slots // n - base)).astype(np.int64)
        start = cal.start[day]
        partial = start >= 0  # days with a clinic closed: their own list of open slots
        if partial.any():
            j[partial] = cal.flat[start[partial] + j[partial]]
        doctor = template.doctor[j]
        minutes = template.minute[j]
        micros = cal.days[day].astype("datetime64[us]").astype(np.int64) + minutes * 60 * _US
        spec = doctor_specialties(doctors)[doctor]
        clinics = _clinics(country, doctors, key)
        city = clinics.city[doctor]
        out: dict[str, SampleOutput] = {
            "scheduled_at": pl.Series(micros).cast(pl.Datetime("us")),
            "doctor": doctor,
            "doctor_id": pl.Series(doctor + 1)
            .cast(pl.String)
            .str.zfill(5)
            .str.replace("^", "DOC-"),
            "specialty": pl.Series(list(SPECIALTIES), dtype=SPECIALTY).gather(spec),
            "slot_minutes": _SLOT_MINUTES[spec],
            "clinic_city": pl.Series(clinics.names[city], dtype=pl.String),
            "timezone": pl.Series(clinics.zones[city], dtype=pl.String),
            "south": clinics.lat[doctor] < 0,
        }
        return {f: out[f] for f in fields}
