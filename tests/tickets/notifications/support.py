"""Values shared by the notification tests: what a customer would really see."""

from tests.tickets.factories import CaseFactory

SITE_URL = "https://support.shop.example"
PORTAL_URL = f"{SITE_URL}/portal/"


def case_portal_url(case) -> str:
    """Where a notification about `case` links to: its portal page, with its order number."""
    return f"{SITE_URL}/portal/cases/{case.number}/?order={case.order.number}"


# The shape every case number has (tickets.models.cases.new_case_number).
CASE_NUMBER = "AS-QWER-TYUP"
VALID_PHONE = "+4915112345678"


def a_case(customer, **kwargs):
    """A stored case of `customer` with a realistic number (CASE_NUMBER unless given)."""
    kwargs.setdefault("number", CASE_NUMBER)
    return CaseFactory(customer=customer, **kwargs)
