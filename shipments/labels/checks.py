"""System checks of the label settings, run at start-up (registered in shipments/apps.py)."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning

from shipments.labels.adapters import ADAPTERS
from shipments.labels.addresses import AddressInvalid, warehouse_address
from shipments.labels.fonts import FONTS


def label_settings_check(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """LABEL_ADAPTER names an adapter (EasyPost's with its key), SHOP_RETURN_ADDRESS is a whole
    address, and the label fonts are installed."""
    found: list[CheckMessage] = []
    name = settings.LABEL_ADAPTER
    if name not in ADAPTERS:
        found.append(
            Error(
                f"LABEL_ADAPTER={name!r} is not one of {', '.join(sorted(ADAPTERS))}.",
                id="shipments.E002",
            )
        )
    elif name == "easypost" and not settings.EASYPOST_API_KEY:
        found.append(
            Warning(
                "LABEL_ADAPTER is easypost but EASYPOST_API_KEY is empty: issuing a label "
                "will be refused.",
                id="shipments.W002",
            )
        )
    try:
        warehouse_address()
    except AddressInvalid as exc:
        found.append(
            Error(
                f"SHOP_RETURN_ADDRESS is incomplete: {', '.join(sorted(exc.errors))}.",
                hint="Set SHOP_RETURN_NAME, _LINE1, _CITY, _POSTCODE and _COUNTRY.",
                id="shipments.E003",
            )
        )
    missing = [str(font.path) for font in FONTS if not font.path.exists()]
    if missing:
        found.append(
            Warning(
                f"Label fonts are missing ({', '.join(missing)}): label downloads answer 503.",
                hint="apt-get install fonts-noto-core fonts-wqy-microhei (make run does).",
                id="shipments.W003",
            )
        )
    return found
