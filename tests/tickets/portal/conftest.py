"""A Django test client signed in to the portal, the way tickets.portal.session does it."""

import pytest
from django.conf import settings
from django.utils import timezone

from tests.tickets.factories import CustomerFactory, OrderFactory, OrderLineFactory
from tickets.portal.session import SESSION_KEY


def sign_in(client, customer):
    """Write the portal's session state for `customer` into the client's session."""
    session = client.session
    now = int(timezone.now().timestamp())
    session[SESSION_KEY] = {"customer": customer.pk, "started": now, "seen": now}
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


@pytest.fixture
def portal_customer(db):
    return CustomerFactory(language="en", timezone="Asia/Tokyo")


@pytest.fixture
def portal_client(client, portal_customer):
    """A browser signed in to the portal as `portal_customer`."""
    return sign_in(client, portal_customer)


@pytest.fixture
def portal_order(portal_customer):
    """An order of the signed-in customer with two lines."""
    order = OrderFactory(customer=portal_customer, number="A-1001")
    OrderLineFactory(order=order, title="Kettle", sku="KET-1", position=0)
    OrderLineFactory(order=order, title="Teapot", sku="TEA-2", position=1)
    return order


@pytest.fixture
def stranger_order(db):
    """Another customer's order, with a line."""
    order = OrderFactory(number="B-2002")
    OrderLineFactory(order=order, title="Toaster", sku="TOA-3")
    return order
