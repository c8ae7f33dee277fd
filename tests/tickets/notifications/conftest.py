import pytest

from tests.tickets.factories import CustomerFactory
from tests.tickets.notifications.support import SITE_URL, VALID_PHONE


@pytest.fixture(autouse=True)
def site(settings):
    """Links and reply addresses as a customer would see them in production."""
    settings.SITE_URL = SITE_URL
    settings.REPLY_DOMAIN = "reply.shop.example"
    return settings


@pytest.fixture
def sms_customer(db):
    """A customer who agreed to SMS and has a valid mobile number."""
    return CustomerFactory(sms_consent=True, phone=VALID_PHONE)


@pytest.fixture
def email_only_customer(db):
    """A customer with a valid mobile number who did not agree to SMS."""
    return CustomerFactory(sms_consent=False, phone=VALID_PHONE)


@pytest.fixture
def queued(monkeypatch):
    """The notification ids handed to the delivery task, which itself does not run."""
    from tickets.services import queue

    ids: list[int] = []

    def enqueue(task, *args, countdown=None):
        assert task == queue.NOTIFICATION_DELIVER
        ids.extend(args)
        return True

    monkeypatch.setattr(queue, "enqueue", enqueue)
    return ids
