"""The workspace's forms: validation only. Fields a form does not know (a macro the composer's
picker adds) are ignored; a control left out of a post is left as it is."""

from typing import Any

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from tickets.models import Case, Message, Team

BODY_MAX_LENGTH = 20_000
# The value of the assignee and team selects that means "nobody" / "no team".
NONE = "none"


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=BODY_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5, "id": "composer-body"}),
        error_messages={
            "required": _("Write something first."),
            "max_length": _("A message is at most %(limit_value)d characters long."),
        },
    )
    visibility = forms.ChoiceField(
        choices=[
            (Message.Visibility.PUBLIC, _("Reply")),
            (Message.Visibility.INTERNAL, _("Internal note")),
        ],
        initial=Message.Visibility.PUBLIC,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a reply or an internal note.")},
    )
    # The macro inserted into the text (the composer's macro menu): its actions follow the reply.
    macro = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class ControlsForm(forms.Form):
    """Assignee, priority, team and status of a case as the agent saw it (`version`)."""

    version = forms.IntegerField(
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={"required": _("The form is missing the case's version. Reload.")},
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", "—"), *Case.Priority.choices]
    )
    team = forms.ChoiceField(label=_("Team"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        error_messages={
            "invalid_choice": _("This case cannot move to that status from here."),
        },
    )

    def __init__(
        self,
        *args: Any,
        case: Case,
        agents: list[AbstractBaseUser],
        teams: list[Team],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self._agents = {str(agent.pk): agent for agent in agents}
        self._teams = {str(team.pk): team for team in teams}
        self.fields["assignee"].choices = [
            ("", "—"),
            (NONE, _("Nobody (back to the queue)")),
            *((pk, _display_name(agent)) for pk, agent in self._agents.items()),
        ]
        self.fields["team"].choices = [
            ("", "—"),
            (NONE, _("No team")),
            *((pk, team.name) for pk, team in self._teams.items()),
        ]
        # Only the moves the state machine allows from here, and staying where it is.
        allowed = Case.TRANSITIONS[case.status]
        self.fields["status"].choices = [("", "—")] + [
            (value, label)
            for value, label in Case.Status.choices
            if value == case.status or value in allowed
        ]
        self.initial.update(
            version=case.version,
            assignee=str(case.assignee_id) if case.assignee_id else NONE,
            priority=case.priority,
            team=str(case.team_id) if case.team_id else NONE,
            status=case.status,
        )

    def changes(self) -> dict[str, Any]:
        """The keyword arguments of case_controls_apply for what the post names."""
        data = self.cleaned_data
        changes: dict[str, Any] = {"version": data["version"]}
        if data["assignee"]:
            changes["assignee"] = (
                None if data["assignee"] == NONE else self._agents[data["assignee"]]
            )
        if data["team"]:
            changes["team"] = None if data["team"] == NONE else self._teams[data["team"]]
        if data["priority"]:
            changes["priority"] = data["priority"]
        if data["status"]:
            changes["status"] = data["status"]
        return changes


def _display_name(user: AbstractBaseUser) -> str:
    full_name = getattr(user, "get_full_name", lambda: "")()
    return str(full_name or user.get_username())
