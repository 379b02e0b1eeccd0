"""Phone-number templates per country, kind and city, from phonenumbers' metadata.

``phone_plans.parquet`` holds one row per template: a number in international format with
``#`` for each random digit (``+49 30 #######``, ``+1 212-555-####``). Every template is
checked: random fills, the all-0 and the all-9 fill must be valid numbers of the country
and of the template's kind, by a vectorised re-implementation of phonenumbers'
``number_type`` and region rules and, on a sample of fills, by phonenumbers itself.

How templates are made
----------------------
1. Each kind's national-number pattern (``fixed_line``, ``mobile``) is expanded from its
   regex syntax tree into sequences of digit classes (``2[1-9]\\d{7}``), one per
   alternative, keeping the type's possible lengths.
2. A sequence becomes templates by fixing every position up to the last one that is not
   ``\\d`` (``21#######`` … ``29#######``); the rest are ``#``.
3. Landline templates are tied to a city of cities.parquet when phonenumbers' geocoder
   describes all of their numbers by one place whose name (ASCII-folded) is a city of the
   country; where the geocoder describes sub-ranges (US exchanges, French blocks) the
   sub-ranges become templates of their own.
4. Templates are sampled down (seeded, so rebuilding gives the same rows) to at most
   ``MAX_UNTIED`` per country and kind plus ``MAX_PER_CITY`` per city, validated, and
   formatted with ``phonenumbers.format_number(..., INTERNATIONAL)``.
"""

from __future__ import annotations

import bisect
import collections
import itertools
import math
import re
import re._constants as sre_c
import re._parser as sre_parse
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from refdata.build import (
    PHONENUMBERS_NOTICE,
    Artifact,
    BuildContext,
    Source,
    fail,
    fold_ascii,
)

#: Random digits a template may have; the runtime fills at most this many.
MAX_FREE = 12
#: Templates with fewer random digits are kept only when a country has nothing better.
MIN_FREE = 3
#: Concrete templates made from one digit-class sequence before sampling.
MAX_PER_SEQUENCE = 3000
#: Templates per country and kind not tied to a city.
MAX_UNTIED = 120
#: City-tied landline templates per city.
MAX_PER_CITY = 4
#: Random fills checked per template (plus all-0 and all-9) by the vectorised check.
FILLS = 200
#: Fills per template also checked by phonenumbers itself (plus all-0 and all-9).
LIBRARY_FILLS = 6
SEED = 20261101
#: Longest number, calling code included (ITU-T E.164).
E164_DIGITS = 15

#: Countries phonenumbers has no metadata for, and the region whose numbers they use:
#: South Georgia shares +500 with the Falklands, Pitcairn uses New Zealand's +64 and the
#: French Southern Territories Réunion's +262.
BORROW = {"GS": "FK", "PN": "NZ", "TF": "RE"}

DIGITS = frozenset("0123456789")
KINDS = {"landline": "fixed_line", "mobile": "mobile"}

DigitClasses = tuple[frozenset[str], ...]


# --------------------------------------------------------------------------- regex expansion


def _digit_class(items: Iterable[tuple[Any, Any]]) -> frozenset[str]:
    out: set[str] = set()
    negate = False
    for op, av in items:
        if op is sre_c.LITERAL:
            out.add(chr(av))
        elif op is sre_c.RANGE:
            out.update(chr(x) for x in range(av[0], av[1] + 1))
        elif op is sre_c.CATEGORY and av is sre_c.CATEGORY_DIGIT:
            out.update(DIGITS)
        elif op is sre_c.NEGATE:
            negate = True
        else:
            fail(f"unexpected character-class item {op} {av} in a phone pattern")
    digits = frozenset(out) & DIGITS
    return DIGITS - digits if negate else digits


