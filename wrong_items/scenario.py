"""What the wrong-item kind adds to the spine through the scenario registry (registered in
WrongItemsConfig.ready()): the customer's status history, what happens next (with the
replacement's tracking and the discount code on their case page), the tracking link in
messages and macros, and the supervisors' reports."""

from collections.abc import Mapping
from typing import Any

from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tickets.general import general_next_step
from tickets.models import Case
from tickets.scenarios import EventMatch, Milestone, NextStep, NotificationLink, Report
from tickets.services.timeline import Verb
from wrong_items.models import DiscountCode
from wrong_items.selectors import report_of_case
from wrong_items.selectors_reports import (
    report_by_warehouse,
    report_confused_pairs,
    report_cost_per_incident,
    report_preventive_actions,
    report_rate_by_week,
    report_root_causes,
)
from wrong_items.services.actions import refund_of, report_replacement
from wrong_items.verbs import Verb as WrongVerb


def _status(status: str) -> EventMatch:
    return EventMatch(Verb.STATUS_CHANGED, {"status": status})


MILESTONES = (
    Milestone(EventMatch(WrongVerb.REPORTED), _("You told us you received the wrong item")),
    Milestone(EventMatch(WrongVerb.RESHIPPED), _("The right item is on its way by express")),
    Milestone(EventMatch(WrongVerb.REFUND_PROPOSED), _("We are refunding the item")),
    Milestone(EventMatch(WrongVerb.DISCOUNT_ISSUED), _("A discount code for your next order")),
    Milestone(EventMatch(WrongVerb.RETURN_LABEL), _("Your return label was sent")),
    Milestone(_status(Case.Status.RESOLVED), _("Solved")),
    Milestone(_status(Case.Status.CLOSED), _("Case closed")),
)

ACTIVE = frozenset({Case.Status.NEW, Case.Status.OPEN})


def _code(discount: DiscountCode) -> str:
    return gettext("Your discount code for your next order: %(code)s (valid until %(date)s).") % {
        "code": discount.code,
        "date": formats.date_format(discount.expires_at, "DATE_FORMAT"),
    }


def wrong_item_next_step(case: Case) -> NextStep | None:
    """The replacement's tracking (with a button to it) and the discount code while the case
    is worked; otherwise the general kind's step."""
    report = report_of_case(case=case)
    if report is None or case.status not in ACTIVE:
        return general_next_step(case)
    discount = report.discount_codes.order_by("-created_at").first()
    replacement = report_replacement(report)
    parts = []
    if replacement is not None:
        parts.append(
            gettext(
                "The right item is on its way by express with %(carrier)s, tracking number "
                "%(number)s."
            )
            % {"carrier": replacement.carrier.name, "number": replacement.tracking_number}
        )
    elif refund_of(report) is not None:
        parts.append(gettext("We are refunding the item to you."))
    else:
        parts.append(gettext("We are sorry. We are sending you the right item as fast as we can."))
    if discount is not None:
        parts.append(_code(discount))
    link = replacement.tracking_link if replacement is not None else ""
    return NextStep(
        " ".join(parts),
        action_label=_("Track your parcel") if link else "",
        action_url=link,
    )


def wrong_item_notification_context(case: Case, event: str) -> Mapping[str, Any]:
    """The replacement's tracking link under every message about the case, once it ships."""
    report = report_of_case(case=case)
    replacement = report_replacement(report) if report else None
    if replacement is None or not replacement.tracking_link:
        return {}
    return {
        "tracking_link": replacement.tracking_link,
        "links": [NotificationLink(_("Track your parcel"), replacement.tracking_link)],
    }


def wrong_item_placeholders(case: Case) -> Mapping[str, str]:
    report = report_of_case(case=case)
    replacement = report_replacement(report) if report else None
    return {"tracking_link": replacement.tracking_link} if replacement else {}


REPORTS = (
    Report(
        "wrong-item-rate", _("Wrong-item rate over shipped orders, by week"), report_rate_by_week
    ),
    Report("wrong-item-causes", _("Wrong-item root causes over time"), report_root_causes),
    Report("wrong-item-pairs", _("Most confused SKU pairs"), report_confused_pairs),
    Report("wrong-item-warehouses", _("Wrong items by warehouse"), report_by_warehouse),
    Report("wrong-item-costs", _("Cost of each wrong-item incident"), report_cost_per_incident),
    Report("wrong-item-actions", _("Preventive actions open and done"), report_preventive_actions),
)
