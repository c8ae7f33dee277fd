"""Shopify's order webhooks (`orders/create`, `orders/updated`): the signature check and the
mapping of an order payload to OrderData. Pure functions: nothing here touches the database.

Payload fields follow Shopify's REST Admin Order resource; the webhook body is that object
without the {"order": ...} wrapper."""

import base64
import hashlib
import hmac
import logging
import re
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tickets.errors import ApplicationError
from tickets.services.orders import CustomerData, LineData, OrderData
from tickets.validators import phone_normalise
from tickets.webhooks.payloads import json_object

logger = logging.getLogger(__name__)

ORDER_TOPICS = frozenset({"orders/create", "orders/updated"})
# A Fulfillment object as the body (no wrapper): the shipments of an order, with tracking.
FULFILLMENT_TOPICS = frozenset({"fulfillments/create", "fulfillments/update"})
# A FulfillmentEvent as the body: a carrier status of one of an order's fulfilments.
FULFILLMENT_EVENT_TOPICS = frozenset({"fulfillment_events/create"})
TOPICS = ORDER_TOPICS | FULFILLMENT_TOPICS | FULFILLMENT_EVENT_TOPICS
DEFAULT_STORE = "shopify"
STORE_MAX_LENGTH = 50
NAME_MAX_LENGTH = 200
TITLE_MAX_LENGTH = 255

# orders_validate names our fields; the sender should read its own. Fields not listed keep
# their name.
PAYLOAD_FIELDS = {
    "number": "name",
    "external_id": "id",
    "placed_at": "created_at",
    "currency": "currency",
    "subtotal": "subtotal_price",
    "tax_total": "total_tax",
    "shipping_total": "shipping_lines",
    "shipping_discount": "shipping_lines",
    "shop_updated_at": "updated_at",
    "total": "total_price",
    "shipping_country": "shipping_address.country_code",
    "lines": "line_items",
    "customer.email": "email",
    "customer.name": "customer.first_name",
    "customer.phone": "customer.phone",
    "customer.country": "shipping_address.country_code",
    "customer.language": "customer_locale",
}
LINE_FIELDS = {"unit_price": "price", "discount": "discount_allocations", "external_id": "id"}
LINE_ERROR = re.compile(r"lines\[(\d+)\](?:\.(\w+))?")


class ShopifyOrderInvalid(ApplicationError):
    """The order cannot be stored; `errors` maps payload fields to messages."""

    code = "invalid_order"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(_("The order in this webhook is not valid; see errors."))
        self.errors = errors


def signature_valid(*, body: bytes, signature: str | None, secret: str) -> bool:
    """Whether `signature` is base64(HMAC-SHA256(secret, body)). Always False without a secret
    or a signature, so an unconfigured shop refuses every delivery."""
    if not secret or not signature:
        return False
    expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
    return hmac.compare_digest(expected, signature.encode())


def payload_parse(body: bytes) -> dict[str, Any]:
    """The JSON object in `body`, with every number with a fraction as Decimal (never float).
    Raises PayloadNotJson for anything else, NaN and Infinity included."""
    return json_object(body, parse_float=Decimal)


