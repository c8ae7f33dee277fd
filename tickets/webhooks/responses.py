"""The answers every webhook gives, in the API's one error shape."""

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from tickets.api.errors import error_body


def error(status: int, detail: str, code: str, errors: dict | None = None) -> JsonResponse:
    return JsonResponse(error_body(detail, code, errors), status=status)


def method_not_allowed(request: HttpRequest) -> JsonResponse:
    response = error(
        405,
        _("Method “%(method)s” not allowed; send POST.") % {"method": request.method},
        "method_not_allowed",
    )
    response["Allow"] = "POST"
    return response


def too_large() -> JsonResponse:
    return error(
        413,
        _("The body is larger than %(limit)d bytes.")
        % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
        "payload_too_large",
    )


# A provider's signature is the only authentication: no session, no CSRF token.
@method_decorator(csrf_exempt, name="dispatch")
class WebhookView(View):
    """POST only; anything else is a JSON 405."""

    http_method_names = ["post"]

    def http_method_not_allowed(self, request: HttpRequest, *args, **kwargs) -> JsonResponse:
        return method_not_allowed(request)
