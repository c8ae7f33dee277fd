"""The shipment panel of a shipment-issue case in the agent's workspace (registered on the
scenario in apps.py): the case's shipments with their tracking history, the detections that
fired, the claim, and the lost-parcel actions; for a case without its parcel, the order's
parcels to link it to."""

from collections.abc import Mapping
from typing import Any

from shipments.models import Carrier, InsuranceClaim, ShipmentStatus
from shipments.selectors.lost import ShipmentPanel, case_shipment_panels, parcels_to_link
from tickets.models import Case

PANEL_TEMPLATE = "shipments/agent/_panel.html"

ClaimRow = tuple[InsuranceClaim, list[tuple[str, str]]]


def _claim_rows(panel: ShipmentPanel) -> list[ClaimRow]:
    """Each claim with the answers an agent can record next (the transition table's moves)."""
    return [
        (
            claim,
            [
                (move, str(InsuranceClaim.Status(move).label))
                for move in sorted(InsuranceClaim.TRANSITIONS[claim.status])
            ],
        )
        for claim in panel.claims
    ]


def panel_context(case: Case) -> Mapping[str, Any]:
    panels = case_shipment_panels(case=case)
    needs_carriers = any(
        panel.shipment.lost_outcome == "replacement" and panel.replacement is None
        for panel in panels
    )
    return {
        "shipment_rows": [(panel, _claim_rows(panel)) for panel in panels],
        "carriers": list(Carrier.objects.all()) if needs_carriers else [],
        "event_statuses": ShipmentStatus.choices,
        "customer_email": case.customer.email,
        # A case opened about its order ("where is my parcel?") is linked to the parcel here.
        "parcels_to_link": [] if panels else parcels_to_link(case=case),
    }
