"""The ``tempdata`` command line: ``generate``, ``list``, ``describe``, ``preview``, ``geo``.

Each command is one function whose ``Annotated`` options hand plain values to the
Python API (:func:`tempdata.create_dataset`, :func:`tempdata.generate`,
:func:`tempdata.describe`). The boundary catches only :class:`tempdata.TempDataError`
and usage errors, each reported as one line on standard error::

    0    done
    1    a runtime failure (unwritable path, disk full, missing reference data)
    2    bad input or usage (unknown dataset, bad option value, unknown option)
    130  interrupted (Ctrl-C); what was finished is reported
    143  terminated (SIGTERM); cleaned up as for Ctrl-C

Anything else is a bug and keeps its traceback. The library is reached only through
attributes of the ``tempdata`` package inside the commands, and rich only inside the
commands, so ``tempdata --help`` loads no more than ``import tempdata`` does.
"""

import datetime as dt
import errno
import math
import os
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from typer.core import TyperGroup

import tempdata
from tempdata.errors import InvalidParameterError, TempDataError
from tempdata.export.database import redact
from tempdata.export.formats import (
    FORMATS,
    STDOUT,
    check_format,
    check_local,
    check_path_length,
    split_path,
)

try:  # typer >= 0.2x vendors click
    from typer._click.exceptions import ClickException, UsageError
except ImportError:  # pragma: no cover - older typer depends on click itself
    from click.exceptions import (  # type: ignore[no-redef, assignment, unused-ignore]
        ClickException,
        UsageError,
    )

if TYPE_CHECKING:
    from collections.abc import Sequence

    import polars as pl
    from rich.console import Console

__all__ = ["app", "main"]

PROG = "tempdata"
#: Format used when neither ``--format``/``--formats`` nor the output's extension names one.
DEFAULT_FORMAT = "parquet"
#: Format of ``--output -`` (standard output) when none is given.
DEFAULT_STDOUT_FORMAT = "csv"


# --------------------------------------------------------------------------- boundary


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _error(message: str) -> None:
    """Write ``tempdata: error: <message>`` as a single line on standard error."""
    # every error line is masked: a password in a URI never reaches the screen
    sys.stderr.write(f"{PROG}: error: {redact(_one_line(message))}\n")
    sys.stderr.flush()


def _exit_code(exc: TempDataError) -> int:
    """2 for bad input (the ``ValueError`` branch of the hierarchy), 1 for runtime failures."""
    return 2 if isinstance(exc, ValueError) else 1


