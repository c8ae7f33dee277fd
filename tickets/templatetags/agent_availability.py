"""`{% load agent_availability %}`: the agent's away switch in the dashboard header."""

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()


def user_is_away(user) -> bool:
    """Whether `user` marked themselves away (no profile yet: available). The auth backend
    loads the profile with the user, so this costs no query on a signed-in request."""
    try:
        return bool(user.agent_profile.away)
    except (ObjectDoesNotExist, AttributeError):
        return False


@register.simple_tag(takes_context=True)
def away_switch(context: template.Context) -> SafeString | str:
    """The header's "available / away" switch of the signed-in agent: a one-button form that
    flips it (POST to agent-away) and comes back to this page."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    return render_to_string(
        "tickets/agent/_away_switch.html",
        {"away": user_is_away(request.user), "next": request.get_full_path()},
        request=request,
    )
