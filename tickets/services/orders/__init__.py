"""Order intake: one set-based upsert used by the API, the Shopify webhook and CSV import.

Orders are matched by (store, number), customers by email (case-insensitively), lines by a
stable key (see .lines). The same input twice writes nothing the second time; an input older
than the stored order (by the shop's own `updated_at`) is ignored as stale."""

from .data import (
    AMOUNT_FIELDS,
    CHUNK,
    CUSTOMER_FIELDS,
    LINE_FIELDS,
    ORDER_FIELDS,
    CustomerData,
    LineData,
    OrderCustomerLocked,
    OrderData,
    OrdersInvalid,
    UpsertResult,
)
from .lines import lines_referenced, pair_lines
from .upsert import orders_upsert
from .validation import PYTHON_TYPES, orders_normalise, orders_validate, row_ok

__all__ = [
    "AMOUNT_FIELDS",
    "CHUNK",
    "CUSTOMER_FIELDS",
    "LINE_FIELDS",
    "ORDER_FIELDS",
    "PYTHON_TYPES",
    "CustomerData",
    "LineData",
    "OrderCustomerLocked",
    "OrderData",
    "OrdersInvalid",
    "UpsertResult",
    "lines_referenced",
    "orders_normalise",
    "orders_upsert",
    "orders_validate",
    "pair_lines",
    "row_ok",
]
