"""Which cases an agent sees (CASE_VISIBILITY, or their group's choice), through the one rule
selectors.case_visible_to, on the API, the dashboard, attachments, notifications and search."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.tickets.factories import (
    CaseFactory,
    CustomerFactory,
    NotificationFactory,
    UserFactory,
    agent,
    superuser,
    supervisor,
)
from tickets import selectors
from tickets.models import Case, GroupCaseVisibility, Notification, Team
from tickets.services.messages import message_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Ana is an agent in team DACH. Five cases: hers (routed to China), DACH's, China's,
    one nobody has yet (no team, no assignee) and one routed to China but not picked up."""
    ana, bob = agent(username="ana"), agent(username="bob")
    dach = Team.objects.create(name="DACH")
    china = Team.objects.create(name="China")
    dach.members.add(ana, bob)
    china.members.add(bob)
    cases = SimpleNamespace(
        hers=CaseFactory(subject="hers", assignee=ana, team=china),
        dach=CaseFactory(subject="dach", team=dach, assignee=bob),
        china=CaseFactory(subject="china", team=china, assignee=bob),
        unrouted=CaseFactory(subject="unrouted"),
        china_queue=CaseFactory(subject="china queue", team=china),
    )
    return SimpleNamespace(ana=ana, bob=bob, cases=cases)


VISIBLE = {
    "all": {"hers", "dach", "china", "unrouted", "china queue"},
    "teams": {"hers", "dach", "unrouted"},
    "own": {"hers"},
}


def subjects(user) -> set[str]:
    return set(selectors.case_list(user=user).values_list("subject", flat=True))


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("visibility", ["all", "teams", "own"])
def test_the_setting_decides_what_an_agent_sees(settings, world, visibility):
    # given the setting
    settings.CASE_VISIBILITY = visibility
    # then the selector, the API list and the dashboard counts agree on it
    assert subjects(world.ana) == VISIBLE[visibility]
    listed = api_as(world.ana).get("/api/v1/cases/", {"page_size": 100}).json()["results"]
    assert {row["subject"] for row in listed} == VISIBLE[visibility]
    counts = selectors.case_counts_by_status(user=world.ana)
    assert sum(counts.values()) == len(VISIBLE[visibility])


def test_by_default_agents_see_every_case(world):
    assert subjects(world.ana) == VISIBLE["all"]


def test_a_groups_choice_overrides_the_setting(settings, world):
    # given the setting says all, but the Agents group is set to own cases
    settings.CASE_VISIBILITY = "all"
    GroupCaseVisibility.objects.create(group=Group.objects.get(name="Agents"), visibility="own")
    # then Ana sees only hers
    assert subjects(world.ana) == VISIBLE["own"]


def test_a_user_in_several_groups_gets_the_widest(settings, world):
    settings.CASE_VISIBILITY = "own"
    seniors = Group.objects.create(name="Senior agents")
    GroupCaseVisibility.objects.create(group=seniors, visibility="teams")
    GroupCaseVisibility.objects.create(group=Group.objects.get(name="Agents"), visibility="own")
    world.ana.groups.add(seniors)
    assert subjects(world.ana) == VISIBLE["teams"]


def test_supervisors_and_superusers_see_every_case_whatever_the_setting(settings, world):
    settings.CASE_VISIBILITY = "own"
    GroupCaseVisibility.objects.create(
        group=Group.objects.get(name="Supervisors"), visibility="own"
    )
    assert subjects(supervisor(username="sam")) == VISIBLE["all"]
    assert subjects(superuser(username="root")) == VISIBLE["all"]


def test_nobody_signed_in_sees_nothing(world):
    assert subjects(AnonymousUser()) == set()


def test_the_dashboard_counts_only_visible_cases(settings, client, world):
    settings.CASE_VISIBILITY = "own"
    client.force_login(world.ana)
    counts = client.get("/agent/").context["counts"]
    assert sum(counts.by_status.values()) == 1


def test_a_case_out_of_sight_is_a_404_on_the_api(settings, world):
    settings.CASE_VISIBILITY = "teams"
    api = api_as(world.ana)
    hidden, seen = world.cases.china, world.cases.dach
    for suffix in ("", "messages/", "events/"):
        assert api.get(f"/api/v1/cases/{hidden.number}/{suffix}").status_code == 404
        assert api.get(f"/api/v1/cases/{seen.number}/{suffix}").status_code == 200
    move = {"to": "open", "version": 1}
    response = api.post(f"/api/v1/cases/{hidden.number}/transitions/", move, format="json")
    assert response.status_code == 404
    hidden.refresh_from_db()
    assert hidden.status == Case.Status.NEW


