"""The portal's "I received the wrong item" form: item, what came instead, photos required."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.shipments.factories import ShipmentFactory
from tests.tickets.evidence import files
from tickets.models import Attachment, Case
from wrong_items.models import WrongItemReport

pytestmark = pytest.mark.django_db


def url(order):
    return f"/portal/orders/{order.pk}/wrong-item/"


def _photo():
    return SimpleUploadedFile("what-came.png", files.png(), "image/png")


def _data(order, **extra):
    return {
        "line": order.lines.get(sku="KET-1").pk,
        "received": "A teapot instead of the kettle",
        "received_sku": "TEA-9",
        "preference": "reship",
        **extra,
    }


def test_the_wizard_hands_the_branch_to_this_form(portal_client, portal_order):
    line = portal_order.lines.get(sku="KET-1")
    response = portal_client.get(f"/portal/orders/{portal_order.pk}/help/wrong-item/")
    assert response.status_code in (200, 302)
    page = portal_client.get(f"{url(portal_order)}?line={line.pk}")
    assert page.status_code == 200
    assert "Photos of what you received (required)" in page.content.decode()


def test_a_report_with_a_photo_opens_the_case(portal_client, portal_order, media_root):  # noqa: F811
    ShipmentFactory(order=portal_order)
    response = portal_client.post(url(portal_order), {**_data(portal_order), "files": [_photo()]})
    assert response.status_code == 302
    report = WrongItemReport.objects.get()
    assert response.url == f"/portal/cases/{report.case.number}/"
    assert (report.case.kind, report.case.priority) == ("wrong_item", "high")
    assert Attachment.objects.filter(message__case=report.case).count() == 1


def test_without_a_photo_it_is_a_400_and_nothing_is_stored(portal_client, portal_order):
    ShipmentFactory(order=portal_order)
    response = portal_client.post(url(portal_order), _data(portal_order))
    assert response.status_code == 400
    assert "at least one photo" in response.content.decode()
    assert not Case.objects.exists()


def test_an_item_not_shipped_yet_is_a_409_saying_so(portal_client, portal_order, media_root):  # noqa: F811
    response = portal_client.post(url(portal_order), {**_data(portal_order), "files": [_photo()]})
    assert response.status_code == 409
    assert "has not been shipped yet" in response.content.decode()
    assert f"/portal/orders/{portal_order.pk}/cases/new/?branch=other" in response.content.decode()
    assert not Case.objects.exists()


def test_another_customers_order_is_a_404(portal_client, stranger_order):
    assert portal_client.get(url(stranger_order)).status_code == 404
