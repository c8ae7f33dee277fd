"""A customer opens a case in the portal."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from tickets.errors import CaseAlreadyOpen
from tickets.models import Case, Customer, Order, OrderLine
from tickets.selectors import portal_case_active_for_line
from tickets.services.cases import case_create


@transaction.atomic
def portal_case_open(
    *,
    customer: Customer,
    order: Order,
    order_line: OrderLine | None,
    kind: str,
    subject: str,
    description: str,
    attachments: Sequence["UploadedFile[bytes]"] = (),
) -> Case:
    """Open a case of `kind` from the portal, the customer's words and files as its first message.

    Raises CaseAlreadyOpen (naming that case) when the customer has an open case of `kind` about
    `order_line` already, and what case_create raises."""
    if order_line is not None:
        existing = portal_case_active_for_line(customer=customer, order_line=order_line, kind=kind)
        if existing is not None:
            raise CaseAlreadyOpen(existing)
    try:
        # A savepoint: a second request for the same item that won the race makes this insert
        # break the partial unique constraint, and the transaction must stay usable to say so.
        with transaction.atomic():
            return case_create(
                customer=customer,
                order=order,
                order_line=order_line,
                kind=kind,
                subject=subject,
                channel=Case.Channel.PORTAL,
                language=customer.language,
                description=description,
                attachments=attachments,
            )
    except (IntegrityError, ValidationError):
        if order_line is None:
            raise
        existing = portal_case_active_for_line(customer=customer, order_line=order_line, kind=kind)
        if existing is None:
            raise
        raise CaseAlreadyOpen(existing) from None
