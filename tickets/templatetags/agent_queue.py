"""`{% load agent_queue %}`: the queue list beside the case workspace."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def queue_pane(context) -> str:
    """The left pane of the workspace: the list the agent came from (its filters in the URL)."""
    return ""
