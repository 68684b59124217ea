"""Real races: 500 buyers reserve one unit each of a SKU with 10 units, all at once, on
separate connections to a database of their own (committed data, not a test savepoint).
Exactly 10 succeed, the rest get InsufficientStock, nothing is oversold, and the stock level
still equals the sum of its movements. Run with 10 units in one warehouse and split 5 + 5
over two (the pick-then-update path that retries when a row is emptied under it)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import func, select

from galerie.db import Database
from galerie.inventory import (
    InsufficientStock,
    Level,
    create_warehouse,
    receive_stock,
    recompute_stock_from_movements,
    reserve_stock,
)
from galerie.inventory.models import StockLevel, StockMovement
from galerie.kernel import FixedClock
from tests.integration.inventory.factories import make_stockroom, warehouse_form

BUYERS = 500
UNITS = 10
# SQLite: one writer connection per Database, so many Databases make many connections.
# PostgreSQL: each Database pools up to 30 connections; two stay well under the server's cap.
DATABASES = {"sqlite": 20, "postgresql": 2}


async def _buy(db: Database, sku_id: int, n: int, clock: FixedClock) -> Level:
    async with db.transaction() as session:
        return await reserve_stock(
            session, sku_id=sku_id, quantity=1, reference=f"buyer-{n}", now=clock.now()
        )


@pytest.mark.parametrize("split", [False, True], ids=["one-warehouse", "two-warehouses"])
async def test_500_buyers_for_10_units(
    fresh_url: str, clock: FixedClock, tmp_path: Path, split: bool
) -> None:
    setup = Database.from_url(fresh_url)
    buyers = [Database.from_url(fresh_url) for _ in range(DATABASES[setup.dialect])]
    try:
        now = clock.now()
        room = await make_stockroom(setup, now, tmp_path)
        warehouses = [room.warehouse]
        if split:
            form = warehouse_form("BJ1", city="Beijing")
            warehouses.append(await create_warehouse(setup, shop_id=room.shop, form=form, now=now))
        for warehouse in warehouses:
            await receive_stock(
                setup, shop_id=room.shop, warehouse_id=warehouse, sku_id=room.sku,
                quantity=UNITS // len(warehouses), now=now,
            )  # fmt: skip
        outcomes = await asyncio.gather(
            *(_buy(buyers[n % len(buyers)], room.sku, n, clock) for n in range(BUYERS)),
            return_exceptions=True,
        )
        won = [o for o in outcomes if isinstance(o, Level)]
        refused = [o for o in outcomes if isinstance(o, InsufficientStock)]
        assert (len(won), len(refused)) == (UNITS, BUYERS - UNITS), [
            o for o in outcomes if not isinstance(o, Level | InsufficientStock)
        ][:3]
        async with setup.reading() as session:
            levels = list(
                await session.scalars(select(StockLevel).where(StockLevel.sku_id == room.sku))
            )
            reservations = await session.scalar(
                select(func.count())
                .select_from(StockMovement)
                .where(StockMovement.kind == "reservation")
            )
        parts = [(lv.on_hand, lv.available, lv.reserved, lv.committed) for lv in levels]
        per = UNITS // len(warehouses)
        assert parts == [(per, 0, per, 0)] * len(warehouses)
        assert reservations == UNITS
        for level in levels:
            assert (await recompute_stock_from_movements(setup, stock_level_id=level.id)).balanced
    finally:
        for db in (setup, *buyers):
            await db.dispose()
