from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.tickets.factories import CaseFactory, TagFactory, agent
from tickets.errors import StaleVersion
from tickets.models import Case, Tag
from tickets.services.cases import case_assign, case_set_priority, case_set_tags, case_update

P = Case.Priority


def _stale_copy(case: Case) -> Case:
    """A copy read now; once someone else writes, it is one version behind."""
    return Case.objects.get(pk=case.pk)


# --- case_assign ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_assigning_gives_the_case_to_the_agent_and_records_it(case, agent_user, supervisor_user):
    # when a supervisor gives a queued case to an agent
    assigned = case_assign(case=case, assignee=agent_user, actor=supervisor_user)
    # then the row, the version and the timeline show it
    case.refresh_from_db()
    assert (case.assignee, case.version, assigned.version) == (agent_user, 2, 2)
    event = case.events.get()
    assert (event.verb, event.actor, event.data) == (
        "assigned",
        supervisor_user,
        {"previous": None, "assignee": agent_user.pk},
    )


@pytest.mark.django_db
def test_unassigning_puts_the_case_back_in_the_queue(case, agent_user):
    case = case_assign(case=case, assignee=agent_user, actor=agent_user)
    case = case_assign(case=case, assignee=None, actor=agent_user)
    case.refresh_from_db()
    assert (case.assignee, case.version) == (None, 3)
    assert case.events.last().data == {"previous": agent_user.pk, "assignee": None}


@pytest.mark.django_db
def test_assigning_to_the_current_assignee_changes_nothing(case, agent_user):
    case = case_assign(case=case, assignee=agent_user, actor=agent_user)
    case = case_assign(case=case, assignee=agent_user, actor=agent_user)
    case.refresh_from_db()
    assert (case.version, case.events.count()) == (2, 1)


@pytest.mark.django_db
def test_assigning_a_stale_copy_is_refused_and_the_row_is_unchanged(case, agent_user):
    # given two agents who loaded the same case; the first takes it
    first, second = _stale_copy(case), _stale_copy(case)
    case_assign(case=first, assignee=agent_user, actor=agent_user)
    # when the second, holding the old version, gives it to someone else
    other = agent(username="bob")
    with pytest.raises(StaleVersion) as excinfo:
        case_assign(case=second, assignee=other, actor=other)
    # then the first assignment stands
    assert excinfo.value.code == "stale_version"
    assert case.number in str(excinfo.value)
    case.refresh_from_db()
    assert (case.assignee, case.version, case.events.count()) == (agent_user, 2, 1)


# --- case_set_priority ------------------------------------------------------------------------


@pytest.mark.django_db
def test_raising_the_priority_moves_the_due_times_to_the_new_policy(agent_user):
    # given a normal defect case opened an hour ago (defect/urgent: 60 and 1440 minutes)
    opened = timezone.now() - timedelta(hours=1)
    case = CaseFactory(priority=P.NORMAL, created_at=opened)
    # when an agent makes it urgent
    updated = case_set_priority(case=case, priority=P.URGENT, actor=agent_user)
    # then due times are counted from opening with the urgent targets
    case.refresh_from_db()
    assert (case.priority, case.version, updated.version) == (P.URGENT, 2, 2)
    assert case.first_response_due == opened + timedelta(minutes=60)
    assert case.resolution_due == opened + timedelta(minutes=1440)
    event = case.events.get()
    assert (event.verb, event.actor, event.data) == (
        "priority_changed",
        agent_user,
        {"previous": P.NORMAL, "priority": P.URGENT},
    )


@pytest.mark.django_db
def test_after_the_first_response_only_the_resolution_due_time_moves(agent_user):
    # given a case that was answered already
    opened = timezone.now() - timedelta(hours=1)
    answered_due = opened + timedelta(minutes=480)
    case = CaseFactory(
        created_at=opened,
        first_response_due=answered_due,
        first_responded_at=opened + timedelta(minutes=5),
    )
    # when it becomes low priority (defect/low: 1440 and 7200 minutes)
    case_set_priority(case=case, priority=P.LOW, actor=agent_user)
    # then the met first-response target is kept and resolution follows the new policy
    case.refresh_from_db()
    assert case.first_response_due == answered_due
    assert case.resolution_due == opened + timedelta(minutes=7200)


@pytest.mark.django_db
def test_setting_the_same_priority_changes_nothing(case, agent_user):
    case_set_priority(case=case, priority=case.priority, actor=agent_user)
    case.refresh_from_db()
    assert (case.version, case.events.count()) == (1, 0)


@pytest.mark.django_db
def test_an_unknown_priority_is_refused_and_nothing_is_saved(case, agent_user):
    # when an agent asks for a priority that does not exist
    with pytest.raises(ValidationError) as excinfo:
        case_set_priority(case=case, priority="critical", actor=agent_user)
    # then the priority field is named and the row is as it was
    assert "priority" in excinfo.value.message_dict
    assert "Value 'critical' is not a valid choice." in excinfo.value.message_dict["priority"]
    case.refresh_from_db()
    assert (case.priority, case.version, case.events.count()) == (P.NORMAL, 1, 0)


