"""The agent's case list (the queue): filters, search, sort and keyset pages, and the home
page's counts. Every read applies the visibility rule (case_visible_to), so an agent who sees
only their own or their team's cases never meets another case here, counted or searched.

Built for a million cases: a page reads its rows by an index in the order asked for (keyset
pagination, never OFFSET), counts stop at a cap, and a search first collects the matching case
ids (each kind of match by its own index) up to SEARCH_CAP."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.exceptions import EmptyResultSet, ValidationError
from django.core.validators import validate_email
from django.db import connections
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from tickets.models import Case, CaseTag, Customer, Message, Order
from tickets.scenarios import case_filters, case_search_arms

from .access import AnyUser, case_visible_to
from .counts import Tally, row_count, rows_kept
from .cursors import BadCursor, cursor_decode, cursor_encode, cursor_time

# An SLA is "at risk" when it falls due within this long (UI.md: amber within the hour).
SLA_AT_RISK = timedelta(hours=1)
SLA_STATES = ("at_risk", "breached", "paused", "ok")

# The sort keys of the list: the column, and whether it may be NULL (only the SLA due time,
# whose NULLs, cases with no running clock, come last either way).
SORTS: dict[str, tuple[str, bool]] = {
    "sla_due": ("sla_due", True),
    "created": ("created_at", False),
    "updated": ("updated_at", False),
    "priority": ("priority_rank", False),
}
DEFAULT_SORT = "sla_due"

# The longest a case number can be: a longer search is not looked up by number.
NUMBER_LENGTH: int = Case._meta.get_field("number").max_length  # type: ignore[assignment]
# A search keeps at most this many matching cases (a name shared by thousands of customers
# would otherwise feed every one of their cases to the page's sort); the page says so.
SEARCH_CAP = 500
# A tag on at most this many active cases is listed from its own rows (case_queue).
FEW_TAGGED = 1000
# How far the list counts its rows exactly ("1–25 of 137"); beyond it "about N" / "N+".
QUEUE_COUNT_CAP = 1000


@dataclass(frozen=True)
class QueueFilters:
    """What the agent asked the list for; empty values filter nothing."""

    kind: str = ""
    # "" is the active statuses, "all" every status, else one status value.
    status: str = ""
    # "me", "none", a user id as a string, or "".
    assignee: str = ""
    team: int | None = None
    priority: str = ""
    sla: str = ""
    country: str = ""
    language: str = ""
    tag: str = ""
    q: str = ""
    sort: str = DEFAULT_SORT
    descending: bool = False
    # The scenarios' filters (tickets.scenarios.CaseFilter) asked for: (key, value) pairs.
    extra: tuple[tuple[str, str], ...] = ()


@dataclass
class QueuePage:
    rows: list[Any]  # named tuples of ROW_FIELDS
    next_cursor: str
    count: Tally | None
    # More cases matched the search than SEARCH_CAP; only that many were kept.
    search_capped: bool = False
    first: bool = True


# --- search ------------------------------------------------------------------------------------


def _message_matches(q: str, vendor: str, *, active_only: bool) -> QuerySet[Message]:
    if vendor == "postgresql":
        # The very expression of the GIN indexes message_body_fts (migration 0016) and, of the
        # active cases' messages only, message_body_fts_active (0023): a common word's
        # messages on closed cases are never read when only active cases can be listed.
        messages = Message.objects.annotate(document=SearchVector("body", config="simple"))
        if active_only:
            messages = messages.filter(case_active=True)
        return messages.filter(document=SearchQuery(q, config="simple", search_type="plain"))
    return Message.objects.filter(body__icontains=q)


def _is_email(q: str) -> bool:
    try:
        validate_email(q)
    except ValidationError:
        return False
    return True


def _may_be_case_number(q: str) -> bool:
    """Whether `q` can be a whole case number (PREFIX-XXXX-XXXX, at most its column's length):
    a search for a name or a word is not looked up by number too."""
    return "-" in q and len(q) <= NUMBER_LENGTH and not any(char.isspace() for char in q)


def case_search_ids(
    *, q: str, among: QuerySet[Case] | None = None, active_only: bool = False
) -> tuple[list[int], bool]:
    """The ids of the cases of `among` (default: every case) matching `q`, at most SEARCH_CAP,
    and whether there were more (case_search_hits without the sort values)."""
    hits, capped = case_search_hits(q=q, among=among, active_only=active_only)
    return [pk for pk, _value in hits], capped


def case_search_hits(
    *,
    q: str,
    among: QuerySet[Case] | None = None,
    active_only: bool = False,
    key: str = "pk",
) -> tuple[list[tuple[int, Any]], bool]:
    """The cases of `among` (default: every case) matching `q`, at most SEARCH_CAP, each as its
    id and the value of its column `key` (the list's sort key), and whether there were more: by
    case number, order number, customer email or name, or words of a message. `among`
    carries the list's other filters and the visibility rule, so the cap counts only cases the
    list could show; `active_only` says that it holds active cases only. Each scenario may add
    arms of its own through the registry's `case_search` (shipments: a tracking number). One
    query."""
    q = q.strip()
    cases = (Case.objects.all() if among is None else among).order_by()
    vendor = connections[cases.db].vendor
    messages = _message_matches(q, vendor, active_only=active_only).order_by().values("case_id")
    # Email and name are two arms, not one OR: each reads its own index, where the OR made the
    # planner scan every customer. A whole address is looked up as one (the unique index); a
    # part of one through the trigram index, which helps little where many addresses look
    # alike.
    email = "email__iexact" if _is_email(q) else "email__icontains"
    customers = Customer.objects.order_by()
    if active_only and vendor == "postgresql":
        # Only customers with an active case (kept by triggers, migration 0028), whose names
        # and emails have trigram indexes of their own: a common name's other customers are
        # never read.
        customers = customers.filter(has_active_cases=True)
    # Each arm: a column of `among`'s cases, and the value or the ids it must match (unordered:
    # a subquery with an ORDER BY is not flattened into its arm).
    arms: list[tuple[str, Any]] = [
        *((("number", q.upper()),) if _may_be_case_number(q) else ()),
        ("order_id", Order.objects.filter(number=q).order_by().values("pk")),
        *(
            ("customer_id", customers.filter(**{lookup: q}).values("pk"))
            for lookup in (email, "name__icontains")
        ),
        ("pk", messages),
        *(("pk", ids.order_by()) for ids in case_search_arms(q)),
    ]
    try:
        rows = _union_rows(cases, arms, key=key, limit=SEARCH_CAP + 1)
    except EmptyResultSet:  # `among` matches nothing, such as pk__in=[]
        return [], False
    hits = {pk: _sort_value(value) for pk, value in rows}  # a case matched twice, once
    return list(hits.items())[:SEARCH_CAP], len(rows) > SEARCH_CAP


def _sort_value(value: Any) -> Any:
    """A sort value as the ORM would give it, a time aware: SQLite hands a raw cursor a time
    without its zone (UTC), PostgreSQL an aware time."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _union_rows(
    cases: QuerySet[Case], arms: list[tuple[str, Any]], *, key: str, limit: int
) -> list[Any]:
    """The ids of `cases` that each arm matches, with their column `key`, one arm after the
    other, at most `limit` rows (duplicates kept): one UNION ALL, which streams, so the
    database stops reading at the limit instead of first gathering (and deduplicating) every
    match of a common word.

    Written as SQL around the ORM's own compiled parts: `cases` is compiled once and each arm
    reads it as a subquery, which PostgreSQL and SQLite flatten into the arm, so the plans are
    those of one queryset per arm. The ORM's own union compiled `cases` again for every arm,
    which cost more than the database took to plan and run the search."""
    db = connections[cases.db]
    quote = db.ops.quote_name
    columns = dict.fromkeys(("pk", "number", "order_id", "customer_id", key))
    among, among_params = cases.values(*columns).query.sql_with_params()
    parts, params = [], []
    for column, matched in arms:
        if isinstance(matched, QuerySet):
            try:
                sql, matched_params = matched.query.sql_with_params()
            except EmptyResultSet:  # an arm that can match nothing
                continue
            condition = f"IN ({sql})"
        else:
            condition, matched_params = "= %s", (matched,)
        # `among` and the arms' SQL are the ORM's own, with their values as parameters.
        arm = (
            f"SELECT a.{quote('pk')}, a.{quote(key)} FROM ({among}) a "  # noqa: S608
            f"WHERE a.{quote(column)} {condition}"
        )
        parts.append(arm)
        params += [*among_params, *matched_params]
    with db.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts) + " LIMIT %s", [*params, limit])
        return list(cursor.fetchall())


