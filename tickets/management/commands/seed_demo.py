"""`manage.py seed_demo`: a realistic demo data set for the dashboard and the portal.

Creates the demo agent and supervisor, teams, tags, exchange rates, 60 customers in ten
countries, 200 orders in five currencies and 70 cases of every kind and status. What they are
made of (names, products, prices, the texts in every language) is data: the installed apps'
`demo/*.toml` files, read by _demo_data.py; this module only plans and plays. Every choice
comes from random.Random(2026) and is drawn before anything is written, so two databases get
the same data apart from timestamps and case numbers. It is safe to run again: users, teams,
customers and orders are keyed by username, name, email and order number and only created
when missing, and a demo order gets a case only if it has none yet. Cases are played through
the services, so each one has its messages, timeline and compensation like a real one.

The cases are spread over the past CASE_HISTORY_DAYS days (`Timing`): once played, each case's
timestamps (its own, its messages', events', notifications' and compensations') are moved onto
its planned history, relative to "now" at seed time. Settled cases are older, answered and
resolved faster and rated better the more recent they are, so the reports show trends; active
cases are recent, their SLA due times follow the SLA policies, and some are overdue, some due
within the hour and most have time left; cases waiting on the customer or the carrier have
their clocks paused."""

import math
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from tqdm import tqdm

from tickets.demo_seeders import DemoContext, case_history_move, demo_seeders
from tickets.management.commands._demo_macros import ensure_demo_macros
from tickets.models import (
    Case,
    Compensation,
    Customer,
    ExchangeRate,
    Message,
    Order,
    OrderLine,
    RoutingRule,
    Tag,
    Team,
)
from tickets.services.cases import (
    case_assign,
    case_create,
    case_set_priority,
    case_set_tags,
    case_transition,
)
from tickets.services.compensations import (
    compensation_approve,
    compensation_mark_issued,
    compensation_propose,
)
from tickets.services.messages import message_add
from tickets.services.ratings import case_rate
from tickets.services.sla import PAUSED_STATUSES, sla_due_at_open
from tickets.validators import currency_precision

from ._demo_data import DEMO_CALENDARS, DemoData, demo_data

SEED = 2026
STORE = "demo"
CUSTOMER_COUNT = 60
ORDER_COUNT = 200
CASE_COUNT = 70
ORDER_HISTORY_DAYS = 90
CASE_HISTORY_DAYS = 60
SETTLED = (Case.Status.RESOLVED, Case.Status.CLOSED)
# Clocks stop while the case waits (on the customer, their return or the carrier): the SLA
# service's paused statuses that are not settled (Case.sla_paused_at).
PAUSED = tuple(sorted(PAUSED_STATUSES - set(SETTLED)))
# Of the cases whose SLA clock runs, one in six is overdue and one in six due within the hour.
SLA_STATES = ("overdue", "on_time", "on_time", "at_risk", "on_time", "on_time")
# Targets to plan with where no SLA policy covers a case (the due times then stay empty).
FALLBACK_TARGETS = (timedelta(hours=8), timedelta(hours=72))
PRIORITIES = list(Case.Priority)
CHANNELS = (Case.Channel.PORTAL, Case.Channel.EMAIL, Case.Channel.AGENT)


class Staff(NamedTuple):
    agent: AbstractUser
    supervisor: AbstractUser


@dataclass
class OrderPlan:
    order: Order
    lines: list[OrderLine]


@dataclass(frozen=True)
class CaseSpec:
    """One demo case: on which order, of what kind, the status it ends in and what is said on
    the way there. `script` holds the rendered texts, keyed by step or by the status entered."""

    order_number: str
    language: str
    kind: str
    status: str
    priority: str
    channel: str
    subject: str
    script: dict[str, str]
    assigned: bool
    tags: list[str]
    escalate_to: str | None
    note: str
    detour: bool
    compensation: tuple[str, Decimal] | None
    timing: "Timing"


