"""Merging a duplicate case into the one that is kept: its conversation, timeline,
notifications, compensations, tags and order links move over, the duplicate closes, and the
customer is told."""

from django.db import transaction
from django.utils.translation import gettext as _

from tickets.errors import ApplicationError
from tickets.models import Case, CaseEvent, Compensation, Message, Notification
from tickets.services import timeline
from tickets.services.case_rows import case_lock, case_lock_current, case_save
from tickets.services.notifications import notify
from tickets.services.timeline import Actor
from tickets.services.transitions import case_close_merged


class CaseMergeRefused(ApplicationError):
    """The two cases cannot be merged; the message says why. Nothing was written."""

    code = "case_merge_refused"


def merge_check(*, source: Case, target: Case) -> None:
    """Refuse merging `source` into `target` (CaseMergeRefused): the same case, cases of two
    customers, a closed or already merged case on either side."""
    if source.pk == target.pk:
        raise CaseMergeRefused(_("A case cannot be merged into itself."))
    if source.customer_id != target.customer_id:
        raise CaseMergeRefused(
            _("Case %(target)s belongs to another customer; only one customer's cases merge.")
            % {"target": target.number}
        )
    for case in (source, target):
        if case.merged_into_id is not None:
            raise CaseMergeRefused(
                _("Case %(number)s was already merged into another case.") % {"number": case.number}
            )
        if case.status == Case.Status.CLOSED:
            raise CaseMergeRefused(
                _("Case %(number)s is closed; closed cases are not merged.")
                % {"number": case.number}
            )


@transaction.atomic
def case_merge(*, source: Case, target: Case, actor: Actor) -> Case:
    """Merge the duplicate `source` into `target` (the case kept) for `actor`, in one
    transaction: messages (with their attachments), timeline events, notifications and
    compensations move to `target`, which also gets the source's tags and its order and item
    when it has none; `source` records that it was merged and closes; the customer is told
    (notification "case_merged" about `target`). Returns `target` as saved.

    Raises CaseMergeRefused (see merge_check) and StaleVersion when `source` changed since
    the agent read it."""
    # Both rows locked, the lower id first, so two merges of the same pair cannot deadlock.
    if source.pk < target.pk:
        source = case_lock(case=source)
        target = case_lock_current(case=target)
    else:
        target = case_lock_current(case=target)
        source = case_lock(case=source)
    merge_check(source=source, target=target)
    moved = {
        "messages": Message.objects.filter(case=source).update(case=target),
        "events": CaseEvent.objects.filter(case=source).update(case=target),
        "notifications": Notification.objects.filter(case=source).update(case=target),
        "compensations": Compensation.objects.filter(case=source).update(case=target),
    }
    source.merged_into = target
    case_save(case=source, fields=("merged_into",))
    # Closed before the target takes its item: one active case per item and kind.
    source = case_close_merged(case=source)
    fields = []
    if target.order_id is None and source.order_id is not None:
        target.order_id = source.order_id
        fields.append("order")
    if (
        target.order_line_id is None
        and source.order_line_id is not None
        and source.order_id == target.order_id
        and not _item_taken(line_id=source.order_line_id, kind=target.kind, but=target)
    ):
        target.order_line_id = source.order_line_id
        fields.append("order_line")
    target.tags.add(*source.tags.all())
    case_save(case=target, fields=fields)
    timeline.merged_into_event(source=source, target=target, actor=actor, moved=moved)
    notify(
        customer=target.customer,
        event="case_merged",
        key=source.number,
        case=target,
        context={"source": source},
    )
    return target


def _item_taken(*, line_id: int, kind: str, but: Case) -> bool:
    """Whether another active case of `kind` is about order line `line_id`."""
    others = Case.objects.filter(order_line_id=line_id, kind=kind, active=True)
    return others.exclude(pk=but.pk).exists()
