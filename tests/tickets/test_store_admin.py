"""Stores in the admin: supervisors manage them; the webhook secret is write-only."""

import pytest
from django.urls import reverse

from tickets.models import Store

pytestmark = pytest.mark.django_db
ADD = reverse("admin:tickets_store_add")


def _form(**changes) -> dict:
    return {
        "slug": "johns",
        "name": "John's Apparel",
        "shopify_domain": " Johns-Apparel.myshopify.com ",
        "webhook_secret": "s3cret-of-johns",
        **changes,
    }


@pytest.fixture
def supervisor_admin(client, supervisor_user):
    supervisor_user.is_staff = True
    supervisor_user.save(update_fields=["is_staff"])
    client.force_login(supervisor_user)
    return client


def test_a_supervisor_adds_a_shop_with_its_secret(supervisor_admin):
    # when a supervisor adds a shop in the admin
    response = supervisor_admin.post(ADD, _form())
    # then it is stored, its domain as Shopify sends it
    assert response.status_code == 302, response.content
    store = Store.objects.get()
    assert (store.slug, store.shopify_domain, store.webhook_secret) == (
        "johns",
        "johns-apparel.myshopify.com",
        "s3cret-of-johns",
    )


def test_the_secret_is_never_shown_and_an_empty_field_keeps_it(supervisor_admin):
    # given a stored shop
    store = Store.objects.create(
        slug="johns", shopify_domain="johns-apparel.myshopify.com", webhook_secret="s3cret"
    )
    change = reverse("admin:tickets_store_change", args=[store.pk])
    # when its page is opened, then the secret is not on it
    page = supervisor_admin.get(change)
    assert page.status_code == 200
    assert b"s3cret" not in page.content
    # when it is saved with a new name and the secret field left empty
    response = supervisor_admin.post(change, _form(name="Johns", webhook_secret=""))
    # then the secret stays
    assert response.status_code == 302
    store.refresh_from_db()
    assert (store.name, store.webhook_secret) == ("Johns", "s3cret")


def test_a_shopify_shop_without_a_secret_is_refused(supervisor_admin):
    response = supervisor_admin.post(ADD, _form(webhook_secret=""))
    assert response.status_code == 200
    assert "A Shopify shop needs its webhook secret" in response.content.decode()
    assert not Store.objects.exists()


def test_a_domain_taken_by_another_store_is_refused(supervisor_admin):
    Store.objects.create(
        slug="other", shopify_domain="johns-apparel.myshopify.com", webhook_secret="x"
    )
    response = supervisor_admin.post(ADD, _form())
    assert response.status_code == 200
    assert "Another store already has this Shopify domain." in response.content.decode()


def test_an_agent_cannot_see_stores(client, agent_user):
    agent_user.is_staff = True
    agent_user.save(update_fields=["is_staff"])
    client.force_login(agent_user)
    # the admin is for supervisors only: an agent, even a staff one, is sent to sign in
    response = client.get(reverse("admin:tickets_store_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
