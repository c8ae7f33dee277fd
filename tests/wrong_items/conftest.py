from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.shipments.factories import ShipmentFactory
from tests.tickets.api.conftest import write_key, writer  # noqa: F401
from tests.tickets.conftest import media_root  # noqa: F401
from tests.tickets.evidence.files import jpeg
from tests.tickets.factories import OrderFactory, OrderLineFactory
from tickets.services.evidence import evidence_prepare
from wrong_items.services.reports import report_create


def photos():
    return evidence_prepare([SimpleUploadedFile("parcel.jpg", jpeg(), "image/jpeg")])


@pytest.fixture
def shipped_line(db):
    """An ordered kettle (50 EUR) whose order's parcel is in transit."""
    order = OrderFactory(customer__language="fr", currency="EUR")
    line = OrderLineFactory(
        order=order, sku="KET-RED", title="Kettle red", unit_price=Decimal("50.00")
    )
    ShipmentFactory(order=order)
    return line


def reported(line):
    """A blue toaster arrived instead of `line`; the customer wants the right item."""
    return report_create(
        order_line=line,
        received_description="A blue toaster",
        received_sku="TOA-BLUE",
        preference="reship",
        photos=photos(),
    )


@pytest.fixture
def report(shipped_line):
    return reported(shipped_line)
