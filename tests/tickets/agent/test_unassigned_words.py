""" "Unassigned" is two things: a case without an assignee (the home page, the list's filter)
and the event of an assignee taken off a case (the timeline). Each language says them apart."""

import pytest
from django.utils import translation

from tickets.agent.workspace_timeline import event_words
from tickets.models import CaseEvent


@pytest.mark.parametrize(
    ("language", "state", "event"),
    [
        ("en", "Unassigned", "Unassigned"),
        ("de", "Nicht zugewiesen", "Zuweisung aufgehoben"),
        ("fr", "Non assignés", "Désassigné"),
        ("es", "Sin asignar", "Asignación retirada"),
        ("zh-hans", "未分配", "已取消分配"),
    ],
)
def test_the_state_and_the_event_have_their_own_words(language, state, event):
    with translation.override(language):
        assert translation.gettext("Unassigned") == state
        taken_off = CaseEvent(verb="assigned", data={"assignee": None, "previous": 7})
        assert event_words(taken_off) == event


@pytest.mark.django_db
def test_the_home_page_counts_unassigned_cases_in_the_agents_language(client, agent_user):
    client.force_login(agent_user)

    page = client.get("/agent/", HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "Nicht zugewiesen" in page and "Zuweisung aufgehoben" not in page
