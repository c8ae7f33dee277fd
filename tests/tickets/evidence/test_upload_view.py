"""The portal's reply form takes evidence, end to end: limits while the body streams in,
refusals with a clear 4xx and nothing stored, accepted files stored under random names. (The
general case form goes through the same decorator and service: tests/tickets/portal.)"""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.tickets.portal.conftest import sign_in
from tickets.models import Attachment, Message

from . import bodies, files

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def url(case) -> str:
    return reverse("tickets:portal-case-reply", args=[case.number])


@pytest.fixture
def client(client, case):
    """The case's customer, signed in to the portal."""
    return sign_in(client, case.customer)


def post_raw(client, case, body):
    length = body.length if isinstance(body, bodies.LazyBody) else len(body)
    return client.request(**bodies.environ(url(case), body, length))


def assert_nothing_stored(case, stored_files):
    assert not Attachment.objects.exists()
    assert not Message.objects.filter(case=case).exists()
    assert stored_files() == []


def test_a_photo_is_stored_under_a_random_name_without_its_metadata(client, case, stored_files):
    # given a photo with a GPS position, named after the customer's street
    photo = SimpleUploadedFile("Hauptstraße 5.jpg", files.jpeg(gps=True), "image/jpeg")

    # when it is sent
    response = client.post(url(case), {"body": "Broken", "files": [photo]})

    # then it is stored under a random name, the shown name kept, the position gone
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert re.fullmatch(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", attachment.file.name)
    assert attachment.filename == "Hauptstraße 5.jpg"
    assert attachment.content_type == "image/jpeg"
    assert stored_files() == [attachment.file.name]
    with attachment.file.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
    assert not stored.getexif()


def test_two_uploads_of_the_same_name_get_different_stored_names(client, case, stored_files):
    for _ in range(2):
        photo = SimpleUploadedFile("kettle.png", files.png(), "image/png")
        assert client.post(url(case), {"body": "Again", "files": [photo]}).status_code == 302

    first, second = Attachment.objects.all()
    assert first.file.name != second.file.name
    assert "kettle" not in first.file.name + second.file.name


@pytest.mark.parametrize(
    ("uploads", "words"),
    [
        ([("photo.jpg", files.HTML)], "photo.jpg contains web page code"),
        ([("drawing.svg", files.SVG)], "drawing.svg contains web page code"),
        ([("photo.jpg", files.polyglot())], "photo.jpg contains web page code"),
        ([("huge.png", files.png_header_only(20_000, 20_000))], "huge.png has more than 40"),
        # Made when the test runs, not when it is collected: a few seconds of compressing.
        ([("huge.png", lambda: files.png_real(20_000, 20_000))], "huge.png has more than 40"),
        ([(f"p{n}.png", files.png()) for n in range(11)], "the most is 10"),
        ([("good.png", files.png()), ("bad.jpg", files.HTML)], "bad.jpg contains"),
    ],
    ids=[
        "html-as-jpg",
        "svg-script",
        "polyglot",
        "20000x20000-png-header",
        "20000x20000-png",
        "eleven-files",
        "one-bad",
    ],
)
def test_a_refused_upload_gets_a_400_naming_it_and_nothing_is_stored(
    client, case, stored_files, uploads, words
):
    uploads = [(name, content() if callable(content) else content) for name, content in uploads]
    response = post_raw(client, case, bodies.multipart(uploads))

    assert response.status_code == 400
    assert words in response.content.decode()
    assert_nothing_stored(case, stored_files)


@pytest.mark.parametrize(
    "filename",
    ["../../settings.jpg", "..", "photo\x00.jpg", "C:\\Users\\me\\photo.jpg", "pho\x07to.jpg"],
    ids=["dot-dot-slash", "dot-dot", "nul", "backslash", "bell"],
)
def test_a_file_name_with_path_parts_or_control_characters_is_refused(
    client, case, stored_files, filename
):
    # given a name Django would otherwise clean quietly (or drop the file for)
    body = bodies.multipart([(filename, files.jpeg())])

    response = post_raw(client, case, body)

    assert response.status_code == 400
    assert "cannot be used" in response.content.decode()
    assert_nothing_stored(case, stored_files)


def test_a_50_mb_file_is_stopped_at_the_file_limit_and_refused_by_name(
    client, case, stored_files, monkeypatch
):
    # given: count what reaches the temporary file on disk
    written = []
    receive = TemporaryFileUploadHandler.receive_data_chunk

    def counting(self, raw_data, start):
        written.append(len(raw_data))
        return receive(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", counting)
    body = bodies.LazyBody("video.jpg", 50 * MB)

    # when a 50 MB file is sent (the body is under the body limit, so it is read)
    response = post_raw(client, case, body)

    # then it is refused by name, no more than the file limit (and a chunk) reached the disk
    assert response.status_code == 400
    assert "video.jpg is larger than 10 MB" in response.content.decode()
    assert sum(written) <= 10 * MB + 64 * 1024
    assert_nothing_stored(case, stored_files)


def test_a_body_over_the_body_limit_gets_413_before_it_is_read(
    client, case, stored_files, settings
):
    settings.EVIDENCE_MAX_BODY_BYTES = 20 * MB
    body = bodies.LazyBody("video.jpg", 50 * MB)

    response = post_raw(client, case, body)

    assert response.status_code == 413
    assert "too large to send together" in response.content.decode()
    assert body.consumed == 0
    assert_nothing_stored(case, stored_files)


def test_the_form_still_needs_its_csrf_token(case, stored_files):
    strict = sign_in(Client(enforce_csrf_checks=True), case.customer)
    photo = SimpleUploadedFile("kettle.png", files.png(), "image/png")

    response = strict.post(url(case), {"files": [photo]})

    assert response.status_code == 403
    assert_nothing_stored(case, stored_files)
