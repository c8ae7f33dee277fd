"""Reads of cases and of what hangs off them, as the API and the pages show them."""

from typing import Any

from django.db.models import Prefetch, QuerySet

from tickets.models import (
    Attachment,
    Case,
    CaseEvent,
    Compensation,
    Customer,
    Message,
    Order,
    Tag,
)

from .access import AnyUser, _with_visible_cases, case_visible_to

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
    return customer_list().filter(_with_visible_cases(user, via="customer"))


def order_list() -> QuerySet[Order]:
    """Every order with its lines: for looking one up by id when opening a case."""
    orders = Order.objects.select_related("customer").prefetch_related("lines")
    return _showing(orders, *_customer_summary("customer")).order_by("-placed_at", "-pk")


def order_list_for(*, user: AnyUser) -> QuerySet[Order]:
    """The orders `user` may browse: those with no case or with a case they see."""
    return order_list().filter(_with_visible_cases(user, via="order"))


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


def compensation_rows(*, case: Case) -> QuerySet[Compensation]:
    """A case's compensations, oldest first: the ledger's rows alone. The customer's portal
    never names the agents behind them; the workspace reads their names apart
    (case_compensations)."""
    return Compensation.objects.filter(case=case).order_by("created_at", "pk")


def customer_compensations(*, case: Case) -> QuerySet[Compensation]:
    """The compensations the portal shows the customer, oldest first: not the insurance payout
    (money the shop recovers), nor a replacement or repair that was turned down or called off
    (the customer got a refund instead, or was told why)."""
    given_up = (Compensation.Status.REJECTED, Compensation.Status.CANCELLED)
    return (
        compensation_rows(case=case)
        .exclude(kind=Compensation.Kind.INSURANCE_PAYOUT)
        .exclude(kind__in=Compensation.GOODS, status__in=given_up)
    )


def compensation_list(*, case: Case) -> QuerySet[Compensation]:
    """A case's compensations, oldest first, with the people the API shows."""
    return compensation_rows(case=case).select_related("proposed_by", "approved_by")


def attachment_get(*, pk: int, user: AnyUser) -> Attachment | None:
    """The attachment `pk` if `user` sees its case, else None."""
    return Attachment.objects.filter(case_visible_to(user, via="message__case"), pk=pk).first()


def attachment_get_for_customer(*, pk: int, customer: Customer) -> Attachment | None:
    """The attachment `pk` if it belongs to a public message on one of `customer`'s cases,
    else None: another customer's file and an internal note's file are as unknown as a
    missing one."""
    return Attachment.objects.filter(
        pk=pk,
        message__visibility=Message.Visibility.PUBLIC,
        message__case__customer=customer,
    ).first()


def case_merge_suggestions(*, case: Case, user: AnyUser, limit: int) -> list[Case]:
    """Up to `limit` other cases of `case`'s customer that `user` sees and that could take it in
    a merge (not closed, not merged), newest first: the likely duplicates."""
    cases = (
        Case.objects.filter(case_visible_to(user), customer_id=case.customer_id)
        .exclude(pk=case.pk)
        .exclude(status=Case.Status.CLOSED)
        .filter(merged_into__isnull=True)
        .only("pk", "number", "subject", "status", "kind", "created_at")
        .order_by("-created_at", "-pk")
    )
    return list(cases[:limit])
