"""web_logs: reproducible, chunk-independent, and shaped like a real access log."""

from __future__ import annotations

import ipaddress

import polars as pl
import pytest

import tempdata
from tempdata.datasets import registry
from tempdata.datasets.weblogs import STATUSES, combined_log_lines
from tempdata.quality.checks import evaluate

ROWS = 200_000  # four chunks
WEEK = ("2025-03-03", "2025-03-09")

# The combined log format: %h %l %u [%t] "%r" %>s %b "%{Referer}i" "%{User-agent}i".
COMBINED = (
    r"^(?P<host>\d{1,3}(?:\.\d{1,3}){3}) - - "
    r"\[(?P<time>\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\] "
    r'"(?P<method>GET|HEAD|POST|PUT|DELETE|OPTIONS) (?P<path>/\S*) HTTP/1\.1" '
    r"(?P<status>\d{3}) (?P<bytes>\d+|-) "
    r'"(?P<referrer>[^"]*)" "(?P<agent>[^"]+)"$'
)


@pytest.fixture(scope="module")
def week() -> pl.DataFrame:
    return tempdata.generate("web_logs", rows=ROWS, seed=5, date_range=WEEK)


def test_passes_its_checks(week: pl.DataFrame) -> None:
    report = evaluate(week, registry.get("web_logs"))
    assert report.ok, report.failures()
    assert set(week["status"].unique().to_list()) == set(STATUSES)
    assert week.filter(pl.col("status") == 304)["bytes"].max() == 0


def test_checks_catch_private_addresses(week: pl.DataFrame) -> None:
    bad = ["10.1.2.3", "192.168.0.1", "127.0.0.1", "172.20.9.9", "224.0.0.5", "100.64.1.1"]
    broken = week.head(len(bad)).with_columns(client_ip=pl.Series(bad))
    report = evaluate(broken, registry.get("web_logs"))
    assert report.failures()["client_ip_public"] == len(bad)


def test_same_seed_same_data() -> None:
    a = tempdata.generate("web_logs", rows=3_000, seed=11)
    assert a.equals(tempdata.generate("web_logs", rows=3_000, seed=11))
    b = tempdata.generate("web_logs", rows=3_000, seed=12)
    assert sum(not a[c].equals(b[c]) for c in a.columns) == len(a.columns)


def test_chunks_generated_alone_equal_the_whole(week: pl.DataFrame) -> None:
    parts = [
        pl.concat(list(tempdata.stream("web_logs", rows=ROWS, seed=5, date_range=WEEK, chunks=r)))
        for r in (range(0, 1), range(1, 2), range(2, 3), range(3, 4))
    ]
    assert pl.concat(parts).equals(week)


def test_addresses_are_public_with_heavy_hitters(week: pl.DataFrame) -> None:
    counts = week["client_ip"].value_counts()["count"].sort(descending=True)
    top = counts.head(max(1, counts.len() // 100)).sum() / week.height
    assert top > 0.10, top
    assert counts.len() > 10_000  # but many clients at all
    assert all(ipaddress.IPv4Address(ip).is_global for ip in week["client_ip"].unique())


def test_traffic_is_diurnal_and_weekly(week: pl.DataFrame) -> None:
    hours = week["timestamp"].dt.hour()
    assert (hours == 20).sum() > 5 * (hours == 4).sum()
    weekday = week["timestamp"].dt.weekday()
    assert (weekday == 1).sum() > 1.15 * (weekday == 6).sum()  # Monday beats Saturday


def test_server_errors_cluster_in_incidents(week: pl.DataFrame) -> None:
    per_hour = week.group_by(pl.col("timestamp").dt.truncate("1h")).agg(
        (pl.col("status") >= 500).mean().alias("share")
    )
    assert per_hour["share"].median() < 0.01
    assert per_hour["share"].max() > 0.15
    assert (per_hour["share"] > 0.1).sum() >= 2  # more than one bad hour


def test_requests_look_like_a_shop(week: pl.DataFrame) -> None:
    methods = week["method"].value_counts(normalize=True)
    share = dict(zip(methods["method"].cast(pl.String), methods["proportion"], strict=True))
    assert share["GET"] > 0.8
    paths = week["path"]
    for prefix in ("/products/", "/search?q=", "/api/v1/", "/static/"):
        assert paths.str.starts_with(prefix).mean() > 0.02, prefix
    bots = week.filter(pl.col("user_agent").cast(pl.String).str.contains("Googlebot|bingbot"))
    people = week.filter(
        pl.col("user_agent")
        .cast(pl.String)
        .str.contains("Googlebot|bot|curl|python|Go-http")
        .not_()
    )
    meta = pl.col("path").is_in(["/robots.txt", "/sitemap.xml"])
    assert bots.select(meta.mean()).item() > 20 * people.select(meta.mean()).item()
    assert (week["referrer"].cast(pl.String) == "").mean() > 0.25
    assert week["bytes"].quantile(0.999) > 20 * week["bytes"].median()  # heavy tail
    api = week.filter(pl.col("path").str.starts_with("/api/") & (pl.col("status") == 200))
    static = week.filter(pl.col("path").str.starts_with("/static/") & (pl.col("status") == 200))
    errors = week.filter(pl.col("status") == 503)
    assert api["latency_ms"].median() > 5 * static["latency_ms"].median()
    assert errors["latency_ms"].median() > 3 * week["latency_ms"].median()


def test_combined_log_lines_parse(week: pl.DataFrame) -> None:
    sample = week.head(20_000)
    lines = combined_log_lines(sample)
    assert lines.len() == sample.height
    assert lines.str.contains(COMBINED).all()
    fields = lines.str.extract_groups(COMBINED)
    assert fields.struct.field("host").equals(sample["client_ip"], check_names=False)
    assert (fields.struct.field("status").cast(pl.Int16) == sample["status"]).all()
    sizes = fields.struct.field("bytes").replace("-", "0").cast(pl.Int64)
    assert (sizes == sample["bytes"]).all()
    # the time is local, with its zone's UTC offset: read back, it is the same instant
    stamped = fields.struct.field("time").str.to_datetime("%d/%b/%Y:%H:%M:%S %z")
    berlin = sample["timezone"].cast(pl.String) == "Europe/Berlin"
    local = sample.filter(berlin)["timestamp"].dt.replace_time_zone("Europe/Berlin")
    assert berlin.sum() > 0
    utc = local.dt.convert_time_zone("UTC").dt.truncate("1s")
    assert (stamped.filter(berlin) == utc).all()
