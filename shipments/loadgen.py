"""The shipments step of `manage.py generate_load_data` (tickets/loadgen, registered in
apps.py): every generated order's parcel with its tracking history, so that at `--cases N`
the data set holds about N shipments and 11N tracking events.

A parcel leaves a few hours to a day and a half after its order was placed, from DE, CN or US,
with one of nine carriers, and follows a fate: orders whose case is not about shipping arrive,
mostly on time; a shipment-issue case's parcel was late, held in customs, stalled, lost, failed
delivery, waited at a pickup point, went back to its sender, met an exception or was never
scanned. Its full timeline is drawn, then cut at the data set's "now", so old parcels ended
(delivered, lost, cancelled: a never-used label, or a parcel back with its sender) and recent
ones stand anywhere on the way: in transit, in customs, stalled for days, some past their
promised date: the few thousand in a million that detection has to look at. A lost parcel
whose case is settled was replaced (a second, expedited shipment) half the time. One recent
order in a hundred waits unshipped ("not dispatched"). A lost parcel of a shipment-issue case
has its open "presumed lost" finding on the case, as detection left it.

Rows go through the batch's sink (COPY on PostgreSQL); columns this module does not fill get
their model default, so a later migration's new field does not break the generator."""

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary

from django.db import models

from shipments.models import Carrier, Finding, Shipment, ShipmentStatus, TrackingEvent
from shipments.services.carriers import KNOWN
from tickets.loadgen import Batch, GeneratedCase, ShopOrder, Sink

S = ShipmentStatus
HOUR, DAY = 3600, 86_400
# The case kind whose parcels went wrong.
SHIPMENT_ISSUE = "shipment_issue"

# (our carrier code, tracking number prefix, weight); names and tracking pages as the intake
# knows them (shipments/services/carriers.py).
CARRIERS = (
    ("dhl_express", "JD", 25),
    ("ups", "1Z", 15),
    ("fedex", "FX", 10),
    ("dpd", "DP", 10),
    ("usps", "94", 8),
    ("royalmail", "RM", 7),
    ("colissimo", "6A", 7),
    ("gls", "GL", 6),
    ("dhl_ecommerce", "GM", 12),
)
ORIGINS = ("DE",) * 7 + ("CN",) * 2 + ("US",)
SOURCES = ("easypost",) * 8 + ("aftership",) * 7 + ("generic",) * 3 + ("poll",) * 2
# A shipment-issue case's parcel, by what went wrong (weights).
FATES = (
    ("late", 35), ("customs", 15), ("stalled", 10), ("lost", 12), ("delivery_failed", 10),
    ("pickup", 5), ("return", 5), ("exception", 5), ("unknown", 3),
)  # fmt: skip
FATE_DRAW = [fate for fate, weight in FATES for _ in range(weight)]
CUSTOMS_REASONS = (
    ("customs_documents", "documents", "Customs needs a commercial invoice"),
    ("customs_duties", "duties", "Import duties and taxes to be paid"),
    ("customs_delay", "held", "Held by customs"),
    ("customs_inspection", "inspection", "Customs inspection"),
)
UNSHIPPED = 0.01

SHIPMENT_COLUMNS = (
    "id", "order_id", "direction", "carrier_id", "service_level", "tracking_number",
    "external_id", "status", "incident_reason", "shipped_at", "promised_delivery_date",
    "revised_estimate", "delivered_at", "first_scan_at", "last_event_at", "origin_country",
    "destination_country", "customs_state", "customs_since", "insured", "insured_value",
    "insured_currency", "declared_lost_at", "issue_case_id", "case_id", "check_at",
    "created_at", "updated_at",
)  # fmt: skip
EVENT_COLUMNS = (
    "shipment_id", "occurred_at", "status", "incident_reason", "raw_status", "message",
    "location", "source", "external_id", "payload", "created_at",
)  # fmt: skip
FINDING_COLUMNS = ("rule", "order_id", "shipment_id", "case_id", "data", "found_at", "cleared_at")

