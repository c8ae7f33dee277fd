"""`manage.py generate_load_data`: a realistic shop history at a chosen scale, fast.

At `--cases N` it makes N/5 customers in 30 countries and the five languages, N orders with
about 2N lines, and N cases (shipment issues 45 %, defects 25 %, wrong items 15 %, general
questions 15 %) opened over the two years before "now", with about 3N messages, 4N timeline
events, 1.45N notifications and compensations on a few percent of the cases; 36 agents in
five language teams work them. What is old is resolved or closed; a few percent are active.

- rows.py generates the rows as plain tuples, deterministically per case index;
- sink.py writes them: COPY on PostgreSQL, executemany on SQLite;
- run.py refuses foreign data, makes the staff and runs the batches, resuming after the last
  complete one;
- registry.py is the extension point: scenario apps register a per-batch step with
  `loadgen_step_register` and write their own rows through the same sink.
"""

from .registry import (
    Batch,
    BatchStep,
    GeneratedCase,
    ShopOrder,
    loadgen_step_register,
    loadgen_steps,
)
from .run import BATCH, LoadDataError, Outcome, foreign_data, generated_cases, load_data_generate
from .sink import Sink

__all__ = [
    "BATCH",
    "Batch",
    "BatchStep",
    "GeneratedCase",
    "LoadDataError",
    "Outcome",
    "ShopOrder",
    "Sink",
    "foreign_data",
    "generated_cases",
    "load_data_generate",
    "loadgen_step_register",
    "loadgen_steps",
]
