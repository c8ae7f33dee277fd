"""The wrong-item panel of the case workspace (registered on the scenario in apps.py): the
report, and in one screen the apology, the express reshipment, the discount code, keep or
return, refund, and the root cause with its preventive actions."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db.models import Q

from shipments.models import Carrier
from tickets.models import Case, Compensation, Macro
from tickets.services.macros import macro_render
from wrong_items.models import RootCause
from wrong_items.selectors import report_of_case
from wrong_items.services.actions import (
    keep_suggested,
    refund_of,
    replacement_cost,
    report_replacement,
)

PANEL_TEMPLATE = "wrong_items/agent/_panel.html"


def apology_macro() -> Macro | None:
    """The active macro named settings.WRONG_ITEM_APOLOGY_MACRO, with its texts."""
    return (
        Macro.objects.filter(name=settings.WRONG_ITEM_APOLOGY_MACRO, active=True)
        .prefetch_related("texts")
        .first()
    )


def panel_context(case: Case) -> Mapping[str, Any]:
    report = report_of_case(case=case)
    if report is None:
        return {"report": None}
    macro = apology_macro()
    cause = RootCause.objects.filter(report=report).prefetch_related("preventive_actions").first()
    return {
        "report": report,
        "apology_macro": macro,
        "apology_text": macro_render(macro=macro, case=case) if macro else "",
        "replacement": report_replacement(report),
        "refund": refund_of(report),
        "reship_approved": replacement_cost(report),
        "propose_below": settings.WRONG_ITEM_PROPOSE_BELOW,
        "base_currency": settings.BASE_CURRENCY,
        "discounts": list(report.discount_codes.select_related("compensation")),
        "keep_suggested": keep_suggested(report),
        "keep_threshold": settings.WRONG_ITEM_KEEP_THRESHOLD,
        "return_label_shipment": case.shipments.filter(direction="return").first(),
        "root_cause": cause,
        "categories": RootCause.Category.choices,
        "carriers": list(Carrier.objects.all()),
        "costs": list(
            Compensation.objects.filter(case=case).filter(~Q(status__in=("rejected", "cancelled")))
        ),
    }