# --- filters -----------------------------------------------------------------------------------


def _sla_filter(state: str, now: datetime) -> Q:
    if state == "breached":
        return Q(sla_due__lt=now, sla_paused_at__isnull=True)
    if state == "at_risk":
        return Q(sla_due__gte=now, sla_due__lt=now + SLA_AT_RISK, sla_paused_at__isnull=True)
    if state == "paused":
        return Q(sla_paused_at__isnull=False)
    return Q(sla_due__gte=now + SLA_AT_RISK, sla_paused_at__isnull=True)


def _tagged(tag: str, *, active_only: bool, db: str) -> Q:
    """The cases that carry `tag`. Among the active cases only, on PostgreSQL, the tag's active
    cases are read from the partial index case_tag_active (migration 0026): a tag on thousands
    of closed cases costs nothing there."""
    return Q(pk__in=_tag_rows(tag, active_only=active_only, db=db).values("case_id"))


def _tag_rows(tag: str, *, active_only: bool, db: str) -> QuerySet[CaseTag]:
    rows = CaseTag.objects.filter(tag__name=tag)
    if active_only and connections[db].vendor == "postgresql":
        rows = rows.filter(case_active=True)
    return rows


def _few_active_cases_carry(tag: str, db: str) -> bool:
    """Whether at most FEW_TAGGED active cases carry `tag` (PostgreSQL: one query, which reads
    at most that many rows of case_tag_active)."""
    rows = _tag_rows(tag, active_only=True, db=db).values("pk")[: FEW_TAGGED + 1]
    return rows.count() <= FEW_TAGGED


