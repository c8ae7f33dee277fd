"""`{% load agent_sla %}`: the SLA badge of one case (grey while there is time, amber within
the hour, red when breached), drawn as the list rows draw it (tickets/agent/rows.py)."""

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from tickets.agent.rows import Clock

register = template.Library()


@register.simple_tag
def sla_badge(case) -> SafeString | str:
    """The SLA badge of `case` ("2 h 10 m", "−35 m", "paused", or nothing)."""
    return Clock(timezone.now()).sla_badge(case)
