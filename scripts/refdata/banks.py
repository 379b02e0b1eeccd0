"""``banks.parquet`` and ``iban_formats.parquet``: real banks per country and IBAN layouts.

Both come from ``schwifty``'s registries, read as JSON files without importing the
package (``schwifty/bank_registry/*.json`` and ``schwifty/iban_registry/*.json``), merged
the way schwifty merges them: files in name order, later ``manual_*`` entries override
``generated_*`` ones, ``*.v2.json`` files list one entry per bank with its codes in a list,
and ``iban_registry/overwrite.json`` corrects or completes ``generated.json`` (the SWIFT
IBAN registry) per country.

``banks.parquet`` — one row per (country, bank code): ``country`` (ISO alpha-2),
``bank_code`` (as it appears in the BBAN), ``bic``, ``bank_name``, ``check_method`` (the
German Bundesbank check-digit method of the bank's account numbers, "" elsewhere). Where
a national registry lists several records per code (branches), the bank's own
(``primary``) record is kept, as schwifty does. Codes that do not fit their country's
bank-code field, and Polish sort codes whose own check digit is wrong, are dropped.

``iban_formats.parquet`` — one row per country with banks: ``country``, ``iban_length``,
``bban_spec`` (SWIFT notation, ``8!n10!n``), ``bban_length``, the 0-based ``[start,
end)`` of the ``bank``, ``branch``, ``account`` and ``check`` (national check digits)
fields in the BBAN (``-1`` when absent), ``sepa`` and ``national_algorithm`` (schwifty
registers a national check-digit algorithm for the country).
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import polars as pl

from refdata.build import Artifact, BuildContext, Source, fail, frame, load_json, package_dir

SCHWIFTY = Source("schwifty", "MIT", "bank registry (codes, BICs, names) and IBAN registry")

#: Countries whose IBAN layout schwifty knows a national check-digit algorithm for
#: (``schwifty/checksum/*.py`` registers them); read from the sources, not imported.
_REGISTER = re.compile(r"register\(([^)]*)\)")


def _bank_entries(folder: Path) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.json")):
        data = load_json(path)
        if path.stem.endswith("v2"):
            src, dst = data["expand_from"], data["expand_into"]
            for entry in data["entries"]:
                values = entry[src]
                base = {k: v for k, v in entry.items() if k != src}
                base.setdefault("primary", False)
                entries.extend({**base, dst: value} for value in values)
        else:
            entries.extend(data)
    return entries


def _iban_specs(folder: Path) -> dict[str, dict[str, Any]]:
    specs: dict[str, dict[str, Any]] = load_json(folder / "generated.json")
    for cc, patch in load_json(folder / "overwrite.json").items():
        merged = dict(specs.get(cc, {}))
        for key, value in patch.items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
        specs[cc] = merged
    return specs


def _bban_length(spec: str) -> int:
    return sum(int(n) for n in re.findall(r"(\d+)!?[nace]", spec))


def _algorithm_countries(folder: Path) -> set[str]:
    countries: set[str] = set()
    for path in folder.glob("*.py"):
        for args in _REGISTER.findall(path.read_text(encoding="utf-8")):
            countries.update(re.findall(r'"([A-Z]{2})"', args))
    return countries


def _pl_sort_code_ok(code: str) -> bool:
    weights = (3, 9, 7, 1, 3, 9, 7)
    s = sum(w * int(c) for w, c in zip(weights, code, strict=False)) % 10
    return code[7] == str(0 if s == 0 else 10 - s)


def build_banks(ctx: BuildContext) -> Artifact:
    root = package_dir("schwifty")
    specs = _iban_specs(root / "iban_registry")
    raw = _bank_entries(root / "bank_registry")
    # Later files override earlier ones per (country, code, bic) like schwifty's merge;
    # then one record per (country, code): the primary one, else the first.
    by_key: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in raw:
        cc, code = entry.get("country_code", ""), str(entry.get("bank_code", "")).strip()
        if not cc or not code or cc not in specs:
            continue
        key = (cc, code)
        old = by_key.get(key)
        if old is None or (entry.get("primary") and not old.get("primary")):
            by_key[key] = entry
    rows = []
    dropped: dict[str, int] = {}
    for (cc, code), entry in sorted(by_key.items()):
        positions = specs[cc].get("positions", {})
        start, end = positions.get("bank_code", [0, 0])
        width = end - start
        # A registry code may carry bank and branch (SI); it must fill the bank field.
        bic = str(entry.get("bic") or "").strip().upper()
        name = " ".join(str(entry.get("name") or entry.get("short_name") or "").split())
        if (
            width == 0
            or len(code) < width
            or not bic
            or not name
            or (cc == "PL" and not (code.isdigit() and len(code) == 8 and _pl_sort_code_ok(code)))
        ):
            dropped[cc] = dropped.get(cc, 0) + 1
            continue
        method = str(entry.get("checksum_algo") or "") if cc == "DE" else ""
        rows.append((cc, code, bic, name, method))
    banks = frame(
        rows,
        [
            ("country", pl.String),
            ("bank_code", pl.String),
            ("bic", pl.String),
            ("bank_name", pl.String),
            ("check_method", pl.String),
        ],
    )
    ctx.report["banks_dropped"] = dropped
    return Artifact(
        name="banks.parquet",
        frame=banks,
        sources=[SCHWIFTY],
        origin=(
            "Real banks per country from schwifty's bank registry (national bank-code "
            "directories: Bundesbank, Banque de France, Banco de España, ...): country, bank "
            "code as used in the IBAN's BBAN, BIC, name and, for Germany, the Bundesbank "
            "check-digit method of its account numbers. One record per code (the bank's "
            "primary one)."
        ),
        notes=[
            f"{banks.height} codes in {banks['country'].n_unique()} countries; records dropped "
            f"(code too short, no BIC or name, Polish sort code with a wrong check digit): "
            + ", ".join(f"{k} {v}" for k, v in sorted(dropped.items())),
        ],
    )


def build_iban_formats(ctx: BuildContext) -> Artifact:
    root = package_dir("schwifty")
    specs = _iban_specs(root / "iban_registry")
    with_algorithm = _algorithm_countries(root / "checksum")
    countries = sorted(set(ctx.built["banks.parquet"].get_column("country").to_list()))
    rows = []
    for cc in countries:
        spec = specs[cc]
        positions = spec.get("positions", {})

        def field(name: str, positions: dict[str, Any] = positions) -> tuple[int, int]:
            start, end = positions.get(name, [0, 0])
            return (start, end) if end > start else (-1, -1)

        bban_spec = spec["bban_spec"]
        length = int(spec.get("bban_length") or _bban_length(bban_spec))
        if length != _bban_length(bban_spec):
            fail(f"iban_formats: {cc} bban_length {length} disagrees with {bban_spec}")
        rows.append(
            (
                cc,
                int(spec.get("iban_length") or length + 4),
                bban_spec,
                length,
                *field("bank_code"),
                *field("branch_code"),
                *field("account_code"),
                *field("national_checksum_digits"),
                bool(spec.get("in_sepa_zone", False)),
                cc in with_algorithm,
            )
        )
    cols = list(
        itertools.chain(
            [("country", pl.String), ("iban_length", pl.Int8), ("bban_spec", pl.String)],
            [("bban_length", pl.Int8)],
            [
                (f"{f}_{e}", pl.Int8)
                for f in ("bank", "branch", "account", "check")
                for e in ("start", "end")
            ],
            [("sepa", pl.Boolean), ("national_algorithm", pl.Boolean)],
        )
    )
    table = frame(rows, cols)
    return Artifact(
        name="iban_formats.parquet",
        frame=table,
        sources=[SCHWIFTY],
        origin=(
            "IBAN layout per country with banks in banks.parquet, from schwifty's copy of "
            "the SWIFT IBAN registry with its corrections: IBAN and BBAN length, BBAN format "
            "in SWIFT notation, the [start, end) of the bank, branch, account and national "
            "check-digit fields in the BBAN (-1 when absent), SEPA membership, and whether "
            "schwifty knows the country's national check-digit algorithm."
        ),
    )


BUILDERS = [build_banks, build_iban_formats]
