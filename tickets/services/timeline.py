"""The case timeline: one public way to write it, `record()`, with verbs from enumerations.

Every service that changes a case records what happened here, in its transaction; the
dashboard timeline, the customer's status history, reports and the audit trail all read the
rows (DESIGN.md, "The shared case"). The spine's verbs are `Verb`; a scenario app declares its
own `TextChoices` with verbs namespaced by its label (`returns.label_issued`) and registers
them from its `AppConfig.ready()` with `verbs_register`, so the timeline and reports can filter
by verb and a misspelt verb fails at once instead of writing an event nobody finds."""

from collections.abc import Iterable
from typing import Any, Final

from django.contrib.auth.models import User
from django.db import models
from django.utils.translation import gettext_lazy as _

from tickets.models import Case, CaseEvent, Compensation, Message, Notification
from tickets.money import money_str

Actor = User | None

# `actor` None is either the customer (their message, their rating link) or the system (a task,
# a tracking event, the auto-close). An event the system made says so in its data with these
# items, so the timeline and the audit trail can tell the two apart (`by_system()`).
BY_SYSTEM: Final = {"by": "system"}
# The "by" of an event with no actor that a person made: the customer's (none, or "customer"),
# or an agent's whose account was deleted since. Any other "by" ("system", or a scenario's own
# word such as "policy" or "tracking") is the system's.
BY_PEOPLE: Final = (None, "customer", "agent")


def by_system_unless(actor: Actor) -> dict[str, str]:
    """BY_SYSTEM for an event `actor` None made that no customer makes (routing, a payout, a
    task's step); nothing to add for a person's."""
    return BY_SYSTEM if actor is None else {}


class Verb(models.TextChoices):
    """What can happen to any case. Stored as the value; the label is for people."""

    CREATED = "created", _("Case opened")
    STATUS_CHANGED = "status_changed", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    TEAM_CHANGED = "team_changed", _("Team changed")
    PRIORITY_CHANGED = "priority_changed", _("Priority changed")
    TAGS_CHANGED = "tags_changed", _("Tags changed")
    MESSAGE_ADDED = "message_added", _("Message added")
    COMPENSATION_PROPOSED = "compensation_proposed", _("Compensation proposed")
    COMPENSATION_APPROVED = "compensation_approved", _("Compensation approved")
    COMPENSATION_ISSUED = "compensation_issued", _("Compensation issued")
    COMPENSATION_FAILED = "compensation_failed", _("Compensation failed")
    COMPENSATION_REJECTED = "compensation_rejected", _("Compensation rejected")
    COMPENSATION_CANCELLED = "compensation_cancelled", _("Compensation cancelled")
    RATED = "rated", _("Rated by the customer")
    SMS_CONSENT_WITHDRAWN = "sms_consent_withdrawn", _("SMS consent withdrawn")
    NOTIFICATION_UNCONFIRMED = "notification_unconfirmed", _("Delivery not confirmed")
    NOTIFICATION_HELD = "notification_held", _("Text held for a person")
    NOTIFICATION_RETRIED = "notification_retried", _("Notification sent again")


_VERBS: dict[str, str] = {}


def verbs_register(verbs: type[models.TextChoices], *, namespace: str = "") -> None:
    """Make `verbs` recordable. A scenario app passes its label as `namespace`, and each of its
    values must start with "<namespace>."; only the spine registers verbs without one.

    Raises ValueError for a verb outside its namespace or one another enumeration took."""
    for verb in verbs:
        if namespace and not verb.value.startswith(f"{namespace}."):
            raise ValueError(f"Verb {verb.value!r} is not in the {namespace!r} namespace.")
        if _VERBS.get(verb.value, verb.label) != verb.label:
            raise ValueError(f"Verb {verb.value!r} is registered twice.")
        _VERBS[verb.value] = verb.label


verbs_register(Verb)


class MergeVerb(models.TextChoices):
    """A duplicate case merged into another (tickets.services.merges)."""

    MERGED_INTO = "merged_into", _("Merged into another case")
    MERGED_FROM = "merged_from", _("A duplicate case merged into this one")


verbs_register(MergeVerb)


def verb_choices() -> list[tuple[str, str]]:
    """Every registered verb with its label, for filters and forms."""
    return sorted(_VERBS.items())


