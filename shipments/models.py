"""Carriers, shipments, their tracking events, detection findings and insurance claims.

Every source of tracking (Shopify fulfilments, EasyPost and AfterShip webhooks, our generic
webhook and API, polling adapters, the simulator, an agent) is mapped onto one normalised
status set, `ShipmentStatus`, with a normalised `IncidentReason` where the source gives one.
"""

from datetime import date

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

# The label service's model lives with it (shipments/labels/); imported so the app has it.
from shipments.labels.models import Label  # noqa: F401
from tickets.models import Case, Compensation, Order
from tickets.models.choices import ChoiceLabels
from tickets.models.customers import MONEY
from tickets.validators import validate_currency


class ShipmentStatus(models.TextChoices):
    """One status set for every tracking source (README, "Tracking statuses")."""

    PENDING = "pending", _("Label created")
    INFO_RECEIVED = "info_received", _("Carrier has the details")
    IN_TRANSIT = "in_transit", _("In transit")
    CUSTOMS_HOLD = "customs_hold", _("Held in customs")
    OUT_FOR_DELIVERY = "out_for_delivery", _("Out for delivery")
    AVAILABLE_FOR_PICKUP = "available_for_pickup", _("Waiting at a pickup point")
    DELIVERY_FAILED = "delivery_failed", _("Delivery attempt failed")
    DELIVERED = "delivered", _("Delivered")
    EXCEPTION = "exception", _("Problem in transit")
    RETURN_TO_SENDER = "return_to_sender", _("Returning to sender")
    LOST = "lost", _("Lost")
    CANCELLED = "cancelled", _("Cancelled")
    UNKNOWN = "unknown", _("Unknown")


# Statuses after which tracking stops: nothing moves a shipment out of them again (an event
# arriving late for a delivered parcel is stored but leaves its status alone).
FINAL_STATUSES = frozenset(
    {ShipmentStatus.DELIVERED, ShipmentStatus.LOST, ShipmentStatus.CANCELLED}
)

# The shipments detection looks at (shipments/services/detection.py): on their way to the
# customer and not final. Its partial indexes hold only these rows, so a detection pass costs
# what the shipments still travelling cost, not every shipment ever made. Detection filters
# with this very Q, so PostgreSQL sees the index predicate implied.
DETECTION_OPEN = ~Q(status__in=sorted(FINAL_STATUSES)) & ~Q(direction="return")


class IncidentReason(models.TextChoices):
    """Why a parcel stalls, where the source says so (for the carrier reports)."""

    NONE = "", _("None")
    CUSTOMS_DELAY = "customs_delay", _("Customs delay")
    CUSTOMS_DOCUMENTS = "customs_documents", _("Customs needs documents")
    CUSTOMS_DUTIES = "customs_duties", _("Duties unpaid")
    CUSTOMS_INSPECTION = "customs_inspection", _("Customs inspection")
    WEATHER = "weather", _("Weather")
    ADDRESS = "address", _("Address problem")
    RECIPIENT_UNAVAILABLE = "recipient_unavailable", _("Nobody at home")
    REFUSED = "refused", _("Refused by the recipient")
    DAMAGED = "damaged", _("Damaged")
    LOST = "lost", _("Lost")
    CARRIER_DELAY = "carrier_delay", _("Carrier delay")
    OTHER = "other", _("Other")


class Carrier(models.Model):
    """A carrier we know tracking numbers of; `code` is ours (karrio's carrier names)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    # The public tracking page, with {tracking_number} where the number goes.
    tracking_url = models.CharField(_("tracking page URL"), max_length=255, blank=True)
    # Days after the promised date (or after shipping, without one) within which an insurance
    # claim must be filed with this carrier or its insurer.
    claim_filing_days = models.PositiveIntegerField(_("claim filing window (days)"), default=60)
    # Polling: how often a shipment may be asked about, and the carrier's backoff after errors.
    poll_interval_minutes = models.PositiveIntegerField(_("poll interval (minutes)"), default=240)
    poll_failures = models.PositiveIntegerField(_("poll failures in a row"), default=0)
    poll_paused_until = models.DateTimeField(_("polling paused until"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("carrier")
        verbose_name_plural = _("carriers")

    def __str__(self) -> str:
        return self.name

    def tracking_link(self, tracking_number: str) -> str:
        """The carrier's public tracking page for `tracking_number`, or ""."""
        if not self.tracking_url:
            return ""
        return self.tracking_url.replace("{tracking_number}", tracking_number)


