"""What users would pick instead: the bench's sales table from Faker, Mimesis, the
hand-vectorised NumPy+Polars script and tempdata (``make bench-peers``).

Each generator builds the same 13 columns (transaction_id, date, customer_id,
product_id, quantity, unit_price, discount, amount, currency, region, timezone,
payment_method, channel) and writes them to Parquet (zstd), in a fresh process per
case, timed for the whole job and measured for peak RSS (VmHWM):

* **Faker** — row by row, its idiomatic API (``fake.date_time_between``,
  ``random_element``, ...), rows collected as dicts and written by Polars. 100k rows
  only (a million would take minutes).
* **Mimesis** — its fastest idiomatic API: ``Fieldset`` draws ``n`` values of a field
  at once; derived columns (amount, the cash rule) computed in Polars.
* **baseline** — ``bench/baseline.py``, the hand-vectorised script.
* **tempdata** — ``create_dataset``, one process with Polars' default threads, and
  with one Polars thread (it still keeps more than one core busy: a writer thread
  encodes a chunk while the next is made); then 1, 2 and N worker processes with one
  Polars thread each (equal thread settings; the workers make and encode the chunks,
  the main process only stitches them into the file).

``python -m bench.peers [--rows 100k,1M] [--worker-rows 5M] [--repeat 3]``: the peers at
``--rows``, tempdata alone (one process and the worker cases) at ``--worker-rows``.
Faker comes with the ``peers`` extra (``pip install -e '.[peers]'``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_CHANNELS = {"store": 0.55, "web": 0.35, "app": 0.1}
_PAYMENTS = {
    "store": ["card", "cash", "mobile_wallet"],
    "web": ["card", "paypal", "mobile_wallet", "bank_transfer"],
    "app": ["card", "mobile_wallet", "paypal"],
}
_DISCOUNTS = [0.0, 0.05, 0.1, 0.2, 0.3]
_DISCOUNT_WEIGHTS = [0.72, 0.1, 0.09, 0.06, 0.03]


def _peak() -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        return next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmHWM:"))


def faker_sales(rows: int, seed: int, out: Path) -> None:
    import datetime as dt
    import random

    import polars as pl
    from faker import Faker

    fake = Faker()
    Faker.seed(seed)
    rnd = random.Random(seed)
    start, end = dt.datetime(2025, 1, 1), dt.datetime(2025, 12, 31, 23, 59, 59)
    prices = [round(rnd.lognormvariate(3.2, 0.8), 2) for _ in range(1_000)]
    records = []
    for i in range(rows):
        channel = rnd.choices(list(_CHANNELS), weights=list(_CHANNELS.values()))[0]
        product = rnd.randrange(1_000)
        quantity = min(24, 1 + sum(1 for _ in range(3) if rnd.random() < 0.15))
        price = prices[product]
        rate = rnd.choices(_DISCOUNTS, weights=_DISCOUNT_WEIGHTS)[0]
        discount = round(quantity * price * rate, 2)
        amount = round(quantity * price - discount, 2)
        payment = fake.random_element(_PAYMENTS[channel])
        if payment == "cash" and amount > 500:
            payment = "card"
        records.append(
            {
                "transaction_id": f"TXN-{i + 1:010d}",
                "date": fake.date_time_between(start_date=start, end_date=end),
                "customer_id": f"CUST-{rnd.randrange(1, rows // 10 + 2):08d}",
                "product_id": f"PRD-{product + 1:05d}",
                "quantity": quantity,
                "unit_price": price,
                "discount": discount,
                "amount": amount,
                "currency": "USD",
                "region": fake.random_element(
                    ["Europe", "Asia", "North America", "South America", "Africa", "Oceania"]
                ),
                "timezone": fake.timezone(),
                "payment_method": payment,
                "channel": channel,
            }
        )
    pl.DataFrame(records).sort("date").write_parquet(out, compression="zstd")


def mimesis_sales(rows: int, seed: int, out: Path) -> None:
    import polars as pl
    from mimesis import Fieldset, Locale

    fs = Fieldset(Locale.EN, seed=seed, i=rows)
    channel = fs("choice", items=["store"] * 55 + ["web"] * 35 + ["app"] * 10)
    product = fs("numeric.integer_number", start=1, end=1_000)
    frame = pl.DataFrame(
        {
            "transaction_id": [f"TXN-{i:010d}" for i in range(1, rows + 1)],
            "date": fs("datetime.datetime", start=2025, end=2025),
            "customer_id": [
                f"CUST-{k:08d}" for k in fs("numeric.integer_number", start=1, end=rows // 10 + 1)
            ],
            "product": product,
            "quantity": fs("choice", items=[1] * 64 + [2] * 29 + [3] * 6 + [4]),
            "rate": fs(
                "choice", items=[0.0] * 72 + [0.05] * 10 + [0.1] * 9 + [0.2] * 6 + [0.3] * 3
            ),
            "currency": ["USD"] * rows,
            "region": fs("address.continent"),
            "timezone": fs("datetime.timezone"),
            "payment_method": fs("choice", items=["card", "cash", "mobile_wallet", "paypal"]),
            "channel": channel,
        }
    )
    prices = pl.Series(
        [
            round(p, 2)
            for p in Fieldset(Locale.EN, seed=seed, i=1_000)(
                "finance.price", minimum=2, maximum=500
            )
        ]
    )
    frame = (
        frame.with_columns(
            product_id=pl.format("PRD-{}", pl.col("product").cast(pl.String).str.zfill(5)),
            unit_price=pl.lit(prices).gather(pl.col("product") - 1),
        )
        .with_columns(
            discount=(pl.col("quantity") * pl.col("unit_price") * pl.col("rate")).round(2),
        )
        .with_columns(
            amount=(pl.col("quantity") * pl.col("unit_price") - pl.col("discount")).round(2),
        )
        .with_columns(
            payment_method=pl.when((pl.col("payment_method") == "cash") & (pl.col("amount") > 500))
            .then(pl.lit("card"))
            .otherwise(pl.col("payment_method")),
        )
    )
    frame.drop("product", "rate").sort("date").write_parquet(out, compression="zstd")


def tempdata_sales(rows: int, seed: int, out: Path, workers: int, pool: bool = False) -> None:
    import tempdata

    if not pool:
        tempdata.create_dataset(out, rows=rows, seed=seed, dataset="sales", workers=workers)
        return
    # The worker machinery with ``workers`` processes, even one (workers=1 in the API
    # runs in-process): the parent only stitches the Parquet the workers encode.
    from tempdata.api import stream
    from tempdata.core.parallel import parallel_chunks
    from tempdata.export.formats import Target
    from tempdata.export.writer import write

    chunks = stream("sales", rows, seed=seed, workers=2)  # 2: builds the workers' spec
    assert chunks.spec is not None
    name, kwargs, tables = chunks.spec
    encoded = parallel_chunks(
        name,
        kwargs,
        chunks.info.chunks,
        workers,
        tables,
        encodings=("parquet",),
        make=chunks.planner.chunk,
    )
    write(encoded, chunks.schema, [Target(out, "parquet")], metadata=chunks.info.metadata())


def baseline_sales(rows: int, seed: int, out: Path) -> None:
    from bench import baseline

    baseline.write(out, rows, seed)


def _run_case(case: dict[str, Any]) -> dict[str, Any]:
    """In the case's own process: the whole job, timed, and the peak RSS."""
    out = Path(case["dir"]) / f"{case['tool']}-{case['rows']}-{time.time_ns()}.parquet"
    t = time.perf_counter()
    if case["tool"] == "faker":
        faker_sales(case["rows"], 42, out)
    elif case["tool"] == "mimesis":
        mimesis_sales(case["rows"], 42, out)
    elif case["tool"] == "baseline":
        baseline_sales(case["rows"], 42, out)
    else:
        tempdata_sales(case["rows"], 42, out, case.get("workers", 1), case.get("pool", False))
    wall = time.perf_counter() - t
    cpu = os.times()
    size = out.stat().st_size
    out.unlink()
    # This process's CPU time (worker processes not included): over the wall time, the
    # cores it kept busy.
    result = {"wall_s": wall, "peak_rss": _peak(), "bytes": size, "cpu_s": cpu.user + cpu.system}
    if case.get("pool"):  # again, with the workers started and warm (a plan's next table)
        t = time.perf_counter()
        tempdata_sales(case["rows"], 43, out, case["workers"], pool=True)
        result["warm_s"] = time.perf_counter() - t
        out.unlink()
    return result


