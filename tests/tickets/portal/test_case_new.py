"""The general case form: what happened, an optional item, photos; one open case per item."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.tickets.evidence import files
from tests.tickets.factories import CaseFactory
from tickets.errors import ApplicationError
from tickets.models import Attachment, Case, Message

from .conftest import sign_in

pytestmark = pytest.mark.django_db

PHOTO = files.png()


def _url(order, **query):
    url = f"/portal/orders/{order.pk}/cases/new/"
    return url + "?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else url


def test_the_form_shows_the_answers_so_far_and_the_file_field(
    portal_client, portal_order, wrong_item_without_form
):
    # given the customer arrived from "I received the wrong item" and picked the teapot
    line = portal_order.lines.get(title="Teapot")
    response = portal_client.get(_url(portal_order, branch="wrong-item", line=line.pk))
    page = response.content.decode()
    # then step 3 of 3 shows both answers, asks what happened and takes photos and PDFs
    assert response.status_code == 200
    assert "Step 3 of 3" in page
    assert "I received the wrong item" in page and "Teapot" in page
    assert 'enctype="multipart/form-data"' in page
    assert 'accept="image/*,application/pdf"' in page
    assert '<label for="id_description">' in page
    # the item was answered already: no second question about it
    assert 'name="line"' not in page
    assert f'href="/portal/orders/{portal_order.pk}/help/wrong-item/?selected={line.pk}"' in page


def test_something_else_offers_an_optional_item(portal_client, portal_order):
    page = portal_client.get(_url(portal_order, branch="other")).content.decode()
    assert "Step 2 of 2" in page
    assert 'name="line"' in page
    assert "The whole order" in page


def test_a_per_item_branch_without_its_item_goes_back_to_ask_for_it(
    portal_client, portal_order, wrong_item_without_form
):
    response = portal_client.get(_url(portal_order, branch="wrong-item"))
    assert response.url == f"/portal/orders/{portal_order.pk}/help/wrong-item/"


def test_sending_opens_a_general_case_with_the_item_words_and_photo(
    portal_client, portal_customer, portal_order, media_root, wrong_item_without_form
):
    # given the customer on the form for the wrong-item branch about the teapot
    line = portal_order.lines.get(title="Teapot")
    url = _url(portal_order, branch="wrong-item", line=line.pk)

    # when they describe it and add a photo
    photo = SimpleUploadedFile("teapot.png", PHOTO, content_type="image/png")
    response = portal_client.post(
        url, {"description": "A blue teapot, not a red one.", "files": [photo]}
    )

    # then a general portal case about that item is open, their words and photo its first message
    case = Case.objects.get(customer=portal_customer)
    assert (case.kind, case.channel, case.order, case.order_line) == (
        Case.Kind.GENERAL,
        Case.Channel.PORTAL,
        portal_order,
        line,
    )
    assert case.subject == "I received the wrong item: Teapot"
    message = case.messages.get()
    assert (message.author_kind, message.body) == ("customer", "A blue teapot, not a red one.")
    assert message.attachments.get().filename == "teapot.png"
    # and they land on the case, told what happens next and when
    assert response.status_code == 302
    assert response.url == f"/portal/cases/{case.number}/"
    page = portal_client.get(response.url).content.decode()
    assert f"Your case {case.number} is open." in page
    assert "We will answer by" in page


def test_something_else_about_the_whole_order(portal_client, portal_customer, portal_order):
    response = portal_client.post(
        _url(portal_order, branch="other"), {"description": "Please send the invoice again."}
    )
    case = Case.objects.get(customer=portal_customer)
    assert response.status_code == 302
    assert case.order_line is None
    assert case.subject == "Something else: Please send the invoice again."


def test_without_words_the_form_comes_back_with_the_error_by_the_field(
    portal_client, portal_customer, portal_order
):
    response = portal_client.post(_url(portal_order, branch="other"), {"description": " "})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Please tell us what happened." in page
    assert 'aria-describedby="id_description_error id_description_helptext"' in page
    assert 'aria-invalid="true"' in page
    assert not Case.objects.filter(customer=portal_customer).exists()


def test_an_item_of_another_order_is_refused(
    portal_client, portal_customer, portal_order, stranger_order
):
    response = portal_client.post(
        _url(portal_order, branch="other"),
        {"description": "x", "line": stranger_order.lines.get().pk},
    )
    assert response.status_code == 400
    assert "Please pick an item of this order." in response.content.decode()
    assert not Case.objects.filter(customer=portal_customer).exists()


def test_a_refused_file_is_named_next_to_the_field_and_nothing_is_stored(
    portal_client, portal_customer, portal_order, monkeypatch, media_root
):
    # given the evidence check refuses the file
    def refuse(files):
        raise ApplicationError("page.html is not a photo or a PDF.")

    monkeypatch.setattr("tickets.portal.pages.evidence_prepare", refuse)
    bad = SimpleUploadedFile("page.jpg", b"<html>", content_type="image/jpeg")

    # when the customer sends it
    response = portal_client.post(
        _url(portal_order, branch="other"), {"description": "x", "files": [bad]}
    )

    # then they read why, by the file field, and no case, message or file was stored
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_files_error"' in page
    assert "page.html is not a photo or a PDF." in page
    assert not Case.objects.filter(customer=portal_customer).exists()
    assert not Attachment.objects.exists()


def test_a_second_case_about_the_same_item_sends_the_customer_to_the_first(
    portal_client, portal_customer, portal_order, wrong_item_without_form
):
    # given an open general case about the kettle
    line = portal_order.lines.get(title="Kettle")
    existing = CaseFactory(
        customer=portal_customer,
        order=portal_order,
        order_line=line,
        kind=Case.Kind.GENERAL,
        status=Case.Status.OPEN,
    )
    url = _url(portal_order, branch="wrong-item", line=line.pk)

    # when the customer opens the form about the kettle again, or posts to it
    opened = portal_client.get(url)
    posted = portal_client.post(url, {"description": "Still broken"})

    # then both send them to the open case, saying so, and no second case is opened
    for response in (opened, posted):
        assert response.status_code == 302
        assert response.url == f"/portal/cases/{existing.number}/"
    page = portal_client.get(f"/portal/cases/{existing.number}/").content.decode()
    assert "You already have an open case about this item" in page
    assert Case.objects.filter(customer=portal_customer).count() == 1
    assert not Message.objects.exists()


def test_a_solved_case_about_the_item_does_not_stop_a_new_one(
    portal_client, portal_customer, portal_order, wrong_item_without_form
):
    line = portal_order.lines.get(title="Kettle")
    CaseFactory(
        customer=portal_customer,
        order=portal_order,
        order_line=line,
        kind=Case.Kind.GENERAL,
        status=Case.Status.RESOLVED,
    )
    response = portal_client.post(
        _url(portal_order, branch="wrong-item", line=line.pk), {"description": "Again"}
    )
    assert response.status_code == 302
    assert Case.objects.filter(customer=portal_customer, order_line=line).count() == 2


def test_the_form_is_protected_by_csrf(portal_customer, portal_order):
    # given a browser signed in whose requests are CSRF-checked, as real browsers' are
    browser = sign_in(Client(enforce_csrf_checks=True), portal_customer)
    response = browser.post(_url(portal_order, branch="other"), {"description": "x"})
    assert response.status_code == 403
    assert not Case.objects.filter(customer=portal_customer).exists()
