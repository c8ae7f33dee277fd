"""Transit time against the promised lead time, per carrier and route, in one query each."""

import datetime as dt

import pytest

from shipments.models import ShipmentStatus
from shipments.selectors.transit import transit_by_carrier, transit_by_route
from tests.shipments.factories import CarrierFactory, ShipmentFactory

pytestmark = pytest.mark.django_db

S = ShipmentStatus
DAY = dt.timedelta(days=1)


def delivered(now, *, days, promised_days, **fields):
    shipped = now - 20 * DAY
    return ShipmentFactory(
        status=S.DELIVERED,
        shipped_at=shipped,
        delivered_at=shipped + days * DAY,
        promised_delivery_date=(shipped + promised_days * DAY).date(),
        **fields,
    )


def test_by_carrier_counts_and_medians(now, django_assert_num_queries):
    # Given three DHL parcels delivered in 2, 3 and 6 days (promised in 4), one lost
    delivered(now, days=2, promised_days=4)
    delivered(now, days=3, promised_days=4)
    delivered(now, days=6, promised_days=4)
    ShipmentFactory(status=S.LOST, shipped_at=now - 20 * DAY)
    # and a UPS parcel shipped outside the period
    delivered(now, days=1, promised_days=2, carrier=CarrierFactory(code="ups", name="UPS"))
    first, last = (now - 21 * DAY).date(), (now - 19 * DAY).date()
    ShipmentFactory(carrier=CarrierFactory(code="ups", name="UPS"), shipped_at=now - 40 * DAY)

    with django_assert_num_queries(1):
        rows = transit_by_carrier(first, last)

    by_code = {row.key["carrier__code"]: row for row in rows}
    dhl = by_code["dhl_express"]
    assert (dhl.shipments, dhl.delivered, dhl.late, dhl.lost) == (4, 3, 1, 1)
    assert dhl.median_transit_days == 3.0
    assert dhl.median_promised_days == 4.0
    assert by_code["ups"].shipments == 1


def test_by_route(now):
    delivered(now, days=2, promised_days=3, destination_country="US")
    delivered(now, days=5, promised_days=3, destination_country="US")

    [row] = transit_by_route((now - 30 * DAY).date(), now.date())

    assert row.key == {"origin_country": "DE", "destination_country": "US"}
    assert row.median_transit_days == 3.5
    assert row.late == 1
