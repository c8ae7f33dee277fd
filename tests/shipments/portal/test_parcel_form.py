"""The portal's "My parcel hasn't arrived or is late" form: pick the parcel, words and photos
optional; it joins the parcel's one shipment-issue case, a second report included."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shipments.models import Shipment
from shipments.services.issue_cases import issue_case_for
from shipments.verbs import Verb
from tests.shipments.factories import ShipmentFactory
from tests.tickets.evidence import files
from tickets.models import Attachment, Case, Message
from tickets.services.transitions import case_transition

pytestmark = pytest.mark.django_db

PHOTO = files.png()


def url(order):
    return f"/portal/orders/{order.pk}/parcel/"


def test_the_wizard_hands_the_parcel_branch_to_this_form(portal_client, portal_order):
    response = portal_client.get(f"/portal/orders/{portal_order.pk}/help/parcel/")
    assert response.status_code == 302
    assert response.url == url(portal_order)


def test_the_form_shows_the_parcel_with_its_latest_status_and_estimate(
    portal_client, portal_order, parcel
):
    response = portal_client.get(url(portal_order))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Step 2 of 2" in page
    assert "My parcel hasn&#x27;t arrived or is late" in page
    assert "DHL Express JD014600000001" in page
    assert "Held in customs" in page
    assert "Expected by July 20, 2026" in page
    # the only parcel is chosen already; photos open the camera on phones
    assert f'value="{parcel.pk}"\n                     checked' in page
    assert 'accept="image/*,application/pdf"' in page
    assert f'href="/portal/orders/{portal_order.pk}/help/?selected=parcel"' in page


def test_an_order_not_shipped_yet_says_so_and_offers_the_general_form(portal_client, portal_order):
    page = portal_client.get(url(portal_order)).content.decode()
    assert "Your order has not been shipped yet" in page
    assert f'href="/portal/orders/{portal_order.pk}/cases/new/?branch=other"' in page
    assert 'name="shipment"' not in page
    # and a post anyway opens nothing
    assert portal_client.post(url(portal_order), {"message": "Where is it?"}).status_code == 400
    assert not Case.objects.exists()


def test_sending_opens_the_parcels_case_with_the_words_photo_and_a_report_event(
    portal_client, portal_customer, portal_order, parcel, media_root
):
    # when the customer reports the parcel with a photo of the tracking page
    response = portal_client.post(
        url(portal_order),
        {
            "shipment": parcel.pk,
            "message": "Stuck in customs for a week",
            "files": [SimpleUploadedFile("tracking.png", PHOTO, content_type="image/png")],
        },
    )

    # then the parcel's shipment-issue case is open, from the portal, with their words and file
    parcel.refresh_from_db()
    case = parcel.issue_case
    assert case is not None
    assert case.kind == Case.Kind.SHIPMENT_ISSUE
    assert case.channel == Case.Channel.PORTAL
    assert case.customer == portal_customer
    message = case.messages.get()
    assert message.author_kind == Message.Author.CUSTOMER
    assert message.body == "Stuck in customs for a week"
    assert Attachment.objects.filter(message=message).count() == 1
    report = case.events.get(verb=Verb.CUSTOMER_REPORT)
    assert report.data["tracking_number"] == "JD014600000001"
    assert report.data["opened"] is True
    # and the customer lands on the case, told where the parcel stands
    assert response.status_code == 302
    assert response.url == f"/portal/cases/{case.number}/"
    page = portal_client.get(response.url).content.decode()
    assert "Its latest status: Held in customs. Expected delivery: July 20, 2026." in page
    assert "You told us your parcel has not arrived" in page
    # and from there the order's page shows the parcel's tracking
    assert f'href="/portal/orders/{portal_order.pk}/"' in page


def test_a_second_report_joins_the_same_case(portal_client, portal_order, parcel):
    for words in ("Where is it?", "Still nothing."):
        response = portal_client.post(url(portal_order), {"shipment": parcel.pk, "message": words})
        assert response.status_code == 302
    parcel.refresh_from_db()
    assert Case.objects.count() == 1
    case = parcel.issue_case
    assert [m.body for m in case.messages.order_by("pk")] == ["Where is it?", "Still nothing."]
    reports = case.events.filter(verb=Verb.CUSTOMER_REPORT).order_by("pk")
    assert [event.data["opened"] for event in reports] == [True, False]


def test_a_report_joins_the_case_detection_opened_before(portal_client, portal_order, parcel):
    # given detection opened the parcel's case already
    case, _opened = issue_case_for(shipment=parcel)
    # when the customer reports it without words
    portal_client.post(url(portal_order), {"shipment": parcel.pk, "message": ""})
    # then their report is on that case, in their words' place a line naming the parcel
    assert Case.objects.get() == case
    assert case.messages.get().body == "My parcel JD014600000001 hasn't arrived or is late."
    assert case.events.filter(verb=Verb.CUSTOMER_REPORT).count() == 1


def test_the_parcel_must_be_chosen_from_this_order(portal_client, portal_order, parcel):
    # given two parcels, so none is chosen for the customer, and a stranger's parcel
    ShipmentFactory(order=portal_order)
    strangers = ShipmentFactory()
    page = portal_client.get(url(portal_order)).content.decode()
    assert "checked" not in page
    for data in ({}, {"shipment": strangers.pk}, {"shipment": "x"}):
        response = portal_client.post(url(portal_order), {"message": "Hm", **data})
        assert response.status_code == 400
        assert 'role="alert"' in response.content.decode()
    assert not Case.objects.exists()


def test_a_return_parcel_is_not_offered(portal_client, portal_order):
    ShipmentFactory(order=portal_order, direction=Shipment.Direction.RETURN)
    page = portal_client.get(url(portal_order)).content.decode()
    assert "Your order has not been shipped yet" in page


def test_a_refused_file_stores_nothing(portal_client, portal_order, parcel, media_root):
    fake = SimpleUploadedFile("tracking.png", b"not a picture", content_type="image/png")
    response = portal_client.post(
        url(portal_order), {"shipment": parcel.pk, "message": "See photo", "files": [fake]}
    )
    assert response.status_code == 400
    assert 'id="id_files_error"' in response.content.decode()
    assert not Case.objects.exists()
    parcel.refresh_from_db()
    assert parcel.issue_case is None


def test_a_closed_case_takes_no_report(portal_client, portal_order, parcel):
    case, _opened = issue_case_for(shipment=parcel)
    for status in (Case.Status.OPEN, Case.Status.RESOLVED, Case.Status.CLOSED):
        case = case_transition(case=case, to=status, actor=None)
    response = portal_client.post(url(portal_order), {"shipment": parcel.pk, "message": "Hi"})
    assert response.status_code == 409
    assert "Our case about this parcel is closed" in response.content.decode()
    assert not case.messages.exists()
    assert not case.events.filter(verb=Verb.CUSTOMER_REPORT).exists()


def test_another_customers_order_is_a_404(portal_client, stranger_order):
    ShipmentFactory(order=stranger_order)
    assert portal_client.get(url(stranger_order)).status_code == 404
    assert portal_client.post(url(stranger_order), {}).status_code == 404
