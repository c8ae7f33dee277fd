"""The generator's extension point: per-batch steps that scenario apps register.

`tickets` never imports a scenario app, so the generator cannot know about shipments, returns
or wrong-item reports. An app that adds models registers a step from its `AppConfig.ready()`::

    from tickets.loadgen import Batch, loadgen_step_register

    def shipments_rows(batch: Batch) -> None:
        rows = [
            (case.order_id, batch.sink.ts(case.created_at - 86_400), ...)
            for case in batch.cases
            if case.kind == "shipment_issue" and case.order_id is not None
        ]
        batch.sink.write(Shipment, ("order_id", "shipped_at", ...), rows)

    loadgen_step_register("shipments", shipments_rows)

Each step runs once per batch, after the spine's rows of the batch are written and inside the
batch's transaction: an interrupted batch is rolled back whole, steps included, and is made
again on the next run. A step must draw every random choice from `batch.rng` (seeded by the
run's seed, the step's name and the batch's first case) or from its own `random.Random`
seeded with `batch.seed` and `case.index` (then a data set extended from a smaller N gets
exactly the rows of a straight run, as the spine's do), must not read the batch's rows back
from the database (on PostgreSQL another connection commits them), and must write only
through `batch.sink`, so that it gets COPY on PostgreSQL for free."""

import random
from collections.abc import Callable
from dataclasses import dataclass

from .sink import Sink


@dataclass(frozen=True, slots=True)
class ShopOrder:
    """The order generated with a case (order `i` with case `i`), also where a general question
    is not about it: for steps that add what every order has (its parcels). `value` is its
    goods value in `currency` as a decimal string; `placed_at` whole seconds since the epoch."""

    id: int
    placed_at: int
    country: str
    currency: str
    value: str
    insured: bool


@dataclass(frozen=True, slots=True)
class GeneratedCase:
    """One case the batch made. Times are whole seconds since the epoch (UTC): pass them to
    `Sink.ts()` to write them."""

    id: int
    index: int
    kind: str
    status: str
    customer_id: int
    order_id: int | None
    language: str
    created_at: int
    resolved_at: int | None
    shop_order: ShopOrder | None = None


@dataclass(frozen=True)
class Batch:
    """What a step gets: the batch's cases, its own random source and the sink. `now` is the
    data set's "now" (epoch seconds): nothing generated may happen after it; `seed` is the
    run's seed."""

    cases: list[GeneratedCase]
    rng: random.Random
    sink: Sink
    now: int
    seed: int


BatchStep = Callable[[Batch], None]

_STEPS: dict[str, BatchStep] = {}


def loadgen_step_register(name: str, step: BatchStep) -> None:
    """Run `step` for every batch the generator writes; `name` (the app's label) seeds its
    random source. Raises ValueError if another step already has the name."""
    if _STEPS.get(name, step) is not step:
        raise ValueError(f"A load data step named {name!r} is already registered.")
    _STEPS[name] = step


def loadgen_steps() -> list[tuple[str, BatchStep]]:
    """The registered steps in the order they run (by name, so runs do not depend on the
    order the apps start in)."""
    return sorted(_STEPS.items())
