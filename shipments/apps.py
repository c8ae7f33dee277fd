from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShipmentsConfig(AppConfig):
    """Carriers, shipments, tracking, detection of late and lost parcels, insurance claims."""

    name = "shipments"
    verbose_name = _("Shipments")

    def ready(self) -> None:
        # The spine's models and registry are loaded once the app registry is ready.
        from django.core.checks import register

        from shipments import scenario
        from shipments.checks import claims_adapter_check
        from shipments.demo import shipments_demo_seed
        from shipments.guards import claim_keeps_case_open
        from shipments.labels.checks import label_settings_check
        from shipments.loadgen import shipments_rows
        from shipments.panel import PANEL_TEMPLATE, panel_context
        from shipments.receivers import (
            carrier_news_received,
            order_fulfillment_events_received,
            order_fulfillments_received,
        )
        from shipments.services.updates import status_changed_receiver
        from shipments.signals import status_changed
        from shipments.verbs import Verb
        from tickets.demo_seeders import demo_seeder_register
        from tickets.loadgen import loadgen_step_register
        from tickets.models import Case
        from tickets.scenarios import PortalEntry, Scenario, WorkspacePanel, scenario_register
        from tickets.services.timeline import verbs_register
        from tickets.signals import order_fulfillment_events, order_fulfillments

        verbs_register(Verb, namespace=self.label)
        register(claims_adapter_check)
        register(label_settings_check)
        # The shop's fulfilments (Shopify order and fulfilment webhooks) become shipments.
        order_fulfillments.connect(
            order_fulfillments_received, dispatch_uid="shipments.order_fulfillments"
        )
        order_fulfillment_events.connect(
            order_fulfillment_events_received, dispatch_uid="shipments.order_fulfillment_events"
        )

        scenario_register(
            Scenario(
                kind=Case.Kind.SHIPMENT_ISSUE,
                label=Case.Kind.SHIPMENT_ISSUE.label,
                portal=(
                    PortalEntry(
                        key="parcel",
                        title=_("My parcel hasn't arrived or is late"),
                        description=_(
                            "We find out where it is and keep you posted. If it is lost, we "
                            "refund or replace it."
                        ),
                        position=40,
                        per_line=False,
                        url_name="shipments:portal-parcel",
                    ),
                ),
                panel=WorkspacePanel(template=PANEL_TEMPLATE, context=panel_context),
                guards=(claim_keeps_case_open,),
                milestones=scenario.MILESTONES,
                next_step=scenario.shipment_next_step,
                notification_context=scenario.shipment_notification_context,
                placeholders=scenario.shipment_placeholders,
                order_panel=scenario.ORDER_PANEL,
                case_search=scenario.shipment_case_search,
                case_filters=scenario.CASE_FILTERS,
                reports=scenario.REPORTS,
            )
        )
        # Proactive milestone updates to customers (shipments/services/updates.py).
        status_changed.connect(status_changed_receiver, dispatch_uid="shipments.updates")
        # Cases waiting on the carrier open when a parcel's status moves (services/waiting.py).
        status_changed.connect(carrier_news_received, dispatch_uid="shipments.waiting")
        # seed_demo's parcels along the simulator's scripts (shipments/demo.py).
        demo_seeder_register(self.label, shipments_demo_seed)
        # generate_load_data's parcels and tracking events (shipments/loadgen.py).
        loadgen_step_register(self.label, shipments_rows)
