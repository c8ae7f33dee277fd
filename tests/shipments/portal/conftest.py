"""The portal's signed-in client and orders (tests/tickets/portal), and a parcel on its way."""

from datetime import UTC, datetime

import pytest

from tests.shipments.factories import CarrierFactory, ShipmentFactory, TrackingEventFactory
from tests.tickets.conftest import media_root  # noqa: F401 - a fixture
from tests.tickets.portal.conftest import (  # noqa: F401 - fixtures
    portal_client,
    portal_customer,
    portal_order,
    sign_in,
    stranger_order,
)


@pytest.fixture
def parcel(portal_order):  # noqa: F811 - the imported fixture
    """The order's parcel with DHL, in transit with three scans, due on 20 July 2026."""
    return make_parcel(portal_order)


def make_parcel(order):
    """A parcel of `order` with DHL, held in customs after three scans, due on 20 July 2026."""
    shipment = ShipmentFactory(
        order=order,
        carrier=CarrierFactory(),
        tracking_number="JD014600000001",
        status="customs_hold",
        last_event_at=datetime(2026, 7, 10, 23, 0, tzinfo=UTC),
        shipped_at=datetime(2026, 7, 10, 8, 0, tzinfo=UTC),
        promised_delivery_date=datetime(2026, 7, 20, tzinfo=UTC).date(),
    )
    for hour, status, location in (
        (9, "info_received", ""),
        (15, "in_transit", "Leipzig, DE"),
        (23, "customs_hold", "Paris, FR"),
    ):
        TrackingEventFactory(
            shipment=shipment,
            occurred_at=datetime(2026, 7, 10, hour, 0, tzinfo=UTC),
            status=status,
            location=location,
        )
    return shipment


# A Thursday morning in July 2026, after the parcel's scans and before its promised date.
NOW = "2026-07-16T10:00:00+00:00"


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def portal_client(client, portal_customer, now):  # noqa: F811 - signed in after time moved
    return sign_in(client, portal_customer)
