"""Extract ``calibration_stations.csv`` from the WMO CLINO 1991–2020 composite files.

Run with the path of a checkout (or bare git directory) of GitHub
``wmo-im/WMO-climatological-normals-CLINO`` at commit ``59660ef6e3d8d6ff8aa1b7afd88fc3a53fbf3fc5``::

    python scripts/sources/climate/extract_calibration_stations.py <git dir>

Selection (documented in CLIMATE.md): stations with 12 months of mean temperature
(TAVG, else the mean of TMAX and TMIN), not a station of ``climate_normals.csv`` and
not within 25 km of one, inside one of the climate-gap regions of :data:`REGIONS`,
thinned greedily to one station per 200 km (Reykjavík, Yakutsk and Las Vegas first).
Values are copied unchanged; the script writes nothing it did not read.
"""

from __future__ import annotations

import csv
import math
import subprocess
import sys
from pathlib import Path

COMMIT = "59660ef6e3d8d6ff8aa1b7afd88fc3a53fbf3fc5"
HERE = Path(__file__).parent
ELEMENTS = {"PRCP": "001", "DP01": "002", "TMAX": "003", "TMIN": "004", "TAVG": "005"}
#: CLINO country names of the stations selected → ISO 3166-1 alpha-2.
ISO2 = {
    "Iceland": "IS",
    "Denmark_Faroe_Islands": "FO",
    "Norway": "NO",
    "Denmark_Greenland": "GL",
    "United_States": "US",
    "Russian_Federation_(In_Asia)": "RU",
    "Mongolia": "MN",
    "Kazakhstan": "KZ",
    "Canada": "CA",
    "Algeria": "DZ",
    "Libya": "LY",
    "Egypt": "EG",
    "Niger": "NE",
    "Mali": "ML",
    "Sudan": "SD",
    "Saudi_Arabia": "SA",
    "Oman": "OM",
    "United_Arab_Emirates": "AE",
    "Bahrain": "BH",
    "Australia": "AU",
    "China": "CN",
    "Argentina": "AR",
    "Chile": "CL",
    "Colombia": "CO",
    "Nepal": "NP",
    "Kyrgyzstan": "KG",
    "Mexico": "MX",
    "Rwanda": "RW",
    "Iran": "IR",
    "Pakistan": "PK",
    "Turkmenistan": "TM",
    "Uzbekistan": "UZ",
    "Guatemala": "GT",
    "Venezuela": "VE",
    "Armenia": "AM",
}
SPACING_KM = 200.0
FORCED = ("4030", "24959", "72386")  # Reykjavík, Yakutsk (Jakutsk), Las Vegas McCarran


def _region(country: str, lat: float, lon: float, elev: float) -> str | None:
    """The climate gap a station fills, or None."""
    if elev >= 2000:
        return "high_plateau"
    if country in ("Iceland", "Denmark_Faroe_Islands", "Denmark_Greenland"):
        return "high_latitude_maritime"
    if country == "Norway" or (country == "United_States" and lat >= 54):
        return "high_latitude_maritime"
    if country in ("Russian_Federation_(In_Asia)", "Mongolia"):
        return "extreme_continental"
    if country == "Kazakhstan" and lat >= 45:
        return "extreme_continental"
    if country == "Canada" and lat >= 49 and -125 <= lon <= -80:
        return "extreme_continental"
    if country == "United_States" and 31 <= lat <= 38 and -119 <= lon <= -108:
        return "hot_desert"
    sahara = ("Algeria", "Libya", "Egypt", "Niger", "Mali", "Sudan")
    if country in sahara and 15 <= lat <= 31:
        return "hot_desert"
    if country in ("Saudi_Arabia", "Oman", "United_Arab_Emirates", "Bahrain"):
        return "hot_desert"
    if country == "Australia" and -31 <= lat <= -19 and 120 <= lon <= 145:
        return "hot_desert"
    return None


