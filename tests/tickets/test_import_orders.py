import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from tests.tickets.factories import CustomerFactory
from tickets.models import Customer, Order, OrderLine

pytestmark = pytest.mark.django_db
HEADER = (
    "order_number,placed_at,currency,customer_email,customer_name,customer_phone,"
    "customer_country,customer_language,shipping_country,subtotal,shipping_total,tax_total,"
    "total,insured,sku,title,quantity,unit_price"
)
MIA = "mia@example.com,Mia Park,+4915112345678,DE,de,DE"
KEN = "ken@example.jp,Ken Sato,,JP,en,JP"
# Lines 2-9 of the file: two good orders (1001 split around 1002), four bad ones.
ROWS = [
    f"1001,2026-03-01T14:30:00+01:00,EUR,{MIA},,4.90,,69.80,true,KET-1,Kettle,1,49.90",
    f"1002,2026-03-02,JPY,{KEN},,0,,5000,,TEA-1,Tea,2,2500",
    f"1001,2026-03-01T14:30:00+01:00,EUR,{MIA},,4.90,,69.80,true,MUG-2,Mug,2,7.50",
    f"1003,2026-03-03,JPY,{KEN},,0,,5000.50,,TEA-1,Tea,1,5000.50",
    f"1004,yesterday,EUR,{MIA},,0,,12.50,,KET-1,Kettle,1,12.50",
    f"1005,2026-03-03,EUR,{MIA},,0,,twelve,,KET-1,Kettle,1.5,12",
    "1006,2026-03-03,EUR,not-an-email,,,,,DE,,0,,10,,KET-1,Kettle,1,10",
    "1006,2026-03-03,EUR,not-an-email,,,,,DE,,0,,10,,KET-1,Kettle,0,10",
]


def write_csv(tmp_path, rows=ROWS, header=HEADER, bom=False, name="orders.csv"):
    path = tmp_path / name
    text = "\n".join([header, *rows]) + "\n"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode())
    return path


def import_orders(path, *args) -> str:
    stdout = io.StringIO()
    call_command("import_orders", str(path), *args, stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


def summary(output: str) -> dict[str, int]:
    """The figures of the final line, by name."""
    last = output.strip().splitlines()[-1]
    pattern = (
        r"(?:Created|create) (\d+), (?:updated|update) (\d+), (?:unchanged|leave) (\d+)"
        r".*?reject(?:ed)? (\d+) orders \((\d+) rows\); customers: (\d+) new, (\d+) updated"
    )
    figures = re.search(pattern, last).groups()
    names = ["created", "updated", "unchanged", "rejected", "rejected_rows", "new", "changed"]
    return dict(zip(names, map(int, figures), strict=True))


def test_it_imports_good_orders_and_reports_the_bad_rows(tmp_path):
    # given a file with two good orders and four bad ones
    path = write_csv(tmp_path)
    report = tmp_path / "rejected.csv"

    # when it is imported
    output = import_orders(path, "--report", str(report))

    # then the good orders are stored and the rest are counted as rejected
    assert summary(output) == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 4,
        "rejected_rows": 5,
        "new": 2,
        "changed": 0,
    }
    assert re.search(r"8 rows in [\d.]+ s \([\d,]+ rows/s\)\.$", output.strip())
    assert set(Order.objects.values_list("number", flat=True)) == {"1001", "1002"}
    mia_order = Order.objects.get(number="1001")
    assert mia_order.insured
    assert mia_order.subtotal == Decimal("64.90")
    assert Order.objects.get(number="1002").total == Decimal(5000)
    assert OrderLine.objects.count() == 3


def test_the_report_names_line_order_field_and_reason(tmp_path):
    # given a file with bad rows, when it is imported with a report
    report = tmp_path / "rejected.csv"
    output = import_orders(write_csv(tmp_path), "--report", str(report))

    # then the report lists each bad cell by line, in the file's words
    with report.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [(r["line"], r["order_number"], r["field"], r["message"]) for r in rows] == [
        ("5", "1003", "total", "JPY amounts have 0 decimal places."),
        ("5", "1003", "unit_price", "JPY amounts have 0 decimal places."),
        (
            "6",
            "1004",
            "placed_at",
            "“yesterday” is not a date or time in ISO-8601 form, such as "
            "2026-03-01T14:30:00+01:00 or 2026-03-01.",
        ),
        ("7", "1005", "quantity", "“1.5” is not a whole number."),
        (
            "7",
            "1005",
            "total",
            "“twelve” is not an amount: write it like 1234.50, with a point and without "
            "currency signs or thousands separators.",
        ),
        ("8", "1006", "customer_email", "Enter a valid email address."),
        ("9", "1006", "customer_email", "Enter a valid email address."),
        ("9", "1006", "quantity", "Ensure this value is greater than or equal to 1."),
    ]
    # and the same reasons are printed
    assert "line 7, order 1005: quantity: “1.5” is not a whole number." in output


