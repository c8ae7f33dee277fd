"""The claims adapter interface: `file(claim)` sends a new claim and returns the provider's
reference; `status(claim)` asks where it stands and returns a `ClaimAnswer`, or None when the
provider cannot be asked (the manual adapter: an agent records its answers)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from shipments.models import InsuranceClaim


@dataclass(frozen=True)
class ClaimAnswer:
    """Where the provider says a claim stands, in our InsuranceClaim.Status terms."""

    status: str
    amount_approved: Decimal | None = None
    reason: str = ""


class ClaimsAdapter(Protocol):
    name: str

    def file(self, claim: InsuranceClaim) -> str:
        """Send `claim` (not saved yet) to the provider; return its reference ("" if none).
        Raises ClaimProviderError when the provider cannot be reached or refuses it."""
        ...

    def status(self, claim: InsuranceClaim) -> ClaimAnswer | None:
        """Where `claim` stands at the provider, or None when it cannot be asked."""
        ...