def _quiet_broken_pipe() -> None:
    """Standard output was closed by its reader (``tempdata ... -o - | head``)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file descriptor (test runner)
        pass


def _is_broken_pipe(exc: BaseException | None) -> bool:
    """Whether ``exc`` comes from a closed pipe (Polars raises a bare ``OSError`` for it)."""
    while exc is not None:
        if isinstance(exc, BrokenPipeError) or (
            isinstance(exc, OSError)
            and (exc.errno == errno.EPIPE or "broken pipe" in str(exc).lower())
        ):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


class _Group(TyperGroup):
    """A typer group whose errors are one line on stderr with the exit codes above.

    Typer prints usage errors as a multi-line panel; this class runs typer's own
    ``main`` non-standalone and does the standalone part itself, so the behaviour is
    the same from the installed executable, ``python -m tempdata`` and
    ``typer.testing.CliRunner``.
    """

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as exc:  # commands that know better report it themselves
            sys.stderr.write(f"{PROG}: {_stopped(exc)}\n")
            raise typer.Exit(_stop_code(exc)) from None

    def main(  # type: ignore[override]
        self,
        args: "Sequence[str] | None" = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = super().main(
                args, prog_name or PROG, complete_var, standalone_mode=False, **extra
            )
        except UsageError as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # bare `tempdata`: help was shown
                message = exc.format_message().strip()
                if message:
                    sys.stderr.write(message + "\n")
                sys.exit(exc.exit_code)
            hint = ""
            if exc.ctx is not None and exc.ctx.command.get_help_option(exc.ctx) is not None:
                hint = f" (see '{exc.ctx.command_path} --help')"
            _error(exc.format_message() + hint)
            sys.exit(exc.exit_code)
        except ClickException as exc:
            _error(exc.format_message())
            sys.exit(exc.exit_code)
        except typer.Abort:
            _error("aborted")
            sys.exit(1)
        except TempDataError as exc:
            if _is_broken_pipe(exc):
                _quiet_broken_pipe()
                sys.exit(1)
            _error(str(exc) or type(exc).__name__)
            sys.exit(_exit_code(exc))
        except OSError as exc:  # a file system's refusal that no check foresaw: one line
            if _is_broken_pipe(exc):
                _quiet_broken_pipe()
                sys.exit(1)
            where = f": {redact(str(exc.filename))[:200]}" if exc.filename else ""
            _error(f"{exc.strerror or exc}{where}")
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


app = typer.Typer(
    cls=_Group,
    name=PROG,
    epilog="Exit codes: 0 done, 1 runtime failure, 2 bad input or usage, 130 interrupted, "
    "143 terminated.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        import platform

        from tempdata.api import versions

        v = versions()
        typer.echo(
            f"{PROG} {tempdata.__version__} (polars {v['polars']}, numpy {v['numpy']}, "
            f"python {platform.python_version()})"
        )
        raise typer.Exit


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version,
            is_eager=True,
            help="Show the version of tempdata (and of Polars and NumPy) and exit.",
        ),
    ] = False,
) -> None:
    """Realistic fake data at high speed, reproducible by seed.

    Start with `tempdata list`, look at a dataset with `tempdata describe sales` or
    `tempdata preview sales`, then write it with `tempdata generate sales -n 1_000_000`.
    """


_terminated = False


def _on_sigterm(signum: int, frame: object) -> None:
    """SIGTERM while Python code runs: stop as Ctrl-C does; the exit code is 143.

    If the watcher thread of :func:`_forward_sigterm` got there first, it has already
    sent SIGINT: a second interrupt would only disturb the cleanup.
    """
    global _terminated
    if _terminated:
        return
    _terminated = True
    raise KeyboardInterrupt


def _forward_sigterm() -> None:
    """Turn SIGTERM into Ctrl-C, even while Polars' engine holds the main thread.

    Python runs signal handlers only between bytecodes of the main thread, which a
    streaming sink keeps busy in native code until it ends; Polars itself reacts to
    SIGINT. The C-level handler writes each signal's number to a wake-up pipe at once;
    a watcher thread reads it and sends this process SIGINT, which stops the engine
    and runs the writer's cleanup as Ctrl-C does.
    """
    import signal
    import threading

    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    signal.set_wakeup_fd(write_end)
    signal.signal(signal.SIGTERM, _on_sigterm)

    def watch() -> None:
        global _terminated
        while True:
            received = os.read(read_end, 64)
            if signal.SIGTERM in received and not _terminated:
                _terminated = True
                os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=watch, name="tempdata-sigterm", daemon=True).start()


def _stop_code(exc: BaseException) -> int:
    return 143 if _terminated else 130


def _stopped(exc: BaseException) -> str:
    return "terminated" if _terminated else "interrupted"


def main() -> None:
    """Run the ``tempdata`` command line (the console-script entry point)."""
    # `kill`, CI timeouts and container stops send SIGTERM: clean up as for Ctrl-C.
    _forward_sigterm()
    app(prog_name=PROG)


# --------------------------------------------------------------------------- options

Rows = Annotated[
    int | None,
    typer.Option(
        "--rows",
        "-n",
        help="Number of rows; underscores are allowed (1_000_000). Default: 500; for a "
        "time-series dataset with --start, every entity at every step of the range.",
        show_default=False,
    ),
]
Seed = Annotated[
    int | None,
    typer.Option(
        "--seed",
        help="Root seed (a non-negative integer). Without it the clock picks one, "
        "which is printed so the run can be replayed.",
        show_default=False,
    ),
]
ReferenceDate = Annotated[
    str | None,
    typer.Option(
        "--reference-date",
        metavar="DATE",
        help="Date that relative defaults (the last 365 days) end at. "
        "Default: 2025-12-31 with --seed, today without.",
        show_default=False,
    ),
]
Country = Annotated[
    str,
    typer.Option(
        "--country",
        help="Where people and places come from: a name or ISO code "
        "(germany, US, united_states) or global (weighted by population).",
    ),
]
Locale = Annotated[
    str | None,
    typer.Option(
        "--locale", help="Locale of names (de_DE). Default: the country's.", show_default=False
    ),
]
Start = Annotated[
    str | None,
    typer.Option(
        "--start",
        metavar="DATE",
        help="First day of the date range (ISO date or datetime), inclusive. "
        "Alone, the range runs to the reference date.",
        show_default=False,
    ),
]
End = Annotated[
    str | None,
    typer.Option(
        "--end",
        metavar="DATE",
        help="Last day of the date range, inclusive (a date means the whole day). "
        "Alone, the range is the dataset's default span ending that day.",
        show_default=False,
    ),
]
TimeSeries = Annotated[
    bool,
    typer.Option(
        "--time-series",
        help="Generate the dataset as time series (datasets that have that mode).",
        show_default=False,
    ),
]
Interval = Annotated[
    str | None,
    typer.Option(
        "--interval",
        help="Time-series step: 1min 5min 15min 30min 1h 1d 1w (also 1hour, 1day, 1week).",
        show_default=False,
    ),
]
SeasonalPatterns = Annotated[
    str | None,
    typer.Option(
        "--seasonal-patterns",
        "--seasonality",
        metavar="A,B",
        help="Time series: the seasonal cycles to keep, of daily,weekly,yearly (none for "
        "none). Default: all the dataset has.",
        show_default=False,
    ),
]
TrendDirection = Annotated[
    str | None,
    typer.Option(
        "--trend-direction",
        "--trend",
        metavar="up|down|random|none",
        help="Time series: add a trend (random: each entity its own). Default: none.",
        show_default=False,
    ),
]
VolatilityLevel = Annotated[
    str | None,
    typer.Option(
        "--volatility-level",
        "--volatility",
        metavar="low|medium|high|X",
        help="Time series: scale the volatility (0.5, 1, 2 or the number X). Default: medium.",
        show_default=False,
    ),
]
Columns = Annotated[
    str | None,
    typer.Option(
        "--columns",
        metavar="A,B",
        help="Keep only these columns (comma-separated).",
        show_default=False,
    ),
]
Drop = Annotated[
    str | None,
    typer.Option(
        "--drop",
        metavar="A,B",
        help="Leave these columns out (comma-separated).",
        show_default=False,
    ),
]
Param = Annotated[
    list[str] | None,
    typer.Option(
        "--param",
        "-p",
        metavar="KEY=VALUE",
        help="A dataset parameter (repeatable; `tempdata describe` lists them). "
        "Integers, decimals and true/false are parsed; anything else is text.",
        show_default=False,
    ),
]
DatasetName = Annotated[
    str,
    typer.Argument(
        metavar="DATASET", help="Dataset name (see `tempdata list`).", show_default=False
    ),
]


# --------------------------------------------------------------------------- parsing


def _names(value: str | None) -> list[str] | None:
    """``"a, b"`` → ``["a", "b"]``; ``None`` stays ``None``."""
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


_NUMBER = re.compile(r"[+-]?(\d[\d_]*)?\.?\d[\d_]*([eE][+-]?\d+)?")


def _param_value(text: str) -> object:
    """A ``--param`` value: an int (``1_000``), a float, ``true``/``false``, else the text."""
    try:
        return int(text)
    except ValueError:
        pass
    if _NUMBER.fullmatch(text.strip()):
        return float(text)
    if text.strip().lower() in ("true", "false"):
        return text.strip().lower() == "true"
    return text


def _params(values: "Sequence[str] | None") -> dict[str, object] | None:
    """``["customers=150"]`` → ``{"customers": 150}`` (the API's ``custom_params``)."""
    if not values:
        return None
    params: dict[str, object] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            msg = f"expected KEY=VALUE, got {item!r}"
            raise typer.BadParameter(msg, param_hint="'--param'")
        params[key.strip()] = _param_value(value.strip())
    return params


def _moment(value: str, option: str) -> dt.date | dt.datetime:
    """An ISO date (``2024-01-31``) or datetime (``2024-01-31T08:00``) given to ``option``."""
    text = value.strip()
    try:
        if "T" in text or " " in text:
            return dt.datetime.fromisoformat(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = f"{value!r} is not an ISO date like 2024-01-31 (or a datetime like 2024-01-31T08:00)"
        raise typer.BadParameter(msg, param_hint=f"'{option}'") from None


def _date_range(start: str | None, end: str | None) -> "tuple[Any, Any] | None":
    """``date_range`` for the API from ``--start``/``--end``.

    ``--start`` alone runs to the reference date; ``--end`` alone covers the
    dataset's default span ending that day (the library's rule for a missing end).
    """
    if start is None and end is None:
        return None
    first = None if start is None else _moment(start, "--start")
    last = None if end is None else _moment(end, "--end")
    return (first, last)


def _time_series(
    time_series: bool,
    seasonal_patterns: str | None,
    trend_direction: str | None,
    volatility_level: str | None,
) -> bool | dict[str, object]:
    """``time_series`` for the API: the flag, or the fields of a ``TimeSeriesConfig``
    given by ``--seasonal-patterns``, ``--trend-direction``, ``--volatility-level``."""
    config: dict[str, object] = {}
    if seasonal_patterns is not None:
        none = seasonal_patterns.strip().lower() == "none"
        config["seasonal_patterns"] = [] if none else _names(seasonal_patterns.lower())
    if trend_direction is not None:
        config["trend_direction"] = trend_direction.strip().lower()
    if volatility_level is not None:
        level = _param_value(volatility_level.strip())
        config["volatility_level"] = level.lower() if isinstance(level, str) else level
    return config if config else time_series


def _options(
    *,
    rows: int | None,
    seed: int | None,
    reference_date: str | None,
    country: str,
    locale: str | None,
    start: str | None,
    end: str | None,
    time_series: bool,
    interval: str | None,
    columns: str | None,
    drop: str | None,
    param: "Sequence[str] | None",
    seasonal_patterns: str | None = None,
    trend_direction: str | None = None,
    volatility_level: str | None = None,
) -> dict[str, Any]:
    """The generation options shared by ``generate`` and ``preview``, as API keywords."""
    return {
        "rows": rows,
        "seed": seed,
        "reference_date": reference_date,
        "country": country,
        "locale": locale,
        "date_range": _date_range(start, end),
        "time_series": _time_series(
            time_series, seasonal_patterns, trend_direction, volatility_level
        ),
        "interval": interval,
        "columns": _names(columns),
        "drop": _names(drop),
        "custom_params": _params(param),
    }


def _formats(fmt: str | None, formats: str | None) -> list[str] | None:
    """Canonical format names from ``--format`` or ``--formats`` (``None``: neither given)."""
    if fmt is not None and formats is not None:
        msg = "--format and --formats cannot be used together (--formats csv,parquet names several)"
        raise UsageError(msg)
    names = [fmt] if fmt is not None else _names(formats)
    if names is None:
        return None
    if not names:
        msg = "--formats must name at least one format, e.g. --formats csv,parquet"
        raise InvalidParameterError(msg)
    return list(dict.fromkeys(check_format(n) for n in names))


def _destination(
    output: str | None, dataset: str, formats: list[str] | None
) -> tuple[str | Path, list[str]]:
    """The path and formats to hand to :func:`tempdata.create_dataset`.

    ``-`` is standard output; an existing directory or a path ending in ``/`` (or no
    ``--output``: the current directory) receives ``<dataset><ext>`` per format;
    anything else is a file whose extension, if any, must agree with the formats.
    """
    check_local(output, "--output")
    check_path_length(output, "--output")
    if output == STDOUT:
        return STDOUT, formats or [DEFAULT_STDOUT_FORMAT]
    if output is None or output.endswith(("/", os.sep)) or Path(output).is_dir():
        folder = Path(output) if output else Path()
        return folder / dataset, formats or [DEFAULT_FORMAT]
    path = Path(output)
    _, ext_format, _ = split_path(path)
    if formats is None:
        return path, [ext_format or DEFAULT_FORMAT]
    if ext_format is not None and ext_format not in formats:
        msg = (
            f"--output {output!r} is a {ext_format} file name but the formats asked for are "
            f"{', '.join(formats)}; change the extension, or give a folder or a name without one"
        )
        raise InvalidParameterError(msg)
    return path, formats


def _planned(path: Path, formats: "Sequence[str]") -> list[Path]:
    """The files :func:`tempdata.create_dataset` writes for ``path`` and ``formats``."""
    stem, ext_format, _ = split_path(path)
    return [path if f == ext_format else path.with_name(stem + FORMATS[f][0]) for f in formats]


# --------------------------------------------------------------------------- output


def _size(n: int) -> str:
    """Bytes in decimal units: ``1_234_567`` → ``1.2 MB``."""
    size = float(n)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000:
            return f"{n} B" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} TB"


def _progress(console: "Console", rows: int, label: str) -> Any:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("rows"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )
    progress.add_task(label, total=rows)
    return progress


def _stderr_console() -> "Console":
    from rich.console import Console

    return Console(stderr=True)


def _show_progress(console: "Console", quiet: bool, rows: int) -> bool:
    """A bar for runs of more than one chunk, on an interactive stderr."""
    return not quiet and rows > tempdata.CHUNK_SIZE and console.is_terminal


# --------------------------------------------------------------------------- commands


@app.command()
def generate(
    dataset: DatasetName,
    rows: Rows = None,
    seed: Seed = None,
    reference_date: ReferenceDate = None,
    country: Country = "global",
    locale: Locale = None,
    start: Start = None,
    end: End = None,
    time_series: TimeSeries = False,
    interval: Interval = None,
    seasonal_patterns: SeasonalPatterns = None,
    trend_direction: TrendDirection = None,
    volatility_level: VolatilityLevel = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help=f"Output format: {', '.join(FORMATS)}. Default: the output's extension, "
            f"else {DEFAULT_FORMAT} ({DEFAULT_STDOUT_FORMAT} for -o -).",
            show_default=False,
        ),
    ] = None,
    formats: Annotated[
        str | None,
        typer.Option(
            "--formats",
            metavar="A,B",
            help="Several formats at once (csv,parquet): each chunk is generated once and "
            "written to each. Not with --format.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="A file (sales.parquet, data.csv.gz), or a folder (an existing directory "
            "or a path ending in /) that receives DATASET.<ext> per format; - writes csv "
            "or ndjson to standard output. Default: the current directory.",
            show_default=False,
        ),
    ] = None,
    columns: Columns = None,
    drop: Drop = None,
    if_exists: Annotated[
        Literal["replace", "error", "skip", "append"],
        typer.Option(
            "--if-exists",
            help="What to do with an existing output file (replace, error, skip; replaced "
            "only once every format was written) or database table (replace, error, "
            "append; in one transaction).",
        ),
    ] = "replace",
    param: Param = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            "-w",
            help="Worker processes generating the chunks; the output is the same for any number.",
        ),
    ] = 1,
    layout: Annotated[
        Literal["single", "parts"],
        typer.Option(
            "--layout",
            help="single: one file per format; parts: a folder of 1,000,000-row part "
            "files per format (parquet, csv, ndjson) with a _SUCCESS marker.",
        ),
    ] = "single",
    backend: Annotated[
        Literal["local", "dask"],
        typer.Option(
            "--backend",
            help="local: this machine; dask: part files written by a Dask cluster's workers "
            "(implies --layout parts; needs tempdata[dask]).",
        ),
    ] = "local",
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar="sqlite:///FILE|duckdb:///FILE",
            help="Load into a database table named after the dataset, in one "
            "transaction (instead of files).",
            show_default=False,
        ),
    ] = None,
    address: Annotated[
        str | None,
        typer.Option(
            "--address",
            metavar="tcp://HOST:8786",
            help="The Dask scheduler (default: DASK_SCHEDULER_ADDRESS, else a local "
            "cluster started for the run).",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Generate DATASET and write it to files (or standard output), atomically.

    Prints the seed and reference date that replay the run, the files written with
    their sizes, and the speed. Examples:

    * `tempdata generate sales -n 1_000_000 --seed 42 --formats parquet,csv -o out/`
    * `tempdata generate products -n 100 -o - | head`
    * `tempdata generate crypto --start 2024-01-01 --trend up --volatility high -o -`
    """
    options = _options(
        rows=rows,
        seed=seed,
        reference_date=reference_date,
        country=country,
        locale=locale,
        start=start,
        end=end,
        time_series=time_series,
        interval=interval,
        columns=columns,
        drop=drop,
        param=param,
        seasonal_patterns=seasonal_patterns,
        trend_direction=trend_direction,
        volatility_level=volatility_level,
    )
    if to is not None:
        if output is not None or fmt is not None or formats is not None:
            msg = "--to loads a database table: not with --output, --format or --formats"
            raise UsageError(msg)
        started = time.perf_counter()
        uri, info = tempdata.create_dataset(
            to, dataset=dataset, if_exists=if_exists, with_info=True, workers=workers, **options
        )
        if not quiet:
            elapsed = time.perf_counter() - started
            sys.stdout.write(
                f"{PROG}: loaded {info.rows:,} rows of {info.dataset} into table "
                f"{info.dataset} of {redact(uri)}\n  seed            {info.seed}\n"
                f"  time            {elapsed:.2f} s\n"
            )
        return
    path, fmts = _destination(output, dataset, _formats(fmt, formats))
    to_stdout = path == STDOUT
    existed = set()
    if if_exists == "skip" and isinstance(path, Path):
        existed = {p for p in _planned(path, fmts) if p.exists()}

    console = _stderr_console()
    done = 0

    def on_chunk(chunk: "pl.DataFrame") -> None:
        nonlocal done
        done += chunk.height
        if bar is not None:
            bar.advance(bar.task_ids[0], chunk.height)

    planned = rows or 0  # unknown before the run when a date range decides it
    bar = _progress(console, planned, dataset) if _show_progress(console, quiet, planned) else None
    started = time.perf_counter()
    try:
        if bar is not None:
            bar.start()
        try:
            paths, info = tempdata.create_dataset(
                path,
                dataset=dataset,
                formats=fmts,
                if_exists=if_exists,
                on_chunk=on_chunk,
                with_info=True,
                workers=workers,
                layout=layout,
                backend=backend,
                address=address,
                **options,
            )
        finally:
            if bar is not None:
                bar.stop()
    except KeyboardInterrupt as exc:
        if to_stdout:
            of = f" of {rows:,}" if rows else ""
            what = f"standard output got incomplete data (at least {done:,}{of} rows)"
        else:  # the writer renames its temporary files only when every format is done
            what = "nothing was written (existing files are untouched)"
        sys.stderr.write(f"{PROG}: {_stopped(exc)}; {what}\n")
        raise typer.Exit(_stop_code(exc)) from None
    elapsed = time.perf_counter() - started
    if quiet:
        return

    out = sys.stderr if to_stdout else sys.stdout
    lines = [
        f"{PROG}: generated {info.dataset}",
        f"  seed            {info.seed}",
        f"  reference date  {info.reference_date.isoformat()}",
        f"  rows            {info.rows:,}",
    ]
    for p in paths:
        if p == STDOUT:
            lines.append(f"  wrote           standard output ({fmts[0]})")
        elif Path(p) in existed:
            lines.append(f"  skipped         {p}  (exists; --if-exists skip)")
        else:
            folder = Path(p)
            if folder.is_dir():  # layout parts
                parts = sorted(folder.glob("part-*"))
                size = sum(f.stat().st_size for f in parts)
                noun = "part" if len(parts) == 1 else "parts"
                lines.append(f"  wrote           {p}/  ({len(parts)} {noun}, {_size(size)})")
            else:
                lines.append(f"  wrote           {p}  ({_size(folder.stat().st_size)})")
    rate = info.rows / elapsed if elapsed > 0 else math.inf
    lines.append(f"  time            {elapsed:.2f} s  ({rate:,.0f} rows/s)")
    lines.append(
        f"  replay          --seed {info.seed} --reference-date {info.reference_date.isoformat()}"
    )
    out.write("\n".join(lines) + "\n")
    out.flush()


@app.command("run")
def run_plan_command(
    plan: Annotated[
        Path | None,
        typer.Argument(help="A TOML plan file (DESIGN §7).", show_default=False),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option("--profile", help="Overlay [profiles.NAME] on the plan.", show_default=False),
    ] = None,
    only: Annotated[
        list[str] | None,
        typer.Option(
            "--only",
            metavar="NAME",
            help="Write only this dataset (repeatable); keys still refer to valid parents.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="Write into DIR instead of the plan's [output] dir.",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Check the plan and print what would be written."),
    ] = False,
    replay_manifest: Annotated[
        Path | None,
        typer.Option(
            "--replay",
            metavar="MANIFEST",
            help="Run a manifest.json's plan again into a fresh folder (a temporary one, or "
            "--output: new or empty) and compare every file's checksum; the manifest's "
            "folder is not changed.",
            show_default=False,
        ),
    ] = None,
    schema: Annotated[
        bool,
        typer.Option("--schema", help="Print the plan's JSON Schema (for editors) and exit."),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-w",
            help="Worker processes per dataset, instead of the plan's workers.",
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        Literal["first", "all", "none"],
        typer.Option(
            "--check",
            help="Verify each dataset's invariants on its first chunk, on every chunk "
            "(slower), or not at all; a broken one stops that dataset (exit 1).",
        ),
    ] = "first",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Run a batch PLAN: check it whole, then write its datasets in dependency order.

    Every problem of the plan is reported with its TOML path (exit 2) before anything
    is written. The output folder gets one file per dataset and format, and a
    manifest.json (seed, versions, resolved plan, checksums) that `--replay` runs
    again. Examples:

    * `tempdata run plan.toml`
    * `tempdata run plan.toml --profile ci --dry-run`
    * `tempdata run --replay out/manifest.json`
    """
    from tempdata.batch.plan import SCHEMA_PATH, PlanError, load_plan

    if schema:
        sys.stdout.write(SCHEMA_PATH.read_text(encoding="utf-8"))
        return
    if (plan is None) == (replay_manifest is None):
        msg = "give a plan file, or --replay MANIFEST (not both)"
        raise UsageError(msg)
    try:
        if replay_manifest is not None:
            if profile or only or dry_run:
                msg = (
                    "--replay runs the manifest's plan as recorded: "
                    "no --profile, --only or --dry-run"
                )
                raise UsageError(msg)
            _replay(replay_manifest, output, quiet)
            return
        assert plan is not None
        checked = load_plan(plan, profile=profile, only=only, output_dir=output)
        if workers is not None:
            from dataclasses import replace

            from tempdata.core.parallel import check_workers

            checked = replace(checked, workers=check_workers(workers))
    except PlanError as exc:
        for problem in exc.problems:
            _error(f"{exc.source}: {problem}")
        raise typer.Exit(2) from None
    if dry_run:
        _print_plan(checked)
        return
    _run_batch(checked, quiet, check)


def _print_plan(checked: Any) -> None:
    """What a run would write, one line per dataset (plain text, for pipes and logs)."""
    seed = str(checked.seed) + (
        "" if checked.seed_given else " (from the clock: set seed to keep it)"
    )
    profile = f" (profile {checked.profile})" if checked.profile else ""
    lines = [f"{PROG}: plan {checked.source}{profile}", f"  seed            {seed}"]
    lines.append(f"  into            {checked.output_dir}")
    width = max(len(e.name) for e in checked.datasets)
    for e in checked.datasets:
        rows = "default rows" if e.rows is None else f"{e.rows:,} row{'s' if e.rows != 1 else ''}"
        source = "" if e.dataset == e.name else f" (a {e.dataset} table)"
        refers = f"; keys into {', '.join(e.parents)}" if e.parents else ""
        files = ", ".join(f"{e.name}{_EXTENSION[f]}" for f in e.formats)
        lines.append(f"  {e.name:<{width}}  {rows} → {files}{source}{refers}")
    sys.stdout.write("\n".join(lines) + "\n")


_EXTENSION = {
    "parquet": ".parquet",
    "csv": ".csv",
    "json": ".json",
    "ndjson": ".ndjson",
    "excel": ".xlsx",
    "geojson": ".geojson",
}


def _batch_progress(console: "Console", quiet: bool) -> Any:
    """A progress bar per dataset while a batch runs (interactive stderr only)."""
    if quiet or not console.is_terminal:
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bars = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("rows"),
        console=console,
        transient=True,
    )
    tasks: dict[str, Any] = {}

    def on_progress(entry: Any, done: int, planned: int | None) -> None:
        if entry.name not in tasks:
            tasks[entry.name] = bars.add_task(entry.name, total=planned)
        bars.update(tasks[entry.name], completed=done)

    return bars, on_progress


def _run_batch(checked: Any, quiet: bool, check: str = "first") -> None:
    from tempdata.batch.run import run_plan

    console = _stderr_console()
    bars, on_progress = _batch_progress(console, quiet)
    started = time.perf_counter()
    try:
        if bars is not None:
            bars.start()
        try:
            result = run_plan(checked, on_progress=on_progress, check=check)
        finally:
            if bars is not None:
                bars.stop()
    except KeyboardInterrupt as exc:
        sys.stderr.write(
            f"{PROG}: {_stopped(exc)}; datasets finished before it are complete, the one "
            "being written was not written, and no manifest was written\n"
        )
        raise typer.Exit(_stop_code(exc)) from None
    if quiet:
        return
    _print_batch(result, time.perf_counter() - started)


def _print_batch(result: Any, elapsed: float) -> None:
    lines = [
        f"{PROG}: ran {len({f.dataset for f in result.files})} datasets",
        f"  seed            {result.seed}",
        f"  reference date  {result.manifest['reference_date']}",
    ]
    lines += [
        f"  wrote           {f.path}  ({f.rows:,} rows, {_size(f.bytes)})" for f in result.files
    ]
    lines.append(f"  manifest        {result.manifest_path}")
    lines.append(f"  time            {elapsed:.2f} s")
    lines.append(f"  replay          tempdata run --replay {result.manifest_path}")
    sys.stdout.write("\n".join(lines) + "\n")


def _replay(manifest: Path, output: str | None, quiet: bool) -> None:
    import warnings

    from tempdata.batch.run import replay

    console = _stderr_console()
    bars, on_progress = _batch_progress(console, quiet)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if bars is not None:
            bars.start()
        try:
            outcome = replay(manifest, output_dir=output, on_progress=on_progress)
        finally:
            if bars is not None:
                bars.stop()
    for w in caught:
        sys.stderr.write(f"{PROG}: warning: {w.message}\n")
    if not quiet:
        lines = [f"{PROG}: replayed {manifest}"]
        lines += [f"  identical       {p}" for p in outcome.identical]
        lines += [f"  DIFFERENT       {p}" for p in outcome.different]
        lines += [f"  not written     {p}" for p in outcome.missing]
        lines += [f"  reloaded        {uri}" for uri in outcome.reloaded]
        lines += [f"  DIFFERENT       {t}" for t in outcome.tables_different]
        lines += [f"  not reloaded    {why}" for why in outcome.not_reloaded]
        sys.stdout.write("\n".join(lines) + "\n")
    if not outcome.ok:
        raise typer.Exit(1)


@app.command("list")
def list_() -> None:
    """List every dataset in the catalogue, by domain."""
    from rich.console import Console
    from rich.table import Table

    infos = sorted(
        (tempdata.describe(name) for name in tempdata.list_datasets()),
        key=lambda info: (info.domain, info.name),
    )
    table = Table(title=f"{len(infos)} datasets", title_justify="left", show_lines=False)
    table.add_column("domain", style="bold")
    table.add_column("dataset", style="cyan", no_wrap=True)
    table.add_column("description")
    previous = None
    for info in infos:
        if previous is not None and info.domain != previous:
            table.add_section()
        table.add_row(info.domain if info.domain != previous else "", info.name, info.description)
        previous = info.domain
    Console().print(table)


@app.command()
def describe(
    dataset: DatasetName,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the schema as JSON (and nothing else).")
    ] = False,
    as_sql: Annotated[
        bool, typer.Option("--sql", help="Print a CREATE TABLE statement (ANSI types).")
    ] = False,
) -> None:
    """Show the columns (name, type, meaning), parameters and notes of DATASET."""
    if as_json and as_sql:
        msg = "--json and --sql cannot be used together"
        raise UsageError(msg)
    info = tempdata.describe(dataset)
    if as_json:
        typer.echo(info.to_json())
        return
    if as_sql:
        typer.echo(info.to_sql())
        return

    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    console.print(f"[bold cyan]{info.name}[/]  [dim]({info.domain})[/]", highlight=False)
    console.print(info.description, highlight=False, markup=False)
    if info.key:
        console.print(f"key: [bold]{info.key}[/]", highlight=False)
    table = Table(title="columns", title_justify="left")
    table.add_column("column", style="cyan", no_wrap=True)
    table.add_column("type", style="green", no_wrap=True)
    table.add_column("description")
    for column in info.columns:
        table.add_row(escape(column.name), escape(column.dtype), escape(column.description))
    console.print(table)
    if info.time_series is not None:
        layout = info.time_series
        ents = layout["entities"]
        what = (
            f"{len(ents)} {layout['unit']}s ({', '.join(ents)})"
            if isinstance(ents, list)
            else f"--param {ents}=N {layout['unit']}s"
        )
        console.print(
            f"[bold]time series[/]: {what} × every step of the range; --interval "
            f"{'|'.join(layout['intervals'])} (default {layout['interval']}); "
            "--seasonality, --trend, --volatility (see notes)",
            highlight=False,
        )
    if info.parameters:
        params = Table(title="parameters (--param KEY=VALUE)", title_justify="left")
        params.add_column("parameter", style="cyan", no_wrap=True)
        params.add_column("meaning")
        for key, meaning in info.parameters.items():
            params.add_row(escape(key), escape(meaning))
        console.print(params)
    if info.notes:
        console.print("[bold]notes[/]")
        console.print(info.notes, highlight=False, markup=False)


