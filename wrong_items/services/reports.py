"""The customer's "I received the wrong item": a report on a new wrong-item case, high priority,
with the customer's photos as its first message."""

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import override

from shipments.models import Shipment, ShipmentStatus
from tickets.models import Case, OrderLine
from tickets.services import timeline
from tickets.services.cases import case_create
from tickets.services.timeline import Actor
from wrong_items.errors import LineAlreadyReported, LineNotShipped, PhotosRequired
from wrong_items.models import WrongItemReport
from wrong_items.services.proposals import proposal_make
from wrong_items.verbs import Verb

# A parcel in these states has not left the warehouse yet (no carrier scan): nothing in it
# can have arrived, right or wrong.
NOT_PICKED_UP = (ShipmentStatus.PENDING, ShipmentStatus.INFO_RECEIVED, ShipmentStatus.CANCELLED)


def order_line_shipped(*, order_line: OrderLine) -> bool:
    """Whether the line's order has an outbound parcel the carrier picked up (shipments are
    per order: a picked-up parcel of the order is taken to carry the line)."""
    picked_up = Q(first_scan_at__isnull=False) | ~Q(status__in=NOT_PICKED_UP)
    return (
        Shipment.objects.filter(order_id=order_line.order_id, direction=Shipment.Direction.OUTBOUND)
        .filter(picked_up)
        .exists()
    )


def _already_reported(order_line: OrderLine) -> LineAlreadyReported | None:
    found = WrongItemReport.objects.filter(order_line=order_line).select_related("case").first()
    return LineAlreadyReported(found.case.number) if found else None


@transaction.atomic
def report_create(
    *,
    order_line: OrderLine,
    received_description: str,
    preference: str,
    photos: Sequence["UploadedFile[bytes]"],
    received_sku: str = "",
    channel: str = Case.Channel.PORTAL,
    actor: Actor = None,
) -> WrongItemReport:
    """Open a high-priority wrong-item case for the customer of `order_line`'s order with a
    report of what arrived instead; the customer's words and `photos` (checked evidence) are
    its first message and the customer is told the case number in their language. A small
    order's report gets a proposal waiting for an agent's click (proposal_make).

    Raises PhotosRequired without a photo, LineNotShipped when the order has no picked-up
    outbound parcel, LineAlreadyReported (naming that case) for a line reported before,
    ValidationError for a bad preference or text; nothing is stored then."""
    if not photos:
        raise PhotosRequired()
    order = order_line.order
    refused = _already_reported(order_line)
    if refused is not None:
        raise refused
    if not order_line_shipped(order_line=order_line):
        raise LineNotShipped()
    customer = order.customer
    description = received_description.strip()
    sku = received_sku.strip()
    report = WrongItemReport(
        order=order,
        order_line=order_line,
        received_description=description,
        received_sku=sku,
        preference=preference,
    )
    report.full_clean(exclude=["case", "order_line"])
    with override(customer.language):
        subject = _("Wrong item instead of %(title)s (order %(number)s)") % {
            "title": order_line.title,
            "number": order.number,
        }
        body = _("I ordered %(title)s (%(sku)s) and received instead: %(received)s") % {
            "title": order_line.title,
            "sku": order_line.sku,
            "received": description,
        }
        if sku:
            body += "\n" + _("SKU or barcode on the package: %(sku)s") % {"sku": sku}
        body += "\n" + _("I would like: %(preference)s") % {
            "preference": report.get_preference_display()
        }

    def link(case: Case) -> None:
        report.case = case
        report.save()

    try:
        # A savepoint: a second report of the same line that won the race breaks the unique
        # order line, and the transaction must stay usable to say which case has it.
        with transaction.atomic():
            case = case_create(
                customer=customer,
                order=order,
                order_line=order_line,
                kind=Case.Kind.WRONG_ITEM,
                subject=subject[:200],
                channel=channel,
                actor=actor,
                priority=Case.Priority.HIGH,
                description=body,
                attachments=photos,
                link=link,
            )
    except IntegrityError:
        refused = _already_reported(order_line)
        if refused is None:
            raise
        raise refused from None
    timeline.record(
        case=case,
        verb=Verb.REPORTED,
        actor=actor,
        data={
            "report": report.pk,
            "order_line": order_line.pk,
            "expected_sku": order_line.sku,
            "received_sku": sku,
            "preference": preference,
        },
    )
    proposal_make(report=report)
    return report
