"""Customers as the API shows them."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from .fast import FastOutputSerializer


@extend_schema_serializer(component_name="Customer")
class CustomerOutputSerializer(FastOutputSerializer):
    id = serializers.IntegerField(help_text=_("The customer's id."))
    email = serializers.EmailField(help_text=_("Email address; unique, ignoring case."))
    name = serializers.CharField(help_text=_("Full name; may be empty."))
    phone = serializers.CharField(
        help_text=_("Phone in E.164 form (+4915112345678); may be empty.")
    )
    country = serializers.CharField(
        help_text=_("ISO 3166-1 alpha-2 country code, e.g. DE; empty if unknown.")
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES, help_text=_("Language the customer is written to in.")
    )
    timezone = serializers.CharField(help_text=_("IANA time zone, e.g. Europe/Berlin."))
    sms_consent = serializers.BooleanField(help_text=_("Whether the customer agreed to SMS."))
    created_at = serializers.DateTimeField(help_text=_("When the customer was first stored."))
    updated_at = serializers.DateTimeField(help_text=_("When the customer last changed."))
