"""What the shipment-issue kind adds to the spine through the scenario registry
(tickets/scenarios.py), registered in ShipmentsConfig.ready(): the customer's status history
(milestones), what we do next, the tracking link and estimate in every message about the case
and in macros, the parcels on the customer's orders, tracking numbers in the agents' search,
and the carrier reports."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shipments.models import Shipment, ShipmentStatus
from shipments.selectors.portal import parcel_view, parcels_for_orders, shipment_of_case
from shipments.selectors.reports import (
    claims_recovered,
    report_rates_by_carrier,
    report_rates_by_route,
    report_transit_by_carrier,
    report_transit_by_route,
)
from shipments.services.lost import lost_choice_path
from shipments.verbs import Verb as ShipmentVerb
from tickets.general import answer_due, general_next_step
from tickets.models import Case, Order
from tickets.scenarios import (
    CaseFilter,
    EventMatch,
    Milestone,
    NextStep,
    NotificationLink,
    OrderPanel,
    Report,
)
from tickets.services.timeline import Verb

# Case statuses in which the next step is about the parcel rather than about the customer's
# reply or the case closing (the general kind's next step says those).
FOLLOWING = frozenset({Case.Status.NEW, Case.Status.OPEN, Case.Status.WAITING_ON_CARRIER})


def _status(status: str) -> EventMatch:
    return EventMatch(Verb.STATUS_CHANGED, {"status": status})


MILESTONES = (
    Milestone(EventMatch(Verb.CREATED), _("We are looking into your parcel")),
    Milestone(
        EventMatch(ShipmentVerb.CUSTOMER_REPORT), _("You told us your parcel has not arrived")
    ),
    Milestone(EventMatch(ShipmentVerb.FINDING), _("We noticed a problem with your parcel")),
    Milestone(_status(Case.Status.WAITING_ON_CARRIER), _("We asked the carrier about it")),
    Milestone(EventMatch(ShipmentVerb.DECLARED_LOST), _("Your parcel was declared lost")),
    Milestone(EventMatch(ShipmentVerb.OUTCOME_CHOSEN), _("Refund or replacement chosen")),
    Milestone(EventMatch(ShipmentVerb.REPLACEMENT_SHIPPED), _("Your replacement is on its way")),
    Milestone(_status(Case.Status.RESOLVED), _("Solved")),
    Milestone(_status(Case.Status.CLOSED), _("Case closed")),
)


def _date(value: Any) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def shipment_next_step(case: Case) -> NextStep | None:
    """While the case follows the parcel: that we make a lost parcel right, that the customer
    collects one waiting at a pickup point (its tracking page, if any, as the action), or that
    we chase a late one, by the case's next due time while it is ahead (answer_due), or that we
    keep following it until its estimate. Otherwise (waiting for the customer's reply, solved,
    closed, delivered) the general kind's step."""
    shipment = shipment_of_case(case_id=case.pk)
    if shipment is None or case.status not in FOLLOWING:
        return general_next_step(case)
    lost = shipment.status == ShipmentStatus.LOST or shipment.declared_lost_at is not None
    if shipment.is_final and not lost:
        return general_next_step(case)
    due = answer_due(case)
    if lost and not shipment.lost_outcome:
        return NextStep(
            _("Your parcel is lost. Choose a refund or a replacement, and we take care of it."),
            action_label=_("Choose a refund or a replacement"),
            action_url=lost_choice_path(shipment),
        )
    if lost:
        if due is None:
            return NextStep(_("Your parcel is lost. We will refund or replace it."))
        return NextStep(
            _("Your parcel is lost. We will refund or replace it and write to you by %(date)s."),
            due,
        )
    parcel = parcel_view(shipment)
    if parcel.to_collect:
        return NextStep(
            # As the email about it says.
            _(
                "Your parcel is waiting for you at a pickup point. Please collect it soon: "
                "otherwise the carrier will send it back to us."
            ),
            action_label=_("Track your parcel"),
            action_url=parcel.tracking_link,
        )
    if parcel.late:
        if due is None:
            return NextStep(
                _(
                    "Your parcel is late. We are asking the carrier and will write to you as "
                    "soon as we hear from them."
                )
            )
        return NextStep(
            _("Your parcel is late. We are asking the carrier and will write to you by %(date)s."),
            due,
        )
    if parcel.estimate is not None:
        # A date, not a time: written into the text now, in the reader's language.
        return NextStep(
            gettext(
                "We follow your parcel with the carrier and tell you as soon as anything "
                "changes. Expected delivery: %(estimate)s."
            )
            % {"estimate": _date(parcel.estimate)}
        )
    return NextStep(
        _("We follow your parcel with the carrier and tell you as soon as anything changes.")
    )


