"""My cases and the case page: milestones, next step, thread, compensation, replies."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone

from tests.tickets.evidence import files
from tests.tickets.factories import CaseFactory, CompensationFactory, agent, supervisor
from tickets.models import Attachment, Case, Compensation, Message
from tickets.selectors.portal import CASES_PER_PAGE
from tickets.services.cases import case_create, case_transition
from tickets.services.messages import message_add

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
DUE = datetime(2026, 7, 16, 1, 0, tzinfo=UTC)
PHOTO = files.png()


@pytest.fixture
def my_case(portal_customer, portal_order):
    """A general case the customer opened: created, with their first message."""
    return case_create(
        customer=portal_customer,
        order=portal_order,
        kind=Case.Kind.GENERAL,
        subject="Invoice missing",
        channel=Case.Channel.PORTAL,
        description="Please send the invoice.",
    )


def _page(client, case):
    response = client.get(f"/portal/cases/{case.number}/")
    assert response.status_code == 200
    return response.content.decode()


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_number_subject_plain_status_and_last_update(
    portal_client, portal_customer, stranger_order
):
    # given a case of the customer waiting for them, and another customer's case
    mine = CaseFactory(
        customer=portal_customer,
        subject="Lid is cracked",
        status=Case.Status.WAITING_ON_CUSTOMER,
        updated_at=datetime(2026, 7, 1, 23, 0, tzinfo=UTC),
    )
    theirs = CaseFactory(customer=stranger_order.customer, subject="Toaster burns")

    page = portal_client.get("/portal/cases/").content.decode()

    # then theirs is listed in plain words, with the update in Tokyo time; the other is not
    assert mine.number in page and "Lid is cracked" in page
    assert "Waiting for your reply" in page
    assert "July 2, 2026" in page
    assert theirs.number not in page and "Toaster burns" not in page


def test_the_list_takes_as_many_queries_for_many_cases(
    portal_client, portal_customer, django_assert_num_queries
):
    CaseFactory(customer=portal_customer)
    portal_client.get("/portal/cases/")
    with CaptureQueriesContext(connection) as few:
        portal_client.get("/portal/cases/")
    CaseFactory.create_batch(CASES_PER_PAGE + 3, customer=portal_customer)
    with django_assert_num_queries(len(few)):
        page = portal_client.get("/portal/cases/").content.decode()
    assert 'rel="next"' in page


# --- the case page --------------------------------------------------------------------------


def test_the_page_shows_milestones_with_the_current_one_and_the_next_step(portal_client, my_case):
    # given the team asked the customer for more information
    case = case_transition(case=my_case, to=Case.Status.OPEN, actor=None)
    case_transition(case=case, to=Case.Status.WAITING_ON_CUSTOMER, actor=None)

    page = _page(portal_client, my_case)

    # then both milestones are listed, the last one current, and the next step is theirs
    assert page.index("We received your request") < page.index("We asked you for more information")
    current = page.split('aria-current="step"')[1]
    assert current.split("</li>")[0].count("We asked you for more information") == 1
    assert "portal-milestone-next" in page
    assert "We are waiting for your reply." in page


def test_a_german_customer_reads_their_anfrage_an_agent_reads_a_fall(
    portal_client, my_case, agent_client
):
    # one msgid, "Case", would give both the same word: the portal asks for the customer's
    page = portal_client.get(
        f"/portal/cases/{my_case.number}/", HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert f"Anfrage {my_case.number}" in page
    agents = agent_client.get("/agent/cases/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert ">Fall<" in agents and ">Anfrage<" not in agents


@pytest.fixture
def before_due(time_machine):
    """The clock stands ten minutes before DUE (the portal's session stays: 30 idle minutes)."""
    time_machine.move_to(DUE - timedelta(minutes=10), tick=False)
    return time_machine


def test_the_next_step_of_a_new_case_is_our_answer_with_its_date(
    before_due, portal_client, my_case
):
    Case.objects.filter(pk=my_case.pk).update(first_response_due=DUE, sla_due=DUE)
    page = _page(portal_client, my_case)
    # 01:00 UTC is 10:00 in Tokyo
    assert "We will answer by July 16, 2026, 10 a.m." in page
    # and once that time has gone by, the page no longer promises it
    before_due.move_to(DUE + timedelta(minutes=1), tick=False)
    page = _page(portal_client, my_case)
    assert "July 16, 2026, 10 a.m." not in page
    assert "We will answer you as soon as we can." in page


def test_a_solved_case_says_when_it_closes(portal_client, my_case, settings):
    settings.CASE_AUTOCLOSE_DAYS = 7
    now = timezone.now()
    Case.objects.filter(pk=my_case.pk).update(
        status=Case.Status.RESOLVED, resolved_at=now, updated_at=now
    )
    closes = timezone.localtime(now + timedelta(days=7), timezone=TOKYO)
    page = _page(portal_client, my_case)
    # As the page writes dates: Django's format for the language ("Jan. 21", "July 21")
    assert f"Closes on {formats.date_format(closes, 'DATETIME_FORMAT')}" in page
    assert "unless you reply." in page


def test_the_thread_shows_public_replies_and_attachments_but_never_internal_notes(
    portal_client, my_case, media_root
):
    # given an agent's public reply with a photo, and an internal note
    alice = agent(username="alice")
    reply = message_add(
        case=my_case,
        body="Here it is. <script>alert(1)</script>",
        author_kind=Message.Author.AGENT,
        actor=alice,
        attachments=[SimpleUploadedFile("invoice.png", PHOTO, content_type="image/png")],
    )
    message_add(
        case=my_case,
        body="Customer is a VIP, be quick",
        author_kind=Message.Author.AGENT,
        actor=alice,
        visibility=Message.Visibility.INTERNAL,
    )

    page = _page(portal_client, my_case)

    # then the customer's words and the reply are there, escaped, with a link and a thumbnail
    attachment = reply.attachments.get()
    assert "Please send the invoice." in page
    assert "Here it is. &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert f'<a href="/portal/files/{attachment.pk}/">' in page
    assert f'<img src="/portal/files/{attachment.pk}/"' in page
    assert "invoice.png" in page
    # and the note is not
    assert "VIP" not in page


def test_compensation_shows_kind_amount_and_plain_status(portal_client, my_case):
    CompensationFactory(
        case=my_case, kind=Compensation.Kind.PARTIAL_REFUND, amount=Decimal("12.50")
    )
    page = _page(portal_client, my_case)
    assert "Partial refund" in page
    assert "€12.50" in page
    assert "Being reviewed" in page


def test_the_customer_reads_what_they_get_not_the_shop_s_bookkeeping(portal_client, my_case):
    # given the right item sent (its cost awaiting a supervisor), a replacement given up for
    # a refund, a discount code sent, and the insurer's payout to the shop
    Kind, Status = Compensation.Kind, Compensation.Status
    for kind, status, amount in (
        (Kind.REPLACEMENT, Status.PROPOSED, "194.99"),
        (Kind.REPAIR, Status.CANCELLED, "80.00"),
        (Kind.DISCOUNT_CODE, Status.ISSUED, "19.50"),
        (Kind.INSURANCE_PAYOUT, Status.ISSUED, "150.00"),
    ):
        CompensationFactory(case=my_case, kind=kind, status=status, amount=Decimal(amount))
    page = _page(portal_client, my_case)
    # then the replacement shows without "Being reviewed" (its milestones say where it is)
    assert "Replacement" in page and "€194.99" in page
    assert "Being reviewed" not in page
    # the code as sent, not "paid out"
    assert "Discount code" in page and "Sent to you" in page
    assert "Paid out" not in page
    # and neither the repair called off nor the shop's insurance money
    assert "Repair" not in page and "€80.00" not in page
    assert "Insurance payout" not in page and "€150.00" not in page


def test_the_ledger_is_read_without_the_agents_behind_it(portal_client, my_case):
    # given a compensation an agent proposed and a supervisor approved
    CompensationFactory(
        case=my_case,
        kind=Compensation.Kind.STORE_CREDIT,
        status=Compensation.Status.APPROVED,
        proposed_by=agent(first_name="Nadia"),
        approved_by=supervisor(first_name="Omar"),
    )
    # when the customer opens the case page
    with CaptureQueriesContext(connection) as queries:
        page = _page(portal_client, my_case)
    # then the compensation is shown, and no staff account was read for it
    assert "Store credit" in page
    (ledger,) = [q["sql"] for q in queries if 'FROM "tickets_compensation"' in q["sql"]]
    assert "auth_user" not in ledger
    assert "Nadia" not in page and "Omar" not in page


def test_the_page_takes_as_many_queries_for_a_long_thread(
    portal_client, my_case, media_root, django_assert_num_queries
):
    _page(portal_client, my_case)
    with CaptureQueriesContext(connection) as few:
        _page(portal_client, my_case)
    for number in range(5):
        message_add(
            case=my_case,
            body=f"More {number}",
            author_kind=Message.Author.CUSTOMER,
            actor=None,
            attachments=[SimpleUploadedFile(f"p{number}.png", PHOTO, content_type="image/png")],
        )
    with django_assert_num_queries(len(few)):
        _page(portal_client, my_case)


def test_another_customers_case_is_a_404_like_a_missing_one(portal_client, stranger_order):
    theirs = CaseFactory(customer=stranger_order.customer, order=stranger_order)
    for number in (theirs.number, "AS-NONE-NONE"):
        assert portal_client.get(f"/portal/cases/{number}/").status_code == 404
        response = portal_client.post(f"/portal/cases/{number}/reply/", {"body": "hi"})
        assert response.status_code == 404
    assert not theirs.messages.exists()


# --- replies -------------------------------------------------------------------------------------


def test_a_reply_is_added_with_its_file_and_reopens_a_case_waiting_on_the_customer(
    portal_client, my_case, media_root
):
    # given a case waiting for the customer
    case = case_transition(case=my_case, to=Case.Status.OPEN, actor=None)
    case_transition(case=case, to=Case.Status.WAITING_ON_CUSTOMER, actor=None)

    # when they reply with a photo
    photo = SimpleUploadedFile("lid.png", PHOTO, content_type="image/png")
    response = portal_client.post(
        f"/portal/cases/{my_case.number}/reply/", {"body": "Photo attached.", "files": [photo]}
    )

    # then it is their public message with the file, the case is back with the team
    assert response.status_code == 302
    assert response.url == f"/portal/cases/{my_case.number}/"
    message = my_case.messages.order_by("-pk").first()
    assert (message.author_kind, message.visibility, message.body) == (
        "customer",
        "public",
        "Photo attached.",
    )
    assert message.attachments.get().filename == "lid.png"
    my_case.refresh_from_db()
    assert my_case.status == Case.Status.OPEN
    assert "Thank you, we have your message." in portal_client.get(response.url).content.decode()


def test_an_empty_reply_is_a_400_with_the_error_by_the_field(portal_client, my_case):
    response = portal_client.post(f"/portal/cases/{my_case.number}/reply/", {"body": ""})
    assert response.status_code == 400
    assert 'id="id_body_error"' in response.content.decode()
    assert my_case.messages.count() == 1


def test_a_closed_case_refuses_a_reply_kindly_and_stores_nothing(
    portal_client, my_case, media_root
):
    Case.objects.filter(pk=my_case.pk).update(status=Case.Status.CLOSED)
    photo = SimpleUploadedFile("lid.png", PHOTO, content_type="image/png")
    response = portal_client.post(
        f"/portal/cases/{my_case.number}/reply/", {"body": "Hello?", "files": [photo]}
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "This case is closed, so it takes no more messages." in page
    assert 'name="body"' not in page
    assert my_case.messages.count() == 1
    assert not Attachment.objects.exists()


def test_the_reply_route_takes_no_get(portal_client, my_case):
    assert portal_client.get(f"/portal/cases/{my_case.number}/reply/").status_code == 405
