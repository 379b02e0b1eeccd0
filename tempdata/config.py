"""Generation settings: :class:`DatasetConfig` and the checks shared by the Python API,
the CLI and (later) plan files, so that each bad value gets the same one-line error
everywhere.

Time-series datasets
--------------------
A dataset that declares a time-series layout (``Dataset(..., time_series=...)``) has
one row per entity (a coin, a sensor) per step of a regular grid of ``interval``
(default: the dataset's own), sorted by time, then entity. ``time_series=True`` is
accepted and implied; ``interval`` must be one the dataset allows. ``rows``,
``date_range`` and the entity count ``E`` relate as follows:

* **A range with a start** (``date_range=(start, end)``; a missing end is the
  reference date): the grid is every step of the dataset's calendar in
  ``[start, end]`` (both ends included; all steps for 24/7 data), so the dataset has
  ``E × steps`` rows. ``rows`` may be left out; given, it must equal ``E × steps``,
  or the call fails with an error that states the expected value.
* **No start** (no ``date_range``, or ``(None, end)``): the grid ends at the last
  step on or before ``end`` (default: the end of the reference date) and reaches
  back as far as ``rows`` (default 500) needs: ``ceil(rows / E)`` steps. When
  ``rows`` is not a multiple of ``E``, the earliest timestamp holds only the last
  ``rows mod E`` entities, so the latest timestamp is always complete.

A range that holds no grid step, an interval the dataset does not take, and rows
that contradict the range are errors. Datasets without a layout reject
``time_series`` and ``interval``.

``time_series`` may also be a :class:`~tempdata.core.timeseries.TimeSeriesConfig` (or a
mapping of its fields): seasonal cycles, an added trend and a volatility multiplier.
It implies ``time_series=True``, reaches the samplers as ``Params.series``, and is
recorded in :class:`tempdata.RunInfo`; a config equal to the defaults gives the same
data as none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from tempdata.core.plan import Dataset, Grid, Params
from tempdata.core.seeding import Seeder
from tempdata.errors import InvalidParameterError

if TYPE_CHECKING:
    from tempdata.core.timeseries import TimeSeriesConfig

__all__ = [
    "INTERVALS",
    "MAX_ROWS",
    "DatasetConfig",
    "check_rows",
    "check_time_series",
    "resolve_date_range",
    "resolve_grid",
    "resolve_params",
]

#: Rows of a dataset when the user gives no row count (DESIGN §3a).
DEFAULT_ROWS = 500

#: Time-series intervals, by name, in seconds (aliases included).
INTERVALS: dict[str, int] = {
    "1min": 60,
    "5min": 300,
    "15min": 900,
    "30min": 1800,
    "1h": 3600,
    "1hour": 3600,
    "1d": 86400,
    "1day": 86400,
    "1w": 604800,
    "1week": 604800,
}


#: The most rows one dataset may have, in every entry point (API, CLI, plans, the
#: pytest plugin): a trillion, checked before anything is planned or allocated.
MAX_ROWS = 10**12


def check_rows(rows: object) -> int:
    """``rows`` as a positive int up to :data:`MAX_ROWS`, or an error naming the value."""
    if isinstance(rows, bool) or not isinstance(rows, (int, np.integer)):
        msg = f"rows must be a positive integer, got {rows!r}"
        raise InvalidParameterError(msg)
    if rows <= 0:
        msg = f"rows must be a positive integer, got {rows}"
        raise InvalidParameterError(msg)
    if rows > MAX_ROWS:
        msg = f"rows must be a positive integer up to {MAX_ROWS:,} (10**12), got {rows:,}"
        raise InvalidParameterError(msg)
    return int(rows)


def check_time_series(value: object) -> tuple[bool, TimeSeriesConfig | None]:
    """``time_series`` as (asked for, config): ``True``/``False`` (``None`` is
    ``False``), or a :class:`~tempdata.core.timeseries.TimeSeriesConfig` or a mapping
    of its fields.

    >>> check_time_series(True)
    (True, None)
    >>> check_time_series({"volatility_level": "high"})[1].volatility
    2.0
    """
    if value is None:
        return False, None
    if isinstance(value, bool):
        return value, None
    from tempdata.core.timeseries import TimeSeriesConfig

    return True, TimeSeriesConfig.coerce(value)


def _moment(value: object, *, end: bool, what: str) -> dt.datetime:
    if isinstance(value, str):
        text = value.strip()
        try:
            value = (
                dt.datetime.fromisoformat(text)
                if ("T" in text or " " in text)
                else dt.date.fromisoformat(text)
            )
        except ValueError:
            msg = f"{what} must be an ISO date like '2024-01-31' (or a datetime), got {value!r}"
            raise InvalidParameterError(msg) from None
    if isinstance(value, dt.datetime):
        # Generated times are wall-clock times of their place (DESIGN §3a), so a
        # zone-aware bound keeps its wall-clock reading and drops the zone.
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        if end:
            return dt.datetime.combine(value, dt.time(23, 59, 59, 999_999))
        return dt.datetime.combine(value, dt.time())
    msg = f"{what} must be a date, a datetime or an ISO date string, got {value!r}"
    raise InvalidParameterError(msg)


def resolve_date_range(
    date_range: object, reference_date: dt.date, span_days: int = 365
) -> tuple[dt.datetime, dt.datetime]:
    """The inclusive (start, end) of a date range.

    By default, the ``span_days`` days ending at the reference date. Either end may be
    ``None``: ``(start, None)`` runs to the reference date, ``(None, end)`` covers
    ``span_days`` days ending at ``end``. A date as the end means the whole day.

    >>> resolve_date_range(("2024-01-01", "2024-01-31"), dt.date(2025, 1, 1))[1]
    datetime.datetime(2024, 1, 31, 23, 59, 59, 999999)
    >>> resolve_date_range((None, "2024-12-31"), dt.date(2025, 1, 1), 31)[0]
    datetime.datetime(2024, 12, 1, 0, 0)
    """
    if date_range is None:
        date_range = (None, None)
    if (
        isinstance(date_range, (str, bytes))
        or not isinstance(date_range, Sequence)
        or len(date_range) != 2
    ):
        msg = f"date_range must be a pair (start, end), got {date_range!r}"
        raise InvalidParameterError(msg)
    first, last = date_range
    if last is None:
        last = reference_date
    end = _moment(last, end=True, what="date_range end")
    if first is None:
        if end.year < 1900:  # the default start would fall before year 1
            msg = f"date_range must lie between 1900 and 2200, got an end of {end:%Y-%m-%d}"
            raise InvalidParameterError(msg)
        first = end.date() - dt.timedelta(days=span_days - 1)
    start = _moment(first, end=False, what="date_range start")
    if start > end:
        msg = f"date_range start {start:%Y-%m-%d %H:%M} is after its end {end:%Y-%m-%d %H:%M}"
        raise InvalidParameterError(msg)
    if start.year < 1900 or end.year > 2200:
        msg = f"date_range must lie between 1900 and 2200, got {start:%Y-%m-%d} to {end:%Y-%m-%d}"
        raise InvalidParameterError(msg)
    return start, end


@dataclass(frozen=True)
class DatasetConfig:
    """Everything that decides one dataset's content, as one value.

    Parameters mirror :func:`tempdata.generate`; ``formats`` is used by
    :meth:`create`. Bad values fail when the config is made.

    >>> cfg = DatasetConfig("products", rows=10, seed=3)
    >>> cfg.generate().height
    10
    """

    name: str
    rows: int | None = None
    country: str = "global"
    date_range: tuple[Any, Any] | None = None
    #: ``True``/``False``, or a :class:`~tempdata.core.timeseries.TimeSeriesConfig`
    #: (a mapping of its fields becomes one).
    time_series: bool | TimeSeriesConfig | Mapping[str, Any] = False
    interval: str | None = None
    seed: int | Seeder | None = None
    formats: tuple[str, ...] | None = None
    custom_params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    locale: str | None = None
    reference_date: Any = None

    def __post_init__(self) -> None:
        if self.rows is not None:
            check_rows(self.rows)
        _, series = check_time_series(self.time_series)
        if series is not None:
            object.__setattr__(self, "time_series", series)
        if self.interval is not None and self.interval not in INTERVALS:
            msg = f"unknown interval {self.interval!r} — valid: {', '.join(INTERVALS)}"
            raise InvalidParameterError(msg)
        if self.formats is not None:
            from tempdata.export.formats import check_format

            object.__setattr__(self, "formats", tuple(check_format(f) for f in self.formats))
        object.__setattr__(self, "custom_params", MappingProxyType(dict(self.custom_params)))

    def kwargs(self) -> dict[str, Any]:
        """The keyword arguments of :func:`tempdata.generate` this config stands for."""
        return {
            "rows": self.rows,
            "seed": self.seed,
            "reference_date": self.reference_date,
            "country": self.country,
            "locale": self.locale,
            "date_range": self.date_range,
            "custom_params": dict(self.custom_params),
            "time_series": self.time_series,
            "interval": self.interval,
        }

    def generate(self, **kwargs: Any) -> Any:
        """:func:`tempdata.generate` with this config (``columns=``, ``with_info=`` ...)."""
        from tempdata.api import generate

        return generate(self.name, **{**self.kwargs(), **kwargs})

    def stream(self, **kwargs: Any) -> Any:
        """:func:`tempdata.stream` with this config (``chunks=`` ...)."""
        from tempdata.api import stream

        return stream(self.name, **{**self.kwargs(), **kwargs})

    def create(self, path: Any, **kwargs: Any) -> Any:
        """:func:`tempdata.create_dataset` with this config, written to ``path`` (a file,
        or a folder that gets ``<name>.<ext>`` per format)."""
        from tempdata.api import create_dataset

        options = {**self.kwargs(), "dataset": self.name, "formats": self.formats, **kwargs}
        return create_dataset(path, **options)


def _check_custom(dataset: Dataset, custom: object) -> dict[str, Any]:
    if custom is None:
        return {}
    if not isinstance(custom, Mapping):
        msg = f"custom_params must be a mapping of parameter → value, got {custom!r}"
        raise InvalidParameterError(msg)
    checked: dict[str, Any] = {}
    for key, value in custom.items():
        if key not in dataset.parameters:
            known = ", ".join(sorted(dataset.parameters)) or "none"
            msg = f"dataset {dataset.name!r} has no parameter {key!r} — it takes: {known}"
            raise InvalidParameterError(msg)
        checked[key] = dataset.parameters[key].check(value, dataset.name, key)
    return checked


def _calendar_steps(
    dataset: Dataset, calendar: Any, start: dt.datetime, end: dt.datetime, seconds: int
) -> Any:
    from tempdata.core.timeseries import steps_between

    if calendar is None:
        return steps_between(start, end, interval=seconds)
    steps = np.asarray(calendar(start, end, seconds), dtype=np.int64)
    if steps.ndim != 1 or (steps.size > 1 and bool((np.diff(steps) <= 0).any())):
        msg = f"dataset {dataset.name!r}: its calendar must return ascending grid steps"
        raise InvalidParameterError(msg)
    return steps


def _span(start: dt.datetime, end: dt.datetime) -> str:
    return f"{start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M}"


def resolve_grid(
    dataset: Dataset,
    *,
    rows: int | None,
    date_range: object,
    interval: str | None,
    reference_date: dt.date,
    custom: Mapping[str, Any],
) -> Grid:
    """The grid of a time-series dataset from rows, date_range and interval.

    The rules are in this module's documentation.

    >>> from tempdata.datasets import registry
    >>> g = resolve_grid(registry.get("crypto"), rows=None, interval="1day",
    ...                  date_range=("2024-01-01", "2024-01-31"),
    ...                  reference_date=dt.date(2025, 12, 31), custom={})
    >>> g.rows, len(g.steps), g.n_entities
    (465, 31, 15)
    """
    layout = dataset.time_series
    assert layout is not None
    name = interval if interval is not None else layout.interval
    if name not in INTERVALS:
        msg = f"unknown interval {name!r} — valid: {', '.join(INTERVALS)}"
        raise InvalidParameterError(msg)
    seconds = INTERVALS[name]
    if all(INTERVALS[a] != seconds for a in layout.intervals):
        msg = f"dataset {dataset.name!r} takes interval {', '.join(layout.intervals)}, got {name!r}"
        raise InvalidParameterError(msg)
    labels, n_ent, calendar = layout.resolve(dataset.name, dataset.parameters, custom)
    ids = layout.entity_ids(labels if labels else n_ent)
    unit = layout.unit + ("s" if n_ent != 1 else "")
    has_start = date_range is not None and (
        isinstance(date_range, Sequence)
        and not isinstance(date_range, (str, bytes))
        and len(date_range) == 2
        and date_range[0] is not None
    )
    start, end = resolve_date_range(date_range, reference_date, dataset.date_span_days)
    if has_start:
        steps = _calendar_steps(dataset, calendar, start, end, seconds)
        if not len(steps):
            msg = (
                f"dataset {dataset.name!r}: date_range {_span(start, end)} holds no {name} "
                "step; widen it or pick a shorter interval"
            )
            raise InvalidParameterError(msg)
        expected = n_ent * len(steps)
        if rows is not None and rows != expected:
            msg = (
                f"dataset {dataset.name!r}: date_range {_span(start, end)} at {name} has "
                f"{len(steps):,} steps × {n_ent:,} {unit} = {expected:,} rows, not {rows:,}; "
                f"leave rows out or set rows={expected}"
            )
            raise InvalidParameterError(msg)
        return Grid(name, seconds, steps, ids, labels)
    n = DEFAULT_ROWS if rows is None else rows
    need = -(-n // n_ent)
    earliest = dt.datetime(1900, 1, 1)
    window = dt.timedelta(seconds=seconds * need)
    while True:
        first = max(end - window, earliest)
        steps = _calendar_steps(dataset, calendar, first, end, seconds)
        if len(steps) >= need or first == earliest:
            break
        window *= 2
    if len(steps) < need:
        msg = (
            f"dataset {dataset.name!r}: {n:,} rows need {need:,} {name} steps before "
            f"{end:%Y-%m-%d %H:%M}, more than the grid holds since 1900; ask for fewer rows"
        )
        raise InvalidParameterError(msg)
    return Grid(name, seconds, steps[len(steps) - need :], ids, labels, skip=need * n_ent - n)


def resolve_params(
    dataset: Dataset,
    *,
    rows: object,
    seeder: Seeder,
    country: object = "global",
    locale: str | None = None,
    date_range: object = None,
    time_series: object = False,
    interval: str | None = None,
    custom_params: Mapping[str, Any] | None = None,
) -> Params:
    """Check every argument and return the :class:`Params` the planner runs with.

    ``rows=None`` means the default: 500 rows, or for a time-series dataset with a
    date range, every entity at every step of the range (see the module's docs).
    ``time_series`` is ``True``/``False`` or a config (:func:`check_time_series`).
    """
    from tempdata.geo.countries import resolve_country
    from tempdata.samplers.geo import check_locale

    n = None if rows is None else check_rows(rows)
    code = resolve_country(country)
    if locale is not None:
        check_locale(locale)
    start, end = resolve_date_range(date_range, seeder.reference_date, dataset.date_span_days)
    if interval is not None and interval not in INTERVALS:
        msg = f"unknown interval {interval!r} — valid: {', '.join(INTERVALS)}"
        raise InvalidParameterError(msg)
    wanted, series = check_time_series(time_series)
    if dataset.time_series is None and (wanted or interval is not None):
        msg = f"dataset {dataset.name!r} has no time-series mode (time_series/interval)"
        raise InvalidParameterError(msg)
    custom = _check_custom(dataset, custom_params)
    grid = None
    if dataset.time_series is not None:
        grid = resolve_grid(
            dataset,
            rows=n,
            date_range=date_range,
            interval=interval,
            reference_date=seeder.reference_date,
            custom=custom,
        )
        n = grid.rows
        if n > MAX_ROWS:
            msg = (
                f"dataset {dataset.name!r}: the grid holds {n:,} rows, more than "
                f"{MAX_ROWS:,} (10**12); choose a shorter range, a longer interval or fewer "
                "entities"
            )
            raise InvalidParameterError(msg)
        first, last = grid.times(grid.steps[[0, -1]]).astype(dt.datetime).tolist()
        start, end = first, last
    return Params(
        rows=DEFAULT_ROWS if n is None else n,
        reference_date=seeder.reference_date,
        date_start=start,
        date_end=end,
        country=code,
        locale=locale,
        custom=MappingProxyType(custom),
        grid=grid,
        series=series,
    )
