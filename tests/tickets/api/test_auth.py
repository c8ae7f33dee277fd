"""Who may call the API: API keys by scope, dashboard sessions by permission."""

import hashlib
from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.utils.crypto import get_random_string
from rest_framework.test import APIClient

from tests.tickets.api.conftest import assert_error_shape
from tests.tickets.factories import UserFactory, agent, superuser
from tickets.models import ApiKey, Case
from tickets.services.api_keys import api_key_create, api_key_revoke

CASES = "/api/v1/cases/"


def new_case(customer) -> dict:
    return {"customer": customer.pk, "kind": "general", "subject": "Where is my invoice?"}


@pytest.mark.django_db
def test_no_credentials_is_a_401_that_asks_for_a_bearer_key(api):
    # when a request comes without any credentials
    response = api.get(CASES)
    # then it is refused with 401 in the error shape, naming the scheme to use
    assert_error_shape(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.django_db
def test_an_unknown_key_is_a_401(api):
    api.credentials(HTTP_AUTHORIZATION="Bearer as_deadbeef_not-a-real-key")
    response = api.get(CASES)
    assert_error_shape(response, 401, "authentication_failed")
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.django_db
def test_a_malformed_authorization_header_is_a_401(api):
    api.credentials(HTTP_AUTHORIZATION="Bearer two words")
    assert_error_shape(api.get(CASES), 401, "authentication_failed")


@pytest.mark.django_db
def test_a_revoked_key_stops_working_at_once(api):
    # given a key that worked
    api_key, key = api_key_create(name="Old CRM", scope="write", actor=None)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get(CASES).status_code == 200
    # when it is revoked
    api_key_revoke(api_key=api_key, actor=None)
    # then the next request is refused
    assert_error_shape(api.get(CASES), 401, "authentication_failed")


@pytest.mark.django_db
def test_a_read_key_reads_but_may_not_write(reader, customer):
    # given a read-only key
    # then it reads
    assert reader.get(CASES).status_code == 200
    # but writing is forbidden and changes nothing
    response = reader.post(CASES, new_case(customer), format="json")
    body = assert_error_shape(response, 403, "permission_denied")
    assert "read" in body["detail"]
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_a_write_key_writes_as_its_user(writer, customer):
    response = writer.post(CASES, new_case(customer), format="json")
    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert case.events.get(verb="created").actor.username == "api-shop-sync"


@pytest.mark.django_db
def test_an_agent_session_reads_and_writes_with_a_csrf_token(customer):
    # given an agent signed in to the dashboard, with CSRF checks on as in a browser
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(agent(username="ana"))
    # then reading works
    assert client.get(CASES).status_code == 200
    # and writing without the CSRF token is refused
    response = client.post(CASES, new_case(customer), format="json")
    body = assert_error_shape(response, 403, "permission_denied")
    assert "CSRF" in body["detail"]
    assert Case.objects.count() == 0
    # and writing with the token works, as the agent
    token = get_random_string(32)
    client.cookies["csrftoken"] = token
    response = client.post(CASES, new_case(customer), format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content
    assert Case.objects.get().events.get(verb="created").actor.username == "ana"


@pytest.mark.django_db
def test_a_signed_in_user_without_case_access_is_refused(customer):
    # given a user who may not see cases (no group)
    client = APIClient()
    client.force_login(UserFactory(username="outsider"))
    # when they call the API
    response = client.get(CASES)
    # then the answer is 403 with a reason
    body = assert_error_shape(response, 403, "permission_denied")
    assert "no access" in body["detail"]


@pytest.mark.django_db
def test_create_api_key_prints_the_key_once_and_stores_only_its_hash(api):
    # when a key is made on the command line
    out, err = StringIO(), StringIO()
    call_command(
        "create_api_key", "--name", "Warehouse", "--scope", "write", stdout=out, stderr=err
    )
    # then stdout holds exactly the key, and stderr says it is not shown again
    key = out.getvalue().strip()
    assert key.startswith("as_") and "\n" not in key
    assert "not shown again" in err.getvalue()
    # and only its hash is stored
    api_key = ApiKey.objects.get(name="Warehouse")
    assert api_key.scope == "write"
    assert api_key.hashed_key == hashlib.sha256(key.encode()).hexdigest()
    stored = [str(value) for value in ApiKey.objects.values().get().values()]
    assert key not in stored
    # and the key works for writing
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get(CASES).status_code == 200


@pytest.mark.django_db
def test_the_admin_shows_a_new_key_once_and_revokes_it(client, api):
    # given a superuser in the admin
    client.force_login(superuser(username="root"))
    # when they add a key
    response = client.post(
        "/admin/tickets/apikey/add/", {"name": "ERP", "scope": "read", "user": ""}, follow=True
    )
    # then the key is shown in a message, and it works
    assert response.status_code == 200
    shown = [str(m) for m in get_messages(response.wsgi_request)] or [
        str(m) for m in response.context["messages"]
    ]
    key = next(word for text in shown for word in text.split() if word.startswith("as_"))
    api_key = ApiKey.objects.get(name="ERP")
    assert api_key.hashed_key == hashlib.sha256(key.encode()).hexdigest()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get(CASES).status_code == 200
    # and the change page never shows it again
    assert key not in client.get(f"/admin/tickets/apikey/{api_key.pk}/change/").content.decode()
    # when the revoke action runs on it
    response = client.post(
        "/admin/tickets/apikey/", {"action": "revoke", "_selected_action": [api_key.pk]}
    )
    # then it is revoked and stops working
    assert response.status_code == 302
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    assert_error_shape(api.get(CASES), 401)