def test_a_good_line_of_a_bad_order_is_rejected_with_a_pointer(tmp_path):
    # given an order whose second line is bad
    rows = [
        f"2001,2026-03-01,EUR,{MIA},,0,,10,,A,A,1,10",
        f"2001,2026-03-01,EUR,{MIA},,0,,10,,B,B,x,10",
    ]

    # when it is imported with a report
    report = tmp_path / "rejected.csv"
    import_orders(write_csv(tmp_path, rows), "--report", str(report))

    # then nothing of it is stored, and its good line points at the bad one
    assert not Order.objects.exists()
    with report.open(encoding="utf-8") as file:
        lines = [(r["line"], r["field"], r["message"]) for r in csv.DictReader(file)]
    assert lines == [
        ("2", "", "Not imported: order 2001 has errors on line 3."),
        ("3", "quantity", "“x” is not a whole number."),
    ]


def test_lines_that_disagree_on_an_order_column_reject_the_order(tmp_path):
    # given two lines of one order with different totals
    rows = [
        f"2001,2026-03-01,EUR,{MIA},,0,,10,,A,A,1,5",
        f"2001,2026-03-01,EUR,{MIA},,0,,12,,B,B,1,5",
    ]

    # when it is imported
    output = import_orders(write_csv(tmp_path, rows))

    # then the order is refused, saying which line differs
    assert summary(output)["rejected"] == 1
    assert not Order.objects.exists()
    assert "line 3, order 2001: total: Differs from line 2 of the same order" in output


def test_a_dry_run_counts_but_writes_nothing(tmp_path):
    # given a file, when it is dry-run
    output = import_orders(write_csv(tmp_path), "--dry-run")

    # then it says what it would do, and nothing is stored
    assert output.strip().splitlines()[-1].startswith("Dry run, nothing written.")
    assert summary(output)["created"] == 2
    assert summary(output)["rejected"] == 4
    assert not Order.objects.exists()
    assert not Customer.objects.exists()


def test_a_second_run_of_the_same_file_changes_nothing(tmp_path):
    # given an imported file
    path = write_csv(tmp_path)
    import_orders(path)
    stamps = sorted(Order.objects.values_list("number", "updated_at"))
    customer_stamps = sorted(Customer.objects.values_list("email", "updated_at"))

    # when it is imported again
    output = import_orders(path)

    # then everything is unchanged, to the timestamp
    figures = summary(output)
    assert (figures["created"], figures["updated"], figures["unchanged"]) == (0, 0, 2)
    assert (figures["new"], figures["changed"]) == (0, 0)
    assert sorted(Order.objects.values_list("number", "updated_at")) == stamps
    assert sorted(Customer.objects.values_list("email", "updated_at")) == customer_stamps


def test_a_changed_file_updates_the_orders_it_changes(tmp_path):
    # given an imported file
    import_orders(write_csv(tmp_path))

    # when order 1002 comes again with another price
    rows = [f"1002,2026-03-02,JPY,{KEN},,0,,6000,,TEA-1,Tea,2,3000"]
    output = import_orders(write_csv(tmp_path, rows, name="changed.csv"))

    # then it alone is updated
    assert summary(output)["updated"] == 1
    order = Order.objects.get(number="1002")
    assert order.total == Decimal(6000)
    assert list(order.lines.values_list("unit_price", flat=True)) == [Decimal(3000)]


def test_a_missing_column_stops_before_anything_is_written(tmp_path):
    # given a file without the total and quantity columns
    header = HEADER.replace(",total,", ",").replace(",quantity,", ",")
    path = write_csv(tmp_path, rows=["1001,..."], header=header)

    # when it is imported, then the command names the missing columns
    with pytest.raises(CommandError, match="lacks the required column.s. total, quantity"):
        import_orders(path)
    assert not Order.objects.exists()


