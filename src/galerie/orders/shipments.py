"""Recording that units of a paid order left the warehouse (the fulfilment domain adds
parcels, tracking and the receipt timer on top): each line's shipped quantity grows with a
conditional UPDATE (never past its quantity), the units leave stock (`ship_stock`), and the
order becomes partly shipped or shipped."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from galerie.inventory import ship_stock
from galerie.kernel import Conflict, ValidationFailed
from galerie.orders.errors import OrderNotFound, TransitionNotAllowed
from galerie.orders.machine import Moved, may_see, transition
from galerie.orders.models import Order, OrderLine
from galerie.orders.rules import quantity_of
from galerie.orders.states import HOLDS_COMMITTED, Actor, OrderStatus


async def _lock_order(session: AsyncSession, order_id: int, actor: Actor) -> tuple[str, str]:
    row = (
        await session.execute(
            select(Order.status, Order.number, Order.buyer_id, Order.shop_id)
            .where(Order.id == order_id)
            .with_for_update()
        )
    ).one_or_none()
    if row is None or not may_see(actor, buyer_id=row.buyer_id, shop_id=row.shop_id):
        raise OrderNotFound("No such order.")
    if row.status not in HOLDS_COMMITTED:
        raise TransitionNotAllowed("Only paid orders ship.", status=row.status)
    return row.status, row.number


async def _ship_line(
    session: AsyncSession, order_id: int, sku_id: int, quantity: int, number: str, now: datetime
) -> None:
    result = await session.execute(
        update(OrderLine)
        .where(
            OrderLine.order_id == order_id,
            OrderLine.sku_id == sku_id,
            OrderLine.shipped_quantity + quantity <= OrderLine.quantity,
        )
        .values(shipped_quantity=OrderLine.shipped_quantity + quantity)
        .returning(OrderLine.warehouse_id)
        .execution_options(synchronize_session=False)
    )
    warehouse_id = result.scalar_one_or_none()
    if warehouse_id is None:
        raise Conflict(
            "More units than the order has left to ship.", code="over_shipment", sku_id=sku_id
        )
    await ship_stock(
        session,
        warehouse_id=warehouse_id,
        sku_id=sku_id,
        quantity=quantity,
        reference=f"order:{number}",
        now=now,
    )


async def ship_units(
    session: AsyncSession,
    *,
    order_id: int,
    quantities: Mapping[int, int],
    actor: Actor,
    now: datetime,
) -> Moved | None:
    """Ship `quantities` (SKU id -> units) of a paid or partly shipped order inside the
    caller's transaction (never commits). Returns the transition taken (to partly_shipped
    or shipped), or None when the order stays partly shipped. Raises OrderNotFound (not the
    seller's shop), TransitionNotAllowed (not paid), Conflict `over_shipment`. The caller
    is the fulfilment domain, which records the parcel and, on shipped, starts the receipt
    timer in the same transaction (fulfilment's `ship_parcel` and `record_shipment`)."""
    if not quantities:
        raise ValidationFailed("Ship at least one unit.", field="lines", code="empty_shipment")
    status, number = await _lock_order(session, order_id, actor)
    for sku_id, quantity in sorted(quantities.items()):
        await _ship_line(session, order_id, sku_id, quantity_of(quantity), number, now)
    left = await session.scalar(
        select(func.sum(OrderLine.quantity - OrderLine.shipped_quantity)).where(
            OrderLine.order_id == order_id
        )
    )
    to = OrderStatus.SHIPPED if not left else OrderStatus.PARTLY_SHIPPED
    if to == status:
        return None
    return await transition(session, order_id, to, reason=None, actor=actor, now=now)
