"""The audit trail: every request, sending, refusal, sign-in and sign-out, and never a token."""

import logging

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.tickets.factories import supervisor
from tests.tickets.portal_access.conftest import link_path, token_in
from tickets.models import PortalAccessEvent, PortalLink
from tickets.portal.log_filters import RedactPortalLinkTokens
from tickets.selectors.portal_access import portal_token_hash

pytestmark = pytest.mark.django_db
Kind = PortalAccessEvent.Kind


def test_the_whole_flow_is_audited_and_no_row_or_log_line_holds_the_token(
    client, maria_order, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    # when Maria asks for a link (the worker sends it), opens it, continues, signs out,
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/portal/", {"order": "1001", "email": "maria@example.com"})
    token = token_in(mail.outbox[-1])
    client.get(link_path(token))
    client.post(link_path(token))
    client.post("/portal/sign-out/")
    # and the used link is tried again, tampered with, sent with a wrong method and without CSRF
    client.post(link_path(token))
    client.get(link_path(token + "x"))
    client.put(link_path(token))
    Client(enforce_csrf_checks=True).post(link_path(token))
    # then each step is in the audit trail, in order
    kinds = list(PortalAccessEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == [
        Kind.LINK_REQUESTED,
        Kind.LINK_SENT,
        Kind.SIGNED_IN,
        Kind.SIGNED_OUT,
        Kind.LINK_REFUSED,
    ]
    # and no audit row, link row or log record holds the token
    for event in PortalAccessEvent.objects.all():
        assert token not in str(event.data) and token not in str(event.__dict__)
    assert token not in str(PortalLink.objects.values().get())
    assert caplog.records, "the refusals above were logged"
    for record in caplog.records:
        assert token not in record.getMessage()
        assert token not in str(record.args)


def test_the_log_filter_hides_a_token_in_any_path():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Gone: %s", ("/portal/link/s3cr3t/",), None
    )
    assert RedactPortalLinkTokens().filter(record)
    assert record.getMessage() == "Gone: /portal/link/…/"


@pytest.mark.parametrize("model", ["portalaccessevent", "portallink"])
def test_supervisors_read_the_audit_trail_in_the_admin_without_any_token(client, token, model):
    # Given a link sent and used (its token known only to the customer's email)
    client.post(link_path(token))
    client.logout()
    client.force_login(supervisor(username="boss", is_staff=True))

    # When a supervisor opens the list and the first row
    listing = client.get(reverse(f"admin:tickets_{model}_changelist"))
    row = apps.get_model("tickets", model).objects.first()
    detail = client.get(reverse(f"admin:tickets_{model}_change", args=[row.pk]))

    # Then both show, read-only, and neither holds the token or its hash
    assert listing.status_code == detail.status_code == 200
    for page in (listing, detail):
        html = page.content.decode()
        assert token not in html
        assert portal_token_hash(token) not in html
