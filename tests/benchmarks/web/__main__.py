"""`make bench`'s web part, end to end: prepare the benchmark database, serve the app with
gunicorn, drive wrk against the floors and every target in interleaved repetitions, count the
queries, read the memory, explain the hot queries (explain.md), run the older benchmarks, and
write var/benchmarks/bench.{md,json}.

Knobs (environment): BENCH_DATABASE_URL, BENCH_CASES, BENCH_SECONDS, BENCH_REPS,
BENCH_WARMUP_SECONDS, BENCH_CONNECTIONS, BENCH_REDIS_URL, BENCH_ONLY (comma-separated words: only
the targets whose name holds one, besides the floors; the shipment figures are "ingest generic",
"ingest easypost" and "detection pass"), BENCH_INGEST_SECONDS and BENCH_INGEST_EASYPOST_SECONDS
(ingest.py), PYTEST_ARGS (for the older benchmarks; BENCH_PYTEST=0 skips them)."""

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/aftersales_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/10"  # clear of the tests' (11 to 15)
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.benchmarks.web.settings"

import django  # noqa: E402
import redis  # noqa: E402

os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
if os.environ["REDIS_URL"]:
    try:
        redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=2).ping()
    except redis.RedisError as error:
        print(f"Redis at {os.environ['REDIS_URL']} answers no ping ({error}): benchmarking "
              "without it (local-memory cache, filesystem broker).")  # fmt: skip
        os.environ["REDIS_URL"] = ""

from tests.benchmarks.web.database import database_create  # noqa: E402

database_create(os.environ["DATABASE_URL"])
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tests.benchmarks.explain_hot_queries import explain_hot_queries  # noqa: E402
from tests.benchmarks.web import ingest, prepare, processes, report, wrk  # noqa: E402
from tests.benchmarks.web.machine import machine  # noqa: E402
from tests.benchmarks.web.targets import FLOORS, TARGETS, Auth, Kind, Target  # noqa: E402
from tickets import selectors  # noqa: E402
from tickets.models import Case  # noqa: E402

OUT = Path(settings.VAR_DIR) / "benchmarks"


def knob(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def headers(target: Target, creds: dict[str, str]) -> dict[str, str]:
    if target.auth == Auth.API_KEY:
        return {"Authorization": f"Bearer {creds['api_key']}"}
    if target.auth == Auth.SESSION:
        return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={creds['session']}"}
    return {}


def query_count(path: str, header: dict[str, str]) -> int:
    """SQL queries of one request through Django's test client on the benchmark database, after
    one unmeasured request (as a served worker, whose caches are warm)."""
    client = Client(headers=header)
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}: {response.content[:500]!r}")
    return len(captured)


def chosen(targets: list[Target], only: str) -> list[Target]:
    """The targets whose name holds one of the comma-separated words of `only` (all if empty)."""
    return [t for t in targets if picked(t.name, only)]


def picked(name: str, only: str) -> bool:
    """Whether `name` holds one of the comma-separated words of `only` (True if it is empty)."""
    words = [word.strip() for word in only.split(",") if word.strip()]
    return not words or any(word in name for word in words)


