"""Running the generator: the refusal rule, the generated staff, batches and resuming."""

import random
import re
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from tickets.models import Case, Customer, Order, SLAPolicy, Team

from . import world
from .registry import Batch, loadgen_steps
from .rows import CUSTOMERS_PER_GROUP, GROUP, Generator, Staff
from .sink import Sink

# Cases per batch (and transaction): big enough that COPY's per-statement cost disappears,
# small enough that an interrupted run loses seconds, not minutes. A multiple of GROUP.
BATCH = 5_000
# Agents per language team: 36 in all.
AGENTS = {"en": 12, "de": 7, "fr": 6, "es": 6, "zh-hans": 5}
TEAM_NAMES = {
    "en": "Loadgen English",
    "de": "Loadgen Deutsch",
    "fr": "Loadgen Français",
    "es": "Loadgen Español",
    "zh-hans": "Loadgen 中文",
}
# The English team's description records the data set's seed and "now", so that a later run
# continues the same history.
MARKER = re.compile(r"seed (?P<seed>-?\d+), now (?P<now>\d+)")
DEFAULT_SLA = (8 * 60, 3 * 24 * 60)


class LoadDataError(Exception):
    """The generator will not run: real data in the database, or another seed's data set."""


@dataclass(frozen=True)
class Outcome:
    """What a run found and did."""

    before: int
    after: int
    rows: int


def foreign_data() -> list[str]:
    """What in the database the generator did not make: customers whose email is not at
    world.EMAIL_DOMAIN and orders of another store than world.STORE. A case always belongs to
    a customer, so the customer rule covers the cases too."""
    found = []
    customers = Customer.objects.exclude(email__endswith=f"@{world.EMAIL_DOMAIN}")
    if customers.exists():
        found.append("customers not @" + world.EMAIL_DOMAIN)
    if Order.objects.exclude(store=world.STORE).exists():
        found.append(f"orders of stores other than {world.STORE!r}")
    return found


def generated_cases() -> int:
    """How many cases earlier runs made (each batch commits whole, so they are the first
    ones of the data set)."""
    return Case.objects.filter(customer__email__endswith=f"@{world.EMAIL_DOMAIN}").count()


