import pytest

from tests.tickets.factories import superuser


@pytest.fixture
def dev_outbox(settings):
    """The embedded mode's email: saved to files, so the dev outbox exists."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.DEBUG = False
    return settings


@pytest.fixture
def supervisor_client(client, supervisor_user):
    client.force_login(supervisor_user)
    return client


@pytest.fixture
def superuser_client(client, db):
    client.force_login(superuser(username="root"))
    return client
