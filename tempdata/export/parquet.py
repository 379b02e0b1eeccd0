"""Parquet: zstd, one row group per 50,000-row chunk, run metadata in the footer.

Each chunk is encoded by Polars as a small Parquet file of its own, in a writer
thread while the next chunk is generated; its row group (pages, column and offset
indexes) is appended to the output and its footer entry kept, with every byte offset
moved to where the row group now lies. The file's footer is written last: the first
chunk's schema, every row group, and the run's metadata.

Compared with Polars' streaming ``sink_parquet`` this keeps memory flat at any row
count (at most two chunks are alive, and a row group's footer entry is about 1.5 kB)
and is as fast: see ``bench/README.md``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

import polars as pl

from tempdata.export import _thrift as t
from tempdata.export._stream import Encoded, encode_into, pipeline

__all__ = ["write_parquet"]

MAGIC = b"PAR1"

# Field ids of parquet.thrift (apache/parquet-format).
_FILE_NUM_ROWS, _FILE_ROW_GROUPS, _FILE_KEY_VALUE = 3, 4, 5
_RG_COLUMNS, _RG_NUM_ROWS, _RG_FILE_OFFSET, _RG_ORDINAL = 1, 3, 5, 7
_CC_FILE_OFFSET, _CC_META = 2, 3
_CC_OFFSET_INDEX, _CC_OFFSET_INDEX_LEN, _CC_COLUMN_INDEX, _CC_COLUMN_INDEX_LEN = 4, 5, 6, 7
# ColumnMetaData: data_page_offset, index_page_offset, dictionary_page_offset,
# bloom_filter_offset.
_META_OFFSETS = (9, 10, 11, 14)
_OI_PAGE_LOCATIONS, _PL_OFFSET = 1, 1
_MAX_ORDINAL = 2**15 - 1  # RowGroup.ordinal is an i16


class _Stitcher:
    """Appends single-file Parquet encodings to one output and writes the footer."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._pos = len(MAGIC)
        self._head: t.Struct | None = None
        self._row_groups: list[t.Raw] = []
        self._rows = 0
        out.write(MAGIC)

    def add(self, data: memoryview) -> None:
        n = len(data)
        if n < 12 or data[:4] != MAGIC or data[n - 4 :] != MAGIC:
            msg = "Polars wrote a chunk that is not a Parquet file"
            raise AssertionError(msg)
        footer_start = n - 8 - int.from_bytes(data[n - 8 : n - 4], "little")
        meta, _ = t.decode_struct(data, footer_start)
        if self._head is None:
            self._head = meta
        groups = meta.get(_FILE_ROW_GROUPS, t.List(t.STRUCT, []))
        columns = [cc for rg in groups.items for cc in rg.get(_RG_COLUMNS).items]
        indexes = [cc.get(fid) for cc in columns for fid in (_CC_COLUMN_INDEX, _CC_OFFSET_INDEX)]
        data_end = min([i for i in indexes if i is not None], default=footer_start)
        shift = self._pos - len(MAGIC)
        self._write(data[len(MAGIC) : data_end])
        index_bytes = 0
        for cc in columns:
            _shift_fields(cc, (_CC_FILE_OFFSET,), shift)
            column_meta = cc.get(_CC_META)
            if column_meta is not None:
                _shift_fields(column_meta, _META_OFFSETS, shift)
            start = cc.get(_CC_COLUMN_INDEX)
            if start is not None:  # min/max per page: no offsets inside, copied as is
                length = cc.get(_CC_COLUMN_INDEX_LEN)
                cc.set(_CC_COLUMN_INDEX, t.I64, self._pos)
                self._write(data[start : start + length])
                index_bytes += length
            start = cc.get(_CC_OFFSET_INDEX)
            if start is not None:  # page locations: file offsets, moved
                index, end = t.decode_struct(data, start)
                index_bytes += end - start
                for location in index.get(_OI_PAGE_LOCATIONS).items:
                    _shift_fields(location, (_PL_OFFSET,), shift)
                encoded = t.encode_struct(index)
                cc.set(_CC_OFFSET_INDEX, t.I64, self._pos)
                cc.set(_CC_OFFSET_INDEX_LEN, t.I32, len(encoded))
                self._write(encoded)
        if data_end + index_bytes != footer_start:
            msg = "a chunk's Parquet file holds data this writer does not know how to move"
            raise AssertionError(msg)
        for rg in groups.items:
            _shift_fields(rg, (_RG_FILE_OFFSET,), shift)
            ordinal = len(self._row_groups)
            if ordinal <= _MAX_ORDINAL:
                rg.set(_RG_ORDINAL, t.I16, ordinal)
            else:
                rg.remove(_RG_ORDINAL)
            self._rows += rg.get(_RG_NUM_ROWS)
            self._row_groups.append(t.Raw(t.encode_struct(rg)))

    def finish(self, metadata: Mapping[str, str]) -> None:
        assert self._head is not None, "finish() before any chunk"
        footer = self._head
        footer.set(_FILE_NUM_ROWS, t.I64, self._rows)
        footer.set(_FILE_ROW_GROUPS, t.LIST, t.List(t.STRUCT, list(self._row_groups)))
        pairs = {
            kv.get(1): kv.get(2) for kv in footer.get(_FILE_KEY_VALUE, t.List(t.STRUCT, [])).items
        }
        pairs.update({k.encode(): v.encode() for k, v in metadata.items()})
        entries = [
            t.Struct([(1, t.BINARY, k)] + ([] if v is None else [(2, t.BINARY, v)]))
            for k, v in pairs.items()
        ]
        if entries:
            footer.set(_FILE_KEY_VALUE, t.LIST, t.List(t.STRUCT, entries))
        encoded = t.encode_struct(footer)
        self._write(encoded)
        self._write(len(encoded).to_bytes(4, "little"))
        self._write(MAGIC)

    def _write(self, data: bytes | memoryview) -> None:
        self._out.write(data)
        self._pos += len(data)


def _shift_fields(value: t.Struct, fids: tuple[int, ...], shift: int) -> None:
    for i, (fid, ttype, item) in enumerate(value.fields):
        if fid in fids:
            value.fields[i] = (fid, ttype, item + shift)


def write_parquet(
    chunks: Iterator[pl.DataFrame | Encoded],
    schema: pl.Schema,
    dest: Path,
    metadata: Mapping[str, str],
) -> None:
    """Write ``chunks`` to ``dest`` as one Parquet file with ``metadata`` as key-value
    metadata; a chunk is encoded in a second thread while the next one is generated
    (or was encoded by a worker process: then its bytes are only stitched in)."""

    def add(chunk: pl.DataFrame | Encoded) -> None:
        if isinstance(chunk, Encoded):
            stitcher.add(memoryview(chunk.data["parquet"]))
            return
        buffer = io.BytesIO()
        encode_into(chunk, "parquet", buffer, first=False)
        stitcher.add(buffer.getbuffer())

    with open(dest, "wb") as out:
        stitcher = _Stitcher(out)
        if not pipeline(chunks, add):
            add(pl.DataFrame(schema=schema))  # a valid file with no rows
        stitcher.finish(metadata)
