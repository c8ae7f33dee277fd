"""GET /api/v1/returns/<rma>/label.pdf/: the prepaid label's PDF for the API key's user (A4, or
4x6 in for a label printer), a 404 for a key whose user does not see the case and for a request
without a label; the request's `label.api_pdf` points there."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from shipments.labels.pdf import LABEL_4X6
from tests.returns.test_api import ADDRESS, URL, body
from tests.shipments.labels.pdfread import reader, text
from tests.tickets.factories import agent
from tickets.services.api_keys import api_key_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def key_client(**kwargs) -> APIClient:
    client = APIClient()
    key = api_key_create(name="Warehouse", scope="read", actor=None, **kwargs)[1]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def with_label(writer, line):
    """A return approved at once, its label issued from the address given with it."""
    created = writer.post(URL, body(line, address=ADDRESS), format="json").json()
    assert created["status"] == "label_issued"
    return created


def pdf_url(rma: str, size: str = "") -> str:
    return f"{URL}{rma}/label.pdf/" + (f"?size={size}" if size else "")


def page_size(pdf: bytes) -> tuple[float, float]:
    box = reader(pdf).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_the_keys_user_downloads_the_label_and_the_request_links_it(with_label):
    # given a read key of an integration, which sees every case
    client = key_client()

    # when it follows the request's link to the PDF
    shown = client.get(f"{URL}{with_label['rma']}/").json()
    link = shown["label"]["api_pdf"]
    response = client.get(link, HTTP_ACCEPT="application/pdf")

    # then it gets the A4 label, in the case's language, as a download
    assert link == pdf_url(with_label["rma"])
    assert shown["label"]["pdf"].endswith("label.pdf")  # the dashboard's link stays
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (f'attachment; filename="{with_label["rma"]}-a4.pdf"')
    assert response.content.startswith(b"%PDF")
    assert page_size(response.content) == (595, 842)
    assert with_label["label"]["tracking_number"] in text(response.content)
    assert "REFERENZ" in text(response.content)  # the German customer's label


def test_a_label_printer_gets_the_4x6_page(with_label):
    response = key_client().get(pdf_url(with_label["rma"], "4x6"))

    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert page_size(response.content) == tuple(round(side) for side in LABEL_4X6)
    assert response["Content-Disposition"].endswith('-4x6.pdf"')


def test_an_unknown_size_is_a_400_naming_it(with_label):
    response = key_client().get(pdf_url(with_label["rma"], "letter"))

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "size" in response.json()["errors"]


def test_a_key_whose_user_does_not_see_the_case_gets_a_404(with_label, settings):
    # given an agent who sees only the cases assigned to them, and a key acting as them
    settings.CASE_VISIBILITY = "own"
    stranger = key_client(user=agent(username="bob"))

    response = stranger.get(pdf_url(with_label["rma"]), HTTP_ACCEPT="application/pdf")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert b"%PDF" not in response.content


def test_a_request_without_a_label_is_a_404(writer, line):
    # given a return approved without an address: no label yet
    created = writer.post(URL, body(line), format="json").json()
    assert created["label"] is None

    response = key_client().get(pdf_url(created["rma"]))

    assert response.status_code == 404
    assert created["rma"] in response.json()["detail"]


def test_an_unknown_rma_is_a_404(db):
    assert key_client().get(pdf_url("RMA-NONE-NONE")).status_code == 404


def test_without_a_key_it_asks_for_one(with_label):
    assert APIClient().get(pdf_url(with_label["rma"])).status_code == 401
