"""What an inbound email does: a new case for a stranger, the reply on its case with its files,
a follow-up for a closed case, and nothing at all the second time."""

import pytest

from tests.tickets.factories import CaseFactory, CustomerFactory
from tests.tickets.inbound.conftest import PNG, email_message, receive, reply_to
from tickets.models import Attachment, Case, Customer, InboundEmail, Message, Notification

pytestmark = pytest.mark.django_db
S = Case.Status
PDF = b"%PDF-1.4\n" + b"x" * 200


def test_a_stranger_gets_a_new_general_case_and_an_acknowledgement():
    # given nobody with this address
    # when they email support
    receipt = receive(
        email_message(
            sender="Zoë Müller <Zoe@Example.org>",
            subject="Wasserkocher kaputt",
            body="Der Deckel schließt nicht.",
        )
    )
    # then a customer is created from the From header and a general email case opened
    assert receipt.outcome == "new_case"
    customer = Customer.objects.get()
    assert (customer.email, customer.name, customer.language) == (
        "Zoe@Example.org",
        "Zoë Müller",
        "en",
    )
    case = Case.objects.get(number=receipt.case_number)
    assert (case.kind, case.channel, case.status, case.subject) == (
        "general",
        "email",
        "new",
        "Wasserkocher kaputt",
    )
    assert case.messages.get().body == "Der Deckel schließt nicht."
    # and the case_received acknowledgement is in the outbox (it carries the reply address)
    assert Notification.objects.filter(case=case, template="case_received").count() == 1


def test_the_same_email_delivered_twice_is_received_once():
    # given a reply that was received
    case = CaseFactory(status=S.OPEN)
    reply = reply_to(case, attachments=(("photo.png", "image/png", PNG),))
    receive(reply)
    # when it arrives again, through the other channel too
    again, third = receive(reply), receive(reply, source="imap")
    # then nothing more is written
    assert (again.outcome, third.outcome) == ("duplicate", "duplicate")
    assert (Message.objects.count(), Attachment.objects.count(), InboundEmail.objects.count()) == (
        1,
        1,
        1,
    )


def test_an_email_without_message_id_is_still_received_once():
    # given a stranger's email without a Message-ID header
    message = email_message(sender="nomid@example.org", message_id="")
    # when it is delivered twice
    first, second = receive(message), receive(message)
    # then a digest of its bytes stands in for the id
    assert (first.outcome, second.outcome) == ("new_case", "duplicate")
    assert first.message_id.endswith("@digest.invalid>")
    assert Case.objects.count() == 1


def test_attachments_are_stored_with_the_message(media_root):
    # given a reply with a photo and a PDF
    case = CaseFactory(status=S.OPEN)
    reply = reply_to(
        case,
        attachments=(
            ("kettle.png", "image/png", PNG),
            ("../../receipt.pdf", "application/pdf", PDF),
        ),
    )
    # when it arrives
    receive(reply)
    # then both files are kept, under safe names, byte for byte
    stored = {a.filename: a for a in Attachment.objects.filter(message__case=case)}
    assert sorted(stored) == ["kettle.png", "receipt.pdf"]
    assert (stored["kettle.png"].content_type, stored["kettle.png"].size) == ("image/png", len(PNG))
    assert stored["receipt.pdf"].file.read() == PDF
    assert str(media_root) in stored["receipt.pdf"].file.path
    assert case.events.get(verb="message_added").data["attachments"] == 2


def test_an_oversized_attachment_is_dropped_with_a_note(settings):
    # given a limit of 100 bytes and a reply with a small photo and a large PDF
    settings.EVIDENCE_MAX_FILE_BYTES = 100
    case = CaseFactory(status=S.OPEN)
    reply = reply_to(
        case,
        body="See attached.",
        attachments=(("kettle.png", "image/png", PNG), ("manual.pdf", "application/pdf", PDF)),
    )
    # when it arrives
    receipt = receive(reply)
    # then the email is received, the photo kept and the PDF left out with a note saying so
    assert receipt.outcome == "attached"
    message = case.messages.get()
    assert [a.filename for a in message.attachments.all()] == ["kettle.png"]
    assert message.body.startswith("See attached.\n\n[The attachment “manual.pdf” (")
    assert "was not kept" in message.body


def test_an_email_with_only_an_html_body_is_read_as_text():
    # given a reply whose only body is HTML with the quoted history in a blockquote
    case = CaseFactory(status=S.OPEN)
    message = reply_to(case, body="")
    message.clear_content()
    message.set_content(
        "<html><head><style>p{color:red}</style></head><body><p>It&nbsp;arrived <b>broken</b>."
        "</p><div>Photo follows.</div><div class='gmail_quote'>On Mon, 3 Jun 2024 Shop wrote:"
        "<blockquote>Your parcel is on its way</blockquote></div></body></html>",
        subtype="html",
    )
    # when it arrives
    receive(message)
    # then the message is its text, without the quote
    assert case.messages.get().body == "It arrived broken.\n\nPhoto follows."


def test_a_reply_to_a_resolved_case_reopens_it():
    # given a resolved case
    case = CaseFactory(status=S.RESOLVED)
    # when the customer replies
    receive(reply_to(case, body="It broke again."))
    # then the case is open again, because the customer replied
    case.refresh_from_db()
    assert case.status == S.OPEN
    assert case.events.filter(verb="status_changed").get().data["reason"] == "customer_replied"


def test_a_reply_to_a_closed_case_opens_a_follow_up_case():
    # given a closed case of a customer and an order
    case = CaseFactory(status=S.CLOSED, language="fr")
    # when the customer replies to it
    receipt = receive(reply_to(case, body="Le problème est revenu."))
    # then the closed case stays as it was
    case.refresh_from_db()
    assert (case.status, case.messages.count()) == (S.CLOSED, 0)
    # and a general email case for the same customer and order takes the reply
    assert (receipt.outcome, receipt.reason) == ("follow_up", "token")
    follow_up = Case.objects.get(number=receipt.case_number)
    assert (follow_up.customer, follow_up.order, follow_up.kind, follow_up.channel) == (
        case.customer,
        case.order,
        "general",
        "email",
    )
    assert follow_up.language == "fr"
    customer_message, note = follow_up.messages.all()
    assert (customer_message.author_kind, customer_message.body) == (
        "customer",
        "Le problème est revenu.",
    )
    # and an internal note names the closed case for the agent
    assert (note.author_kind, note.visibility) == ("system", "internal")
    assert case.number in note.body
    assert InboundEmail.objects.get().case == follow_up


def test_a_known_customer_without_a_match_keeps_their_customer_record():
    # given a known customer (any capitalisation of their address)
    customer = CustomerFactory(email="anna@example.com", language="de")
    # when they email support about something new
    receipt = receive(email_message(sender="ANNA@example.com", subject="Neue Frage"))
    # then the new case is theirs, in their language; no second customer is made
    case = Case.objects.get(number=receipt.case_number)
    assert (case.customer, case.language) == (customer, "de")
    assert Customer.objects.count() == 1