def _checked(verb: str) -> str:
    if verb not in _VERBS:
        raise ValueError(f"Unknown timeline verb {verb!r}: register it with verbs_register().")
    return str(verb)


def record(*, case: Case, verb: str, actor: Actor, data: dict[str, Any] | None = None) -> CaseEvent:
    """Append one event to `case`'s timeline; `actor` None means the system or the customer.

    Raises ValueError for a verb no enumeration registered."""
    return CaseEvent.objects.create(case=case, actor=actor, verb=_checked(verb), data=data or {})


def record_many(*, case_ids: Iterable[int], verb: str, data: dict[str, Any]) -> None:
    """The same system event (no actor) on many cases at once, in one INSERT."""
    verb = _checked(verb)
    CaseEvent.objects.bulk_create(
        CaseEvent(case_id=case_id, verb=verb, data=data) for case_id in case_ids
    )


# --- the spine's events: one small function each, so callers pass the right details ----------


def case_created_event(*, case: Case, actor: Actor) -> CaseEvent:
    """The case opened: by `actor`, else by the customer, or by the system (channel system)."""
    data = {"kind": case.kind, "channel": case.channel, "priority": case.priority}
    if case.channel == Case.Channel.SYSTEM:
        data.update(by_system_unless(actor))
    return record(case=case, verb=Verb.CREATED, actor=actor, data=data)


def by_system(event: CaseEvent) -> bool:
    """Whether the system, not a person, made `event` (see BY_PEOPLE)."""
    return event.actor_id is None and event.data.get("by") not in BY_PEOPLE


def status_changed_event(
    *, case: Case, actor: Actor, previous: str, reason: str, system: bool = False
) -> CaseEvent:
    """The case moved from `previous` to its status; `system` marks a move the system made
    (with no actor)."""
    data = {"previous": previous, "status": case.status, "reason": reason}
    return record(
        case=case,
        verb=Verb.STATUS_CHANGED,
        actor=actor,
        data={**data, **BY_SYSTEM} if system else data,
    )


def bulk_status_changed_events(
    *, case_ids: list[int], previous: str, status: str, reason: str
) -> None:
    """The status_changed event for many cases at once, moved by the system (auto-close)."""
    record_many(
        case_ids=case_ids,
        verb=Verb.STATUS_CHANGED,
        data={"previous": previous, "status": status, "reason": reason, **BY_SYSTEM},
    )


def assigned_event(*, case: Case, actor: Actor, previous_id: int | None) -> CaseEvent:
    return record(
        case=case,
        verb=Verb.ASSIGNED,
        actor=actor,
        data={"previous": previous_id, "assignee": case.assignee_id, **by_system_unless(actor)},
    )


def team_changed_event(*, case: Case, actor: Actor, previous_id: int | None) -> CaseEvent:
    return record(
        case=case,
        verb=Verb.TEAM_CHANGED,
        actor=actor,
        data={"previous": previous_id, "team": case.team_id, **by_system_unless(actor)},
    )


def priority_changed_event(*, case: Case, actor: Actor, previous: str) -> CaseEvent:
    return record(
        case=case,
        verb=Verb.PRIORITY_CHANGED,
        actor=actor,
        data={"previous": previous, "priority": case.priority, **by_system_unless(actor)},
    )


def tags_changed_event(
    *, case: Case, actor: Actor, added: list[str], removed: list[str]
) -> CaseEvent:
    return record(
        case=case, verb=Verb.TAGS_CHANGED, actor=actor, data={"added": added, "removed": removed}
    )


def message_added_event(
    *, case: Case, actor: Actor, message: Message, attachments: int
) -> CaseEvent:
    return record(
        case=case,
        verb=Verb.MESSAGE_ADDED,
        actor=actor,
        data={
            "message": message.pk,
            "author": message.author_kind,
            "visibility": message.visibility,
            "attachments": attachments,
        },
    )


