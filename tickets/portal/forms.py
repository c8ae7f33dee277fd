"""The portal's forms: validation only. Uploaded files are read from request.FILES by the views
(Django's forms have no multiple-file field) and checked by tickets.services.evidence."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tickets.models import OrderLine

MESSAGE_MAX_LENGTH = 5000


class LineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrderLine) -> str:  # type: ignore[override]
        return f"{obj.title} ({obj.sku})"


class PortalForm(forms.Form):
    """Errors are announced with their field: it names them in aria-describedby (Django adds
    aria-invalid and the help text's id itself)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            bound = self[name]
            described = [f"{bound.auto_id}_error"]
            if bound.help_text:
                described.append(f"{bound.auto_id}_helptext")
            self.fields[name].widget.attrs["aria-describedby"] = " ".join(described)


class CaseNewForm(PortalForm):
    """The general case: what happened, and optionally which item."""

    description = forms.CharField(
        label=_("Describe what happened"),
        help_text=_("Tell us in your own words. The more we know, the faster we can help."),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Please tell us what happened.")},
    )
    line = LineChoiceField(
        label=_("Which item is it about? (optional)"),
        queryset=OrderLine.objects.none(),
        required=False,
        empty_label=_("The whole order"),
        error_messages={"invalid_choice": _("Please pick an item of this order.")},
    )

    def __init__(self, *args: object, lines: list[OrderLine], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        ids = [line.pk for line in lines]
        self.fields["line"].queryset = OrderLine.objects.filter(pk__in=ids)  # type: ignore[attr-defined]


class ReplyForm(PortalForm):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Please write a message.")},
    )
