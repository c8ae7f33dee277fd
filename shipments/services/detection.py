"""Detection of shipment problems: each rule is one set-based query, a match becomes a Finding
(open once per rule and shipment, by the database's constraints), and a finding whose cause
went away gets `cleared_at`. The per-finding work (the case, the timeline, the customer) is
done afterwards in bounded batches by shipments.services.findings.

Why a pass is cheap with a million shipments: every rule reads only the shipments still
travelling (`DETECTION_OPEN`) through partial indexes that hold nothing else (migration 0003),
and within those only the range past the loosest threshold of any route (`column < the latest
cutoff`, an index range scan); the exact per-route limit is then one CASE over that range. A
delivered shipment is in none of those indexes, so the pass grows with the shipments due for
a look, not with all shipments ever made. The rule's open findings are read from the
findings' partial unique index, and the new and the gone are two set differences in Python
(linear; no anti-join for the planner to misjudge). Orders without a shipment are looked at
within SHIPMENT_DISPATCH_LOOKBACK_DAYS of being placed (the order_placed index).

Measured on PostgreSQL with 1M shipments (50,000 still travelling, 108,000 open findings): a
pass that finds nothing new takes about 2 s, twenty queries; the first pass over that backlog,
inserting 108,000 findings, about 25 s."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import (
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from shipments.models import DETECTION_OPEN, Finding, Shipment, ShipmentStatus, TrackingEvent
from shipments.services.findings import findings_announce, findings_announce_queue, unannounced
from shipments.services.thresholds import Routes, cutoff
from tickets.models import Order

logger = logging.getLogger(__name__)

Rule = Finding.Rule
S = ShipmentStatus

# Findings are inserted this many at a time: one INSERT per chunk keeps a first pass over a
# large backlog from holding one long transaction (and its locks) on the findings table.
INSERT_CHUNK = 1000

NOT_SCANNED = [S.PENDING, S.INFO_RECEIVED]
STALL_STATUSES = [S.IN_TRANSIT, S.OUT_FOR_DELIVERY, S.UNKNOWN]
PROBLEM_STATUSES = [S.EXCEPTION, S.DELIVERY_FAILED, S.RETURN_TO_SENDER]
# A parcel silent this long in any of these is presumed lost (one waiting at a pickup point
# is not silent: it is waiting for the customer).
SILENT_LOST_STATUSES = [*STALL_STATUSES, S.CUSTOMS_HOLD, *PROBLEM_STATUSES]
CUSTOMS_ACTION = [Shipment.Customs.DOCUMENTS, Shipment.Customs.DUTIES]
CUSTOMS_WAIT = [Shipment.Customs.HELD, Shipment.Customs.INSPECTION]
# Lost by the carrier's word or an agent's, and not delivered after all.
SAID_LOST = (
    (Q(status=S.LOST) | Q(declared_lost_at__isnull=False))
    & ~Q(direction=Shipment.Direction.RETURN)
    & ~Q(status__in=[S.DELIVERED, S.CANCELLED])
)
# Lost is final: a verdict older than this was announced long ago, so a pass looks only at
# the recent ones (the shipment_lost_recent and shipment_declared_lost indexes) and its cost
# does not grow with every parcel ever lost. Their findings stay open (see _kept_open).
SAID_LOST_LOOKBACK = timedelta(days=60)


def _said_lost_since(since: datetime) -> Q:
    return SAID_LOST & (Q(status=S.LOST, last_event_at__gte=since) | Q(declared_lost_at__gte=since))


@dataclass(frozen=True)
class Look:
    """One pass's instant and route thresholds."""

    now: datetime
    today: date
    routes: Routes


@dataclass(frozen=True)
class ShipmentRule:
    """A rule over shipments: `matching` is every shipment it holds for now (annotated with
    `limit`, the route's threshold, where it has one); `details` the finding's data."""

    rule: str
    threshold: str | None
    matching: Callable[[Look], "QuerySet[Shipment]"]


