"""``energy_countries.parquet``, ``energy_months.parquet`` and ``energy_spread.parquet``:
what a household's electricity meter and rooftop panels see, by country.

From ``scripts/sources/energy/`` (see ``ENERGY.md`` there) and, for the climate of
countries outside Europe, ``scripts/sources/climate/climate_normals.csv``:

* **Consumption per household and year** (``energy_countries``): the country's own figure
  where the extract has one — a mean per household (Eurostat 2024 for the EU-27, DESNZ
  per meter 2019 for GB, EIA per customer for the US and each state, secondary figures
  for CA, AU, JP, CN, IN (urban, as meters are in cities), BR, MX, ZA, RU, NG): primary
  rows before secondary ones, means before benchmarks, the latest year first. Other
  countries take the figure of the nearest country that has one (distance between their
  most populous cities, the same continent first); ``consumption_from`` names it.
* **Months** (``energy_months``): the share of a year's household electricity per month.
  Germany: the BDEW H25 standard load profile; the US and each state: EIA-861M
  residential sales per customer; the other countries of Eurostat's degree-day table
  (EU-27 and Norway): a degree-day model; elsewhere the same model on degree days
  estimated from the monthly mean temperatures of the country's cities in the WMO
  1991–2020 normals, or, without a city there, from a latitude climate. The model::

      share_m = (1 - h - c) * days_m / 365.25 + h * HDD_m / HDD + c * CDD_m / CDD

  with h the heating and c the cooling share of household electricity: the EU-27's
  Eurostat end-use shares (space heating 16.0 %, space cooling 3.1 % of 2024 household
  electricity) scaled by the country's degree days over the EU's (Malta, the one country
  whose own end-use shares the extract holds, keeps them), and h + c at most the largest
  weather-driven swing of any US state's EIA profile (the part of the year above the
  lowest month's daily rate). Applied to Germany's own degree days it gives the BDEW
  H25 months within :data:`MAX_DE_DEVIATION` (checked).
* **Per-household spread** (``energy_spread``): the quantile function of a household's
  consumption over its country's mean. Its shape is Germany's Stromspiegel table (1-5
  persons x flat/house x with/without electric water heating; persons weighted by the
  Destatis Mikrozensus 2018 household sizes, the four dwelling classes equally), each
  cell widened by a lognormal whose width makes the whole distribution's median/mean
  equal to that of GB's domestic meters (DESNZ 2019: meter-weighted MSOA medians over
  the mean per meter, 0.80).
* **PV yield** (``energy_countries``): World Bank/Solargis PVOUT Level 1 per country
  (kWh/kWp and year, optimally tilted ground-mounted systems) and a rooftop yield, PVOUT
  x :data:`ROOFTOP_DERATE`; territories missing from the table take the nearest
  country's. ``pv_ref_lat`` is the population-weighted mean latitude of the country's
  cities (the runtime scales its clear-sky model so that a panel there yields the
  rooftop figure).
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import polars as pl

from refdata.build import REPO_ROOT, Artifact, BuildContext, Source, fail

DIR = REPO_ROOT / "scripts" / "sources" / "energy"
CONSUMPTION = DIR / "household_consumption.csv"
PROFILES = DIR / "monthly_profiles.csv"
PV = DIR / "pv_yield.csv"
PV_ADOPTION = DIR / "pv_adoption.csv"
ELECTRIC_HEATING = DIR / "electric_heating.csv"
DEGREE_DAYS = DIR / "degree_days.csv"
SIZES = DIR / "household_sizes.csv"
NORMALS = REPO_ROOT / "scripts" / "sources" / "climate" / "climate_normals.csv"

#: Rooftop systems over PVOUT's optimally tilted, unshaded ground-mounted ones: Fraunhofer
#: ISE, "Recent Facts about Photovoltaics in Germany" (2024), gives typical German
#: yields of 900-950 kWh/kWp (stated from knowledge); its midpoint over Germany's PVOUT
#: (1,080) is 0.86, applied to every country (orientation, shading, soiling and
#: inverter losses of roofs).
ROOFTOP_DERATE = 0.86
#: The degree-day model applied to Germany may miss BDEW H25 by at most this much a
#: month (share of the year).
MAX_DE_DEVIATION = 0.006
#: Quantiles stored for the per-household spread.
QUANTILES = 1_000
#: Eurostat/JRC degree-day definition: HDD = 18 - Tm on days with Tm <= 15 °C,
#: CDD = Tm - 21 on days with Tm >= 24 °C.
HDD_BASE, HDD_BELOW, CDD_BASE, CDD_ABOVE = 18.0, 15.0, 21.0, 24.0
DAYS = (31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
YEAR_DAYS = sum(DAYS)


# --------------------------------------------------------------------------- reading


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _secondary(row: dict[str, str]) -> bool:
    return row["notes"].startswith(("SECONDARY", "FROM KNOWLEDGE"))


def _consumption() -> dict[tuple[str, str], dict[str, str]]:
    """(country, region) → the row chosen for it (see the module docstring)."""
    best: dict[tuple[str, str], tuple[tuple[Any, ...], dict[str, str]]] = {}
    for row in _rows(CONSUMPTION):
        if row["household_size"] or row["dwelling"] != "all":
            continue
        if row["basis"].startswith(("typical", "median")):
            continue
        if row["region"] == "rural":
            continue
        region = "" if row["region"] == "urban" else row["region"]
        key = (row["country_code"], region)
        rank = (
            not _secondary(row),
            row["basis"] == "mean" or row["basis"].startswith("mean_per_meter"),
            int(row["year"] or 0),
        )
        if key not in best or rank > best[key][0]:
            best[key] = (rank, row)
    return {k: v[1] for k, v in best.items()}


def _median_to_mean() -> float:
    """GB's domestic meters, DESNZ 2019: meter-weighted MSOA medians over the mean."""
    rows = {
        r["basis"].split(" ")[0]: float(r["kwh_per_household"])
        for r in _rows(CONSUMPTION)
        if r["country_code"] == "GB" and r["year"] == "2019"
    }
    return rows["median_per_meter"] / rows["mean_per_meter"]


