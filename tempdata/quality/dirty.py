"""Dirty data, on purpose: seeded, chunk-independent, labelled damage.

A :class:`Dirt` lists kinds of damage and the share of rows each hits. The planner
applies it to each finished chunk (after every column and rule), from streams keyed
by the seed, the dataset, the kind and the chunk, so a chunk generated alone is
damaged exactly as in the whole run. Each hit row gets one cell damaged per kind
(a column drawn among those the kind applies to), and the label column ``_damage``
names every damaged cell of the row as ``kind:column`` (``;``-separated; null for a
clean row), so a test can tell damage it expects from damage it does not.

Kinds, and what :func:`tempdata.validate` flags them with:

========== =============================================== ==============================
kind       damage                                          flagged by
========== =============================================== ==============================
nulls      the cell becomes null                           ``not_null:<column>``
duplicates the row repeats another row of its chunk        ``key_unique`` (needs a key)
typos      a keyboard slip: a neighbouring key typed too,  ``type:<column>`` on
           a letter dropped, case changed, stray spaces    categories (enums)
outliers   a number scaled by 20–200, sign flipped half    the dataset's range rules
           the time
orphan_keys a foreign key beyond its parent's rows          ``references:<column>``
                                                           (with a manifest)
late_rows  a timestamp moved back 1 hour to 30 days        the dataset's sort rules
format_drift the date written in another format             ``type:<column>``
           (31/12/2024, 12-31-2024, 20241231, ...)
========== =============================================== ==============================

A column hit by ``typos`` or ``format_drift`` is text in the output (an enum or a
date column cannot hold the damaged values).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import polars as pl

from tempdata.errors import InvalidParameterError, suggest

__all__ = ["KINDS", "LABEL", "Dirt", "eligible_columns"]

KINDS = (
    "duplicates",
    "nulls",
    "typos",
    "outliers",
    "orphan_keys",
    "late_rows",
    "format_drift",
)
LABEL = "_damage"
_DRIFT_FORMATS = ("%d/%m/%Y", "%m-%d-%Y", "%Y%m%d", "%d.%m.%Y", "%b %d, %Y")
_DRIFT_TIMES = ("%d/%m/%Y %H:%M", "%m-%d-%Y %I:%M %p", "%Y%m%d%H%M%S", "%d.%m.%Y %H:%M:%S")
# A neighbouring key on a QWERTY keyboard, for a slip of the finger.
_NEIGHBOUR = dict(
    zip(
        "qwertyuiopasdfghjklzxcvbnm1234567890",
        "wertyuiopqsdfghjklaxcvbnmz2345678901",
        strict=True,
    )
)


@dataclass(frozen=True)
class Dirt:
    """Damage to apply: ``rates`` (kind → share of rows), optionally limited to some
    ``columns`` per kind, and whether to add the ``_damage`` label column."""

    rates: Mapping[str, float]
    columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    label: bool = True

    def __post_init__(self) -> None:
        for kind, rate in self.rates.items():
            if kind not in KINDS:
                msg = f"unknown kind of damage {kind!r}{suggest(kind, KINDS)}"
                raise InvalidParameterError(msg)
            if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
                msg = f"{kind} must be a share of rows from 0 to 1, got {rate!r}"
                raise InvalidParameterError(msg)
        for kind in self.columns:
            if kind not in self.rates:
                msg = f"columns for {kind!r}, which has no rate"
                raise InvalidParameterError(msg)
        object.__setattr__(self, "rates", MappingProxyType(dict(self.rates)))
        object.__setattr__(
            self, "columns", MappingProxyType({k: tuple(v) for k, v in self.columns.items()})
        )

    def targets(
        self, schema: Mapping[str, pl.DataType], keys: Sequence[str], references: Sequence[str]
    ) -> dict[str, tuple[str, ...]]:
        """The columns each kind may hit (checked: a named column must suit the kind)."""
        out = {}
        for kind, rate in self.rates.items():
            if not rate or kind == "duplicates":
                continue
            fits = eligible_columns(kind, schema, keys, references)
            chosen = self.columns.get(kind)
            if chosen is None:
                if not fits:
                    msg = f"{kind}: no column of this dataset can take it"
                    raise InvalidParameterError(msg)
                out[kind] = fits
                continue
            for c in chosen:
                if c not in fits:
                    why = "no such column" if c not in schema else f"not a column {kind} applies to"
                    msg = f"{kind}: {c!r} is {why}{suggest(c, fits)}"
                    raise InvalidParameterError(msg)
            out[kind] = chosen
        return out

    def schema(
        self, schema: Mapping[str, pl.DataType], targets: Mapping[str, Sequence[str]]
    ) -> dict[str, pl.DataType]:
        """The output schema once damaged: enum columns that get typos and date
        columns that drift become text; the label column is added."""
        out = dict(schema)
        for kind in ("typos", "format_drift"):
            for c in targets.get(kind, ()):
                out[c] = pl.String()
        if self.label:
            out[LABEL] = pl.String()
        return out


def eligible_columns(
    kind: str, schema: Mapping[str, pl.DataType], keys: Sequence[str], references: Sequence[str]
) -> tuple[str, ...]:
    """Columns ``kind`` applies to by default."""
    out = []
    for name, dtype in schema.items():
        if name == LABEL:
            continue
        text = dtype == pl.String or isinstance(dtype, (pl.Enum, pl.Categorical))
        numeric = dtype.is_numeric()
        temporal = dtype == pl.Date or isinstance(dtype, pl.Datetime)
        if kind == "nulls":
            ok = True
        elif kind == "typos":
            ok = text and name not in keys and name not in references
        elif kind == "outliers":
            ok = numeric and name not in keys and name not in references
        elif kind == "orphan_keys":
            ok = name in references
        else:  # late_rows, format_drift
            ok = temporal
        if ok:
            out.append(name)
    return tuple(out)


# --------------------------------------------------------------------------- damage


def _rows(rng: np.random.Generator, n: int, rate: float) -> np.ndarray[Any, Any]:
    return np.flatnonzero(rng.random(n) < rate)


def _typos(values: pl.Series, u: np.ndarray[Any, Any]) -> pl.Series:
    """Each value with one slip; every slip changes the text."""
    s = values.cast(pl.String).fill_null("")
    n = len(s)
    frame = pl.DataFrame(
        {
            "s": s,
            "op": (u[:, 0] * 4).astype(np.int64),
            "u": u[:, 1],
            "side": u[:, 2] < 0.5,
        }
    )
    length = pl.col("s").str.len_chars()
    at = (pl.col("u") * length).floor().cast(pl.Int64).clip(0, pl.max_horizontal(length - 1, 0))
    head = pl.col("s").str.slice(0, at)
    char = pl.col("s").str.slice(at, 1)
    tail = pl.col("s").str.slice(at + 1)
    neighbour = char.str.to_lowercase().replace_strict(_NEIGHBOUR, default="x")
    fat_finger = pl.concat_str([head, char, neighbour, tail])
    dropped = pl.concat_str([head, tail])
    upper = pl.col("s").str.to_uppercase()
    lower = pl.col("s").str.to_lowercase()
    case = pl.when(upper != pl.col("s")).then(upper).otherwise(lower)
    space = pl.when(pl.col("side")).then(pl.lit(" ") + pl.col("s")).otherwise(pl.col("s") + " ")
    out = frame.select(
        pl.when((pl.col("op") == 0) & (length > 0))
        .then(fat_finger)
        .when((pl.col("op") == 1) & (length > 1))
        .then(dropped)
        .when((pl.col("op") == 2) & (case != pl.col("s")))
        .then(case)
        .otherwise(space)
        .alias("x")
    )
    assert out.height == n
    return out.get_column("x")


def _outliers(values: pl.Series, u: np.ndarray[Any, Any]) -> pl.Series:
    x = values.cast(pl.Float64).to_numpy()
    factor = 20.0 + 180.0 * u[:, 0]
    sign = np.where(u[:, 1] < 0.5, -1.0, 1.0)
    scaled = np.where(np.nan_to_num(x) == 0.0, factor * sign, x * factor * sign)
    if values.dtype.is_integer():
        info = np.iinfo(values.to_numpy().dtype)
        scaled = np.clip(np.round(scaled), info.min, info.max)
    return pl.Series(values.name, scaled).cast(values.dtype)


def _late(values: pl.Series, u: np.ndarray[Any, Any]) -> pl.Series:
    if values.dtype == pl.Date:
        days = 1 + (u[:, 0] * 30).astype(np.int32)
        return (values.cast(pl.Int32) - pl.Series(days)).cast(pl.Date)
    seconds = 3600 + (u[:, 0] * (30 * 86_400 - 3600)).astype(np.int64)
    return values - pl.Series(seconds * 1_000_000).cast(pl.Duration("us"))


def _drift(values: pl.Series, u: np.ndarray[Any, Any]) -> pl.Series:
    formats = _DRIFT_FORMATS if values.dtype == pl.Date else _DRIFT_TIMES
    pick = (u[:, 0] * len(formats)).astype(np.int64)
    out = pl.Series(values.name, [None] * len(values), dtype=pl.String)
    for k, fmt in enumerate(formats):
        rows = np.flatnonzero(pick == k)
        if len(rows):
            out = out.scatter(rows, values.gather(rows).dt.strftime(fmt))
    return out


def _iso(values: pl.Series) -> pl.Series:
    if values.dtype == pl.Date:
        return values.dt.strftime("%Y-%m-%d")
    return values.dt.strftime("%Y-%m-%dT%H:%M:%S%.6f")


def damage(
    frame: pl.DataFrame,
    dirt: Dirt,
    targets: Mapping[str, Sequence[str]],
    streams: Any,
    orphan: Mapping[str, Any],
) -> pl.DataFrame:
    """``frame`` damaged by ``dirt``; ``streams(kind)`` gives the kind's Generator for
    this chunk; ``orphan[column](n)`` gives ``n`` keys that are not in the parent."""
    n = frame.height
    label_rows: list[np.ndarray[Any, Any]] = []
    label_text: list[np.ndarray[Any, Any]] = []
    for kind in KINDS:
        rate = dirt.rates.get(kind, 0.0)
        if not rate or n == 0:
            continue
        rng = streams(kind)
        rows = _rows(rng, n, rate)
        if kind == "duplicates":
            if n < 2 or not len(rows):
                continue
            source = (rows + 1 + (rng.random(len(rows)) * (n - 1)).astype(np.int64)) % n
            order = np.arange(n)
            order[rows] = source
            frame = frame[order]
            label_rows.append(rows)
            label_text.append(np.full(len(rows), "duplicates", dtype=object))
            continue
        columns = list(targets[kind])
        if not len(rows):
            continue
        which = (rng.random(len(rows)) * len(columns)).astype(np.int64)
        u = rng.random((len(rows), 3))
        updates = {}
        for k, column in enumerate(columns):
            hit = rows[which == k]
            if not len(hit):
                continue
            values = frame.get_column(column)
            if kind == "nulls":
                new = values.scatter(hit, None)
            elif kind == "typos":
                text = values.cast(pl.String)
                new = text.scatter(hit, _typos(text.gather(hit), u[which == k]))
            elif kind == "outliers":
                new = values.scatter(hit, _outliers(values.gather(hit), u[which == k]))
            elif kind == "orphan_keys":
                new = values.scatter(hit, orphan[column](u[which == k]))
            elif kind == "late_rows":
                new = values.scatter(hit, _late(values.gather(hit), u[which == k]))
            else:  # format_drift
                new = _iso(values).scatter(hit, _drift(values.gather(hit), u[which == k]))
            updates[column] = new
            label_rows.append(hit)
            label_text.append(np.full(len(hit), f"{kind}:{column}", dtype=object))
        if updates:
            frame = frame.with_columns(list(updates.values()))
    # Columns a kind may turn to text are text in every chunk, damaged or not.
    casts = []
    for kind in ("typos", "format_drift"):
        for column in targets.get(kind, ()):
            values = frame.get_column(column)
            if values.dtype != pl.String:
                casts.append(_iso(values) if kind == "format_drift" else values.cast(pl.String))
    if casts:
        frame = frame.with_columns(casts)
    if dirt.label:
        marks = pl.Series(LABEL, [None] * n, dtype=pl.String)
        if label_rows:
            hits = pl.DataFrame(
                {"row": np.concatenate(label_rows), "what": np.concatenate(label_text)},
                schema={"row": pl.Int64, "what": pl.String},
            )
            joined = hits.group_by("row", maintain_order=True).agg(pl.col("what").str.join(";"))
            marks = marks.scatter(joined["row"].to_numpy(), joined["what"])
        frame = frame.with_columns(marks)
    return frame
