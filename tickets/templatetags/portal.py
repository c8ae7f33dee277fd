"""`{% load portal %}`: how the portal puts things to customers, in plain words."""

from datetime import datetime

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from tickets.models import Attachment, Case, Compensation
from tickets.scenarios import NextStep

register = template.Library()

CASE_STATUS = {
    Case.Status.NEW: _("Received"),
    Case.Status.OPEN: _("We are working on it"),
    Case.Status.WAITING_ON_CUSTOMER: _("Waiting for your reply"),
    Case.Status.WAITING_ON_RETURN: _("Waiting for your return parcel"),
    Case.Status.WAITING_ON_CARRIER: _("Waiting for the carrier"),
    Case.Status.RESOLVED: _("Solved"),
    Case.Status.CLOSED: _("Closed"),
}

COMPENSATION_STATUS = {
    Compensation.Status.PROPOSED: _("Being reviewed"),
    Compensation.Status.APPROVED: _("Approved, on its way to you"),
    Compensation.Status.ISSUED: _("Paid out"),
    Compensation.Status.FAILED: _("Delayed: we are sorting it out"),
    Compensation.Status.REJECTED: _("Not granted"),
    Compensation.Status.CANCELLED: _("Cancelled"),
}


@register.filter
def case_status(status: str) -> str:
    """A case's status as the customer reads it."""
    return str(CASE_STATUS.get(status, status))


# An issued compensation that is no payment, as the customer reads it.
ISSUED = {
    Compensation.Kind.STORE_CREDIT: _("Added to your account"),
    Compensation.Kind.DISCOUNT_CODE: _("Sent to you"),
}


@register.filter
def compensation_status(compensation: Compensation) -> str:
    """Where a compensation stands, in the customer's words; "" for a replacement or repair:
    its cost's approval is the shop's concern, and the case's milestones say where it is."""
    if compensation.kind in Compensation.GOODS:
        return ""
    if compensation.status == Compensation.Status.ISSUED and compensation.kind in ISSUED:
        return str(ISSUED[compensation.kind])
    return str(COMPENSATION_STATUS.get(compensation.status, compensation.status))


@register.filter
def is_image(attachment: Attachment) -> bool:
    """Whether the attachment is a picture the page can show as a thumbnail."""
    return attachment.content_type.startswith("image/")


def when(moment: datetime) -> str:
    """`moment` as the portal writes a date and time: in the current time zone and language."""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


@register.simple_tag
def next_step_text(step: NextStep) -> str:
    """The step's text with its date, in the current time zone and language."""
    if step.at is None:
        return str(step.text)
    return str(step.text) % {"date": when(step.at)}