def test_customers_and_orders_follow_their_cases(settings, world):
    # given a customer whose only case Ana cannot see, and a customer with no case yet
    settings.CASE_VISIBILITY = "own"
    hidden = world.cases.china.customer
    newcomer = CustomerFactory(email="new@example.com")
    api = api_as(world.ana)
    # then the hidden customer and their order are a 404 and left out of lists and searches
    assert api.get(f"/api/v1/customers/{hidden.pk}/").status_code == 404
    assert api.get(f"/api/v1/orders/{world.cases.china.order.pk}/").status_code == 404
    assert api.get("/api/v1/customers/", {"search": hidden.email}).json()["count"] == 0
    # while hers and the newcomer (a case can be opened for them) are there
    assert api.get(f"/api/v1/customers/{world.cases.hers.customer.pk}/").status_code == 200
    assert api.get(f"/api/v1/customers/{newcomer.pk}/").status_code == 200
    emails = {row["email"] for row in api.get("/api/v1/customers/").json()["results"]}
    assert emails == {world.cases.hers.customer.email, newcomer.email}


def test_attachments_of_a_case_out_of_sight_are_a_404(settings, client, media_root, world):
    settings.CASE_VISIBILITY = "own"
    photo = SimpleUploadedFile("kettle.png", b"png", content_type="image/png")
    message = message_add(
        case=world.cases.china, body="Photo", author_kind="customer", actor=None,
        attachments=[photo],
    )  # fmt: skip
    client.force_login(world.ana)
    assert client.get(f"/agent/attachments/{message.attachments.get().pk}/").status_code == 404
    client.force_login(world.bob)
    assert client.get(f"/agent/attachments/{message.attachments.get().pk}/").status_code == 200


def failed(case) -> Notification:
    notification = NotificationFactory(case=case, customer=case.customer)
    Notification.objects.filter(pk=notification.pk).update(status=Notification.Status.FAILED)
    return notification


def test_failed_notifications_of_cases_out_of_sight_are_neither_listed_nor_retried(
    settings, client, world
):
    settings.CASE_VISIBILITY = "own"
    hers, hidden = failed(world.cases.hers), failed(world.cases.china)
    client.force_login(world.ana)
    response = client.get("/agent/notifications/failed/")
    assert list(response.context["page"]) == [hers]
    assert selectors.notification_failed_count(user=world.ana) == 1
    assert client.post(f"/agent/notifications/{hidden.pk}/retry/").status_code == 404
    hidden.refresh_from_db()
    assert hidden.status == Notification.Status.FAILED


def test_an_agent_may_not_enter_the_admin_even_as_staff(client, world):
    # the admin shows every case, so it is for supervisors only
    world.ana.is_staff = True
    world.ana.save()
    client.force_login(world.ana)
    for url in ("/admin/", f"/admin/tickets/case/{world.cases.china.pk}/change/"):
        response = client.get(url, follow=True)
        assert response.status_code == 403, url
        assert b"AS-" not in response.content


# --- query counts stay flat -------------------------------------------------------------------


def queries(client, url) -> int:
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("visibility", ["all", "teams", "own"])
def test_lists_cost_the_same_queries_for_2_or_20_visible_cases(settings, client, visibility):
    settings.CASE_VISIBILITY = visibility
    ana = agent(username="ana")
    team = Team.objects.create(name="DACH")
    team.members.add(ana)

    def add_cases(count):
        for _ in range(count):
            failed(CaseFactory(assignee=ana, team=team))
            CaseFactory(team=Team.objects.get_or_create(name="China")[0])

    api = api_as(ana)
    client.force_login(ana)
    urls = ["/agent/", "/agent/notifications/failed/"]
    add_cases(2)
    api_before = queries(api, "/api/v1/cases/")
    before = [queries(client, url) for url in urls]
    add_cases(18)
    assert queries(api, "/api/v1/cases/") == api_before
    assert [queries(client, url) for url in urls] == before


def test_the_rule_costs_one_query_to_decide(settings, django_assert_num_queries):
    settings.CASE_VISIBILITY = "teams"
    ana = agent(username="ana")
    with django_assert_num_queries(1):
        selectors.case_visible_to(ana)
    plain = UserFactory(username="plain")
    with django_assert_num_queries(1):
        selectors.case_visibility_of(user=plain)
