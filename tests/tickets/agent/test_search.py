"""The list's search: case number, order number, customer email or name, message text; on
PostgreSQL by full-text search, on SQLite by a simple match. Never shows a hidden case."""

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.tickets.factories import CaseFactory, CustomerFactory, OrderFactory, TagFactory, agent
from tickets.models import Case, CaseTag, Customer, Message
from tickets.selectors.case_queue import QueueFilters, case_queue, case_search_ids
from tickets.services.messages import message_add
from tickets.services.transitions import case_transition

LIST = "/agent/cases/"


def found(client, q: str, status: str = "all") -> set[str]:
    """What the list finds for `q` among the cases of `status` ("": the active ones)."""
    response = client.get(LIST, {"q": q, "status": status})
    assert response.status_code == 200
    return {row.number for row in response.context["rows"]}


@pytest.fixture
def world(db):
    maria = CustomerFactory(email="maria.lopez@example.com", name="María López")
    return {
        "by_order": CaseFactory(order=OrderFactory(number="SHOP-77123")),
        "by_customer": CaseFactory(customer=maria, order=OrderFactory(customer=maria)),
        "by_message": CaseFactory(),
        "other": CaseFactory(),
    }


@pytest.mark.django_db
def test_search_by_case_number_in_any_case(agent_client, world):
    case = world["other"]
    assert found(agent_client, case.number.lower()) == {case.number}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("q", "by_number"),
    [("AS-ACDE-FGHJ", True), ("as-acde-fghj", True), ("María López", False), ("Bernard", False)],
)
def test_only_what_can_be_a_case_number_is_looked_up_by_number(q, by_number):
    # when a search is for something shaped like a case number, or for a name or a word
    with CaptureQueriesContext(connection) as captured:
        case_search_ids(q=q)
    # then only the first is looked up by the case's number (a name costs no lookup more)
    (search,) = captured.captured_queries
    assert ('a."number" = ' in search["sql"]) is by_number


@pytest.mark.django_db
def test_search_by_order_number(agent_client, world):
    assert found(agent_client, "SHOP-77123") == {world["by_order"].number}


@pytest.mark.django_db
def test_search_by_customer_email_or_name(agent_client, world):
    expected = {world["by_customer"].number}
    assert found(agent_client, "maria.lopez@example.com") == expected
    # a whole address in any case (one index lookup), or a part of one
    assert found(agent_client, "Maria.Lopez@EXAMPLE.com") == expected
    assert found(agent_client, "lopez@exam") == expected
    assert found(agent_client, "opez@example.com") == set()
    assert found(agent_client, "López") == expected


@pytest.mark.django_db
def test_search_by_words_of_a_message(agent_client, world):
    message_add(
        case=world["by_message"],
        body="The lid cracked after the descaling cycle",
        author_kind="customer",
        actor=None,
    )
    assert found(agent_client, "descaling") == {world["by_message"].number}
    assert found(agent_client, "lid cracked") == {world["by_message"].number}
    assert found(agent_client, "nothing like it") == set()


@pytest.mark.django_db
def test_search_never_shows_a_case_the_agent_may_not_see(client, settings, world):
    settings.CASE_VISIBILITY = "own"
    ana = agent(username="ana")
    client.force_login(ana)
    assert found(client, "SHOP-77123") == set()
    assert world["by_order"].number not in client.get(LIST, {"q": "SHOP-77123"}).content.decode()


@pytest.mark.django_db
def test_search_keeps_at_most_the_cap_and_says_so(agent_client, monkeypatch):
    monkeypatch.setattr("tickets.selectors.case_queue.SEARCH_CAP", 2)
    for _ in range(3):
        CaseFactory()
    ids, capped = case_search_ids(q="example.com")
    assert len(ids) == 2 and capped
    response = agent_client.get(LIST, {"q": "example.com"})
    assert response.context["page"].search_capped
    assert "only the first" in response.content.decode()


@pytest.mark.django_db
def test_the_cap_counts_only_cases_the_list_could_show(agent_client, monkeypatch):
    # given more closed cases matching than the cap, and one open case matching too
    monkeypatch.setattr("tickets.selectors.case_queue.SEARCH_CAP", 2)
    for _ in range(3):
        CaseFactory(status="closed")
    active = CaseFactory(status="open")
    # then the default list (active cases) still finds the open one, and says nothing is cut
    response = agent_client.get(LIST, {"q": "example.com"})
    assert [row.number for row in response.context["rows"]] == [active.number]
    assert not response.context["page"].search_capped


