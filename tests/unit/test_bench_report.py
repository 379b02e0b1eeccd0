"""The benchmark report finds its own cases: every target line is checked.

(Twice a change to the cases' keys made the report skip the sales targets silently.)
"""

from __future__ import annotations

from bench.__main__ import parse_args, plan, report


def _fake_run(rows: int, wall: float, growth: int) -> dict[str, object]:
    return {
        "wall_s": wall,
        "import_s": 0.1,
        "rss_after_import": 60 * 2**20,
        "peak_rss": 60 * 2**20 + growth,
        "peak_growth": growth,
        "bytes": 1,
        "rows": rows,
    }


def test_every_target_is_reported() -> None:
    args = parse_args(["--rows", "1M", "--formats", "parquet", "--geo-rows", "0", "--no-catalogue"])
    cases = plan(args)
    for case in cases:
        case.runs.append(_fake_run(case.rows, case.rows / 2e6, 80 * 2**20))
    summary = report(
        cases, args, {"tempdata": "x", "polars": "x", "numpy": "x", "python": "x", "cpus": 2}
    )
    checks = [c["check"] for c in summary["checks"]]
    assert any("vs baseline" in c for c in checks), checks
    assert sum("peak RSS growth" in c for c in checks) == 2, checks
    assert any("flat memory" in c for c in checks), checks
    assert summary["flat_ratio"] == 1.0