def _expand(sub: Any, max_len: int) -> list[DigitClasses]:
    """Every alternative of a parsed pattern as a sequence of digit classes."""
    seqs: list[DigitClasses] = [()]
    for op, av in sub:
        alts: list[DigitClasses]
        if op is sre_c.LITERAL:
            alts = [(frozenset(chr(av)),)]
        elif op is sre_c.IN:
            alts = [(_digit_class(av),)]
        elif op is sre_c.SUBPATTERN:
            alts = _expand(av[3], max_len)
        elif op is sre_c.BRANCH:
            alts = [s for branch in av[1] for s in _expand(branch, max_len)]
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT):
            low, high, inner = av
            base = _expand(inner, max_len)
            alts = []
            for count in range(low, min(high, max_len) + 1):
                cur: list[DigitClasses] = [()]
                for _ in range(count):
                    cur = [a + b for a in cur for b in base if len(a) + len(b) <= max_len]
                alts.extend(cur)
        else:
            fail(f"unexpected regex item {op} {av} in a phone pattern")
        seqs = [a + b for a in seqs for b in alts if len(a) + len(b) <= max_len]
    return seqs


def digit_sequences(pattern: str, lengths: Sequence[int]) -> list[DigitClasses]:
    """The pattern's alternatives of an allowed length, deduplicated, in a fixed order."""
    seqs = _expand(sre_parse.parse(pattern), max(lengths))
    unique = {s for s in seqs if len(s) in lengths and all(s)}
    return sorted(unique, key=lambda s: tuple("".join(sorted(c)) for c in s))


@dataclass(frozen=True, order=True)
class Template:
    """National significant number: fixed leading digits, then ``free`` random ones."""

    fixed: str
    free: int
    city: int = -1  # row of cities.parquet, -1 when not tied

    @property
    def length(self) -> int:
        return len(self.fixed) + self.free


def concrete_templates(seq: DigitClasses, rng: np.random.Generator) -> list[Template]:
    """Fix every position up to the last that is not a free digit."""
    last = max((i + 1 for i, c in enumerate(seq) if c != DIGITS), default=0)
    free = len(seq) - last
    if free > MAX_FREE:
        last, free = len(seq) - MAX_FREE, MAX_FREE
    classes = [sorted(c) for c in seq[:last]]
    total = math.prod(len(c) for c in classes)
    if total <= MAX_PER_SEQUENCE:
        return [Template("".join(p), free) for p in itertools.product(*classes)]
    out = set()
    for _ in range(MAX_PER_SEQUENCE):
        out.add("".join(c[int(rng.integers(len(c)))] for c in classes))
    return [Template(f, free) for f in sorted(out)]


# --------------------------------------------------------------------------- vectorised check


def _matches(desc: Any, col: pl.Expr, length: pl.Expr) -> pl.Expr:
    """phonenumbers' ``_is_number_matching_desc`` as a Polars expression."""
    if desc is None or not desc.national_number_pattern:
        return pl.lit(False)
    expr = col.str.contains(f"^(?:{desc.national_number_pattern})$")
    if desc.possible_length:
        expr = expr & length.is_in(list(desc.possible_length))
    return expr


def _number_type(md: Any, col: pl.Expr) -> pl.Expr:
    """phonenumbers' ``_number_type_helper`` (returns the PhoneNumberType value)."""
    from phonenumbers import PhoneNumberType as T

    length = col.str.len_bytes()
    order = [
        (md.premium_rate, T.PREMIUM_RATE),
        (md.toll_free, T.TOLL_FREE),
        (md.shared_cost, T.SHARED_COST),
        (md.voip, T.VOIP),
        (md.personal_number, T.PERSONAL_NUMBER),
        (md.pager, T.PAGER),
        (md.uan, T.UAN),
        (md.voicemail, T.VOICEMAIL),
    ]
    fixed = _matches(md.fixed_line, col, length)
    mobile = _matches(md.mobile, col, length)
    expr = pl.when(~_matches(md.general_desc, col, length)).then(pl.lit(T.UNKNOWN))
    for desc, value in order:
        expr = expr.when(_matches(desc, col, length)).then(pl.lit(value))
    if md.same_mobile_and_fixed_line_pattern:
        expr = expr.when(fixed).then(pl.lit(T.FIXED_LINE_OR_MOBILE))
    else:
        expr = expr.when(fixed & mobile).then(pl.lit(T.FIXED_LINE_OR_MOBILE))
        expr = expr.when(fixed).then(pl.lit(T.FIXED_LINE))
        expr = expr.when(mobile).then(pl.lit(T.MOBILE))
    return expr.otherwise(pl.lit(T.UNKNOWN))


