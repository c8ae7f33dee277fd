"""The admin changes cases and compensation only through the services: each change is an
admin action that writes the event, bumps the version and refuses a stale one."""

from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages

from tests.tickets.factories import CaseFactory, TagFactory, agent, supervisor
from tickets.models import Case, CaseEvent, Compensation, Team
from tickets.services.cases import case_set_priority, case_transition
from tickets.services.compensations import compensation_propose

pytestmark = pytest.mark.django_db
CASES = "/admin/tickets/case/"
COMPENSATIONS = "/admin/tickets/compensation/"


@pytest.fixture
def sam(client):
    """A supervisor in the admin (staff, not a superuser: the Supervisors group's rights)."""
    user = supervisor(username="sam", is_staff=True)
    client.force_login(user)
    return user


def choose(client, url, action, rows):
    """Select `rows` on the list and pick `action`: the action's form page."""
    return client.post(url, {"action": action, ACTION_CHECKBOX_NAME: [row.pk for row in rows]})


def apply(client, url, action, rows, versions=None, **fields):
    """Submit the action's form, with each case's version as the form page carried it."""
    data = {"action": action, "apply": "Apply", ACTION_CHECKBOX_NAME: [row.pk for row in rows]}
    for row in rows:
        if versions is not None:
            data[f"version-{row.pk}"] = versions[row.pk]
    data.update(fields)
    return client.post(url, data, follow=True)