def shipment_notification_context(case: Case, event: str) -> Mapping[str, Any]:
    """For every message about a shipment case: the shipment, its tracking link (also listed
    under the email as a link) and the delivery estimate. Empty for a case with no shipment."""
    shipment = shipment_of_case(case_id=case.pk)
    if shipment is None:
        return {}
    link = shipment.tracking_link
    return {
        "shipment": shipment,
        "tracking_link": link,
        "estimate": shipment.estimate,
        "links": [NotificationLink(_("Track your parcel"), link)] if link else [],
    }


def shipment_placeholders(case: Case) -> Mapping[str, str]:
    """{"tracking_link": the parcel's tracking page} for macros, empty without a shipment."""
    shipment = shipment_of_case(case_id=case.pk)
    if shipment is None:
        return {}
    return {"tracking_link": shipment.tracking_link}


def order_parcels(orders: Sequence[Order], full: bool) -> Mapping[int, Mapping[str, Any]]:
    """The parcels of each order that has any: with their tracking timelines on the order's page
    (`full`), their status and estimate alone on My orders."""
    found = parcels_for_orders(order_ids=[order.pk for order in orders], timeline=full)
    return {order_id: {"parcels": parcels} for order_id, parcels in found.items()}


ORDER_PANEL = OrderPanel(
    template="shipments/portal/_order_parcels.html",
    summary_template="shipments/portal/_order_parcels_summary.html",
    contexts=order_parcels,
)


def shipment_case_search(q: str) -> Sequence[QuerySet[Any]]:
    """The cases a tracking number names: the shipment's issue case and the case it was made
    for (a replacement or a return label). Exact match on the indexed tracking number, as
    typed or in capitals (carriers print them in capitals). Every carrier's tracking number
    holds a digit, so a name or a word is not looked up as one."""
    q = q.strip()
    if len(q) > Shipment._meta.get_field("tracking_number").max_length:  # type: ignore[operator]
        return ()
    if not any(char.isdigit() for char in q):
        return ()
    shipments = Shipment.objects.filter(tracking_number__in={q, q.upper()}).order_by()
    return (
        shipments.filter(issue_case__isnull=False).values("issue_case_id"),
        shipments.filter(case__isnull=False).values("case_id"),
    )


def carrier_cases(code: str) -> QuerySet[Any]:
    """The shipment-issue cases of the parcels of carrier `code` (our code, e.g. dhl_express;
    any case)."""
    return (
        Shipment.objects.filter(carrier__code=code.strip().lower(), issue_case__isnull=False)
        .order_by()
        .values("issue_case_id")
    )


CASE_FILTERS = (CaseFilter("carrier", _("Carrier"), carrier_cases),)


REPORTS = (
    Report("shipment-rates-carrier", _("Delays and losses by carrier"), report_rates_by_carrier),
    Report("shipment-rates-route", _("Delays and losses by route"), report_rates_by_route),
    Report("shipment-transit-carrier", _("Transit time by carrier"), report_transit_by_carrier),
    Report("shipment-transit-route", _("Transit time by route"), report_transit_by_route),
    Report("shipment-claims", _("Insurance claims filed and recovered"), claims_recovered),
)