def _end_use_shares() -> dict[str, tuple[float, float | None]]:
    """Country → (space heating, space cooling) share of household electricity, where
    the extract gives both (Eurostat nrg_d_hhq end uses), or the heating share alone
    (ELECTRIC_HEATING: national studies; cooling None)."""
    out: dict[str, tuple[float, float | None]] = {
        r["country_code"]: (float(r["share_pct"]) / 100, None) for r in _rows(ELECTRIC_HEATING)
    }
    for row in _rows(CONSUMPTION):
        if not row["share_electric_heating"]:
            continue
        note = row["notes"]
        marker = "space cooling "
        if marker not in note:
            fail(f"{CONSUMPTION.name}: {row['country_code']} has a heating share but no cooling")
        cooling = float(note.split(marker, 1)[1].split(" ", 1)[0])
        out[row["country_code"]] = (float(row["share_electric_heating"]) / 100, cooling / 100)
    return out


def _profiles() -> dict[tuple[str, str], list[float]]:
    """(region, profile) → 12 monthly shares."""
    found: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    for row in _rows(PROFILES):
        found[(row["region"], row["profile"])][int(row["month"])] = float(row["share"])
    out = {}
    for key, months in found.items():
        if sorted(months) != list(range(1, 13)):
            fail(f"{PROFILES.name}: {key} lacks months")
        shares = [months[m] for m in range(1, 13)]
        if abs(sum(shares) - 1) > 0.005:
            fail(f"{PROFILES.name}: {key} shares add to {sum(shares):.4f}")
        out[key] = [s / sum(shares) for s in shares]
    return out


def _degree_days() -> dict[str, tuple[list[float], list[float]]]:
    """Country → (monthly HDD, monthly CDD), Eurostat means 1991-2020."""
    found: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    for row in _rows(DEGREE_DAYS):
        if row["period"] == "1991-2020" and row["month"]:
            found[(row["country_code"], row["indicator"])][int(row["month"])] = float(row["value"])
    out = {}
    for (cc, ind), months in found.items():
        if ind == "HDD":
            cdd = found[(cc, "CDD")]
            out[cc] = ([months[m] for m in range(1, 13)], [cdd[m] for m in range(1, 13)])
    return out


