"""The return panel of a return or defect case in the agent's workspace (registered on both
scenarios in apps.py): the RMA, its lines, the eligibility kept at submission, the customer's
return history, the approve and reject actions, and the prepaid label (issued here when the
approval could not issue it)."""

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date

from returns.models import Condition, Disposition, RefundTransaction, ReturnRequest
from returns.selectors import request_label, return_request_of_case
from returns.services.claims import abuse_signals
from returns.services.money import refund_due
from returns.services.receipts import WAITING_FOR_PARCEL
from returns.services.refunds import PAID_BACK, STARTABLE, refund_clocks, refund_matters
from returns.services.shipback import ship_back_due, ship_back_parcel
from shipments.models import Carrier
from tickets.models import Case, Compensation

PANEL_TEMPLATE = "returns/agent/_panel.html"


def _refund_context(request: ReturnRequest) -> Mapping[str, Any]:
    """The refund's clocks, its transactions, and what the agent can do with it now."""
    if not refund_matters(request):
        return {"clocks": None}
    compensation = request.compensation
    status = compensation.status if compensation and compensation.kind in PAID_BACK else None
    transactions = list(request.refund_transactions.all())  # prefetched with the request
    live = [t for t in transactions if t.status != RefundTransaction.Status.FAILED]
    clocks, now = refund_clocks(request), timezone.now()
    return {
        "clocks": clocks,
        "sla_late": clocks.sla_late(now),
        "legal_late": clocks.legal_late(now),
        "refunds": transactions,
        "pending_refund": next(
            (t for t in transactions if t.status == RefundTransaction.Status.PENDING), None
        ),
        "can_start_refund": status in STARTABLE and not live,
        "refund_waits_approval": status == Compensation.Status.PROPOSED,
    }


def panel_context(case: Case) -> Mapping[str, Any]:
    request = return_request_of_case(case_id=case.pk)
    if request is None:
        return {"return_request": None}
    # The decisions as kept (JSON), their deadline a date again for the agent's date format.
    decisions = {
        row.get("order_line_id"): {**row, "deadline": parse_date(row["deadline"])}
        for row in request.eligibility
    }
    parcel = ship_back_parcel(request)
    due = ship_back_due(request, parcel)
    return {
        "return_request": request,
        "rows": [(line, decisions.get(line.order_line_id, {})) for line in request.lines.all()],
        "signals": abuse_signals(customer_id=case.customer_id),
        "can_decide": request.status == ReturnRequest.Status.REQUESTED,
        "label": request_label(request),
        # Approved without a label yet: the agent issues it, with the address the customer gave
        # (or their name and the order's country to start from).
        "needs_label": request.status == ReturnRequest.Status.APPROVED,
        "can_receive": request.status in WAITING_FOR_PARCEL,
        "can_inspect": request.status == ReturnRequest.Status.RECEIVED,
        "can_resolve": request.status == ReturnRequest.Status.INSPECTED,
        "conditions": Condition.choices,
        "dispositions": Disposition.choices,
        "resolutions": ReturnRequest.Resolution.choices,
        "refund_due": refund_due(request)
        if request.status == ReturnRequest.Status.INSPECTED
        else None,
        "currency": request.order.currency,
        "sender": request.sender_address
        or {"name": case.customer.name, "country": request.order.shipping_country},
        "ship_back_due": due,
        # Known carriers to pick from, as the other scenarios' parcel forms: a name typed
        # wrong would make a new carrier.
        "carriers": list(Carrier.objects.all()) if due else [],
        "shipped_back": parcel,
        **_refund_context(request),
    }
