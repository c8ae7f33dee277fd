"""How cases ended for the customer: the notifications sent about them and the compensations
paid, as rows (called by rows.py for each case)."""

import hashlib
import json
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings

from tickets.services.notifications import message_id_for
from tickets.services.timeline import Verb
from tickets.validators import currency_precision

from . import texts, world
from .sink import IdCounter, Row
from .tables import Rows, money

BOUNCE = "550 5.1.1 Mailbox unavailable"
REASONS = {"rejected": "Outside the goodwill policy.", "cancelled": "Replaced instead."}
FINAL_VERBS = {
    "issued": Verb.COMPENSATION_ISSUED.value,
    "rejected": Verb.COMPENSATION_REJECTED.value,
    "cancelled": Verb.COMPENSATION_CANCELLED.value,
}


def notification_row(
    *,
    ts: Callable[[int], str],
    template: str,
    customer_id: int,
    case_id: int,
    number: str,
    language: str,
    email: str,
    at: int,
    failed: bool,
) -> Row:
    """One email about case `number`, keyed like notify() keys it; sent, or failed after its
    five attempts."""
    subject, body = texts.NOTIFICATIONS[language][template]
    key = f"{template}:{number}:email"
    stamp = ts(at)
    provider = hashlib.md5(key.encode(), usedforsecurity=False).hexdigest()[:20]
    return (
        customer_id, case_id, "email", template, language, email,
        subject.format(number=number), body.format(number=number), "",
        "failed" if failed else "sent", 5 if failed else 1, stamp, BOUNCE if failed else "",
        "" if failed else f"lg-{provider}", key, message_id_for(key), stamp, stamp,
        None if failed else stamp,
    )  # fmt: skip


def compensation_rows(
    *,
    out: Rows,
    ts: Callable[[int], str],
    counter: IdCounter,
    case_id: int,
    agent: int | None,
    currency: str,
    subtotal: int,
    digits: int,
    resolved: int,
    draws: tuple[float, float, float, int],
) -> int:
    """One compensation proposed before the case was resolved, and its timeline events (the
    shape of timeline.compensation_event); returns when its last event happened."""
    kind_pick, share, outcome, lead = draws
    compensation_id = counter.take()
    if kind_pick < 0.5:
        kind, minor = "refund", subtotal
    elif kind_pick < 0.8:
        kind, minor = "partial_refund", int(subtotal * (0.1 + share * 0.4))
    else:
        kind, minor = "store_credit", int(subtotal * (0.1 + share * 0.2))
    base_currency = settings.BASE_CURRENCY
    rate = (
        Decimal(world.PER_EUR.get(base_currency, "1")) / Decimal(world.PER_EUR[currency])
    ).quantize(Decimal("0.00000001"))
    base_exponent = Decimal(1).scaleb(-currency_precision(base_currency))
    base_amount = (Decimal(minor).scaleb(-digits) * rate).quantize(base_exponent)
    status = "issued" if outcome < 0.85 else "rejected" if outcome < 0.95 else "cancelled"
    proposed = resolved - lead
    approved = proposed + lead // 3 if status != "rejected" else None
    finished = proposed + 2 * lead // 3
    amount = money(minor, digits)
    reference = f"RF-{case_id:09d}" if status == "issued" else ""
    reason = REASONS.get(status, "")
    out.compensations.append(
        (
            compensation_id, case_id, kind, amount, currency, f"{base_amount:f}", base_currency,
            f"{rate:f}", status, base_amount > settings.COMPENSATION_APPROVAL_THRESHOLD,
            reference, "", "", reason, agent, False, agent if approved is not None else None,
            None if approved is None else ts(approved),
            ts(finished) if status == "issued" else None, ts(proposed),
        )
    )  # fmt: skip
    common = (
        f'"compensation": {compensation_id}, "kind": "{kind}", '
        f'"amount": "{amount}", "currency": "{currency}"'
    )
    event = out.events.append
    proposed_data = f'{{{common}, "status": "proposed"}}'
    event((case_id, agent, Verb.COMPENSATION_PROPOSED.value, proposed_data, ts(proposed)))
    if approved is not None:
        approved_data = f'{{{common}, "status": "approved"}}'
        event((case_id, agent, Verb.COMPENSATION_APPROVED.value, approved_data, ts(approved)))
    detail = json.dumps({"external_reference": reference} if reference else {"reason": reason})
    final_data = f'{{{common}, "status": "{status}", {detail[1:-1]}}}'
    event((case_id, agent, FINAL_VERBS[status], final_data, ts(finished)))
    return finished
