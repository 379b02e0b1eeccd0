"""``tickers.parquet`` and ``market_calendars.parquet``: listed companies and exchange calendars.

**tickers.parquet** — one row per company (primary listing), from the index
constituents that ``pytickersymbols`` ships (``pytickersymbols/indices_data.py``, read
with :func:`ast.literal_eval`, without importing the package). Columns:

``symbol``
    Yahoo-style symbol of the primary listing: bare for US listings (``AAPL``,
    ``BRK.B``), with the exchange suffix elsewhere (``SAP.DE``, ``7203.T``, ``HSBA.L``).
``name``, ``sector``, ``industry``
    ``sector`` is one of the 11 GICS sectors, voted from the package's mixed industry
    labels (GICS and Refinitiv TRBC sector names count most, keywords in free-text labels
    least), with :data:`SECTOR_OVERRIDES` for companies the vote gets wrong or cannot
    decide. ``industry`` is the package's most specific label of that sector (free text,
    ``""`` when there is none).
``country``
    ISO 3166 alpha-2 of the company (its headquarters or domicile as the package gives
    it; a US city and state mean US), else the country of its first ISIN, else that of
    the exchange.
``exchange``, ``currency``
    ISO 10383 MIC of the primary listing's exchange (see :data:`EXCHANGES`) and the
    currency it trades in (London: GBP, although LSE quotes in pence).
``indices``
    Sorted list of the indices (of the package's 20) the company belongs to.
``tier``, ``weight``
    Size proxy for sampling (the package has no market capitalisations): the largest
    tier of any index the company is in — ``mega`` (Dow Jones, S&P 100, EURO STOXX 50)
    weight 100, ``large`` (S&P 500, Nasdaq-100, DAX, FTSE 100, CAC 40, SMI, AEX, IBEX 35,
    BEL 20, OMX S30/H25, Nikkei 225) 20, ``mid`` (MDAX, CAC Mid 60, TecDAX) 5, ``small``
    (SDAX, S&P 600) 1 — roughly the ratio of typical market caps between the tiers.

The primary listing is the entry's own symbol when its suffix names an exchange; else a
listing of the same company on its home exchange. US listings are on Nasdaq (XNAS) when
the package says ``NASDAQ:`` or the company is in the Nasdaq-100, on the NYSE (XNYS) when
it says ``NYSE:``; for the many S&P entries with neither, a symbol of four or more
letters is taken as Nasdaq and a shorter one as NYSE (Nasdaq's historical convention; a
heuristic, right for most but not all). German small caps listed only under their
Frankfurt code get the same code on Xetra (Deutsche Börse uses one code for both).
Frankfurt (``.F``), OTC and London IOB (``0XXX.L``) listings are never primary.
Entries without any usable listing are dropped. Companies listed in several indices (or
on several exchanges, found by a shared ISIN and name) become one row on the listing of
their home country's exchange, else the one with the most index memberships.

**market_calendars.parquet** — one row per exchange that tickers.parquet uses:
``exchange`` (MIC), ``name``, ``country``, ``currency``, ``timezone`` (IANA),
``open``/``close`` (local regular-session time), ``break_start``/``break_end`` (the
lunch break; both equal ``close`` where there is none), ``holiday_source``,
``calendar_start``/``calendar_end`` (the span the holidays cover) and ``holidays``: the
sorted list of weekdays in that span on which the exchange does not trade. Trading days
are weekdays minus these. Before a ``holidays`` exchange calendar's own first year
(Xetra 2016, Euronext 2019, LSE/BME/SIX 2000) its rules are projected back. Hours are
today's (Tokyo closes at 15:30 since November 2024); early closes (half days) are not
recorded.
"""

from __future__ import annotations

import ast
import collections
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl

from refdata.build import Artifact, BuildContext, Source, fail, frame, package_dir

CALENDAR_START = dt.date(1990, 1, 1)
CALENDAR_END = dt.date(2040, 12, 31)


# --------------------------------------------------------------------------- exchanges


