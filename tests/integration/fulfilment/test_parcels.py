"""Shipping parcels on both databases: partial then full shipment moves stock exactly and
the order to partly_shipped then shipped; over-shipping, a wrong warehouse, a duplicate
tracking number, an unpaid order and another shop's seller are refused with nothing
changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from galerie.db import Database
from galerie.db.outbox import OutboxEvent
from galerie.fulfilment import (
    FAKE_CARRIER,
    DuplicateTrackingNumber,
    order_fulfilment,
    receipt_timer,
    ship_parcel,
)
from galerie.kernel import Conflict, FixedClock, ValidationFailed
from galerie.orders import Actor, OrderNotFound, TransitionNotAllowed, cancel_order
from tests.integration.fulfilment.factories import paid_order, snapshot
from tests.integration.orders.factories import Market, levels, order_status


async def test_partial_then_full_shipment(db: Database, market: Market, clock: FixedClock) -> None:
    order = await paid_order(db, market, clock.now())
    a, b = order.sku_ids
    assert await levels(db, order.sku_ids) == {a: (10, 7, 0, 3), b: (10, 8, 0, 2)}
    first = await ship_parcel(
        db,
        order_id=order.order_id,
        actor=order.seller,
        carrier="sf-express",
        tracking_number="sf1001",
        lines=[(order.line_ids[0], 2)],
        now=clock.now(),
    )
    assert (first.order_status, first.units, first.tracking_number) == (
        "partly_shipped",
        2,
        "SF1001",
    )
    assert await levels(db, order.sku_ids) == {a: (8, 7, 0, 1), b: (10, 8, 0, 2)}
    clock.advance(timedelta(hours=2))
    second = await ship_parcel(
        db,
        order_id=order.order_id,
        actor=order.seller,
        carrier=FAKE_CARRIER,
        tracking_number=None,
        warehouse_id=order.warehouse_id,
        now=clock.now(),
    )
    assert (second.order_status, second.units) == ("shipped", 3)
    assert second.tracking_number.startswith("GF")
    assert await levels(db, order.sku_ids) == {a: (7, 7, 0, 0), b: (8, 8, 0, 0)}
    assert await order_status(db, order.order_id) == "shipped"
    async with db.reading() as session:
        timer = await receipt_timer(session, order_id=order.order_id)
        events = (
            await session.scalars(
                select(OutboxEvent.event_name).where(OutboxEvent.event_name == "ParcelShipped")
            )
        ).all()
    assert timer is not None
    assert timer.confirm_by == clock.now() + timedelta(days=10)  # the method's days
    assert len(events) == 2
    view = await order_fulfilment(db, order_id=order.order_id, actor=order.buyer, now=clock.now())
    assert [p.lines for p in view.parcels] == [
        {order.line_ids[0]: 2},
        {order.line_ids[0]: 1, order.line_ids[1]: 2},
    ]


async def test_over_shipping_is_refused_and_changes_nothing(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order = await paid_order(db, market, clock.now())
    before = await snapshot(db, order.order_id)
    stock_before = await levels(db, order.sku_ids)
    for lines, error in (
        ([(order.line_ids[0], 4)], Conflict),
        ([(order.line_ids[0], 3), (order.line_ids[1], 3)], Conflict),
        ([(order.line_ids[0], -1)], ValidationFailed),
        ([(order.line_ids[0], 0)], ValidationFailed),
        ([(987_654, 1)], ValidationFailed),
        ([], ValidationFailed),
    ):
        with pytest.raises(error):
            await ship_parcel(
                db,
                order_id=order.order_id,
                actor=order.seller,
                carrier="ems",
                tracking_number="EMS0001",
                lines=lines,
                now=clock.now(),
            )
    with pytest.raises(ValidationFailed) as refused:
        await ship_parcel(
            db,
            order_id=order.order_id,
            actor=order.seller,
            carrier="ems",
            tracking_number="EMS0001",
            warehouse_id=market.shops[1].warehouse_id,
            lines=[(order.line_ids[0], 1)],
            now=clock.now(),
        )
    assert refused.value.code == "wrong_warehouse"
    assert await snapshot(db, order.order_id) == before
    assert await levels(db, order.sku_ids) == stock_before


async def test_duplicate_tracking_number_rolls_back_the_shipment(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order = await paid_order(db, market, clock.now())

    async def ship(tracking: str) -> None:
        await ship_parcel(
            db,
            order_id=order.order_id,
            actor=order.seller,
            carrier="ems",
            tracking_number=tracking,
            lines=[(order.line_ids[0], 1)],
            now=clock.now(),
        )

    await ship("EMS1")
    before = await snapshot(db, order.order_id)
    stock_before = await levels(db, order.sku_ids)
    with pytest.raises(DuplicateTrackingNumber):
        await ship("ems1")
    assert await snapshot(db, order.order_id) == before
    assert await levels(db, order.sku_ids) == stock_before


async def test_another_shop_or_unpaid_order_is_refused(
    db: Database, market: Market, clock: FixedClock
) -> None:
    order = await paid_order(db, market, clock.now())
    before = await snapshot(db, order.order_id)
    other = Actor.seller(market.owner_user_id, market.shops[1].shop_id)
    for actor in (other, order.buyer, Actor.buyer(market.other_buyer_id)):
        with pytest.raises(OrderNotFound):
            await ship_parcel(
                db,
                order_id=order.order_id,
                actor=actor,
                carrier="ems",
                tracking_number="EMS2",
                now=clock.now(),
            )
    with pytest.raises(OrderNotFound):
        await ship_parcel(
            db,
            order_id=987_654,
            actor=order.seller,
            carrier="ems",
            tracking_number="EMS2",
            now=clock.now(),
        )
    assert await snapshot(db, order.order_id) == before
    await cancel_order(
        db, order_id=order.order_id, actor=order.buyer, reason="changed my mind", now=clock.now()
    )
    with pytest.raises(TransitionNotAllowed):
        await ship_parcel(
            db,
            order_id=order.order_id,
            actor=order.seller,
            carrier="ems",
            tracking_number="EMS2",
            now=clock.now(),
        )
    assert (await snapshot(db, order.order_id))["parcels"] == 0
