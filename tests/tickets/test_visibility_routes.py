"""Every route with an id in its URL answers 404 for a row the agent does not see.

The test walks Django's URL resolver, so a route added later with an id or a case number in
its path fails here until it is listed below with the row to try: either it applies the
visibility rule (selectors.case_visible_to), or it is in the admin, which only supervisors
enter (they see every case)."""

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from returns.models import RefundTransaction
from shipments.labels.models import Label
from shipments.labels.services import label_issue
from shipments.models import InsuranceClaim, Shipment
from tests.shipments.factories import ShipmentFactory
from tests.tickets.factories import (
    CaseFactory,
    CompensationFactory,
    NotificationFactory,
    OrderLineFactory,
    agent,
)
from tickets.models import Case, Macro, Notification
from tickets.services.api_keys import api_key_create
from tickets.services.compensations import compensation_propose
from tickets.services.messages import message_add
from wrong_items.models import WrongItemReport

ID_KWARG = re.compile(r"(^|_)(pk|id|number)$")
KWARG = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield prefix + str(pattern.pattern), name


def id_routes() -> list[tuple[str, str | None]]:
    """(route, name) of every URL whose path carries an id or a number."""
    found = []
    for route, name in walk(get_resolver().url_patterns):
        kwargs = [a or b for a, b in KWARG.findall(route)]
        if any(ID_KWARG.search(kwarg) for kwarg in kwargs):
            found.append((route, name))
    return found


# How to name the row each route shows: (client, kwargs of the row, given the world).
ROUTES = {
    "customer-detail": ("api", lambda row: {"pk": row.case.customer.pk}),
    "order-detail": ("api", lambda row: {"pk": row.case.order.pk}),
    "case-detail": ("api", lambda row: {"case_number": row.case.number}),
    "case-transitions": ("api", lambda row: {"case_number": row.case.number}),
    "case-portal-link": ("api", lambda row: {"case_number": row.case.number}),
    "case-compensation-list": ("api", lambda row: {"case_number": row.case.number}),
    **{
        f"case-compensation-{name}": (
            "api",
            lambda row: {"case_number": row.case.number, "pk": row.compensation.pk},
        )
        for name in ("detail", "approve", "reject", "issue", "fail", "cancel")
    },
    "case-message-list": ("api", lambda row: {"case_number": row.case.number}),
    "case-event-list": ("api", lambda row: {"case_number": row.case.number}),
    "tickets:agent-attachment-download": ("agent", lambda row: {"pk": row.attachment.pk}),
    "tickets:agent-notification-retry": ("agent", lambda row: {"pk": row.notification.pk}),
    "tickets:agent-compensation-propose": ("agent", lambda row: {"number": row.case.number}),
    "tickets:agent-compensation-action": (
        "agent",
        lambda row: {"pk": row.compensation.pk, "action": "approve"},
    ),
    **{
        f"tickets:agent-case{suffix}": ("agent", lambda row: {"number": row.case.number})
        for suffix in ("", "-reply", "-update", "-portal-link")
    },
    "tickets:agent-case-macro": (
        "agent",
        lambda row: {"number": row.case.number, "pk": Macro.objects.get_or_create(name="Hi")[0].pk},
    ),
    "tickets:agent-case-presence": ("agent", lambda row: {"number": row.case.number}),
    "tickets:agent-case-merge": ("agent", lambda row: {"number": row.case.number}),
    # A shipment is seen with its order (an order with a case the agent sees, or none).
    **{
        f"shipments:shipment-{name}": ("api", lambda row: {"pk": row.shipment.pk})
        for name in ("detail", "events")
    },
}


def _shipment_of(case):
    """The shipment `case` is about (shipments' lost-parcel routes), made on first use."""
    return Shipment.objects.filter(issue_case=case).first() or ShipmentFactory(
        order=case.order, issue_case=case
    )


def _claim_of(case):
    shipment = _shipment_of(case)
    return InsuranceClaim.objects.filter(case=case).first() or InsuranceClaim.objects.create(
        shipment=shipment, case=case, amount_requested=Decimal("5"), currency="EUR"
    )


def _label_of(case, reference=""):
    """A return label made for `case` (shipments/labels), issued on first use."""
    return Label.objects.filter(shipment__case=case).first() or label_issue(
        order=case.order,
        case=case,
        reference=reference or f"RMA-{case.number}",
        customer_address={
            "name": "Ana Example",
            "line1": "Calle Mayor 1",
            "city": "Madrid",
            "postcode": "28013",
            "country": "ES",
        },
        actor=None,
    )


