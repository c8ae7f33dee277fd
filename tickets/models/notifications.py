from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cases import Case
from .choices import ChoiceLabels
from .customers import Customer


class Notification(ChoiceLabels, models.Model):
    """The outbox: one message to one customer, written in the transaction of the change it
    reports and delivered by a worker after commit."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # A text the provider may or may not have sent (no answer came, and its log could not
        # tell): sending it again could reach the customer twice, so a person decides.
        HELD = "held", _("Held for a person")

    # The only moves of `status`, made by tickets.services.outbox.notifications_move().
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        # Delivered; given up or refused (or the customer replied STOP); an unanswered text
        # that the provider's log could not confirm.
        Status.PENDING: frozenset({Status.SENT, Status.FAILED, Status.HELD}),
        # The mail server returned it later (a bounce).
        Status.SENT: frozenset({Status.FAILED}),
        # An agent sends it again.
        Status.FAILED: frozenset({Status.PENDING}),
        # An agent sends it anyway; the customer replied STOP meanwhile.
        Status.HELD: frozenset({Status.PENDING, Status.FAILED}),
    }

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("customer")
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("case"),
    )
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    template = models.CharField(_("template"), max_length=100)
    language = models.CharField(_("language"), max_length=10)
    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, editable=False
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    provider_id = models.CharField(_("provider id"), max_length=255, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    message_id = models.CharField(_("email Message-ID"), max_length=255, blank=True, db_index=True)
    # A worker that starts sending holds the row until then; one killed mid-send lets it go.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    # When a send whose outcome is unknown started (no answer came, or its worker died): a
    # text is looked up at the provider before anything is sent again.
    unconfirmed_at = models.DateTimeField(_("unconfirmed since"), null=True, blank=True)
    enqueued_at = models.DateTimeField(_("last queued"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    retried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last sent again by"),
    )
    retried_at = models.DateTimeField(_("last sent again"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.template} → {self.recipient}"


class ShortLink(models.Model):
    """A short path, /s/<code>, that leads to a page of this site: SMS carry these, so their
    length does not depend on SITE_URL or on how long the page's own address is."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    # A path on this site (starting with "/"), followed relative to SITE_URL.
    target = models.CharField(_("target path"), max_length=500, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("short link")
        verbose_name_plural = _("short links")

    def __str__(self) -> str:
        return f"/s/{self.code} → {self.target}"
