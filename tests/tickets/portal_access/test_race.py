"""Two presses of Continue at once (two tabs, a double click): one signs in, one is refused."""

import threading

import pytest
from django.db import connection, connections

from tests.tickets.portal_access.conftest import issue
from tickets.models import PortalAccessEvent
from tickets.services.portal_access import PortalLinkUsed, portal_link_use


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers: no race to lose"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_link_used_twice_at_once_signs_in_once(maria_order):
    token = issue()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def press() -> None:
        try:
            barrier.wait()
            portal_link_use(token=token)
            outcomes.append("signed in")
        except PortalLinkUsed:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "signed in"]
    assert PortalAccessEvent.objects.filter(kind=PortalAccessEvent.Kind.SIGNED_IN).count() == 1