def _cell(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)


@app.command()
def validate(
    file: Annotated[
        Path,
        typer.Argument(
            help="A .parquet, .csv, .csv.gz, .ndjson/.jsonl or .json file.", show_default=False
        ),
    ],
    dataset: Annotated[
        str | None,
        typer.Option(
            "--dataset",
            "-d",
            help="The dataset the file should follow. Default: the one named in a Parquet "
            "file's metadata.",
            show_default=False,
        ),
    ] = None,
    country: Country = "global",
    manifest: Annotated[
        Path | None,
        typer.Option(
            "--manifest",
            "-m",
            help="A batch's manifest.json: check foreign keys against the parents' files "
            "(and allow the plan's own tables as --dataset).",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report as JSON (and nothing else).")
    ] = False,
) -> None:
    """Check FILE against a dataset's types, invariants and keys; exit 1 if any rule fails."""
    report = tempdata.validate(file, dataset, country=country, manifest=manifest)
    if as_json:
        typer.echo(report.to_json())
    else:
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table

        table = Table(
            title=f"{report.dataset}: {report.rows:,} rows of {escape(str(file))}",
            title_justify="left",
        )
        table.add_column("rule", style="cyan", no_wrap=True)
        table.add_column("kind")
        table.add_column("status", no_wrap=True)
        table.add_column("failed rows", justify="right")
        table.add_column("description")
        style = {"pass": "green", "fail": "bold red", "skipped": "dim"}
        for r in report.results:
            table.add_row(
                escape(r.rule),
                r.kind,
                f"[{style[r.status]}]{r.status}[/]",
                f"{r.failed:,}" if r.status != "skipped" else "",
                escape(r.description),
            )
        console = Console()
        console.print(table)
        verdict = "[green]pass[/]" if report.ok else "[bold red]fail[/]"
        console.print(f"score {report.score:.3f} % · {verdict}", highlight=False)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def preview(
    dataset: DatasetName,
    rows: Annotated[int, typer.Option("--rows", "-n", help="Number of rows to show.")] = 10,
    seed: Seed = None,
    reference_date: ReferenceDate = None,
    country: Country = "global",
    locale: Locale = None,
    start: Start = None,
    end: End = None,
    time_series: TimeSeries = False,
    interval: Interval = None,
    seasonal_patterns: SeasonalPatterns = None,
    trend_direction: TrendDirection = None,
    volatility_level: VolatilityLevel = None,
    columns: Columns = None,
    drop: Drop = None,
    param: Param = None,
) -> None:
    """Show a few rows of DATASET as a table (nothing is written).

    For a time-series dataset with --start, the first rows of the range.
    """
    options = _options(
        rows=rows,
        seed=seed,
        reference_date=reference_date,
        country=country,
        locale=locale,
        start=start,
        end=end,
        time_series=time_series,
        interval=interval,
        columns=columns,
        drop=drop,
        param=param,
        seasonal_patterns=seasonal_patterns,
        trend_direction=trend_direction,
        volatility_level=volatility_level,
    )
    if start is not None and tempdata.describe(dataset).time_series is not None:
        # The range decides the row count; show its first rows (one chunk at most).
        chunks = tempdata.stream(dataset, **{**options, "rows": None, "chunks": [0]})
        info = chunks.info
        frame = next(iter(chunks)).head(rows)
    else:
        frame, info = tempdata.generate(dataset, with_info=True, **options)

    from rich.console import Console

    console = Console() if sys.stdout.isatty() else Console(width=100_000)
    cells = [[_cell(v) for v in row] for row in frame.iter_rows()]
    caption = (
        f"{info.dataset}: {frame.height:,} rows, seed {info.seed}, "
        f"reference date {info.reference_date.isoformat()}"
    )
    numeric = {name for name, dtype in frame.schema.items() if dtype.is_numeric()}
    console.print(_fitted_table(console, frame.columns, cells, caption, numeric))


def _fitted_table(
    console: "Console",
    names: list[str],
    cells: list[list[str]],
    caption: str,
    numeric: set[str],
) -> Any:
    """A table of the leading columns that fit the console; the caption names the rest."""
    from rich.measure import Measurement
    from rich.table import Table

    def build(k: int) -> Table:
        note = ""
        if k < len(names):
            hidden = names[k:]
            note = f"; {len(hidden)} more columns not shown ({', '.join(hidden)}): use --columns"
        table = Table(caption=caption + note, caption_justify="left")
        for name in names[:k]:
            justify: Literal["left", "right"] = "right" if name in numeric else "left"
            table.add_column(name, justify=justify, no_wrap=True, overflow="ellipsis", max_width=40)
        for row in cells:
            table.add_row(*row[:k])
        return table

    unbounded = console.options.update_width(1_000_000)
    for k in range(len(names), 1, -1):
        table = build(k)
        if Measurement.get(console, unbounded, table).maximum <= console.width:
            return table
    return build(1)


# --------------------------------------------------------------------------- geo

geo_app = typer.Typer(
    name="geo",
    help="Addresses, routes and points of interest at real places.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(geo_app, name="geo")

GeoFormat = Annotated[
    Literal["table", "csv", "json", "geojson"] | None,
    typer.Option(
        "--format",
        "-f",
        help="table (on screen), csv, json or geojson. Default: the --output extension, "
        "else table.",
        show_default=False,
    ),
]
GeoOutput = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="PATH",
        help="Write to this file (csv, json or geojson) instead of standard output.",
        show_default=False,
    ),
]
_GEO_EXTENSIONS = {".csv": "csv", ".json": "json", ".geojson": "geojson"}


