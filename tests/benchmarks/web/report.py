"""From wrk's figures to bench.json and bench.md: medians over the repetitions, each target's
p95 over the floor-PK p95 of the same repetition (and, for comparison, over the signed-in
floor's), and the issue's limits met or missed."""

import statistics
from collections.abc import Sequence
from typing import Any

from tests.benchmarks.web.targets import (
    CELERY_WORKER_RSS_LIMIT_MB,
    FLOOR_PK,
    FLOOR_SIGNED_IN,
    RATIO_LIMITS,
    WEB_WORKER_RSS_LIMIT_MB,
    Target,
)
from tests.benchmarks.web.wrk import WrkResult

Rep = dict[str, WrkResult]  # one repetition: a result per target name


def ratios(name: str, reps: Sequence[Rep], floor: Target = FLOOR_PK) -> list[float]:
    """The target's p95 over `floor`'s p95 of the same repetition, one per repetition."""
    return [rep[name].p95_ms / rep[floor.name].p95_ms for rep in reps]


def summarise(
    target: Target, path: str, reps: Sequence[Rep], queries: int | None
) -> dict[str, Any]:
    """One target's row: medians over the repetitions, and each repetition's own figures."""
    runs = [rep[target.name] for rep in reps]
    per_rep = ratios(target.name, reps)
    ratio = statistics.median(per_rep)
    limit = RATIO_LIMITS.get(target.kind)
    signed_in = all(FLOOR_SIGNED_IN.name in rep for rep in reps)
    return {
        "name": target.name,
        "path": path,
        "kind": target.kind.value,
        "queries": queries,
        "p50_ms": statistics.median(run.p50_ms for run in runs),
        "p95_ms": statistics.median(run.p95_ms for run in runs),
        "requests_per_second": statistics.median(run.requests_per_second for run in runs),
        "ratio": ratio,
        # Not a limit of the issue: how much a page costs beyond being a signed-in one.
        "signed_in_ratio": (
            statistics.median(ratios(target.name, reps, FLOOR_SIGNED_IN)) if signed_in else None
        ),
        "limit": limit,
        "met": None if limit is None else ratio <= limit,
        "reps": [
            {
                "p50_ms": run.p50_ms,
                "p95_ms": run.p95_ms,
                "requests": run.requests,
                "requests_per_second": run.requests_per_second,
                "errors": run.errors,
                "ratio": rep_ratio,
            }
            for run, rep_ratio in zip(runs, per_rep, strict=True)
        ],
    }


def memory(web_workers_mb: list[float], celery_mb: dict[str, Any]) -> dict[str, Any]:
    return {
        "web_workers_mb": web_workers_mb,
        "web_limit_mb": WEB_WORKER_RSS_LIMIT_MB,
        "web_met": max(web_workers_mb) < WEB_WORKER_RSS_LIMIT_MB,
        "celery": celery_mb,
        "celery_limit_mb": CELERY_WORKER_RSS_LIMIT_MB,
        "celery_met": celery_mb["total_mb"] < CELERY_WORKER_RSS_LIMIT_MB,
    }


def duration(ms: float) -> str:
    if ms >= 1000:
        return f"{ms / 1000:.1f} s"
    return f"{ms:.1f} ms" if ms < 100 else f"{ms:.0f} ms"


def times(ratio: float) -> str:
    return f"{ratio:.1f}×" if ratio < 10 else f"{ratio:,.0f}×"


def progress(name: str, result: WrkResult) -> str:
    """One run's figures as a line of the console's progress."""
    return (
        f"{name:<28} p50 {duration(result.p50_ms):>9}  p95 {duration(result.p95_ms):>9}  "
        f"{result.requests_per_second:8.1f}/s  ({result.requests} requests, "
        f"{result.failed} errors)"
    )


def verdict(met: bool | None) -> str:
    return {True: "met", False: "**missed**", None: ""}[met]


def errors(row: dict[str, Any]) -> int:
    return sum(sum(rep["errors"].values()) for rep in row["reps"])


def render_markdown(report: dict[str, Any]) -> str:
    """bench.md: the table first, then what it was measured on."""
    machine, run, mem = report["machine"], report["run"], report["memory"]
    before, after = report["load_average"]["before"], report["load_average"]["after"]
    lines = [
        f"# make bench, {report['measured_at']}, commit {report['commit']}",
        "",
        "| request | queries | p50 | p95 | req/s | ÷ floor-PK p95 | target | | ÷ signed in p95 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in report["targets"]:
        queries = "" if row["queries"] is None else str(row["queries"])
        limit = "" if row["limit"] is None else f"≤ {row['limit']:.0f}×"
        signed_in = "" if row["signed_in_ratio"] is None else times(row["signed_in_ratio"])
        lines.append(
            f"| {row['name']} `{row['path']}` | {queries} | {duration(row['p50_ms'])} "
            f"| {duration(row['p95_ms'])} | {row['requests_per_second']:,.1f} "
            f"| {times(row['ratio'])} | {limit} | {verdict(row['met'])} | {signed_in} |"
        )
    celery = mem["celery"]
    lines += [
        "",
        "Medians of the repetitions; the ratio is taken within each repetition (per-repetition "
        "figures in bench.json). The last column, p95 over the signed-in floor's (the floor-PK "
        "behind the dashboard's sign-in and permission check), is for comparison: no limit.",
        "",
        f"- Memory: web workers {', '.join(f'{mb:.0f}' for mb in mem['web_workers_mb'])} MB RSS "
        f"after the load (limit {mem['web_limit_mb']} MB each): {verdict(mem['web_met'])}; an "
        f"idle Celery worker at its default concurrency ({celery['concurrency']}) "
        f"{celery['total_mb']:.0f} MB, main process and pool together (limit "
        f"{mem['celery_limit_mb']} MB): {verdict(mem['celery_met'])}; counting the pages they "
        f"share once (PSS), {celery['total_pss_mb']:.0f} MB.",
    ]
    scans = report["plans"]["big_seq_scans"]
    lines.append(
        f"- Query plans (explain.md): {report['plans']['pages']} pages explained; sequential "
        f"scans over a big table: {'; '.join(scans) if scans else 'none'}."
    )
    lines += [f"- {name}: {text}" for name, text in report["other_benchmarks"].items()]
    failed = [row["name"] for row in report["targets"] if errors(row)]
    if failed:
        lines.append(f"- **Errors** (non-2xx answers or socket errors): {', '.join(failed)}")
    lines += [
        "",
        f"Data: {', '.join(f'{count:,} {table}' for table, count in report['data'].items())} "
        "(PostgreSQL's estimates, after ANALYZE).",
        f"Server: gunicorn, {run['workers']} sync workers (no access log), persistent database "
        f"connections (CONN_MAX_AGE {run['conn_max_age']}), DEBUG off, {report['database']}.",
        f"Load: wrk, {run['connections']} connections, {run['seconds']} s per run, "
        f"{run['reps']} repetitions, each running the floors and then every target; "
        f"{run['warmup_seconds']} s warm-up per URL first.",
        f"Machine: {machine['cores']} cores ({machine['cpu']}), {machine['ram_gb']:.1f} GB RAM, "
        f"{machine['postgresql']}. Load average (1/5/15 min) "
        f"{' / '.join(f'{x:.2f}' for x in before)} before the load, "
        f"{' / '.join(f'{x:.2f}' for x in after)} after it; other processes share the CPUs.",
        f"Took {report['elapsed_seconds'] / 60:.1f} min.",
    ]
    return "\n".join(lines) + "\n"
