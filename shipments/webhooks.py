"""The tracking webhooks: read the body once, check its signature, read its trackings, then
hand them to the one intake. EasyPost's and AfterShip's deliveries (one tracker each) are
acknowledged at once and stored in batches by a task (services/deliveries.py); our generic
webhook, a batch already, is stored before the answer, which says what was stored. Answers use
the API's one error shape ({"detail", "code", "errors"}); a delivery about a tracking number we
do not know is acknowledged (200) and logged."""

import logging
from collections.abc import Callable
from dataclasses import asdict

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from shipments.models import TrackingEvent
from shipments.services import webhook_payloads as formats
from shipments.services.deliveries import delivery_accept
from shipments.services.intake import tracking_record
from tickets.errors import ApplicationError
from tickets.webhooks.responses import WebhookView, error, too_large

logger = logging.getLogger(__name__)

Checker = Callable[..., bool]


class TrackingWebhookView(WebhookView):
    """One provider's webhook: `header` carries the signature `check` verifies with the
    secret `secret()` reads from settings (named `setting`); the body is read by the reader
    of `source` (webhook_payloads.READERS). `batched`: stored later with other deliveries."""

    source: str
    header: str
    setting: str
    check: Checker
    batched = True

    def secret(self) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest) -> JsonResponse:
        try:
            body = request.body
        except RequestDataTooBig:
            return too_large()
        secret = self.secret()
        if not type(self).check(
            body=body, signature=request.headers.get(self.header), secret=secret
        ):
            if not secret:
                logger.warning(
                    "%s tracking webhook refused: %s is not set.", self.source, self.setting
                )
            return error(
                401,
                _("The %(header)s signature is missing or wrong.") % {"header": self.header},
                "invalid_signature",
            )
        try:
            trackings = formats.trackings_read(self.source, body)
        except ApplicationError as exc:
            return error(400, str(exc), exc.code, getattr(exc, "errors", None))
        if trackings is None:
            return JsonResponse({"outcome": "ignored"})
        if self.batched:
            delivery_accept(source=self.source, body=body)
            return JsonResponse({"outcome": "accepted"})
        result = tracking_record(items=trackings, source=self.source)
        return JsonResponse({"outcome": "received", **asdict(result)})


class EasyPostWebhookView(TrackingWebhookView):
    """POST /webhooks/tracking/easypost/: EasyPost's tracker.created and tracker.updated
    Events; any other event is acknowledged and ignored."""

    source = TrackingEvent.Source.EASYPOST
    header = "X-Hmac-Signature"
    setting = "EASYPOST_WEBHOOK_SECRET"
    check = staticmethod(formats.easypost_signature_valid)

    def secret(self) -> str:
        return settings.EASYPOST_WEBHOOK_SECRET


class AfterShipWebhookView(TrackingWebhookView):
    """POST /webhooks/tracking/aftership/: AfterShip's tracking webhooks (updates and
    estimated-delivery revisions)."""

    source = TrackingEvent.Source.AFTERSHIP
    header = "aftership-hmac-sha256"
    setting = "AFTERSHIP_WEBHOOK_SECRET"
    check = staticmethod(formats.aftership_signature_valid)

    def secret(self) -> str:
        return settings.AFTERSHIP_WEBHOOK_SECRET


class GenericWebhookView(TrackingWebhookView):
    """POST /webhooks/tracking/generic/: our own format, one event or {"events": [...]},
    stored before the answer, which counts what was stored."""

    source = TrackingEvent.Source.GENERIC
    header = "X-Signature"
    setting = "TRACKING_WEBHOOK_SECRET"
    check = staticmethod(formats.generic_signature_valid)
    batched = False

    def secret(self) -> str:
        return settings.TRACKING_WEBHOOK_SECRET
