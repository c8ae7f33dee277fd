"""The agent's wrong-item actions, posted from the wrong-item panel of the case workspace:
accept or dismiss the automatic proposal, reship, discount, refund, keep or return, root cause
and preventive actions. Each view parses the form, calls one service and answers 303 back to the
workspace; a report on a case the agent does not see is a 404, a refusal a 4xx page saying why,
with nothing changed."""

import datetime
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from shipments.labels.forms import AddressForm
from tickets.agent.actions import View, acting_agent, action_attempt, agent_action
from tickets.agent.links import case_workspace_href
from tickets.agent.refusals import form_problems, refused
from tickets.selectors.compensations import PROPOSE_PERMISSION
from wrong_items.forms import (
    DiscountForm,
    PreventiveActionForm,
    ReshipForm,
    RootCauseForm,
)
from wrong_items.models import PreventiveAction, RootCause, WrongItemReport
from wrong_items.selectors import report_for_agent
from wrong_items.services import actions, discounts, proposals, root_causes


def _with_report(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, pk: int) -> HttpResponse:
        report = report_for_agent(pk=pk, user=request.user)
        if report is None:
            raise Http404
        return view(request, report, case_workspace_href(report.case.number))

    return wrapped


@agent_action(PROPOSE_PERMISSION)
@_with_report
def proposal_accept(request: HttpRequest, report: WrongItemReport, back: str) -> HttpResponse:
    return action_attempt(
        request,
        back,
        lambda: proposals.proposal_accept(report=report, actor=acting_agent(request)),
        _("Proposal accepted: the customer has the discount code."),
    )


@agent_action()
@_with_report
def proposal_dismiss(request: HttpRequest, report: WrongItemReport, back: str) -> HttpResponse:
    return action_attempt(
        request,
        back,
        lambda: proposals.proposal_dismiss(
            report=report, actor=acting_agent(request), reason=request.POST.get("reason", "")[:500]
        ),
        _("Proposal dismissed."),
    )


@agent_action(PROPOSE_PERMISSION)
@_with_report
def reship(request: HttpRequest, report: WrongItemReport, back: str) -> HttpResponse:
    form = ReshipForm(request.POST)
    if not form.is_valid():
        return refused(request, form_problems(form), back=back, status=400)
    data = form.cleaned_data
    return action_attempt(
        request,
        back,
        lambda: actions.report_reship(
            report=report,
            carrier=data["carrier"],
            tracking_number=data["tracking_number"],
            actor=acting_agent(request),
        ),
        _("The right item is on its way by express as %(number)s; the customer is told.")
        % {"number": data["tracking_number"]},
    )


@agent_action(PROPOSE_PERMISSION)
@_with_report
def discount(request: HttpRequest, report: WrongItemReport, back: str) -> HttpResponse:
    form = DiscountForm(request.POST)
    if not form.is_valid():
        return refused(request, form_problems(form), back=back, status=400)
    data = form.cleaned_data
    expires = data["expires_on"]
    expires_at = (
        timezone.make_aware(datetime.datetime.combine(expires, datetime.time(23, 59, 59)))
        if expires
        else None
    )
    return action_attempt(
        request,
        back,
        lambda: discounts.discount_issue(
            report=report,
            value_type=data["value_type"],
            value=data["value"],
            currency=data["currency"],
            expires_at=expires_at,
            actor=acting_agent(request),
        ),
        _("Discount code sent to the customer."),
    )


@agent_action(PROPOSE_PERMISSION)
@_with_report
def refund(request: HttpRequest, report: WrongItemReport, back: str) -> HttpResponse:
    return action_attempt(
        request,
        back,
        lambda: actions.report_refund(report=report, actor=acting_agent(request)),
        _("Refund proposed for the customer."),
    )


@agent_action()
@_with_report
def keep(request: HttpRequest, report: WrongItemReport, back: str) -> HttpResponse:
    return action_attempt(
        request,
        back,
        lambda: actions.item_keep(report=report, actor=acting_agent(request)),
        _("The customer keeps the wrong item."),
    )


@agent_action()
@_with_report
def return_item(request: HttpRequest, report: WrongItemReport, back: str) -> HttpResponse:
    form = AddressForm(request.POST)
    if not form.is_valid():
        return refused(request, form_problems(form), back=back, status=400)
    return action_attempt(
        request,
        back,
        lambda: actions.item_return(
            report=report, customer_address=form.cleaned_data, actor=acting_agent(request)
        ),
        _("Prepaid return label sent to the customer."),
    )


@agent_action()
@_with_report
def root_cause(request: HttpRequest, report: WrongItemReport, back: str) -> HttpResponse:
    form = RootCauseForm(request.POST)
    if not form.is_valid():
        return refused(request, form_problems(form), back=back, status=400)
    return action_attempt(
        request,
        back,
        lambda: root_causes.root_cause_set(
            report=report, actor=acting_agent(request), **form.cleaned_data
        ),
        _("Root cause recorded."),
    )


@agent_action()
@_with_report
def preventive_action(request: HttpRequest, report: WrongItemReport, back: str) -> HttpResponse:
    form = PreventiveActionForm(request.POST)
    if not form.is_valid():
        return refused(request, form_problems(form), back=back, status=400)
    cause = RootCause.objects.filter(report=report).first()
    if cause is None:
        return refused(request, [_("Record the root cause first.")], back=back, status=409)
    return action_attempt(
        request,
        back,
        lambda: root_causes.preventive_action_create(
            root_causes=[cause], actor=acting_agent(request), **form.cleaned_data
        ),
        _("Preventive action added."),
    )


@agent_action()
@_with_report
def preventive_action_done(
    request: HttpRequest, report: WrongItemReport, back: str
) -> HttpResponse:
    action = PreventiveAction.objects.filter(
        pk=request.POST.get("action", "0") if request.POST.get("action", "").isdigit() else 0,
        root_causes__report=report,
    ).first()
    if action is None:
        return refused(
            request, [_("Choose a preventive action of this case.")], back=back, status=400
        )
    return action_attempt(
        request,
        back,
        lambda: root_causes.preventive_action_set_done(
            action=action, done=request.POST.get("done") == "1", actor=acting_agent(request)
        ),
        _("Preventive action updated."),
    )
