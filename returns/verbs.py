"""What can happen on a case because of its return request (timeline verbs, namespace
"returns")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    REQUESTED = "returns.requested", _("Return requested")
    FLAGGED = "returns.flagged", _("Return flagged for review")
    APPROVED = "returns.approved", _("Return approved")
    REJECTED = "returns.rejected", _("Return rejected")