def _normals(cities: pl.DataFrame) -> dict[str, list[tuple[float, list[float]]]]:
    """Country → [(population weight, 12 monthly mean temperatures)] of its cities in
    the WMO normals extract."""
    pop = {
        (c, cc): float(p or 0)
        for c, cc, p in cities.select("city", "country_code", "population").iter_rows()
    }
    temps: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    for row in _rows(NORMALS):
        t = row["tmean_c"]
        if not t and row["tmax_c"] and row["tmin_c"]:
            t = str((float(row["tmax_c"]) + float(row["tmin_c"])) / 2)
        if t:
            temps[(row["city"], row["country_code"])][int(row["month"])] = float(t)
    out: dict[str, list[tuple[float, list[float]]]] = defaultdict(list)
    for (city, cc), months in sorted(temps.items()):
        if len(months) == 12:
            out[cc].append((pop.get((city, cc), 0.0), [months[m] for m in range(1, 13)]))
    return out


# --------------------------------------------------------------------------- climate


def _phi(x: float) -> float:
    return math.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


def _cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def degree_days(t_mean: float, days: float, sd: float) -> tuple[float, float]:
    """Expected (HDD, CDD) of a month whose daily mean temperatures are normal around
    ``t_mean`` with sd ``sd``, by the Eurostat/JRC rule."""
    a = (HDD_BELOW - t_mean) / sd  # days at or below 15 °C
    hdd = (HDD_BASE - t_mean) * _cdf(a) + sd * _phi(a)
    b = (CDD_ABOVE - t_mean) / sd  # days at or above 24 °C
    cdd = (t_mean - CDD_BASE) * (1 - _cdf(b)) + sd * _phi(b)
    return days * hdd, days * cdd


def _weighted_temps(entries: list[tuple[float, list[float]]]) -> list[float]:
    """Population-weighted mean of the cities' monthly temperatures (+1 person each, so
    a city without a population in cities.parquet still counts)."""
    norm = sum(w + 1.0 for w, _ in entries)
    return [sum((w + 1.0) * t[m] for w, t in entries) / norm for m in range(12)]


def _estimated(temps: list[float], sd: float) -> tuple[list[float], list[float]]:
    pairs = [degree_days(t, d, sd) for t, d in zip(temps, DAYS, strict=True)]
    return [h for h, _ in pairs], [c for _, c in pairs]


def _fit_sd(
    normals: dict[str, list[tuple[float, list[float]]]],
    eurostat: dict[str, tuple[list[float], list[float]]],
) -> tuple[float, float, list[str]]:
    """The daily sd around the monthly normal that best turns the cities' normals into
    Eurostat's national degree days (least squares over months of HDD and CDD)."""
    both = sorted(set(normals) & set(eurostat))
    if len(both) < 5:
        fail(f"energy: only {both} have both normals and Eurostat degree days")
    best = (math.inf, 0.0)
    for step in range(10, 81):
        sd = step / 10
        err = 0.0
        for cc in both:
            hdd, cdd = _estimated(_weighted_temps(normals[cc]), sd)
            h0, c0 = eurostat[cc]
            err += sum((a - b) ** 2 for a, b in zip(hdd + cdd, h0 + c0, strict=True))
        best = min(best, (err, sd))
    rmse = math.sqrt(best[0] / (24 * len(both)))
    return best[1], rmse, both


def latitude_temps(lat: float) -> list[float]:
    """Monthly mean temperature of a simple latitude climate (the energy dataset's
    former one): 27 - 0.0075 lat² °C with a yearly cycle of half-range
    min(1 + 0.3 |lat|, 18) °C peaking in late July (late January south of the equator)."""
    mean = 27.0 - 0.0075 * lat * lat
    amp = min(1.0 + 0.3 * abs(lat), 18.0) * (1.0 if lat >= 0 else -1.0)
    out, start = [], 0.0
    for d in DAYS:
        mid = (start + d / 2) / YEAR_DAYS
        out.append(mean + amp * math.cos(2 * math.pi * (mid - 0.55)))
        start += d
    return out


