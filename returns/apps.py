from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    """Returns and defect claims: return policies, RMAs, their labels, receipt, inspection and
    outcome."""

    name = "returns"
    verbose_name = _("Returns")

    def ready(self) -> None:
        # The spine's models and registry are loaded once the app registry is ready.
        from returns import scenario
        from returns.demo_seed import returns_demo_seed
        from returns.panel import PANEL_TEMPLATE, panel_context
        from returns.receivers import return_parcels_receiver
        from returns.verbs import Verb
        from shipments.signals import status_changed
        from tickets.demo_seeders import demo_seeder_register
        from tickets.models import Case
        from tickets.scenarios import (
            AgentPage,
            PortalEntry,
            Scenario,
            WorkspacePanel,
            scenario_register,
        )
        from tickets.services.timeline import verbs_register

        verbs_register(Verb, namespace=self.label)
        panel = WorkspacePanel(template=PANEL_TEMPLATE, context=panel_context)
        pages = (AgentPage(_("Inspection"), "returns:agent-inspection-queue", "tickets.view_case"),)
        # Two rights, two clocks (DESIGN.md): a return of an item the customer no longer
        # wants, and a claim on the warranty for one that is faulty; each its own case kind.
        scenario_register(
            Scenario(
                kind=Case.Kind.DEFECT,
                label=Case.Kind.DEFECT.label,
                portal=(
                    PortalEntry(
                        key="defect",
                        title=_("An item is defective or damaged"),
                        description=_(
                            "It arrived damaged or stopped working. We repair, replace or "
                            "refund it."
                        ),
                        position=20,
                        url_name="returns:portal-defect",
                    ),
                ),
                panel=panel,
                pages=pages,
                milestones=scenario.MILESTONES,
                next_step=scenario.return_next_step,
                # The returns reports cover both kinds, so they are registered here alone:
                # scenario_register refuses a report slug another kind already has, and the
                # page lists every scenario's reports (on both kinds they would show twice).
                reports=scenario.REPORTS,
            )
        )
        scenario_register(
            Scenario(
                kind=Case.Kind.RETURN,
                label=Case.Kind.RETURN.label,
                portal=(
                    PortalEntry(
                        key="return",
                        title=_("I want to return an item"),
                        description=_("You changed your mind, or it does not fit."),
                        position=10,
                        url_name="returns:portal-return",
                    ),
                ),
                panel=panel,
                pages=pages,
                milestones=scenario.MILESTONES,
                next_step=scenario.return_next_step,
            )
        )
        # The RMA follows its return parcel's tracking (returns/services/receipts.py).
        status_changed.connect(return_parcels_receiver, dispatch_uid="returns.receipts")
        # seed_demo's return policies and requests (returns/demo_seed.py).
        # After shipments': its idempotency check looks for any parcel of the demo's orders.
        demo_seeder_register(self.label, returns_demo_seed, after=("shipments",))
