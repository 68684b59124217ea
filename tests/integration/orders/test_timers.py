"""The worker's timers close unpaid groups at their deadline and purge old idempotency
keys, on both databases; a second pass does nothing."""

from __future__ import annotations

from datetime import timedelta

from galerie.db import Database
from galerie.kernel import FixedClock
from galerie.orders import place_order_once
from galerie.workers.timers import run_timers
from tests.integration.orders.factories import (
    ADDRESS,
    Market,
    insert_live_sku,
    levels,
    order_status,
    ship,
    stock,
)


async def test_timers_close_unpaid_orders_and_purge_old_keys(
    db: Database, market: Market, clock: FixedClock
) -> None:
    shop = market.shops[0]
    sku = await insert_live_sku(db, clock.now(), shop_id=shop.shop_id)
    await stock(db, clock.now(), shop, sku, 3)
    answer = await place_order_once(
        db,
        idempotency_key="k",
        buyer_id=market.buyer_id,
        lines=[(sku, 2)],
        shipping=ship(shop.shop_id),
        address=ADDRESS,
        now=clock.now(),
    )
    order_id = answer.body["orders"][0]["id"]
    quiet = await run_timers(db, clock)
    assert (quiet["unpaid_orders"], quiet["idempotency_keys"]) == (0, 0)
    clock.advance(timedelta(minutes=30))
    done = await run_timers(db, clock)
    assert (done["unpaid_orders"], done["idempotency_keys"]) == (1, 0)
    assert await order_status(db, order_id) == "closed"
    assert await levels(db, [sku]) == {sku: (3, 3, 0, 0)}
    clock.advance(timedelta(hours=24))
    again = await run_timers(db, clock)
    assert (again["unpaid_orders"], again["idempotency_keys"]) == (0, 1)
