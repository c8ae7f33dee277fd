"""The shipment issue's figures in `make bench`: tracking webhook ingestion against the bench
server (the batched generic webhook, 1,000 signed events a request, and single EasyPost
tracker.updated events, each sustained for its own run), the web workers' memory over the
long ingestion run, and the time of a full detection pass over the whole data set.

Every request is built and signed as a provider would, with fresh event ids, for shipments of
the data set (a million at full size), so every event is new and is stored. The generic run's
load is a Python client with BENCH_CONNECTIONS threads, each with its own HTTP connection
(gunicorn's sync workers close it after each answer; the client reconnects) that reads how
many events each answer stored. EasyPost's deliveries are acknowledged at once and stored by a
Celery task in batches: that run signs its deliveries before it starts, wrk sends them
(signed.lua: a provider's CPU is not this machine's), a Celery worker stores them, and the
figure is the events stored over the time from the first request until none waits.

Knobs (environment): BENCH_INGEST_SECONDS (the generic run and its memory readings, default
600), BENCH_INGEST_EASYPOST_SECONDS (default 60), BENCH_CONNECTIONS."""

import hashlib
import hmac
import http.client
import io
import json
import os
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command, get_commands
from django.db import connection

from shipments.models import TrackingDelivery
from shipments.services.findings import findings_announce
from tests.benchmarks.web import processes, wrk

GENERIC_BATCH = 1000
# Statuses the load sends, as carriers send them: mostly scans, some deliveries.
GENERIC_STATUSES = ("in_transit",) * 8 + ("out_for_delivery", "delivered")
EASYPOST_STATUSES = (("in_transit", "arrived_at_facility"),) * 8 + (
    ("out_for_delivery", "out_for_delivery"),
    ("delivered", "arrived_at_destination"),
)
RSS_EVERY_SECONDS = 30
# Findings the detection figures announce, to time the announcing task's pace.
ANNOUNCE_SAMPLE = 500
# Deliveries signed ahead of a wrk run, per second of it: more than the server can take.
SIGNED_PER_SECOND = 3000
# The shipments the load reports on: enough that a 10-minute run rarely repeats one.
SHIPMENTS = 200_000


@dataclass
class Run:
    """One sustained ingestion run: requests answered, events sent and stored, latencies."""

    name: str
    seconds: float = 0.0
    requests: int = 0
    events: int = 0
    stored: int = 0
    errors: int = 0
    first_error: str = ""
    latencies_ms: list[float] = field(default_factory=list)
    rss_mb: list[tuple[float, list[float]]] = field(default_factory=list)
    # Runs whose deliveries are stored after the answer: how long the load itself lasted, and
    # wrk's percentiles of its answers.
    load_seconds: float | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None

    @property
    def events_per_second(self) -> float:
        """Events stored per second (a stored event is one the run sent and acknowledged)."""
        return self.stored / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, Any]:
        latencies = sorted(self.latencies_ms) or [0.0]
        p50 = statistics.median(latencies) if self.p50_ms is None else self.p50_ms
        p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
        return {
            "name": self.name,
            "seconds": round(self.seconds, 1),
            "load_seconds": None if self.load_seconds is None else round(self.load_seconds, 1),
            "requests": self.requests,
            "events": self.events,
            "stored": self.stored,
            "events_per_second": round(self.events_per_second, 1),
            "p50_ms": round(p50, 1),
            "p95_ms": round(p95 if self.p95_ms is None else self.p95_ms, 1),
            "errors": self.errors,
            "first_error": self.first_error,
            "rss_mb": self.rss_mb,
        }