@dataclass(frozen=True)
class Timing:
    """When a demo case happened, before "now" at seed time. Settled and paused cases were
    created `age` ago; a case whose clock runs is placed by its SLA `state` (overdue, at_risk,
    on_time) at `share` (0-1) of that state's span before its due time. The first response
    and the resolution take the given fractions of their SLA targets; `rating` is the
    customer's score of a settled case (None: not rated)."""

    age: timedelta
    state: str
    share: float
    first_response: float
    resolution: float
    closing: timedelta
    rating: int | None
    after: float


class Command(BaseCommand):
    help = "Create (or complete) the demo data set: users, teams, customers, orders and cases."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--portal-hint",
            action="store_true",
            help="Only print the demo's portal sign-in (an order number and its email).",
        )

    def handle(self, *args, **options) -> None:
        if options["portal_hint"]:
            self.stdout.write(_portal_hint())
            return
        if settings.BASE_CURRENCY != "EUR":
            raise CommandError("The demo prices and exchange rates are in EUR; set BASE_CURRENCY.")
        data = demo_data()
        rng = random.Random(SEED)
        customers = _plan_customers(rng, data)
        now = timezone.now()
        orders = _plan_orders(rng, data, customers, now=now)
        cases = _plan_cases(rng, data, orders, now=now)
        # One transaction: an interrupted run leaves nothing half-seeded to skip next time.
        with transaction.atomic():
            staff = _ensure_staff(data)
            teams = _ensure_setup(data, staff)
            orders_by_number = _ensure_orders(orders, _ensure_customers(customers))
            progress = tqdm(
                _without_case(cases),
                desc="Demo cases",
                unit="case",
                file=_ProgressStream(self.stderr),
                disable=options["verbosity"] == 0,
            )
            for spec in progress:
                case = _play(spec, orders_by_number[spec.order_number], teams[spec.language], staff)
                _retime(case, spec, now=now)
            ensure_demo_macros()
            # The spine's summary is taken before the scenario apps add theirs (their detection
            # may open cases of its own); each app's seeder reports what it made.
            summary = _summary(data)
            context = DemoContext(
                orders=orders_by_number,
                case_orders=frozenset(spec.order_number for spec in cases),
                agent=staff.agent,
                supervisor=staff.supervisor,
                now=now,
                seed=SEED,
            )
            added = [seeder(context) for _name, seeder in demo_seeders()]
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(summary))
            for line in filter(None, added):
                self.stdout.write(line)
            self.stdout.write(_portal_hint())


def _portal_hint() -> str:
    """One working portal sign-in: the first demo order (by number) with a case, of an
    English-speaking customer if there is one."""
    orders = Order.objects.filter(store=STORE, cases__isnull=False).select_related("customer")
    order = (
        orders.filter(customer__language="en").order_by("number").first()
        or orders.order_by("number").first()
    )
    if order is None:
        return "Portal sign-in: no demo order yet (run manage.py seed_demo)."
    return f"Portal sign-in: order {order.number} with {order.customer.email}"


class _ProgressStream:
    """The command's stderr as tqdm needs it: raw writes, without the newline (and error
    colour) OutputWrapper adds to each one."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self._wrapper = wrapper

    def write(self, text: str) -> None:
        self._wrapper.write(text, style_func=str, ending="")

    def __getattr__(self, name: str):  # flush, isatty, encoding: the real stream's
        return getattr(self._wrapper, name)


# --- Planning: pure, every random choice is made here -----------------------------------------


def _plan_customers(rng: random.Random, data: DemoData) -> list[Customer]:
    customers = []
    codes = list(data.countries)
    for index in range(CUSTOMER_COUNT):
        code = codes[index % len(codes)]
        country = data.countries[code]
        first, last = rng.choice(country.first_names), rng.choice(country.last_names)
        time_zone, phone_pattern = rng.choice(country.places)
        customers.append(
            Customer(
                email=f"demo-customer-{index + 1:03d}@example.com",
                name=f"{last}{first}" if country.family_name_first else f"{first} {last}",
                phone=_phone_number(rng, phone_pattern),
                country=code,
                language=country.language,
                timezone=time_zone,
                sms_consent=rng.random() < 0.4,
            )
        )
    return customers


def _phone_number(rng: random.Random, pattern: str) -> str:
    """Fill a pattern like +1212N######: # is any digit, N one of 2-9."""
    digits = {"#": "0123456789", "N": "23456789"}
    return "".join(rng.choice(digits[char]) if char in digits else char for char in pattern)


