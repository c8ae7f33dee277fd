"""label_issue: one return shipment and label per reference, made for the case, with a
timeline event; bad input refused with every field named and nothing stored."""

import datetime

import pytest
from django.utils import timezone

from shipments.adapters.simulator import script_for, simulate
from shipments.labels.adapters import IssuedLabel, LabelProviderError, SelfIssuedAdapter
from shipments.labels.addresses import AddressInvalid
from shipments.labels.models import Label
from shipments.labels.services import LabelInvalid, LabelReferenceTaken, label_issue
from shipments.models import Shipment, ShipmentStatus
from shipments.services.polling import shipments_poll
from shipments.verbs import Verb
from tests.shipments.labels.conftest import ADDRESSES, issue
from tests.tickets.factories import CaseFactory, OrderFactory
from tickets.models import CaseEvent

pytestmark = pytest.mark.django_db


def _nothing_stored():
    assert not Label.objects.exists()
    assert not Shipment.objects.exists()
    assert not CaseEvent.objects.filter(verb=Verb.LABEL_ISSUED).exists()


def test_a_return_label_is_a_return_shipment_from_the_customer_to_the_warehouse(
    return_case, settings, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
    settings.LABEL_VALID_DAYS = 28

    label = issue(return_case, reference="RMA-1001")

    shipment = label.shipment
    assert shipment.direction == Shipment.Direction.RETURN
    assert shipment.case == return_case
    assert shipment.order == return_case.order
    assert (shipment.origin_country, shipment.destination_country) == ("FR", "DE")
    assert label.from_address["name"] == "Zoë Ångström-Müller"
    assert label.to_address["name"] == settings.SHOP_RETURN_ADDRESS["name"]
    assert label.valid_until == datetime.date(2026, 3, 30)
    assert label.adapter == "self_issued"


def test_the_self_issued_label_rides_the_simulator_which_plays_it_delivered(
    return_case, time_machine
):
    now = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    time_machine.move_to(now, tick=False)

    label = issue(return_case)

    shipment = label.shipment
    assert shipment.carrier.code == "simulator"
    assert shipment.carrier.name == "Demo Post (simulated)"
    assert shipment.shipped_at == now
    assert script_for(shipment.tracking_number).name == "on_time"
    events = simulate(
        shipment.tracking_number,
        shipped_at=shipment.shipped_at,
        now=now + datetime.timedelta(days=4),
    )
    assert events[-1].status == ShipmentStatus.DELIVERED


def test_polling_brings_the_self_issued_return_to_the_warehouse(return_case, time_machine):
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    time_machine.move_to(start, tick=False)
    label = issue(return_case)

    time_machine.move_to(start + datetime.timedelta(days=4), tick=False)
    shipments_poll()

    label.shipment.refresh_from_db()
    assert label.shipment.status == ShipmentStatus.DELIVERED
    assert label.shipment.events.filter(status=ShipmentStatus.DELIVERED).exists()


def test_the_case_timeline_says_a_label_was_issued(return_case):
    label = issue(return_case, reference="RMA-1001")

    event = CaseEvent.objects.get(case=return_case, verb=Verb.LABEL_ISSUED)
    assert event.data["reference"] == "RMA-1001"
    assert event.data["tracking_number"] == label.shipment.tracking_number
    assert event.data["by"] == "system"


def test_issuing_again_for_the_same_reference_returns_the_first_label(return_case):
    first = issue(return_case, reference="RMA-1001")

    again = issue(return_case, reference="RMA-1001", script="chinese")

    assert again.pk == first.pk
    assert again.from_address["name"] == "Zoë Ångström-Müller"
    assert Shipment.objects.count() == Label.objects.count() == 1
    assert CaseEvent.objects.filter(verb=Verb.LABEL_ISSUED).count() == 1


def test_another_reference_is_another_label(return_case):
    first = issue(return_case, reference="RMA-1001")
    second = issue(return_case, reference="RMA-1002")

    assert first.shipment.tracking_number != second.shipment.tracking_number


def test_a_reference_of_another_order_is_refused(return_case):
    issue(return_case, reference="RMA-1001")

    with pytest.raises(LabelReferenceTaken):
        label_issue(
            order=OrderFactory(),
            case=None,
            reference="RMA-1001",
            customer_address=ADDRESSES["latin"],
            actor=None,
        )
    assert Shipment.objects.count() == 1


def test_a_reference_taken_at_the_same_moment_by_another_order_is_refused(return_case, monkeypatch):
    # The other order's label lands between our look for the reference and our insert (and
    # the carrier gave our parcel a number of its own).
    other = issue(CaseFactory(), reference="RMA-1001")
    monkeypatch.setattr(Label.objects, "select_related", lambda *fields: Label.objects.none())
    monkeypatch.setattr(
        SelfIssuedAdapter, "issue", lambda self, **kwargs: IssuedLabel("SIM-RACE-1", "simulator")
    )

    with pytest.raises(LabelReferenceTaken):
        issue(return_case, reference="RMA-1001")
    assert list(Label.objects.all()) == [other]
    assert list(Shipment.objects.all()) == [other.shipment]


def test_missing_address_fields_are_named_and_nothing_is_stored(return_case):
    address = {**ADDRESSES["latin"], "line1": "  ", "postcode": ""}
    del address["city"]

    with pytest.raises(LabelInvalid) as refused:
        label_issue(
            order=return_case.order,
            case=return_case,
            reference="RMA-1001",
            customer_address=address,
            actor=None,
        )

    assert set(refused.value.errors) == {"customer.line1", "customer.postcode", "customer.city"}
    assert "customer.city" in refused.value.message
    _nothing_stored()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reference": ""}, "reference"),
        ({"reference": "R" * 65}, "reference"),
        ({"direction": "outbound"}, "direction"),
        ({"customer_address": {**ADDRESSES["latin"], "country": "XX"}}, "customer.country"),
    ],
)
def test_bad_input_is_refused_naming_the_field(return_case, change, field):
    arguments = {
        "order": return_case.order,
        "case": return_case,
        "reference": "RMA-1001",
        "customer_address": ADDRESSES["latin"],
        "actor": None,
        **change,
    }

    with pytest.raises(LabelInvalid) as refused:
        label_issue(**arguments)

    assert field in refused.value.errors
    _nothing_stored()


