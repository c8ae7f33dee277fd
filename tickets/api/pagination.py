"""Pages of the API's lists that cost the same at row 1,000,000 as at row 1.

`next` and `previous` are keyset links (`?cursor=…`): the cursor holds the sort values of the
last (or first) row shown, and the next page is the rows after it in the list's order, read
from the index that matches that order however deep it is. `?page=N` still works for clients
that count pages, down to LIST_PAGE_MAX_ROWS rows (an OFFSET reads every row it skips); deeper
is a 404 (`page_too_deep`) that says to follow `next`. `count` is exact up to LIST_COUNT_CAP
and PostgreSQL's estimate beyond, `count_exact` says which."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections, models
from django.db.models import F, Lookup, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from tickets.selectors import Tally, row_count


# Both are 404s, "no such page", as a page past the end is: the schema can say that `page` is
# a whole number and `cursor` a string, not which of them name a page.
class PageTooDeep(exceptions.NotFound):
    default_code = "page_too_deep"
    default_detail = _("This page is too deep to reach by number; follow the `next` links.")


class InvalidCursor(exceptions.NotFound):
    default_code = "invalid_cursor"
    default_detail = _(
        "This is not a cursor this list gave out. Use the `next` and `previous` links as they "
        "are, or leave `cursor` out for the first page."
    )


@dataclass(frozen=True)
class Cursor:
    """A position in a list: the sort values of one row, and which way to read from it."""

    values: list[Any]
    backwards: bool


def _plain(value: Any) -> Any:
    """A sort value as JSON holds it; the field's to_python reads it back."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page_size=M` (at most 200 a page) with `?cursor=…` from `next`/`previous`, or
    `?page=N`; answers `{count, count_exact, next, previous, results}`.

    `page_size` must be a whole number: one above 200 gives 200 rows, one below 1 the default
    (as the schema's bounds-free integer says), anything else is a 400, not a silent 50."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        self.ordering = _ordering_of(queryset)
        queryset = queryset.order_by(*self.ordering)
        fields = [_sort_field(queryset.model, name) for name in self.ordering]
        self.fields = fields if all(fields) else None
        # An empty cursor is none, as an empty `ordering` is the default order.
        token = request.query_params.get(self.cursor_query_param)
        if token:
            cursor = self._decode(token)
            rows, has_previous, has_next = self._rows_from_cursor(queryset, cursor, size)
            self.number = None
        else:
            self.number = self._page_number(request, size)
            rows = _rows_at(queryset, (self.number - 1) * size, size + 1)
            if not rows and self.number > 1:
                raise exceptions.NotFound(_("Invalid page."))
            has_previous, has_next = self.number > 1, len(rows) > size
            rows = rows[:size]
        self.tally: Tally = row_count(queryset, cap=settings.LIST_COUNT_CAP)
        self.next_link = self._link(rows[-1], backwards=False) if has_next and rows else None
        self.previous_link = self._link(rows[0], backwards=True) if has_previous and rows else None
        return rows

    def get_paginated_response(self, data):
        return Response(
            {
                "count": int(self.tally),
                "count_exact": self.tally.exact,
                "next": self.next_link,
                "previous": self.previous_link,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_exact", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "description": "How many rows match: exact while `count_exact` is true, "
                    "else the database's estimate (beyond a few thousand rows).",
                },
                "count_exact": {
                    "type": "boolean",
                    "description": "Whether `count` is exact or an estimate.",
                },
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page (a `cursor` link), null on the last page.",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The page before, null on the first page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    _(
                        "Where the page starts: the value in a `next` or `previous` link. "
                        "Takes precedence over `page`."
                    )
                ),
                "schema": {"type": "string"},
            },
        ]

    # --- page numbers ---------------------------------------------------------------------

    def _page_number(self, request, size: int) -> int:
        value = request.query_params.get(self.page_query_param, "1")
        try:
            number = int(value)
        except ValueError:
            raise exceptions.NotFound(_("Invalid page.")) from None
        if number < 1:
            raise exceptions.NotFound(_("Invalid page."))
        if number * size > settings.LIST_PAGE_MAX_ROWS:
            raise PageTooDeep(
                _(
                    "Page %(page)d reaches past row %(rows)d; pages that deep are not served "
                    "by number. Follow the `next` link of the page before (a cursor): it is as "
                    "fast at any depth."
                )
                % {"page": number, "rows": settings.LIST_PAGE_MAX_ROWS}
            )
        return number

    def get_page_size(self, request):
        values = request.query_params.getlist(self.page_size_query_param)
        for value in values:
            try:
                int(value)
            except ValueError:
                raise exceptions.ValidationError(
                    {self.page_size_query_param: [_("Give the page size as a whole number.")]}
                ) from None
        return super().get_page_size(request)

    # --- cursors --------------------------------------------------------------------------

    def _rows_from_cursor(self, queryset, cursor: Cursor, size: int):
        ordering = [_reverse(name) for name in self.ordering] if cursor.backwards else self.ordering
        after = _after(ordering, cursor.values)
        rows = _rows_at(queryset.filter(after).order_by(*ordering), 0, size + 1)
        more = len(rows) > size
        rows = rows[:size]
        if cursor.backwards:
            rows.reverse()
            return rows, more, True
        return rows, True, more

    def _link(self, row, *, backwards: bool) -> str | None:
        if self.fields is None:  # an order no cursor can hold: page numbers only
            return self._number_link(backwards=backwards)
        values = [_plain(field.value_from_object(row)) for field in self.fields]
        payload = {"o": self.ordering, "v": values, "b": backwards}
        token = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode())
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, token.decode().rstrip("="))

    def _number_link(self, *, backwards: bool) -> str | None:
        if self.number is None:
            return None
        number = self.number - 1 if backwards else self.number + 1
        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, number)

    def _decode(self, token: str) -> Cursor:
        unknown = InvalidCursor()
        if self.fields is None:
            raise unknown
        try:
            payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        except (binascii.Error, ValueError, RecursionError):
            raise unknown from None
        if not (
            isinstance(payload, dict)
            and isinstance(payload.get("v"), list)
            and isinstance(payload.get("b"), bool)
            and len(payload["v"]) == len(self.fields)
        ):
            raise unknown
        if payload.get("o") != self.ordering:
            raise InvalidCursor(
                _(
                    "This cursor belongs to another `ordering`. Keep the ordering while you "
                    "follow the links, or start again without `cursor`."
                )
            )
        try:
            values = [
                field.to_python(value)
                for field, value in zip(self.fields, payload["v"], strict=True)
            ]
        except (DjangoValidationError, TypeError, ValueError):
            raise unknown from None
        if any(value is None for value in values):
            raise unknown
        return Cursor(values=values, backwards=payload["b"])