@pytest.mark.django_db
def test_a_case_found_by_its_messages_follows_its_status(agent_client, agent_user):
    # given an open case the customer wrote about
    case = CaseFactory(status="open")
    message_add(case=case, body="The kettle whistles off-key", author_kind="customer", actor=None)
    assert found(agent_client, status="", q="kettle") == {case.number}
    # when it is resolved, and an agent notes something on it
    case_transition(case=case, to="resolved", actor=agent_user)
    message_add(
        case=case, body="Descaler ordered", author_kind="agent", actor=agent_user,
        visibility="internal",
    )  # fmt: skip
    # then only a search of every status finds it, by either message
    assert found(agent_client, status="", q="kettle") == set()
    assert found(agent_client, "kettle") == found(agent_client, "descaler") == {case.number}
    # and once the customer's new message reopens it, the active list finds it by each message
    message_add(case=case, body="Still whistling", author_kind="customer", actor=None)
    case.refresh_from_db()
    assert case.status == "open"
    for word in ("kettle", "descaler", "whistling"):
        assert found(agent_client, status="", q=word) == {case.number}


@pytest.mark.django_db
def test_a_case_found_by_its_customer_follows_its_status(agent_client, agent_user):
    # given a customer with an open case and a resolved one
    anna = CustomerFactory(email="anna.berg@example.se", name="Anna Berg")
    open_case = CaseFactory(customer=anna, status="open")
    CaseFactory(customer=anna, status="resolved")
    for q in ("Berg", "anna.berg@"):
        assert found(agent_client, status="", q=q) == {open_case.number}
    # when the open one is resolved, only a search of every status finds her cases
    case_transition(case=open_case, to="resolved", actor=agent_user)
    assert found(agent_client, status="", q="Berg") == set()
    assert len(found(agent_client, "Berg")) == 2
    # and a new case of hers is found among the active ones again
    new = CaseFactory(customer=anna, status="new")
    assert found(agent_client, status="", q="Berg") == {new.number}


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the triggers and the index are PostgreSQL's"
)


@on_postgresql
@pytest.mark.django_db
def test_postgresql_keeps_each_message_s_case_active_flag(agent_user):
    open_case, resolved = CaseFactory(status="open"), CaseFactory(status="resolved")
    message = message_add(case=open_case, body="Hello", author_kind="customer", actor=None)
    note = message_add(
        case=resolved, body="Note", author_kind="agent", actor=agent_user, visibility="internal"
    )
    flags = dict(Message.objects.values_list("pk", "case_active"))
    assert (flags[message.pk], flags[note.pk]) == (True, False)
    # a message moved to another case (as a merge moves them) takes that case's flag
    Message.objects.filter(pk=note.pk).update(case=open_case)
    Message.objects.filter(pk=message.pk).update(case=resolved)
    flags = dict(Message.objects.values_list("pk", "case_active"))
    assert (flags[message.pk], flags[note.pk]) == (False, True)
    # a status change that stays on one side (resolved → closed) rewrites nothing
    Case.objects.filter(pk=resolved.pk).update(status="closed")
    assert not Message.objects.get(pk=message.pk).case_active


@on_postgresql
@pytest.mark.django_db
def test_postgresql_keeps_each_case_tag_s_case_active_flag(agent_user):
    open_case, resolved = CaseFactory(status="open"), CaseFactory(status="resolved")
    vip, fragile = TagFactory(name="vip"), TagFactory(name="fragile")
    open_case.tags.add(vip)
    resolved.tags.add(vip, fragile)

    def flags():
        return set(CaseTag.objects.filter(case_active=True).values_list("case_id", "tag_id"))

    assert flags() == {(open_case.pk, vip.pk)}
    # a status that crosses sides rewrites the case's tags, one that stays on a side none
    case_transition(case=open_case, to="resolved", actor=agent_user)
    Case.objects.filter(pk=resolved.pk).update(status="open")
    assert flags() == {(resolved.pk, vip.pk), (resolved.pk, fragile.pk)}
    Case.objects.filter(pk=open_case.pk).update(status="closed")
    assert flags() == {(resolved.pk, vip.pk), (resolved.pk, fragile.pk)}
    # a tag moved to another case takes that case's flag
    CaseTag.objects.filter(case=resolved, tag=fragile).update(case=open_case)
    assert flags() == {(resolved.pk, vip.pk)}