def shown(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_moving_a_status_goes_through_the_service(client, sam):
    case = CaseFactory()
    # when the supervisor picks the action, then a form shows the case and its version
    page = choose(client, CASES, "transition", [case])
    assert page.status_code == 200
    assert f'name="version-{case.pk}" value="1"' in page.content.decode()
    # and when the form is applied with that version
    response = apply(
        client, CASES, "transition", [case], {case.pk: 1}, status="open", reason="checked"
    )
    # then the case moved, its version went up and the timeline names who and why
    case.refresh_from_db()
    assert (case.status, case.version) == ("open", 2)
    event = case.events.get(verb="status_changed")
    assert (event.actor, event.data["reason"]) == (sam, "checked")
    assert "1 row changed." in shown(response)


def test_a_case_changed_since_the_form_was_shown_is_left_alone(client, sam):
    # given the form was shown at version 1
    case = CaseFactory()
    choose(client, CASES, "transition", [case])
    # when an agent opens the case meanwhile (version 2)
    case_transition(case=case, to="open", actor=agent(username="ana"))
    # then applying the form's status move is refused, and the agent's change stands
    response = apply(client, CASES, "transition", [case], {case.pk: 1}, status="open")
    case.refresh_from_db()
    assert (case.status, case.version) == ("open", 2)
    assert case.events.filter(actor=sam).count() == 0
    assert any(
        case.number in text and "changed by someone else" in text for text in shown(response)
    )


def test_a_stale_case_does_not_stop_the_others(client, sam):
    fresh, stale = CaseFactory(), CaseFactory()
    case_set_priority(case=stale, priority="high", actor=None)  # now version 2
    response = apply(
        client, CASES, "set_priority", [fresh, stale], {fresh.pk: 1, stale.pk: 1}, priority="urgent"
    )
    fresh.refresh_from_db()
    stale.refresh_from_db()
    assert (fresh.priority, fresh.version) == ("urgent", 2)
    assert (stale.priority, stale.version) == ("high", 2)
    messages = shown(response)
    assert "1 row changed." in messages
    assert any(stale.number in text for text in messages)


def test_a_move_the_state_machine_forbids_is_refused_with_its_reason(client, sam):
    case = CaseFactory()
    response = apply(client, CASES, "transition", [case], {case.pk: 1}, status="closed")
    case.refresh_from_db()
    assert case.status == "new"
    assert any("cannot move" in text for text in shown(response))


def test_assign_priority_tags_and_team_each_write_their_event(client, sam):
    case = CaseFactory()
    ana = agent(username="ana")
    dach = Team.objects.create(name="DACH")
    TagFactory(name="vip")
    apply(client, CASES, "assign", [case], {case.pk: 1}, assignee=ana.pk)
    apply(client, CASES, "set_priority", [case], {case.pk: 2}, priority="high")
    apply(client, CASES, "set_tags", [case], {case.pk: 3}, tags="vip, fragile")
    apply(client, CASES, "set_team", [case], {case.pk: 4}, team=dach.pk)
    case.refresh_from_db()
    assert (case.assignee, case.priority, case.team, case.version) == (ana, "high", dach, 5)
    assert set(case.tags.values_list("name", flat=True)) == {"vip", "fragile"}
    verbs = list(case.events.order_by("pk").values_list("verb", "actor"))
    assert verbs == [
        ("assigned", sam.pk),
        ("priority_changed", sam.pk),
        ("tags_changed", sam.pk),
        ("team_changed", sam.pk),
    ]


def test_a_form_without_versions_changes_nothing(client, sam):
    case = CaseFactory()
    response = apply(client, CASES, "set_priority", [case], priority="urgent")
    case.refresh_from_db()
    assert case.priority == "normal"
    assert any(case.number in text for text in shown(response))


def test_bad_input_shows_the_form_again(client, sam):
    case = CaseFactory()
    response = apply(client, CASES, "transition", [case], {case.pk: 1}, status="flying")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "new"


def test_the_change_page_only_shows_the_case(client, sam):
    case = CaseFactory()
    page = client.get(f"{CASES}{case.pk}/change/")
    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="_save"' not in content
    assert "field-status" in content and "field-version" in content
    # and a hand-made save is refused and writes nothing
    response = client.post(f"{CASES}{case.pk}/change/", {"priority": "urgent", "subject": "x"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert (case.priority, case.version, CaseEvent.objects.count()) == ("normal", 1, 0)


def test_cases_are_not_added_in_the_admin(client, sam):
    assert client.get(f"{CASES}add/").status_code == 403


# --- compensation -----------------------------------------------------------------------------


def proposal(case, amount="250.00", by=None) -> Compensation:
    return compensation_propose(
        case=case, kind="refund", amount=Decimal(amount), currency="EUR", actor=by
    )


def test_approve_issue_and_fail_go_through_the_ledger(client, sam):
    case = CaseFactory()
    big = proposal(case, by=agent(username="ana"))
    assert big.status == "proposed"
    apply(client, COMPENSATIONS, "approve", [big])
    big.refresh_from_db()
    assert (big.status, big.approved_by) == ("approved", sam)
    # marking it issued asks for the shop's reference
    page = choose(client, COMPENSATIONS, "mark_issued", [big])
    assert 'name="external_reference"' in page.content.decode()
    apply(client, COMPENSATIONS, "mark_issued", [big], external_reference="re_123")
    big.refresh_from_db()
    assert (big.status, big.external_reference) == ("issued", "re_123")
    verbs = list(case.events.values_list("verb", flat=True))
    assert verbs[-2:] == ["compensation_approved", "compensation_issued"]


def test_marking_failed_needs_a_reason_and_a_move_the_ledger_allows(client, sam):
    case = CaseFactory()
    proposed = proposal(case)
    # a reason is required
    page = apply(client, COMPENSATIONS, "mark_failed", [proposed], reason="")
    assert "This field is required." in page.content.decode()
    # a proposed compensation cannot fail: the ledger refuses, and says so
    response = apply(client, COMPENSATIONS, "mark_failed", [proposed], reason="declined")
    proposed.refresh_from_db()
    assert proposed.status == "proposed"
    assert any("cannot become" in text for text in shown(response))


def test_the_compensation_page_only_shows_it(client, sam):
    compensation = proposal(CaseFactory())
    page = client.get(f"{COMPENSATIONS}{compensation.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(f"{COMPENSATIONS}{compensation.pk}/change/", {}).status_code == 403


def test_unchanged_fields_of_the_case_model_are_all_on_the_page(client, sam):
    # every concrete field of Case is shown read-only (none goes missing from the page)
    case = CaseFactory()
    content = client.get(f"{CASES}{case.pk}/change/").content.decode()
    for field in Case._meta.concrete_fields:
        if field.name != "id":
            assert f"field-{field.name}" in content, field.name
