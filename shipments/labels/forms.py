"""The customer's postal address for a label, as a form: the portal's return claim asks it of
the customer, the workspace's return-label buttons of the agent (the shop's orders carry no
street address). Its fields are those shipments.labels.addresses.Address requires."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from tickets.portal.forms import PortalForm


def _text(autocomplete: str) -> forms.TextInput:
    return forms.TextInput(attrs={"autocomplete": autocomplete})


class AddressForm(PortalForm):
    # autocomplete: a phone fills the address in one tap. The name on an address is a
    # person's (or a firm's), which Chinese words apart from a thing's.
    name = forms.CharField(
        label=pgettext_lazy("on an address", "Name"), max_length=100, widget=_text("name")
    )
    line1 = forms.CharField(
        label=_("Street and number"), max_length=100, widget=_text("address-line1")
    )
    line2 = forms.CharField(
        label=_("Address line 2"), max_length=100, required=False, widget=_text("address-line2")
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=20, widget=_text("postal-code"))
    city = forms.CharField(label=_("City"), max_length=100, widget=_text("address-level2"))
    region = forms.CharField(
        label=_("Region"), max_length=100, required=False, widget=_text("address-level1")
    )
    country = forms.ChoiceField(
        label=_("Country"), choices=(), widget=forms.Select(attrs={"autocomplete": "country"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The names in the active language, read when the form is made.
        self.fields["country"].choices = list(countries)  # type: ignore[attr-defined]
