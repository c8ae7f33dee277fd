"""Claims adapters: how an insurance claim reaches the carrier or insurer, behind one small
interface (shipments/claims/base.py). Which adapter files new claims is the setting
SHIPMENT_CLAIMS_ADAPTER ("manual", the default, or "easypost"); a claim keeps the adapter it
was filed with (InsuranceClaim.provider)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from shipments.claims.base import ClaimAnswer, ClaimsAdapter
from shipments.claims.easypost import EasyPostClaims
from shipments.claims.manual import ManualClaims

__all__ = ["ClaimAnswer", "ClaimsAdapter", "claims_adapter"]

ADAPTERS: dict[str, type[ClaimsAdapter]] = {"manual": ManualClaims, "easypost": EasyPostClaims}


def claims_adapter(name: str = "") -> ClaimsAdapter:
    """The adapter `name`, by default SHIPMENT_CLAIMS_ADAPTER's; raises ImproperlyConfigured
    for a name none has."""
    name = name or settings.SHIPMENT_CLAIMS_ADAPTER
    if name not in ADAPTERS:
        raise ImproperlyConfigured(f"Unknown claims adapter {name!r}.")
    return ADAPTERS[name]()
