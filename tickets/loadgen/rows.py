"""The row generator: everything a range of case indices brings, as plain tuples.

Case `i` is the i-th case of the data set, and order `i` is its order (a general question
has none half of the time). Indices come in groups of 25 (`GROUP`): five customers with the
group's 25 orders among them. Every random choice of a group comes from its own
`random.Random`, seeded by the run's seed and the group's number, and is drawn whether or not
the group is written whole. So case `i` is the same whichever batch or run makes it, and a
larger `--cases` extends a smaller data set with exactly the rows a straight run would make.
The group's customers are written with its first case."""

import hashlib
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from django.conf import settings

from tickets.models import (
    Case,
    CaseEvent,
    Compensation,
    Customer,
    Message,
    Notification,
    Order,
    OrderLine,
)
from tickets.models.cases import CASE_NUMBER_ALPHABET
from tickets.services.notifications import message_id_for
from tickets.services.timeline import Verb
from tickets.validators import currency_precision

from . import texts, world
from .registry import GeneratedCase
from .sink import IdCounter, Row, Sink

T = TypeVar("T")

GROUP = 25
CUSTOMERS_PER_GROUP = 5
YEAR = 365 * 86_400
HISTORY = 2 * YEAR
HOUR = 3600
DAY = 86_400

KINDS = (
    (Case.Kind.SHIPMENT_ISSUE.value, 45),
    (Case.Kind.DEFECT.value, 25),
    (Case.Kind.WRONG_ITEM.value, 15),
    (Case.Kind.GENERAL.value, 15),
)
PRIORITIES = (("normal", 70), ("low", 10), ("high", 15), ("urgent", 5))
CHANNELS = (("portal", 45), ("email", 40), ("agent", 10), ("api", 5))
ACTIVE = (
    ("open", 40),
    ("waiting_on_customer", 25),
    ("waiting_on_return", 15),
    ("waiting_on_carrier", 20),
)
# How many messages a case has after the agent's first reply: 1.05 on average, so ~3 a case.
EXTRA_MESSAGES = ((0, 35), (1, 35), (2, 20), (3, 10))
# The share of cases that stay active however old they are (a return that never came back, a
# carrier claim that drags on), besides the young ones still being worked on.
STALE = 0.02
COMPENSATED = 0.05
RATED = 0.25
FAILED_NOTIFICATION = 0.03
RESOLVED_NOTIFICATION = 0.45
REASSIGNED = 0.15
AUTO_CLOSE = 7 * DAY

CUSTOMER_COLUMNS = (
    "id", "email", "name", "phone", "country", "language", "timezone", "sms_consent",
    "created_at", "updated_at",
)  # fmt: skip
ORDER_COLUMNS = (
    "id", "store", "number", "external_id", "customer_id", "placed_at", "currency", "subtotal",
    "shipping_total", "shipping_discount", "tax_total", "total", "shipping_country", "insured",
    "shop_updated_at", "created_at", "updated_at",
)  # fmt: skip
LINE_COLUMNS = (
    "order_id", "external_id", "position", "sku", "title", "quantity", "unit_price", "discount",
)  # fmt: skip
CASE_COLUMNS = (
    "id", "number", "kind", "status", "priority", "subject", "customer_id", "order_id",
    "assignee_id", "team_id", "channel", "language", "first_response_due", "resolution_due",
    "first_responded_at", "resolved_at", "closed_at", "created_at", "updated_at", "version",
    "satisfaction", "satisfaction_at",
)  # fmt: skip
MESSAGE_COLUMNS = ("case_id", "author_kind", "author_user_id", "visibility", "body", "created_at")
EVENT_COLUMNS = ("case_id", "actor_id", "verb", "data", "created_at")
NOTIFICATION_COLUMNS = (
    "customer_id", "case_id", "channel", "template", "language", "recipient", "subject", "body",
    "body_html", "status", "attempts", "next_attempt_at", "last_error", "provider_id",
    "idempotency_key", "message_id", "enqueued_at", "created_at", "sent_at",
)  # fmt: skip
COMPENSATION_COLUMNS = (
    "id", "case_id", "kind", "amount", "currency", "base_amount", "base_currency",
    "exchange_rate", "status", "needs_supervisor", "external_reference", "note",
    "failure_reason", "reason", "proposed_by_id", "approved_by_id", "approved_at", "issued_at",
    "created_at",
)  # fmt: skip