def _claimed_elsewhere(region: str, calling: int, col: pl.Expr) -> pl.Expr:
    """True where ``region_code_for_number`` would name a region listed before ``region``."""
    import phonenumbers
    from phonenumbers import PhoneMetadata, PhoneNumberType

    expr = pl.lit(False)
    for other in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(calling, ()):
        if other == region:
            break
        md = PhoneMetadata.metadata_for_region(other)
        if md is None:
            continue
        if md.leading_digits is not None:
            expr = expr | col.str.contains(f"^(?:{md.leading_digits})")
        else:
            expr = expr | (_number_type(md, col) != PhoneNumberType.UNKNOWN)
    return expr


def accepted_types(kind: str) -> list[int]:
    from phonenumbers import PhoneNumberType as T

    main = T.FIXED_LINE if kind == "landline" else T.MOBILE
    return [main, T.FIXED_LINE_OR_MOBILE]


def fills(templates: Sequence[Template], count: int, rng: np.random.Generator) -> list[list[str]]:
    """Per template: the all-0 fill, the all-9 fill and ``count`` random ones."""
    out = []
    for t in templates:
        digits = rng.integers(0, 10, size=(count, t.free), dtype=np.uint8) + ord("0")
        random = [t.fixed + row.tobytes().decode() for row in digits]
        out.append([t.fixed + "0" * t.free, t.fixed + "9" * t.free, *random])
    return out


def vectorised_check(
    region: str,
    kind: str,
    templates: Sequence[Template],
    rng: np.random.Generator,
    *,
    exclusive: bool = True,
) -> list[bool]:
    """Whether every checked fill of each template is valid for ``region`` and ``kind``.

    ``exclusive``: also require that no region listed before ``region`` under the same
    calling code claims the number (so that ``region_code_for_number`` gives ``region``).
    """
    from phonenumbers import PhoneMetadata

    if not templates:
        return []
    md = PhoneMetadata.metadata_for_region(region)
    numbers = fills(templates, FILLS, rng)
    per = len(numbers[0])
    df = pl.DataFrame({"nsn": [n for group in numbers for n in group]})
    col = pl.col("nsn")
    ok = _number_type(md, col).is_in(accepted_types(kind))
    if exclusive:
        ok = ok & ~_claimed_elsewhere(region, md.country_code, col)
    flags = df.select(ok.alias("ok")).get_column("ok").to_numpy().reshape(len(templates), per)
    return [bool(x) for x in flags.all(axis=1)]


def library_check(region: str, kind: str, template: Template, rng: np.random.Generator) -> bool:
    """phonenumbers itself on a few fills: valid, of the region and of the kind."""
    import phonenumbers

    accepted = accepted_types(kind)
    calling = phonenumbers.country_code_for_region(region)
    for nsn in fills([template], LIBRARY_FILLS, rng)[0]:
        number = phonenumbers.parse(f"+{calling}{nsn}")
        if phonenumbers.national_significant_number(number) != nsn:
            return False
        if not (
            phonenumbers.is_valid_number(number)
            and phonenumbers.is_valid_number_for_region(number, region)
            and phonenumbers.number_type(number) in accepted
        ):
            return False
    return True


def international(region: str, template: Template) -> str | None:
    """The template as written in international format, ``#`` for the random digits.

    None when the grouping depends on the random digits.
    """
    import phonenumbers

    calling = phonenumbers.country_code_for_region(region)
    masks = set()
    for fill in ("0", "9", "5"):
        nsn = template.fixed + fill * template.free
        number = phonenumbers.parse(f"+{calling}{nsn}")
        text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        head = f"+{calling}"
        if not text.startswith(head):
            return None
        body = list(text[len(head) :])
        positions = [i for i, ch in enumerate(body) if ch.isdigit()]
        if len(positions) != len(nsn) or "".join(body[i] for i in positions) != nsn:
            return None
        for i in positions[len(template.fixed) :]:
            body[i] = "#"
        masks.add(head + "".join(body))
    return masks.pop() if len(masks) == 1 else None


# --------------------------------------------------------------------------- geocoder ↔ cities


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold_ascii(text).lower()).strip()


