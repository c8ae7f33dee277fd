"""No portal route shows one customer another customer's order, case, message or file.

Every route under /portal/ that takes an object id is found by walking the URL resolver, so a
route added later is covered (or fails here until its id is known to this test)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.tickets.factories import CaseFactory, CustomerFactory, OrderLineFactory
from tickets.models import Attachment, Case, Message
from tickets.portal.session import SESSION_KEY

pytestmark = pytest.mark.django_db

# Routes whose argument is a credential, not an object id: the bad-link tests cover them.
NOT_OBJECT_IDS = {"token"}


def _portal_routes(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else prefix
            yield from _portal_routes(pattern.url_patterns, namespace or prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{prefix}{pattern.name}"
            converters = set(pattern.pattern.converters)
            if converters and reverse_is_portal(name, converters):
                yield name, converters


def reverse_is_portal(name, converters):
    sample = dict.fromkeys(converters, "1")
    try:
        return reverse(name, kwargs=sample).startswith("/portal/")
    except Exception:  # noqa: BLE001 - a route that takes other shapes is not ours to probe
        return False


PORTAL_ID_ROUTES = sorted(
    (name, frozenset(converters - NOT_OBJECT_IDS))
    for name, converters in _portal_routes()
    if converters - NOT_OBJECT_IDS
)


def _sign_in(client, customer):
    session = client.session
    now = int(timezone.now().timestamp())
    session[SESSION_KEY] = {"customer": customer.pk, "started": now, "seen": now}
    session.save()
    return client


@pytest.fixture
def other_customers_things():
    case = CaseFactory(kind=Case.Kind.GENERAL)
    line = OrderLineFactory(order=case.order)
    message = Message.objects.create(
        case=case, author_kind=Message.Author.CUSTOMER, body="Mine, not yours"
    )
    attachment = Attachment.objects.create(
        message=message,
        file="attachments/x.png",
        filename="x.png",
        content_type="image/png",
        size=1,
    )
    return {
        "order_id": case.order.pk,
        "number": case.number,
        "pk": attachment.pk,
        "line": line.pk,
        "branch": "other",
    }


MISSING = {"order_id": 999_999, "number": "AS-XXXX-XXXX", "pk": 999_999, "branch": "nothing"}


def test_the_walk_finds_every_portal_route_that_takes_an_id():
    # Then the routes that take an order, a case or a file are all found (a new one joins them)
    names = {name for name, _ in PORTAL_ID_ROUTES}
    assert {"tickets:portal-case", "tickets:portal-case-reply", "tickets:portal-attachment"} <= (
        names
    )
    assert "tickets:portal-help" in names


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("name", "converters"), PORTAL_ID_ROUTES)
def test_another_customers_object_is_a_404_like_a_missing_one(
    client, other_customers_things, name, converters, method
):
    # Given customer A, signed in, and customer B's order, case, message and file
    _sign_in(client, CustomerFactory())
    unknown = set(converters) - set(other_customers_things)
    assert not unknown, f"{name} takes {unknown}: teach this test what they are"
    theirs = reverse(name, kwargs={key: other_customers_things[key] for key in converters})
    missing = reverse(name, kwargs={key: MISSING.get(key, 999_999) for key in converters})
    messages_before = Message.objects.count()
    cases_before = Case.objects.count()

    # When A asks for B's object, and for one that does not exist
    send = getattr(client, method)
    answer_theirs = send(theirs, {"body": "hello", "description": "hello"})
    answer_missing = send(missing, {"body": "hello", "description": "hello"})

    # Then both are the same 404 (or a 405 for a method the route never takes), and nothing is
    # written
    if answer_theirs.status_code == 405:
        assert answer_missing.status_code == 405
    else:
        assert answer_theirs.status_code == 404
        assert answer_missing.status_code == 404
    assert Message.objects.count() == messages_before
    assert Case.objects.count() == cases_before
