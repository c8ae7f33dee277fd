"""The agent's lost-parcel actions, posted from the shipment panel of the case workspace:
declare lost, settle with a refund or a replacement, ship the replacement, file an insurance
claim and record the provider's answers. Each view parses the form, calls one service and
answers 303 back to the workspace; a shipment or claim on a case the agent does not see is a
404, a refusal a 4xx page saying why, with nothing changed."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from shipments.forms import AgentOutcomeForm, ClaimAnswerForm, ManualEventForm, ReplacementForm
from shipments.models import InsuranceClaim, Shipment
from shipments.selectors.lost import claim_for_agent, parcel_to_link_get, shipment_for_agent
from shipments.services import claims as claim_services
from shipments.services import lost as lost_services
from shipments.services.issue_cases import issue_case_link
from shipments.services.manual_events import manual_event_add
from tickets.agent.actions import View, acting_agent, action_attempt, agent_action
from tickets.agent.links import case_workspace_href, next_or, see_other
from tickets.agent.refusals import form_problems, refused, refused_for, validation_problems
from tickets.errors import ApplicationError
from tickets.selectors.compensations import PROPOSE_PERMISSION
from tickets.selectors.workspace import workspace_case_get


def _back(request: HttpRequest, shipment: Shipment) -> str:
    case = shipment.issue_case or shipment.case
    fallback = case_workspace_href(case.number) if case else "/agent/"
    return next_or(request, fallback)


def _with_shipment(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, pk: int) -> HttpResponse:
        shipment = shipment_for_agent(pk=pk, user=request.user)
        if shipment is None:
            raise Http404
        return view(request, shipment, _back(request, shipment))

    return wrapped


@agent_action()
@_with_shipment
def declare_lost(request: HttpRequest, shipment: Shipment, back: str) -> HttpResponse:
    return action_attempt(
        request,
        back,
        lambda: lost_services.shipment_declare_lost(shipment=shipment, actor=acting_agent(request)),
        _(
            "Parcel %(number)s declared lost; the customer is asked to choose a refund or a "
            "replacement."
        )
        % {"number": shipment.tracking_number},  # fmt: skip
    )


@agent_action()
def link(request: HttpRequest, pk: int, number: str) -> HttpResponse:
    """Link case `number`, opened about its order without the parcel, to the order's parcel
    `pk` (the panel lists them). 404 for a case the agent does not see or a parcel that is not
    one of its order's on the way to the customer."""
    case = workspace_case_get(number=number, user=request.user)
    if case is None:
        raise Http404
    parcel = parcel_to_link_get(pk=pk, case=case)
    if parcel is None:
        raise Http404
    return action_attempt(
        request,
        case_workspace_href(case.number),
        lambda: issue_case_link(shipment=parcel, case=case, actor=acting_agent(request)),
        _("This case is now about parcel %(number)s.") % {"number": parcel.tracking_number},
    )


@agent_action(PROPOSE_PERMISSION)
@_with_shipment
def outcome(request: HttpRequest, shipment: Shipment, back: str) -> HttpResponse:
    form = AgentOutcomeForm(request.POST)
    if not form.is_valid():
        return refused(request, form_problems(form), back=back, status=400)
    chosen = form.cleaned_data["outcome"]
    return action_attempt(
        request,
        back,
        lambda: lost_services.lost_outcome_choose(
            shipment=shipment,
            outcome=chosen,
            actor=acting_agent(request),
            tracking_number=form.cleaned_data["tracking_number"],
        ),
        _("Refund proposed for the customer.")
        if chosen == Shipment.LostOutcome.REFUND
        else _("Replacement proposed for the customer."),
    )


@agent_action(PROPOSE_PERMISSION)
@_with_shipment
def replacement(request: HttpRequest, shipment: Shipment, back: str) -> HttpResponse:
    form = ReplacementForm(request.POST)
    if not form.is_valid():
        return refused(request, form_problems(form), back=back, status=400)
    return action_attempt(
        request,
        back,
        lambda: lost_services.replacement_ship(
            shipment=shipment,
            tracking_number=form.cleaned_data["tracking_number"],
            carrier=form.cleaned_data["carrier"],
            actor=acting_agent(request),
        ),
        _("Replacement shipped as %(number)s; the customer is told.")
        % {"number": form.cleaned_data["tracking_number"].strip()},
    )


@agent_action()
@_with_shipment
def claim_file(request: HttpRequest, shipment: Shipment, back: str) -> HttpResponse:
    return action_attempt(
        request,
        back,
        lambda: claim_services.claim_file(shipment=shipment, actor=acting_agent(request)),
        _("Insurance claim filed for parcel %(number)s.") % {"number": shipment.tracking_number},
    )


@agent_action(PROPOSE_PERMISSION)
def claim_answer(request: HttpRequest, pk: int) -> HttpResponse:
    claim: InsuranceClaim | None = claim_for_agent(pk=pk, user=request.user)
    if claim is None:
        raise Http404
    back = next_or(request, case_workspace_href(claim.case.number))
    form = ClaimAnswerForm(request.POST)
    if not form.is_valid():
        return refused(request, form_problems(form), back=back, status=400)
    status = form.cleaned_data["status"]
    return action_attempt(
        request,
        back,
        lambda: claim_services.claim_update(
            claim=claim,
            to=status,
            actor=acting_agent(request),
            amount_approved=form.cleaned_data["amount_approved"],
            reason=form.cleaned_data["reason"],
            provider_reference=form.cleaned_data["provider_reference"],
        ),
        _("Claim recorded as %(status)s.") % {"status": InsuranceClaim.Status(status).label},
    )


@agent_action()
@_with_shipment
def manual_event(request: HttpRequest, shipment: Shipment, back: str) -> HttpResponse:
    form = ManualEventForm(request.POST)
    if not form.is_valid():
        return refused(request, form_problems(form), back=back, status=400)
    return action_attempt(
        request,
        back,
        lambda: manual_event_add(
            shipment=shipment,
            occurred_at=form.cleaned_data["occurred_at"],
            status=form.cleaned_data["status"],
            message=form.cleaned_data["message"],
            location=form.cleaned_data["location"],
            actor=acting_agent(request),
        ),
        _("Tracking event added to parcel %(number)s.") % {"number": shipment.tracking_number},
    )


@agent_action(PROPOSE_PERMISSION)
def claim_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    claim: InsuranceClaim | None = claim_for_agent(pk=pk, user=request.user)
    if claim is None:
        raise Http404
    back = next_or(request, case_workspace_href(claim.case.number))
    found = claim
    try:
        found = claim_services.claim_refresh(claim=claim, actor=acting_agent(request))
    except ValidationError as exc:
        return refused(request, validation_problems(exc), back=back, status=400)
    except ApplicationError as exc:
        return refused_for(request, exc, back=back)
    messages.success(
        request,
        _("The provider says: %(status)s.") % {"status": found.get_status_display()},
    )
    return see_other(back)
