"""Issuing a label and telling the customer: the two calls the return and wrong-item flows
make. `label_issue` makes the shipment (through shipments' own create path) and its Label in
one transaction, once per reference; `label_send` emails the customer the instructions and the
link to the PDF."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shipments.labels.adapters import IssuedLabel, LabelProviderError, Parcel, label_adapter
from shipments.labels.addresses import Address, address_from, warehouse_address
from shipments.labels.models import Label
from shipments.labels.texts import label_texts
from shipments.models import Carrier, Shipment
from shipments.services.carriers import carrier_for
from shipments.services.shipments import shipment_create
from shipments.verbs import Verb
from tickets.errors import ApplicationError, Conflict
from tickets.models import Case, Notification, Order
from tickets.services import timeline
from tickets.services.notifications import notify
from tickets.services.timeline import Actor

# The customer's email of templates/notifications/return_label/.
LABEL_EVENT = "return_label"
DIRECTIONS = (Shipment.Direction.RETURN, Shipment.Direction.REPLACEMENT)


class LabelInvalid(ApplicationError):
    """A label request that cannot be issued as asked; `errors` maps fields to messages."""

    code = "invalid_label"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(
            _("The label cannot be issued: %(fields)s.") % {"fields": ", ".join(sorted(errors))},
            errors=errors,
        )
        self.errors = errors


class LabelReferenceTaken(Conflict):
    code = "label_reference_taken"

    def __init__(self, reference: str) -> None:
        super().__init__(
            _("Reference %(reference)s already has a label for another order.")
            % {"reference": reference},
            reference=reference,
        )


def label_portal_path(label: Label, *, size: str = "a4") -> str:
    """Where the customer downloads `label` in the portal."""
    return f"{reverse('shipments:portal-label-pdf', args=[label.pk])}?size={size}"


def _validated(
    *, reference: str, direction: str, customer_address: Address | dict[str, Any]
) -> tuple[str, Address, Address]:
    problems: dict[str, list[str]] = {}
    reference = reference.strip()
    if not reference:
        problems["reference"] = [_("This field is required.")]
    elif len(reference) > Label._meta.get_field("reference").max_length:  # type: ignore[operator]
        problems["reference"] = [_("A reference has at most 64 characters.")]
    if direction not in DIRECTIONS:
        problems["direction"] = [_("A label is for a return or a replacement.")]
    customer: Address | None = None
    try:
        customer = address_from(customer_address, role="customer")
    except ApplicationError as exc:
        problems.update(getattr(exc, "errors", {}))
    if problems or customer is None:
        raise LabelInvalid(problems)
    return reference, customer, warehouse_address()


def _carrier(issued: IssuedLabel) -> Carrier:
    if issued.carrier_name:
        carrier, _created = Carrier.objects.get_or_create(
            code=issued.carrier, defaults={"name": issued.carrier_name}
        )
        return carrier
    return carrier_for(name=issued.carrier)


@transaction.atomic
def label_issue(
    *,
    order: Order,
    case: Case | None,
    reference: str,
    customer_address: Address | dict[str, Any],
    actor: Actor,
    direction: str = Shipment.Direction.RETURN,
    parcel: Parcel | None = None,
    valid_days: int | None = None,
) -> Label:
    """The label known as `reference` (an RMA or case number) for a parcel of `order`: a
    `return` from `customer_address` to the shop's warehouse (settings.SHOP_RETURN_ADDRESS),
    or a `replacement` the other way. Issued through settings.LABEL_ADAPTER as a new shipment
    made for `case`, valid for `valid_days` (default settings.LABEL_VALID_DAYS), with a
    "label issued" event on the case's timeline. Asking again with the same reference returns
    the first label and changes nothing. The customer is not told: call `label_send`.

    Raises LabelInvalid (a missing reference, address field or a bad country, naming each),
    LabelReferenceTaken (the reference is another order's), AddressInvalid (the warehouse
    setting is incomplete), LabelProviderError (the carrier refused) — with nothing stored."""
    reference, customer, warehouse = _validated(
        reference=reference, direction=direction, customer_address=customer_address
    )
    # Lock the order: two requests for one reference wait for each other here instead of both
    # buying a label from the carrier (the unique reference would refuse the second only after
    # it had paid).
    Order.objects.select_for_update().filter(pk=order.pk).first()
    existing = Label.objects.select_related("shipment").filter(reference=reference).first()
    if existing is not None:
        if existing.shipment.order_id != order.pk:
            raise LabelReferenceTaken(reference)
        return existing
    is_return = direction == Shipment.Direction.RETURN
    sender, recipient = (customer, warehouse) if is_return else (warehouse, customer)
    adapter = label_adapter()
    issued = adapter.issue(
        from_address=sender,
        to_address=recipient,
        parcel=parcel or Parcel(),
        reference=reference,
        is_return=is_return,
    )
    if not issued.carrier.strip() or not issued.tracking_number.strip():
        raise LabelProviderError(_("The label provider gave no carrier or tracking number."))
    shipment = shipment_create(
        order=order,
        carrier=_carrier(issued),
        tracking_number=issued.tracking_number,
        direction=direction,
        origin_country=sender.country,
        destination_country=recipient.country,
        shipped_at=issued.shipped_at,
        case=case,
        tracking_url=issued.tracking_url,
    )
    days = settings.LABEL_VALID_DAYS if valid_days is None else valid_days
    try:
        # A savepoint: the same reference issued at the same moment for another order (whose
        # order lock is not ours) loses here, and the whole issue rolls back.
        with transaction.atomic():
            label = Label.objects.create(
                shipment=shipment,
                reference=reference,
                from_address=sender.as_dict(),
                to_address=recipient.as_dict(),
                valid_until=timezone.localdate() + timedelta(days=days),
                adapter=adapter.code,
                carrier_reference=issued.carrier_reference,
                carrier_label_url=issued.label_url,
            )
    except IntegrityError as exc:
        raise LabelReferenceTaken(reference) from exc
    if case is not None:
        timeline.record(
            case=case,
            verb=Verb.LABEL_ISSUED,
            actor=actor,
            data={
                "shipment": shipment.pk,
                "label": label.pk,
                "reference": reference,
                "direction": direction,
                "tracking_number": shipment.tracking_number,
                "carrier": shipment.carrier.code,
                "valid_until": label.valid_until.isoformat(),
                **timeline.by_system_unless(actor),
            },
        )
    return label


@transaction.atomic
def label_send(*, label: Label) -> list[Notification]:
    """Email (and text, with their consent) the customer of `label` its instructions and the
    link to download it, in the case's language (the customer's without a case); once per
    label, a second call writes nothing. Returns the outbox rows written."""
    shipment = label.shipment
    order = shipment.order
    case = shipment.case
    language = case.language if case else order.customer.language
    texts = label_texts(label=label, language=language)
    return notify(
        customer=order.customer,
        event=LABEL_EVENT,
        key=str(label.pk),
        case=case,
        context={
            "label": label,
            "shipment": shipment,
            "order": order,
            "texts": texts,
            "link_path": label_portal_path(label),
            "printer_url": f"{settings.SITE_URL}{label_portal_path(label, size='4x6')}",
        },
    )