@on_postgresql
@pytest.mark.django_db
def test_postgresql_keeps_each_customer_s_has_active_cases_flag():
    anna, ben = CustomerFactory(), CustomerFactory()
    first = CaseFactory(customer=anna, status="open")
    second = CaseFactory(customer=anna, status="resolved")
    CaseFactory(customer=ben, status="closed")

    def flags():
        return (
            Customer.objects.get(pk=anna.pk).has_active_cases,
            Customer.objects.get(pk=ben.pk).has_active_cases,
        )

    assert flags() == (True, False)
    # a second active case, then one of the two resolved: she still has one
    Case.objects.filter(pk=second.pk).update(status="waiting_on_customer")
    Case.objects.filter(pk=first.pk).update(status="resolved")
    assert flags() == (True, False)
    # a status that stays on the active side changes nothing; the last one resolved, false
    Case.objects.filter(pk=second.pk).update(status="open")
    assert flags() == (True, False)
    Case.objects.filter(pk=second.pk).update(status="closed")
    assert flags() == (False, False)
    # an active case moved to another customer moves the flag with it
    Case.objects.filter(pk=first.pk).update(status="open")
    Case.objects.filter(pk=first.pk).update(customer=ben)
    assert flags() == (False, True)
    # a new active case sets it, deleting the last active case clears it
    CaseFactory(customer=anna, status="new")
    Case.objects.filter(pk=first.pk).delete()
    assert flags() == (True, False)


@on_postgresql
@pytest.mark.django_db
def test_postgresql_searches_the_customers_with_active_cases_in_their_own_indexes(world):
    # given a search among the active cases, and one among every case
    searched = []
    for among, active_only in ((Case.objects.filter(active=True), True), (Case.objects, False)):
        with CaptureQueriesContext(connection) as captured:
            case_search_ids(q="lopez@exam", among=among.all(), active_only=active_only)
        searched.append(captured.captured_queries[0]["sql"])
    # then among the active cases both customer arms (email, name) ask for customers with an
    # active case, among every case neither does
    flag = '"tickets_customer"."has_active_cases"'
    assert [sql.count(flag) for sql in searched] == [2, 0]
    # and such a customer's name or part of an email is read from the partial trigram indexes
    # (with a few rows the planner reaches the customers from the cases instead: the plan of
    # the arm's own subquery shows that the indexes serve it)
    for column in ("name", "email"):
        lookup = {f"{column}__icontains": "lop"}
        customers = Customer.objects.filter(has_active_cases=True, **lookup)
        plan = plan_of(
            *customers.values("pk").query.sql_with_params(),
            without_full_indexes_of="tickets_customer",
        )
        assert reads_index(plan, f"customer_{column}_trgm_active"), plan


@on_postgresql
@pytest.mark.django_db
def test_postgresql_searches_active_cases_messages_in_their_own_index(world):
    cases = Case.objects.filter(active=True)
    with CaptureQueriesContext(connection) as captured:
        case_search_ids(q="kettle", among=cases, active_only=True)
    (sql,) = [query["sql"] for query in captured.captured_queries]
    plan = plan_of(sql)
    assert "message_body_fts_active" in plan