def case_queue(
    *, user: AnyUser, filters: QueueFilters, now: datetime | None = None
) -> tuple[QuerySet[Case], list[tuple[int, Any]] | None, bool]:
    """The cases `user` sees that match `filters` but the search, in the asked order (the id
    breaks ties); and for a search (`filters.q`), the cases it found among them with their sort
    values (case_search_hits), which are the list, and whether it kept only SEARCH_CAP of its
    matches. Queries run here: the search's, and on PostgreSQL for a tag over active cases
    one that tells whether the tag is on few of them (_few_active_cases_carry)."""
    now = now or timezone.now()
    cases = Case.objects.filter(case_visible_to(user))
    active_only = filters.status in ("", *Case.ACTIVE_STATUSES)
    if filters.status not in ("", "all"):
        cases = cases.filter(status=filters.status)
    # A tag on few active cases, on PostgreSQL: the tag's rows say which of its cases are
    # active (case_active, kept by triggers), so those are read from them and fetched by id.
    # With `active` beside it, PostgreSQL took the two for independent, guessed that 3% of the
    # tag's cases were active, and read every active case to find them.
    by_tag = (
        active_only
        and bool(filters.tag)
        and connections[cases.db].vendor == "postgresql"
        and _few_active_cases_carry(filters.tag, cases.db)
    )
    if active_only and not by_tag:
        # The partial indexes' condition (case_active, case_active_sla_due, …), also beside
        # an active status, which alone does not let PostgreSQL use them.
        cases = cases.filter(active=True)
    if filters.kind:
        cases = cases.filter(kind=filters.kind)
    if filters.assignee == "me":
        cases = cases.filter(assignee=user.pk)
    elif filters.assignee == "none":
        cases = cases.filter(assignee__isnull=True)
    elif filters.assignee:
        cases = cases.filter(assignee=int(filters.assignee))
    if filters.team is not None:
        cases = cases.filter(team=filters.team)
    if filters.priority:
        cases = cases.filter(priority=filters.priority)
    if filters.sla:
        cases = cases.filter(_sla_filter(filters.sla, now))
    if filters.country:
        cases = cases.filter(customer__country=filters.country.upper())
    if filters.language:
        cases = cases.filter(language=filters.language)
    if filters.tag:
        cases = cases.filter(_tagged(filters.tag, active_only=active_only, db=cases.db))
    if filters.extra:
        by_key = {case_filter.key: case_filter for case_filter in case_filters()}
        for key, value in filters.extra:
            cases = cases.filter(pk__in=by_key[key].cases(value))
    hits, capped = None, False
    if filters.q.strip():
        column = SORTS[filters.sort][0]
        hits, capped = case_search_hits(
            q=filters.q, among=cases, active_only=active_only, key=column
        )
    return _ordered(cases, filters), hits, capped


