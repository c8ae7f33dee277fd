"""What `make bench` measures. A later issue adds its pages by appending a Target to TARGETS.

A path may name a value `prepare` finds in the benchmark data: {case_number} (a real case),
{customer_search} (part of a real customer's name), {customer_pk} (a real customer's id),
{customer_email}, {order_number}, {message_word} (a word of a real message), {team_pk}, {tag},
{busy_case_number} (a case with 200 timeline entries), {busy_case_earlier} (the time its "Show
earlier" link pages back from)."""

from dataclasses import dataclass
from enum import StrEnum


class Auth(StrEnum):
    NONE = "none"
    API_KEY = "api_key"  # Authorization: Bearer <the bench user's read key>
    SESSION = "session"  # the bench user's signed-in session cookie


class Kind(StrEnum):
    """What a target is, and so the issue's limit on its p95 ÷ floor-PK p95."""

    FLOOR = "floor"
    LIST = "list"
    DETAIL = "detail"
    HOME = "home"
    PAGE = "page"  # a dashboard page: the list, a search, the case workspace


RATIO_LIMITS = {Kind.LIST: 10.0, Kind.DETAIL: 6.0, Kind.HOME: 10.0, Kind.PAGE: 10.0}
# Memory limits of the issue, in MB: each web worker after the load; an idle Celery worker
# (main process and its pool together) at its default concurrency.
WEB_WORKER_RSS_LIMIT_MB = 200
CELERY_WORKER_RSS_LIMIT_MB = 250


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    kind: Kind
    auth: Auth = Auth.API_KEY

    def url_path(self, values: dict[str, str]) -> str:
        return self.path.format(**values)


# The floor views exist only in the bench server (tests/benchmarks/web/urls.py): Django's
# cheapest answer, one primary-key lookup rendered through a tiny template (the limits
# are multiples of its p95), and the same for the bench agent signed in, behind the dashboard's
# checks (what every dashboard page costs before its own work; the report shows each page's
# p95 over it too, for comparison only).
FLOOR_2B = Target("floor-2B", "/bench/floor-2b/", Kind.FLOOR, Auth.NONE)
FLOOR_PK = Target("floor-PK", "/bench/floor-pk/{customer_pk}/", Kind.FLOOR, Auth.NONE)
FLOOR_SIGNED_IN = Target(
    "floor signed in", "/bench/floor-signed-in/{customer_pk}/", Kind.FLOOR, Auth.SESSION
)
FLOORS = [FLOOR_2B, FLOOR_PK, FLOOR_SIGNED_IN]

TARGETS = [
    Target("cases (default page)", "/api/v1/cases/", Kind.LIST),
    Target("cases ?kind=wrong_item", "/api/v1/cases/?kind=wrong_item", Kind.LIST),
    Target("cases ?status=open", "/api/v1/cases/?status=open", Kind.LIST),
    Target("cases ?ordering=-priority", "/api/v1/cases/?ordering=-priority", Kind.LIST),
    Target("orders (default page)", "/api/v1/orders/", Kind.LIST),
    Target("customers ?search=", "/api/v1/customers/?search={customer_search}", Kind.LIST),
    Target("agent home", "/agent/", Kind.HOME, Auth.SESSION),
    Target("case detail", "/api/v1/cases/{case_number}/", Kind.DETAIL),
    Target("case events", "/api/v1/cases/{case_number}/events/", Kind.DETAIL),
    Target("case messages", "/api/v1/cases/{case_number}/messages/", Kind.DETAIL),
]

# The agent dashboard (issue 10; its home is "agent home" above): the case list with each filter
# and each kind of search, and the case workspace, all as the bench agent signed in.
DASHBOARD = [
    Target("list (default: SLA due)", "/agent/cases/", Kind.PAGE, Auth.SESSION),
    *(
        Target(f"list ?{query}", f"/agent/cases/?{query}", Kind.PAGE, Auth.SESSION)
        for query in (
            "kind=wrong_item",
            "status=open",
            "assignee=me",
            "assignee=none",
            "team={team_pk}",
            "priority=urgent",
            "sla=at_risk",
            "sla=breached",
            "country=DE",
            "language=de",
            "tag={tag}",
            "sort=-updated",
            "sort=-priority",
        )
    ),
    *(
        Target(f"search {what}", f"/agent/cases/?q={value}", Kind.PAGE, Auth.SESSION)
        for what, value in (
            ("case number", "{case_number}"),
            ("order number", "{order_number}"),
            ("customer email", "{customer_email}"),
            ("customer name", "{customer_search}"),
            ("message text", "{message_word}"),
        )
    ),
    Target("workspace (a case)", "/agent/cases/{case_number}/", Kind.PAGE, Auth.SESSION),
    # The workspace's left pane, which the page fetches once it is drawn.
    Target(
        "workspace pane (the list)",
        "/agent/cases/pane/?current={case_number}",
        Kind.PAGE,
        Auth.SESSION,
    ),
    Target("workspace (200 entries)", "/agent/cases/{busy_case_number}/", Kind.PAGE, Auth.SESSION),
    # Its "Show earlier", which fetches the timeline's earlier entries alone.
    Target(
        "workspace show earlier (200 entries)",
        "/agent/cases/{busy_case_number}/?before={busy_case_earlier}&part=timeline",
        Kind.PAGE,
        Auth.SESSION,
    ),
]
TARGETS += DASHBOARD