def degree_day_shares(
    hdd: list[float], cdd: list[float], heating: float, cooling: float
) -> list[float]:
    """Monthly shares of the degree-day model (see the module docstring)."""
    h_year, c_year = sum(hdd), sum(cdd)
    heating = heating if h_year > 0 else 0.0
    cooling = cooling if c_year > 0 else 0.0
    base = 1.0 - heating - cooling
    return [
        base * d / YEAR_DAYS
        + (heating * h / h_year if h_year else 0.0)
        + (cooling * c / c_year if c_year else 0.0)
        for d, h, c in zip(DAYS, hdd, cdd, strict=True)
    ]


def weather_cap(profiles: dict[tuple[str, str], list[float]]) -> tuple[float, str]:
    """The largest weather-driven share of any US state's EIA profile: the part of the
    year above the lowest month's daily rate."""
    best = (0.0, "")
    for (region, _), shares in profiles.items():
        if not region.startswith("US-"):
            continue
        low = min(s / d for s, d in zip(shares, DAYS, strict=True))
        swing = sum(s - low * d for s, d in zip(shares, DAYS, strict=True))
        best = max(best, (swing, region))
    return best


# --------------------------------------------------------------------------- geography


def _places(ctx: BuildContext) -> dict[str, tuple[float, float, float, str]]:
    """Country → (lat, lon of its most populous city, population-weighted mean
    latitude of its cities, continent)."""
    cities = ctx.built["cities.parquet"]
    continent = dict(ctx.built["countries.parquet"].select("iso2", "continent").iter_rows())
    out = {}
    for (cc,), group in cities.group_by(["country_code"], maintain_order=True):
        top = group.sort("population", descending=True, nulls_last=True).row(0, named=True)
        w = group["population"].fill_null(0).cast(pl.Float64) + 1.0
        mean_lat = float((group["lat"] * w).sum() / w.sum())
        out[str(cc)] = (float(top["lat"]), float(top["lon"]), mean_lat, continent.get(cc, ""))
    return out


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dl = math.radians(b[1] - a[1])
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0 * math.acos(max(-1.0, min(1.0, c)))


def nearest(cc: str, have: set[str], places: dict[str, tuple[float, float, float, str]]) -> str:
    """The nearest country of ``have`` (its most populous city's distance), on the same
    continent when one there has a figure."""
    here = places[cc]
    same = [o for o in have if o in places and places[o][3] == here[3]]
    pool = same or [o for o in have if o in places]
    return min(pool, key=lambda o: (_km(here[:2], places[o][:2]), o))


# --------------------------------------------------------------------------- builders


