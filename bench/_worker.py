"""One measurement, in a fresh interpreter: ``python -m bench._worker '<json case>'``.

The case is run once; the last line of standard output is a JSON object with the
wall time of the measured call, the RSS after imports (psutil), the process's peak
RSS (``VmHWM`` of ``/proc/self/status``) and the bytes written. A fresh process per case keeps
peak RSS per case and makes every run pay its own cold costs (reference data, the
parent ``products`` table) as a user's first call does.

Case keys: ``kind`` (``create`` | ``generate`` | ``baseline`` | ``addresses``),
``dataset``, ``rows``, ``seed``, ``formats`` (for ``create``), ``country`` (optional,
for ``create``, ``generate`` and ``addresses``), ``dir`` (output folder, for ``create``
and ``baseline``).
"""

from __future__ import annotations

import json
import resource
import sys
import time
import uuid
from pathlib import Path
from typing import Any

_EXTENSIONS = {
    "parquet": ".parquet",
    "csv": ".csv",
    "csv.gz": ".csv.gz",
    "json": ".json",
    "ndjson": ".ndjson",
    "excel": ".xlsx",
    "geojson": ".geojson",
}


def peak_rss() -> int:
    """This process's peak RSS in bytes: ``VmHWM``, which starts afresh at exec.

    ``getrusage().ru_maxrss`` does not: Linux carries the parent's high-water mark
    over a fork and exec, so a worker started by a large process (pytest after
    loading the reference tables) would report the parent's peak.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def _size(paths: list[Path]) -> int:
    return sum(p.stat().st_size for p in paths if p.exists())


def run(case: dict[str, Any]) -> dict[str, Any]:
    kind = case["kind"]
    rows = int(case["rows"])
    seed = int(case.get("seed", 42))
    country = case.get("country")
    extra: dict[str, Any] = {"country": country} if country else {}
    extra.update(case.get("kwargs") or {})
    if "date_range" in extra:
        extra["date_range"] = tuple(extra["date_range"])
    rows_arg = rows or None  # 0: the dataset's grid decides (time series)
    t0 = time.perf_counter()
    import numpy  # noqa: F401
    import polars

    if kind == "baseline":
        from bench import baseline
    else:
        import tempdata

        # tempdata loads its modules on first use (so the CLI starts fast); load the
        # ones a call uses now, so that "after imports" means after the library's code
        # is in, as it does for the baseline script.
        import tempdata.api
        import tempdata.datasets.business
        import tempdata.export.writer
        import tempdata.geo.address
    import psutil

    import_s = time.perf_counter() - t0
    rss_after_import = psutil.Process().memory_info().rss

    paths: list[Path] = []
    est_bytes = 0
    # A fresh folder per run: writing over an earlier run's file would add the cost of
    # replacing it (ext4 flushes a file renamed over another) to one side only.
    run_dir = Path(case["dir"]) / uuid.uuid4().hex
    run_dir.mkdir(parents=True)
    t = time.perf_counter()
    if kind == "baseline":
        out = run_dir / "baseline_sales.parquet"
        baseline.write(out, rows, seed)
        paths = [out]
    elif kind == "addresses":
        frame = tempdata.geo.addresses_frame(country or "global", rows, seed=seed)
        est_bytes = int(frame.estimated_size())
        assert frame.height == rows
    elif kind == "generate":
        frame = tempdata.generate(case["dataset"], rows=rows, seed=seed, **extra)
        est_bytes = int(frame.estimated_size())
        assert frame.height == rows
    elif kind == "create":
        formats = list(case["formats"])
        folder = run_dir
        dataset = case["dataset"]
        if len(formats) == 1:
            path = folder / f"{dataset}{_EXTENSIONS[formats[0]]}"
            tempdata.create_dataset(path, rows=rows_arg, seed=seed, dataset=dataset, **extra)
            paths = [path]
        else:
            # csv.gz is a file name, not a format: several formats use plain names.
            fmts = [f.split(".")[0] for f in formats]
            written = tempdata.create_dataset(
                folder / dataset, rows=rows_arg, seed=seed, dataset=dataset, formats=fmts, **extra
            )
            paths = [Path(p) for p in written]
    else:
        msg = f"unknown case kind {kind!r}"
        raise ValueError(msg)
    wall = time.perf_counter() - t
    peak = peak_rss()
    size = _size(paths) if paths else est_bytes
    parquet = [p for p in paths if p.suffix == ".parquet"]
    if parquet:  # the rows written (a time-series grid decides them itself)
        rows = int(polars.scan_parquet(parquet[0]).select(polars.len()).collect().item())
    return {
        "wall_s": wall,
        "import_s": import_s,
        "rss_after_import": rss_after_import,
        "peak_rss": peak,
        "peak_growth": peak - rss_after_import,
        "bytes": size,
        "rows": rows,
        "bytes_kind": "file" if paths else "in-memory (estimated_size)",
        "files": [str(p) for p in paths],
    }


def main() -> None:
    case = json.loads(sys.argv[1])
    result = run(case)
    sys.stdout.write("\n" + json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
