"""The agent's decisions on a return request, posted from the return panel of the case
workspace: approve, or reject with a reason the customer reads. Each view parses the form,
calls one service and answers 303 back to the workspace; a request on a case the agent does
not see is a 404, a refusal a 4xx page saying why, with nothing changed."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from returns.models import ReturnRequest
from returns.selectors import return_requests_for_user
from returns.services.claims import return_request_approve, return_request_reject
from tickets.agent.actions import action_attempt
from tickets.agent.links import case_workspace_href, next_or

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
