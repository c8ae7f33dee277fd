"""The tracking webhooks: read the body once, check its signature, parse it, hand the events
to the one intake. Answers use the API's one error shape ({"detail", "code", "errors"}); a
delivery about a tracking number we do not know is acknowledged (200) and logged."""

import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from shipments.models import TrackingEvent
from shipments.services import webhook_payloads as formats
from shipments.services.intake import tracking_record
from shipments.tracking import TrackingIn
from tickets.errors import ApplicationError
from tickets.webhooks.responses import WebhookView, error, too_large

logger = logging.getLogger(__name__)

Checker = Callable[..., bool]


class TrackingWebhookView(WebhookView):
    """One provider's webhook: `header` carries the signature `check` verifies with the
    secret `secret()` reads from settings (named `setting`); `trackings` turns the parsed
    body into TrackingIn (None: a delivery to acknowledge and ignore)."""

    source: str
    header: str
    setting: str
    check: Checker

    def secret(self) -> str:
        raise NotImplementedError

    def trackings(self, payload: dict) -> Sequence[TrackingIn] | None:
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
            trackings = self.trackings(formats.payload_parse(body))
        except ApplicationError as exc:
            return error(400, str(exc), exc.code, getattr(exc, "errors", None))
        if trackings is None:
            return JsonResponse({"outcome": "ignored"})
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

    def trackings(self, payload: dict) -> Sequence[TrackingIn] | None:
        tracking = formats.easypost_tracking(payload)
        return None if tracking is None else [tracking]


class AfterShipWebhookView(TrackingWebhookView):
    """POST /webhooks/tracking/aftership/: AfterShip's tracking webhooks (updates and
    estimated-delivery revisions)."""

    source = TrackingEvent.Source.AFTERSHIP
    header = "aftership-hmac-sha256"
    setting = "AFTERSHIP_WEBHOOK_SECRET"
    check = staticmethod(formats.aftership_signature_valid)

    def secret(self) -> str:
        return settings.AFTERSHIP_WEBHOOK_SECRET

    def trackings(self, payload: dict) -> Sequence[TrackingIn] | None:
        return [formats.aftership_tracking(payload)]


class GenericWebhookView(TrackingWebhookView):
    """POST /webhooks/tracking/generic/: our own format, one event or {"events": [...]}."""

    source = TrackingEvent.Source.GENERIC
    header = "X-Signature"
    setting = "TRACKING_WEBHOOK_SECRET"
    check = staticmethod(formats.generic_signature_valid)

    def secret(self) -> str:
        return settings.TRACKING_WEBHOOK_SECRET

    def trackings(self, payload: dict) -> Sequence[TrackingIn] | None:
        return formats.generic_trackings(payload)