def _plan_orders(
    rng: random.Random, data: DemoData, customers: list[Customer], *, now: datetime
) -> list[OrderPlan]:
    plans = []
    for index in range(ORDER_COUNT):
        customer = rng.choice(customers)
        country = data.countries[customer.country.code]
        currency = country.currency
        lines = _plan_lines(rng, data, currency)
        subtotal = sum(line.unit_price * line.quantity for line in lines)
        shipping, free_from = data.shipping[currency]
        shipping = Decimal(0) if subtotal >= free_from else shipping
        tax = _round(subtotal * country.tax_rate, currency)
        order = Order(
            store=STORE,
            number=f"D-{1001 + index}",
            customer=customer,
            placed_at=now - timedelta(minutes=rng.randrange(ORDER_HISTORY_DAYS * 24 * 60)),
            currency=currency,
            subtotal=subtotal,
            shipping_total=shipping,
            tax_total=tax,
            total=subtotal + shipping + tax,
            shipping_country=customer.country.code,
            insured=rng.random() < 0.3,
        )
        plans.append(OrderPlan(order, lines))
    return plans


def _plan_lines(rng: random.Random, data: DemoData, currency: str) -> list[OrderLine]:
    """One to three different products, mostly one of each."""
    products = rng.sample(data.products, rng.choices((1, 2, 3), weights=(60, 30, 10))[0])
    return [
        OrderLine(
            sku=sku,
            title=title,
            quantity=rng.choices((1, 2, 3), weights=(80, 15, 5))[0],
            unit_price=_shelf_price(data, price, currency),
        )
        for sku, title, price in products
    ]


def _shelf_price(data: DemoData, eur_price: Decimal, currency: str) -> Decimal:
    """The catalogue's EUR price in `currency`, rounded up to a local price point."""
    if currency == "EUR":
        return eur_price
    step, cut = data.price_points[currency]
    return math.ceil(eur_price / data.exchange_rates[currency] / step) * step - cut


def _round(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-currency_precision(currency)), ROUND_HALF_UP)


def _plan_cases(
    rng: random.Random, data: DemoData, orders: list[OrderPlan], *, now: datetime
) -> list[CaseSpec]:
    """CASE_COUNT cases on distinct orders: every kind in every status it can reach once, the
    rest drawn at random."""
    pairs = [(kind, status) for kind in Case.Kind for status in _statuses(data, kind)]
    weights = [plan.weight for plan in data.kinds.values()]
    while len(pairs) < CASE_COUNT:
        kind = rng.choices(list(data.kinds), weights=weights)[0]
        pairs.append((kind, rng.choice(_statuses(data, kind))))
    rng.shuffle(pairs)
    specs, running = [], 0
    for plan, (kind, status) in zip(rng.sample(orders, CASE_COUNT), pairs, strict=True):
        state = ""
        if status not in (*SETTLED, *PAUSED):
            state, running = SLA_STATES[running % len(SLA_STATES)], running + 1
        timing = _plan_timing(plan.order.number, status, state)
        specs.append(_plan_case(rng, data, plan, kind, status, timing))
        # The order was placed before its case was opened (a running case is at most a little
        # over a week old: the longest resolution target and a few hours over).
        oldest = timing.age if timing.age else timedelta(days=8)
        plan.order.placed_at = min(plan.order.placed_at, now - oldest - timedelta(days=2))
    return specs


