"""What `make bench` measures. A later issue adds its pages by appending a Target to TARGETS.

A path may name a value `prepare` finds in the benchmark data: {case_number} (a real case),
{customer_search} (part of a real customer's name), {customer_pk} (a real customer's id)."""

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


RATIO_LIMITS = {Kind.LIST: 10.0, Kind.DETAIL: 6.0, Kind.HOME: 10.0}
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


# The two floor views exist only in the bench server (tests/benchmarks/web/urls.py): Django's
# cheapest answer, and one primary-key lookup rendered through a tiny template.
FLOOR_2B = Target("floor-2B", "/bench/floor-2b/", Kind.FLOOR, Auth.NONE)
FLOOR_PK = Target("floor-PK", "/bench/floor-pk/{customer_pk}/", Kind.FLOOR, Auth.NONE)
FLOORS = [FLOOR_2B, FLOOR_PK]

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
