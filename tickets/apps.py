from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    """The shared spine: customers, orders, cases, timeline, compensation, outbox, SMS."""

    name = "tickets"
    verbose_name = _("Tickets")

    def ready(self) -> None:
        # Imported once the app registry is ready: they need the models. The tasks are
        # registered in every process, not only in workers: services queue them by name
        # (tickets.services.queue), and a registered task honours eager mode in tests.
        from tickets import (
            checks,  # noqa: F401  (registers the system checks)
            tasks,  # noqa: F401
        )
        from tickets.general import GENERAL
        from tickets.receivers import staff_receivers_connect
        from tickets.scenarios import scenario_register

        scenario_register(GENERAL)
        staff_receivers_connect()
