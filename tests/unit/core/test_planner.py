"""Plan validation at build time, chunking, nulls, hidden columns, rules."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from tempdata import samplers as s
from tempdata.core.plan import Dataset, col, group, rule
from tempdata.core.planner import Planner, chunk_count, chunk_rows
from tempdata.core.seeding import CHUNK_SIZE, Seeder
from tempdata.errors import InvalidParameterError
from tests.conftest import make_params, run_plan


def ds(*columns, rules=()) -> Dataset:  # type: ignore[no-untyped-def]
    return Dataset("t", description="test", columns=list(columns), rules=list(rules))


def planner(dataset: Dataset, rows: int = 10, **kwargs: object) -> Planner:
    return Planner(dataset, make_params(rows), Seeder(1), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("dataset", "message"),
    [
        (ds(col("a", s.integers(0, 1)), col("a", s.integers(0, 1))), "duplicate column name 'a'"),
        (ds(col("a", pl.col("bb") + 1), col("b", s.integers(0, 1))), "unknown column 'bb'"),
        (ds(col("a", pl.col("b") + 1), col("b", pl.col("a") * 2)), "cycle: \\['a', 'b'\\]"),
        (
            ds(col("a", s.integers(0, 1)), rules=[rule("r", "zz", pl.lit(1), holds=pl.lit(True))]),
            "rule 'r' targets unknown column 'zz'",
        ),
        (
            ds(
                col("a", s.integers(0, 1)),
                col("b", pl.col("a") + 1),
                rules=[rule("r", "a", pl.lit(1), holds=pl.lit(True))],
            ),
            "rewrites 'a', which other columns read",
        ),
        (
            ds(col("a", pl.col("b").str.to_uppercase()), col("b", s.integers(0, 9))),
            "invalid expression",
        ),
    ],
)
def test_bad_plans_fail_when_built(dataset: Dataset, message: str) -> None:
    with pytest.raises(InvalidParameterError, match=message):
        planner(dataset)


def test_unknown_column_error_suggests_the_closest_name() -> None:
    with pytest.raises(InvalidParameterError, match="did you mean 'amount'"):
        planner(ds(col("amount", s.integers(0, 1)), col("b", pl.col("amont") + 1)))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"columns": ["nope"]}, "no column 'nope'"),
        ({"drop": ["x"]}, "no column 'x'"),
        ({"drop": ["a"]}, "no column left"),
    ],
)
def test_bad_column_selection(kwargs: dict[str, list[str]], message: str) -> None:
    with pytest.raises(InvalidParameterError, match=message):
        planner(ds(col("a", s.integers(0, 1))), **kwargs)


def test_columns_may_be_declared_before_what_they_read() -> None:
    frame = run_plan(ds(col("double", pl.col("x") * 2), col("x", s.integers(1, 5))))
    assert frame.columns == ["double", "x"]
    assert (frame["double"] == frame["x"] * 2).all()


def test_schema_is_known_without_generating() -> None:
    p = planner(
        ds(col("x", s.integers(1, 5)), col("y", pl.col("x") / 2), col("z", s.choice(["a", "b"])))
    )
    assert p.schema == pl.Schema({"x": pl.Int64, "y": pl.Float64, "z": pl.Enum(["a", "b"])})


def test_chunk_sizes_and_ranges() -> None:
    assert chunk_count(1) == 1
    assert chunk_count(CHUNK_SIZE) == 1
    assert chunk_count(CHUNK_SIZE + 1) == 2
    assert chunk_rows(CHUNK_SIZE + 7, 1) == 7
    p = planner(ds(col("i", s.row_index())), rows=CHUNK_SIZE * 2 + 3)
    frames = list(p.chunks())
    assert [f.height for f in frames] == [CHUNK_SIZE, CHUNK_SIZE, 3]
    assert frames[2]["i"].to_list() == [2 * CHUNK_SIZE, 2 * CHUNK_SIZE + 1, 2 * CHUNK_SIZE + 2]
    with pytest.raises(InvalidParameterError, match="out of range"):
        p.chunk(3)


def test_chunk_generated_alone_equals_chunk_in_sequence() -> None:
    d = ds(col("x", s.normal(0, 1)), col("y", pl.col("x") + 1), col("u", s.uuid4s()))
    p = planner(d, rows=CHUNK_SIZE * 3)
    frames = list(p.chunks())
    again = planner(d, rows=CHUNK_SIZE * 3).chunk(2)
    assert frames[2].equals(again)
    assert not frames[1].equals(frames[2])


def test_nulls_use_their_own_stream_and_leave_values_alone() -> None:
    plain = run_plan(ds(col("x", s.integers(0, 10**9))), rows=20_000)
    holed = run_plan(ds(col("x", s.integers(0, 10**9), nulls=0.1)), rows=20_000)
    assert 0.08 < holed["x"].null_count() / 20_000 < 0.12
    kept = holed["x"].is_not_null()
    assert plain["x"].filter(kept).equals(holed["x"].filter(kept))


def test_hidden_columns_are_left_out_but_can_be_asked_for() -> None:
    d = ds(col("h", s.integers(1, 3), hidden=True), col("v", pl.col("h") * 10))
    assert run_plan(d).columns == ["v"]
    both = run_plan(d, columns=["v", "h"])
    assert (both["v"] == both["h"] * 10).all()


def test_hidden_group_columns_are_left_out_but_readable() -> None:
    places = group(
        "where", s.places("DE"), columns={"town": "city", "cid": "city_id"}, hidden=["cid"]
    )
    d = ds(places, col("twice", pl.col("cid") * 2))
    assert d.column_names == ("town", "twice")
    out = run_plan(d)
    assert out.columns == ["town", "twice"]
    asked = run_plan(d, columns=["cid", "twice"])
    assert (asked["twice"] == asked["cid"] * 2).all()


@pytest.mark.parametrize(
    ("hidden", "message"),
    [(["nope"], "hidden must list some of its columns"), (["town"], "hides every column")],
)
def test_bad_hidden_group_columns(hidden: list[str], message: str) -> None:
    with pytest.raises(InvalidParameterError, match=message):
        group("where", s.places("DE"), columns={"town": "city"}, hidden=hidden)


def test_dropping_a_dependency_keeps_dependent_values() -> None:
    d = ds(col("a", s.integers(0, 100)), col("b", pl.col("a") + 1), col("c", s.normal(0, 1)))
    full = run_plan(d)
    assert run_plan(d, drop=["a"]).equals(full.drop("a"))
    assert run_plan(d, columns=["c", "b"]).equals(full.select("c", "b"))


def test_rules_apply_after_columns_and_keep_dtype() -> None:
    d = ds(
        col("amount", s.floats(0, 1000)),
        col("pay", s.choice(["cash", "card"])),
        rules=[
            rule(
                "cash_limit",
                "pay",
                pl.when((pl.col("pay") == "cash") & (pl.col("amount") > 500))
                .then(pl.lit("card"))
                .otherwise(pl.col("pay").cast(pl.String)),
                holds=~((pl.col("pay") == "cash") & (pl.col("amount") > 500)),
            )
        ],
    )
    frame = run_plan(d, rows=5_000)
    assert frame.schema["pay"] == pl.Enum(["cash", "card"])
    assert frame.filter((pl.col("pay") == "cash") & (pl.col("amount") > 500)).is_empty()
    assert frame.filter(pl.col("pay") == "cash").height > 1_000


def test_adding_a_column_leaves_the_others_unchanged() -> None:
    before = run_plan(ds(col("a", s.normal(0, 1)), col("b", s.uuid4s())), rows=1_000)
    after = run_plan(
        ds(col("a", s.normal(0, 1)), col("new", s.integers(0, 9)), col("b", s.uuid4s())), rows=1_000
    )
    assert after.drop("new").equals(before)


def test_sampler_returning_wrong_length_is_a_bug_not_user_error() -> None:
    class Bad(s.integers(0, 1).__class__):  # type: ignore[misc]
        def sample(self, rng, ctx):  # type: ignore[no-untyped-def]
            return np.zeros(ctx.n + 1, dtype=np.int64)

    with pytest.raises(AssertionError, match="returned"):
        run_plan(ds(col("x", Bad(0, 1))))


def test_nullable_names_known_columns() -> None:
    d = Dataset("t", description="", columns=[col("a", s.integers(0, 1))], nullable=["a"])
    assert d.nullable == ("a",)
    with pytest.raises(InvalidParameterError, match="nullable names unknown columns"):
        Dataset("t", description="", columns=[col("a", s.integers(0, 1))], nullable=["b"])
    with pytest.raises(InvalidParameterError, match="must be a list of column names"):
        Dataset("t", description="", columns=[col("a", s.integers(0, 1))], nullable="a")
