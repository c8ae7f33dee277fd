"""`import_orders` with the optional columns: phones read in the customer's country, line ids
and discounts, the shop's updated-at, and orders that cannot change customer."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from tests.tickets.factories import CaseFactory
from tickets.models import Customer, Order, OrderLine

pytestmark = pytest.mark.django_db
HEADER = (
    "order_number,placed_at,currency,customer_email,customer_phone,customer_country,"
    "shipping_country,shipping_total,shipping_discount,total,shop_updated_at,"
    "sku,title,quantity,unit_price,discount,line_id"
)


def import_rows(tmp_path, *rows: str, name: str = "orders.csv") -> tuple[str, list[dict]]:
    """The command's output and its report's rows."""
    path, report = tmp_path / name, tmp_path / f"{name}.rejected.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    stdout = io.StringIO()
    call_command(
        "import_orders", str(path), "--report", str(report), stdout=stdout, stderr=io.StringIO()
    )
    with report.open(encoding="utf-8") as file:
        return stdout.getvalue(), list(csv.DictReader(file))


def test_a_national_phone_is_stored_in_e164_form(tmp_path):
    # when Mia's number comes as Germans write it, with her country
    output, rejected = import_rows(
        tmp_path, "1001,2026-03-01,EUR,mia@example.com,0151 23456789,DE,DE,0,,50,,KET,Kettle,1,50,,"
    )
    # then the order is imported and the number stored in E.164 form
    assert rejected == []
    assert Customer.objects.get().phone == "+4915123456789"


def test_a_phone_that_cannot_be_read_rejects_its_order_naming_the_column(tmp_path):
    output, rejected = import_rows(
        tmp_path, "1001,2026-03-01,EUR,mia@example.com,0151 1234,DE,DE,0,,50,,KET,Kettle,1,50,,"
    )
    assert [(r["line"], r["field"], r["message"]) for r in rejected] == [
        ("2", "customer_phone", "“0151 1234” is not a valid phone number in Germany.")
    ]
    assert not Order.objects.exists()


def test_line_ids_discounts_and_the_shipping_discount_are_imported(tmp_path):
    # when an order with a discounted line, a free gift and free shipping is imported
    rows = [
        "1001,2026-03-01,EUR,mia@example.com,,DE,DE,0,4.90,92.83,,KET,Kettle,2,49.90,9.98,L1",
        "1001,2026-03-01,EUR,mia@example.com,,DE,DE,0,4.90,92.83,,BAG,Gift bag,1,2.99,2.99,L2",
    ]
    _output, rejected = import_rows(tmp_path, *rows)
    # then each line has its id, discount and total after it
    assert rejected == []
    assert list(OrderLine.objects.values_list("external_id", "discount", "total")) == [
        ("L1", Decimal("9.980"), Decimal("89.820")),
        ("L2", Decimal("2.990"), Decimal("0.000")),
    ]
    order = Order.objects.get()
    assert (order.subtotal, order.shipping_discount) == (Decimal("89.820"), Decimal("4.900"))


def test_a_line_keeps_its_id_when_a_later_file_changes_its_sku(tmp_path):
    row = "1001,2026-03-01,EUR,mia@example.com,,DE,DE,0,,50,,{sku},Kettle,1,50,,L1"
    import_rows(tmp_path, row.format(sku="KET"))
    line = OrderLine.objects.get()
    output, _rejected = import_rows(tmp_path, row.format(sku="KET-EU"), name="again.csv")
    assert "updated 1" in output
    assert list(OrderLine.objects.values_list("pk", "sku")) == [(line.pk, "KET-EU")]


def test_an_order_older_than_the_stored_one_is_counted_stale(tmp_path):
    # given the order as the shop changed it at 12:00
    row = "1001,2026-03-01,EUR,mia@example.com,,DE,DE,0,,{total},{at},KET,Kettle,1,{total},,"
    import_rows(tmp_path, row.format(total="50", at="2026-03-02T12:00:00+00:00"))
    # when a file with the version of 11:00 is imported
    output, rejected = import_rows(
        tmp_path, row.format(total="40", at="2026-03-02T11:00:00Z"), name="older.csv"
    )
    # then it is counted stale and the order stays as it is
    assert "Created 0, updated 0, unchanged 0, stale 1, rejected 0 orders" in output
    assert rejected == []
    assert Order.objects.get().total == Decimal(50)


def test_an_order_with_cases_that_would_change_customer_is_rejected_with_the_reason(tmp_path):
    # given order 1001 of Mia, with a case
    row = "{number},2026-03-01,EUR,{email},,DE,DE,0,,50,,KET,Kettle,1,50,,"
    import_rows(tmp_path, row.format(number="1001", email="mia@example.com"))
    order = Order.objects.get()
    CaseFactory(customer=order.customer, order=order)
    # when a file gives it to Leo, next to a new order of his
    output, rejected = import_rows(
        tmp_path,
        row.format(number="1001", email="leo@example.com"),
        row.format(number="1002", email="leo@example.com"),
        name="moved.csv",
    )
    # then 1001 is rejected with the reason, and 1002 is imported
    assert [(r["line"], r["order_number"], r["field"], r["message"]) for r in rejected] == [
        (
            "2",
            "1001",
            "customer_email",
            "Order 1001 has support cases, so it stays with its customer mia@example.com; it "
            "cannot move to another customer.",
        )
    ]
    assert "Created 1, updated 0, unchanged 0, stale 0, rejected 1 orders" in output
    assert dict(Order.objects.values_list("number", "customer__email")) == {
        "1001": "mia@example.com",
        "1002": "leo@example.com",
    }
