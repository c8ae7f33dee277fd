"""seed_demo's wrong items (registered in WrongItemsConfig.ready()): the apology macro in five
languages, and wrong-item cases over the last weeks across root causes, warehouses and SKU
pairs, reshipped, discounted or refunded, most closed with their root cause, with a few
preventive actions, so that the reports show trends. Made through the services."""

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from shipments.adapters.simulator import simulate
from shipments.models import Shipment, ShipmentStatus, TrackingEvent
from shipments.services.intake import events_record
from tickets.demo_seeders import DemoContext, Replay, case_date_back, demo_photo
from tickets.errors import ApplicationError
from tickets.models import Case, CaseEvent, Compensation, Macro, MacroText
from tickets.services.compensations import compensation_approve, compensation_mark_issued
from tickets.services.transitions import case_transition
from wrong_items.discounts import ManualAdapter
from wrong_items.models import RootCause, WrongItemReport
from wrong_items.services.actions import item_keep, report_refund, report_reship
from wrong_items.services.discounts import discount_issue
from wrong_items.services.proposals import proposal_accept
from wrong_items.services.reports import report_create
from wrong_items.services.root_causes import (
    preventive_action_create,
    preventive_action_set_done,
    root_cause_set,
)
from wrong_items.verbs import Verb

APOLOGY_NAME = "Wrong item: apology"
APOLOGY = {
    "en": (
        "Dear {customer_name},\n\nwe are very sorry that you received the wrong item with "
        "order {order_number}. We are sending you the right one by express at once, and you "
        "keep a discount on your next order. You can follow everything here: {portal_link}\n\n"
        "Kind regards"
    ),
    "de": (
        "Liebe/r {customer_name},\n\nes tut uns sehr leid, dass Sie mit Bestellung "
        "{order_number} den falschen Artikel erhalten haben. Wir schicken Ihnen den richtigen "
        "sofort per Express, und Sie erhalten einen Rabatt auf Ihre nächste Bestellung. Alles "
        "verfolgen Sie hier: {portal_link}\n\nFreundliche Grüße"
    ),
    "fr": (
        "Bonjour {customer_name},\n\nnous sommes vraiment désolés que vous ayez reçu le mauvais "
        "article avec la commande {order_number}. Nous vous envoyons le bon article en express "
        "dès maintenant, et vous bénéficiez d'une remise sur votre prochaine commande. Suivez "
        "tout ici : {portal_link}\n\nBien cordialement"
    ),
    "es": (
        "Hola {customer_name}:\n\nsentimos mucho que haya recibido un artículo equivocado con "
        "el pedido {order_number}. Le enviamos el artículo correcto por envío urgente ahora "
        "mismo, y tiene un descuento en su próximo pedido. Puede seguirlo todo aquí: "
        "{portal_link}\n\nUn saludo cordial"
    ),
    "zh-hans": (
        "{customer_name}，您好：\n\n非常抱歉，您的订单 {order_number} 收到了错误的商品。我们会立即"
        "以加急方式为您寄出正确的商品，并为您的下一笔订单提供折扣。您可以在这里查看进度："
        "{portal_link}\n\n此致敬礼"
    ),
}
# Root causes with their weights: the warehouse's own errors lead, as in most shops.
CAUSES = [
    ("picking", 5),
    ("packing", 3),
    ("labelling", 2),
    ("catalogue", 2),
    ("supplier", 1),
    ("carrier", 1),
    ("customer", 1),
    ("unknown", 1),
]
WAREHOUSES = ["Leipzig", "Leipzig", "Rotterdam", "Poznań"]
# What arrives instead: a few look-alikes, so that the same SKU pairs come back.
# The customer's words, in their language (en, de, fr, es, zh-hans).
LOOKALIKES = [
    (
        (
            "A mug in the wrong colour",
            "Eine Tasse in der falschen Farbe",
            "Une tasse de la mauvaise couleur",
            "Una taza del color equivocado",
            "颜色不对的杯子",
        ),
        "MUG-BLUE",
    ),
    (
        (
            "A smaller size of the same shirt",
            "Dasselbe Hemd eine Nummer kleiner",
            "La même chemise, une taille en dessous",
            "La misma camisa en una talla menor",
            "同款衬衫，但尺码小一号",
        ),
        "TSH-M",
    ),
    (
        (
            "A different kettle model",
            "Ein anderes Wasserkocher-Modell",
            "Un autre modèle de bouilloire",
            "Otro modelo de hervidor",
            "另一款电水壶",
        ),
        "KET-200",
    ),
    (
        (
            "Someone else's parcel",
            "Das Paket eines anderen Kunden",
            "Le colis de quelqu'un d'autre",
            "El paquete de otra persona",
            "别人的包裹",
        ),
        "",
    ),
]
LANGUAGES = ("en", "de", "fr", "es", "zh-hans")
REPORTS = 14
WEEKS = 6


