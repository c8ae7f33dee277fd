"""Cases: opening one, changing its priority or assignee, moving it on, and showing it."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from tickets import selectors
from tickets.models import Case

from .common import (
    MAX_INT,
    CustomerSummarySerializer,
    OrderSummarySerializer,
    TeamSummarySerializer,
    UserSummarySerializer,
)
from .fast import FastOutputSerializer

# Where a transition may lead: every status but `new`, which no move leads back to.
TRANSITION_TARGETS = [(value, label) for value, label in Case.Status.choices if value != "new"]


@extend_schema_serializer(component_name="Case")
class CaseOutputSerializer(FastOutputSerializer):
    number = serializers.CharField(help_text=_("The case's number, e.g. AS-7KQM-4TXC."))
    kind = serializers.ChoiceField(choices=Case.Kind.choices, help_text=_("The kind of problem."))
    status = serializers.ChoiceField(
        choices=Case.Status.choices, help_text=_("Where the case stands; see the transitions.")
    )
    priority = serializers.ChoiceField(
        choices=Case.Priority.choices, help_text=_("How urgent the case is.")
    )
    subject = serializers.CharField(help_text=_("A one-line summary."))
    customer = CustomerSummarySerializer(help_text=_("Whose case it is."))
    order = OrderSummarySerializer(allow_null=True, help_text=_("The order it is about, if any."))
    assignee = UserSummarySerializer(
        allow_null=True, help_text=_("The agent working on it; null while in the queue.")
    )
    team = TeamSummarySerializer(allow_null=True, help_text=_("The team it is routed to."))
    channel = serializers.ChoiceField(
        choices=Case.Channel.choices, help_text=_("Where the case came in.")
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES, help_text=_("Language the case is handled in.")
    )
    tags = serializers.ListField(
        child=serializers.CharField(), source="tags.all", help_text=_("Tag names.")
    )
    first_response_due = serializers.DateTimeField(
        allow_null=True, help_text=_("When the first reply is due (SLA), if a policy applies.")
    )
    resolution_due = serializers.DateTimeField(
        allow_null=True, help_text=_("When the case should be resolved (SLA).")
    )
    first_responded_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When an agent first replied publicly.")
    )
    resolved_at = serializers.DateTimeField(allow_null=True, help_text=_("When it was resolved."))
    closed_at = serializers.DateTimeField(allow_null=True, help_text=_("When it was closed."))
    created_at = serializers.DateTimeField(help_text=_("When the case was opened."))
    updated_at = serializers.DateTimeField(help_text=_("When the case last changed."))
    version = serializers.IntegerField(
        help_text=_("Changes with every write; send it back to change the case.")
    )


@extend_schema_serializer(component_name="CaseCreate")
class CaseCreateInputSerializer(serializers.Serializer):
    """Open a case for a customer, named by `customer` (id) or `customer_email`."""

    customer = serializers.PrimaryKeyRelatedField(
        queryset=selectors.customer_list(),
        required=False,
        help_text=_("The customer's id; or send `customer_email` instead."),
    )
    customer_email = serializers.EmailField(
        required=False, help_text=_("The customer's email address, ignoring case.")
    )
    kind = serializers.ChoiceField(choices=Case.Kind.choices, help_text=_("The kind of problem."))
    subject = serializers.CharField(max_length=255, help_text=_("A one-line summary."))
    description = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=20_000,
        help_text=_("The customer's own words; becomes the case's first message."),
    )
    order = serializers.PrimaryKeyRelatedField(
        queryset=selectors.order_list(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The order's id; it must be the customer's."),
    )
    priority = serializers.ChoiceField(
        choices=Case.Priority.choices,
        required=False,
        default=Case.Priority.NORMAL,
        help_text=_("How urgent the case is."),
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("Language to handle the case in; the customer's if omitted."),
    )
    channel = serializers.ChoiceField(
        choices=Case.Channel.choices,
        required=False,
        default=Case.Channel.API,
        help_text=_("Where the case came in."),
    )

    def validate(self, attrs: dict) -> dict:
        email = attrs.pop("customer_email", None)
        if ("customer" in attrs) == (email is not None):
            raise serializers.ValidationError(
                {"customer": [_("Send either `customer` (an id) or `customer_email`.")]}
            )
        if email is not None:
            customer = selectors.customer_list().filter(email__iexact=email).first()
            if customer is None:
                raise serializers.ValidationError(
                    {"customer_email": [_("There is no customer with this email address.")]}
                )
            attrs["customer"] = customer
        return attrs


@extend_schema_serializer(component_name="CaseUpdate")
class CaseUpdateInputSerializer(serializers.Serializer):
    """Change priority, assignee or both; `version` is always required."""

    # PATCH carries a command here, not a partial resource: never partial, so `version` stays
    # required (drf-spectacular would otherwise document every field of a PATCH as optional).
    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value: bool) -> None:
        pass

    version = serializers.IntegerField(
        min_value=1,
        max_value=MAX_INT,
        help_text=_("The case's `version` as you read it; a stale one gets 409."),
    )
    priority = serializers.ChoiceField(
        choices=Case.Priority.choices, required=False, help_text=_("The new priority.")
    )
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=selectors.user_list_assignable(),
        required=False,
        allow_null=True,
        help_text=_("The user id of the agent to work on it, or null for the queue."),
    )

    def validate(self, attrs: dict) -> dict:
        if "priority" not in attrs and "assignee" not in attrs:
            raise serializers.ValidationError(_("Send `priority`, `assignee` or both."))
        return attrs


@extend_schema_serializer(component_name="CaseTransition")
class CaseTransitionInputSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=TRANSITION_TARGETS,
        help_text=_("The status to move to; the allowed moves depend on the current status."),
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text=_("Why, for the timeline."),
    )
    version = serializers.IntegerField(
        min_value=1,
        max_value=MAX_INT,
        help_text=_("The case's `version` as you read it; a stale one gets 409."),
    )
