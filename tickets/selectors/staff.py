"""The agents a case can go to and the teams, as the dashboard's pickers offer them.

Every case list, search and workspace page shows both, and they change a few times a day, yet
reading them (the agents through their groups' permissions) cost about 3 ms a page, an eighth
of a list page. So they are kept in the cache under STAFF_KEY until a change to an account, a
group, a permission or a team forgets them (tickets/receivers.py), or STAFF_SECONDS pass."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.cache import cache

from tickets.models import Team

from .access import user_list_assignable

STAFF_KEY = "tickets:staff"
STAFF_SECONDS = 300
NAME_FIELDS = ("username", "first_name", "last_name")


@dataclass(frozen=True)
class Staff:
    agents: list[User]  # the active accounts that may work cases, by id
    teams: list[Team]  # by name, with their name only

    def agent_choices(self) -> list[tuple[int, str]]:
        """(id, name) of each agent: their full name, else their username."""
        return [(agent.pk, agent.get_full_name() or agent.get_username()) for agent in self.agents]

    def team_choices(self) -> list[tuple[int, str]]:
        return [(team.pk, team.name) for team in self.teams]


def staff_get() -> Staff:
    """The agents and teams: from the cache, else read (two queries) and kept."""
    staff: Staff | None = cache.get(STAFF_KEY)
    if staff is None:
        staff = Staff(
            # Their names only: no password hash goes to the cache.
            agents=list(user_list_assignable().only(*NAME_FIELDS)),  # type: ignore[arg-type]
            teams=list(Team.objects.only("name").order_by("name")),
        )
        cache.set(STAFF_KEY, staff, STAFF_SECONDS)
    return staff


def users_named(pks: Iterable[int | None]) -> dict[int, User]:
    """The users `pks` (None left out) by id, with their names only (NAME_FIELDS): the people
    a page names beyond the cached staff. No query for none."""
    wanted = {pk for pk in pks if pk is not None}
    return get_user_model().objects.only(*NAME_FIELDS).in_bulk(wanted) if wanted else {}


def staff_forget() -> None:
    """Drop the kept agents and teams; the next page reads them again."""
    cache.delete(STAFF_KEY)
