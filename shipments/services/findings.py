"""Announcing a finding: open or update the one shipment-issue case, raise its priority,
record the finding on its timeline and tell the customer, with the parcel's latest status, its
tracking link and the current estimate, before they have to ask.

A finding is announced once: the work ends by linking the finding to its case, and only
findings without a case (and not cleared) are picked up (the `finding_unannounced` index).
Detection queues the announcing task (shipments.tasks.shipment_findings_announce); each task
announces up to SHIPMENT_ANNOUNCE_LIMIT findings and queues the next while more wait."""

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import override

from shipments.models import Finding, Shipment
from shipments.services.issue_cases import issue_case_for
from shipments.verbs import Verb
from tickets.models import Case
from tickets.services import queue, timeline
from tickets.services.cases import case_create, case_set_priority, case_transition_by_system
from tickets.services.notifications import notify

logger = logging.getLogger(__name__)

Rule = Finding.Rule

# One transaction announces at most this many findings: each takes a few dozen queries (case,
# timeline, two rendered notifications), so a batch commits within a second or so and holds
# its case locks no longer than that.
ANNOUNCE_BATCH = 50

SHIPMENT_FINDINGS_ANNOUNCE = "shipments.tasks.shipment_findings_announce"

# The priority a rule lifts its case to (a case already higher keeps its own).
RULE_PRIORITY: dict[str, str] = {
    Rule.PRESUMED_LOST: Case.Priority.HIGH,
    Rule.EXCEPTION: Case.Priority.HIGH,
}
PRIORITY_RANK = {priority: rank for rank, priority in enumerate(Case.Priority.values)}

# The customer notification about findings (templates/notifications/shipment_problem/).
PROBLEM_EVENT = "shipment_problem"


def _order_case(finding: Finding) -> Case:
    """The case for an order that has no shipment yet: one opened for an earlier finding of
    the order if it is still active, else a new one."""
    earlier = _order_level_case(finding.order_id)
    if earlier is not None:
        return Case.objects.select_for_update().get(pk=earlier)
    order = finding.order
    with override(order.customer.language):
        subject = _("Order %(order)s has not shipped yet") % {"order": order.number}
    return case_create(
        customer=order.customer,
        kind=Case.Kind.SHIPMENT_ISSUE,
        subject=subject,
        channel=Case.Channel.SYSTEM,
        order=order,
        priority=RULE_PRIORITY.get(finding.rule, Case.Priority.NORMAL),
    )


def _order_level_case(order_id: int) -> int | None:
    case_id: int | None = (
        Finding.objects.filter(
            order_id=order_id,
            shipment__isnull=True,
            case__isnull=False,
            case__active=True,
            case__issue_shipment__isnull=True,
        )
        .order_by("-pk")
        .values_list("case_id", flat=True)
        .first()
    )
    return case_id


def _shipment_case(finding: Finding, shipment: Shipment) -> Case:
    """The shipment's one issue case. A shipment without one adopts the case opened while
    its order had not shipped, so the customer keeps one conversation about the parcel."""
    if shipment.issue_case_id is None:
        adopted = _order_level_case(shipment.order_id)
        if adopted is not None:
            Shipment.objects.filter(pk=shipment.pk, issue_case__isnull=True).update(
                issue_case_id=adopted
            )
    case, _opened = issue_case_for(
        shipment=shipment, priority=RULE_PRIORITY.get(finding.rule, Case.Priority.NORMAL)
    )
    return case


def _context(finding: Finding, shipment: Shipment | None) -> dict[str, Any]:
    context: dict[str, Any] = {
        "rule": finding.rule,
        "order": finding.order,
        "details": finding.data,
        "shipment": shipment,
    }
    if shipment is not None:
        context["tracking_link"] = shipment.tracking_link
        context["estimate"] = shipment.estimate
        context["status_label"] = shipment.get_status_display()
    return context


@transaction.atomic
def finding_announce(*, finding: Finding) -> Case:
    """Put `finding` on its case (opening the case if need be), lift the case's priority,
    reopen it if it was resolved, record the finding on the timeline and notify the customer.
    Announcing the same finding twice changes nothing more."""
    shipment = finding.shipment
    case = _order_case(finding) if shipment is None else _shipment_case(finding, shipment)
    priority = RULE_PRIORITY.get(finding.rule, Case.Priority.NORMAL)
    if PRIORITY_RANK[priority] > PRIORITY_RANK[case.priority]:
        case = case_set_priority(case=case, priority=priority, actor=None)
    if case.status == Case.Status.RESOLVED:
        case = case_transition_by_system(case=case, to=Case.Status.OPEN, reason="shipment_problem")
    timeline.record(
        case=case,
        verb=Verb.FINDING,
        actor=None,
        data={"rule": finding.rule, "finding": finding.pk, **finding.data, **timeline.BY_SYSTEM},
    )
    notify(
        customer=case.customer,
        event=PROBLEM_EVENT,
        key=str(finding.pk),
        case=case,
        context=_context(finding, shipment),
    )
    Finding.objects.filter(pk=finding.pk).update(case=case)
    finding.case = case
    return case


def unannounced() -> "QuerySet[Finding]":
    """The findings still to announce (open, on no case yet)."""
    return Finding.objects.filter(case__isnull=True, cleared_at__isnull=True)


def findings_announce_queue() -> None:
    """Queue the announcing task once the current transaction commits."""
    queue.enqueue_on_commit(SHIPMENT_FINDINGS_ANNOUNCE)


def findings_announce_task_run() -> int:
    """The announcing task: up to SHIPMENT_ANNOUNCE_LIMIT findings, then the next task if the
    limit stopped it (not when only findings that failed are left: they wait for the next
    pass). Returns how many it announced."""
    limit = settings.SHIPMENT_ANNOUNCE_LIMIT
    announced = findings_announce(limit=limit)
    if announced == limit and unannounced().exists():
        findings_announce_queue()
    return announced


def findings_announce(*, limit: int, batch_size: int = ANNOUNCE_BATCH) -> int:
    """Announce up to `limit` findings not yet announced, oldest first, `batch_size` to a
    transaction; returns how many were. A finding that fails is logged and left for the next
    pass; the others go on."""
    announced, after = 0, 0
    while announced < limit:
        with transaction.atomic():
            # skip_locked: two passes running at once share the work instead of waiting.
            batch = list(
                unannounced()
                .select_for_update(skip_locked=True, of=("self",))
                .filter(pk__gt=after)
                .select_related("order__customer", "shipment__carrier")
                .order_by("pk")[: min(batch_size, limit - announced)]
            )
            if not batch:
                break
            for finding in batch:
                after = finding.pk
                try:
                    with transaction.atomic():
                        finding_announce(finding=finding)
                except Exception:
                    logger.exception("Could not announce shipment finding %s.", finding.pk)
                else:
                    announced += 1
    return announced