def _past(
    look: Look, threshold: str, column: str, base: "QuerySet[Shipment] | None" = None
) -> "QuerySet[Shipment]":
    """Open shipments (of `base`) whose `column` lies further back than their route's
    `threshold`, annotated with that threshold as `limit`."""
    routes, now = look.routes, look.now
    latest = cutoff(now, threshold, min(routes.values(threshold)))
    base = Shipment.objects.filter(DETECTION_OPEN) if base is None else base
    return (
        base.alias(
            cutoff=routes.expression(
                threshold, lambda n: cutoff(now, threshold, n), DateTimeField()
            )
        )
        .annotate(limit=routes.expression(threshold, lambda n: n, IntegerField()))
        # The coarse bound first: an index range scan up to the loosest route's cutoff.
        .filter(**{f"{column}__lt": latest})
        .filter(**{f"{column}__lt": F("cutoff")})
    )


def _label_past(look: Look, threshold: str) -> "QuerySet[Shipment]":
    """Open shipments never scanned by the carrier whose label (the time the shop says it
    shipped, else when we first heard of it) is older than the route's `threshold`."""
    unscanned = Shipment.objects.filter(DETECTION_OPEN & Q(first_scan_at__isnull=True)).alias(
        label_at=Coalesce("shipped_at", "created_at")
    )
    return _past(look, threshold, "label_at", unscanned)


def _not_dispatched(look: Look) -> "QuerySet[Shipment]":
    return _label_past(look, "handling_hours").filter(status__in=NOT_SCANNED)


def _unknown_tracking(look: Look) -> "QuerySet[Shipment]":
    events = TrackingEvent.objects.filter(shipment=OuterRef("pk"))
    return (
        _label_past(look, "unknown_tracking_hours")
        .filter(last_event_at__isnull=True, status__in=[*NOT_SCANNED, S.UNKNOWN])
        .exclude(Exists(events))
    )


def _late(look: Look) -> "QuerySet[Shipment]":
    return (
        Shipment.objects.filter(DETECTION_OPEN)
        .alias(expected=Coalesce("revised_estimate", "promised_delivery_date"))
        .filter(expected__lt=look.today)
    )


def _stalled(look: Look) -> "QuerySet[Shipment]":
    return _past(look, "stalled_days", "last_event_at").filter(status__in=STALL_STATUSES)


def _customs(look: Look) -> "QuerySet[Shipment]":
    routes, now = look.routes, look.now
    threshold = "customs_hold_days"
    latest = cutoff(now, threshold, min(routes.values(threshold)))
    held = Q(status=S.CUSTOMS_HOLD) | Q(customs_state__in=CUSTOMS_WAIT)
    return (
        Shipment.objects.filter(DETECTION_OPEN)
        .filter(held | Q(customs_state__in=CUSTOMS_ACTION))
        .alias(
            held_since=Coalesce("customs_since", "last_event_at"),
            cutoff=routes.expression(
                threshold, lambda n: cutoff(now, threshold, n), DateTimeField()
            ),
        )
        .annotate(limit=routes.expression(threshold, lambda n: n, IntegerField()))
        .filter(
            Q(customs_state__in=CUSTOMS_ACTION)
            | (held & Q(held_since__lt=latest) & Q(held_since__lt=F("cutoff")))
        )
    )


def _exception(look: Look) -> "QuerySet[Shipment]":
    return Shipment.objects.filter(DETECTION_OPEN, status__in=PROBLEM_STATUSES)


def _pickup_waiting(look: Look) -> "QuerySet[Shipment]":
    return _past(look, "pickup_reminder_days", "last_event_at").filter(
        status=S.AVAILABLE_FOR_PICKUP
    )


def _presumed_lost(look: Look) -> "QuerySet[Shipment]":
    routes, now = look.routes, look.now
    threshold = "lost_days"
    latest = cutoff(now, threshold, min(routes.values(threshold)))
    silent = (
        DETECTION_OPEN
        & Q(status__in=SILENT_LOST_STATUSES)
        & Q(last_event_at__lt=latest)
        & Q(last_event_at__lt=F("cutoff"))
    )
    return (
        Shipment.objects.alias(
            cutoff=routes.expression(
                threshold, lambda n: cutoff(now, threshold, n), DateTimeField()
            )
        )
        .annotate(limit=routes.expression(threshold, lambda n: n, IntegerField()))
        .filter(_said_lost_since(now - SAID_LOST_LOOKBACK) | silent)
    )


