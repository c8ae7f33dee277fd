import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case as DbCase
from django.db.models import ExpressionWrapper, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .calendars import (
    default_day_end,
    default_day_start,
    default_working_days,
    validate_holiday_country,
    validate_time_zone,
    validate_working_days,
)
from .choices import ChoiceLabels
from .customers import Customer, Order, OrderLine

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a number read out over the phone or typed from a
# screenshot is never ambiguous. 8 characters of 24 give 1.1e11 numbers.
CASE_NUMBER_ALPHABET = "ACDEFGHJKMNPQRTUVWXY3467"


def new_case_number() -> str:
    code = "".join(secrets.choice(CASE_NUMBER_ALPHABET) for _ in range(8))
    return f"{settings.CASE_NUMBER_PREFIX}-{code[:4]}-{code[4:]}"


class Team(models.Model):
    """Agents grouped by market or language (e.g. "DACH", "China") for routing and filters."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="teams", verbose_name=_("members")
    )
    # The team's business hours (tickets.services.sla): SLA policies that count in them and
    # breach alerts, which wait for the team's next working hour.
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    working_days = models.JSONField(
        _("working days"),
        default=default_working_days,
        validators=[validate_working_days],
        help_text=_("Weekday numbers, Monday 0 to Sunday 6."),
    )
    day_start = models.TimeField(_("start of day"), default=default_day_start)
    day_end = models.TimeField(_("end of day"), default=default_day_end)
    holiday_country = models.CharField(
        _("public holidays of"),
        max_length=2,
        blank=True,
        validators=[validate_holiday_country],
        help_text=_("Two-letter country code; empty: no public holidays."),
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.day_start and self.day_end and self.day_end <= self.day_start:
            raise ValidationError({"day_end": _("The day must end after it starts.")})


class Tag(models.Model):
    name = models.SlugField(_("name"), max_length=50, unique=True, allow_unicode=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CaseTag(models.Model):
    """A tag on a case: the table of Case.tags."""

    case = models.ForeignKey("Case", on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    # Whether the case is active: on PostgreSQL the database keeps it (triggers of migration
    # 0026), for the list's tag filter over the active cases, which reads the tag's active
    # cases from the partial index below instead of every case ever tagged. Nothing here
    # writes it; SQLite leaves it false and filters by the tag alone.
    case_active = models.BooleanField(db_default=False, editable=False)

    class Meta:
        db_table = "tickets_case_tags"
        unique_together = [("case", "tag")]
        indexes = [
            models.Index(
                fields=["tag", "case"], condition=models.Q(case_active=True), name="case_tag_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.tag_id}"


class CaseStatus(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    WAITING_ON_CUSTOMER = "waiting_on_customer", _("Waiting on customer")
    WAITING_ON_RETURN = "waiting_on_return", _("Waiting on return")
    WAITING_ON_CARRIER = "waiting_on_carrier", _("Waiting on carrier")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


# Outside Case so that its Meta (the partial index) can name them.
ACTIVE_CASE_STATUSES = frozenset(set(CaseStatus) - {CaseStatus.RESOLVED, CaseStatus.CLOSED})


class Case(ChoiceLabels, models.Model):
    """One after-sales problem of one customer; scenario apps attach their own models to it."""

    class Kind(models.TextChoices):
        DEFECT = "defect", _("Defective product")
        # A change-of-mind return (the returns app owns both: two rights, two clocks).
        RETURN = "return", _("Return")
        WRONG_ITEM = "wrong_item", _("Wrong item")
        SHIPMENT_ISSUE = "shipment_issue", _("Delayed or lost shipment")
        GENERAL = "general", _("General question")

    Status = CaseStatus

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("Portal")
        EMAIL = "email", _("Email")
        API = "api", _("API")
        AGENT = "agent", _("Agent")
        SYSTEM = "system", _("System")

    # The only moves case_transition allows (DESIGN.md, "The shared case").
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.NEW: frozenset({Status.OPEN}),
        Status.OPEN: frozenset(
            {
                Status.WAITING_ON_CUSTOMER,
                Status.WAITING_ON_RETURN,
                Status.WAITING_ON_CARRIER,
                Status.RESOLVED,
            }
        ),
        Status.WAITING_ON_CUSTOMER: frozenset({Status.OPEN}),
        Status.WAITING_ON_RETURN: frozenset({Status.OPEN}),
        Status.WAITING_ON_CARRIER: frozenset({Status.OPEN}),
        Status.RESOLVED: frozenset({Status.OPEN, Status.CLOSED}),
        Status.CLOSED: frozenset(),
    }
    ACTIVE_STATUSES = ACTIVE_CASE_STATUSES

    number = models.CharField(
        _("number"), max_length=20, unique=True, default=new_case_number, editable=False
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.NEW, editable=False
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    subject = models.CharField(_("subject"), max_length=255)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="cases", verbose_name=_("customer")
    )
    order = models.ForeignKey(
        Order,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("order"),
    )
    # The item of the order the case is about, when it is about one (a portal case names it).
    order_line = models.ForeignKey(
        OrderLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("order line"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assignee"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("team"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    tags = models.ManyToManyField(
        Tag, blank=True, through="CaseTag", related_name="cases", verbose_name=_("tags")
    )
    first_response_due = models.DateTimeField(_("first response due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    first_responded_at = models.DateTimeField(_("first responded"), null=True, blank=True)
    # The update target: set when the customer writes after the first response, cleared by the
    # next public agent reply (tickets.services.sla).
    next_response_due = models.DateTimeField(
        _("next response due"), null=True, blank=True, editable=False
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    satisfaction = models.PositiveSmallIntegerField(
        _("customer's rating"),
        null=True,
        blank=True,
        editable=False,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    satisfaction_at = models.DateTimeField(_("rated"), null=True, blank=True, editable=False)
    # The soonest due time of the SLA targets running on the case (first response, next
    # response, resolution): the list's default order and the home page's "at risk" and
    # "breached" counts read it through one index. None while no target runs or the clocks
    # are paused (waiting on the customer or the carrier, since `sla_paused_at`).
    sla_due = models.DateTimeField(_("SLA due"), null=True, blank=True, editable=False)
    sla_paused_at = models.DateTimeField(_("SLA paused"), null=True, blank=True, editable=False)
    # A duplicate merged into another case: its messages, events and links moved there.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_cases",
        editable=False,
        verbose_name=_("merged into"),
    )
    # Urgency as a number (low 0 … urgent 3), stored so that ordering by it is an index scan,
    # not a sort of every case on a CASE expression. The database computes it from `priority`:
    # nothing in Python maintains it, and bulk loads (COPY) fill it too.
    priority_rank = models.GeneratedField(
        expression=DbCase(
            *(When(priority=value, then=Value(rank)) for rank, value in enumerate(Priority.values)),
            default=Value(len(Priority.values)),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name=_("priority rank"),
    )
    # Whether the case is active (neither resolved nor closed), kept by the database like
    # `priority_rank`. The partial indexes of active cases are conditioned on it rather than on
    # the status list: PostgreSQL proves a one-column condition against each partial index at a
    # fraction of the cost of proving a list of statuses, which the search (one query of seven
    # arms, each weighing every partial index) paid several times over in planning. A query of
    # active cases filters `active=True`, also beside a chosen active status, or those indexes
    # go unused. `is_active` reads the status, which an unsaved change has already set.
    active = models.GeneratedField(
        expression=ExpressionWrapper(
            Q(status__in=sorted(ACTIVE_CASE_STATUSES)), output_field=models.BooleanField()
        ),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("active"),
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]
        # Every ordering and filter of the case list has an index that serves a page, and its
        # `count` up to the cap, from the first rows it reads, with the id as the tiebreak
        # (tickets.api.filters.StableOrderingFilter, the keyset cursors). PostgreSQL reads each
        # backwards for the opposite direction.
        indexes = [
            models.Index(fields=["status", "priority"]),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["status", "resolved_at"]),
            models.Index(fields=["-created_at", "-id"], name="case_created"),
            models.Index(fields=["-updated_at", "-id"], name="case_updated"),
            models.Index(fields=["priority_rank", "id"], name="case_priority_rank"),
            models.Index(fields=["kind", "-created_at", "-id"], name="case_kind_created"),
            models.Index(fields=["status", "-created_at", "-id"], name="case_status_created"),
            models.Index(fields=["priority", "-created_at", "-id"], name="case_priority_created"),
            models.Index(fields=["assignee", "-created_at", "-id"], name="case_assignee_created"),
            # The queue's default order (SLA due first) over the active cases.
            models.Index(
                fields=["sla_due", "id"],
                condition=models.Q(active=True),
                name="case_active_sla_due",
            ),
            # The SLA filters (breached, at risk, on time) over the active cases whose clocks
            # run. Its own index because the planner cannot see that active cases are rarely
            # paused while most cases ever are (paused at resolution): with the condition only
            # in the query it expected a handful of rows and sorted every breached case.
            models.Index(
                fields=["sla_due", "id"],
                condition=models.Q(active=True, sla_paused_at__isnull=True),
                name="case_running_sla_due",
            ),
            # The unassigned active cases, in the queue's default order: the triage queue
            # (the list's "unassigned" filter) and the home page's count of it. Most unassigned
            # cases are active, which the planner cannot know: from the two conditions apart it
            # expected a handful and intersected all active cases with all unassigned ones.
            models.Index(
                fields=["sla_due", "id"],
                condition=models.Q(active=True, assignee__isnull=True),
                name="case_active_unassigned",
            ),
            # A customer's active cases: the search by customer email or name reaches a case
            # from each matching customer through this (a customer has few active cases among
            # many closed ones).
            models.Index(
                fields=["customer", "id"],
                condition=models.Q(active=True),
                name="case_active_customer",
            ),
            # The list's language filter over the active cases: its capped count reads this
            # alone instead of each active case's row to look at its language.
            models.Index(
                fields=["language", "id"],
                condition=models.Q(active=True),
                name="case_active_language",
            ),
            # Active cases only (a few percent of them all): the dashboard's counts by status
            # read this alone (an index-only scan, the visibility columns included).
            models.Index(
                fields=["status", "priority_rank", "id"],
                include=["assignee", "team"],
                condition=models.Q(active=True),
                name="case_active",
            ),
        ]
        constraints = [
            # One open case of a kind per item: the portal sends a customer to the one they have.
            models.UniqueConstraint(
                fields=["order_line", "kind"],
                condition=models.Q(active=True),
                name="case_one_active_per_line_and_kind",
                violation_error_message=_(
                    "There is already an open case of this kind for this item."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class Message(ChoiceLabels, models.Model):
    """A public reply the customer sees, or an internal note only agents see."""

    class Author(models.TextChoices):
        AGENT = "agent", _("Agent")
        CUSTOMER = "customer", _("Customer")
        SYSTEM = "system", _("System")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public reply")
        INTERNAL = "internal", _("Internal note")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="messages", verbose_name=_("case")
    )
    author_kind = models.CharField(_("author"), max_length=10, choices=Author.choices)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agent"),
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    # Whether the message's case is active: on PostgreSQL the database keeps it (triggers of
    # migration 0023), for the search's partial index of active cases' messages; nothing here
    # writes it, and SQLite, which searches by scanning, leaves it false.
    case_active = models.BooleanField(db_default=False, editable=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at", "id"], name="message_case_created")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(author_kind="customer", visibility="internal"),
                name="message_customer_never_internal",
                violation_error_message=_("A customer's message is always public."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_author_kind_display()} · {self.created_at:%Y-%m-%d %H:%M}"


# The stored file's extension by its content type (evidence_prepare decides the type from the
# content); any other type is stored as .bin.
ATTACHMENT_EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
}


def attachment_path(instance: "Attachment", filename: str) -> str:
    # A random name: no part of what the sender called the file decides where it lands, so a
    # name can neither climb out of the folder, collide with another, nor leak in a listing.
    extension = ATTACHMENT_EXTENSIONS.get(instance.content_type, "bin")
    return f"attachments/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"


class Attachment(models.Model):
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("message")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename


class CaseEvent(models.Model):
    """Append-only timeline and audit trail: written by services, never edited."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    verb = models.CharField(_("what happened"), max_length=50)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["case", "created_at", "id"], name="case_event_case_created"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.verb}"
