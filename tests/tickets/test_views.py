from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.tickets.factories import (
    CaseFactory,
    ExchangeRateFactory,
    OrderLineFactory,
    TagFactory,
    UserFactory,
    superuser,
)
from tickets.models import Case, Notification, Team, WorkerHeartbeat
from tickets.services.cases import case_create
from tickets.services.compensations import compensation_propose
from tickets.services.messages import message_add
from tickets.services.system import worker_heartbeat_record

S = Case.Status
LOGIN, HOME, CHECK = "/agent/login/", "/agent/", "/agent/workers/check/"
WRONG_LOGIN = "Your username and password did not match. Please try again."


# --- sign-in ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_login_page_renders(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content


@pytest.mark.django_db
def test_an_agent_signs_in_and_lands_on_the_dashboard(client, agent_user):
    # when the agent posts the right password
    response = client.post(LOGIN, {"username": "alice", "password": "pw"})
    # then they are signed in and sent to the dashboard
    assert response.status_code == 302
    assert response["Location"] == HOME
    assert client.session["_auth_user_id"] == str(agent_user.pk)


@pytest.mark.django_db
def test_a_wrong_password_shows_the_error_and_signs_nobody_in(client, agent_user):
    response = client.post(LOGIN, {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert WRONG_LOGIN in response.content.decode()
    assert "_auth_user_id" not in client.session


# --- dashboard --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_dashboard_sends_anonymous_users_to_sign_in(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={HOME}"


@pytest.mark.django_db
def test_the_dashboard_is_forbidden_without_the_view_case_permission(client):
    # given a signed-in user in no group
    client.force_login(UserFactory(username="visitor"))
    # then the dashboard answers 403, not a login loop
    assert client.get(HOME).status_code == 403


@pytest.mark.django_db
def test_the_dashboard_shows_active_case_counts_by_kind_and_status(agent_client):
    # given two open defect cases, one new general question and one resolved case
    CaseFactory(status=S.OPEN)
    CaseFactory(status=S.OPEN)
    CaseFactory(status=S.NEW, kind="general")
    CaseFactory(status=S.RESOLVED)
    # when the agent opens the dashboard
    response = agent_client.get(HOME)
    # then the active cases are counted by kind and status, the resolved one not at all
    assert response.status_code == 200
    counts = response.context["counts"]
    assert counts.by_kind["defect"]["open"] == 2
    assert counts.by_kind["general"]["new"] == 1
    assert counts.by_status["open"] == 2
    assert counts.total == 3
    assert "Open cases by kind and status" in response.content.decode()


@pytest.mark.django_db
def test_the_dashboard_lists_worker_heartbeats(agent_client, time_machine):
    # (frozen where the agent signed in: a jump to another date would end their session)
    time_machine.move_to(timezone.now(), tick=False)
    worker_heartbeat_record(hostname="celery@box1")
    assert "celery@box1: last seen just now" in agent_client.get(HOME).content.decode()
    time_machine.shift(timedelta(minutes=3))
    assert "celery@box1: last seen 3\xa0minutes ago" in agent_client.get(HOME).content.decode()


@pytest.mark.django_db
def test_the_dashboard_query_count_does_not_grow_with_cases(
    agent_client, django_assert_num_queries
):
    # given 2 cases, the dashboard costs some number of queries
    for status in (S.OPEN, S.NEW):
        CaseFactory(status=status)
    agent_client.get(HOME)  # warm-up: the permissions kept, as at a worker's next request
    with CaptureQueriesContext(connection) as few:
        assert agent_client.get(HOME).status_code == 200
    # when there are 20 cases in every status
    for i in range(18):
        CaseFactory(status=S.values[i % len(S.values)])
    # then it costs exactly as many
    with django_assert_num_queries(len(few)):
        assert agent_client.get(HOME).status_code == 200


# --- worker check -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_checking_workers_enqueues_a_heartbeat_after_commit(
    agent_client, django_capture_on_commit_callbacks
):
    # when the agent asks for a worker check (tasks run eagerly in tests)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = agent_client.post(CHECK)
    # then nothing is sent before the commit
    assert response.status_code == 302
    assert response["Location"] == HOME
    assert len(callbacks) == 1
    assert not WorkerHeartbeat.objects.exists()
    # and on commit the heartbeat task runs and records a worker
    callbacks[0]()
    assert WorkerHeartbeat.objects.count() == 1


@pytest.mark.django_db
def test_checking_workers_records_a_heartbeat_and_tells_the_agent(
    agent_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(CHECK, follow=True)
    assert WorkerHeartbeat.objects.exists()
    assert "A check was sent to the background workers" in response.content.decode()


@pytest.mark.django_db
def test_checking_workers_by_get_is_refused(agent_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = agent_client.get(CHECK)
    assert response.status_code == 405
    assert callbacks == []
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.django_db
def test_checking_workers_needs_the_permission(client, django_capture_on_commit_callbacks):
    client.force_login(UserFactory(username="visitor"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(CHECK)
    assert response.status_code == 403
    assert callbacks == []


# --- portal and languages ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_portal_renders_in_english_by_default(client):
    response = client.get("/portal/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "How can we help with your order?" in content


@pytest.mark.django_db
def test_the_portal_follows_the_browser_language(client):
    response = client.get("/portal/", headers={"accept-language": "de"})
    assert response.status_code == 200
    assert '<html lang="de">' in response.content.decode()


@pytest.mark.django_db
def test_the_language_switcher_changes_the_portal_language(client):
    # when the visitor picks German in the switcher
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/portal/"})
    assert response.status_code == 302
    # then the next pages are German
    assert '<html lang="de">' in client.get("/portal/").content.decode()


@pytest.mark.django_db
def test_the_root_redirects_to_the_portal(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/"


# --- admin ------------------------------------------------------------------------------------

# sorted: the same test ids in every pytest-xdist worker.
REGISTERED = sorted(model._meta.label_lower for model in admin.site._registry)


@pytest.fixture
def admin_client_with_data(client, settings, tmp_path, supervisor_user):
    """A superuser's client, and one row of every tickets model so changelists render rows."""
    settings.MEDIA_ROOT = tmp_path / "media"
    order = OrderLineFactory().order
    ExchangeRateFactory(currency="JPY")
    case = case_create(
        customer=order.customer,
        order=order,
        kind=Case.Kind.DEFECT,
        subject="Kettle does not heat",
        channel=Case.Channel.PORTAL,
        description="It stopped after two days.",
    )
    case.tags.add(TagFactory(name="vip"))
    Team.objects.create(name="DACH", languages=["de"])
    photo = SimpleUploadedFile("kettle.png", b"png", content_type="image/png")
    message_add(case=case, body="Photo", author_kind="customer", actor=None, attachments=[photo])
    compensation_propose(case=case, kind="refund", amount=Decimal("20.00"), actor=supervisor_user)
    Notification.objects.create(
        customer=order.customer,
        case=case,
        channel=Notification.Channel.EMAIL,
        template="case_created",
        language="de",
        recipient=order.customer.email,
        body="Hallo",
        idempotency_key=f"case_created:{case.pk}",
    )
    worker_heartbeat_record(hostname="celery@box1")
    client.force_login(superuser(username="root"))
    client.case = case
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("label", REGISTERED)
def test_every_admin_changelist_loads(admin_client_with_data, label):
    app_label, model_name = label.split(".")
    response = admin_client_with_data.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_case_admin_shows_status_read_only(admin_client_with_data):
    # given a case the superuser opens in the admin
    case = admin_client_with_data.case
    url = reverse("admin:tickets_case_change", args=[case.pk])
    response = admin_client_with_data.get(url)
    # then status is shown but not offered as an input
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="status"' not in content
    assert "field-status" in content
    assert "status" in response.context["adminform"].readonly_fields
