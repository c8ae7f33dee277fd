"""Get help with an order: what happened, which item, then the branch's form."""

import re

import pytest

from tickets.models import Case
from tickets.scenarios import PortalEntry, Scenario, scenario_get, scenario_override

pytestmark = pytest.mark.django_db

BRANCHES = [
    "I want to return an item",
    "An item is defective or damaged",
    "I received the wrong item",
    "My parcel hasn&#x27;t arrived or is late",
    "Something else",
]


def _start(order):
    return f"/portal/orders/{order.pk}/help/"


def test_step_one_asks_what_happened_with_five_branches_in_order(portal_client, portal_order):
    # when the customer starts the wizard for their order
    response = portal_client.get(_start(portal_order))
    page = response.content.decode()

    # then it is step 1 of 3 with one question, the five branches as radios in this order
    assert response.status_code == 200
    assert "Step 1 of 3" in page
    assert "What happened?" in page
    assert [page.index(title) for title in BRANCHES] == sorted(page.index(t) for t in BRANCHES)
    assert re.findall(r'name="branch"\s+value="([\w-]+)"', page) == [
        "return",
        "defect",
        "wrong-item",
        "parcel",
        "other",
    ]
    assert portal_order.number in page


def test_a_branch_about_one_item_asks_which_item_next(portal_client, portal_order):
    # when the customer answers "An item is defective or damaged"
    response = portal_client.get(_start(portal_order), {"branch": "defect"})
    assert response.status_code == 302
    assert response.url == f"/portal/orders/{portal_order.pk}/help/defect/"
    page = portal_client.get(response.url).content.decode()

    # then step 2 of 3 asks which item, lists the order's lines and shows the answer so far
    assert "Step 2 of 3" in page
    assert "Which item?" in page
    assert "Kettle" in page and "Teapot" in page
    assert "An item is defective or damaged" in page
    assert f'href="/portal/orders/{portal_order.pk}/help/?selected=defect"' in page


def test_back_from_step_two_keeps_the_answer(portal_client, portal_order):
    # when the customer goes back to step 1 from step 2
    page = portal_client.get(_start(portal_order), {"selected": "defect"}).content.decode()
    # then their answer is still chosen, and only it
    assert re.findall(r'value="([\w-]+)"\s+checked', page) == ["defect"]


def test_choosing_the_item_hands_over_to_the_general_form_while_the_branch_has_none(
    portal_client, portal_order, wrong_item_without_form
):
    # given the wrong-item branch, whose own form is not built yet
    line = portal_order.lines.get(title="Teapot")
    # when the customer picks the teapot
    response = portal_client.get(f"{_start(portal_order)}wrong-item/", {"line": line.pk})
    # then the general case form takes the branch and the item
    assert response.status_code == 302
    assert response.url == (
        f"/portal/orders/{portal_order.pk}/cases/new/?branch=wrong-item&line={line.pk}"
    )


def test_a_branch_with_its_own_form_hands_over_to_it(portal_client, portal_order):
    # given the wrong-item scenario with a form of its own (here: any URL taking an order_id)
    entry = PortalEntry(
        key="wrong-item",
        title="Wrong thing?",
        description="We swap it.",
        position=30,
        url_name="tickets:portal-help",
    )
    line = portal_order.lines.first()
    owner = scenario_get(Case.Kind.WRONG_ITEM)
    with scenario_override(Scenario(kind=owner.kind, label=owner.label, portal=(entry,))):
        response = portal_client.get(f"{_start(portal_order)}wrong-item/", {"line": line.pk})
    # then the wizard sends the customer there with the item
    assert response.url == f"/portal/orders/{portal_order.pk}/help/?line={line.pk}"


def test_a_branch_not_about_one_item_goes_straight_to_its_form(portal_client, portal_order):
    # the parcel branch (shipments) has its own form, which asks which parcel itself
    response = portal_client.get(f"{_start(portal_order)}parcel/")
    assert response.url == f"/portal/orders/{portal_order.pk}/parcel/"


def test_no_answer_is_a_400_saying_so_next_to_the_question(portal_client, portal_order):
    # when the customer presses Next without choosing
    response = portal_client.get(_start(portal_order), {"branch": ""})
    # then the question is asked again with the reason tied to it
    assert response.status_code == 400
    page = response.content.decode()
    assert 'aria-describedby="branch-error"' in page
    assert "Please choose what happened." in page


def test_an_item_of_another_order_is_a_400(portal_client, portal_order, stranger_order):
    stranger_line = stranger_order.lines.get()
    for line in (stranger_line.pk, "abc", ""):
        response = portal_client.get(f"{_start(portal_order)}defect/", {"line": line})
        assert response.status_code == 400
        assert "Please choose the item." in response.content.decode()


def test_an_unknown_branch_is_a_404(portal_client, portal_order):
    assert portal_client.get(f"{_start(portal_order)}gift-wrap/").status_code == 404


def test_another_customers_order_is_a_404_at_every_step(portal_client, stranger_order):
    line = stranger_order.lines.get()
    assert portal_client.get(_start(stranger_order)).status_code == 404
    assert portal_client.get(f"{_start(stranger_order)}defect/").status_code == 404
    new = f"/portal/orders/{stranger_order.pk}/cases/new/?branch=defect&line={line.pk}"
    assert portal_client.get(new).status_code == 404


def test_back_from_the_form_keeps_the_item(portal_client, portal_order):
    # when the customer goes back from the form to "Which item?"
    line = portal_order.lines.get(title="Teapot")
    page = portal_client.get(
        f"{_start(portal_order)}defect/", {"selected": line.pk}
    ).content.decode()
    # then the teapot is still chosen, and only it
    assert re.findall(r'value="(\d+)"\s+checked', page) == [str(line.pk)]


def test_the_wizard_answers_a_head_request(portal_client, portal_order):
    assert portal_client.head(_start(portal_order)).status_code == 200
