"""Two cases opened at the same moment in one team go to two agents (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection

from tests.tickets.factories import CustomerFactory, agent
from tickets.models import Case, RoutingRule, Team
from tickets.services.cases import case_create

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_two_cases_at_once_go_to_two_agents():
    team = Team.objects.create(name="DACH")
    RoutingRule.objects.create(position=1, team=team)
    team.members.add(agent(username="anna"), agent(username="ben"))
    customers = [CustomerFactory(), CustomerFactory()]
    barrier = threading.Barrier(2)
    errors = []

    def open_case(customer):
        try:
            barrier.wait()
            case_create(customer=customer, kind="general", subject="Hi", channel="portal")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=open_case, args=(c,)) for c in customers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assignees = sorted(Case.objects.values_list("assignee__username", flat=True))
    assert assignees == ["anna", "ben"]
