"""Supervisors manage macros; agents insert them through the JSON endpoint and the picker."""

import pytest
from django.urls import reverse

from tests.tickets.agent.conftest import make_macro, render_tag, tag
from tests.tickets.factories import CaseFactory, agent
from tickets.models import Case, Macro

pytestmark = pytest.mark.django_db

LIST = reverse("tickets:agent-macro-list")
NEW = reverse("tickets:agent-macro-new")


def edit_url(macro):
    return reverse("tickets:agent-macro-edit", args=[macro.pk])


def form_data(**overrides):
    data = {
        "name": "Ask for a photo",
        "active": "on",
        "position": "10",
        "set_status": "",
        "set_priority": "",
        "add_tag": "",
        "body_en": "Hello {customer_name}, a photo please.",
        "body_de": "Hallo {customer_name}, bitte ein Foto.",
        "body_fr": "",
        "body_es": "",
        "body_zh-hans": "",
    }
    return {**data, **overrides}


@pytest.mark.parametrize("url", [LIST, NEW])
def test_agents_get_a_403_in_the_agent_layout(agent_client, url):
    response = agent_client.get(url)
    assert response.status_code == 403
    assert b"Only supervisors may open this page" in response.content
    assert b"agent-header" in response.content


def test_agents_cannot_edit_or_deactivate(agent_client):
    macro = make_macro()
    assert agent_client.get(edit_url(macro)).status_code == 403
    assert agent_client.post(edit_url(macro), {"action": "deactivate"}).status_code == 403
    assert Macro.objects.get().active


def test_a_supervisor_creates_a_macro_with_texts_in_two_languages(supervisor_client):
    # when
    response = supervisor_client.post(NEW, form_data(set_priority="high", add_tag=tag("x").pk))
    # then
    macro = Macro.objects.get()
    assert response.status_code == 303
    assert response["Location"] == edit_url(macro)
    assert macro.set_priority == "high"
    assert macro.add_tag.name == "x"
    assert dict(macro.texts.values_list("language", "body")) == {
        "en": "Hello {customer_name}, a photo please.",
        "de": "Hallo {customer_name}, bitte ein Foto.",
    }


def test_editing_changes_a_text_and_removes_an_emptied_one(supervisor_client):
    macro = make_macro("Ask for a photo", bodies={"en": "old", "de": "alt"})
    response = supervisor_client.post(edit_url(macro), form_data(body_en="new", body_de=""))
    assert response.status_code == 303
    assert dict(macro.texts.values_list("language", "body")) == {"en": "new"}
    # and the edit page shows each language's field
    page = supervisor_client.get(edit_url(macro))
    assert page.status_code == 200
    for name in ("body_en", "body_de", "body_fr", "body_es", "body_zh-hans"):
        assert f'name="{name}"'.encode() in page.content


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, b"This field is required"),
        ({"body_en": "", "body_de": ""}, b"Write the text in at least one language"),
        ({"set_status": "flying"}, b"Select a valid choice"),
        ({"position": "-1"}, b"greater than or equal to 0"),
    ],
)
def test_bad_input_is_a_400_with_the_reason(supervisor_client, overrides, message):
    response = supervisor_client.post(NEW, form_data(**overrides))
    assert response.status_code == 400
    assert message in response.content
    assert not Macro.objects.exists()


def test_a_name_taken_in_another_case_is_refused(supervisor_client):
    make_macro("ask for a photo")
    response = supervisor_client.post(NEW, form_data(name="Ask for a photo"))
    assert response.status_code == 400
    assert b"already a macro called" in response.content
    assert Macro.objects.count() == 1


def test_deactivate_and_offer_again(supervisor_client):
    macro = make_macro()
    response = supervisor_client.post(edit_url(macro), {"action": "deactivate"})
    assert response.status_code == 303
    macro.refresh_from_db()
    assert not macro.active
    supervisor_client.post(edit_url(macro), {"action": "activate"})
    macro.refresh_from_db()
    assert macro.active


def test_an_unknown_macro_is_a_404(supervisor_client):
    assert supervisor_client.get(reverse("tickets:agent-macro-edit", args=[999])).status_code == 404


def test_the_list_takes_the_same_queries_for_one_and_thirty_macros(
    supervisor_client, django_assert_num_queries
):
    make_macro("m0", bodies={"en": "a", "de": "b"}, add_tag=tag("t"))
    supervisor_client.get(LIST)  # session and permissions warm
    # session, the macros, their texts (the signed-in user and the permissions with groups are
    # kept in the cache)
    with django_assert_num_queries(3) as few:
        response = supervisor_client.get(LIST)
    assert b"m0" in response.content
    for number in range(1, 30):
        make_macro(f"m{number}", bodies={"en": "a", "fr": "c"}, add_tag=tag(f"t{number}"))
    with django_assert_num_queries(len(few)):
        response = supervisor_client.get(LIST)
    assert b"m29" in response.content


# --- inserting ----------------------------------------------------------------------------------


def macro_url(case, macro):
    return reverse("tickets:agent-case-macro", args=[case.number, macro.pk])


def test_the_endpoint_answers_the_text_in_the_cases_language_and_the_actions(
    agent_client, django_assert_max_num_queries
):
    case = CaseFactory(language="de")
    macro = make_macro(
        bodies={"en": "Hi {case_number}", "de": "Hallo {case_number}"},
        set_status=Case.Status.WAITING_ON_CUSTOMER,
        add_tag=tag("vip"),
    )
    with django_assert_max_num_queries(8):
        response = agent_client.get(macro_url(case, macro))
    assert response.status_code == 200
    assert response.json() == {
        "text": f"Hallo {case.number}",
        "actions": "Sets status to Waiting on customer. Adds tag vip.",
    }


def test_an_inactive_macro_or_a_hidden_case_is_a_404(agent_client, agent_user, settings):
    settings.CASE_VISIBILITY = "own"
    mine = CaseFactory(assignee=agent_user)
    hidden = CaseFactory(assignee=agent(username="bob"))
    active, inactive = make_macro("a"), make_macro("b", active=False)
    assert agent_client.get(macro_url(hidden, active)).status_code == 404
    assert agent_client.get(macro_url(mine, inactive)).status_code == 404
    assert agent_client.get(macro_url(mine, active)).status_code == 200


def test_the_picker_lists_active_macros_in_order(agent_user, django_assert_num_queries):
    case = CaseFactory()
    make_macro("Zebra", position=1)
    make_macro("Apple", position=2)
    make_macro("Gone", active=False)
    with django_assert_num_queries(1):
        html = render_tag("{% macro_picker case %}", user=agent_user, case=case)
    assert html.index("Zebra") < html.index("Apple")
    assert "Gone" not in html
    assert 'name="macro"' in html
    assert reverse("tickets:agent-case-macro", args=[case.number, 0]) in html
    assert "agent/collab.js" in html


def test_no_picker_without_active_macros(agent_user):
    assert render_tag("{% macro_picker case %}", user=agent_user, case=CaseFactory()) == ""