def _plan_timing(order_number: str, status: str, state: str) -> Timing:
    """The case's history, drawn from its own generator (seeded by its order) so that the
    other choices of the demo stay as they were."""
    rng = random.Random(f"{SEED}:{order_number}")
    age, settled = timedelta(0), status in SETTLED
    if settled:
        # More cases lately: the volume rises towards today.
        age = timedelta(days=rng.triangular(1, CASE_HISTORY_DAYS, 1))
    elif status in PAUSED:
        age = timedelta(days=rng.uniform(1, 6))
    # Older cases were answered and resolved more slowly and rated worse: the trends.
    past = age / timedelta(days=CASE_HISTORY_DAYS)
    rated = settled and rng.random() < 0.75
    return Timing(
        age=age,
        state=state,
        share=rng.random(),
        first_response=rng.uniform(0.1, 0.8) + 0.9 * past,
        resolution=rng.uniform(0.1, 0.7) + 0.6 * past,
        closing=timedelta(hours=rng.uniform(24, 96)),
        rating=min(5, max(1, round(rng.gauss(3.1 + 1.6 * (1 - past), 0.9)))) if rated else None,
        after=rng.random(),
    )


def _statuses(data: DemoData, kind: str) -> list[str]:
    S = Case.Status
    return [S.NEW, S.OPEN, *data.kinds[kind].waiting, S.RESOLVED, S.CLOSED]


def _plan_case(
    rng: random.Random, data: DemoData, plan: OrderPlan, kind: str, status: str, timing: Timing
) -> CaseSpec:
    subject, script = _plan_script(rng, data, plan, kind)
    kind_plan = data.kinds[kind]
    priority = rng.choices(PRIORITIES, weights=(15, 55, 22, 8))[0]
    return CaseSpec(
        order_number=plan.order.number,
        language=plan.order.customer.language,
        kind=kind,
        status=status,
        priority=priority,
        channel=rng.choices(CHANNELS, weights=(60, 30, 10))[0],
        subject=subject,
        script=script,
        assigned=status != Case.Status.OPEN or rng.random() < 0.6,
        tags=rng.sample([*kind_plan.tags, *data.common_tags], rng.randint(0, 2)),
        escalate_to=_plan_escalation(rng, priority),
        note=rng.choice(kind_plan.notes) if rng.random() < 0.4 else "",
        detour=status in (Case.Status.OPEN, *SETTLED) and rng.random() < 0.3,
        compensation=_plan_compensation(rng, data, plan, kind, status),
        timing=timing,
    )


def _plan_script(
    rng: random.Random, data: DemoData, plan: OrderPlan, kind: str
) -> tuple[str, dict[str, str]]:
    """The subject and every text of the case, in the customer's language."""
    customer, order = plan.order.customer, plan.order
    texts = data.texts[customer.language]
    context = {"name": customer.name, "order": order.number, "product": plan.lines[0].title}
    subject, description = rng.choice(texts.kinds[kind].openings)
    script = {
        "description": description,
        "acknowledgement": texts.kinds[kind].acknowledgement,
        "reply": rng.choice(texts.replies),
        Case.Status.RESOLVED: texts.kinds[kind].resolution,
        **texts.requests,
    }
    return subject.format(**context), {key: text.format(**context) for key, text in script.items()}


def _plan_escalation(rng: random.Random, priority: str) -> str | None:
    """One step up for about one case in five."""
    if priority == Case.Priority.URGENT or rng.random() >= 0.2:
        return None
    return PRIORITIES[PRIORITIES.index(priority) + 1]


def _plan_compensation(
    rng: random.Random, data: DemoData, plan: OrderPlan, kind: str, status: str
) -> tuple[str, Decimal] | None:
    """Most settled cases cost something; a few open ones have an offer under way."""
    if status in SETTLED:
        odds = 0.3 if kind == Case.Kind.GENERAL else 0.75
    else:
        odds = 0.2 if status == Case.Status.OPEN else 0
    if rng.random() >= odds:
        return None
    compensation_kind = rng.choice(data.kinds[kind].compensations)
    return compensation_kind, _compensation_amount(data, compensation_kind, plan)


def _compensation_amount(data: DemoData, kind: str, plan: OrderPlan) -> Decimal:
    if kind == Compensation.Kind.REFUND:
        return plan.order.total
    if kind == Compensation.Kind.REPLACEMENT:
        return plan.lines[0].unit_price
    return _round(plan.order.subtotal * data.compensation_shares[kind], plan.order.currency)


