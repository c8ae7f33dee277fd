"""The agent's decisions on a return request, posted from the return panel of the case
workspace: approve, reject with a reason the customer reads, issue the prepaid label, mark the
parcel received, record the inspection and decide the outcome. Each view parses the form, calls
one service and answers 303 back to the workspace; a request on a case the agent does not see is
a 404, a refusal a 4xx page saying why, with nothing changed."""

from collections.abc import Callable
from decimal import Decimal
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from returns.models import RefundTransaction, ReturnRequest
from returns.selectors import return_requests_for_user
from returns.services.claims import (
    return_label_issue,
    return_request_approve,
    return_request_reject,
)
from returns.services.inspection import (
    LineInspection,
    return_request_inspect,
    return_request_resolve,
)
from returns.services.receipts import return_request_receive
from returns.services.refunds import refund_confirm, refund_fail, refund_start
from returns.services.shipback import return_ship_back
from shipments.labels.forms import AddressForm
from tickets.agent.actions import View, acting_agent, action_attempt, agent_action
from tickets.agent.links import case_workspace_href, next_or
from tickets.agent.refusals import form_problems, refused

CHANGE = "returns.change_returnrequest"


def _with_request(view: View) -> View:
    """The return request `pk` the agent sees (else 404), and where to go back to."""

    @wraps(view)
    def wrapped(request: HttpRequest, pk: int) -> HttpResponse:
        found = return_requests_for_user(user=request.user).filter(pk=pk).first()
        if found is None:
            raise Http404
        return view(request, found, next_or(request, case_workspace_href(found.case.number)))

    return wrapped


@agent_action(CHANGE)
@_with_request
def approve(request: HttpRequest, found: ReturnRequest, back: str) -> HttpResponse:
    return action_attempt(
        request,
        back,
        lambda: return_request_approve(return_request=found, actor=acting_agent(request)),
        _("Return %(rma)s approved; the customer is told.") % {"rma": found.rma},
    )


@agent_action(CHANGE)
@_with_request
def reject(request: HttpRequest, found: ReturnRequest, back: str) -> HttpResponse:
    return action_attempt(
        request,
        back,
        lambda: return_request_reject(
            return_request=found,
            actor=acting_agent(request),
            reason=request.POST.get("reason", ""),
        ),
        _("Return %(rma)s rejected; the customer is told why.") % {"rma": found.rma},
    )


@agent_action(CHANGE)
@_with_request
def label(request: HttpRequest, found: ReturnRequest, back: str) -> HttpResponse:
    form = AddressForm(request.POST)
    if not form.is_valid():
        return refused(request, form_problems(form), back=back, status=400)
    return action_attempt(
        request,
        back,
        lambda: return_label_issue(
            return_request=found, actor=acting_agent(request), sender_address=form.cleaned_data
        ),
        _("Return label for %(rma)s issued and emailed to the customer.") % {"rma": found.rma},
    )


@agent_action(CHANGE)
@_with_request
def receive(request: HttpRequest, found: ReturnRequest, back: str) -> HttpResponse:
    return action_attempt(
        request,
        back,
        lambda: return_request_receive(return_request=found, actor=acting_agent(request)),
        _("Return %(rma)s marked received; it waits for inspection.") % {"rma": found.rma},
    )


@agent_action(CHANGE)
@_with_request
def inspect(request: HttpRequest, found: ReturnRequest, back: str) -> HttpResponse:
    post = request.POST
    defect = {"yes": True, "no": False}
    lines = [
        LineInspection(
            line_id=line.pk,
            condition=post.get(f"condition_{line.pk}", ""),
            defect_confirmed=defect.get(post.get(f"defect_{line.pk}", "")),
            disposition=post.get(f"disposition_{line.pk}", ""),
            note=post.get(f"note_{line.pk}", ""),
            photos=tuple(request.FILES.getlist(f"photos_{line.pk}")),
        )
        for line in found.lines.all()
    ]
    return action_attempt(
        request,
        back,
        lambda: return_request_inspect(
            return_request=found, lines=lines, actor=acting_agent(request)
        ),
        _("Inspection of %(rma)s recorded; decide the outcome next.") % {"rma": found.rma},
    )


@agent_action(CHANGE)
@_with_request
def resolve(request: HttpRequest, found: ReturnRequest, back: str) -> HttpResponse:
    text = request.POST.get("amount", "").strip()
    try:
        amount = Decimal(text) if text else None
    except ArithmeticError:
        return refused(request, [_("The amount must be a number.")], back=back, status=400)
    return action_attempt(
        request,
        back,
        lambda: return_request_resolve(
            return_request=found,
            resolution=request.POST.get("resolution", ""),
            actor=acting_agent(request),
            amount=amount,
            exchange_sku=request.POST.get("exchange_sku", ""),
        ),
        _("Return %(rma)s resolved; the customer is told.") % {"rma": found.rma},
    )


@agent_action(CHANGE)
@_with_request
def refund(request: HttpRequest, found: ReturnRequest, back: str) -> HttpResponse:
    return action_attempt(
        request,
        back,
        lambda: refund_start(return_request=found, actor=acting_agent(request)),
        _("Refund of %(rma)s started.") % {"rma": found.rma},
    )


@agent_action(CHANGE)
@_with_request
def ship_back(request: HttpRequest, found: ReturnRequest, back: str) -> HttpResponse:
    return action_attempt(
        request,
        back,
        lambda: return_ship_back(
            return_request=found,
            carrier=request.POST.get("carrier", "").strip(),
            tracking_number=request.POST.get("tracking_number", ""),
            actor=acting_agent(request),
        ),
        _("The parcel for %(rma)s is recorded; the customer gets its tracking.")
        % {"rma": found.rma},
    )


def _with_refund(view: Callable[[HttpRequest, RefundTransaction, str], HttpResponse]) -> View:
    """Refund transaction `pk` of a request the agent sees (else 404)."""

    @wraps(view)
    def wrapped(request: HttpRequest, pk: int) -> HttpResponse:
        visible = return_requests_for_user(user=request.user).values("pk")
        found = (
            RefundTransaction.objects.filter(pk=pk, request__in=visible)
            .select_related("request__case")
            .first()
        )
        if found is None:
            raise Http404
        return view(
            request, found, next_or(request, case_workspace_href(found.request.case.number))
        )

    return wrapped


@agent_action(CHANGE)
@_with_refund
def refund_confirmed(request: HttpRequest, found: RefundTransaction, back: str) -> HttpResponse:
    return action_attempt(
        request,
        back,
        lambda: refund_confirm(
            refund=found, reference=request.POST.get("reference", ""), actor=acting_agent(request)
        ),
        _("Refund of %(rma)s recorded as paid; the customer is told.") % {"rma": found.request.rma},
    )


@agent_action(CHANGE)
@_with_refund
def refund_failed(request: HttpRequest, found: RefundTransaction, back: str) -> HttpResponse:
    return action_attempt(
        request,
        back,
        lambda: refund_fail(
            refund=found, reason=request.POST.get("reason", ""), actor=acting_agent(request)
        ),
        _("Refund of %(rma)s recorded as failed; start it again when it can be paid.")
        % {"rma": found.request.rma},
    )
