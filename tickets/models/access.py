from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import ChoiceLabels


class CaseVisibility(models.TextChoices):
    """Which cases an agent sees (settings.CASE_VISIBILITY, or their group's choice)."""

    ALL = "all", _("All cases")
    TEAMS = "teams", _("Their teams' cases and unassigned ones")
    OWN = "own", _("Only cases assigned to them")


# From narrowest to widest: a user in several groups gets the widest of their groups' choices.
VISIBILITY_WIDTH = [CaseVisibility.OWN, CaseVisibility.TEAMS, CaseVisibility.ALL]


class GroupCaseVisibility(ChoiceLabels, models.Model):
    """A group's own answer to "which cases do its members see", instead of the setting."""

    group = models.OneToOneField(
        Group,
        on_delete=models.CASCADE,
        related_name="case_visibility",
        verbose_name=_("group"),
    )
    visibility = models.CharField(
        _("sees"), max_length=10, choices=CaseVisibility.choices, default=CaseVisibility.ALL
    )

    class Meta:
        verbose_name = _("case visibility")
        verbose_name_plural = _("case visibility")
        ordering = ["group__name"]

    def __str__(self) -> str:
        return f"{self.group}: {self.get_visibility_display()}"
