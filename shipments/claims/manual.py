"""The manual claims adapter (the default): the agent files the claim with the carrier or
insurer by their own means and records each answer on the case (the workspace's claim form)."""

from shipments.claims.base import ClaimAnswer
from shipments.models import InsuranceClaim


class ManualClaims:
    name = "manual"

    def file(self, claim: InsuranceClaim) -> str:
        # The provider's reference is recorded with its first answer.
        return ""

    def status(self, claim: InsuranceClaim) -> ClaimAnswer | None:
        return None
