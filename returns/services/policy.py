"""Which return policy applies to an order line, which right the customer has (the return window
or a defect claim under warranty), until when, and the plain words that tell them.

The one place these rules live: the portal shows its answer before the customer submits, the
claim service refuses what it says is not possible, and the request keeps what it decided.

Day counting: a window of N days counted from the day after delivery ends N days after the
delivery date (delivered on 1 March, 14 days: until 15 March, that day included). Dates are the
customer's local dates."""

import calendar
import datetime
import zoneinfo
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from fnmatch import fnmatchcase

from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from returns.models import (
    EU_COUNTRIES,
    EU_GUARANTEE_MONTHS,
    EU_WITHDRAWAL_DAYS,
    ReturnPolicy,
    ReturnRequest,
)
from shipments.models import Shipment
from tickets.models import Order, OrderLine

Kind = ReturnRequest.Kind


class Right:
    """Which right a claim runs on."""

    RETURN = "return_window"
    WARRANTY = "warranty"


class Refusal:
    """Why a line cannot be claimed (stable codes, used by the API's errors)."""

    OUTSIDE_WINDOW = "outside_window"
    EXCLUDED = "excluded_product"
    WARRANTY_EXPIRED = "warranty_expired"


@dataclass(frozen=True)
class LineEligibility:
    """The decision for one order line and one kind of claim.

    `right` is the right that applies (or would have applied, when refused); `deadline` is the
    last day it can be claimed; `refusal` is empty when the line can be claimed, else a
    `Refusal` code with `rule` naming what applied (a SKU pattern, a special window, the EU
    minimum); `explanation` says it in the customer's language."""

    order_line_id: int
    kind: str
    right: str
    eligible: bool
    deadline: datetime.date
    counted_from: str
    start: datetime.date
    refusal: str
    rule: str
    explanation: str
    policy_id: int | None
    # The last day a return parcel sent by the deadline may reach us.
    parcel_due: datetime.date

    def as_data(self) -> dict[str, object]:
        """For the request's kept decision (JSON)."""
        data = asdict(self)
        for key in ("deadline", "start", "parcel_due"):
            data[key] = data[key].isoformat()
        return data


def default_policy() -> ReturnPolicy:
    """The rules while no active policy matches: the defaults of ReturnPolicy, never saved."""
    return ReturnPolicy(name="Default")


def policy_for(order: Order) -> ReturnPolicy:
    """The active policy of the order's shipping country, else the active policy for every
    country, else the defaults."""
    country = order.shipping_country.code if order.shipping_country else ""
    policies = {
        policy.country.code or "": policy
        for policy in ReturnPolicy.objects.filter(active=True, country__in={country, ""})
        .prefetch_related("special_windows")
        .order_by()
    }
    return policies.get(country) or policies.get("") or default_policy()