def _measure(case: dict[str, Any], repeat: int) -> dict[str, Any]:
    env = dict(os.environ)
    if case.get("threads"):
        env["POLARS_MAX_THREADS"] = str(case["threads"])
    runs = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-m", "bench.peers", "--case", json.dumps(case)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        runs.append(json.loads(done.stdout.splitlines()[-1]))
    return {
        **case,
        "wall_s": statistics.median(r["wall_s"] for r in runs),
        "peak_rss": max(r["peak_rss"] for r in runs),
        "cpu_s": statistics.median(r["cpu_s"] for r in runs),
        **({"warm_s": statistics.median(r["warm_s"] for r in runs)} if "warm_s" in runs[0] else {}),
        "runs": runs,
    }


def _rows(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text[:-1] if text[-1] in "km" else text) * scale)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.peers", description=__doc__.split("\n")[0])
    p.add_argument("--rows", default="100k,1M")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument(
        "--worker-rows",
        default="5M",
        help="sizes at which only tempdata runs (workers' start-up amortised); '' for none",
    )
    p.add_argument("--case", help=argparse.SUPPRESS)
    p.add_argument("--json", help="also write the results here")
    args = p.parse_args(argv)
    if args.case:
        print(json.dumps(_run_case(json.loads(args.case))))
        return 0
    try:
        import faker  # noqa: F401
    except ImportError:
        print("bench.peers needs Faker: pip install -e '.[peers]'", file=sys.stderr)
        return 2
    cpus = os.cpu_count() or 1
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        sizes = [(_rows(r), True) for r in args.rows.split(",") if r.strip()]
        sizes += [(_rows(r), False) for r in args.worker_rows.split(",") if r.strip()]
        for rows, peers in sizes:
            cases: list[dict[str, Any]] = []
            if peers and rows <= 100_000:
                cases.append({"tool": "faker", "rows": rows, "label": "Faker (row by row)"})
            if peers:
                cases += [
                    {"tool": "mimesis", "rows": rows, "label": "Mimesis (Fieldset)"},
                    {"tool": "baseline", "rows": rows, "label": "hand-vectorised NumPy+Polars"},
                ]
            cases.append({"tool": "tempdata", "rows": rows, "label": "tempdata, 1 process"})
            cases.append(
                {
                    "tool": "tempdata",
                    "rows": rows,
                    "threads": 1,
                    "in_process": True,
                    "label": "tempdata, 1 process, 1 Polars thread",
                }
            )
            for w in dict.fromkeys((1, 2, cpus)):
                cases.append(
                    {
                        "tool": "tempdata",
                        "rows": rows,
                        "workers": w,
                        "pool": True,
                        "threads": 1,
                        "label": f"tempdata, {w} worker process{'es' if w > 1 else ''}, 1 thread",
                    }
                )
            for case in cases:
                case["dir"] = tmp
                repeat = 1 if case["tool"] == "faker" else args.repeat
                print(f"{case['label']} {rows:,} ...", file=sys.stderr, flush=True)
                results.append(_measure(case, repeat))
    _report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


