"""A faster `to_representation` for the read-only output serializers, with the same output.

DRF renders a row field by field through several method calls each (`get_attribute`, the
module-level lookup with its callable checks, `to_representation`, for a time its time-zone
lookup). On a page of 50 cases of 28 fields that is most of a list request's Python time.
`FastOutputSerializer` reads each serializer class's declared fields once and keeps, per field,
its attribute path (from `source`) and a plain function for the common field types; a row is
then a loop of `getattr` calls and those functions.

The output is DRF's, byte for byte (tests/tickets/api/test_fast_output.py compares them):

- Any field type without a function here (money, decimals, dicts, nested serializers, method
  fields, ...) is rendered by the field's own `to_representation`; nested serializers that are
  fast themselves are fast there too.
- A function only takes the value it was written for (a plain `str` for a choice, an aware
  `datetime` for a time, ...) and raises `Slow` for anything else; then, as for any exception,
  the field's own `to_representation` renders the value, giving DRF's answer or DRF's error.
- A lookup that fails in any way (a missing attribute, a dict, a built-in) is redone by the
  field's own `get_attribute`, with its defaults, nulls and skipped fields. A field that
  overrides `get_attribute` (money, related fields) is rendered by DRF's code altogether.

The plan is per class, so a serializer whose fields vary per instance must not use this.
"""

from collections.abc import Callable, Mapping
from datetime import datetime, tzinfo
from functools import partial
from types import MethodType
from typing import Any

from django.conf import settings
from django.db.models.manager import BaseManager
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework import fields as drf_fields
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

# A field's function: (value, the time zone times are shown in or None) -> JSON value.
Convert = Callable[[Any, tzinfo | None], Any]


class Slow(Exception):  # noqa: N818 - a signal, not an error
    """The value is not one the fast function renders: the field's own code renders it."""


def _char(value: Any, tz: tzinfo | None) -> str:
    return str(value)


def _integer(value: Any, tz: tzinfo | None) -> int:
    return int(value)


def _boolean(value: Any, tz: tzinfo | None) -> bool:
    if type(value) is not bool:
        raise Slow
    return value


def _datetime(value: Any, tz: tzinfo | None) -> str:
    # DRF's DateTimeField with the ISO 8601 format: the time in the current time zone, "Z"
    # for UTC. Naive times, dates and strings go to DRF's own rules.
    if tz is None or type(value) is not datetime or value.utcoffset() is None:
        raise Slow
    text = value.astimezone(tz).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _choice(field: serializers.ChoiceField) -> Convert:
    choices = field.choice_strings_to_values

    def convert(value: Any, tz: tzinfo | None) -> Any:
        if type(value) is not str:  # enum members and other types: DRF's own rules
            raise Slow
        return value if value == "" else choices.get(value, value)

    return convert


def _char_list(value: Any, tz: tzinfo | None) -> list[str | None]:
    return [None if item is None else str(item) for item in value]


def _own(cls: type, name: str, base: type) -> bool:
    """Whether `cls` renders with `base`'s own method `name`, not an override of it."""
    return getattr(cls, name) is getattr(base, name)


def _converter(field: Any) -> Convert | None:
    """The fast function of `field`, or None to use its own `to_representation`."""
    cls = type(field)
    if _own(cls, "to_representation", serializers.ChoiceField):
        return _choice(field)
    if _own(cls, "to_representation", serializers.CharField):
        return _char
    if _own(cls, "to_representation", serializers.IntegerField):
        return _integer
    if _own(cls, "to_representation", serializers.BooleanField):
        return _boolean
    if _own(cls, "to_representation", serializers.DateTimeField):
        # A field with its own format or time zone keeps DRF's code.
        if "format" in vars(field) or "timezone" in vars(field):
            return None
        if not _own(cls, "enforce_timezone", serializers.DateTimeField):
            return None
        return _datetime
    if _own(cls, "to_representation", serializers.ListField):
        child = field.child
        if type(child) is serializers.CharField:
            return _char_list
    return None


# Whether DRF calls a bound method it meets on a path (`tags.all`), by the method's function:
# DRF asks `inspect.signature` each time, which costs more than the rest of the field.
_SIMPLE_METHODS: dict[Any, bool] = {}


def _called(value: Any) -> Any:
    """`value()` where DRF would call it (a function or method taking no arguments)."""
    if type(value) is not MethodType:
        return value() if drf_fields.is_simple_callable(value) else value
    simple = _SIMPLE_METHODS.get(value.__func__)
    if simple is None:
        simple = _SIMPLE_METHODS[value.__func__] = drf_fields.is_simple_callable(value)
    return value() if simple else value


