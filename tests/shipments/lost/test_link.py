"""A shipment-issue case opened about its order without the parcel ("where is my parcel?"):
its panel lists the order's parcels, and the agent links the case to one, after which the
panel shows its tracking and the lost-parcel actions act on this case."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shipments.models import Shipment
from shipments.services.issue_cases import issue_case_for
from shipments.verbs import Verb
from tests.shipments.factories import ShipmentFactory, TrackingEventFactory
from tests.tickets.factories import CaseFactory, OrderFactory, agent
from tickets.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(client):
    user = agent(username="alice")
    client.force_login(user)
    return user


@pytest.fixture
def case():
    """ "Where is my order?": a shipment-issue case about an order with one parcel on its way."""
    order = OrderFactory(number="SO-7001")
    parcel = ShipmentFactory(order=order, tracking_number="JD014600000777")
    TrackingEventFactory(shipment=parcel, message="Arrived at customs in Frankfurt")
    return CaseFactory(kind=Case.Kind.SHIPMENT_ISSUE, order=order, customer=order.customer)


def _parcel(case: Case) -> Shipment:
    return Shipment.objects.get(order=case.order, tracking_number="JD014600000777")


def _workspace(client, case: Case) -> str:
    response = client.get(reverse("tickets:agent-case", args=[case.number]))
    assert response.status_code == 200
    return response.content.decode()


def _link(client, parcel: Shipment, case: Case, number: str = ""):
    url = reverse("shipments:agent-shipment-link", args=[parcel.pk, number or case.number])
    return client.post(url)


def test_the_panel_of_a_case_without_its_parcel_lists_the_order_s_parcels(client, alice, case):
    # the order's return parcel, another case's parcel and another order's are not offered
    return_parcel = ShipmentFactory(order=case.order, direction=Shipment.Direction.RETURN)
    taken = ShipmentFactory(order=case.order)
    issue_case_for(shipment=taken)
    elsewhere = ShipmentFactory()

    page = _workspace(client, case)
    body = page[page.index('id="shp-title"') : page.index('class="comp-panel"')]

    assert "Which of the order's parcels is it about?" in body
    assert "JD014600000777" in body
    assert reverse("shipments:agent-shipment-link", args=[_parcel(case).pk, case.number]) in body
    for other in (return_parcel, taken, elsewhere):
        assert other.tracking_number not in body
    assert "Arrived at customs in Frankfurt" not in body  # the tracking comes once linked


def test_listing_the_parcels_costs_the_same_queries_for_three(client, alice, case):
    _workspace(client, case)  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        _workspace(client, case)
    # counted now: the captured queries are read from the log the next request empties
    queries_for_one = len(one)
    assert queries_for_one > 0
    ShipmentFactory.create_batch(2, order=case.order)
    with CaptureQueriesContext(connection) as three:
        body = _workspace(client, case)
    assert body.count("Link this parcel") == 3
    assert len(three) == queries_for_one


def test_an_agent_links_the_case_and_sees_the_tracking(client, alice, case):
    parcel = _parcel(case)

    response = _link(client, parcel, case)

    assert response.status_code == 303
    assert response["Location"] == f"/agent/cases/{case.number}/"
    parcel.refresh_from_db()
    assert parcel.issue_case_id == case.pk
    event = case.events.get(verb=Verb.LINKED)
    assert (event.actor, event.data["tracking_number"]) == (alice, "JD014600000777")
    body = _workspace(client, case)
    assert "Arrived at customs in Frankfurt" in body
    assert reverse("shipments:agent-shipment-declare-lost", args=[parcel.pk]) in body
    # and declaring it lost now acts on this case, not a new one
    client.post(reverse("shipments:agent-shipment-declare-lost", args=[parcel.pk]))
    assert Case.objects.filter(kind=Case.Kind.SHIPMENT_ISSUE).count() == 1


def test_a_parcel_another_case_is_about_is_refused_and_left_as_it_is(client, alice, case):
    parcel = _parcel(case)
    other, _opened = issue_case_for(shipment=parcel)

    response = _link(client, parcel, case)

    assert response.status_code == 409
    assert f"already the parcel of case {other.number}" in response.content.decode()
    parcel.refresh_from_db()
    assert parcel.issue_case_id == other.pk
    assert not case.events.filter(verb=Verb.LINKED).exists()


def test_a_case_with_its_parcel_takes_no_second(client, alice, case):
    first = _parcel(case)
    second = ShipmentFactory(order=case.order)
    assert _link(client, first, case).status_code == 303

    response = _link(client, second, case)

    assert response.status_code == 409
    assert "already about a parcel" in response.content.decode()
    second.refresh_from_db()
    assert second.issue_case_id is None


@pytest.mark.parametrize(
    "what", ["unknown case", "case of another kind", "parcel of another order", "return parcel"]
)
def test_what_the_panel_never_offers_is_not_found(client, alice, case, what):
    parcel, number = _parcel(case), case.number
    if what == "unknown case":
        number = "AS-NONE-NONE"
    elif what == "case of another kind":
        Case.objects.filter(pk=case.pk).update(kind=Case.Kind.DEFECT)
    elif what == "parcel of another order":
        parcel = ShipmentFactory()
    else:
        parcel = ShipmentFactory(order=case.order, direction=Shipment.Direction.RETURN)

    response = _link(client, parcel, case, number)

    assert response.status_code == 404
    assert not Shipment.objects.filter(issue_case=case).exists()


def test_a_case_the_agent_does_not_see_is_not_found(client, case, settings):
    # where agents see only their own cases, Bob's case is not Ana's to link
    settings.CASE_VISIBILITY = "own"
    Case.objects.filter(pk=case.pk).update(assignee=agent(username="bob"))
    client.force_login(agent(username="ana"))

    response = _link(client, _parcel(case), case)

    assert response.status_code == 404
    assert _parcel(case).issue_case_id is None


def test_a_get_is_not_allowed(client, alice, case):
    url = reverse("shipments:agent-shipment-link", args=[_parcel(case).pk, case.number])
    assert client.get(url).status_code == 405
