"""``python -m bench.ab REF``: this checkout against an earlier commit, case by case.

A machine's speed drifts between runs (a shared VM by ±10 %), so two numbers measured
at different times say little about a change. This runs each case in a fresh
interpreter (``bench._worker``, as ``make bench`` does), alternating the commit ``REF``
(checked out into a temporary git worktree) and this checkout, and prints the medians,
their ratio and each side's runs::

    python -m bench.ab 886604e --repeat 5 --dataset employees customers:germany

A case is ``dataset`` or ``dataset:country``; every case writes ``--rows`` rows to
Parquet. ``REF``'s own ``bench/_worker.py`` measures its side.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CASES = (
    "employees",
    "user_profiles",
    "customers:germany",
    "customers",
    "patients:united_states",
    "sales",
)


def _run(tree: Path, case: dict[str, object]) -> float:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    proc = subprocess.run(
        [sys.executable, "-m", "bench._worker", json.dumps(case)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    shutil.rmtree(str(case["dir"]), ignore_errors=True)  # the files are not needed
    if proc.returncode != 0:
        msg = f"case {case} failed in {tree}:\n{proc.stderr[-2000:]}"
        raise SystemExit(msg)
    return float(json.loads(proc.stdout.strip().splitlines()[-1])["wall_s"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ab", description=__doc__)
    parser.add_argument("ref", help="the commit to compare against (e.g. 886604e)")
    parser.add_argument("--dataset", nargs="+", default=list(DEFAULT_CASES))
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.rows < 1:
        parser.error("--repeat and --rows must be 1 or more")
    with tempfile.TemporaryDirectory(prefix="tempdata-ab-") as tmp:
        old = Path(tmp) / "ref"
        added = subprocess.run(
            ["git", "worktree", "add", "--detach", str(old), args.ref],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if added.returncode != 0:
            msg = f"cannot check out {args.ref!r}: {added.stderr.strip()}"
            raise SystemExit(msg)
        try:
            for spec in args.dataset:
                dataset, _, country = spec.partition(":")
                case: dict[str, object] = {
                    "kind": "create",
                    "dataset": dataset,
                    "rows": args.rows,
                    "formats": ["parquet"],
                    "dir": str(Path(tmp) / "out"),
                }
                if country:
                    case["country"] = country
                before, after = [], []
                for _ in range(args.repeat):
                    before.append(_run(old, case))
                    after.append(_run(ROOT, case))
                b, a = statistics.median(before), statistics.median(after)
                runs = f"{[round(x, 2) for x in before]} {[round(x, 2) for x in after]}"
                print(f"{spec:28s} {args.ref} {b:6.2f} s  now {a:6.2f} s  ×{a / b:.3f}  {runs}")
                sys.stdout.flush()
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, check=False
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
