"""portal_case_open: one open case of a kind per item, also when two requests race."""

import pytest
from django.db import IntegrityError

from tests.tickets.factories import CaseFactory
from tickets.errors import CaseAlreadyOpen, OrderLineNotOfOrder
from tickets.models import Case
from tickets.services import portal_cases
from tickets.services.portal_cases import portal_case_open

pytestmark = pytest.mark.django_db


def _open(customer, order, line, **kwargs):
    return portal_case_open(
        customer=customer,
        order=order,
        order_line=line,
        kind=Case.Kind.GENERAL,
        subject="Broken: Kettle",
        description="It leaks.",
        **kwargs,
    )


def test_it_opens_a_portal_case_about_the_item_with_the_first_message(
    portal_customer, portal_order
):
    line = portal_order.lines.first()
    case = _open(portal_customer, portal_order, line)
    assert (case.channel, case.order_line, case.status) == (
        Case.Channel.PORTAL,
        line,
        Case.Status.NEW,
    )
    assert list(case.messages.values_list("author_kind", "body")) == [("customer", "It leaks.")]
    assert case.events.filter(verb="created").exists()


def test_an_open_case_of_the_kind_about_the_item_is_named_instead(portal_customer, portal_order):
    line = portal_order.lines.first()
    existing = CaseFactory(
        customer=portal_customer, order=portal_order, order_line=line, kind=Case.Kind.GENERAL
    )
    with pytest.raises(CaseAlreadyOpen) as refused:
        _open(portal_customer, portal_order, line)
    assert refused.value.case == existing
    assert existing.number in refused.value.message
    assert Case.objects.count() == 1


def test_the_race_lost_at_the_constraint_names_the_winner(
    portal_customer, portal_order, monkeypatch
):
    # given another request opened the case between this one's check and its insert
    line = portal_order.lines.first()
    winner = CaseFactory(
        customer=portal_customer, order=portal_order, order_line=line, kind=Case.Kind.GENERAL
    )
    real = portal_cases.portal_case_active_for_line
    calls = {"n": 0}

    def racing_check(**kwargs):
        calls["n"] += 1
        return None if calls["n"] == 1 else real(**kwargs)

    monkeypatch.setattr(portal_cases, "portal_case_active_for_line", racing_check)
    # and the model's own validation does not see it either, only the database's constraint
    monkeypatch.setattr(Case, "validate_constraints", lambda self, exclude=None: None)

    # when this request inserts, then it is told about the winner, and the transaction is usable
    with pytest.raises(CaseAlreadyOpen) as refused:
        _open(portal_customer, portal_order, line)
    assert refused.value.case == winner
    assert Case.objects.count() == 1


def test_an_item_of_another_order_is_refused(portal_customer, portal_order, stranger_order):
    with pytest.raises(OrderLineNotOfOrder):
        _open(portal_customer, portal_order, stranger_order.lines.get())
    assert not Case.objects.exists()


def test_without_an_item_the_database_error_is_not_hidden(
    portal_customer, portal_order, monkeypatch
):
    def broken(**kwargs):
        raise IntegrityError("something else")

    monkeypatch.setattr(portal_cases, "case_create", broken)
    with pytest.raises(IntegrityError):
        _open(portal_customer, portal_order, None)
