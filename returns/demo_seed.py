"""The returns part of `manage.py seed_demo` (registered in apps.py with tickets'
demo_seeders): return policies (Germany's, with a holiday-season window and excluded gift
cards, and one for every other country), and return requests through the claim service: one
approved by the EU policy, one waiting for an agent, one an agent rejected.

The requests are for demo orders without a demo case, placed within the return window; the
choice follows the orders' numbers, so two databases get the same requests. Made once: a
database with any return request keeps its requests as they are."""

import datetime
from decimal import Decimal

from returns.models import EU_COUNTRIES, ReturnPolicy, ReturnRequest, SpecialWindow
from returns.services.claims import LineClaim, return_request_reject, return_request_submit
from tickets.demo_seeders import DemoContext
from tickets.models import Case, Order

# Orders placed at most this long ago can still be returned under the demo policies.
RECENT = datetime.timedelta(days=20)


def _policies(now: datetime.datetime) -> tuple[ReturnPolicy, ReturnPolicy]:
    eu, _ = ReturnPolicy.objects.get_or_create(
        name="Germany: 30 days, no questions asked",
        country="DE",
        defaults={
            "window_days": 30,
            "warranty_months": 24,
            "auto_approve_max_value": Decimal("150.00"),
            "excluded_skus": "GIFT-*",
            "restocking_fee_percent": Decimal(0),
        },
    )
    year = now.year
    SpecialWindow.objects.get_or_create(
        policy=eu,
        name=f"Holiday season {year}",
        defaults={
            "purchased_from": datetime.date(year, 11, 15),
            "purchased_until": datetime.date(year, 12, 24),
            "returnable_until": datetime.date(year + 1, 1, 15),
        },
    )
    other, _ = ReturnPolicy.objects.get_or_create(
        name="Rest of the world: 30 days, reviewed by an agent",
        country="",
        defaults={
            "window_days": 30,
            "warranty_months": 12,
            "auto_approve_max_value": None,
            "restocking_fee_percent": Decimal("10.00"),
            "return_shipping_paid_by": ReturnPolicy.ShippingPaidBy.CUSTOMER,
        },
    )
    return eu, other


def returns_demo_seed(context: DemoContext) -> str:
    _policies(context.now)
    if ReturnRequest.objects.exists():
        return ""
    candidates = sorted(
        (
            order
            for number, order in context.orders.items()
            if number not in context.case_orders and context.now - order.placed_at < RECENT
        ),
        key=lambda order: order.number,
    )
    german = [order for order in candidates if order.shipping_country.code == "DE"]
    abroad = [order for order in candidates if order.shipping_country.code not in EU_COUNTRIES]
    made: list[ReturnRequest] = []
    for order in german[:1] + abroad[:2]:
        line = order.lines.filter(removed_at__isnull=True).order_by("position", "pk").first()
        if line is None:
            continue
        made.append(
            return_request_submit(
                order=order,
                kind=ReturnRequest.Kind.RETURN,
                lines=[LineClaim(order_line_id=line.pk, quantity=1, reason_code="doesnt_fit")],
                preferred_outcome=ReturnRequest.Outcome.REFUND,
                channel=Case.Channel.PORTAL,
                description=_words(order),
            )
        )
    if len(made) == 3:
        return_request_reject(
            return_request=made[2],
            actor=context.agent,
            reason="The item was worn: it has stains and the labels are gone.",
        )
    by_status: dict[str, int] = {}
    for request in ReturnRequest.objects.all():
        by_status[request.status] = by_status.get(request.status, 0) + 1
    counts = ", ".join(f"{n} {status}" for status, n in sorted(by_status.items()))
    return f"Demo returns: 2 policies, {len(made)} return requests ({counts})."


def _words(order: Order) -> str:
    return f"It does not fit. Order {order.number}."
