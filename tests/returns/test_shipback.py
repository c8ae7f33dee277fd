"""After an exchange, a replacement or a repair the item goes back to the customer: the
warehouse's parcel is recorded as a tracked replacement shipment on the case, the outcome's
compensation is issued, and the customer gets the tracking link."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from returns.errors import NothingToShipBack
from returns.models import ReturnRequest
from returns.services.inspection import return_request_resolve
from returns.services.shipback import return_ship_back
from returns.verbs import Verb
from shipments.models import Carrier, Shipment
from shipments.services.shipments import ShipmentExists
from tests.returns.factories import order_line
from tests.returns.test_inspection import inspected, received
from tests.tickets.factories import agent
from tickets.models import Case, Compensation, Notification
from tickets.scenarios import case_next_step

pytestmark = pytest.mark.django_db


def resolved(line, resolution, **kwargs) -> ReturnRequest:
    request = inspected(received(line), defect=True)
    return_request_resolve(
        return_request=request, resolution=resolution, actor=agent(username="ana"), **kwargs
    )
    return ReturnRequest.objects.get(pk=request.pk)


def test_an_exchange_names_the_variant(line, policy):
    request = inspected(received(line))
    with pytest.raises(ValidationError) as refused:
        return_request_resolve(return_request=request, resolution="exchange", actor=None)
    assert "exchange_sku" in refused.value.message_dict

    return_request_resolve(
        return_request=request, resolution="exchange", actor=None, exchange_sku=" KETTLE-RED "
    )

    request.refresh_from_db()
    assert (request.resolution, request.exchange_sku) == ("exchange", "KETTLE-RED")
    assert request.compensation.kind == Compensation.Kind.REPLACEMENT


@pytest.mark.parametrize(
    ("resolution", "words"),
    [
        ("repair", "repariert"),  # a German customer
        ("replacement", "Ersatz"),
        ("exchange", "KETTLE-RED"),
    ],
)
def test_the_item_goes_back_with_its_tracking(line, policy, resolution, words):
    request = resolved(line, resolution, exchange_sku="KETTLE-RED")
    # the case stays open while the item has still to leave: the agents' move
    assert Case.objects.get(pk=request.case_id).status == Case.Status.OPEN

    parcel = return_ship_back(
        return_request=request, carrier="DHL", tracking_number="00340434161094042557", actor=None
    )

    assert (parcel.direction, parcel.case_id) == (Shipment.Direction.REPLACEMENT, request.case_id)
    request.compensation.refresh_from_db()
    assert request.compensation.status == Compensation.Status.ISSUED
    assert request.compensation.external_reference == "00340434161094042557"
    assert request.case.events.filter(verb=Verb.SHIPPED_BACK).exists()
    email = Notification.objects.get(template="return_shipped_back", channel="email")
    assert "00340434161094042557" in email.body and words in email.body
    # and once it has, the case is solved
    assert Case.objects.get(pk=request.case_id).status == Case.Status.RESOLVED
    with pytest.raises(NothingToShipBack):  # once
        return_ship_back(return_request=request, carrier="DHL", tracking_number="2", actor=None)


def test_nothing_goes_back_after_a_refund(line, policy):
    request = resolved(line, "refund")
    with pytest.raises(NothingToShipBack):
        return_ship_back(return_request=request, carrier="DHL", tracking_number="1", actor=None)


def test_a_tracking_number_in_use_is_refused_and_nothing_is_stored(line, policy):
    request = resolved(line, "repair")
    return_ship_back(return_request=request, carrier="DHL", tracking_number="777", actor=None)
    day = line.order.placed_at.date()
    other = resolved(order_line(placed=day, delivered=day), "repair")
    with pytest.raises(ShipmentExists):
        return_ship_back(return_request=other, carrier="DHL", tracking_number="777", actor=None)
    assert not Shipment.objects.filter(
        case=other.case, direction=Shipment.Direction.REPLACEMENT
    ).exists()


def test_the_agent_records_the_parcel_on_the_panel(line, policy, client, agent_user):
    request = resolved(line, "replacement")
    client.force_login(agent_user)
    page = client.get(f"/agent/cases/{request.case.number}/").content.decode()
    assert 'name="tracking_number"' in page
    # the carrier is picked from the known ones, not typed
    dhl = Carrier.objects.get(code="dhl_express")
    assert f'<option value="{dhl.code}">{dhl.name}</option>' in page

    missing = client.post(f"/agent/returns/{request.pk}/ship-back/", {"carrier": "DHL"})
    assert missing.status_code == 400
    done = client.post(
        f"/agent/returns/{request.pk}/ship-back/", {"carrier": "DHL", "tracking_number": "9"}
    )

    assert done.status_code == 303
    page = client.get(f"/agent/cases/{request.case.number}/").content.decode()
    assert "Sent back with DHL Express, 9" in page


def test_the_customer_is_shown_the_parcel_on_its_way(line, policy):
    request = resolved(line, "repair")
    waiting = case_next_step(case=request.case)
    assert str(waiting.text).startswith("We are getting your item ready to send")
    assert not waiting.action_url

    parcel = return_ship_back(
        return_request=request, carrier="DHL", tracking_number="555", actor=None
    )

    with translation.override("de"):
        step = case_next_step(case=request.case)
        assert "555" in step.text and "unterwegs" in step.text
    assert step.action_url == parcel.tracking_link and step.action_label
