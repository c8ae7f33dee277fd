"""`{% load agent_compensation %}`: a case's compensation panel in the workspace."""

from decimal import Decimal

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tickets.agent.compensation_forms import CompensationProposeForm
from tickets.models import Case
from tickets.selectors import compensations as ledger
from tickets.validators import currency_precision

register = template.Library()

# The moves that must say something, with their button and the question their field asks.
MOVES_WITH_REASON = [
    ("reject", _("Reject"), _("Why reject it?")),
    ("fail", _("Mark failed"), _("What failed?")),
    ("cancel", _("Cancel"), _("Why cancel it?")),
]


@register.inclusion_tag("tickets/agent/_compensation_moves.html")
def compensation_moves(compensation, moves: list[str], next_url: str) -> dict:
    """The buttons of the moves `moves` (compensation_moves of the selectors) of one
    compensation; each form comes back to `next_url`."""
    return {
        "compensation": compensation,
        "moves": moves,
        "next": next_url,
        "move_reasons": MOVES_WITH_REASON,
    }


@register.simple_tag(takes_context=True)
def compensation_panel(context, case: Case) -> str:
    """The compensations of `case`, and the form to propose one. Its queries do not grow with
    the number of compensations: the ledger rows, their people (when there are rows), the
    exchange rate, the user's permissions (read once per request)."""
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    if user is None or not user.has_perm("tickets.view_compensation"):
        return ""
    currency = ledger.compensation_currency(case=case)
    rate = ledger.rate_to_base(currency=currency)
    compensations = ledger.case_compensations(case=case)
    can_propose = user.has_perm(ledger.PROPOSE_PERMISSION) and case.status != Case.Status.CLOSED
    return render_to_string(
        "tickets/agent/_compensations.html",
        {
            "case": case,
            "rows": [
                (row, ledger.compensation_moves(compensation=row, user=user))
                for row in compensations
            ],
            "can_propose": can_propose,
            # Ids of its own: the workspace holds other forms (filters, controls) beside it.
            "form": CompensationProposeForm(currency=currency, auto_id="comp-%s"),
            "currency": currency,
            "decimals": currency_precision(currency),
            "base_currency": settings.BASE_CURRENCY,
            "base_decimals": currency_precision(settings.BASE_CURRENCY),
            "rate": rate if rate is None else f"{Decimal(rate):f}",
            "threshold": f"{settings.COMPENSATION_APPROVAL_THRESHOLD:f}",
            "can_approve_big": user.has_perm(ledger.APPROVE_PERMISSION),
            "next": request.get_full_path() if request is not None else "",
            "locale": get_language() or settings.LANGUAGE_CODE,
        },
        request=request,
    )
