"""The scenario registry: how a scenario app plugs into the shared case (DESIGN.md, "Layout").

`tickets` never imports `returns`, `shipments` or `wrong_items`. Each of them owns one case
kind and describes what it adds to the spine in a `Scenario`, registered from its
`AppConfig.ready()` with `scenario_register()`; `tickets` registers the `general` kind the same
way (tickets/general.py). The spine reads the registry where a scenario matters:

- the portal's "get help with an order" wizard offers each `PortalEntry` (a branch: "I want to
  return an item", "I received the wrong item", ...); a scenario may register several;
- the customer's case page shows the kind's `next_step` (what we do next, and by when);
- the agent's case workspace shows the kind's `WorkspacePanel`;
- the customer's status history shows the kind's `Milestone`s, timeline events with a label a
  customer understands (`case_milestones`);
- `notify()` adds the kind's `notification_context` to every message about such a case (e.g. a
  link to the return label; the email layout lists `links` under the message);
- SLA milestone `Clock`s run between two timeline events, on top of the case's first-response
  and resolution due times (`case_clocks`);
- the one state machine (`case_transition`, system moves, auto-close) asks the kind's
  `guards` before any move and refuses it with the first reason one gives;
- macros fill their placeholders with the kind's `placeholders` on top of the general ones
  (e.g. `tracking_link` from a case's shipment; `case_placeholders`);
- the supervisors' reports page (/agent/reports/) draws each `Report` of every scenario
  after the built-in ones, with the same charts and CSV export;
- the customer's orders show each scenario's `OrderPanel` (e.g. the parcel's tracking): a line
  under each order on My orders and a full panel on the order's page (`order_panels`), with
  the contexts of a whole page of orders read at once, so the page's query count does not grow
  with its orders;
- the agent list's search asks each scenario's `case_search` for the ids of the cases a term
  names in the scenario's own tables (e.g. a tracking number), as one more arm of the one
  search query (`case_search_arms`), and the list offers each scenario's `CaseFilter`s
  (e.g. the carrier) beside its own filters (`case_filters`).

Everything here is immutable and typed; registering is the only write, and it happens while
Django starts. One kind has one owner: a second registration for a kind is refused.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise

from tickets.models import Case, CaseEvent, Order
from tickets.report_tables import ReportTable

# Text for people: a str, or a lazy translation rendered in the reader's language.
Text = str | Promise

# A guard looks at the case (as locked for the move) and the status it would enter, and returns
# why the move may not happen, in words the agent or API client can be shown, or None.
Guard = Callable[[Case, str], Text | None]
# Extra template context for a notification about a case: (case, notification event) -> context.
NotificationContext = Callable[[Case, str], Mapping[str, Any]]
# The context of a workspace panel's template for one case.
PanelContext = Callable[[Case], Mapping[str, Any]]
# What happens next on a case, told to the customer on their case page, or None.
NextStepFor = Callable[[Case], "NextStep | None"]
# Values for a macro's placeholders on a case ({"tracking_link": "https://..."}).
Placeholders = Callable[[Case], Mapping[str, str]]
# The contexts of an order panel for a page of orders, {order id: context}, leaving out the
# orders it has nothing to show for; `full` is False for the short line on My orders.
OrderPanelContexts = Callable[[Sequence[Order], bool], Mapping[int, Mapping[str, Any]]]
# The case ids a search term names in a scenario's own tables: querysets of one column (case
# ids, NULLs allowed), each used as `pk__in` in one arm of the list's search (by an index).
CaseSearch = Callable[[str], Sequence[QuerySet[Any]]]


@dataclass(frozen=True)
class PortalEntry:
    """A branch of the portal's "get help with an order" wizard (step 1, "What happened?").

    `key` is its URL slug, unique across scenarios; branches are offered by `position`. A
    `per_line` branch asks "Which item?" next. Then the wizard hands over to the scenario's own
    form, `url_name`, reversed with `order_id` and given `?line=<order line pk>`; while a
    scenario has not built its form (`url_name` ""), the portal's general case form takes the
    branch instead."""

    key: str
    title: Text
    description: Text
    position: int
    per_line: bool = True
    url_name: str = ""

    def url(self, *, order_id: int) -> str:
        """The scenario's own form for order `order_id`, or "" while it has none."""
        return reverse(self.url_name, kwargs={"order_id": order_id}) if self.url_name else ""


@dataclass(frozen=True)
class NextStep:
    """What happens next on a case, for the customer: `text` may hold %(date)s, filled with
    `at` (shown in the customer's time zone and language); `action_url`, labelled
    `action_label`, is what the customer has to do for it (a button under the step)."""

    text: Text
    at: datetime | None = None
    action_label: Text = ""
    action_url: str = ""