def build_energy_countries(ctx: BuildContext) -> Artifact:
    places = _places(ctx)
    countries = sorted(ctx.built["countries.parquet"]["iso2"].to_list())
    chosen = _consumption()
    national = {cc: row for (cc, region), row in chosen.items() if not region and cc in places}
    pv = {r["country_code"]: r for r in _rows(PV) if r["country_code"] in places}
    adoption = {r["country_code"]: float(r["share_pct"]) / 100 for r in _rows(PV_ADOPTION)}
    rows = []
    for cc in countries:
        if cc not in places:
            fail(f"energy: {cc} has no city")
        src = cc if cc in national else nearest(cc, set(national), places)
        row = national[src]
        pv_src = cc if cc in pv else nearest(cc, set(pv), places)
        pvout = float(pv[pv_src]["pvout_kwh_per_kwp_year"])
        share_src = cc if cc in adoption else _adoption_from(cc, adoption, places)
        base = (
            src,
            float(row["kwh_per_household"]),
            row["basis"],
            int(row["year"] or 0),
            pv_src,
            pvout,
            round(pvout * ROOFTOP_DERATE, 1),
            float(pv[pv_src]["seasonality_index"]),
            round(places[cc][2], 3),
            round(adoption[share_src], 4),
            share_src,
        )
        rows.append((cc, "", *base))
        if cc == "US":
            for (c2, region), r in sorted(chosen.items()):
                if c2 == "US" and region:
                    rows.append(
                        (
                            cc,
                            region,
                            "US",
                            float(r["kwh_per_household"]),
                            r["basis"],
                            int(r["year"]),
                            *base[4:],
                        )
                    )
    frame = pl.DataFrame(
        rows,
        schema={
            "country": pl.String,
            "region": pl.String,
            "consumption_from": pl.String,
            "kwh_per_household": pl.Float64,
            "consumption_basis": pl.String,
            "consumption_year": pl.Int16,
            "pv_from": pl.String,
            "pvout_kwh_per_kwp": pl.Float64,
            "pv_yield_kwh_per_kwp": pl.Float64,
            "pv_seasonality": pl.Float64,
            "pv_ref_lat": pl.Float64,
            "pv_household_share": pl.Float64,
            "pv_share_from": pl.String,
        },
        orient="row",
    )
    _check_countries(frame)
    own = frame.filter((pl.col("consumption_from") == pl.col("country")) & (pl.col("region") == ""))
    return Artifact(
        name="energy_countries.parquet",
        frame=frame,
        sources=_SOURCES,
        origin=(
            "Per country (`region` empty) and US state (`region` = postal code): "
            "`kwh_per_household`, the mean household electricity use per year — Eurostat "
            "2024 (nrg_d_hhq / lfst_hhnhtych) for the EU-27, DESNZ 2019 per meter for GB, "
            "EIA per residential customer (2023 national, 2022 Table 5a per state) for the "
            "US, and secondary figures for CA (2014), AU (2017), JP (2010), CN, MX, ZA, RU, "
            "NG (WEC/Enerdata 2010), IN (urban survey) and BR (EPE 2016); primary rows "
            "before secondary ones, means before benchmarks, the latest year first. "
            "Countries without a figure take the nearest country's that has one (distance "
            "between the most populous cities, the same continent first): "
            "`consumption_from`. `pvout_kwh_per_kwp`: World Bank/Solargis 'Global "
            "Photovoltaic Power Potential by Country' (2020), PVOUT Level 1 (ground-mounted, "
            "optimally tilted c-Si), `pv_seasonality` its ratio of the best to the worst "
            "month; territories it lacks take the nearest country's (`pv_from`). "
            f"`pv_yield_kwh_per_kwp` = PVOUT x {ROOFTOP_DERATE} (rooftop derate: Fraunhofer "
            "ISE's typical German yield, 900-950 kWh/kWp, over Germany's PVOUT of 1,080 — "
            "stated, applied to every country). `pv_ref_lat`: population-weighted mean "
            "latitude of the country's cities (cities.parquet). `pv_household_share`: the "
            "share of households with rooftop PV, from national statistics and agencies "
            "(scripts/sources/energy/pv_adoption.csv: "
            + ", ".join(f"{cc} {v:.1%}" for cc, v in sorted(adoption.items()))
            + "); a country without one takes the nearest sourced country's on its "
            "continent, and on a continent without any the lowest sourced share, "
            f"{min(adoption.values()):.1%} (an assumption: the sourced countries are the "
            "ones whose rooftop PV is counted because it is common) — `pv_share_from`."
        ),
        notes=[
            f"{own.height} countries have their own consumption figure, "
            f"{frame.filter(pl.col('region') == '').height - own.height} borrow the nearest "
            "one's; US states have their own.",
            "Secondary and old figures (2010 for CN, MX, ZA, RU, NG) are the weakest; the "
            "Gulf states and South Korea borrow from neighbours with far lower use.",
        ],
        attribution=_ATTRIBUTION,
    )


def _adoption_from(
    cc: str, adoption: dict[str, float], places: dict[str, tuple[float, float, float, str]]
) -> str:
    """The sourced country whose PV share ``cc`` takes: the nearest on its continent,
    else the one with the lowest share."""
    if any(places[o][3] == places[cc][3] for o in adoption if o in places):
        return nearest(cc, set(adoption), places)
    return min(adoption, key=lambda o: (adoption[o], o))


def _check_countries(frame: pl.DataFrame) -> None:
    if frame.filter(pl.col("kwh_per_household") <= 0).height:
        fail("energy_countries: non-positive consumption")
    de = frame.filter((pl.col("country") == "DE") & (pl.col("region") == "")).row(0, named=True)
    if (
        not 2_500 <= de["kwh_per_household"] <= 4_500
        or not 850 <= de["pv_yield_kwh_per_kwp"] <= 1_100
    ):
        fail(f"energy_countries: Germany out of its published ranges: {de}")
    if not frame["pvout_kwh_per_kwp"].is_between(700, 2_200).all():
        fail("energy_countries: PVOUT out of 700-2,200 kWh/kWp")
    if frame.filter(pl.col("region") != "").height != 51:
        fail("energy_countries: expected 50 US states and DC")


