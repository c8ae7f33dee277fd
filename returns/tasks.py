"""Thin Celery tasks of the returns app: take ids, call one service."""

from celery import shared_task

from returns.services import refunds


@shared_task
def refund_execute(refund_id: int) -> str:
    """Pay a pending refund through its automatic payment adapter; its status after."""
    refund = refunds.refund_execute(refund_id=refund_id)
    return refund.status if refund else "gone"


@shared_task
def refunds_sweep() -> int:
    """Beat's pass over automatic refunds left pending; how many were queued again."""
    return refunds.refunds_sweep()