@dataclass(frozen=True)
class Exchange:
    mic: str
    name: str
    country: str
    currency: str
    timezone: str
    open: dt.time
    close: dt.time
    #: ``holidays.financial_holidays`` code, or None to fall back to the country's holidays
    financial: str | None
    #: Yahoo symbol suffix ("" for US listings)
    suffix: str
    lunch: tuple[dt.time, dt.time] | None = None


def _t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


EXCHANGES: dict[str, Exchange] = {
    e.mic: e
    for e in [
        Exchange(
            "XNYS", "New York Stock Exchange", "US", "USD", "America/New_York",
            _t("09:30"), _t("16:00"), "XNYS", "",
        ),
        Exchange(
            "XNAS", "Nasdaq", "US", "USD", "America/New_York",
            _t("09:30"), _t("16:00"), "XNAS", "",
        ),
        Exchange(
            "XETR", "Xetra (Deutsche Börse)", "DE", "EUR", "Europe/Berlin",
            _t("09:00"), _t("17:30"), "XETR", ".DE",
        ),
        Exchange(
            "XLON", "London Stock Exchange", "GB", "GBP", "Europe/London",
            _t("08:00"), _t("16:30"), "XLON", ".L",
        ),
        Exchange(
            "XPAR", "Euronext Paris", "FR", "EUR", "Europe/Paris",
            _t("09:00"), _t("17:30"), "XPAR", ".PA",
        ),
        Exchange(
            "XAMS", "Euronext Amsterdam", "NL", "EUR", "Europe/Amsterdam",
            _t("09:00"), _t("17:30"), "XAMS", ".AS",
        ),
        Exchange(
            "XBRU", "Euronext Brussels", "BE", "EUR", "Europe/Brussels",
            _t("09:00"), _t("17:30"), "XBRU", ".BR",
        ),
        Exchange(
            "XMIL", "Euronext Milan (Borsa Italiana)", "IT", "EUR", "Europe/Rome",
            _t("09:00"), _t("17:30"), "XMIL", ".MI",
        ),
        Exchange(
            "XMAD", "Bolsa de Madrid", "ES", "EUR", "Europe/Madrid",
            _t("09:00"), _t("17:30"), "XMAD", ".MC",
        ),
        Exchange(
            "XSWX", "SIX Swiss Exchange", "CH", "CHF", "Europe/Zurich",
            _t("09:00"), _t("17:30"), "XSWX", ".SW",
        ),
        Exchange(
            "XSTO", "Nasdaq Stockholm", "SE", "SEK", "Europe/Stockholm",
            _t("09:00"), _t("17:30"), None, ".ST",
        ),
        Exchange(
            "XHEL", "Nasdaq Helsinki", "FI", "EUR", "Europe/Helsinki",
            _t("10:00"), _t("18:30"), None, ".HE",
        ),
        Exchange(
            "XTKS", "Tokyo Stock Exchange", "JP", "JPY", "Asia/Tokyo",
            _t("09:00"), _t("15:30"), "XJPX", ".T", (_t("11:30"), _t("12:30")),
        ),
    ]
}  # fmt: skip

BY_SUFFIX = {e.suffix: e.mic for e in EXCHANGES.values() if e.suffix}

#: Home exchange of each index's constituents (the package's index names).
INDEX_EXCHANGE = {
    "AEX": "XAMS",
    "BEL 20": "XBRU",
    "CAC_40": "XPAR",
    "CAC Mid 60": "XPAR",
    "DAX": "XETR",
    "DOW JONES": "US",
    "EURO STOXX 50": "",
    "FTSE 100": "XLON",
    "IBEX 35": "XMAD",
    "MDAX": "XETR",
    "NASDAQ 100": "XNAS",
    "NIKKEI 225": "XTKS",
    "OMX Helsinki 25": "XHEL",
    "OMX Stockholm 30": "XSTO",
    "SDAX": "XETR",
    "S&P 100": "US",
    "S&P 500": "US",
    "S&P 600": "US",
    "Switzerland 20": "XSWX",
    "TecDAX": "XETR",
}

#: Display names of the indices (the package's spelling where it is the usual one).
INDEX_NAMES = {
    "CAC_40": "CAC 40",
    "DOW JONES": "Dow Jones",
    "NASDAQ 100": "Nasdaq-100",
    "NIKKEI 225": "Nikkei 225",
    "Switzerland 20": "SMI",
}

