from datetime import timedelta

import pytest

from tests.tickets.factories import CustomerFactory, OrderFactory
from tickets.errors import OrderNotOfCustomer
from tickets.models import Case, CaseEvent, Message, SLAPolicy
from tickets.services.cases import case_create

K, P = Case.Kind, Case.Priority


def _create(customer, **kwargs):
    kwargs.setdefault("kind", K.DEFECT)
    kwargs.setdefault("subject", "Kettle does not heat")
    kwargs.setdefault("channel", Case.Channel.PORTAL)
    return case_create(customer=customer, **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "priority", "first_response_minutes", "resolution_minutes"),
    [
        (K.DEFECT, P.NORMAL, 480, 4320),
        (K.WRONG_ITEM, P.URGENT, 60, 720),
        (K.SHIPMENT_ISSUE, P.HIGH, 120, 2880),
        (K.GENERAL, P.LOW, 1440, 10080),
    ],
)
def test_due_times_come_from_the_sla_policy_of_kind_and_priority(
    customer, kind, priority, first_response_minutes, resolution_minutes
):
    # given the default policies written by migration 0002
    # when a case of `kind` and `priority` is opened
    case = _create(customer, kind=kind, priority=priority)
    # then its due times are the policy's minutes after opening
    case.refresh_from_db()
    assert case.first_response_due - case.created_at == timedelta(minutes=first_response_minutes)
    assert case.resolution_due - case.created_at == timedelta(minutes=resolution_minutes)
    assert (case.status, case.version, case.first_responded_at) == (Case.Status.NEW, 1, None)


@pytest.mark.django_db
def test_without_a_policy_the_case_opens_with_no_due_times(customer):
    # given no policy for defects
    SLAPolicy.objects.filter(kind=K.DEFECT).delete()
    # when a defect case is opened
    case = _create(customer, kind=K.DEFECT)
    # then it has no due times rather than made-up ones
    case.refresh_from_db()
    assert (case.first_response_due, case.resolution_due) == (None, None)


@pytest.mark.django_db
def test_opening_records_a_created_event(customer, agent_user):
    # when an agent opens a case by phone
    case = _create(customer, channel=Case.Channel.AGENT, priority=P.HIGH, actor=agent_user)
    # then the timeline starts with who opened it and how
    event = case.events.get()
    assert (event.verb, event.actor) == ("created", agent_user)
    assert event.data == {"kind": K.DEFECT, "channel": Case.Channel.AGENT, "priority": P.HIGH}


@pytest.mark.django_db
def test_the_description_becomes_the_first_customer_message(customer):
    # when a customer opens a case with their own words
    case = _create(customer, description="It stopped heating after two days.")
    # then those words are the first public customer message and on the timeline
    message = case.messages.get()
    assert (message.author_kind, message.visibility, message.body, message.author_user) == (
        Message.Author.CUSTOMER,
        Message.Visibility.PUBLIC,
        "It stopped heating after two days.",
        None,
    )
    assert list(case.events.values_list("verb", flat=True)) == ["created", "message_added"]
    # and a customer's words are no agent's first response
    assert case.first_responded_at is None
    assert case.status == Case.Status.NEW


@pytest.mark.django_db
def test_without_a_description_there_is_no_message(customer):
    case = _create(customer)
    assert case.messages.count() == 0


@pytest.mark.django_db
def test_the_order_of_the_customer_is_linked(customer):
    order = OrderFactory(customer=customer)
    case = _create(customer, order=order)
    case.refresh_from_db()
    assert case.order == order


@pytest.mark.django_db
def test_an_order_of_another_customer_is_refused_and_nothing_is_written(customer):
    # given an order that belongs to someone else
    strangers_order = OrderFactory(customer=CustomerFactory())
    # when a case is opened for `customer` on it
    with pytest.raises(OrderNotOfCustomer) as excinfo:
        _create(customer, order=strangers_order, description="Where is my parcel?")
    # then it is refused with a readable message and nothing is stored
    assert excinfo.value.code == "order_not_of_customer"
    assert str(excinfo.value) == "That order belongs to another customer."
    assert (Case.objects.count(), Message.objects.count(), CaseEvent.objects.count()) == (0, 0, 0)


@pytest.mark.django_db
def test_language_defaults_to_the_customers():
    # given a French customer
    customer = CustomerFactory(language="fr")
    # when a case is opened without a language
    case = _create(customer)
    # then the case speaks French
    case.refresh_from_db()
    assert case.language == "fr"


@pytest.mark.django_db
def test_an_explicit_language_wins_over_the_customers():
    customer = CustomerFactory(language="fr")
    case = _create(customer, language="es")
    case.refresh_from_db()
    assert case.language == "es"
