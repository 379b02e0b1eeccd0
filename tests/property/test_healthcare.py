"""patients and appointments under hypothesis: any seed, row count and country keeps
the datasets' registered invariants (BMI = weight / height², codes that exist, drugs
for the patient's conditions, visits inside clinic hours and never double-booked, ...),
the same seed gives the same table, and later chunks generated alone equal the same
rows of the whole run (DESIGN §2)."""

from __future__ import annotations

import polars as pl
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import tempdata
from tempdata.core.seeding import CHUNK_SIZE
from tempdata.datasets import registry
from tempdata.quality.checks import evaluate

COUNTRIES = [
    "global",
    "united_states",
    "germany",
    "japan",
    "brazil",
    "australia",
    "india",
    "nigeria",
    "vatican",
]
SETTINGS = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _holds(name: str, frame: pl.DataFrame) -> None:
    report = evaluate(frame, registry.get(name))
    assert report.ok, (name, report.failures())
    assert report.skipped == ()


@SETTINGS
@given(
    seed=st.integers(min_value=0, max_value=2**63 - 1),
    rows=st.integers(min_value=1, max_value=4_000),
    country=st.sampled_from(COUNTRIES),
)
@example(seed=0, rows=1, country="global")
def test_patients_keep_their_invariants(seed: int, rows: int, country: str) -> None:
    frame = tempdata.generate("patients", rows=rows, seed=seed, country=country)
    assert frame.height == rows
    _holds("patients", frame)
    assert frame.equals(tempdata.generate("patients", rows=rows, seed=seed, country=country))


@SETTINGS
@given(
    seed=st.integers(min_value=0, max_value=2**63 - 1),
    rows=st.integers(min_value=1, max_value=6_000),
    country=st.sampled_from(COUNTRIES),
    days=st.integers(min_value=7, max_value=400),
    doctors=st.none() | st.integers(min_value=5, max_value=60),
)
@example(seed=3, rows=1, country="global", days=7, doctors=None)
@example(seed=5, rows=6_000, country="australia", days=7, doctors=None)  # a full week
def test_appointments_keep_their_invariants(
    seed: int, rows: int, country: str, days: int, doctors: int | None
) -> None:
    import datetime as dt

    start = dt.date(2024, 1, 1)
    kwargs = {
        "rows": rows,
        "seed": seed,
        "country": country,
        "date_range": (start, start + dt.timedelta(days=days - 1)),
        "custom_params": {} if doctors is None else {"doctors": doctors},
    }
    try:
        frame = tempdata.generate("appointments", **kwargs)  # type: ignore[arg-type]
    except tempdata.InvalidParameterError as exc:
        # Only a calendar too small for the rows is refused.
        assert doctors is not None
        assert "do not fit" in str(exc)  # noqa: PT017
        return
    assert frame.height == rows
    _holds("appointments", frame)
    assert frame.equals(tempdata.generate("appointments", **kwargs))  # type: ignore[arg-type]


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(min_value=0, max_value=2**63 - 1),
    rows=st.integers(min_value=CHUNK_SIZE + 1, max_value=CHUNK_SIZE + 30_000),
    country=st.sampled_from(COUNTRIES),
    name=st.sampled_from(["patients", "appointments"]),
)
@example(seed=1, rows=CHUNK_SIZE + 17, country="global", name="appointments")
def test_a_later_chunk_alone_equals_the_slice(
    seed: int, rows: int, country: str, name: str
) -> None:
    whole = tempdata.generate(name, rows=rows, seed=seed, country=country)
    _holds(name, whole)
    tail = pl.concat(
        list(tempdata.stream(name, rows=rows, seed=seed, country=country, chunks=range(1, 2)))
    )
    assert tail.equals(whole.slice(CHUNK_SIZE))