@dataclass(frozen=True)
class WorkspacePanel:
    """What the agent's case workspace shows for the kind: `template` rendered with
    `context(case)`."""

    template: str
    context: PanelContext


@dataclass(frozen=True)
class OrderPanel:
    """What the customer's orders show for the kind: `template` on the order's page and
    `summary_template` (a line or two) under the order on My orders, each rendered with the
    order's context from `contexts(orders, full)`. `contexts` reads a page of orders with a
    fixed number of queries (the portal's query counts are tested); `full` is True for the
    order's page."""

    template: str
    contexts: OrderPanelContexts
    summary_template: str = ""


@dataclass(frozen=True)
class CaseFilter:
    """A filter of the agents' case list (and the workspace's queue pane) the scenario adds:
    the query-string parameter `key` (unique across scenarios, none of the list's own names),
    a text field labelled `label`, and `cases(value)`, the case ids the value names as a
    queryset of one column, used as `pk__in` (a subquery: no query of its own)."""

    key: str
    label: Text
    cases: Callable[[str], QuerySet[Any]]
    max_length: int = 50


@dataclass(frozen=True)
class EventMatch:
    """Timeline events with verb `verb` whose data holds every item of `data` (e.g.
    `EventMatch("status_changed", {"status": "resolved"})`)."""

    verb: str
    data: Mapping[str, Any] = field(default_factory=dict)

    def matches(self, event: CaseEvent) -> bool:
        return event.verb == self.verb and all(
            event.data.get(key) == value for key, value in self.data.items()
        )


@dataclass(frozen=True)
class Milestone:
    """A step of the case the customer sees in their status history, with a label for them."""

    event: EventMatch
    label: Text


@dataclass(frozen=True)
class Clock:
    """An SLA milestone clock: it starts at an event matching `start`, is due `duration` later
    and stops at the next event matching `stop`. A start after a stop runs it again; a start
    while it runs changes nothing (it counts from the first unanswered start)."""

    name: str
    label: Text
    start: EventMatch
    stop: EventMatch
    duration: timedelta


@dataclass(frozen=True)
class Report:
    """A report the scenario adds to the supervisors' reports page: `rows(first, last)` returns
    the numbers for cases of the date range (both days included, in the current time zone) as
    a `ReportTable`, drawn as a chart and exported as /agent/reports/<slug>.csv. `slug` is
    unique across scenarios and unlike the built-in reports' (volume, response-times, sla,
    satisfaction); `rows` should run one query bounded by the date range (the page's query
    count is tested)."""

    slug: str
    title: Text
    rows: Callable[[date, date], ReportTable]


@dataclass(frozen=True)
class AgentPage:
    """A dashboard page of the scenario in the agents' menu, shown to users with `permission`
    (e.g. returns' inspection queue)."""

    label: Text
    url_name: str
    permission: str


@dataclass(frozen=True)
class Scenario:
    """What one scenario app adds to the cases of the kind it owns (a `Case.Kind` value)."""

    kind: str
    label: Text
    portal: tuple[PortalEntry, ...] = ()
    panel: WorkspacePanel | None = None
    milestones: tuple[Milestone, ...] = ()
    notification_context: NotificationContext | None = None
    clocks: tuple[Clock, ...] = ()
    guards: tuple[Guard, ...] = ()
    next_step: NextStepFor | None = None
    # Placeholder values macros may use on a case of the kind, such as "tracking_link"; a
    # placeholder the kind does not fill is left empty where the spine knows it (tracking_link)
    # and as typed where nobody does.
    placeholders: Placeholders | None = None
    reports: tuple[Report, ...] = ()
    order_panel: OrderPanel | None = None
    case_search: CaseSearch | None = None
    case_filters: tuple[CaseFilter, ...] = ()
    pages: tuple[AgentPage, ...] = ()


@dataclass(frozen=True)
class NotificationLink:
    """A link the email layout lists under the message (`links` in a notification's context)."""

    label: Text
    url: str


@dataclass(frozen=True)
class MilestoneReached:
    label: Text
    at: datetime
    verb: str


@dataclass(frozen=True)
class ClockState:
    """A clock on one case: not started (`started_at` None), running, or stopped."""

    clock: Clock
    started_at: datetime | None
    stopped_at: datetime | None
    due_at: datetime | None
    breached: bool


_REGISTRY: dict[str, Scenario] = {}