# --- Writing: get or create, never update -----------------------------------------------------


def _ensure_staff(data: DemoData) -> Staff:
    users = []
    for username, (password, group, profile) in data.users.items():
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={**profile, "email": f"{username}@aftersales.example"}
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=group))
        users.append(user)
    return Staff(*users)


def _ensure_setup(data: DemoData, staff: Staff) -> dict[str, Team]:
    """Teams by language (with the demo staff in each), tags and exchange rates."""
    teams = {}
    for language, (name, description) in data.teams.items():
        teams[language], _ = Team.objects.get_or_create(
            name=name, defaults={"description": description, "languages": [language]}
        )
        teams[language].members.add(*staff)
    _ensure_hours_and_routing(teams)
    kind_tags = (tag for plan in data.kinds.values() for tag in plan.tags)
    for name in sorted({*data.common_tags, *kind_tags}):
        Tag.objects.get_or_create(name=name)
    for currency, rate in data.exchange_rates.items():
        ExchangeRate.objects.get_or_create(currency=currency, defaults={"rate": rate})
    return teams


def _ensure_hours_and_routing(teams: dict[str, Team]) -> None:
    """Each demo team's hours (9-17, Monday to Friday, in its time zone, without its country's
    public holidays) and a routing rule by customer language."""
    for position, (language, team) in enumerate(sorted(teams.items()), start=1):
        zone, country = DEMO_CALENDARS.get(language, ("UTC", ""))
        Team.objects.filter(pk=team.pk).update(time_zone=zone, holiday_country=country)
        RoutingRule.objects.get_or_create(
            language=language, kind="", country="", defaults={"position": position, "team": team}
        )


def _ensure_customers(customers: list[Customer]) -> dict[str, Customer]:
    emails = [customer.email for customer in customers]
    existing = set(Customer.objects.filter(email__in=emails).values_list("email", flat=True))
    Customer.objects.bulk_create([c for c in customers if c.email not in existing])
    return {customer.email: customer for customer in Customer.objects.filter(email__in=emails)}


def _ensure_orders(plans: list[OrderPlan], customers: dict[str, Customer]) -> dict[str, Order]:
    existing = set(Order.objects.filter(store=STORE).values_list("number", flat=True))
    missing = [plan for plan in plans if plan.order.number not in existing]
    for plan in missing:
        plan.order.customer = customers[plan.order.customer.email]
    # SQLite and PostgreSQL return the new primary keys, so the lines can point at them.
    Order.objects.bulk_create([plan.order for plan in missing])
    for plan in missing:
        for line in plan.lines:
            line.order = plan.order
    OrderLine.objects.bulk_create([line for plan in missing for line in plan.lines])
    orders = Order.objects.filter(store=STORE).select_related("customer")
    return {order.number: order for order in orders}


def _without_case(specs: list[CaseSpec]) -> list[CaseSpec]:
    """The specs whose demo order has no case yet."""
    with_case = Order.objects.filter(store=STORE, cases__isnull=False)
    done = set(with_case.values_list("number", flat=True))
    return [spec for spec in specs if spec.order_number not in done]


# --- Playing a case through the services --------------------------------------------------------


