from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    """Defect claims: return policy, RMA, inspection (built in a later issue)."""

    name = "returns"
    verbose_name = _("Returns")

    def ready(self) -> None:
        # The spine's models and registry are loaded once the app registry is ready.
        from tickets.models import Case
        from tickets.scenarios import PortalEntry, Scenario, scenario_register

        scenario_register(
            Scenario(
                kind=Case.Kind.DEFECT,
                label=Case.Kind.DEFECT.label,
                portal=PortalEntry(
                    title=_("Something is broken"),
                    description=_(
                        "Your item arrived damaged or stopped working. Return it with a free "
                        "label; we repair, replace or refund it."
                    ),
                ),
            )
        )
