import pytest
from django.urls import reverse

from tickets.models import WebhookDelivery

pytestmark = pytest.mark.django_db


def test_staff_see_deliveries_but_cannot_change_them(admin_client):
    # given a recorded delivery
    delivery = WebhookDelivery.objects.create(
        webhook_id="wh-1",
        topic="orders/create",
        shop_domain="shop.myshopify.com",
        order_number="1001",
        outcome=WebhookDelivery.Outcome.CREATED,
    )
    # when a superuser opens the list and the row
    listing = admin_client.get(reverse("admin:tickets_webhookdelivery_changelist"))
    detail = admin_client.get(reverse("admin:tickets_webhookdelivery_change", args=[delivery.pk]))
    # then both show it, read-only
    assert listing.status_code == detail.status_code == 200
    assert b"wh-1" in listing.content and b"wh-1" in detail.content
    assert b'name="webhook_id"' not in detail.content
    add = admin_client.get(reverse("admin:tickets_webhookdelivery_add"))
    assert add.status_code == 403
