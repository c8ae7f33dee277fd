"""Refunds through Shopify's Admin REST API, as Shopify documents them: first
`POST /orders/<id>/refunds/calculate.json` with the refunded line items, answered with the
suggested transactions (their `parent_id` and `gateway` say which payment to refund), then
`POST /orders/<id>/refunds.json` with those transactions of kind "refund" for our amount,
answered with {"refund": {"id": ..., "transactions": [{"status": "success", ...}]}}. Items are
not restocked here: the inspection decides where they go."""

from decimal import Decimal
from typing import Any

from returns.payments import RefundFailed, RefundSpec
from tickets.money import money_str
from tickets.shopify_admin import ShopifyUnreachable, Transport, shopify_errors, shopify_request


def _line_items(spec: RefundSpec) -> list[dict[str, Any]]:
    return [
        {
            "line_item_id": int(line_id) if line_id.isdigit() else line_id,
            "quantity": units,
            "restock_type": "no_restock",
        }
        for line_id, units in spec.lines
    ]


def refund_body(spec: RefundSpec, suggested: list[dict[str, Any]]) -> dict[str, Any]:
    """The refund of `spec.amount` spread over the suggested transactions in their order, each
    at most what it can still refund."""
    left, transactions = spec.amount, []
    for row in suggested:
        if left <= 0:
            break
        limit = Decimal(str(row.get("maximum_refundable") or row.get("amount") or 0))
        amount = min(left, limit)
        if amount <= 0:
            continue
        transactions.append(
            {
                "parent_id": row.get("parent_id"),
                "amount": money_str(amount, spec.currency),
                "kind": "refund",
                "gateway": row.get("gateway"),
            }
        )
        left -= amount
    if left > 0:
        most = money_str(spec.amount - left, spec.currency)
        raise RefundFailed(f"Shopify can refund at most {most} {spec.currency}.")
    return {
        "refund": {
            "currency": spec.currency,
            "notify": False,  # we tell the customer ourselves, in their language
            "note": spec.note,
            "refund_line_items": _line_items(spec),
            "transactions": transactions,
        }
    }


class ShopifyRefundAdapter:
    name = "shopify"
    automatic = True

    def __init__(self, transport: Transport | None = None) -> None:
        self.transport = transport or shopify_request

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            status, answer = self.transport("POST", path, body)
        except ShopifyUnreachable as exc:
            raise RefundFailed(str(exc)) from exc
        refund = answer.get("refund") if status < 300 else None
        if not isinstance(refund, dict):
            raise RefundFailed(shopify_errors(answer) or f"HTTP {status}")
        return refund

    def refund(self, spec: RefundSpec) -> str:
        """The Shopify refund's id; raises RefundFailed (the order is not from Shopify, the
        shop refuses, or a transaction did not succeed)."""
        if not spec.order_id.isdigit():
            raise RefundFailed("The order has no Shopify order id.")
        base = f"/orders/{spec.order_id}/refunds"
        calculated = self._post(
            f"{base}/calculate.json",
            {"refund": {"currency": spec.currency, "refund_line_items": _line_items(spec)}},
        )
        suggested = [row for row in calculated.get("transactions") or [] if isinstance(row, dict)]
        refund = self._post(f"{base}.json", refund_body(spec, suggested))
        failed = [
            row
            for row in refund.get("transactions") or []
            if isinstance(row, dict) and row.get("status") not in ("success", "pending")
        ]
        if failed or "id" not in refund:
            reason = failed[0].get("message") if failed else None
            raise RefundFailed(str(reason or "Shopify did not confirm the refund."))
        return str(refund["id"])
