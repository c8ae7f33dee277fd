"""The agents and teams the dashboard's pickers offer (selectors/staff.py): kept in the cache,
forgotten at once when who may work cases, or a team, changes."""

import pytest
from django.contrib.auth.models import Group, Permission

from tests.tickets.factories import UserFactory, agent
from tickets.models import Team
from tickets.selectors.staff import staff_get

pytestmark = pytest.mark.django_db

LIST = "/agent/cases/"


def offered(staff=None) -> dict[int, str]:
    staff = staff or staff_get()
    return dict(staff.agent_choices()) | {-team: name for team, name in staff.team_choices()}


def test_a_second_read_asks_the_database_nothing(agent_user, django_assert_num_queries):
    with django_assert_num_queries(2):  # the agents, the teams
        first = staff_get()
    with django_assert_num_queries(0):
        assert staff_get() == first


def test_the_list_offers_a_new_agent_at_once(agent_client):
    agent_client.get(LIST)  # the pickers are kept
    bob = agent(username="bob", first_name="Bob", last_name="Marley")
    assert f'<option value="{bob.pk}">Bob Marley</option>' in agent_client.get(LIST).text


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda user: user.groups.clear(), id="left the agents' group"),
        pytest.param(
            lambda user: setattr(user, "is_active", False) or user.save(), id="deactivated"
        ),
        pytest.param(lambda user: user.delete(), id="deleted"),
        pytest.param(
            lambda user: Group.objects.get(name="Agents").permissions.remove(
                Permission.objects.get(codename="view_case")
            ),
            id="the group lost the permission",
        ),
    ],
)
def test_an_agent_who_may_no_longer_work_cases_is_forgotten_at_once(agent_user, change):
    bob = agent(username="bob")
    assert bob.pk in offered()
    change(bob)
    assert bob.pk not in offered()


def test_a_direct_permission_counts_at_once():
    clerk = UserFactory(username="clerk")
    assert clerk.pk not in offered()
    clerk.user_permissions.add(Permission.objects.get(codename="view_case"))
    assert clerk.pk in offered()


def test_a_team_renamed_or_added_shows_at_once():
    team = Team.objects.create(name="Returns")
    assert offered()[-team.pk] == "Returns"
    team.name = "Returns EU"
    team.save()
    other = Team.objects.create(name="Shipping")
    assert (offered()[-team.pk], offered()[-other.pk]) == ("Returns EU", "Shipping")


def test_a_sign_in_keeps_them(agent_client, agent_user, django_assert_num_queries):
    staff_get()
    agent_client.force_login(agent_user)  # saves last_login, as every sign-in does
    with django_assert_num_queries(0):
        staff_get()