SHIPMENT_RULES: tuple[ShipmentRule, ...] = (
    ShipmentRule(Rule.NOT_DISPATCHED, "handling_hours", _not_dispatched),
    ShipmentRule(Rule.UNKNOWN_TRACKING, "unknown_tracking_hours", _unknown_tracking),
    ShipmentRule(Rule.LATE, None, _late),
    ShipmentRule(Rule.STALLED, "stalled_days", _stalled),
    ShipmentRule(Rule.CUSTOMS, "customs_hold_days", _customs),
    ShipmentRule(Rule.EXCEPTION, None, _exception),
    ShipmentRule(Rule.PICKUP_WAITING, "pickup_reminder_days", _pickup_waiting),
    ShipmentRule(Rule.PRESUMED_LOST, "lost_days", _presumed_lost),
)

# What a finding keeps of its shipment at the time it fired (shown on the case's timeline).
DETAIL_COLUMNS = (
    "status",
    "incident_reason",
    "customs_state",
    "promised_delivery_date",
    "revised_estimate",
    "last_event_at",
    "declared_lost_at",
)


def _details(rule: ShipmentRule, row: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"status": row["status"]}
    if rule.threshold is not None:
        data["threshold"] = {"name": rule.threshold, "value": row["limit"]}
    if row["incident_reason"]:
        data["reason"] = row["incident_reason"]
    if rule.rule == Rule.CUSTOMS and row["customs_state"]:
        data["customs"] = row["customs_state"]
    if rule.rule == Rule.LATE:
        data["promised"] = _iso(row["promised_delivery_date"])
        data["estimate"] = _iso(row["revised_estimate"] or row["promised_delivery_date"])
    if rule.rule == Rule.PRESUMED_LOST:
        data["because"] = (
            "declared"
            if row["declared_lost_at"]
            else "carrier"
            if row["status"] == S.LOST
            else "silence"
        )
    if row["last_event_at"] is not None:
        data["last_event_at"] = row["last_event_at"].isoformat()
    return data


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _open_findings(rule: str) -> "QuerySet[Finding]":
    return Finding.objects.filter(rule=rule, cleared_at__isnull=True)


@dataclass
class RuleOutcome:
    found: int = 0
    cleared: int = 0


@dataclass
class DetectionReport:
    """What one pass did, per rule: findings opened and cleared; findings it announced
    itself, and findings left waiting for the announcing task."""

    at: datetime
    rules: dict[str, RuleOutcome] = field(default_factory=dict)
    announced: int = 0
    waiting: int = 0

    @property
    def found(self) -> int:
        return sum(outcome.found for outcome in self.rules.values())

    @property
    def cleared(self) -> int:
        return sum(outcome.cleared for outcome in self.rules.values())


def _insert(findings: list[Finding]) -> None:
    for start in range(0, len(findings), INSERT_CHUNK):
        # A concurrent pass may have opened the same finding since our SELECT: the partial
        # unique constraints turn that into a skipped row, not an error.
        Finding.objects.bulk_create(findings[start : start + INSERT_CHUNK], ignore_conflicts=True)


def _kept_open(rule: ShipmentRule, gone: list[int]) -> list[int]:
    """`gone` less the shipments whose finding stays open though the pass did not look at
    them: a parcel lost (or declared lost) long ago is still lost."""
    if rule.rule != Rule.PRESUMED_LOST or not gone:
        return gone
    lost = set(Shipment.objects.filter(SAID_LOST, pk__in=gone).values_list("pk", flat=True))
    return [pk for pk in gone if pk not in lost]


def _shipment_rule_run(rule: ShipmentRule, look: Look) -> RuleOutcome:
    # Two plain reads and a set difference rather than an anti-join: the planner cannot
    # estimate a rule's filter (a CASE per route), and a misjudged anti-join turns quadratic
    # on a large backlog; the two reads are index scans, the difference is linear.
    columns = ["pk", "order_id", *DETAIL_COLUMNS]
    if rule.threshold is not None:
        columns.append("limit")
    matching = {row["pk"]: row for row in rule.matching(look).order_by().values(*columns)}
    open_now = set(
        _open_findings(rule.rule)
        .filter(shipment__isnull=False)
        .order_by()
        .values_list("shipment_id", flat=True)
    )
    gone = _kept_open(rule, sorted(open_now - matching.keys()))
    new = sorted(matching.keys() - open_now)
    outcome = RuleOutcome(found=len(new))
    for start in range(0, len(gone), INSERT_CHUNK):
        outcome.cleared += (
            _open_findings(rule.rule)
            .filter(shipment_id__in=gone[start : start + INSERT_CHUNK])
            .update(cleared_at=look.now)
        )
    _insert(
        [
            Finding(
                rule=rule.rule,
                shipment_id=pk,
                order_id=matching[pk]["order_id"],
                data=_details(rule, matching[pk]),
                found_at=look.now,
            )
            for pk in new
        ]
    )
    return outcome


