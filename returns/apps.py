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
                # Two rights, two clocks (DESIGN.md): a return of an item the customer no
                # longer wants, and a claim on the warranty for one that is faulty.
                portal=(
                    PortalEntry(
                        key="return",
                        title=_("I want to return an item"),
                        description=_("You changed your mind, or it does not fit."),
                        position=10,
                    ),
                    PortalEntry(
                        key="defect",
                        title=_("An item is defective or damaged"),
                        description=_(
                            "It arrived damaged or stopped working. We repair, replace or "
                            "refund it."
                        ),
                        position=20,
                    ),
                ),
            )
        )
