"""Where a chunk's time goes: ``python -m bench.profile_sales [--rows 1M] [--pyinstrument]``.

Prints, for a dataset (default ``sales``), warm and in one process:

1. phases: generating the chunks alone, writing pre-generated chunks to Parquet
   alone, and the whole ``create_dataset`` (which overlaps the two), next to the
   baseline's build and ``write_parquet``;
2. per plan item (sampler or group), milliseconds per 50,000-row chunk, timed by
   wrapping the planner's sampler call (a bench-only peek at private methods);
3. per expression column and rule, milliseconds per chunk, re-evaluated on the
   inputs captured from the last chunk;
4. optionally a pyinstrument (or cProfile) profile of generating every chunk.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl

import tempdata
from bench import baseline
from tempdata.core.plan import Column, Group
from tempdata.core.planner import Planner
from tempdata.export.parquet import write_parquet


def _best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def _label(item: Any) -> str:
    if isinstance(item, Group):
        return f"{item.name} [{', '.join(item.columns)}]"
    return str(item.name)


def _sampler_repr(item: Any) -> str:
    source = item.sampler if isinstance(item, Group) else item.source
    text = repr(source)
    return text if len(text) <= 60 else text[:57] + "..."


def phases(dataset: str, rows: int, seed: int, repeat: int, folder: Path) -> None:
    print(f"Phases, {rows:,} rows, warm, best of {repeat} (s)")
    tempdata.generate(dataset, rows=min(rows, 1_000), seed=seed)  # load reference data
    chunks: list[pl.DataFrame] = []

    def gen() -> None:
        chunks.clear()
        chunks.extend(tempdata.stream(dataset, rows=rows, seed=seed))

    t_gen = _best(gen, repeat)
    schema = chunks[0].schema
    t_write = _best(
        lambda: write_parquet(iter(list(chunks)), schema, folder / "w.parquet", {}), repeat
    )
    t_full = _best(
        lambda: tempdata.create_dataset(folder / f"{dataset}.parquet", rows=rows, seed=seed),
        repeat,
    )
    t_concat = _best(lambda: pl.concat(chunks, rechunk=True), repeat)
    n = len(chunks)
    print(f"  generate chunks only          {t_gen:7.3f}   ({1000 * t_gen / n:6.1f} ms/chunk)")
    print(f"  write pre-generated → parquet {t_write:7.3f}   ({1000 * t_write / n:6.1f} ms/chunk)")
    print(
        f"  create_dataset → parquet      {t_full:7.3f}   (overlap {t_gen + t_write - t_full:+.3f})"
    )
    print(f"  concat (generate() only)      {t_concat:7.3f}")
    if dataset == "sales":
        frame: list[pl.DataFrame] = []
        t_build = _best(lambda: frame.append(baseline.build(rows, seed)), repeat)
        t_bwrite = _best(
            lambda: frame[-1].write_parquet(
                folder / "b.parquet", compression="zstd", row_group_size=baseline.ROW_GROUP
            ),
            repeat,
        )
        print(f"  baseline build                {t_build:7.3f}")
        print(f"  baseline write_parquet        {t_bwrite:7.3f}   (total {t_build + t_bwrite:.3f})")
    print()


def items(dataset: str, rows: int, seed: int) -> None:
    times: dict[str, list[float]] = collections.defaultdict(list)
    reprs: dict[str, str] = {}
    captured: dict[str, pl.Series] = {}
    totals: list[float] = []
    run_sampler = Planner._run_sampler
    chunk = Planner.chunk

    def timed_run(
        self: Planner, item: Any, index: int, n: int, built: dict[str, pl.Series]
    ) -> None:
        t = time.perf_counter()
        run_sampler(self, item, index, n, built)
        times[_label(item)].append(time.perf_counter() - t)
        reprs[_label(item)] = _sampler_repr(item)
        captured.clear()
        captured.update(built)

    def timed_chunk(self: Planner, index: int) -> pl.DataFrame:
        t = time.perf_counter()
        out = chunk(self, index)
        totals.append(time.perf_counter() - t)
        return out

    stream = tempdata.stream(dataset, rows=rows, seed=seed)
    planner: Planner = stream._planner  # bench-only peek
    list(tempdata.stream(dataset, rows=min(rows, 1_000), seed=seed))  # warm caches
    Planner._run_sampler = timed_run  # type: ignore[method-assign]
    Planner.chunk = timed_chunk  # type: ignore[method-assign]
    try:
        for _ in stream:
            pass
    finally:
        Planner._run_sampler = run_sampler  # type: ignore[method-assign]
        Planner.chunk = chunk  # type: ignore[method-assign]

    # Expression columns and rules, re-run on the last chunk's columns.
    built = dict(captured)
    for step in planner._steps:
        if step.exprs:
            out = pl.DataFrame(built).select(
                [c.source.alias(c.name) for c in step.exprs if isinstance(c.source, pl.Expr)]
            )
            built.update({c.name: out.get_column(c.name) for c in step.exprs})
    expr_ms: dict[str, float] = {}
    for step in planner._steps:
        for c in step.exprs:
            assert isinstance(c, Column)
            assert isinstance(c.source, pl.Expr)
            frame = pl.DataFrame({k: built[k] for k in c.inputs()})
            expr = c.source.alias(c.name)
            expr_ms[f"{c.name} (expr)"] = 1000 * _best(lambda f=frame, e=expr: f.select(e), 7)
    for r in planner.dataset.rules:
        frame = pl.DataFrame(built)
        expr = r.expr.cast(planner._schema[r.column]).alias(r.column)
        expr_ms[f"rule {r.name}"] = 1000 * _best(lambda f=frame, e=expr: f.with_columns(e), 7)

    n = len(totals)
    total_ms = 1000 * statistics.fmean(totals)
    rows_out = [(name, 1000 * statistics.fmean(ts), reprs[name]) for name, ts in times.items()]
    sampler_ms = sum(ms for _, ms, _ in rows_out)
    print(f"Per plan item, ms per chunk (mean of {n} chunks; chunk total {total_ms:.1f} ms)")
    names = [r[0] for r in rows_out] + list(expr_ms) + ["(expressions, rules, assembly)"]
    width = max(len(name) for name in names)
    for name, ms, text in sorted(rows_out, key=lambda r: -r[1]):
        print(f"  {name:<{width}}  {ms:6.2f}  {100 * ms / total_ms:5.1f} %  {text}")
    print(f"  {'(all samplers)':<{width}}  {sampler_ms:6.2f}  {100 * sampler_ms / total_ms:5.1f} %")
    rest = total_ms - sampler_ms
    share = 100 * rest / total_ms
    print(f"  {'(expressions, rules, assembly)':<{width}}  {rest:6.2f}  {share:5.1f} %")
    print("Expressions and rules, re-run alone on one chunk's inputs (best of 7, ms)")
    for name, ms in sorted(expr_ms.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<{width}}  {ms:6.2f}")
    print()


def profile(dataset: str, rows: int, seed: int, top: int) -> None:
    def run() -> Iterator[pl.DataFrame]:
        yield from tempdata.stream(dataset, rows=rows, seed=seed)

    list(tempdata.stream(dataset, rows=min(rows, 1_000), seed=seed))
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        for _ in run():
            pass
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(top)
        return
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in run():
        pass
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(
        prog="python -m bench.profile_sales", description=__doc__.split("\n")[0]
    )
    p.add_argument("--dataset", default="sales")
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument(
        "--pyinstrument", action="store_true", help="also print a profile (cProfile if absent)"
    )
    p.add_argument("--top", type=int, default=25)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tempdata-profile-") as tmp:
        phases(args.dataset, args.rows, args.seed, args.repeat, Path(tmp))
    items(args.dataset, args.rows, args.seed)
    if args.pyinstrument:
        profile(args.dataset, args.rows, args.seed, args.top)


if __name__ == "__main__":
    main()
