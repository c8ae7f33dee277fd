"""Bulk actions: a confirmation first, then each case through the case services in its own
transaction, a summary, refusals reported, nothing half-done."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages

from tests.tickets.factories import CaseFactory, UserFactory, agent
from tickets.models import Case, CaseEvent
from tickets.services import transitions
from tickets.services.case_bulk import close_path

BULK = "/agent/cases/bulk/"
S = Case.Status


def post(client, cases, confirm=False, **data):
    payload = {"cases": [c.number for c in cases], "back": "kind=defect", **data}
    if confirm:
        payload["confirm"] = "1"
    return client.post(BULK, payload)


def flashes(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_a_bulk_action_first_asks_for_confirmation_and_changes_nothing(agent_client):
    cases = [CaseFactory() for _ in range(3)]
    response = post(agent_client, cases, action="assign", assignee="me")
    assert response.status_code == 200
    assert "Assign 3 cases to alice." in response.content.decode()
    assert not Case.objects.filter(assignee__isnull=False).exists()


@pytest.mark.django_db
def test_confirmed_assignment_assigns_each_case_and_returns_to_the_list(agent_client, agent_user):
    cases = [CaseFactory() for _ in range(3)]
    response = post(agent_client, cases, confirm=True, action="assign", assignee="me")
    assert response.status_code == 303
    assert response["Location"] == "/agent/cases/?kind=defect"
    assert Case.objects.filter(assignee=agent_user).count() == 3
    assert "3 cases done." in flashes(response)
    assert CaseEvent.objects.filter(case__in=cases).count() >= 3


@pytest.mark.django_db
def test_assign_to_another_agent_and_back_to_the_queue(agent_client):
    bob = agent(username="bob")
    case = CaseFactory()
    post(agent_client, [case], confirm=True, action="assign", assignee=str(bob.pk))
    assert Case.objects.get(pk=case.pk).assignee == bob
    post(agent_client, [case], confirm=True, action="assign", assignee="none")
    assert Case.objects.get(pk=case.pk).assignee is None


@pytest.mark.django_db
def test_assigning_to_someone_who_does_not_work_cases_is_refused(agent_client):
    visitor = UserFactory(username="visitor")
    response = post(agent_client, [CaseFactory()], action="assign", assignee=str(visitor.pk))
    assert response.status_code == 400
    assert "does not work cases" in response.content.decode()


@pytest.mark.django_db
def test_a_status_change_the_state_machine_refuses_is_reported_and_the_rest_done(agent_client):
    # given a new case (may open) and a closed one (may not)
    new, closed = CaseFactory(), CaseFactory(status=S.CLOSED)
    response = post(agent_client, [new, closed], confirm=True, action="status", status="open")
    assert response.status_code == 303
    assert Case.objects.get(pk=new.pk).status == S.OPEN
    assert Case.objects.get(pk=closed.pk).status == S.CLOSED
    messages = flashes(response)
    assert "1 case done." in messages
    assert "1 case refused, left as it was:" in messages
    assert any(m.startswith(f"{closed.number}: ") for m in messages)


@pytest.mark.django_db
def test_close_moves_each_case_through_the_state_machine(agent_client):
    new, waiting = CaseFactory(), CaseFactory(status=S.WAITING_ON_CUSTOMER)
    resolved, closed = CaseFactory(status=S.RESOLVED), CaseFactory(status=S.CLOSED)
    response = post(agent_client, [new, waiting, resolved, closed], confirm=True, action="close")
    assert response.status_code == 303
    assert set(Case.objects.values_list("status", flat=True)) == {S.CLOSED}
    # the closed one needed nothing and counts as done
    assert "4 cases done." in flashes(response)


def test_the_close_path_is_the_fewest_moves():
    assert close_path(S.NEW) == [S.OPEN, S.RESOLVED, S.CLOSED]
    assert close_path(S.RESOLVED) == [S.CLOSED]
    assert close_path(S.CLOSED) == []


@pytest.mark.django_db
def test_a_close_refused_halfway_leaves_the_case_as_it_was(agent_client, monkeypatch):
    # given a guard that refuses closing (after the case was already resolved in the same go)
    def refuse(*, case, to):
        return "Not before the label is paid" if to == S.CLOSED else ""

    monkeypatch.setattr(transitions, "transition_refusal", refuse)
    case = CaseFactory(status=S.OPEN)
    response = post(agent_client, [case], confirm=True, action="close")
    # then the case is still open, not resolved, and the reason is reported
    assert Case.objects.get(pk=case.pk).status == S.OPEN
    assert f"{case.number}: Not before the label is paid" in flashes(response)


@pytest.mark.django_db
def test_add_tag_keeps_the_other_tags(agent_client):
    case = CaseFactory()
    case.tags.create(name="vip")
    post(agent_client, [case], confirm=True, action="tag", tag="Fragile")
    assert set(case.tags.values_list("name", flat=True)) == {"vip", "fragile"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"action": "explode"},
        {"action": "status"},
        {"action": "tag", "tag": "no spaces allowed"},
        {"action": "assign", "assignee": "bob"},
    ],
)
def test_bad_input_answers_400_with_a_message(agent_client, data):
    response = post(agent_client, [CaseFactory()], confirm=True, **data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


@pytest.mark.django_db
def test_no_case_ticked_or_too_many(agent_client):
    response = agent_client.post(BULK, {"action": "close"})
    assert response.status_code == 400
    assert "Tick at least one case." in response.content.decode()
    many = {"action": "close", "cases": [f"X{i}" for i in range(101)]}
    assert agent_client.post(BULK, many).status_code == 400


@pytest.mark.django_db
def test_cases_the_agent_may_not_see_are_left_out(client, settings):
    settings.CASE_VISIBILITY = "own"
    ana = agent(username="ana")
    own, hidden = CaseFactory(assignee=ana), CaseFactory(assignee=agent(username="bob"))
    client.force_login(ana)
    response = post(client, [own, hidden], action="assign", assignee="none")
    assert "1 ticked case is not yours to see" in response.content.decode()
    assert hidden.number not in response.content.decode()
    post(client, [own, hidden], confirm=True, action="assign", assignee="none")
    assert Case.objects.get(pk=hidden.pk).assignee.username == "bob"


@pytest.mark.django_db
def test_the_back_link_stays_on_the_list(agent_client):
    response = agent_client.post(
        BULK,
        {"cases": [CaseFactory().number], "action": "close", "confirm": "1",
         "back": "https://evil.example/"},
    )  # fmt: skip
    assert response["Location"].startswith("/agent/cases/")


@pytest.mark.django_db
def test_bulk_is_post_only_and_needs_change_case(client, agent_client):
    assert agent_client.get(BULK).status_code == 405
    reader = UserFactory(username="reader")
    reader.user_permissions.add(Permission.objects.get(codename="view_case"))
    client.force_login(reader)
    assert client.post(BULK, {"action": "close"}).status_code == 403


@pytest.mark.django_db
def test_the_confirmation_query_count_grows_only_per_case_for_the_action(
    agent_client, django_assert_max_num_queries
):
    cases = [CaseFactory() for _ in range(30)]
    agent_client.post(BULK, {"cases": [cases[0].number], "action": "close"})
    with django_assert_max_num_queries(12):
        post(agent_client, cases, action="assign", assignee="me")
