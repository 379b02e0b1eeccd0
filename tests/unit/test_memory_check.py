"""generate() refuses a frame that cannot fit in memory after one chunk, not at the end."""

from __future__ import annotations

import pytest

import tempdata
from tempdata import api
from tempdata.core.planner import Planner


def test_too_big_for_memory_is_refused_after_the_first_chunk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = []
    chunk = Planner.chunk

    def counting(self: Planner, index: int) -> object:
        if self.dataset.name == "sales":  # not its parent, products
            made.append(index)
        return chunk(self, index)

    monkeypatch.setattr(Planner, "chunk", counting)
    monkeypatch.setattr(api, "_available_memory", lambda: 20_000_000)  # 20 MB
    with pytest.raises(tempdata.GenerationMemoryError) as info:
        tempdata.generate("sales", rows=1_000_000, seed=1)
    assert made == [0]
    message = str(info.value)
    assert message.startswith("1,000,000 rows of sales need about")
    assert "tempdata.create_dataset" in message
    assert "\n" not in message


def test_what_fits_is_generated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "_available_memory", lambda: 20_000_000)
    assert tempdata.generate("sales", rows=60_000, seed=1).height == 60_000
    monkeypatch.setattr(api, "_available_memory", lambda: None)  # unknown: no check
    assert tempdata.generate("sales", rows=120_000, seed=1).height == 120_000
