"""Cancellation refunds: a PAID shop order that is cancelled (before any shipment,
orders.cancel_order) gets all it paid back from escrow, through refund_order.

The outbox handler `payments.refund_cancelled` runs on OrderStatusChanged paid ->
cancelled, in the dispatcher's transaction: it records the full refund `pending` under the
key `cancel:<order id>` (delivered twice, it finds the refund already recorded and writes
nothing) and the worker's refund timer sends it to the provider (send_pending_refunds), as
the provider cannot be called inside a transaction. An order paid without the provider
(the demo hook) holds nothing: nothing to refund."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from galerie.audit import AuditContext
from galerie.kernel import Clock, DomainEvent
from galerie.orders import OrderStatusChanged
from galerie.payments.errors import OrderNotRefundable
from galerie.payments.refunds import REASON_LENGTH, refund_order

PAID, CANCELLED = "paid", "cancelled"
RefundFunc = Callable[[DomainEvent, AsyncSession], Awaitable[None]]


def cancellation_key(order_id: int) -> str:
    return f"cancel:{order_id}"


def refunds_cancellation(event: DomainEvent) -> bool:
    """Whether the cancellation refund handler acts on `event`: a paid order cancelled."""
    return isinstance(event, OrderStatusChanged) and (event.from_status, event.to_status) == (
        PAID, CANCELLED,
    )  # fmt: skip


def cancellation_refund_handler(clock: Clock) -> RefundFunc:
    """The outbox handler: a paid order cancelled is refunded in full (see the module;
    register it with `accepts=refunds_cancellation`)."""

    async def on_status_changed(event: DomainEvent, session: AsyncSession) -> None:
        assert isinstance(event, OrderStatusChanged)
        if not refunds_cancellation(event):
            return
        reason = f"order cancelled: {event.reason or 'no reason given'}"[:REASON_LENGTH]
        try:
            await refund_order(
                session, order_id=event.order_id, reason=reason,
                key=cancellation_key(event.order_id), now=clock.now(),
                audit=AuditContext(actor_user_id=event.actor_user_id,
                                   extra={"cause": "order_cancelled"}),
            )  # fmt: skip
        except OrderNotRefundable:
            return  # paid without the provider: no money held

    return on_status_changed
