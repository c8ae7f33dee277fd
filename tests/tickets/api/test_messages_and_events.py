"""A case's messages (read, reply, note) and its timeline."""

import pytest

from tests.tickets.api.conftest import assert_error_shape
from tests.tickets.factories import CaseFactory, agent
from tickets.models import Attachment, Case, CaseEvent, Message
from tickets.services.messages import message_add


def messages_url(case):
    return f"/api/v1/cases/{case.number}/messages/"


def events_url(case):
    return f"/api/v1/cases/{case.number}/events/"


@pytest.mark.django_db
def test_messages_list_oldest_first_with_author_and_visibility(writer, case):
    ana = agent(username="ana")
    message_add(case=case, body="It is broken.", author_kind="customer", actor=None)
    message_add(
        case=case, body="Check stock", author_kind="agent", actor=ana, visibility="internal"
    )
    body = writer.get(messages_url(case)).json()
    assert body["count"] == 2
    first, second = body["results"]
    assert (first["author_kind"], first["author"], first["body"]) == (
        "customer",
        None,
        "It is broken.",
    )
    assert (second["author"]["username"], second["visibility"]) == ("ana", "internal")
    assert first["attachments"] == []
    internal = writer.get(messages_url(case), {"visibility": "internal"}).json()
    assert [m["body"] for m in internal["results"]] == ["Check stock"]
    newest = writer.get(messages_url(case), {"ordering": "-created_at"}).json()
    assert newest["results"][0]["body"] == "Check stock"


@pytest.mark.django_db
def test_a_public_reply_is_added_as_the_agent_and_counts_as_first_response(writer, case):
    # when the API replies publicly
    response = writer.post(messages_url(case), {"body": "We send a new one."}, format="json")
    # then the message is the agent's, public, by the key's user
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["author_kind"], body["visibility"]) == ("agent", "public")
    assert body["author"]["username"] == "api-shop-sync"
    # and it stamps the first response
    case.refresh_from_db()
    assert case.first_responded_at is not None
    assert case.events.get(verb="message_added").actor.username == "api-shop-sync"


@pytest.mark.django_db
def test_an_internal_note_does_not_count_as_a_response(writer, case):
    response = writer.post(
        messages_url(case), {"body": "Supplier defect?", "visibility": "internal"}, format="json"
    )
    assert response.status_code == 201
    case.refresh_from_db()
    assert case.first_responded_at is None


@pytest.mark.django_db
def test_a_closed_case_refuses_messages_with_403(writer):
    case = CaseFactory(status=Case.Status.CLOSED)
    response = writer.post(messages_url(case), {"body": "Hello?"}, format="json")
    body = assert_error_shape(response, 403, "not_allowed")
    assert "closed" in body["detail"]
    assert Message.objects.count() == 0


@pytest.mark.django_db
def test_bad_messages_are_a_400(writer, case):
    body = assert_error_shape(writer.post(messages_url(case), {}, format="json"), 400, "invalid")
    assert list(body["errors"]) == ["body"]
    response = writer.post(messages_url(case), {"body": "x", "visibility": "secret"}, format="json")
    assert list(assert_error_shape(response, 400)["errors"]) == ["visibility"]
    assert_error_shape(writer.post(messages_url(case), {"body": ""}, format="json"), 400)
    assert Message.objects.count() == 0


@pytest.mark.django_db
def test_an_unknown_case_has_no_messages_or_events(writer):
    ghost = Case(number="AS-NOPE-NOPE")
    assert_error_shape(writer.get(messages_url(ghost)), 404, "not_found")
    assert_error_shape(writer.post(messages_url(ghost), {"body": "x"}, format="json"), 404)
    assert_error_shape(writer.get(events_url(ghost)), 404, "not_found")


@pytest.mark.django_db
def test_a_read_key_cannot_reply(reader, case):
    response = reader.post(messages_url(case), {"body": "x"}, format="json")
    assert_error_shape(response, 403, "permission_denied")


@pytest.mark.django_db
def test_the_timeline_lists_events_with_actor_names(writer, case):
    ana = agent(username="ana")
    writer.post(f"/api/v1/cases/{case.number}/transitions/", {"to": "open", "version": 1})
    message_add(case=case, body="Any news?", author_kind="customer", actor=None)
    CaseEvent.objects.create(case=case, actor=ana, verb="tags_changed", data={"x": 1})
    body = writer.get(events_url(case)).json()
    assert [(e["verb"], e["actor"]) for e in body["results"]] == [
        ("status_changed", "api-shop-sync"),
        ("message_added", None),
        ("tags_changed", "ana"),
    ]
    assert body["results"][0]["data"]["status"] == "open"
    only = writer.get(events_url(case), {"verb": "tags_changed"}).json()
    assert only["count"] == 1


@pytest.mark.django_db
def test_an_unknown_verb_filter_is_refused_with_the_known_ones(writer, case):
    response = writer.get(events_url(case), {"verb": "note"})
    assert response.status_code == 400
    assert "verb" in response.json()["errors"]


@pytest.mark.django_db
def test_lists_cost_the_same_queries_for_2_or_20_rows(writer, case, page_queries):
    def rows(n):
        for i in range(n):
            ana = agent(username=f"agent-{Message.objects.count()}")
            message = message_add(case=case, body=f"m{i}", author_kind="agent", actor=ana)
            Attachment.objects.create(
                message=message, file="a.txt", filename="a.txt", content_type="text/plain", size=1
            )

    rows(2)
    messages, events = page_queries(messages_url(case)), page_queries(events_url(case))
    rows(18)
    assert page_queries(messages_url(case)) == messages
    assert page_queries(events_url(case)) == events
