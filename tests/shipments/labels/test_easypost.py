"""The EasyPost label adapter against EasyPost's documented return Shipment (the sample in
shared/fixtures): the request it builds, the rate it buys, what it reads back. The transport
is handed in; nothing leaves the machine."""

import copy
import json

import pytest

from shipments.labels import easypost
from shipments.labels.adapters import LabelProviderError, Parcel, label_adapter
from shipments.labels.addresses import address_from
from shipments.labels.easypost import EasyPostLabelAdapter, issued_label, shipment_request
from shipments.labels.models import Label
from shipments.models import Shipment
from tests.shipments.labels.conftest import ADDRESSES, issue
from tests.tickets.webhooks.conftest import FIXTURES

CREATED = json.loads((FIXTURES / "easypost_return_shipment_create.json").read_text())


def bought(created):
    """The same Shipment after `POST /shipments/<id>/buy` with its GroundAdvantage rate, as
    EasyPost documents the answer: the selected rate, a tracking code, a postage label."""
    answer = copy.deepcopy(created)
    answer["selected_rate"] = next(r for r in created["rates"] if r["service"] == "GroundAdvantage")
    answer["tracking_code"] = "9434600208303110195931"
    answer["postage_label"] = {
        "object": "PostageLabel",
        "label_url": "https://easypost-files.s3.amazonaws.com/files/postage_label/label.pdf",
    }
    answer["tracker"] = {"object": "Tracker", "public_url": "https://track.easypost.com/djE6"}
    return answer


class Recorder:
    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = []

    def __call__(self, method, path, body):
        self.calls.append((method, path, body))
        return self.answers.pop(0)


CUSTOMER = address_from(
    {
        "name": "Dr. Steve Brule",
        "line1": "179 N Harbor Dr",
        "city": "Redondo Beach",
        "region": "CA",
        "postcode": "90277",
        "country": "US",
        "phone": "8573875756",
        "email": "dr_steve_brule@gmail.com",
    }
)
WAREHOUSE = address_from(
    {
        "name": "EasyPost",
        "line1": "417 Montgomery Street",
        "line2": "5th Floor",
        "city": "San Francisco",
        "region": "CA",
        "postcode": "94104",
        "country": "US",
        "phone": "4153334445",
        "email": "support@easypost.com",
    }
)


def test_the_request_puts_the_customer_in_to_address_as_easypost_returns_do():
    body = shipment_request(
        customer=CUSTOMER, warehouse=WAREHOUSE, parcel=Parcel(), reference="RMA-1", is_return=True
    )["shipment"]

    # The sample's addresses, field by field: the request is the shape EasyPost answered to.
    for ours, theirs in (("to_address", "to_address"), ("from_address", "from_address")):
        sample = CREATED[theirs]
        for field in ("name", "street1", "city", "state", "zip", "country", "phone", "email"):
            assert body[ours][field] == sample[field], (ours, field)
    assert body["from_address"]["street2"] == "5th Floor"
    assert "street2" not in body["to_address"]  # empty fields are left out
    assert body["is_return"] is True
    assert body["reference"] == "RMA-1"
    assert set(body["parcel"]) == set(CREATED["parcel"]) & {"length", "width", "height", "weight"}


def test_the_parcel_goes_in_inches_and_ounces():
    parcel = easypost.parcel_body(Parcel(weight_grams=1000))

    assert parcel == {"length": 11.8, "width": 7.9, "height": 5.9, "weight": 35.3}


def test_the_cheapest_rate_is_bought_and_the_label_read_back():
    transport = Recorder(CREATED, bought(CREATED))

    issued = EasyPostLabelAdapter(transport).issue(
        from_address=CUSTOMER,
        to_address=WAREHOUSE,
        parcel=Parcel(),
        reference="RMA-1",
        is_return=True,
    )

    (create_method, create_path, create_body), (buy_method, buy_path, buy_body) = transport.calls
    assert (create_method, create_path) == ("POST", "/shipments")
    assert create_body["shipment"]["to_address"]["name"] == "Dr. Steve Brule"
    assert (buy_method, buy_path) == ("POST", f"/shipments/{CREATED['id']}/buy")
    assert buy_body == {"rate": {"id": "rate_e77cbaf75acc4ac2acf81cd450fa15d6"}}  # 8.20 USD
    assert issued.tracking_number == "9434600208303110195931"
    assert issued.carrier == "USPS"
    assert issued.carrier_reference == "shp_18efc5c59c4b4bc598eb47070948cec8"
    assert issued.label_url.endswith("label.pdf")
    assert issued.tracking_url == "https://track.easypost.com/djE6"


def test_an_outbound_label_keeps_the_customer_as_to_address():
    transport = Recorder(CREATED, bought(CREATED))

    EasyPostLabelAdapter(transport).issue(
        from_address=WAREHOUSE,
        to_address=CUSTOMER,
        parcel=Parcel(),
        reference="AS-1",
        is_return=False,
    )

    body = transport.calls[0][2]["shipment"]
    assert body["is_return"] is False
    assert body["to_address"]["name"] == "Dr. Steve Brule"
    assert body["from_address"]["name"] == "EasyPost"


def test_the_sample_as_created_is_not_a_label_yet():
    # postage_label null and no tracking code: not bought.
    with pytest.raises(LabelProviderError, match="tracking number"):
        issued_label(CREATED)


def test_no_rate_is_refused_with_easyposts_reasons():
    created = {
        **CREATED,
        "rates": [],
        "messages": [{"carrier": "USPS", "message": "Unable to ship to this country"}],
    }

    with pytest.raises(LabelProviderError, match="Unable to ship to this country"):
        EasyPostLabelAdapter(Recorder(created)).issue(
            from_address=CUSTOMER,
            to_address=WAREHOUSE,
            parcel=Parcel(),
            reference="RMA-1",
            is_return=True,
        )


def test_without_an_api_key_the_real_transport_refuses_before_any_request(settings):
    settings.EASYPOST_API_KEY = ""

    with pytest.raises(LabelProviderError, match="EASYPOST_API_KEY"):
        easypost.requests_transport("POST", "/shipments", {})


def test_the_setting_chooses_the_adapter(settings):
    settings.LABEL_ADAPTER = "easypost"
    assert isinstance(label_adapter(), EasyPostLabelAdapter)

    settings.LABEL_ADAPTER = "fedex-by-pigeon"
    with pytest.raises(LabelProviderError, match="easypost, self_issued"):
        label_adapter()


@pytest.mark.django_db
def test_label_issue_through_easypost_makes_a_usps_return_shipment(
    return_case, settings, monkeypatch
):
    settings.LABEL_ADAPTER = "easypost"
    transport = Recorder(CREATED, bought(CREATED))
    monkeypatch.setattr(easypost, "requests_transport", transport)

    label = issue(return_case, reference="RMA-5", script="cyrillic")

    assert label.adapter == "easypost"
    assert label.carrier_reference == CREATED["id"]
    assert label.shipment.carrier.code == "usps"
    assert label.shipment.tracking_number == "9434600208303110195931"
    assert label.shipment.tracking_url == "https://track.easypost.com/djE6"
    # EasyPost hands the parcel to the carrier when it is scanned, not now.
    assert label.shipment.shipped_at is None
    assert transport.calls[0][2]["shipment"]["to_address"]["name"] == ADDRESSES["cyrillic"]["name"]

    # The same reference again: no second purchase.
    assert issue(return_case, reference="RMA-5").pk == label.pk
    assert len(transport.calls) == 2
    assert Label.objects.count() == Shipment.objects.count() == 1