def build_energy_months(ctx: BuildContext) -> Artifact:
    places = _places(ctx)
    countries = sorted(ctx.built["countries.parquet"]["iso2"].to_list())
    profiles = _profiles()
    eurostat = _degree_days()
    normals = _normals(ctx.built["cities.parquet"])
    sd, rmse, fitted = _fit_sd(normals, eurostat)
    end_uses = _end_use_shares()
    eu_heat, eu_cool_or_none = end_uses["EU27"]
    eu_cool = eu_cool_or_none or 0.0
    eu_hdd, eu_cdd = (sum(x) for x in eurostat["EU27"])
    cap, cap_region = weather_cap(profiles)

    def shares_for(cc: str, hdd: list[float], cdd: list[float]) -> list[float]:
        h, c = eu_heat * sum(hdd) / eu_hdd, eu_cool * sum(cdd) / eu_cdd
        if cc in end_uses:  # the country's own shares (its heating share alone: FR)
            h, own_c = end_uses[cc]
            c = c if own_c is None else own_c
        if h + c > cap:
            h, c = h * cap / (h + c), c * cap / (h + c)
        return degree_day_shares(hdd, cdd, h, c)

    de_model = shares_for("DE", *eurostat["DE"])
    h25 = profiles[("DE", "BDEW H25 household standard load profile")]
    de_miss = max(abs(a - b) for a, b in zip(de_model, h25, strict=True))
    if de_miss > MAX_DE_DEVIATION:
        fail(f"energy_months: the degree-day model misses BDEW H25 by {de_miss:.4f}")
    lat_rmse = math.sqrt(
        sum(
            (a - b) ** 2
            for cc, entries in normals.items()
            for a, b in zip(latitude_temps(places[cc][2]), _weighted_temps(entries), strict=True)
        )
        / (12 * len(normals))
    )

    rows: list[tuple[Any, ...]] = []
    methods: dict[str, int] = defaultdict(int)
    for cc in countries:
        if cc == "DE":
            shares, method = h25, "BDEW H25"
        elif cc == "US":
            shares, method = profiles[("US", _EIA)], "EIA-861M"
        elif cc in eurostat:
            shares, method = shares_for(cc, *eurostat[cc]), "Eurostat degree days"
        elif cc in normals:
            temps = _weighted_temps(normals[cc])
            shares, method = shares_for(cc, *_estimated(temps, sd)), "WMO normals"
        else:
            temps = latitude_temps(places[cc][2])
            shares, method = shares_for(cc, *_estimated(temps, sd)), "latitude climate"
        methods[method] += 1
        rows.extend((cc, "", m + 1, round(s, 6), method) for m, s in enumerate(shares))
        if cc == "US":
            for (region, profile), states in sorted(profiles.items()):
                if region.startswith("US-") and profile == _EIA:
                    rows.extend(
                        (cc, region[3:], m + 1, round(s, 6), "EIA-861M")
                        for m, s in enumerate(states)
                    )
    frame = pl.DataFrame(
        rows,
        schema={
            "country": pl.String,
            "region": pl.String,
            "month": pl.Int8,
            "share": pl.Float64,
            "method": pl.String,
        },
        orient="row",
    )
    sums = frame.group_by("country", "region").agg(pl.col("share").sum())
    if not sums["share"].is_between(0.9999, 1.0001).all() or frame["share"].min() <= 0:  # type: ignore[operator]
        fail("energy_months: shares must be positive and add to 1")
    return Artifact(
        name="energy_months.parquet",
        frame=frame,
        sources=_SOURCES,
        origin=(
            "Share of a year's household electricity per month, per country (`region` "
            "empty) and US state. Germany: BDEW H25 standard load profile with the BDEW "
            "dynamisation (2023-2025, from demandlib 0.2.2); the US and its states: EIA-861M "
            "residential sales per customer 2015-2023 (billing months, about half a month "
            "behind the weather). Others: share_m = (1 - h - c) days_m / 365.25 + h HDD_m / "
            "HDD + c CDD_m / CDD, with h and c the heating and cooling shares of household "
            f"electricity — the EU-27's (Eurostat nrg_d_hhq 2024: {eu_heat:.1%} and "
            f"{eu_cool:.1%}) times the country's degree days over the EU's ({eu_hdd:.0f} HDD, "
            f"{eu_cdd:.0f} CDD), Malta its own, France its own heating share (ADEME: "
            f"{end_uses['FR'][0]:.1%} of household electricity heats rooms, "
            "scripts/sources/energy/electric_heating.csv), h + c at most {cap:.3f} (the largest "
            f"weather-driven swing of a US state's EIA profile, {cap_region}). Degree days: "
            "Eurostat nrg_chdd_m means 1991-2020 for the EU-27 and Norway (`Eurostat degree "
            "days`); elsewhere from monthly mean temperatures — the population-weighted mean "
            "of the country's cities in the WMO 1991-2020 normals (scripts/sources/climate; "
            "`WMO normals`), else a latitude climate at its cities' mean latitude (`latitude "
            "climate`) — taking daily means normal around the monthly one with sd "
            f"{sd:.1f} °C, the value that best reproduces Eurostat's national degree days "
            f"from the normals of {len(fitted)} European countries (RMSE {rmse:.0f} degree "
            "days a month)."
        ),
        notes=[
            f"Methods: {', '.join(f'{k} {v}' for k, v in sorted(methods.items()))} countries.",
            f"The degree-day model on Germany's Eurostat degree days gives the BDEW H25 "
            f"months within {de_miss:.4f} of the year (January {de_model[0]:.4f} vs "
            f"{h25[0]:.4f}, July {de_model[6]:.4f} vs {h25[6]:.4f}).",
            f"The latitude climate misses the normals' monthly means by {lat_rmse:.1f} °C "
            "(RMSE over the countries that have normals).",
        ],
        attribution=_ATTRIBUTION,
    )