TIERS = {
    "mega": (100.0, {"DOW JONES", "S&P 100", "EURO STOXX 50"}),
    "large": (
        20.0,
        {
            "S&P 500", "NASDAQ 100", "DAX", "FTSE 100", "CAC_40", "Switzerland 20", "AEX",
            "IBEX 35", "BEL 20", "OMX Stockholm 30", "OMX Helsinki 25", "NIKKEI 225",
        },
    ),
    "mid": (5.0, {"MDAX", "CAC Mid 60", "TecDAX"}),
    "small": (1.0, {"SDAX", "S&P 600"}),
}  # fmt: skip


# --------------------------------------------------------------------------- sectors

SECTORS = (
    "Communication Services",
    "Consumer Discretionary",
    "Consumer Staples",
    "Energy",
    "Financials",
    "Health Care",
    "Industrials",
    "Information Technology",
    "Materials",
    "Real Estate",
    "Utilities",
)

#: Sector-level labels (GICS sectors weigh 3, Refinitiv TRBC economic sectors 2, TRBC
#: business sectors 1.5); they are never chosen as ``industry``.
SECTOR_LABELS: dict[str, tuple[str, float]] = {
    **{s.lower(): (s, 3.0) for s in SECTORS},
    "basic materials": ("Materials", 2.0),
    "consumer cyclicals": ("Consumer Discretionary", 2.0),
    "consumer non-cyclicals": ("Consumer Staples", 2.0),
    "healthcare": ("Health Care", 2.0),
    "technology": ("Information Technology", 2.0),
    "information technology": ("Information Technology", 3.0),
    "utilities": ("Utilities", 3.0),
    "financial services": ("Financials", 1.5),
    "banking & investment services": ("Financials", 1.5),
    "insurance": ("Financials", 1.5),
    "collective investments": ("Financials", 1.5),
    "telecommunications services": ("Communication Services", 1.5),
    "media & publishing": ("Communication Services", 1.5),
    "industrial goods": ("Industrials", 1.5),
    "industrial & commercial services": ("Industrials", 1.5),
    "transportation": ("Industrials", 1.5),
    "chemicals": ("Materials", 1.5),
    "mineral resources": ("Materials", 1.5),
    "applied resources": ("Materials", 1.5),
    "fossil fuels": ("Energy", 1.5),
    "renewable energy": ("Energy", 1.5),
    "automobiles & auto parts": ("Consumer Discretionary", 1.5),
    "cyclical consumer products": ("Consumer Discretionary", 1.5),
    "cyclical consumer services": ("Consumer Discretionary", 1.5),
    "retailers": ("Consumer Discretionary", 1.5),
    "food & beverages": ("Consumer Staples", 1.5),
    "personal & household products & services": ("Consumer Staples", 1.5),
    "food & drug retailing": ("Consumer Staples", 1.5),
    "consumer goods conglomerates": ("Consumer Staples", 1.5),
    "healthcare services & equipment": ("Health Care", 1.5),
    "pharmaceuticals & medical research": ("Health Care", 1.5),
    "technology equipment": ("Information Technology", 1.5),
    "software & it services": ("Information Technology", 1.5),
    "financial technology (fintech) & infrastructure": ("Financials", 1.5),
}

