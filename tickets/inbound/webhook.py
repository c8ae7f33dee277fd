"""Inbound email webhooks: django-anymail's view for each provider turns its post into one
normalised message and sends anymail's `inbound` signal; our receiver hands the message to
inbound_email_receive. Our view around it refuses what anymail would let through (a provider
that signs nothing, with no basic auth set) and gives each failure a clear 4xx answer: a
failed check is a 401 that changes nothing.

Answers use the API's one error shape: {"detail": ..., "code": ...}."""

import json
import logging
import warnings
from collections.abc import Callable
from typing import cast

from anymail.exceptions import (
    AnymailConfigurationError,
    AnymailNotSupportedWarning,
    AnymailWebhookValidationFailure,
)
from anymail.signals import AnymailInboundEvent, EventType, inbound
from anymail.utils import get_anymail_setting, get_request_basic_auth
from anymail.webhooks.base import AnymailBasicAuthMixin, AnymailCoreWebhookView
from anymail.webhooks.mailgun import MailgunInboundWebhookView
from anymail.webhooks.mailjet import MailjetInboundWebhookView
from anymail.webhooks.postmark import PostmarkInboundWebhookView
from anymail.webhooks.sendgrid import SendGridInboundWebhookView
from anymail.webhooks.sparkpost import SparkPostInboundWebhookView
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import path, re_path
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from tickets.inbound import payloads
from tickets.services.inbound import Receipt, inbound_email_receive
from tickets.webhooks.responses import error, method_not_allowed, too_large

logger = logging.getLogger(__name__)

# Anymail no longer tests SendGrid's sending, and says so on every inbound post; its inbound
# parse view is unchanged and is the one we use.
warnings.filterwarnings("ignore", category=AnymailNotSupportedWarning, module="anymail")


@receiver(inbound, dispatch_uid="tickets.inbound_email_receive")
def inbound_email_received(
    sender: type, event: AnymailInboundEvent, esp_name: str, **kwargs: object
) -> Receipt | None:
    if event.event_type != EventType.INBOUND or event.message is None:
        logger.warning("%s reported an inbound email it could not receive.", esp_name)
        return None
    return inbound_email_receive(message=event.message, source=esp_name.lower())


# Where each provider's webhook is authenticated, for the refusal that says it is not set up.
SECRET_SETTINGS = {"Mailgun": "MAILGUN_WEBHOOK_SIGNING_KEY"}
MAILGUN_SIGNATURE_FIELDS = ("token", "timestamp", "signature")


