"""The customer's has_active_cases flag (migration 0028) is kept without waiting for other
transactions that merely refer to the customer (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection, transaction

from tests.tickets.factories import CaseFactory, CustomerFactory, OrderFactory
from tickets.models import Customer

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_a_new_active_case_does_not_wait_for_a_transaction_that_refers_to_its_customer():
    customer = CustomerFactory()
    holding, done = threading.Event(), threading.Event()
    errors = []

    def order_in_an_open_transaction():
        # an order written for the customer, its foreign key checked at once (Django's are
        # checked at commit): the check holds a KEY SHARE lock on the customer's row until
        # this transaction ends
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                OrderFactory(customer=customer)
                holding.set()
                done.wait(timeout=10)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            holding.set()
            connection.close()

    other = threading.Thread(target=order_in_an_open_transaction)
    other.start()
    try:
        assert holding.wait(timeout=10)
        # when the customer's first active case is written meanwhile, it is written at once:
        # the trigger's lock on the customer does not wait for the other transaction
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            CaseFactory(customer=customer, status="open")
    finally:
        done.set()
        other.join()
    assert errors == []
    assert Customer.objects.get(pk=customer.pk).has_active_cases
