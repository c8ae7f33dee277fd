"""Real processes for delivery tests and the benchmark: an SMTP server in this process that
counts what it accepts, `celery worker` subprocesses on the test database, and a broker of
the test's own (a Redis database, or a queue folder under tmp_path)."""

import asyncio
import email.parser
import logging
import os
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from aftersales.celery import app as celery_app
from tests.celery_support import CELERY, database_url, drop_pooled_connections
from tickets.models import Customer, Notification
from tickets.services.notifications import message_id_for

# Prefork children per worker: also the most repeats a SIGKILL may cause (messages in flight).
CONCURRENCY = 2

# The worker's tunables, shortened so a lost message, a killed worker's claim and a failed send
# come back in seconds rather than minutes. Sends to the local server take milliseconds, far
# below the claim, so a live worker never loses a row it is sending.
WORKER_SETTINGS = {
    "NOTIFICATION_SWEEP_AFTER_SECONDS": "5",
    "NOTIFICATION_CLAIM_SECONDS": "10",
    "NOTIFICATION_BACKOFF_BASE_SECONDS": "1",
    "EMAIL_TIMEOUT": "5",
}


def scaled(count: int) -> int:
    """`count` on Redis; a 25th of it (at least 10) on Kombu's filesystem transport. That one
    polls its folder once a second and then takes only as many messages as the prefetch allows
    (CONCURRENCY × CELERY_WORKER_PREFETCH_MULTIPLIER = 2): about 2 notifications a second per
    worker, so 1,000 would take over 8 minutes."""
    return count if settings.REDIS_URL else max(10, count // 25)


# test_celery_worker.py uses Redis database 15; each xdist process (`make test` runs two)
# takes its own of 14, 13 and 12; the benchmark takes 11.
FIRST_REDIS_DB = 14


def redis_db_for_this_process() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return FIRST_REDIS_DB - int(worker.removeprefix("gw") or 0) % 3


# --- SMTP -------------------------------------------------------------------------------------


class Mailbox:
    """An aiosmtpd handler that accepts every message and counts copies by Message-ID;
    recipients at a domain in `refused_domains` are refused with 550."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.copies: Counter[str] = Counter()
        self.message_ids: defaultdict[str, set[str]] = defaultdict(set)
        self.refused_domains: set[str] = set()
        self.refusals = 0
        self.accepted = 0
        # Called with the running count of accepted messages before the server answers 250.
        self.on_accept: Callable[[int], None] | None = None
        # Seconds the server keeps a message it has before answering the end of DATA (a slow
        # server: past EMAIL_TIMEOUT the client gives up although the message arrived), and
        # before answering RCPT (the message never arrives).
        self.data_answer_after: float = 0
        self.rcpt_answer_after: float = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.rcpt_answer_after:
            await asyncio.sleep(self.rcpt_answer_after)
        if address.rpartition("@")[2] in self.refused_domains:
            with self._lock:
                self.refusals += 1
            return f"550 5.1.1 <{address}>: Recipient address rejected: no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        headers = email.parser.BytesHeaderParser().parsebytes(envelope.content)
        message_id = str(headers["Message-ID"])
        with self._lock:
            self.copies[message_id] += 1
            self.message_ids[str(headers["X-Aftersales-Notification"])].add(message_id)
            self.accepted += 1
            accepted = self.accepted
        if self.on_accept is not None:
            self.on_accept(accepted)
        if self.data_answer_after:
            await asyncio.sleep(self.data_answer_after)
        return "250 2.0.0 OK: queued"

    @property
    def distinct(self) -> int:
        return len(self.copies)

    def repeats(self) -> dict[str, int]:
        """Message-ID → copies beyond the first."""
        with self._lock:
            return {mid: copies - 1 for mid, copies in self.copies.items() if copies > 1}

    def summary(self) -> str:
        return (
            f"SMTP: {self.accepted} accepted, {self.distinct} distinct Message-IDs, "
            f"{sum(self.repeats().values())} repeats, {self.refusals} refused recipients"
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """aiosmtpd on 127.0.0.1 in a thread of this process; stop() and start() again take the
    server down and bring it back on the same port."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox
        self.port = _free_port()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        # aiosmtpd logs every SMTP command at INFO: thousands of lines per test.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


# --- Broker -----------------------------------------------------------------------------------


@dataclass
class Broker:
    env: dict[str, str]
    redis_url: str = ""
    queue_dir: Path | None = None

    def _redis(self) -> redis.Redis:
        return redis.Redis.from_url(self.redis_url)

    def queued(self) -> int:
        """Messages waiting in the broker (not those a worker already holds)."""
        if self.redis_url:
            client = self._redis()
            return sum(client.llen(queue) for queue in ("celery", "notifications"))
        return sum(1 for _ in self.queue_dir.iterdir())

    def lose_messages(self) -> int:
        """Drop everything the broker holds, as a Redis FLUSHDB or a wiped queue folder would;
        returns how many waiting messages were lost."""
        lost = self.queued()
        if self.redis_url:
            self._redis().flushdb()
        else:
            for message in self.queue_dir.iterdir():
                message.unlink(missing_ok=True)
        return lost


@contextmanager
def isolated_broker(folder: Path, *, redis_db: int) -> Iterator[Broker]:
    """Point this process's Celery app at a broker no other worker uses: Redis database
    `redis_db` when REDIS_URL is set, else a filesystem queue under `folder`."""
    conf = celery_app.conf
    previous = (conf.broker_url, conf.broker_transport_options, conf.task_always_eager)
    if settings.REDIS_URL:
        url = urlunsplit(urlsplit(settings.REDIS_URL)._replace(path=f"/{redis_db}"))
        broker = Broker(env={"REDIS_URL": url}, redis_url=url)
        broker.lose_messages()
        conf.broker_url = url
    else:
        # The same folders as the settings make, under `folder` (the worker derives them from
        # CELERY_QUEUE_DIR).
        conf.broker_transport_options = {
            key: value.replace(str(settings.CELERY_QUEUE_DIR), str(folder))
            if isinstance(value, str)
            else value
            for key, value in settings.CELERY_BROKER_TRANSPORT_OPTIONS.items()
        }
        for key in ("data_folder_in", "processed_folder", "control_folder"):
            Path(conf.broker_transport_options[key]).mkdir(parents=True)
        broker = Broker(
            env={"CELERY_QUEUE_DIR": str(folder)},
            queue_dir=Path(conf.broker_transport_options["data_folder_in"]),
        )
    conf.task_always_eager = False
    drop_pooled_connections()
    try:
        yield broker
    finally:
        if broker.redis_url:
            broker.lose_messages()
        conf.broker_url, conf.broker_transport_options, conf.task_always_eager = previous
        drop_pooled_connections()


# --- Workers ----------------------------------------------------------------------------------


class Worker:
    """One `celery worker` process (prefork, in a process group of its own so that a SIGKILL
    takes its children too), logging to `log_path`."""

    def __init__(self, *, env: dict[str, str], log_path: Path, concurrency: int) -> None:
        self.env = env
        self.log_path = log_path
        self.concurrency = concurrency
        self.name = f"delivery-{uuid.uuid4().hex[:8]}@localhost"
        self.process: subprocess.Popen | None = None

    def start(self, *, timeout: float = 60) -> "Worker":
        command = [
            str(CELERY), "-A", "aftersales", "worker", "-n", self.name,
            "-Q", "celery,notifications", "--concurrency", str(self.concurrency),
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--loglevel", "INFO",
        ]  # fmt: skip
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while "ready." not in self.log_path.read_text(errors="replace"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                pytest.fail(f"worker {self.name} did not start:\n{self.log_tail()}")
            time.sleep(0.1)
        return self

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the worker and its pool children at once, as the OOM killer might."""
        if self.process is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return f"--- {self.log_path.name} ({self.name}), last {lines} lines ---\n" + "\n".join(
            text.splitlines()[-lines:]
        )


# --- Outbox rows ------------------------------------------------------------------------------


def notifications_create(count: int, *, domain: str = "example.com") -> list[int]:
    """`count` email rows to as many new customers, in the state notify() leaves them: pending,
    due now, queued now. Returns their ids; nothing is enqueued yet."""
    run = uuid.uuid4().hex[:8]
    now = timezone.now()
    customers = Customer.objects.bulk_create(
        Customer(email=f"c{run}-{n}@{domain}", name=f"Customer {n}", language="en")
        for n in range(count)
    )
    rows = []
    for n, customer in enumerate(customers):
        key = f"case_received:{run}-{n}:email"
        rows.append(
            Notification(
                customer=customer,
                channel=Notification.Channel.EMAIL,
                template="case_received",
                language="en",
                recipient=customer.email,
                subject=f"Your case {run}-{n}: we have received your request",
                body="Thank you for contacting us. We have opened a case for you.\n",
                body_html="<p>Thank you for contacting us. We have opened a case for you.</p>",
                idempotency_key=key,
                message_id=message_id_for(key),
                next_attempt_at=now,
                enqueued_at=now,
            )
        )
    Notification.objects.bulk_create(rows, batch_size=500)
    keys = [row.idempotency_key for row in rows]
    return list(Notification.objects.filter(idempotency_key__in=keys).values_list("pk", flat=True))


def notifications_enqueue(ids: Iterable[int]) -> None:
    """What notify()'s on-commit callback does for each row."""
    from tickets.tasks import notification_deliver

    with celery_app.producer_or_acquire() as producer:
        for notification_id in ids:
            notification_deliver.apply_async((notification_id,), producer=producer)


def outbox_counts(ids: Iterable[int] | None = None) -> dict[str, int]:
    """Rows by status: of `ids`, or of the whole outbox."""
    rows = Notification.objects.all() if ids is None else Notification.objects.filter(pk__in=ids)
    return dict(rows.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))


def sent_count() -> int:
    return Notification.objects.filter(status=Notification.Status.SENT).count()


def outbox_summary() -> str:
    attempts = dict(
        Notification.objects.values_list("attempts").annotate(n=Count("pk")).order_by("attempts")
    )
    errors = Notification.objects.exclude(last_error="").values_list("last_error", flat=True)[:3]
    return f"outbox: {outbox_counts()}, rows by attempts {attempts}, errors {list(errors)}"


# --- One test's processes ---------------------------------------------------------------------


@dataclass
class Delivery:
    """The processes of one test: an SMTP server, a broker, and the workers it starts."""

    mailbox: Mailbox
    smtp: SmtpServer
    broker: Broker
    folder: Path
    workers: list[Worker] = field(default_factory=list)

    def start_worker(self, *, concurrency: int = CONCURRENCY, **env: str) -> Worker:
        worker_env = {
            **os.environ,
            **self.broker.env,
            **WORKER_SETTINGS,
            "DJANGO_SETTINGS_MODULE": "aftersales.settings.test",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "DATABASE_URL": database_url(),
            "EMAIL_URL": self.smtp.url,
            **env,
        }
        log_path = self.folder / f"worker-{len(self.workers) + 1}.log"
        worker = Worker(env=worker_env, log_path=log_path, concurrency=concurrency)
        self.workers.append(worker)
        return worker.start()

    def stop_workers(self) -> None:
        # SIGKILL, not a warm shutdown: the test is over, and waiting for the pool costs seconds.
        for worker in self.workers:
            worker.kill()

    def sweep(self) -> None:
        """What beat does every 30 s: have a worker run the sweeper."""
        from tickets.tasks import notifications_sweep

        notifications_sweep.delay()

    def report(self) -> str:
        return "\n".join(
            [
                self.mailbox.summary(),
                outbox_summary(),
                f"broker: {self.broker.queued()} messages waiting",
                *(worker.log_tail() for worker in self.workers),
            ]
        )

    def wait_until(
        self,
        condition: Callable[[], bool],
        *,
        timeout: float,
        what: str,
        sweep_every: float | None = None,
        workers_must_live: bool = True,
    ) -> float:
        """Poll `condition` until it holds, sweeping every `sweep_every` seconds if given;
        fails with the processes' state and logs after `timeout` seconds, or at once when
        every worker has died (unless `workers_must_live` is false). Returns the wait."""
        start = last_sweep = time.monotonic()
        while not condition():
            now = time.monotonic()
            if now - start > timeout:
                pytest.fail(f"{what}: not within {timeout:.0f} s\n{self.report()}")
            if workers_must_live and self.workers and not any(w.alive for w in self.workers):
                pytest.fail(f"{what}: every worker died\n{self.report()}")
            if sweep_every is not None and now - last_sweep >= sweep_every:
                self.sweep()
                last_sweep = now
            time.sleep(0.2)
        return time.monotonic() - start

    def assert_each_sent_once(self, ids: list[int]) -> None:
        """Every row sent and its message accepted exactly once, under its own Message-ID."""
        rows = Notification.objects.filter(pk__in=ids)
        assert outbox_counts(ids) == {Notification.Status.SENT: len(ids)}, self.report()
        assert self.mailbox.repeats() == {}, self.report()
        for key, message_id in rows.values_list("idempotency_key", "message_id"):
            assert self.mailbox.message_ids[key] == {message_id}, key
            assert self.mailbox.copies[message_id] == 1, key


@contextmanager
def delivery_processes(folder: Path, *, redis_db: int) -> Iterator[Delivery]:
    """An SMTP server on 127.0.0.1, a broker of its own (see isolated_broker) and
    `start_worker()` for `celery worker` processes on the test database; all stopped after."""
    mailbox = Mailbox()
    smtp = SmtpServer(mailbox)
    smtp.start()
    try:
        with isolated_broker(folder / "broker", redis_db=redis_db) as broker:
            run = Delivery(mailbox=mailbox, smtp=smtp, broker=broker, folder=folder)
            try:
                yield run
            finally:
                run.stop_workers()
    finally:
        smtp.stop()