_EIA = "EIA residential sales per customer"


def _sizes() -> dict[str, float]:
    rows = [r for r in _rows(SIZES) if r["country_code"] == "DE"]
    total = sum(float(r["share_pct"]) for r in rows)
    return {r["household_size"]: float(r["share_pct"]) / total for r in rows}


def _cells() -> list[tuple[float, float]]:
    """(weight, kWh) of the Stromspiegel cells."""
    sizes = _sizes()
    cells = [
        r
        for r in _rows(CONSUMPTION)
        if r["country_code"] == "DE" and r["household_size"] and r["dwelling"] != "all"
    ]
    per_size: dict[str, list[float]] = defaultdict(list)
    for r in cells:
        per_size[r["household_size"]].append(float(r["kwh_per_household"]))
    if set(per_size) != set(sizes):
        fail(f"energy: Stromspiegel sizes {sorted(per_size)} vs Destatis {sorted(sizes)}")
    return [(sizes[s] / len(v), kwh) for s, v in per_size.items() for kwh in v]


def _mixture_cdf(x: float, cells: list[tuple[float, float]], sigma: float) -> float:
    return sum(w * _cdf((math.log(x / f) + 0.5 * sigma * sigma) / sigma) for w, f in cells)


def _quantile(p: float, cells: list[tuple[float, float]], sigma: float) -> float:
    lo, hi = 1e-4, 100.0
    for _ in range(80):
        mid = math.sqrt(lo * hi)
        if _mixture_cdf(mid, cells, sigma) < p:
            lo = mid
        else:
            hi = mid
    return math.sqrt(lo * hi)


