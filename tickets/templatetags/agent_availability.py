"""`{% load agent_availability %}`: the agent's away switch in the dashboard header."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def away_switch(context) -> str:
    """The header's "available / away" switch of the signed-in agent."""
    return ""
