"""The row generator: everything a range of case indices brings, as plain tuples.

Case `i` is the i-th case of the data set, and order `i` is its order (a general question
has none half of the time). Indices come in groups of 25 (`GROUP`): five customers with the
group's 25 orders among them. Every random choice of a group comes from its own
`random.Random`, seeded by the run's seed and the group's number, and is drawn whether or not
the group is written whole. So case `i` is the same whichever batch or run makes it, and a
larger `--cases` extends a smaller data set with exactly the rows a straight run would make.
The group's customers are written with its first case."""

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings

from tickets.models import Case, Compensation, Customer, Order
from tickets.models.cases import ACTIVE_CASE_STATUSES, CASE_NUMBER_ALPHABET
from tickets.services.sla import PAUSED_STATUSES
from tickets.services.timeline import Verb
from tickets.validators import currency_precision

from . import texts, world
from .outcomes import compensation_rows, notification_row
from .registry import GeneratedCase, ShopOrder
from .sink import IdCounter, Sink
from .tables import Rows, money, weighted

GROUP = 25
CUSTOMERS_PER_GROUP = 5
YEAR = 365 * 86_400
HISTORY = 2 * YEAR
HOUR = 3600
DAY = 86_400

KINDS = (
    (Case.Kind.SHIPMENT_ISSUE.value, 45),
    (Case.Kind.DEFECT.value, 15),
    (Case.Kind.RETURN.value, 10),
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


class Draws(NamedTuple):
    """Every random choice about one case, drawn whether or not the case is written."""

    kind: str
    priority: str
    channel: str
    no_order: bool
    products: list[int]
    quantities: list[int]
    discounted: list[bool]
    insured: bool
    respond: int
    duration: int
    stale: bool
    active_status: str
    assignee_pick: float
    reassigned: bool
    messages: list[tuple[float, float, float]]
    subject_pick: int
    opening_pick: int
    reply_pick: int
    compensated: bool
    compensation: tuple[float, float, float, int]
    rated: bool
    score: int
    failed: bool
    resolved_note: bool


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
        self.countries = weighted([(c, c.weight) for c in world.COUNTRIES])
        self.kinds = weighted(KINDS)
        self.priorities = weighted(PRIORITIES)
        self.channels = weighted(CHANNELS)
        self.active = weighted(ACTIVE)
        self.extra = weighted(EXTRA_MESSAGES)
        self.line_counts = weighted([(1, 3), (2, 4), (3, 3)])
        self.quantities = weighted([(1, 16), (2, 3), (3, 1)])
        self.scores = weighted([(1, 5), (2, 5), (3, 10), (4, 30), (5, 50)])
        self.digits = {c: currency_precision(c) for c in world.PER_EUR}

        def minor(eur: str, currency: str) -> int:
            rate = Decimal(world.PER_EUR[currency])
            return int(Decimal(eur) * rate * 10 ** self.digits[currency])

        # Unit prices, shipping and the free-shipping threshold in each currency's minor units.
        self.prices = {c: [minor(p, c) for _, _, p in world.PRODUCTS] for c in world.PER_EUR}
        self.shipping = {c: minor("4.90", c) for c in world.PER_EUR}
        self.free_shipping = {c: minor("50", c) for c in world.PER_EUR}
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
        # Customer index -> id, for the customers of a group that goes on in the next batch.
        self.customer_ids: dict[int, int] = {}

    def batch(self, *, start: int, stop: int, sink: Sink) -> list[GeneratedCase]:
        """Write cases [start, stop) with their orders, lines, messages, events,
        notifications and compensations, and the customers of the groups that start in the
        range. A group split between batches finds its customers' ids in `customer_ids` (the
        caller adds those of a group an earlier run began). Returns the cases for the
        registered steps."""
        out = Rows()
        made: list[GeneratedCase] = []
        ids = _Ids(sink.ids(Customer), sink.ids(Order), sink.ids(Case), sink.ids(Compensation))
        for group in range(start // GROUP, (stop - 1) // GROUP + 1):
            self._group(group, start, stop, sink.ts, out, made, ids)
        # Only the last group can continue in the next batch.
        keep = (stop // GROUP) * CUSTOMERS_PER_GROUP
        for index in [i for i in self.customer_ids if i < keep]:
            del self.customer_ids[index]
        out.write(sink)
        return made

    def _group(
        self,
        group: int,
        start: int,
        stop: int,
        ts: Callable[[int], str],
        out: Rows,
        made: list[GeneratedCase],
        ids: "_Ids",
    ) -> None:
        rng = random.Random((self.seed << 32) | group)
        rand, choice, randint = rng.random, rng.choice, rng.randint
        now = self.now
        first = group * GROUP

        # The group's customers, and which of them placed each of its orders: each one at
        # least one, the rest skewed so that some customers order far more than others.
        people = []
        for _ in range(CUSTOMERS_PER_GROUP):
            country = choice(self.countries)
            given = choice(world.FIRST_NAMES[country.language])
            family = choice(world.LAST_NAMES[country.language])
            name = f"{family}{given}" if country.language == "zh-hans" else f"{given} {family}"
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
                customer_id = self.customer_ids[index] = ids.customer.take()
                stamp = ts(joined[k])
                out.customers.append(
                    (
                        customer_id, _email(index), name, "", country.code, country.language,
                        country.timezone, False, stamp, stamp,
                    )
                )  # fmt: skip

        for j in range(GROUP):
            draws = self._draw(rng)
            index = first + j
            if start <= index < stop:
                customer = group * CUSTOMERS_PER_GROUP + owners[j]
                country = people[owners[j]][0]
                order_id, number, subtotal = self._order(
                    out, ts, ids, index, draws, self.customer_ids[customer], country, placed[j]
                )
                shop_order = ShopOrder(
                    order_id,
                    placed[j],
                    country.code,
                    country.currency,
                    money(subtotal, self.digits[country.currency]),
                    draws.insured,
                )
                made.append(
                    self._case(
                        out, ts, ids, index, draws, customer, country, order_id, number,
                        subtotal, opened[j], shop_order,
                    )
                )  # fmt: skip

    def _draw(self, rng: random.Random) -> Draws:
        rand, choice, randint = rng.random, rng.choice, rng.randint
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
        messages = [(rand(), rand(), rand()) for _ in range(extra)]
        subject_pick, opening_pick, reply_pick = randint(0, 2), randint(0, 1), randint(0, 2)
        compensated = rand() < COMPENSATED
        compensation = (rand(), rand(), rand(), randint(HOUR, DAY))
        rated = rand() < RATED
        score = choice(self.scores)
        failed = rand() < FAILED_NOTIFICATION
        resolved_note = rand() < RESOLVED_NOTIFICATION
        return Draws(
            kind, priority, channel, no_order, products, quantities, discounted, insured,
            respond, duration, stale, active_status, assignee_pick, reassigned, messages,
            subject_pick, opening_pick, reply_pick, compensated, compensation, rated, score,
            failed, resolved_note,
        )  # fmt: skip

    def _order(
        self,
        out: Rows,
        ts: Callable[[int], str],
        ids: "_Ids",
        index: int,
        draws: Draws,
        customer_id: int,
        country: world.Country,
        placed: int,
    ) -> tuple[int, str, int]:
        """Order `index` and its lines; returns its id, number and subtotal (minor units)."""
        currency = country.currency
        digits = self.digits[currency]
        order_id = ids.order.take()
        number = f"LG{index + 1:09d}"
        prices = self.prices[currency]
        subtotal = 0
        for position, (product, quantity, has_discount) in enumerate(
            zip(draws.products, draws.quantities, draws.discounted, strict=True)
        ):
            unit = prices[product]
            discount = unit * quantity // 10 if has_discount else 0
            subtotal += unit * quantity - discount
            sku, title, _ = world.PRODUCTS[product]
            out.lines.append(
                (
                    order_id, f"{index * 4 + position + 7_000_000_000_000}", position, sku, title,
                    "", quantity, money(unit, digits), money(discount, digits),
                )
            )  # fmt: skip
        shipping = 0 if subtotal >= self.free_shipping[currency] else self.shipping[currency]
        tax = subtotal * 19 // 119
        at = ts(placed)
        out.orders.append(
            (
                order_id, world.STORE, number, f"{index + 5_000_000_000_000}", customer_id, at,
                currency, money(subtotal, digits), money(shipping, digits), money(0, digits),
                money(tax, digits), money(subtotal + shipping, digits), country.code,
                draws.insured, at, at, at,
            )
        )  # fmt: skip
        return order_id, number, subtotal

    def _case(
        self,
        out: Rows,
        ts: Callable[[int], str],
        ids: "_Ids",
        index: int,
        d: Draws,
        customer: int,
        country: world.Country,
        order_id: int,
        order_number: str,
        subtotal: int,
        created: int,
        shop_order: ShopOrder,
    ) -> GeneratedCase:
        """Case `index` with its messages, events, notifications and compensation. Its status
        follows from its age: what is old is resolved (closed a week later), a few stay
        active."""
        now = self.now
        kind, language = d.kind, country.language
        customer_id = self.customer_ids[customer]
        case_id = ids.case.take()
        number = case_number(index, self.seed)
        agents = self.staff.agents[language]
        agent: int | None = agents[int(d.assignee_pick * len(agents))]
        responded: int | None = created + d.respond
        resolved: int | None = None
        closed: int | None = None
        if d.stale or created + d.duration > now:
            status = d.active_status
            if created + d.respond > now:
                status, responded = "new", None
                if d.assignee_pick < 0.5:
                    agent = None
        else:
            resolved = created + max(d.duration, d.respond + HOUR)
            status = "resolved"
            if resolved + AUTO_CLOSE <= now:
                status, closed = "closed", resolved + AUTO_CLOSE
        actor = agent if d.channel == "agent" else None
        title = world.PRODUCTS[d.products[0]][1]
        subject = texts.SUBJECTS[language][kind][d.subject_pick].format(
            order=order_number, product=title
        )
        event, message = out.events.append, out.messages.append
        moved = Verb.STATUS_CHANGED.value
        created_data = self.created_data[(kind, d.channel, d.priority)]
        event((case_id, actor, Verb.CREATED.value, created_data, ts(created)))
        opening = texts.OPENINGS[language][kind][d.opening_pick]
        message((case_id, "customer", None, "public", opening, ts(created)))
        last, version = created, 1
        if responded is not None:
            event((case_id, agent, moved, self.moves[("new", "open")], ts(responded)))
            reply = texts.AGENT_REPLIES[language][d.reply_pick]
            message((case_id, "agent", agent, "public", reply, ts(responded)))
            version += 1
            span = max((resolved if resolved is not None else now) - responded, 1)
            last = responded
            for a, b, c in d.messages:
                at = responded + int(span * a)
                if b < 0.15:
                    note = texts.NOTES[int(c * len(texts.NOTES))]
                    message((case_id, "agent", agent, "internal", note, ts(at)))
                elif b < 0.6:
                    follow_up = texts.FOLLOW_UPS[language][int(c * 3)]
                    message((case_id, "customer", None, "public", follow_up, ts(at)))
                else:
                    reply = texts.AGENT_REPLIES[language][int(c * 3)]
                    message((case_id, "agent", agent, "public", reply, ts(at)))
                last = max(last, at)
            if d.reassigned and len(agents) > 1:
                previous = agents[(agents.index(agent) + 1) % len(agents)] if agent else None
                data = f'{{"previous": {previous}, "assignee": {agent}}}'
                event((case_id, None, Verb.ASSIGNED.value, data, ts(responded + span // 3)))
                version += 1
            if status not in ("open", "resolved", "closed"):
                at = responded + span // 2
                event((case_id, agent, moved, self.moves[("open", status)], ts(at)))
                version += 1
                last = max(last, at)
        satisfaction = satisfaction_at = None
        if resolved is not None:
            event((case_id, agent, moved, self.moves[("open", "resolved")], ts(resolved)))
            version += 1
            last = resolved
            if d.compensated and kind != "general":
                finished = compensation_rows(
                    out=out, ts=ts, counter=ids.compensation, case_id=case_id, agent=agent,
                    currency=country.currency, subtotal=subtotal,
                    digits=self.digits[country.currency], resolved=resolved,
                    draws=d.compensation,
                )  # fmt: skip
                last = max(last, finished)
            if d.rated and resolved + DAY <= now:
                satisfaction, satisfaction_at = d.score, ts(resolved + DAY)
                data = f'{{"score": {d.score}, "previous": null}}'
                event((case_id, None, Verb.RATED.value, data, satisfaction_at))
                last = max(last, resolved + DAY)
            if closed is not None:
                event((case_id, None, moved, self.auto_closed, ts(closed)))
                version += 1
                last = max(last, closed)
        first_response, resolution = self.sla[(kind, d.priority)]
        case_order = None if d.no_order else order_id
        # The soonest running SLA target (tickets.services.sla), or the clocks paused since the
        # last change (waiting, resolved, closed).
        sla_due = sla_paused_at = None
        if status in PAUSED_STATUSES or status == Case.Status.CLOSED:
            sla_paused_at = ts(last)
        elif status in ACTIVE_CASE_STATUSES:
            sla_due = ts(created + (first_response if responded is None else resolution) * 60)
        out.cases.append(
            (
                case_id, number, kind, status, d.priority, subject, customer_id, case_order,
                agent, self.staff.teams[language], d.channel, language,
                ts(created + first_response * 60), ts(created + resolution * 60),
                None if responded is None else ts(responded),
                None if resolved is None else ts(resolved),
                None if closed is None else ts(closed),
                ts(created), ts(last), version, satisfaction, satisfaction_at, sla_due,
                sla_paused_at,
            )
        )  # fmt: skip
        email = _email(customer)
        out.notifications.append(
            notification_row(
                ts=ts, template="case_received", customer_id=customer_id, case_id=case_id,
                number=number, language=language, email=email, at=created + 30, failed=d.failed,
            )
        )  # fmt: skip
        if resolved is not None and d.resolved_note:
            out.notifications.append(
                notification_row(
                    ts=ts, template="case_resolved", customer_id=customer_id, case_id=case_id,
                    number=number, language=language, email=email, at=resolved + 30,
                    failed=False,
                )
            )  # fmt: skip
        return GeneratedCase(
            id=case_id,
            index=index,
            kind=kind,
            status=status,
            customer_id=customer_id,
            order_id=case_order,
            language=language,
            created_at=created,
            resolved_at=resolved,
            shop_order=shop_order,
        )


class _Ids(NamedTuple):
    customer: IdCounter
    order: IdCounter
    case: IdCounter
    compensation: IdCounter


def _email(customer: int) -> str:
    return f"customer{customer:08d}@{world.EMAIL_DOMAIN}"
