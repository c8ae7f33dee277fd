"""Reads that are more than a one-line query."""

import json
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from tickets.models import (
    Attachment,
    Case,
    CaseEvent,
    CaseVisibility,
    Compensation,
    Customer,
    GroupCaseVisibility,
    Message,
    Notification,
    Order,
    ShortLink,
    SLAPolicy,
    Tag,
    Team,
    WorkerHeartbeat,
)
from tickets.models.access import VISIBILITY_WIDTH

AnyUser = User | AnonymousUser
SUPERVISORS_GROUP = "Supervisors"


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


# --- who sees which cases ----------------------------------------------------------------------
# One rule, case_visible_to(), decides which cases a user sees; every read of cases or of rows
# that belong to a case (messages, events, attachments, notifications, the dashboard counts, the
# API, search) filters by it. tests/tickets/test_visibility_routes.py walks every URL with an id
# in it to hold that.


def _groups_of(user: AnyUser) -> list[tuple[str, str | None]]:
    """The names of `user`'s groups with each group's case visibility (None if unset). Kept on
    the user object for the rest of the request, as Django keeps its permissions: read with the
    permissions when the request checked those (user_permissions_with_groups), else on its own;
    one read answers both who sees which cases and who is a supervisor."""
    if not hasattr(user, "_case_groups_cache"):
        user._case_groups_cache = list(  # type: ignore[union-attr]
            Group.objects.filter(user=user.pk).values_list("name", "case_visibility__visibility")
        )
    groups: list[tuple[str, str | None]] = user._case_groups_cache  # type: ignore[union-attr]
    return groups


def case_visibility_of(*, user: AnyUser) -> str:
    """Which cases `user` sees, a CaseVisibility value: every case for supervisors and
    superusers, else the widest choice of their groups, else settings.CASE_VISIBILITY. One
    query at most per request."""
    if getattr(user, "is_superuser", False):
        return CaseVisibility.ALL
    groups = _groups_of(user)
    if any(name == SUPERVISORS_GROUP for name, _ in groups):
        return CaseVisibility.ALL
    chosen = [visibility for _, visibility in groups if visibility]
    if not chosen:
        return str(settings.CASE_VISIBILITY)
    widths: list[str] = list(VISIBILITY_WIDTH)
    return max(chosen, key=widths.index)


