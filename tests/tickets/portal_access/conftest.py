import re

import pytest
from django.core import mail
from django.core.cache import cache

from tests.tickets.factories import CaseFactory, CustomerFactory, OrderFactory
from tickets.services.portal_access import portal_link_request

SITE_URL = "https://support.shop.example"
LINK_RE = re.compile(r"https://support\.shop\.example/portal/link/([A-Za-z0-9_-]+)/")


@pytest.fixture(autouse=True)
def portal_settings(settings):
    """Links as a customer sees them, and rate-limit counters that start at zero."""
    settings.SITE_URL = SITE_URL
    cache.clear()
    yield settings
    cache.clear()


@pytest.fixture
def maria(db):
    return CustomerFactory(
        email="Maria@Example.com", name="María López", language="es", timezone="Europe/Madrid"
    )


@pytest.fixture
def maria_order(maria):
    return OrderFactory(customer=maria, number="1001")


@pytest.fixture
def maria_case(maria, maria_order):
    return CaseFactory(customer=maria, order=maria_order, number="AS-MARI-A001")


def token_in(message) -> str:
    """The token of the sign-in link in an email (its text part)."""
    match = LINK_RE.search(message.body)
    assert match, message.body
    return match.group(1)


def issue(order_number: str = "1001", email: str = "maria@example.com", **kwargs) -> str:
    """Have the worker's service send a link; returns the token the email carried."""
    sent = len(mail.outbox)
    link = portal_link_request(order_ref=order_number, email=email, **kwargs)
    assert link is not None and len(mail.outbox) == sent + 1
    return token_in(mail.outbox[-1])


@pytest.fixture
def token(maria_order):
    return issue()


def link_path(token: str) -> str:
    return f"/portal/link/{token}/"
