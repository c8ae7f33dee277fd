"""The demo's extension point: what scenario apps add to `manage.py seed_demo`.

`tickets` never imports a scenario app, so the demo cannot know about shipments or return
labels. An app that has demo data of its own registers a seeder from its `AppConfig.ready()`::

    from tickets.demo_seeders import DemoContext, demo_seeder_register

    def shipments_seed(context: DemoContext) -> str:
        ...  # make the app's rows for context.orders, through its services
        return "Demo shipments: 180 parcels, 1,012 tracking events."

    demo_seeder_register("shipments", shipments_seed)

Seeders run by name, after the spine's demo (users, orders, cases) is written, in the same
transaction; a seeder that builds on another's rows names it in `after` (returns' labels come
after shipments' parcels); each returns a line for the command's summary (or ""). A seeder must be
deterministic (its choices from `random.Random(f"{context.seed}:<name>")`) and safe to run
again: a second `seed_demo` must leave the demo as it is."""

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import overload

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db.models import Model
from django.utils import timezone
from PIL import Image

from tickets.models import Case, CaseEvent, Compensation, Message, Notification, Order
from tickets.services.evidence import evidence_prepare
from tickets.services.sla import running_targets, sla_on_open, sla_on_status
from tickets.services.timeline import Verb


@dataclass(frozen=True)
class DemoContext:
    """What a seeder gets: the demo's orders by number, the numbers of the orders the spine's
    demo cases are about, the demo agent and supervisor, "now" at seed time and the seed."""

    orders: dict[str, Order]
    case_orders: frozenset[str]
    agent: User
    supervisor: User
    now: datetime
    seed: int


DemoSeeder = Callable[[DemoContext], str]
# Where a time of the play lands in the demo's past (a Replay, or a seeder's own mover).
Move = Callable[[datetime | None], datetime | None]

# The history of each row that belongs to a case; scheduling fields (a notification's next
# attempt, its claim) say when the worker acts and stay as they are.
CASE_HISTORY_FIELDS: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
    (Message, ("created_at",)),
    (CaseEvent, ("created_at",)),
    (Notification, ("created_at", "sent_at")),
    (Compensation, ("created_at", "approved_at", "issued_at")),
)


def case_history_move(case: Case, move: Move) -> None:
    """Move every time in `case`'s history (its messages, events, notifications and
    compensations) by `move`: a seeder that plays a case now and dates it in the past moves its
    timeline with it, so that the workspace shows the customer's words when the case opened."""
    for model, names in CASE_HISTORY_FIELDS:
        rows = list(model._default_manager.filter(case=case))
        for row in rows:
            for name in names:
                setattr(row, name, move(getattr(row, name)))
        model._default_manager.bulk_update(rows, names)


# The case's own times that playing it at seeding stamped: case_date_back moves them.
PLAYED_CASE_TIMES = (
    "first_responded_at",
    "resolved_at",
    "closed_at",
    "updated_at",
    "satisfaction_at",
    "sla_paused_at",
)


class Replay:
    """How a seeder dates back what it played at seeding time, step by step: `mark(planned)`
    before each step of the play says that what it stamps from then on happened at `planned`
    (as much later as it was played). A time before the first mark stays as it is: one the
    seeder gave on purpose, such as a parcel's scan."""

    def __init__(self) -> None:
        self.marks: list[tuple[datetime, datetime]] = []

    def mark(self, planned: datetime, played: datetime | None = None) -> None:
        """From `played` (now, by default) on, the play's times map onto `planned`."""
        self.marks.append((played or timezone.now(), planned))

    @overload
    def __call__(self, moment: datetime) -> datetime: ...

    @overload
    def __call__(self, moment: None) -> None: ...

    def __call__(self, moment: datetime | None) -> datetime | None:
        if moment is None:
            return None
        for played, planned in reversed(self.marks):
            if moment >= played:
                return planned + (moment - played)
        return moment


def case_date_back(case: Case, replay: Replay) -> None:
    """Date `case`, played at seeding, back by `replay`: its opening, the times it stamped and
    its history (case_history_move); its due times as its clocks would have run on that
    history (_clocks_replayed)."""
    opened = replay(case.created_at)
    Case.objects.filter(pk=case.pk).update(
        created_at=opened,
        **{name: replay(getattr(case, name)) for name in PLAYED_CASE_TIMES},
        **_clocks_replayed(case, opened, replay),
    )
    case_history_move(case, replay)


def _clocks_replayed(case: Case, opened: datetime, replay: Replay) -> dict[str, datetime | None]:
    """The due times of `case` had it opened at `opened` and moved status at its status
    events' moved times: each wait pushes the running targets forward, as sla_on_status does,
    and the first response stops its target at its moved time. The soonest runs (sla_due)
    where it ran when the case was played."""
    clock = Case(kind=case.kind, priority=case.priority, status=Case.Status.NEW)
    sla_on_open(case=clock, now=opened)
    answered = replay(case.first_responded_at)
    moves = CaseEvent.objects.filter(case=case, verb=Verb.STATUS_CHANGED).order_by("created_at")
    for event in moves:
        at = replay(event.created_at)
        if answered is not None and answered <= at:
            clock.first_responded_at = answered
        previous, clock.status = clock.status, event.data["status"]
        sla_on_status(case=clock, previous=previous, now=at)
    clock.first_responded_at = answered
    running = running_targets(clock) if case.sla_due is not None else {}
    return {
        "first_response_due": clock.first_response_due,
        "resolution_due": clock.resolution_due,
        "sla_due": min(running.values(), default=None),
    }


_SEEDERS: dict[str, tuple[DemoSeeder, tuple[str, ...]]] = {}


def demo_photo(name: str) -> list["UploadedFile[bytes]"]:
    """A customer's photo for a demo claim: a small plain picture, through the evidence check
    like any upload."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 90, 40)).save(buffer, "JPEG")
    return evidence_prepare([SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")])


def demo_seeder_register(name: str, seeder: DemoSeeder, *, after: tuple[str, ...] = ()) -> None:
    """Run `seeder` in every `seed_demo`, after the seeders named in `after`; raises ValueError
    if another has the name."""
    if _SEEDERS.get(name, (seeder, after))[0] is not seeder:
        raise ValueError(f"A demo seeder named {name!r} is already registered.")
    _SEEDERS[name] = (seeder, after)


def demo_seeders() -> list[tuple[str, DemoSeeder]]:
    """The registered seeders in the order they run: by name, each after those it names in
    `after` (a name no seeder has is ignored)."""
    ordered: list[tuple[str, DemoSeeder]] = []
    placed: set[str] = set()

    def place(name: str, path: tuple[str, ...]) -> None:
        if name in placed or name not in _SEEDERS:
            return
        if name in path:
            raise ValueError(f"Demo seeders wait for each other: {' → '.join((*path, name))}.")
        seeder, after = _SEEDERS[name]
        for first in sorted(after):
            place(first, (*path, name))
        placed.add(name)
        ordered.append((name, seeder))

    for name in sorted(_SEEDERS):
        place(name, ())
    return ordered
