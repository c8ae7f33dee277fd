"""The portal's return and defect forms: each item with its deadline before sending, then the
RMA and what happens next; refusals said next to the form with nothing stored."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from returns.models import ReturnPolicy, ReturnRequest
from tests.returns.factories import noon, order_line
from tests.tickets.evidence.files import png
from tests.tickets.portal.conftest import sign_in
from tickets.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, line):
    customer = line.order.customer
    customer.language = "en"
    customer.save()
    return sign_in(client, customer)


# Where the parcel leaves from, for the label (the form's "sender" part).
SENDER = {
    "sender-name": "Lena Weber",
    "sender-line1": "Karl-Liebknecht-Str. 12",
    "sender-postcode": "04107",
    "sender-city": "Leipzig",
    "sender-country": "DE",
}


def form_url(line, kind="return"):
    return f"/portal/orders/{line.order.pk}/{kind}/?line={line.pk}"


def test_the_form_shows_each_items_deadline_and_preselects_the_chosen_one(signed_in, line):
    closed = order_line(placed=date(2027, 2, 25), delivered=date(2027, 3, 1), sku="GIFT-CARD")
    closed.order = line.order
    closed.save()
    ReturnPolicy.objects.update(excluded_skus="GIFT-*")

    page = signed_in.get(form_url(line)).content.decode()

    assert "Step 3 of 3" in page
    assert "You can return this until March 31, 2027." in page
    assert "This item cannot be returned" in page and "GIFT-*" in page
    assert f'name="quantity_{line.pk}"' in page
    assert f'name="quantity_{closed.pk}"' not in page
    assert '<option value="1" selected>1</option>' in page
    assert "Changed my mind" in page and "Dead on arrival" not in page


def test_sending_a_return_shows_the_rma_and_what_happens_next(signed_in, line):
    response = signed_in.post(
        form_url(line),
        {
            f"quantity_{line.pk}": "2",
            "reason_code": "doesnt_fit",
            "preferred_outcome": "refund",
            **SENDER,
        },
    )

    created = ReturnRequest.objects.get()
    assert response.status_code == 302
    assert response.url == f"/portal/cases/{created.case.number}/"
    page = signed_in.get(response.url).content.decode()
    assert created.status == "label_issued"
    assert created.rma in page and "Your prepaid return label is on its way by email" in page
    assert created.sender_address["city"] == "Leipzig"
    # the case page says what to do next, with a button to the label
    assert "Download your return label" in page and "/portal/labels/" in page
    assert "Your prepaid return label was sent" in page
    label = page.split('href="/portal/labels/', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    download = signed_in.get(f"/portal/labels/{label}")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert created.lines.get().quantity == 2
    assert created.case.channel == Case.Channel.PORTAL


@pytest.mark.parametrize("required", [True, False])
def test_the_defect_forms_files_say_whether_the_policy_requires_a_photo(signed_in, line, required):
    ReturnPolicy.objects.update(photos_required_for_defect=required)

    page = signed_in.get(form_url(line, "defect")).content.decode()

    assert ("Photos that show the fault (required)" in page) is required
    assert ("Photos or PDFs (optional)" in page) is not required
    file_input = re.search(r'<input type="file"[^>]*>', page)
    assert file_input is not None
    assert (" required" in file_input.group(0)) is required


def test_a_defect_with_a_photo_keeps_the_photo(signed_in, line, media_root):
    photo = SimpleUploadedFile("crack.png", png(), content_type="image/png")
    response = signed_in.post(
        form_url(line, "defect"),
        {
            f"quantity_{line.pk}": "1",
            "reason_code": "damaged_in_transit",
            "preferred_outcome": "replacement",
            **SENDER,
            "description": "The lid is cracked.",
            "files": [photo],
        },
    )

    assert response.status_code == 302
    created = ReturnRequest.objects.get()
    assert created.kind == "defect" and created.photos.count() == 1
    assert created.case.messages.get().body == "The lid is cracked."


def test_a_defect_without_the_required_photo_is_refused_next_to_the_files(signed_in, line):
    response = signed_in.post(
        form_url(line, "defect"),
        {
            f"quantity_{line.pk}": "1",
            "reason_code": "stopped_working",
            "preferred_outcome": "repair",
            **SENDER,
        },
    )

    assert response.status_code == 400
    assert 'id="id_files_error"' in response.content.decode()
    assert not ReturnRequest.objects.exists() and not Case.objects.exists()


def test_nothing_chosen_is_a_400(signed_in, line):
    response = signed_in.post(
        form_url(line), {"reason_code": "doesnt_fit", "preferred_outcome": "refund"}
    )
    assert response.status_code == 400
    assert "Choose at least one item" in response.content.decode()
    assert not ReturnRequest.objects.exists()


def test_units_already_claimed_are_not_offered_again(signed_in, line):
    signed_in.post(
        form_url(line),
        {
            f"quantity_{line.pk}": "2",
            "reason_code": "doesnt_fit",
            "preferred_outcome": "refund",
            **SENDER,
        },
    )

    page = signed_in.get(form_url(line)).content.decode()

    assert f'name="quantity_{line.pk}"' not in page
    assert "Already in a return request." in page
    # Only that: not also the days left to send it back, which no longer concern it.
    assert "rt-eligibility" not in page


def test_the_form_speaks_the_chosen_language(signed_in, line, time_machine):
    time_machine.move_to(noon(date(2027, 3, 5)), tick=False)
    page = signed_in.get(form_url(line), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "31. März 2027" in page


def test_the_case_page_shows_the_return_milestones(signed_in, line):
    response = signed_in.post(
        form_url(line),
        {
            f"quantity_{line.pk}": "1",
            "reason_code": "doesnt_fit",
            "preferred_outcome": "refund",
            **SENDER,
        },
    )
    page = signed_in.get(response.url).content.decode()
    assert "We received your request" in page and "Return approved" in page


def test_the_sender_address_is_asked_with_the_claim(signed_in, line):
    page = signed_in.get(form_url(line)).content.decode()
    assert 'name="sender-line1"' in page and 'value="DE" selected' in page
    response = signed_in.post(
        form_url(line),
        {
            f"quantity_{line.pk}": "1",
            "reason_code": "doesnt_fit",
            "preferred_outcome": "refund",
            **{**SENDER, "sender-postcode": "", "sender-country": "XX"},
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_sender-postcode_error"' in page and 'id="id_sender-country_error"' in page
    assert not ReturnRequest.objects.exists()
