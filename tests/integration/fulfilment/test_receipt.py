"""Receipt on both databases: the buyer confirms a shipped order; another buyer cannot see
or confirm it; the deadline is extended once, before it passes; the timer confirms overdue
orders exactly once when run twice (at once: test_receipt_races); tracking marks a parcel the
carrier delivered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from galerie.db import Database
from galerie.fulfilment import (
    EXTENSION,
    FAKE_CARRIER,
    ExtensionRefused,
    confirm_overdue_orders,
    confirm_receipt,
    extend_confirmation,
    order_fulfilment,
    ship_parcel,
)
from galerie.kernel import FixedClock
from galerie.orders import Actor, OrderNotFound, TransitionNotAllowed
from galerie.orders.models import OrderStatusHistory
from galerie.workers.timers import FREQUENT
from tests.integration.fulfilment.factories import PaidOrder, paid_order, snapshot
from tests.integration.orders.factories import Market, order_status


async def _shipped(db: Database, market: Market, clock: FixedClock) -> PaidOrder:
    order = await paid_order(db, market, clock.now())
    await ship_parcel(
        db,
        order_id=order.order_id,
        actor=order.seller,
        carrier=FAKE_CARRIER,
        tracking_number=None,
        now=clock.now(),
    )
    return order


async def _completions(db: Database, order_id: int) -> int:
    async with db.reading() as session:
        found = await session.scalar(
            select(func.count()).where(
                OrderStatusHistory.order_id == order_id,
                OrderStatusHistory.to_status == "completed",
            )
        )
    return int(found or 0)


async def test_buyer_confirms_receipt(db: Database, market: Market, clock: FixedClock) -> None:
    order = await _shipped(db, market, clock)
    stranger = Actor.buyer(market.other_buyer_id)
    before = await snapshot(db, order.order_id)
    with pytest.raises(OrderNotFound):
        await order_fulfilment(db, order_id=order.order_id, actor=stranger, now=clock.now())
    with pytest.raises(OrderNotFound):
        await confirm_receipt(db, order_id=order.order_id, actor=stranger, now=clock.now())
    with pytest.raises(OrderNotFound):
        await extend_confirmation(db, order_id=order.order_id, actor=stranger, now=clock.now())
    assert await snapshot(db, order.order_id) == before
    moved = await confirm_receipt(db, order_id=order.order_id, actor=order.buyer, now=clock.now())
    assert moved.to_status == "completed"
    with pytest.raises(TransitionNotAllowed):
        await confirm_receipt(db, order_id=order.order_id, actor=order.buyer, now=clock.now())
    clock.advance(timedelta(days=30))
    assert await confirm_overdue_orders(db, now=clock.now()) == 0
    assert await _completions(db, order.order_id) == 1


async def test_paid_order_cannot_be_confirmed_or_extended(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order = await paid_order(db, market, clock.now())
    with pytest.raises(TransitionNotAllowed):
        await confirm_receipt(db, order_id=order.order_id, actor=order.buyer, now=clock.now())
    with pytest.raises(ExtensionRefused):
        await extend_confirmation(db, order_id=order.order_id, actor=order.buyer, now=clock.now())


async def test_extend_once_before_the_deadline(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order = await _shipped(db, market, clock)
    view = await order_fulfilment(db, order_id=order.order_id, actor=order.buyer, now=clock.now())
    assert view.timer is not None
    assert view.may_extend(clock.now())
    deadline = view.timer.confirm_by
    extended = await extend_confirmation(
        db, order_id=order.order_id, actor=order.buyer, now=clock.now()
    )
    assert extended.confirm_by == deadline + EXTENSION
    with pytest.raises(ExtensionRefused):
        await extend_confirmation(db, order_id=order.order_id, actor=order.buyer, now=clock.now())
    clock.advance(timedelta(days=11))  # past the first deadline, not the extended one
    assert await confirm_overdue_orders(db, now=clock.now()) == 0
    assert await order_status(db, order.order_id) == "shipped"
    clock.advance(timedelta(days=5))
    assert await confirm_overdue_orders(db, now=clock.now()) == 1
    assert await order_status(db, order.order_id) == "completed"


async def test_no_extension_after_the_deadline(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order = await _shipped(db, market, clock)
    clock.advance(timedelta(days=10))
    with pytest.raises(ExtensionRefused):
        await extend_confirmation(db, order_id=order.order_id, actor=order.buyer, now=clock.now())


async def test_timer_confirms_overdue_orders_once(
    db: Database, market: Market, clock: FixedClock
) -> None:
    first = await _shipped(db, market, clock)
    second = await _shipped(db, market, clock)
    clock.advance(timedelta(days=9))
    assert await confirm_overdue_orders(db, now=clock.now()) == 0
    clock.advance(timedelta(days=1))
    assert await FREQUENT["overdue_receipts"](db, now=clock.now()) == 2
    assert await confirm_overdue_orders(db, now=clock.now()) == 0
    for order in (first, second):
        assert await order_status(db, order.order_id) == "completed"
        assert await _completions(db, order.order_id) == 1


async def test_tracking_events_and_delivery(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order = await _shipped(db, market, clock)
    view = await order_fulfilment(db, order_id=order.order_id, actor=order.buyer, now=clock.now())
    assert [p.events for p in view.parcels] == [[]]
    clock.advance(timedelta(days=1))
    view = await order_fulfilment(db, order_id=order.order_id, actor=order.buyer, now=clock.now())
    assert [e.status for e in view.parcels[0].events] == ["picked_up", "in_transit"]
    assert view.parcels[0].status == "shipped"
    clock.advance(timedelta(days=2))
    view = await order_fulfilment(db, order_id=order.order_id, actor=order.seller, now=clock.now())
    assert view.parcels[0].status == "delivered"
    again = await order_fulfilment(db, order_id=order.order_id, actor=order.buyer, now=clock.now())
    assert again.parcels[0].delivered_at == view.parcels[0].delivered_at
