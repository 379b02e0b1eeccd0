"""Chunks built on threads: the same frames as one at a time, in order, errors raised
in turn, no thread left behind, and a clear error for a bad TEMPDATA_THREADS."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import polars as pl
import pytest
from typer.testing import CliRunner

import tempdata
from tempdata.cli import app
from tempdata.core import planner as planner_module
from tempdata.core.threads import ENV, MAX_DEFAULT, chunk_threads, ordered_map, serial
from tempdata.errors import InvalidParameterError


def _chunk_threads_alive() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("tempdata-chunk")]


def test_results_come_in_order_though_a_later_call_ends_first() -> None:
    second_done = threading.Event()

    def work(i: int) -> int:
        if i == 0:  # finishes only after call 1 has: the two run at once
            assert second_done.wait(timeout=30), "call 1 never ran beside call 0"
        if i == 1:
            second_done.set()
        return i * 10

    assert list(ordered_map(work, range(6), threads=2)) == [0, 10, 20, 30, 40, 50]
    assert _chunk_threads_alive() == []


def test_an_error_is_raised_in_its_turn_and_later_calls_are_not_started() -> None:
    started: list[int] = []
    lock = threading.Lock()

    def work(i: int) -> int:
        with lock:
            started.append(i)
        if i == 2:
            msg = "chunk 2 broke"
            raise RuntimeError(msg)
        return i

    results = ordered_map(work, range(100), threads=2)
    assert [next(results), next(results)] == [0, 1]
    with pytest.raises(RuntimeError, match="chunk 2 broke"):
        next(results)
    assert max(started) <= 4  # a window of two calls, not the whole range
    assert _chunk_threads_alive() == []


def test_closing_early_stops_the_threads() -> None:
    calls: list[int] = []

    def work(i: int) -> int:
        calls.append(i)
        return i

    it: Iterator[int] = ordered_map(work, range(1000), threads=3)
    assert next(it) == 0
    it.close()  # type: ignore[attr-defined]
    assert len(calls) <= 5
    assert _chunk_threads_alive() == []


def test_thread_count_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    assert 1 <= chunk_threads() <= MAX_DEFAULT
    monkeypatch.setenv(ENV, "3")
    assert chunk_threads() == 3
    with serial():
        assert chunk_threads() == 1
    assert chunk_threads() == 3
    for bad in ("0", "-2", "two", "1.5"):
        monkeypatch.setenv(ENV, bad)
        with pytest.raises(InvalidParameterError, match=f"TEMPDATA_THREADS .*got '{bad}'"):
            chunk_threads()


def test_a_bad_thread_count_fails_before_generating(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "none")
    with pytest.raises(InvalidParameterError, match="TEMPDATA_THREADS"):
        tempdata.generate("sales", rows=10, seed=1)


def test_cli_exits_2_for_a_bad_thread_count(
    monkeypatch: pytest.MonkeyPatch, tmp_path: pytest.TempPathFactory
) -> None:
    monkeypatch.setenv(ENV, "0")
    out = tmp_path / "s.parquet"  # type: ignore[operator]
    result = CliRunner().invoke(app, ["generate", "sales", "--rows", "100", "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "TEMPDATA_THREADS" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("dataset", "kwargs"),
    [
        ("employees", {}),
        ("sales", {"country": "japan"}),  # a parent (products) generated inside a chunk
        ("patients", {"country": "brazil"}),
        ("user_profiles", {}),
    ],
)
def test_threads_give_the_same_frames_as_one_at_a_time(
    monkeypatch: pytest.MonkeyPatch, dataset: str, kwargs: dict[str, str]
) -> None:
    rows = 4 * 50_000 + 123
    monkeypatch.setenv(ENV, "1")
    alone = tempdata.generate(dataset, rows=rows, seed=11, **kwargs)

    # Threads for every chunk after the first three, however quick; and see that they
    # were used, or the comparison would prove nothing.
    monkeypatch.setenv(ENV, "3")
    monkeypatch.setattr(planner_module, "THREADS_FROM_SECONDS", 0.0)
    seen: set[str] = set()
    original = planner_module.Planner.chunk

    def chunk(self: planner_module.Planner, index: int) -> pl.DataFrame:
        if self.dataset.name == dataset:
            seen.add(threading.current_thread().name)
        return original(self, index)

    monkeypatch.setattr(planner_module.Planner, "chunk", chunk)
    threaded = tempdata.generate(dataset, rows=rows, seed=11, **kwargs)
    assert any(name.startswith("tempdata-chunk") for name in seen), seen
    assert threaded.equals(alone)
    assert _chunk_threads_alive() == []


@pytest.mark.parametrize("threads", ["1", "3"])
def test_a_chunk_handed_on_is_not_kept_alive(monkeypatch: pytest.MonkeyPatch, threads: str) -> None:
    """Once the consumer drops a chunk it is freed: the stream keeps no reference of its
    own (one would hold a whole extra chunk in memory for the rest of the run)."""
    import gc
    import weakref

    monkeypatch.setenv(ENV, threads)
    monkeypatch.setattr(planner_module, "THREADS_FROM_SECONDS", 0.0)
    stream = tempdata.stream("sales", rows=8 * 50_000, seed=3)
    frames = iter(stream)
    for _ in range(7):
        frame = next(frames)
        ref = weakref.ref(frame)
        del frame
        gc.collect()
        assert ref() is None
    frames.close()  # type: ignore[attr-defined]