# One step of a timeline: (time, status, incident reason, raw code, message, location).
Step = tuple[int, str, str, str, str, str]

_CARRIER_IDS: "WeakKeyDictionary[Sink, list[tuple[int, str]]]" = WeakKeyDictionary()


def shipments_rows(batch: Batch) -> None:
    """The batch's parcels and tracking events, written through `batch.sink`."""
    sink = batch.sink
    carriers = _carriers(sink)
    ids = sink.ids(Shipment)
    shipment_columns, shipment_tail = _with_defaults(Shipment, SHIPMENT_COLUMNS, sink)
    event_columns, event_tail = _with_defaults(TrackingEvent, EVENT_COLUMNS, sink)
    finding_columns, finding_tail = _with_defaults(Finding, FINDING_COLUMNS, sink)
    shipments: list[tuple[Any, ...]] = []
    findings: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    rng = batch.rng
    for case in batch.cases:
        order = case.shop_order
        if order is None:
            continue
        if order.placed_at > batch.now - 7 * DAY and rng.random() < UNSHIPPED:
            continue
        fate = rng.choice(FATE_DRAW) if case.kind == SHIPMENT_ISSUE else _ordinary(rng)
        shipped = min(order.placed_at + rng.randint(2 * HOUR, 36 * HOUR), batch.now - 600)
        parcel = _Parcel(rng, sink, batch.now, case, order, carriers, ids.take())
        status = parcel.write(fate, shipped, shipments, events, shipment_tail, event_tail)
        if status == S.LOST and case.kind == SHIPMENT_ISSUE:
            # Detection saw the loss when it happened: its finding is open on the case, as in
            # a database beat has been running on (the first pass finds only what is new).
            findings.append(
                (Finding.Rule.PRESUMED_LOST.value, order.id, parcel.id, case.id, "{}",
                 sink.ts(parcel.last_event or shipped), None, *finding_tail)
            )  # fmt: skip
        if (
            status == S.LOST
            and case.kind == SHIPMENT_ISSUE
            and case.resolved_at is not None
            and rng.random() < 0.5
        ):
            replacement = _Parcel(rng, sink, batch.now, case, order, carriers, ids.take())
            replacement.replacement = True
            replacement.write(
                "on_time", case.resolved_at, shipments, events, shipment_tail, event_tail
            )
    sink.write(Shipment, shipment_columns, shipments)
    sink.write(TrackingEvent, event_columns, events)
    sink.write(Finding, finding_columns, findings)


def _ordinary(rng: Any) -> str:
    return "late" if rng.random() < 0.04 else "on_time"


