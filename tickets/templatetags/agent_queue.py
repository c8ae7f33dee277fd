"""`{% load agent_queue %}`: the case list's rows (also the workspace's queue pane), and selects
and radio buttons drawn in Python."""

from dataclasses import dataclass

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from tickets.agent.html import html_format, html_join
from tickets.agent.rows import rows_html

register = template.Library()

SELECTED = SafeString(" selected")
CHECKED = SafeString(" checked")
REQUIRED = SafeString(" required")
INVALID = SafeString(' aria-invalid="true"')
RADIO_HTML = '<input type="radio" name="{}" value="{}" id="{}"{}{}{}>'


def _text(value) -> str:
    """A chosen value as its options' values compare: text, "" for none."""
    return "" if value is None else str(value)


@register.simple_tag
def case_rows(rows, *, selectable: bool, current: str | None = None) -> SafeString:
    """The list's rows (tickets.agent.rows.rows_html)."""
    return rows_html(rows, selectable=selectable, current=current)


@register.filter
def options(choices, chosen="") -> SafeString:
    """The <option>s of `choices` ((value, label) pairs), the one whose value is `chosen`
    selected, drawn in Python: a template loop over the agents cost a lookup and an escape per
    value, label and test."""
    chosen = _text(chosen)
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


@dataclass(frozen=True)
class Radio:
    id: str
    tag: SafeString
    label: str


@register.filter
def plain_radios(field: BoundField) -> list[Radio]:
    """A choice field's radio buttons, each with its id (for its label) and label, drawn in
    Python: as Django's RadioSelect draws them, which costs a template per button."""
    chosen = _text(field.value())
    required = REQUIRED if field.field.required else ""
    invalid = INVALID if field.errors else ""
    radios = []
    for index, (value, label) in enumerate(field.field.choices):
        radio_id = f"{field.auto_id}_{index}"
        checked = CHECKED if str(value) == chosen else ""
        tag = html_format(RADIO_HTML, field.html_name, value, radio_id, required, invalid, checked)
        radios.append(Radio(radio_id, tag, str(label)))
    return radios
