"""Workforce datasets: ``employees`` (one row per person a company ever hired).

The organisation grows in row order (:func:`tempdata.samplers.org_chart`): row 0 is
the founder and CEO, hired on the first day of the date range (the founding date);
the heads of departments join at fixed early rows (the CTO as row 1, the Chief
Revenue Officer as row 11, ...); every later row is hired after the rows before it
and reports to an earlier row of a higher tier in its own department. So the first
``k`` rows of any ``employees`` table are the company as it was at ``k`` people, and
``rows`` sets the company's size:

============  =====================================================================
rows          shape
============  =====================================================================
1             the founder alone
10            CEO, CTO, one manager, seven individual contributors
100           CEO, 5 C-level, 2 senior managers, 10 managers, 82 ICs
1,000         CEO, 10 C-level, 1 VP, 5 directors, 18 senior managers, 100 managers
100,000       + 93 VPs, 24 SVPs, 7 EVPs; 500 directors, 1,875 senior managers,
              10,000 managers, 87,490 ICs
============  =====================================================================

One row in 8 manages (tier 1, levels M1/M2, about 9 direct reports); one in 5 of
those is a senior manager (M3/M4), then directors (1 in 4), VPs (1 in 5), SVPs and
EVPs (1 in 4 each), under the department's C-level officer, under the CEO.

Ages at the reference date follow the work country's population pyramid at working
ages 18-67 (:func:`tempdata.samplers.birth_dates` with one :class:`AgeGroup` per
level): each level prefers its own ages (:data:`_AGE_BY_LEVEL`) and has a youngest
age at hire (18; 25 for M2 and above), and the ages of all employees together still
follow the pyramid.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import polars as pl

from tempdata import samplers as s
from tempdata.core.plan import Dataset, check, col, group
from tempdata.datasets.business import _MONEY
from tempdata.datasets.registry import register

__all__ = ["COMPANY_DOMAIN", "DEPARTMENTS", "EMPLOYEE_ID", "LEVELS", "employees"]

EMPLOYEE_ID = s.sequence("EMP-{:08d}")
#: Reserved for examples (RFC 2606): no real mailbox receives these addresses.
COMPANY_DOMAIN = "example.com"

#: Job levels, lowest first: the Enum order of ``job_level`` is the rank a manager
#: must exceed.
LEVELS = (
    "IC1",
    "IC2",
    "IC3",
    "IC4",
    "IC5",
    "IC6",
    "M1",
    "M2",
    "M3",
    "M4",
    "Director",
    "VP",
    "SVP",
    "EVP",
    "C-level",
    "CEO",
)

# department → (share of every tier, short name in titles, C-level title, the row at
# which the C-level officer joins, IC roles). Shares follow a mid-size technology
# company; officers join roughly as a start-up grows (CTO with the first hires,
# general counsel at a few hundred people).
DEPARTMENTS: dict[str, tuple[float, str, str, int, tuple[str, ...]]] = {
    "Engineering": (
        0.26,
        "Engineering",
        "Chief Technology Officer",
        1,
        ("Software Engineer", "Data Engineer", "QA Engineer", "DevOps Engineer", "Data Scientist"),
    ),
    "Sales": (
        0.17,
        "Sales",
        "Chief Revenue Officer",
        11,
        ("Account Executive", "Sales Development Representative", "Account Manager"),
    ),
    "Customer Support": (
        0.12,
        "Customer Support",
        "Chief Customer Officer",
        339,
        ("Support Specialist", "Customer Success Manager", "Technical Support Engineer"),
    ),
    "Operations": (
        0.10,
        "Operations",
        "Chief Operating Officer",
        29,
        ("Operations Analyst", "Logistics Coordinator", "Procurement Specialist"),
    ),
    "Marketing": (
        0.08,
        "Marketing",
        "Chief Marketing Officer",
        97,
        ("Marketing Specialist", "Content Writer", "Growth Marketer", "Brand Designer"),
    ),
    "Product": (
        0.07,
        "Product",
        "Chief Product Officer",
        155,
        ("Product Manager", "Product Designer", "UX Researcher"),
    ),
    "Finance": (
        0.06,
        "Finance",
        "Chief Financial Officer",
        57,
        ("Accountant", "Financial Analyst", "Payroll Specialist"),
    ),
    "Human Resources": (
        0.05,
        "People",
        "Chief People Officer",
        233,
        ("Recruiter", "HR Business Partner", "People Operations Specialist"),
    ),
    "IT": (
        0.05,
        "IT",
        "Chief Information Officer",
        471,
        ("Systems Administrator", "IT Support Technician", "Security Analyst"),
    ),
    "Legal": (
        0.04,
        "Legal",
        "General Counsel",
        627,
        ("Counsel", "Paralegal", "Compliance Analyst"),
    ),
}
_EXECUTIVE = "Executive"

#: One row in 8 is a manager, one manager in 5 a senior manager, then 4, 5, 4, 4.
_SPANS = (8, 5, 4, 5, 4, 4)

ORG = s.org_chart(
    spans=_SPANS,
    groups={d: spec[0] for d, spec in DEPARTMENTS.items()},
    heads={d: spec[3] for d, spec in DEPARTMENTS.items()},
    key=EMPLOYEE_ID,
    window=3,
    root_group=_EXECUTIVE,
)

# Level within a tier (tiers: 0 ICs, 1-6 managers up to EVP, 7 C-level, 8 CEO).
_LEVEL_BY_TIER: dict[str, dict[str, float]] = {
    "0": {"IC1": 0.16, "IC2": 0.27, "IC3": 0.27, "IC4": 0.17, "IC5": 0.09, "IC6": 0.04},
    "1": {"M1": 0.65, "M2": 0.35},
    "2": {"M3": 0.6, "M4": 0.4},
    "3": {"Director": 1.0},
    "4": {"VP": 1.0},
    "5": {"SVP": 1.0},
    "6": {"EVP": 1.0},
    "7": {"C-level": 1.0},
    "8": {"CEO": 1.0},
}
assert list(dict.fromkeys(v for t in _LEVEL_BY_TIER.values() for v in t)) == list(LEVELS)

_IC_PREFIX = {
    "IC1": "Associate ",
    "IC2": "",
    "IC3": "Senior ",
    "IC4": "Lead ",
    "IC5": "Principal ",
    "IC6": "Distinguished ",
}
_MANAGER_TITLE = {
    "M1": "Manager",
    "M2": "Senior Manager",
    "M3": "Principal Manager",
    "M4": "Group Manager",
    "Director": "Director",
    "VP": "VP",
    "SVP": "SVP",
    "EVP": "EVP",
}

# Ages by level: (youngest age at hire, preferred age, spread), a normal weight on the
# working-age pyramid (see tempdata.samplers.AgeGroup); the ages of all employees
# together still follow the pyramid, so a level's ages move with the country's (older
# in Japan, younger in Nigeria). Hand-set to ordinary careers: associates in their
# twenties, individual contributors of every age, managers in their forties, officers
# in their fifties; no M2 or higher hired before 25.
_AGE_BY_LEVEL = {
    "IC1": (18, 27.0, 8.0),
    "IC2": (18, 33.0, 14.0),
    "IC3": (18, 38.0, 16.0),
    "IC4": (20, 42.0, 16.0),
    "IC5": (22, 45.0, 16.0),
    "IC6": (24, 48.0, 15.0),
    "M1": (21, 40.0, 10.0),
    "M2": (25, 44.0, 9.0),
    "M3": (25, 46.0, 9.0),
    "M4": (25, 48.0, 9.0),
    "Director": (27, 49.0, 8.0),
    "VP": (30, 51.0, 8.0),
    "SVP": (32, 53.0, 7.0),
    "EVP": (34, 54.0, 7.0),
    "C-level": (30, 53.0, 7.0),
    "CEO": (25, 52.0, 8.0),
}
#: Working ages: everyone is 18 to 67 at the reference date (67: the pension age in
#: Germany and the United States for those born from 1960, among the highest).
WORKING_AGES = (18, 67)


def _level_shares() -> dict[str, float]:
    """Expected share of each level among the rows (from the org chart's spans)."""
    radix = [1, *(math.prod(_SPANS[: t + 1]) for t in range(len(_SPANS)))]
    tiers = [1 / radix[t] - 1 / radix[t + 1] for t in range(len(_SPANS))]
    tiers += [1 / radix[-1], 1e-5, 1e-6]  # the top tier, the officers, the CEO
    return {
        level: tiers[int(tier)] * p
        for tier, levels in _LEVEL_BY_TIER.items()
        for level, p in levels.items()
    }


_AGE_GROUPS = {
    level: s.AgeGroup(
        share,
        min_age=_AGE_BY_LEVEL[level][0],
        mean=_AGE_BY_LEVEL[level][1],
        sd=_AGE_BY_LEVEL[level][2],
    )
    for level, share in _level_shares().items()
}

# Annual base salary in US dollars by level: medians of a US company (round figures
# from published pay surveys, not statistics); lognormal spread within a level.
_USD_SALARY = {
    "IC1": 52_000,
    "IC2": 68_000,
    "IC3": 88_000,
    "IC4": 110_000,
    "IC5": 135_000,
    "IC6": 165_000,
    "M1": 105_000,
    "M2": 125_000,
    "M3": 150_000,
    "M4": 175_000,
    "Director": 200_000,
    "VP": 260_000,
    "SVP": 320_000,
    "EVP": 380_000,
    "C-level": 420_000,
    "CEO": 550_000,
}
_DEPARTMENT_PAY = {
    "Engineering": 1.15,
    "Sales": 1.0,
    "Customer Support": 0.7,
    "Operations": 0.85,
    "Marketing": 0.95,
    "Product": 1.1,
    "Finance": 1.0,
    "Human Resources": 0.9,
    "IT": 0.95,
    "Legal": 1.2,
    _EXECUTIVE: 1.0,
}
# Pay for the same job relative to the United States, at market exchange rates: rough,
# hand-set levels for the most populous and richest countries (orders of magnitude
# from OECD and ILO average wages, rounded); every other country 0.2.
_COUNTRY_PAY = {
    "US": 1.0, "CA": 0.72, "MX": 0.22, "BR": 0.22, "AR": 0.18, "CL": 0.3, "CO": 0.17,
    "PE": 0.17, "GB": 0.68, "IE": 0.75, "DE": 0.72, "FR": 0.6, "NL": 0.72, "BE": 0.68,
    "LU": 0.9, "CH": 1.05, "AT": 0.65, "DK": 0.8, "SE": 0.6, "NO": 0.75, "FI": 0.6,
    "IS": 0.8, "ES": 0.45, "PT": 0.33, "IT": 0.45, "GR": 0.28, "PL": 0.33, "CZ": 0.35,
    "SK": 0.28, "HU": 0.27, "RO": 0.27, "BG": 0.2, "HR": 0.3, "SI": 0.4, "EE": 0.38,
    "LV": 0.3, "LT": 0.33, "UA": 0.13, "RU": 0.18, "TR": 0.2, "IL": 0.7, "AE": 0.65,
    "SA": 0.55, "QA": 0.7, "EG": 0.08, "NG": 0.06, "KE": 0.08, "ZA": 0.25, "MA": 0.12,
    "IN": 0.13, "PK": 0.06, "BD": 0.06, "LK": 0.07, "CN": 0.3, "HK": 0.6, "TW": 0.4,
    "JP": 0.5, "KR": 0.5, "SG": 0.8, "MY": 0.2, "TH": 0.15, "VN": 0.1, "PH": 0.1,
    "ID": 0.1, "AU": 0.8, "NZ": 0.62,
}  # fmt: skip
_OTHER_COUNTRY_PAY = 0.2
_TYPE_PAY = {"full-time": 1.0, "part-time": 0.55, "contractor": 1.15}

_EMPLOYMENT = {
    "ic": {"full-time": 0.85, "part-time": 0.07, "contractor": 0.08},
    "manager": {"full-time": 0.97, "part-time": 0.02, "contractor": 0.01},
    "executive": {"full-time": 1.0},
}
_LEVEL_GROUP = {
    **dict.fromkeys(LEVELS[:6], "ic"),
    **dict.fromkeys(LEVELS[6:10], "manager"),
    **dict.fromkeys(LEVELS[10:], "executive"),
}
# Yearly rate of leaving, by employment type (individual contributors only: a
# manager's departure would orphan the reports, so managers stay).
_LEAVE_RATE = {"full-time": 0.1, "part-time": 0.2, "contractor": 0.3}
_MIN_STAY_DAYS = 14

# Hiring: weekdays (Mondays most), January and September busiest, December quiet;
# the company grows 15 % a year.
HIRING = s.Profile(
    "hiring",
    weekdays=(1.6, 1.1, 1.0, 0.9, 0.6, 0.02, 0.01),
    months=(1.3, 1.1, 1.1, 1.0, 1.0, 1.05, 1.0, 0.9, 1.25, 1.1, 0.9, 0.5),
    growth=0.15,
)

_level = pl.col("job_level").cast(pl.String)
_department = pl.col("department").cast(pl.String)
_DEPARTMENT_NAMES = (*DEPARTMENTS, _EXECUTIVE)
_EMPLOYMENT_TYPES = tuple(_TYPE_PAY)


def _by(
    column: str,
    categories: Sequence[str],
    mapping: Mapping[str, object],
    default: object = None,
    dtype: pl.DataType | None = None,
) -> pl.Expr:
    """``mapping[value]`` for an Enum column, by gathering on its codes (no string
    hashing per row: about 15× faster than ``replace_strict`` on the text). The cast
    to ``Enum(categories)`` maps by value, so the codes match ``categories``."""
    values = pl.Series([mapping.get(c, default) for c in categories], dtype=dtype)
    return pl.lit(values).gather(pl.col(column).cast(pl.Enum(list(categories))).to_physical())


_is_ic = _by("job_level", LEVELS, {lvl: lvl.startswith("IC") for lvl in LEVELS}, False)


def _title(level: str, department: str, role: str) -> str:
    """The job title of a level, department and role (role for individual contributors)."""
    spec = DEPARTMENTS.get(department)
    if level.startswith("IC"):
        return _IC_PREFIX.get(level, "") + role
    if level == "CEO":
        return "Chief Executive Officer"
    if level == "C-level":
        return spec[2] if spec else "Chief Executive Officer"
    return f"{_MANAGER_TITLE.get(level, '')}, {spec[1] if spec else ''}"


def _job_title() -> pl.Expr:
    """Each row's title, gathered from a table of every (level, department, role):
    no string is built per row."""
    roles = list(
        dict.fromkeys(
            [*(r for spec in DEPARTMENTS.values() for r in spec[4]), "Chief Executive Officer"]
        )
    )
    titles = pl.Series(
        [_title(lvl, d, r) for lvl in LEVELS for d in _DEPARTMENT_NAMES for r in roles]
    )

    def code(column: str, categories: Sequence[str]) -> pl.Expr:
        return pl.col(column).cast(pl.Enum(list(categories))).to_physical().cast(pl.Int64)

    index = (
        code("job_level", LEVELS) * len(_DEPARTMENT_NAMES) + code("department", _DEPARTMENT_NAMES)
    ) * len(roles) + code("_role", roles)
    return pl.lit(titles).gather(index)


def _salary() -> pl.Expr:
    usd = (
        _by("job_level", LEVELS, _USD_SALARY, dtype=pl.Float64())
        * _by("department", _DEPARTMENT_NAMES, _DEPARTMENT_PAY, dtype=pl.Float64())
        * pl.col("_country_code").replace_strict(
            _COUNTRY_PAY, default=_OTHER_COUNTRY_PAY, return_dtype=pl.Float64
        )
        * _by("employment_type", _EMPLOYMENT_TYPES, _TYPE_PAY, dtype=pl.Float64())
        * pl.col("_pay_noise")
    )
    # Whole hundreds of the currency: minor units whatever the currency.
    return ((usd * pl.col("_per_usd")) / 100).round(0).clip(lower_bound=1) * 100


# Days from hire to leaving: a probation floor plus an exponential stay.
_stay_days = (
    _MIN_STAY_DAYS
    - pl.col("_u_leave").log()
    / _by("employment_type", _EMPLOYMENT_TYPES, _LEAVE_RATE, dtype=pl.Float64())
    * 365.25
).floor()
_leaves = _is_ic & (_stay_days <= pl.col("_tenure_days"))


_RANK = {lvl: k for k, lvl in enumerate(LEVELS)}


def _of_manager(values: pl.Expr) -> pl.Expr:
    """``values`` of each row's manager (null for the root or an absent manager)."""
    return pl.col("manager_id").replace_strict(pl.col("employee_id"), values, default=None)


def _rank(column: str = "job_level") -> pl.Expr:
    """Level rank from the text, so a check reads CSV (strings) as well as Enums."""
    return pl.col(column).cast(pl.String).replace_strict(_RANK, default=None, return_dtype=pl.Int8)


def _id_number(column: str) -> pl.Expr:
    return pl.col(column).str.slice(4).cast(pl.Int64)


_root_hired = pl.col("hire_date").filter(pl.col("manager_id").is_null()).min()

employees = register(
    Dataset(
        "employees",
        domain="business",
        description="Everyone a company has ever hired: who they are, where they work, "
        "their department, level, title, manager, pay and whether they are still there. "
        "Sorted by hire date; ids grow with it; managers come before their reports.",
        key="employee_id",
        nullable=["manager_id", "termination_date"],  # the CEO; those still employed
        date_span_days=20 * 365,
        depends_on_rows=(
            "hire_date",
            "birth_date",
            "age",
            "status",
            "termination_date",
        ),
        notes="rows sets the size of the company and the org chart grows with it: the "
        "first k rows are the company at k people (see tempdata.datasets.workforce for "
        "the shapes). date_range is the company's life: the CEO founds it on the first "
        "day, hiring grows 15 % a year to the last. Ages and tenure are measured at the "
        "reference date (or the range's end if later); ages follow the work country's "
        "population pyramid at working ages 18-67 (UN World Population Prospects 2024), "
        "older with the level, and everyone was 18 or older when hired (25 for M2 and "
        "above) — so a company older than about 40 years has founders past 67. "
        "Salaries are yearly, by level, department, country and employment type, in the "
        "dataset country's currency (US dollars for global). Only individual "
        "contributors leave (about 10 % a year for full-time staff), so every manager is "
        "active. Depends on the row count through the hire dates (spread over the date "
        "range) and what follows from them.",
        columns=[
            col(
                "employee_id",
                EMPLOYEE_ID,
                description="Employee key, EMP-00000001 upwards in hire order.",
            ),
            group(
                "person",
                s.people(
                    position_column="_position",
                    country_column="country",
                    city_column="_city_id",
                    email_domain=COMPANY_DOMAIN,
                ),
                columns={
                    "first_name": "first_name",
                    "last_name": "last_name",
                    "gender": "gender",
                    "email": "email",
                    "_phone": "phone",
                },
                hidden=["_phone"],
                descriptions={
                    "first_name": "Given name, from the work country's name locale.",
                    "last_name": "Family name, from the work country's name locale.",
                    "gender": "female, male or nonbinary.",
                    "email": f"Company address (@{COMPANY_DOMAIN}), unique: first.last, "
                    "then a middle initial, then digits for namesakes.",
                },
            ),
            col(
                "phone",
                pl.col("_phone"),
                description="Work phone: a valid number of the work country.",
            ),
            col(
                "birth_date",
                s.birth_dates(
                    min_age=WORKING_AGES[0],
                    max_age=WORKING_AGES[1],
                    country_column="_country_code",
                    adult_at="hire_date",
                    adult_at_profile=HIRING,
                    by="job_level",
                    groups=_AGE_GROUPS,
                ),
                description="Birth date: ages at the reference date follow the work "
                "country's population pyramid (UN World Population Prospects 2024) at "
                "working ages 18-67, older with the level (officers and VPs in their "
                "fifties, juniors in their twenties and thirties); at least 18 when hired, "
                "25 for M2 and above.",
            ),
            col("age", s.elapsed("birth_date"), description="Whole years at the reference date."),
            col(
                "hire_date",
                s.hire_dates(profile=HIRING),
                description="First day of work: the founding date for the CEO, then "
                "increasing with employee_id, on weekdays, growing 15 % a year.",
            ),
            group(
                "org",
                ORG,
                columns={
                    "department": "group",
                    "_tier": "tier",
                    "_manager_id": "parent_key",
                },
                hidden=["_tier", "_manager_id"],
                descriptions={
                    "department": "Department; Executive only for the CEO. Shares: "
                    + ", ".join(f"{d} {spec[0]:.0%}" for d, spec in DEPARTMENTS.items())
                    + ".",
                },
            ),
            col(
                "job_level",
                s.choice_by("_tier", _LEVEL_BY_TIER),
                description="IC1–IC6 (individual contributors), M1–M4 (managers), "
                "Director, VP, SVP, EVP, C-level, CEO — an Enum in that (rank) order.",
            ),
            col(
                "_role",
                s.choice_by(
                    "department",
                    {
                        **{d: list(spec[4]) for d, spec in DEPARTMENTS.items()},
                        _EXECUTIVE: ["Chief Executive Officer"],
                    },
                ),
                hidden=True,
            ),
            col(
                "job_title",
                _job_title(),
                description="Title from level and department: 'Senior Software Engineer', "
                "'Manager, Sales', 'VP, Engineering', 'Chief Financial Officer'.",
            ),
            col(
                "manager_id",
                pl.col("_manager_id"),
                description="The employee's manager: hired earlier, of a higher "
                "job_level and in the same department (but for those reporting to the "
                "CEO); null only for the CEO.",
            ),
            col(
                "employment_type",
                s.choice_by(
                    "job_level",
                    {lvl: _EMPLOYMENT[_LEVEL_GROUP[lvl]] for lvl in LEVELS},
                ),
                description="full-time, part-time or contractor; managers are nearly all "
                "full-time, executives all.",
            ),
            col("_tenure_days", s.elapsed("hire_date", unit="days"), hidden=True),
            col("_u_leave", s.floats(1e-12, 1.0), hidden=True),
            col(
                "status",
                pl.when(_leaves)
                .then(pl.lit("terminated"))
                .otherwise(pl.lit("active"))
                .cast(pl.Enum(["active", "terminated"])),
                description="active, or terminated for those who left (individual "
                "contributors only: about 10 % a year full-time, more for part-time and "
                "contract staff).",
            ),
            col(
                "termination_date",
                pl.when(_leaves).then(
                    pl.col("hire_date") + pl.duration(days=_stay_days.cast(pl.Int64))
                ),
                description="Last day for terminated employees (after the hire date, by "
                "the reference date); null while active.",
            ),
            col("_pay_noise", s.lognormal(0.0, 0.15), hidden=True),
            col(
                "salary",
                _salary(),
                description="Yearly base salary in `currency`, whole hundreds: by level, "
                "department, work country and employment type (part-time pro rata).",
            ),
            _MONEY,
            group(
                "office",
                s.places(),
                columns={
                    "city": "city",
                    "country": "country",
                    "_country_code": "country_code",
                    "_city_id": "city_id",
                    "_position": "position",
                },
                hidden=["_country_code", "_city_id", "_position"],
                descriptions={
                    "city": "Work city: a real city of the dataset's country (of the world "
                    "for global), drawn by population.",
                    "country": "The work city's country.",
                },
            ),
        ],
        checks=[
            check("employee_id_unique", pl.col("employee_id").is_unique()),
            check("email_unique", pl.col("email").is_unique()),
            check("single_root", pl.col("manager_id").is_null().sum() == 1),
            check(
                "root_is_ceo",
                pl.col("manager_id").is_not_null() | (pl.col("job_level") == "CEO"),
            ),
            check(
                "manager_exists",
                pl.col("manager_id").is_null()
                | pl.col("manager_id").is_in(pl.col("employee_id").implode()),
            ),
            check("manager_ranks_higher", _of_manager(_rank()) > _rank()),
            check(
                "manager_hired_first",
                (_of_manager(pl.col("hire_date")) <= pl.col("hire_date"))
                & (_id_number("manager_id") < _id_number("employee_id")),
                "The manager's hire date is not later, and their id is smaller (hired "
                "earlier the same day).",
            ),
            check(
                "manager_in_department",
                (_of_manager(_department) == _department) | (_of_manager(_level) == "CEO"),
                "Same department as the manager, except for those reporting to the CEO.",
            ),
            check(
                "manager_is_active",
                pl.col("manager_id").is_null()
                | (_of_manager(pl.col("status").cast(pl.String)) == "active"),
            ),
            check(
                "span_of_control",
                pl.len().over("manager_id") <= 60,
                "No manager has more than 60 direct reports.",
            ),
            check("salary_positive", pl.col("salary").is_finite() & (pl.col("salary") > 0)),
            check("hired_after_founding", pl.col("hire_date") >= _root_hired),
            check(
                "adult_at_hire",
                pl.col("birth_date").dt.offset_by("18y") <= pl.col("hire_date"),
            ),
            check(
                "senior_managers_from_25",
                (_rank() < _RANK["M2"])
                | (pl.col("birth_date").dt.offset_by("25y") <= pl.col("hire_date")),
                "No M2 or higher was under 25 when hired (so none is under 25).",
            ),
            check(
                "hire_sorted",
                pl.col("hire_date") >= pl.col("hire_date").shift(1).fill_null(pl.col("hire_date")),
            ),
            check(
                "termination_date_iff_terminated",
                (pl.col("status") == "terminated") == pl.col("termination_date").is_not_null(),
            ),
            check(
                "termination_after_hire",
                pl.col("termination_date").is_null()
                | (pl.col("termination_date") > pl.col("hire_date")),
            ),
            check(
                "termination_by_reference_date",
                pl.col("termination_date").is_null()
                | (
                    pl.col("termination_date")
                    <= pl.col("hire_date") + pl.duration(days=pl.col("_tenure_days"))
                ),
            ),
        ],
    )
)
