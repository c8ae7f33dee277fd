"""`{% load agent_collab %}`: working on a case together: macros, presence, merging duplicates."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def macro_picker(context, case) -> str:
    """The composer's macro menu for `case`."""
    return ""


@register.simple_tag(takes_context=True)
def presence_bar(context, case) -> str:
    """Who else is viewing or replying to `case`."""
    return ""


@register.simple_tag(takes_context=True)
def merge_action(context, case) -> str:
    """The control that merges `case` into another (duplicate) case."""
    return ""