def case_visible_to(user: AnyUser, *, via: str = "") -> Q:
    """The cases `user` may see, as a filter on Case; with `via`, on a model that reaches its
    case by that lookup path ("case", "message__case"), rows without a case then hidden unless
    the user sees everything. Nobody signed in sees nothing."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    visibility = case_visibility_of(user=user)
    if visibility == CaseVisibility.ALL:
        return Q()
    path = f"{via}__" if via else ""
    rule = Q(**{f"{path}assignee": user.pk})
    if visibility == CaseVisibility.TEAMS:
        teams = Team.members.through.objects.filter(user_id=user.pk).values("team_id")
        rule |= Q(**{f"{path}team__in": teams})
        rule |= Q(**{f"{path}team__isnull": True, f"{path}assignee__isnull": True})
    if via:
        rule &= Q(**{f"{via}__isnull": False})
    return rule


def _with_visible_cases(user: AnyUser) -> Q:
    """Customers and orders: those with no case yet (a case can be opened on them) or with a
    case `user` sees."""
    rule = case_visible_to(user)
    if rule == Q():
        return rule
    cases = Case.objects.filter(customer=OuterRef("pk"))
    return Q(~Exists(cases)) | Q(Exists(cases.filter(rule)))


class Tally(int):
    """How many rows a query matches (an int): exact, or PostgreSQL's estimate where counting
    them would read more than a cap (`exact` is False)."""

    exact: bool

    def __new__(cls, count: int, *, exact: bool) -> "Tally":
        tally = super().__new__(cls, count)
        tally.exact = exact
        return tally


def row_count(queryset: QuerySet[Any], *, cap: int) -> Tally:
    """How many rows `queryset` matches, reading at most `cap` + 1 of them: exact up to `cap`;
    beyond it PostgreSQL's planner estimate (never less than `cap` + 1), other databases (the
    small embedded SQLite) count them all. One query, two beyond the cap."""
    rows = queryset.order_by().values("pk")
    counted = rows[: cap + 1].count()
    if counted <= cap:
        return Tally(counted, exact=True)
    connection = connections[rows.db]
    if connection.vendor != "postgresql":
        return Tally(rows.count(), exact=True)
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return Tally(max(int(plan[0]["Plan"]["Plan Rows"]), cap + 1), exact=False)


def case_counts_by_status(*, user: AnyUser) -> dict[str, Tally]:
    """How many cases `user` sees in each status, every status present. The active ones are
    counted exactly from the partial index of active cases (one query); resolved and closed
    cases, which pile up forever, are counted up to HOME_COUNT_CAP and estimated beyond."""
    cases = Case.objects.filter(case_visible_to(user))
    active = dict(
        cases.filter(status__in=sorted(Case.ACTIVE_STATUSES))
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        status: (
            Tally(active.get(status, 0), exact=True)
            if status in Case.ACTIVE_STATUSES
            else row_count(cases.filter(status=status), cap=settings.HOME_COUNT_CAP)
        )
        for status in Case.Status.values
    }


def worker_heartbeats() -> QuerySet[WorkerHeartbeat]:
    return WorkerHeartbeat.objects.order_by("-seen_at")


# --- API reads --------------------------------------------------------------------------------
# Each list query fetches its relations up front (select_related for one-to-one and foreign keys,
# prefetch_related for many) so that a page of 200 rows costs the same few queries as one row.
# Of a joined row a page loads only what the API's summary of it shows (tickets.api.serializers,
# CustomerSummary, OrderSummary, UserSummary, TeamSummary): building the model instances of a
# page is much of its time.


def _showing(queryset: QuerySet[Any], *related: str) -> QuerySet[Any]:
    """`queryset` with every column of its own model and only the `related` ones
    ("customer__email") of the rows it joins."""
    own = [field.name for field in queryset.model._meta.concrete_fields]
    return queryset.only(*own, *related)


def _customer_summary(path: str) -> tuple[str, ...]:
    return (f"{path}__email", f"{path}__name")


def customer_list() -> QuerySet[Customer]:
    """Every customer: for looking one up by id or email when opening a case."""
    return Customer.objects.order_by("email", "pk")


def customer_list_for(*, user: AnyUser) -> QuerySet[Customer]:
    """The customers `user` may browse: those with no case or with a case they see."""
    return customer_list().filter(_with_visible_cases(user))


def order_list() -> QuerySet[Order]:
    """Every order with its lines: for looking one up by id when opening a case."""
    orders = Order.objects.select_related("customer").prefetch_related("lines")
    return _showing(orders, *_customer_summary("customer")).order_by("-placed_at", "-pk")


def order_list_for(*, user: AnyUser) -> QuerySet[Order]:
    """The orders `user` may browse: those with no case or with a case they see."""
    rule = case_visible_to(user)
    if rule == Q():
        return order_list()
    cases = Case.objects.filter(order=OuterRef("pk"))
    return order_list().filter(Q(~Exists(cases)) | Q(Exists(cases.filter(rule))))


def case_list(*, user: AnyUser) -> QuerySet[Case]:
    """The cases `user` sees, with what an API page shows of them."""
    return _case_rows().filter(case_visible_to(user))


def case_page(*, user: AnyUser) -> QuerySet[Case]:
    """case_list loading only what the API shows of each case's customer, order, assignee and
    team: for rendering. A service handed one of these cases reads any other column of those
    in a query of its own (the case services lock and read the case again anyway)."""
    shown = (
        *_customer_summary("customer"),
        "order__store",
        "order__number",
        "assignee__username",
        "team__name",
    )
    tags = Prefetch("tags", queryset=Tag.objects.only("name"))
    cases = case_list(user=user).prefetch_related(None).prefetch_related(tags)
    return _showing(cases, *shown)


def case_get(*, number: str, user: AnyUser) -> Case | None:
    """The case with `number` if `user` sees it, with the relations the API shows, or None."""
    return case_list(user=user).filter(number=number).first()


def case_ref(*, number: str, user: AnyUser) -> Case | None:
    """The case with `number` if `user` sees it, or None: only its id and number, enough to
    read the rows under it without loading what the API shows of the case itself."""
    return Case.objects.filter(case_visible_to(user), number=number).only("pk", "number").first()


def case_written(*, case: Case) -> Case:
    """`case` read again with the relations the API shows, to answer the request that just
    wrote it (which may have moved it out of the writer's sight, e.g. unassigned it)."""
    return _case_rows().get(pk=case.pk)


def _case_rows() -> QuerySet[Case]:
    return (
        Case.objects.select_related("customer", "order", "assignee", "team")
        .prefetch_related("tags")
        .order_by("-created_at", "-pk")
    )


def message_list(*, case: Case) -> QuerySet[Message]:
    attachments = Prefetch(
        "attachments",
        queryset=Attachment.objects.only("message", "filename", "content_type", "size"),
    )
    messages = (
        Message.objects.filter(case=case)
        .select_related("author_user")
        .prefetch_related(attachments)
    )
    return _showing(messages, "author_user__username").order_by("created_at", "pk")


def case_event_list(*, case: Case) -> QuerySet[CaseEvent]:
    events = CaseEvent.objects.filter(case=case).select_related("actor")
    return _showing(events, "actor__username").order_by("created_at", "pk")


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


def attachment_get(*, pk: int, user: AnyUser) -> Attachment | None:
    """The attachment `pk` if `user` sees its case, else None."""
    return Attachment.objects.filter(case_visible_to(user, via="message__case"), pk=pk).first()


# --- dashboard: notifications and roles -------------------------------------------------------


def user_permissions_with_groups(*, user: User) -> set[str]:
    """`user`'s permissions, their own and their groups', as "app_label.codename" (what
    Django's ModelBackend reads in two queries), read in one query with the user's groups,
    which it keeps on `user` for case_visibility_of and user_is_supervisor (as _groups_of)."""
    # Plain SQL: every API request runs it, and the ORM takes as long to build this query as
    # the database to answer it. Subqueries rather than joins of both many-to-many tables,
    # which would multiply the rows by every holder of each permission.
    own = User.user_permissions.through._meta.db_table
    of_groups = Group.permissions.through._meta.db_table
    memberships = User.groups.through._meta.db_table
    sql = (
        f"SELECT 'p', ct.app_label || '.' || p.codename, NULL"  # noqa: S608
        f" FROM {Permission._meta.db_table} p"
        f" JOIN {ContentType._meta.db_table} ct ON ct.id = p.content_type_id"
        f" WHERE p.id IN (SELECT permission_id FROM {own} WHERE user_id = %s)"
        f" OR p.id IN (SELECT gp.permission_id FROM {of_groups} gp"
        f" JOIN {memberships} m ON m.group_id = gp.group_id WHERE m.user_id = %s)"
        f" UNION ALL SELECT 'g', g.name, v.visibility FROM {Group._meta.db_table} g"
        f" JOIN {memberships} m ON m.group_id = g.id"
        f" LEFT JOIN {GroupCaseVisibility._meta.db_table} v ON v.group_id = g.id"
        f" WHERE m.user_id = %s"
    )
    with connections[Permission.objects.db].cursor() as cursor:
        cursor.execute(sql, [user.pk] * 3)
        rows = cursor.fetchall()
    groups = [(name, visibility) for kind, name, visibility in rows if kind == "g"]
    user._case_groups_cache = groups  # type: ignore[attr-defined]
    return {name for kind, name, _ in rows if kind == "p"}


def user_is_supervisor(*, user: User) -> bool:
    """Whether `user` is a superuser or in the Supervisors group (one query at most)."""
    if getattr(user, "is_superuser", False):
        return True
    return any(name == SUPERVISORS_GROUP for name, _ in _groups_of(user))


def notification_list(
    *, user: AnyUser, channel: str = "", status: str = ""
) -> QuerySet[Notification]:
    """The outbox rows of cases `user` sees, newest first, optionally of one channel and one
    status; with its case, so a page costs one query however long it is."""
    notifications = (
        Notification.objects.filter(case_visible_to(user, via="case"))
        .select_related("case")
        .order_by("-created_at", "-pk")
    )
    if channel:
        notifications = notifications.filter(channel=channel)
    if status:
        notifications = notifications.filter(status=status)
    return notifications


# What needs a person: notifications that gave up, and texts held because they may have gone.
NEEDS_ATTENTION = (Notification.Status.FAILED, Notification.Status.HELD)


def notification_failed_list(*, user: AnyUser) -> QuerySet[Notification]:
    """Notifications that gave up or are held, newest first: what an agent may send again."""
    return notification_list(user=user).filter(status__in=NEEDS_ATTENTION)


def notification_failed_count(*, user: AnyUser) -> Tally:
    """How many notifications need a person: exact up to HOME_COUNT_CAP, estimated beyond
    (the dashboard shows it on every visit; a broken provider can fail thousands)."""
    return row_count(notification_failed_list(user=user), cap=settings.HOME_COUNT_CAP)


def notification_get(*, pk: int, user: AnyUser) -> Notification | None:
    """The notification `pk` if `user` sees its case, else None."""
    return notification_list(user=user).filter(pk=pk).first()


# --- two-factor sign-in -----------------------------------------------------------------------


def user_totp_device(*, user: AnyUser) -> TOTPDevice | None:
    """`user`'s confirmed TOTP device (the one the login asks a code of), or None."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user.pk, confirmed=True).order_by("pk").first()


def user_must_enrol_two_factor(*, user: AnyUser) -> bool:
    """Whether `user` has to set up two-factor sign-in before anything else: a supervisor (or
    superuser) while TWO_FACTOR_REQUIRED_FOR_SUPERVISORS is on."""
    return bool(
        settings.TWO_FACTOR_REQUIRED_FOR_SUPERVISORS
        and user.is_authenticated
        and isinstance(user, User)
        and user_is_supervisor(user=user)
    )


def short_link_target(*, code: str) -> str | None:
    """The path a short link (/s/<code>) leads to, or None for an unknown code."""
    return ShortLink.objects.filter(code=code.upper()).values_list("target", flat=True).first()
