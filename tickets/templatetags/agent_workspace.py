"""`{% load agent_workspace %}`: small presentation helpers of the case workspace."""

from datetime import datetime

from django import template

from tickets.agent.workspace_timeline import ago as _ago

register = template.Library()


@register.filter
def ago(value: datetime | None) -> str:
    """ "3 hours ago", "just now": how long ago `value` was, to one unit."""
    return "" if value is None else _ago(value)
