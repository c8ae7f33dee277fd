"""What can happen on a wrong-item case (timeline verbs, namespace "wrong_items")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    REPORTED = "wrong_items.reported", _("Customer reported a wrong item")
    PROPOSED = "wrong_items.proposed", _("Reshipment or refund and a discount proposed")
    PROPOSAL_ACCEPTED = "wrong_items.proposal_accepted", _("Proposal accepted")
    PROPOSAL_DISMISSED = "wrong_items.proposal_dismissed", _("Proposal dismissed")
    RESHIP_APPROVED = "wrong_items.reship_approved", _("Express reshipment approved")
    RESHIPPED = "wrong_items.reshipped", _("Right item sent by express")
    DISCOUNT_ISSUED = "wrong_items.discount", _("Discount code given")
    REFUND_PROPOSED = "wrong_items.refund", _("Refund instead of reshipment")
    ITEM_KEPT = "wrong_items.kept", _("Customer keeps the wrong item")
    RETURN_LABEL = "wrong_items.return_label", _("Return label sent for the wrong item")
    ROOT_CAUSE_SET = "wrong_items.root_cause", _("Root cause recorded")
