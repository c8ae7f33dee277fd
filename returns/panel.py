"""The return panel of a return or defect case in the agent's workspace (registered on both
scenarios in apps.py): the RMA, its lines, the eligibility kept at submission, the customer's
return history, the approve and reject actions, and the prepaid label (issued here when the
approval could not issue it)."""

from collections.abc import Mapping
from typing import Any

from returns.models import Condition, Disposition, ReturnRequest
from returns.selectors import return_request_of_case
from returns.services.claims import abuse_signals
from returns.services.inspection import refund_due
from returns.services.receipts import WAITING_FOR_PARCEL
from shipments.labels.models import Label
from tickets.models import Case

PANEL_TEMPLATE = "returns/agent/_panel.html"


def panel_context(case: Case) -> Mapping[str, Any]:
    request = return_request_of_case(case_id=case.pk)
    if request is None:
        return {"return_request": None}
    decisions = {row.get("order_line_id"): row for row in request.eligibility}
    return {
        "return_request": request,
        "rows": [(line, decisions.get(line.order_line_id, {})) for line in request.lines.all()],
        "signals": abuse_signals(customer_id=case.customer_id),
        "can_decide": request.status == ReturnRequest.Status.REQUESTED,
        "label": Label.objects.select_related("shipment").filter(reference=request.rma).first(),
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
    }
