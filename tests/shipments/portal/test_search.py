"""Tracking numbers in the agents' case list search: the shipment's issue case and the case it
was made for, by the exact (indexed) number, in the one search query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shipments.services.issue_cases import issue_case_for
from tests.shipments.factories import CarrierFactory, ShipmentFactory
from tests.tickets.factories import CaseFactory, agent
from tickets.selectors.case_queue import case_search_ids

pytestmark = pytest.mark.django_db
LIST = "/agent/cases/"


@pytest.fixture
def agent_client(client):
    client.force_login(agent(username="ana"))
    return client


def found(client, q):
    response = client.get(LIST, {"q": q, "status": "all"})
    assert response.status_code == 200
    return {row.number for row in response.context["rows"]}


def test_a_tracking_number_finds_the_shipments_issue_case_and_the_case_it_was_made_for(
    agent_client,
):
    # given a parcel with its shipment-issue case, and a replacement made for another case
    parcel = ShipmentFactory(tracking_number="1Z999AA10123456784")
    issue, _opened = issue_case_for(shipment=parcel)
    defect = CaseFactory()
    ShipmentFactory(tracking_number="JD0146000099", case=defect)
    CaseFactory()  # another case
    # then each number finds its case, typed as printed or in lower case, and only whole
    assert found(agent_client, "1Z999AA10123456784") == {issue.number}
    assert found(agent_client, " 1z999aa10123456784 ") == {issue.number}
    assert found(agent_client, "JD0146000099") == {defect.number}
    assert found(agent_client, "1Z999AA1012345") == set()


def test_a_tracking_number_of_a_shipment_without_a_case_finds_nothing(agent_client):
    ShipmentFactory(tracking_number="00340434161094042557")
    CaseFactory()
    assert case_search_ids(q="00340434161094042557") == ([], False)


def test_a_search_without_a_digit_is_not_looked_up_as_a_tracking_number(agent_client):
    # given a parcel's case (every carrier's tracking number holds a digit)
    parcel = ShipmentFactory(tracking_number="LX123456789DE")
    issue_case_for(shipment=parcel)
    # when the agent searches for a word, then the shipments are not read for it
    with CaptureQueriesContext(connection) as captured:
        found(agent_client, "Bernard")
    assert not any("shipments_shipment" in q["sql"] for q in captured.captured_queries)
    # and a number with a digit still is
    with CaptureQueriesContext(connection) as captured:
        found(agent_client, "LX123456789DE")
    assert any("shipments_shipment" in q["sql"] for q in captured.captured_queries)


def test_a_tracking_number_costs_no_query_more_than_an_order_number(
    agent_client, django_assert_num_queries
):
    # given a parcel's case, found by its order number
    parcel = ShipmentFactory(tracking_number="LX123456789DE")
    case, _opened = issue_case_for(shipment=parcel)
    agent_client.get(LIST)
    with CaptureQueriesContext(connection) as by_order:
        assert found(agent_client, parcel.order.number) == {case.number}
    # then the tracking number finds it with as many queries (one for the matching ids)
    with django_assert_num_queries(len(by_order)):
        assert found(agent_client, "LX123456789DE") == {case.number}


def test_the_carrier_filter_keeps_the_cases_of_that_carriers_parcels(
    agent_client, django_assert_num_queries
):
    # given a DHL parcel's case, a UPS parcel's case and a case without a parcel
    dhl = ShipmentFactory(carrier=CarrierFactory(code="dhl_express", name="DHL Express"))
    ups = ShipmentFactory(carrier=CarrierFactory(code="ups", name="UPS"))
    dhl_case, _opened = issue_case_for(shipment=dhl)
    ups_case, _opened = issue_case_for(shipment=ups)
    CaseFactory()
    # when the list is filtered by carrier (its code, any case), alone or with a search
    page = agent_client.get(LIST, {"status": "all", "carrier": "DHL_Express"})
    # then only that carrier's cases are left, and the field shows the filter
    assert {row.number for row in page.context["rows"]} == {dhl_case.number}
    html = page.content.decode()
    assert 'name="carrier"' in html and 'value="DHL_Express"' in html
    by_search = agent_client.get(
        LIST, {"status": "all", "carrier": "ups", "q": dhl.tracking_number}
    )
    assert by_search.context["rows"] == []
    # and the filter costs no query of its own
    with CaptureQueriesContext(connection) as plain:
        agent_client.get(LIST, {"status": "all"})
    with django_assert_num_queries(len(plain)):
        agent_client.get(LIST, {"status": "all", "carrier": "ups"})


def test_a_too_long_carrier_is_a_400(agent_client):
    response = agent_client.get(LIST, {"carrier": "x" * 51})
    assert response.status_code == 400