def _play(spec: CaseSpec, order: Order, team: Team, staff: Staff) -> Case:
    """Open the case as the customer did and walk it to `spec.status` as an agent would."""
    S, agent = Case.Status, staff.agent
    case = case_create(
        customer=order.customer,
        order=order,
        kind=spec.kind,
        subject=spec.subject,
        channel=spec.channel,
        actor=agent if spec.channel == Case.Channel.AGENT else None,
        priority=spec.priority,
        team=team,
        description=spec.script["description"],
    )
    if spec.status == S.NEW:
        return case
    if spec.assigned:
        case = case_assign(case=case, assignee=agent, actor=staff.supervisor)
    case = case_transition(case=case, to=S.OPEN, actor=agent)
    case = _say(case, spec.script["acknowledgement"], actor=agent)
    if spec.tags:
        case = case_set_tags(case=case, names=spec.tags, actor=agent)
    if spec.escalate_to:
        case = case_set_priority(case=case, priority=spec.escalate_to, actor=agent)
    if spec.note:
        case = _say(case, spec.note, actor=agent, visibility=Message.Visibility.INTERNAL)
    if spec.detour:
        # Asked for photos, the customer answers, and their message puts the case back to open.
        case = _enter(case, S.WAITING_ON_CUSTOMER, spec, staff)
        case = _say(case, spec.script["reply"])
    for status in _path(case.status, spec.status):
        case = _enter(case, status, spec, staff)
    if spec.status == S.OPEN and spec.compensation:
        kind, amount = spec.compensation
        compensation_propose(case=case, kind=kind, amount=amount, actor=agent)
    if spec.timing.rating:
        case = case_rate(case=case, score=spec.timing.rating)
    return case


def _path(source: str, target: str) -> list[str]:
    """The statuses a case passes through from `source` to `target`, by Case.TRANSITIONS."""
    paths: dict[str, list[str]] = {source: []}
    queue = deque([source])
    while queue:
        status = queue.popleft()
        for following in sorted(Case.TRANSITIONS[status]):
            if following not in paths:
                paths[following] = [*paths[status], following]
                queue.append(following)
    return paths[target]


def _enter(case: Case, status: str, spec: CaseSpec, staff: Staff) -> Case:
    """Move the case into `status`, with what the agent says and does on the way in."""
    if status == Case.Status.RESOLVED and spec.compensation:
        _settle_compensation(case, *spec.compensation, staff=staff)
    if status in spec.script:
        case = _say(case, spec.script[status], actor=staff.agent)
    return case_transition(case=case, to=status, actor=staff.agent)


def _settle_compensation(case: Case, kind: str, amount: Decimal, *, staff: Staff) -> None:
    """Propose, have the supervisor approve what is above the limit, and issue."""
    compensation = compensation_propose(case=case, kind=kind, amount=amount, actor=staff.agent)
    if compensation.needs_supervisor:
        compensation = compensation_approve(compensation=compensation, actor=staff.supervisor)
    compensation_mark_issued(
        compensation=compensation,
        actor=staff.agent,
        external_reference=f"DEMO-{case.order.number}",
    )


def _say(case: Case, body: str, *, actor=None, visibility=Message.Visibility.PUBLIC) -> Case:
    """Add a message (an agent's if `actor` is given, else the customer's) and return the case as
    it stands afterwards: a message can stamp the first response or reopen the case."""
    author = Message.Author.AGENT if actor else Message.Author.CUSTOMER
    message_add(case=case, body=body, author_kind=author, actor=actor, visibility=visibility)
    case.refresh_from_db()
    return case


# --- Moving a played case onto its planned history ---------------------------------------------


def _retime(case: Case, spec: CaseSpec, *, now: datetime) -> None:
    """Move `case`, just played in a moment, onto the history `spec.timing` plans: its steps
    (opened, first answer, resolved, closed, rated) to their planned times and everything
    between them in proportion; the SLA due times from the policy, counted from the planned
    opening, and the case's SLA state (running, paused or done) as its status leaves it."""
    timing = spec.timing
    policy_due = sla_due_at_open(kind=case.kind, priority=case.priority, start=now)
    first_target, resolution_target = (
        (policy_due[0] - now, policy_due[1] - now) if policy_due[0] else FALLBACK_TARGETS
    )
    if case.status in (*SETTLED, *PAUSED):
        created = now - timing.age
    else:
        # Placed before the due time of the clock that runs, by its SLA state.
        target = first_target if case.first_responded_at is None else resolution_target
        due = now + _time_left(timing, target)
        created = due - target
    steps = _planned_steps(case, timing, created, first_target, resolution_target, now=now)
    move = _mover(steps)
    fields = {
        name: move(getattr(case, name))
        for name in ("created_at", "first_responded_at", "resolved_at", "closed_at")
    }
    last = steps[-1][1]
    first_due, resolution_due = sla_due_at_open(
        kind=case.kind, priority=case.priority, start=created
    )
    paused = case.status in PAUSED
    running = case.status not in (*SETTLED, *PAUSED) and first_due is not None
    Case.objects.filter(pk=case.pk).update(
        **fields,
        updated_at=last,
        satisfaction_at=move(case.satisfaction_at),
        first_response_due=first_due,
        resolution_due=resolution_due,
        sla_due=(first_due if case.first_responded_at is None else resolution_due)
        if running
        else None,
        sla_paused_at=last if paused else None,
    )
    case_history_move(case, move)


