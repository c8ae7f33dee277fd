"""Query parameters of the API's lists (django-filter). Every list orders by `ordering`; an
unknown filter value is a 400 in the one error shape, never an empty page by accident."""

import django_filters as filters
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.filters import SearchFilter

from tickets.models import Case, CaseEvent, Customer, Message, Order
from tickets.services import timeline


class StrictFilterSet(filters.FilterSet):
    """A parameter sent empty (`?updated_since=`) is an error for every filter but free text:
    the schema types it (a time, an id, a choice), and "" is none of them."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name, field in self.filters.items():
            # free text may be empty, and an empty ordering is the default order
            if isinstance(field, filters.CharFilter | filters.OrderingFilter):
                continue
            values = self.data.getlist(name) if name in self.data else []
            if any(value == "" for value in values):
                self.form.add_error(name, _("Give a value, or leave the parameter out."))
                valid = False
            elif isinstance(field, filters.BooleanFilter) and set(values) - {"true", "false"}:
                self.form.add_error(name, _("Give true or false."))
                valid = False
        return valid


class IdFilter(filters.NumberFilter):
    """An exact match on an integer id. An id nobody has gives an empty page, not an error."""

    field_class = forms.IntegerField


class StableOrderingFilter(filters.OrderingFilter):
    """`ordering=a,-b`; rows that tie stay in id order, so pages never repeat or skip a row."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            last = value[-1]
            qs = qs.order_by(*qs.query.order_by, "-pk" if last.startswith("-") else "pk")
        return qs


class CustomerSearchFilter(SearchFilter):
    search_description = _("Words to look for in the email address and name.")


class CustomerFilter(StrictFilterSet):
    email = filters.CharFilter(
        field_name="email",
        lookup_expr="iexact",
        help_text=_("The customer's email address, ignoring upper and lower case."),
    )
    country = filters.CharFilter(
        field_name="country",
        lookup_expr="iexact",
        help_text=_("ISO 3166-1 alpha-2 country code, e.g. DE."),
    )
    language = filters.ChoiceFilter(
        choices=settings.LANGUAGES, help_text=_("The customer's language.")
    )
    ordering = StableOrderingFilter(
        fields=["email", "name", "created_at", "updated_at"],
        help_text=_("Sort by these fields, comma-separated; a leading `-` sorts descending."),
    )

    class Meta:
        model = Customer
        fields = ["email", "country", "language"]


class OrderFilter(StrictFilterSet):
    store = filters.CharFilter(help_text=_("The store's slug, e.g. `default`."))
    number = filters.CharFilter(help_text=_("The shop's order number, exactly."))
    customer = IdFilter(field_name="customer__id", help_text=_("The customer's id."))
    currency = filters.CharFilter(
        lookup_expr="iexact", help_text=_("ISO-4217 currency code, e.g. EUR.")
    )
    placed_after = filters.IsoDateTimeFilter(
        field_name="placed_at",
        lookup_expr="gte",
        help_text=_("Only orders placed at or after this time (ISO 8601)."),
    )
    placed_before = filters.IsoDateTimeFilter(
        field_name="placed_at",
        lookup_expr="lt",
        help_text=_("Only orders placed before this time (ISO 8601)."),
    )
    ordering = StableOrderingFilter(
        fields=["placed_at", "number", "total", "created_at", "updated_at"],
        help_text=_("Sort by these fields, comma-separated; a leading `-` sorts descending."),
    )

    class Meta:
        model = Order
        fields = ["store", "number", "customer", "currency"]


class CaseFilter(StrictFilterSet):
    kind = filters.ChoiceFilter(choices=Case.Kind.choices, help_text=_("The kind of problem."))
    status = filters.ChoiceFilter(choices=Case.Status.choices, help_text=_("The case's status."))
    priority = filters.ChoiceFilter(
        choices=Case.Priority.choices, help_text=_("The case's priority.")
    )
    assignee = IdFilter(field_name="assignee__id", help_text=_("The assigned agent's user id."))
    unassigned = filters.BooleanFilter(
        field_name="assignee", lookup_expr="isnull", help_text=_("Only cases nobody works on.")
    )
    customer = IdFilter(field_name="customer__id", help_text=_("The customer's id."))
    order = IdFilter(field_name="order__id", help_text=_("The order's id."))
    updated_since = filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("Only cases changed at or after this time (ISO 8601), for syncing."),
    )
    ordering = StableOrderingFilter(
        fields=["created_at", "updated_at", ("priority_rank", "priority")],
        help_text=_(
            "Sort by these fields, comma-separated; a leading `-` sorts descending. "
            "`priority` sorts by urgency (low < normal < high < urgent)."
        ),
    )

    class Meta:
        model = Case
        fields = ["kind", "status", "priority"]


class MessageFilter(StrictFilterSet):
    visibility = filters.ChoiceFilter(
        choices=Message.Visibility.choices,
        help_text=_("`public` replies the customer sees, or `internal` notes."),
    )
    author_kind = filters.ChoiceFilter(
        choices=Message.Author.choices, help_text=_("Who wrote the message.")
    )
    ordering = StableOrderingFilter(
        fields=["created_at"],
        help_text=_("`created_at` (oldest first, the default) or `-created_at`."),
    )

    class Meta:
        model = Message
        fields = ["visibility", "author_kind"]


class CaseEventFilter(StrictFilterSet):
    verb = filters.ChoiceFilter(
        choices=timeline.verb_choices, help_text=_("What happened, e.g. `status_changed`.")
    )
    ordering = StableOrderingFilter(
        fields=["created_at"],
        help_text=_("`created_at` (oldest first, the default) or `-created_at`."),
    )

    class Meta:
        model = CaseEvent
        fields = ["verb"]
