"""A scenario's guard refusing a move reaches the API client as a 409 with its reason."""

import pytest

from tests.tickets.api.conftest import assert_error_shape
from tests.tickets.factories import CaseFactory
from tests.tickets.scenarios.conftest import KIND, ROOT_CAUSE_MISSING, SCENARIO
from tickets.models import Case
from tickets.scenarios import scenario_override

pytestmark = pytest.mark.django_db


def test_a_refused_move_is_a_409_with_the_guards_reason(writer):
    # given an open case whose scenario wants a root cause before resolving
    case = CaseFactory(kind=KIND, status=Case.Status.OPEN)
    # when an API client resolves it
    with scenario_override(SCENARIO):
        response = writer.post(
            f"/api/v1/cases/{case.number}/transitions/",
            {"to": "resolved", "version": 1},
            format="json",
        )
    # then it gets the reason to show, and the case stays open
    body = assert_error_shape(response, 409, "transition_refused")
    assert body["detail"] == ROOT_CAUSE_MISSING
    case.refresh_from_db()
    assert (case.status, case.version) == (Case.Status.OPEN, 1)