class _Parcel:
    """One shipment being drawn: its timeline, cut at "now", and its row."""

    def __init__(
        self,
        rng: Any,
        sink: Sink,
        now: int,
        case: GeneratedCase,
        order: ShopOrder,
        carriers: list[tuple[int, str]],
        shipment_id: int,
    ) -> None:
        self.rng, self.sink, self.now, self.case, self.order = rng, sink, now, case, order
        self.carrier_id, self.prefix = rng.choice(carriers)
        self.id = shipment_id
        self.origin = rng.choice(ORIGINS)
        self.international = self.origin != order.country
        self.replacement = False
        self.last_event: int | None = None

    def write(
        self,
        fate: str,
        shipped: int,
        shipments: list[tuple[Any, ...]],
        events: list[tuple[Any, ...]],
        shipment_tail: tuple[Any, ...],
        event_tail: tuple[Any, ...],
    ) -> str:
        """Append the shipment's row and its events' rows; returns its status."""
        rng, ts, now = self.rng, self.sink.ts, self.now
        transit = (
            rng.randint(4, 10) if self.international else rng.randint(1, 4)
        ) * DAY - self.replacement * DAY
        promised = shipped + transit
        steps, estimate = self._timeline(fate, shipped, transit)
        steps = [step for step in steps if step[0] <= now]
        source = rng.choice(SOURCES)
        first_scan = last_event = delivered = customs_since = declared = None
        status, reason, customs = S.PENDING.value, "", ""
        for n, (at, step_status, step_reason, raw, message, location) in enumerate(steps):
            stamp = ts(at)
            events.append(
                (
                    self.id, stamp, step_status, step_reason, raw, message, location, source,
                    f"lg-{self.id}-{n}", "{}", stamp, *event_tail,
                )
            )  # fmt: skip
            if first_scan is None and step_status not in (S.INFO_RECEIVED, S.PENDING):
                first_scan = at
            last_event, status, reason = at, step_status, step_reason
            if step_status == S.CUSTOMS_HOLD:
                customs, customs_since = _customs_state(step_reason), at
            elif customs:
                customs = "released"
        if status == S.DELIVERED:
            delivered = last_event
        open_ = status not in (S.DELIVERED, S.LOST, S.CANCELLED)
        if status != S.CUSTOMS_HOLD:
            customs_since = None
        if status == S.LOST:
            declared = last_event
        self.last_event = last_event
        case = self.case
        order = self.order
        insured = order.insured or self.replacement
        shipments.append(
            (
                self.id, order.id,
                "replacement" if self.replacement else "outbound",
                self.carrier_id,
                "expedited" if self.replacement else "standard",
                f"{self.prefix}{self.id:010d}", "", status, reason, ts(shipped),
                _date(promised), _date(estimate) if estimate else None,
                ts(delivered) if delivered else None,
                ts(first_scan) if first_scan else None,
                ts(last_event) if last_event else None,
                self.origin, order.country, customs,
                ts(customs_since) if customs_since else None,
                insured, order.value if insured else None, order.currency if insured else "",
                ts(declared) if declared else None,
                case.id if case.kind == SHIPMENT_ISSUE and not self.replacement else None,
                case.id if self.replacement else None,
                ts(last_event or shipped) if open_ else None,
                ts(shipped - HOUR), ts(last_event or shipped), *shipment_tail,
            )
        )  # fmt: skip
        return status

    def _timeline(self, fate: str, shipped: int, transit: int) -> tuple[list[Step], int | None]:
        """Every event the parcel will have (some after "now"), and a revised estimate."""
        rng = self.rng
        origin = f"{self.origin} export hub"
        destination = f"{self.order.country} import hub"
        depot = f"{self.order.country} delivery depot"
        steps: list[Step] = [
            (shipped - 2 * HOUR, S.INFO_RECEIVED, "", "IR", "Shipment information received",
             origin),
            (shipped + 3 * HOUR, S.IN_TRANSIT, "", "PU", "Picked up by the carrier", origin),
        ]  # fmt: skip
        estimate = None
        if fate == "late":
            delay = rng.randint(3, 15) * DAY
            steps.append(
                (shipped + transit // 2, S.IN_TRANSIT, "carrier_delay", "DL",
                 "Delayed in the carrier's network", origin)
            )  # fmt: skip
            transit += delay
            estimate = shipped + transit + DAY
        scans = rng.randint(4, 10)
        start, end = shipped + 4 * HOUR, shipped + transit - 8 * HOUR
        if fate in ("stalled", "lost"):
            end = shipped + rng.randint(1, 4) * DAY
        for k in range(scans):
            at = start + (end - start) * (k + 1) // (scans + 1)
            where = origin if k < scans // 2 else destination
            steps.append((at, S.IN_TRANSIT, "", "AR", "Arrived at a sort facility", where))
        steps.sort(key=lambda step: step[0])
        arrive = shipped + transit
        # Each fate's story; what happens after "now" is cut off later, so an old parcel ended
        # (delivered, lost, or back with its sender and closed) and a recent one stands mid-way.
        if fate == "unknown":
            # The label was never used; the shop cancels it after a month.
            cancelled = (shipped + 30 * DAY, S.CANCELLED, "", "CX", "Label cancelled", origin)
            return [cancelled], None
        if fate == "customs":
            reason, _state, message = rng.choice(CUSTOMS_REASONS)
            steps.append((end, S.CUSTOMS_HOLD, reason, "CH", message, destination))
            arrive += rng.randint(4, 20) * DAY
            steps.append((arrive - DAY, S.IN_TRANSIT, "", "CR", "Released by customs", destination))
        if fate == "lost":
            if rng.random() < 0.5:
                steps.append(
                    (end + 7 * DAY, S.EXCEPTION, "carrier_delay", "NL",
                     "Parcel cannot be located", origin)
                )  # fmt: skip
            # The carrier says so, or (the scans just stopped) the shop declares it.
            steps.append((end + 25 * DAY, S.LOST, "lost", "LS", "Parcel lost", origin))
            return steps, None
        if fate == "stalled":
            arrive = end + rng.randint(8, 20) * DAY
        steps.append((arrive - 4 * HOUR, S.OUT_FOR_DELIVERY, "", "OD", "Out for delivery", depot))
        if fate == "exception":
            steps.append(
                (arrive, S.EXCEPTION, rng.choice(("damaged", "weather")), "EX",
                 "Problem in transit", depot)
            )  # fmt: skip
            arrive += 2 * DAY
        if fate in ("delivery_failed", "pickup", "return"):
            reason = "refused" if fate == "return" else "recipient_unavailable"
            steps.append(
                (arrive, S.DELIVERY_FAILED, reason, "DF", "Delivery attempt failed", depot)
            )  # fmt: skip
            if fate == "pickup":
                steps.append(
                    (arrive + 3 * HOUR, S.AVAILABLE_FOR_PICKUP, "", "PK",
                     "Waiting at a parcel shop", depot)
                )  # fmt: skip
            if fate == "return" or (fate == "pickup" and rng.random() < 0.3):
                back = arrive + (DAY if fate == "return" else 14 * DAY)
                steps.append(
                    (back, S.RETURN_TO_SENDER, reason, "RS", "Returning to the sender", depot)
                )  # fmt: skip
                # Back with the sender, the shop closes the shipment (and settles the case).
                steps.append(
                    (back + 10 * DAY, S.CANCELLED, reason, "RX",
                     "Returned to the sender, shipment closed", origin)
                )  # fmt: skip
                return steps, estimate
            arrive += 2 * DAY
        steps.append((arrive, S.DELIVERED, "", "DL", "Delivered", depot))
        return steps, estimate