def _parcel_to_link(case):
    """A parcel of `case`'s order, the case made a shipment-issue case about that order without
    its parcel (the link route)."""
    Case.objects.filter(pk=case.pk).update(kind=Case.Kind.SHIPMENT_ISSUE)
    return ShipmentFactory(order=case.order)


ROUTES.update(
    {
        "shipments:agent-label-pdf": ("agent", lambda row: {"pk": _label_of(row.case).pk}),
        **{
            f"shipments:agent-shipment-{action}": (
                "agent",
                lambda row: {"pk": _shipment_of(row.case).pk},
            )
            for action in ("declare-lost", "outcome", "replacement", "claim", "event")
        },
        "shipments:agent-claim-answer": ("agent", lambda row: {"pk": _claim_of(row.case).pk}),
        "shipments:agent-claim-refresh": ("agent", lambda row: {"pk": _claim_of(row.case).pk}),
        "shipments:agent-shipment-link": (
            "agent",
            lambda row: {"pk": _parcel_to_link(row.case).pk, "number": row.case.number},
        ),
    }
)


def _return_of(case):
    """The return request on `case` (returns' API and panel actions), made on first use."""
    from returns.models import ReturnRequest

    return ReturnRequest.objects.filter(case=case).first() or ReturnRequest.objects.create(
        case=case, order=case.order, kind="defect", preferred_outcome="refund"
    )


def _wrong_item_report_of(case):
    """A wrong-item report on `case` (wrong_items' routes), made on first use."""
    return WrongItemReport.objects.filter(case=case).first() or WrongItemReport.objects.create(
        case=case,
        order=case.order,
        order_line=OrderLineFactory(order=case.order),
        received_description="A blue kettle",
        preference="reship",
    )


ROUTES.update(
    {
        **{
            f"returns:return-{name}": ("api", lambda row: {"rma_number": _return_of(row.case).rma})
            for name in (
                "detail",
                "approve",
                "reject",
                "receive",
                "inspect",
                "resolve",
                "refund",
                "refund-confirm",
                "refund-fail",
                "ship-back",
            )
        },
        **{
            f"returns:agent-return-{name}": ("agent", lambda row: {"pk": _return_of(row.case).pk})
            for name in (
                "approve",
                "reject",
                "label",
                "receive",
                "inspect",
                "resolve",
                "refund",
                "ship-back",
            )
        },
        **{
            f"returns:agent-refund-{name}": ("agent", lambda row: {"pk": _refund_of(row.case).pk})
            for name in ("confirm", "fail")
        },
        **{
            f"wrong_items:agent-{action}": (
                "agent",
                lambda row: {"pk": _wrong_item_report_of(row.case).pk},
            )
            for action in (
                "proposal-accept",
                "proposal-dismiss",
                "reship",
                "discount",
                "refund",
                "keep",
                "return",
                "root-cause",
                "preventive-action",
                "preventive-action-done",
            )
        },
        **{
            f"wrong_items:wrong-item-report-{action}": (
                "api",
                lambda row: {"pk": _wrong_item_report_of(row.case).pk},
            )
            for action in (
                "detail",
                "proposal-accept",
                "proposal-dismiss",
                "reship",
                "discount",
                "refund",
                "keep-or-return",
                "root-cause",
            )
        },
    }
)


def _refund_of(case):
    """A pending refund of the return request on `case` (the refund routes)."""
    found = _return_of(case)
    existing = RefundTransaction.objects.filter(request=found).first()
    if existing:
        return existing
    compensation = CompensationFactory(case=case, status="approved")
    return RefundTransaction.objects.create(
        request=found, compensation=compensation, adapter="manual", amount=10, currency="EUR"
    )


def _labelled_return_of(case):
    """The return request on `case` with its prepaid label (the label PDF's API route)."""
    found = _return_of(case)
    if not Label.objects.filter(reference=found.rma).exists():
        _label_of(case, reference=found.rma)
    return found


ROUTES["returns:return-label-pdf"] = (
    "api",
    lambda row: {"rma_number": _labelled_return_of(row.case).rma},
)

