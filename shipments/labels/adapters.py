"""Carrier-label adapters: who issues the label a parcel travels under. One small interface,
`LabelAdapter.issue`, and the registry by settings.LABEL_ADAPTER ("self_issued", the default,
or "easypost", shipments/labels/easypost.py)."""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from shipments.adapters.simulator import PREFIX
from shipments.labels.addresses import Address
from tickets.errors import ApplicationError

ADAPTERS = {
    "self_issued": "shipments.labels.adapters.SelfIssuedAdapter",
    "easypost": "shipments.labels.easypost.EasyPostLabelAdapter",
}


class LabelProviderError(ApplicationError):
    """The carrier or label provider could not issue the label now; nothing was stored."""

    code = "label_provider_error"


@dataclass(frozen=True)
class Parcel:
    """What the customer sends: a box of this size and weight (metric)."""

    weight_grams: int = 1000
    length_cm: Decimal = Decimal(30)
    width_cm: Decimal = Decimal(20)
    height_cm: Decimal = Decimal(15)


@dataclass(frozen=True)
class IssuedLabel:
    """What a provider answered: the parcel's tracking number with `carrier` (a carrier name or
    code as the provider spells it; with `carrier_name`, `carrier` is our code and the carrier is
    made with that name if new), and the provider's own id and printable label, if any.
    `shipped_at`: when the parcel counts as handed over, where the provider decides that."""

    tracking_number: str
    carrier: str
    carrier_name: str = ""
    carrier_reference: str = ""
    label_url: str = ""
    tracking_url: str = ""
    shipped_at: datetime | None = None


class LabelAdapter(Protocol):
    """A label provider. `code` is how settings and the Label row name it."""

    code: ClassVar[str]

    def issue(
        self,
        *,
        from_address: Address,
        to_address: Address,
        parcel: Parcel,
        reference: str,
        is_return: bool,
    ) -> IssuedLabel:
        """A label for `parcel` from `from_address` to `to_address`, known as `reference`.
        Raises LabelProviderError if the provider cannot issue one now."""
        ...


class SelfIssuedAdapter:
    """Our own label: a tracking number of the simulated carrier, which the tracking simulator
    plays as a parcel delivered on day 3 ("SIM-ON-TIME-…"), so a demo return travels back to
    the warehouse by itself. The number comes from the reference, so it is the same each time
    for one reference and different for another."""

    code: ClassVar[str] = "self_issued"
    CARRIER = "simulator"
    CARRIER_NAME = "Demo Post (simulated)"
    SCRIPT = "ON-TIME"

    def issue(
        self,
        *,
        from_address: Address,
        to_address: Address,
        parcel: Parcel,
        reference: str,
        is_return: bool,
    ) -> IssuedLabel:
        digest = hashlib.sha256(reference.encode()).hexdigest()[:10].upper()
        kind = "R" if is_return else "S"
        return IssuedLabel(
            tracking_number=f"{PREFIX}{self.SCRIPT}-{kind}{digest}",
            carrier=self.CARRIER,
            carrier_name=self.CARRIER_NAME,
            # The simulated customer hands the parcel over at once: its script starts now.
            shipped_at=timezone.now(),
        )


def label_adapter(code: str | None = None) -> LabelAdapter:
    """The adapter `code` names (default settings.LABEL_ADAPTER). Raises LabelProviderError for
    a name that is not one."""
    name = code or settings.LABEL_ADAPTER
    path = ADAPTERS.get(name)
    if path is None:
        raise LabelProviderError(
            _("Unknown label adapter %(name)s; choose one of %(known)s.")
            % {"name": name, "known": ", ".join(sorted(ADAPTERS))}
        )
    adapter: LabelAdapter = import_string(path)()
    return adapter
