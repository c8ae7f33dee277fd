import json

from tests.benchmarks.web import report
from tests.benchmarks.web.targets import (
    FLOOR_2B,
    FLOOR_PK,
    FLOOR_SIGNED_IN,
    TARGETS,
    Auth,
    Kind,
    Target,
)
from tests.benchmarks.web.wrk import WrkResult

LIST = Target("cases", "/api/v1/cases/", Kind.LIST)
DETAIL = Target("case detail", "/api/v1/cases/{case_number}/", Kind.DETAIL)
NO_ERRORS = {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0}


def result(p95_ms: float, requests: int = 100, status_errors: int = 0) -> WrkResult:
    errors = {**NO_ERRORS, "status": status_errors}
    return WrkResult(requests, 10.0, p95_ms / 2, p95_ms, p95_ms, p95_ms, errors)


def rep(floor_pk: float, cases: float, detail: float = 10.0) -> report.Rep:
    return {
        FLOOR_2B.name: result(1.0),
        FLOOR_PK.name: result(floor_pk),
        LIST.name: result(cases),
        DETAIL.name: result(detail),
    }


def test_the_ratio_is_taken_within_each_repetition():
    # given a repetition slowed down as a whole (the floor with it) between two normal ones
    reps = [rep(4.0, 40.0), rep(40.0, 400.0), rep(4.0, 44.0)]

    # when the target is summarised
    row = report.summarise(LIST, "/api/v1/cases/", reps, queries=4)

    # then each repetition's ratio uses its own floor, and the median of those is reported
    assert [r["ratio"] for r in row["reps"]] == [10.0, 10.0, 11.0]
    assert row["ratio"] == 10.0
    # which the medians of the p95s alone would not give (44 / 4)
    assert row["p95_ms"] / 4.0 == 11.0
    assert (row["queries"], row["limit"], row["met"]) == (4, 10.0, True)


def test_a_ratio_over_the_kinds_limit_is_missed():
    reps = [rep(4.0, 40.0, detail=28.0)]
    row = report.summarise(DETAIL, "/api/v1/cases/AS-1/", reps, queries=3)
    assert (row["ratio"], row["limit"], row["met"]) == (7.0, 6.0, False)


def test_a_page_is_also_compared_with_the_signed_in_floor_but_judged_by_the_floor_pk():
    # given repetitions that ran the signed-in floor too
    reps = [rep(4.0, 44.0), rep(4.0, 48.0)]
    for one, signed_in in zip(reps, (11.0, 12.0), strict=True):
        one[FLOOR_SIGNED_IN.name] = result(signed_in)

    # when the target is summarised and rendered
    row = report.summarise(LIST, "/api/v1/cases/", reps, queries=4)
    text = report.render_markdown({**sample_report(), "targets": [row]})

    # then its p95 over the signed-in floor's is given (the median of 4.0 and 4.0)
    assert row["signed_in_ratio"] == 4.0
    # and the limit is still the floor-PK's: 11× and 12× miss it
    assert (row["ratio"], row["met"]) == (11.5, False)
    assert "| 12× | ≤ 10× | **missed** | 4.0× |" in text


def test_without_the_signed_in_floor_its_column_stays_empty():
    row = report.summarise(LIST, "/api/v1/cases/", [rep(4.0, 40.0)], queries=4)
    assert row["signed_in_ratio"] is None
    assert "| ≤ 10× | met |  |" in report.render_markdown({**sample_report(), "targets": [row]})


def test_floors_have_no_limit():
    row = report.summarise(FLOOR_2B, "/bench/floor-2b/", [rep(4.0, 40.0)], queries=0)
    assert (row["ratio"], row["limit"], row["met"]) == (0.25, None, None)


def test_memory_limits():
    celery = {"concurrency": 2, "main_mb": 100.0, "pool_mb": [80.0, 80.0], "total_mb": 260.0}
    memory = report.memory([97.0, 199.0], {**celery, "total_pss_mb": 150.0})
    assert (memory["web_met"], memory["celery_met"]) == (True, False)
    assert not report.memory([201.0], {**celery, "total_pss_mb": 150.0})["web_met"]


