"""Who the workspace names for an event that no signed-in person made."""

import pytest

from tickets.agent.workspace_timeline import actor_name
from tickets.models import CaseEvent


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({}, "Customer"),  # their message, their case, their rating link
        ({"by": "customer"}, "Customer"),  # their choice in the portal
        ({"by": "system"}, "System"),
        ({"by": "policy"}, "System"),  # a return approved by the shop's policy
        ({"by": "tracking"}, "System"),  # a return parcel scanned in
        ({"by": "agent"}, "Agent"),  # an agent whose account was deleted since
    ],
)
def test_an_event_without_a_person_is_named_by_who_made_it(data, named):
    assert actor_name(CaseEvent(verb="status_changed", data=data)) == named
