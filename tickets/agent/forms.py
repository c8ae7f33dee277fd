"""The case list's input: its filters (GET, the state lives in the URL) and the bulk actions
(POST). Validation only."""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext_lazy as _

from tickets.models import Case
from tickets.scenarios import case_filters
from tickets.selectors.case_queue import DEFAULT_SORT, SLA_STATES, SORTS, QueueFilters

COUNTRY = re.compile(r"^[A-Za-z]{2}$")
BULK_CAP = 100

SORT_CHOICES = [
    ("sla_due", _("SLA due")),
    ("-created", _("Newest")),
    ("created", _("Oldest")),
    ("-updated", _("Recently updated")),
    ("updated", _("Least recently updated")),
    ("-priority", _("Priority, urgent first")),
    ("priority", _("Priority, low first")),
    ("-sla_due", _("SLA due, latest first")),
]
SLA_CHOICES = [
    ("", _("Any SLA")),
    ("at_risk", _("At risk")),
    ("breached", _("Breached")),
    ("paused", _("Paused")),
    ("ok", _("On time")),
]
assert {value for value, _label in SLA_CHOICES if value} == set(SLA_STATES)  # noqa: S101


def _assignee(value: str) -> str:
    value = value.strip().lower()
    if value in ("", "me", "none") or value.isdigit():
        return value
    raise ValidationError(_("Assignee is “me”, “none” or an agent’s number."))


class CaseQueueForm(forms.Form):
    """The list's filters from the query string; every field optional."""

    q = forms.CharField(required=False, max_length=200, strip=True, label=_("Search"))
    kind = forms.ChoiceField(
        required=False, choices=[("", _("Any kind")), *Case.Kind.choices], label=_("Kind")
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("", _("Active")), ("all", _("Any status")), *Case.Status.choices],
        label=_("Status"),
    )
    assignee = forms.CharField(required=False, max_length=20, label=_("Assignee"))
    team = forms.IntegerField(required=False, min_value=1, label=_("Team"))
    priority = forms.ChoiceField(
        required=False,
        choices=[("", _("Any priority")), *Case.Priority.choices],
        label=_("Priority"),
    )
    sla = forms.ChoiceField(required=False, choices=SLA_CHOICES, label=_("SLA"))
    country = forms.CharField(required=False, max_length=2, label=_("Country"))
    language = forms.ChoiceField(
        required=False,
        choices=[("", _("Any language")), *settings.LANGUAGES],
        label=_("Language"),
    )
    tag = forms.CharField(required=False, max_length=50, label=_("Tag"))
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, label=_("Sort"))
    cursor = forms.CharField(required=False, max_length=200)

    # The choice fields whose choices never change: their <option>s are drawn once per
    # language (plain_select).
    fixed_choices = ("kind", "status", "priority", "sla", "language", "sort")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The scenarios' filters (e.g. the carrier), as text fields like the country's.
        for case_filter in case_filters():
            if case_filter.key in self.fields:
                raise ImproperlyConfigured(f"Case filter {case_filter.key!r} is a list filter.")
            self.fields[case_filter.key] = forms.CharField(
                required=False, max_length=case_filter.max_length, label=case_filter.label
            )

    def extra_fields(self) -> list[forms.BoundField]:
        """The scenarios' filter fields, for the template."""
        return [self[case_filter.key] for case_filter in case_filters()]

    def clean_assignee(self) -> str:
        return _assignee(self.cleaned_data["assignee"])

    def clean_country(self) -> str:
        country = self.cleaned_data["country"].strip()
        if country and not COUNTRY.match(country):
            raise ValidationError(_("A country is a two-letter code such as DE."))
        return country.upper()

    def clean_tag(self) -> str:
        return self.cleaned_data["tag"].strip().lower()

    def filters(self) -> QueueFilters:
        """The valid form as the selector's filters."""
        data = self.cleaned_data
        sort = data["sort"] or DEFAULT_SORT
        key = sort.lstrip("-")
        assert key in SORTS  # noqa: S101 (the choices hold only known keys)
        return QueueFilters(
            kind=data["kind"],
            status=data["status"],
            assignee=data["assignee"],
            team=data["team"],
            priority=data["priority"],
            sla=data["sla"],
            country=data["country"],
            language=data["language"],
            tag=data["tag"],
            q=data["q"],
            sort=key,
            descending=sort.startswith("-"),
            extra=tuple(
                (case_filter.key, data[case_filter.key].strip())
                for case_filter in case_filters()
                if data.get(case_filter.key, "").strip()
            ),
        )


class CaseBulkForm(forms.Form):
    """A bulk action over the ticked cases of one list page."""

    ASSIGN, STATUS, CLOSE, TAG = "assign", "status", "close", "tag"
    ACTIONS = [
        (ASSIGN, _("Assign")),
        (STATUS, _("Change status")),
        (CLOSE, _("Close")),
        (TAG, _("Add tag")),
    ]

    cases = forms.CharField(required=False)
    action = forms.ChoiceField(choices=ACTIONS, label=_("Action"))
    assignee = forms.CharField(required=False, max_length=20, label=_("Assign to"))
    status = forms.ChoiceField(
        required=False, choices=[("", "—"), *Case.Status.choices], label=_("New status")
    )
    tag = forms.SlugField(required=False, max_length=50, allow_unicode=True, label=_("Tag"))
    back = forms.CharField(required=False, max_length=2000)

    def __init__(self, data, *, numbers: list[str]) -> None:
        super().__init__(data)
        self.numbers = numbers

    def clean_assignee(self) -> str:
        return _assignee(self.cleaned_data["assignee"])

    def clean_tag(self) -> str:
        return self.cleaned_data["tag"].strip().lower()

    def clean(self):
        data = super().clean() or {}
        numbers = sorted({n.strip().upper() for n in self.numbers if n.strip()})
        if not numbers:
            raise ValidationError(_("Tick at least one case."))
        if len(numbers) > BULK_CAP:
            raise ValidationError(
                _("At most %(cap)s cases at once; you ticked %(count)s.")
                % {"cap": BULK_CAP, "count": len(numbers)}
            )
        data["numbers"] = numbers
        action = data.get("action")
        if action == self.ASSIGN and not data.get("assignee"):
            self.add_error("assignee", _("Choose whom to assign the cases to."))
        if action == self.STATUS and not data.get("status"):
            self.add_error("status", _("Choose the new status."))
        if action == self.TAG and not data.get("tag"):
            self.add_error("tag", _("Type the tag to add."))
        return data
