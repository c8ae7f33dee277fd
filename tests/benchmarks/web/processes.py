"""The processes `make bench` starts: gunicorn serving the app, and an idle Celery worker
whose memory is read. Linux only (/proc)."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

WEB_WORKERS = 2  # as the issue measures: 2 sync workers, one per core here


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # gone since the listing
            # "pid (comm) state ppid …"; comm may hold spaces, so split after its ")"
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def rss_mb(pid: int) -> float:
    """Resident memory of `pid` (VmRSS) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024  # "VmRSS:   99332 kB"
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def wait_until_idle(master: int, timeout: float = 300) -> None:
    """Wait until the workers finished what wrk left them: requests still queued when a run
    ends are served all the same (their bytes are in the socket), and would slow the next run.
    Idle is no query running on the database and no worker using CPU, twice in a row."""
    workers = children(master)
    deadline, quiet = time.monotonic() + timeout, 0
    ticks = [cpu_ticks(pid) for pid in workers]
    while quiet < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
        now = [cpu_ticks(pid) for pid in workers]
        busy = now != ticks or _queries_running()
        quiet, ticks = (0 if busy else quiet + 1), now


def _queries_running() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'active' AND pid <> pg_backend_pid()"
        )
        return bool(cursor.fetchone()[0])


def pss_mb(pid: int) -> float:
    """Proportional memory of `pid` in MB: pages shared with other processes (a forked pool's
    parent) counted by share, so that a group's sum is what it costs the machine."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no Pss for process {pid}")


def _wait_for(condition, *, timeout: float, what: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            raise RuntimeError(f"{what}: the process exited with {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}: not within {timeout:.0f} s")
        time.sleep(0.2)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # both stop their children on TERM
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def gunicorn(env: dict[str, str], log: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """The app as the Docker image serves it, with WEB_WORKERS sync workers, on a free port;
    yields its base URL and the master process."""
    port = free_port()
    args = [sys.executable, "-m", "gunicorn", "aftersales.wsgi:application"]
    args += ["--bind", f"127.0.0.1:{port}", "--workers", str(WEB_WORKERS)]
    # The slowest pages of the unindexed data take seconds: no worker is killed mid-request.
    args += ["--timeout", "300", "--error-logfile", str(log)]
    process = subprocess.Popen(args, cwd=settings.BASE_DIR, env=env, start_new_session=True)
    try:
        _wait_for(
            lambda: len(children(process.pid)) == WEB_WORKERS and _listening(port),
            timeout=60,
            what=f"gunicorn (log: {log})",
            process=process,
        )
        yield f"http://127.0.0.1:{port}", process
    finally:
        _stop(process)


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def celery_worker(
    env: dict[str, str],
    log: Path,
    *,
    concurrency: int | None = None,
    queues: str = "celery,notifications,tracking",
    purge: bool = False,
) -> Iterator[subprocess.Popen]:
    """A Celery worker as docker-compose starts it (every queue, its default concurrency),
    unless told otherwise; `purge`: the work waiting in its queues is dropped first; ready;
    stopped on leaving."""
    args = [sys.executable, "-m", "celery", "-A", "aftersales", "worker"]
    args += ["--queues", queues, "--loglevel", "INFO", *(["--purge"] if purge else [])]
    args += ["--hostname", f"bench-{os.getpid()}@%h"]
    if concurrency:
        args += ["--concurrency", str(concurrency)]
    with log.open("w") as output:
        process = subprocess.Popen(
            args, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        _wait_for(
            lambda: " ready." in log.read_text(),
            timeout=120,
            what=f"celery worker (log: {log})",
            process=process,
        )
        yield process
    finally:
        _stop(process)


def celery_idle_rss(env: dict[str, str], log: Path) -> dict[str, object]:
    """Start a Celery worker as docker-compose does, wait until it is ready, read the RSS of
    its main process and pool, and stop it. Idle: the status updates and announcements the
    ingestion runs and detection queued are dropped first (the bench has no customers to tell)."""
    with celery_worker(env, log, purge=True) as process:
        time.sleep(2)  # let the pool settle after "ready"
        pids = [process.pid, *children(process.pid)]
        main, *pool = (rss_mb(pid) for pid in pids)
        pss = sum(pss_mb(pid) for pid in pids)
    return {
        "concurrency": len(pool),
        "main_mb": main,
        "pool_mb": pool,
        "total_mb": main + sum(pool),
        "total_pss_mb": pss,
    }
