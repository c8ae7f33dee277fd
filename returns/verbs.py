"""What can happen on a case because of its return request (timeline verbs, namespace
"returns")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    REQUESTED = "returns.requested", _("Return requested")
    FLAGGED = "returns.flagged", _("Return flagged for review")
    APPROVED = "returns.approved", _("Return approved")
    REJECTED = "returns.rejected", _("Return rejected")
    LABEL_FAILED = "returns.label_failed", _("Return label could not be issued")
    IN_TRANSIT = "returns.in_transit", _("Return parcel on its way back")
    RECEIVED = "returns.received", _("Return parcel received")
    INSPECTED = "returns.inspected", _("Returned items inspected")
    RESOLVED = "returns.resolved", _("Return resolved")
    REFUND_RELEASED = "returns.refund_released", _("Refund released by the policy")
    REFUND_STARTED = "returns.refund_started", _("Refund started")
    REFUNDED = "returns.refunded", _("Refund paid")
    REFUND_FAILED = "returns.refund_failed", _("Refund failed")
    SHIPPED_BACK = "returns.shipped_back", _("Item sent back to the customer")