def test_every_target_is_held_to_a_limit_and_its_path_filled_in():
    values = {
        "case_number": "AS-7KQM-4TXC",
        "customer_search": "Weber",
        "customer_pk": "7",
        "customer_email": "anna.weber@example.com",
        "order_number": "1042",
        "message_word": "kettle",
        "team_pk": "2",
        "tag": "vip",
        "busy_case_number": "AS-3DPT-HX9C",
        "busy_case_earlier": "2026-11-02T09%3A15%3A00%2B00%3A00",
    }
    assert all(target.kind in report.RATIO_LIMITS for target in TARGETS)
    paths = [target.url_path(values) for target in [FLOOR_PK, *TARGETS]]
    assert "/bench/floor-pk/7/" in paths
    assert "/api/v1/cases/AS-7KQM-4TXC/events/" in paths
    assert "/api/v1/customers/?search=Weber" in paths
    assert "/agent/cases/?q=1042" in paths
    assert "/agent/cases/AS-3DPT-HX9C/" in paths
    assert (
        "/agent/cases/AS-3DPT-HX9C/?before=2026-11-02T09%3A15%3A00%2B00%3A00&part=timeline" in paths
    )
    assert {target.auth for target in TARGETS} == {Auth.API_KEY, Auth.SESSION}


def sample_report() -> dict:
    reps = [rep(4.0, 3500.0), rep(4.0, 3600.0)]
    reps[1][DETAIL.name] = result(20.0, status_errors=2)
    celery = {"concurrency": 2, "main_mb": 100.0, "pool_mb": [80.0, 80.0], "total_mb": 260.0}
    return {
        "measured_at": "2026-11-28 08:00 UTC",
        "commit": "abc1234",
        "database": "PostgreSQL database aftersales_bench",
        "machine": {"cores": 2, "cpu": "AMD EPYC", "ram_gb": 23.5, "postgresql": "PostgreSQL 15"},
        "load_average": {"before": [1.5, 1.2, 1.0], "after": [2.5, 1.8, 1.1]},
        "data": {"cases": 1_000_000, "messages": 3_000_000},
        "run": {
            "workers": 2,
            "conn_max_age": "60",
            "connections": 4,
            "seconds": 10,
            "reps": 2,
            "warmup_seconds": 2,
        },
        "targets": [
            report.summarise(FLOOR_PK, "/bench/floor-pk/7/", reps, 1),
            report.summarise(LIST, "/api/v1/cases/", reps, 4),
            report.summarise(DETAIL, "/api/v1/cases/AS-1/", reps, 3),
        ],
        "memory": report.memory([97.0, 98.0], {**celery, "total_pss_mb": 150.0}),
        "plans": {"pages": 34, "big_seq_scans": ["orders: tickets_order"]},
        "other_benchmarks": {"Import": "9,000 rows/s"},
        "elapsed_seconds": 600,
    }


def test_the_markdown_report_has_a_row_per_target_and_what_it_was_measured_on():
    # when a report is rendered
    text = report.render_markdown(sample_report())

    # then each target has its row: queries, p50, p95, req/s, ratio, limit and verdict
    assert "| cases `/api/v1/cases/` | 4 | 1.8 s | 3.5 s | 10.0 | 888× | ≤ 10× | **missed** |" in (
        text
    )
    assert (
        "| case detail `/api/v1/cases/AS-1/` | 3 | 7.5 ms | 15.0 ms | 10.0 | 3.8× | ≤ 6× | met |"
        in (text)
    )
    # and errors, memory, the other benchmarks, data, load and machine beside it
    assert "**Errors** (non-2xx answers or socket errors): case detail" in text
    assert "web workers 97, 98 MB RSS after the load (limit 200 MB each): met" in text
    assert "260 MB, main process and pool together (limit 250 MB): **missed**" in text
    assert "34 pages explained; sequential scans over a big table: orders: tickets_order." in text
    assert "- Import: 9,000 rows/s" in text
    assert "1,000,000 cases, 3,000,000 messages" in text
    assert "1.50 / 1.20 / 1.00 before the load" in text
    assert "2 cores (AMD EPYC), 23.5 GB RAM, PostgreSQL 15" in text
    assert "commit abc1234" in text


def test_the_report_is_json_serialisable():
    data = sample_report()
    assert json.loads(json.dumps(data))["targets"][1]["reps"][0]["ratio"] == 875.0


def test_durations_and_ratios_read_easily():
    assert [report.duration(ms) for ms in (1.74, 21.0, 544.4, 6100.0)] == [
        "1.7 ms",
        "21.0 ms",
        "544 ms",
        "6.1 s",
    ]
    assert [report.times(r) for r in (5.72, 966.2, 1648.0)] == ["5.7×", "966×", "1,648×"]
