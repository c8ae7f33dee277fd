"""The return panel of a return or defect case in the agent's workspace (registered on both
scenarios in apps.py): the RMA, its lines, the eligibility kept at submission, the customer's
return history, and the approve and reject actions."""

from collections.abc import Mapping
from typing import Any

from returns.models import ReturnRequest
from returns.selectors import return_request_of_case
from returns.services.claims import abuse_signals
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
    }
