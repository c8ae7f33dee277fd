import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q

from tickets.models import Case, CaseEvent, Compensation, Customer, Message, Order, OrderLine, Team
from tickets.selectors.portal_access import portal_order_for

pytestmark = pytest.mark.django_db
LANGUAGES = {"en", "de", "fr", "es", "zh-hans"}
CURRENCIES = {"EUR", "USD", "GBP", "JPY", "CNY"}
MODELS = (Customer, Order, OrderLine, Case, Message, CaseEvent, Compensation, Team)


def seed_demo() -> str:
    stdout = io.StringIO()
    call_command("seed_demo", stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module, in a transaction rolled back after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_demo()
        transaction.set_rollback(True)


def test_it_covers_every_country_language_currency_kind_and_status(seeded):
    # given a seeded database, then
    customers, cases = Customer.objects.order_by(), Case.objects.order_by()
    assert customers.count() >= 50
    assert customers.values("country").distinct().count() >= 6
    assert set(customers.values_list("language", flat=True)) == LANGUAGES
    assert Order.objects.filter(store="demo").count() == 200
    assert set(Order.objects.values_list("currency", flat=True)) == CURRENCIES
    assert set(cases.values_list("kind", flat=True)) == set(Case.Kind.values)
    assert set(cases.values_list("status", flat=True)) == set(Case.Status.values)
    assert "Demo data: 60 customers in 10 countries, 200 orders, 70 cases" in seeded


def test_the_demo_is_the_same_on_every_run(seeded):
    # given the fixed seed and data files, then every database gets the same cases and money
    assert (
        "70 cases (13 new, 15 open, 8 waiting_on_customer, 8 waiting_on_return, "
        "5 waiting_on_carrier, 12 resolved, 9 closed), 13 compensations." in seeded
    )


def test_every_case_has_messages_and_a_timeline(seeded):
    # given a seeded database, then no case lacks a message or an event
    cases = Case.objects.annotate(
        messages_count=Count("messages", distinct=True), events_count=Count("events", distinct=True)
    )
    assert cases.exists()
    assert not cases.filter(Q(messages_count=0) | Q(events_count=0)).exists()


def test_compensation_above_the_limit_was_approved_by_the_supervisor(seeded):
    # given a seeded database, then large compensation past proposal has the supervisor's approval
    large = Compensation.objects.filter(needs_supervisor=True)
    approved = large.exclude(status=Compensation.Status.PROPOSED)
    assert approved.exists()
    assert set(approved.values_list("approved_by__username", flat=True)) == {"supervisor"}


def test_a_second_run_changes_nothing(seeded):
    # given the counts, case versions and row timestamps after the first run
    def snapshot():
        return (
            {model: model.objects.count() for model in MODELS},
            dict(Case.objects.values_list("number", "version")),
            dict(Customer.objects.values_list("email", "updated_at")),
            dict(Order.objects.values_list("number", "updated_at")),
        )

    before = snapshot()
    # when it runs again
    seed_demo()
    # then nothing was added, changed or moved
    assert snapshot() == before


@pytest.mark.parametrize(
    ("username", "password", "group", "is_staff"),
    [
        ("agent", "agent-demo", "Agents", False),
        ("supervisor", "supervisor-demo", "Supervisors", True),
    ],
)
def test_demo_users_log_in_with_their_role(seeded, client, username, password, group, is_staff):
    # when a demo user signs in through the login form, then it works (no lockout, no
    # two-factor code by default) and they hold their role
    response = client.post("/agent/login/", {"username": username, "password": password})
    assert response.status_code == 302
    assert response["Location"] == "/agent/"
    user = get_user_model().objects.get(username=username)
    assert list(user.groups.values_list("name", flat=True)) == [group]
    assert (user.is_staff, bool(user.first_name and user.last_name)) == (is_staff, True)


def test_yen_amounts_are_whole(seeded):
    # given the yen orders and their lines, then no amount has a fraction
    orders = Order.objects.filter(currency="JPY")
    amounts = [a for o in orders for a in (o.subtotal, o.shipping_total, o.tax_total, o.total)]
    amounts += OrderLine.objects.filter(order__currency="JPY").values_list("unit_price", flat=True)
    assert amounts
    assert all(amount == amount.to_integral_value() for amount in amounts)


def test_customers_and_orders_are_valid_and_add_up(seeded):
    # given a seeded database, then every row passes validation and every total adds up
    for customer in Customer.objects.all():
        customer.full_clean()
    for order in Order.objects.prefetch_related("lines"):
        order.full_clean()
        lines = order.lines.all()
        assert 1 <= len(lines) <= 3
        assert order.subtotal == sum(line.unit_price * line.quantity for line in lines)
        assert order.total == order.subtotal + order.shipping_total + order.tax_total


def test_it_prints_one_working_portal_sign_in(seeded):
    # given the seeded demo, then its output ends with an order number and email that match
    line = seeded.strip().splitlines()[-1]
    match = re.fullmatch(r"Portal sign-in: order (\S+) with (\S+@\S+)", line)
    assert match, line
    order, case = portal_order_for(reference=match.group(1), email=match.group(2))
    assert order is not None and case is None and order.cases.exists()
    # and --portal-hint prints the same line alone, for the `make run` banner
    stdout = io.StringIO()
    call_command("seed_demo", "--portal-hint", stdout=stdout)
    assert stdout.getvalue().strip() == line