# What a list row shows of a case, its customer and its assignee (NULL when unassigned), and
# the columns its cursor is made of: read as plain values, since model objects for a page's
# cases, customers and assignees cost more than the rest of its rows.
ROW_FIELDS = (
    "pk",
    "number",
    "kind",
    "status",
    "subject",
    "sla_due",
    "sla_paused_at",
    "priority_rank",
    "created_at",
    "updated_at",
    "customer__name",
    "customer__email",
    "customer__country",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
)


def _ordered(cases: QuerySet[Case], filters: QueueFilters) -> QuerySet[Case]:
    column, nullable = SORTS[filters.sort]
    if filters.descending:
        first = F(column).desc(nulls_last=True) if nullable else F(column).desc()
        return cases.order_by(first, "-pk")
    first = F(column).asc(nulls_last=True) if nullable else F(column).asc()
    return cases.order_by(first, "pk")


# --- keyset pages ------------------------------------------------------------------------------


def _decode(cursor: str, sort: str) -> tuple[Any, int]:
    value, pk = cursor_decode(cursor)
    column, nullable = SORTS[sort]
    if value is None:
        if not nullable:
            raise BadCursor(cursor)
        return None, pk
    if column == "priority_rank":
        if not isinstance(value, int) or isinstance(value, bool):
            raise BadCursor(cursor)
        return value, pk
    return cursor_time(value, cursor), pk


def _after(cursor: str, filters: QueueFilters) -> Q:
    """The rows that come after the one `cursor` names, in the list's order."""
    value, pk = _decode(cursor, filters.sort)
    column, nullable = SORTS[filters.sort]
    beyond, pk_beyond = ("lt", "lt") if filters.descending else ("gt", "gt")
    if value is None:
        # Among the NULLs, which come last in either direction: only the id moves on.
        return Q(**{f"{column}__isnull": True, f"pk__{pk_beyond}": pk})
    rule = Q(**{f"{column}__{beyond}": value}) | Q(**{column: value, f"pk__{pk_beyond}": pk})
    if nullable:
        return rule | Q(**{f"{column}__isnull": True})
    # The same bound once more on its own, which the planner can start the index scan at (it
    # cannot from inside the OR): a deep page reads its rows, not every row before it.
    return rule & Q(**{f"{column}__{beyond}e": value})


def _hits_page(
    hits: list[tuple[int, Any]], filters: QueueFilters, cursor: str, *, limit: int
) -> list[int]:
    """The ids of the first `limit` of a search's `hits` ((id, sort value) pairs) after
    `cursor`, in the list's order: as _ordered sorts and _after cuts in the database, NULLs
    last either way and the id breaking ties in the sort's direction."""
    descending = filters.descending
    valued = sorted(((value, pk) for pk, value in hits if value is not None), reverse=descending)
    nulls = sorted((pk for pk, value in hits if value is None), reverse=descending)
    ordered = [*valued, *((None, pk) for pk in nulls)]
    if cursor:
        value, pk = _decode(cursor, filters.sort)
        ordered = [hit for hit in ordered if _comes_after(hit, (value, pk), descending)]
    return [pk for _value, pk in ordered[:limit]]


def _comes_after(hit: tuple[Any, int], mark: tuple[Any, int], descending: bool) -> bool:
    """Whether `hit` comes after `mark` (each a sort value and an id) in the list's order."""
    (value, pk), (mark_value, mark_pk) = hit, mark
    if value == mark_value:
        return pk < mark_pk if descending else pk > mark_pk
    if value is None or mark_value is None:
        return value is None  # the NULLs come last
    return bool(value < mark_value if descending else value > mark_value)


