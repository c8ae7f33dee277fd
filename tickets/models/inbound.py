from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cases import Case, Message
from .choices import ChoiceLabels


class InboundEmail(ChoiceLabels, models.Model):
    """One email received from a customer (inbound webhook or the polled mailbox) and what
    became of it. Its unique Message-ID turns a second delivery into a no-op; written in the
    transaction of the message or case it caused, never edited."""

    class Outcome(models.TextChoices):
        ATTACHED = "attached", _("Added to its case")
        NEW_CASE = "new_case", _("Opened a new case")
        FOLLOW_UP = "follow_up", _("Opened a follow-up of a closed case")
        IGNORED = "ignored", _("Ignored")

    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    source = models.CharField(
        _("received through"), max_length=30, help_text=_("The email provider, or “imap”.")
    )
    sender = models.CharField(_("from"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    reason = models.CharField(
        _("reason"),
        max_length=50,
        blank=True,
        help_text=_("How it found its case (token, thread, subject), or why it was ignored."),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_emails",
        verbose_name=_("case"),
    )
    customer_message = models.ForeignKey(
        Message,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer message"),
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("inbound email")
        verbose_name_plural = _("inbound emails")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["-received_at"], name="inbound_email_received")]

    def __str__(self) -> str:
        return f"{self.message_id} ({self.outcome})"
