"""The shipments part of `manage.py seed_demo` (registered in apps.py with tickets'
demo_seeders): parcels for the demo orders along the simulator's scripts, their tracking
through the one intake, then a detection pass, so the demo shows every rule and a lost parcel
settled both ways (one refunded, one replaced).

Each script gets an order of a customer abroad (the parcels leave from DE), shipped long
enough ago to stand where its rule fires (`SCRIPTED`); every other demo order placed more than
a day ago has a parcel delivered on time, and one order stays unshipped past the handling
time. Choices come from the orders' numbers and `random.Random(f"{seed}:shipments")`, ages
from "now" at seed time: two databases get the same parcels. The shipments are made once: a
database whose demo orders have any keeps them as they are."""

import io
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module
from importlib.util import find_spec

from django.core.management import call_command, get_commands

from shipments.adapters.simulator import simulate, tracking_number_for
from shipments.models import Carrier, Shipment, TrackingEvent
from shipments.services.intake import events_record
from tickets.demo_seeders import DemoContext
from tickets.models import Case, Message, Order
from tickets.services.compensations import compensation_approve, compensation_mark_issued
from tickets.services.messages import message_add

ORIGIN = "DE"
DEMO_CARRIER = {"code": "simulator", "name": "Demo Post (simulated)"}
# (script, days since shipping, how many): each parcel old enough for its rule to fire with
# detection's default thresholds (international: stalled after 10 days, lost after 20).
SCRIPTED: tuple[tuple[str, float, int], ...] = (
    ("on_time", 1.5, 2),  # in transit, on time: no finding
    ("late", 10, 1),
    ("customs_documents", 9, 1),
    ("customs_duties", 4, 1),
    ("stalled", 14, 1),
    ("lost", 18, 3),  # one left to the agent, one refunded, one replaced
    ("lost_silent", 26, 1),
    ("delivery_failed", 5, 1),
    ("pickup_waiting", 10, 1),
    ("return_to_sender", 7, 1),
    ("unknown_tracking", 4, 1),
)
# An order placed this long ago without a parcel is "not dispatched in time".
UNSHIPPED_DAYS = 5
HANDLING = timedelta(hours=20)
TRANSIT_DAYS = {"domestic": 3, "international": 6}


@dataclass(frozen=True)
class Parcel:
    order: Order
    tracking_number: str
    shipped_at: datetime
    script: str


def shipments_demo_seed(context: DemoContext) -> str:
    """Make the demo's parcels and their tracking, run detection, settle two lost parcels;
    returns the summary line ("" when the demo already has its parcels)."""
    orders = context.orders
    if Shipment.objects.filter(order__in=orders.values()).exists():
        return ""
    carrier, _ = Carrier.objects.get_or_create(
        code=DEMO_CARRIER["code"], defaults={"name": DEMO_CARRIER["name"]}
    )
    parcels = _plan(context)
    shipments = Shipment.objects.bulk_create(
        _shipment(parcel, carrier, index) for index, parcel in enumerate(parcels)
    )
    events = 0
    for parcel, shipment in zip(parcels, shipments, strict=True):
        tracked = simulate(parcel.tracking_number, shipped_at=parcel.shipped_at, now=context.now)
        if tracked:
            source = TrackingEvent.Source.SIMULATOR
            events += events_record(shipment=shipment, events=tracked, source=source).stored
    Shipment.objects.filter(pk__in=[s.pk for s in shipments]).update(polled_at=context.now)
    detected = _detect()
    _note_detected(context)
    settled = _settle_lost(
        [s for p, s in zip(parcels, shipments, strict=True) if p.script == "lost"][1:],
        context,
    )
    return (
        f"Demo shipments: {len(shipments)} parcels along the simulator's scripts, "
        f"{events} tracking events; {detected}; {settled}."
    )