def main() -> None:
    started = time.monotonic()
    seconds, reps = knob("BENCH_SECONDS", 10), knob("BENCH_REPS", 3)
    warmup, connections = knob("BENCH_WARMUP_SECONDS", 2), knob("BENCH_CONNECTIONS", 4)
    OUT.mkdir(parents=True, exist_ok=True)

    prepare.database_fill(knob("BENCH_CASES", 1_000_000))
    creds = prepare.credentials(prepare.bench_user())
    values = prepare.path_values()
    everything = [*FLOORS, *chosen(TARGETS, os.environ.get("BENCH_ONLY", ""))]
    paths = {target.name: target.url_path(values) for target in everything}
    print("Counting the queries of one request per target…", flush=True)
    queries = {t.name: query_count(paths[t.name], headers(t, creds)) for t in everything}

    env = {**os.environ, "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60")}
    load_before = os.getloadavg()
    runs: list[report.Rep] = []
    with processes.gunicorn(env, OUT / "gunicorn.log") as (base, master):

        def load(target: Target, duration: int) -> wrk.WrkResult:
            return wrk.run(
                base + paths[target.name],
                seconds=duration,
                connections=connections,
                headers=headers(target, creds),
            )

        print(f"Warming up: {warmup} s per URL…", flush=True)
        for target in everything:
            load(target, warmup)
            processes.wait_until_idle(master.pid)
        for rep in range(reps):
            runs.append({})
            for target in everything:
                result = runs[-1][target.name] = load(target, seconds)
                processes.wait_until_idle(master.pid)
                print(f"rep {rep + 1}/{reps}  {report.progress(target.name, result)}", flush=True)
        web_rss = [processes.rss_mb(pid) for pid in processes.children(master.pid)]
        shipments = ingest.shipments_benchmarks(
            base,
            master.pid,
            env=env,
            out=OUT,
            wanted=lambda name: picked(name, os.environ.get("BENCH_ONLY", "")),
        )
    load_after = os.getloadavg()
    celery = processes.celery_idle_rss(env, OUT / "celery.log")
    print("Explaining the hot pages' queries…", flush=True)
    plans = explain_hot_queries(out=OUT / "explain.md")

    other = {**bulk_benchmark(creds), **ingest.report_lines(shipments), **older_benchmarks()}
    result = {
        "measured_at": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "commit": commit(),
        "database": f"PostgreSQL database {connection.settings_dict['NAME']}",
        "machine": machine(connection),
        "load_average": {"before": load_before, "after": load_after},
        "data": prepare.data_size(),
        "run": {
            "workers": processes.WEB_WORKERS,
            "conn_max_age": env["CONN_MAX_AGE"],
            "connections": connections,
            "seconds": seconds,
            "reps": reps,
            "warmup_seconds": warmup,
            "redis": bool(os.environ["REDIS_URL"]),
        },
        "targets": [report.summarise(t, paths[t.name], runs, queries[t.name]) for t in everything],
        "memory": report.memory(web_rss, celery),
        "plans": {
            "pages": len(plans),
            "big_seq_scans": [f"{p.name}: {', '.join(p.seq_scans)}" for p in plans if p.seq_scans],
        },
        "shipments": shipments,
        "other_benchmarks": other,
        "elapsed_seconds": time.monotonic() - started,
    }
    (OUT / "bench.json").write_text(json.dumps(result, indent=2) + "\n")
    text = report.render_markdown(result)
    (OUT / "bench.md").write_text(text)
    print("\n" + text + f"\nWritten: {OUT / 'bench.md'}, {OUT / 'bench.json'}")


BULK_CASES, BULK_RUNS = 100, 6


def bulk_benchmark(creds: dict[str, str]) -> dict[str, str]:
    """The dashboard's bulk action over 100 cases (assign them to the bench agent, then back to
    the queue, and so on: each run changes all of them), confirmed, through Django's test
    client on the benchmark database: its time per run and its queries."""
    user = prepare.bench_user()
    numbers = list(
        selectors.case_list(user=user)
        .filter(status=Case.Status.OPEN)
        .order_by("-created_at", "-pk")
        .values_list("number", flat=True)[:BULK_CASES]
    )
    client = Client(headers=headers(Target("bulk", "/", Kind.PAGE, Auth.SESSION), creds))
    times, queries = [], 0
    for run in range(BULK_RUNS):
        data = {"cases": numbers, "action": "assign", "assignee": "me" if run % 2 == 0 else "none"}
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post("/agent/cases/bulk/", {**data, "confirm": "1"})
            times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 303:
            raise SystemExit(f"The bulk action answered {response.status_code}.")
        queries = len(captured)
    times.sort()
    return {
        f"Bulk assign of {len(numbers)} cases (dashboard)": (
            f"median {times[len(times) // 2]:,.0f} ms, slowest {times[-1]:,.0f} ms over "
            f"{BULK_RUNS} runs (each changes every case: its event, its version), "
            f"{queries} queries"
        )
    }


def older_benchmarks() -> dict[str, str]:
    """Run the pytest benchmarks (import rate, notification delivery rate) on a test database
    beside the benchmark one; their one-line summaries for the report."""
    if os.environ.get("BENCH_PYTEST", "1") == "0":
        return {}
    url = urlsplit(os.environ["DATABASE_URL"])
    args = [
        sys.executable,
        "-m",
        "pytest",
        "tests/benchmarks",
        "-o",
        "addopts=-ra --strict-markers",
    ]
    args += ["-p", "no:cacheprovider", "-s", *os.environ.get("PYTEST_ARGS", "").split()]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "aftersales.settings.test"}
    subprocess.run(args, cwd=settings.BASE_DIR, env=env, check=True)
    database = "test_" + url.path.lstrip("/")
    summaries = {}
    for name, title in (("notifications", "Notification delivery"), ("import_orders", "Import")):
        path = OUT / f"{name}.json"
        kept = json.loads(path.read_text()) if path.exists() else {}
        found = [block for block in kept.values() if block["database"] == database]
        summaries[title] = found[-1]["summary"] if found else "not measured"
    return summaries


def commit() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
        return done.stdout.strip()

    return git("rev-parse", "--short", "HEAD") + ("-dirty" if git("status", "--porcelain") else "")


if __name__ == "__main__":
    main()
