"""A wrong-item case closes only with a root cause: in the service, the API and the dashboard."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.tickets.agent.workspace_urls import action_url
from tests.tickets.api.conftest import assert_error_shape
from tests.tickets.factories import agent
from tickets.errors import TransitionRefused
from tickets.models import Case
from tickets.services.transitions import case_transition
from wrong_items.models import RootCause
from wrong_items.services.root_causes import (
    preventive_action_create,
    preventive_action_set_done,
    root_cause_set,
)

pytestmark = pytest.mark.django_db

REASON = "Record the root cause of the wrong item before closing this case."


@pytest.fixture
def alice():
    return agent(username="alice")


@pytest.fixture
def resolved(report, alice):
    case = case_transition(case=report.case, to="open", actor=alice)
    return case_transition(case=case, to="resolved", actor=alice)


def test_closing_without_a_root_cause_is_refused_then_allowed(report, resolved, alice):
    with pytest.raises(TransitionRefused, match="root cause"):
        case_transition(case=resolved, to="closed", actor=alice)
    cause = root_cause_set(report=report, category="picking", warehouse="Leipzig", actor=alice)
    assert (cause.expected_sku, cause.received_sku, cause.set_by) == ("KET-RED", "TOA-BLUE", alice)
    resolved.refresh_from_db()
    assert case_transition(case=resolved, to="closed", actor=alice).status == "closed"


def test_resolving_needs_no_root_cause(report, alice):
    case = case_transition(case=report.case, to="open", actor=alice)
    assert case_transition(case=case, to="resolved", actor=alice).status == "resolved"


def test_a_root_cause_can_be_corrected_and_a_bad_category_changes_nothing(report, alice):
    root_cause_set(report=report, category="picking", actor=alice)
    root_cause_set(report=report, category="packing", note="Swapped with 1042", actor=alice)
    assert RootCause.objects.get().category == "packing"
    with pytest.raises(ValidationError):
        root_cause_set(report=report, category="gremlins", actor=alice)
    assert RootCause.objects.get().category == "packing"


def test_preventive_actions_link_root_causes(report, alice):
    cause = root_cause_set(report=report, category="picking", actor=alice)
    action = preventive_action_create(
        root_causes=[cause],
        description="Scan every item at packing",
        owner="Warehouse lead",
        due_date=date(2026, 8, 1),
        actor=alice,
    )
    assert list(action.root_causes.all()) == [cause]
    assert preventive_action_set_done(action=action, done=True, actor=alice).done
    with pytest.raises(ValidationError):
        preventive_action_create(root_causes=[], description="x", owner="y", actor=alice)


def test_the_api_refuses_closing_with_409_and_the_reason(report, resolved, writer):
    response = writer.post(
        f"/api/v1/cases/{resolved.number}/transitions/",
        {"to": "closed", "version": resolved.version},
        format="json",
    )
    body = assert_error_shape(response, 409, "transition_refused")
    assert body["detail"] == REASON
    resolved.refresh_from_db()
    assert resolved.status == "resolved"


def test_the_dashboard_refuses_closing_with_the_reason(report, resolved, client):
    user = agent(username="bob")
    client.force_login(user)
    response = client.post(
        action_url("update", resolved), {"version": resolved.version, "status": "closed"}
    )
    assert response.status_code == 400
    assert REASON in response.content.decode()
    assert Case.objects.get(pk=resolved.pk).status == "resolved"


def test_a_wrong_item_case_without_a_report_closes_as_any_case(alice):
    from tests.tickets.factories import CaseFactory

    case = CaseFactory(kind="wrong_item", status="resolved")
    assert case_transition(case=case, to="closed", actor=alice).status == "closed"
