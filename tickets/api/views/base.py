"""What every API view shares: strict JSON parsing, the error answers in the schema, and
the base viewset that looks objects up and answers 413 for an oversized body."""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
)
from rest_framework import exceptions, parsers, status, viewsets

from tickets.api.errors import flatten_errors
from tickets.api.schema import ErrorSerializer
from tickets.api.serializers import json_type_errors


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = _("The request body is too large.")


class StrictJSONParser(parsers.JSONParser):
    """JSON, refused with 400 where it could not be stored: nested too deep for the parser,
    or a string holding a lone UTF-16 surrogate such as "\\ud800" (no database takes it)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError(_("JSON parse error - nested too deeply.")) from exc
        try:
            json.dumps(data, ensure_ascii=False).encode()
        except UnicodeEncodeError as exc:
            raise exceptions.ParseError(
                _("JSON parse error - a string holds a lone UTF-16 surrogate (\\ud800-\\udfff).")
            ) from exc
        return data


# --- shared schema pieces ---------------------------------------------------------------------

LIST_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description=_("A filter or ordering value is invalid.")),
    404: OpenApiResponse(
        ErrorSerializer,
        description=_(
            "No such page: past the end, too deep for `page` (code `page_too_deep`: follow "
            "`next`), or a `cursor` this list did not give out (code `invalid_cursor`)."
        ),
    ),
}
CASE_LIST_ERRORS = {
    **LIST_ERRORS,
    404: OpenApiResponse(
        ErrorSerializer,
        description=_(
            "No such case, or no such page (past the end, too deep for `page`, or a `cursor` "
            "this list did not give out)."
        ),
    ),
}
# A case is `{case_number}` in every path: the case itself and the rows under it.
CASE_NUMBER = OpenApiParameter(
    "case_number",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description=_("The case's number, e.g. AS-7KQM-4TXC."),
)


def id_of(what: str) -> OpenApiParameter:
    return OpenApiParameter(
        "id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("The %s's id.") % what
    )


def page_of(serializer_class, what: str) -> dict:
    """Responses of a list: a page of `serializer_class` rows and the list errors."""
    return {
        200: OpenApiResponse(serializer_class(many=True), description=_("A page of %s.") % what),
        **LIST_ERRORS,
    }


def one(serializer_class, description: str) -> dict:
    return {200: OpenApiResponse(serializer_class, description=description)}


class ApiViewSet(viewsets.GenericViewSet):
    parser_classes = [StrictJSONParser]
    filter_backends = [DjangoFilterBackend]
    # Any segment reaches the view, so a malformed id is this API's JSON 404, not Django's page.
    lookup_value_regex = "[^/]+"

    def get_object(self):
        """The object named in the URL; query parameters filter lists only."""
        lookup = self.lookup_url_kwarg or self.lookup_field
        try:
            obj = self.get_queryset().filter(**{self.lookup_field: self.kwargs[lookup]}).first()
        except (TypeError, ValueError, DjangoValidationError):
            obj = None  # "abc" for an integer id, or a NUL byte PostgreSQL refuses
        if obj is None:
            raise Http404
        self.check_object_permissions(self.request, obj)
        return obj

    def parse(self, serializer_class, **kwargs):
        """The request body through `serializer_class`, valid, or a 400 naming every bad field.
        A value of another JSON type than the schema says (5 for "5", "true" for true) is
        refused too, where DRF alone would quietly convert it."""
        serializer = serializer_class(data=self.request.data, **kwargs)
        type_errors = json_type_errors(serializer, self.request.data)
        if serializer.is_valid() and not type_errors:
            return serializer
        errors = flatten_errors(serializer.errors) if serializer.errors else {}
        errors.update(flatten_errors(type_errors or {}))
        raise exceptions.ValidationError(errors)

    def handle_exception(self, exc):
        # Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE when DRF reads request.body,
        # with an exception DRF's handler does not know: answer 413 in the error shape.
        if isinstance(exc, RequestDataTooBig):
            exc = RequestTooLarge(
                _("The request body is larger than %(limit)d bytes; send less in one call.")
                % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
            )
        return super().handle_exception(exc)
