"""Django's WSGI handler for the provider webhooks (under WEBHOOK_PREFIX): no middleware.

Each of the site's middleware serves a browser: sessions, language negotiation, CSRF, sign-in,
two-factor, messages, the content security policy, clickjacking and lockout headers, static
files. A webhook post is authenticated by its signature alone, and answered in JSON that no
browser renders, so none of them applies; together they cost about as much per request as
storing an EasyPost delivery. Without them a request still resolves through the one URLconf,
answers errors through its handlers, and opens and closes its database connections as any
other (request_started and request_finished). Messages are in the site's default language."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation


class WebhookHandler(WSGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        # What BaseHandler.load_middleware sets, for an empty MIDDLEWARE.
        self._view_middleware: list[Callable[..., Any]] = []
        self._template_response_middleware: list[Callable[..., Any]] = []
        self._exception_middleware: list[Callable[..., Any]] = []
        view = self._get_response  # type: ignore[attr-defined]  # django-stubs lacks it
        self._middleware_chain = convert_exception_to_response(view)

    def get_response(self, request: HttpRequest) -> HttpResponseBase:
        # The thread's language is whatever the last page it served negotiated.
        with translation.override(settings.LANGUAGE_CODE):
            return super().get_response(request)
