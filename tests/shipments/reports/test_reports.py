"""The carrier reports: delay and loss rates and transit times by carrier and by route, and the
insurance claims filed and recovered; one query each, bounded by the date range."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from shipments.models import InsuranceClaim, Shipment, ShipmentStatus
from shipments.selectors.reports import (
    claims_recovered,
    report_rates_by_carrier,
    report_rates_by_route,
    report_transit_by_carrier,
    report_transit_by_route,
)
from tests.shipments.factories import CarrierFactory, ShipmentFactory
from tests.tickets.factories import CaseFactory, supervisor

pytestmark = pytest.mark.django_db

NOW = "2026-07-16T10:00:00+00:00"
FIRST, LAST = date(2026, 7, 1), date(2026, 7, 15)


@pytest.fixture
def now(time_machine, settings):
    settings.TIME_ZONE = "UTC"
    time_machine.move_to(NOW, tick=False)


def ship(carrier, *, day, destination="FR", promised=None, delivered=None, **fields):
    """A parcel shipped on July `day` at 08:00, promised `promised` days later, delivered
    `delivered` days later (or not)."""
    shipped = datetime(2026, 7, day, 8, 0, tzinfo=UTC)
    fields.setdefault(
        "status", ShipmentStatus.DELIVERED if delivered is not None else ShipmentStatus.IN_TRANSIT
    )
    fields.setdefault("shipped_at", shipped)
    return ShipmentFactory(
        carrier=carrier,
        origin_country="DE",
        destination_country=destination,
        promised_delivery_date=(shipped + timedelta(days=promised)).date() if promised else None,
        delivered_at=shipped + timedelta(days=delivered) if delivered is not None else None,
        **fields,
    )


@pytest.fixture
def parcels(now):
    dhl = CarrierFactory(code="dhl_express", name="DHL Express")
    ups = CarrierFactory(code="ups", name="UPS")
    # DHL to France: on time in 2 days, late in 4 (promised 3), in 6 days on time (promised 7)
    ship(dhl, day=1, promised=3, delivered=2)
    ship(dhl, day=2, promised=3, delivered=4)
    ship(dhl, day=3, promised=7, delivered=6)
    # DHL to the US: lost, and one overdue on the way (promised for the 12th)
    ship(dhl, day=4, destination="US", promised=5, status=ShipmentStatus.LOST)
    ship(dhl, day=7, destination="US", promised=5)
    # UPS to the US: on time in 3 days, and one without a promised date on its way
    ship(ups, day=5, destination="US", promised=4, delivered=3)
    ship(ups, day=6, destination="US")
    # not counted: shipped before the range, after it, or a return to the shop
    ship(dhl, day=1, promised=1, delivered=9, shipped_at=datetime(2026, 6, 30, 23, tzinfo=UTC))
    ship(ups, day=16, promised=1)
    ship(dhl, day=5, promised=1, delivered=9, direction=Shipment.Direction.RETURN)
    return dhl, ups


def values(table):
    return {row.label: row.values for row in table.rows}


def test_delay_and_loss_rates_by_carrier(parcels, django_assert_num_queries):
    with django_assert_num_queries(1):
        table = report_rates_by_carrier(FIRST, LAST)
    # DHL: 5 shipments, all promised: late 1 delivered + 1 overdue = 40 %, lost 1 = 20 %
    # UPS: 2 shipments, 1 promised and on time: 0 % late, 0 % lost
    assert values(table) == {"DHL Express": (40.0, 20.0), "UPS": (0.0, 0.0)}
    assert [row.label for row in table.rows] == ["DHL Express", "UPS"]  # most shipments first
    assert table.unit == "%"
    assert {note.x: note.values for note in table.notes} == {
        "shipments": (7, None),
        "delayed_lost": (2, 1),
    }


def test_delay_and_loss_rates_by_route(parcels, django_assert_num_queries):
    with django_assert_num_queries(1):
        table = report_rates_by_route(FIRST, LAST)
    # DE → US: 4 shipments, 3 promised: overdue 1 → 33.3 %; lost 1 of 4 → 25 %
    assert values(table) == {"DE → US": (33.3, 25.0), "DE → FR": (33.3, 0.0)}


def test_median_transit_time_by_carrier_and_route(parcels, django_assert_num_queries):
    with django_assert_num_queries(1):
        by_carrier = report_transit_by_carrier(FIRST, LAST)
    with django_assert_num_queries(1):
        by_route = report_transit_by_route(FIRST, LAST)
    # DHL delivered in 2, 4 and 6 days: median 4, 90th percentile 5.6; UPS once in 3 days
    assert values(by_carrier) == {"DHL Express": (4.0, 5.6), "UPS": (3.0, 3.0)}
    assert values(by_route) == {"DE → FR": (4.0, 5.6), "DE → US": (3.0, 3.0)}
    assert by_carrier.unit == "days"
    assert by_carrier.notes[0].values == (4, None)


def test_an_empty_range_is_an_empty_table(parcels):
    for report in (report_rates_by_carrier, report_transit_by_route):
        assert report(date(2025, 1, 1), date(2025, 1, 31)).is_empty()


def claim(shipment, status, requested, approved=None, currency="EUR", filed=None):
    return InsuranceClaim.objects.create(
        shipment=shipment,
        case=CaseFactory(),
        status=status,
        amount_requested=Decimal(requested),
        amount_approved=Decimal(approved) if approved else None,
        currency=currency,
        filed_at=filed or datetime(2026, 7, 10, tzinfo=UTC),
    )


def test_claims_filed_approved_and_recovered_per_currency(now, django_assert_num_queries):
    parcel = ShipmentFactory
    claim(parcel(), InsuranceClaim.Status.PAID, "120.00", "100.00")
    claim(parcel(), InsuranceClaim.Status.REJECTED, "80.00")
    claim(parcel(), InsuranceClaim.Status.PARTIALLY_APPROVED, "50.00", "30.50")
    claim(parcel(), InsuranceClaim.Status.APPROVED, "200.00", "200.00", currency="USD")
    claim(
        parcel(), InsuranceClaim.Status.PAID, "9.00", "9.00", filed=datetime(2026, 6, 1, tzinfo=UTC)
    )
    with django_assert_num_queries(1):
        table = claims_recovered(FIRST, LAST)
    assert values(table) == {"EUR": (250.0, 130.5, 100.0), "USD": (200.0, 200.0, 0.0)}
    assert table.notes[0].values == (4, None, 1)


def test_the_reports_page_draws_them_and_exports_csv(parcels, client):
    client.force_login(supervisor(username="sam"))
    page = client.get(reverse("tickets:agent-reports"), {"from": "2026-07-01", "to": "2026-07-15"})
    assert page.status_code == 200
    html = page.content.decode()
    for title in (
        "Delays and losses by carrier",
        "Delays and losses by route",
        "Transit time by carrier",
        "Transit time by route",
        "Insurance claims filed and recovered",
    ):
        assert title in html
    export = client.get(
        reverse("tickets:agent-report-csv", kwargs={"slug": "shipment-rates-carrier"}),
        {"from": "2026-07-01", "to": "2026-07-15"},
    )
    assert export.status_code == 200
    assert export.content.decode().splitlines()[:3] == [
        "carrier,delay_rate,loss_rate",
        "dhl_express/DHL Express,40.0,20.0",
        "ups/UPS,0.0,0.0",
    ]