def _time_left(timing: Timing, target: timedelta) -> timedelta:
    """How long before the running clock's due time "now" is, by the case's SLA state."""
    if timing.state == "overdue":
        return -timedelta(minutes=10) - timing.share * timedelta(hours=5)
    if timing.state == "at_risk":
        return timedelta(minutes=5) + timing.share * timedelta(minutes=50)
    spare = max(target * 0.9 - timedelta(hours=1), timedelta(0))
    return timedelta(hours=1) + timing.share * spare


def _planned_steps(
    case: Case,
    timing: Timing,
    created: datetime,
    first_target: timedelta,
    resolution_target: timedelta,
    *,
    now: datetime,
) -> list[tuple[datetime, datetime]]:
    """(when it happened while seeding, when the demo says it happened) for each step the case
    reached, in order: both columns rise."""
    room = now - created - timedelta(minutes=5)
    planned = created
    steps = [(case.created_at, created)]
    resolution = resolution_target * max(timing.resolution, timing.first_response)
    marks = [
        (case.first_responded_at, lambda: created + first_target * timing.first_response),
        (case.resolved_at, lambda: created + resolution),
        (case.closed_at, lambda: planned + timing.closing),
        (case.satisfaction_at, lambda: planned + timedelta(hours=1 + 23 * timing.after)),
    ]
    for seeded, when in marks:
        if seeded is None or seeded <= steps[-1][0]:
            continue
        step = when()
        # Never in the future: a step squeezes into the time left before now.
        step = min(max(step, planned + timedelta(minutes=2)), created + room * 0.97)
        planned = max(step, planned + timedelta(seconds=1))
        steps.append((seeded, planned))
    # The last thing played (e.g. the move into a waiting status) happened some time later.
    end = planned + (created + room - planned) * (0.05 + 0.3 * timing.after)
    steps.append((timezone.now(), max(end, planned + timedelta(seconds=1))))
    return steps


def _mover(steps: list[tuple[datetime, datetime]]) -> Callable[[datetime | None], datetime | None]:
    """Map a time of the seeding run onto the planned history: linearly between the steps, by
    the same shift before the first and after the last."""

    def move(moment: datetime | None) -> datetime | None:
        if moment is None:
            return None
        if moment <= steps[0][0]:
            return steps[0][1] + (moment - steps[0][0])
        for (seeded, planned), (seeded_next, planned_next) in pairwise(steps):
            if moment <= seeded_next:
                share = (moment - seeded) / (seeded_next - seeded)
                return planned + (planned_next - planned) * share
        return steps[-1][1] + (moment - steps[-1][0])

    return move


def _summary(data: DemoData) -> str:
    cases = Case.objects.filter(order__store=STORE)
    by_status = dict(cases.values_list("status").annotate(n=Count("pk")).order_by())
    statuses = ", ".join(f"{by_status.get(status, 0)} {status}" for status in Case.Status.values)
    customers = Customer.objects.filter(email__startswith="demo-customer-").order_by()
    logins = " or ".join(
        f"{username} / {password}" for username, (password, *_) in data.users.items()
    )
    return (
        f"Demo data: {customers.count()} customers in "
        f"{customers.values('country').distinct().count()} countries, "
        f"{Order.objects.filter(store=STORE).count()} orders, {cases.count()} cases ({statuses}), "
        f"{Compensation.objects.filter(case__in=cases).count()} compensations. "
        f"Log in at /agent/ as {logins}."
    )
