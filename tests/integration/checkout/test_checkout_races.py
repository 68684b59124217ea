"""The checkout service itself under a real race, on a database of its own (committed data,
separate connections), on SQLite and PostgreSQL: 300 buyers released together "buy now" one
unit of a SKU that has 10. On PostgreSQL each checkout is first a single statement (ADR
0015) whose guard refuses once the units are gone, and then the transaction refuses too:
exactly 10 orders, 290 clean refusals, nothing oversold, a stored key per order only."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import func, select

from galerie.checkout import CheckoutBlocked, place_checkout
from galerie.db import Database
from galerie.inventory import InsufficientStock, recompute_stock_from_movements
from galerie.inventory.models import StockLevel
from galerie.kernel import FixedClock
from galerie.orders import StoredResponse
from galerie.orders.models import IdempotencyKey, Order, OrderLine
from galerie.shipping import create_shipping_template
from tests.concurrency import together
from tests.integration.checkout.factories import address, template
from tests.integration.orders.factories import insert_buyers, insert_live_sku, make_market, stock

BUYERS = 300
UNITS = 10


async def test_three_hundred_buyers_for_ten_units_through_the_checkout(
    fresh_url: str, clock: FixedClock, tmp_path: Path
) -> None:
    db = Database.from_url(fresh_url)
    now = clock.now()
    try:
        market = await make_market(db, now, tmp_path, shops=1)
        shop = market.shops[0]
        await create_shipping_template(
            db, shop_id=shop.shop_id, spec=template("express", 800), now=now
        )
        sku = await insert_live_sku(db, now, shop_id=shop.shop_id)
        await stock(db, now, shop, sku, UNITS)
        buyers = await insert_buyers(db, now, BUYERS)
        addresses = [await address(db, now, buyer, "CN") for buyer in buyers]

        def buy(buyer: int, address_id: int) -> Callable[[], Awaitable[StoredResponse]]:
            return lambda: place_checkout(
                db, buyer_id=buyer, address_id=address_id, methods=None,
                idempotency_key=f"race-{buyer}", raw_body=b"{}", now=now, currency="CNY",
                items=[(sku, 1)],
            )  # fmt: skip

        outcomes = await together([buy(b, a) for b, a in zip(buyers, addresses, strict=True)])
        placed = [o for o in outcomes if isinstance(o, StoredResponse)]
        refused = [o for o in outcomes if isinstance(o, InsufficientStock | CheckoutBlocked)]
        others = [o for o in outcomes if o not in placed and o not in refused]
        assert (len(placed), len(refused), others[:3]) == (UNITS, BUYERS - UNITS, [])
        assert {p.status for p in placed} == {201}
        async with db.reading() as session:
            level = (
                await session.scalars(select(StockLevel).where(StockLevel.sku_id == sku))
            ).one()
            orders = await session.scalar(select(func.count()).select_from(Order))
            held = await session.scalar(select(func.sum(OrderLine.quantity)))
            keys = await session.scalar(select(func.count()).select_from(IdempotencyKey))
        assert (level.on_hand, level.available, level.reserved, level.committed) == (
            UNITS, 0, UNITS, 0,
        )  # fmt: skip
        assert (orders, held, keys) == (UNITS, UNITS, UNITS)
        assert (await recompute_stock_from_movements(db, stock_level_id=level.id)).balanced
    finally:
        await db.dispose()