# --- the keyset ---------------------------------------------------------------------------------


def _ordering_of(queryset: QuerySet) -> list[str]:
    """The list's order as field names (`-` for descending), ending with the primary key so
    that it is total."""
    names = [str(name) for name in (queryset.query.order_by or queryset.model._meta.ordering)]
    names = ["-pk" if name == "-id" else "pk" if name == "id" else name for name in names]
    if not names or names[-1].lstrip("-") != "pk":
        descending = bool(names) and names[-1].startswith("-")
        names.append("-pk" if descending else "pk")
    return names


def _sort_field(model: type[models.Model], name: str) -> models.Field | None:
    """The model field a sort key names, for reading it from a row and back from a cursor;
    None for anything else (a relation's field, an expression)."""
    name = name.lstrip("-")
    if "__" in name or "." in name:
        return None
    try:
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if isinstance(field, models.GeneratedField):
        return _GeneratedSortField(field)
    if not getattr(field, "concrete", False) or field.is_relation or field.null:
        return None
    return field


class _GeneratedSortField:
    """A generated column as a sort key: read from the row, parsed by its output field."""

    def __init__(self, field: models.GeneratedField) -> None:
        self.field = field

    def value_from_object(self, row: models.Model) -> Any:
        return self.field.value_from_object(row)

    def to_python(self, value: Any) -> Any:
        return self.field.output_field.to_python(value)


class _AnyOf(Lookup):
    """`lhs = ANY(rhs)`: a value among those of an array."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def _rows_at(queryset: QuerySet, offset: int, limit: int) -> list[models.Model]:
    """`limit` rows from `offset` on, in one query. The page's ids are chosen first, in a
    subquery over the list's table alone (the index that matches the order, often without
    touching the table), and only those rows are joined to what the page shows: planned as
    one query, the joins can make PostgreSQL prefer a scan and a sort of everything, and an
    OFFSET would join every row it skips.

    On PostgreSQL the ids are `= ANY(ARRAY(subquery))`, which it computes once before reading
    the page's rows by primary key. With `IN (subquery)` it ran the list's filters again over
    the table, and a search whose matches it underestimated (a common name among customers)
    read every match twice, a third of the page's query."""
    ids = queryset.values("pk")[offset : offset + limit]
    if connections[queryset.db].vendor == "postgresql":
        return list(queryset.filter(_AnyOf(F("pk"), ArraySubquery(ids))))
    return list(queryset.filter(pk__in=ids))


def _reverse(name: str) -> str:
    return name[1:] if name.startswith("-") else f"-{name}"


def _after(ordering: list[str], values: list[Any]) -> Q:
    """The rows after `values` in `ordering`. One direction throughout is a row comparison,
    `(a, b) < (x, y)`, which reads from the index exactly at the position; mixed directions
    are the expanded form, bounded on the first key so the index still starts near it."""
    names = [name.lstrip("-") for name in ordering]
    descending = [name.startswith("-") for name in ordering]
    if len(set(descending)) == 1:
        lookup = TupleLessThan if descending[0] else TupleGreaterThan
        return Q(lookup(Tuple(*(F(name) for name in names)), list(values)))
    rule = Q()
    for index, (name, value) in enumerate(zip(names, values, strict=True)):
        step = Q(**{f"{name}__{'lt' if descending[index] else 'gt'}": value})
        for earlier, earlier_value in zip(names[:index], values[:index], strict=True):
            step &= Q(**{earlier: earlier_value})
        rule |= step
    first = f"{names[0]}__{'lte' if descending[0] else 'gte'}"
    return Q(**{first: values[0]}) & rule