def scenario_register(scenario: Scenario) -> None:
    """Make `scenario` the owner of its kind; call it from the app's `AppConfig.ready()`.

    Raises ImproperlyConfigured for a kind that is not a `Case.Kind` or already has an owner,
    and for a portal branch key that another scenario (or this one, twice) uses."""
    if scenario.kind not in Case.Kind.values:
        raise ImproperlyConfigured(f"Scenario kind {scenario.kind!r} is not a Case.Kind.")
    clock_names = [clock.name for clock in scenario.clocks]
    if len(set(clock_names)) != len(clock_names):
        raise ImproperlyConfigured(f"Scenario {scenario.kind!r} names two clocks alike.")
    keys = [entry.key for entry in scenario.portal]
    taken = {
        entry.key
        for kind, other in _REGISTRY.items()
        if kind != scenario.kind
        for entry in other.portal
    }
    if len(set(keys)) != len(keys) or taken & set(keys):
        raise ImproperlyConfigured(f"Scenario {scenario.kind!r}: a portal branch key is taken.")
    slugs = [report.slug for report in scenario.reports]
    taken_slugs = {
        report.slug
        for kind, other in _REGISTRY.items()
        if kind != scenario.kind
        for report in other.reports
    }
    if len(set(slugs)) != len(slugs) or taken_slugs & set(slugs):
        raise ImproperlyConfigured(f"Scenario {scenario.kind!r}: a report slug is taken.")
    filter_keys = [case_filter.key for case_filter in scenario.case_filters]
    taken_filters = {
        case_filter.key
        for kind, other in _REGISTRY.items()
        if kind != scenario.kind
        for case_filter in other.case_filters
    }
    if len(set(filter_keys)) != len(filter_keys) or taken_filters & set(filter_keys):
        raise ImproperlyConfigured(f"Scenario {scenario.kind!r}: a case filter key is taken.")
    if scenario.kind in _REGISTRY:
        raise ImproperlyConfigured(f"Case kind {scenario.kind!r} already has a scenario.")
    _REGISTRY[scenario.kind] = scenario


@contextmanager
def scenario_override(scenario: Scenario) -> Iterator[Scenario]:
    """For tests: `scenario` stands in for the owner of its kind until the block ends."""
    previous = _REGISTRY.get(scenario.kind)
    _REGISTRY[scenario.kind] = scenario
    try:
        yield scenario
    finally:
        if previous is None:
            del _REGISTRY[scenario.kind]
        else:
            _REGISTRY[scenario.kind] = previous


def scenario_get(kind: str) -> Scenario | None:
    return _REGISTRY.get(kind)


def scenario_list() -> list[Scenario]:
    """Every registered scenario, in the order of `Case.Kind`."""
    return [_REGISTRY[kind] for kind in Case.Kind.values if kind in _REGISTRY]


def scenario_reports() -> list[Report]:
    """Every scenario's reports, in the order of `Case.Kind`."""
    return [report for scenario in scenario_list() for report in scenario.reports]


def agent_pages() -> list[AgentPage]:
    """Every scenario's menu pages, in the order of `Case.Kind`, each once (two kinds of one
    app may both name a page)."""
    pages: dict[str, AgentPage] = {}
    for scenario in scenario_list():
        for page in scenario.pages:
            pages.setdefault(page.url_name, page)
    return list(pages.values())


def portal_entries() -> list[PortalEntry]:
    """The branches of the portal's wizard, every scenario's, in `position` order."""
    entries = [entry for scenario in scenario_list() for entry in scenario.portal]
    return sorted(entries, key=lambda entry: (entry.position, entry.key))


def portal_entry(key: str) -> PortalEntry | None:
    """The wizard branch `key`, or None."""
    return next((entry for entry in portal_entries() if entry.key == key), None)


def transition_refusal(*, case: Case, to: str) -> Text | None:
    """Why the guards of `case`'s kind refuse the move to `to` (the first reason), or None."""
    scenario = _REGISTRY.get(case.kind)
    for guard in scenario.guards if scenario else ():
        reason = guard(case, to)
        if reason:
            return reason
    return None


def kinds_with_guards() -> set[str]:
    """The kinds whose moves have guards to ask; moves of other kinds can be made set-based."""
    return {kind for kind, scenario in _REGISTRY.items() if scenario.guards}


def notification_context(*, case: Case, event: str) -> dict[str, Any]:
    """What the scenario of `case`'s kind adds to the context of notification `event`."""
    scenario = _REGISTRY.get(case.kind)
    if scenario is None or scenario.notification_context is None:
        return {}
    return dict(scenario.notification_context(case, event))


def case_placeholders(*, case: Case) -> dict[str, str]:
    """The placeholder values the scenario of `case`'s kind gives for macros (may be empty)."""
    scenario = _REGISTRY.get(case.kind)
    if scenario is None or scenario.placeholders is None:
        return {}
    return {str(key): str(value) for key, value in scenario.placeholders(case).items()}


