"""Webhook endpoints: read the body once, check its signature, parse it, call one service.

Answers use the API's one error shape: {"detail": ..., "code": ..., "errors": {...}}."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from tickets.errors import ApplicationError
from tickets.services.sms_consent import sms_consent_withdraw
from tickets.webhooks import twilio
from tickets.webhooks.responses import WebhookView, error, too_large
from tickets.webhooks.services import shopify_order_receive, shopify_shop
from tickets.webhooks.shopify import payload_parse, signature_valid

logger = logging.getLogger(__name__)


class ShopifyOrderWebhookView(WebhookView):
    """POST /webhooks/shopify/orders/ for Shopify's orders/create, orders/updated,
    fulfillments/create and fulfillments/update, each signed with its shop's own secret (see
    shopify_shop)."""

    def post(self, request: HttpRequest) -> JsonResponse:
        try:
            body = request.body
        except RequestDataTooBig:
            return too_large()
        shop_domain = request.headers.get("X-Shopify-Shop-Domain", "").strip()
        # The domain header is not signed: the signature must be that shop's own.
        shop = shopify_shop(shop_domain=shop_domain)
        if not signature_valid(
            body=body, signature=request.headers.get("X-Shopify-Hmac-Sha256"), secret=shop.secret
        ):
            if shop.why:
                logger.warning("Shopify webhook from %r refused: %s.", shop_domain, shop.why)
            return error(
                401,
                _("The X-Shopify-Hmac-Sha256 signature is missing or wrong."),
                "invalid_signature",
            )
        try:
            receipt = shopify_order_receive(
                webhook_id=request.headers.get("X-Shopify-Webhook-Id", "").strip(),
                topic=request.headers.get("X-Shopify-Topic", "").strip(),
                shop_domain=shop_domain,
                store=shop.store,
                payload=payload_parse(body),
            )
        except ApplicationError as exc:
            return error(400, str(exc), exc.code, getattr(exc, "errors", None))
        answer = {"outcome": receipt.outcome, "order": receipt.order_number}
        if receipt.detail:
            answer["detail"] = receipt.detail
        return JsonResponse(answer)


class TwilioSmsWebhookView(WebhookView):
    """POST /webhooks/twilio/sms/: Twilio's incoming-message webhook. An opt-out keyword
    (STOP …) withdraws the sender's SMS consent; any other text is acknowledged and left
    alone. Answers empty TwiML, so Twilio sends nothing back beyond its own STOP reply."""

    def post(self, request: HttpRequest) -> HttpResponse:
        token = settings.TWILIO_AUTH_TOKEN
        # Twilio signs the URL configured in its console, i.e. the public one (see public_url).
        url = twilio.public_url(site_url=settings.SITE_URL, full_path=request.get_full_path())
        signature = request.headers.get("X-Twilio-Signature")
        if not twilio.signature_valid(
            url=url, params=request.POST, signature=signature, token=token
        ):
            if not token:
                logger.warning("Twilio webhook refused: TWILIO_AUTH_TOKEN is not set.")
            return error(
                401, _("The X-Twilio-Signature signature is missing or wrong."), "invalid_signature"
            )
        if twilio.is_opt_out(request.POST):
            sms_consent_withdraw(phone=twilio.sender(request.POST), source="twilio")
        return HttpResponse(twilio.EMPTY_TWIML, content_type="text/xml")
