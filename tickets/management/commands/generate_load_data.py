"""`manage.py generate_load_data --cases N`: a shop history at scale N (tickets/loadgen)."""

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tickets.loadgen import LoadDataError, load_data_generate


class Command(BaseCommand):
    help = (
        "Generate a realistic shop history with N cases (N/5 customers, N orders, ~3N messages, "
        "~4N events), resuming an interrupted run. Refuses a database with real data."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="How many cases in all.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--allow-real-data",
            action="store_true",
            help="Run even though the database holds customers or orders it did not make.",
        )

    def handle(
        self, *args: Any, cases: int, seed: int, allow_real_data: bool, **options: Any
    ) -> None:
        if cases < 1:
            raise CommandError("--cases must be at least 1.")
        bar: tqdm[Any] | None = None

        def started(before: int, target: int) -> None:
            nonlocal bar
            if before < target:
                if before:
                    self.stdout.write(f"Resuming after {before} cases.")
                bar = tqdm(total=target, initial=before, unit="case", unit_scale=True)

        begun = time.perf_counter()
        try:
            outcome = load_data_generate(
                cases=cases,
                seed=seed,
                allow_real_data=allow_real_data,
                progress=lambda done: bar.update(done) if bar else None,
                started=started,
            )
        except LoadDataError as error:
            raise CommandError(str(error)) from error
        except KeyboardInterrupt:
            raise CommandError(
                "Interrupted. The complete batches are kept: run the command again to continue."
            ) from None
        finally:
            if bar is not None:
                bar.close()
        seconds = time.perf_counter() - begun
        if outcome.rows == 0:
            self.stdout.write(f"Nothing to do: the data set already has {outcome.before} cases.")
            return
        self.stdout.write(
            f"Generated cases {outcome.before}–{outcome.after}: {outcome.rows} rows in "
            f"{seconds:.1f} s ({outcome.rows / seconds:,.0f} rows/s)."
        )
