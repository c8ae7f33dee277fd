"""Stored evidence is served only through views that check who asks, with headers that keep
the file inert: to the case's customer in the portal, to agents who see the case."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.tickets.factories import CaseFactory, CustomerFactory, agent
from tests.tickets.portal.conftest import sign_in
from tickets.models import Case, Message
from tickets.services.evidence import evidence_prepare
from tickets.services.messages import message_add

from . import files

pytestmark = pytest.mark.django_db
SANDBOX = "default-src 'none'; sandbox"


def attach(case, name, content, *, author=Message.Author.CUSTOMER, visibility="public"):
    prepared = evidence_prepare([SimpleUploadedFile(name, content)])
    message = message_add(
        case=case,
        body="See the photo",
        author_kind=author,
        actor=agent(username="ana") if author == Message.Author.AGENT else None,
        visibility=visibility,
        attachments=prepared,
    )
    return message.attachments.get()


def portal_url(attachment) -> str:
    return f"/portal/files/{attachment.pk}/"


def agent_url(attachment) -> str:
    return f"/agent/attachments/{attachment.pk}/"


@pytest.fixture
def case(media_root):
    return CaseFactory(status=Case.Status.OPEN)


@pytest.fixture
def photo(case):
    return attach(case, "kettle.png", files.png())


def test_the_customer_sees_their_photo_inline_and_inert(client, case, photo):
    response = sign_in(client, case.customer).get(portal_url(photo))

    assert response.status_code == 200
    with photo.file.open("rb") as handle:
        assert b"".join(response.streaming_content) == handle.read()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="kettle.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    # the file's own policy, not the site's policy for pages
    assert response["Content-Security-Policy"] == SANDBOX
    assert "private" in response["Cache-Control"]


def test_a_name_beyond_ascii_is_given_the_rfc_6266_way(client, case):
    attachment = attach(case, "Küche.jpg", files.jpeg())

    response = sign_in(client, case.customer).get(portal_url(attachment))

    assert response["Content-Disposition"] == "inline; filename*=utf-8''K%C3%BCche.jpg"


def test_a_pdf_is_a_download_as_no_pdf_viewer_runs_sandboxed(client, case):
    attachment = attach(case, "receipt.pdf", files.PDF)

    response = sign_in(client, case.customer).get(portal_url(attachment))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="receipt.pdf"'
    assert b"".join(response.streaming_content) == files.PDF


def test_a_file_of_another_type_is_always_a_download(client, case):
    # given an agent's reply carrying a text file (agents' files do not go through evidence)
    message = message_add(
        case=case,
        body="Your invoice",
        author_kind=Message.Author.AGENT,
        actor=agent(username="ana"),
        attachments=[SimpleUploadedFile("page.html", b"<html>hi</html>", "text/html")],
    )
    attachment = message.attachments.get()

    response = sign_in(client, case.customer).get(portal_url(attachment))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="page.html"'
    assert response["Content-Security-Policy"] == SANDBOX
    assert attachment.file.name.endswith(".bin")


def test_another_customer_gets_404_as_for_a_file_that_does_not_exist(client, photo):
    stranger = sign_in(client, CustomerFactory())

    assert stranger.get(portal_url(photo)).status_code == 404
    assert stranger.get("/portal/files/999999/").status_code == 404


def test_a_file_on_an_internal_note_is_not_found_for_the_customer(client, case):
    note = attach(
        case, "label.png", files.png(), author=Message.Author.AGENT, visibility="internal"
    )

    assert sign_in(client, case.customer).get(portal_url(note)).status_code == 404


def test_someone_not_signed_in_is_sent_to_the_access_form(client, photo):
    response = client.get(portal_url(photo))

    assert response.status_code == 302
    assert response["Location"].startswith("/portal/?")


def test_a_file_gone_from_storage_is_404_with_a_message(client, case, photo):
    photo.file.storage.delete(photo.file.name)

    response = sign_in(client, case.customer).get(portal_url(photo))

    assert response.status_code == 404
    assert "no longer available" in response.content.decode()


def test_an_agent_gets_the_same_file_as_a_download_with_the_same_headers(agent_client, photo):
    response = agent_client.get(agent_url(photo))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="kettle.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX
    assert "private" in response["Cache-Control"]


def test_an_agent_who_does_not_see_the_case_gets_404(client, settings, photo):
    settings.CASE_VISIBILITY = "own"
    client.force_login(agent(username="bob"))

    assert client.get(agent_url(photo)).status_code == 404


def test_the_api_lists_each_attachment_with_its_agent_download_url(agent_client, case, photo):
    response = agent_client.get(f"/api/v1/cases/{case.number}/messages/")

    [listed] = response.json()["results"][0]["attachments"]
    assert listed["filename"] == "kettle.png"
    assert listed["download_url"] == f"http://testserver/agent/attachments/{photo.pk}/"
    assert agent_client.get(listed["download_url"]).status_code == 200


def test_a_stored_name_with_a_line_break_cannot_break_the_header(agent_client, photo):
    # given a name that never went through evidence_prepare (an inbound email's, say)
    photo.filename = "kettle\r\nSet-Cookie: x=1.png"
    photo.save(update_fields=["filename"])

    response = agent_client.get(agent_url(photo))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="kettleSet-Cookie: x=1.png"'