def _read(git_dir: str, element: str) -> dict[str, dict[str, object]]:
    path = f"data/data-composite-primary-parameters/wmo_normals_9120_{element}.csv"
    text = subprocess.run(
        ["git", "--git-dir", git_dir, "show", f"{COMMIT}:{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    out: dict[str, dict[str, object]] = {}
    for row in list(csv.reader(text.splitlines()))[1:]:
        r = [c.strip() for c in row]
        months = [None if v in ("", "-99.9") else float(v) for v in r[9:21]]
        key = f"{r[7]}|{r[8]}|{r[2]}"
        out[key] = {
            "id": r[2].lstrip("0") or "0",
            "lat": float(r[4]),
            "lon": float(r[5]),
            "elev": float(r[6]),
            "country": r[7],
            "station": r[8],
            "months": months,
        }
    return out


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dl = math.radians(b[1] - a[1])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def main(git_dir: str) -> None:
    data = {e: _read(git_dir, e) for e in ELEMENTS}
    with (HERE / "climate_normals.csv").open(encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))
    taken = {r["wmo_id"] for r in table if r["wmo_id"]}
    table_pos = {(float(r["lat"]), float(r["lon"])) for r in table if r["lat"]}
    candidates = []
    for key in sorted(set(data["TAVG"]) | set(data["TMAX"])):
        any_row = data["TAVG"].get(key) or data["TMAX"][key]
        sid, lat, lon = any_row["id"], any_row["lat"], any_row["lon"]
        country, elev = str(any_row["country"]), float(any_row["elev"])  # type: ignore[arg-type]
        if sid in taken or country not in ISO2 or elev < -100:
            continue
        region = _region(country, lat, lon, elev)  # type: ignore[arg-type]
        if region is None:
            continue
        vals = {e: (data[e].get(key) or {}).get("months") or [None] * 12 for e in ELEMENTS}
        tavg, tmax, tmin = vals["TAVG"], vals["TMAX"], vals["TMIN"]
        has_mean = all(v is not None for v in tavg) or (
            all(v is not None for v in tmax) and all(v is not None for v in tmin)
        )
        if not has_mean or any(_km((lat, lon), p) < 25 for p in table_pos):
            continue
        candidates.append((sid not in FORCED, sid, key, any_row, region, vals))
    candidates.sort(key=lambda c: (c[0], c[1]))
    chosen: list[tuple] = []
    for c in candidates:
        pos = (c[3]["lat"], c[3]["lon"])
        if all(_km(pos, (d[3]["lat"], d[3]["lon"])) >= SPACING_KM for d in chosen):
            chosen.append(c)
    url = "https://doi.org/10.25921/800j-vn07"
    src = "WMO Climatological Standard Normals 1991-2020 (NCEI Accession 0253808)"
    lic = "WMO Unified Data Policy core data; free and unrestricted, cite"
    cols = list(table[0].keys())
    rows = []
    for _, sid, _, r, region, vals in sorted(chosen, key=lambda c: (ISO2[c[3]["country"]], c[1])):
        complete = {e: all(v is not None for v in vals[e]) for e in ELEMENTS}
        for m in range(12):

            def v(e: str, m: int = m, vals: dict = vals) -> str:
                x = vals[e][m]
                return "" if x is None else f"{x:g}"

            rows.append(
                {
                    "city": r["station"],
                    "country_code": ISO2[r["country"]],
                    "city_lat": r["lat"],
                    "city_lon": r["lon"],
                    "station": r["station"],
                    "wmo_id": sid,
                    "lat": r["lat"],
                    "lon": r["lon"],
                    "elevation_m": f"{r['elev']:g}",
                    "station_distance_km": "0",
                    "match": "calibration",
                    "month": m + 1,
                    "tmax_c": v("TMAX"),
                    "tmin_c": v("TMIN"),
                    "tmean_c": v("TAVG"),
                    "precip_mm": v("PRCP"),
                    "precip_days": v("DP01"),
                    "precip_days_min_mm": "1" if complete["DP01"] else "",
                    "humidity_pct": "",
                    "wind_kmh": "",
                    "sunshine_h": "",
                    "period": "1991-2020",
                    "source": src,
                    "url": url,
                    "licence": lic,
                    "notes": region,
                }
            )
    with (HERE / "calibration_stations.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        w.writerows(rows)
    print(len(rows) // 12, "stations")


if __name__ == "__main__":
    main(sys.argv[1])