def plan_of(sql: str, params=None, *, without_full_indexes_of: str = "") -> str:
    """PostgreSQL's plan of `sql`, sequential scans off (a few rows: make the planner show its
    indexes). `without_full_indexes_of` names a table whose indexes that hold every row and
    back no constraint are dropped first, inside the test's transaction (so they come back
    after it): with a few rows their cost and a partial index's are nearly the same, and which
    one the planner picked turned on the statistics an earlier test left (ANALYZE sets the
    table's size outside its transaction); without them the plan shows whether a partial
    index can serve the query at all."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if without_full_indexes_of:
            cursor.execute(
                "SELECT i.indexrelid::regclass::text FROM pg_index i"
                " WHERE i.indrelid = %s::regclass AND i.indpred IS NULL"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                [without_full_indexes_of],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP INDEX {name}")  # a name PostgreSQL quoted
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def reads_index(plan: str, name: str) -> bool:
    return f" on {name}" in plan or f"using {name} " in plan


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filters", "index"),
    [
        (QueueFilters(), None),
        (QueueFilters(status="waiting_on_customer"), None),
        # the triage queue: unassigned active cases, in the default order, from their own index
        (QueueFilters(assignee="none"), "case_active_unassigned"),
    ],
)
def test_postgresql_reads_a_list_of_active_cases_from_a_partial_index(world, filters, index):
    # the active cases, or one active status: either way the query says `active`, which the
    # partial indexes of active cases are conditioned on
    cases, _found, _capped = case_queue(user=agent(), filters=filters)
    plan = plan_of(
        *cases.values("pk").query.sql_with_params(), without_full_indexes_of="tickets_case"
    )
    partial = [index.name for index in Case._meta.indexes if index.condition] + [
        constraint.name for constraint in Case._meta.constraints
    ]
    used = [name for name in partial if reads_index(plan, name)]
    assert used, plan
    assert index is None or used == [index], plan


@on_postgresql
@pytest.mark.django_db
def test_postgresql_knows_that_a_chosen_active_status_makes_a_case_active():
    # given as many open cases as closed ones, and the planner's statistics of them
    CaseFactory.create_batch(30, status=Case.Status.OPEN)
    CaseFactory.create_batch(30, status=Case.Status.CLOSED)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tickets_case")

    def expected_rows(cases) -> int:
        sql, params = cases.values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            return cursor.fetchone()[0][0]["Plan"]["Plan Rows"]

    # then `active` beside the status does not halve the rows it expects (as it would for two
    # independent conditions): it would sort every open case rather than read the first page
    # from the index of active cases in order
    open_cases = Case.objects.filter(status=Case.Status.OPEN).order_by()
    assert expected_rows(open_cases.filter(active=True)) == expected_rows(open_cases)


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize(("few_tagged", "from_tag_rows"), [(1000, True), (2, False)])
def test_postgresql_lists_a_tag_on_few_active_cases_from_its_own_rows(
    monkeypatch, few_tagged, from_tag_rows
):
    # given a tag on three active cases and a resolved one
    monkeypatch.setattr("tickets.selectors.case_queue.FEW_TAGGED", few_tagged)
    vip = TagFactory(name="vip")
    for status in ("open", "open", "waiting_on_customer", "resolved"):
        CaseFactory(status=status).tags.add(vip)
    CaseFactory.create_batch(3, status="open")
    cases, _hits, _capped = case_queue(user=agent(), filters=QueueFilters(tag="vip"))
    plan = plan_of(*cases.values("pk").query.sql_with_params())
    active_indexes = [index.name for index in Case._meta.indexes if index.condition]
    cases_read_as_active = any(reads_index(plan, name) for name in active_indexes) or any(
        "Filter:" in line and re.search(r"\bactive\b", line) for line in plan.splitlines()
    )
    # then a tag on few active cases is read from the tag's rows of active cases and its cases
    # fetched by id, with no condition of their own on being active (beside the tag's, it
    # made PostgreSQL guess the tag's active cases at 3% and read every active case); a tag
    # on more also asks the cases, as before
    assert cases_read_as_active != from_tag_rows, plan
    assert len(cases) == 3


@pytest.mark.django_db
def test_search_among_filters_that_join_or_match_nothing(world):
    # given cases among a filter that joins the customer, and among one that matches nothing
    maria = world["by_customer"]
    in_spain = Case.objects.filter(customer__country=maria.customer.country)
    # then the search reads its arms within that filter, and finds nothing within nothing
    assert case_search_ids(q="maria.lopez@example.com", among=in_spain) == ([maria.pk], False)
    assert case_search_ids(q="maria.lopez@example.com", among=in_spain.exclude(pk=maria.pk)) == (
        [],
        False,
    )
    assert case_search_ids(q="maria", among=Case.objects.filter(pk__in=[])) == ([], False)
    # and one search query runs, whatever the number of arms
    with CaptureQueriesContext(connection) as captured:
        case_search_ids(q="SHOP-77123", among=in_spain)
    assert len(captured) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sort", ["sla_due", "-sla_due", "created", "-created", "-updated", "priority", "-priority"]
)
def test_a_search_pages_its_matches_as_the_list_pages_its_cases(frozen, agent_client, sort):
    # given 60 cases of one customer: some sharing a due time, some without one (NULLs), across
    # two priorities and five creation and update times (ties broken by the id)
    now = timezone.now()
    anna = CustomerFactory(name="Anna Lindqvist")
    for i in range(60):
        case = CaseFactory(
            customer=anna,
            order=OrderFactory(customer=anna),
            sla_due=None if i % 7 == 0 else now + timedelta(minutes=i % 5),
            priority="high" if i % 2 else "normal",
        )
        Case.objects.filter(pk=case.pk).update(
            created_at=now - timedelta(hours=i % 5), updated_at=now - timedelta(minutes=i % 3)
        )

    def pages(query: dict[str, str]) -> list[list[str]]:
        walked, url = [], f"{LIST}?{urlencode(query)}"
        while url:
            response = agent_client.get(url)
            assert response.status_code == 200
            walked.append([row.number for row in response.context["rows"]])
            url = response.context["next_url"] and LIST + response.context["next_url"]
        return walked

    # then a search that finds them all pages them as the list without a search does: the same
    # cases on the same pages, in the same order (the search sorts its matches itself)
    searched = pages({"q": "Lindqvist", "sort": sort})
    assert searched == pages({"sort": sort})
    assert [len(page) for page in searched] == [25, 25, 10]