def _report(results: list[dict[str, Any]]) -> None:
    print(f"\nsales → Parquet, whole job per fresh process; {os.cpu_count()} CPUs")
    head = ("generator", "rows", "wall s", "rows/s", "peak MiB", "cores*", "vs tempdata")
    print(
        f"{head[0]:<44} {head[1]:>10} {head[2]:>8} {head[3]:>11} {head[4]:>9} {head[5]:>7} "
        f"{head[6]:>11}"
    )
    by_rows: dict[int, list[dict[str, Any]]] = {}
    for r in results:
        by_rows.setdefault(r["rows"], []).append(r)
    for rows, group in by_rows.items():
        ours = next(r for r in group if r["tool"] == "tempdata" and "workers" not in r)
        one = next((r for r in group if r.get("workers") == 1), None)
        for r in group:
            ratio = r["wall_s"] / ours["wall_s"]
            print(
                f"{r['label']:<44} {rows:>10,} {r['wall_s']:>8.2f} {rows / r['wall_s']:>11,.0f} "
                f"{r['peak_rss'] / 2**20:>9.0f} {r['cpu_s'] / r['wall_s']:>7.2f} {ratio:>10.1f}x"
            )
        if one is not None:
            for r in group:
                if r.get("workers", 1) > 1:
                    print(
                        f"  {r['workers']} worker processes vs 1 at one thread each: "
                        f"{one['wall_s'] / r['wall_s']:.2f}x faster for the whole job, "
                        f"{one['warm_s'] / r['warm_s']:.2f}x with the workers warm "
                        f"({one['warm_s']:.2f} s → {r['warm_s']:.2f} s)"
                    )
    print(
        "* cores: the main process's CPU time over the wall time (worker processes not "
        "counted): how many cores it kept busy"
    )


if __name__ == "__main__":
    raise SystemExit(main())
