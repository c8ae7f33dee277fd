"""get_FOO_display() from a table made once per field and language.

Django's own get_FOO_display() rebuilds the field's whole table of choices on every call, and
hashing each lazy label translates it: 30–55 µs a call, where a tracking history on the
workspace draws two labels per event. The labels are the same, translated the same, from a table
kept per field and active language."""

from typing import Any

from django.db.models import Field
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

_TABLES: dict[tuple[Field, str | None], dict[Any, Any]] = {}
_MISSING = object()


def _labels(field: Field) -> dict[Any, Any]:
    key = (field, get_language())
    table = _TABLES.get(key)
    if table is None:
        table = _TABLES[key] = {
            make_hashable(value): force_str(label, strings_only=True)
            for value, label in field.flatchoices
        }
    return table


class ChoiceLabels:
    """Base of the models with choices: their get_FOO_display() reads the table. Django binds
    get_FOO_display() to the model's _get_FIELD_display when the class is made, so this must be a
    base of the model, listed before models.Model."""

    def _get_FIELD_display(self, field: Field) -> Any:
        value = getattr(self, field.attname)
        label = _labels(field).get(make_hashable(value), _MISSING)
        return force_str(value, strings_only=True) if label is _MISSING else label
