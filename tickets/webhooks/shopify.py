"""Shopify's order webhooks (`orders/create`, `orders/updated`): the signature check and the
mapping of an order payload to OrderData. Pure functions: nothing here touches the database.

Payload fields follow Shopify's REST Admin Order resource; the webhook body is that object
without the {"order": ...} wrapper."""

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import phonenumbers
from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tickets.errors import ApplicationError
from tickets.services.orders import CustomerData, LineData, OrderData

TOPICS = frozenset({"orders/create", "orders/updated"})
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
    "total": "total_price",
    "shipping_country": "shipping_address.country_code",
    "lines": "line_items",
    "customer.email": "email",
    "customer.name": "customer.first_name",
    "customer.phone": "customer.phone",
    "customer.country": "shipping_address.country_code",
    "customer.language": "customer_locale",
}
LINE_FIELDS = {"unit_price": "price"}
LINE_ERROR = re.compile(r"lines\[(\d+)\](?:\.(\w+))?")


class ShopifyPayloadNotJson(ApplicationError):
    code = "invalid_json"

    def __init__(self) -> None:
        super().__init__(_("The body is not a JSON object."))


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


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number")


def payload_parse(body: bytes) -> dict[str, Any]:
    """The JSON object in `body`, with every number with a fraction as Decimal (never float).
    Raises ShopifyPayloadNotJson for anything else, NaN and Infinity included."""
    try:
        payload = json.loads(body, parse_float=Decimal, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError too
        raise ShopifyPayloadNotJson() from exc
    if not isinstance(payload, dict):
        raise ShopifyPayloadNotJson()
    return payload


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
    """`number` in E.164 form, read with `region` as its country when it has no +prefix;
    "" when it is not a valid phone number (an order is never refused for its phone)."""
    if not isinstance(number, str) or not number.strip():
        return ""
    try:
        parsed = phonenumbers.parse(number, region.upper() or None)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(parsed):
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


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

    def placed_at(self, value: object, path: str) -> datetime | None:
        text = self.text(value, path, required=True)
        if not text:
            return None
        try:
            placed_at = parse_datetime(text)
        except ValueError:
            placed_at = None
        if placed_at is None or placed_at.tzinfo is None:
            self.error(path, _("Enter a date and time with its UTC offset (ISO 8601)."))
            return None
        return placed_at


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
        sku=sku, title=title[:TITLE_MAX_LENGTH], quantity=quantity, unit_price=price or Decimal(0)
    )


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
    placed_at = read.placed_at(payload.get("created_at"), "created_at")
    currency = read.text(payload.get("currency"), "currency", required=True).upper()
    subtotal = read.amount(payload.get("subtotal_price"), "subtotal_price")
    tax_total = read.amount(payload.get("total_tax"), "total_tax")
    total = read.amount(payload.get("total_price"), "total_price", required=True)

    shipping_lines = payload.get("shipping_lines") or []
    if not isinstance(shipping_lines, list):
        read.error("shipping_lines", _("Expected a list."))
        shipping_lines = []
    shipping_total = sum(
        (
            read.amount(_object(line).get("price"), f"shipping_lines[{index}].price") or Decimal(0)
            for index, line in enumerate(shipping_lines)
        ),
        Decimal(0),
    )

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
        tax_total=tax_total or Decimal(0),
        total=total,
        shipping_country=country,
        # Shopify has no standard "insured at checkout" flag; an agent sets it if it applies.
        insured=False,
        lines=tuple(line for line in lines if line is not None),
    )
