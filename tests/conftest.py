import socket

import pytest
from django.core.cache import cache
from django.utils import translation

# A real `celery worker` process on an isolated broker, for the tests of the real Celery path.
from tests.celery_support import isolated_broker, worker  # noqa: F401
from tests.tickets.factories import CaseFactory, CustomerFactory, OrderFactory, agent, supervisor


@pytest.fixture
def customer(db):
    return CustomerFactory()


@pytest.fixture
def order(customer):
    return OrderFactory(customer=customer)


@pytest.fixture
def case(order):
    return CaseFactory(customer=order.customer, order=order)


@pytest.fixture
def agent_user(db):
    return agent(username="alice")


@pytest.fixture
def supervisor_user(db):
    return supervisor(username="sam")


@pytest.fixture
def agent_client(client, agent_user):
    client.force_login(agent_user)
    return client


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """Django's LocaleMiddleware activates each request's language in the thread and leaves it
    there; a test after a request in Spanish would otherwise read lazy texts in Spanish."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache_for_each_test():
    """The cache (local memory in tests) outlives each test's rolled-back transaction: what a
    test kept there (the agents and teams of selectors/staff.py, say) would name rows the next
    test never had."""
    cache.clear()


@pytest.fixture
def cache_down(settings):
    """Call it to take the cache down: the project's Redis backend pointed at a port nobody
    listens on, so that every use of it fails, as while Redis is down."""

    def down() -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        settings.CACHES = {
            "default": {
                "BACKEND": "aftersales.cache.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
            }
        }

    return down


@pytest.fixture
def wrong_item_without_form():
    """The wrong-item branch as it was before its own form: the general case form takes it
    (the example of a branch a scenario has not built yet)."""
    import dataclasses

    from tickets.models import Case
    from tickets.scenarios import scenario_get, scenario_override

    owner = scenario_get(Case.Kind.WRONG_ITEM)
    entry = dataclasses.replace(owner.portal[0], url_name="")
    with scenario_override(dataclasses.replace(owner, portal=(entry,))):
        yield
