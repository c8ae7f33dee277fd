"""Shapes of the portal actions agents take through the API."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers


@extend_schema_serializer(component_name="CasePortalLink")
class CasePortalLinkInputSerializer(serializers.Serializer):
    """No fields: the link goes to the case's customer and leads to the case."""


@extend_schema_serializer(component_name="CasePortalLinkQueued")
class CasePortalLinkOutputSerializer(serializers.Serializer):
    status = serializers.CharField(help_text=_("Always `queued`: the worker sends the email."))
    email = serializers.EmailField(help_text=_("The address the link goes to."))
    detail = serializers.CharField(help_text=_("What happens next, for people."))
