"""The label PDF downloads: the customer gets their own return label, the agent any label of a
case they see; anyone else a 404, the same as for a label that does not exist."""

from urllib.parse import unquote

import pytest
from django.urls import reverse

from shipments.labels import fonts
from shipments.labels.services import label_issue
from shipments.models import Shipment
from tests.shipments.labels.conftest import ADDRESSES, issue
from tests.shipments.labels.pdfread import reader, text
from tests.tickets.factories import CaseFactory, OrderFactory, agent
from tests.tickets.portal.conftest import sign_in
from tickets.models import Case

pytestmark = pytest.mark.django_db


def portal_url(label, size=None):
    url = reverse("shipments:portal-label-pdf", args=[label.pk])
    return f"{url}?size={size}" if size else url


def agent_url(label, size=None):
    url = reverse("shipments:agent-label-pdf", args=[label.pk])
    return f"{url}?size={size}" if size else url


@pytest.mark.parametrize(("size", "pages"), [(None, 1), ("a4", 1), ("4x6", 2)])
def test_the_customer_downloads_their_own_label(client, return_case, size, pages):
    label = issue(return_case)
    sign_in(client, return_case.customer)

    response = client.get(portal_url(label, size))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert len(reader(response.content).pages) == pages
    assert label.shipment.tracking_number in text(response.content)


def test_the_portal_label_is_in_the_portals_language(client, return_case):
    label = issue(return_case)
    sign_in(client, return_case.customer)

    response = client.get(portal_url(label), HTTP_ACCEPT_LANGUAGE="de")

    assert "REFERENZ" in text(response.content)


def test_another_customers_label_is_a_404(client, return_case):
    label = issue(return_case)
    stranger = OrderFactory().customer
    sign_in(client, stranger)

    assert client.get(portal_url(label)).status_code == 404
    assert client.get(reverse("shipments:portal-label-pdf", args=[987654])).status_code == 404


def test_a_replacement_label_is_not_the_customers_to_download(client, return_case):
    label = issue(return_case, reference="AS-1", direction=Shipment.Direction.REPLACEMENT)
    sign_in(client, return_case.customer)

    assert client.get(portal_url(label)).status_code == 404


def test_without_signing_in_the_portal_asks_who_you_are(client, return_case):
    label = issue(return_case)

    response = client.get(portal_url(label))

    # To the access form, which brings them back here once they have signed in.
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/")
    assert portal_url(label) in unquote(response["Location"])


def test_an_unknown_size_is_a_clear_400(client, return_case):
    label = issue(return_case)
    sign_in(client, return_case.customer)

    response = client.get(portal_url(label, "letter"))

    assert response.status_code == 400
    assert "use a4 or 4x6" in response.content.decode()


def test_missing_fonts_are_a_503_saying_what_to_install(client, return_case, monkeypatch):
    label = issue(return_case)
    sign_in(client, return_case.customer)
    monkeypatch.setattr(fonts, "FONTS", (fonts.FontFile("Nope", fonts.NOTO / "Nope.ttf"),))
    fonts.faces.cache_clear()
    try:
        response = client.get(portal_url(label))
    finally:
        monkeypatch.undo()
        fonts.faces.cache_clear()

    assert response.status_code == 503
    assert "fonts-noto-core" in response.content.decode()


def test_the_agent_downloads_a_label_of_a_case_they_see(client, return_case, settings):
    settings.CASE_VISIBILITY = "own"
    ana = agent(username="ana")
    return_case.assignee = ana
    return_case.save(update_fields=["assignee"])
    label = issue(return_case)
    client.force_login(ana)

    response = client.get(agent_url(label, "4x6"))

    assert response.status_code == 200
    # In the case's language (French), whatever the agent reads.
    assert "RÉFÉRENCE" in text(response.content)


def test_an_agent_who_does_not_see_the_case_gets_a_404(client, return_case, settings):
    settings.CASE_VISIBILITY = "own"
    return_case.assignee = agent(username="bob")
    return_case.save(update_fields=["assignee"])
    label = issue(return_case)
    client.force_login(agent(username="ana"))

    assert client.get(agent_url(label)).status_code == 404


def test_a_label_without_a_case_is_for_agents_who_see_everything(client, settings):
    case = CaseFactory()
    label = label_issue(
        order=case.order,
        case=None,
        reference="RMA-X",
        customer_address=ADDRESSES["latin"],
        actor=None,
    )
    settings.CASE_VISIBILITY = "own"
    client.force_login(agent(username="ana"))
    assert client.get(agent_url(label)).status_code == 404

    settings.CASE_VISIBILITY = "all"
    assert client.get(agent_url(label)).status_code == 200


def test_the_agent_download_needs_a_signed_in_agent(client, return_case):
    label = issue(return_case)

    assert client.get(agent_url(label)).status_code == 302


def test_the_order_page_links_the_return_label_in_both_sizes(client, return_case):
    label = issue(return_case, reference="RMA-1001")
    sign_in(client, return_case.customer)

    page = client.get(reverse("tickets:portal-order", args=[return_case.order.pk])).content
    page = page.decode()

    assert f'{portal_url(label, "a4")}"' in page
    assert f'{portal_url(label, "4x6")}"' in page
    assert "RMA-1001" in page


def test_the_shipment_panel_links_a_label_for_the_agent(agent_client):
    case = CaseFactory(kind=Case.Kind.SHIPMENT_ISSUE, language="en")
    label = issue(case, reference=case.number, direction=Shipment.Direction.REPLACEMENT)

    page = agent_client.get(reverse("tickets:agent-case", args=[case.number])).content.decode()

    assert f'{agent_url(label, "a4")}"' in page
    assert f'{agent_url(label, "4x6")}"' in page
