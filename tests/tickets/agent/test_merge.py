"""Merging a duplicate case: everything moves to the case kept, the duplicate closes, the
customer is told; refusals are clear 4xx pages."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.tickets.agent.conftest import render_tag, tag
from tests.tickets.factories import (
    CaseFactory,
    CustomerFactory,
    NotificationFactory,
    OrderFactory,
    OrderLineFactory,
    agent,
)
from tickets.errors import StaleVersion
from tickets.models import Attachment, Case, CaseEvent, Compensation, Message, Notification
from tickets.services.compensations import compensation_propose
from tickets.services.merges import CaseMergeRefused, case_merge
from tickets.services.messages import message_add
from tickets.services.sms_texts import sms_segments

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(daytime, media_root):
    """Two open cases of one customer: the duplicate (with a photo, a note, a compensation, a
    tag, an order item) and the case to keep (no order)."""
    source = CaseFactory(
        status=Case.Status.OPEN, language="en", customer=CustomerFactory(sms_consent=True)
    )
    target = CaseFactory(
        status=Case.Status.OPEN, customer=source.customer, order=None, language="en"
    )
    line = OrderLineFactory(order=source.order)
    Case.objects.filter(pk=source.pk).update(order_line=line)
    source.refresh_from_db()
    upload = SimpleUploadedFile("kettle.png", b"png", content_type="image/png")
    message_add(case=source, body="Photo", author_kind="customer", actor=None, attachments=[upload])
    compensation_propose(
        case=source, kind="refund", amount=Decimal("5.00"), currency="EUR", actor=None
    )
    NotificationFactory(case=source, customer=source.customer)
    source.tags.add(tag("photo"))
    source.refresh_from_db()
    return source, target


def test_everything_moves_the_duplicate_closes_and_the_customer_is_told(pair, agent_user):
    source, target = pair
    messages = set(Message.objects.filter(case=source).values_list("pk", flat=True))
    events = set(CaseEvent.objects.filter(case=source).values_list("pk", flat=True))
    sent_before = set(Notification.objects.filter(case=source).values_list("pk", flat=True))
    # when
    case_merge(source=source, target=target, actor=agent_user)
    # then the rows moved
    assert set(Message.objects.filter(case=target).values_list("pk", flat=True)) == messages
    assert Attachment.objects.get().message.case == target
    assert events <= set(CaseEvent.objects.filter(case=target).values_list("pk", flat=True))
    assert sent_before
    assert sent_before <= set(Notification.objects.filter(case=target).values_list("pk", flat=True))
    assert Compensation.objects.get().case == target
    assert not Message.objects.filter(case=source).exists()
    # and the case kept took the tags, the order and the item
    target.refresh_from_db()
    source.refresh_from_db()
    assert list(target.tags.values_list("name", flat=True)) == ["photo"]
    assert (target.order_id, target.order_line_id) == (source.order_id, source.order_line_id)
    # and the duplicate is closed and points at the case kept
    assert source.status == Case.Status.CLOSED
    assert source.merged_into == target
    assert source.closed_at is not None
    # with an event on each side
    into = source.events.get(verb="merged_into")
    assert into.data["target"] == target.number
    assert into.actor == agent_user
    assert target.events.get(verb="merged_from").data["source"] == source.number
    closed = source.events.get(verb="status_changed")
    assert closed.data["reason"] == "merged"
    # and the customer got one email and one text about the case kept
    told = Notification.objects.filter(template="case_merged")
    assert sorted(told.values_list("channel", flat=True)) == ["email", "sms"]
    assert {row.case_id for row in told} == {target.pk}
    email = told.get(channel="email")
    assert source.number in email.body and target.number in email.body
    assert target.number in email.subject
    # nobody was told the duplicate was "resolved"
    assert not Notification.objects.filter(template="case_resolved").exists()


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_customer_is_told_in_their_language_and_the_text_fits_one_sms(
    daytime, agent_user, language
):
    source = CaseFactory(
        status=Case.Status.OPEN, language=language, customer=CustomerFactory(sms_consent=True)
    )
    target = CaseFactory(status=Case.Status.OPEN, customer=source.customer, language=language)
    case_merge(source=source, target=target, actor=agent_user)
    sms = Notification.objects.get(template="case_merged", channel="sms")
    assert sms_segments(sms.body) == 1
    assert source.number in sms.body and target.number in sms.body
    if language != "en":
        email = Notification.objects.get(template="case_merged", channel="email")
        assert "now in one case" not in email.subject


def test_a_target_with_its_own_order_keeps_it(daytime, agent_user):
    source = CaseFactory(status=Case.Status.OPEN)
    other_order = OrderFactory(customer=source.customer)
    target = CaseFactory(status=Case.Status.NEW, customer=source.customer, order=other_order)
    case_merge(source=source, target=target, actor=agent_user)
    target.refresh_from_db()
    assert target.order == other_order


@pytest.mark.parametrize(
    "status",
    [Case.Status.NEW, Case.Status.WAITING_ON_CARRIER, Case.Status.RESOLVED],
)
def test_a_duplicate_in_any_open_status_closes(daytime, agent_user, status):
    source = CaseFactory(status=status)
    target = CaseFactory(status=Case.Status.OPEN, customer=source.customer)
    case_merge(source=source, target=target, actor=agent_user)
    source.refresh_from_db()
    assert source.status == Case.Status.CLOSED


def refusal(source, target, agent_user):
    with pytest.raises(CaseMergeRefused) as refused:
        case_merge(source=source, target=target, actor=agent_user)
    return str(refused.value)


def test_refusals_write_nothing(daytime, agent_user):
    case = CaseFactory(status=Case.Status.OPEN)
    other_customer = CaseFactory(status=Case.Status.OPEN)
    closed = CaseFactory(status=Case.Status.CLOSED, customer=case.customer)
    assert "itself" in refusal(case, case, agent_user)
    assert "another customer" in refusal(case, other_customer, agent_user)
    assert "closed" in refusal(case, closed, agent_user)
    assert "closed" in refusal(closed, case, agent_user)
    assert not CaseEvent.objects.exists()
    assert not Notification.objects.filter(template="case_merged").exists()


def test_a_merged_case_cannot_be_merged_again(daytime, agent_user):
    source = CaseFactory(status=Case.Status.OPEN)
    target = CaseFactory(status=Case.Status.OPEN, customer=source.customer)
    third = CaseFactory(status=Case.Status.OPEN, customer=source.customer)
    case_merge(source=source, target=target, actor=agent_user)
    source.refresh_from_db()
    assert "already merged" in refusal(third, source, agent_user)


def test_a_duplicate_changed_meanwhile_is_refused(daytime, agent_user):
    source = CaseFactory(status=Case.Status.OPEN)
    target = CaseFactory(status=Case.Status.OPEN, customer=source.customer)
    Case.objects.filter(pk=source.pk).update(version=5)
    with pytest.raises(StaleVersion):
        case_merge(source=source, target=target, actor=agent_user)
    assert Case.objects.get(pk=source.pk).merged_into is None


# --- the page -------------------------------------------------------------------------------------


def url(case):
    return reverse("tickets:agent-case-merge", args=[case.number])


def test_the_page_asks_for_the_case_to_keep_and_offers_the_customers_others(agent_client):
    source = CaseFactory(status=Case.Status.OPEN)
    other = CaseFactory(status=Case.Status.OPEN, customer=source.customer, subject="Same kettle")
    CaseFactory(status=Case.Status.CLOSED, customer=source.customer, subject="Old closed one")
    response = agent_client.get(url(source))
    assert response.status_code == 200
    assert b'name="target"' in response.content
    assert b"Same kettle" in response.content
    assert b"Old closed one" not in response.content
    assert f"?target={other.number}".encode() in response.content


def test_confirm_then_merge(daytime, agent_client):
    source = CaseFactory(status=Case.Status.OPEN)
    target = CaseFactory(status=Case.Status.OPEN, customer=source.customer)
    # when the agent names the case to keep, the page shows both and what will happen
    confirm = agent_client.get(url(source), {"target": target.number.lower() + " "})
    assert confirm.status_code == 200
    assert f"Merge {source.number} into {target.number}".encode() in confirm.content
    assert source.customer.email.encode() in confirm.content
    # when they confirm
    response = agent_client.post(url(source), {"target": target.number, "version": "1"})
    # then
    assert response.status_code == 303
    source.refresh_from_db()
    assert source.merged_into == target
    # and the duplicate's page says where it went
    page = agent_client.get(url(source))
    assert b"Merged into" in page.content
    assert target.number.encode() in page.content


@pytest.mark.parametrize(
    ("make_target", "status", "message"),
    [
        (lambda source: source, 409, b"cannot be merged into itself"),
        (lambda source: CaseFactory(), 409, b"belongs to another customer"),
        (
            lambda source: CaseFactory(status=Case.Status.CLOSED, customer=source.customer),
            409,
            b"is closed",
        ),
        (lambda source: Case(number="AS-NOPE-NOPE"), 404, b"There is no case AS-NOPE-NOPE"),
    ],
)
def test_refusals_are_clear_4xx_pages(agent_client, make_target, status, message):
    source = CaseFactory(status=Case.Status.OPEN)
    target = make_target(source)
    for response in (
        agent_client.get(url(source), {"target": target.number}),
        agent_client.post(url(source), {"target": target.number, "version": "1"}),
    ):
        assert response.status_code == status
        assert message in response.content
    assert Case.objects.get(pk=source.pk).merged_into is None


def test_an_empty_number_is_a_400(agent_client):
    response = agent_client.get(url(CaseFactory()), {"target": " "})
    assert response.status_code == 400
    assert b"This field is required" in response.content


def test_a_stale_duplicate_asks_to_reload(daytime, agent_client):
    source = CaseFactory(status=Case.Status.OPEN)
    target = CaseFactory(status=Case.Status.OPEN, customer=source.customer)
    response = agent_client.post(url(source), {"target": target.number, "version": "0"})
    assert response.status_code == 409
    assert b"Reload it" in response.content


def test_a_case_to_keep_out_of_sight_is_as_unknown_as_a_missing_one(
    agent_client, agent_user, settings
):
    settings.CASE_VISIBILITY = "own"
    source = CaseFactory(status=Case.Status.OPEN, assignee=agent_user)
    hidden = CaseFactory(
        status=Case.Status.OPEN, customer=source.customer, assignee=agent(username="bob")
    )
    response = agent_client.post(url(source), {"target": hidden.number, "version": "1"})
    assert response.status_code == 404
    assert f"There is no case {hidden.number}".encode() in response.content
    assert hidden.subject.encode() not in response.content


def test_the_page_takes_the_same_queries_with_few_or_many_rows(
    daytime, agent_client, django_assert_num_queries
):
    source = CaseFactory(status=Case.Status.OPEN)
    target = CaseFactory(status=Case.Status.OPEN, customer=source.customer)
    agent_client.get(url(source))
    # session, each case with its tags (the signed-in user and the permissions with groups are
    # kept in the cache)
    with django_assert_num_queries(5) as few:
        agent_client.get(url(source), {"target": target.number})
    for _ in range(15):
        CaseFactory(status=Case.Status.OPEN, customer=source.customer)
        message_add(case=source, body="again", author_kind="customer", actor=None)
    source.refresh_from_db()
    with django_assert_num_queries(len(few)):
        agent_client.get(url(source), {"target": target.number})
    # the case to merge with its tags, and the customer's other cases
    with django_assert_num_queries(len(few) - 1):
        response = agent_client.get(url(source))
    assert response.content.count(b"?target=") == 10


def test_the_merge_action_links_to_the_page_or_says_where_it_went(daytime, agent_user):
    source = CaseFactory(status=Case.Status.OPEN)
    target = CaseFactory(status=Case.Status.OPEN, customer=source.customer)
    html = render_tag("{% merge_action case %}", user=agent_user, case=source)
    assert url(source) in html
    case_merge(source=source, target=target, actor=agent_user)
    source.refresh_from_db()
    html = render_tag("{% merge_action case %}", user=agent_user, case=source)
    assert "Merged into" in html and target.number in html
