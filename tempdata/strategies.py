"""Hypothesis strategies for realistic data: property tests over believable rows.

>>> from hypothesis import given, settings
>>> from tempdata import strategies as tds
>>> @settings(max_examples=5, deadline=None)
... @given(tds.frames("sales", max_rows=50))
... def test_amounts(frame):
...     assert (frame["amount"] > 0).all()
>>> test_amounts()

* :func:`frames` — a dataset's frame of ``min_rows`` to ``max_rows`` rows;
* :func:`rows` — one row as a dict;
* :func:`addresses` — one address of a country as a dict;
* :func:`seeds` — root seeds.

Every value comes from a seed and a row count that Hypothesis draws, so a failing
example shrinks toward fewer rows and seed 0, and replays exactly from the
Hypothesis database. Hypothesis is needed (it is not a dependency of tempdata).
"""

from __future__ import annotations

from typing import Any

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - hypothesis is a test-time tool
    msg = "tempdata.strategies needs Hypothesis: pip install hypothesis"
    raise ImportError(msg) from exc

__all__ = ["addresses", "frames", "rows", "seeds"]

MAX_SEED = 2**63 - 1


def seeds() -> st.SearchStrategy[int]:
    """Root seeds (shrinking toward 0)."""
    return st.integers(min_value=0, max_value=MAX_SEED)


def _frame(dataset: Any, n: int, seed: int, kwargs: dict[str, Any]) -> Any:
    import polars as pl

    import tempdata

    if n == 0:
        schema = tempdata.stream(dataset, rows=1, seed=seed, **kwargs).schema
        return pl.DataFrame(schema=schema)
    return tempdata.generate(dataset, rows=n, seed=seed, **kwargs)


def frames(
    dataset: Any, *, min_rows: int = 0, max_rows: int = 100, **kwargs: Any
) -> st.SearchStrategy[Any]:
    """Frames of ``dataset`` (a catalogue name or a Dataset) with ``min_rows`` to
    ``max_rows`` rows; ``kwargs`` go to :func:`tempdata.generate` (``country=``,
    ``columns=`` ...). Zero rows give an empty frame with the dataset's schema."""
    if not 0 <= min_rows <= max_rows:
        msg = f"frames: need 0 <= min_rows <= max_rows, got {min_rows} and {max_rows}"
        raise ValueError(msg)
    return st.builds(
        lambda n, seed: _frame(dataset, n, seed, kwargs),
        st.integers(min_value=min_rows, max_value=max_rows),
        seeds(),
    )


def rows(dataset: Any, **kwargs: Any) -> st.SearchStrategy[dict[str, Any]]:
    """One row of ``dataset`` as a dict (column → value)."""
    return frames(dataset, min_rows=1, max_rows=1, **kwargs).map(lambda f: f.row(0, named=True))


def addresses(country: str = "global", **kwargs: Any) -> st.SearchStrategy[dict[str, Any]]:
    """One address in ``country`` (``state=``, ``city=`` narrow it) as a dict."""
    from tempdata.geo import addresses as make

    return seeds().map(lambda seed: make(country, 1, seed=seed, **kwargs)[0])
