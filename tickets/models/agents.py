from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgentProfile(models.Model):
    """What the dashboard keeps of one agent: whether they take new cases now (routing skips
    agents who are away) and when routing last gave them one (round-robin goes to whoever
    waited longest)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="agent_profile",
        verbose_name=_("agent"),
    )
    away = models.BooleanField(_("away"), default=False)
    away_since = models.DateTimeField(_("away since"), null=True, blank=True)
    last_routed_at = models.DateTimeField(_("last given a case"), null=True, blank=True)

    class Meta:
        verbose_name = _("agent profile")
        verbose_name_plural = _("agent profiles")

    def __str__(self) -> str:
        return str(self.user)