def fulfillments_of(payload: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The Fulfillment objects of an order payload (its `fulfillments`), as sent."""
    fulfillments = payload.get("fulfillments")
    if not isinstance(fulfillments, list):
        return []
    return [item for item in fulfillments if isinstance(item, dict)]


def fulfillment_order_id(payload: Mapping[str, Any]) -> str:
    """Shopify's id of the order a Fulfillment belongs to (its `order_id`), or "" if it has
    none a person could use."""
    value = payload.get("order_id")
    if isinstance(value, bool) or not isinstance(value, int | str):
        return ""
    return str(value).strip()


def store_for_shop(shop_domain: str) -> str:
    """Our store slug for a shop: "johns-apparel" for johns-apparel.myshopify.com; "shopify"
    when the domain is missing or has nothing to slug."""
    name = shop_domain.strip().lower().removesuffix(".myshopify.com").replace(".", "-")
    return slugify(name)[:STORE_MAX_LENGTH].strip("-_") or DEFAULT_STORE


def language_for_locale(locale: object) -> str:
    """One of settings.LANGUAGES for Shopify's `customer_locale` ("de-DE" → "de", "zh-CN" →
    "zh-hans"), or "" when we have no such language (the customer's default applies)."""
    if not isinstance(locale, str):
        return ""
    tag = locale.strip().lower().replace("_", "-")
    primary, _sep, rest = tag.partition("-")
    if primary == "zh":
        subtags = set(rest.split("-"))
        # Traditional Chinese (Taiwan, Hong Kong, Macau) is not Simplified Chinese.
        if "hant" in subtags or ("hans" not in subtags and subtags & {"tw", "hk", "mo"}):
            return ""
        tag = "zh-hans"
    supported = {code for code, _name in settings.LANGUAGES}
    return next((code for code in (tag, primary) if code in supported), "")


def phone_e164(number: object, region: str) -> str:
    """`number` in E.164 form as tickets.validators.phone_normalise reads it, with `region` as
    its country when it has no country code; "" when it is not a valid phone number (an
    order is never refused for its phone)."""
    if not isinstance(number, str) or not number.strip():
        return ""
    try:
        return phone_normalise(number, region)
    except ValidationError:
        return ""


def payload_errors(errors: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """orders_validate's errors of one order, named as fields of the Shopify payload."""
    named: dict[str, list[str]] = {}
    for name, messages in errors.items():
        line = LINE_ERROR.fullmatch(name)
        if line:
            index, field = line.groups()
            payload_name = f"line_items[{index}]"
            if field:
                payload_name += "." + LINE_FIELDS.get(field, field)
        else:
            payload_name = PAYLOAD_FIELDS.get(name, name)
        named.setdefault(payload_name, []).extend(messages)
    return named


class _Reader:
    """Reads fields of the payload and collects every problem, so one answer names them all."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def error(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)

    def required(self, path: str) -> None:
        self.error(path, _("This field is required."))

    def text(self, value: object, path: str, *, required: bool = False) -> str:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.required(path)
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.error(path, _("Expected text."))
            return ""
        return str(value).strip()

    def amount(self, value: object, path: str, *, required: bool = False) -> Decimal | None:
        if value is None or value == "":
            if required:
                self.required(path)
            return None
        try:
            if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
                raise InvalidOperation
            amount = Decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite():
            self.error(path, _("Enter an amount such as 19.99."))
            return None
        return amount

    def quantity(self, value: object, path: str) -> int:
        if value is None:
            self.required(path)
            return 0
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path, _("Enter a whole number."))
            return 0
        return value

    def moment(self, value: object, path: str) -> datetime | None:
        text = self.text(value, path, required=True)
        if not text:
            return None
        try:
            moment = parse_datetime(text)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            self.error(path, _("Enter a date and time with its UTC offset (ISO 8601)."))
            return None
        return moment


def _object(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _customer(payload: Mapping[str, Any], read: _Reader, country: str) -> CustomerData:
    customer = _object(payload.get("customer"))
    shipping = _object(payload.get("shipping_address"))
    billing = _object(payload.get("billing_address"))
    default = _object(customer.get("default_address"))
    email = (
        read.text(payload.get("email"), "email")
        or read.text(payload.get("contact_email"), "contact_email")
        or read.text(customer.get("email"), "customer.email")
    )
    if not email:
        read.required("email")
    full_name = " ".join(
        part
        for part in (
            read.text(customer.get("first_name"), "customer.first_name"),
            read.text(customer.get("last_name"), "customer.last_name"),
        )
        if part
    )
    name = (
        full_name
        or read.text(shipping.get("name"), "shipping_address.name")
        or read.text(billing.get("name"), "billing_address.name")
    )
    # The first valid number wins; each address's own country reads a number without +prefix.
    phones = [
        (payload.get("phone"), country),
        (customer.get("phone"), country),
        *(
            (address.get("phone"), str(address.get("country_code") or country))
            for address in (shipping, billing, default)
        ),
    ]
    phone = next((e164 for e164 in (phone_e164(n, r) for n, r in phones) if e164), "")
    if not phone and any(isinstance(n, str) and n.strip() for n, _r in phones):
        # The numbers are left out of the log: they are the customer's personal data.
        logger.info(
            "Shopify order %s: no valid phone number among those given; the customer is "
            "stored without one.",
            payload.get("name"),
        )
    return CustomerData(
        email=email,
        name=name[:NAME_MAX_LENGTH],
        phone=phone,
        country=country,
        language=language_for_locale(payload.get("customer_locale")),
    )


def _line(item: object, path: str, read: _Reader) -> LineData | None:
    if not isinstance(item, Mapping):
        read.error(path, _("Expected an object."))
        return None
    sku = (
        read.text(item.get("sku"), f"{path}.sku")
        or read.text(item.get("variant_id"), f"{path}.variant_id")
        or (f"item-{item_id}" if (item_id := read.text(item.get("id"), f"{path}.id")) else "")
    )
    if not sku:
        read.required(f"{path}.sku")
    title = read.text(item.get("title"), f"{path}.title") or read.text(
        item.get("name"), f"{path}.name"
    )
    if not title:
        read.required(f"{path}.title")
    quantity = read.quantity(item.get("quantity"), f"{path}.quantity")
    price = read.amount(item.get("price"), f"{path}.price", required=True)
    return LineData(
        sku=sku,
        title=title[:TITLE_MAX_LENGTH],
        quantity=quantity,
        unit_price=price or Decimal(0),
        discount=_allocated(item, path, read),
        external_id=read.text(item.get("id"), f"{path}.id"),
    )


def _allocated(line: Mapping[str, Any], path: str, read: _Reader) -> Decimal:
    """The discounts Shopify allocated to a line item or shipping line (the sum of its
    `discount_allocations[].amount`): every discount application's share, code and automatic,
    line-level and order-level. (The older `total_discount` misses order-level discounts.)"""
    allocations = line.get("discount_allocations") or []
    if not isinstance(allocations, list):
        read.error(f"{path}.discount_allocations", _("Expected a list."))
        return Decimal(0)
    return sum(
        (
            read.amount(
                _object(allocation).get("amount"),
                f"{path}.discount_allocations[{index}].amount",
                required=True,
            )
            or Decimal(0)
            for index, allocation in enumerate(allocations)
        ),
        Decimal(0),
    )


def _shipping(payload: Mapping[str, Any], read: _Reader) -> tuple[Decimal, Decimal]:
    """The shipping charged after its discounts, and those discounts, over the shipping lines
    (a line Shopify marks `is_removed` left out). A line's discount is the sum of its
    discount allocations; without any, its `price` less its `discounted_price`."""
    shipping_lines = payload.get("shipping_lines") or []
    if not isinstance(shipping_lines, list):
        read.error("shipping_lines", _("Expected a list."))
        return Decimal(0), Decimal(0)
    charged = discounts = Decimal(0)
    for index, line in enumerate(shipping_lines):
        line, path = _object(line), f"shipping_lines[{index}]"
        if line.get("is_removed") is True:
            continue
        price = read.amount(line.get("price"), f"{path}.price") or Decimal(0)
        discount = _allocated(line, path, read)
        if not line.get("discount_allocations"):
            discounted = read.amount(line.get("discounted_price"), f"{path}.discounted_price")
            discount = price - discounted if discounted is not None else Decimal(0)
        charged += price - discount
        discounts += discount
    return charged, discounts


def order_data_from_payload(payload: Mapping[str, Any], *, store: str) -> OrderData:
    """The OrderData of a Shopify order payload. Raises ShopifyOrderInvalid naming every
    missing or malformed field; what the model refuses (a quantity of 0, a negative price)
    is left to orders_validate."""
    read = _Reader()
    name = read.text(payload.get("name"), "name", required=True)
    number = name.removeprefix("#").strip()
    if name and not number:
        read.error("name", _("The order name has no number."))
    external_id = read.text(payload.get("id"), "id", required=True)
    placed_at = read.moment(payload.get("created_at"), "created_at")
    shop_updated_at = (
        read.moment(payload.get("updated_at"), "updated_at")
        if payload.get("updated_at") is not None
        else None
    )
    currency = read.text(payload.get("currency"), "currency", required=True).upper()
    subtotal = read.amount(payload.get("subtotal_price"), "subtotal_price")
    tax_total = read.amount(payload.get("total_tax"), "total_tax")
    total = read.amount(payload.get("total_price"), "total_price", required=True)

    shipping_total, shipping_discount = _shipping(payload, read)

    addresses = (
        ("shipping_address", _object(payload.get("shipping_address"))),
        ("billing_address", _object(payload.get("billing_address"))),
        (
            "customer.default_address",
            _object(_object(payload.get("customer")).get("default_address")),
        ),
    )
    country = next(
        (
            code.upper()
            for label, address in addresses
            if (code := read.text(address.get("country_code"), f"{label}.country_code"))
        ),
        "",
    )
    if not country:
        read.required("shipping_address.country_code")

    items = payload.get("line_items")
    if not isinstance(items, list) or not items:
        read.error("line_items", _("An order needs at least one line."))
        items = []
    lines = [_line(item, f"line_items[{index}]", read) for index, item in enumerate(items)]
    customer = _customer(payload, read, country)

    if read.errors or placed_at is None or total is None:
        raise ShopifyOrderInvalid(read.errors)
    return OrderData(
        store=store,
        number=number,
        external_id=external_id,
        customer=customer,
        placed_at=placed_at,
        currency=currency,
        subtotal=subtotal,
        shipping_total=shipping_total,
        shipping_discount=shipping_discount,
        tax_total=tax_total or Decimal(0),
        total=total,
        shipping_country=country,
        # Shopify has no standard "insured at checkout" flag; an agent sets it if it applies.
        insured=False,
        lines=tuple(line for line in lines if line is not None),
        shop_updated_at=shop_updated_at,
    )
