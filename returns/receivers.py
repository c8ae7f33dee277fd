"""What returns does when another app tells it something (connected in apps.ready())."""

from typing import Any

from returns.services.receipts import return_parcels_moved
from shipments.signals import StatusChange


def return_parcels_receiver(sender: object, changes: list[StatusChange], **kwargs: Any) -> None:
    """shipments.signals.status_changed: RMAs follow their return parcels."""
    return_parcels_moved(changes=changes)