@dataclass
class CityIndex:
    """Cities of one country by folded name (largest first), with their state fields."""

    by_name: dict[str, list[tuple[int, str, str]]]
    #: Folded names and codes of the country's states: a qualifier among them that
    #: is not a city's own state names another state.
    states: frozenset[str]

    @classmethod
    def of(cls, cities: pl.DataFrame, country: str) -> CityIndex:
        rows = cities.with_row_index("id").filter(pl.col("country_code") == country)
        by_name: dict[str, list[tuple[int, str, str]]] = collections.defaultdict(list)
        for cid, city, ascii_, state, code in rows.select(
            "id", "city", "city_ascii", "state", "state_code"
        ).iter_rows():
            entry = (int(cid), _fold(state), code.lower())
            keys = {_fold(city), _fold(ascii_)}
            keys |= {k.removesuffix(" city") for k in keys if k.endswith(" city")}
            for key in keys:
                if key and entry not in by_name[key]:
                    by_name[key].append(entry)
        states = frozenset(
            s
            for pair in rows.select("state", "state_code").unique().iter_rows()
            for s in (_fold(pair[0]), pair[1].lower())
            if s
        )
        return cls(dict(by_name), states)  # rows come sorted by population, largest first

    def match(self, description: str) -> int:
        """Row of the city a geocoder description names, or -1.

        ``New York, NY`` → New York City; ``Sydney/Liverpool`` → Sydney;
        ``São Paulo - SP`` → São Paulo; ``Istanbul (Europe)`` → Istanbul.
        """
        for part in description.split("/"):
            part = re.sub(r"\([^)]*\)", "", part)
            pieces = re.split(r"\s+-\s+|,\s*", part)
            name, qualifier = pieces[0], _fold(" ".join(pieces[1:]))
            hits = self.by_name.get(_fold(name), [])
            if not hits:
                continue
            if qualifier:
                for cid, state, code in hits:
                    if qualifier in (state, code):
                        return cid
                if qualifier in self.states:  # "Hollis, OK" is not Hollis, New York
                    continue
            return hits[0][0]
        return -1


@dataclass
class Geocoder:
    """phonenumbers' English prefix descriptions for one calling code."""

    keys: list[str]
    description: dict[str, str]

    @classmethod
    def of(cls, calling: int, data: dict[str, dict[str, str]]) -> Geocoder:
        head = str(calling)
        desc = {k: v["en"] for k, v in data.items() if k.startswith(head) and "en" in v}
        return cls(sorted(desc), desc)

    def ancestor(self, key: str) -> str | None:
        for n in range(min(len(key), 9), 0, -1):
            if key[:n] in self.description:
                return key[:n]
        return None

    def descendants(self, key: str) -> list[str]:
        lo = bisect.bisect_right(self.keys, key)
        hi = bisect.bisect_left(self.keys, key + "\x7f")
        return self.keys[lo:hi]


def tie_to_cities(
    templates: Sequence[Template], calling: int, geo: Geocoder, cities: CityIndex
) -> tuple[list[Template], list[Template]]:
    """Split landline templates into untied ones and city-tied ones (with sub-ranges)."""
    head = str(calling)
    untied: list[Template] = []
    tied: list[Template] = []
    city_of: dict[str, int] = {}

    def city(key: str | None) -> int:
        if key is None:
            return -1
        if key not in city_of:
            city_of[key] = cities.match(geo.description[key])
        return city_of[key]

    for t in templates:
        key = head + t.fixed
        below = geo.descendants(key)
        own = city(geo.ancestor(key))
        if not below:
            (tied if own >= 0 else untied).append(Template(t.fixed, t.free, own))
            continue
        found = {city(k) for k in below}
        if own >= 0 and found == {own}:
            tied.append(Template(t.fixed, t.free, own))
            continue
        untied.append(t)
        done: list[str] = []
        for k in below:
            if any(k.startswith(d) for d in done):
                continue
            extra = len(k) - len(key)
            if t.free - extra < MIN_FREE:
                continue
            c = city(k)
            if c < 0 or {city(x) for x in geo.descendants(k)} - {c}:
                continue
            done.append(k)
            tied.append(Template(k[len(head) :], t.free - extra, c))
    return untied, tied