#: Keywords (regex, on the lower-cased label) of free-text labels, English and German
#: (the CAC Mid 60 and SDAX entries are labelled in German); each match weighs 1. The
#: first matching pattern decides a label's sector.
SECTOR_KEYWORDS: list[tuple[str, str]] = [
    (r"reit|real estate|immobilien|property|properties|wohnungs", "Real Estate"),
    (r"semiconductor|halbleiter|software|it services|it and consulting|\bit\b|computer|"
     r"electronic|elektronik|information security|networking|data processing|cloud|"
     r"internet services|technologie|iot", "Information Technology"),
    (r"telecom|communications$|wireless|media|medien|broadcast|publishing|verlag|advertis|werbung|"
     r"entertainment|video game|unterhaltung|interactive|internet|social network|"
     r"cable|satellit", "Communication Services"),
    (r"pharma|biotech|health|medical|medizin|hospital|klinik|drug|diagnost|life science|"
     r"caregiving|pflege|dental|animal health", "Health Care"),
    (r"bank|insur|versicher|financ|invest|asset management|capital market|exchange|"
     r"brokerage|credit|payment|beteiligung|private equity|leasing|mortgage|"
     r"holding", "Financials"),
    (r"oil|gas|petrol|erdöl|öl|energy|coal|refin|pipeline|fossil|drilling", "Energy"),
    (r"electric util|utilit|versorger|water|power|electricity|strom|renewable|wind|solar",
     "Utilities"),
    (r"chemi|steel|stahl|metal|mining|montan|gold|alumin|paper|packag|glass|glas|"
     r"cement|zement|construction material|building material|fertili|material",
     "Materials"),
    (r"food|lebensmittel|beverage|getränk|brew|tobacco|household|personal care|cosmetic|"
     r"kosmetik|riechstoff|fragrance|supermarket|grocer|agricultur|farming|drogerie",
     "Consumer Staples"),
    (r"retail|handel|apparel|textil|fashion|luxury|footwear|automo|auto |car |vehicle|"
     r"hotel|restaurant|leisure|freizeit|travel|casino|gaming|glücksspiel|lottery|"
     r"homebuild|consumer|sport|toys|e-commerce|yacht|cruise", "Consumer Discretionary"),
    (r"industr|aerospace|defen|luftfahrt|machin|maschinen|engineering|anlagenbau|"
     r"construction|bau|transport|logist|airline|air transport|railroad|shipping|"
     r"trucking|airport|flughafen|electrical|conglomerate|mischkonzern|services|"
     r"dienstleist|staffing|personnel|consulting|beratung|waste|recycling|security|"
     r"printing|rental|manufactur|röhren|equipment|trading compan|general trading|"
     r"sogo shosha|\brail|inspection|certification", "Industrials"),
]  # fmt: skip

#: Companies (primary symbol) whose vote is wrong or empty: GICS sector by hand.
SECTOR_OVERRIDES: dict[str, str] = {
    # the vote is wrong (noisy or foreign labels in the package)
    "AMD": "Information Technology",
    "BFSA.DE": "Industrials",  # Befesa: steel-dust and aluminium recycling
    "COST": "Consumer Staples",
    "GOOG": "Communication Services",
    "MUX.DE": "Industrials",  # Mutares: industrial holding
    "NFLX": "Communication Services",
    "PM": "Consumer Staples",  # labels are a medical-equipment company's
    # no usable label: none in the package, or NAME_FIXES dropped another company's
    "7741.T": "Health Care",  # Hoya: "Precision instruments"
    "9434.T": "Communication Services",
    "9984.T": "Communication Services",
    "AIZ": "Financials",
    "APO": "Financials",
    "MHK": "Consumer Discretionary",
    "STM.DE": "Industrials",
    "STMPA.PA": "Information Technology",
}


def label_sector(label: str) -> tuple[str, float] | None:
    low = label.strip().lower()
    if low in SECTOR_LABELS:
        return SECTOR_LABELS[low]
    for pattern, sector in SECTOR_KEYWORDS:
        if re.search(pattern, low):
            return sector, 1.0
    return None


def vote_sector(labels: Iterable[str]) -> str:
    score: collections.Counter[str] = collections.Counter()
    for label in labels:
        hit = label_sector(label)
        if hit is not None:
            score[hit[0]] += hit[1]
    if not score:
        return ""
    return min(score.items(), key=lambda kv: (-kv[1], SECTORS.index(kv[0])))[0]


def pick_industry(labels: Iterable[str], sector: str) -> str:
    """The most specific label of ``sector``: not a sector-level name, longest wins."""
    specific = [
        lab.strip()
        for lab in labels
        if lab.strip().lower() not in SECTOR_LABELS and (label_sector(lab) or ("",))[0] == sector
    ]
    if not specific:
        return ""
    return min(specific, key=lambda s: (-len(s), s)) if len(specific) > 1 else specific[0]


# --------------------------------------------------------------------------- tickers


