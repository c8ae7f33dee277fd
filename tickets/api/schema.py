"""OpenAPI: every operation documents the error answers it can give, in the one error shape."""

from django.core.validators import RegexValidator
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, for a person to read.")
    code = serializers.CharField(help_text="A stable code for programs, e.g. `invalid`.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For invalid input: messages by field (`lines[0].quantity`).",
    )


ERRORS = {
    "400": "The input is not valid, or the domain refuses the request.",
    "401": "No API key or session, or an unknown or revoked API key.",
    "403": "The key or account may not do this (a read-only key writing).",
    "404": "No such object.",
    "409": (
        "What is stored now does not allow this (it changed meanwhile, or its status or a rule "
        "refuses the move); read it again."
    ),
    "413": "The request body is too large.",
    "429": "Too many requests for this API key; wait and retry.",
}
READ_ONLY = {"401", "403", "404", "429"}

# Text input is trimmed and refused when blank (DRF's CharField): the schema says so, as at
# least one character outside Python's whitespace (str.strip()'s set, wider than JSON Schema's
# \s: it also holds \x1c-\x1f and \x85).
NOT_BLANK = "[^\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"


class AutoSchema(BaseAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = READ_ONLY if self.method in ("GET", "HEAD", "OPTIONS") else ERRORS
        for code in sorted(codes):
            if code == "404" and not self._has_path_object():
                continue
            responses.setdefault(
                code,
                self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=ERRORS[code]),
                    code,
                    direction=direction,
                ),
            )
        return responses

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        trimmed_text = (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and field.trim_whitespace
            and not field.allow_blank
            # a field with its own pattern (a slug) gets that one from spectacular
            and not any(isinstance(v, RegexValidator) for v in field.validators)
        )
        if (
            trimmed_text
            and schema.get("type") == "string"
            and not {"pattern", "format", "enum"} & set(schema)
        ):
            schema["pattern"] = NOT_BLANK
        return schema

    def _get_request_for_media_type(self, serializer, direction="request"):
        # A body that is one of several shapes (one order, or a batch) is still required:
        # spectacular only sees required properties, which a oneOf has none of.
        schema, required = super()._get_request_for_media_type(serializer, direction)
        if isinstance(serializer, PolymorphicProxySerializer) and schema is not None:
            required = True
        return schema, required

    def _has_path_object(self) -> bool:
        return "{" in self.path
