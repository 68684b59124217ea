"""What an order holds in stock, and the inventory primitive that moves it on each step:
paying commits the reservation, closing or cancelling an unpaid order releases it,
cancelling a paid one releases the commitment. Helpers in the caller's transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.inventory import (
    Level,
    commit_reservation,
    release_commitment,
    release_reservation,
)
from galerie.orders.models import Order, OrderLine
from galerie.orders.states import OrderStatus

Move = Callable[..., Awaitable[Level]]


def stock_move(from_status: OrderStatus, to_status: OrderStatus) -> Move | None:
    """The inventory primitive of a transition, or None when stock stays as it is."""
    if from_status == OrderStatus.AWAITING_PAYMENT:
        if to_status == OrderStatus.PAID:
            return commit_reservation
        if to_status in (OrderStatus.CLOSED, OrderStatus.CANCELLED):
            return release_reservation
    if from_status == OrderStatus.PAID and to_status == OrderStatus.CANCELLED:
        return release_commitment
    return None


async def move_order_stock(
    session: AsyncSession,
    *,
    order_id: int,
    from_status: OrderStatus,
    to_status: OrderStatus,
    now: datetime,
) -> None:
    """Apply the transition's stock movement to every line of the order (SKU order)."""
    move = stock_move(from_status, to_status)
    if move is None:
        return
    rows = (
        await session.execute(
            select(Order.number, OrderLine.warehouse_id, OrderLine.sku_id, OrderLine.quantity)
            .join(Order, Order.id == OrderLine.order_id)
            .where(OrderLine.order_id == order_id)
            .order_by(OrderLine.sku_id)
        )
    ).all()
    for number, warehouse_id, sku_id, quantity in rows:
        await move(
            session,
            warehouse_id=warehouse_id,
            sku_id=sku_id,
            quantity=quantity,
            reference=f"order:{number}",
            now=now,
        )