class Shipment(ChoiceLabels, models.Model):
    """A parcel on its way to the customer (or back, or a replacement)."""

    class Direction(models.TextChoices):
        OUTBOUND = "outbound", _("Outbound")
        RETURN = "return", _("Return")
        REPLACEMENT = "replacement", _("Replacement")

    class ServiceLevel(models.TextChoices):
        STANDARD = "standard", _("Standard")
        EXPEDITED = "expedited", _("Expedited")

    class Customs(models.TextChoices):
        NONE = "", _("No customs")
        HELD = "held", _("Held")
        DOCUMENTS = "documents", _("Documents needed")
        DUTIES = "duties", _("Duties to pay")
        INSPECTION = "inspection", _("Inspection")
        RELEASED = "released", _("Released")

    class LostOutcome(models.TextChoices):
        NONE = "", _("Not chosen yet")
        REFUND = "refund", _("Refund")
        REPLACEMENT = "replacement", _("Replacement")

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="shipments", verbose_name=_("order")
    )
    direction = models.CharField(
        _("direction"), max_length=12, choices=Direction.choices, default=Direction.OUTBOUND
    )
    carrier = models.ForeignKey(
        Carrier, on_delete=models.PROTECT, related_name="shipments", verbose_name=_("carrier")
    )
    service_level = models.CharField(
        _("service level"),
        max_length=10,
        choices=ServiceLevel.choices,
        default=ServiceLevel.STANDARD,
    )
    tracking_number = models.CharField(_("tracking number"), max_length=64)
    # The shop's fulfilment id (Shopify), so fulfilment updates find the shipment again.
    external_id = models.CharField(_("shop's fulfilment id"), max_length=64, blank=True)
    # The tracking page the shop or carrier gave for this parcel (Shopify's tracking_url);
    # without one, the carrier's template makes it (see `tracking_link`).
    tracking_url = models.URLField(_("tracking page"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=24, choices=ShipmentStatus.choices, default=ShipmentStatus.PENDING
    )
    incident_reason = models.CharField(
        _("incident reason"), max_length=24, choices=IncidentReason.choices, blank=True
    )
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    promised_delivery_date = models.DateField(_("promised delivery date"), null=True, blank=True)
    revised_estimate = models.DateField(_("revised delivery estimate"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    # The first carrier scan (not a label or "info received"), and the latest event of any kind.
    first_scan_at = models.DateTimeField(_("first carrier scan"), null=True, blank=True)
    last_event_at = models.DateTimeField(_("last tracking event"), null=True, blank=True)
    origin_country = CountryField(_("origin country"), blank=True)
    destination_country = CountryField(_("destination country"), blank=True)
    customs_state = models.CharField(
        _("customs"), max_length=12, choices=Customs.choices, blank=True
    )
    customs_since = models.DateTimeField(_("in customs since"), null=True, blank=True)
    insured = models.BooleanField(_("insured"), default=False)
    insured_value = models.DecimalField(_("insured value"), null=True, blank=True, **MONEY)
    insured_currency = models.CharField(
        _("insured currency"), max_length=3, blank=True, validators=[validate_currency]
    )
    declared_lost_at = models.DateTimeField(_("declared lost"), null=True, blank=True)
    # How a lost parcel is made right, chosen once by the customer or an agent for them
    # (shipments.services.lost); the compensation and any replacement hang off the case.
    lost_outcome = models.CharField(
        _("made right by"), max_length=12, choices=LostOutcome.choices, blank=True
    )
    # The shipment-issue case about this shipment (one at most), and the case this shipment was
    # made for (a replacement or a return label), which may be a different case.
    issue_case = models.OneToOneField(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issue_shipment",
        verbose_name=_("shipment-issue case"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shipments",
        verbose_name=_("made for case"),
    )
    # When detection or polling should look at this shipment next (null: never again).
    check_at = models.DateTimeField(_("next check"), null=True, blank=True)
    polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "tracking_number"], name="shipment_tracking_number_per_carrier"
            ),
        ]
        indexes = [
            models.Index(fields=["tracking_number"], name="shipment_tracking_number"),
            # The API's list, newest first, paged by keyset at any depth.
            models.Index(fields=["-created_at", "-id"], name="shipment_newest"),
            # The carrier reports: the shipments shipped in a date range.
            models.Index(fields=["shipped_at"], name="shipment_shipped"),
            # Detection and polling walk only the shipments due for a look.
            models.Index(
                fields=["check_at"], name="shipment_check_due", condition=Q(check_at__isnull=False)
            ),
            # Detection (migration 0003): silence (stalled, presumed lost, pickup, tracking
            # unknown), lateness, the parcels never scanned, and customs or carrier problems.
            models.Index(
                fields=["last_event_at"], name="shipment_open_last_event", condition=DETECTION_OPEN
            ),
            models.Index(
                Coalesce("revised_estimate", "promised_delivery_date"),
                name="shipment_open_estimate",
                condition=DETECTION_OPEN,
            ),
            models.Index(
                Coalesce("shipped_at", "created_at"),
                name="shipment_open_unscanned",
                condition=DETECTION_OPEN & Q(first_scan_at__isnull=True),
            ),
            models.Index(
                fields=["status"],
                name="shipment_problem_status",
                condition=Q(
                    status__in=[
                        "customs_hold",
                        "exception",
                        "delivery_failed",
                        "return_to_sender",
                        "available_for_pickup",
                        "lost",
                    ]
                ),
            ),
            models.Index(
                fields=["customs_state"],
                name="shipment_customs_open",
                condition=Q(customs_state__in=["held", "documents", "duties", "inspection"]),
            ),
            models.Index(
                fields=["last_event_at"],
                name="shipment_lost_recent",
                condition=Q(status="lost"),
            ),
            models.Index(
                fields=["declared_lost_at"],
                name="shipment_declared_lost",
                condition=Q(declared_lost_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.carrier_id}:{self.tracking_number}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def is_international(self) -> bool:
        return bool(self.origin_country and self.origin_country != self.destination_country)

    @property
    def tracking_link(self) -> str:
        """The parcel's public tracking page: the one given for it, else the carrier's."""
        return self.tracking_url or self.carrier.tracking_link(self.tracking_number)

    @property
    def estimate(self) -> date | None:
        """The delivery date to tell the customer: the revised estimate, else the promised."""
        return self.revised_estimate or self.promised_delivery_date


class TrackingEvent(ChoiceLabels, models.Model):
    """One carrier scan or status change of a shipment, from any source."""

    class Source(models.TextChoices):
        SHOPIFY = "shopify", _("Shopify")
        EASYPOST = "easypost", _("EasyPost")
        AFTERSHIP = "aftership", _("AfterShip")
        GENERIC = "generic", _("Webhook")
        API = "api", _("API")
        POLL = "poll", _("Carrier polling")
        SIMULATOR = "simulator", _("Simulator")
        AGENT = "agent", _("Agent")

    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="events", verbose_name=_("shipment")
    )
    occurred_at = models.DateTimeField(_("time"))
    status = models.CharField(_("status"), max_length=24, choices=ShipmentStatus.choices)
    incident_reason = models.CharField(
        _("incident reason"), max_length=24, choices=IncidentReason.choices, blank=True
    )
    raw_status = models.CharField(_("carrier's code"), max_length=100, blank=True)
    message = models.CharField(_("carrier's message"), max_length=500, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    # The source's id of the event, so that a repeated delivery is stored once.
    external_id = models.CharField(_("external id"), max_length=128)
    payload = models.JSONField(_("raw payload"), default=dict, blank=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="tracking_event_once_per_source"
            ),
        ]
        indexes = [
            models.Index(fields=["shipment", "occurred_at"], name="tracking_event_timeline"),
        ]

    def __str__(self) -> str:
        return f"{self.status} @ {self.occurred_at:%Y-%m-%d %H:%M}"


class TrackingDelivery(ChoiceLabels, models.Model):
    """A provider's webhook delivery (EasyPost, AfterShip), signed and readable, acknowledged at
    once and waiting for the intake, which stores waiting deliveries in batches
    (shipments/services/deliveries.py). The row is deleted in the transaction that stores its
    events."""

    source = models.CharField(_("source"), max_length=12, choices=TrackingEvent.Source.choices)
    body = models.TextField(_("body"))
    received_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("tracking webhook delivery")
        verbose_name_plural = _("tracking webhook deliveries")

    def __str__(self) -> str:
        return f"{self.source} @ {self.received_at:%Y-%m-%d %H:%M:%S}"


class RouteThresholds(ChoiceLabels, models.Model):
    """Detection thresholds for a route (origin → destination country); a blank country
    matches any. The most specific row wins; without one, the built-in defaults
    (shipments/services/thresholds.py) apply."""

    origin_country = CountryField(_("origin country"), blank=True)
    destination_country = CountryField(_("destination country"), blank=True)
    handling_hours = models.PositiveIntegerField(_("handling time (hours)"), null=True, blank=True)
    unknown_tracking_hours = models.PositiveIntegerField(
        _("tracking number unknown after (hours)"), null=True, blank=True
    )
    stalled_days = models.PositiveIntegerField(_("stalled after (days)"), null=True, blank=True)
    customs_hold_days = models.PositiveIntegerField(
        _("customs hold too long after (days)"), null=True, blank=True
    )
    pickup_reminder_days = models.PositiveIntegerField(
        _("pickup reminder after (days)"), null=True, blank=True
    )
    lost_days = models.PositiveIntegerField(_("presumed lost after (days)"), null=True, blank=True)

    class Meta:
        verbose_name = _("route thresholds")
        verbose_name_plural = _("route thresholds")
        constraints = [
            models.UniqueConstraint(
                fields=["origin_country", "destination_country"], name="route_thresholds_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.origin_country or '*'} → {self.destination_country or '*'}"


class Finding(ChoiceLabels, models.Model):
    """A detection rule that fired for a shipment (or an order without one): shown on the
    case, and kept so a rule fires once per shipment until its cause clears."""

    class Rule(models.TextChoices):
        NOT_DISPATCHED = "not_dispatched", _("Not dispatched in time")
        UNKNOWN_TRACKING = "unknown_tracking", _("Tracking number unknown to the carrier")
        LATE = "late", _("Late")
        STALLED = "stalled", _("Stalled")
        CUSTOMS = "customs", _("Held in customs")
        EXCEPTION = "exception", _("Carrier reported a problem")
        PICKUP_WAITING = "pickup_waiting", _("Waiting at a pickup point")
        PRESUMED_LOST = "presumed_lost", _("Presumed lost")

    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices)
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="shipment_findings", verbose_name=_("order")
    )
    shipment = models.ForeignKey(
        Shipment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("shipment"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shipment_findings",
        verbose_name=_("case"),
    )
    data = models.JSONField(_("details"), default=dict, blank=True)
    found_at = models.DateTimeField(_("found"), default=timezone.now)
    cleared_at = models.DateTimeField(_("cleared"), null=True, blank=True)

    class Meta:
        ordering = ["found_at", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            # One open finding per rule and shipment (or order, before it has a shipment).
            models.UniqueConstraint(
                fields=["rule", "shipment"],
                condition=Q(cleared_at__isnull=True, shipment__isnull=False),
                name="finding_open_once_per_shipment",
            ),
            models.UniqueConstraint(
                fields=["rule", "order"],
                condition=Q(cleared_at__isnull=True, shipment__isnull=True),
                name="finding_open_once_per_order",
            ),
        ]
        indexes = [
            # The findings detection has yet to announce (no case yet): the per-finding work
            # reads only these (migration 0003).
            models.Index(
                fields=["id"],
                name="finding_unannounced",
                condition=Q(case__isnull=True, cleared_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} ({self.found_at:%Y-%m-%d})"


class InsuranceClaim(ChoiceLabels, models.Model):
    """A claim with the carrier or insurer for a lost or damaged insured shipment."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        PARTIALLY_APPROVED = "partially_approved", _("Partially approved")
        REJECTED = "rejected", _("Rejected")
        PAID = "paid", _("Paid")

    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.SUBMITTED: frozenset({Status.IN_REVIEW, Status.APPROVED, Status.REJECTED}),
        Status.IN_REVIEW: frozenset({Status.APPROVED, Status.PARTIALLY_APPROVED, Status.REJECTED}),
        Status.APPROVED: frozenset({Status.PAID}),
        Status.PARTIALLY_APPROVED: frozenset({Status.PAID}),
        Status.REJECTED: frozenset(),
        Status.PAID: frozenset(),
    }

    shipment = models.ForeignKey(
        Shipment, on_delete=models.PROTECT, related_name="claims", verbose_name=_("shipment")
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="insurance_claims", verbose_name=_("case")
    )
    provider = models.CharField(_("claims provider"), max_length=20, default="manual")
    provider_reference = models.CharField(_("provider's reference"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    amount_requested = models.DecimalField(_("amount requested"), **MONEY)
    amount_approved = models.DecimalField(_("amount approved"), null=True, blank=True, **MONEY)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    # What was sent with the claim: tracking history, order value, the customer's photos.
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    filing_deadline = models.DateField(_("filing deadline"), null=True, blank=True)
    rejection_reason = models.CharField(_("rejection reason"), max_length=500, blank=True)
    # The payout booked on the case's compensation ledger once the claim is paid.
    payout = models.OneToOneField(
        Compensation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="insurance_claim",
        verbose_name=_("payout"),
    )
    filed_at = models.DateTimeField(_("filed"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("insurance claim")
        verbose_name_plural = _("insurance claims")
        constraints = [
            # One claim in flight per shipment: a rejected one may be followed by a new one.
            models.UniqueConstraint(
                fields=["shipment"],
                condition=~Q(status="rejected"),
                name="insurance_claim_one_open_per_shipment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shipment} {self.status}"
