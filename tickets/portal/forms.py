"""The portal's forms: validation only. The access form checks the shape alone (whether the
order exists is for the worker to find out; the form never tells). Uploaded files are read from
request.FILES by the views (Django's forms have no multiple-file field) and checked by
tickets.services.evidence."""

from typing import Any
from urllib.parse import unquote, urlsplit

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from tickets.models import OrderLine

ORDER_MAX_LENGTH = 64
NEXT_MAX_LENGTH = 200
# Pages a sign-in never goes on to: the link itself, and signing out again.
NEVER_NEXT = ("/portal/link/", "/portal/sign-out/")


def safe_next_path(value: str | None) -> str:
    """`value` if it is a path under /portal/ on this site, else "": never another host, a
    scheme, a protocol-relative URL or a path that climbs out of /portal/ (open-redirect safe)."""
    value = (value or "").strip()
    if not value or len(value) > NEXT_MAX_LENGTH or not value.startswith("/portal/"):
        return ""
    decoded = unquote(value)
    if "\\" in decoded or "//" in decoded or any(ord(char) < 32 for char in decoded):
        return ""
    if any(segment in (".", "..") for segment in urlsplit(decoded).path.split("/")):
        return ""
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=None, require_https=False):
        return ""
    if urlsplit(value).scheme or urlsplit(value).netloc or value.startswith(NEVER_NEXT):
        return ""
    return value


class PortalAccessForm(forms.Form):
    order = forms.CharField(
        label=_("Order number"),
        max_length=ORDER_MAX_LENGTH,
        error_messages={
            "required": _("Enter your order number. You find it in your order confirmation."),
            "max_length": _("An order number is at most %(limit_value)d characters long."),
        },
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        error_messages={
            "required": _("Enter the email address you ordered with."),
            "invalid": _("Enter an email address like name@example.com."),
        },
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_next(self) -> str:
        return safe_next_path(self.cleaned_data.get("next"))


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
