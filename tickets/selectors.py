"""Reads that are more than a one-line query."""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Permission, User
from django.db.models import Case as DbCase
from django.db.models import Count, IntegerField, Q, QuerySet, Value, When

from tickets.models import (
    Case,
    CaseEvent,
    Compensation,
    Customer,
    Message,
    Notification,
    Order,
    SLAPolicy,
    WorkerHeartbeat,
)


def sla_due_times(
    *, kind: str, priority: str, start: datetime
) -> tuple[datetime | None, datetime | None]:
    """First-response and resolution due times for a case opened at `start`.

    Returns (None, None) when no SLAPolicy covers the kind and priority."""
    policy = SLAPolicy.objects.filter(kind=kind, priority=priority).first()
    if policy is None:
        return None, None
    return (
        start + timedelta(minutes=policy.first_response_minutes),
        start + timedelta(minutes=policy.resolution_minutes),
    )


def case_counts_by_status() -> dict[str, int]:
    """How many cases stand in each status, every status present (one query)."""
    counts = dict(Case.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return {status: counts.get(status, 0) for status in Case.Status.values}


def worker_heartbeats() -> QuerySet[WorkerHeartbeat]:
    return WorkerHeartbeat.objects.order_by("-seen_at")


# --- API reads --------------------------------------------------------------------------------
# Each list query fetches its relations up front (select_related for one-to-one and foreign keys,
# prefetch_related for many) so that a page of 200 rows costs the same few queries as one row.


def customer_list() -> QuerySet[Customer]:
    return Customer.objects.order_by("email", "pk")


def order_list() -> QuerySet[Order]:
    return (
        Order.objects.select_related("customer")
        .prefetch_related("lines")
        .order_by("-placed_at", "-pk")
    )


def case_list() -> QuerySet[Case]:
    """Cases with what an API page shows of them, and `priority_rank` to order by urgency."""
    return (
        Case.objects.select_related("customer", "order", "assignee", "team")
        .prefetch_related("tags")
        .annotate(
            priority_rank=DbCase(
                *(
                    When(priority=priority, then=Value(rank))
                    for rank, priority in enumerate(Case.Priority.values)
                ),
                default=Value(len(Case.Priority.values)),
                output_field=IntegerField(),
            )
        )
        .order_by("-created_at", "-pk")
    )


def case_get(*, number: str) -> Case | None:
    """The case with `number`, with the relations the API shows, or None."""
    return case_list().filter(number=number).first()


def message_list(*, case: Case) -> QuerySet[Message]:
    return (
        Message.objects.filter(case=case)
        .select_related("author_user")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )


def case_event_list(*, case: Case) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(case=case).select_related("actor").order_by("created_at", "pk")


def compensation_list(*, case: Case) -> QuerySet[Compensation]:
    """A case's compensations, oldest first, with the people the API shows."""
    return (
        Compensation.objects.filter(case=case)
        .select_related("proposed_by", "approved_by")
        .order_by("created_at", "pk")
    )


def user_list_assignable() -> QuerySet[AbstractBaseUser]:
    """Active accounts that may work cases (tickets.view_case through a group, directly, or as
    a superuser): the people a case can be assigned to."""
    view_case = Q(codename="view_case", content_type__app_label="tickets")
    permission_ids = Permission.objects.filter(view_case).values("pk")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=permission_ids)
            | Q(user_permissions__in=permission_ids)
        )
        .distinct()
        .order_by("pk")
    )


# --- dashboard: notifications and roles -------------------------------------------------------

SUPERVISORS_GROUP = "Supervisors"


def user_is_supervisor(*, user: User) -> bool:
    """Whether `user` is a superuser or in the Supervisors group (one query at most)."""
    if getattr(user, "is_superuser", False):
        return True
    return user.groups.filter(name=SUPERVISORS_GROUP).exists()


def notification_list(*, channel: str = "", status: str = "") -> QuerySet[Notification]:
    """The outbox, newest first, optionally of one channel and one status; with its case, so a
    page costs one query however long it is."""
    notifications = Notification.objects.select_related("case").order_by("-created_at", "-pk")
    if channel:
        notifications = notifications.filter(channel=channel)
    if status:
        notifications = notifications.filter(status=status)
    return notifications


def notification_failed_list() -> QuerySet[Notification]:
    """Notifications that gave up, newest first: what an agent may retry."""
    return notification_list(status=Notification.Status.FAILED)


def notification_failed_count() -> int:
    return Notification.objects.filter(status=Notification.Status.FAILED).count()


def case_for_rating(*, number: str) -> Case | None:
    """The case a rating link names, or None."""
    return Case.objects.filter(number=number).first()
