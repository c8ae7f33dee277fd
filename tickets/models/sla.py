from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case, Team
from .choices import ChoiceLabels


class SLAPolicy(ChoiceLabels, models.Model):
    """Targets for one kind and priority; a case's due times are set from it when it opens
    (tickets.services.sla). Minutes count in the `calendar` team's business hours when it is
    set, around the clock otherwise."""

    kind = models.CharField(_("kind"), max_length=20, choices=Case.Kind.choices)
    priority = models.CharField(_("priority"), max_length=10, choices=Case.Priority.choices)
    first_response_minutes = models.PositiveIntegerField(
        _("first response within (minutes)"), validators=[MinValueValidator(1)]
    )
    next_response_minutes = models.PositiveIntegerField(
        _("next response within (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("After each customer message, once answered. Empty: no update target."),
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution within (minutes)"), validators=[MinValueValidator(1)]
    )
    calendar = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("business hours of"),
        help_text=_("Count only this team's working hours. Empty: around the clock."),
    )
    # Off: the targets running on its cases stop (no badge, no alert); due times are kept.
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["kind", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "priority"], name="sla_one_per_kind_priority"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} / {self.get_priority_display()}"


class SLABreachAlert(ChoiceLabels, models.Model):
    """One alert to the supervisors about one breached target of one case; unique, so that a
    breach is told once however often the scan runs. `sent_at` is None while it waits for the
    team's working hours."""

    class Target(models.TextChoices):
        FIRST_RESPONSE = "first_response", _("First response")
        NEXT_RESPONSE = "next_response", _("Next response")
        RESOLUTION = "resolution", _("Resolution")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="sla_alerts", verbose_name=_("case")
    )
    target = models.CharField(_("target"), max_length=20, choices=Target.choices)
    due_at = models.DateTimeField(_("due"))
    created_at = models.DateTimeField(_("found"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("SLA breach alert")
        verbose_name_plural = _("SLA breach alerts")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "target", "due_at"], name="sla_alert_once_per_breach"
            ),
        ]
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(sent_at__isnull=True), name="sla_alert_unsent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.target} {self.due_at:%Y-%m-%d %H:%M}"


class RoutingRule(ChoiceLabels, models.Model):
    """Sends a new case without a team to `team` when kind, customer language and country match
    (blank: any). Rules are tried by `position`; the first match wins."""

    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Case.Kind.choices, blank=True)
    language = models.CharField(
        _("customer language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    country = models.CharField(
        _("customer country"),
        max_length=2,
        blank=True,
        help_text=_("Two-letter country code, e.g. DE."),
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="routing_rules", verbose_name=_("team")
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.position}: → {self.team}"

    def clean(self) -> None:
        self.country = self.country.upper()