def read_indices() -> dict[str, Any]:
    """The package's INDICES literal, without importing pytickersymbols (and requests)."""
    path = package_dir("pytickersymbols") / "indices_data.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == "INDICES"
        ):
            return dict(ast.literal_eval(node.value))
    fail(f"{path}: no INDICES literal")


def country_lookup(ctx: BuildContext) -> tuple[dict[str, str], set[str]]:
    """Lower-cased country name → ISO2, and US state names."""
    names = {info["name"].lower(): cc for cc, info in ctx.geonames_countries.items()}
    names |= {
        "the netherlands": "NL",
        "netherlands": "NL",
        "usa": "US",
        "united states of america": "US",
        "uk": "GB",
        "england": "GB",
        "scotland": "GB",
        "south korea": "KR",
        "czech republic": "CZ",
    }
    cities = ctx.built["cities.parquet"]
    states = set(cities.filter(pl.col("country_code") == "US").get_column("state").to_list())
    states |= {"District of Columbia", "D.C.", "DC", "Washington, D.C."}
    return names, {s.lower() for s in states}


def parse_country(text: str | None, names: dict[str, str], states: set[str]) -> str:
    """ISO2 of the package's ``country`` text: a country, or "City, US state"."""
    if not text:
        return ""
    low = text.strip().lower()
    last = low.rsplit(",", 1)[-1].strip()
    if "," in low and last in states:  # "Atlanta, Georgia" is in the US
        return "US"
    if low in names:
        return names[low]
    if last in names:
        return names[last]
    if low in states:
        return "US"
    return ""


US_INDICES = {k for k, v in INDEX_EXCHANGE.items() if v in ("US", "XNAS")}
IOB = re.compile(r"^0[A-Z0-9]{3}\.L$")


def listing_exchange(symbol: str) -> str | None:
    """Exchange of a non-US Yahoo symbol from its suffix, else None."""
    if "." not in symbol:
        return None
    suffix = "." + symbol.rsplit(".", 1)[1]
    if suffix == ".L" and IOB.match(symbol):
        return None
    return BY_SUFFIX.get(suffix)


def us_exchange(symbol: str, google: str, indices: set[str]) -> str:
    if google.startswith("NASDAQ:") or "NASDAQ 100" in indices:
        return "XNAS"
    if google.startswith("NYSE:"):
        return "XNYS"
    letters = symbol.split(".")[0]
    return "XNAS" if len(letters) >= 4 else "XNYS"


@dataclass
class Listing:
    symbol: str
    exchange: str
    name: str
    labels: set[str]
    country_text: str | None
    isins: list[str]
    indices: set[str]
    google: str


#: Symbols whose entry in the package carries another company's name (and ISIN):
#: the right name; their ISINs are ignored so they are not merged with that company.
NAME_FIXES = {
    "AIZ": "Assurant",  # package: Arthur J. Gallagher & Co. (AJG)
    "APO": "Apollo Global Management",  # package: Apollo Commercial Real Estate Finance
    "MHK": "Mohawk Industries",  # package: Globe Life (GL)
    "9434.T": "SoftBank Corp.",  # package: SoftBank (both SoftBank Group and Corp.)
    "9984.T": "SoftBank Group",
    "STMPA.PA": "STMicroelectronics",  # package: STABILUS SE
    "STM.DE": "Stabilus",  # package: STABILUS SE with STMicroelectronics' labels
}


#: Countries the package gets wrong.
COUNTRY_FIXES = {"PM": "US"}


def primary_listing(index: str, entry: dict[str, Any]) -> tuple[str, str, str] | None:
    """(symbol, exchange, google code) of the entry's primary listing, or None."""
    own = (entry.get("symbol") or "").strip()
    own = re.sub(r"^(.+?\.[A-Z]+)\.[A-Z]+$", r"\1", own)  # "AIR.PA.DE" → "AIR.PA"
    symbols = entry.get("symbols") or []
    google = {s.get("yahoo", ""): s.get("google", "") for s in symbols}
    if index in US_INDICES and own:
        return own, "US", google.get(own, "")
    if own and (mic := listing_exchange(own)):
        return own, mic, google.get(own, "")
    home = INDEX_EXCHANGE[index]
    # another listing of the company on the index's home exchange (or any known one)
    candidates = [
        (0 if mic == home else 1, y, mic)
        for y in google
        if (mic := listing_exchange(y)) is not None
    ]
    if candidates:
        _, sym, mic = min(candidates)
        return sym, mic, google.get(sym, "")
    if home == "XETR":
        traded = str((entry.get("metadata") or {}).get("traded_as") or "")
        match = re.search(r"FWB\s*:\s*([A-Z0-9]{2,5})\b", traded)
        if match:
            return f"{match.group(1)}.DE", "XETR", ""
        if own and f"{own}.F" in google:
            return f"{own}.DE", "XETR", ""
    return None


