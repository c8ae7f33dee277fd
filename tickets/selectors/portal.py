"""What the portal reads: one signed-in customer's orders, cases, messages and compensation.

Every read takes the `customer` and filters by it, so that another customer's order or case is
not found at all, the same as one that does not exist (the portal answers 404 for both)."""

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet

from tickets.models import Case, Customer, Message, Order, OrderLine
from tickets.selectors.cases import message_list

ORDERS_PER_PAGE = 10
CASES_PER_PAGE = 20


def _order_lines() -> QuerySet[OrderLine]:
    # A line the shop took off the order is kept for what points at it, not shown.
    return OrderLine.objects.filter(removed_at__isnull=True).order_by("position", "pk")


def portal_order_page(*, customer: Customer, page: str | None) -> "Page[Order]":
    """A page of `customer`'s orders, newest first, each with its lines and cases (four
    queries, whatever the number of orders, lines or cases)."""
    cases = Case.objects.filter(customer=customer).order_by("-created_at", "-pk")
    orders = (
        Order.objects.filter(customer=customer)
        .order_by("-placed_at", "-pk")
        .prefetch_related(Prefetch("lines", queryset=_order_lines()), Prefetch("cases", cases))
    )
    return Paginator(orders, ORDERS_PER_PAGE).get_page(page)


def portal_order_get(*, customer: Customer, order_id: int) -> Order | None:
    """`customer`'s order `order_id` with its lines, or None (also for another's order)."""
    orders = Order.objects.filter(customer=customer, pk=order_id)
    return orders.prefetch_related(Prefetch("lines", queryset=_order_lines())).first()


def portal_order_detail_get(*, customer: Customer, order_id: int) -> Order | None:
    """`customer`'s order `order_id` with its lines and cases, or None (also for another's
    order): three queries."""
    cases = Case.objects.filter(customer=customer).order_by("-created_at", "-pk")
    orders = Order.objects.filter(customer=customer, pk=order_id)
    return orders.prefetch_related(
        Prefetch("lines", queryset=_order_lines()), Prefetch("cases", cases)
    ).first()


def portal_order_line_get(*, order: Order, line_id: object) -> OrderLine | None:
    """The (not removed) line `line_id` of `order`, or None, also for an id that is no number."""
    try:
        pk = int(str(line_id))
    except ValueError:
        return None
    return next((line for line in order.lines.all() if line.pk == pk), None)


def portal_case_active_for_line(
    *, customer: Customer, order_line: OrderLine, kind: str
) -> Case | None:
    """`customer`'s open case of `kind` about `order_line`, if there is one."""
    return Case.objects.filter(
        customer=customer, order_line=order_line, kind=kind, active=True
    ).first()


def portal_case_page(*, customer: Customer, page: str | None) -> "Page[Case]":
    """A page of `customer`'s cases, the last updated first (two queries)."""
    cases = Case.objects.filter(customer=customer).order_by("-updated_at", "-pk")
    return Paginator(cases, CASES_PER_PAGE).get_page(page)


def portal_case_get(*, customer: Customer, number: str) -> Case | None:
    """`customer`'s case `number` with its order and item, or None (also for another's)."""
    cases = Case.objects.filter(customer=customer, number=number)
    return cases.select_related("order", "order_line").first()


def portal_message_list(*, case: Case) -> QuerySet[Message]:
    """The messages of `case` the customer sees (never an internal note), oldest first, with
    their attachments: the case's thread as agents read it, public messages only."""
    return message_list(case=case).filter(visibility=Message.Visibility.PUBLIC)
