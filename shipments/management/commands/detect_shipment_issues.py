from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from shipments.services.detection import shipment_issues_detect


class Command(BaseCommand):
    help = (
        "Run the shipment-problem detection once (as beat does every ten minutes), queue the "
        "announcing of new findings, and print what each rule found and cleared."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--announce-limit",
            type=int,
            default=None,
            help=(
                "Announce up to this many new findings here and now (0: none) instead of "
                "queueing the announcing task for the workers."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = shipment_issues_detect(announce_limit=options["announce_limit"])
        for rule, outcome in report.rules.items():
            self.stdout.write(f"{rule}: {outcome.found} found, {outcome.cleared} cleared")
        self.stdout.write(
            f"total: {report.found} found, {report.cleared} cleared, {report.announced} "
            f"announced, {report.waiting} waiting to be announced"
            + (" (queued for the workers)" if options["announce_limit"] is None else "")
        )
