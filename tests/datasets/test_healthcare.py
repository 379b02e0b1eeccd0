"""patients and appointments: their invariants catch broken data, and the tables look
like what a clinician or a health-data analyst would expect."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

import tempdata
from tempdata.datasets import registry
from tempdata.datasets.healthcare import (
    CLINIC_HOURS,
    SEP,
    SPECIALTIES,
    default_patients,
    doctor_specialties,
)
from tempdata.errors import InvalidParameterError
from tempdata.geo.reference import load
from tempdata.quality.checks import evaluate

ROWS = 60_000  # two chunks
YEAR = ("2024-01-01", "2024-12-31")


@pytest.fixture(scope="module")
def us() -> pl.DataFrame:
    return tempdata.generate("patients", rows=ROWS, seed=7, country="united_states")


@pytest.fixture(scope="module")
def world() -> pl.DataFrame:
    return tempdata.generate("patients", rows=ROWS, seed=7)


@pytest.fixture(scope="module")
def visits() -> pl.DataFrame:
    return tempdata.generate(
        "appointments",
        rows=ROWS,
        seed=9,
        country="united_states",
        date_range=YEAR,
        custom_params={"doctors": 60},  # every specialty
    )


def _codes(frame: pl.DataFrame, column: str = "condition_codes") -> pl.Series:
    values = frame[column].str.split(SEP).explode()
    return values.filter(values != "")


def _share(frame: pl.DataFrame, code: str) -> float:
    return float(
        frame.select(pl.col("condition_codes").str.contains(code, literal=True).mean()).item()
    )


# -- invariants ----------------------------------------------------------------------


def test_patients_pass_their_checks(us: pl.DataFrame, world: pl.DataFrame) -> None:
    for frame in (us, world):
        report = evaluate(frame, registry.get("patients"))
        assert report.ok, report.failures()
        assert report.skipped == ()


def test_appointments_pass_their_checks(visits: pl.DataFrame) -> None:
    report = evaluate(visits, registry.get("appointments"))
    assert report.ok, report.failures()


def test_patient_checks_catch_broken_rows(us: pl.DataFrame) -> None:
    patients = registry.get("patients")
    three = pl.int_range(pl.len()) < 3
    heavier = us.with_columns(
        weight_kg=pl.when(three).then(pl.col("weight_kg") + 5).otherwise(pl.col("weight_kg"))
    )
    assert evaluate(heavier, patients).failures() == {"bmi_is_weight_over_height_squared": 3}
    fake = us.with_columns(
        condition_codes=pl.when(three)
        .then(pl.lit("I10; X99.9"))
        .otherwise(pl.col("condition_codes"))
    )
    failures = evaluate(fake, patients).failures()
    assert failures["condition_codes_exist"] == 3
    untreated = us.filter(pl.col("condition_codes") == "").head(2)
    wrong = untreated.with_columns(medications=pl.lit("Metformin 500 mg twice daily"))
    assert evaluate(wrong, patients).failures() == {"medications_treat_conditions": 2}
    men = us.filter((pl.col("sex") == "male") & (pl.col("condition_codes") == "")).head(2)
    pcos = men.with_columns(
        condition_codes=pl.lit("E28.2"), conditions=pl.lit("Polycystic ovarian syndrome")
    )
    assert evaluate(pcos, patients).failures() == {"sex_specific_conditions": 2}
    slim = (
        us.filter(pl.col("bmi") < 25)
        .head(2)
        .with_columns(condition_codes=pl.lit("E66.813"), conditions=pl.lit("Obesity, class 3"))
    )
    assert evaluate(slim, patients).failures() == {"bmi_fits_e66_813": 2}


def test_appointment_checks_catch_double_booking(visits: pl.DataFrame) -> None:
    appointments = registry.get("appointments")
    a, b = visits.row(0, named=True), visits.row(1, named=True)
    assert a["doctor_id"] != b["doctor_id"]
    # The second row moved to the first one's doctor, five minutes into their visit.
    clash = visits.head(2).with_columns(
        doctor_id=pl.lit(a["doctor_id"]),
        specialty=pl.lit(a["specialty"]).cast(visits["specialty"].dtype),
        scheduled_at=pl.Series([a["scheduled_at"], a["scheduled_at"] + dt.timedelta(minutes=5)]),
        reason_code=pl.lit(a["reason_code"]).cast(visits["reason_code"].dtype),
        reason=pl.lit(a["reason"]),
        duration_min=pl.lit(a["duration_min"]),
        patient_age=pl.lit(a["patient_age"]),
        patient_sex=pl.lit(a["patient_sex"]).cast(visits["patient_sex"].dtype),
        booked_at=pl.lit(a["booked_at"]),
        lead_time_days=pl.lit(a["lead_time_days"]),
    )
    assert evaluate(clash, appointments).failures() == {"doctor_never_double_booked": 1}
    late = visits.head(3).with_columns(
        scheduled_at=pl.col("scheduled_at").dt.replace(hour=17, minute=30)
    )
    failures = evaluate(late, appointments).failures()
    assert failures["within_clinic_hours"] == 3


def test_appointment_checks_catch_wrong_specialty_and_patient(visits: pl.DataFrame) -> None:
    appointments = registry.get("appointments")
    cardiology = visits.filter(pl.col("specialty") == "Cardiology").head(2)
    acne = cardiology.with_columns(
        reason_code=pl.lit("L70.0").cast(visits["reason_code"].dtype),
        reason=pl.lit("Acne vulgaris"),
    )
    assert evaluate(acne, appointments).failures() == {"reason_matches_specialty": 2}
    prenatal = visits.filter(pl.col("reason_code") == "Z34.90").head(2)
    assert prenatal.height == 2
    man = prenatal.with_columns(patient_sex=pl.lit("male").cast(visits["patient_sex"].dtype))
    assert evaluate(man, appointments).failures() == {"patient_fits_reason_sex": 2}


# -- patients ----------------------------------------------------------------------


def test_codes_descriptions_and_drugs_come_from_the_reference(us: pl.DataFrame) -> None:
    conditions = load("conditions")
    assert set(_codes(us)) <= set(conditions["code"])
    assert len(set(_codes(us))) > 40  # nearly every condition shows up in 60k people
    assert conditions["code"].str.contains(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$").all()
    first = us.filter(pl.col("condition_codes") != "").row(0, named=True)
    described = dict(zip(conditions["code"], conditions["description"], strict=True))
    assert first["conditions"] == SEP.join(
        described[c] for c in first["condition_codes"].split(SEP)
    )
    meds = load("medications")
    entries = meds.select(pl.concat_str("drug", "dose", "frequency", separator=" "))
    taken = set(_codes(us, "medications"))
    assert taken <= set(entries.to_series())
    assert {e.split(" ")[0] for e in taken} >= {"Metformin", "Lisinopril", "Levothyroxine"}


def test_chronic_conditions_rise_with_age(us: pl.DataFrame) -> None:
    counted = us.with_columns(
        n=pl.when(pl.col("condition_codes") == "")
        .then(0)
        .otherwise(pl.col("condition_codes").str.count_matches(SEP, literal=True) + 1),
        band=pl.col("age").clip(0, 80) // 20,
    )
    means = counted.group_by("band").agg(pl.col("n").mean()).sort("band")["n"].to_list()
    assert means == sorted(means), means
    assert means[-1] > 3 * means[0]
    old = us.filter(pl.col("age") >= 70)
    young = us.filter(pl.col("age").is_between(18, 39))
    assert _share(old, "I10") > 0.5 > 0.15 > _share(young, "I10")
    assert _share(us.filter(pl.col("age") < 18), "I25.10") == 0.0  # no coronary disease
    # Diabetes follows BMI.
    adults = us.filter(pl.col("age") >= 40)
    assert _share(adults.filter(pl.col("bmi") >= 32), "E11.9") > 2 * _share(
        adults.filter(pl.col("bmi") < 24), "E11.9"
    )


def test_medications_treat_and_respect_allergies(us: pl.DataFrame) -> None:
    diabetics = us.filter(pl.col("condition_codes").str.contains("E11.9", literal=True))
    on_drug = diabetics["medications"].str.contains(
        "Metformin|Empagliflozin|Semaglutide|Glipizide|Sitagliptin"
    )
    assert 0.7 < on_drug.mean() < 0.95
    nobody = us.filter(pl.col("condition_codes") == "")
    assert (nobody["medications"] == "").all()
    aspirin = us.filter(pl.col("allergies").str.contains("Aspirin", literal=True))
    assert aspirin.height > 50
    assert not aspirin["medications"].str.contains("Aspirin", literal=True).any()
    cad = us.filter(pl.col("condition_codes").str.contains("I25.10", literal=True))
    assert cad["medications"].str.contains("Aspirin", literal=True).mean() > 0.3
    penicillin = us["allergies"].str.contains("Penicillin", literal=True).mean()
    assert 0.05 < penicillin < 0.1


def test_bodies_by_sex_age_and_country(us: pl.DataFrame) -> None:
    adults = us.filter(pl.col("age").is_between(25, 60))
    med = adults.group_by("sex").agg(pl.col("height_cm").median(), pl.col("bmi").median())
    by_sex = {r["sex"]: r for r in med.iter_rows(named=True)}
    assert 170 < by_sex["male"]["height_cm"] < 182
    assert 157 < by_sex["female"]["height_cm"] < 168
    assert 25 < by_sex["male"]["bmi"] < 31
    toddlers = us.filter(pl.col("age") == 2)
    assert 80 < toddlers["height_cm"].median() < 95
    assert 10 < toddlers["weight_kg"].median() < 16
    dutch = tempdata.generate("patients", rows=5_000, seed=1, country="NL")
    japanese = tempdata.generate("patients", rows=5_000, seed=1, country="japan")

    def men(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.filter((pl.col("sex") == "male") & pl.col("age").is_between(20, 50))

    assert men(dutch)["height_cm"].median() > men(japanese)["height_cm"].median() + 8
    assert men(dutch)["bmi"].median() > men(japanese)["bmi"].median() + 1


def test_demographics_follow_the_country() -> None:
    nigeria = tempdata.generate("patients", rows=10_000, seed=3, country="nigeria")
    japan = tempdata.generate("patients", rows=10_000, seed=3, country="japan")
    assert japan["age"].median() > nigeria["age"].median() + 20
    assert (nigeria["age"] < 15).mean() > 0.35
    assert (japan["age"] >= 65).mean() > 0.25
    assert set(nigeria["country"].cast(pl.String)) == {"Nigeria"}
    assert japan["phone"].str.starts_with("+81 ").all()
    blood = japan["blood_type"].value_counts(sort=True)["blood_type"].to_list()
    assert blood[0] == "A+"
    assert (japan["blood_type"].cast(pl.String).str.ends_with("-")).mean() < 0.03


def test_blood_types_and_insurance_in_the_united_states(us: pl.DataFrame) -> None:
    shares = us["blood_type"].cast(pl.String).value_counts(normalize=True)
    share = dict(zip(shares["blood_type"], shares["proportion"], strict=True))
    assert share["O+"] == pytest.approx(0.374, abs=0.015)
    assert share["AB-"] < 0.01
    seniors = us.filter(pl.col("age") >= 65)
    assert (seniors["insurance"] == "medicare").mean() > 0.85
    children = us.filter(pl.col("age") < 18)
    assert (children["insurance"] == "medicaid").mean() > 0.3
    assert (children["insurance"] == "medicare").sum() == 0


def test_insurance_outside_the_united_states(world: pl.DataFrame) -> None:
    elsewhere = world.filter(pl.col("country") != "United States")
    assert not elsewhere["insurance"].is_in(["medicare", "medicaid"]).any()
    assert set(elsewhere["insurance"].cast(pl.String)) >= {"public", "private", "uninsured"}


def test_emergency_contacts(us: pl.DataFrame) -> None:
    assert (us.filter(pl.col("age") < 18)["emergency_contact_relationship"] == "parent").all()
    seniors = us.filter(pl.col("age") >= 75)["emergency_contact_relationship"]
    assert (seniors == "child").mean() > 0.3
    assert us["emergency_contact_phone"].str.starts_with("+1 ").all()
    assert (us["emergency_contact_phone"] != us["phone"]).all()
    family = us.filter(pl.col("emergency_contact_relationship").is_in(["parent", "spouse"]))
    same = family.select(
        pl.col("emergency_contact_name").str.ends_with(pl.col("last_name")).mean()
    ).item()
    assert 0.6 < same < 0.95


# -- appointments --------------------------------------------------------------------


def test_no_doctor_is_ever_booked_twice(visits: pl.DataFrame) -> None:
    ends = visits.with_columns(
        end=pl.col("scheduled_at") + pl.duration(minutes=pl.col("duration_min"))
    ).sort("doctor_id", "scheduled_at")
    following = ends.with_columns(nxt=pl.col("scheduled_at").shift(-1).over("doctor_id"))
    overlaps = following.filter(pl.col("nxt").is_not_null() & (pl.col("nxt") < pl.col("end")))
    assert overlaps.is_empty()
    assert visits.select(pl.struct("doctor_id", "scheduled_at").is_unique().all()).item()


def test_slots_in_clinic_hours_on_working_days(visits: pl.DataFrame) -> None:
    assert (visits["scheduled_at"].dt.weekday() <= 5).all()
    at = visits["scheduled_at"]
    start = at.dt.hour().cast(pl.Int32) * 60 + at.dt.minute().cast(pl.Int32)
    end = start + visits["duration_min"]
    inside = pl.Series([False] * visits.height)
    for b, e in CLINIC_HOURS:
        inside = inside | ((start >= b) & (end <= e))
    assert inside.all()
    assert visits["scheduled_at"].is_sorted()
    assert visits["scheduled_at"].dt.year().unique().to_list() == [2024]
    # Slots are spread over the whole year, every working day: the 262 weekdays of
    # 2024 less the 11 US federal holidays that fall on one.
    days = visits["scheduled_at"].dt.date().n_unique()
    assert days == 262 - 11


def test_doctors_keep_one_specialty(visits: pl.DataFrame) -> None:
    per_doctor = visits.group_by("doctor_id").agg(
        pl.col("specialty").n_unique().alias("n"), pl.col("specialty").first()
    )
    assert (per_doctor["n"] == 1).all()
    specs = list(SPECIALTIES)
    number = per_doctor["doctor_id"].str.slice(4).cast(pl.Int64) - 1
    expected = [specs[i] for i in doctor_specialties(int(number.max()) + 1)[number.to_numpy()]]
    assert per_doctor["specialty"].cast(pl.String).to_list() == expected
    durations = visits.group_by("specialty").agg(pl.col("duration_min").max())
    longest = dict(
        zip(durations["specialty"].cast(pl.String), durations["duration_min"], strict=True)
    )
    assert longest["Psychiatry"] == 45
    assert longest["Family Medicine"] == 15


def test_patients_are_real_and_fit_the_reason(visits: pl.DataFrame) -> None:
    size = max(100, min(ROWS // 4, 1_000_000))
    patients = tempdata.generate("patients", rows=size, seed=9, country="united_states")
    joined = visits.join(patients, on="patient_id", how="left", suffix="_p")
    assert joined["first_name"].null_count() == 0
    assert (joined["patient_sex"] == joined["sex"]).all()
    age_at_visit = joined["scheduled_at"].dt.year() - joined["birth_date"].dt.year()
    assert ((age_at_visit - joined["patient_age"]).is_in([0, 1])).all()
    follow_ups = joined.filter(
        pl.col("reason_code").cast(pl.String).is_in(load("conditions")["code"].to_list())
    )
    assert follow_ups.height > 1_000
    has = follow_ups.select(
        pl.col("condition_codes").str.contains(pl.col("reason_code").cast(pl.String), literal=True)
    ).to_series()
    assert has.all()
    pediatrics = joined.filter(pl.col("specialty") == "Pediatrics")
    assert (pediatrics["patient_age"] < 18).all()
    gyn = joined.filter(pl.col("specialty") == "Obstetrics and Gynecology")
    assert (gyn["sex"] == "female").all()
    # Sicker, older patients come more often.
    counts = visits.group_by("patient_id").len().join(patients, on="patient_id")
    assert (
        counts.filter(pl.col("age") >= 70)["len"].mean()
        > counts.filter(pl.col("age").is_between(18, 40))["len"].mean()
    )


def test_default_patients_follow_the_rows() -> None:
    from tests.conftest import make_params

    assert default_patients(make_params(10)) == 100
    assert default_patients(make_params(4_000_000)) == 1_000_000
    assert default_patients(make_params(100, patients=7)) == 7


def test_winter_respiratory_peak_by_hemisphere() -> None:
    def ratio(country: str) -> float:
        frame = tempdata.generate(
            "appointments", rows=40_000, seed=2, country=country, date_range=YEAR
        )
        respiratory = load("visit_reasons").filter(pl.col("respiratory"))["code"].unique()
        month = frame["scheduled_at"].dt.month()
        resp = frame["reason_code"].cast(pl.String).is_in(respiratory.to_list())
        winter = resp.filter(month.is_in([12, 1, 2])).mean()
        summer = resp.filter(month.is_in([6, 7, 8])).mean()
        assert winter is not None
        assert summer is not None
        return float(winter) / float(summer)  # type: ignore[arg-type]

    assert ratio("united_states") > 1.5
    assert ratio("australia") < 1 / 1.5


def test_lead_times_no_shows_and_cancellations(visits: pl.DataFrame) -> None:
    status = visits["status"].cast(pl.String).value_counts(normalize=True)
    share = dict(zip(status["status"], status["proportion"], strict=True))
    assert 0.07 < share["cancelled"] < 0.2
    # all outpatients: 4.6–50 % published, median 10.7 % (no_show_rates.parquet)
    assert 0.05 < share["no-show"] < 0.2
    assert "scheduled" not in share  # the whole year lies before the reference date
    urgent = visits.filter(pl.col("visit_type") == "urgent")["lead_time_days"]
    assert urgent.max() <= 2
    new = visits.filter(pl.col("visit_type") == "new")
    by_spec = new.group_by("specialty").agg(pl.col("lead_time_days").median())
    waits = dict(zip(by_spec["specialty"].cast(pl.String), by_spec["lead_time_days"], strict=True))
    assert waits["Neurology"] > 4 * waits["Family Medicine"]
    far = visits.filter(pl.col("lead_time_days") >= 30)
    near = visits.filter(pl.col("lead_time_days") <= 3)
    assert (far["status"] == "no-show").mean() > 1.5 * (near["status"] == "no-show").mean()
    assert (visits["booked_at"] < visits["scheduled_at"]).all()


def test_future_visits_are_scheduled() -> None:
    frame = tempdata.generate(
        "appointments",
        rows=5_000,
        seed=4,
        reference_date="2024-06-30",
        date_range=("2024-06-01", "2024-07-31"),
    )
    after = frame.filter(pl.col("scheduled_at") >= dt.datetime(2024, 7, 1))
    before = frame.filter(pl.col("scheduled_at") < dt.datetime(2024, 7, 1))
    assert set(after["status"].cast(pl.String)) == {"scheduled", "cancelled"}
    assert "scheduled" not in set(before["status"].cast(pl.String))


def test_too_many_rows_for_the_doctors() -> None:
    with pytest.raises(InvalidParameterError, match=r"do not fit .*custom_params\['doctors'\]"):
        tempdata.generate(
            "appointments",
            rows=5_000,
            seed=1,
            date_range=("2024-03-04", "2024-03-08"),
            custom_params={"doctors": 2},
        )


def test_same_seed_same_data_and_chunks_alone() -> None:
    a = tempdata.generate("appointments", rows=3_000, seed=11)
    assert a.equals(tempdata.generate("appointments", rows=3_000, seed=11))
    b = tempdata.generate("appointments", rows=3_000, seed=12)
    assert not a["patient_id"].equals(b["patient_id"])
    rows = 110_000
    whole = tempdata.generate("appointments", rows=rows, seed=5, country="germany")
    tail = pl.concat(
        list(
            tempdata.stream(
                "appointments", rows=rows, seed=5, country="germany", chunks=range(1, 3)
            )
        )
    )
    assert tail.equals(whole.slice(50_000))


@pytest.mark.parametrize(
    ("country", "closed"),
    [
        ("united_states", ["2024-01-01", "2024-07-04", "2024-11-28", "2024-12-25"]),
        ("germany", ["2024-01-01", "2024-03-29", "2024-04-01", "2024-10-03", "2024-12-26"]),
    ],
)
def test_clinics_close_on_public_holidays(country: str, closed: list[str]) -> None:
    visits = tempdata.generate(
        "appointments",
        rows=40_000,
        seed=3,
        country=country,
        date_range=("2024-01-01", "2024-12-31"),
    )
    days = set(visits["scheduled_at"].dt.date().unique().to_list())
    for day in closed:
        assert dt.date.fromisoformat(day) not in days, day
    assert dt.date(2024, 12, 23) in days  # an ordinary Monday is open


def test_no_shows_by_specialty_lie_in_the_published_ranges() -> None:
    # Published outpatient no-show rates (scripts/sources/healthcare/NO_SHOWS.md):
    # median and range of the figures per specialty, kept in no_show_rates.parquet.
    published = {r["specialty"]: r for r in load("no_show_rates").iter_rows(named=True)}
    frame = tempdata.generate(
        "appointments", 150_000, seed=3, country="united_states", date_range=YEAR
    )
    kept = frame.filter(pl.col("status").is_in(["completed", "no-show"]))
    rates = kept.group_by(pl.col("specialty").cast(pl.String)).agg(
        (pl.col("status") == "no-show").mean().alias("rate"), pl.len()
    )
    assert rates.height >= len(published) - 1  # a small specialty may have no doctor
    for specialty, rate, n in rates.iter_rows():
        ref = published[specialty]
        assert n > 1_000, specialty
        assert ref["low"] <= rate <= ref["high"], (specialty, rate, ref)
        assert ref["rate"] / 1.5 < rate < ref["rate"] * 1.5, (specialty, rate, ref)
    # psychiatry misses far more than primary care (8–36 % against 2–17 %)
    by = dict(rates.select("specialty", "rate").iter_rows())
    assert by["Psychiatry"] > 3 * by["Family Medicine"]
    # longer leads, more no-shows
    lead = (
        kept.with_columns(long=pl.col("lead_time_days") > 7)
        .group_by("long")
        .agg((pl.col("status") == "no-show").mean())
    )
    long_rate = dict(lead.iter_rows())
    assert long_rate[True] > 1.5 * long_rate[False]