def _geo_format(fmt: str | None, output: str | None) -> str:
    """The format of a ``geo`` command: ``--format``, else the output's extension, else table."""
    ext = _GEO_EXTENSIONS.get(Path(output).suffix.lower()) if output and output != STDOUT else None
    if fmt is None:
        if output and output != STDOUT and ext is None:
            msg = (
                f"cannot tell the format of --output {output!r}: name a .csv, .json or "
                ".geojson file, or give --format"
            )
            raise InvalidParameterError(msg)
        return ext or ("csv" if output == STDOUT else "table")
    if fmt == "table" and output and output != STDOUT:
        msg = "--format table is for the screen; write files as csv, json or geojson"
        raise InvalidParameterError(msg)
    if ext is not None and ext != fmt:
        msg = f"--output {output!r} is a {ext} file name but --format is {fmt}"
        raise InvalidParameterError(msg)
    return fmt


def _geo_seed(seed: int | None, fmt: str) -> int:
    """The seed a ``geo`` command uses: the clock's when none is given, then reported on
    standard error (a table shows it in its caption)."""
    used = int(tempdata.Seeder(seed).seed)
    if seed is None and fmt != "table":
        sys.stderr.write(f"{PROG}: seed {used} (replay with --seed {used})\n")
    return used


def _emit(text: str, output: str | None) -> None:
    """Write ``text`` to standard output or, atomically, to the file ``output``."""
    if output is None or output == STDOUT:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from tempdata.core.tempfiles import temp_path
    from tempdata.errors import FileSystemError
    from tempdata.export.files import publish

    target = Path(output)
    tmp = temp_path(target)
    try:
        tmp.write_text(text, encoding="utf-8")
        publish(tmp, target, replace=True)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        msg = f"cannot write {output!r}: {exc.strerror or exc}"
        raise FileSystemError(msg) from None
    sys.stderr.write(f"{PROG}: wrote {output}\n")


