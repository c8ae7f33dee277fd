"""The wrong-item panel of the workspace: every action in one screen, posted to one service."""

from decimal import Decimal

import pytest
from django.urls import reverse

from shipments.models import Shipment
from tests.shipments.factories import CarrierFactory
from tests.tickets.agent.workspace_urls import workspace_url
from tickets.models import Macro, MacroText, Message
from wrong_items.models import DiscountCode, PreventiveAction, RootCause

pytestmark = pytest.mark.django_db


@pytest.fixture
def macro(db):
    macro = Macro.objects.create(name="Wrong item: apology")
    MacroText.objects.create(macro=macro, language="en", body="Sorry {customer_name}!")
    MacroText.objects.create(macro=macro, language="fr", body="Désolés {customer_name} !")
    return macro


def _url(name, report):
    return reverse(f"wrong_items:agent-{name}", args=[report.pk])


def test_the_panel_offers_the_apology_in_the_customers_language(agent_client, report, macro):
    CarrierFactory()
    page = agent_client.get(workspace_url(report.case)).content.decode()
    assert f"Désolés {report.case.customer.name} !" in page
    assert f'name="macro" value="{macro.pk}"' in page
    assert "Reship the right item, expedited" in page
    assert "Needed before the case can close." in page


def test_the_apology_goes_through_the_normal_reply(agent_client, report, macro):
    response = agent_client.post(
        reverse("tickets:agent-case-reply", args=[report.case.number]),
        {"body": "Désolés, vraiment.", "visibility": "public", "macro": macro.pk},
    )
    assert response.status_code == 303
    assert Message.objects.filter(case=report.case, author_kind="agent").count() == 1


def test_reship_discount_and_root_cause_from_the_panel(agent_client, report):
    CarrierFactory()
    response = agent_client.post(
        _url("reship", report), {"tracking_number": "JD42", "carrier": "dhl_express"}
    )
    assert response.status_code == 303
    assert Shipment.objects.get(direction="replacement").service_level == "expedited"
    response = agent_client.post(
        _url("discount", report), {"value_type": "percentage", "value": "10"}
    )
    assert response.status_code == 303
    assert DiscountCode.objects.get().value == Decimal("10.000")
    response = agent_client.post(
        _url("root-cause", report), {"category": "packing", "warehouse": "Leipzig"}
    )
    assert response.status_code == 303
    assert RootCause.objects.get().warehouse == "Leipzig"
    response = agent_client.post(
        _url("preventive-action", report), {"description": "Scan twice", "owner": "Lea"}
    )
    assert response.status_code == 303
    action = PreventiveAction.objects.get()
    agent_client.post(_url("preventive-action-done", report), {"action": action.pk, "done": "1"})
    action.refresh_from_db()
    assert action.done
    page = agent_client.get(workspace_url(report.case)).content.decode()
    assert "JD42" in page and DiscountCode.objects.get().code in page


def test_bad_input_is_a_400_saying_why_and_changes_nothing(agent_client, report):
    response = agent_client.post(_url("discount", report), {"value_type": "fixed", "value": "-3"})
    assert response.status_code == 400
    assert not DiscountCode.objects.exists()
    response = agent_client.post(_url("root-cause", report), {"category": "gremlins"})
    assert response.status_code == 400
    assert not RootCause.objects.exists()


def test_a_second_reshipment_is_a_409(agent_client, report):
    CarrierFactory()
    data = {"tracking_number": "JD42", "carrier": "dhl_express"}
    agent_client.post(_url("reship", report), data)
    response = agent_client.post(_url("reship", report), {**data, "tracking_number": "JD43"})
    assert response.status_code == 409
    assert "JD42" in response.content.decode()


def test_an_unknown_report_is_a_404(agent_client, report):
    response = agent_client.post(reverse("wrong_items:agent-keep", args=[report.pk + 999]))
    assert response.status_code == 404


def test_a_return_from_the_panel_shows_the_labels_downloads(agent_client, report):
    response = agent_client.post(
        _url("return", report),
        {
            "name": "Claire Martin",
            "line1": "12 rue de la Paix",
            "postcode": "75002",
            "city": "Paris",
            "country": "FR",
        },
    )
    assert response.status_code == 303
    page = agent_client.get(workspace_url(report.case)).content.decode()
    assert "?size=4x6" in page and report.case.number in page
    # and an address missing its city is a 400 saying so
    report.item_outcome = ""
    response = agent_client.post(_url("return", report), {"name": "C", "line1": "x"})
    assert response.status_code == 400