def knob(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def tracked_shipments(limit: int = SHIPMENTS) -> list[tuple[str, str]]:
    """(tracking number, carrier name) of up to `limit` shipments, newest first (the ones
    carriers still send news about)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.tracking_number, c.name FROM shipments_shipment s "
            "JOIN shipments_carrier c ON c.id = s.carrier_id ORDER BY s.id DESC LIMIT %s",
            [limit],
        )
        return list(cursor.fetchall())


def _generic_body(numbers: list[tuple[str, str]], run: str, sequence: int) -> bytes:
    now = datetime.now(UTC).isoformat()
    first = sequence * GENERIC_BATCH
    events = [
        {
            "id": f"bench-{run}-{sequence}-{k}",
            "tracking_number": numbers[(first + k) % len(numbers)][0],
            "carrier": numbers[(first + k) % len(numbers)][1],
            "occurred_at": now,
            "status": GENERIC_STATUSES[k % len(GENERIC_STATUSES)],
            "message": "Arrived at a sort facility",
            "location": "Leipzig, DE",
        }
        for k in range(GENERIC_BATCH)
    ]
    return json.dumps({"events": events}).encode()


def _easypost_body(numbers: list[tuple[str, str]], run: str, sequence: int) -> bytes:
    number, carrier = numbers[sequence % len(numbers)]
    status, detail = EASYPOST_STATUSES[sequence % len(EASYPOST_STATUSES)]
    # Microseconds make each event new: EasyPost events carry no id of their own.
    now = datetime.now(UTC).isoformat()
    return json.dumps(
        {
            "object": "Event",
            "id": f"evt_{run}{sequence}",
            "description": "tracker.updated",
            "mode": "production",
            "result": {
                "object": "Tracker",
                "id": f"trk_{run}{sequence}",
                "tracking_code": number,
                "carrier": carrier,
                "status": status,
                "status_detail": detail,
                "updated_at": now,
                "tracking_details": [
                    {
                        "object": "TrackingDetail",
                        "datetime": now,
                        "status": status,
                        "status_detail": detail,
                        "message": "Arrived at facility",
                        "tracking_location": {"city": "Leipzig", "country": "DE"},
                    }
                ],
            },
        }
    ).encode()


def _generic_headers(body: bytes) -> dict[str, str]:
    secret = settings.TRACKING_WEBHOOK_SECRET.encode()
    return {"X-Signature": hmac.new(secret, body, hashlib.sha256).hexdigest()}


def _easypost_headers(body: bytes) -> dict[str, str]:
    secret = settings.EASYPOST_WEBHOOK_SECRET.encode()
    digest = hmac.new(secret, body, hashlib.sha256).hexdigest()
    return {"X-Hmac-Signature": f"hmac-sha256-hex={digest}"}


KINDS: dict[str, tuple[str, Callable[..., bytes], Callable[[bytes], dict[str, str]], int]] = {
    "generic": ("/webhooks/tracking/generic/", _generic_body, _generic_headers, GENERIC_BATCH),
    "easypost": ("/webhooks/tracking/easypost/", _easypost_body, _easypost_headers, 1),
}


def ingest(
    base: str,
    *,
    kind: str,
    seconds: float,
    connections: int,
    numbers: list[tuple[str, str]],
    master: int | None = None,
) -> Run:
    """POST signed `kind` webhooks to the server at `base` from `connections` threads for
    `seconds`; with `master` (gunicorn's pid), read its workers' RSS at the start, every
    RSS_EVERY_SECONDS and at the end."""
    path, make_body, sign, per_request = KINDS[kind]
    parts = urlsplit(base)
    run_id = uuid.uuid4().hex[:8]
    result = Run(name=kind)
    lock = threading.Lock()
    sequence = iter(range(10**12))
    started = time.monotonic()
    deadline = started + seconds

    def worker() -> None:
        while time.monotonic() < deadline:
            with lock:
                n = next(sequence)
            body = make_body(numbers, run_id, n)
            headers = {"Content-Type": "application/json", **sign(body)}
            client = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
            begun = time.perf_counter()
            try:
                client.request("POST", path, body=body, headers=headers)
                response = client.getresponse()
                answer = response.read()
                status = response.status
            except OSError as error:
                status, answer = 0, str(error).encode()
            finally:
                client.close()
            took = (time.perf_counter() - begun) * 1000
            with lock:
                result.requests += 1
                result.latencies_ms.append(took)
                if status == 200:
                    result.events += per_request
                    result.stored += int(json.loads(answer).get("stored", 0))
                else:
                    result.errors += 1
                    result.first_error = result.first_error or f"{status}: {answer[:300]!r}"

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    if master is not None:
        result.rss_mb.append((0.0, _rss(master)))
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        for thread in threads:
            thread.join(timeout=RSS_EVERY_SECONDS)
            if master is not None and time.monotonic() - started >= RSS_EVERY_SECONDS * len(
                result.rss_mb
            ):
                result.rss_mb.append((round(time.monotonic() - started), _rss(master)))
    result.seconds = time.monotonic() - started
    if master is not None:
        processes.wait_until_idle(master)
        result.rss_mb.append((round(time.monotonic() - started), _rss(master)))
    return result


def ingest_signed(
    base: str,
    *,
    kind: str,
    seconds: int,
    connections: int,
    numbers: list[tuple[str, str]],
    env: dict[str, str],
    out: Path,
) -> Run:
    """Send `kind` deliveries signed beforehand with wrk for `seconds`, while a Celery worker
    stores them; the run lasts until no delivery waits."""
    path, make_body, sign, per_request = KINDS[kind]
    run_id = uuid.uuid4().hex[:8]
    requests_file = out / f"{kind}-requests.tsv"
    with requests_file.open("w") as lines:
        for n in range(seconds * SIGNED_PER_SECOND):
            body = make_body(numbers, run_id, n)
            (signature,) = sign(body).values()
            lines.write(f"{signature}\t{body.decode()}\n")
    script = out / f"{kind}-signed.lua"
    here = Path(__file__).parent
    script.write_text((here / "signed.lua").read_text() + (here / "report.lua").read_text())
    (header,) = sign(b"").keys()
    load_env = {**os.environ, "BENCH_REQUESTS": str(requests_file), "BENCH_PATH": path}
    load_env["BENCH_SIGNATURE_HEADER"] = header
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM shipments_trackingevent")
        (before,) = cursor.fetchone()
    result = Run(name=kind)
    # A worker for the deliveries' own queue, as production's workers take it among the others.
    log = out / f"{kind}-celery.log"
    with processes.celery_worker(env, log, concurrency=1, queues="tracking"):
        while TrackingDelivery.objects.exists():  # what an earlier run left
            time.sleep(0.5)
        started = time.monotonic()
        answered = wrk.run(
            base + path, seconds=seconds, connections=connections, headers={}, script=script,
            env=load_env,
        )  # fmt: skip
        result.load_seconds = time.monotonic() - started
        while TrackingDelivery.objects.exists():
            time.sleep(0.2)
        result.seconds = time.monotonic() - started
    requests_file.unlink()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM shipments_trackingevent WHERE id > %s", [before])
        (result.stored,) = cursor.fetchone()
    result.requests = answered.requests
    result.errors = answered.failed
    result.first_error = json.dumps(answered.errors) if answered.failed else ""
    result.events = (answered.requests - answered.failed) * per_request
    result.latencies_ms = [answered.p50_ms, answered.p95_ms]
    result.p50_ms, result.p95_ms = answered.p50_ms, answered.p95_ms
    return result


def _rss(master: int) -> list[float]:
    return [round(processes.rss_mb(pid), 1) for pid in processes.children(master)]


def detection_pass() -> dict[str, Any]:
    """Two full detection passes over the data set, timed: the first finds what the data holds,
    the second is the steady state beat sees; then the announcing task's pace over
    ANNOUNCE_SAMPLE of the waiting findings (case, timeline, notifications each); or why there
    is none."""
    if "detect_shipment_issues" not in get_commands():
        return {"error": "manage.py detect_shipment_issues is not installed"}
    timings = []
    outputs = []
    for _ in range(2):
        out = io.StringIO()
        begun = time.perf_counter()
        call_command("detect_shipment_issues", stdout=out)
        timings.append(time.perf_counter() - begun)
        outputs.append(out.getvalue().strip().splitlines()[-1:] or [""])
    begun = time.perf_counter()
    announced = findings_announce(limit=ANNOUNCE_SAMPLE)
    announcing_s = time.perf_counter() - begun
    return {
        "first_s": timings[0],
        "second_s": timings[1],
        "said": [o[0] for o in outputs],
        "announced": announced,
        "announcing_s": announcing_s,
    }


def shipments_benchmarks(
    base: str, master: int, *, env: dict[str, str], out: Path, wanted: Callable[[str], bool]
) -> dict[str, Any]:
    """The ingestion runs against the served app and the detection pass, as chosen."""
    connections = knob("BENCH_CONNECTIONS", 4)
    found: dict[str, Any] = {}
    numbers = tracked_shipments()
    if not numbers and (wanted("ingest generic") or wanted("ingest easypost")):
        found["ingest_error"] = "the data set holds no shipments"
    elif numbers:
        if wanted("ingest generic"):
            seconds = knob("BENCH_INGEST_SECONDS", 600)
            print(f"Ingesting batched generic webhooks for {seconds} s…", flush=True)
            run = ingest(
                base, kind="generic", seconds=seconds, connections=connections,
                numbers=numbers, master=master,
            )  # fmt: skip
            found["generic"] = run.summary()
            processes.wait_until_idle(master)
        if wanted("ingest easypost"):
            seconds = knob("BENCH_INGEST_EASYPOST_SECONDS", 60)
            print(f"Ingesting single EasyPost events for {seconds} s…", flush=True)
            run = ingest_signed(
                base, kind="easypost", seconds=seconds, connections=connections,
                numbers=numbers, env=env, out=out,
            )  # fmt: skip
            found["easypost"] = run.summary()
            processes.wait_until_idle(master)
    if wanted("detection pass"):
        print("Timing a full detection pass…", flush=True)
        found["detection"] = detection_pass()
    return found


def report_lines(found: dict[str, Any]) -> dict[str, str]:
    """The shipment figures as the report's "name: text" lines."""
    lines = {}
    if "ingest_error" in found:
        lines["Tracking webhook ingestion"] = f"not measured: {found['ingest_error']}"
    for key, title in (
        ("generic", "Tracking ingestion, generic webhook (1,000 signed events a request)"),
        ("easypost", "Tracking ingestion, single EasyPost tracker.updated events"),
    ):
        run = found.get(key)
        if run is None:
            continue
        text = (
            f"{run['events_per_second']:,.0f} events/s stored, sustained over "
            f"{run['seconds']:.0f} s ({run['requests']:,} requests, {run['events']:,} events "
            f"acknowledged, {run['stored']:,} stored; request p50 {run['p50_ms']:,.1f} ms, "
            f"p95 {run['p95_ms']:,.1f} ms; "
            f"{run['errors']} errors{': ' + run['first_error'] if run['errors'] else ''})"
        )
        if run.get("load_seconds") is not None:
            text += (
                f"; the load ran {run['load_seconds']:.0f} s and the last delivery was stored "
                f"{run['seconds'] - run['load_seconds']:.1f} s after it stopped"
            )
        if run["rss_mb"]:
            start, end = run["rss_mb"][0][1], run["rss_mb"][-1][1]
            peak = max(max(mbs, default=0) for _at, mbs in run["rss_mb"])
            text += (
                f"; web workers' RSS {', '.join(f'{mb:.0f}' for mb in start)} MB at the start, "
                f"{', '.join(f'{mb:.0f}' for mb in end)} MB at the end, peak {peak:.0f} MB "
                f"(read every {RSS_EVERY_SECONDS} s, bench.json)"
            )
        lines[title] = text
    detection = found.get("detection")
    if detection is not None:
        title = "Detection pass (manage.py detect_shipment_issues, whole data set)"
        if "error" in detection:
            lines[title] = f"not measured: {detection['error']}"
        else:
            lines[title] = (
                f"first pass {detection['first_s']:.1f} s ({detection['said'][0]}), "
                f"second pass {detection['second_s']:.1f} s ({detection['said'][1]})"
            )
            if detection["announced"]:
                each = detection["announcing_s"] / detection["announced"] * 1000
                lines["Announcing findings (the task detection queues)"] = (
                    f"{detection['announced']:,} announced in {detection['announcing_s']:.1f} s, "
                    f"{each:.0f} ms each (case, timeline, email and SMS rendered)"
                )
    return lines