# --------------------------------------------------------------------------- the builder


def typical_length(region: str, kind: str) -> int:
    """Length of phonenumbers' example number of the kind (the usual length of the plan)."""
    import phonenumbers
    from phonenumbers import PhoneNumberType

    kinds = {"landline": PhoneNumberType.FIXED_LINE, "mobile": PhoneNumberType.MOBILE}
    example = phonenumbers.example_number_for_type(region, kinds[kind])
    return len(phonenumbers.national_significant_number(example)) if example else 0


def _sample(items: list[Template], limit: int, rng: np.random.Generator) -> list[Template]:
    if len(items) <= limit:
        return items
    keep = rng.choice(len(items), size=limit, replace=False)
    return [items[i] for i in sorted(keep)]


def region_templates(
    region: str, kind: str, geo: Geocoder | None, cities: CityIndex | None, stats: Any
) -> list[Template]:
    """Validated templates of one region and kind (city = -1 for untied ones)."""
    from phonenumbers import PhoneMetadata

    md = PhoneMetadata.metadata_for_region(region)
    desc = getattr(md, KINDS[kind])
    if desc is None or not desc.national_number_pattern:
        return []
    rng = np.random.default_rng([SEED, zlib.crc32(f"{region}:{kind}".encode())])
    lengths = [n for n in (desc.possible_length or md.general_desc.possible_length) if n > 0]
    candidates = sorted(
        {
            t
            for seq in digit_sequences(desc.national_number_pattern, lengths)
            for t in concrete_templates(seq, rng)
        }
    )
    # E.164 allows 15 digits with the calling code (phonenumbers accepts longer German ones).
    candidates = [t for t in candidates if len(str(md.country_code)) + t.length <= E164_DIGITS]
    roomy = [t for t in candidates if t.free >= MIN_FREE]
    candidates = roomy or candidates
    tied: list[Template] = []
    if kind == "landline" and geo is not None and cities is not None:
        candidates, tied = tie_to_cities(candidates, md.country_code, geo, cities)
        per_city: dict[int, list[Template]] = collections.defaultdict(list)
        for t in sorted(set(tied)):
            per_city[t.city].append(t)
        tied = [t for c in sorted(per_city) for t in _sample(per_city[c], MAX_PER_CITY, rng)]
    chosen = _sample(candidates, MAX_UNTIED, rng) + tied
    ok = vectorised_check(region, kind, chosen, rng)
    if not any(ok):
        # Regions whose numbers phonenumbers attributes to a larger one sharing the calling
        # code (Åland's mobiles are Finland's): valid for the region, not exclusive to it.
        stats["shared_numbers"] += 1
        ok = vectorised_check(region, kind, chosen, rng, exclusive=False)
    kept = [t for t, good in zip(chosen, ok, strict=True) if good]
    stats["vectorised_rejected"] += len(chosen) - len(kept)
    out = []
    for t in kept:
        if not library_check(region, kind, t, rng):
            stats["library_rejected"] += 1
            continue
        out.append(t)
    return out


