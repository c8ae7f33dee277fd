"""`{% load agent_queue %}`: the case list's rows (also the workspace's queue pane) and its
selects."""

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from tickets.agent.html import html_format, html_join
from tickets.agent.rows import rows_html

register = template.Library()

SELECTED = SafeString(" selected")


@register.simple_tag
def case_rows(rows, *, selectable: bool, current: str | None = None) -> SafeString:
    """The list's rows (tickets.agent.rows.rows_html)."""
    return rows_html(rows, selectable=selectable, current=current)


@register.filter
def options(choices, chosen="") -> SafeString:
    """The <option>s of `choices` ((value, label) pairs), the one whose value is `chosen`
    selected, drawn in Python: a template loop over the agents cost a lookup and an escape per
    value, label and test."""
    chosen = "" if chosen is None else str(chosen)
    return html_join(
        '<option value="{}"{}>{}</option>',
        ((value, SELECTED if str(value) == chosen else "", label) for value, label in choices),
    )


@register.filter
def plain_select(field: BoundField) -> SafeString:
    """A choice field's <select>, drawn in Python. Django's widget templates draw every option
    through two template includes, which made the list's six filters cost more than its rows."""
    return html_format(
        '<select name="{}" id="{}">{}</select>',
        field.html_name,
        field.auto_id,
        options(field.field.choices, field.value()),
    )
