from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from tests.tickets.factories import CaseFactory
from tickets.errors import AttachmentTooLarge, NotAllowed
from tickets.models import Attachment, Case, CaseEvent, Message
from tickets.scenarios import Scenario, scenario_override
from tickets.services.messages import message_add

S, A, V = Case.Status, Message.Author, Message.Visibility
PHOTO = b"\x89PNG\r\n\x1a\n" + b"0" * 120


def _reply(case, actor, **kwargs):
    kwargs.setdefault("body", "Sorry about that, a new kettle is on its way.")
    return message_add(case=case, author_kind=A.AGENT, actor=actor, **kwargs)


def _customer_writes(case, **kwargs):
    kwargs.setdefault("body", "Any news?")
    return message_add(case=case, author_kind=A.CUSTOMER, actor=None, **kwargs)


# --- first response ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_first_public_agent_reply_stamps_first_responded_at_once(agent_user):
    # given an open case nobody answered yet
    case = CaseFactory(status=S.OPEN)
    # when an agent replies publicly, and later once more
    _reply(case, agent_user)
    case.refresh_from_db()
    first_stamp, version_after_first = case.first_responded_at, case.version
    _reply(case, agent_user, body="The tracking number is 123.")
    # then the first reply set the time and the second left it alone
    case.refresh_from_db()
    assert first_stamp is not None
    assert version_after_first == 2
    assert (case.first_responded_at, case.version) == (first_stamp, 2)
    assert case.messages.count() == 2
    assert list(case.events.values_list("verb", flat=True)) == ["message_added"] * 2


@pytest.mark.django_db
def test_an_internal_note_is_no_first_response(agent_user):
    # given an open case
    case = CaseFactory(status=S.OPEN)
    # when an agent writes an internal note
    note = _reply(case, agent_user, body="Check stock first.", visibility=V.INTERNAL)
    # then the customer was not answered yet
    case.refresh_from_db()
    assert (case.first_responded_at, case.version) == (None, 1)
    assert note.visibility == V.INTERNAL
    event = case.events.get()
    assert (event.verb, event.actor) == ("message_added", agent_user)
    assert event.data == {
        "message": note.pk,
        "author": A.AGENT,
        "visibility": V.INTERNAL,
        "attachments": 0,
    }


# --- customer messages reopen ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("status", [S.WAITING_ON_CUSTOMER, S.RESOLVED])
def test_a_customer_message_reopens_a_case_waiting_on_them_or_resolved(status):
    # given a case in `status`
    case = CaseFactory(status=status)
    # when the customer writes
    _customer_writes(case)
    # then the case is open again, and the timeline says the customer's reply did it
    case.refresh_from_db()
    assert (case.status, case.version) == (S.OPEN, 2)
    change = case.events.get(verb="status_changed")
    assert (change.actor, change.data) == (
        None,
        {"previous": status, "status": S.OPEN, "reason": "customer_replied"},
    )


@pytest.mark.django_db
def test_reopening_a_resolved_case_clears_resolved_at():
    case = CaseFactory(status=S.RESOLVED)
    Case.objects.filter(pk=case.pk).update(resolved_at=case.created_at)
    _customer_writes(case)
    case.refresh_from_db()
    assert (case.status, case.resolved_at) == (S.OPEN, None)


@pytest.mark.django_db
@pytest.mark.parametrize("status", [S.NEW, S.OPEN, S.WAITING_ON_RETURN, S.WAITING_ON_CARRIER])
def test_a_customer_message_leaves_other_statuses_alone(status):
    case = CaseFactory(status=status)
    _customer_writes(case)
    case.refresh_from_db()
    assert (case.status, case.version) == (status, 1)
    assert not case.events.filter(verb="status_changed").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("author", [A.CUSTOMER, A.AGENT])
def test_a_closed_case_takes_no_messages(author, agent_user):
    # given a closed case
    case = CaseFactory(status=S.CLOSED)
    # when anyone writes on it
    with pytest.raises(NotAllowed) as excinfo:
        message_add(case=case, body="Hello?", author_kind=author, actor=agent_user)
    # then it is refused by number and nothing is stored
    assert str(excinfo.value) == f"Case {case.number} is closed."
    assert (Message.objects.count(), CaseEvent.objects.count()) == (0, 0)
    case.refresh_from_db()
    assert (case.status, case.version) == (S.CLOSED, 1)


