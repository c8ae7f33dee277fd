from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    """The shared spine: customers, orders, cases, timeline, compensation, outbox, SMS."""

    name = "tickets"
    verbose_name = _("Tickets")

    def ready(self) -> None:
        # Registers the tasks in every process, not only in workers: services queue them by
        # name (tickets.services.queue), and a registered task honours eager mode in tests.
        from . import (
            checks,  # noqa: F401  (registers the system checks)
            tasks,  # noqa: F401
        )