def name_key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", text)


def collect_listings(indices: dict[str, Any]) -> tuple[dict[str, Listing], list[str]]:
    listings: dict[str, Listing] = {}
    dropped: list[str] = []
    for index in sorted(indices):
        for entry in indices[index]["companies"]:
            found = primary_listing(index, entry)
            if found is None:
                dropped.append(f"{entry['name']} ({index})")
                continue
            symbol, mic, google = found
            item = listings.get(symbol)
            if item is None:
                item = listings[symbol] = Listing(
                    symbol, mic, entry["name"].strip(), set(), None, [], set(), google
                )
            if symbol in NAME_FIXES:
                item.name = NAME_FIXES[symbol]
            else:
                item.labels |= set(entry.get("industries") or [])
                item.isins += [i for i in entry.get("isins") or [] if i not in item.isins]
            item.country_text = item.country_text or entry.get("country")
            item.indices.add(index)
            item.google = item.google or google
    for item in listings.values():
        if item.exchange == "US":
            item.exchange = us_exchange(item.symbol, item.google, item.indices)
    return listings, sorted(dropped)


def merge_cross_listings(
    listings: dict[str, Listing], country_of: dict[str, str]
) -> tuple[list[Listing], list[str]]:
    """One listing per company: listings sharing an ISIN and their name are merged."""
    parent = {s: s for s in listings}

    def find(s: str) -> str:
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    by_isin: dict[str, list[str]] = collections.defaultdict(list)
    for sym in sorted(listings):
        for isin in listings[sym].isins:
            by_isin[isin].append(sym)
    for syms in by_isin.values():
        for other in syms[1:]:
            a, b = listings[syms[0]], listings[other]
            if name_key(a.name) == name_key(b.name):
                parent[find(other)] = find(syms[0])
    groups: dict[str, list[Listing]] = collections.defaultdict(list)
    for sym in sorted(listings):
        groups[find(sym)].append(listings[sym])
    merged, notes = [], []
    for members in groups.values():
        country = next((country_of[m.symbol] for m in members if country_of[m.symbol]), "")

        def rank(m: Listing, country: str = country) -> tuple[int, int, str]:
            return (EXCHANGES[m.exchange].country != country, -len(m.indices), m.symbol)

        members.sort(key=rank)
        keep = members[0]
        for m in members[1:]:
            keep.labels |= m.labels
            keep.indices |= m.indices
            keep.isins += [i for i in m.isins if i not in keep.isins]
        if len(members) > 1:
            notes.append(f"{keep.symbol} ← {', '.join(m.symbol for m in members[1:])}")
        merged.append(keep)
    return merged, sorted(notes)