def apology_macro_seed() -> Macro:
    macro, _created = Macro.objects.get_or_create(name=APOLOGY_NAME)
    for language, body in APOLOGY.items():
        MacroText.objects.update_or_create(macro=macro, language=language, defaults={"body": body})
    return macro


def _backdate(
    report: WrongItemReport,
    days_ago: float,
    context: DemoContext,
    *,
    worked_from: datetime | None = None,
    handling: timedelta = timedelta(0),
) -> None:
    """The report (and its case with its history) made `days_ago` days before the demo's now, but
    never before its parcel was shipped (half a day after, at the earliest); the case's due
    times are those of a case opened then. What the agents did on it, the rows stamped from
    `worked_from` on, comes `handling` after the opening (never later than it was played)."""
    case = Case.objects.get(pk=report.case_id)
    at = max(context.now - timedelta(days=days_ago), _earliest(report))
    if at >= case.created_at:
        return
    shift = case.created_at - at
    handling = min(handling, shift)

    replay = Replay()
    replay.mark(at, played=case.created_at)
    if worked_from is not None:
        replay.mark(worked_from - shift + handling, played=worked_from)
    case_date_back(case, replay)
    WrongItemReport.objects.filter(pk=report.pk).update(created_at=at)
    RootCause.objects.filter(report=report).update(set_at=at + timedelta(days=1))


def _earliest(report: WrongItemReport) -> datetime:
    """The earliest the report can be dated: half a day after its parcel was shipped."""
    shipped = (
        Shipment.objects.filter(order_id=report.order_id, direction=Shipment.Direction.OUTBOUND)
        .exclude(shipped_at=None)
        .order_by("shipped_at")
        .values_list("shipped_at", flat=True)
        .first()
    )
    return max(filter(None, (report.order.placed_at, shipped))) + timedelta(hours=12)


def _settle(report: WrongItemReport, context: DemoContext) -> None:
    """Before a case is closed, its money is settled: the supervisor approved what was above
    the limit, and the agent issued every compensation still open (the approvals page keeps
    only the recent cases' proposals)."""
    live = (Compensation.Status.PROPOSED, Compensation.Status.APPROVED)
    for compensation in report.case.compensations.filter(status__in=live).order_by("pk"):
        if compensation.status == Compensation.Status.PROPOSED:
            compensation = compensation_approve(compensation=compensation, actor=context.supervisor)
        compensation_mark_issued(
            compensation=compensation,
            actor=context.agent,
            external_reference=f"DEMO-{report.order.number}",
        )


def _work(
    report: WrongItemReport,
    *,
    shipment: Shipment,
    index: int,
    rng: random.Random,
    context: DemoContext,
    causes: list[str],
    roots: list[RootCause],
) -> None:
    """What the demo's agents did on a report: every other proposal accepted in one click,
    the rest by hand; the right item shipped or refunded, a discount code, the wrong item kept,
    and a root cause on those older than five days, which are closed."""
    agent = context.agent
    worked_from = timezone.now()
    accepted = report.proposal == WrongItemReport.Proposal.WAITING and index % 2 == 0
    if accepted:
        proposal_accept(report=report, actor=agent, adapter=ManualAdapter())
    elif report.preference == "refund":
        report_refund(report=report, actor=agent)
    if report.preference == "reship":
        report_reship(
            report=report,
            carrier=shipment.carrier,
            # The simulator's on-time script: delivered three days after the reshipment.
            tracking_number=f"SIM-ON-TIME-W{context.seed % 1000:03d}{index:04d}",
            actor=agent,
        )
    if not accepted:
        discount_issue(
            report=report,
            value_type="percentage",
            value=Decimal(rng.choice([10, 15, 20])),
            actor=agent,
            adapter=ManualAdapter(),
        )
    item_keep(report=report, actor=agent)
    # As old as its parcel allows: a report on a parcel shipped yesterday is a recent one.
    oldest = (context.now - _earliest(report)) / timedelta(days=1)
    days_ago = min(rng.uniform(1, WEEKS * 7), oldest)
    if days_ago > 5:
        line = report.order_line
        cause = root_cause_set(
            report=report,
            category=rng.choice(causes),
            warehouse=rng.choice(WAREHOUSES),
            received_sku=report.received_sku or f"{line.sku}-X",
            actor=agent,
        )
        roots.append(cause)
        _settle(report, context)
        # The discount's email opened the case.
        report.case.refresh_from_db()
        case = case_transition(case=report.case, to="resolved", actor=agent)
        case_transition(case=case, to="closed", actor=agent)
    handling = timedelta(hours=rng.uniform(2, 20))
    _backdate(report, days_ago, context, worked_from=worked_from, handling=handling)
    _replacement_travelled(report, context)


