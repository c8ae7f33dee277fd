"""The portal's access form: shape only. Whether the order exists is for the worker to find
out; the form never tells."""

from urllib.parse import unquote, urlsplit

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

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
