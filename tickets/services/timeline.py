"""One small function per timeline event. Every service that changes a case calls one of
these in its transaction; the dashboard timeline and the audit trail render from the rows."""

from typing import Any

from django.contrib.auth.models import User

from tickets.models import Case, CaseEvent, Compensation, Message

Actor = User | None


def _record(*, case: Case, actor: Actor, verb: str, **data: Any) -> CaseEvent:
    return CaseEvent.objects.create(case=case, actor=actor, verb=verb, data=data)


def case_created_event(*, case: Case, actor: Actor) -> CaseEvent:
    return _record(
        case=case,
        actor=actor,
        verb="created",
        kind=case.kind,
        channel=case.channel,
        priority=case.priority,
    )


def status_changed_event(*, case: Case, actor: Actor, previous: str, reason: str) -> CaseEvent:
    return _record(
        case=case,
        actor=actor,
        verb="status_changed",
        previous=previous,
        status=case.status,
        reason=reason,
    )


def bulk_status_changed_events(
    *, case_ids: list[int], previous: str, status: str, reason: str
) -> None:
    """The status_changed event for many cases at once, written by the system (auto-close)."""
    data = {"previous": previous, "status": status, "reason": reason}
    CaseEvent.objects.bulk_create(
        CaseEvent(case_id=case_id, verb="status_changed", data=data) for case_id in case_ids
    )


def assigned_event(*, case: Case, actor: Actor, previous_id: int | None) -> CaseEvent:
    return _record(
        case=case, actor=actor, verb="assigned", previous=previous_id, assignee=case.assignee_id
    )


def priority_changed_event(*, case: Case, actor: Actor, previous: str) -> CaseEvent:
    return _record(
        case=case, actor=actor, verb="priority_changed", previous=previous, priority=case.priority
    )


def tags_changed_event(
    *, case: Case, actor: Actor, added: list[str], removed: list[str]
) -> CaseEvent:
    return _record(case=case, actor=actor, verb="tags_changed", added=added, removed=removed)


def message_added_event(
    *, case: Case, actor: Actor, message: Message, attachments: int
) -> CaseEvent:
    return _record(
        case=case,
        actor=actor,
        verb="message_added",
        message=message.pk,
        author=message.author_kind,
        visibility=message.visibility,
        attachments=attachments,
    )


def compensation_event(*, compensation: Compensation, actor: Actor, verb: str) -> CaseEvent:
    return _record(
        case=compensation.case,
        actor=actor,
        verb=f"compensation_{verb}",
        compensation=compensation.pk,
        kind=compensation.kind,
        amount=str(compensation.amount),
        currency=compensation.currency,
        status=compensation.status,
    )


def rated_event(*, case: Case, score: int, previous: int | None) -> CaseEvent:
    """The customer rated the resolution (no actor: the signed link is the customer)."""
    return _record(case=case, actor=None, verb="rated", score=score, previous=previous)


def bulk_sms_consent_withdrawn_events(*, case_ids: list[int], source: str, cancelled: int) -> None:
    """The customer replied STOP: SMS stopped, `cancelled` waiting texts were failed."""
    data = {"source": source, "cancelled_notifications": cancelled}
    CaseEvent.objects.bulk_create(
        CaseEvent(case_id=pk, verb="sms_consent_withdrawn", data=data) for pk in case_ids
    )
