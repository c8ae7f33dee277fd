"""Creating and updating shipments: the API, the shop's fulfilments, replacements."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shipments.models import Carrier, Shipment, ShipmentStatus
from shipments.services.carriers import carrier_for
from tickets.errors import ApplicationError
from tickets.models import Case, Order


class ShipmentExists(ApplicationError):
    code = "shipment_exists"

    def __init__(self, carrier: str, tracking_number: str) -> None:
        super().__init__(
            _("A shipment with tracking number %(number)s of %(carrier)s exists already.")
            % {"number": tracking_number, "carrier": carrier},
            carrier=carrier,
            tracking_number=tracking_number,
        )


class ShipmentInvalid(ApplicationError):
    """The shipment cannot be stored; `errors` maps fields to messages."""

    code = "invalid_shipment"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(_("The shipment is not valid; see errors."))
        self.errors = errors


@dataclass(frozen=True)
class ShipmentData:
    """What a source says about a shipment; None (or "") leaves a stored value alone on an
    update and takes the default on a create."""

    tracking_number: str
    carrier: str
    direction: str = Shipment.Direction.OUTBOUND
    service_level: str = Shipment.ServiceLevel.STANDARD
    origin_country: str = ""
    destination_country: str = ""
    shipped_at: datetime | None = None
    promised_delivery_date: date | None = None
    insured_value: Decimal | None = None
    insured_currency: str = ""
    external_id: str = ""
    tracking_url: str = ""


def _carrier(carrier: Carrier | str) -> Carrier:
    if isinstance(carrier, Carrier):
        return carrier
    if not carrier.strip():
        raise ShipmentInvalid({"carrier": [_("This field is required.")]})
    return carrier_for(name=carrier)


def _validate(shipment: Shipment) -> None:
    try:
        # The unique (carrier, tracking number) pair is the database's to enforce, so that a
        # concurrent create is refused the same way (ShipmentExists).
        shipment.full_clean(
            exclude=["order", "carrier", "issue_case", "case"], validate_unique=False
        )
    except ValidationError as exc:
        raise ShipmentInvalid(
            {
                name: [str(message) for message in messages]
                for name, messages in exc.message_dict.items()
            }
        ) from exc


@transaction.atomic
def shipment_create(
    *,
    order: Order,
    carrier: Carrier | str,
    tracking_number: str,
    direction: str = Shipment.Direction.OUTBOUND,
    service_level: str = Shipment.ServiceLevel.STANDARD,
    origin_country: str = "",
    destination_country: str = "",
    shipped_at: datetime | None = None,
    promised_delivery_date: date | None = None,
    insured_value: Decimal | None = None,
    insured_currency: str = "",
    status: str = ShipmentStatus.PENDING,
    case: Case | None = None,
    external_id: str = "",
    tracking_url: str = "",
) -> Shipment:
    """A new shipment of `order` with `carrier` (a Carrier, or a carrier's code or name as a
    source spells it: unknown carriers are created). The destination defaults to the order's
    shipping country; an insured value makes it insured, in the order's currency unless
    `insured_currency` says otherwise.

    Raises ShipmentExists if the carrier has this tracking number already, ShipmentInvalid
    naming each bad field."""
    number = tracking_number.strip()
    if not number:
        raise ShipmentInvalid({"tracking_number": [_("This field is required.")]})
    row = _carrier(carrier)
    shipment = Shipment(
        order=order,
        carrier=row,
        tracking_number=number,
        direction=direction,
        service_level=service_level,
        origin_country=origin_country.upper(),
        destination_country=(destination_country or str(order.shipping_country)).upper(),
        shipped_at=shipped_at,
        promised_delivery_date=promised_delivery_date,
        insured=insured_value is not None,
        insured_value=insured_value,
        insured_currency=(
            insured_currency or (order.currency if insured_value is not None else "")
        ).upper(),
        status=status,
        case=case,
        external_id=external_id,
        tracking_url=tracking_url,
        # A new shipment is due for detection's first look (not dispatched, unknown number).
        check_at=timezone.now(),
    )
    _validate(shipment)
    try:
        with transaction.atomic():
            shipment.save()
    except IntegrityError as exc:
        raise ShipmentExists(row.code, number) from exc
    return shipment


@transaction.atomic
def shipment_upsert(*, order: Order, data: ShipmentData) -> tuple[Shipment, bool]:
    """The shipment `data` describes, created or updated: (shipment, created). It is found by
    its carrier and tracking number, else by the shop's fulfilment id on `order` (a
    fulfilment whose tracking number changed). Given fields overwrite stored ones; a shipment
    of another order is left alone (returned unchanged, created False).

    Raises ShipmentInvalid naming each bad field."""
    number = data.tracking_number.strip()
    if not number:
        raise ShipmentInvalid({"tracking_number": [_("This field is required.")]})
    carrier = _carrier(data.carrier)
    shipment = (
        Shipment.objects.select_for_update().filter(carrier=carrier, tracking_number=number).first()
    )
    if shipment is None and data.external_id:
        shipment = (
            Shipment.objects.select_for_update()
            .filter(order=order, external_id=data.external_id, direction=data.direction)
            .order_by("pk")
            .first()
        )
    if shipment is None:
        created = shipment_create(
            order=order,
            carrier=carrier,
            tracking_number=number,
            direction=data.direction,
            service_level=data.service_level,
            origin_country=data.origin_country,
            destination_country=data.destination_country,
            shipped_at=data.shipped_at,
            promised_delivery_date=data.promised_delivery_date,
            insured_value=data.insured_value,
            insured_currency=data.insured_currency,
            external_id=data.external_id,
            tracking_url=data.tracking_url,
        )
        return created, True
    if shipment.order_id != order.pk:
        return shipment, False
    values = {
        "carrier": carrier,
        "tracking_number": number,
        "origin_country": data.origin_country.upper(),
        "destination_country": data.destination_country.upper(),
        "shipped_at": data.shipped_at,
        "promised_delivery_date": data.promised_delivery_date,
        "external_id": data.external_id,
        "tracking_url": data.tracking_url,
    }
    changed = [
        name
        for name, value in values.items()
        if value not in (None, "") and getattr(shipment, name) != value
    ]
    if not changed:
        return shipment, False
    for name in changed:
        setattr(shipment, name, values[name])
    shipment.updated_at = timezone.now()
    _validate(shipment)
    try:
        with transaction.atomic():
            shipment.save(update_fields=[*changed, "updated_at"])
    except IntegrityError as exc:
        raise ShipmentExists(carrier.code, number) from exc
    return shipment, False
