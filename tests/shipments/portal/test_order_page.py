"""The customer's order page and My orders: each parcel's status, estimate, tracking link and
timeline (newest first), in the customer's time zone and language; query counts fixed."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shipments.models import Shipment, ShipmentStatus
from tests.shipments.factories import CarrierFactory, ShipmentFactory, TrackingEventFactory
from tests.tickets.factories import OrderFactory, OrderLineFactory
from tickets.selectors.portal import ORDERS_PER_PAGE

pytestmark = pytest.mark.django_db

ORDERS = "/portal/orders/"


def order_url(order):
    return f"/portal/orders/{order.pk}/"


def test_the_order_page_shows_the_parcels_timeline_newest_first_in_the_customers_zone(
    portal_client, portal_order, parcel
):
    # when the customer (in Tokyo, in English) opens the order
    response = portal_client.get(order_url(portal_order))
    page = response.content.decode()

    # then the parcel shows its status, the promised date and the carrier's tracking page
    assert response.status_code == 200
    assert "Your parcel" in page
    assert "Expected by July 20, 2026" in page
    assert 'href="https://www.dhl.com/track?tracking-id=JD014600000001"' in page
    # and the scans, newest first, with their places, at Tokyo's time (UTC+9)
    customs = page.index("Held in customs")
    transit = page.index("In transit", customs)
    received = page.index("Carrier has the details", transit)
    assert customs < transit < received
    assert "Paris, FR" in page and "Leipzig, DE" in page
    assert "July 11, 2026, 8 a.m." in page  # 23:00 UTC on 10 July
    assert 'aria-current="step"' in page
    # and the items and the way to get help are there too
    assert "Kettle" in page
    assert f'href="/portal/orders/{portal_order.pk}/help/"' in page


def test_the_order_page_speaks_the_customers_language(portal_client, portal_order, parcel):
    # given the customer reads German
    portal_order.customer.language = "de"
    portal_order.customer.save(update_fields=["language"])
    page = portal_client.get(order_url(portal_order), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    # then dates are German ones
    assert "20. Juli 2026" in page
    assert 'lang="de"' in page


def test_a_late_parcel_says_so_and_a_delivered_one_when(portal_client, portal_order, parcel):
    # given the promised date passed yesterday, and a second parcel delivered
    Shipment.objects.filter(pk=parcel.pk).update(
        promised_delivery_date=datetime(2026, 7, 15, tzinfo=UTC).date()
    )
    ShipmentFactory(
        order=portal_order,
        status=ShipmentStatus.DELIVERED,
        delivered_at=datetime(2026, 7, 14, 3, 0, tzinfo=UTC),
    )
    page = portal_client.get(order_url(portal_order)).content.decode()
    assert "Late: expected by July 15, 2026. We are on it." in page
    assert "Delivered on July 14, 2026, noon" in page
    assert "The carrier has not scanned your parcel yet." in page


def test_a_parcel_at_a_pickup_point_asks_to_be_collected_not_late(portal_client, portal_order):
    # given a parcel past its promised date that now waits at a pickup point
    ShipmentFactory(
        order=portal_order,
        status=ShipmentStatus.AVAILABLE_FOR_PICKUP,
        promised_delivery_date=datetime(2026, 7, 15, tzinfo=UTC).date(),
    )
    page = portal_client.get(order_url(portal_order)).content.decode()
    # then the customer is asked to collect it, not told we are chasing the carrier
    assert "Ready for you to collect: the tracking page says where, and until when." in page
    assert "Late:" not in page


def test_my_orders_shows_each_parcels_status_and_a_link_to_its_tracking(
    portal_client, portal_order, parcel
):
    page = portal_client.get(ORDERS).content.decode()
    assert "Held in customs" in page
    assert "Expected by July 20, 2026" in page
    assert f'href="/portal/orders/{portal_order.pk}/#parcel-{parcel.pk}"' in page
    assert f'href="/portal/orders/{portal_order.pk}/"' in page
    # the timeline itself is for the order's page
    assert "Paris, FR" not in page


def test_an_order_without_parcels_shows_none(portal_client, portal_order):
    page = portal_client.get(order_url(portal_order)).content.decode()
    assert "Your parcel" not in page
    assert portal_client.get(ORDERS).status_code == 200


def test_another_customers_order_page_is_a_404(portal_client, stranger_order):
    ShipmentFactory(order=stranger_order)
    assert portal_client.get(order_url(stranger_order)).status_code == 404
    assert portal_client.get("/portal/orders/987654/").status_code == 404


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _parcels(order, n, events):
    for _n in range(n):
        shipment = ShipmentFactory(order=order, carrier=CarrierFactory(code=f"c{_n}", name="X"))
        TrackingEventFactory.create_batch(events, shipment=shipment)


def test_my_orders_takes_one_query_more_for_parcels_whatever_their_number(
    portal_client, portal_customer, django_assert_num_queries
):
    # given one order with a line and a parcel
    order = OrderFactory(customer=portal_customer)
    OrderLineFactory(order=order)
    _parcels(order, 1, 1)
    portal_client.get(ORDERS)  # the session's "last seen" write happens once
    few = _queries(portal_client, ORDERS)
    # when a full page of orders has three parcels each, with scans
    for _n in range(ORDERS_PER_PAGE):
        order = OrderFactory(customer=portal_customer)
        _parcels(order, 3, 2)
    # then the page takes as many queries: the orders' own six and one for their parcels
    with django_assert_num_queries(few):
        portal_client.get(ORDERS)
    assert few == 7


def test_the_order_page_takes_as_many_queries_with_many_parcels_and_scans(
    portal_client, portal_order, django_assert_num_queries
):
    _parcels(portal_order, 1, 1)
    url = order_url(portal_order)
    portal_client.get(url)
    few = _queries(portal_client, url)
    _parcels(portal_order, 4, 6)
    with django_assert_num_queries(few):
        page = portal_client.get(url).content.decode()
    assert page.count('class="parcel"') == 5
    # session, customer, the order, its lines, its cases, the parcels, their scans
    assert few == 7