def build_phone_plans(ctx: BuildContext) -> Artifact:
    import phonenumbers
    from phonenumbers.geodata import GEOCODE_DATA

    countries = ctx.built["countries.parquet"]
    cities = ctx.built["cities.parquet"]
    stats: collections.Counter[str] = collections.Counter()
    rows: list[tuple[Any, ...]] = []
    borrowed: dict[str, str] = {}
    unformatted = 0
    by_calling: dict[int, Geocoder] = {}
    for cc in countries.get_column("iso2").to_list():
        region = cc
        if cc not in phonenumbers.SUPPORTED_REGIONS:
            # No metadata of its own: the numbers of the region it shares a calling code with.
            if cc not in BORROW:
                continue
            region = borrowed[cc] = BORROW[cc]
        calling = phonenumbers.country_code_for_region(region)
        if calling not in by_calling:
            by_calling[calling] = Geocoder.of(calling, GEOCODE_DATA)
        index = CityIndex.of(cities, cc) if region == cc else None
        for kind in KINDS:
            templates = region_templates(region, kind, by_calling[calling], index, stats)
            written = []
            for t in templates:
                text = international(region, t)
                if text is None:
                    unformatted += 1
                    continue
                written.append((t, text))
            typical = typical_length(region, kind)
            rows.extend(
                (cc, kind, t.city if t.city >= 0 else None, text, 1 / (1 + abs(t.length - typical)))
                for t, text in written
            )
    df = (
        pl.DataFrame(
            rows,
            schema={
                "country_code": pl.String,
                "kind": pl.String,
                "city": pl.Int32,
                "template": pl.String,
                "weight": pl.Float64,
            },
            orient="row",
        )
        .unique(
            subset=["country_code", "kind", "city", "template"], keep="first", maintain_order=True
        )
        .sort(["country_code", "kind", "city", "template"], nulls_last=False)
    )
    df = df.with_columns(
        weight=pl.col("weight") / pl.col("weight").sum().over("country_code", "kind")
    )
    missing = sorted(
        set(countries.get_column("iso2"))
        - set(df.filter(pl.col("kind") == "mobile").get_column("country_code"))
    )
    if df.get_column("template").str.count_matches("#").max() > MAX_FREE:  # type: ignore[operator]
        fail("phone_plans: a template has more random digits than the runtime fills")
    coverage = (
        df.group_by("country_code", "kind")
        .agg(templates=pl.len(), tied=pl.col("city").is_not_null().sum())
        .sort("country_code", "kind")
    )
    ctx.report["phone_plans"] = {
        "rows": df.height,
        "countries": df.get_column("country_code").n_unique(),
        "without_mobile": missing,
        "borrowed": borrowed,
        "cities_with_landlines": df.get_column("city").drop_nulls().n_unique(),
        **dict(stats),
        "unformatted": unformatted,
    }
    tied_cities = coverage.filter(pl.col("tied") > 0).height
    return Artifact(
        name="phone_plans.parquet",
        frame=df,
        sources=[
            Source(
                "phonenumbers",
                "Apache-2.0",
                "national-number patterns per type, number formats, geocoder prefixes",
            )
        ],
        origin=(
            "Phone-number templates built from phonenumbers' metadata: each region's fixed-line "
            "and mobile national-number patterns are expanded into digit ranges, every position "
            "up to the last restricted one is fixed and the rest become `#` (random digits). "
            "Landline templates whose numbers phonenumbers' geocoder describes (in English) by "
            "the name of a city of cities.parquet in the same country are tied to it (`city`, a "
            "row index of cities.parquet); the geocoder's finer prefixes (US exchanges, French "
            "blocks) become templates of their own. Templates are sampled with a fixed seed to "
            f"at most {MAX_UNTIED} untied ones per country and kind and {MAX_PER_CITY} per city, "
            f"and kept only if {FILLS} random fills plus the all-0 and all-9 fills are valid "
            "numbers of the country and kind (a vectorised re-implementation of phonenumbers' "
            f"type and region rules) and {LIBRARY_FILLS} fills plus the extremes pass "
            "phonenumbers' own `is_valid_number`, `is_valid_number_for_region` and "
            "`number_type`. `template` is the number as `format_number(..., INTERNATIONAL)` "
            "writes it, `#` for each random digit; `weight` is 1 / (1 + d), d the difference "
            "between the template's length and that of phonenumbers' example number of the kind "
            "(plans with numbers of many lengths, like Germany's, mostly give the usual ones), "
            "normalised within country_code and kind."
        ),
        attribution=[PHONENUMBERS_NOTICE],
        notes=[
            f"{df.get_column('country_code').n_unique()} countries; "
            f"{df.get_column('city').drop_nulls().n_unique()} cities in {tied_cities} countries "
            "have landline templates of their own.",
            "Countries without phonenumbers metadata use the templates of the main region of "
            "their calling code: "
            + (", ".join(f"{k} → {v}" for k, v in sorted(borrowed.items())) or "none")
            + ".",
            "Mobile and fixed-line patterns are identical in NANP and a few other plans "
            "(type FIXED_LINE_OR_MOBILE): there both kinds hold the same numbers.",
        ],
    )


BUILDERS = [build_phone_plans]
