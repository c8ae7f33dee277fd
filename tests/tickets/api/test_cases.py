"""Reading and opening cases."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.tickets.api.conftest import assert_error_shape
from tests.tickets.factories import (
    CaseFactory,
    CustomerFactory,
    OrderFactory,
    TagFactory,
    UserFactory,
    agent,
)
from tickets.models import Case, Message

URL = "/api/v1/cases/"
S = Case.Status


def subjects(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["subject"] for row in response.json()["results"]]


@pytest.mark.django_db
def test_a_case_reads_by_number_with_its_people_and_order(writer, case):
    # given an assigned, tagged case
    case.assignee = agent(username="ana")
    case.save()
    case.tags.add(TagFactory(name="fragile"))
    # when it is read by its number
    body = writer.get(f"{URL}{case.number}/").json()
    # then it shows who, what and where it stands, with the version to send back
    assert body["number"] == case.number
    assert (body["kind"], body["status"], body["priority"]) == ("defect", "new", "normal")
    assert body["customer"]["email"] == case.customer.email
    assert body["order"] == {"id": case.order.pk, "store": "default", "number": case.order.number}
    assert body["assignee"] == {"id": case.assignee.pk, "username": "ana"}
    assert body["team"] is None
    assert body["tags"] == ["fragile"]
    assert body["version"] == 1


@pytest.mark.django_db
def test_an_unknown_number_is_a_404(writer):
    assert_error_shape(writer.get(f"{URL}AS-NOPE-NOPE/"), 404, "not_found")


@pytest.mark.django_db
def test_filters(writer):
    ana = agent(username="ana")
    mia = CustomerFactory()
    order = OrderFactory(customer=mia)
    CaseFactory(subject="a", kind="defect", customer=mia, order=order, assignee=ana)
    CaseFactory(subject="b", kind="wrong_item", status=S.OPEN, priority="urgent")
    CaseFactory(subject="c", kind="general", order=None)
    assert subjects(writer.get(URL, {"kind": "wrong_item"})) == ["b"]
    assert subjects(writer.get(URL, {"status": "open"})) == ["b"]
    assert subjects(writer.get(URL, {"priority": "urgent"})) == ["b"]
    assert subjects(writer.get(URL, {"assignee": ana.pk})) == ["a"]
    assert subjects(writer.get(URL, {"unassigned": "true", "ordering": "created_at"})) == [
        "b",
        "c",
    ]
    assert subjects(writer.get(URL, {"customer": mia.pk})) == ["a"]
    assert subjects(writer.get(URL, {"order": order.pk})) == ["a"]
    assert subjects(writer.get(URL, {"customer": 10**20})) == []


@pytest.mark.django_db
def test_updated_since_returns_what_changed(writer):
    now = timezone.now()
    CaseFactory(subject="old", updated_at=now - timedelta(days=2))
    CaseFactory(subject="new", updated_at=now)
    since = (now - timedelta(hours=1)).isoformat()
    assert subjects(writer.get(URL, {"updated_since": since})) == ["new"]
    body = assert_error_shape(writer.get(URL, {"updated_since": "soon"}), 400, "invalid")
    assert list(body["errors"]) == ["updated_since"]


@pytest.mark.django_db
def test_ordering_by_priority_means_by_urgency_then_age(writer):
    for subject, priority in [("l", "low"), ("u", "urgent"), ("n", "normal"), ("h", "high")]:
        CaseFactory(subject=subject, priority=priority)
    assert subjects(writer.get(URL, {"ordering": "-priority"})) == ["u", "h", "n", "l"]
    assert subjects(writer.get(URL, {"ordering": "priority"})) == ["l", "n", "h", "u"]
    assert subjects(writer.get(URL, {"ordering": "-updated_at"}))[0] == "h"
    assert_error_shape(writer.get(URL, {"ordering": "subject"}), 400, "invalid")


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_for_2_or_20_cases(writer, page_queries):
    def cases(n):
        for _ in range(n):
            case = CaseFactory(assignee=UserFactory())
            case.tags.add(TagFactory())

    cases(2)
    with_two = page_queries(URL)
    cases(18)
    assert page_queries(URL) == with_two


# --- opening a case ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_case_opens_for_a_customer_by_id_through_the_api_channel(writer, order):
    # when a case is opened with the customer's id, an order of theirs and a description
    response = writer.post(
        URL,
        {
            "customer": order.customer.pk,
            "order": order.pk,
            "kind": "defect",
            "subject": "Kettle does not heat",
            "description": "It stays cold.",
            "priority": "high",
        },
        format="json",
    )
    # then it is opened through the API channel, in the customer's language
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(number=body["number"])
    assert (case.channel, case.priority, case.language) == ("api", "high", "de")
    assert case.order == order
    # and the description is the customer's first message
    message = case.messages.get()
    assert (message.author_kind, message.body) == ("customer", "It stays cold.")
    assert case.events.filter(verb="created").exists()


@pytest.mark.django_db
def test_a_case_opens_by_the_customers_email_ignoring_case(writer, customer):
    response = writer.post(
        URL,
        {
            "customer_email": customer.email.upper(),
            "kind": "general",
            "subject": "Invoice",
            "channel": "email",
            "language": "fr",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert (case.customer, case.channel, case.language) == (customer, "email", "fr")
    assert case.messages.count() == 0


@pytest.mark.django_db
def test_an_order_of_another_customer_is_refused(writer, order):
    other = CustomerFactory()
    response = writer.post(
        URL,
        {"customer": other.pk, "order": order.pk, "kind": "defect", "subject": "x"},
        format="json",
    )
    body = assert_error_shape(response, 400, "order_not_of_customer")
    assert "another customer" in body["detail"]
    assert Case.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "field"),
    [
        ({}, "customer"),
        ({"customer": 1, "customer_email": "a@example.com"}, "customer"),
        ({"customer": 10**6}, "customer"),
        ({"customer": "mia"}, "customer"),
        ({"customer_email": "nobody@example.com"}, "customer_email"),
    ],
    ids=["neither", "both", "unknown-id", "not-an-id", "unknown-email"],
)
def test_the_customer_must_be_named_once_and_exist(writer, customer, who, field):
    response = writer.post(URL, {**who, "kind": "general", "subject": "x"}, format="json")
    body = assert_error_shape(response, 400, "invalid")
    assert list(body["errors"]) == [field]
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_wrong_kind_and_missing_subject_are_named(writer, customer):
    response = writer.post(URL, {"customer": customer.pk, "kind": "refund"}, format="json")
    body = assert_error_shape(response, 400, "invalid")
    assert set(body["errors"]) == {"kind", "subject"}
    assert Message.objects.count() == 0
