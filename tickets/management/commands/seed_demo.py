"""`manage.py seed_demo`: a realistic demo data set for the dashboard and the portal.

Creates the demo agent and supervisor, teams, tags, exchange rates, 60 customers in ten
countries, 200 orders in five currencies and 70 cases of every kind and status. What they are
made of (names, products, prices, the texts in every language) is data: the installed apps'
`demo/*.toml` files, read by _demo_data.py; this module only plans and plays. Every choice
comes from random.Random(2026) and is drawn before anything is written, so two databases get
the same data apart from timestamps and case numbers. It is safe to run again: users, teams,
customers and orders are keyed by username, name, email and order number and only created
when missing, and a demo order gets a case only if it has none yet. Cases are played through
the services, so each one has its messages, timeline and compensation like a real one."""

import math
import random
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from tqdm import tqdm

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
from tickets.validators import currency_precision

from ._demo_data import DEMO_CALENDARS, DemoData, demo_data

SEED = 2026
STORE = "demo"
CUSTOMER_COUNT = 60
ORDER_COUNT = 200
CASE_COUNT = 70
ORDER_HISTORY_DAYS = 90
SETTLED = (Case.Status.RESOLVED, Case.Status.CLOSED)
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
        orders = _plan_orders(rng, data, customers, now=timezone.now())
        cases = _plan_cases(rng, data, orders)
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
                _play(spec, orders_by_number[spec.order_number], teams[spec.language], staff)
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(_summary(data)))
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


def _plan_cases(rng: random.Random, data: DemoData, orders: list[OrderPlan]) -> list[CaseSpec]:
    """CASE_COUNT cases on distinct orders: every kind in every status it can reach once, the
    rest drawn at random."""
    pairs = [(kind, status) for kind in Case.Kind for status in _statuses(data, kind)]
    weights = [plan.weight for plan in data.kinds.values()]
    while len(pairs) < CASE_COUNT:
        kind = rng.choices(list(data.kinds), weights=weights)[0]
        pairs.append((kind, rng.choice(_statuses(data, kind))))
    rng.shuffle(pairs)
    return [
        _plan_case(rng, data, plan, kind, status)
        for plan, (kind, status) in zip(rng.sample(orders, CASE_COUNT), pairs, strict=True)
    ]


def _statuses(data: DemoData, kind: str) -> list[str]:
    S = Case.Status
    return [S.NEW, S.OPEN, *data.kinds[kind].waiting, S.RESOLVED, S.CLOSED]


def _plan_case(
    rng: random.Random, data: DemoData, plan: OrderPlan, kind: str, status: str
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


def _play(spec: CaseSpec, order: Order, team: Team, staff: Staff) -> None:
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
        return
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