def _orders_not_dispatched(look: Look) -> RuleOutcome:
    """Orders placed longer ago than their handling time with no shipment at all. Only orders
    of the last SHIPMENT_DISPATCH_LOOKBACK_DAYS are looked at (0: none): older ones without
    a shipment were fulfilled outside tracking, or before it began."""
    outcome = RuleOutcome()
    order_findings = _open_findings(Rule.NOT_DISPATCHED).filter(shipment__isnull=True)
    shipments = Shipment.objects.filter(order=OuterRef("order_id"))
    outcome.cleared = order_findings.filter(Exists(shipments)).update(cleared_at=look.now)
    lookback = settings.SHIPMENT_DISPATCH_LOOKBACK_DAYS
    if not lookback:
        return outcome
    routes, now, threshold = look.routes, look.now, "handling_hours"
    latest = cutoff(now, threshold, min(routes.values(threshold)))
    rows = list(
        Order.objects.filter(placed_at__gte=now - timedelta(days=lookback), placed_at__lt=latest)
        .alias(
            cutoff=routes.expression(
                threshold,
                lambda n: cutoff(now, threshold, n),
                DateTimeField(),
                origin=None,
                destination="shipping_country",
            )
        )
        .annotate(
            limit=routes.expression(
                threshold, lambda n: n, IntegerField(), origin=None, destination="shipping_country"
            )
        )
        .filter(placed_at__lt=F("cutoff"))
        .exclude(Exists(Shipment.objects.filter(order=OuterRef("pk"))))
        .order_by()
        .values("pk", "limit")
    )
    # As for shipments: the open findings read once, not anti-joined.
    known = set(order_findings.order_by().values_list("order_id", flat=True))
    rows = [row for row in rows if row["pk"] not in known]
    _insert(
        [
            Finding(
                rule=Rule.NOT_DISPATCHED,
                order_id=row["pk"],
                data={"threshold": {"name": threshold, "value": row["limit"]}, "status": ""},
                found_at=now,
            )
            for row in rows
        ]
    )
    outcome.found = len(rows)
    return outcome


def shipment_issues_detect(
    *, now: datetime | None = None, announce_limit: int | None = None
) -> DetectionReport:
    """Run every rule once over the shipments (and orders) due for a look: open a Finding for
    each new match and clear those whose cause went away. New findings are announced by their
    own task, queued here, so that a pass stays quick however many it finds; with
    `announce_limit`, up to that many are announced here and now instead (the demo, tests, the
    command's --announce-limit). Safe to run twice: the second run finds nothing new."""
    now = now or timezone.now()
    look = Look(now=now, today=timezone.localdate(now), routes=Routes.load())
    report = DetectionReport(at=now)
    # No transaction around a rule: each INSERT or UPDATE chunk commits on its own, so a first
    # pass over a large backlog holds no long transaction, and a pass cut short leaves only
    # whole chunks behind (the next pass finds the rest).
    report.rules[Rule.NOT_DISPATCHED] = _orders_not_dispatched(look)
    for rule in SHIPMENT_RULES:
        outcome = _shipment_rule_run(rule, look)
        previous = report.rules.get(rule.rule, RuleOutcome())
        report.rules[rule.rule] = RuleOutcome(
            found=previous.found + outcome.found, cleared=previous.cleared + outcome.cleared
        )
    if announce_limit is not None:
        report.announced = findings_announce(limit=announce_limit)
    report.waiting = unannounced().count()
    if announce_limit is None and report.waiting:
        findings_announce_queue()
    logger.info(
        "Shipment detection: %s found, %s cleared, %s announced, %s waiting to be announced.",
        report.found, report.cleared, report.announced, report.waiting,
    )  # fmt: skip
    return report
