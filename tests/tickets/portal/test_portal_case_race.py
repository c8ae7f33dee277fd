"""Two requests opening a case about the same item at once: one case, the other is sent to it.

Real concurrency needs a server database: SQLite takes one writer at a time."""

import threading

import pytest
from django.db import connection, connections

from tests.tickets.factories import CustomerFactory, OrderFactory, OrderLineFactory
from tickets.errors import CaseAlreadyOpen
from tickets.models import Case
from tickets.services import portal_cases
from tickets.services.portal_cases import portal_case_open

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_both_pass_the_check_and_the_constraint_picks_one(monkeypatch):
    # given two requests that both find no open case for the item before either inserts
    customer = CustomerFactory()
    order = OrderFactory(customer=customer)
    line = OrderLineFactory(order=order)
    both_checked = threading.Barrier(2, timeout=10)
    real = portal_cases.portal_case_active_for_line
    first_check = threading.local()

    def check(**kwargs):
        found = real(**kwargs)
        if not getattr(first_check, "done", False):
            first_check.done = True
            both_checked.wait()
        return found

    monkeypatch.setattr(portal_cases, "portal_case_active_for_line", check)
    outcomes = []

    def request():
        try:
            case = portal_case_open(
                customer=customer,
                order=order,
                order_line=line,
                kind=Case.Kind.GENERAL,
                subject="Broken",
                description="It leaks.",
            )
            outcomes.append(("opened", case.number))
        except CaseAlreadyOpen as already:
            outcomes.append(("sent to", already.case.number))
        finally:
            connections.close_all()

    # when they run at once
    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # then one case is open, and the other request was sent to it
    case = Case.objects.get(order_line=line)
    assert sorted(outcomes) == [("opened", case.number), ("sent to", case.number)]
