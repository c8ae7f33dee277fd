"""Reads of return requests: with their lines, order and case, for the portal, the dashboard
panel and the API."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet

from returns.models import ReturnLine, ReturnRequest
from shipments.labels.models import Label
from shipments.models import Shipment
from tickets.models import Customer
from tickets.selectors import case_visible_to
from tickets.selectors.access import AnyUser
from tickets.selectors.case_queue import QUEUE_COUNT_CAP
from tickets.selectors.counts import Tally, row_count

# A request's prepaid label comes with it: the return parcels of its case, each with its label
# and carrier (request_label picks the one whose reference is the RMA). One query for a page.
RETURN_PARCELS = Prefetch(
    "case__shipments",
    queryset=Shipment.objects.filter(
        direction=Shipment.Direction.RETURN, label__isnull=False
    ).select_related("carrier", "label"),
    to_attr="return_parcels",
)


def return_requests() -> QuerySet[ReturnRequest]:
    return ReturnRequest.objects.select_related(
        "case__customer", "order", "policy", "compensation"
    ).prefetch_related(
        Prefetch("lines", queryset=ReturnLine.objects.select_related("order_line")),
        "photos",
        "refund_transactions",
        RETURN_PARCELS,
    )


def request_label(request: ReturnRequest) -> Label | None:
    """The prepaid label of a request read through return_requests(), with its parcel and
    carrier (no query); None until it is issued."""
    parcels = request.case.return_parcels  # type: ignore[attr-defined]
    return next((parcel.label for parcel in parcels if parcel.label.reference == request.rma), None)


def return_requests_for_user(*, user: AnyUser) -> QuerySet[ReturnRequest]:
    """The requests on cases `user` may see (the spine's visibility rules), newest first."""
    return (
        return_requests().filter(case_visible_to(user, via="case")).order_by("-created_at", "-id")
    )


def return_request_of_case(*, case_id: int) -> ReturnRequest | None:
    return return_requests().filter(case_id=case_id).first()


def portal_return_request_get(*, customer: Customer, case_id: int) -> ReturnRequest | None:
    return return_requests().filter(case_id=case_id, order__customer=customer).first()


# --- the inspection queue ------------------------------------------------------------------------

# How far the queue counts its parcels exactly; beyond it PostgreSQL's estimate (the agent list's
# cap: a warehouse that far behind needs the order of magnitude, not the last parcel).
INSPECTION_COUNT_CAP = QUEUE_COUNT_CAP


@dataclass(frozen=True)
class InspectionKey:
    """Where a page of the inspection queue starts: after the request with this
    (received_at, pk)."""

    received_at: datetime
    pk: int


@dataclass(frozen=True)
class InspectionPage:
    rows: list[ReturnRequest]
    # Where the next page starts (the last row's key); None on the last page.
    next_key: InspectionKey | None
    # How many received requests `user` sees wait, exact up to INSPECTION_COUNT_CAP.
    waiting: Tally


def return_inspection_queue(
    *, user: AnyUser, after: InspectionKey | None, size: int
) -> InspectionPage:
    """One page of the received requests on cases `user` sees, the longest waiting first
    (received_at, then id: the partial index return_inspection_queue), `size` rows after
    `after` (None: the first page), with their case, customer, order and lines. Keyset pages,
    never OFFSET: a deep page reads its own rows. Three queries whatever `size` is (the count,
    the rows, their lines), one more for a count past INSPECTION_COUNT_CAP on PostgreSQL."""
    waiting = return_requests_for_user(user=user).filter(status=ReturnRequest.Status.RECEIVED)
    rows = (
        waiting.prefetch_related(None)
        .prefetch_related(
            Prefetch("lines", queryset=ReturnLine.objects.select_related("order_line"))
        )
        # The service that moves a request to received stamps received_at in the same save, so
        # the key's column is never NULL here (NULLs would sort differently per database).
        .order_by("received_at", "id")
    )
    if after is not None:
        rows = rows.filter(
            Q(received_at__gt=after.received_at)
            | Q(received_at=after.received_at, pk__gt=after.pk),
            # The bound once more on its own, where the planner can start the index scan (it
            # cannot from inside the OR).
            received_at__gte=after.received_at,
        )
    found = list(rows[: size + 1])
    page = found[:size]
    last = page[-1] if len(found) > size else None
    return InspectionPage(
        rows=page,
        next_key=InspectionKey(last.received_at, last.pk) if last and last.received_at else None,
        waiting=row_count(waiting, cap=INSPECTION_COUNT_CAP),
    )
