"""Thrift's compact protocol, just enough to edit a Parquet footer.

Parquet stores its file metadata (the footer) and its page indexes as Thrift structs
in the compact protocol. The Parquet writer (:mod:`tempdata.export.parquet`) joins
per-chunk Parquet files into one file, which moves every row group and so changes the
byte offsets recorded in those structs. This module decodes a struct into a generic
tree, lets the caller change fields by id, and encodes it back; it knows nothing of
Parquet's field meanings.

A struct is a :class:`Struct`: a list of ``(field_id, type, value)`` in wire order.
Values are ``bool``, ``int``, ``float``, ``bytes``, :class:`Struct`, :class:`List`,
:class:`Map`, or :class:`Raw` (an already encoded struct, for writing only).
"""

from __future__ import annotations

import struct as _struct
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "BINARY",
    "BOOL",
    "I16",
    "I32",
    "I64",
    "LIST",
    "STRUCT",
    "List",
    "Map",
    "Raw",
    "Struct",
    "decode_struct",
    "encode_struct",
]

# Wire types of the compact protocol (BOOL stands for both BOOLEAN_TRUE and _FALSE).
STOP, BOOL, _BOOL_FALSE, BYTE, I16, I32, I64, DOUBLE, BINARY, LIST, SET, MAP, STRUCT = range(13)
UUID = 13
_INTS = (BYTE, I16, I32, I64)


@dataclass
class Struct:
    """A decoded struct: its fields in wire order."""

    fields: list[tuple[int, int, Any]] = field(default_factory=list)

    def get(self, fid: int, default: Any = None) -> Any:
        for f, _, value in self.fields:
            if f == fid:
                return value
        return default

    def set(self, fid: int, ttype: int, value: Any) -> None:
        """Replace field ``fid``, or add it keeping the fields ordered by id."""
        for i, (f, _, _) in enumerate(self.fields):
            if f == fid:
                self.fields[i] = (fid, ttype, value)
                return
        self.fields.append((fid, ttype, value))
        self.fields.sort(key=lambda item: item[0])

    def remove(self, fid: int) -> None:
        self.fields = [item for item in self.fields if item[0] != fid]


@dataclass
class List:
    """A list (or set) of elements of one wire type."""

    etype: int
    items: list[Any]
    is_set: bool = False


@dataclass
class Map:
    ktype: int
    vtype: int
    items: list[tuple[Any, Any]]


@dataclass(frozen=True)
class Raw:
    """A struct already encoded (written as is, for example inside a list)."""

    data: bytes


class ThriftError(ValueError):
    """The bytes are not a well-formed compact-protocol struct."""


class _Reader:
    __slots__ = ("buf", "pos")

    def __init__(self, buf: bytes | memoryview, pos: int) -> None:
        self.buf = buf
        self.pos = pos

    def byte(self) -> int:
        try:
            b = self.buf[self.pos]
        except IndexError:
            msg = "truncated Thrift data"
            raise ThriftError(msg) from None
        self.pos += 1
        return b

    def varint(self) -> int:
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7
            if shift > 70:
                msg = "Thrift varint too long"
                raise ThriftError(msg)

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def take(self, n: int) -> bytes:
        end = self.pos + n
        if n < 0 or end > len(self.buf):
            msg = "truncated Thrift data"
            raise ThriftError(msg)
        out = bytes(self.buf[self.pos : end])
        self.pos = end
        return out

    def value(self, ttype: int) -> Any:
        if ttype in (BOOL, _BOOL_FALSE):  # inside a list: one byte per element
            return self.byte() == BOOL
        if ttype == BYTE:
            b = self.byte()
            return b - 256 if b > 127 else b
        if ttype in (I16, I32, I64):
            return self.zigzag()
        if ttype == DOUBLE:
            return _struct.unpack("<d", self.take(8))[0]
        if ttype == BINARY:
            return self.take(self.varint())
        if ttype == UUID:
            return self.take(16)
        if ttype in (LIST, SET):
            head = self.byte()
            size, etype = head >> 4, head & 0x0F
            if size == 15:
                size = self.varint()
            etype = BOOL if etype == _BOOL_FALSE else etype
            return List(etype, [self.value(etype) for _ in range(size)], is_set=ttype == SET)
        if ttype == MAP:
            size = self.varint()
            if size == 0:
                return Map(0, 0, [])
            kinds = self.byte()
            ktype, vtype = kinds >> 4, kinds & 0x0F
            return Map(ktype, vtype, [(self.value(ktype), self.value(vtype)) for _ in range(size)])
        if ttype == STRUCT:
            return self.struct()
        msg = f"unknown Thrift type {ttype}"
        raise ThriftError(msg)

    def struct(self) -> Struct:
        out = Struct()
        last = 0
        while True:
            head = self.byte()
            ttype = head & 0x0F
            if ttype == STOP:
                return out
            delta = head >> 4
            fid = last + delta if delta else self.zigzag()
            last = fid
            if ttype in (BOOL, _BOOL_FALSE):  # the value is the type
                out.fields.append((fid, BOOL, ttype == BOOL))
            else:
                out.fields.append((fid, ttype, self.value(ttype)))


def decode_struct(buf: bytes | memoryview, pos: int = 0) -> tuple[Struct, int]:
    """The struct encoded at ``buf[pos:]`` and the position just after it."""
    reader = _Reader(buf, pos)
    return reader.struct(), reader.pos


def _varint(out: bytearray, n: int) -> None:
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


def _zigzag(out: bytearray, n: int) -> None:
    _varint(out, (n << 1) ^ (n >> 63))


def _value(out: bytearray, ttype: int, value: Any) -> None:
    if ttype == BOOL:
        out.append(BOOL if value else _BOOL_FALSE)
    elif ttype == BYTE:
        out.append(value & 0xFF)
    elif ttype in (I16, I32, I64):
        _zigzag(out, value)
    elif ttype == DOUBLE:
        out += _struct.pack("<d", value)
    elif ttype == BINARY:
        _varint(out, len(value))
        out += value
    elif ttype == UUID:
        out += value
    elif ttype in (LIST, SET):
        size = len(value.items)
        if size < 15:
            out.append((size << 4) | value.etype)
        else:
            out.append(0xF0 | value.etype)
            _varint(out, size)
        for item in value.items:
            _value(out, value.etype, item)
    elif ttype == MAP:
        _varint(out, len(value.items))
        if value.items:
            out.append((value.ktype << 4) | value.vtype)
            for k, v in value.items:
                _value(out, value.ktype, k)
                _value(out, value.vtype, v)
    elif ttype == STRUCT:
        if isinstance(value, Raw):
            out += value.data
        else:
            _struct_into(out, value)
    else:
        msg = f"unknown Thrift type {ttype}"
        raise ThriftError(msg)


def _struct_into(out: bytearray, value: Struct) -> None:
    last = 0
    for fid, ttype, item in value.fields:
        wire = (BOOL if item else _BOOL_FALSE) if ttype == BOOL else ttype
        delta = fid - last
        if 0 < delta <= 15:
            out.append((delta << 4) | wire)
        else:
            out.append(wire)
            _zigzag(out, fid)
        last = fid
        if ttype != BOOL:
            _value(out, ttype, item)
    out.append(STOP)


def encode_struct(value: Struct) -> bytes:
    """The compact-protocol bytes of ``value``."""
    out = bytearray()
    _struct_into(out, value)
    return bytes(out)
