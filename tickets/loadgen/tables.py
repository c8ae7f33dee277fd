"""What a batch writes: the column lists of each table, the batch's rows per table, and the
formatters the row modules share."""

from collections.abc import Sequence
from typing import TypeVar

from tickets.models import (
    Case,
    CaseEvent,
    Compensation,
    Customer,
    Message,
    Notification,
    Order,
    OrderLine,
)

from .sink import Row, Sink

T = TypeVar("T")

CUSTOMER_COLUMNS = (
    "id", "email", "name", "phone", "country", "language", "timezone", "sms_consent",
    "created_at", "updated_at",
)  # fmt: skip
ORDER_COLUMNS = (
    "id", "store", "number", "external_id", "customer_id", "placed_at", "currency", "subtotal",
    "shipping_total", "shipping_discount", "tax_total", "total", "shipping_country", "insured",
    "shop_updated_at", "created_at", "updated_at",
)  # fmt: skip
LINE_COLUMNS = (
    "order_id", "external_id", "position", "sku", "title", "category", "quantity", "unit_price",
    "discount",
)  # fmt: skip
CASE_COLUMNS = (
    "id", "number", "kind", "status", "priority", "subject", "customer_id", "order_id",
    "assignee_id", "team_id", "channel", "language", "first_response_due", "resolution_due",
    "first_responded_at", "resolved_at", "closed_at", "created_at", "updated_at", "version",
    "satisfaction", "satisfaction_at", "sla_due", "sla_paused_at",
)  # fmt: skip
MESSAGE_COLUMNS = ("case_id", "author_kind", "author_user_id", "visibility", "body", "created_at")
EVENT_COLUMNS = ("case_id", "actor_id", "verb", "data", "created_at")
NOTIFICATION_COLUMNS = (
    "customer_id", "case_id", "channel", "template", "language", "recipient", "subject", "body",
    "body_html", "status", "attempts", "next_attempt_at", "last_error", "provider_id",
    "idempotency_key", "message_id", "enqueued_at", "created_at", "sent_at",
)  # fmt: skip
COMPENSATION_COLUMNS = (
    "id", "case_id", "kind", "amount", "currency", "base_amount", "base_currency",
    "exchange_rate", "status", "needs_supervisor", "external_reference", "note",
    "failure_reason", "reason", "proposed_by_id", "proposed_by_customer", "approved_by_id",
    "approved_at", "issued_at", "created_at",
)  # fmt: skip


class Rows:
    """The rows of one batch, per table."""

    def __init__(self) -> None:
        self.customers: list[Row] = []
        self.orders: list[Row] = []
        self.lines: list[Row] = []
        self.cases: list[Row] = []
        self.messages: list[Row] = []
        self.events: list[Row] = []
        self.notifications: list[Row] = []
        self.compensations: list[Row] = []

    def write(self, sink: Sink) -> None:
        """Write every table, parents before the rows that point at them."""
        sink.write(Customer, CUSTOMER_COLUMNS, self.customers)
        sink.write(Order, ORDER_COLUMNS, self.orders)
        sink.write(OrderLine, LINE_COLUMNS, self.lines)
        sink.write(Case, CASE_COLUMNS, self.cases)
        sink.write(Message, MESSAGE_COLUMNS, self.messages)
        sink.write(Compensation, COMPENSATION_COLUMNS, self.compensations)
        sink.write(CaseEvent, EVENT_COLUMNS, self.events)
        sink.write(Notification, NOTIFICATION_COLUMNS, self.notifications)


def weighted(pairs: Sequence[tuple[T, int]]) -> list[T]:
    """A list to draw from with `rng.choice`, each value as often as its weight says."""
    return [value for value, weight in pairs for _ in range(weight)]


def money(minor: int, digits: int) -> str:
    """An amount in minor units as a decimal string with the currency's `digits`."""
    if digits == 0:
        return str(minor)
    units, rest = divmod(minor, 10**digits)
    return f"{units}.{rest:0{digits}d}"
