"""`{% load agent_queue %}`: the case list's rows (also the workspace's queue pane), and selects
and radio buttons drawn in Python."""

import functools
from dataclasses import dataclass

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from tickets.agent.html import escaped, html_format
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


# An <option> drawn but for its "selected": its value as chosen values compare, and its HTML
# before and after the place of " selected".
OptionRow = tuple[str, str, str]


def _option_rows(choices) -> list[OptionRow]:
    return [
        (str(value), f'<option value="{escaped(value)}"', f">{escaped(label)}</option>")
        for value, label in choices
    ]


@functools.lru_cache(maxsize=256)
def _fixed_option_rows(form_class: type, name: str, language: str | None) -> list[OptionRow]:
    """The option rows of `form_class`'s field `name`, whose choices never change (the form
    names it in `fixed_choices`), in `language`, the active one: translated and escaped once."""
    return _option_rows(form_class.base_fields[name].choices)


def _options_html(rows: list[OptionRow], chosen) -> SafeString:
    chosen = _text(chosen)
    return SafeString(
        "".join(f"{head}{SELECTED if value == chosen else ''}{tail}" for value, head, tail in rows)
    )


@register.filter
def options(choices, chosen="") -> SafeString:
    """The <option>s of `choices` ((value, label) pairs), the one whose value is `chosen`
    selected, drawn in Python: a template loop over the agents cost a lookup and an escape per
    value, label and test."""
    return _options_html(_option_rows(choices), chosen)


@register.filter
def plain_select(field: BoundField) -> SafeString:
    """A choice field's <select>, drawn in Python. Django's widget templates draw every option
    through two template includes, which made the list's six filters cost more than its rows.
    The options of a field whose form names it in `fixed_choices` are translated and escaped
    once per language: the list's filters did so on every page, a twentieth of its time."""
    if field.name in getattr(field.form, "fixed_choices", ()):
        rows = _fixed_option_rows(type(field.form), field.name, get_language())
    else:
        rows = _option_rows(field.field.choices)
    return html_format(
        '<select name="{}" id="{}">{}</select>',
        field.html_name,
        field.auto_id,
        _options_html(rows, field.value()),
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
