from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    """The shared spine: customers, orders, cases, timeline, compensation, outbox, SLA."""

    name = "tickets"
    verbose_name = _("Tickets")

    def ready(self) -> None:
        # Imported once the app registry is ready: both need the models.
        from tickets import checks  # noqa: F401  (registers the system checks)
        from tickets.general import GENERAL
        from tickets.scenarios import scenario_register

        scenario_register(GENERAL)
