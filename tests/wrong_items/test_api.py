"""/api/v1/wrong-item-reports/: the same services as the workspace, in the API's shapes."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shipments.models import Shipment
from tests.shipments.factories import CarrierFactory
from tests.tickets.api.conftest import assert_error_shape
from tests.tickets.evidence.files import jpeg
from tests.tickets.factories import CaseFactory
from tickets.models import Case
from tickets.services.messages import message_add
from wrong_items.models import WrongItemReport

pytestmark = pytest.mark.django_db

URL = "/api/v1/wrong-item-reports/"


@pytest.fixture
def photo(shipped_line, media_root):  # noqa: F811
    """A photo the customer sent by email on an earlier case."""
    case = CaseFactory(customer=shipped_line.order.customer, order=shipped_line.order)
    message = message_add(
        case=case,
        body="Look",
        author_kind="customer",
        actor=None,
        attachments=[SimpleUploadedFile("p.jpg", jpeg(), "image/jpeg")],
    )
    return message.attachments.get()


def _body(line, photo, **extra):
    return {
        "order_number": line.order.number,
        "order_line": line.pk,
        "received_description": "A blue toaster",
        "received_sku": "TOA-BLUE",
        "photos": [photo.pk],
        "preference": "reship",
        **extra,
    }


def test_create_then_act_through_the_endpoints(writer, shipped_line, photo):
    CarrierFactory()
    response = writer.post(URL, _body(shipped_line, photo), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["case_number"].startswith("") and body["preference"] == "reship"
    report = WrongItemReport.objects.get()
    assert report.case.channel == "api"
    url = f"{URL}{report.pk}/"
    response = writer.post(
        f"{url}reship/", {"carrier": "dhl_express", "tracking_number": "JD7"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["reshipment"]["tracking_number"] == "JD7"
    response = writer.post(
        f"{url}discount/", {"value_type": "fixed", "value": "10.00"}, format="json"
    )
    assert response.json()["discount_codes"][0]["value"] == "10.00"
    response = writer.post(f"{url}keep-or-return/", {"outcome": "keep"}, format="json")
    assert response.json()["item_outcome"] == "keep"
    response = writer.post(f"{url}root-cause/", {"category": "picking"}, format="json")
    assert response.json()["root_cause"]["expected_sku"] == "KET-RED"
    listed = writer.get(URL).json()
    assert [row["id"] for row in listed["results"]] == [report.pk]
    assert Shipment.objects.get(direction="replacement").service_level == "expedited"


def test_bad_input_is_a_400_naming_the_fields(writer, shipped_line, photo):
    response = writer.post(
        URL,
        _body(shipped_line, photo, photos=[], preference="both", order_line="x"),
        format="json",
    )
    body = assert_error_shape(response, 400, "invalid")
    assert {"photos", "preference", "order_line"} <= set(body["errors"])
    assert not Case.objects.filter(kind="wrong_item").exists()


def test_another_customers_photo_is_refused(writer, shipped_line, photo):
    other = CaseFactory()
    foreign = message_add(
        case=other,
        body="x",
        author_kind="customer",
        actor=None,
        attachments=[SimpleUploadedFile("p.jpg", jpeg(), "image/jpeg")],
    ).attachments.get()
    response = writer.post(URL, _body(shipped_line, photo, photos=[foreign.pk]), format="json")
    body = assert_error_shape(response, 400, "invalid")
    assert "photos" in body["errors"]


def test_a_line_reported_twice_is_a_409(writer, shipped_line, photo):
    assert writer.post(URL, _body(shipped_line, photo), format="json").status_code == 201
    response = writer.post(URL, _body(shipped_line, photo), format="json")
    body = assert_error_shape(response, 409, "line_already_reported")
    assert WrongItemReport.objects.get().case.number in body["detail"]


def test_a_refund_after_a_reshipment_is_a_409(writer, report):
    CarrierFactory()
    url = f"{URL}{report.pk}/"
    writer.post(
        f"{url}reship/", {"carrier": "dhl_express", "tracking_number": "JD7"}, format="json"
    )
    response = writer.post(f"{url}refund/", {}, format="json")
    assert_error_shape(response, 409, "already_reshipped")


def test_a_bad_discount_is_a_400(writer, report):
    response = writer.post(
        f"{URL}{report.pk}/discount/", {"value_type": "percentage", "value": "150"}, format="json"
    )
    body = assert_error_shape(response, 400, "invalid")
    assert "value" in body["errors"]
    assert Decimal(0) == sum(c.amount for c in report.case.compensations.all())


def test_a_return_without_an_address_is_a_400(writer, report):
    response = writer.post(
        f"{URL}{report.pk}/keep-or-return/", {"outcome": "return"}, format="json"
    )
    body = assert_error_shape(response, 400, "invalid")
    assert "address" in body["errors"]


def test_the_lists_query_count_does_not_grow_with_its_rows(writer, report):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.shipments.factories import ShipmentFactory
    from tests.tickets.factories import OrderLineFactory
    from tests.wrong_items.conftest import photos
    from wrong_items.services.discounts import discount_issue
    from wrong_items.services.reports import report_create
    from wrong_items.services.root_causes import root_cause_set

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert writer.get(URL).status_code == 200
        return len(queries)

    writer.get(URL)
    one = count()
    for _ in range(3):
        line = OrderLineFactory()
        ShipmentFactory(order=line.order)
        more = report_create(
            order_line=line, received_description="x", preference="reship", photos=photos()
        )
        discount_issue(report=more, value_type="fixed", value=Decimal("5"), actor=None)
        root_cause_set(report=more, category="picking", actor=None)
    assert count() == one
