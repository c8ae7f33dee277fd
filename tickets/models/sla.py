from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case


class SLAPolicy(models.Model):
    """Targets for one kind and priority; a case's due times are set from it when it opens."""

    kind = models.CharField(_("kind"), max_length=20, choices=Case.Kind.choices)
    priority = models.CharField(_("priority"), max_length=10, choices=Case.Priority.choices)
    first_response_minutes = models.PositiveIntegerField(
        _("first response within (minutes)"), validators=[MinValueValidator(1)]
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution within (minutes)"), validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["kind", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "priority"], name="sla_one_per_kind_priority"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} / {self.get_priority_display()}"
