"""Units shipped without a parcel (fulfilment's `record_shipment`) start the receipt timer
exactly as a parcel does: not while units are left, and on the last units due at that
shipment plus the order's shipping method delay, which the worker's timer then honours."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from galerie.db import Database
from galerie.fulfilment import confirm_overdue_orders, receipt_timer, record_shipment
from galerie.fulfilment.models import ReceiptTimer
from galerie.kernel import FixedClock, ValidationFailed
from galerie.orders import OrderStatus
from tests.integration.fulfilment.factories import paid_order, snapshot
from tests.integration.orders.factories import Market, order_status


async def _timers(db: Database) -> int:
    async with db.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(ReceiptTimer)) or 0)


async def _timer_of(db: Database, order_id: int) -> tuple[object, object, object] | None:
    async with db.reading() as session:
        timer = await receipt_timer(session, order_id=order_id)
    return None if timer is None else (timer.confirm_by, timer.extended_at, timer.confirmed_at)


async def test_the_last_units_start_the_timer_with_the_methods_delay(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order = await paid_order(db, market, clock.now(), units=(3, 2), days=30)
    first, second = order.sku_ids
    clock.advance(timedelta(hours=1))
    moved = await record_shipment(
        db, order_id=order.order_id, quantities={first: 3, second: 1}, actor=order.seller,
        now=clock.now(),
    )  # fmt: skip
    assert moved is not None
    assert moved.to_status == OrderStatus.PARTLY_SHIPPED
    assert await _timer_of(db, order.order_id) is None
    clock.advance(timedelta(days=2))
    shipped_at = clock.now()
    moved = await record_shipment(
        db, order_id=order.order_id, quantities={second: 1}, actor=order.seller, now=shipped_at
    )
    assert moved is not None
    assert moved.to_status == OrderStatus.SHIPPED
    assert await _timer_of(db, order.order_id) == (shipped_at + timedelta(days=30), None, None)
    assert await _timers(db) == 1
    clock.advance(timedelta(days=30) - timedelta(seconds=1))
    assert await confirm_overdue_orders(db, now=clock.now()) == 0
    clock.advance(timedelta(seconds=1))
    assert await confirm_overdue_orders(db, now=clock.now()) == 1
    assert await order_status(db, order.order_id) == "completed"
    assert await confirm_overdue_orders(db, now=clock.now()) == 0


async def test_shipping_everything_at_once_starts_one_timer(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order = await paid_order(db, market, clock.now(), units=(1,), days=3)
    now = clock.now()
    moved = await record_shipment(
        db, order_id=order.order_id, quantities={order.sku_ids[0]: 1}, actor=order.seller, now=now
    )
    assert moved is not None
    assert moved.to_status == OrderStatus.SHIPPED
    assert await _timer_of(db, order.order_id) == (now + timedelta(days=3), None, None)
    assert await _timers(db) == 1


async def test_a_refused_shipment_starts_no_timer(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order = await paid_order(db, market, clock.now(), units=(1,))
    before = await snapshot(db, order.order_id)
    with pytest.raises(ValidationFailed):
        await record_shipment(
            db, order_id=order.order_id, quantities={}, actor=order.seller, now=clock.now()
        )
    assert await snapshot(db, order.order_id) == before
    assert before["timers"] == 0
