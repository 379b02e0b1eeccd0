"""The compact-protocol codec: real Parquet footers and random structs round-trip."""

from __future__ import annotations

import io
from typing import Any

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tempdata.export import _thrift as t


def footer(frame: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.write_parquet(buf, compression="zstd")
    data = buf.getvalue()
    size = int.from_bytes(data[-8:-4], "little")
    return data[-8 - size : -8]


@pytest.mark.parametrize("columns", [1, 14, 15, 16, 40])  # list sizes around the 15 cut
def test_polars_footers_decode_and_encode_to_the_same_bytes(columns: int) -> None:
    frame = pl.DataFrame({f"c{i}": [i, None, 3] for i in range(columns)}).with_columns(
        flag=pl.Series([True, False, None]), text=pl.Series(["a", "b", None])
    )
    raw = footer(frame)
    meta, end = t.decode_struct(raw)
    assert end == len(raw)
    assert t.encode_struct(meta) == raw
    assert meta.get(3) == 3  # num_rows


def test_truncated_input_is_an_error() -> None:
    raw = footer(pl.DataFrame({"a": [1]}))
    with pytest.raises(t.ThriftError, match="truncated"):
        t.decode_struct(raw[: len(raw) // 2])


def test_set_keeps_field_order_and_remove_drops() -> None:
    value = t.Struct([(1, t.I32, 5), (4, t.I64, 7)])
    value.set(2, t.BINARY, b"x")
    value.set(4, t.I64, -9)
    assert [f for f, _, _ in value.fields] == [1, 2, 4]
    value.remove(1)
    decoded, _ = t.decode_struct(t.encode_struct(value))
    assert decoded == value


# Random structs: every wire type, negative and 64-bit integers, field-id gaps over
# 15 (long form), lists longer than 14 (long form), nested structs and maps.
_i64 = st.integers(-(2**63), 2**63 - 1)
_scalars: dict[int, st.SearchStrategy[Any]] = {
    t.BOOL: st.booleans(),
    t.BYTE: st.integers(-128, 127),
    t.I16: st.integers(-(2**15), 2**15 - 1),
    t.I32: st.integers(-(2**31), 2**31 - 1),
    t.I64: _i64,
    t.DOUBLE: st.floats(allow_nan=False),
    t.BINARY: st.binary(max_size=40),
}


def _values(depth: int) -> st.SearchStrategy[tuple[int, Any]]:
    scalar = st.sampled_from(sorted(_scalars)).flatmap(
        lambda k: _scalars[k].map(lambda v, k=k: (k, v))
    )
    if depth == 0:
        return scalar
    lists = st.sampled_from(sorted(_scalars)).flatmap(
        lambda k: st.lists(_scalars[k], max_size=20).map(lambda v, k=k: (t.LIST, t.List(k, v)))
    )
    maps = st.lists(st.tuples(_i64, st.binary(max_size=5)), max_size=4).map(
        lambda v: (t.MAP, t.Map(t.I64, t.BINARY, v) if v else t.Map(0, 0, []))
    )
    structs = _structs(depth - 1).map(lambda v: (t.STRUCT, v))
    struct_lists = st.lists(_structs(depth - 1), max_size=16).map(
        lambda v: (t.LIST, t.List(t.STRUCT, v))
    )
    return st.one_of(scalar, lists, maps, structs, struct_lists)


def _structs(depth: int) -> st.SearchStrategy[t.Struct]:
    ids = st.lists(st.integers(1, 400), unique=True, max_size=6).map(sorted)
    return ids.flatmap(
        lambda fids: st.tuples(*[_values(depth) for _ in fids]).map(
            lambda vals, fids=fids: t.Struct(
                [(f, k, v) for f, (k, v) in zip(fids, vals, strict=True)]
            )
        )
    )


@given(_structs(2))
def test_random_structs_round_trip(value: t.Struct) -> None:
    encoded = t.encode_struct(value)
    decoded, end = t.decode_struct(encoded)
    assert end == len(encoded)
    assert decoded == value
    assert t.encode_struct(decoded) == encoded
