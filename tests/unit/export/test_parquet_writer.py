"""The Parquet writer joins per-chunk encodings into one valid file.

Checked with two independent readers (Polars, pyarrow) and by walking the file's own
structures: every recorded offset must point at what it claims to.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

import tempdata
from tempdata.core.seeding import CHUNK_SIZE
from tempdata.export import _thrift as t
from tempdata.export import parquet as writer
from tempdata.export.parquet import write_parquet

ROWS = 2 * CHUNK_SIZE + 1_234


@pytest.fixture(scope="module")
def sales(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pq") / "sales.parquet"
    tempdata.create_dataset(path, rows=ROWS, seed=11, dataset="sales")
    return path


def test_file_reads_back_as_generated(sales: Path) -> None:
    expected = tempdata.generate("sales", rows=ROWS, seed=11)
    back = pl.read_parquet(sales)
    assert back.schema == expected.schema  # enums survive (Arrow schema in the footer)
    assert back.equals(expected)
    assert pq.read_table(sales).num_rows == ROWS


def test_one_row_group_per_chunk_with_correct_statistics(sales: Path) -> None:
    meta = pq.ParquetFile(sales).metadata
    assert meta.num_rows == ROWS
    sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert sizes == [CHUNK_SIZE, CHUNK_SIZE, 1_234]
    frame = pl.read_parquet(sales)
    ids = meta.schema.names.index("transaction_id")
    for i, start in enumerate((0, CHUNK_SIZE, 2 * CHUNK_SIZE)):
        part = frame.slice(start, sizes[i])
        stats = meta.row_group(i).column(ids).statistics
        ids_in_group = part["transaction_id"]
        assert (stats.min, stats.max) == (ids_in_group.min(), ids_in_group.max())
    # Statistics drive row-group pruning: a filter on a late key still finds it.
    late = frame["transaction_id"][2 * CHUNK_SIZE + 5]
    hit = pl.scan_parquet(sales).filter(pl.col("transaction_id") == late).collect()
    assert hit.height == 1


def _footer(data: bytes) -> t.Struct:
    size = int.from_bytes(data[-8:-4], "little")
    meta, _ = t.decode_struct(data, len(data) - 8 - size)
    return meta


def test_every_offset_points_at_its_page(sales: Path) -> None:
    data = sales.read_bytes()
    assert data[:4] == data[-4:] == b"PAR1"
    meta = _footer(data)
    groups = meta.get(4).items
    assert [g.get(7) for g in groups] == list(range(len(groups)))  # ordinals
    for group in groups:
        first = None
        for cc in group.get(1).items:
            column = cc.get(3)
            start = column.get(11) or column.get(9)  # dictionary page, else first data page
            first = start if first is None else first
            header, _ = t.decode_struct(data, start)
            assert header.get(1) in (0, 2, 3)  # DATA_PAGE, DICTIONARY_PAGE, DATA_PAGE_V2
            # The offset index lists every data page: each location starts a page
            # header whose compressed size is the one recorded.
            index, end = t.decode_struct(data, cc.get(4))
            assert end - cc.get(4) == cc.get(5)
            locations = index.get(1).items
            assert locations[0].get(1) == column.get(9)
            for loc in locations:
                page, body = t.decode_struct(data, loc.get(1))
                assert page.get(3) + (body - loc.get(1)) == loc.get(2)
            # The column index lies where recorded and decodes whole.
            _, end = t.decode_struct(data, cc.get(6))
            assert end - cc.get(6) == cc.get(7)
        assert group.get(5) == first  # the row group starts at its first page


def test_run_metadata_is_in_the_footer(sales: Path) -> None:
    kv = pq.ParquetFile(sales).metadata.metadata
    assert kv[b"tempdata.seed"] == b"11"
    assert kv[b"tempdata.dataset"] == b"sales"
    assert b"ARROW:schema" in kv


def test_no_rows_gives_a_valid_empty_file(tmp_path: Path) -> None:
    schema = pl.Schema({"a": pl.Int64(), "b": pl.Enum(["x", "y"])})
    path = tmp_path / "empty.parquet"
    write_parquet(iter(()), schema, path, {"k": "v"})
    back = pl.read_parquet(path)
    assert back.height == 0
    assert back.schema == schema
    assert pq.ParquetFile(path).metadata.metadata[b"k"] == b"v"


def test_many_row_groups_beyond_the_ordinal_range(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # RowGroup.ordinal is an i16: past it the field is left out (it is optional).
    monkeypatch.setattr(writer, "_MAX_ORDINAL", 2)
    frames = [pl.DataFrame({"i": range(k * 10, k * 10 + 10)}) for k in range(5)]
    path = tmp_path / "many.parquet"
    write_parquet(iter(frames), frames[0].schema, path, {})
    assert pl.read_parquet(path)["i"].to_list() == list(range(50))
    groups = _footer(path.read_bytes()).get(4).items
    assert [g.get(7) for g in groups] == [0, 1, 2, None, None]


def test_a_failing_chunk_stream_stops_the_writer(tmp_path: Path) -> None:
    def chunks() -> Iterator[pl.DataFrame]:
        yield pl.DataFrame({"i": [1, 2]})
        msg = "generator broke"
        raise RuntimeError(msg)

    with pytest.raises(RuntimeError, match="generator broke"):
        write_parquet(chunks(), pl.Schema({"i": pl.Int64()}), tmp_path / "x.parquet", {})


def test_an_encoding_failure_is_raised_and_generation_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    produced = []

    def chunks() -> Iterator[pl.DataFrame]:
        for k in range(50):
            produced.append(k)
            yield pl.DataFrame({"i": [k]})

    def broken(chunk: pl.DataFrame, encoding: str, out: object, *, first: bool) -> None:
        msg = "disk full"
        raise OSError(msg)

    monkeypatch.setattr(writer, "encode_into", broken)
    with pytest.raises(OSError, match="disk full"):
        write_parquet(chunks(), pl.Schema({"i": pl.Int64()}), tmp_path / "x.parquet", {})
    assert len(produced) <= 3  # it stopped at once instead of generating everything