def test_a_semicolon_separated_file_gets_a_hint(tmp_path):
    # given a file exported with semicolons
    path = write_csv(tmp_path, rows=[], header=HEADER.replace(",", ";"))

    # when it is imported, then the command says how to fix it
    with pytest.raises(CommandError, match="separated by semicolons: export it with commas"):
        import_orders(path)


def test_a_row_without_order_number_is_rejected_alone(tmp_path):
    # given a good order and a row without an order number
    rows = [ROWS[1], f",2026-03-02,JPY,{KEN},,0,,5000,,TEA-1,Tea,2,2500"]

    # when it is imported
    output = import_orders(write_csv(tmp_path, rows))

    # then the good order is stored and the row is refused on its own
    assert (summary(output)["created"], summary(output)["rejected"]) == (1, 1)
    assert "line 3: order_number: This field cannot be blank." in output


def test_a_byte_order_mark_is_ignored(tmp_path):
    # given a file saved with a UTF-8 byte-order mark (as Excel does)
    path = write_csv(tmp_path, rows=ROWS[:3], bom=True)

    # when it is imported, then the first column is still order_number
    output = import_orders(path)
    assert summary(output)["created"] == 2
    assert summary(output)["rejected"] == 0


def test_rows_of_one_order_need_not_be_adjacent(tmp_path):
    # given order 1001's lines on lines 2 and 4, around order 1002
    path = write_csv(tmp_path, rows=ROWS[:3])

    # when it is imported in batches of one order
    import_orders(path, "--batch-size", "1")

    # then 1001 is one order with both lines
    order = Order.objects.get(number="1001")
    assert list(order.lines.values_list("sku", flat=True)) == ["KET-1", "MUG-2"]
    assert Order.objects.count() == 2


def test_a_customer_gets_the_details_of_their_latest_order(tmp_path):
    # given a stored customer and two orders of theirs with different names, the newer first
    CustomerFactory(email="mia@example.com", name="Old Name", phone="+4915112345678")
    rows = [
        "3002,2026-03-05,EUR,MIA@example.com,Mia Park-Lee,,,,DE,,,,10,,A,A,1,10",
        "3001,2026-03-01,EUR,mia@example.com,Mia Park,,,,DE,,,,10,,A,A,1,10",
    ]

    # when they are imported in separate batches
    output = import_orders(write_csv(tmp_path, rows), "--batch-size", "1")

    # then the customer carries the newer name, their phone kept, and was written once
    customer = Customer.objects.get()
    assert (customer.name, customer.phone) == ("Mia Park-Lee", "+4915112345678")
    assert summary(output)["changed"] == 1
    assert set(Order.objects.values_list("customer", flat=True)) == {customer.pk}


def test_the_printed_report_is_cut_short_but_the_file_has_every_row(tmp_path):
    # given 25 rows with a bad quantity
    rows = [f"{4000 + n},2026-03-01,EUR,{MIA},,0,,10,,A,A,none,10" for n in range(25)]
    report = tmp_path / "rejected.csv"

    # when they are imported
    output = import_orders(write_csv(tmp_path, rows), "--report", str(report))

    # then 20 are printed, and all 25 are in the report
    assert "Rejected rows (20 of 25 shown):" in output
    assert output.count("is not a whole number") == 20
    assert f"all 25 are in {report}" in output
    assert len(report.read_text(encoding="utf-8").splitlines()) == 26


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--batch-size", "0"], "--batch-size must be at least 1"),
        (["--store", "EU shop"], "--store 'EU shop'"),
        (["--report", "/no/such/folder/r.csv"], "does not exist"),
    ],
)
def test_bad_options_are_refused(tmp_path, args, message):
    # given a good file, when it is imported with a bad option, then the command refuses
    with pytest.raises(CommandError, match=message):
        import_orders(write_csv(tmp_path), *args)
    assert not Order.objects.exists()


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    # given a Latin-1 file
    path = tmp_path / "latin1.csv"
    path.write_bytes(f"{HEADER}\n1001,2026-03-01,EUR,müller@example.com".encode("latin-1"))

    # when it is imported, then the command says so
    with pytest.raises(CommandError, match="is not UTF-8"):
        import_orders(path)


def test_orders_go_to_the_store_given(tmp_path):
    # given a file, when it is imported for store "eu"
    import_orders(write_csv(tmp_path, rows=ROWS[:3]), "--store", "eu")

    # then its orders belong to that store
    assert set(Order.objects.values_list("store", flat=True)) == {"eu"}
