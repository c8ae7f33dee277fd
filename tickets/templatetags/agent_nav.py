"""`{% load agent_nav %}`: the dashboard's menu, with the pages this user may open."""

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tickets.scenarios import agent_pages
from tickets.selectors import user_is_supervisor

register = template.Library()


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool


@register.inclusion_tag("tickets/agent/_nav.html", takes_context=True)
def agent_nav(context) -> dict:
    """Home and Cases for everyone, then the scenarios' pages (tickets.scenarios.AgentPage) for
    who may open them; Approvals for who may approve compensation; Macros and
    Reports for supervisors; the admin for staff. The link of the section shown is current. No
    query of its own: the request's permission and group reads are kept on the user."""
    request = context["request"]
    user = request.user
    supervisor = user_is_supervisor(user=user)
    pages = [
        (_("Home"), "tickets:agent-home", True),
        (_("Cases"), "tickets:agent-case-list", True),
        *((page.label, page.url_name, user.has_perm(page.permission)) for page in agent_pages()),
        (
            _("Approvals"),
            "tickets:agent-compensation-queue",
            user.has_perm("tickets.approve_compensation"),
        ),
        (_("Macros"), "tickets:agent-macro-list", supervisor),
        (_("Reports"), "tickets:agent-reports", supervisor),
    ]
    home = reverse("tickets:agent-home")
    links = []
    for label, name, allowed in pages:
        if allowed:
            url = reverse(name)
            current = request.path == url if url == home else request.path.startswith(url)
            links.append(NavLink(str(label), url, current))
    return {"links": links, "admin": user.is_staff}
