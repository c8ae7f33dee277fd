"""Inbound email webhooks: django-anymail's view for each provider turns its post into one
normalised message and sends anymail's `inbound` signal; our receiver hands the message to
inbound_email_receive. Our view around it refuses what anymail would let through (a provider
that signs nothing, with no basic auth set) and gives each failure a clear 4xx answer: a
failed check is a 401 that changes nothing.

Answers use the API's one error shape: {"detail": ..., "code": ...}."""

import logging
import warnings
from collections.abc import Callable

from anymail.exceptions import (
    AnymailConfigurationError,
    AnymailNotSupportedWarning,
    AnymailWebhookValidationFailure,
)
from anymail.signals import AnymailInboundEvent, EventType, inbound
from anymail.utils import get_anymail_setting
from anymail.webhooks.base import AnymailCoreWebhookView
from anymail.webhooks.mailgun import MailgunInboundWebhookView
from anymail.webhooks.mailjet import MailjetInboundWebhookView
from anymail.webhooks.postmark import PostmarkInboundWebhookView
from anymail.webhooks.sendgrid import SendGridInboundWebhookView
from anymail.webhooks.sparkpost import SparkPostInboundWebhookView
from django.core.exceptions import RequestDataTooBig
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path, re_path
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

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


# Anymail's checks (basic auth, the provider's signature) are the only authentication: no
# session, no CSRF token.
@method_decorator(csrf_exempt, name="dispatch")
class InboundEmailWebhookView(View):
    """POST /webhooks/email/<provider>/inbound/ with one provider's inbound email post."""

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
            return self._refused(esp_name)
        try:
            view = esp_view()
        except AnymailConfigurationError as exc:  # e.g. MAILGUN_WEBHOOK_SIGNING_KEY unset
            logger.warning("%s inbound email refused: %s", esp_name, exc)
            return self._refused(esp_name)
        view.setup(request, *args, **kwargs)
        # Anymail's post() in steps (its checks, its parsing, its `inbound` signal), so that
        # each failure gets its own answer. An error in our receiver stays a 500, which every
        # provider retries later; bad input (anymail parses it before our code runs) is a 4xx,
        # which they do not retry.
        try:
            view.run_validators(request)
            if request.method == "HEAD":  # some providers try the URL this way first
                return HttpResponse()
            events = view.parse_events(request)
        except AnymailWebhookValidationFailure:
            return self._refused(esp_name)
        except AnymailConfigurationError as exc:  # e.g. a tracking webhook pointed here
            return error(400, str(exc), "wrong_webhook")
        except RequestDataTooBig:
            logger.error("%s inbound email refused: over DATA_UPLOAD_MAX_MEMORY_SIZE.", esp_name)
            return too_large()
        except (AttributeError, IndexError, KeyError, TypeError, ValueError) as exc:
            logger.warning("%s inbound email post unreadable: %r", esp_name, exc)
            return error(
                400,
                _("This is not an inbound email post of %(provider)s.") % {"provider": esp_name},
                "invalid_payload",
            )
        received = [
            {"outcome": receipt.outcome, "case": receipt.case_number}
            for event in events
            for _receiver, receipt in view.signal.send(
                sender=esp_view, event=event, esp_name=esp_name
            )
            if isinstance(receipt, Receipt)
        ]
        return JsonResponse({"received": received})

    def _refused(self, esp_name: str) -> JsonResponse:
        return error(
            401,
            _("The %(provider)s webhook's authentication is missing or wrong.")
            % {"provider": esp_name},
            "invalid_signature",
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