def delivered_on(order: Order, tz: datetime.tzinfo) -> datetime.date | None:
    """The local date of the order's last delivered parcel to the customer, or None."""
    delivered = Shipment.objects.filter(
        order=order,
        direction=Shipment.Direction.OUTBOUND,
        delivered_at__isnull=False,
    ).aggregate(last=Max("delivered_at"))["last"]
    return timezone.localtime(delivered, tz).date() if delivered else None


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` `months` later; the 31st becomes the month's last day where it has fewer."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _tz(order: Order) -> datetime.tzinfo:
    try:
        return zoneinfo.ZoneInfo(order.customer.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_current_timezone()


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _excluded_by(policy: ReturnPolicy, line: OrderLine) -> str:
    """The first SKU pattern of `policy` that the line's SKU matches, else the excluded
    category that is the line's (both ignoring case), or ""."""
    sku, category = line.sku.upper(), line.category.strip().casefold()
    return next(
        (p for p in policy.sku_patterns if fnmatchcase(sku, p.upper())),
        next((c for c in policy.categories if category and c.casefold() == category), ""),
    )


@dataclass(frozen=True)
class _Clocks:
    start: datetime.date
    counted_from: str
    return_deadline: datetime.date
    warranty_deadline: datetime.date
    rule: str


def _clocks(
    policy: ReturnPolicy, order: Order, delivered: datetime.date | None, tz: datetime.tzinfo
) -> _Clocks:
    ordered = timezone.localtime(order.placed_at, tz).date()
    use_delivery = policy.counted_from == ReturnPolicy.CountedFrom.DELIVERY and delivered
    start = delivered if use_delivery and delivered else ordered
    counted_from = "delivery" if use_delivery else "order"
    eu = bool(order.shipping_country) and order.shipping_country.code in EU_COUNTRIES
    days, rule = policy.window_days, ""
    if eu and days < EU_WITHDRAWAL_DAYS:
        days, rule = EU_WITHDRAWAL_DAYS, "eu_withdrawal"
    deadline = start + datetime.timedelta(days=days)
    # The EU's withdrawal period always runs from delivery, whatever the policy counts from.
    if eu and delivered:
        withdrawal = delivered + datetime.timedelta(days=EU_WITHDRAWAL_DAYS)
        if withdrawal > deadline:
            deadline, rule = withdrawal, "eu_withdrawal"
    if policy.pk:
        for window in policy.special_windows.all():
            bought_in = window.purchased_from <= ordered <= window.purchased_until
            if bought_in and window.returnable_until > deadline:
                deadline, rule = window.returnable_until, f"special:{window.name}"
    months = policy.warranty_months
    if eu and months < EU_GUARANTEE_MONTHS:
        months = EU_GUARANTEE_MONTHS
    warranty = add_months(delivered or ordered, months)
    return _Clocks(start, counted_from, deadline, warranty, rule)


def line_eligibility(
    *,
    line: OrderLine,
    kind: str,
    policy: ReturnPolicy | None = None,
    language: str | None = None,
    today: datetime.date | None = None,
    delivered: datetime.date | None = None,
    delivery_known: bool = False,
) -> LineEligibility:
    """Decide for `line` and a claim of `kind` (ReturnRequest.Kind): a return within the
    window; a defect within the return window too (the shop pays its shipping), else under
    warranty. The explanation is in `language` (default: the customer's).

    `policy`, `delivered` (with `delivery_known`) may be passed when deciding several lines of
    one order; otherwise they are read."""
    order = line.order
    tz = _tz(order)
    policy = policy or policy_for(order)
    if not delivery_known:
        delivered = delivered_on(order, tz)
    today = today or timezone.localtime(timezone.now(), tz).date()
    clocks = _clocks(policy, order, delivered, tz)
    refusal, rule, right = "", clocks.rule, Right.RETURN
    deadline = clocks.return_deadline
    excluded = _excluded_by(policy, line)
    if kind == Kind.RETURN:
        if excluded:
            refusal, rule = Refusal.EXCLUDED, excluded
        elif today > deadline:
            refusal = Refusal.OUTSIDE_WINDOW
    elif today > deadline or excluded:
        # A faulty item after the return window (or one that cannot be returned) is a claim
        # under warranty, not a late return.
        right, deadline = Right.WARRANTY, clocks.warranty_deadline
        if excluded and today <= clocks.return_deadline:
            rule = excluded
        if today > deadline:
            refusal = Refusal.WARRANTY_EXPIRED
    with override(language or order.customer.language):
        explanation = _explain(
            kind=kind,
            right=right,
            refusal=refusal,
            rule=rule,
            excluded=excluded,
            deadline=deadline,
            clocks=clocks,
        )
    return LineEligibility(
        order_line_id=line.pk,
        kind=kind,
        right=right,
        eligible=not refusal,
        deadline=deadline,
        counted_from=clocks.counted_from,
        start=clocks.start,
        refusal=refusal,
        rule=rule,
        explanation=explanation,
        policy_id=policy.pk,
        parcel_due=deadline + datetime.timedelta(days=policy.grace_days),
    )


def order_eligibility(
    *,
    order: Order,
    kind: str,
    lines: Sequence[OrderLine] | None = None,
    language: str | None = None,
) -> dict[int, LineEligibility]:
    """`line_eligibility` for each line of `order` (or `lines`), reading the policy and the
    delivery once: {order line id: decision}."""
    policy = policy_for(order)
    delivered = delivered_on(order, _tz(order))
    chosen = lines if lines is not None else list(order.lines.filter(removed_at__isnull=True))
    return {
        line.pk: line_eligibility(
            line=line,
            kind=kind,
            policy=policy,
            language=language,
            delivered=delivered,
            delivery_known=True,
        )
        for line in chosen
    }


def _explain(
    *,
    kind: str,
    right: str,
    refusal: str,
    rule: str,
    excluded: str,
    deadline: datetime.date,
    clocks: _Clocks,
) -> str:
    """The decision in plain words, in the active language."""
    values = {
        "date": _date(deadline),
        "end": _date(clocks.return_deadline),
        "warranty": _date(clocks.warranty_deadline),
        "rule": rule,
    }
    if refusal == Refusal.EXCLUDED:
        return (
            _(
                "This item cannot be returned: it is excluded from returns (%(rule)s). If it "
                "is faulty, report a defect instead."
            )
            % values
        )
    if refusal == Refusal.OUTSIDE_WINDOW:
        return (
            _(
                "The return period for this item ended on %(date)s. If it is faulty, report a "
                "defect instead: it is under warranty until %(warranty)s."
            )
            % values
        )
    if refusal == Refusal.WARRANTY_EXPIRED:
        return _("The warranty for this item ended on %(date)s.") % values
    if right == Right.WARRANTY and rule and rule == excluded:
        return (
            _(
                "This item cannot be returned (%(rule)s), but it is under warranty until "
                "%(date)s: we repair, replace or refund it."
            )
            % values
        )
    if right == Right.WARRANTY:
        return (
            _(
                "The return period ended on %(end)s, but this item is under warranty until "
                "%(date)s: we repair, replace or refund it."
            )
            % values
        )
    if kind == Kind.DEFECT:
        return (
            _("You can send this item back until %(date)s. As it is faulty, we pay the postage.")
            % values
        )
    return _("You can return this until %(date)s.") % values