def _replacement_travelled(report: WrongItemReport, context: DemoContext) -> None:
    """The right item's parcel left when the agent reshipped it, as its case's history now
    says (dated back with the case), and was tracked since: its scripted events up to the
    demo's now, as polling would have recorded them."""
    shipment = Shipment.objects.filter(
        case_id=report.case_id, direction=Shipment.Direction.REPLACEMENT
    ).first()
    reshipped = (
        CaseEvent.objects.filter(case_id=report.case_id, verb=Verb.RESHIPPED)
        .values_list("created_at", flat=True)
        .first()
    )
    if shipment is None or reshipped is None:
        return
    Shipment.objects.filter(pk=shipment.pk).update(
        shipped_at=reshipped, created_at=reshipped, polled_at=context.now
    )
    shipment.shipped_at = shipment.created_at = reshipped
    shipment.polled_at = context.now
    tracked = simulate(shipment.tracking_number, shipped_at=reshipped, now=context.now)
    events_record(shipment=shipment, events=tracked, source=TrackingEvent.Source.SIMULATOR)


def wrong_items_demo_seed(context: DemoContext) -> str:
    """Make the demo's wrong items; "" when the demo has them already."""
    apology_macro_seed()
    if WrongItemReport.objects.exists():
        return ""
    rng = random.Random(f"{context.seed}:wrong_items")  # noqa: S311 - seeded on purpose
    shipped = (
        Shipment.objects.filter(
            direction=Shipment.Direction.OUTBOUND,
            order__in=[o for n, o in context.orders.items() if n not in context.case_orders],
        )
        .exclude(status__in=(ShipmentStatus.PENDING, ShipmentStatus.INFO_RECEIVED))
        .select_related("order__customer", "carrier")
        .order_by("order__number")
    )
    candidates = [s for s in shipped if s.order.lines.exists()]
    rng.shuffle(candidates)
    causes = [cause for cause, weight in CAUSES for _ in range(weight)]
    made = 0
    roots: list[RootCause] = []
    for index, shipment in enumerate(candidates[:REPORTS]):
        line = shipment.order.lines.order_by("position", "pk").first()
        assert line is not None  # noqa: S101 - candidates have lines
        words, sku = rng.choice(LOOKALIKES)
        language = shipment.order.customer.language
        received = words[LANGUAGES.index(language)] if language in LANGUAGES else words[0]
        try:
            with transaction.atomic():
                report = report_create(
                    order_line=line,
                    received_description=received,
                    received_sku=sku,
                    preference="refund" if index % 5 == 4 else "reship",
                    photos=demo_photo("parcel.jpg"),
                )
                if index == 0 and report.proposal == WrongItemReport.Proposal.WAITING:
                    # The newest report: its proposal waits for an agent's click.
                    _backdate(report, 0.05, context)
                else:
                    _work(
                        report,
                        shipment=shipment,
                        index=index,
                        rng=rng,
                        context=context,
                        causes=causes,
                        roots=roots,
                    )
        except ApplicationError:
            continue
        made += 1
    actions = 0
    picking = [c for c in roots if c.category in ("picking", "packing")]
    if picking:
        first = preventive_action_create(
            root_causes=picking,
            description="Scan every item's barcode at packing",
            owner="Warehouse lead Leipzig",
            due_date=(context.now + timedelta(days=14)).date(),
            actor=context.supervisor,
        )
        preventive_action_set_done(action=first, done=True, actor=context.supervisor)
        actions += 1
    catalogue = [c for c in roots if c.category in ("catalogue", "labelling")]
    if catalogue:
        preventive_action_create(
            root_causes=catalogue,
            description="Check look-alike SKUs' photos and labels in the catalogue",
            owner="Catalogue team",
            due_date=(context.now + timedelta(days=30)).date(),
            actor=context.supervisor,
        )
        actions += 1
    return (
        f"Demo wrong items: {made} reports over {WEEKS} weeks, {len(roots)} root causes, "
        f"{actions} preventive actions, the apology macro in {len(APOLOGY)} languages."
    )
