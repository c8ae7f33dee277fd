from datetime import date

import pytest
from rest_framework.test import APIClient

from tests.returns.factories import ReturnPolicyFactory, noon, order_line
from tests.tickets.factories import CaseFactory
from tickets.models import Attachment, Message
from tickets.services.api_keys import api_key_create

# The day the claims are made: 5 March 2027, four days after the delivery of 1 March.
TODAY = date(2027, 3, 5)


@pytest.fixture
def today(time_machine):
    time_machine.move_to(noon(TODAY), tick=False)
    return TODAY


@pytest.fixture
def policy(db):
    return ReturnPolicyFactory(window_days=30)


@pytest.fixture
def line(policy, today):
    """Two kettles at 50 EUR, delivered on 1 March to Germany, for a German customer."""
    return order_line(
        placed=date(2027, 2, 25), delivered=date(2027, 3, 1), quantity=2, customer__language="de"
    )


@pytest.fixture
def photo(line):
    """A photo the customer sent earlier on another case of theirs."""
    case = CaseFactory(customer=line.order.customer, order=line.order)
    message = Message.objects.create(case=case, author_kind="customer", body="Look")
    return Attachment.objects.create(
        message=message, file="p.jpg", filename="p.jpg", content_type="image/jpeg", size=10
    )


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads land in a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def writer(db):
    """An API client with a write key (its own Integrations account)."""
    client = APIClient()
    key = api_key_create(name="Shop sync", scope="write", actor=None)[1]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client
