"""`{% load agent_compensation %}`: a case's compensation panel in the workspace."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def compensation_panel(context, case) -> str:
    """The compensations of `case`, and the form to propose one."""
    return ""
