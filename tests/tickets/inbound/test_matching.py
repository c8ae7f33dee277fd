"""Which case an inbound email lands on: reply token, thread headers, subject number with the
customer as sender — and never the From address alone."""

import pytest

from tests.tickets.factories import CaseFactory, CustomerFactory
from tests.tickets.inbound.conftest import REPLY_DOMAIN, email_message, receive, reply_to
from tickets.models import Case, InboundEmail, Message, Notification
from tickets.services.notifications import message_id_for

pytestmark = pytest.mark.django_db
S = Case.Status


def _notification_about(case: Case) -> Notification:
    key = f"agent_reply:{case.pk}:email"
    return Notification.objects.create(
        customer=case.customer,
        case=case,
        channel=Notification.Channel.EMAIL,
        template="agent_reply",
        language=case.language,
        recipient=case.customer.email,
        subject="Your kettle",
        body="We sent a new one.",
        idempotency_key=key,
        message_id=message_id_for(key),
    )


def test_a_reply_to_the_signed_reply_address_lands_on_its_case():
    # given an open case and the customer's reply to its notification
    case = CaseFactory(status=S.OPEN)
    # when it arrives
    receipt = receive(reply_to(case, body="Thanks, it works now."))
    # then it is the customer's message on that case
    assert (receipt.outcome, receipt.reason, receipt.case_number) == (
        "attached",
        "token",
        case.number,
    )
    message = case.messages.get()
    assert (message.author_kind, message.visibility) == ("customer", "public")
    assert message.body == "Thanks, it works now."
    row = InboundEmail.objects.get()
    assert (row.case, row.customer_message, row.outcome, row.source) == (
        case,
        message,
        "attached",
        "test",
    )


def test_the_token_alone_proves_the_case_even_from_another_address():
    # given a customer's reply forwarded to and answered by their partner
    case = CaseFactory(status=S.OPEN)
    # when the partner writes to the signed reply address
    receipt = receive(reply_to(case, sender="partner@example.org"))
    # then it is on the case: only we can make that address
    assert (receipt.outcome, receipt.case_number) == ("attached", case.number)


def test_a_forged_token_attaches_to_no_case():
    # given someone's case, and a stranger who knows its number
    victim = CaseFactory(status=S.OPEN)
    forged = f"reply+{victim.number.lower()}.0123456789abcdef@{REPLY_DOMAIN}"
    # when the stranger writes to a reply address with a made-up signature
    receipt = receive(email_message(sender="mallory@evil.example", to=forged, subject="Hi"))
    # then the victim's case is untouched and the stranger gets a case of their own
    assert victim.messages.count() == 0
    assert receipt.outcome == "new_case"
    assert Case.objects.get(number=receipt.case_number).customer.email == "mallory@evil.example"


def test_in_reply_to_one_of_our_notifications_lands_on_its_case():
    # given an agent's reply we emailed about an open case
    case = CaseFactory(status=S.OPEN)
    sent = _notification_about(case)
    # when the customer answers it to our plain support address, subject without a number
    receipt = receive(
        email_message(
            sender=case.customer.email.upper(),
            subject="Re: Your kettle",
            headers={"In-Reply-To": sent.message_id, "References": sent.message_id},
        )
    )
    # then the thread header finds the case
    assert (receipt.outcome, receipt.reason, receipt.case_number) == (
        "attached",
        "thread",
        case.number,
    )


def test_references_to_an_email_received_before_land_on_its_case():
    # given a stranger's first email, which opened a case
    first = email_message(sender="new@example.org", subject="Broken lid")
    opened = receive(first)
    # when they write again referencing it (a reply to their own sent email)
    receipt = receive(
        email_message(
            sender="new@example.org",
            subject="Re: Broken lid",
            headers={"References": f"<older@example.org> {first['Message-ID']}"},
        )
    )
    # then the second email joins the first on its case
    assert (receipt.outcome, receipt.reason, receipt.case_number) == (
        "attached",
        "thread",
        opened.case_number,
    )
    assert Message.objects.filter(case__number=opened.case_number).count() == 2


def test_a_thread_header_from_someone_else_attaches_to_no_case():
    # given a notification about someone's case
    case = CaseFactory(status=S.OPEN)
    sent = _notification_about(case)
    # when a stranger sends an email claiming to answer it
    receipt = receive(
        email_message(sender="mallory@evil.example", headers={"In-Reply-To": sent.message_id})
    )
    # then it opens the stranger's own case
    assert receipt.outcome == "new_case"
    assert case.messages.count() == 0


def test_a_case_number_in_the_subject_from_its_customer_lands_on_the_case():
    # given an open case
    case = CaseFactory(status=S.OPEN)
    customer = case.customer
    # when its customer writes to the support address, the number in the subject in lower case
    receipt = receive(
        email_message(
            sender=f"{customer.name} <{customer.email.upper()}>",
            subject=f"Fwd: about {case.number.lower()}, again",
        )
    )
    # then it is on the case
    assert (receipt.outcome, receipt.reason, receipt.case_number) == (
        "attached",
        "subject",
        case.number,
    )


def test_a_case_number_in_the_subject_from_another_sender_attaches_to_no_case():
    # given someone's open case
    case = CaseFactory(status=S.OPEN)
    # when a different person sends an email naming that case number
    receipt = receive(email_message(sender="other@example.org", subject=f"Re: {case.number}"))
    # then the case is untouched and the sender gets a new case
    assert case.messages.count() == 0
    assert receipt.outcome == "new_case"
    assert receipt.case_number != case.number


def test_the_from_address_alone_never_finds_a_case():
    # given a customer with an open case
    case = CaseFactory(status=S.OPEN)
    # when they email support with no token, no thread and no number
    receipt = receive(email_message(sender=case.customer.email, subject="Another question"))
    # then it opens a new case for them rather than guessing
    assert receipt.outcome == "new_case"
    new_case = Case.objects.get(number=receipt.case_number)
    assert new_case.customer == case.customer
    assert case.messages.count() == 0


def test_a_token_wins_over_a_thread_header_and_a_subject_number():
    # given two cases of one customer
    customer = CustomerFactory()
    first, second = CaseFactory(customer=customer), CaseFactory(customer=customer)
    sent = _notification_about(second)
    # when a reply to the first case's address names the second case
    receipt = receive(
        reply_to(first, subject=f"Re: {second.number}", headers={"In-Reply-To": sent.message_id})
    )
    # then the signed address decides
    assert receipt.case_number == first.number
