"""System checks of the shipments app's settings, run at start-up."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning

from shipments.claims import ADAPTERS


def claims_adapter_check(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """SHIPMENT_CLAIMS_ADAPTER names an adapter; EasyPost's has its key."""
    name = settings.SHIPMENT_CLAIMS_ADAPTER
    if name not in ADAPTERS:
        return [
            Error(
                f"SHIPMENT_CLAIMS_ADAPTER={name!r} is not one of {', '.join(sorted(ADAPTERS))}.",
                id="shipments.E001",
            )
        ]
    if name == "easypost" and not settings.EASYPOST_API_KEY:
        return [
            Warning(
                "SHIPMENT_CLAIMS_ADAPTER is easypost but EASYPOST_API_KEY is empty: filing a "
                "claim will be refused.",
                id="shipments.W001",
            )
        ]
    return []
