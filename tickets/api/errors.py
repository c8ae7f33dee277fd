"""One error shape for the whole API:

{"detail": "what went wrong, for a person", "code": "stable_code",
 "errors": {"field": ["message", ...]}}   # errors only for invalid input

DRF's views answer through `exception_handler`. What never reaches a DRF view under /api/ (a
URL nothing matches, an error Django itself answers: 400, 403, 404, 500) gets the same shape
from `api_not_found` and the `handler*` functions below, never Django's HTML pages.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from tickets import errors as domain

# Domain errors by the answer they get (a subclass answers like its base): refusals for the
# caller's rights are 403; a request that conflicts with what is stored now (someone changed
# it, the status or a scenario's guard does not allow the move, a rate is missing) is 409:
# read again, then retry.
DOMAIN_STATUS = {
    domain.StaleVersion: status.HTTP_409_CONFLICT,
    domain.InvalidTransition: status.HTTP_409_CONFLICT,
    domain.TransitionRefused: status.HTTP_409_CONFLICT,
    domain.InvalidCompensationTransition: status.HTTP_409_CONFLICT,
    domain.MissingExchangeRate: status.HTTP_409_CONFLICT,
    domain.NotAllowed: status.HTTP_403_FORBIDDEN,
    domain.Conflict: status.HTTP_409_CONFLICT,
}


def domain_status(exc: domain.ApplicationError) -> int:
    """The HTTP status a refusal gets: 403 for rights, 409 for a conflict, else 400."""
    for cls in type(exc).__mro__:
        if cls in DOMAIN_STATUS:
            return DOMAIN_STATUS[cls]
    return status.HTTP_400_BAD_REQUEST


def flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field.sub[0].name": [messages]}."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = "non_field_errors" if key == "non_field_errors" and not prefix else key
            out.update(flatten_errors(value, f"{prefix}.{name}" if prefix else str(name)))
        return out
    if isinstance(detail, list) and detail and not all(isinstance(x, str) for x in detail):
        out = {}
        for index, item in enumerate(detail):
            out.update(flatten_errors(item, f"{prefix}[{index}]"))
        return out
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(m) for m in messages]} if messages else {}


def error_body(detail: str, code: str, errors: dict | None = None) -> dict:
    body = {"detail": detail, "code": code}
    if errors:
        body["errors"] = errors
    return body


def exception_handler(exc, context):
    if isinstance(exc, domain.ApplicationError):
        return Response(error_body(str(exc), exc.code), status=domain_status(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body(
            _("The input is not valid; see errors."), "invalid", flatten_errors(exc.detail)
        )
    else:
        response.data = error_body(str(exc.detail), getattr(exc.detail, "code", exc.default_code))
    return response


# --- what Django answers itself under /api/ and /webhooks/ (machines read JSON) ---------------

API_PREFIX = "/api/"
WEBHOOK_PREFIX = "/webhooks/"


def _is_api(request: HttpRequest) -> bool:
    path = request.path
    return path == API_PREFIX.rstrip("/") or path.startswith((API_PREFIX, WEBHOOK_PREFIX))


def _json_error(detail: str, code: str, status_code: int) -> JsonResponse:
    return JsonResponse(error_body(detail, code), status=status_code)


def api_not_found(request: HttpRequest, *args: object, **kwargs: object) -> JsonResponse:
    """Any /api/ URL no route matched, for every method: a 404 in the error shape. A path that
    only lacks its closing slash says so instead of redirecting (a redirected POST loses its
    body)."""
    detail = _("There is no API endpoint at %(path)s.") % {"path": request.path}
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            detail = _("API paths end with a slash: %(path)s/") % {"path": request.path}
    return _json_error(detail, "not_found", status.HTTP_404_NOT_FOUND)


def handler400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _json_error(_("The request is malformed."), "bad_request", 400)
    return defaults.bad_request(request, exception)


AGENT_PREFIX = "/agent/"


def handler403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """JSON under /api/; a page in the dashboard's layout for a signed-in user under /agent/;
    elsewhere the site's layout (templates/403.html)."""
    if _is_api(request):
        return _json_error(_("You may not do this."), "permission_denied", 403)
    user = getattr(request, "user", None)
    if request.path.startswith(AGENT_PREFIX) and user is not None and user.is_authenticated:
        return defaults.permission_denied(
            request, exception, template_name="tickets/agent/403.html"
        )
    return defaults.permission_denied(request, exception)


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _json_error(_("Not found."), "not_found", 404)
    return defaults.page_not_found(request, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return _json_error(
            _("Something went wrong on our side; it was logged. Try again later."),
            "server_error",
            500,
        )
    return defaults.server_error(request)
