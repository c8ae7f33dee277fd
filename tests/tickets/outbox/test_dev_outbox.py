"""GET /agent/outbox/: every notification as its customer sees it, in the embedded mode."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.tickets.factories import CaseFactory, NotificationFactory, UserFactory
from tickets.models import Notification
from tickets.services.notifications import reply_address

pytestmark = pytest.mark.django_db

URL = "/agent/outbox/"
FROM = "Kettle Shop <support@kettles.example>"


# --- when the page exists ---------------------------------------------------------------------


def test_the_page_does_not_exist_with_real_email_delivery(settings, supervisor_client):
    # given DEBUG off and email going to a real backend (the tests' locmem stands in for SMTP)
    settings.DEBUG = False
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    # then even a supervisor gets a 404
    assert supervisor_client.get(URL).status_code == 404


def test_the_missing_page_is_a_404_before_any_sign_in(settings, client):
    settings.DEBUG = False
    assert client.get(URL).status_code == 404


def test_the_page_exists_while_email_is_saved_to_files(dev_outbox, supervisor_client):
    assert supervisor_client.get(URL).status_code == 200


def test_the_page_exists_with_debug_on(settings, supervisor_client):
    settings.DEBUG = True
    assert supervisor_client.get(URL).status_code == 200


# --- who may see it ---------------------------------------------------------------------------


@pytest.mark.usefixtures("dev_outbox")
def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/agent/login/?next={URL}"


@pytest.mark.usefixtures("dev_outbox")
def test_agents_are_forbidden(agent_client):
    assert agent_client.get(URL).status_code == 403


@pytest.mark.usefixtures("dev_outbox")
def test_users_without_a_role_are_forbidden(client):
    client.force_login(UserFactory(username="visitor"))
    assert client.get(URL).status_code == 403


@pytest.mark.usefixtures("dev_outbox")
def test_superusers_may_see_it(superuser_client):
    assert superuser_client.get(URL).status_code == 200


@pytest.mark.usefixtures("dev_outbox")
def test_post_is_not_allowed(supervisor_client):
    assert supervisor_client.post(URL).status_code == 405


# --- what it shows ----------------------------------------------------------------------------


@pytest.mark.usefixtures("dev_outbox")
def test_an_email_shows_its_headers_and_both_bodies(settings, supervisor_client):
    # given an email notification about a case
    settings.DEFAULT_FROM_EMAIL = FROM
    email = NotificationFactory(
        subject="Wir haben Ihre Anfrage erhalten",
        body="Hallo Anna,\nwir melden uns.\n",
        body_html="<p>Hallo Anna, wir <b>melden</b> uns.</p>",
    )
    # when the supervisor opens the outbox
    content = supervisor_client.get(URL).content.decode()
    # then the headers the customer saw are there
    assert "Wir haben Ihre Anfrage erhalten" in content
    assert "Kettle Shop &lt;support@kettles.example&gt;" in content
    assert email.recipient in content
    assert reply_address(email.case) in content
    # and the HTML body sits escaped in a sandboxed iframe, the text body beside it
    assert 'sandbox=""' in content
    assert 'srcdoc="&lt;p&gt;Hallo Anna, wir &lt;b&gt;melden&lt;/b&gt; uns.&lt;/p&gt;"' in content
    assert "Hallo Anna,\nwir melden uns." in content


@pytest.mark.usefixtures("dev_outbox")
def test_script_in_an_email_cannot_run_in_the_page(supervisor_client):
    # given an email whose HTML carries script and breaks out of attributes
    NotificationFactory(body_html='<img src=x onerror="alert(1)"><script>alert("x")</script>')
    content = supervisor_client.get(URL).content.decode()
    # then none of it reaches the page as markup
    assert "<script>alert" not in content
    assert "<img src=x" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content


@pytest.mark.usefixtures("dev_outbox")
@pytest.mark.parametrize(
    ("body", "segments"),
    [
        ("Your case is resolved.", "1 SMS segment"),
        ("x" * 161, "2 SMS segments"),
        ("您的案件已解决" * 11, "2 SMS segments"),  # 77 UCS-2 characters
    ],
)
def test_an_sms_shows_as_a_bubble_with_its_segments(supervisor_client, body, segments):
    sms = NotificationFactory(sms=True, body=body)
    content = supervisor_client.get(URL).content.decode()
    assert f'<p class="sms-bubble">{body}</p>' in content
    assert sms.recipient in content
    assert segments in content


@pytest.mark.usefixtures("dev_outbox")
def test_the_newest_come_first(supervisor_client):
    older, newer = NotificationFactory(), NotificationFactory()
    entries = supervisor_client.get(URL).context["entries"]
    assert [entry.notification for entry in entries] == [newer, older]


@pytest.mark.usefixtures("dev_outbox")
def test_filtering_by_channel_and_status(supervisor_client):
    # given an email, a text and a failed text
    email = NotificationFactory()
    sms = NotificationFactory(sms=True)
    failed = NotificationFactory(sms=True)
    Notification.objects.filter(pk=failed.pk).update(status=Notification.Status.FAILED)

    def shown(query):
        response = supervisor_client.get(URL, query)
        return {entry.notification.pk for entry in response.context["entries"]}

    assert shown({"channel": "email"}) == {email.pk}
    assert shown({"channel": "sms"}) == {sms.pk, failed.pk}
    assert shown({"channel": "sms", "status": "failed"}) == {failed.pk}
    assert shown({"status": "pending"}) == {email.pk, sms.pk}
    # and a value the form never offers shows everything
    assert shown({"channel": "fax", "status": "lost"}) == {email.pk, sms.pk, failed.pk}


@pytest.mark.usefixtures("dev_outbox")
def test_fifty_to_a_page_and_the_filter_survives_paging(supervisor_client):
    # given 51 texts
    case = CaseFactory()
    NotificationFactory.create_batch(51, sms=True, case=case)
    # when the first page is shown
    response = supervisor_client.get(URL, {"channel": "sms"})
    # then it holds 50, and the link to the next keeps the filter
    assert len(response.context["entries"]) == 50
    assert 'href="?channel=sms&amp;page=2"' in response.content.decode()
    assert len(supervisor_client.get(URL, {"channel": "sms", "page": 2}).context["entries"]) == 1


@pytest.mark.usefixtures("dev_outbox")
def test_the_query_count_does_not_grow_with_the_page(supervisor_client, django_assert_num_queries):
    # given two notifications on two cases, the page costs some number of queries
    NotificationFactory()
    NotificationFactory(sms=True)
    supervisor_client.get(URL)  # warm-up: the permissions kept, as at a worker's next request
    with CaptureQueriesContext(connection) as few:
        assert supervisor_client.get(URL).status_code == 200
    # when there is a full page of emails and texts, each on its own case
    for _ in range(30):
        NotificationFactory()
        NotificationFactory(sms=True)
    # then it costs exactly as many
    with django_assert_num_queries(len(few)):
        response = supervisor_client.get(URL)
    assert len(response.context["entries"]) == 50
