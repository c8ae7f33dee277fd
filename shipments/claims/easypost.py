"""The EasyPost claims adapter: files a claim with `POST /v2/claims` and reads it back with
`GET /v2/claims/<id>`, in the shapes EasyPost documents (a Claim object: `id`, `status`,
`status_detail`, `requested_amount`, `approved_amount`, `history[]`; sample in
../shared/fixtures/easypost_claim_create.json). Authenticated with EASYPOST_API_KEY.

The HTTP call is one injectable function (`transport`), so tests hand in the fixture and no
test leaves the machine."""

import base64
import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from shipments.claims.base import ClaimAnswer
from shipments.easypost_api import Transport, easypost_call
from shipments.errors import ClaimProviderError
from shipments.models import InsuranceClaim, ShipmentStatus
from tickets.models import Attachment

logger = logging.getLogger(__name__)

# EasyPost takes photos as base64 in the request; a few are enough evidence and keep the
# request far below its size limit.
MAX_PHOTOS = 5


Status = InsuranceClaim.Status
# EasyPost's claim statuses in ours; "approved" below the requested amount is partial.
STATUSES = {
    "submitted": Status.SUBMITTED,
    "pending": Status.SUBMITTED,
    "imported": Status.SUBMITTED,
    "in_review": Status.IN_REVIEW,
    "approved": Status.APPROVED,
    "approved_partial": Status.PARTIALLY_APPROVED,
    "partially_approved": Status.PARTIALLY_APPROVED,
    "rejected": Status.REJECTED,
    "cancelled": Status.REJECTED,
    "expired": Status.REJECTED,
    "paid": Status.PAID,
}


@dataclass(frozen=True)
class InsuranceTerms:
    """What an EasyPost Insurance object says a parcel is insured for."""

    tracking_code: str
    amount: Decimal
    currency: str


def insurance_terms(data: dict[str, Any]) -> InsuranceTerms:
    """An Insurance object (`POST /v2/insurances`) as the values for Shipment.insured_value
    and insured_currency; EasyPost insures in US dollars. Raises ValueError for a bad amount."""
    amount = _amount(data.get("amount"))
    if amount is None:
        raise ValueError(f"EasyPost insurance {data.get('id')!r} has no amount.")
    return InsuranceTerms(
        tracking_code=str(data.get("tracking_code") or ""),
        amount=amount.quantize(Decimal("0.01")),
        currency="USD",
    )


def requests_transport(method: str, path: str, body: dict[str, Any] | None) -> dict[str, Any]:
    """The real call (shipments/easypost_api.py), failing as ClaimProviderError."""
    return easypost_call(
        method,
        path,
        body,
        error=ClaimProviderError,
        refused=_("EasyPost refused the claim (%(status)s): %(detail)s"),
    )


def _photos(claim: InsuranceClaim) -> list[str]:
    ids = [photo["id"] for photo in claim.evidence.get("photos", [])][:MAX_PHOTOS]
    encoded = []
    for attachment in Attachment.objects.filter(pk__in=ids):
        with attachment.file.open("rb") as handle:
            encoded.append(base64.b64encode(handle.read()).decode("ascii"))
    return encoded


def claim_request(claim: InsuranceClaim, *, photos: list[str]) -> dict[str, Any]:
    """The body of `POST /v2/claims` for `claim`."""
    shipment = claim.shipment
    lost = shipment.declared_lost_at is not None or shipment.status == ShipmentStatus.LOST
    order = claim.evidence.get("order", {})
    description = (
        f"Order {order.get('number', '')}, parcel {shipment.tracking_number}: "
        f"{'lost in transit' if lost else 'damaged in transit'}. "
        f"{len(claim.evidence.get('tracking', []))} tracking events attached in our records; "
        f"order value {order.get('total', '')} {order.get('currency', '')}."
    )
    return {
        "type": "loss" if lost else "damage",
        "tracking_code": shipment.tracking_number,
        "amount": f"{claim.amount_requested:.2f}",
        "description": description,
        "contact_email": parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
        "payment_method": "easypost_wallet",
        "email_evidence_attachments": [],
        "invoice_attachments": [],
        "supporting_documentation_attachments": photos,
    }


def _amount(value: object) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def claim_answer(data: dict[str, Any]) -> ClaimAnswer | None:
    """A Claim object in our terms, or None for a status we do not know (logged)."""
    status = STATUSES.get(str(data.get("status", "")))
    if status is None:
        logger.warning("EasyPost claim %s has an unknown status %r.", data.get("id"), data)
        return None
    approved = _amount(data.get("approved_amount"))
    requested = _amount(data.get("requested_amount"))
    if status == Status.APPROVED and approved is not None and requested and approved < requested:
        status = Status.PARTIALLY_APPROVED
    reason = str(data.get("status_detail") or "") if status == Status.REJECTED else ""
    return ClaimAnswer(status=status, amount_approved=approved, reason=reason[:500])


class EasyPostClaims:
    name = "easypost"

    def __init__(self, transport: Transport | None = None) -> None:
        self.transport = transport or requests_transport

    def file(self, claim: InsuranceClaim) -> str:
        answer = self.transport("POST", "/claims", claim_request(claim, photos=_photos(claim)))
        reference = str(answer.get("id") or "")
        if not reference:
            raise ClaimProviderError(_("EasyPost answered without a claim id."))
        return reference

    def status(self, claim: InsuranceClaim) -> ClaimAnswer | None:
        if not claim.provider_reference:
            return None
        return claim_answer(self.transport("GET", f"/claims/{claim.provider_reference}", None))
