"""`{% load agent_queue %}`: the queue list beside the case workspace, and the small filters
of a list row (country flag, initials, compact age)."""

from datetime import datetime

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets.agent.cases import PANE_SIZE, queue_read, rows_of

register = template.Library()

# Regional indicator symbols: "DE" → 🇩🇪.
REGIONAL_A = 0x1F1E6


@register.simple_tag(takes_context=True)
def queue_pane(context) -> str:
    """The left pane of the workspace: the list the agent came from (its filters in the URL),
    the current case (context["case"]) highlighted. One query (two with a search)."""
    request = context["request"]
    form, page, problem = queue_read(request, size=PANE_SIZE, count=False)
    current = context.get("case")
    return render_to_string(
        "tickets/agent/_queue_pane.html",
        {
            "rows": rows_of(page, request.GET.urlencode()),
            "problem": problem,
            "current": getattr(current, "number", None),
            "page": page,
        },
        request=request,
    )


@register.filter
def flag(country) -> str:
    """The flag emoji of a two-letter country code ("" for none)."""
    code = str(country or "").upper()
    if len(code) != 2 or not code.isalpha() or not code.isascii():
        return ""
    return "".join(chr(REGIONAL_A + ord(letter) - ord("A")) for letter in code)


@register.filter
def initials(user) -> str:
    """A user's initials: of their full name, else the first two letters of the username."""
    if user is None:
        return ""
    parts = [part for part in (user.first_name, user.last_name) if part]
    if parts:
        return "".join(part[0] for part in parts).upper()
    return user.get_username()[:2].upper()


@register.filter
def ago_short(moment: datetime | None) -> str:
    """How long ago `moment` was, in one short unit for a list column: "now", "5 min", "3 h",
    "12 d" (the workspace's timeline says it in words: agent_workspace's `ago`)."""
    if moment is None:
        return ""
    seconds = max(0, int((timezone.now() - moment).total_seconds()))
    if seconds < 60:
        return _("now")
    if seconds < 3600:
        return _("%(n)s min") % {"n": seconds // 60}
    if seconds < 86400:
        return _("%(n)s h") % {"n": seconds // 3600}
    return _("%(n)s d") % {"n": seconds // 86400}
