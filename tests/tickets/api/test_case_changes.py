"""PATCH a case's priority or assignee, and move it through its statuses; optimistic locking."""

import pytest

from tests.tickets.api.conftest import assert_error_shape
from tests.tickets.factories import CaseFactory, UserFactory, agent
from tickets.models import Case, CaseEvent

S = Case.Status


def url(case, action=""):
    return f"/api/v1/cases/{case.number}/{action}"


@pytest.mark.django_db
def test_priority_and_assignee_change_together_and_the_version_moves_on(writer, case):
    ana = agent(username="ana")
    # when priority and assignee are sent with the version read
    response = writer.patch(
        url(case), {"version": 1, "priority": "urgent", "assignee": ana.pk}, format="json"
    )
    # then both change, each leaves an event, and the answer carries the new version
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["priority"], body["assignee"]["username"]) == ("urgent", "ana")
    assert body["version"] == 3
    assert list(case.events.values_list("verb", flat=True)) == ["priority_changed", "assigned"]
    assert case.events.last().actor.username == "api-shop-sync"


@pytest.mark.django_db
def test_null_assignee_puts_the_case_back_in_the_queue(writer):
    case = CaseFactory(assignee=agent(username="ana"))
    response = writer.patch(url(case), {"version": 1, "assignee": None}, format="json")
    assert response.status_code == 200
    assert response.json()["assignee"] is None
    case.refresh_from_db()
    assert case.assignee is None


@pytest.mark.django_db
def test_the_same_values_again_change_nothing(writer, case):
    response = writer.patch(url(case), {"version": 1, "priority": "normal"}, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert CaseEvent.objects.count() == 0


@pytest.mark.django_db
def test_a_stale_version_is_a_409_and_changes_nothing(writer, case):
    # given someone else changed the case after we read version 1
    writer.patch(url(case), {"version": 1, "priority": "high"}, format="json")
    # when we send our change with version 1
    ana = agent(username="ana")
    response = writer.patch(
        url(case), {"version": 1, "priority": "low", "assignee": ana.pk}, format="json"
    )
    # then it is refused, and neither change is written
    body = assert_error_shape(response, 409, "stale_version")
    assert case.number in body["detail"]
    case.refresh_from_db()
    assert (case.priority, case.assignee, case.version) == ("high", None, 2)


@pytest.mark.django_db
def test_when_the_second_change_fails_the_first_is_undone(writer, case, monkeypatch):
    # given assigning fails after the priority changed (someone wrote in between)
    from tickets.errors import StaleVersion
    from tickets.services import cases

    def conflict(**kwargs):
        raise StaleVersion(case.number)

    monkeypatch.setattr(cases, "case_assign", conflict)
    response = writer.patch(
        url(case), {"version": 1, "priority": "urgent", "assignee": None}, format="json"
    )
    assert_error_shape(response, 409, "stale_version")
    case.refresh_from_db()
    assert (case.priority, case.version) == ("normal", 1)
    assert CaseEvent.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"priority": "high"}, ["version"]),
        ({"version": 1}, ["non_field_errors"]),
        ({"version": "one", "priority": "meh"}, ["version", "priority"]),
        ({"version": 1, "assignee": 10**6}, ["assignee"]),
    ],
    ids=["no-version", "nothing-to-change", "wrong-types", "unknown-user"],
)
def test_bad_patches_are_a_400_naming_the_field(writer, case, data, fields):
    body = assert_error_shape(writer.patch(url(case), data, format="json"), 400, "invalid")
    assert list(body["errors"]) == fields
    case.refresh_from_db()
    assert case.version == 1


@pytest.mark.django_db
def test_only_people_who_work_cases_can_be_assigned(writer, case):
    outsider = UserFactory(username="outsider")
    response = writer.patch(url(case), {"version": 1, "assignee": outsider.pk}, format="json")
    assert list(assert_error_shape(response, 400)["errors"]) == ["assignee"]


@pytest.mark.django_db
def test_put_and_delete_are_not_offered(writer, case):
    assert_error_shape(writer.put(url(case), {"version": 1}, format="json"), 405)
    assert_error_shape(writer.delete(url(case)), 405)
    assert Case.objects.count() == 1


# --- transitions ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_case_moves_through_an_allowed_transition(writer, case):
    response = writer.post(
        url(case, "transitions/"),
        {"to": "open", "reason": "looking into it", "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["version"]) == ("open", 2)
    event = case.events.get(verb="status_changed")
    assert event.data == {"previous": "new", "status": "open", "reason": "looking into it"}


@pytest.mark.django_db
def test_a_forbidden_move_is_a_409_with_a_readable_reason(writer, case):
    # a move the status does not allow conflicts with the case as stored: a 409, like a stale one
    response = writer.post(url(case, "transitions/"), {"to": "closed", "version": 1}, format="json")
    body = assert_error_shape(response, 409, "invalid_transition")
    assert body["detail"] == "A case that is “New” cannot move to “Closed”."
    case.refresh_from_db()
    assert case.status == S.NEW


@pytest.mark.django_db
def test_a_stale_transition_is_a_409(writer):
    case = CaseFactory(status=S.OPEN)
    Case.objects.filter(pk=case.pk).update(version=5)
    response = writer.post(
        url(case, "transitions/"), {"to": "resolved", "version": 4}, format="json"
    )
    assert_error_shape(response, 409, "stale_version")
    case.refresh_from_db()
    assert case.status == S.OPEN


@pytest.mark.django_db
def test_new_is_not_a_target_and_fields_are_required(writer, case):
    body = assert_error_shape(
        writer.post(url(case, "transitions/"), {"to": "new"}, format="json"), 400, "invalid"
    )
    assert set(body["errors"]) == {"to", "version"}


@pytest.mark.django_db
def test_a_transition_on_an_unknown_case_is_a_404(writer):
    response = writer.post(
        "/api/v1/cases/AS-NOPE-NOPE/transitions/", {"to": "open", "version": 1}, format="json"
    )
    assert_error_shape(response, 404, "not_found")
