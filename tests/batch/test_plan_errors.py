"""Bad plans: each is refused before anything is written, with every problem named
by its TOML path and a message that says what would be valid."""

from __future__ import annotations

from pathlib import Path

import pytest

from tempdata.batch.plan import PlanError, load_plan

GOOD = """
seed = 1
[datasets.customers]
rows = 100
"""

# (plan text, TOML path of the problem, words the message must contain)
BAD_PLANS = [
    ("seed = 1\n", "datasets", "at least one [datasets.NAME]"),
    ("[datasets]\n", "datasets", "at least one [datasets.NAME]"),
    ("version = 2\n" + GOOD, "version", "plan version 1"),
    ("sed = 1\n[datasets.customers]\n", "sed", "did you mean 'seed'"),
    ("seed = -4\n[datasets.customers]\n", "seed", "integer from 0"),
    ("seed = 'abc'\n[datasets.customers]\n", "seed", "integer from 0"),
    ("reference_date = 'last tuesday'\n" + GOOD, "reference_date", "last tuesday"),
    ("formats = ['parquet', 'xml']\n" + GOOD, "formats[1]", "unknown format 'xml'"),
    ("formats = []\n" + GOOD, "formats", "at least one format"),
    ("formats = 'csv'\n" + GOOD, "formats", "array of strings"),
    ("country = 'atlantis'\n" + GOOD, "country", "atlantis"),
    ("date_range = [2024-05-01]\n" + GOOD, "date_range", "pair [start, end]"),
    ("date_range = [2024-05-01, 2024-01-01]\n" + GOOD, "date_range", "after its end"),
    ("workers = 0\n" + GOOD, "workers", "integer from 1"),
    ("[output]\ndir = '../elsewhere'\n" + GOOD, "output.dir", "outside the plan's folder"),
    ("[output]\ndir = '/tmp/x'\n" + GOOD, "output.dir", "outside the plan's folder"),
    ("[output]\nif_exists = 'overwrite'\n" + GOOD, "output.if_exists", "replace, error, skip"),
    ("[output]\nfolder = 'x'\n" + GOOD, "output.folder", "unknown key"),
    ("[datasets.customer]\nrows = 5\n", "datasets.customer", "did you mean 'customers'"),
    ("[datasets.x]\ndataset = 'salse'\n", "datasets.x.dataset", "did you mean 'sales'"),
    ("[datasets.sales]\nrows = -5\n", "datasets.sales.rows", "integer from 1"),
    ("[datasets.sales]\nrows = 1.5\n", "datasets.sales.rows", "integer from 1"),
    ("[datasets.sales]\nrow = 5\n", "datasets.sales.row", "did you mean 'rows'"),
    ("[datasets.sales]\ndrop = ['discont']\n", "datasets.sales.drop[0]", "no column 'discont'"),
    ("[datasets.sales]\ninterval = '1h'\n", "datasets.sales", "no time-series mode"),
    (
        "[datasets.crypto]\ninterval = '2h'\n",
        "datasets.crypto",
        "unknown interval '2h'",
    ),
    (
        "[datasets.crypto]\ntime_series = { volatility_level = 'extreme' }\n",
        "datasets.crypto.time_series",
        "extreme",
    ),
    (
        "[datasets.crypto]\ntime_series = { volatile = 'high' }\n",
        "datasets.crypto.time_series.volatile",
        "unknown key",
    ),
    ("[datasets.sales]\nparams = { shops = 3 }\n", "datasets.sales", "no parameter 'shops'"),
    ("[datasets.sales]\nparams = { products = 0 }\n", "datasets.sales", "products"),
    ("[datasets.sales]\nlocale = 'xx_YY'\n", "datasets.sales.locale", "xx_YY"),
    ("[datasets.'../etc']\ndataset = 'sales'\n", "datasets.../etc", "file name"),
    ("[datasets.sales]\ncolumns = 5\n", "datasets.sales.columns", "must be a table"),
    (
        "[datasets.sales.columns]\namout = { nulls = 0.1 }\n",
        "datasets.sales.columns.amout",
        "did you mean 'amount'",
    ),
    ("[[sinks]]\nuri = 'mysql:///x.db'\n[datasets.customers]\n", "sinks[0].uri", "sqlite:///"),
    (
        "[[sinks]]\nuri = 'sqlite:///x.db'\nonly = ['salse']\n[datasets.sales]\n",
        "sinks[0].only[0]",
        "did you mean 'sales'",
    ),
    ("[backend]\nengine = 'spark'\n[datasets.customers]\n", "backend.engine", "local or dask"),
    ("[backend]\nadress = 'x'\n[datasets.customers]\n", "backend.adress", "did you mean"),
    ("[output]\nlayout = 'files'\n" + GOOD, "output.layout", "single or parts"),
    ("[profiles.ci]\nscale = 0\n" + GOOD, "", ""),  # checked only when chosen: see below
    ("[profiles.ci]\nrows = 5\n" + GOOD, "profiles.ci.rows", "unknown key"),
    ("datasets = 3\n", "datasets", "must be a table"),
    (
        "[datasets.customers]\nrows = 100\ncountry = 'japan'\n[datasets.sales]\nrows = 10\n",
        "datasets.sales",
        "another country",
    ),
    (
        "[datasets.customers]\nrows = 100\n[datasets.sales]\nrows = 10\n"
        "params = { customers = 500 }\n",
        "datasets.sales",
        "reach row 500",
    ),
    (
        "[datasets.crypto]\nrows = 7\ndate_range = [2024-01-01, 2024-01-31]\n",
        "datasets.crypto",
        "rows",
    ),
]


@pytest.mark.parametrize(("text", "path", "words"), BAD_PLANS)
def test_bad_plan_is_refused_with_its_path(
    tmp_path: Path, text: str, path: str, words: str
) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(text)
    if not path:  # a bad profile is an error only when it is chosen
        load_plan(plan)
        with pytest.raises(PlanError) as info:
            load_plan(plan, profile="ci")
        assert [p.path for p in info.value.problems] == ["profiles.ci.scale"]
        return
    with pytest.raises(PlanError) as info:
        load_plan(plan)
    problems = {p.path: p.message for p in info.value.problems}
    assert path in problems, info.value.problems
    assert words in problems[path]
    assert not (tmp_path / "out").exists()  # nothing written


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(
        "seed = -1\nformats = ['xml']\n[datasets.sales]\nrows = 0\n[datasets.nope]\nrows = 1\n"
    )
    with pytest.raises(PlanError) as info:
        load_plan(plan)
    paths = [p.path for p in info.value.problems]
    assert paths == ["seed", "formats[0]", "datasets.sales.rows", "datasets.nope"]
    message = str(info.value)
    assert message.splitlines()[0] == f"{plan}: 4 problems"


def test_file_problems(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="no such file"):
        load_plan(tmp_path / "missing.toml")
    (tmp_path / "broken.toml").write_text("seed = = 1\n")
    with pytest.raises(PlanError, match="not valid TOML"):
        load_plan(tmp_path / "broken.toml")
    with pytest.raises(PlanError, match="directory"):
        load_plan(tmp_path)


def test_unknown_profile_and_only_names(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(GOOD + "[profiles.ci]\nscale = 0.5\n")
    with pytest.raises(PlanError, match="no profile 'cj' — valid: ci"):
        load_plan(plan, profile="cj")
    with pytest.raises(PlanError, match="no dataset 'customer' — did you mean 'customers'"):
        load_plan(plan, only=["customer"])
