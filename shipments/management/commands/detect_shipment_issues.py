from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from shipments.services.detection import shipment_issues_detect


class Command(BaseCommand):
    help = (
        "Run the shipment-problem detection once (as beat does every ten minutes) and print "
        "what each rule found and cleared."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--announce-limit",
            type=int,
            default=None,
            help="Announce at most this many new findings (default SHIPMENT_ANNOUNCE_LIMIT).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = shipment_issues_detect(announce_limit=options["announce_limit"])
        for rule, outcome in report.rules.items():
            self.stdout.write(f"{rule}: {outcome.found} found, {outcome.cleared} cleared")
        self.stdout.write(
            f"total: {report.found} found, {report.cleared} cleared, {report.announced} announced"
        )
