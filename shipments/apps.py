from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShipmentsConfig(AppConfig):
    """Carriers, shipments, tracking, insurance claims and labels (built in a later issue)."""

    name = "shipments"
    verbose_name = _("Shipments")
