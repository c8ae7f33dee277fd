from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WrongItemsConfig(AppConfig):
    """Wrong-item cases: the report, reshipment, discount, root cause and its reports."""

    name = "wrong_items"
    verbose_name = _("Wrong items")

    def ready(self) -> None:
        # The spine's models and registry are loaded once the app registry is ready.
        from tickets.demo_seeders import demo_seeder_register
        from tickets.models import Case
        from tickets.scenarios import PortalEntry, Scenario, WorkspacePanel, scenario_register
        from tickets.services.timeline import verbs_register
        from wrong_items import scenario
        from wrong_items.demo import wrong_items_demo_seed
        from wrong_items.guards import root_cause_before_close
        from wrong_items.panel import PANEL_TEMPLATE, panel_context
        from wrong_items.verbs import Verb

        verbs_register(Verb, namespace=self.label)
        scenario_register(
            Scenario(
                kind=Case.Kind.WRONG_ITEM,
                label=Case.Kind.WRONG_ITEM.label,
                portal=(
                    PortalEntry(
                        key="wrong-item",
                        title=_("I received the wrong item"),
                        description=_(
                            "We are sorry. We send the right item at once and you keep a "
                            "discount on your next order."
                        ),
                        position=30,
                        url_name="wrong_items:portal-report",
                    ),
                ),
                panel=WorkspacePanel(template=PANEL_TEMPLATE, context=panel_context),
                guards=(root_cause_before_close,),
                milestones=scenario.MILESTONES,
                next_step=scenario.wrong_item_next_step,
                notification_context=scenario.wrong_item_notification_context,
                placeholders=scenario.wrong_item_placeholders,
                reports=scenario.REPORTS,
            )
        )
        # seed_demo's wrong items and the apology macro (wrong_items/demo.py).
        demo_seeder_register(self.label, wrong_items_demo_seed)