# The event each compensation status is recorded with.
COMPENSATION_VERBS: dict[str, Verb] = {
    Compensation.Status.PROPOSED: Verb.COMPENSATION_PROPOSED,
    Compensation.Status.APPROVED: Verb.COMPENSATION_APPROVED,
    Compensation.Status.ISSUED: Verb.COMPENSATION_ISSUED,
    Compensation.Status.FAILED: Verb.COMPENSATION_FAILED,
    Compensation.Status.REJECTED: Verb.COMPENSATION_REJECTED,
    Compensation.Status.CANCELLED: Verb.COMPENSATION_CANCELLED,
}
# What each status adds to its event: the reason given, or where the money went.
_COMPENSATION_DETAILS: dict[str, str] = {
    Compensation.Status.ISSUED: "external_reference",
    Compensation.Status.FAILED: "failure_reason",
    Compensation.Status.REJECTED: "reason",
    Compensation.Status.CANCELLED: "reason",
}


def compensation_event(*, compensation: Compensation, actor: Actor) -> CaseEvent:
    """The compensation reached its current status. The amount is stored as a string in its
    currency's minor units ("1234" JPY, "12.50" EUR), like the API shows money."""
    data = {
        "compensation": compensation.pk,
        "kind": compensation.kind,
        "amount": money_str(compensation.amount, compensation.currency),
        "currency": compensation.currency,
        "status": compensation.status,
    }
    detail = _COMPENSATION_DETAILS.get(compensation.status)
    if detail:
        data[detail] = getattr(compensation, detail)
    if not (
        compensation.status == Compensation.Status.PROPOSED and compensation.proposed_by_customer
    ):
        # A customer may ask for one (their choice in the portal), never approve or issue it.
        data.update(by_system_unless(actor))
    return record(
        case=compensation.case,
        verb=COMPENSATION_VERBS[compensation.status],
        actor=actor,
        data=data,
    )


def rated_event(*, case: Case, score: int, previous: int | None) -> CaseEvent:
    """The customer rated the resolution (no actor: the signed link is the customer)."""
    return record(
        case=case, verb=Verb.RATED, actor=None, data={"score": score, "previous": previous}
    )


def bulk_sms_consent_withdrawn_events(*, case_ids: list[int], source: str, cancelled: int) -> None:
    """The customer replied STOP: SMS stopped, `cancelled` waiting texts were failed."""
    record_many(
        case_ids=case_ids,
        verb=Verb.SMS_CONSENT_WITHDRAWN,
        data={"source": source, "cancelled_notifications": cancelled},
    )


def _notification_data(notification: Notification) -> dict[str, Any]:
    data: dict[str, Any] = {
        "notification": notification.pk,
        "channel": notification.channel,
        "template": notification.template,
        "recipient": notification.recipient,
    }
    if notification.message_id:
        data["message_id"] = notification.message_id
    return data


def notification_unconfirmed_event(
    *, case: Case, notification: Notification, reason: str, next_step: str
) -> CaseEvent:
    """A send went out and no answer came (or its worker died): the message may have arrived.
    `next_step` says what happens: "resend_same_message_id" (email; a receiving server drops
    the repeat by its Message-ID) or "check_with_provider" (SMS; looked up before any resend)."""
    return record(
        case=case,
        verb=Verb.NOTIFICATION_UNCONFIRMED,
        actor=None,
        data={**_notification_data(notification), "reason": reason, "next": next_step},
    )


def notification_held_event(*, case: Case, notification: Notification, reason: str) -> CaseEvent:
    """An unconfirmed text waits for a person: the provider could not say whether it went."""
    return record(
        case=case,
        verb=Verb.NOTIFICATION_HELD,
        actor=None,
        data={**_notification_data(notification), "reason": reason},
    )


def notification_retried_event(
    *, case: Case, notification: Notification, actor: Actor, previous: str
) -> CaseEvent:
    """`actor` sent a failed (or held) notification again; an email keeps its Message-ID."""
    return record(
        case=case,
        verb=Verb.NOTIFICATION_RETRIED,
        actor=actor,
        data={**_notification_data(notification), "previous": previous},
    )


def merged_into_event(*, source: Case, target: Case, actor: Actor, moved: dict[str, int]) -> None:
    """`source` was merged into `target`: an event on each, with what moved (counts by kind)."""
    record(
        case=source,
        verb=MergeVerb.MERGED_INTO,
        actor=actor,
        data={"target": target.number, "moved": moved},
    )
    record(
        case=target,
        verb=MergeVerb.MERGED_FROM,
        actor=actor,
        data={"source": source.number, "moved": moved},
    )
