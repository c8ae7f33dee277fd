"""Forms of the macros, presence and merge pages: validation only."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tickets.models import Macro
from tickets.services.presence import STATES


class MacroForm(forms.ModelForm):
    """A macro's fields and one text field per language (`body_<language>`)."""

    class Meta:
        model = Macro
        fields = ["name", "active", "position", "set_status", "set_priority", "add_tag"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["add_tag"].empty_label = _("(none)")
        for name in ("set_status", "set_priority"):
            self.fields[name].choices = [("", _("(unchanged)")), *self.fields[name].choices[1:]]
        texts = {}
        if self.instance.pk:
            texts = {text.language: text.body for text in self.instance.texts.all()}
        for code, language in settings.LANGUAGES:
            self.fields[f"body_{code}"] = forms.CharField(
                label=language,
                required=False,
                initial=texts.get(code, ""),
                widget=forms.Textarea(attrs={"rows": 4, "lang": code}),
            )

    def body_fields(self) -> list[forms.BoundField]:
        return [self[f"body_{code}"] for code, _language in settings.LANGUAGES]

    def bodies(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"body_{code}"] for code, _language in settings.LANGUAGES}

    def values(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(f"body_{code}", "").strip() for code, _ in settings.LANGUAGES):
            raise forms.ValidationError(_("Write the text in at least one language."))
        return cleaned


class PresenceForm(forms.Form):
    state = forms.ChoiceField(choices=[(state, state) for state in STATES])


class MergeForm(forms.Form):
    target = forms.CharField(
        label=_("Number of the case to keep"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_target(self) -> str:
        return self.cleaned_data["target"].strip().upper()


__all__ = ["MacroForm", "MergeForm", "PresenceForm"]