def _table(pairs: Sequence[tuple[T, int]]) -> list[T]:
    """A list to draw from with `rng.choice`, each value as often as its weight says."""
    return [value for value, weight in pairs for _ in range(weight)]


def _money(minor: int, digits: int) -> str:
    if digits == 0:
        return str(minor)
    units, rest = divmod(minor, 10**digits)
    return f"{units}.{rest:0{digits}d}"


def case_number(index: int, seed: int) -> str:
    """The case number of case `index`: a bijection of the index onto 8 characters of
    CASE_NUMBER_ALPHABET (an affine map modulo 24**8), so numbers are unique, spread over the
    whole space like new_case_number()'s, and the same for the same seed."""
    base = len(CASE_NUMBER_ALPHABET)
    space = base**8
    # The multiplier is coprime to 24 (odd, not a multiple of 3), so the map is a bijection.
    value = (index * 48_271_609 + seed * 7_919 + 1_234_567) % space
    digits = []
    for _ in range(8):
        value, digit = divmod(value, base)
        digits.append(CASE_NUMBER_ALPHABET[digit])
    code = "".join(digits)
    return f"{settings.CASE_NUMBER_PREFIX}-{code[:4]}-{code[4:]}"


@dataclass(frozen=True)
class Staff:
    """The generated agents and teams: per language, the team id and its agents' ids."""

    teams: dict[str, int]
    agents: dict[str, list[int]]