def build_energy_spread(ctx: BuildContext) -> Artifact:
    raw = _cells()
    mean = sum(w * kwh for w, kwh in raw)
    cells = [(w, kwh / mean) for w, kwh in raw]
    target = _median_to_mean()
    lo, hi = 1e-3, 2.0  # median/mean falls as sigma grows
    for _ in range(60):
        sigma = (lo + hi) / 2
        if _quantile(0.5, cells, sigma) > target:
            lo = sigma
        else:
            hi = sigma
    sigma = (lo + hi) / 2
    qs = [_quantile((i + 0.5) / QUANTILES, cells, sigma) for i in range(QUANTILES)]
    norm = sum(qs) / len(qs)
    qs = [q / norm for q in qs]
    frame = pl.DataFrame(
        {
            "quantile": [(i + 0.5) / QUANTILES for i in range(QUANTILES)],
            "factor": [round(q, 6) for q in qs],
        }
    )
    median = (qs[QUANTILES // 2 - 1] + qs[QUANTILES // 2]) / 2
    return Artifact(
        name="energy_spread.parquet",
        frame=frame,
        sources=_SOURCES,
        origin=(
            "How households of one country differ: the quantile function (1,000 quantiles, "
            "mean 1) of a household's yearly electricity over its country's mean. Shape: "
            "the co2online Stromspiegel 2025/26 typical consumption of 20 German household "
            "types (1-5+ persons x flat/house x with/without electric water heating; "
            "secondary transcription), persons weighted by Destatis' Mikrozensus 2018 "
            "household sizes (42/34/12/9/3 %), the four dwelling types of a size equally "
            f"(no shares found); each type widened by a lognormal of sd {sigma:.3f} (mean "
            "kept) so that the whole distribution's median is "
            f"{target:.3f} of its mean, as among GB's domestic meters (DESNZ MSOA 2019: "
            "meter-weighted area medians 2,858 kWh, mean 3,578 kWh). Used for every country."
        ),
        notes=[
            f"Median {median:.3f}, 10th percentile {qs[99]:.3f}, 90th {qs[899]:.3f} of the mean."
        ],
        attribution=_ATTRIBUTION,
    )


_SOURCES = [
    Source(
        "scripts/sources/energy/household_consumption.csv",
        "Eurostat CC BY 4.0; DESNZ/Ofgem OGL v3.0; EIA US public domain; secondary rows: facts",
        "household electricity per year, end-use shares, Stromspiegel household types",
        pinned="2026-12-07",
    ),
    Source(
        "scripts/sources/energy/monthly_profiles.csv",
        "demandlib MIT (BDEW profile values); EIA US public domain",
        "monthly shares: BDEW H25 (DE), EIA-861M (US, states)",
        pinned="2026-12-07",
    ),
    Source(
        "scripts/sources/energy/degree_days.csv",
        "Eurostat CC BY 4.0",
        "monthly heating and cooling degree days 1991-2020, EU-27 and NO",
        pinned="2026-12-07",
    ),
    Source(
        "scripts/sources/energy/pv_yield.csv",
        "CC BY 4.0 (World Bank / Solargis)",
        "PVOUT Level 1 and seasonality index by country",
        pinned="2026-12-07",
    ),
    Source(
        "scripts/sources/energy/household_sizes.csv",
        "Datenlizenz Deutschland – Namensnennung 2.0 (Destatis)",
        "German household sizes (Mikrozensus 2018)",
        pinned="2026-12-08",
    ),
    Source(
        "scripts/sources/energy/pv_adoption.csv",
        "facts from national statistics and agencies (Destatis dl-de/by-2-0, Eurostat "
        "CC BY 4.0 for denominators)",
        "share of households with rooftop PV by country",
        pinned="2026-12-08",
    ),
    Source(
        "scripts/sources/energy/electric_heating.csv",
        "facts quoted (ADEME study)",
        "France's share of household electricity used for space heating",
        pinned="2026-12-08",
    ),
    Source(
        "scripts/sources/climate/climate_normals.csv",
        "WMO Unified Data Policy core data (free and unrestricted)",
        "monthly mean temperatures of cities outside Eurostat's degree-day table",
        pinned="2026-12-07",
    ),
]
_ATTRIBUTION = [
    "Household electricity and degree days: Eurostat (nrg_d_hhq, lfst_hhnhtych, "
    "nrg_chdd_m), © European Union, reuse authorised (CC BY 4.0), modified.",
    "Contains public sector information licensed under the Open Government Licence v3.0 "
    "(DESNZ sub-national electricity consumption; Ofgem).",
    "US household electricity: U.S. Energy Information Administration (EIA-861M, "
    "Table 5a), public domain.",
    "Global Photovoltaic Power Potential by Country, World Bank/ESMAP and Solargis (2020), "
    "CC BY 4.0, modified (rooftop derate).",
    "BDEW standard load profile H25 as shipped by demandlib (oemof developer group, MIT).",
    "Household sizes: Statistisches Bundesamt (Destatis), Mikrozensus 2018, dl-de/by-2-0.",
]

BUILDERS = [build_energy_countries, build_energy_months, build_energy_spread]
