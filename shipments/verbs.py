"""What can happen on a case because of its shipment (timeline verbs, namespace "shipments")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    FINDING = "shipments.finding", _("Shipment problem detected")
    TRACKING = "shipments.tracking", _("Tracking update")
    CUSTOMER_REPORT = "shipments.customer_report", _("Customer reported the parcel missing")
    LINKED = "shipments.linked", _("Case linked to its parcel")
    DECLARED_LOST = "shipments.declared_lost", _("Parcel declared lost")
    OUTCOME_CHOSEN = "shipments.outcome_chosen", _("Refund or replacement chosen")
    REPLACEMENT_SHIPPED = "shipments.replacement", _("Replacement shipment created")
    MANUAL_EVENT = "shipments.manual_event", _("Tracking event added by an agent")
    CLAIM_FILED = "shipments.claim_filed", _("Insurance claim filed")
    CLAIM_UPDATED = "shipments.claim_updated", _("Insurance claim updated")
    LABEL_ISSUED = "shipments.label_issued", _("Shipping label issued")
