from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    """The shared spine: customers, orders, cases, timeline, compensation, outbox, SLA."""

    name = "tickets"
    verbose_name = _("Tickets")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