def build_tickers(ctx: BuildContext) -> Artifact:
    indices = read_indices()
    if set(indices) != set(INDEX_EXCHANGE):
        fail(f"pytickersymbols indices changed: {sorted(set(indices) ^ set(INDEX_EXCHANGE))}")
    names, states = country_lookup(ctx)
    listings, dropped = collect_listings(indices)

    def company_country(item: Listing) -> tuple[str, str]:
        cc = parse_country(item.country_text, names, states)
        if cc:
            return cc, "package"
        for isin in item.isins:
            if isin[:2] in ctx.geonames_countries and isin[:2] != "US":
                return isin[:2], "isin"
        return EXCHANGES[item.exchange].country, "exchange"

    countries = {s: company_country(item) for s, item in listings.items()}
    countries |= {s: (cc, "by hand") for s, cc in COUNTRY_FIXES.items()}
    stale = sorted((set(SECTOR_OVERRIDES) | set(COUNTRY_FIXES)) - set(listings))
    if stale:
        fail(f"tickers: hand tables name symbols that are not built: {stale}")
    merged, merges = merge_cross_listings(listings, {s: c for s, (c, _) in countries.items()})

    rows = []
    overridden, unlabelled, missing = [], [], []
    for item in sorted(merged, key=lambda m: m.symbol):
        labels = sorted(item.labels)
        voted = vote_sector(labels)
        sector = SECTOR_OVERRIDES.get(item.symbol, voted)
        if item.symbol in SECTOR_OVERRIDES:
            if voted == sector:
                fail(f"tickers: SECTOR_OVERRIDES[{item.symbol!r}] agrees with the vote")
            (overridden if voted else unlabelled).append(f"{item.symbol} {voted or '-'} → {sector}")
        if not sector:
            missing.append(f"{item.symbol} ({item.name}, labels {labels})")
            continue
        tier = next(t for t, (_, members) in TIERS.items() if item.indices & members)
        exchange = EXCHANGES[item.exchange]
        rows.append(
            (
                item.symbol,
                item.name,
                sector,
                pick_industry(labels, sector),
                countries[item.symbol][0],
                item.exchange,
                exchange.currency,
                sorted(INDEX_NAMES.get(i, i) for i in item.indices),
                tier,
                TIERS[tier][0],
            )
        )
    if missing:
        fail("tickers: no sector for " + "; ".join(missing))
    table = frame(
        rows,
        [
            ("symbol", pl.String),
            ("name", pl.String),
            ("sector", pl.String),
            ("industry", pl.String),
            ("country", pl.String),
            ("exchange", pl.String),
            ("currency", pl.String),
            ("indices", pl.List(pl.String)),
            ("tier", pl.String),
            ("weight", pl.Float32),
        ],
    )
    if table["symbol"].n_unique() != table.height:
        fail("tickers: symbols are not unique")
    if (table["sector"] == "").any() or (table["country"] == "").any():
        fail("tickers: empty sector or country")
    source_counts = collections.Counter(
        src for s, (_, src) in countries.items() if s in set(table["symbol"])
    )
    ctx.report["tickers"] = {
        "rows": table.height,
        "dropped_without_listing": len(dropped),
        "merged_cross_listings": merges,
        "sector_overrides": overridden,
        "sector_by_hand_no_label": unlabelled,
        "country_source": dict(sorted(source_counts.items())),
    }
    return Artifact(
        name="tickers.parquet",
        frame=table,
        sources=[
            Source(
                "pytickersymbols",
                "MIT",
                "index constituents: symbols, names, countries, industry labels, ISINs",
            )
        ],
        origin=(
            "Constituents of the 20 stock indices in pytickersymbols "
            "(`pytickersymbols/indices_data.py`, read as a literal), one row per company on "
            "its primary listing (Yahoo-style symbol; exchange as ISO 10383 MIC). Sectors are "
            "GICS sectors voted from the package's industry labels, with a hand table for "
            "companies the vote gets wrong or that have no label; `weight` is a size proxy "
            "from index tiers (mega 100, large 20, mid 5, small 1), not a market cap. Index "
            "membership is the package's snapshot (today's constituents: survivorship bias)."
        ),
        attribution=["Ticker data from pytickersymbols (MIT), compiled from Wikipedia."],
        notes=[
            f"{len(dropped)} index entries dropped: no listing on a known exchange "
            "(mostly CAC Mid 60 and SDAX entries with only Frankfurt or OTC codes).",
            f"{len(merges)} companies listed in several places merged (shared ISIN and name).",
            f"Sectors by hand: {len(unlabelled)} companies without a usable label, "
            f"{len(overridden)} whose voted sector was wrong.",
            "US exchange: NYSE/Nasdaq from the package's Google code or Nasdaq-100 membership; "
            "otherwise 4+ letter symbols are taken as Nasdaq, shorter as NYSE (heuristic).",
        ],
    )


# --------------------------------------------------------------------------- calendars


def midsummer_eve(year: int) -> dt.date:
    """The Friday between 19 and 25 June."""
    day = dt.date(year, 6, 19)
    return day + dt.timedelta(days=(4 - day.weekday()) % 7)