def test_an_incomplete_warehouse_setting_is_refused(return_case, settings):
    settings.SHOP_RETURN_ADDRESS = {**settings.SHOP_RETURN_ADDRESS, "city": ""}

    with pytest.raises(AddressInvalid, match="SHOP_RETURN_ADDRESS.city"):
        issue(return_case)
    _nothing_stored()


def test_a_carrier_refusal_stores_nothing(return_case, monkeypatch):
    def refuse(self, **kwargs):
        raise LabelProviderError("The carrier is down.")

    monkeypatch.setattr(SelfIssuedAdapter, "issue", refuse)

    with pytest.raises(LabelProviderError):
        issue(return_case)
    _nothing_stored()


def test_an_answer_without_a_tracking_number_stores_nothing(return_case, monkeypatch):
    monkeypatch.setattr(
        SelfIssuedAdapter, "issue", lambda self, **kwargs: IssuedLabel("", "simulator")
    )

    with pytest.raises(LabelProviderError):
        issue(return_case)
    _nothing_stored()


def test_a_replacement_label_goes_from_the_warehouse_to_the_customer(return_case, settings):
    label = issue(return_case, reference="AS-CASE-1", direction=Shipment.Direction.REPLACEMENT)

    assert label.shipment.direction == Shipment.Direction.REPLACEMENT
    assert label.from_address["name"] == settings.SHOP_RETURN_ADDRESS["name"]
    assert label.to_address["city"] == "Besançon"
    assert label.shipment.tracking_number.startswith("SIM-ON-TIME-S")


def test_a_label_without_a_case_has_no_timeline(return_case):
    label = label_issue(
        order=return_case.order,
        case=None,
        reference="RMA-9",
        customer_address=ADDRESSES["cyrillic"],
        actor=None,
        valid_days=5,
    )

    assert label.shipment.case is None
    assert label.valid_until == timezone.localdate() + datetime.timedelta(days=5)
    assert not CaseEvent.objects.filter(verb=Verb.LABEL_ISSUED).exists()
