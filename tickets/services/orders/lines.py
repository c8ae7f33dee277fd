"""Order lines kept stable across updates, written set-based.

A line is matched to its stored self by a stable key: the shop's id of the line
(`external_id`, Shopify's line item id) where both sides have one, else its SKU and its place
among the order's lines with that SKU (the second KET-1 line pairs with the second stored
KET-1 line), so inserting another product before it does not unpair it. A matched line is
updated in place and keeps its primary key: return lines, wrong-item reports and
compensations point at it.

A stored line the shop no longer lists is *retired*: deleted while nothing points at it, and
marked removed (`removed_at`) once something does. "Something" is every model with a foreign
key or one-to-one field to OrderLine, found through OrderLine's relations at run time, so a
scenario app's model is honoured without tickets importing it. A service that makes a row point
at an order line locks the line's order first (`select_for_update()`), as the upsert does, so a
line is never deleted under a reference being made. A line that comes back is restored."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import ForeignObjectRel

from tickets.models import Order, OrderLine

from .data import CHUNK, LINE_FIELDS, LineData, chunks, line_values

# What an update may change on a stored line (the database computes `total` from them).
WRITTEN = [*LINE_FIELDS, "position", "removed_at"]


@dataclass(frozen=True, slots=True)
class StoredLine:
    pk: int
    order_id: int
    external_id: str
    sku: str
    title: str
    category: str
    quantity: int
    unit_price: Decimal
    discount: Decimal
    position: int
    removed_at: datetime | None


@dataclass
class LinePlan:
    """The line writes of one upsert: lines to insert, lines to update, lines to retire."""

    new: list[OrderLine] = field(default_factory=list)
    changed: list[OrderLine] = field(default_factory=list)
    gone: list[int] = field(default_factory=list)


def stored_lines(order_ids: Sequence[int]) -> dict[int, list[StoredLine]]:
    """The stored lines (removed ones too) of each order, in their order."""
    stored: dict[int, list[StoredLine]] = {}
    names = ["pk", "order_id", *LINE_FIELDS, "position", "removed_at"]
    for chunk in chunks(order_ids):
        lines = OrderLine.objects.filter(order_id__in=chunk).order_by("order_id", "position", "pk")
        for values in lines.values_list(*names):
            line = StoredLine(*values)
            stored.setdefault(line.order_id, []).append(line)
    return stored


def pair_lines(stored: Sequence[StoredLine], lines: Sequence[LineData]) -> list[StoredLine | None]:
    """For each line of `lines`, the stored line it is (see the module's docstring), or None
    for a new one. Each stored line pairs at most once; a current line is preferred to a
    removed one of the same SKU."""
    pairs: list[StoredLine | None] = [None] * len(lines)
    by_id = {line.external_id: line for line in stored if line.external_id}
    taken: set[int] = set()
    for index, line in enumerate(lines):
        match = by_id.get(line.external_id) if line.external_id else None
        if match is not None and match.pk not in taken:
            pairs[index] = match
            taken.add(match.pk)
    by_sku: dict[str, list[StoredLine]] = {}
    for kept in sorted(stored, key=lambda s: (s.removed_at is not None, s.position, s.pk)):
        if kept.pk not in taken:
            by_sku.setdefault(kept.sku, []).append(kept)
    for index, line in enumerate(lines):
        if pairs[index] is not None:
            continue
        candidates = by_sku.get(line.sku, [])
        for place, candidate in enumerate(candidates):
            # Two different ids of the shop are two different lines, whatever their SKU.
            if not (line.external_id and candidate.external_id):
                pairs[index] = candidates.pop(place)
                break
    return pairs


def lines_plan(
    *, order_id: int, stored: Sequence[StoredLine], lines: Sequence[LineData], plan: LinePlan
) -> bool:
    """Add to `plan` what makes the stored lines of an order the shop's `lines`; True if
    anything is to be written."""
    if _as_stored(stored, lines):
        return False
    before = (len(plan.new), len(plan.changed), len(plan.gone))
    pairs = pair_lines(stored, lines)
    for position, (line, match) in enumerate(zip(lines, pairs, strict=True)):
        values = line_values(line)
        if match is None:
            plan.new.append(OrderLine(order_id=order_id, position=position, **values))
            continue
        # A line sent without the shop's id keeps the id it was stored with.
        values["external_id"] = line.external_id or match.external_id
        if (
            match.position != position
            or match.removed_at is not None
            or any(getattr(match, name) != value for name, value in values.items())
        ):
            plan.changed.append(
                OrderLine(pk=match.pk, order_id=order_id, position=position, **values)
            )
    paired = {match.pk for match in pairs if match is not None}
    plan.gone.extend(
        line.pk for line in stored if line.pk not in paired and line.removed_at is None
    )
    return (len(plan.new), len(plan.changed), len(plan.gone)) != before


def _as_stored(stored: Sequence[StoredLine], lines: Sequence[LineData]) -> bool:
    """Whether the stored lines are `lines` already, place by place: the common case of an
    order sent again, checked without pairing."""
    return len(stored) == len(lines) and all(
        kept.removed_at is None
        and kept.position == position
        and kept.sku == line.sku
        and kept.title == line.title
        and kept.category == line.category
        and kept.quantity == line.quantity
        and kept.unit_price == line.unit_price
        and kept.discount == line.discount
        and line.external_id in ("", kept.external_id)
        for position, (kept, line) in enumerate(zip(stored, lines, strict=True))
    )


def new_lines(*, order: Order, lines: Iterable[LineData]) -> list[OrderLine]:
    """The lines of an order not stored yet (its primary key is read when they are saved)."""
    return [
        OrderLine(order=order, position=position, **line_values(line))
        for position, line in enumerate(lines)
    ]


def lines_write(*, plan: LinePlan, now: datetime) -> None:
    """Write `plan`: retire the gone lines, update the changed ones, insert the new ones."""
    if plan.gone:
        _lines_retire(plan.gone, now=now)
    OrderLine.objects.bulk_update(plan.changed, WRITTEN, batch_size=CHUNK)
    OrderLine.objects.bulk_create(plan.new, batch_size=CHUNK)


def _references() -> list[ForeignObjectRel]:
    """Every foreign key or one-to-one field pointing at OrderLine, from any installed app
    (through tables of many-to-many fields included)."""
    return [
        relation
        for relation in OrderLine._meta.get_fields(include_hidden=True)
        if isinstance(relation, ForeignObjectRel) and (relation.one_to_many or relation.one_to_one)
    ]


def lines_referenced(pks: Sequence[int]) -> set[int]:
    """Those of the lines `pks` that some row points at; one query per relation and chunk."""
    referenced: set[int] = set()
    for relation in _references():
        pointer = f"{relation.field.name}__pk"
        rows = relation.related_model._base_manager
        for chunk in chunks(pks):
            found = rows.filter(**{f"{pointer}__in": chunk}).values_list(pointer, flat=True)
            referenced.update(found.distinct())
    return referenced


def _lines_retire(pks: Sequence[int], *, now: datetime) -> None:
    referenced = lines_referenced(pks)
    kept = sorted(referenced)
    deleted = sorted(set(pks) - referenced)
    for chunk in chunks(kept):
        OrderLine.objects.filter(pk__in=chunk).update(removed_at=now)
    for chunk in chunks(deleted):
        OrderLine.objects.filter(pk__in=chunk).delete()
