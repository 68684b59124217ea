"""A paid order of one shop with two lines (3 and 2 units, 10 of each SKU in stock), for
the fulfilment tests, and reads of what a shipment changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from galerie.db import Database
from galerie.fulfilment.models import Parcel, ParcelLine, ReceiptTimer
from galerie.orders import Actor, mark_group_paid, place_order
from galerie.orders.models import Order, OrderLine, OrderStatusHistory
from tests.integration.orders.factories import (
    ADDRESS,
    Market,
    insert_live_sku,
    ship,
    stock,
)


@dataclass(frozen=True, slots=True)
class PaidOrder:
    order_id: int
    number: str
    shop_id: int
    warehouse_id: int
    line_ids: list[int]  # in SKU order
    sku_ids: list[int]
    seller: Actor
    buyer: Actor


async def paid_order(
    db: Database,
    market: Market,
    now: datetime,
    *,
    shop: int = 0,
    units: tuple[int, ...] = (3, 2),
    days: int = 10,
    options: tuple[dict[str, str], ...] = (),
) -> PaidOrder:
    setup = market.shops[shop]
    skus = []
    for n, _ in enumerate(units):
        chosen = options[n] if n < len(options) else None
        sku = await insert_live_sku(db, now, shop_id=setup.shop_id, options=chosen)
        await stock(db, now, setup, sku, 10)
        skus.append(sku)
    async with db.transaction() as session:
        group = await place_order(
            session,
            buyer_id=market.buyer_id,
            lines=list(zip(skus, units, strict=True)),
            shipping=ship(setup.shop_id, days=days),
            address=ADDRESS,
            now=now,
        )
        await mark_group_paid(session, payment_group_id=group.id, now=now)
    order = group.orders[0]
    async with db.reading() as session:
        lines = (
            await session.execute(
                select(OrderLine.id, OrderLine.sku_id)
                .where(OrderLine.order_id == order.id)
                .order_by(OrderLine.sku_id)
            )
        ).all()
    return PaidOrder(
        order.id,
        order.number,
        setup.shop_id,
        setup.warehouse_id,
        [r[0] for r in lines],
        [r[1] for r in lines],
        Actor.seller(setup.owner_user_id, setup.shop_id),
        Actor.buyer(market.buyer_id),
    )


async def snapshot(db: Database, order_id: int) -> dict[str, object]:
    """What a refused request must leave as it was."""
    async with db.reading() as session:
        order = await session.get_one(Order, order_id)
        shipped = (
            await session.scalars(
                select(OrderLine.shipped_quantity)
                .where(OrderLine.order_id == order_id)
                .order_by(OrderLine.id)
            )
        ).all()
        result: dict[str, object] = {"status": order.status, "shipped": list(shipped)}
        for name, model in {
            "parcels": Parcel,
            "parcel_lines": ParcelLine,
            "timers": ReceiptTimer,
            "history": OrderStatusHistory,
        }.items():
            result[name] = await session.scalar(select(func.count()).select_from(model))
        return result