# Anymail's checks (basic auth, the provider's signature) are the only authentication: no
# session, no CSRF token.
@method_decorator(csrf_exempt, name="dispatch")
class InboundEmailWebhookView(View):
    """POST /webhooks/email/<provider>/inbound/ with one provider's inbound email post.

    Every refusal names what was missing or wrong: the server setting that is unset, the
    header or signature field (401), or the fields of the post (400, with "errors")."""

    esp_view: type[AnymailCoreWebhookView] = AnymailCoreWebhookView
    http_method_names = ["post", "head"]

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method is None or request.method.lower() not in self.http_method_names:
            return method_not_allowed(request)
        esp_view = self.esp_view
        esp_name = esp_view.esp_name
        # Anymail only warns when a provider that signs nothing runs without basic auth, and
        # then accepts anyone's post.
        if esp_view.warn_if_no_basic_auth and not get_anymail_setting("webhook_secret", default=[]):
            logger.warning("%s inbound email refused: ANYMAIL_WEBHOOK_SECRET is not set.", esp_name)
            return self._not_configured(esp_name)
        try:
            view = esp_view()
        except AnymailConfigurationError as exc:  # e.g. MAILGUN_WEBHOOK_SIGNING_KEY unset
            logger.warning("%s inbound email refused: %s", esp_name, exc)
            return self._not_configured(esp_name)
        view.setup(request, *args, **kwargs)
        # Anymail's post() in steps (its checks, its parsing, its `inbound` signal), so that
        # each failure gets its own answer. An error in our receiver stays a 500, which every
        # provider retries later; bad input (anymail parses it before our code runs) is a 4xx,
        # which they do not retry.
        try:
            refusal = self._authentication_refusal(view, request)
            if refusal is not None:
                return refusal
            if request.method == "HEAD":  # some providers try the URL this way first
                return HttpResponse()
            problems = payloads.CHECKS[esp_name](request)
            if problems:
                return error(
                    400,
                    _("This %(provider)s post has missing or wrong fields: %(fields)s.")
                    % {"provider": esp_name, "fields": ", ".join(problems)},
                    "invalid_payload",
                    problems,
                )
            events = view.parse_events(request)
        except AnymailConfigurationError as exc:  # e.g. a tracking webhook pointed here
            return error(400, str(exc), "wrong_webhook")
        except RequestDataTooBig:
            logger.error("%s inbound email refused: over DATA_UPLOAD_MAX_MEMORY_SIZE.", esp_name)
            return too_large()
        except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent) as exc:
            return error(
                400,
                _("The body is not a readable form: %(problem)s") % {"problem": exc},
                "invalid_payload",
                {"body": [str(exc)]},
            )
        except (AttributeError, IndexError, KeyError, TypeError, ValueError) as exc:
            # What the checks in payloads.py did not foresee: still named, never a 500.
            logger.warning("%s inbound email post unreadable: %r", esp_name, exc)
            return self._unreadable(esp_name, exc)
        received = [
            {"outcome": receipt.outcome, "case": receipt.case_number}
            for event in events
            for _receiver, receipt in view.signal.send(
                sender=esp_view, event=event, esp_name=esp_name
            )
            if isinstance(receipt, Receipt)
        ]
        return JsonResponse({"received": received})

    def _authentication_refusal(
        self, view: AnymailCoreWebhookView, request: HttpRequest
    ) -> JsonResponse | None:
        """None when anymail's checks pass; else a 401 naming the header or signature field
        that is missing or wrong. Anymail checks basic auth first, then (Mailgun) the
        signature; its error does not say which, so the basic auth is checked again alone."""
        try:
            view.run_validators(request)
            return None
        except AnymailWebhookValidationFailure:
            pass
        esp_name = view.esp_name
        try:
            AnymailBasicAuthMixin.validate_request(cast(AnymailBasicAuthMixin, view), request)
        except AnymailWebhookValidationFailure:
            return self._basic_auth_refusal(esp_name, request)
        return self._signature_refusal(esp_name, request)

    def _basic_auth_refusal(self, esp_name: str, request: HttpRequest) -> JsonResponse:
        if not request.META.get("HTTP_AUTHORIZATION"):
            detail = _(
                "The Authorization header is missing: %(provider)s must send the webhook "
                "secret as HTTP basic auth (user:password in the webhook URL)."
            )
            problem = _("This header is required.")
        elif get_request_basic_auth(request) is None:
            detail = _("The Authorization header is not HTTP basic auth (Basic user:password).")
            problem = _("Expected Basic and base64-encoded user:password.")
        else:
            detail = _("The user name or password in the Authorization header is wrong.")
            problem = _("Wrong user name or password.")
        return error(
            401, detail % {"provider": esp_name}, "invalid_signature", {"Authorization": [problem]}
        )

    def _signature_refusal(self, esp_name: str, request: HttpRequest) -> JsonResponse:
        """Mailgun's: its token, timestamp and signature fields, in the form or, for its JSON
        webhooks, in the "signature" object."""
        if request.content_type == "application/json":
            try:
                block = json.loads(request.body.decode("utf-8")).get("signature")
            except (AttributeError, UnicodeDecodeError, ValueError):
                block = None
            present = set(block) if isinstance(block, dict) else set()
            prefix = "signature."
        else:
            present, prefix = set(request.POST), ""
        missing = [f"{prefix}{name}" for name in MAILGUN_SIGNATURE_FIELDS if name not in present]
        if missing:
            return error(
                401,
                _("The %(provider)s signature fields are missing: %(fields)s.")
                % {"provider": esp_name, "fields": ", ".join(missing)},
                "invalid_signature",
                {name: [_("This field is required.")] for name in missing},
            )
        return error(
            401,
            _(
                "The %(provider)s signature does not match the timestamp and token signed "
                "with this server's webhook signing key."
            )
            % {"provider": esp_name},
            "invalid_signature",
            {f"{prefix}signature": [_("Does not match.")]},
        )

    def _not_configured(self, esp_name: str) -> JsonResponse:
        return error(
            401,
            _("This server accepts no %(provider)s posts: %(setting)s is not set.")
            % {
                "provider": esp_name,
                "setting": SECRET_SETTINGS.get(esp_name, "ANYMAIL_WEBHOOK_SECRET"),
            },
            "webhook_not_configured",
        )

    def _unreadable(self, esp_name: str, exc: Exception) -> JsonResponse:
        if isinstance(exc, KeyError) and exc.args:
            field = str(exc.args[0])
            return error(
                400,
                _("This %(provider)s post lacks the field “%(field)s”.")
                % {"provider": esp_name, "field": field},
                "invalid_payload",
                {field: [_("This field is required.")]},
            )
        return error(
            400,
            _("This %(provider)s post could not be read: %(problem)s")
            % {"provider": esp_name, "problem": exc},
            "invalid_payload",
            {"body": [str(exc)]},
        )


def _inbound(esp_view: type[AnymailCoreWebhookView]) -> Callable[..., HttpResponse]:
    return InboundEmailWebhookView.as_view(esp_view=esp_view)


urlpatterns = [
    # Mailgun posts the raw MIME message to a URL containing "mime", parsed fields otherwise.
    re_path(
        r"^mailgun/inbound(?:_mime)?/$",
        _inbound(MailgunInboundWebhookView),
        name="inbound-email-mailgun",
    ),
    path("postmark/inbound/", _inbound(PostmarkInboundWebhookView), name="inbound-email-postmark"),
    path("sendgrid/inbound/", _inbound(SendGridInboundWebhookView), name="inbound-email-sendgrid"),
    path(
        "sparkpost/inbound/",
        _inbound(SparkPostInboundWebhookView),
        name="inbound-email-sparkpost",
    ),
    path("mailjet/inbound/", _inbound(MailjetInboundWebhookView), name="inbound-email-mailjet"),
]