def _frame_text(frame: "pl.DataFrame", fmt: str, dataset: str) -> str:
    import json

    if fmt == "csv":
        return frame.write_csv()
    if fmt == "json":
        return json.dumps(frame.to_dicts(), ensure_ascii=False, indent=2) + "\n"
    from tempdata.geo.geojson import points_geojson

    return points_geojson(frame, dataset=dataset)


def _show_table(frame: "pl.DataFrame", caption: str) -> None:
    from rich.console import Console

    console = Console() if sys.stdout.isatty() else Console(width=100_000)
    cells = [[_cell(v) for v in row] for row in frame.iter_rows()]
    numeric = {name for name, dtype in frame.schema.items() if dtype.is_numeric()}
    console.print(_fitted_table(console, frame.columns, cells, caption, numeric))


def _geo_out(
    frame: "pl.DataFrame", fmt: str, output: str | None, dataset: str, caption: str
) -> None:
    if fmt == "table":
        _show_table(frame, caption)
        return
    _emit(_frame_text(frame, fmt, dataset), output)


@geo_app.command("addresses")
def geo_addresses(
    country: Annotated[
        str,
        typer.Argument(
            metavar="COUNTRY",
            help="A name or ISO code (germany, US, united_states) or global.",
            show_default=False,
        ),
    ],
    rows: Annotated[int, typer.Option("--rows", "-n", help="Number of addresses.")] = 10,
    seed: Seed = None,
    state: Annotated[
        str | None,
        typer.Option("--state", help="Only this state or province.", show_default=False),
    ] = None,
    city: Annotated[
        str | None, typer.Option("--city", help="Only this city.", show_default=False)
    ] = None,
    fmt: GeoFormat = None,
    output: GeoOutput = None,
) -> None:
    """Addresses in COUNTRY whose street, city, state, postal code and coordinates agree.

    Example: `tempdata geo addresses germany -n 5 --seed 1 --format csv`
    """
    how = _geo_format(fmt, output)
    used = _geo_seed(seed, how)
    from tempdata.geo.address import addresses_frame

    frame = addresses_frame(country, rows, seed=used, state=state, city=city)
    caption = f"{frame.height:,} addresses in {country}, seed {used}"
    _geo_out(frame, how, output, "addresses", caption)