def _lookup(instance: Any, attrs: list[str]) -> Any:
    """DRF's `fields.get_attribute` on `instance`, which is no mapping: raises where DRF may
    differ (a mapping on the way, a related object that does not exist, a built-in), and the
    caller asks DRF."""
    for step, attr in enumerate(attrs):
        if step and isinstance(instance, Mapping):
            raise Slow
        instance = getattr(instance, attr)
        if callable(instance):
            instance = _called(instance)
    return instance


def _current_timezone() -> tzinfo | None:
    """The zone DRF shows times in, or None where its ISO 8601 rule does not apply."""
    output_format = api_settings.DATETIME_FORMAT
    if not settings.USE_TZ or not isinstance(output_format, str):
        return None
    if output_format.lower() != ISO_8601:
        return None
    return timezone.get_current_timezone()


# Where a serializer comes from when the fast path needs DRF's code: the serializer itself, or
# its parent's field, whose fields DRF builds (a deep copy of every declared field) only then.
SerializerOf = Callable[[], Any]


def _field_of(serializer: SerializerOf, name: str) -> Any:
    return serializer().fields[name]


class _Nested:
    """A nested fast serializer (`many`: in a list), rendered without building its fields."""

    def __init__(self, cls: type["FastOutputSerializer"], *, many: bool) -> None:
        self.cls, self.many = cls, many

    def render(self, value: Any, field: SerializerOf) -> Any:
        if not self.many:
            return self.cls.fast_render(value, field)
        # DRF's ListSerializer.to_representation
        rows = value.all() if isinstance(value, BaseManager) else value
        return [self.cls.fast_render(row, lambda: field().child) for row in rows]


def _nested(field: Any) -> "_Nested | None":
    many = type(field) is serializers.ListSerializer
    serializer = field.child if many else field
    cls = type(serializer)
    if issubclass(cls, FastOutputSerializer) and _own(
        cls, "to_representation", FastOutputSerializer
    ):
        return _Nested(cls, many=many)
    return None


# Per readable field: its name, its attribute path (None: the field looks its value up itself)
# and how its value renders (None: the field's own `to_representation`).
Plan = list[tuple[str, list[str] | None, Convert | _Nested | None]]


# An output serializer that renders like `serializers.Serializer`, faster (see the module's
# docstring). Declare fields as usual; the schema still comes from them. No docstring: the
# schema would show it as the description of every serializer without one of its own.
class FastOutputSerializer(serializers.Serializer):
    _fast_plan: Plan
    _fast_times: bool

    @classmethod
    def _plan_of(cls, serializer: Any) -> None:
        plan: Plan = []
        for name, field in serializer.fields.items():
            if field.write_only:
                continue
            if _own(type(field), "get_attribute", serializers.Field):
                render: Convert | _Nested | None = _nested(field) or _converter(field)
                plan.append((name, field.source_attrs, render))
            else:
                plan.append((name, None, None))
        cls._fast_times = any(render is _datetime for _name, _attrs, render in plan)
        cls._fast_plan = plan

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return self.fast_render(instance, lambda: self)

    @classmethod
    def fast_render(cls, instance: Any, serializer: SerializerOf) -> dict[str, Any]:
        """What `serializers.Serializer.to_representation` gives for `instance`;
        `serializer()` is the serializer, asked for only where DRF's code renders."""
        if "_fast_plan" not in cls.__dict__:
            cls._plan_of(serializer())
        if isinstance(instance, Mapping):
            return serializers.Serializer.to_representation(serializer(), instance)
        tz = _current_timezone() if cls._fast_times else None
        ret: dict[str, Any] = {}
        for name, attrs, render in cls._fast_plan:
            if attrs is None:
                field = serializer().fields[name]
                try:
                    value = field.get_attribute(instance)
                except SkipField:
                    continue
                empty = value.pk if isinstance(value, PKOnlyObject) else value
                ret[name] = None if empty is None else field.to_representation(value)
                continue
            try:
                value = _lookup(instance, attrs)
            except Exception:  # DRF's lookup: its value, default, skip or error message
                try:
                    value = serializer().fields[name].get_attribute(instance)
                except SkipField:
                    continue
            if value is None:
                ret[name] = None
            elif render is None:
                ret[name] = serializer().fields[name].to_representation(value)
            elif isinstance(render, _Nested):
                ret[name] = render.render(value, partial(_field_of, serializer, name))
            else:
                try:
                    ret[name] = render(value, tz)
                except Exception:
                    ret[name] = serializer().fields[name].to_representation(value)
        return ret
