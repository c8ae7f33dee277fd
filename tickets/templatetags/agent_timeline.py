"""`{% load agent_timeline %}`: the workspace's timeline entries."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from tickets.agent.workspace_timeline import timeline_html

register = template.Library()


@register.simple_tag
def timeline_entries(rows: list[dict[str, Any]]) -> SafeString:
    """The timeline's <li>s (tickets.agent.workspace_timeline.timeline_html)."""
    return timeline_html(rows)
