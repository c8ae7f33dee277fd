"""label_send: the customer's email with the steps and the download links, in their language,
once per label; a text with the link where they agreed to texts."""

import pytest
from django.urls import reverse

from shipments.labels.services import label_send
from tests.shipments.labels.conftest import issue
from tickets.models import Notification

pytestmark = pytest.mark.django_db


def test_the_email_has_the_steps_and_both_download_links(return_case, settings):
    return_case.customer.sms_consent = False
    return_case.customer.save(update_fields=["sms_consent"])
    label = issue(return_case, reference="RMA-1001")

    (email,) = label_send(label=label)

    path = reverse("shipments:portal-label-pdf", args=[label.pk])
    assert email.channel == Notification.Channel.EMAIL
    assert email.case == return_case
    assert email.recipient == return_case.customer.email
    assert email.language == "fr"
    assert "RMA-1001" in email.subject
    assert f"{settings.SITE_URL}{path}?size=a4" in email.body
    assert f"{settings.SITE_URL}{path}?size=4x6" in email.body
    assert label.shipment.tracking_number in email.body  # step 4
    assert "<ol" in email.body_html
    assert f"{path}?size=4x6" in email.body_html


def test_it_is_sent_once_per_label(return_case):
    label = issue(return_case)
    first = label_send(label=label)

    again = label_send(label=label)

    assert first
    assert again == []
    assert Notification.objects.filter(template="return_label").count() == len(first)


def test_with_consent_a_text_carries_a_short_link_to_the_label(return_case):
    return_case.customer.sms_consent = True
    return_case.customer.phone = "+4915112345678"
    return_case.customer.save(update_fields=["sms_consent", "phone"])
    label = issue(return_case, reference="RMA-1001")

    rows = label_send(label=label)

    sms = next(row for row in rows if row.channel == Notification.Channel.SMS)
    assert "RMA-1001" in sms.body
    assert "/s/" in sms.body
