"""Reads of return requests: with their lines, order and case, for the portal, the dashboard
panel and the API."""

from django.db.models import Prefetch, QuerySet

from returns.models import ReturnLine, ReturnRequest
from tickets.models import Customer
from tickets.selectors import case_visible_to
from tickets.selectors.access import AnyUser


def return_requests() -> QuerySet[ReturnRequest]:
    return ReturnRequest.objects.select_related(
        "case__customer", "order", "policy"
    ).prefetch_related(
        Prefetch("lines", queryset=ReturnLine.objects.select_related("order_line")),
        "photos",
    )


def return_requests_for_user(*, user: AnyUser) -> QuerySet[ReturnRequest]:
    """The requests on cases `user` may see (the spine's visibility rules), newest first."""
    return (
        return_requests().filter(case_visible_to(user, via="case")).order_by("-created_at", "-id")
    )


def return_request_of_case(*, case_id: int) -> ReturnRequest | None:
    return return_requests().filter(case_id=case_id).first()


def portal_return_request_get(*, customer: Customer, case_id: int) -> ReturnRequest | None:
    return return_requests().filter(case_id=case_id, order__customer=customer).first()
