"""The stored priority rank and active flag, and the email lookup the lists' indexes rely on."""

import pytest

from tests.tickets.factories import CaseFactory, CustomerFactory
from tickets.models import Case, Customer

CASES = "/api/v1/cases/"


@pytest.mark.django_db
def test_the_database_keeps_the_priority_rank_in_step_with_the_priority():
    # given a case of each priority
    for priority in ("urgent", "low", "high", "normal"):
        CaseFactory(subject=priority, priority=priority)
    # then each has its rank, low 0 to urgent 3
    ranks = dict(Case.objects.values_list("priority", "priority_rank"))
    assert ranks == {"low": 0, "normal": 1, "high": 2, "urgent": 3}
    # and a change of priority, even by a bulk update, moves the rank with it
    Case.objects.filter(priority="low").update(priority="urgent")
    assert set(Case.objects.filter(subject="low").values_list("priority_rank", flat=True)) == {3}


@pytest.mark.django_db
def test_the_database_keeps_the_active_flag_in_step_with_the_status():
    # given a case in each status
    for status in Case.Status.values:
        CaseFactory(subject=status, status=status)
    # then exactly the active statuses are flagged active
    flags = dict(Case.objects.values_list("status", "active"))
    assert flags == {status: status in Case.ACTIVE_STATUSES for status in Case.Status.values}
    # and a bulk update of the status moves the flag with it, both ways
    Case.objects.filter(status="new").update(status="closed")
    Case.objects.filter(subject="resolved").update(status="open")
    flags = dict(Case.objects.values_list("subject", "active"))
    assert flags["new"] is False
    assert flags["resolved"] is True


@pytest.mark.django_db
def test_ordering_by_priority_sorts_by_urgency_through_the_rank(writer):
    # given cases of every priority, made in an order that is none of the sorted ones
    for priority in ("high", "low", "urgent", "normal", "high"):
        CaseFactory(priority=priority)
    # when the list is sorted by priority, either way
    up = writer.get(CASES, {"ordering": "priority"}).json()["results"]
    down = writer.get(CASES, {"ordering": "-priority"}).json()["results"]
    # then the order is by urgency, not by the words
    assert [row["priority"] for row in up] == ["low", "normal", "high", "high", "urgent"]
    assert [row["priority"] for row in down] == ["urgent", "high", "high", "normal", "low"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "asked", ["Mia.Wong@Example.com", "mia.wong@example.com", "MIA.WONG@EXAMPLE.COM"]
)
def test_an_email_lookup_ignores_case_as_before(asked):
    # given a customer whose address has capitals
    mia = CustomerFactory(email="Mia.Wong@Example.com")
    CustomerFactory(email="mia.wong@example.co")
    # then any spelling of the whole address finds her, through a relation too
    assert list(Customer.objects.filter(email__iexact=asked)) == [mia]
    assert Customer.objects.filter(email__iexact=asked.replace(".", "_", 1)).count() == 0
    assert Customer.objects.filter(email__iexact=asked[:-1]).exclude(pk=mia.pk).count() == 1
    CaseFactory(customer=mia)
    assert Case.objects.filter(customer__email__iexact=asked).count() == 1


@pytest.mark.django_db
def test_an_email_lookup_compares_the_lowercased_address_the_unique_index_holds():
    # the index is on LOWER(email): a lookup the database can answer from it says the same
    sql = str(Customer.objects.filter(email__iexact="a@b.c").query)
    assert 'LOWER("tickets_customer"."email") = LOWER(' in sql


@pytest.mark.django_db
def test_the_api_email_filter_ignores_case_and_matches_whole_addresses(writer):
    CustomerFactory(email="Mia.Wong@Example.com")
    CustomerFactory(email="wong@example.com")
    rows = writer.get("/api/v1/customers/", {"email": "MIA.WONG@example.COM"}).json()["results"]
    assert [row["email"] for row in rows] == ["Mia.Wong@Example.com"]
