"""A reply written with a macro carries the macro's actions onto the case."""

import pytest

from tests.tickets.agent.conftest import make_macro, tag
from tests.tickets.agent.workspace_urls import action_url
from tests.tickets.factories import CaseFactory
from tickets.models import Case, Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_case(agent_user):
    return CaseFactory(assignee=agent_user, status="open", priority="normal")


def test_the_macros_actions_follow_the_reply(agent_client, open_case):
    macro = make_macro(set_status="waiting_on_customer", set_priority="high", add_tag=tag("photo"))
    response = agent_client.post(
        action_url("reply", open_case),
        {"body": "Could you send a photo?", "visibility": "public", "macro": str(macro.pk)},
        follow=True,
    )
    case = Case.objects.get(pk=open_case.pk)
    assert (case.status, case.priority) == ("waiting_on_customer", "high")
    assert list(case.tags.values_list("name", flat=True)) == ["photo"]
    assert Message.objects.get(case=case).body == "Could you send a photo?"
    page = response.content.decode()
    assert "Status set to Waiting on customer." in page


def test_a_move_the_case_refuses_is_reported_and_the_reply_kept(agent_client, open_case):
    macro = make_macro(set_status="closed")  # open → closed is no move of the state machine
    response = agent_client.post(
        action_url("reply", open_case),
        {"body": "Done.", "visibility": "internal", "macro": str(macro.pk)},
        follow=True,
    )
    assert response.status_code == 200
    assert Case.objects.get(pk=open_case.pk).status == "open"
    assert Message.objects.filter(case=open_case).count() == 1
    assert "Internal note saved." in response.content.decode()


@pytest.mark.parametrize("macro", ["0", "-3", "abc"])
def test_a_broken_macro_field_is_a_400_and_nothing_saved(agent_client, open_case, macro):
    response = agent_client.post(
        action_url("reply", open_case), {"body": "Hi", "visibility": "public", "macro": macro}
    )
    assert response.status_code == 400
    assert not Message.objects.filter(case=open_case).exists()


def test_a_macro_switched_off_meanwhile_skips_its_actions(agent_client, open_case):
    macro = make_macro(set_priority="urgent", active=False)
    response = agent_client.post(
        action_url("reply", open_case),
        {"body": "Hi", "visibility": "public", "macro": str(macro.pk)},
        follow=True,
    )
    assert Case.objects.get(pk=open_case.pk).priority == "normal"
    assert "The macro is no longer offered" in response.content.decode()
