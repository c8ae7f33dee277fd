"""The EasyPost label adapter: a return (or outbound) Shipment with `POST /v2/shipments`, then
its cheapest rate bought with `POST /v2/shipments/<id>/buy`, in the shapes EasyPost documents
(a Shipment object: `id`, `rates[]`, `selected_rate`, `tracking_code`, `postage_label`; sample
of the create answer in ../shared/fixtures/easypost_return_shipment_create.json).

For a return EasyPost takes the addresses as for the outbound parcel and swaps them itself
(`is_return: true`): `to_address` is the customer, `from_address` the warehouse, as in the
sample (its `buyer_address` is the customer, its `return_address` the shop). Sizes go in
inches and ounces. The HTTP call is one injectable function (`transport`), so tests hand in
the fixture and no test leaves the machine."""

from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.utils.translation import gettext as _

from shipments.easypost_api import Transport, easypost_call
from shipments.labels.adapters import IssuedLabel, LabelProviderError, Parcel
from shipments.labels.addresses import Address

CM_PER_INCH = Decimal("2.54")
GRAMS_PER_OUNCE = Decimal("28.349523125")


def requests_transport(method: str, path: str, body: dict[str, Any] | None) -> dict[str, Any]:
    """The real call (shipments/easypost_api.py), failing as LabelProviderError."""
    return easypost_call(
        method,
        path,
        body,
        error=LabelProviderError,
        refused=_("EasyPost refused the label (%(status)s): %(detail)s"),
    )


def address_body(address: Address) -> dict[str, str]:
    """An EasyPost Address object for `address`."""
    body = {
        "name": address.name,
        "street1": address.line1,
        "street2": address.line2,
        "city": address.city,
        "state": address.region,
        "zip": address.postcode,
        "country": address.country,
        "phone": address.phone,
        "email": address.email,
    }
    return {name: value for name, value in body.items() if value}


def parcel_body(parcel: Parcel) -> dict[str, float]:
    """An EasyPost Parcel object: inches and ounces, one decimal."""

    def inches(cm: Decimal) -> float:
        return float((Decimal(cm) / CM_PER_INCH).quantize(Decimal("0.1")))

    return {
        "length": inches(parcel.length_cm),
        "width": inches(parcel.width_cm),
        "height": inches(parcel.height_cm),
        "weight": float((Decimal(parcel.weight_grams) / GRAMS_PER_OUNCE).quantize(Decimal("0.1"))),
    }


def shipment_request(
    *,
    customer: Address,
    warehouse: Address,
    parcel: Parcel,
    reference: str,
    is_return: bool,
) -> dict[str, Any]:
    """The body of `POST /v2/shipments`: the customer is `to_address` whichever way the parcel
    goes, `is_return` turning it round."""
    return {
        "shipment": {
            "is_return": is_return,
            "reference": reference,
            "to_address": address_body(customer),
            "from_address": address_body(warehouse),
            "parcel": parcel_body(parcel),
            "options": {"label_format": "PDF", "label_size": "4x6"},
        }
    }


def _rate_amount(rate: dict[str, Any]) -> Decimal:
    try:
        return Decimal(str(rate.get("rate")))
    except InvalidOperation:
        return Decimal("Infinity")


def cheapest_rate(shipment: dict[str, Any]) -> dict[str, Any]:
    """The cheapest of a Shipment's `rates`. Raises LabelProviderError without any (EasyPost
    explains why in `messages`)."""
    rates = [rate for rate in shipment.get("rates") or [] if rate.get("id")]
    if not rates:
        reasons = "; ".join(str(m.get("message", "")) for m in shipment.get("messages") or [])
        raise LabelProviderError(
            _("EasyPost offered no rate for this parcel. %(reasons)s") % {"reasons": reasons}
        )
    return min(rates, key=_rate_amount)


def issued_label(shipment: dict[str, Any]) -> IssuedLabel:
    """A bought Shipment object in our terms. Raises LabelProviderError if it has no tracking
    code yet (not bought)."""
    tracking = str(shipment.get("tracking_code") or "")
    if not tracking:
        raise LabelProviderError(
            _("EasyPost did not give a tracking number for shipment %(id)s.")
            % {"id": shipment.get("id", "")}
        )
    rate = shipment.get("selected_rate") or {}
    label = shipment.get("postage_label") or {}
    tracker = shipment.get("tracker") or {}
    return IssuedLabel(
        tracking_number=tracking,
        carrier=str(rate.get("carrier") or ""),
        carrier_reference=str(shipment.get("id") or ""),
        label_url=str(label.get("label_url") or ""),
        tracking_url=str(tracker.get("public_url") or ""),
    )


class EasyPostLabelAdapter:
    code: ClassVar[str] = "easypost"

    def __init__(self, transport: Transport | None = None) -> None:
        self.transport = transport or requests_transport

    def issue(
        self,
        *,
        from_address: Address,
        to_address: Address,
        parcel: Parcel,
        reference: str,
        is_return: bool,
    ) -> IssuedLabel:
        customer, warehouse = (
            (from_address, to_address) if is_return else (to_address, from_address)
        )
        body = shipment_request(
            customer=customer,
            warehouse=warehouse,
            parcel=parcel,
            reference=reference,
            is_return=is_return,
        )
        created = self.transport("POST", "/shipments", body)
        if created.get("tracking_code") and created.get("postage_label"):
            return issued_label(created)
        rate = cheapest_rate(created)
        bought = self.transport(
            "POST", f"/shipments/{created['id']}/buy", {"rate": {"id": rate["id"]}}
        )
        return issued_label(bought)
