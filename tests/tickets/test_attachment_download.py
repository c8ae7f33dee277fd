"""Agents download a case's files through a view that checks who asks; media has no public URL."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.tickets.factories import CaseFactory, UserFactory
from tickets.models import Case, Message
from tickets.services.messages import message_add

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def attachment(media_root):
    case = CaseFactory(status=Case.Status.OPEN)
    upload = SimpleUploadedFile("kettle.png", PNG, content_type="image/png")
    message = message_add(
        case=case, body="Photo", author_kind=Message.Author.CUSTOMER, actor=None,
        attachments=[upload],
    )  # fmt: skip
    return message.attachments.get()


def url(attachment) -> str:
    return f"/agent/attachments/{attachment.pk}/"


def test_an_agent_downloads_the_file_as_an_attachment(agent_client, attachment):
    response = agent_client.get(url(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="kettle.png"'


def test_someone_signed_out_is_sent_to_sign_in(client, attachment):
    response = client.get(url(attachment))
    assert response.status_code == 302
    assert response["Location"].startswith("/agent/login/")


def test_an_account_without_access_to_attachments_is_refused(client, attachment):
    client.force_login(UserFactory(username="outsider"))
    assert client.get(url(attachment)).status_code == 403


def test_an_unknown_or_vanished_file_is_not_found(agent_client, attachment):
    assert agent_client.get("/agent/attachments/999999/").status_code == 404
    attachment.file.delete(save=False)
    assert agent_client.get(url(attachment)).status_code == 404


def test_the_admin_links_to_the_download(admin_client, attachment):
    response = admin_client.get("/admin/tickets/attachment/")
    assert url(attachment).encode() in response.content
