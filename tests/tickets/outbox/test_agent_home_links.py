"""The dashboard links the failed-notifications page (with the count) and the dev outbox."""

import pytest

from tests.tickets.factories import NotificationFactory
from tickets.models import Notification

pytestmark = pytest.mark.django_db

HOME = "/agent/"


def test_the_dashboard_links_the_failed_notifications_with_their_count(agent_client):
    for _ in range(2):
        failed = NotificationFactory()
        Notification.objects.filter(pk=failed.pk).update(status=Notification.Status.FAILED)
    NotificationFactory()
    content = agent_client.get(HOME).content.decode()
    assert 'href="/agent/notifications/failed/"' in content
    assert "2 failed notifications" in content


def test_one_failure_is_counted_in_the_singular(agent_client):
    failed = NotificationFactory()
    Notification.objects.filter(pk=failed.pk).update(status=Notification.Status.FAILED)
    assert "1 failed notification\n" in agent_client.get(HOME).content.decode()


@pytest.mark.usefixtures("dev_outbox")
def test_supervisors_get_the_dev_outbox_link(supervisor_client):
    assert 'href="/agent/outbox/"' in supervisor_client.get(HOME).content.decode()


@pytest.mark.usefixtures("dev_outbox")
def test_agents_do_not_get_the_dev_outbox_link(agent_client):
    assert 'href="/agent/outbox/"' not in agent_client.get(HOME).content.decode()


def test_without_the_dev_outbox_there_is_no_link(settings, supervisor_client):
    settings.DEBUG = False
    assert 'href="/agent/outbox/"' not in supervisor_client.get(HOME).content.decode()
