"""Our carrier codes (karrio's carrier names) for the names sources give a carrier: Shopify's
`tracking_company`, EasyPost's `carrier`, AfterShip's `slug`. A carrier nobody knows yet is
created under a code made from its name, so no shipment is refused for its carrier."""

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from shipments.models import Carrier


@dataclass(frozen=True)
class KnownCarrier:
    code: str
    name: str
    tracking_url: str = ""


KNOWN: tuple[KnownCarrier, ...] = (
    KnownCarrier(
        "dhl_express", "DHL Express", "https://www.dhl.com/track?tracking-id={tracking_number}"
    ),
    KnownCarrier(
        "dhl_parcel_de",
        "DHL Paket",
        "https://www.dhl.de/de/privatkunden/dhl-sendungsverfolgung.html?piececode={tracking_number}",
    ),
    KnownCarrier(
        "dhl_ecommerce",
        "DHL eCommerce",
        "https://www.dhl.com/track?tracking-id={tracking_number}",
    ),
    KnownCarrier(
        "deutschepost",
        "Deutsche Post",
        "https://www.deutschepost.de/sendung/simpleQuery.html?form.sendungsnummer={tracking_number}",
    ),
    KnownCarrier("ups", "UPS", "https://www.ups.com/track?tracknum={tracking_number}"),
    KnownCarrier("fedex", "FedEx", "https://www.fedex.com/fedextrack/?trknbr={tracking_number}"),
    KnownCarrier(
        "usps", "USPS", "https://tools.usps.com/go/TrackConfirmAction?tLabels={tracking_number}"
    ),
    KnownCarrier(
        "canadapost",
        "Canada Post",
        "https://www.canadapost-postescanada.ca/track-reperage/en#/details/{tracking_number}",
    ),
    KnownCarrier(
        "royalmail",
        "Royal Mail",
        "https://www.royalmail.com/track-your-item#/tracking-results/{tracking_number}",
    ),
    KnownCarrier(
        "colissimo",
        "Colissimo",
        "https://www.laposte.fr/outils/suivre-vos-envois?code={tracking_number}",
    ),
    KnownCarrier(
        "chronopost",
        "Chronopost",
        "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT={tracking_number}",
    ),
    KnownCarrier("dpd", "DPD", "https://tracking.dpd.de/status/en_US/parcel/{tracking_number}"),
    KnownCarrier("gls", "GLS", "https://gls-group.com/track/{tracking_number}"),
    KnownCarrier("postnl", "PostNL", "https://jouw.postnl.nl/track-and-trace/{tracking_number}"),
    KnownCarrier(
        "australiapost",
        "Australia Post",
        "https://auspost.com.au/mypost/track/#/details/{tracking_number}",
    ),
    KnownCarrier(
        "tnt",
        "TNT",
        "https://www.tnt.com/express/en_gb/site/shipping-tools/tracking.html?searchType=con&cons={tracking_number}",
    ),
    KnownCarrier("hermes", "Evri / Hermes", "https://www.evri.com/track/parcel/{tracking_number}"),
)

BY_CODE = {carrier.code: carrier for carrier in KNOWN}

# Names as the sources spell them, squashed (lower case, letters and digits only).
ALIASES: dict[str, str] = {
    "dhl": "dhl_express",
    "dhlexpress": "dhl_express",
    "dhlparcel": "dhl_parcel_de",
    "dhlpaket": "dhl_parcel_de",
    "dhlparcelde": "dhl_parcel_de",
    "dhlgermany": "dhl_parcel_de",
    "dhlecommerce": "dhl_ecommerce",
    "dhlglobalmail": "dhl_ecommerce",
    "dhlecommerceasia": "dhl_ecommerce",
    "deutschepost": "deutschepost",
    "deutschpost": "deutschepost",
    "ups": "ups",
    "upsmailinnovations": "ups",
    "fedex": "fedex",
    "fedexground": "fedex",
    "fedexsmartpost": "fedex",
    "usps": "usps",
    "canadapost": "canadapost",
    "royalmail": "royalmail",
    "colissimo": "colissimo",
    "laposte": "colissimo",
    "lapostecolissimo": "colissimo",
    "chronopost": "chronopost",
    "chronopostfrance": "chronopost",
    "dpd": "dpd",
    "dpdde": "dpd",
    "dpduk": "dpd",
    "gls": "gls",
    "postnl": "postnl",
    "postnl3s": "postnl",
    "australiapost": "australiapost",
    "auspost": "australiapost",
    "tnt": "tnt",
    "hermes": "hermes",
    "hermesde": "hermes",
    "evri": "hermes",
}

CODE_MAX_LENGTH = 50
NAME_MAX_LENGTH = 100


def name_key(name: str) -> str:
    """A carrier name squashed for lookups: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def carrier_code(name: str) -> str:
    """Our code for a carrier name as a source spells it ("DHL Express", "dhl-express",
    "FedEx"), or a code made from the name for one we do not list; "" for no name."""
    squashed = name_key(name)
    if not squashed:
        return ""
    if squashed in ALIASES:
        return ALIASES[squashed]
    code = slugify(name).replace("-", "_")[:CODE_MAX_LENGTH].strip("_")
    return code or squashed[:CODE_MAX_LENGTH]


def carrier_for(*, name: str) -> Carrier:
    """The Carrier a source's carrier name means, created (with its tracking page where we
    know it) when it is new. Raises ValueError for an empty name."""
    code = carrier_code(name)
    if not code:
        raise ValueError("a carrier needs a name")
    carrier = Carrier.objects.filter(code=code).first()
    if carrier is not None:
        return carrier
    known = BY_CODE.get(code)
    defaults = {
        "name": (known.name if known else name.strip())[:NAME_MAX_LENGTH],
        "tracking_url": known.tracking_url if known else "",
    }
    try:
        # A savepoint: two deliveries may name a new carrier at once; the loser reads it.
        with transaction.atomic():
            carrier, _created = Carrier.objects.get_or_create(code=code, defaults=defaults)
    except IntegrityError:
        carrier = Carrier.objects.get(code=code)
    return carrier