# Routes with the id of a row that belongs to no case (a macro): supervisors only, so an agent
# is refused (403) whichever id is asked for.
SUPERVISOR_ROUTES = {"tickets:agent-macro-edit": lambda: {"pk": Macro.objects.create(name="M").pk}}


def in_admin(route: str) -> bool:
    return route.startswith("admin/")


def in_portal(route: str) -> bool:
    # The portal's routes answer to a signed-in customer, not an agent: each is walked with
    # another customer's ids in tests/tickets/portal/test_cross_customer.py.
    return route.startswith("portal/")


def test_every_route_with_an_id_is_checked_below():
    unchecked = sorted(
        f"{name or '(unnamed)'}: {route}"
        for route, name in id_routes()
        if not in_admin(route)
        and not in_portal(route)
        and name not in ROUTES
        and name not in SUPERVISOR_ROUTES
    )
    assert not unchecked, (
        "These routes carry an id but are not in ROUTES: filter them with "
        "selectors.case_visible_to and add them, with the row to try:\n" + "\n".join(unchecked)
    )
    assert set(ROUTES) <= {name for _, name in id_routes()}, "ROUTES names a route that is gone"


def row_of(case):
    upload = SimpleUploadedFile("kettle.png", b"png", content_type="image/png")
    message = message_add(
        case=case, body="Photo", author_kind="customer", actor=None, attachments=[upload]
    )
    notification = NotificationFactory(case=case, customer=case.customer)
    Notification.objects.filter(pk=notification.pk).update(status=Notification.Status.FAILED)
    compensation = compensation_propose(
        case=case,
        kind="refund",
        amount=Decimal("5.00"),
        currency=settings.BASE_CURRENCY,
        actor=None,
    )
    return SimpleNamespace(
        case=case,
        attachment=message.attachments.get(),
        notification=notification,
        compensation=compensation,
        shipment=ShipmentFactory(order=case.order),
    )


@pytest.fixture
def world(db, settings, media_root):
    """Ana sees only her own cases: one is hers, the other Bob's."""
    settings.CASE_VISIBILITY = "own"
    ana, bob = agent(username="ana"), agent(username="bob")
    return SimpleNamespace(
        ana=ana, seen=row_of(CaseFactory(assignee=ana)), hidden=row_of(CaseFactory(assignee=bob))
    )


def clients(world, client):
    api = APIClient()
    key = api_key_create(name="Ana's script", scope="write", actor=None, user=world.ana)[1]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    client.force_login(world.ana)
    return {"api": api, "agent": client}


def fetch(http, url):
    """GET, or POST (an empty body) where the route only takes POST."""
    response = http.get(url)
    if response.status_code == 405:
        response = (
            http.post(url, {}, format="json") if isinstance(http, APIClient) else (http.post(url))
        )
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_a_row_out_of_sight_is_a_404_and_one_in_sight_is_not(world, client, name):
    kind, kwargs_of = ROUTES[name]
    http = clients(world, client)[kind]
    # when Ana asks for Bob's row, then it does not exist for her
    hidden = fetch(http, reverse(name, kwargs=kwargs_of(world.hidden)))
    assert hidden.status_code == 404, (name, hidden.status_code)
    # while her own row answers (200, 202 for work queued, a redirect, or 400/409 for a POST
    # its state refuses)
    seen = fetch(http, reverse(name, kwargs=kwargs_of(world.seen)))
    assert seen.status_code in {200, 202, 302, 303, 400, 409}, (name, seen.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SUPERVISOR_ROUTES))
def test_an_agent_is_refused_on_supervisor_routes_with_an_id(world, client, name):
    client.force_login(world.ana)
    assert client.get(reverse(name, kwargs=SUPERVISOR_ROUTES[name]())).status_code == 403


ADMIN_ROUTES = sorted(route for route, _ in id_routes() if in_admin(route))


@pytest.mark.django_db
@pytest.mark.parametrize("route", ADMIN_ROUTES)
def test_the_admin_refuses_an_agent_on_every_route_with_an_id(world, client, route):
    # given Ana is staff, but no supervisor
    world.ana.is_staff = True
    world.ana.save()
    client.force_login(world.ana)
    url = "/" + KWARG.sub(str(world.hidden.case.pk), route).replace("^", "").replace("$", "")
    # then every admin page with an id is refused, never shown
    response = client.get(url, follow=True)
    assert response.status_code == 403, (url, response.redirect_chain)
    assert world.hidden.case.number.encode() not in response.content
