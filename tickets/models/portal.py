"""The customer portal's access: magic links and the audit trail of signing in and out."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import ChoiceLabels
from .customers import Customer, Order


class PortalLink(models.Model):
    """A magic link to the portal, bound to one customer and (usually) one of their orders.

    Only the SHA-256 of the token is stored: whoever reads the database cannot sign in with it.
    A link is usable while it is not used, not voided (a newer link for the same customer and
    order voids it) and not past `expires_at`."""

    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="portal_links", verbose_name=_("customer")
    )
    order = models.ForeignKey(
        Order,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="portal_links",
        verbose_name=_("order"),
    )
    # The portal page the customer asked for (a notification's link) when they were signed out.
    next_path = models.CharField(_("goes to"), max_length=200, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)

    class Meta:
        verbose_name = _("portal link")
        verbose_name_plural = _("portal links")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["customer", "order", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.customer} · {self.created_at:%Y-%m-%d %H:%M}"


class PortalAccessEvent(ChoiceLabels, models.Model):
    """One line of the portal's audit trail: a link requested, sent, used or refused, a sign-in
    or a sign-out. Never holds a token."""

    class Kind(models.TextChoices):
        LINK_REQUESTED = "link_requested", _("Link requested")
        LINK_RATE_LIMITED = "link_rate_limited", _("Link request over the limit")
        LINK_SENT = "link_sent", _("Link sent")
        LINK_NOT_SENT = "link_not_sent", _("No such order for that email")
        LINK_REFUSED = "link_refused", _("Link refused")
        SIGNED_IN = "signed_in", _("Signed in")
        SIGNED_OUT = "signed_out", _("Signed out")
        SESSION_EXPIRED = "session_expired", _("Session expired")

    kind = models.CharField(_("what happened"), max_length=20, choices=Kind.choices)
    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="portal_events",
        verbose_name=_("customer"),
    )
    order = models.ForeignKey(
        Order,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("order"),
    )
    link = models.ForeignKey(
        PortalLink,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("link"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agent"),
    )
    ip_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    # Why a link was refused (expired, used, voided, unknown), or what was typed into the form
    # (the order number; the email only as its hash).
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("portal access event")
        verbose_name_plural = _("portal access events")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["customer", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.created_at:%Y-%m-%d %H:%M}"
