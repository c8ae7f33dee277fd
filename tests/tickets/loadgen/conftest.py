import pytest

from tickets.loadgen import load_data_generate
from tickets.models import Case, CaseEvent, Customer, Message, Order


@pytest.fixture
def generate(db):
    """Run the generator in this test's database (N cases, seed 1 unless told)."""

    def run(cases: int, **options):
        return load_data_generate(cases=cases, **options)

    return run


def snapshot() -> dict[str, list[tuple]]:
    """The generated data without its ids (which depend on the database's sequences)."""
    cases = Case.objects.select_related("customer", "order", "assignee").order_by("number")
    return {
        "cases": [
            (
                c.number,
                c.kind,
                c.status,
                c.priority,
                c.subject,
                c.customer.email,
                c.order.number if c.order else None,
                c.assignee.username if c.assignee else None,
                c.created_at,
                c.first_responded_at,
                c.resolved_at,
                c.closed_at,
                c.updated_at,
                c.version,
                c.satisfaction,
            )  # fmt: skip
            for c in cases
        ],
        "customers": list(
            Customer.objects.order_by("email").values_list("email", "name", "country", "created_at")
        ),
        "orders": list(
            Order.objects.order_by("number").values_list(
                "number", "customer__email", "placed_at", "total", "currency"
            )
        ),
        "messages": list(
            Message.objects.order_by("case__number", "created_at", "body").values_list(
                "case__number", "author_kind", "body", "created_at"
            )
        ),
        "events": sorted(
            CaseEvent.objects.values_list("case__number", "verb", "created_at"), key=str
        ),
    }
