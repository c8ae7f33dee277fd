"""Why a wrong item went out, and what will change so that it does not happen again."""

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets.errors import CaseClosed
from tickets.models import Case
from tickets.services import timeline
from tickets.services.timeline import Actor
from wrong_items.models import PreventiveAction, RootCause, WrongItemReport
from wrong_items.verbs import Verb


@transaction.atomic
def root_cause_set(
    *,
    report: WrongItemReport,
    category: str,
    actor: Actor,
    warehouse: str = "",
    expected_sku: str = "",
    received_sku: str = "",
    note: str = "",
) -> RootCause:
    """Record (or correct) the root cause of `report`; the SKU pair defaults to the ordered
    line's SKU and the SKU the customer read off the package.

    Raises CaseClosed on a closed case, ValidationError naming a bad field; nothing changes."""
    report = (
        WrongItemReport.objects.select_for_update(of=("self",))
        .select_related("case", "order_line")
        .get(pk=report.pk)
    )
    if report.case.status == Case.Status.CLOSED:
        raise CaseClosed(report.case.number)
    cause = RootCause.objects.filter(report=report).first() or RootCause(report=report)
    cause.category = category
    cause.warehouse = warehouse.strip()
    cause.expected_sku = expected_sku.strip() or report.order_line.sku
    cause.received_sku = received_sku.strip() or report.received_sku
    cause.note = note.strip()
    cause.set_by = actor
    cause.set_at = timezone.now()
    cause.full_clean(exclude=["report", "set_by"])
    cause.save()
    timeline.record(
        case=report.case,
        verb=Verb.ROOT_CAUSE_SET,
        actor=actor,
        data={
            "category": category,
            "warehouse": cause.warehouse,
            "expected_sku": cause.expected_sku,
            "received_sku": cause.received_sku,
        },
    )
    return cause


@transaction.atomic
def preventive_action_create(
    *,
    root_causes: Sequence[RootCause],
    description: str,
    owner: str,
    actor: Actor,
    due_date: date | None = None,
) -> PreventiveAction:
    """A preventive action for one or more root causes. Raises ValidationError (an empty
    description or owner, no root cause)."""
    if not root_causes:
        raise ValidationError({"root_causes": [_("Link at least one root cause.")]})
    action = PreventiveAction(
        description=description.strip(), owner=owner.strip(), due_date=due_date
    )
    action.full_clean()
    action.save()
    action.root_causes.set(root_causes)
    return action


@transaction.atomic
def preventive_action_set_done(
    *, action: PreventiveAction, done: bool, actor: Actor
) -> PreventiveAction:
    action = PreventiveAction.objects.select_for_update().get(pk=action.pk)
    action.done = done
    action.save(update_fields=["done"])
    return action
