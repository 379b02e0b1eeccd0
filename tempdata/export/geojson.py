"""GeoJSON: a FeatureCollection of Points from the ``lat``/``lon`` columns."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from tempdata.errors import ExportFormatError

__all__ = ["check_geojson", "write_geojson"]

LAT, LON = "lat", "lon"


def check_geojson(schema: pl.Schema, dataset: str) -> None:
    """Raise a clear error unless the data has numeric ``lat`` and ``lon`` columns."""
    missing = [c for c in (LAT, LON) if c not in schema or not schema[c].is_numeric()]
    if missing:
        msg = (
            f"geojson needs numeric 'lat' and 'lon' columns, and dataset {dataset!r} has no "
            f"{' or '.join(repr(m) for m in missing)} — choose parquet, csv, json, ndjson or excel"
        )
        raise ExportFormatError(msg)


def _features(chunk: pl.DataFrame) -> pl.Series:
    from tempdata.export.json import iso_datetimes

    chunk = chunk.with_columns(iso_datetimes(chunk.schema))
    props = [c for c in chunk.columns if c not in (LAT, LON)]
    properties = pl.struct(props).struct.json_encode() if props else pl.lit("{}")
    geometry = (
        pl.when(pl.col(LAT).is_null() | pl.col(LON).is_null())
        .then(pl.lit("null"))
        .otherwise(
            pl.concat_str(
                pl.lit('{"type":"Point","coordinates":['),
                pl.col(LON).cast(pl.String),
                pl.lit(","),
                pl.col(LAT).cast(pl.String),
                pl.lit("]}"),
            )
        )
    )
    feature = pl.concat_str(
        pl.lit('{"type":"Feature","geometry":'),
        geometry,
        pl.lit(',"properties":'),
        properties,
        pl.lit("}"),
    )
    return chunk.select(feature.alias("f")).to_series()


def write_geojson(chunks: Iterator[pl.DataFrame], schema: pl.Schema, dest: Path) -> None:
    """Write ``chunks`` as one FeatureCollection, a chunk at a time.

    Each chunk's features go straight from Polars' CSV writer into the file (one
    unquoted column, ``,\n`` after each), without building the chunk's text in Python.
    """
    wrote = False
    with dest.open("wb") as out:
        out.write(b'{"type":"FeatureCollection","features":[\n')
        for chunk in chunks:
            if chunk.is_empty():
                continue
            _features(chunk).to_frame().write_csv(
                out, include_header=False, quote_style="never", line_terminator=",\n"
            )
            wrote = True
        if wrote:  # drop the separator after the last feature
            out.seek(-2, os.SEEK_END)
            out.truncate()
        out.write(b"\n]}\n")
