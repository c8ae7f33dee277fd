"""Input of the compensation screens: validation only, the ledger's rules stay in the service."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tickets.models import Compensation
from tickets.validators import currency_precision

# Amounts are stored as 14 digits with 3 decimals.
LARGEST_AMOUNT = Decimal("99999999999")


def parse_amount(text: str) -> Decimal:
    """`text` as a Decimal: digits with one "." or "," before the decimals ("12.50", "12,50").
    Raises ValidationError for anything else (a sign, letters, thousands separators)."""
    text = text.strip()
    if "." not in text:
        text = text.replace(",", ".", 1)
    whole, _dot, decimals = text.partition(".")
    if not whole.isdigit() or (decimals and not decimals.isdigit()) or text.endswith("."):
        raise ValidationError(
            _("Type the amount as a number, like 12.50."), code="amount_not_a_number"
        )
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the checks above leave digits only
        raise ValidationError(_("Type the amount as a number, like 12.50.")) from exc


class CompensationProposeForm(forms.Form):
    """A proposal's kind, amount (in `currency`, the order's) and note."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Compensation.Kind.choices)
    amount = forms.CharField(label=_("Amount"), max_length=20)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, currency: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean_amount(self) -> Decimal:
        text = self.cleaned_data["amount"]
        if text.strip().startswith("-"):
            raise ValidationError(_("The amount cannot be negative."), code="amount_negative")
        amount = parse_amount(text)
        digits = currency_precision(self.currency)
        if amount != amount.quantize(Decimal(1).scaleb(-digits)):
            raise ValidationError(
                _("%(currency)s amounts have %(digits)s decimal places."),
                code="amount_precision",
                params={"currency": self.currency, "digits": digits},
            )
        if amount > LARGEST_AMOUNT:
            raise ValidationError(_("This amount is too large to record."), code="amount_too_large")
        return amount


class CompensationMoveForm(forms.Form):
    """What a move says: why (reject, cancel, fail; the service requires it) or the external
    reference of what went out (issue)."""

    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
    external_reference = forms.CharField(
        label=_("External reference"), max_length=255, required=False
    )
