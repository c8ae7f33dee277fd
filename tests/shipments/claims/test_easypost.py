"""The EasyPost claims adapter against EasyPost's published Claim and Insurance objects; the
HTTP call is handed in, so nothing leaves the machine."""

import copy
import datetime
import json
from decimal import Decimal

import pytest

from shipments.claims import claims_adapter
from shipments.claims.easypost import EasyPostClaims, claim_answer, insurance_terms
from shipments.errors import ClaimProviderError
from shipments.models import InsuranceClaim
from shipments.services.claims import claim_file, claim_refresh, claims_refresh_open
from shipments.services.lost import shipment_declare_lost
from tests.shipments.factories import ShipmentFactory
from tests.tickets.factories import ExchangeRateFactory
from tests.tickets.webhooks.conftest import FIXTURES
from tickets.models import Compensation

pytestmark = pytest.mark.django_db

CLAIM = json.loads((FIXTURES / "easypost_claim_create.json").read_text())
INSURANCE = json.loads((FIXTURES / "easypost_insurance_create.json").read_text())


class FakeEasyPost:
    """Answers like EasyPost's API: the Claim object, with the status we set."""

    def __init__(self, claim):
        self.claim = copy.deepcopy(claim)
        self.calls = []

    def __call__(self, method, path, body):
        self.calls.append((method, path, body))
        return copy.deepcopy(self.claim)


@pytest.fixture
def insured(time_machine):
    """A parcel insured through EasyPost for what the sample Insurance object says, lost."""
    time_machine.move_to("2026-03-20T12:00:00+00:00")
    ExchangeRateFactory(currency="USD", rate=Decimal("0.9"))
    terms = insurance_terms(INSURANCE)
    shipment = ShipmentFactory(
        tracking_number=terms.tracking_code,
        insured=True,
        insured_value=terms.amount,
        insured_currency=terms.currency,
        promised_delivery_date=datetime.date(2026, 3, 6),
        order__currency="USD",
    )
    shipment_declare_lost(shipment=shipment, actor=None)
    return shipment


def test_the_insurance_object_gives_the_insured_value():
    terms = insurance_terms(INSURANCE)
    assert (terms.tracking_code, terms.amount, terms.currency) == (
        "EZ1000000001",
        Decimal("100.00"),
        "USD",
    )


def test_a_claim_is_filed_in_easyposts_shape_and_keeps_its_id(insured, settings):
    settings.DEFAULT_FROM_EMAIL = "Shop <support@shop.example>"
    easypost = FakeEasyPost(CLAIM)
    claim = claim_file(shipment=insured, actor=None, adapter=EasyPostClaims(transport=easypost))
    assert claim.provider == "easypost"
    assert claim.provider_reference == "clm_09d89e88a0c943d59018bc26b041c41c"
    [(method, path, body)] = easypost.calls
    assert (method, path) == ("POST", "/claims")
    assert body["type"] == "loss"
    assert body["tracking_code"] == "EZ1000000001"
    assert body["amount"] == "100.00"
    assert body["contact_email"] == "support@shop.example"
    assert body["payment_method"] == "easypost_wallet"


def test_a_refusing_provider_leaves_nothing_behind(insured):
    def refuse(method, path, body):
        raise ClaimProviderError("EasyPost refused the claim (422): bad amount")

    with pytest.raises(ClaimProviderError):
        claim_file(shipment=insured, actor=None, adapter=EasyPostClaims(transport=refuse))
    assert not InsuranceClaim.objects.exists()


def test_the_sample_claim_reads_as_submitted():
    answer = claim_answer(CLAIM)
    assert (answer.status, answer.amount_approved) == ("submitted", None)


@pytest.mark.parametrize(
    ("status", "approved", "ours"),
    [
        ("in_review", None, "in_review"),
        ("approved", "100.00", "approved"),
        ("approved", "60.00", "partially_approved"),
        ("rejected", None, "rejected"),
        ("cancelled", None, "rejected"),
    ],
)
def test_easyposts_statuses_in_ours(status, approved, ours):
    answer = claim_answer({**CLAIM, "status": status, "approved_amount": approved})
    assert answer.status == ours


def test_an_unknown_status_changes_nothing():
    assert claim_answer({**CLAIM, "status": "teleported"}) is None


def test_a_refresh_walks_to_paid_and_books_the_payout_once(insured):
    easypost = FakeEasyPost(CLAIM)
    adapter = EasyPostClaims(transport=easypost)
    claim = claim_file(shipment=insured, actor=None, adapter=adapter)
    # when EasyPost says it was paid 60 of the 100 dollars claimed
    easypost.claim.update(status="paid", approved_amount="60.00")
    claim = claim_refresh(claim=claim, adapter=adapter)
    # then the claim took the table's shortest way (approved, paid), and 60 USD are booked
    assert claim.status == "paid"
    assert claim.amount_approved == Decimal("60.00")
    assert claim.payout.kind == Compensation.Kind.INSURANCE_PAYOUT
    assert claim.payout.amount == Decimal("60.000")
    statuses = [
        event.data["status"] for event in claim.case.events.filter(verb="shipments.claim_updated")
    ]
    assert statuses == ["approved", "paid"]
    # and asking again books nothing more
    claim_refresh(claim=claim, adapter=adapter)
    assert Compensation.objects.filter(kind="insurance_payout").count() == 1


def test_the_adapter_is_chosen_by_setting(settings):
    settings.SHIPMENT_CLAIMS_ADAPTER = "easypost"
    assert claims_adapter().name == "easypost"
    assert claims_adapter("manual").name == "manual"


def test_beat_asks_again_about_open_claims_and_books_the_payout(insured, settings):
    easypost = FakeEasyPost(CLAIM)
    adapter = EasyPostClaims(transport=easypost)
    claim = claim_file(shipment=insured, actor=None, adapter=adapter)
    # given EasyPost has since paid the whole claim
    easypost.claim.update(status="paid", approved_amount="100.00")
    # when beat's refresh runs, it walks the claim to paid; a second run moves nothing
    assert claims_refresh_open(adapter=adapter) == 1
    claim.refresh_from_db()
    assert claim.status == "paid"
    assert claim.payout.amount == Decimal("100.000")
    assert claims_refresh_open(adapter=adapter) == 0
    entry = settings.CELERY_BEAT_SCHEDULE["shipment-claims-refresh"]
    assert entry["task"] == "shipments.tasks.shipment_claims_refresh"


def test_a_provider_that_cannot_be_reached_is_asked_again_later(insured, caplog):
    easypost = FakeEasyPost(CLAIM)
    claim = claim_file(shipment=insured, actor=None, adapter=EasyPostClaims(transport=easypost))

    def unreachable(method, path, body):
        raise ClaimProviderError("EasyPost did not answer.")

    assert claims_refresh_open(adapter=EasyPostClaims(transport=unreachable)) == 0
    claim.refresh_from_db()
    assert claim.status == "submitted"
    assert "not refreshed" in caplog.text
