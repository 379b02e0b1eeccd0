"""Excel (.xlsx) through xlsxwriter in constant-memory mode.

xlsxwriter writes cell by cell, so this is the one place with a per-row Python loop
(about 15k rows/s). A sheet holds 1,048,575 data rows under its header; further rows
continue on a next sheet with the same header. The workbook's creation date is fixed,
so the same data gives the same file.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from tempdata.core.tempfiles import temp_folder

__all__ = ["EXCEL_MAX_DATA_ROWS", "write_excel"]

#: Excel's 1,048,576 rows per sheet, less the header.
EXCEL_MAX_DATA_ROWS = 1_048_575
FIXED_CREATED = dt.datetime(2000, 1, 1)
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def _excel_values(chunk: pl.DataFrame) -> pl.DataFrame:
    """Dates as Excel serial numbers (formatted by the column), text for the rest."""
    exprs = []
    for name, dtype in chunk.schema.items():
        c = pl.col(name)
        if dtype == pl.Date:
            exprs.append(
                (c - pl.lit(_EXCEL_EPOCH.date())).dt.total_days().cast(pl.Float64).alias(name)
            )
        elif isinstance(dtype, pl.Datetime):
            c = c.dt.replace_time_zone(None) if dtype.time_zone else c
            micros = (c - pl.lit(_EXCEL_EPOCH)).dt.total_microseconds()
            exprs.append((micros / 86_400_000_000).alias(name))
        elif dtype.is_numeric() or dtype == pl.Boolean:
            exprs.append(c)
        else:
            exprs.append(c.cast(pl.String))
    return chunk.select(exprs)


def _sheet_names(base: str) -> Iterator[str]:
    base = "".join(ch for ch in base if ch not in "[]:*?/\\")[:28] or "data"
    yield base
    k = 2
    while True:
        yield f"{base}_{k}"
        k += 1


def write_excel(
    chunks: Iterator[pl.DataFrame],
    schema: pl.Schema,
    dest: Path,
    *,
    sheet: str = "data",
    max_rows_per_sheet: int = EXCEL_MAX_DATA_ROWS,
) -> None:
    """Write ``chunks`` into an .xlsx workbook, rolling onto a new sheet when one is full."""
    import xlsxwriter

    # xlsxwriter keeps each sheet's rows and the parts of the zip in temporary files
    # of its own: in a folder of this run's, removed however the write ends (and by a
    # later run if this one is killed), never left in $TMPDIR.
    scratch = temp_folder()
    options = {
        "tmpdir": str(scratch),
        "constant_memory": True,
        "strings_to_numbers": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "nan_inf_to_errors": True,
    }
    workbook = xlsxwriter.Workbook(str(dest), options)
    workbook.set_properties({"created": FIXED_CREATED})
    header_fmt = workbook.add_format({"bold": True})
    formats: dict[int, Any] = {}
    for i, dtype in enumerate(schema.values()):
        if dtype == pl.Date:
            formats[i] = workbook.add_format({"num_format": "yyyy-mm-dd"})
        elif isinstance(dtype, pl.Datetime):
            formats[i] = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    names = _sheet_names(sheet)
    header = list(schema.names())

    def new_sheet() -> Any:
        ws = workbook.add_worksheet(next(names))
        for i, fmt in formats.items():
            ws.set_column(i, i, 19, fmt)
        ws.write_row(0, 0, header, header_fmt)
        return ws

    try:
        try:
            ws = new_sheet()
            row = 0
            for chunk in chunks:
                for values in _excel_values(chunk).iter_rows():
                    if row == max_rows_per_sheet:
                        ws = new_sheet()
                        row = 0
                    row += 1
                    ws.write_row(row, 0, values)
        finally:
            _close(workbook)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _close(workbook: Any) -> None:
    """Close (assemble) the workbook; xlsxwriter's wrapped file errors become the
    ``OSError`` underneath (the writer reports it in one line)."""
    from xlsxwriter.exceptions import FileCreateError

    try:
        workbook.close()
    except FileCreateError as exc:
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else None
        if cause is not None:
            raise cause from None
        raise OSError(str(exc)) from None
