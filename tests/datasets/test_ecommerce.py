"""The ecommerce pair: orders and their lines agree, the lifecycle holds, and the data
looks like a shop's (distance drives delivery time, returns follow the category)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

import tempdata
from tempdata.datasets import registry
from tempdata.datasets.ecommerce import RETURN_RATES, WAREHOUSES, _cities
from tempdata.quality.checks import evaluate

ORDERS = 30_000


@pytest.fixture(scope="module")
def orders() -> pl.DataFrame:
    return tempdata.generate("ecommerce", rows=ORDERS, seed=5, country="germany")


@pytest.fixture(scope="module")
def lines() -> pl.DataFrame:
    return tempdata.generate("order_lines", rows=2 * ORDERS, seed=5, country="germany")


def test_both_tables_pass_their_checks(orders: pl.DataFrame, lines: pl.DataFrame) -> None:
    for frame, name in ((orders, "ecommerce"), (lines, "order_lines")):
        report = evaluate(frame, registry.get(name))
        assert report.ok, report.failures()
        assert report.skipped == ()


def test_orders_add_up_from_their_lines(orders: pl.DataFrame, lines: pl.DataFrame) -> None:
    per_order = lines.group_by("order_id").agg(
        pl.len().alias("n"),
        pl.col("quantity").sum().alias("units"),
        pl.col("amount").sum().alias("amount"),
        pl.col("returned").any().alias("any_returned"),
        pl.col("returned_at").max().alias("line_returned_at"),
        pl.col("placed_at").first().alias("line_placed_at"),
    )
    joined = orders.join(per_order, on="order_id", how="full", coalesce=True)
    assert joined.height == ORDERS  # every line belongs to an order, every order has lines
    assert (joined["n"] == joined["basket_size"]).all()
    assert (joined["units"] == joined["items"]).all()
    assert ((joined["amount"] - joined["items_total"]).abs() < 0.005).all()
    assert (joined["any_returned"] == (joined["status"] == "returned")).all()
    assert joined["line_placed_at"].equals(joined["placed_at"], check_names=False)
    returned = joined.filter(pl.col("any_returned"))
    assert (returned["line_returned_at"] == returned["returned_at"]).all()
    # Line numbers run 1..basket_size within each order.
    numbers = lines.group_by("order_id").agg(pl.col("line_number").sort())
    assert all(n.to_list() == list(range(1, len(n) + 1)) for n in numbers["line_number"][:2000])


def test_lines_alone_belong_to_the_first_orders() -> None:
    odd = tempdata.generate("order_lines", rows=1_001, seed=9, columns=["order_id"])
    assert odd["order_id"].n_unique() == 501
    whole = tempdata.generate("order_lines", rows=1_000, seed=9, columns=["order_id"])
    assert whole["order_id"].n_unique() == 500


def test_lifecycle(orders: pl.DataFrame) -> None:
    status = orders["status"].value_counts().sort("status")
    counts = dict(zip(status["status"].cast(pl.String), status["count"], strict=True))
    assert set(counts) == {"placed", "paid", "shipped", "delivered", "returned", "cancelled"}
    assert 0.02 < counts["cancelled"] / ORDERS < 0.09
    assert 0.08 < counts["returned"] / ORDERS < 0.25
    cancelled = orders.filter(pl.col("status") == "cancelled")
    assert cancelled["shipped_at"].is_null().all()
    assert cancelled["delivered_at"].is_null().all()
    assert 0 < cancelled["paid_at"].null_count() < cancelled.height  # before and after paying
    # Recent orders are still on their way; old ones are settled.
    last_week = orders.filter(pl.col("placed_at") > orders["placed_at"].max() - pl.duration(days=7))
    old = orders.filter(pl.col("placed_at") < orders["placed_at"].min() + pl.duration(days=60))
    assert last_week["status"].is_in(["placed", "paid", "shipped"]).mean() > 0.2
    assert not old["status"].is_in(["placed", "paid", "shipped"]).any()
    # Bank transfers take longer to clear than cards.
    lag = (pl.col("paid_at") - pl.col("placed_at")).dt.total_seconds()
    lags = orders.group_by("payment_method").agg(lag.median().alias("lag"))
    by = dict(zip(lags["payment_method"].cast(pl.String), lags["lag"], strict=True))
    assert by["bank_transfer"] > 100 * by["card"]


def test_checks_catch_broken_lifecycles(orders: pl.DataFrame) -> None:
    dataset = registry.get("ecommerce")
    first = pl.int_range(pl.len()) < 4
    delivered = pl.col("status") == "delivered"
    broken = orders.filter(delivered).with_columns(
        pl.when(first).then(None).otherwise(pl.col("shipped_at")).alias("shipped_at")
    )
    failures = evaluate(broken, dataset).failures()
    assert failures["delivered_only_if_shipped"] == 4
    relabelled = orders.filter(delivered).with_columns(
        pl.when(first).then(pl.lit("shipped")).otherwise(pl.col("status")).alias("status")
    )
    assert evaluate(relabelled, dataset).failures()["status_matches_timestamps"] == 4
    swapped = orders.filter(delivered).with_columns(
        pl.when(first)
        .then(pl.col("placed_at"))
        .otherwise(pl.col("delivered_at"))
        .alias("delivered_at")
    )
    assert evaluate(swapped, dataset).failures()["delivered_after_shipped"] == 4
    off = orders.with_columns(pl.when(first).then(pl.col("total") + 1).otherwise(pl.col("total")))
    assert evaluate(off, dataset).failures()["total_is_items_plus_shipping_minus_discount"] == 4


def test_delivery_time_grows_with_distance_and_express_is_faster(orders: pl.DataFrame) -> None:
    hours = (pl.col("delivered_at") - pl.col("shipped_at")).dt.total_seconds() / 3600
    done = orders.filter(pl.col("delivered_at").is_not_null()).with_columns(hours.alias("h"))
    for method in ("standard", "express"):
        one = done.filter(pl.col("shipping_method") == method)
        # The wait for the carrier's next round (up to a weekend) does not grow with the
        # distance and blurs the link: the farthest quarter still waits longer.
        near, far = one["distance_km"].quantile(0.25), one["distance_km"].quantile(0.75)
        assert (
            one.filter(pl.col("distance_km") >= far)["h"].median()
            > one.filter(pl.col("distance_km") <= near)["h"].median()
        )
        assert one.select(pl.corr("distance_km", "h", method="spearman")).item() > 0.1
    # Express beats standard at equal distance: compare within distance bands.
    bands = done.with_columns((pl.col("distance_km") // 100).alias("band"))
    medians = bands.group_by("band", "shipping_method").agg(pl.col("h").median(), pl.len())
    wide = medians.filter(pl.col("len") >= 30).pivot("shipping_method", index="band", values="h")
    both = wide.drop_nulls(["standard", "express"])
    assert both.height >= 3
    assert (both["express"] < both["standard"]).all()
    assert (done.filter(pl.col("shipping_method") == "next_day")["distance_km"] <= 800).all()


def test_warehouses_are_real_and_nearest(orders: pl.DataFrame) -> None:
    assert set(orders["warehouse"].cast(pl.String).unique()) <= {
        "Leipzig",
        "Dortmund",
        "Bad Hersfeld",
        "Munich",
    }
    cities = _cities()
    for country, names in WAREHOUSES.items():
        for entry in names:
            name, _, code = entry.partition(", ")
            hit = cities.filter(
                ((pl.col("city") == name) | (pl.col("city_ascii") == name))
                & (pl.col("country_code") == (code or country))
            )
            assert hit.height, f"warehouse {entry!r} ({country}) is not in the cities table"
    # Germany is small: nobody is more than ~450 km from the nearest warehouse.
    assert orders["distance_km"].max() < 450


def test_returns_follow_the_category(lines: pl.DataFrame, orders: pl.DataFrame) -> None:
    delivered = orders.filter(pl.col("delivered_at").is_not_null()).select("order_id")
    eligible = lines.join(delivered, on="order_id", how="semi")
    rates = eligible.group_by("category").agg(pl.col("returned").mean(), pl.len())
    by = dict(zip(rates["category"].cast(pl.String), rates["returned"], strict=True))
    ranked = sorted(by, key=by.__getitem__)
    assert ranked[0] == "Grocery"
    assert ranked[-1] == "Clothing"
    assert by["Clothing"] > 5 * by["Grocery"]
    assert by["Clothing"] == pytest.approx(RETURN_RATES["Clothing"], abs=0.04)


def test_baskets_are_skewed(orders: pl.DataFrame) -> None:
    sizes = orders["basket_size"]
    assert sizes.mean() == pytest.approx(2.0, abs=0.01)
    assert 0.45 < (sizes == 1).mean() < 0.7
    assert (sizes <= 3).mean() > 0.8
    assert sizes.max() >= 8
    assert orders["items"].mean() > sizes.mean()


def test_money_and_coupons(orders: pl.DataFrame) -> None:
    assert orders["currency"].unique().to_list() == ["EUR"]
    with_coupon = orders.filter(pl.col("coupon_code").is_not_null())
    assert 0.15 < with_coupon.height / ORDERS < 0.25
    assert (orders.filter(pl.col("coupon_code").is_null())["discount"] == 0).all()
    free = with_coupon.filter(pl.col("coupon_code") == "FREESHIP")
    assert (free["discount"] == free["shipping_cost"]).all()
    assert orders["total"].quantile(0.99) > 8 * orders["total"].median()  # heavy tail
    cents = (orders["total"] * 100).round(6) % 1
    assert (cents == 0).all()


def test_sorted_by_time_with_ids_increasing(orders: pl.DataFrame, lines: pl.DataFrame) -> None:
    assert orders["placed_at"].is_sorted()
    assert orders["order_id"].is_sorted()
    assert lines["line_id"].is_sorted()
    assert lines["order_id"].is_sorted()
    hours = orders["placed_at"].dt.hour()
    assert (hours == 20).sum() > 5 * (hours == 4).sum()  # evenings, not nights


def test_timezones_follow_the_customer() -> None:
    us = tempdata.generate("ecommerce", rows=3_000, seed=2, country="US")
    zones = set(us["timezone"].cast(pl.String).unique())
    assert {"America/New_York", "America/Chicago", "America/Los_Angeles"} <= zones
    assert "UTC" not in zones
    assert set(us["ship_country"].cast(pl.String).unique()) == {"United States"}
    assert us["currency"].unique().to_list() == ["USD"]
    assert us["distance_km"].median() < 1_000  # five US warehouses


def test_global_ships_from_world_hubs() -> None:
    world = tempdata.generate("ecommerce", rows=3_000, seed=2)
    assert world["warehouse"].cast(pl.String).str.contains(", ").all()
    assert world["ship_country"].n_unique() > 20
    assert np.isfinite(world["distance_km"].to_numpy()).all()


@pytest.mark.parametrize(
    ("country", "opens", "closes", "sundays"),
    [
        ("germany", 7, 18, False),  # DHL Paket: Monday–Saturday, 07:00–18:00
        ("poland", 8, 19, False),
        # USPS: Sunday rounds carry only Amazon parcels and Priority Mail Express (about
        # 250,000 parcels on a Sunday in 2014 against some 20 million on a weekday): off
        ("united states", 8, 18, False),
        ("japan", 8, 21, True),  # Japan Post: every day, 08:00–21:00
    ],
)
def test_parcels_arrive_in_the_carriers_hours_on_its_delivery_days(
    country: str, opens: int, closes: int, sundays: bool
) -> None:
    from tempdata.calendar import public_holidays

    orders = tempdata.generate(
        "ecommerce", 20_000, seed=8, country=country, date_range=("2024-01-01", "2024-12-31")
    )
    delivered = orders.filter(pl.col("delivered_at").is_not_null()).with_columns(
        hour=pl.col("delivered_at").dt.hour(),
        weekday=pl.col("delivered_at").dt.weekday(),
        day=pl.col("delivered_at").dt.date(),
    )
    assert delivered.height > 15_000
    assert delivered["hour"].min() >= opens
    assert delivered["hour"].max() < closes
    on_sunday = delivered.filter(pl.col("weekday") == 7).height
    assert (on_sunday > 0.05 * delivered.height) if sundays else on_sunday == 0
    if country != "japan":  # Japan Post delivers on holidays too
        holidays = public_holidays(country, 2024)["date"].to_list()
        assert delivered.filter(pl.col("day").is_in(holidays)).height == 0
    # the lifecycle stays in order
    assert (orders["delivered_at"] > orders["shipped_at"]).all()
