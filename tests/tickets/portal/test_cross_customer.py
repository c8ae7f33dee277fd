"""Every portal route with an id answers 404 to a customer for another customer's row, the
same answer as for an id that does not exist.

The routes are found by walking Django's URL resolver: a portal route added later with an id in
its path fails here until it is listed below with the row to try."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shipments.labels.services import label_issue
from shipments.models import Shipment
from shipments.services.lost import shipment_declare_lost
from tests.shipments.factories import ShipmentFactory
from tests.tickets.factories import CaseFactory
from tests.tickets.test_visibility_routes import id_routes
from tickets.models import Case
from tickets.services.messages import message_add

pytestmark = pytest.mark.django_db

# Each route: the HTTP methods it takes, and its kwargs for a row of `world` ("theirs" or
# "missing"), with a query string where the route reads one.
ROUTES = {
    "tickets:portal-order": (("get",), lambda w: ({"order_id": w.order}, "")),
    "shipments:portal-parcel": (("get", "post"), lambda w: ({"order_id": w.order}, "")),
    "wrong_items:portal-report": (("get", "post"), lambda w: ({"order_id": w.order}, "")),
    "tickets:portal-help": (("get",), lambda w: ({"order_id": w.order}, "?branch=defect")),
    "tickets:portal-help-branch": (
        ("get",),
        lambda w: ({"order_id": w.order, "branch": "defect"}, f"?line={w.line}"),
    ),
    "tickets:portal-case-new": (
        ("get", "post"),
        lambda w: ({"order_id": w.order}, f"?branch=other&line={w.line}"),
    ),
    "tickets:portal-case": (("get",), lambda w: ({"number": w.number}, "")),
    "tickets:portal-case-reply": (("post",), lambda w: ({"number": w.number}, "")),
    "tickets:portal-attachment": (("get",), lambda w: ({"pk": w.attachment}, "")),
    "shipments:portal-lost-choice": (("get", "post"), lambda w: ({"shipment_id": w.shipment}, "")),
    "shipments:portal-label-pdf": (("get",), lambda w: ({"label_id": w.label}, "?size=a4")),
    "returns:portal-return": (
        ("get", "post"),
        lambda w: ({"order_id": w.order}, f"?line={w.line}"),
    ),
    "returns:portal-defect": (
        ("get", "post"),
        lambda w: ({"order_id": w.order}, f"?line={w.line}"),
    ),
}
# Not about a row of a customer: the magic link's token.
NOT_A_ROW = {"tickets:portal-link"}


class World:
    def __init__(self, *, order, line, number, attachment, shipment=987654, label=987654):
        self.order, self.line, self.number, self.attachment = order, line, number, attachment
        self.shipment, self.label = shipment, label


@pytest.fixture
def theirs(stranger_order, media_root):
    """Another customer's order, item, case and attachment."""
    case = CaseFactory(
        customer=stranger_order.customer, order=stranger_order, kind=Case.Kind.GENERAL
    )
    upload = SimpleUploadedFile("toaster.png", b"png", content_type="image/png")
    message = message_add(
        case=case, body="Photo", author_kind="customer", actor=None, attachments=[upload]
    )
    lost = ShipmentFactory(order=stranger_order)
    shipment_declare_lost(shipment=lost, actor=None)
    label = label_issue(
        order=stranger_order,
        case=case,
        reference="RMA-THEIRS",
        customer_address={
            "name": "Stranger",
            "line1": "Hauptstraße 1",
            "city": "Wien",
            "postcode": "1010",
            "country": "AT",
        },
        actor=None,
    )
    return World(
        order=stranger_order.pk,
        line=stranger_order.lines.get().pk,
        number=case.number,
        attachment=message.attachments.get().pk,
        shipment=lost.pk,
        label=label.pk,
    )


MISSING = World(order=987654, line=987654, number="AS-NONE-NONE", attachment=987654)


def portal_id_routes():
    return {name for route, name in id_routes() if route.startswith("portal/")}


def test_every_portal_route_with_an_id_is_checked_below():
    unchecked = portal_id_routes() - set(ROUTES) - NOT_A_ROW
    assert not unchecked, f"Portal routes with an id not tried for another customer: {unchecked}"
    assert set(ROUTES) <= portal_id_routes(), "ROUTES names a route that is gone"


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_another_customers_row_is_a_404_like_a_missing_one(
    portal_client, portal_order, theirs, name
):
    methods, kwargs_of = ROUTES[name]
    for world in (theirs, MISSING):
        kwargs, query = kwargs_of(world)
        url = reverse(name, kwargs=kwargs) + query
        for method in methods:
            data = {"description": "mine now", "body": "mine now"} if method == "post" else {}
            response = getattr(portal_client, method)(url, data)
            assert response.status_code == 404, (name, method, url, response.status_code)
    assert Case.objects.filter(customer=portal_order.customer).count() == 0
    assert Case.objects.get(number=theirs.number).messages.count() == 1
    assert not Shipment.objects.exclude(lost_outcome="").exists()