#: Nasdaq Nordic closes on these eves too, which are not public holidays in Sweden or
#: Finland (Finland's list has Midsummer and Christmas Eve already).
NORDIC_EVES = "Christmas Eve, New Year's Eve, Midsummer Eve"


def closed_weekdays(exchange: Exchange) -> tuple[list[dt.date], str]:
    import holidays

    years = range(CALENDAR_START.year, CALENDAR_END.year + 1)
    if exchange.financial is not None:
        cls = type(holidays.financial_holidays(exchange.financial))
        first: int = cls.start_year
        # Years before the package's own coverage apply its rules projected back.
        backfilled = type(f"{cls.__name__}Backfilled", (cls,), {"start_year": years[0]})
        days = set(backfilled(years=years))
        source = f"holidays.financial_holidays({exchange.financial!r})"
        if first > years[0]:
            source += f", its rules projected back before {first}"
    else:
        days = set(holidays.country_holidays(exchange.country, years=years))
        for year in years:
            days |= {dt.date(year, 12, 24), dt.date(year, 12, 31), midsummer_eve(year)}
        source = (
            f"holidays.country_holidays({exchange.country!r}) + Nasdaq Nordic eves ({NORDIC_EVES})"
        )
    dates = sorted(d for d in days if d.weekday() < 5 and CALENDAR_START <= d <= CALENDAR_END)
    return dates, source


def build_market_calendars(ctx: BuildContext) -> Artifact:
    used = set(ctx.built["tickers.parquet"].get_column("exchange").to_list())
    if not used <= set(EXCHANGES):
        fail(f"market_calendars: exchanges without a calendar: {sorted(used - set(EXCHANGES))}")
    rows = []
    counts = {}
    for mic in sorted(used):
        ex = EXCHANGES[mic]
        days, source = closed_weekdays(ex)
        counts[mic] = len(days)
        lunch = ex.lunch or (ex.close, ex.close)
        rows.append(
            (
                mic,
                ex.name,
                ex.country,
                ex.currency,
                ex.timezone,
                ex.open,
                ex.close,
                lunch[0],
                lunch[1],
                source,
                CALENDAR_START,
                CALENDAR_END,
                days,
            )
        )
    table = frame(
        rows,
        [
            ("exchange", pl.String),
            ("name", pl.String),
            ("country", pl.String),
            ("currency", pl.String),
            ("timezone", pl.String),
            ("open", pl.Time),
            ("close", pl.Time),
            ("break_start", pl.Time),
            ("break_end", pl.Time),
            ("holiday_source", pl.String),
            ("calendar_start", pl.Date),
            ("calendar_end", pl.Date),
            ("holidays", pl.List(pl.Date)),
        ],
    )
    ctx.report["market_calendars"] = counts
    fallback = sorted(mic for mic in used if EXCHANGES[mic].financial is None)
    return Artifact(
        name="market_calendars.parquet",
        frame=table,
        sources=[
            Source(
                "holidays",
                "MIT",
                "exchange holiday rules (financial_holidays), country public holidays",
            )
        ],
        origin=(
            "One row per exchange used by tickers.parquet: MIC, time zone, regular-session "
            "local hours (hand-entered, current), currency, and the non-trading weekdays from "
            f"{CALENDAR_START} to {CALENDAR_END} computed by the `holidays` package's "
            "exchange calendars (Tokyo from its XJPX calendar); exchanges it lacks use the "
            f"country's public holidays plus Nasdaq Nordic's eves ({', '.join(fallback)})."
        ),
        notes=[
            "Years before a `holidays` exchange calendar's own first year (XETR 2016, "
            "Euronext 2019, XLON/XMAD/XSWX 2000) apply its rules projected back; "
            "`holiday_source` says so per exchange.",
            "Trading days are weekdays minus `holidays`; early closes (half days) are not "
            "recorded; `break_start` = `break_end` = `close` means no lunch break.",
            "Holidays per exchange: "
            + ", ".join(f"{mic} {n}" for mic, n in sorted(counts.items()))
            + ".",
        ],
    )


BUILDERS = [build_tickers, build_market_calendars]
