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

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Model

from tickets.models import Case, CaseEvent, Compensation, Message, Notification, Order


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

# The history of each row that belongs to a case; scheduling fields (a notification's next
# attempt, its claim) say when the worker acts and stay as they are.
CASE_HISTORY_FIELDS: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
    (Message, ("created_at",)),
    (CaseEvent, ("created_at",)),
    (Notification, ("created_at", "sent_at")),
    (Compensation, ("created_at", "approved_at", "issued_at")),
)


def case_history_move(case: Case, move: Callable[[datetime | None], datetime | None]) -> None:
    """Move every time in `case`'s history (its messages, events, notifications and
    compensations) by `move`: a seeder that plays a case now and dates it in the past moves its
    timeline with it, so that the workspace shows the customer's words when the case opened."""
    for model, names in CASE_HISTORY_FIELDS:
        rows = list(model._default_manager.filter(case=case))
        for row in rows:
            for name in names:
                setattr(row, name, move(getattr(row, name)))
        model._default_manager.bulk_update(rows, names)


_SEEDERS: dict[str, tuple[DemoSeeder, tuple[str, ...]]] = {}


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
