"""What a return is worth: the value of claimed units and the refund due on a request, in the
order's currency to its minor unit (a zero-decimal currency stays whole everywhere)."""

from collections.abc import Sequence
from decimal import Decimal

from returns.models import ReturnRequest
from tickets.models import OrderLine
from tickets.money import quantize


def claim_value(*, lines: Sequence[tuple[OrderLine, int]]) -> Decimal:
    """What the claimed units cost the customer, after the line's discounts."""
    total = Decimal(0)
    for line, quantity in lines:
        total += Decimal(line.total) * quantity / line.quantity
    return total


def refund_due(request: ReturnRequest) -> tuple[Decimal, Decimal]:
    """(what the customer gets back, restocking fee kept) for the request's units, in the
    order's currency to its minor unit: what was paid for them (after discounts), less the
    policy's restocking fee on a change-of-mind return (never on a defect)."""
    currency = request.order.currency
    paid = quantize(
        claim_value(
            lines=[
                (line.order_line, line.quantity)
                for line in request.lines.select_related("order_line")
            ]
        ),
        currency,
    )
    percent = request.policy.restocking_fee_percent if request.policy else Decimal(0)
    if request.kind != ReturnRequest.Kind.RETURN or not percent:
        return paid, Decimal(0)
    fee = quantize(paid * percent / 100, currency)
    return paid - fee, fee
