"""What the label and its email tell the customer, in their language: the steps to send the
return (pack, attach, drop off by the date) and the captions printed on the label."""

from dataclasses import dataclass
from datetime import date

from django.utils import formats, translation
from django.utils.translation import gettext as _

from shipments.labels.models import Label


@dataclass(frozen=True)
class LabelTexts:
    """Every word of a label's PDF and email in one language."""

    title: str
    steps: list[str]
    valid_until: str
    from_caption: str
    to_caption: str
    reference_caption: str
    tracking_caption: str
    return_mark: str
    instructions_title: str


def day(value: date) -> str:
    """A date as the active language writes it ("14 March 2026", "14. März 2026")."""
    return formats.date_format(value, "DATE_FORMAT")


def label_texts(*, label: Label, language: str) -> LabelTexts:
    """The texts of `label` in `language` (a return's steps; a replacement has none)."""
    shipment = label.shipment
    with translation.override(language):
        until = day(label.valid_until)
        steps = []
        if shipment.direction == shipment.Direction.RETURN:
            steps = [
                _("Pack the item with all its parts and accessories in a sturdy box."),
                _(
                    "Print this label and stick it on the box, with the barcode flat and whole. "
                    "Cover or remove any old labels."
                ),
                _("Take the parcel to a %(carrier)s drop-off point by %(date)s.")
                % {"carrier": shipment.carrier.name, "date": until},
                _("Keep the receipt. You can follow the parcel with tracking number %(number)s.")
                % {"number": shipment.tracking_number},
            ]
        return LabelTexts(
            title=_("Your return label %(reference)s") % {"reference": label.reference}
            if steps
            else _("Shipping label %(reference)s") % {"reference": label.reference},
            steps=steps,
            valid_until=_("Valid until %(date)s") % {"date": until},
            from_caption=_("From"),
            to_caption=_("To"),
            reference_caption=_("Reference"),
            tracking_caption=_("Tracking number"),
            return_mark=_("RETURN") if steps else "",
            instructions_title=_("How to send your return"),
        )