def case_queue_page(
    *,
    user: AnyUser,
    filters: QueueFilters,
    cursor: str = "",
    size: int = 25,
    count: bool = True,
    now: datetime | None = None,
) -> QueuePage:
    """One page of the list: `size` rows after `cursor` ("" for the first), the cursor of the
    next page ("" on the last), and how many rows match, exact up to QUEUE_COUNT_CAP (None
    without `count`). Raises BadCursor for a cursor this list did not write. Two queries (the
    rows, the count), one more beyond the cap on PostgreSQL; a first page that holds every
    match counts its rows instead, and a search the ids it found (the rows and the search's
    ids)."""
    cases, hits, capped = case_queue(user=user, filters=filters, now=now)
    # The page's ids first, then their rows' values with customer and assignee: joined before the
    # limit, the planner would join every match (thousands, for a filter it misjudges) and
    # sort them all for the page's 26.
    page_ids: Any
    if hits is not None:
        # A search's page is cut from its hits here: sending their ids back (up to SEARCH_CAP)
        # to sort them again cost more than the search.
        page_ids = _hits_page(hits, filters, cursor, limit=size + 1)
    else:
        window = cases.filter(_after(cursor, filters)) if cursor else cases
        page_ids = window.values("pk")[: size + 1]
    rows = list(
        _ordered(Case.objects.filter(pk__in=page_ids), filters).values_list(*ROW_FIELDS, named=True)
    )
    total: Tally | None
    if not count:
        total = None
    elif hits is not None:
        total = Tally(len(hits), exact=True)  # a search counts the cases it kept
    elif not cursor and len(rows) <= size:
        total = Tally(len(rows), exact=True)  # a first page without a next one holds every match
    else:
        total = row_count(cases, cap=QUEUE_COUNT_CAP)
    next_cursor = ""
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = cursor_encode(getattr(last, SORTS[filters.sort][0]), last.pk)
    return QueuePage(
        rows=rows, next_cursor=next_cursor, count=total, search_capped=capped, first=not cursor
    )


# --- the home page's counts --------------------------------------------------------------------


# The counts by kind and status read every active case (a few milliseconds at a million, on
# every visit of every agent): agents who see the same cases share them for this long.
HOME_BY_KIND_SECONDS = 30


@dataclass(frozen=True)
class HomeCounts:
    # {kind: {status: n}} of active cases, every active kind and status present.
    by_kind: dict[str, dict[str, int]]
    by_status: dict[str, int]
    total: int
    # When by_kind was counted (at most HOME_BY_KIND_SECONDS ago).
    by_kind_at: datetime
    mine: Tally
    unassigned: Tally
    at_risk: Tally
    breached: Tally


def case_home_counts(*, user: AnyUser, now: datetime | None = None) -> HomeCounts:
    """The home page's numbers for `user` (their visible cases only): active cases by kind and
    status (exact as of at most HOME_BY_KIND_SECONDS ago: one grouped query on the active
    cases' partial index, shared by everyone who sees the same cases), and their own,
    unassigned, at-risk and breached active cases, each exact up to HOME_COUNT_CAP. Five
    queries, four while the grouped counts are kept."""
    now = now or timezone.now()
    active = Case.objects.filter(case_visible_to(user), active=True)
    grouped, counted_at = rows_kept(
        active.values_list("kind", "status").annotate(n=Count("*")).order_by(),
        seconds=HOME_BY_KIND_SECONDS,
    )
    statuses = [s for s in Case.Status.values if s in Case.ACTIVE_STATUSES]
    by_kind = {kind: dict.fromkeys(statuses, 0) for kind in Case.Kind.values}
    for kind, status, n in grouped:
        by_kind.setdefault(kind, dict.fromkeys(statuses, 0))[status] = n
    by_status = {s: sum(row[s] for row in by_kind.values()) for s in statuses}
    cap = settings.HOME_COUNT_CAP
    return HomeCounts(
        by_kind=by_kind,
        by_status=by_status,
        total=sum(by_status.values()),
        by_kind_at=counted_at,
        mine=row_count(active.filter(assignee=user.pk), cap=cap),
        unassigned=row_count(active.filter(assignee__isnull=True), cap=cap),
        at_risk=row_count(active.filter(_sla_filter("at_risk", now)), cap=cap),
        breached=row_count(active.filter(_sla_filter("breached", now)), cap=cap),
    )


def case_list_by_numbers(*, numbers: list[str], user: AnyUser) -> list[Case]:
    """The cases with these numbers that `user` sees, in number order, with their tags (for a
    bulk action); numbers of cases they do not see are left out. Two queries."""
    return list(
        Case.objects.filter(case_visible_to(user), number__in=numbers)
        .select_related("customer")
        .prefetch_related("tags")
        .order_by("number")
    )
