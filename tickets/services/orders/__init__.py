"""Order intake: one set-based upsert used by the API, the Shopify webhook and CSV import.

Orders are matched by (store, number), customers by email (case-insensitively). The same
input twice writes nothing the second time."""

from .data import (
    AMOUNT_FIELDS,
    CUSTOMER_FIELDS,
    LINE_FIELDS,
    ORDER_FIELDS,
    CustomerData,
    LineData,
    OrderData,
    OrdersInvalid,
    UpsertResult,
)
from .upsert import CHUNK, orders_upsert
from .validation import PYTHON_TYPES, orders_validate
from .validation import _row_ok as _row_ok  # the quick check, tested on its own

__all__ = [
    "AMOUNT_FIELDS",
    "CHUNK",
    "CUSTOMER_FIELDS",
    "LINE_FIELDS",
    "ORDER_FIELDS",
    "PYTHON_TYPES",
    "CustomerData",
    "LineData",
    "OrderData",
    "OrdersInvalid",
    "UpsertResult",
    "orders_upsert",
    "orders_validate",
]