def load_data_generate(
    *,
    cases: int,
    seed: int = 1,
    allow_real_data: bool = False,
    progress: Callable[[int], None] = lambda done: None,
    started: Callable[[int, int], None] = lambda before, target: None,
) -> Outcome:
    """Make the data set hold `cases` generated cases with everything around them, writing
    what is missing in batches of BATCH cases, each in its own transaction. `started` is told
    how many cases exist and are wanted before the first batch, `progress` how many each batch
    added. Raises LoadDataError if the database holds data the generator did not make (unless
    `allow_real_data`) or a data set made with another seed."""
    if not allow_real_data and (found := foreign_data()):
        raise LoadDataError(
            "The database holds data the generator did not make ("
            + ", ".join(found)
            + "). Run it on an empty database, or pass --allow-real-data."
        )
    with transaction.atomic():
        staff, now = _staff(seed)
    before = generated_cases()
    started(before, cases)
    if before >= cases:
        return Outcome(before=before, after=before, rows=0)
    sla = {
        (kind, priority): (first, resolution)
        for kind, priority, first, resolution in SLAPolicy.objects.values_list(
            "kind", "priority", "first_response_minutes", "resolution_minutes"
        )
    }
    for kind in Case.Kind.values:
        for priority in Case.Priority.values:
            sla.setdefault((kind, priority), DEFAULT_SLA)
    generator = Generator(seed=seed, now=now, staff=staff, sla=sla)
    sink = Sink()
    batches = []
    start = before
    while start < cases:
        stop = min((start // BATCH + 1) * BATCH, cases)
        batches.append((start, stop))
        start = stop

    generator.customer_ids.update(_split_group(before))

    def make(start: int, stop: int) -> None:
        made = generator.batch(start=start, stop=stop, sink=sink)
        for name, step in loadgen_steps():
            rng = random.Random(f"{seed}:{name}:{start}")
            step(Batch(cases=made, rng=rng, sink=sink, now=now, seed=seed))

    # Inside a transaction (a test) another connection would not see its rows: stay in it.
    if not sink.postgres or connection.in_atomic_block:
        for start, stop in batches:
            with transaction.atomic():
                make(start, stop)
                sink.flush(sink.take())
                sink.reset_sequences()
            progress(stop - start)
        return Outcome(before=before, after=cases, rows=sink.rows_written)

    # On PostgreSQL a second thread (with its own connection) copies and commits batch k while
    # this one generates batch k + 1: the database's work and Python's overlap. At most one
    # batch waits, so memory stays bounded; an interrupted run still commits only whole
    # batches.
    with ThreadPoolExecutor(max_workers=1) as writer:
        pending: tuple[Future[None], int] | None = None
        try:
            for start, stop in batches:
                make(start, stop)
                work = sink.take()
                if pending is not None:
                    pending[0].result()
                    progress(pending[1])
                pending = (writer.submit(_commit, sink, work), stop - start)
            if pending is not None:
                pending[0].result()
                progress(pending[1])
        finally:
            if pending is not None:
                pending[0].exception()  # waits: a batch handed over is committed whole
            writer.submit(_close_connection).result()
    return Outcome(before=before, after=cases, rows=sink.rows_written)


def _commit(sink: Sink, work: list[tuple[str, str]]) -> None:
    with transaction.atomic():
        sink.flush(work)
        sink.reset_sequences()


def _close_connection() -> None:
    # `connection` is per thread: this closes the writer thread's own.
    connection.close()


def _split_group(start: int) -> dict[int, int]:
    """The customers of a group an earlier run began (it stopped inside the group), by index."""
    group = start // GROUP
    if start == group * GROUP:
        return {}
    first = group * CUSTOMERS_PER_GROUP
    emails = {
        f"customer{index:08d}@{world.EMAIL_DOMAIN}": index
        for index in range(first, first + CUSTOMERS_PER_GROUP)
    }
    return {
        emails[email]: pk
        for email, pk in Customer.objects.filter(email__in=emails).values_list("email", "pk")
    }


def _staff(seed: int) -> tuple[Staff, int]:
    """The generated teams and agents, made on the first run; and the data set's "now"
    (epoch seconds), recorded then. Raises LoadDataError for another seed's data set."""
    marker = Team.objects.filter(name=TEAM_NAMES["en"]).first()
    if marker is not None and (match := MARKER.search(marker.description)):
        if int(match["seed"]) != seed:
            raise LoadDataError(
                f"This database holds load data made with --seed {match['seed']}; "
                f"run with that seed, or start from an empty database."
            )
        now = int(match["now"])
    else:
        now = int(timezone.now().timestamp())
    stamp = datetime.fromtimestamp(now, UTC).isoformat()
    user_model = get_user_model()
    agents_group = Group.objects.filter(name="Agents").first()
    teams: dict[str, int] = {}
    agents: dict[str, list[int]] = {}
    for language, size in AGENTS.items():
        team, _ = Team.objects.get_or_create(
            name=TEAM_NAMES[language], defaults={"languages": [language]}
        )
        if language == "en" and not MARKER.search(team.description):
            team.description = f"Generated load data: seed {seed}, now {now} ({stamp})"
            team.save(update_fields=["description"])
        teams[language] = team.pk
        agents[language] = []
        for number in range(1, size + 1):
            username = f"{world.AGENT_PREFIX}{language}-{number:02d}"
            user = user_model.objects.filter(username=username).first()
            if user is None:
                user = user_model(
                    username=username,
                    email=f"{username}@{world.EMAIL_DOMAIN}",
                    first_name=world.FIRST_NAMES[language][number % 10],
                    last_name=world.LAST_NAMES[language][(number * 3) % 10],
                )
                user.set_unusable_password()
                user.save()
                team.members.add(user)
                if agents_group is not None:
                    user.groups.add(agents_group)
            agents[language].append(user.pk)
    return Staff(teams=teams, agents=agents), now