# --- attachments ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_attachments_are_stored_with_name_size_and_content_type(media_root):
    # given an open case
    case = CaseFactory(status=S.OPEN)
    photo = SimpleUploadedFile("kettle.png", PHOTO, content_type="image/png")
    receipt = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt", content_type="")
    # when the customer writes with a photo and a file without a content type
    message = _customer_writes(case, body="See the photo.", attachments=[photo, receipt])
    # then both are stored under MEDIA_ROOT with what the dashboard shows about them
    stored = list(message.attachments.order_by("pk"))
    assert [(a.filename, a.size, a.content_type) for a in stored] == [
        ("kettle.png", len(PHOTO), "image/png"),
        ("receipt.pdf", 16, "application/octet-stream"),
    ]
    on_disk = Path(stored[0].file.path)
    assert on_disk.is_relative_to(media_root)
    assert on_disk.read_bytes() == PHOTO
    assert case.events.get().data["attachments"] == 2


@pytest.mark.django_db
def test_a_too_large_attachment_is_refused_and_nothing_is_stored(settings, media_root):
    # given a limit of 100 bytes and an open case
    settings.EVIDENCE_MAX_FILE_BYTES = 100
    case = CaseFactory(status=S.OPEN)
    small = SimpleUploadedFile("note.txt", b"small", content_type="text/plain")
    large = SimpleUploadedFile("kettle.png", PHOTO, content_type="image/png")
    # when the customer sends a small and a too-large file
    with pytest.raises(AttachmentTooLarge) as excinfo:
        _customer_writes(case, attachments=[small, large])
    # then the large one is named and neither the message nor any file is stored
    assert excinfo.value.code == "attachment_too_large"
    assert "kettle.png is larger than" in str(excinfo.value)
    assert (Message.objects.count(), Attachment.objects.count(), CaseEvent.objects.count()) == (
        0,
        0,
        0,
    )
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


@pytest.mark.django_db
def test_an_attachment_at_the_limit_is_accepted(settings, media_root):
    settings.EVIDENCE_MAX_FILE_BYTES = len(PHOTO)
    case = CaseFactory(status=S.OPEN)
    photo = SimpleUploadedFile("kettle.png", PHOTO, content_type="image/png")
    message = _customer_writes(case, attachments=[photo])
    assert message.attachments.get().size == len(PHOTO)


# --- visibility -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_customer_message_cannot_be_internal():
    # given an open case
    case = CaseFactory(status=S.OPEN)
    # when a customer message is marked internal
    with pytest.raises(ValidationError) as excinfo:
        _customer_writes(case, visibility=V.INTERNAL)
    # then model validation says why and nothing is stored
    assert "A customer's message is always public." in str(excinfo.value)
    assert (Message.objects.count(), CaseEvent.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_the_database_refuses_an_internal_customer_message_written_around_the_service():
    case = CaseFactory(status=S.OPEN)
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(
            case=case, author_kind=A.CUSTOMER, visibility=V.INTERNAL, body="psst"
        )
    assert Message.objects.count() == 0


@pytest.mark.django_db
def test_a_guard_refusing_the_reopen_keeps_the_case_but_not_the_message_out():
    # given a resolved wrong-item case whose scenario refuses to reopen it
    def no_reopen(case, to):
        return "Settled for good." if to == S.OPEN else None

    case = CaseFactory(kind=Case.Kind.WRONG_ITEM, status=S.RESOLVED)
    with scenario_override(Scenario(kind=case.kind, label="x", guards=(no_reopen,))):
        # when the customer writes
        message = _customer_writes(case)
    # then the message is stored and the case stays resolved
    case.refresh_from_db()
    assert Message.objects.filter(pk=message.pk).exists()
    assert case.status == S.RESOLVED
    assert not case.events.filter(verb="status_changed").exists()