@geo_app.command("route")
def geo_route(
    start: Annotated[
        str,
        typer.Argument(
            metavar="FROM",
            help="Start city (Berlin, 'Springfield, IL', 'Paris, France').",
            show_default=False,
        ),
    ],
    end: Annotated[str, typer.Argument(metavar="TO", help="End city.", show_default=False)],
    waypoints: Annotated[
        int, typer.Option("--waypoints", "-w", help="Towns to pass through (0 to 25).")
    ] = 0,
    seed: Seed = None,
    fmt: GeoFormat = None,
    output: GeoOutput = None,
) -> None:
    """A route from FROM to TO through real towns near the way, with distance and time.

    table and csv list the stops; json is the whole route; geojson is a LineString
    with a Point per stop. Example: `tempdata geo route Berlin Munich --waypoints 3`
    """
    how = _geo_format(fmt, output)
    used = _geo_seed(seed, how)
    from tempdata.geo.routes import route

    found = route(start, end, waypoints=waypoints, seed=used)
    hours, minutes = divmod(round(found.estimated_time_minutes), 60)
    caption = (
        f"{found.distance_km:,.1f} km, about {hours} h {minutes:02d} min by road; "
        f"seed {found.seed}" + (f"; note: {found.note}" if found.note else "")
    )
    if how == "table":
        _show_table(found.stops_frame(), caption)
    elif how == "csv":
        _emit(found.stops_frame().write_csv(), output)
    elif how == "json":
        import json

        _emit(json.dumps(found.to_dict(), ensure_ascii=False, indent=2) + "\n", output)
    else:
        from tempdata.geo.geojson import route_geojson

        _emit(route_geojson(found), output)


@geo_app.command("pois")
def geo_pois(
    place: Annotated[
        str,
        typer.Argument(
            metavar="PLACE",
            help="A city (Berlin, 'Springfield, IL'), a country (germany, US) or global.",
            show_default=False,
        ),
    ],
    rows: Annotated[int, typer.Option("--rows", "-n", help="Number of POIs.")] = 10,
    category: Annotated[
        str | None,
        typer.Option(
            "--category",
            "-c",
            help="airport, bakery, bank, cafe, fuel_station, hospital, hotel, pharmacy, "
            "restaurant, school or supermarket. Default: a mix.",
            show_default=False,
        ),
    ] = None,
    seed: Seed = None,
    fmt: GeoFormat = None,
    output: GeoOutput = None,
) -> None:
    """Points of interest near PLACE: names, categories, coordinates (airports are real).

    Example: `tempdata geo pois Berlin -n 20 --category hospital --format geojson`
    """
    how = _geo_format(fmt, output)
    used = _geo_seed(seed, how)
    from tempdata.geo.poi import pois_frame

    frame = pois_frame(place, rows, category=category, seed=used)
    caption = f"{frame.height:,} POIs near {place}, seed {used}"
    _geo_out(frame, how, output, "pois", caption)