class Generator:
    """Writes the rows of case indices [start, stop) through `sink`. Precomputes every table
    it draws from once."""

    def __init__(
        self, *, seed: int, now: int, staff: Staff, sla: dict[tuple[str, str], tuple[int, int]]
    ) -> None:
        self.seed = seed
        self.now = now
        self.staff = staff
        self.sla = sla
        self.countries = _table([(c, c.weight) for c in world.COUNTRIES])
        self.kinds = _table(KINDS)
        self.priorities = _table(PRIORITIES)
        self.channels = _table(CHANNELS)
        self.active = _table(ACTIVE)
        self.extra = _table(EXTRA_MESSAGES)
        self.line_counts = _table([(1, 3), (2, 4), (3, 3)])
        self.quantities = _table([(1, 16), (2, 3), (3, 1)])
        self.scores = _table([(1, 5), (2, 5), (3, 10), (4, 30), (5, 50)])
        self.digits = {c: currency_precision(c) for c in world.PER_EUR}
        # Unit prices in each currency's minor units.
        self.prices = {
            currency: [
                int(Decimal(price) * Decimal(rate) * 10 ** self.digits[currency])
                for _, _, price in world.PRODUCTS
            ]
            for currency, rate in world.PER_EUR.items()
        }
        self.shipping = {
            c: int(Decimal("4.90") * Decimal(r) * 10 ** self.digits[c])
            for c, r in world.PER_EUR.items()
        }
        self.free_shipping = {
            c: int(Decimal(50) * Decimal(r) * 10 ** self.digits[c])
            for c, r in world.PER_EUR.items()
        }
        self.base_currency = settings.BASE_CURRENCY
        self.created_data = {
            (k, ch, p): json.dumps({"kind": k, "channel": ch, "priority": p})
            for k, _ in KINDS
            for ch, _ in CHANNELS
            for p, _ in PRIORITIES
        }
        self.moves = {
            (a, b): json.dumps({"previous": a, "status": b, "reason": ""})
            for a, b in [("new", "open"), ("open", "resolved")] + [("open", s) for s, _ in ACTIVE]
        }
        self.auto_closed = json.dumps(
            {"previous": "resolved", "status": "closed", "reason": "autoclose", "by": "system"}
        )
        self.threshold = settings.COMPENSATION_APPROVAL_THRESHOLD
        # Customer index -> id, for the customers of a group that goes on in the next batch.
        self.customer_ids: dict[int, int] = {}

    # --- one group's plan, drawn whole ---------------------------------------------------

    def batch(self, *, start: int, stop: int, sink: Sink) -> list[GeneratedCase]:
        """Write cases [start, stop) with their orders, lines, messages, events,
        notifications and compensations, and the customers of the groups that start in the
        range. A group split between batches finds its customers' ids in `customer_ids` (the
        caller adds those of a group an earlier run began). Returns the cases for the
        registered steps."""
        out = _Rows()
        made: list[GeneratedCase] = []
        customer_ids = self.customer_ids
        ids = (sink.ids(Customer), sink.ids(Order), sink.ids(Case), sink.ids(Compensation))
        for group in range(start // GROUP, (stop - 1) // GROUP + 1):
            self._group(group, start, stop, sink, out, made, customer_ids, ids)
        # Only the last group can continue in the next batch.
        keep = (stop // GROUP) * CUSTOMERS_PER_GROUP
        for index in [i for i in customer_ids if i < keep]:
            del customer_ids[index]
        sink.write(Customer, CUSTOMER_COLUMNS, out.customers)
        sink.write(Order, ORDER_COLUMNS, out.orders)
        sink.write(OrderLine, LINE_COLUMNS, out.lines)
        sink.write(Case, CASE_COLUMNS, out.cases)
        sink.write(Message, MESSAGE_COLUMNS, out.messages)
        sink.write(Compensation, COMPENSATION_COLUMNS, out.compensations)
        sink.write(CaseEvent, EVENT_COLUMNS, out.events)
        sink.write(Notification, NOTIFICATION_COLUMNS, out.notifications)
        return made

    def _group(  # noqa: C901 - one pass over the group keeps the draws in a fixed order
        self,
        group: int,
        start: int,
        stop: int,
        sink: Sink,
        out: "_Rows",
        made: list[GeneratedCase],
        customer_ids: dict[int, int],
        ids: tuple[IdCounter, IdCounter, IdCounter, IdCounter],
    ) -> None:
        rng = random.Random((self.seed << 32) | group)
        rand, choice, randint = rng.random, rng.choice, rng.randint
        now, ts = self.now, sink.ts
        first = group * GROUP
        customer_counter, order_counter, case_counter, compensation_counter = ids

        # The group's customers, and which of them placed each of its orders: each one at
        # least one, the rest skewed so that some customers order far more than others.
        people = []
        for _ in range(CUSTOMERS_PER_GROUP):
            country = choice(self.countries)
            language = country.language
            first_name = choice(world.FIRST_NAMES[language])
            last_name = choice(world.LAST_NAMES[language])
            name = (
                f"{last_name}{first_name}" if language == "zh-hans" else f"{first_name} {last_name}"
            )
            people.append((country, name))
        owners = list(range(CUSTOMERS_PER_GROUP))
        rng.shuffle(owners)
        weights = [rand() ** 2 + 0.05 for _ in range(CUSTOMERS_PER_GROUP)]
        owners += rng.choices(range(CUSTOMERS_PER_GROUP), weights, k=GROUP - CUSTOMERS_PER_GROUP)

        # When each case opened (uniform over the two years) and when its order was placed.
        opened = [now - randint(300, HISTORY - 30 * DAY) for _ in range(GROUP)]
        placed = [max(t - randint(HOUR, 20 * DAY), now - HISTORY) for t in opened]
        joined = [now] * CUSTOMERS_PER_GROUP
        for j, owner in enumerate(owners):
            joined[owner] = min(joined[owner], placed[j] - randint(0, 30 * DAY))

        if start <= first < stop:
            for k, (country, name) in enumerate(people):
                index = group * CUSTOMERS_PER_GROUP + k
                customer_id = customer_ids[index] = customer_counter.take()
                stamp = ts(joined[k])
                out.customers.append(
                    (
                        customer_id,
                        f"customer{index:08d}@{world.EMAIL_DOMAIN}",
                        name,
                        "",
                        country.code,
                        country.language,
                        country.timezone,
                        False,
                        stamp,
                        stamp,
                    )
                )

        for j in range(GROUP):
            index = first + j
            # Draw everything of the case, written or not, so later draws stay in step.
            kind = choice(self.kinds)
            priority = choice(self.priorities)
            channel = choice(self.channels)
            no_order = kind == "general" and rand() < 0.5
            n_lines = choice(self.line_counts)
            products = [randint(0, len(world.PRODUCTS) - 1) for _ in range(n_lines)]
            quantities = [choice(self.quantities) for _ in range(n_lines)]
            discounted = [rand() < 0.1 for _ in range(n_lines)]
            insured = rand() < 0.3
            respond = randint(10 * 60, 2 * DAY) if rand() < 0.9 else randint(2 * DAY, 4 * DAY)
            duration = randint(2 * HOUR, 6 * DAY) if rand() < 0.9 else randint(6 * DAY, 45 * DAY)
            stale = rand() < STALE
            active_status = choice(self.active)
            assignee_pick = rand()
            reassigned = rand() < REASSIGNED
            extra = choice(self.extra)
            message_draws = [(rand(), rand(), rand()) for _ in range(extra)]
            subject_pick, opening_pick, reply_pick = randint(0, 2), randint(0, 1), randint(0, 2)
            compensated = rand() < COMPENSATED
            compensation_draws = (rand(), rand(), rand(), randint(HOUR, DAY))
            rated = rand() < RATED
            score = choice(self.scores)
            failed = rand() < FAILED_NOTIFICATION
            resolved_note = rand() < RESOLVED_NOTIFICATION
            if not start <= index < stop:
                continue

            owner = owners[j]
            country = people[owner][0]
            language, currency = country.language, country.currency
            customer_id = customer_ids[group * CUSTOMERS_PER_GROUP + owner]
            email = f"customer{group * CUSTOMERS_PER_GROUP + owner:08d}@{world.EMAIL_DOMAIN}"
            digits = self.digits[currency]

            # The order and its lines.
            order_id = order_counter.take()
            order_number = f"LG{index + 1:09d}"
            prices = self.prices[currency]
            subtotal = 0
            for position, (product, quantity, has_discount) in enumerate(
                zip(products, quantities, discounted, strict=True)
            ):
                unit = prices[product]
                discount = unit * quantity // 10 if has_discount else 0
                subtotal += unit * quantity - discount
                out.lines.append(
                    (
                        order_id,
                        f"{index * 4 + position + 7_000_000_000_000}",
                        position,
                        world.PRODUCTS[product][0],
                        world.PRODUCTS[product][1],
                        quantity,
                        _money(unit, digits),
                        _money(discount, digits),
                    )
                )
            shipping = 0 if subtotal >= self.free_shipping[currency] else self.shipping[currency]
            tax = subtotal * 19 // 119
            placed_at = ts(placed[j])
            out.orders.append(
                (
                    order_id,
                    world.STORE,
                    order_number,
                    f"{index + 5_000_000_000_000}",
                    customer_id,
                    placed_at,
                    currency,
                    _money(subtotal, digits),
                    _money(shipping, digits),
                    _money(0, digits),
                    _money(tax, digits),
                    _money(subtotal + shipping, digits),
                    country.code,
                    insured,
                    placed_at,
                    placed_at,
                    placed_at,
                )
            )

            # The case: its status follows from its age.
            case_id = case_counter.take()
            number = case_number(index, self.seed)
            created = opened[j]
            team = self.staff.teams[language]
            agents = self.staff.agents[language]
            agent: int | None = agents[int(assignee_pick * len(agents))]
            first_response_minutes, resolution_minutes = self.sla[(kind, priority)]
            responded: int | None = created + respond
            resolved: int | None = None
            closed: int | None = None
            if stale or created + duration > now:
                status = active_status
                if created + respond > now:
                    status, responded = "new", None
                    if assignee_pick < 0.5:
                        agent = None
            else:
                resolved = created + max(duration, respond + HOUR)
                status = "resolved"
                if resolved + AUTO_CLOSE <= now:
                    status, closed = "closed", resolved + AUTO_CLOSE
            actor = agent if channel == "agent" else None
            product_title = world.PRODUCTS[products[0]][1]
            subject = texts.SUBJECTS[language][kind][subject_pick].format(
                order=order_number, product=product_title
            )
            last = created
            events = out.events
            events.append(
                (
                    case_id,
                    actor,
                    Verb.CREATED.value,
                    self.created_data[(kind, channel, priority)],
                    ts(created),
                )
            )
            messages = out.messages
            messages.append(
                (
                    case_id,
                    "customer",
                    None,
                    "public",
                    texts.OPENINGS[language][kind][opening_pick],
                    ts(created),
                )
            )
            version = 1
            if responded is not None:
                events.append(
                    (
                        case_id,
                        agent,
                        Verb.STATUS_CHANGED.value,
                        self.moves[("new", "open")],
                        ts(responded),
                    )
                )
                messages.append(
                    (
                        case_id,
                        "agent",
                        agent,
                        "public",
                        texts.AGENT_REPLIES[language][reply_pick],
                        ts(responded),
                    )
                )
                version += 1
                end = resolved if resolved is not None else now
                span = max(end - responded, 1)
                last = responded
                for a, b, c in message_draws:
                    at = responded + int(span * a)
                    if b < 0.15:
                        messages.append(
                            (
                                case_id,
                                "agent",
                                agent,
                                "internal",
                                texts.NOTES[int(c * len(texts.NOTES))],
                                ts(at),
                            )
                        )
                    elif b < 0.6:
                        messages.append(
                            (
                                case_id,
                                "customer",
                                None,
                                "public",
                                texts.FOLLOW_UPS[language][int(c * 3)],
                                ts(at),
                            )
                        )
                    else:
                        messages.append(
                            (
                                case_id,
                                "agent",
                                agent,
                                "public",
                                texts.AGENT_REPLIES[language][int(c * 3)],
                                ts(at),
                            )
                        )
                    last = max(last, at)
                if reassigned and len(agents) > 1:
                    previous = agents[(agents.index(agent) + 1) % len(agents)] if agent else None
                    at = responded + span // 3
                    data = f'{{"previous": {previous}, "assignee": {agent}}}'
                    events.append((case_id, None, Verb.ASSIGNED.value, data, ts(at)))
                    version += 1
                if status not in ("open", "resolved", "closed"):
                    at = responded + span // 2
                    events.append(
                        (
                            case_id,
                            agent,
                            Verb.STATUS_CHANGED.value,
                            self.moves[("open", status)],
                            ts(at),
                        )
                    )
                    version += 1
                    last = max(last, at)
            satisfaction = satisfaction_at = None
            if resolved is not None:
                events.append(
                    (
                        case_id,
                        agent,
                        Verb.STATUS_CHANGED.value,
                        self.moves[("open", "resolved")],
                        ts(resolved),
                    )
                )
                version += 1
                last = resolved
                if compensated and kind != "general":
                    last = max(
                        last,
                        self._compensation(
                            out,
                            sink,
                            compensation_counter,
                            case_id,
                            agent,
                            currency,
                            subtotal,
                            digits,
                            resolved,
                            compensation_draws,
                        ),
                    )
                if rated and resolved + DAY <= now:
                    satisfaction, satisfaction_at = score, ts(resolved + DAY)
                    events.append(
                        (
                            case_id,
                            None,
                            Verb.RATED.value,
                            f'{{"score": {score}, "previous": null}}',
                            satisfaction_at,
                        )
                    )
                    last = max(last, resolved + DAY)
                if closed is not None:
                    events.append(
                        (case_id, None, Verb.STATUS_CHANGED.value, self.auto_closed, ts(closed))
                    )
                    version += 1
                    last = max(last, closed)
            out.cases.append(
                (
                    case_id,
                    number,
                    kind,
                    status,
                    priority,
                    subject,
                    customer_id,
                    None if no_order else order_id,
                    agent,
                    team,
                    channel,
                    language,
                    ts(created + first_response_minutes * 60),
                    ts(created + resolution_minutes * 60),
                    None if responded is None else ts(responded),
                    None if resolved is None else ts(resolved),
                    None if closed is None else ts(closed),
                    ts(created),
                    ts(last),
                    version,
                    satisfaction,
                    satisfaction_at,
                )
            )
            self._notification(
                out,
                ts,
                "case_received",
                customer_id,
                case_id,
                number,
                language,
                email,
                created + 30,
                failed,
            )
            if resolved is not None and resolved_note:
                self._notification(
                    out,
                    ts,
                    "case_resolved",
                    customer_id,
                    case_id,
                    number,
                    language,
                    email,
                    resolved + 30,
                    False,
                )
            made.append(
                GeneratedCase(
                    id=case_id,
                    index=index,
                    kind=kind,
                    status=status,
                    customer_id=customer_id,
                    order_id=None if no_order else order_id,
                    language=language,
                    created_at=created,
                    resolved_at=resolved,
                )
            )

    def _notification(
        self,
        out: "_Rows",
        ts: Callable[[int], str],
        template: str,
        customer_id: int,
        case_id: int,
        number: str,
        language: str,
        email: str,
        at: int,
        failed: bool,
    ) -> None:
        subject, body = texts.NOTIFICATIONS[language][template]
        key = f"{template}:{number}:email"
        stamp = ts(at)
        out.notifications.append(
            (
                customer_id,
                case_id,
                "email",
                template,
                language,
                email,
                subject.format(number=number),
                body.format(number=number),
                "",
                "failed" if failed else "sent",
                5 if failed else 1,
                stamp,
                "550 5.1.1 Mailbox unavailable" if failed else "",
                ""
                if failed
                else f"lg-{hashlib.md5(key.encode(), usedforsecurity=False).hexdigest()[:20]}",
                key,
                message_id_for(key),
                stamp,
                stamp,
                None if failed else stamp,
            )
        )

    def _compensation(
        self,
        out: "_Rows",
        sink: Sink,
        counter: IdCounter,
        case_id: int,
        agent: int | None,
        currency: str,
        subtotal: int,
        digits: int,
        resolved: int,
        draws: tuple[float, float, float, int],
    ) -> int:
        """One compensation proposed before the case was resolved, and its events; returns
        when its last event happened."""
        kind_pick, share, outcome, lead = draws
        ts = sink.ts
        compensation_id = counter.take()
        if kind_pick < 0.5:
            kind, minor = "refund", subtotal
        elif kind_pick < 0.8:
            kind, minor = "partial_refund", int(subtotal * (0.1 + share * 0.4))
        else:
            kind, minor = "store_credit", int(subtotal * (0.1 + share * 0.2))
        amount = Decimal(minor).scaleb(-digits)
        rate = (
            Decimal(world.PER_EUR.get(self.base_currency, "1")) / Decimal(world.PER_EUR[currency])
        ).quantize(Decimal("0.00000001"))
        base_digits = currency_precision(self.base_currency)
        base_amount = (amount * rate).quantize(Decimal(1).scaleb(-base_digits))
        status = "issued" if outcome < 0.85 else "rejected" if outcome < 0.95 else "cancelled"
        proposed = resolved - lead
        approved = proposed + lead // 3 if status != "rejected" else None
        finished = proposed + 2 * lead // 3
        money = _money(minor, digits)
        reference = f"RF-{case_id:09d}" if status == "issued" else ""
        reason = {"rejected": "Outside the goodwill policy.", "cancelled": "Replaced instead."}.get(
            status, ""
        )
        out.compensations.append(
            (
                compensation_id,
                case_id,
                kind,
                money,
                currency,
                f"{base_amount:f}",
                self.base_currency,
                f"{rate:f}",
                status,
                base_amount > self.threshold,
                reference,
                "",
                "",
                reason,
                agent,
                agent if approved is not None else None,
                None if approved is None else ts(approved),
                ts(finished) if status == "issued" else None,
                ts(proposed),
            )
        )
        common = (
            f'"compensation": {compensation_id}, "kind": "{kind}", '
            f'"amount": "{money}", "currency": "{currency}"'
        )
        events = out.events
        events.append(
            (
                case_id,
                agent,
                Verb.COMPENSATION_PROPOSED.value,
                f'{{{common}, "status": "proposed"}}',
                ts(proposed),
            )
        )
        if approved is not None:
            events.append(
                (
                    case_id,
                    agent,
                    Verb.COMPENSATION_APPROVED.value,
                    f'{{{common}, "status": "approved"}}',
                    ts(approved),
                )
            )
        detail = json.dumps(
            {"issued": {"external_reference": reference}}.get(status, {"reason": reason})
        )[1:-1]
        verb = {"issued": Verb.COMPENSATION_ISSUED, "rejected": Verb.COMPENSATION_REJECTED}.get(
            status, Verb.COMPENSATION_CANCELLED
        )
        events.append(
            (
                case_id,
                agent,
                verb.value,
                f'{{{common}, "status": "{status}", {detail}}}',
                ts(finished),
            )
        )
        return finished


class _Rows:
    """The rows of one batch, per table."""

    def __init__(self) -> None:
        self.customers: list[Row] = []
        self.orders: list[Row] = []
        self.lines: list[Row] = []
        self.cases: list[Row] = []
        self.messages: list[Row] = []
        self.events: list[Row] = []
        self.notifications: list[Row] = []
        self.compensations: list[Row] = []