def _plan(context: DemoContext) -> list[Parcel]:
    """Which order gets which parcel: the scripted ones first (orders abroad without a demo
    case, old enough for the parcel's age), then an on-time parcel for every other order
    placed more than a day ago, but one."""
    rng = random.Random(f"{context.seed}:shipments")  # noqa: S311 - seeded on purpose: same demo
    now = context.now
    free = sorted(
        (o for n, o in context.orders.items() if n not in context.case_orders),
        key=lambda order: order.number,
    )
    rng.shuffle(free)
    parcels, used = [], set()
    for script, days, count in SCRIPTED:
        for serial in range(1, count + 1):
            shipped_at = now - timedelta(days=days)
            order = next(
                (
                    o
                    for o in free
                    if o.number not in used
                    and o.shipping_country != ORIGIN
                    and o.placed_at <= shipped_at - HANDLING
                ),
                None,
            )
            if order is None:
                continue
            used.add(order.number)
            number = tracking_number_for(script, serial)
            parcels.append(Parcel(order, number, shipped_at, script))
    unshipped = next(
        (
            o
            for o in free
            if o.number not in used
            and now - timedelta(days=UNSHIPPED_DAYS + 3) <= o.placed_at
            and o.placed_at <= now - timedelta(days=UNSHIPPED_DAYS)
        ),
        None,
    )
    for number, order in sorted(context.orders.items()):
        if number in used or order is unshipped or order.placed_at > now - timedelta(days=1):
            continue
        serial = int("".join(filter(str.isdigit, number)) or 0)
        parcels.append(
            Parcel(order, tracking_number_for("on_time", serial), order.placed_at + HANDLING, "")
        )
    return parcels


def _shipment(parcel: Parcel, carrier: Carrier, index: int) -> Shipment:
    order = parcel.order
    destination = order.shipping_country or ORIGIN
    transit = TRANSIT_DAYS["domestic" if destination == ORIGIN else "international"]
    insured = order.insured or parcel.script == "lost"
    return Shipment(
        order=order,
        carrier=carrier,
        tracking_number=parcel.tracking_number,
        shipped_at=parcel.shipped_at,
        promised_delivery_date=(parcel.shipped_at + timedelta(days=transit)).date(),
        origin_country=ORIGIN,
        destination_country=destination,
        insured=insured,
        insured_value=order.total if insured else None,
        insured_currency=order.currency if insured else "",
        created_at=parcel.shipped_at - timedelta(hours=2),
        updated_at=parcel.shipped_at,
        check_at=parcel.shipped_at,
        external_id=f"demo-fulfilment-{index + 1}",
    )


DEMO_ANNOUNCE_LIMIT = 1000


def _detect() -> str:
    """A detection pass over the demo, once the detection command is installed."""
    if "detect_shipment_issues" not in get_commands():
        return "detection not installed"
    out = io.StringIO()
    # Announced at once: the demo's cases are there when `make run` opens the dashboard.
    call_command("detect_shipment_issues", f"--announce-limit={DEMO_ANNOUNCE_LIMIT}", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    return "detection: " + (lines[-1] if lines else "nothing found")


# What the demo agent notes on a case detection opened (internal, in English: the language
# every team shares, as the spine's demo notes).
DETECTED_NOTE = (
    "Opened by shipment detection ({rules}). Checked the carrier's tracking; watching it and "
    "the customer has been told."
)


def _note_detected(context: DemoContext) -> None:
    """An internal note by the demo agent on each case detection opened, as an agent who
    looked at it would leave (every demo case has a message)."""
    cases = (
        Case.objects.filter(
            order__in=context.orders.values(),
            kind=Case.Kind.SHIPMENT_ISSUE,
            shipment_findings__isnull=False,
            messages__isnull=True,
        )
        .distinct()
        .prefetch_related("shipment_findings")
    )
    for case in cases:
        rules = ", ".join(sorted({str(f.get_rule_display()) for f in case.shipment_findings.all()}))
        message_add(
            case=case,
            body=DETECTED_NOTE.format(rules=rules or "a tracking problem"),
            author_kind=Message.Author.AGENT,
            actor=context.agent,
            visibility=Message.Visibility.INTERNAL,
        )


def _settle_lost(shipments: list[Shipment], context: DemoContext) -> str:
    """Declare two lost parcels lost as the agent; one customer takes a refund, the other a
    replacement (shipped expedited), through the lost-parcel flow once it is installed."""
    if find_spec("shipments.services.lost") is None or len(shipments) < 2:
        return "the lost-parcel flow is not installed"
    lost = import_module("shipments.services.lost")
    for shipment, outcome in zip(shipments, ("refund", "replacement"), strict=False):
        shipment.refresh_from_db()
        lost.shipment_declare_lost(shipment=shipment, actor=context.agent)
        replacement = f"SIM-ON-TIME-R{shipment.pk:04d}" if outcome == "replacement" else ""
        compensation = lost.lost_outcome_choose(
            shipment=shipment, outcome=outcome, actor=None, tracking_number=replacement
        )
        if compensation.needs_supervisor:
            compensation = compensation_approve(compensation=compensation, actor=context.supervisor)
        if outcome == "refund":
            compensation_mark_issued(
                compensation=compensation,
                actor=context.agent,
                external_reference=f"DEMO-{shipment.order.number}",
            )
    return "two lost parcels settled: one refunded, one replaced"
