"""Races on a database of their own (separate connections, SQLite and PostgreSQL): the
automatic confirmation timer run by four workers at once confirms each overdue order exactly
once; eight shipments of the same whole order at once ship it once (one parcel, stock moved
once)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from galerie.db import Database
from galerie.fulfilment import FAKE_CARRIER, ShippedParcel, confirm_overdue_orders, ship_parcel
from galerie.fulfilment.models import Parcel
from galerie.kernel import DomainError, FixedClock
from galerie.orders.models import Order, OrderStatusHistory
from tests.integration.fulfilment.factories import paid_order
from tests.integration.orders.factories import levels, make_market

WORKERS = 4
ORDERS = 5


async def test_four_timers_at_once_confirm_each_order_once(
    fresh_url: str,
    clock: FixedClock,
    tmp_path: Path,
) -> None:
    setup = Database.from_url(fresh_url)
    workers = [Database.from_url(fresh_url) for _ in range(WORKERS)]
    try:
        market = await make_market(setup, clock.now(), tmp_path, shops=1)
        for _ in range(ORDERS):
            order = await paid_order(setup, market, clock.now())
            await ship_parcel(
                setup,
                order_id=order.order_id,
                actor=order.seller,
                carrier=FAKE_CARRIER,
                tracking_number=None,
                now=clock.now(),
            )
            clock.advance(timedelta(minutes=1))
        clock.advance(timedelta(days=10))
        done = await asyncio.gather(*(confirm_overdue_orders(w, now=clock.now()) for w in workers))
        assert sum(done) == ORDERS
        async with setup.reading() as session:
            completed = await session.scalar(
                select(func.count()).where(OrderStatusHistory.to_status == "completed")
            )
            statuses = set((await session.scalars(select(Order.status))).all())
        assert (completed, statuses) == (ORDERS, {"completed"})
        assert await confirm_overdue_orders(setup, now=clock.now()) == 0
    finally:
        for db in (setup, *workers):
            await db.dispose()


async def test_eight_sellers_shipping_the_same_order_at_once_ship_it_once(
    fresh_url: str,
    clock: FixedClock,
    tmp_path: Path,
) -> None:
    setup = Database.from_url(fresh_url)
    workers = [Database.from_url(fresh_url) for _ in range(WORKERS)]
    try:
        market = await make_market(setup, clock.now(), tmp_path, shops=1)
        order = await paid_order(setup, market, clock.now())

        async def ship(n: int) -> object:
            try:
                return await ship_parcel(
                    workers[n % WORKERS],
                    order_id=order.order_id,
                    actor=order.seller,
                    carrier="ems",
                    tracking_number=f"EMS{n:04d}",
                    now=clock.now(),
                )
            except DomainError as error:
                return error.code

        outcomes = await asyncio.gather(*(ship(n) for n in range(8)))
        shipped = [o for o in outcomes if isinstance(o, ShippedParcel)]
        refused = {o for o in outcomes if not isinstance(o, ShippedParcel)}
        assert len(shipped) == 1
        assert refused <= {
            "transition_not_allowed",
            "over_shipment",
            "stale_state",
            "empty_shipment",
        }
        a, b = order.sku_ids
        assert await levels(setup, order.sku_ids) == {a: (7, 7, 0, 0), b: (8, 8, 0, 0)}
        async with setup.reading() as session:
            parcels = await session.scalar(select(func.count()).select_from(Parcel))
        assert parcels == 1
    finally:
        for db in (setup, *workers):
            await db.dispose()
