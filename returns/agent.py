"""The agent's decisions on a return request, posted from the return panel of the case
workspace: approve, reject with a reason the customer reads, issue the prepaid label, mark the
parcel received, record the inspection and decide the outcome. Each
view parses the form, calls one service and answers 303 back to the workspace; a request on a
case the agent does not see is a 404, a refusal a 4xx page saying why, with nothing changed."""

from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from returns.models import ReturnRequest
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
from shipments.labels.forms import AddressForm
from tickets.agent.actions import action_attempt
from tickets.agent.links import case_workspace_href, next_or
from tickets.agent.refusals import form_problems, refused

View = Callable[..., HttpResponse]


def _decision(view: View) -> View:
    return require_POST(
        login_required(
            permission_required(
                ["tickets.view_case", "returns.change_returnrequest"], raise_exception=True
            )(view)
        )
    )


def _request_or_404(request: HttpRequest, pk: int) -> ReturnRequest:
    found = return_requests_for_user(user=request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@_decision
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    found = _request_or_404(request, pk)
    back = next_or(request, case_workspace_href(found.case.number))
    return action_attempt(
        request,
        back,
        lambda: return_request_approve(return_request=found, actor=request.user),  # type: ignore[arg-type]
        _("Return %(rma)s approved; the customer is told.") % {"rma": found.rma},
    )


@_decision
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    found = _request_or_404(request, pk)
    back = next_or(request, case_workspace_href(found.case.number))
    return action_attempt(
        request,
        back,
        lambda: return_request_reject(
            return_request=found,
            actor=request.user,  # type: ignore[arg-type]
            reason=request.POST.get("reason", ""),
        ),
        _("Return %(rma)s rejected; the customer is told why.") % {"rma": found.rma},
    )


@_decision
def label(request: HttpRequest, pk: int) -> HttpResponse:
    found = _request_or_404(request, pk)
    back = next_or(request, case_workspace_href(found.case.number))
    form = AddressForm(request.POST)
    if not form.is_valid():
        return refused(request, form_problems(form), back=back, status=400)
    return action_attempt(
        request,
        back,
        lambda: return_label_issue(
            return_request=found,
            actor=request.user,  # type: ignore[arg-type]
            sender_address=form.cleaned_data,
        ),
        _("Return label for %(rma)s issued and emailed to the customer.") % {"rma": found.rma},
    )


@_decision
def receive(request: HttpRequest, pk: int) -> HttpResponse:
    found = _request_or_404(request, pk)
    back = next_or(request, case_workspace_href(found.case.number))
    return action_attempt(
        request,
        back,
        lambda: return_request_receive(return_request=found, actor=request.user),  # type: ignore[arg-type]
        _("Return %(rma)s marked received; it waits for inspection.") % {"rma": found.rma},
    )


@_decision
def inspect(request: HttpRequest, pk: int) -> HttpResponse:
    found = _request_or_404(request, pk)
    back = next_or(request, case_workspace_href(found.case.number))
    post = request.POST
    defect = {"yes": True, "no": False}
    lines = [
        LineInspection(
            line_id=line.pk,
            condition=post.get(f"condition_{line.pk}", ""),
            defect_confirmed=defect.get(post.get(f"defect_{line.pk}", "")),
            disposition=post.get(f"disposition_{line.pk}", ""),
            note=post.get(f"note_{line.pk}", ""),
        )
        for line in found.lines.all()
    ]
    return action_attempt(
        request,
        back,
        lambda: return_request_inspect(return_request=found, lines=lines, actor=request.user),  # type: ignore[arg-type]
        _("Inspection of %(rma)s recorded; decide the outcome next.") % {"rma": found.rma},
    )


@_decision
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    found = _request_or_404(request, pk)
    back = next_or(request, case_workspace_href(found.case.number))
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
            actor=request.user,  # type: ignore[arg-type]
            amount=amount,
        ),
        _("Return %(rma)s resolved; the customer is told.") % {"rma": found.rma},
    )
