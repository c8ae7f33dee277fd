"""What the return and defect kinds add to the spine through the scenario registry
(tickets/scenarios.py), registered in ReturnsConfig.ready(): the customer's status history and,
once the prepaid label is issued, the step to send the parcel with a button to the label; once
resolved, what comes back."""

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from returns.models import ReturnRequest
from returns.selectors import request_label, return_request_of_case
from returns.selectors_reports import (
    report_inspection_outcomes,
    report_rates_by_sku,
    report_restocking_recovered,
    report_time_to_refund,
    report_top_reasons,
)
from returns.services.shipback import ship_back_due, ship_back_parcel
from returns.verbs import Verb as ReturnVerb
from shipments.labels.services import label_portal_path
from shipments.verbs import Verb as ShipmentVerb
from tickets.general import general_next_step
from tickets.models import Case
from tickets.money import format_money
from tickets.scenarios import EventMatch, Milestone, NextStep, Report
from tickets.services.timeline import Verb


def _status(status: str) -> EventMatch:
    return EventMatch(Verb.STATUS_CHANGED, {"status": status})


MILESTONES = (
    Milestone(EventMatch(Verb.CREATED), _("We received your request")),
    Milestone(EventMatch(ReturnVerb.APPROVED), _("Return approved")),
    Milestone(EventMatch(ShipmentVerb.LABEL_ISSUED), _("Your prepaid return label was sent")),
    Milestone(EventMatch(ReturnVerb.RECEIVED), _("We received your parcel")),
    Milestone(EventMatch(ReturnVerb.RESOLVED, {"resolution": "refund"}), _("Refund decided")),
    Milestone(
        EventMatch(ReturnVerb.RESOLVED, {"resolution": "store_credit"}), _("Store credit given")
    ),
    Milestone(
        EventMatch(ReturnVerb.RESOLVED, {"resolution": "exchange"}), _("Exchange on its way")
    ),
    Milestone(
        EventMatch(ReturnVerb.RESOLVED, {"resolution": "replacement"}),
        _("Replacement on its way"),
    ),
    Milestone(EventMatch(ReturnVerb.RESOLVED, {"resolution": "repair"}), _("Repair under way")),
    Milestone(EventMatch(ReturnVerb.REFUNDED), _("Refund paid")),
    Milestone(EventMatch(ReturnVerb.SHIPPED_BACK), _("Your item is on its way to you")),
    Milestone(EventMatch(ReturnVerb.REJECTED), _("Return not accepted")),
    Milestone(_status(Case.Status.RESOLVED), _("Solved")),
    Milestone(_status(Case.Status.CLOSED), _("Case closed")),
)


def _money_back(request: ReturnRequest) -> NextStep | None:
    """What comes back to the customer of a resolved refund or store credit, or None."""
    event = request.case.events.filter(verb=ReturnVerb.RESOLVED).order_by("-pk").first()
    if event is None or request.resolution not in ("refund", "store_credit"):
        return None
    amount = format_money(Decimal(event.data["amount"]), event.data["currency"])
    if request.resolution == "refund" and request.refunded_at:
        text = gettext("We refunded %(amount)s to you, the way you paid.")
    elif request.resolution == "refund":
        text = gettext("We refund %(amount)s to you, the way you paid.")
    else:
        text = gettext("You have %(amount)s of store credit for your next order.")
    return NextStep(text % {"amount": amount})


def _sent_back(request: ReturnRequest) -> NextStep | None:
    """The parcel on its way back after an exchange, a replacement or a repair, with a button
    to its tracking; that it is being made ready before it left; None for another outcome."""
    parcel = ship_back_parcel(request)
    if parcel is None:
        if not ship_back_due(request, parcel):
            return None
        return NextStep(
            _(
                "We are getting your item ready to send and will email you its tracking number "
                "as soon as it leaves."
            )
        )
    return NextStep(
        gettext("Your item is on its way to you with %(carrier)s, tracking number %(number)s.")
        % {"carrier": parcel.carrier.name, "number": parcel.tracking_number},
        action_label=_("Track your parcel"),
        action_url=parcel.tracking_link,
    )


def return_next_step(case: Case) -> NextStep | None:
    """With the label issued and the parcel not sent yet: print, pack and hand it over by the
    label's last day, with a button to the label; resolved, the refund or credit, or the
    parcel sent back with its tracking; otherwise the general kind's step."""
    request = return_request_of_case(case_id=case.pk)
    if request is not None and request.status == ReturnRequest.Status.RESOLVED:
        return _money_back(request) or _sent_back(request) or general_next_step(case)
    if request is None or request.status != ReturnRequest.Status.LABEL_ISSUED:
        return general_next_step(case)
    label = request_label(request)
    if label is None:
        return general_next_step(case)
    return NextStep(
        gettext(
            "Print your prepaid return label, pack the items with the label on the parcel and "
            "hand it to %(carrier)s by %(day)s."
        )
        % {
            "carrier": label.shipment.carrier.name,
            "day": formats.date_format(label.valid_until, "DATE_FORMAT"),
        },
        action_label=_("Download your return label"),
        action_url=label_portal_path(label),
    )


# Registered on the defect scenario only (ReturnsConfig.ready()): they cover both kinds, and a
# report slug may belong to one kind alone.
REPORTS = (
    Report("returns-sku-rates", _("Return and defect rate by SKU"), report_rates_by_sku),
    Report("returns-reasons", _("Top return reasons"), report_top_reasons),
    Report("returns-inspection", _("Inspection outcomes"), report_inspection_outcomes),
    Report("returns-time-to-refund", _("Time from receipt to refund"), report_time_to_refund),
    Report("returns-restocking", _("Restocking fees recovered"), report_restocking_recovered),
)
