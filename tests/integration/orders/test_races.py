"""Real races on a database of their own (committed data, separate connections), on SQLite
and PostgreSQL:

- THE OVERSELL GATE: 1,000 buyers, released together, for 10 units of one SKU: exactly 10
  orders, 990 clean InsufficientStock refusals, nothing oversold, nothing else left behind.
- 50 concurrent requests with one Idempotency-Key execute once; every answer is the stored
  response or a clean "in progress".
- Paying and closing one group at the same moment: exactly one of them wins."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, select

from galerie.db import Database
from galerie.inventory import InsufficientStock, recompute_stock_from_movements
from galerie.inventory.models import StockLevel
from galerie.kernel import Conflict, FixedClock
from galerie.orders import (
    IdempotencyInProgress,
    PerBuyerLimitExceeded,
    PlacedGroup,
    StoredResponse,
    close_unpaid_groups,
    mark_group_paid,
    place_order,
    place_order_once,
)
from galerie.orders.models import Order, OrderLine, PaymentGroup
from tests.concurrency import together
from tests.integration.orders.factories import (
    ADDRESS,
    Market,
    insert_buyers,
    insert_live_sku,
    make_market,
    ship,
    stock,
)

T = TypeVar("T")
BUYERS = 1000
UNITS = 10
# SQLite: one writer connection per Database, so several Databases make several writers
# contending for the file lock. PostgreSQL: one Database pools at most 30 connections (the
# server's 100 are shared with other test runs); all 1,000 tasks still start together and
# queue for a connection.
DATABASES = {"sqlite": 8, "postgresql": 1}


async def _arena(url: str, clock: FixedClock, tmp: Path) -> tuple[Database, list[Database], Market]:
    setup = Database.from_url(url)
    pools = [Database.from_url(url) for _ in range(DATABASES[setup.dialect])]
    return setup, pools, await make_market(setup, clock.now(), tmp, shops=1)


async def _buy(db: Database, buyer: int, sku: int, shop: int, clock: FixedClock) -> PlacedGroup:
    async with db.transaction() as session:
        return await place_order(
            session,
            buyer_id=buyer,
            lines=[(sku, 1)],
            shipping=ship(shop),
            address=ADDRESS,
            now=clock.now(),
        )


async def test_a_thousand_buyers_for_ten_units(
    fresh_url: str, clock: FixedClock, tmp_path: Path
) -> None:
    setup, pools, market = await _arena(fresh_url, clock, tmp_path)
    try:
        shop = market.shops[0]
        sku = await insert_live_sku(setup, clock.now(), shop_id=shop.shop_id)
        await stock(setup, clock.now(), shop, sku, UNITS)
        buyers = await insert_buyers(setup, clock.now(), BUYERS)

        def buyer(n: int, buyer_id: int) -> Callable[[], Awaitable[PlacedGroup]]:
            return lambda: _buy(pools[n % len(pools)], buyer_id, sku, shop.shop_id, clock)

        outcomes = await together([buyer(n, b) for n, b in enumerate(buyers)])
        won = [o for o in outcomes if isinstance(o, PlacedGroup)]
        refused = [o for o in outcomes if isinstance(o, InsufficientStock)]
        others = [o for o in outcomes if not isinstance(o, PlacedGroup | InsufficientStock)]
        assert (len(won), len(refused), others[:3]) == (UNITS, BUYERS - UNITS, [])
        async with setup.reading() as session:
            level = (
                await session.scalars(select(StockLevel).where(StockLevel.sku_id == sku))
            ).one()
            orders = await session.scalar(select(func.count()).select_from(Order))
            groups = await session.scalar(select(func.count()).select_from(PaymentGroup))
            held = await session.scalar(select(func.sum(OrderLine.quantity)))
        assert (level.on_hand, level.available, level.reserved, level.committed) == (
            UNITS,
            0,
            UNITS,
            0,
        )
        assert (orders, groups, held) == (UNITS, UNITS, UNITS)
        assert (await recompute_stock_from_movements(setup, stock_level_id=level.id)).balanced
    finally:
        for db in (setup, *pools):
            await db.dispose()


async def test_fifty_concurrent_duplicates_execute_once(
    fresh_url: str, clock: FixedClock, tmp_path: Path
) -> None:
    setup, pools, market = await _arena(fresh_url, clock, tmp_path)
    try:
        shop = market.shops[0]
        sku = await insert_live_sku(setup, clock.now(), shop_id=shop.shop_id)
        await stock(setup, clock.now(), shop, sku, 100)
        request: dict[str, Any] = {
            "lines": [(sku, 1)],
            "shipping": ship(shop.shop_id),
            "address": ADDRESS,
        }

        def call(n: int) -> Callable[[], Awaitable[StoredResponse]]:
            return lambda: place_order_once(
                pools[n % len(pools)],
                idempotency_key="same",
                buyer_id=market.buyer_id,
                now=clock.now(),
                **request,
            )

        outcomes = await together([call(n) for n in range(50)])
        answers = [o for o in outcomes if isinstance(o, StoredResponse)]
        busy = [o for o in outcomes if isinstance(o, IdempotencyInProgress)]
        assert len(answers) + len(busy) == 50, [o for o in outcomes if o not in answers][:3]
        assert [a.replayed for a in answers].count(False) == 1
        assert len({str(a.body) for a in answers}) == 1
        async with setup.reading() as session:
            orders = await session.scalar(select(func.count()).select_from(Order))
        assert orders == 1
    finally:
        for db in (setup, *pools):
            await db.dispose()


async def test_paying_and_closing_at_once_one_wins(
    fresh_url: str, clock: FixedClock, tmp_path: Path
) -> None:
    setup, pools, market = await _arena(fresh_url, clock, tmp_path)
    try:
        shop = market.shops[0]
        sku = await insert_live_sku(setup, clock.now(), shop_id=shop.shop_id)
        await stock(setup, clock.now(), shop, sku, 100)
        groups = [await _buy(setup, market.buyer_id, sku, shop.shop_id, clock) for _ in range(5)]
        late = clock.now() + (groups[0].pay_by - clock.now())

        async def pay(group_id: int) -> int:
            async with pools[group_id % len(pools)].transaction() as session:
                return len(await mark_group_paid(session, payment_group_id=group_id, now=late))

        calls: list[Callable[[], Awaitable[int]]] = [(lambda g=g.id: pay(g)) for g in groups] + [
            lambda: close_unpaid_groups(pools[0], now=late)
        ]
        outcomes = await together(calls)
        paid = [o for o in outcomes[:-1] if o == 1]
        refused = [o for o in outcomes[:-1] if isinstance(o, Conflict)]
        closed = outcomes[-1]
        assert isinstance(closed, int)
        assert len(paid) + len(refused) == 5
        assert len(refused) == closed
        async with setup.reading() as session:
            level = (
                await session.scalars(select(StockLevel).where(StockLevel.sku_id == sku))
            ).one()
        assert (level.available, level.reserved, level.committed) == (95 + closed, 0, len(paid))
    finally:
        for db in (setup, *pools):
            await db.dispose()


async def test_one_buyers_concurrent_checkouts_keep_to_the_per_buyer_limit(
    fresh_url: str, clock: FixedClock, tmp_path: Path
) -> None:
    setup, pools, market = await _arena(fresh_url, clock, tmp_path)
    try:
        shop = market.shops[0]
        sku = await insert_live_sku(setup, clock.now(), shop_id=shop.shop_id, per_buyer_limit=3)
        await stock(setup, clock.now(), shop, sku, 100)

        def call(n: int) -> Callable[[], Awaitable[PlacedGroup]]:
            return lambda: _buy(pools[n % len(pools)], market.buyer_id, sku, shop.shop_id, clock)

        outcomes = await together([call(n) for n in range(20)])
        won = [o for o in outcomes if isinstance(o, PlacedGroup)]
        refused = [o for o in outcomes if isinstance(o, PerBuyerLimitExceeded)]
        assert (len(won), len(refused)) == (3, 17), [
            o for o in outcomes if not isinstance(o, PlacedGroup | PerBuyerLimitExceeded)
        ][:3]
        async with setup.reading() as session:
            held = await session.scalar(select(func.sum(OrderLine.quantity)))
        assert held == 3
    finally:
        for db in (setup, *pools):
            await db.dispose()
