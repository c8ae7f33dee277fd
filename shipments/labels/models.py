"""A label: what was printed on a shipment the shop pays for. Registered with the shipments app
from shipments/models.py; it names its shipment by string so that import runs one way."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Label(models.Model):
    """The label of one return or replacement shipment. `reference` is what the warehouse knows
    the parcel by (an RMA number, a case number) and is unique: issuing twice for one reference
    gives the same label back. Addresses are copied as printed, so the PDF printed again later
    reads the same even if the shop's warehouse moves."""

    shipment = models.OneToOneField(
        "shipments.Shipment",
        on_delete=models.CASCADE,
        related_name="label",
        verbose_name=_("shipment"),
    )
    reference = models.CharField(_("reference"), max_length=64, unique=True)
    # {"name", "line1", "line2", "city", "region", "postcode", "country"} (addresses.Address).
    from_address = models.JSONField(_("from"))
    to_address = models.JSONField(_("to"))
    valid_until = models.DateField(_("valid until"))
    # Who issued it ("self_issued", "easypost") and their id and printable label, if any.
    adapter = models.CharField(_("issued by"), max_length=20)
    carrier_reference = models.CharField(_("carrier's label id"), max_length=100, blank=True)
    carrier_label_url = models.URLField(_("carrier's label file"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("label")
        verbose_name_plural = _("labels")

    def __str__(self) -> str:
        return self.reference
