"""The portal's return and defect forms: validation only (the files are checked by the view
through tickets.services.evidence, the claim by returns.services.claims)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from returns.models import ReasonCode, ReturnRequest
from tickets.models import OrderLine
from tickets.portal.forms import MESSAGE_MAX_LENGTH, PortalForm


def quantity_field_name(line: OrderLine) -> str:
    return f"quantity_{line.pk}"


class ClaimForm(PortalForm):
    """How many of each item (0: not this one), why, in the customer's words, and what they
    would like. `lines` are the items that can be claimed, with how many of each."""

    reason_code = forms.ChoiceField(
        label=_("What is the reason?"),
        choices=(),
        error_messages={"required": _("Please choose a reason.")},
    )
    description = forms.CharField(
        label=_("Tell us more (optional)"),
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    preferred_outcome = forms.ChoiceField(
        label=_("What would you like?"),
        choices=ReturnRequest.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose what you would like.")},
    )

    def __init__(
        self, *args: Any, kind: str, lines: list[tuple[OrderLine, int]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        reasons = ReturnRequest.REASONS[kind]
        self.fields["reason_code"].choices = [("", _("Choose…"))] + [  # type: ignore[attr-defined]
            (code, ReasonCode(code).label) for code in reasons
        ]
        if kind == ReturnRequest.Kind.RETURN:
            self.fields["preferred_outcome"].choices = [  # type: ignore[attr-defined]
                (ReturnRequest.Outcome.REFUND, ReturnRequest.Outcome.REFUND.label),
                (ReturnRequest.Outcome.REPLACEMENT, _("Exchange or replacement")),
            ]
        self.lines = lines
        for line, available in lines:
            self.fields[quantity_field_name(line)] = forms.TypedChoiceField(
                label=_("How many?"),
                choices=[(str(n), str(n)) for n in range(available + 1)],
                coerce=int,
                initial="0",
                required=False,
                empty_value=0,
                error_messages={"invalid_choice": _("Choose how many to send back.")},
            )

    def quantity(self, line: OrderLine) -> Any:
        return self[quantity_field_name(line)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not any(cleaned.get(quantity_field_name(line)) for line, _n in self.lines):
            raise forms.ValidationError(_("Choose at least one item and how many."))
        return cleaned

    def chosen(self) -> list[tuple[OrderLine, int]]:
        return [
            (line, self.cleaned_data[quantity_field_name(line)])
            for line, _available in self.lines
            if self.cleaned_data.get(quantity_field_name(line))
        ]
