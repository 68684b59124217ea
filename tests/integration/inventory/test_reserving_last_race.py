"""`reserve_items_last` under a real race (PostgreSQL, where a raw transaction defers its
reservations to its last statement), each buyer in a raw transaction of its own. Oversell
under 1,000 buyers is the checkout race tests' (tests/integration/checkout); here, the retry
of a SKU whose picked row was emptied under it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select

from galerie.db import Database
from galerie.inventory import (
    HeldItem,
    InsufficientStock,
    create_warehouse,
    receive_stock,
    recompute_stock_from_movements,
    reserve_items_last,
    reserve_stock,
)
from galerie.inventory.models import StockLevel
from galerie.kernel import FixedClock
from tests.integration.inventory.factories import make_stockroom, warehouse_form


async def _buy(db: Database, sku_id: int, n: int, clock: FixedClock) -> bool:
    async with db.raw_transaction() as raw:
        assert raw.defers_last
        await reserve_items_last(raw, items=[HeldItem(sku_id, 1, f"buyer-{n}")], now=clock.now())
    return True


async def _waiting_on_locks(db: Database) -> int:
    async with db.hot_reads() as raw:
        row = await raw.fetchrow("SELECT count(*) FROM pg_locks WHERE NOT granted")
    assert row is not None
    return int(row[0])


async def test_buyers_who_find_their_row_emptied_are_retried_on_the_other_warehouse(
    fresh_url: str, clock: FixedClock, tmp_path: Path
) -> None:
    """Deterministic: 10 buyers all pick the first warehouse (it has the most) and queue on
    its row, which another transaction holds and empties; when it commits, each buyer's
    conditional UPDATE matches nothing, and the retry takes the second warehouse's 5."""
    setup = Database.from_url(fresh_url)
    if setup.dialect != "postgresql":
        await setup.dispose()
        pytest.skip("SQLite runs every statement at once: reserve_items_last is PostgreSQL's")
    pools = [Database.from_url(fresh_url) for _ in range(2)]
    try:
        now = clock.now()
        room = await make_stockroom(setup, now, tmp_path)
        form = warehouse_form("BJ1", city="Beijing")
        second = await create_warehouse(setup, shop_id=room.shop, form=form, now=now)
        for warehouse, units in ((room.warehouse, 6), (second, 5)):
            await receive_stock(
                setup, shop_id=room.shop, warehouse_id=warehouse, sku_id=room.sku,
                quantity=units, now=now,
            )  # fmt: skip
        async with setup.transaction() as session:
            await reserve_stock(
                session, sku_id=room.sku, quantity=6, reference="first", now=now,
                warehouse_id=room.warehouse,
            )  # fmt: skip
            buying = [
                asyncio.ensure_future(_buy(pools[n % 2], room.sku, n, clock)) for n in range(10)
            ]
            for _ in range(2000):  # until all ten wait for the row (or one failed early)
                if await _waiting_on_locks(pools[0]) >= 10 or any(b.done() for b in buying):
                    break
                await asyncio.sleep(0.005)
        outcomes = await asyncio.gather(*buying, return_exceptions=True)
        won = [o for o in outcomes if o is True]
        refused = [o for o in outcomes if isinstance(o, InsufficientStock)]
        assert (len(won), len(refused)) == (5, 5), outcomes
        async with setup.reading() as session:
            levels = list(
                await session.scalars(
                    select(StockLevel).where(StockLevel.sku_id == room.sku).order_by(StockLevel.id)
                )
            )
        parts = [(lv.warehouse_id, lv.on_hand, lv.available, lv.reserved) for lv in levels]
        assert parts == [(room.warehouse, 6, 0, 6), (second, 5, 0, 5)]
        for level in levels:
            assert (await recompute_stock_from_movements(setup, stock_level_id=level.id)).balanced
    finally:
        for db in (setup, *pools):
            await db.dispose()
