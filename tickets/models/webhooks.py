from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import ChoiceLabels


class WebhookDelivery(ChoiceLabels, models.Model):
    """One acknowledged Shopify order webhook. Its unique id turns a redelivery into a no-op;
    written in the transaction of the order change it caused, never edited. A delivery that
    was acknowledged but not applied says why: `stale` (older than the order we hold) or
    `refused` (see `detail`)."""

    class Outcome(models.TextChoices):
        CREATED = "created", _("Order created")
        UPDATED = "updated", _("Order updated")
        UNCHANGED = "unchanged", _("Order unchanged")
        STALE = "stale", _("Older than the stored order: ignored")
        REFUSED = "refused", _("Refused: see detail")

    webhook_id = models.CharField(_("webhook id"), max_length=100, unique=True)
    topic = models.CharField(_("topic"), max_length=100)
    shop_domain = models.CharField(_("shop domain"), max_length=255, blank=True)
    order_number = models.CharField(_("order number"), max_length=64)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    order_updated_at = models.DateTimeField(
        _("order changed at the shop"), null=True, blank=True, editable=False
    )
    detail = models.TextField(_("detail"), blank=True, editable=False)
    received_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["-received_at"], name="webhook_delivery_received")]

    def __str__(self) -> str:
        return f"{self.topic} #{self.order_number} ({self.webhook_id})"
