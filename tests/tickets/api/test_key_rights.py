"""An API key acts with its user's rights: a deactivated account's key, or one whose account
lacks the permission an endpoint needs, is refused with a reason in the error shape."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from tests.tickets.api.conftest import assert_error_shape
from tests.tickets.factories import CaseFactory, UserFactory, agent, supervisor
from tickets.models import Case, Message
from tickets.services.api_keys import api_key_create

CASES = "/api/v1/cases/"


def client_for(user, scope="write") -> APIClient:
    client = APIClient()
    key = api_key_create(name=f"key of {user.username}", scope=scope, actor=None, user=user)[1]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def grant(user, *codenames: str):
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="tickets", codename__in=codenames)
    )


def order_body(number="1042") -> dict:
    return {
        "number": number,
        "customer": {"email": "mia@example.com"},
        "placed_at": "2026-03-01T10:15:00Z",
        "currency": "EUR",
        "total": "50.00",
        "shipping_country": "DE",
        "lines": [{"sku": "KET-1", "title": "Kettle", "quantity": 1, "unit_price": "50.00"}],
    }


@pytest.mark.django_db
def test_a_deactivated_accounts_key_is_refused_for_reading_and_writing(customer):
    # given a write key of an agent whose account was then deactivated
    ana = agent(username="ana")
    client = client_for(ana)
    assert client.get(CASES).status_code == 200
    ana.is_active = False
    ana.save()
    # when the key reads, then it is a 401 that names the account and why
    body = assert_error_shape(client.get(CASES), 401, "account_inactive")
    assert "ana" in body["detail"] and "deactivated" in body["detail"]
    # and writing is refused the same way, changing nothing
    new_case = {"customer": customer.pk, "kind": "general", "subject": "Invoice?"}
    assert_error_shape(client.post(CASES, new_case, format="json"), 401, "account_inactive")
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_a_key_whose_account_may_not_view_cases_cannot_read_them():
    # given a read key of an account in no group (no tickets.view_case)
    client = client_for(UserFactory(username="outsider"), scope="read")
    CaseFactory()
    # when it lists cases, then 403 names the account and the missing permission
    body = assert_error_shape(client.get(CASES), 403, "permission_denied")
    assert "outsider" in body["detail"]
    assert "tickets.view_case" in body["detail"]


@pytest.mark.django_db
def test_a_write_key_whose_account_may_only_view_cannot_change_a_case(case):
    # given a write key of an account allowed to view cases but not to change them
    viewer = UserFactory(username="viewer")
    grant(viewer, "view_case")
    client = client_for(viewer)
    # then it reads
    assert client.get(f"{CASES}{case.number}/").status_code == 200
    # but a status move is refused, naming tickets.change_case, and nothing moves
    response = client.post(
        f"{CASES}{case.number}/transitions/", {"to": "open", "version": 1}, format="json"
    )
    body = assert_error_shape(response, 403, "permission_denied")
    assert "tickets.change_case" in body["detail"]
    # and so is a priority change
    response = client.patch(f"{CASES}{case.number}/", {"version": 1, "priority": "high"})
    assert_error_shape(response, 403, "permission_denied")
    case.refresh_from_db()
    assert (case.status, case.priority, case.version) == ("new", "normal", 1)


@pytest.mark.django_db
def test_opening_a_case_needs_add_case(customer):
    viewer = UserFactory(username="viewer")
    grant(viewer, "view_case", "change_case")
    client = client_for(viewer)
    new_case = {"customer": customer.pk, "kind": "general", "subject": "Invoice?"}
    body = assert_error_shape(client.post(CASES, new_case, format="json"), 403)
    assert "tickets.add_case" in body["detail"]
    # given the permission, it works
    grant(viewer, "add_case")
    assert client.post(CASES, new_case, format="json").status_code == 201


@pytest.mark.django_db
def test_replying_needs_add_message_and_reading_messages_needs_view_message(case):
    viewer = UserFactory(username="viewer")
    grant(viewer, "view_case")
    client = client_for(viewer)
    url = f"{CASES}{case.number}/messages/"
    assert "tickets.view_message" in assert_error_shape(client.get(url), 403)["detail"]
    reply = {"body": "We are on it.", "visibility": "internal"}
    body = assert_error_shape(client.post(url, reply, format="json"), 403)
    assert "tickets.add_message" in body["detail"]
    assert Message.objects.count() == 0
    # given both permissions, both work
    grant(viewer, "view_message", "add_message")
    assert client.get(url).status_code == 200
    assert client.post(url, reply, format="json").status_code == 201


@pytest.mark.django_db
def test_the_timeline_needs_view_caseevent(case):
    viewer = UserFactory(username="viewer")
    grant(viewer, "view_case")
    client = client_for(viewer)
    url = f"{CASES}{case.number}/events/"
    assert "tickets.view_caseevent" in assert_error_shape(client.get(url), 403)["detail"]
    grant(viewer, "view_caseevent")
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_an_agents_key_may_not_upsert_orders_but_a_supervisors_and_an_integrations_may():
    # given an agent's write key: agents read orders but do not feed them in
    agents_key = client_for(agent(username="ana"))
    assert agents_key.get("/api/v1/orders/").status_code == 200
    body = assert_error_shape(agents_key.post("/api/v1/orders/", order_body(), format="json"), 403)
    assert "tickets.add_order" in body["detail"]
    # then a supervisor's key may
    response = client_for(supervisor(username="sam")).post(
        "/api/v1/orders/", order_body(), format="json"
    )
    assert response.status_code == 201, response.content
    # and so may the account a key gets when none is named (in Integrations)
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION="Bearer " + api_key_create(name="Shop", scope="write", actor=None)[1]
    )
    assert client.post("/api/v1/orders/", order_body("1043"), format="json").status_code == 201


@pytest.mark.django_db
def test_an_integrations_own_account_is_in_integrations_and_sees_every_case():
    api_key, _ = api_key_create(name="Shop sync", scope="read", actor=None)
    assert list(api_key.user.groups.values_list("name", flat=True)) == ["Integrations"]


@pytest.mark.django_db
def test_a_session_without_the_permission_is_told_what_it_lacks(client, case):
    # given a dashboard user who may view but not change cases
    viewer = UserFactory(username="viewer")
    grant(viewer, "view_case")
    client.force_login(viewer)
    response = client.post(
        f"{CASES}{case.number}/transitions/",
        {"to": "open", "version": 1},
        content_type="application/json",
    )
    body = assert_error_shape(response, 403, "permission_denied")
    assert "tickets.change_case" in body["detail"]
