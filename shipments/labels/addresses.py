"""Postal addresses as a label prints them: the customer's (given by the caller, the shop's
orders carry none) and the shop's warehouse (settings.SHOP_RETURN_ADDRESS)."""

from dataclasses import asdict, dataclass, fields
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from tickets.errors import ApplicationError

REQUIRED = ("name", "line1", "city", "postcode", "country")


class AddressInvalid(ApplicationError):
    """An address a parcel cannot be sent to; `errors` maps "<role>.<field>" to messages."""

    code = "invalid_address"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        names = ", ".join(sorted(errors))
        super().__init__(
            _("The address is incomplete or wrong: %(fields)s.") % {"fields": names},
            errors=errors,
        )
        self.errors = errors


@dataclass(frozen=True)
class Address:
    """An address in any script; `country` is ISO 3166-1 alpha-2."""

    name: str
    line1: str
    city: str
    postcode: str
    country: str
    line2: str = ""
    region: str = ""
    phone: str = ""
    email: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    @property
    def country_name(self) -> str:
        """The country in English, as the Universal Postal Union asks of international mail
        (a carrier in the sender's country must read it)."""
        with translation.override("en"):
            return str(countries.name(self.country)) or self.country

    def lines(self) -> list[str]:
        """The lines as printed: name, street lines, postcode and city, region, country."""
        city = f"{self.postcode} {self.city}".strip()
        return [
            line
            for line in (self.name, self.line1, self.line2, city, self.region, self.country_name)
            if line
        ]


def _problems(data: dict[str, Any], role: str) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for name in REQUIRED:
        if not str(data.get(name) or "").strip():
            problems[f"{role}.{name}"] = [_("This field is required.")]
    country = str(data.get("country") or "").strip().upper()
    if country and country not in countries:
        problems[f"{role}.country"] = [
            _("%(code)s is not a country code (ISO 3166, like DE or CN).") % {"code": country}
        ]
    return problems


def address_from(data: dict[str, Any] | Address, *, role: str = "address") -> Address:
    """`data` as an Address, trimmed, the country upper-cased. Raises AddressInvalid naming every
    missing or wrong field as "<role>.<field>"."""
    if isinstance(data, Address):
        data = data.as_dict()
    problems = _problems(data, role)
    if problems:
        raise AddressInvalid(problems)
    known = {field.name for field in fields(Address)}
    clean = {name: str(value or "").strip() for name, value in data.items() if name in known}
    clean["country"] = clean["country"].upper()
    return Address(**clean)


def warehouse_address() -> Address:
    """Where returns go: settings.SHOP_RETURN_ADDRESS. Raises AddressInvalid if it is
    incomplete (a system check says so at start-up too)."""
    return address_from(dict(settings.SHOP_RETURN_ADDRESS), role="SHOP_RETURN_ADDRESS")