def _customs_state(reason: str) -> str:
    for known, state, _message in CUSTOMS_REASONS:
        if known == reason:
            return state
    return "held"


def _date(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d")


def _carriers(sink: Sink) -> list[tuple[int, str]]:
    """The generated carriers (made on first use) as (id, tracking prefix), weighted."""
    found = _CARRIER_IDS.get(sink)
    if found is None:
        found = []
        known = {carrier.code: carrier for carrier in KNOWN}
        for code, prefix, weight in CARRIERS:
            defaults = {"name": known[code].name, "tracking_url": known[code].tracking_url}
            carrier, _ = Carrier.objects.get_or_create(code=code, defaults=defaults)
            found += [(carrier.pk, prefix)] * weight
        _CARRIER_IDS[sink] = found
    return found


def _with_defaults(
    model: type[models.Model], columns: Sequence[str], sink: Sink
) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """`columns` and, after them, every other concrete column of `model` (but the id), with
    the value each row gets there: the field's default as the sink writes it."""
    given = set(columns)
    extra, values = [], []
    for field in model._meta.concrete_fields:
        if field.attname in given or field.name in given or field.primary_key:
            continue
        default = field.get_default()
        if isinstance(field, models.JSONField):
            default = json.dumps(default)
        elif isinstance(default, datetime):
            default = sink.ts(int(default.timestamp()))
        elif isinstance(default, timedelta):
            default = int(default.total_seconds())
        extra.append(field.attname)
        values.append(default)
    return (*columns, *extra), tuple(values)
