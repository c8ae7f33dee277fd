"""Admin actions that change rows through the services, with a small form where one is needed.

The admin never saves a service-owned field itself (a plain save writes no event, skips the
version and can undo a concurrent change). An action shows the selected rows and its form; the
page carries each case's `version` as read then, so applying refuses a case someone changed in
between (StaleVersion), exactly as the API does. Each row is its own transaction: one refusal
leaves the others applied, and every refusal is reported by name."""

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tickets import selectors
from tickets.errors import ApplicationError, StaleVersion
from tickets.models import Case, Team

# An action form lists every row it changes; beyond this the page is no longer readable.
MAX_ROWS = 200

Apply = Callable[[Any, dict[str, Any], Any], object]


def form_action(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    form_class: type[forms.Form],
    title: str,
    apply: Apply,
    versioned: bool = True,
    initial: dict[str, Any] | None = None,
) -> TemplateResponse | None:
    """First call: the form for the selected rows. Second (with `apply` posted): run
    `apply(row, cleaned_data, user)` on each row, then back to the list with a report."""
    rows = list(queryset[: MAX_ROWS + 1])
    if len(rows) > MAX_ROWS:
        modeladmin.message_user(
            request,
            _("Select at most %(count)d rows for this action.") % {"count": MAX_ROWS},
            messages.WARNING,
        )
        return None
    if "apply" in request.POST:
        form = form_class(request.POST)
        if form.is_valid():
            apply_each(
                modeladmin, request, rows, apply, data=form.cleaned_data, versioned=versioned
            )
            return None
    else:
        form = form_class(initial=initial or {})
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "rows": rows,
        "versioned": versioned,
        "action": request.POST.get("action", ""),
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, "admin/tickets/action_form.html", context)


def apply_each(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    rows: Iterable[Model],
    apply: Apply,
    *,
    data: dict[str, Any] | None = None,
    versioned: bool = False,
) -> None:
    """`apply(row, data, user)` on each row, each refusal reported by name, then how many
    rows changed."""
    done = 0
    for row in rows:
        try:
            if versioned:
                posted = request.POST.get(f"version-{row.pk}", "")
                if not posted.isdigit():
                    raise StaleVersion(str(row))
                row.version = int(posted)  # type: ignore[attr-defined]
            apply(row, data or {}, request.user)
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{row}: {exc}", messages.ERROR)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{row}: {' '.join(exc.messages)}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request,
            ngettext("%(count)d row changed.", "%(count)d rows changed.", done) % {"count": done},
            messages.SUCCESS,
        )


# --- the forms --------------------------------------------------------------------------------


class CaseTransitionForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("New status"), choices=Case.Status.choices)
    reason = forms.CharField(
        label=gettext_lazy("Reason (for the timeline)"), required=False, max_length=500
    )


class CaseAssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=gettext_lazy("Assign to"),
        queryset=selectors.user_list_assignable(),
        required=False,
        empty_label=gettext_lazy("Nobody (back to the queue)"),
    )


class CasePriorityForm(forms.Form):
    priority = forms.ChoiceField(label=gettext_lazy("New priority"), choices=Case.Priority.choices)


class CaseTagsForm(forms.Form):
    tags = forms.CharField(
        label=gettext_lazy("Tags"),
        required=False,
        help_text=gettext_lazy("Comma-separated; they replace the case's tags. Empty: no tags."),
    )

    def clean_tags(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data["tags"].split(",") if name.strip()]


class CaseTeamForm(forms.Form):
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"),
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("No team"),
    )


class CompensationIssuedForm(forms.Form):
    external_reference = forms.CharField(
        label=gettext_lazy("Reference of the refund, credit or code"),
        required=False,
        max_length=255,
    )


class CompensationReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)
