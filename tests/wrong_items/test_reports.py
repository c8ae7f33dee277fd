"""The customer's wrong-item report: a high-priority case with the photos, or a clear refusal."""

import pytest
from django.core.exceptions import ValidationError

from shipments.models import ShipmentStatus
from tests.shipments.factories import ShipmentFactory
from tests.tickets.factories import OrderLineFactory
from tests.wrong_items.conftest import photos
from tickets.models import Attachment, Case, Notification
from wrong_items.errors import LineAlreadyReported, LineNotShipped, PhotosRequired
from wrong_items.models import WrongItemReport
from wrong_items.services.reports import report_create
from wrong_items.verbs import Verb

pytestmark = pytest.mark.django_db


def _report(line, **kwargs):
    data = {
        "order_line": line,
        "received_description": "A blue toaster",
        "preference": "reship",
        "photos": photos(),
        **kwargs,
    }
    return report_create(**data)


def test_a_report_opens_a_high_priority_wrong_item_case_with_the_photos(shipped_line):
    report = _report(shipped_line, received_sku=" TOA-BLUE ")
    case = report.case
    assert (case.kind, case.priority, case.order_line) == (
        Case.Kind.WRONG_ITEM,
        Case.Priority.HIGH,
        shipped_line,
    )
    assert (report.received_sku, report.preference, report.order) == (
        "TOA-BLUE",
        "reship",
        shipped_line.order,
    )
    assert Attachment.objects.filter(message__case=case).count() == 1
    assert case.events.filter(verb=Verb.REPORTED).count() == 1
    # the customer is told in their language (French)
    email = Notification.objects.get(case=case, template="case_received", channel="email")
    assert email.language == "fr"


def test_photos_are_required(shipped_line):
    with pytest.raises(PhotosRequired):
        _report(shipped_line, photos=[])
    assert not Case.objects.exists()


def test_an_order_without_a_parcel_is_refused(db):
    line = OrderLineFactory()
    with pytest.raises(LineNotShipped):
        _report(line)
    assert not Case.objects.exists()


def test_a_parcel_not_picked_up_yet_is_refused(db):
    line = OrderLineFactory()
    ShipmentFactory(order=line.order, status=ShipmentStatus.PENDING, first_scan_at=None)
    with pytest.raises(LineNotShipped):
        _report(line)
    assert not Case.objects.exists()


def test_a_return_parcel_does_not_count_as_shipped(db):
    line = OrderLineFactory()
    ShipmentFactory(order=line.order, direction="return")
    with pytest.raises(LineNotShipped):
        _report(line)


def test_a_line_reported_twice_points_to_the_first_case(report):
    with pytest.raises(LineAlreadyReported, match=report.case.number):
        _report(report.order_line)
    assert Case.objects.count() == 1


def test_a_bad_preference_stores_nothing(shipped_line):
    with pytest.raises(ValidationError) as refused:
        _report(shipped_line, preference="both")
    assert "preference" in refused.value.message_dict
    assert not Case.objects.exists()
    assert not WrongItemReport.objects.exists()
