"""A status change that rolls back tells the customer nothing: its outbox row goes with the
transaction, and its delivery is queued only on commit."""

import pytest
from django.core import mail
from django.db import transaction

from tests.tickets.delivery.harness import outbox_counts
from tests.tickets.factories import CaseFactory
from tickets.models import Case, Notification
from tickets.services.cases import case_transition


class Boom(Exception):
    pass


def transition_rolled_back(case: Case, agent_user) -> None:
    with pytest.raises(Boom), transaction.atomic():
        case_transition(case=case, to=Case.Status.WAITING_ON_CUSTOMER, actor=agent_user)
        raise Boom


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_status_change_sends_nothing(agent_user):
    # given an open case (real commits; tasks run eagerly, email stays in memory)
    case = CaseFactory(status=Case.Status.OPEN)
    # when a status change the customer hears about rolls back
    transition_rolled_back(case, agent_user)
    # then no outbox row is left and no email went out
    assert Notification.objects.count() == 0
    assert mail.outbox == []
    # and the same change committed sends exactly one
    case_transition(case=case, to=Case.Status.WAITING_ON_CUSTOMER, actor=agent_user)
    assert [m.to for m in mail.outbox] == [[case.customer.email]]


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_status_change_reaches_no_real_worker(agent_user, delivery):
    # given an open case
    case = CaseFactory(status=Case.Status.OPEN)
    # when a status change rolls back
    transition_rolled_back(case, agent_user)
    # then nothing was queued for a worker
    assert delivery.broker.queued() == 0
    # and when a worker runs and the same change commits, only that change's email arrives
    delivery.start_worker()
    case_transition(case=case, to=Case.Status.WAITING_ON_CUSTOMER, actor=agent_user)
    delivery.wait_until(
        lambda: outbox_counts() == {Notification.Status.SENT: 1}, timeout=30, what="one sent"
    )
    delivery.wait_until(lambda: delivery.broker.queued() == 0, timeout=30, what="queue drained")
    [row] = Notification.objects.all()
    assert row.template == "case_status_changed"
    assert dict(delivery.mailbox.copies) == {row.message_id: 1}