@pytest.mark.django_db
def test_setting_the_priority_on_a_stale_copy_is_refused(case, agent_user):
    first, second = _stale_copy(case), _stale_copy(case)
    case_set_priority(case=first, priority=P.HIGH, actor=agent_user)
    with pytest.raises(StaleVersion):
        case_set_priority(case=second, priority=P.LOW, actor=agent_user)
    case.refresh_from_db()
    assert (case.priority, case.version, case.events.count()) == (P.HIGH, 2, 1)


# --- case_set_tags ----------------------------------------------------------------------------


def _tag_names(case: Case) -> list[str]:
    return sorted(case.tags.values_list("name", flat=True))


@pytest.mark.django_db
def test_tags_are_added_and_removed_and_the_event_lists_both(case, agent_user):
    # given a case tagged "fragile" and "vip"
    case.tags.set([TagFactory(name="fragile"), TagFactory(name="vip")])
    # when an agent sets "vip", "Customs" (new, mixed case) and "damaged"
    updated = case_set_tags(case=case, names=["vip", " Customs ", "damaged", ""], actor=agent_user)
    # then the tags are exactly those, new ones created lower-case
    assert _tag_names(case) == ["customs", "damaged", "vip"]
    assert Tag.objects.filter(name="customs").exists()
    case.refresh_from_db()
    assert (case.version, updated.version) == (2, 2)
    event = case.events.get()
    assert (event.verb, event.actor, event.data) == (
        "tags_changed",
        agent_user,
        {"added": ["customs", "damaged"], "removed": ["fragile"]},
    )


@pytest.mark.django_db
def test_the_same_tags_change_nothing(case, agent_user):
    case.tags.set([TagFactory(name="vip")])
    case_set_tags(case=case, names=["VIP"], actor=agent_user)
    case.refresh_from_db()
    assert (case.version, case.events.count()) == (1, 0)


@pytest.mark.django_db
def test_an_invalid_tag_name_is_refused_and_nothing_changes(case, agent_user):
    # given a case tagged "vip"
    case.tags.set([TagFactory(name="vip")])
    # when an agent sets a name with spaces and punctuation
    with pytest.raises(ValidationError) as excinfo:
        case_set_tags(case=case, names=["damaged", "not a slug!"], actor=agent_user)
    # then the name field is named, no tag was created and the case keeps its tags
    assert "name" in excinfo.value.message_dict
    assert "valid “slug”" in excinfo.value.message_dict["name"][0]
    assert _tag_names(case) == ["vip"]
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["vip"]
    case.refresh_from_db()
    assert (case.version, case.events.count()) == (1, 0)


@pytest.mark.django_db
def test_setting_tags_on_a_stale_copy_is_refused(case, agent_user):
    first, second = _stale_copy(case), _stale_copy(case)
    case_set_tags(case=first, names=["vip"], actor=agent_user)
    with pytest.raises(StaleVersion):
        case_set_tags(case=second, names=["fragile"], actor=agent_user)
    assert _tag_names(case) == ["vip"]
    case.refresh_from_db()
    assert (case.version, case.events.count()) == (2, 1)


# --- case_update --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_updating_priority_and_assignee_makes_both_changes(case, agent_user, supervisor_user):
    # when a supervisor raises the priority and assigns the case in one go
    updated = case_update(case=case, actor=supervisor_user, priority=P.URGENT, assignee=agent_user)
    # then both changes are stored, each with its event
    case.refresh_from_db()
    assert (case.priority, case.assignee, case.version) == (P.URGENT, agent_user, 3)
    assert updated.version == 3
    assert sorted(case.events.values_list("verb", flat=True)) == ["assigned", "priority_changed"]


@pytest.mark.django_db
def test_updating_only_the_priority_leaves_the_assignee(case, agent_user, supervisor_user):
    case = case_assign(case=case, assignee=agent_user, actor=supervisor_user)
    case_update(case=case, actor=supervisor_user, priority=P.HIGH)
    case.refresh_from_db()
    assert (case.priority, case.assignee) == (P.HIGH, agent_user)


@pytest.mark.django_db
def test_updating_from_a_stale_copy_changes_nothing(case, agent_user, supervisor_user):
    stale = _stale_copy(case)
    case_assign(case=case, assignee=agent_user, actor=supervisor_user)
    with pytest.raises(StaleVersion):
        case_update(case=stale, actor=supervisor_user, priority=P.LOW, assignee=None)
    stale.refresh_from_db()
    assert (stale.priority, stale.assignee, stale.version) == (P.NORMAL, agent_user, 2)
