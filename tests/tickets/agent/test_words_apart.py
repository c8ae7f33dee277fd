"""Words the agent pages share with other places but mean otherwise there, each translated
apart: "Unassigned" is a case without an assignee (the home page, the list's filter) and the
event of an assignee taken off a case (the timeline); "sent" is a notification's state on the
timeline and its "sent (at)" column elsewhere."""

import pytest
from django.utils import translation

from tickets.agent.workspace_timeline import event_words, notification_state
from tickets.models import CaseEvent, Notification


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


@pytest.mark.parametrize(
    ("language", "state"),
    [("de", "gesendet"), ("fr", "envoyé"), ("es", "enviado"), ("zh-hans", "已发送")],
)
def test_a_sent_notification_reads_sent_not_the_columns_sent_at(language, state):
    with translation.override(language):
        assert notification_state(Notification(status=Notification.Status.SENT)) == ("sent", state)