def _told_by(kind: str, has: Callable[[Scenario], object]) -> Scenario | None:
    """The scenario that tells a customer about a case of `kind`: the kind's own where it has
    what `has` looks for, else the general kind's, which follows the case status alone (a
    scenario app that has not described its steps yet still shows the customer where things
    stand)."""
    own = _REGISTRY.get(kind)
    if own is not None and has(own):
        return own
    return _REGISTRY.get(Case.Kind.GENERAL)


def case_next_step(*, case: Case) -> NextStep | None:
    """What happens next on `case`, as its kind (or the general kind) tells the customer, or
    None."""
    scenario = _told_by(case.kind, lambda s: s.next_step)
    if scenario is None or scenario.next_step is None:
        return None
    return scenario.next_step(case)


def workspace_panel(*, case: Case) -> tuple[str, dict[str, Any]] | None:
    """(template, context) of the panel the case's kind shows in the workspace, or None."""
    scenario = _REGISTRY.get(case.kind)
    if scenario is None or scenario.panel is None:
        return None
    return scenario.panel.template, dict(scenario.panel.context(case))


@dataclass(frozen=True)
class OrderPanelShown:
    """One scenario's panel on one order: `template` rendered with `context`."""

    kind: str
    template: str
    context: Mapping[str, Any]


def order_panels(*, orders: Sequence[Order], full: bool) -> dict[int, list[OrderPanelShown]]:
    """{order id: panels} of every scenario with something to show on the order: the full
    panels for the order's page (`full`), else the summaries for My orders (scenarios without a
    summary are left out). Each scenario reads all `orders` at once."""
    shown: dict[int, list[OrderPanelShown]] = {order.pk: [] for order in orders}
    if not orders:
        return shown
    for scenario in scenario_list():
        panel = scenario.order_panel
        if panel is None or not (full or panel.summary_template):
            continue
        template = panel.template if full else panel.summary_template
        for order_id, context in panel.contexts(orders, full).items():
            if order_id in shown:
                shown[order_id].append(OrderPanelShown(scenario.kind, template, context))
    return shown


def case_filters() -> list[CaseFilter]:
    """Every scenario's case list filters, in the order of `Case.Kind`."""
    return [case_filter for scenario in scenario_list() for case_filter in scenario.case_filters]


def case_search_arms(q: str) -> list[QuerySet[Any]]:
    """Every scenario's case-id querysets for the search term `q` (see `CaseSearch`)."""
    return [
        arm
        for scenario in scenario_list()
        if scenario.case_search
        for arm in scenario.case_search(q)
    ]


# --- reads: milestones and clocks from a case's timeline ---------------------------------------


def milestones_reached(
    milestones: Sequence[Milestone], events: Iterable[CaseEvent]
) -> list[MilestoneReached]:
    """The milestones `events` (in timeline order) reach, each event under its first match; a
    milestone reached again right after itself (two findings on one parcel) is told once."""
    reached: list[MilestoneReached] = []
    for event in events:
        milestone = next((m for m in milestones if m.event.matches(event)), None)
        if milestone is not None and not (reached and reached[-1].label == milestone.label):
            reached.append(MilestoneReached(milestone.label, event.created_at, event.verb))
    return reached


def clock_states(
    clocks: Sequence[Clock], events: Sequence[CaseEvent], *, now: datetime
) -> list[ClockState]:
    """Each clock as `events` (in timeline order) leave it at `now`."""
    states = []
    for clock in clocks:
        started: datetime | None = None
        stopped: datetime | None = None
        for event in events:
            if (started is None or stopped is not None) and clock.start.matches(event):
                started, stopped = event.created_at, None
            elif started is not None and stopped is None and clock.stop.matches(event):
                stopped = event.created_at
        due = started + clock.duration if started else None
        breached = due is not None and (stopped or now) > due
        states.append(ClockState(clock, started, stopped, due, breached))
    return states


def _events(case: Case, matches: Iterable[EventMatch]) -> list[CaseEvent]:
    verbs = {match.verb for match in matches}
    if not verbs:
        return []
    return list(case.events.filter(verb__in=verbs).order_by("created_at", "pk"))


def case_milestones(*, case: Case) -> list[MilestoneReached]:
    """The customer's status history of `case`: the milestones of its kind (or, for a kind
    with none yet, the general kind's) it reached (one query)."""
    scenario = _told_by(case.kind, lambda s: s.milestones)
    milestones = scenario.milestones if scenario else ()
    return milestones_reached(milestones, _events(case, (m.event for m in milestones)))


def case_clocks(*, case: Case, now: datetime | None = None) -> list[ClockState]:
    """The SLA milestone clocks of `case`'s kind, computed from its timeline (one query)."""
    scenario = _REGISTRY.get(case.kind)
    clocks = scenario.clocks if scenario else ()
    events = _events(case, (match for clock in clocks for match in (clock.start, clock.stop)))
    return clock_states(clocks, events, now=now or timezone.now())
